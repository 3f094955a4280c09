"""Text for the CSV downloads that people open in Excel or WPS.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula, so a comment or a reason written as ``=HYPERLINK(...)`` would
become a live formula on the office's machine (CSV injection, OWASP). The office's downloads
(scores, comments, the audit trail) pass every cell through :func:`csv_cell`, which keeps such
text as text with a leading apostrophe, as Excel itself writes it.

Interchange files (``mieval export``, the values and bases files) are not passed through it:
they must read back exactly as written, and scripts read them, not spreadsheets; in XLSX output
text cells are typed as text and never run.
"""

import re

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A number keeps its sign: '-5' is a value, not a formula.
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def csv_cell(value: object) -> object:
    """``value`` as a CSV download writes it: text that a spreadsheet would run as a formula
    gets a leading apostrophe; numbers (negative ones included) and other text are unchanged.

    >>> csv_cell("=1+1"), csv_cell("-5"), csv_cell("@SUM(A1)"), csv_cell(3)
    ("'=1+1", '-5', "'@SUM(A1)", 3)
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_STARTS):
        return value
    if _NUMBER_RE.fullmatch(value):
        return value
    return "'" + value
