"""Tests of the composition effect (``mieval trends --decompose``); no database.

Every expected number is worked out by hand from the small panel below, the arithmetic next to
it (DESIGN.md, "Rounds and the composition effect": ``within = M(C, now) - M(C, prev)``,
``entry = M(S_now, now) - M(C, now)``, ``exit = M(C, prev) - M(S_prev, prev)``). The values are
chosen so that every mean is exact in binary floating point, so the expected numbers and the
identity ``within + entry + exit == change`` are compared exactly (``==``).
"""

import io
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest

from mieval.core.trends.decompose import (
    DECOMPOSITION_COLUMNS,
    DecompositionNote,
    trend_decomposition,
)
from mieval.core.trends.render import trends_to_csv, trends_to_text, trends_to_xlsx
from mieval.core.trends.table import trend_table

NAN = math.nan

# A, B, C regions; D, E, F enterprises.
BASES = pd.DataFrame(
    {
        "code": list("ABCDEF"),
        "name_zh": ["甲", "乙", "丙", "丁", "戊", "己"],
        "category": ["region"] * 3 + ["enterprise"] * 3,
        "subcategory": ["county", "county", "new_area", "private", "private", "state_owned"],
        "province": ["11", "14", "21", "44", "51", "42"],
        "batch": [2016, 2016, 2017, 2016, 2016, 2020],
    }
)

# Indicator x         2016  2017  2018  2019
#   A                    8    10    12    16     every year
#   B                    4     6     -     -     leaves after 2017
#   C                    -     -    26    27     joins in 2018
#   D                    2     -    10     8     a gap: missing in 2017, enters again in 2018
#   E                   14   NaN     -     -     2017 reported empty: leaves after 2016
#   F                    -     -     -    30     joins in 2019
# Indicator y: A 2016 5, C 2017 7, nothing after (no base in common, then no base at all).
ROWS = {
    "x": [
        ("A", 2016, 8.0),
        ("A", 2017, 10.0),
        ("A", 2018, 12.0),
        ("A", 2019, 16.0),
        ("B", 2016, 4.0),
        ("B", 2017, 6.0),
        ("C", 2018, 26.0),
        ("C", 2019, 27.0),
        ("D", 2016, 2.0),
        ("D", 2018, 10.0),
        ("D", 2019, 8.0),
        ("E", 2016, 14.0),
        ("E", 2017, NAN),
        ("F", 2019, 30.0),
    ],
    "y": [("A", 2016, 5.0), ("C", 2017, 7.0)],
}
VALUES = pd.DataFrame(
    [
        {"base_code": base, "indicator_code": code, "year": year, "value": value}
        for code, rows in ROWS.items()
        for base, year, value in rows
    ]
)
# The stat is ignored: the decomposition is always of the mean.
INDICATORS = pd.DataFrame({"code": ["x", "y"], "stat": ["median", "sum"]})


def row(frame: pd.DataFrame, indicator: str, group: str, year: int) -> dict:
    [record] = frame[
        (frame.indicator == indicator) & (frame.group == group) & (frame.year == year)
    ].to_dict("records")
    return record


def parts(record: dict) -> tuple:
    return record["within"], record["entry"], record["exit"], record["change"]


def counts(record: dict) -> tuple:
    keys = ("n_prev", "n_now", "n_common", "n_entered", "n_exited")
    return tuple(record[k] for k in keys)


# --- all bases --------------------------------------------------------------------------------


def test_late_joiners_gap_and_exits_over_all_bases():
    # given the panel; when
    frame = trend_decomposition(VALUES, BASES, INDICATORS)

    # then one row per indicator and year after the first, in the trend table's order
    assert list(frame.columns) == DECOMPOSITION_COLUMNS
    assert list(zip(frame.indicator, frame.group, frame.year, strict=True)) == [
        ("x", "all", 2017),
        ("x", "all", 2018),
        ("x", "all", 2019),
        ("y", "all", 2017),
        ("y", "all", 2018),
        ("y", "all", 2019),
    ]

    # 2017: S_prev = {A 8, B 4, D 2, E 14}, M = 28 / 4 = 7; S_now = {A 10, B 6} (D missing,
    #       E empty), M = 16 / 2 = 8; C = {A, B}: M(C, 2017) = 8, M(C, 2016) = (8 + 4) / 2 = 6.
    #       within = 8 - 6 = 2, entry = 8 - 8 = 0, exit = 6 - 7 = -1; change 8 - 7 = 1.
    y2017 = row(frame, "x", "all", 2017)
    assert parts(y2017) == (2.0, 0.0, -1.0, 1.0)
    assert counts(y2017) == (4, 2, 2, 0, 2)
    assert (y2017["mean_prev"], y2017["mean_now"]) == (7.0, 8.0)
    assert y2017["note"] is None and y2017["note_code"] is None

    # 2018: S_prev = {A 10, B 6}, M = 8; S_now = {A 12, C 26, D 10}, M = 48 / 3 = 16;
    #       C = {A} (D is back after a gap: it enters): M(C, 2018) = 12, M(C, 2017) = 10.
    #       within = 12 - 10 = 2, entry = 16 - 12 = 4, exit = 10 - 8 = 2; change 16 - 8 = 8.
    y2018 = row(frame, "x", "all", 2018)
    assert parts(y2018) == (2.0, 4.0, 2.0, 8.0)
    assert counts(y2018) == (2, 3, 1, 2, 1)

    # 2019: S_prev = {A 12, C 26, D 10}, M = 16; S_now = {A 16, C 27, D 8, F 30}, M = 81 / 4
    #       = 20.25; C = {A, C, D}: M(C, 2019) = 51 / 3 = 17, M(C, 2018) = 48 / 3 = 16.
    #       within = 17 - 16 = 1, entry = 20.25 - 17 = 3.25, exit = 16 - 16 = 0; change 4.25.
    y2019 = row(frame, "x", "all", 2019)
    assert parts(y2019) == (1.0, 3.25, 0.0, 4.25)
    assert counts(y2019) == (3, 4, 3, 1, 0)


def test_the_three_parts_sum_to_the_change_exactly():
    frame = pd.concat(
        [
            trend_decomposition(VALUES, BASES, INDICATORS),
            trend_decomposition(VALUES, BASES, INDICATORS, by="category"),
        ]
    )

    # x over all bases 3 years, x of the regions 3, of the enterprises 2019 only.
    defined = frame[frame["within"].notna()]
    assert len(defined) == 7
    for record in defined.to_dict("records"):
        assert record["within"] + record["entry"] + record["exit"] == record["change"]
        assert record["change"] == record["mean_now"] - record["mean_prev"]


def test_the_means_are_the_trend_tables_means_whatever_the_stat():
    frame = trend_decomposition(VALUES, BASES, INDICATORS)
    table = trend_table(VALUES, BASES, INDICATORS, stat="mean")

    means = table.yearly[table.yearly.indicator == "x"]["value"].tolist()
    # 2016 7, 2017 8, 2018 16, 2019 20.25
    assert means == [7.0, 8.0, 16.0, 20.25]
    got = frame[frame.indicator == "x"]
    assert got["mean_prev"].tolist() == means[:-1]
    assert got["mean_now"].tolist() == means[1:]


# --- empty C: nulls and the note --------------------------------------------------------------


def test_no_common_base_gives_nulls_and_says_why():
    frame = trend_decomposition(VALUES, BASES, INDICATORS)

    # y 2017: A reported 2016 only, C 2017 only: both years have a base, none the same.
    disjoint = row(frame, "y", "all", 2017)
    assert [math.isnan(v) for v in parts(disjoint)[:3]] == [True, True, True]
    assert disjoint["change"] == 2.0  # 7 - 5: the means exist, their split does not
    assert counts(disjoint) == (1, 1, 0, 1, 1)
    assert disjoint["note_code"] == DecompositionNote.NO_COMMON_BASES
    assert disjoint["note"] == (
        "no base reported a value in both 2016 and 2017 (1 base in 2016, 1 base in 2017, "
        "none the same)"
    )
    # y 2018: C reported 2017, nobody 2018.
    gone = row(frame, "y", "all", 2018)
    assert gone["note_code"] == DecompositionNote.NO_VALUES_NOW
    assert gone["note"] == "no base reported a value in both 2017 and 2018 (none in 2018)"
    assert math.isnan(gone["change"])
    # y 2019: nobody in 2018 or 2019.
    none = row(frame, "y", "all", 2019)
    assert none["note_code"] == DecompositionNote.NO_VALUES
    assert none["note"] == "no base reported a value in both 2018 and 2019 (none in either year)"
    assert counts(none) == (0, 0, 0, 0, 0)


# --- groups, ranges, balanced ----------------------------------------------------------------


def test_by_category():
    frame = trend_decomposition(VALUES, BASES, INDICATORS, by="category")

    # region = A, B, C.
    # 2017: {A 8, B 4} M 6 -> {A 10, B 6} M 8, C = {A, B}: within 8 - 6 = 2, entry 0, exit 0.
    assert parts(row(frame, "x", "region", 2017)) == (2.0, 0.0, 0.0, 2.0)
    # 2018: {A 10, B 6} M 8 -> {A 12, C 26} M 19, C = {A}: within 12 - 10 = 2,
    #       entry 19 - 12 = 7, exit 10 - 8 = 2; change 11.
    assert parts(row(frame, "x", "region", 2018)) == (2.0, 7.0, 2.0, 11.0)
    # 2019: {A 12, C 26} M 19 -> {A 16, C 27} M 21.5, C = {A, C}: within 2.5, entry 0, exit 0.
    assert parts(row(frame, "x", "region", 2019)) == (2.5, 0.0, 0.0, 2.5)

    # enterprise = D, E, F.
    # 2017: {D 2, E 14} -> nobody (D missing, E empty).
    e2017 = row(frame, "x", "enterprise", 2017)
    assert e2017["note"] == "no base reported a value in both 2016 and 2017 (none in 2017)"
    assert counts(e2017) == (2, 0, 0, 0, 2)
    # 2018: nobody -> {D 10}.
    e2018 = row(frame, "x", "enterprise", 2018)
    assert e2018["note"] == "no base reported a value in both 2017 and 2018 (none in 2017)"
    assert e2018["note_code"] == DecompositionNote.NO_VALUES_PREV
    # 2019: {D 10} M 10 -> {D 8, F 30} M 19, C = {D}: within 8 - 10 = -2, entry 19 - 8 = 11,
    #       exit 10 - 10 = 0; change 9.
    assert parts(row(frame, "x", "enterprise", 2019)) == (-2.0, 11.0, 0.0, 9.0)

    # y: region only (A and C); no enterprise reported it, so no enterprise row.
    assert sorted(set(frame[frame.indicator == "y"]["group"])) == ["region"]


def test_a_range_decomposes_the_years_after_its_first():
    frame = trend_decomposition(VALUES, BASES, INDICATORS, year_from=2017, year_to=2019)

    assert frame[frame.indicator == "x"]["year"].tolist() == [2018, 2019]
    # 2018 does not depend on 2016: the same as over the whole range.
    assert parts(row(frame, "x", "all", 2018)) == (2.0, 4.0, 2.0, 8.0)


def test_a_range_beyond_the_data_has_rows_for_every_year():
    frame = trend_decomposition(VALUES, BASES, INDICATORS, year_from=2016, year_to=2020)

    y2020 = row(frame, "x", "all", 2020)
    assert y2020["note"] == "no base reported a value in both 2019 and 2020 (none in 2020)"


def test_balanced_has_no_entry_and_no_exit():
    # Only A reported x in every year: 8, 10, 12, 16.
    frame = trend_decomposition(VALUES, BASES, INDICATORS, balanced=True)

    x = frame[frame.indicator == "x"]
    assert x["within"].tolist() == [2.0, 2.0, 4.0]
    assert x["entry"].tolist() == [0.0, 0.0, 0.0]
    assert x["exit"].tolist() == [0.0, 0.0, 0.0]
    # y: no base reported every year.
    assert set(frame["indicator"]) == {"x"}


def test_balanced_entry_and_exit_are_zero_exactly_on_any_values():
    # given 50 bases with random values (sums not exact in binary), some missing
    rng = np.random.default_rng(7)
    bases = pd.DataFrame(
        {
            "code": [f"B{k:02d}" for k in range(50)],
            "category": rng.choice(["region", "enterprise"], 50),
        }
    )
    values = pd.MultiIndex.from_product(
        [bases["code"], ["x"], range(2016, 2022)], names=["base_code", "indicator_code", "year"]
    ).to_frame(index=False)
    values["value"] = rng.lognormal(3, 1.5, len(values))
    values.loc[rng.random(len(values)) < 0.15, "value"] = NAN
    indicators = pd.DataFrame({"code": ["x"]})

    frame = trend_decomposition(values, bases, indicators, by="category", balanced=True)

    assert len(frame) == 10  # 2 groups x 5 years
    assert (frame["entry"] == 0.0).all()
    assert (frame["exit"] == 0.0).all()
    assert (frame["n_entered"] == 0).all() and (frame["n_exited"] == 0).all()
    assert (frame["within"] == frame["change"]).all()


def test_the_parts_sum_to_the_change_to_rounding_on_any_values():
    rng = np.random.default_rng(3)
    bases = pd.DataFrame({"code": [f"B{k:03d}" for k in range(300)], "province": "11"})
    values = pd.MultiIndex.from_product(
        [bases["code"], ["x", "z"], range(2016, 2026)],
        names=["base_code", "indicator_code", "year"],
    ).to_frame(index=False)
    values["value"] = rng.lognormal(5, 2, len(values)) * rng.choice([-1, 1], len(values))
    values = values[rng.random(len(values)) > 0.3]  # a third of the values not reported

    frame = trend_decomposition(values, bases, pd.DataFrame({"code": ["x", "z"]}), by="region")

    assert len(frame) == 18 and frame["within"].notna().all()
    for record in frame.to_dict("records"):
        total = record["within"] + record["entry"] + record["exit"]
        assert math.isclose(total, record["change"], rel_tol=1e-12)


# --- inputs -----------------------------------------------------------------------------------


def test_one_year_or_no_values_give_an_empty_frame():
    one = trend_decomposition(VALUES[VALUES.year == 2016], BASES, INDICATORS)
    none = trend_decomposition(VALUES.iloc[:0], BASES, INDICATORS)

    for frame in (one, none):
        assert list(frame.columns) == DECOMPOSITION_COLUMNS
        assert len(frame) == 0


def test_the_input_is_not_modified():
    values = VALUES.copy()

    trend_decomposition(values, BASES, INDICATORS, by="category", balanced=True)

    pd.testing.assert_frame_equal(values, VALUES)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"by": "colour"}, "by='colour' is not a base field to group by"),
        ({"year_from": 2019, "year_to": 2017}, "year_from=2019 is after year_to=2017"),
    ],
)
def test_bad_options_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        trend_decomposition(VALUES, BASES, INDICATORS, **options)


def test_unknown_base_is_refused():
    values = pd.concat([VALUES, pd.DataFrame([("Z", "x", 2016, 1.0)], columns=VALUES.columns)])

    with pytest.raises(ValueError, match="codes not in bases: Z"):
        trend_decomposition(values, BASES, INDICATORS)


# --- the JSON document and the renderers ------------------------------------------------------


def test_json_rows_carry_the_decomposition():
    table = trend_table(VALUES, BASES, INDICATORS, stat="mean")
    frame = trend_decomposition(VALUES, BASES, INDICATORS)

    document = table.to_json_dict(decomposition=frame)

    x, y = document["rows"]
    assert x["decomposition"] == {
        "2017": {"within": 2.0, "entry": 0.0, "exit": -1.0, "note": None},
        "2018": {"within": 2.0, "entry": 4.0, "exit": 2.0, "note": None},
        "2019": {"within": 1.0, "entry": 3.25, "exit": 0.0, "note": None},
    }
    assert y["decomposition"]["2017"] == {
        "within": None,
        "entry": None,
        "exit": None,
        "note": "no base reported a value in both 2016 and 2017 (1 base in 2016, 1 base in "
        "2017, none the same)",
    }
    # Without it, the document is the plain trend table's.
    assert "decomposition" not in table.to_json_dict()["rows"][0]


def test_csv_has_the_three_parts_and_the_note_per_year():
    table = trend_table(VALUES, BASES, INDICATORS, stat="mean")
    frame = trend_decomposition(VALUES, BASES, INDICATORS)

    lines = trends_to_csv(table, frame).splitlines()

    assert lines[0] == (
        "indicator,group,2016,2017,2018,2019,n_2016,n_2017,n_2018,n_2019,cagr,cagr_note,"
        "within_2017,entry_2017,exit_2017,decomposition_note_2017,"
        "within_2018,entry_2018,exit_2018,decomposition_note_2018,"
        "within_2019,entry_2019,exit_2019,decomposition_note_2019"
    )
    assert lines[1].endswith(",2.0,0.0,-1.0,,2.0,4.0,2.0,,1.0,3.25,0.0,")
    assert lines[2].split(",")[12:16] == [
        "",
        "",
        "",
        '"no base reported a value in both 2016 and 2017 (1 base in 2016',
    ]


def test_text_shows_the_split_per_year_with_notes():
    table = trend_table(VALUES, BASES, INDICATORS, stat="mean")
    frame = trend_decomposition(VALUES, BASES, INDICATORS)
    labels = pd.DataFrame(
        {"code": ["x", "y"], "name_zh": ["甲指标", "乙指标"], "name_en": ["Ex", "Why"]}
    )

    text = trends_to_text(table, labels, frame)

    section = text.split("\n\n", 1)[1].splitlines()
    assert section[0].startswith("构成效应")
    assert section[1].startswith("Composition effect")
    body = [" ".join(line.split()) for line in section[5:11]]
    assert body == [
        "甲指标 全部 2017 +1.0 +2.0 0 -1.0 2/0/2",
        "Ex All 2018 +8.0 +2.0 +4.0 +2.0 1/2/1",
        "2019 +4.2 +1.0 +3.2 0 3/1/0",
        "乙指标 全部 2017 +2.0 —[1] — — 0/1/1",
        "Why All 2018 — —[2] — — 0/0/1",
        "2019 — —[3] — — 0/0/0",
    ]
    assert section[-3:] == [
        "[1] Why, All, 2017: no base reported a value in both 2016 and 2017 (1 base in 2016, "
        "1 base in 2017, none the same)",
        "[2] Why, All, 2018: no base reported a value in both 2017 and 2018 (none in 2018)",
        "[3] Why, All, 2019: no base reported a value in both 2018 and 2019 (none in either year)",
    ]


def test_xlsx_has_a_composition_sheet():
    table = trend_table(VALUES, BASES, INDICATORS, stat="mean")
    frame = trend_decomposition(VALUES, BASES, INDICATORS)
    labels = pd.DataFrame({"code": ["x", "y"], "name_zh": ["甲", "乙"], "name_en": ["X", "Y"]})

    book = openpyxl.load_workbook(io.BytesIO(trends_to_xlsx(table, labels, frame)))

    assert book.sheetnames == ["趋势 Trends", "构成效应 Composition"]
    sheet = book["构成效应 Composition"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:7] == ("Indicator code", "Indicator (Chinese)", "Indicator", "Group",
                           "Group (Chinese)", "Group name", "Year")  # fmt: skip
    assert len(rows) == 2 + 6
    # x 2018: means 8 -> 16, change 8 = within 2 + entry 4 + exit 2; bases 2, 3, 1, 2, 1.
    assert rows[3] == ("x", "甲", "X", "all", "全部", "All", 2018, 8, 16, 8, 2, 4, 2,
                       2, 3, 1, 2, 1, None)  # fmt: skip
    assert rows[7][-1] == ("no base reported a value in both 2018 and 2019 (none in either year)")
