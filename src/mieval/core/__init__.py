"""The functional core: every computation of mieval, free of Django and of the rest of mieval.

It takes long-format DataFrames (or small documented types) and returns new ones, never modifies
its input, and imports neither Django nor any other mieval package (import-linter checks this in
CI). By domain: ``reference`` (categories, provinces, regions), ``indicators`` (the built-in
framework), ``problems`` (input errors), ``tables`` (CSV/XLSX files), ``trends``, ``checks``,
``completeness``, ``peers``, ``index`` (composite indices), ``panels`` (expert panels),
``matching``, ``findings``, ``reports`` (report content). The Django apps build the frames in
selectors and call the core; the ``mieval`` command calls it on files.
"""
