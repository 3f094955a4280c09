"""Report content, free of the database: ``payload`` (the snapshot a report is built from),
``content`` (the report's sections and tables), ``lineage`` (where each figure comes from),
``charts`` (the SVG charts).
"""
