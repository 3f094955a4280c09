"""completeness: expected = bases x applicable indicators x years; hand-computed counts."""

import math

import pandas as pd
import pytest

from mieval.core.completeness import COMPLETENESS_COLUMNS, completeness, completeness_summary

BASES = pd.DataFrame(
    {
        "code": ["R1", "R2", "U1"],
        "category": ["region", "region", "university_institute"],
        "subcategory": ["county", "county", "st_university"],
    }
)
INDICATORS = pd.DataFrame(
    {"code": ["a", "r", "u"], "categories": [(), ("region",), ("university_institute",)]}
)
VALUES = pd.DataFrame(
    [
        ("R1", "a", 2016, 1.0),
        ("R1", "a", 2017, 0.0),  # zero is reported
        ("R2", "a", 2016, float("nan")),  # missing is not
        ("U1", "a", 2018, 3.0),
        ("R1", "r", 2016, 1.0),
        ("R1", "r", 2019, 1.0),  # outside the years
        ("R1", "u", 2016, 1.0),  # does not apply to a region
        ("U1", "u", 2016, 1.0),
        ("U1", "u", 2017, 1.0),
    ],
    columns=["base_code", "indicator_code", "year", "value"],
)


def test_by_indicator():
    out = completeness(VALUES, BASES, INDICATORS, first_year=2016, last_year=2018)

    # a: 3 bases x 3 years = 9, reported 3; r: 2 x 3 = 6, reported 1; u: 1 x 3 = 3, reported 2
    assert list(out.columns) == COMPLETENESS_COLUMNS
    assert out[["group", "expected", "reported"]].values.tolist() == [
        ["a", 9, 3],
        ["r", 6, 1],
        ["u", 3, 2],
    ]
    assert out["share"].tolist() == pytest.approx([3 / 9, 1 / 6, 2 / 3])


def test_by_subcategory():
    out = completeness(VALUES, BASES, INDICATORS, first_year=2016, last_year=2018, by="subcategory")

    # county: 2 bases x 2 indicators x 3 years = 12, reported 3; st_university: 1 x 2 x 3 = 6, 3
    assert out[["group", "expected", "reported"]].values.tolist() == [
        ["county", 12, 3],
        ["st_university", 6, 3],
    ]
    assert out["share"].tolist() == pytest.approx([0.25, 0.5])


def test_nothing_expected_gives_nan_share():
    out = completeness(
        VALUES.iloc[0:0], BASES.iloc[0:0], INDICATORS, first_year=2016, last_year=2016
    )

    assert out["expected"].tolist() == [0, 0, 0]
    assert all(math.isnan(s) for s in out["share"])


def test_summary_by_indicator_by_subcategory_and_totals():
    # U2 (a private enterprise) sorts after the universities in the reference order, not
    # alphabetically; new_area has no base in scope and is left out.
    bases = pd.concat(
        [
            pd.DataFrame({"code": ["U2"], "category": ["enterprise"], "subcategory": ["private"]}),
            BASES,
        ],
        ignore_index=True,
    )
    values = pd.concat(
        [VALUES, pd.DataFrame([("U2", "a", 2016, 5.0)], columns=VALUES.columns)],
        ignore_index=True,
    )

    out = completeness_summary(values, bases, INDICATORS, first_year=2016, last_year=2018)

    # a: 4 bases x 3 years = 12, reported 4; r: 6, 1; u: 3, 2
    assert out.by_indicator[["group", "expected", "reported"]].values.tolist() == [
        ["a", 12, 4],
        ["r", 6, 1],
        ["u", 3, 2],
    ]
    assert out.by_subcategory[["group", "expected", "reported"]].values.tolist() == [
        ["county", 12, 3],
        ["st_university", 6, 3],
        ["private", 3, 1],
    ]
    assert list(out.by_subcategory.columns) == COMPLETENESS_COLUMNS
    assert list(out.by_subcategory.index) == [0, 1, 2]
    assert (out.expected, out.reported) == (21, 7)
    assert out.share == 7 / 21


def test_summary_of_nothing_expected():
    out = completeness_summary(
        VALUES.iloc[0:0], BASES.iloc[0:0], INDICATORS, first_year=2016, last_year=2016
    )

    assert out.by_indicator["expected"].tolist() == [0, 0, 0]
    assert len(out.by_subcategory) == 0
    assert (out.expected, out.reported) == (0, 0)
    assert math.isnan(out.share)
