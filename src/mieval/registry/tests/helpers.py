"""Rows of a bases file, as the file reader returns them, for the registry's tests."""

import pandas as pd


def bases_file(*rows: dict) -> pd.DataFrame:
    """A validated bases frame as the file reader returns it (``line`` included)."""
    frame = pd.DataFrame(list(rows))
    frame["line"] = range(2, len(frame) + 2)
    return frame


R1 = {
    "code": "R1",
    "name_zh": "区域一",
    "name_en": "Region one",
    "category": "region",
    "subcategory": "urban_district",
    "province": "11",
    "batch": 2016,
}
U1 = {
    "code": "U1",
    "name_zh": "高校一",
    "name_en": "University one",
    "category": "university_institute",
    "subcategory": "st_university",
    "province": "42",
    "batch": 2016,
}
N1 = {
    "code": "N1",
    "name_zh": "新基地",
    "name_en": "New base",
    "category": "enterprise",
    "subcategory": "private",
    "province": "44",
    "batch": 2020,
}
