import pytest

from mieval.lib.spreadsheets import csv_cell


@pytest.mark.parametrize(
    "value, written",
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-1+A1", "'-1+A1"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),
        ("+2.5", "+2.5"),
        ("-1e3", "-1e3"),
        ("孵化成效显著", "孵化成效显著"),
        ("a = b", "a = b"),
        ("", ""),
        (3, 3),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_text_a_spreadsheet_would_run_is_kept_as_text(value, written):
    assert csv_cell(value) == written
