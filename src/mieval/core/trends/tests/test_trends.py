"""Tests of the development-trend table and its renderers; no database.

Expected figures are worked out by hand from the small panel below; the arithmetic is next to
each number. Growth rates are compared with ``rel=1e-12`` because ``x ** 0.5`` and numpy's
power may differ in the last bit.
"""

import io
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest

from mieval.core.indicators import builtin_indicators_frame
from mieval.core.trends.render import (
    _display_width,
    trends_to_csv,
    trends_to_text,
    trends_to_xlsx,
)
from mieval.core.trends.table import TrendTable, trend_table

NAN = math.nan

# Four bases, one per situation:
#   A  region / county,             Beijing 11 (east),       batch 2016: every year
#   B  region / new_area,           Shanxi 14 (central),     batch 2017: 2017 missing, 2016 is 0
#   C  enterprise / private,        Liaoning 21 (northeast), batch 2017: joins in 2017
#   D  university / st_university,  Guangdong 44 (east),     batch 2016: 2017 reported empty
BASES = pd.DataFrame(
    {
        "code": ["A", "B", "C", "D"],
        "name_zh": ["甲", "乙", "丙", "丁"],
        "category": ["region", "region", "enterprise", "university_institute"],
        "subcategory": ["county", "new_area", "private", "st_university"],
        "province": ["11", "14", "21", "44"],
        "batch": [2016, 2017, 2017, 2016],
    }
)

# Indicator x:      2016  2017  2018
#   A                 10    20    30
#   B                  0     -    40
#   C                  -     6    10
#   D                  2   NaN     4
X_ROWS = [
    ("A", 2016, 10.0),
    ("A", 2017, 20.0),
    ("A", 2018, 30.0),
    ("B", 2016, 0.0),
    ("B", 2018, 40.0),
    ("C", 2017, 6.0),
    ("C", 2018, 10.0),
    ("D", 2016, 2.0),
    ("D", 2017, NAN),
    ("D", 2018, 4.0),
]


def make_values(rows_by_indicator: dict[str, list[tuple[str, int, float]]]) -> pd.DataFrame:
    records = [
        {"base_code": base, "indicator_code": code, "year": year, "value": value}
        for code, rows in rows_by_indicator.items()
        for base, year, value in rows
    ]
    return pd.DataFrame(records, columns=["base_code", "indicator_code", "year", "value"])


def make_indicators(*codes: str, stat: str = "mean") -> pd.DataFrame:
    return pd.DataFrame({"code": list(codes), "stat": [stat] * len(codes)})


VALUES = make_values({"x": X_ROWS})
INDICATORS = make_indicators("x")


def cell(table: TrendTable, group: str, indicator: str = "x") -> tuple[list, list]:
    """The figures and counts of one indicator and group, in year order."""
    rows = table.yearly[(table.yearly.indicator == indicator) & (table.yearly.group == group)]
    return rows["value"].tolist(), rows["n"].tolist()


def growth(table: TrendTable, group: str, indicator: str = "x") -> tuple[float, str | None]:
    row = table.growth[(table.growth.indicator == indicator) & (table.growth.group == group)]
    assert len(row) == 1
    return row["cagr"].iloc[0], row["cagr_note"].iloc[0]


def assert_figures(actual: list[float], expected: list[float]) -> None:
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        if math.isnan(want):
            assert math.isnan(got)
        else:
            assert got == pytest.approx(want, rel=1e-15)


# --- all bases --------------------------------------------------------------------------------


def test_mean_over_all_bases_counts_zero_gaps_and_late_joiners():
    # given the panel; when
    table = trend_table(VALUES, BASES, INDICATORS)
    # then
    assert table.by is None
    assert table.years == [2016, 2017, 2018]
    assert table.stats == {"x": "mean"}
    values, counts = cell(table, "all")
    # 2016: A 10, B 0 (zero counts), D 2      -> (10 + 0 + 2) / 3 = 4,   n = 3
    # 2017: A 20, C 6 (B absent, D NaN)       -> (20 + 6) / 2 = 13,      n = 2
    # 2018: A 30, B 40, C 10, D 4             -> 84 / 4 = 21,            n = 4
    assert_figures(values, [4.0, 13.0, 21.0])
    assert counts == [3, 2, 4]
    cagr, note = growth(table, "all")
    # (21 / 4) ** (1 / 2) - 1 = sqrt(5.25) - 1 = 0.29128784747792...
    assert cagr == pytest.approx(math.sqrt(5.25) - 1, rel=1e-12)
    assert note is None
    first_last = table.growth[["first_year", "last_year"]].iloc[0].tolist()
    assert first_last == [2016, 2018]


def test_median_with_odd_and_even_counts():
    table = trend_table(VALUES, BASES, INDICATORS, stat="median")
    values, counts = cell(table, "all")
    # 2016: sorted 0, 2, 10        -> odd count, middle = 2
    # 2017: sorted 6, 20           -> even count, (6 + 20) / 2 = 13
    # 2018: sorted 4, 10, 30, 40   -> even count, (10 + 30) / 2 = 20
    assert_figures(values, [2.0, 13.0, 20.0])
    assert counts == [3, 2, 4]
    assert table.stats == {"x": "median"}
    # (20 / 2) ** (1 / 2) - 1 = sqrt(10) - 1
    assert growth(table, "all")[0] == pytest.approx(math.sqrt(10) - 1, rel=1e-12)


def test_sum():
    table = trend_table(VALUES, BASES, INDICATORS, stat="sum")
    values, counts = cell(table, "all")
    # 2016: 10 + 0 + 2 = 12;  2017: 20 + 6 = 26;  2018: 30 + 40 + 10 + 4 = 84
    assert_figures(values, [12.0, 26.0, 84.0])
    assert counts == [3, 2, 4]
    # (84 / 12) ** (1 / 2) - 1 = sqrt(7) - 1
    assert growth(table, "all")[0] == pytest.approx(math.sqrt(7) - 1, rel=1e-12)


def test_stat_of_the_indicators_frame_is_used_per_indicator():
    values = make_values({"x": X_ROWS, "y": X_ROWS})
    indicators = pd.DataFrame({"code": ["x", "y"], "stat": ["sum", "median"]})
    table = trend_table(values, BASES, indicators)
    assert table.stats == {"x": "sum", "y": "median"}
    assert_figures(cell(table, "all", "x")[0], [12.0, 26.0, 84.0])  # sums, as above
    assert_figures(cell(table, "all", "y")[0], [2.0, 13.0, 20.0])  # medians, as above


def test_balanced_keeps_only_bases_reporting_every_year():
    table = trend_table(VALUES, BASES, INDICATORS, balanced=True)
    values, counts = cell(table, "all")
    # only A reported x in 2016, 2017 and 2018 (B lacks 2017, C 2016, D's 2017 is empty)
    assert_figures(values, [10.0, 20.0, 30.0])
    assert counts == [1, 1, 1]
    # (30 / 10) ** (1 / 2) - 1 = sqrt(3) - 1
    assert growth(table, "all")[0] == pytest.approx(math.sqrt(3) - 1, rel=1e-12)


def test_balanced_uses_the_range_asked_for():
    table = trend_table(VALUES, BASES, INDICATORS, balanced=True, year_from=2017)
    values, counts = cell(table, "all")
    # 2017-2018 complete: A (20, 30) and C (6, 10)  -> 2017: 26 / 2 = 13; 2018: 40 / 2 = 20
    assert table.years == [2017, 2018]
    assert_figures(values, [13.0, 20.0])
    assert counts == [2, 2]
    # 20 / 13 - 1 = 0.538461...
    assert growth(table, "all")[0] == pytest.approx(20 / 13 - 1, rel=1e-12)


def test_year_from_trims_the_start():
    table = trend_table(VALUES, BASES, INDICATORS, year_from=2017)
    values, counts = cell(table, "all")
    assert table.years == [2017, 2018]
    assert_figures(values, [13.0, 21.0])  # as in the full table
    assert counts == [2, 4]
    # (21 / 13) ** 1 - 1 = 0.615384...
    assert growth(table, "all")[0] == pytest.approx(21 / 13 - 1, rel=1e-12)


def test_year_to_trims_the_end():
    table = trend_table(VALUES, BASES, INDICATORS, year_to=2017)
    values, counts = cell(table, "all")
    assert table.years == [2016, 2017]
    assert_figures(values, [4.0, 13.0])
    assert counts == [3, 2]
    # 13 / 4 - 1 = 2.25
    assert growth(table, "all")[0] == pytest.approx(2.25, rel=1e-12)


def test_range_wider_than_the_data_lists_every_year():
    table = trend_table(VALUES, BASES, INDICATORS, year_from=2015, year_to=2019)
    values, counts = cell(table, "all")
    assert table.years == [2015, 2016, 2017, 2018, 2019]
    assert_figures(values, [NAN, 4.0, 13.0, 21.0, NAN])
    assert counts == [0, 3, 2, 4, 0]
    assert growth(table, "all")[0] == pytest.approx(math.sqrt(5.25) - 1, rel=1e-12)


# --- growth notes -------------------------------------------------------------------------


def test_zero_start_value_has_no_rate_and_a_note():
    values = make_values({"x": [("A", 2016, 0.0), ("A", 2017, 5.0), ("A", 2018, 7.0)]})
    table = trend_table(values, BASES, INDICATORS)
    cagr, note = growth(table, "all")
    assert math.isnan(cagr)
    assert note == "start value is zero (2016)"


def test_negative_start_value_has_no_rate_and_a_note():
    values = make_values({"x": [("A", 2016, -3.0), ("A", 2017, 5.0), ("A", 2018, 6.0)]})
    cagr, note = growth(trend_table(values, BASES, INDICATORS), "all")
    assert math.isnan(cagr)
    assert note == "start value is negative (2016: -3)"


def test_negative_end_value_has_no_rate_and_a_note():
    values = make_values({"x": [("A", 2016, 4.0), ("A", 2018, -2.0)]})
    cagr, note = growth(trend_table(values, BASES, INDICATORS), "all")
    assert math.isnan(cagr)
    assert note == "end value is negative (2018: -2)"


def test_zero_end_value_is_minus_one_hundred_percent():
    values = make_values({"x": [("A", 2016, 4.0), ("A", 2018, 0.0)]})
    cagr, note = growth(trend_table(values, BASES, INDICATORS), "all")
    # (0 / 4) ** (1 / 2) - 1 = -1
    assert cagr == -1.0
    assert note is None


def test_single_year_with_a_value_keeps_every_year_of_the_range():
    values = make_values({"x": X_ROWS, "y": [("A", 2017, 5.0)]})
    table = trend_table(values, BASES, make_indicators("x", "y"))
    figures, counts = cell(table, "all", "y")
    assert_figures(figures, [NAN, 5.0, NAN])
    assert counts == [0, 1, 0]
    cagr, note = growth(table, "all", "y")
    assert math.isnan(cagr)
    assert note == "only one year with a value (2017)"
    row = table.growth[table.growth.indicator == "y"]
    assert row[["first_year", "last_year"]].iloc[0].tolist() == [2017, 2017]


def test_poster_growth_of_three_years():
    # The poster's trend table: 11740, 12158, 13598 over 2016-2018, printed as 7.6%.
    # (13598 / 11740) ** (1 / 2) - 1 = 1.158262... ** 0.5 - 1 = 0.0762259757...
    values = make_values({"x": [("A", 2016, 11740.0), ("A", 2017, 12158.0), ("A", 2018, 13598.0)]})
    cagr, note = growth(trend_table(values, BASES, INDICATORS), "all")
    assert cagr == pytest.approx(0.07622597577691, rel=1e-12)
    assert f"{cagr:.1%}" == "7.6%"
    assert note is None


# --- groups -----------------------------------------------------------------------------------


def test_by_category():
    table = trend_table(VALUES, BASES, INDICATORS, by="category")
    assert table.by == "category"
    # reference order: region, university_institute, enterprise
    assert table.growth["group"].tolist() == ["region", "university_institute", "enterprise"]
    # region = A, B: 2016 (10 + 0) / 2 = 5; 2017 A 20; 2018 (30 + 40) / 2 = 35
    assert_figures(cell(table, "region")[0], [5.0, 20.0, 35.0])
    assert cell(table, "region")[1] == [2, 1, 2]
    # (35 / 5) ** (1 / 2) - 1 = sqrt(7) - 1
    assert growth(table, "region")[0] == pytest.approx(math.sqrt(7) - 1, rel=1e-12)
    # university_institute = D: 2, empty, 4 -> (4 / 2) ** (1 / 2) - 1 = sqrt(2) - 1
    assert_figures(cell(table, "university_institute")[0], [2.0, NAN, 4.0])
    assert cell(table, "university_institute")[1] == [1, 0, 1]
    assert growth(table, "university_institute")[0] == pytest.approx(math.sqrt(2) - 1)
    # enterprise = C: -, 6, 10 -> first year 2017: 10 / 6 - 1 = 0.666...
    assert_figures(cell(table, "enterprise")[0], [NAN, 6.0, 10.0])
    assert growth(table, "enterprise")[0] == pytest.approx(10 / 6 - 1, rel=1e-12)


def test_by_subcategory():
    table = trend_table(VALUES, BASES, INDICATORS, by="subcategory")
    # reference order: urban_district, new_area, hitech_econ_zone, county, st_university, ...
    assert table.growth["group"].tolist() == ["new_area", "county", "st_university", "private"]
    assert_figures(cell(table, "new_area")[0], [0.0, NAN, 40.0])  # B
    assert growth(table, "new_area")[1] == "start value is zero (2016)"
    assert_figures(cell(table, "county")[0], [10.0, 20.0, 30.0])  # A
    assert growth(table, "county")[0] == pytest.approx(math.sqrt(3) - 1, rel=1e-12)
    assert_figures(cell(table, "private")[0], [NAN, 6.0, 10.0])  # C


def test_by_province():
    table = trend_table(VALUES, BASES, INDICATORS, by="province")
    # GB/T 2260 order: 11, 14, 21, 44
    assert table.growth["group"].tolist() == ["11", "14", "21", "44"]
    assert_figures(cell(table, "44")[0], [2.0, NAN, 4.0])  # D
    assert cell(table, "44")[1] == [1, 0, 1]


def test_by_region_derived_from_province():
    table = trend_table(VALUES, BASES, INDICATORS, by="region")
    assert table.growth["group"].tolist() == ["east", "central", "northeast"]
    # east = A, D: 2016 (10 + 2) / 2 = 6; 2017 A 20 (D empty); 2018 (30 + 4) / 2 = 17
    assert_figures(cell(table, "east")[0], [6.0, 20.0, 17.0])
    assert cell(table, "east")[1] == [2, 1, 2]
    # (17 / 6) ** (1 / 2) - 1 = 0.68325...
    assert growth(table, "east")[0] == pytest.approx(math.sqrt(17 / 6) - 1, rel=1e-12)
    assert_figures(cell(table, "central")[0], [0.0, NAN, 40.0])  # B


def test_by_region_group():
    table = trend_table(VALUES, BASES, INDICATORS, by="region_group")
    # B (Shanxi, central) falls in central_west
    assert table.growth["group"].tolist() == ["east", "central_west", "northeast"]
    assert_figures(cell(table, "east")[0], [6.0, 20.0, 17.0])  # as by region
    assert_figures(cell(table, "central_west")[0], [0.0, NAN, 40.0])


def test_by_batch_groups_are_strings():
    table = trend_table(VALUES, BASES, INDICATORS, by="batch")
    assert table.growth["group"].tolist() == ["2016", "2017"]
    # 2016 = A, D: as east above
    assert_figures(cell(table, "2016")[0], [6.0, 20.0, 17.0])
    # 2017 = B, C: 2016 B 0; 2017 C 6; 2018 (40 + 10) / 2 = 25
    assert_figures(cell(table, "2017")[0], [0.0, 6.0, 25.0])
    assert cell(table, "2017")[1] == [1, 1, 2]
    assert growth(table, "2017")[1] == "start value is zero (2016)"


def test_rows_follow_the_order_of_the_indicators_frame():
    values = make_values({"x": X_ROWS, "y": [("A", 2017, 5.0)], "z": []})
    table = trend_table(values, BASES, make_indicators("y", "z", "x"))
    # z has no value: no rows
    assert table.growth["indicator"].tolist() == ["y", "x"]
    assert table.yearly["indicator"].tolist() == ["y"] * 3 + ["x"] * 3
    assert table.yearly["year"].tolist() == [2016, 2017, 2018] * 2


def test_result_columns_and_types():
    table = trend_table(VALUES, BASES, INDICATORS, by="region")
    assert list(table.yearly.columns) == ["indicator", "group", "year", "value", "n"]
    assert list(table.growth.columns) == [
        "indicator",
        "group",
        "first_year",
        "last_year",
        "cagr",
        "cagr_note",
    ]
    assert table.yearly["year"].dtype == np.int64
    assert table.yearly["n"].dtype == np.int64
    assert table.yearly["value"].dtype == np.float64
    assert str(table.growth["first_year"].dtype) == "Int64"
    # 3 groups x 3 years
    assert len(table.yearly) == 9


# --- inputs -----------------------------------------------------------------------------------


def test_categorical_input_gives_the_same_table_as_object_input():
    values = make_values({"x": X_ROWS, "y": X_ROWS[:5]})
    categorical = values.astype({"base_code": "category", "indicator_code": "category"})
    # spare categories nobody uses are allowed
    categorical["base_code"] = categorical["base_code"].cat.add_categories(["Z"])
    indicators = make_indicators("x", "y", stat="median")
    for by in (None, "subcategory", "batch"):
        plain = trend_table(values, BASES, indicators, by=by)
        fast = trend_table(categorical, BASES, indicators, by=by)
        pd.testing.assert_frame_equal(plain.yearly, fast.yearly)
        pd.testing.assert_frame_equal(plain.growth, fast.growth)
        assert plain.years == fast.years


def test_inputs_are_not_modified():
    values = VALUES.astype({"base_code": "category"})
    bases = BASES.copy()
    indicators = INDICATORS.copy()
    before = (values.copy(deep=True), bases.copy(deep=True), indicators.copy(deep=True))
    trend_table(values, bases, indicators, by="region", balanced=True, year_from=2017)
    trend_table(values, bases, indicators, stat="median")
    pd.testing.assert_frame_equal(values, before[0])
    pd.testing.assert_frame_equal(bases, before[1])
    pd.testing.assert_frame_equal(indicators, before[2])
    assert "region" not in bases.columns


@pytest.mark.parametrize("by", ["city", "code", "Region"])
def test_bad_by_is_refused(by):
    with pytest.raises(ValueError, match="allowed: category, subcategory, province"):
        trend_table(VALUES, BASES, INDICATORS, by=by)


@pytest.mark.parametrize("stat", ["average", "max", "Mean"])
def test_bad_stat_is_refused(stat):
    with pytest.raises(ValueError, match="allowed: mean, median, sum"):
        trend_table(VALUES, BASES, INDICATORS, stat=stat)


def test_bad_stat_in_the_indicators_frame_is_refused():
    indicators = pd.DataFrame({"code": ["x"], "stat": ["mode"]})
    with pytest.raises(ValueError, match="'mode' of 'x'"):
        trend_table(VALUES, BASES, indicators)


def test_unknown_indicator_is_refused():
    values = make_values({"x": X_ROWS, "w": [("A", 2016, 1.0)]})
    with pytest.raises(ValueError, match=r"indicator_code.*not in indicators: w"):
        trend_table(values, BASES, INDICATORS)


def test_unknown_bases_are_refused_and_listed():
    values = make_values({"x": [*X_ROWS, ("Q1", 2016, 1.0), ("Q2", 2017, 2.0)]})
    with pytest.raises(ValueError, match=r"base_code.*not in bases: Q1, Q2"):
        trend_table(values, BASES, INDICATORS)


def test_year_from_after_year_to_is_refused():
    with pytest.raises(ValueError, match="year_from=2018 is after year_to=2016"):
        trend_table(VALUES, BASES, INDICATORS, year_from=2018, year_to=2016)


# issue 13: to=2147483648 grew the server to 23.6 GB. The cases below fail fast on the code
# before the fix (it returned a table of every year); a range of billions of years would
# exhaust the machine there instead of failing.
@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ({"year_from": 1000, "year_to": 2000}, "the years 1000-2000 span 1001 years"),
        ({"year_from": 1017}, "the years 1017-2018 span 1002 years"),
        ({"year_to": 3016}, "the years 2016-3016 span 1001 years"),
    ],
)
def test_an_absurd_range_of_years_is_refused_before_allocating(bounds, message):
    with pytest.raises(ValueError, match=message + "; at most 1000 are allowed"):
        trend_table(VALUES, BASES, INDICATORS, **bounds)


def test_values_spanning_an_absurd_range_are_refused():
    values = make_values({"x": [("A", 2016, 1.0), ("A", 5000, 2.0)]})
    with pytest.raises(ValueError, match="the years 2016-5000 span 2985 years"):
        trend_table(values, BASES, INDICATORS)


def test_the_longest_range_allowed_is_a_thousand_years():
    table = trend_table(VALUES, BASES, INDICATORS, year_from=1019, year_to=2018)
    assert len(table.years) == 1000
    assert (table.years[0], table.years[-1]) == (1019, 2018)


# --- JSON -------------------------------------------------------------------------------------


def test_json_shape():
    values = make_values({"x": X_ROWS, "y": [("A", 2017, 5.0)]})
    document = trend_table(values, BASES, make_indicators("x", "y")).to_json_dict()
    assert list(document) == ["rows"]
    assert len(document["rows"]) == 2
    first, second = document["rows"]
    assert list(first) == ["indicator", "group", "values", "n", "cagr", "cagr_note"]
    assert first["indicator"] == "x"
    assert first["group"] == "all"
    assert first["values"] == {"2016": 4.0, "2017": 13.0, "2018": 21.0}
    assert first["n"] == {"2016": 3, "2017": 2, "2018": 4}
    assert first["cagr"] == pytest.approx(math.sqrt(5.25) - 1, rel=1e-12)
    assert type(first["cagr"]) is float
    assert first["cagr_note"] is None
    assert second == {
        "indicator": "y",
        "group": "all",
        "values": {"2016": None, "2017": 5.0, "2018": None},
        "n": {"2016": 0, "2017": 1, "2018": 0},
        "cagr": None,
        "cagr_note": "only one year with a value (2017)",
    }
    assert all(type(k) is int for k in first["n"].values())


def test_json_keeps_full_precision():
    values = make_values({"x": [("A", 2016, 1.0), ("B", 2016, 2.0), ("D", 2016, 2.0)]})
    document = trend_table(values, BASES, INDICATORS).to_json_dict()
    # (1 + 2 + 2) / 3 = 1.6666666666666667, not rounded
    assert document["rows"][0]["values"]["2016"] == 5 / 3


# --- renderers --------------------------------------------------------------------------------

POSTER = make_values(
    {
        "new_market_entities": [
            ("A", 2016, 11740.0),
            ("A", 2017, 12158.0),
            ("A", 2018, 13598.0),
        ],
        "new_urban_employment": [("A", 2017, 1.25)],
    }
)


def poster_table() -> TrendTable:
    return trend_table(POSTER, BASES, builtin_indicators_frame())


def test_text_table_is_bilingual_with_growth_and_notes():
    text = trends_to_text(poster_table(), builtin_indicators_frame())
    assert "新增市场主体数量" in text
    assert "Newly established market entities" in text
    assert "全部" in text and "All" in text
    assert "11,740" in text and "13,598" in text
    assert "n=1" in text
    assert "7.6%" in text
    # decimals = 1 for new_urban_employment: 1.25 is shown with one decimal
    assert "1.2" in text
    assert "—[1]" in text
    assert "[1] Newly employed urban population, All: only one year with a value (2017)" in text


def test_text_table_columns_line_up_with_wide_characters():
    lines = trends_to_text(poster_table(), builtin_indicators_frame()).splitlines()
    # the first figure line and the header end their 2018 column at the same terminal column
    header, figures = lines[0], lines[3]
    assert _display_width("新增") == 4
    end_of_2018 = _display_width(header[: header.index("2018") + 4])
    assert _display_width(figures[: figures.index("13,598") + 6]) == end_of_2018


def test_csv_parses_back_at_full_precision():
    text = trends_to_csv(poster_table())
    wide = pd.read_csv(io.StringIO(text))
    assert list(wide.columns) == [
        "indicator",
        "group",
        "2016",
        "2017",
        "2018",
        "n_2016",
        "n_2017",
        "n_2018",
        "cagr",
        "cagr_note",
    ]
    first = wide.iloc[0]
    assert first["indicator"] == "new_market_entities"
    assert first["2016"] == 11740.0
    assert first["n_2018"] == 1
    assert first["cagr"] == poster_table().growth["cagr"].iloc[0]
    second = wide.iloc[1]
    assert math.isnan(second["2016"])
    assert second["cagr_note"] == "only one year with a value (2017)"


def test_xlsx_has_bilingual_headers_and_numeric_cells():
    data = trends_to_xlsx(poster_table(), builtin_indicators_frame())
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header_zh = [c.value for c in sheet[1]]
    header_en = [c.value for c in sheet[2]]
    assert "指标" in header_zh and "年均增长率" in header_zh
    assert "Indicator" in header_en and "Average annual growth" in header_en
    row = [c for c in sheet[3]]
    assert row[0].value == "new_market_entities"
    assert row[1].value == "新增市场主体数量"
    column_2016 = header_en.index("2016")
    assert row[column_2016].value == 11740
    assert isinstance(row[column_2016].value, float | int)
    assert row[header_en.index("n 2018")].value == 1
    growth_cell = row[header_en.index("Average annual growth")]
    assert growth_cell.value == pytest.approx(0.07622597577691, rel=1e-12)
    assert growth_cell.number_format == "0.0%"
    missing = sheet[4][column_2016]
    assert missing.value is None


def test_unknown_bases_beyond_ten_are_counted():
    strangers = [(f"Q{k:02d}", 2016, 1.0) for k in range(12)]
    values = make_values({"x": [*X_ROWS, *strangers]})
    with pytest.raises(ValueError, match=r"Q00, Q01, .*, Q09 and 2 more$"):
        trend_table(values, BASES, INDICATORS)


def test_empty_or_absent_stat_means_mean():
    indicators = pd.DataFrame({"code": ["x", "y"], "stat": pd.array([None, ""], dtype="string")})
    values = make_values({"x": X_ROWS, "y": X_ROWS})
    table = trend_table(values, BASES, indicators)
    assert table.stats == {"x": "mean", "y": "mean"}
    assert trend_table(VALUES, BASES, pd.DataFrame({"code": ["x"]})).stats == {"x": "mean"}
