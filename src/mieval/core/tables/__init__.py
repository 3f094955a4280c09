"""Interchange files: ``files`` reads and writes the CSV/XLSX tables (bases, values, indicators,
roster) with every problem located by file, row and column; ``entry_template`` is the bilingual
Excel template of data collection and its reader.
"""
