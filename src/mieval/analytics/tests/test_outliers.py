"""Outlier tests: the modified z-score, the history and peer tests, and data_check.

Expected values are worked out by hand in the comments; the MAD = 0 case uses the data of a
published question (source named next to it)."""

import math

import numpy as np
import pandas as pd
import pytest

from mieval.analytics.check import data_check
from mieval.analytics.outliers import (
    modified_z_scores,
    outliers_history,
    outliers_peers,
    peer_scores,
)
from mieval.analytics.validation import PROBLEM_COLUMNS, OutlierSettings, RuleSet


def values_of(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["base_code", "indicator_code", "year", "value"])


def bases_of(codes, subcategory="st_university", category="university_institute"):
    return pd.DataFrame({"code": codes, "category": category, "subcategory": subcategory})


def keys(problems: pd.DataFrame) -> list[tuple]:
    return list(
        problems[["base_code", "indicator_code", "year", "rule", "severity"]].itertuples(
            index=False, name=None
        )
    )


# --- the modified z-score --------------------------------------------------------------------


def test_modified_z_by_mad():
    # median 3; |x - 3| = 2, 1, 0, 1, 97, whose median (MAD) is 1;
    # M = 0.6745 (x - 3) / 1 = -1.349, -0.6745, 0, 0.6745, 0.6745 * 97 = 65.4265
    assert modified_z_scores([1, 2, 3, 4, 100]).tolist() == pytest.approx(
        [-1.349, -0.6745, 0.0, 0.6745, 65.4265], abs=1e-12
    )


def test_modified_z_falls_back_to_meanad_when_mad_is_zero():
    # Data of "Iglewicz and Hoaglin outlier test with modified z-scores - What should I do if
    # the MAD becomes 0?", https://stats.stackexchange.com/q/339932: [10] * 7 + [100].
    # median 10, MAD 0 (seven deviations of 0); MeanAD = 90 / 8 = 11.25;
    # M(100) = 90 / (1.253314 * 11.25) = 90 / 14.0997825 = 6.3830772
    scores = modified_z_scores([10] * 7 + [100])

    assert scores[:7].tolist() == [0.0] * 7
    assert scores[7] == pytest.approx(6.3830772, abs=1e-7)


def test_modified_z_of_equal_values_is_zero():
    # MAD = MeanAD = 0: nothing differs from the common value.
    assert modified_z_scores([7, 7, 7, 7, 7]).tolist() == [0.0] * 5


# --- peers -----------------------------------------------------------------------------------


def test_peers_on_the_log_scale_by_hand():
    # Values chosen so that y = ln(1 + x) is 1, 2, 3, 4, 5, 12: x = e^y - 1.
    codes = ["U1", "U2", "U3", "U4", "U5", "U6"]
    ys = [1, 2, 3, 4, 5, 12]
    values = values_of(
        *[(c, "patents_granted", 2017, math.expm1(y)) for c, y in zip(codes, ys, strict=True)]
    )
    # median (3 + 4) / 2 = 3.5; |y - 3.5| = 2.5 1.5 0.5 0.5 1.5 8.5, median 1.5 = MAD;
    # M = 0.6745 (y - 3.5) / 1.5: y = 1 gives -1.1241667, y = 12 gives 3.8221667 > 3.5.
    scores = peer_scores(values, bases_of(codes))
    assert scores["z"].tolist() == pytest.approx([0.6745 * (y - 3.5) / 1.5 for y in ys], abs=1e-12)
    assert scores["z"].iloc[5] == pytest.approx(3.8221667, abs=1e-7)
    assert scores["mad"].iloc[0] == pytest.approx(1.5, abs=1e-12)

    problems = outliers_peers(values, bases_of(codes))

    assert keys(problems) == [("U6", "patents_granted", 2017, "outlier_peers", "warning")]
    assert problems["message"][0] == (
        "Patents granted: 162,754 in 2017 against a peer median of 36.3418 (6 S&T university"
        " bases); modified z = +3.82 on ln(1 + x), beyond ±3.5."
    )
    # Median of the raw values: (e^3 - 1 + e^4 - 1) / 2 = (19.0855 + 53.5982) / 2 = 36.3418;
    # the message shows the raw median, not e^3.5 - 1.
    assert scores["median"].iloc[0] == pytest.approx((math.expm1(3) + math.expm1(4)) / 2)


def test_peers_small_groups_are_not_judged():
    codes = ["U1", "U2", "U3"]
    figures = [1, 2, 900]
    values = values_of(
        *[(c, "patents_granted", 2017, v) for c, v in zip(codes, figures, strict=True)]
    )

    problems = outliers_peers(values, bases_of(codes))

    assert keys(problems) == [(c, "patents_granted", 2017, "outlier_peers", "info") for c in codes]
    assert problems["message"][0] == (
        "Patents granted, 2017: not compared with peers; group too small to judge (n=3 S&T"
        " university bases reported, at least 5 needed)."
    )
    # With min_size=3, 900 is judged: y = ln 2, ln 3, ln 901 = 0.6931, 1.0986, 6.8035;
    # median 1.0986, MAD = median(0.4055, 0, 5.7049) = 0.4055, M = 0.6745 * 5.7049 / 0.4055 = 9.49
    judged = outliers_peers(values, bases_of(codes), min_size=3)
    assert keys(judged) == [("U3", "patents_granted", 2017, "outlier_peers", "warning")]
    assert "modified z = +9.49" in judged["message"][0]


def test_peers_groups_are_subcategory_and_year():
    # Five county bases and five new-area bases, one year each: 100 among the counties' 1s
    # is an outlier, but the new areas are all around 100 and judged on their own.
    county = [f"C{i}" for i in range(5)]
    new = [f"N{i}" for i in range(5)]
    bases = pd.concat(
        [bases_of(county, "county", "region"), bases_of(new, "new_area", "region")],
        ignore_index=True,
    )
    county_figures, new_figures = [1, 1, 2, 1, 100], [90, 100, 110, 95, 105]
    rows = []
    for codes, figures in ((county, county_figures), (new, new_figures)):
        rows += [(c, "incubation_area", 2018, v) for c, v in zip(codes, figures, strict=True)]

    problems = outliers_peers(values_of(*rows), bases)

    assert keys(problems) == [("C4", "incubation_area", 2018, "outlier_peers", "warning")]


# --- history ---------------------------------------------------------------------------------


def test_history_log_ratio_gaps_and_zeros():
    rows = [
        # 10 -> (2017 missing) -> 100: ln 10 = 2.3026 > ln 5 = 1.6094, across the gap
        ("U1", "patents_granted", 2016, 10.0),
        ("U1", "patents_granted", 2018, 100.0),
        # 10 -> 49 (ln 4.9 = 1.589 < 1.6094) -> 250 (ln(250 / 49) = 1.6296 > 1.6094)
        ("U2", "patents_granted", 2016, 10.0),
        ("U2", "patents_granted", 2017, 49.0),
        ("U2", "patents_granted", 2018, 250.0),
        # 0 -> 4: 1 + 4 = 5 is not above 5; 4 -> 0: neither
        ("U3", "patents_granted", 2016, 0.0),
        ("U3", "patents_granted", 2017, 4.0),
        ("U3", "patents_granted", 2018, 0.0),
        # 0 -> 20: info; 20 -> 0: info
        ("U4", "national_talent", 2016, 0.0),
        ("U4", "national_talent", 2017, 20.0),
        ("U4", "national_talent", 2018, 0.0),
        # a missing value is no value
        ("U5", "national_talent", 2016, np.nan),
        ("U5", "national_talent", 2017, 1.0),
    ]
    values = values_of(*rows)
    before = values.copy()

    problems = outliers_history(values)

    assert list(problems.columns) == list(PROBLEM_COLUMNS)
    assert keys(problems) == [
        ("U1", "patents_granted", 2018, "outlier_history", "warning"),
        ("U2", "patents_granted", 2018, "outlier_history", "warning"),
        ("U4", "national_talent", 2017, "outlier_history", "info"),
        ("U4", "national_talent", 2018, "outlier_history", "info"),
    ]
    assert problems["message"][0] == (
        "Patents granted: 100 in 2018 against 10 in 2016 (no value in between), ×10; log ratio"
        " +2.30 is beyond ±1.61 (ln 5)."
    )
    assert problems["message_zh"][0] == (
        "专利授权数量：2018年为100，2016年为10（期间无数据），×10；对数比+2.30超出±1.61（ln 5）。"
    )
    pd.testing.assert_frame_equal(values, before)
    # A falling value: 100 -> 19 is x0.19, ln 0.19 = -1.66 < -1.61
    fall = outliers_history(values_of(("U1", "x", 2016, 100.0), ("U1", "x", 2017, 19.0)))
    assert "log ratio -1.66" in fall["message"][0]


# --- data_check ------------------------------------------------------------------------------


def test_data_check_reports_a_jump_once():
    codes = ["U1", "U2"]
    values = values_of(
        # 2016 -> 2017 x10: the change rule flags it; the history test would too
        ("U1", "national_talent", 2016, 10.0),
        ("U1", "national_talent", 2017, 100.0),
        # 2016 -> 2018 x10 across a gap: only the history test sees it
        ("U2", "national_talent", 2016, 10.0),
        ("U2", "national_talent", 2018, 100.0),
    )

    problems = data_check(values, bases_of(codes))

    assert keys(problems) == [
        ("U1", "national_talent", 2016, "outlier_peers", "info"),
        ("U1", "national_talent", 2017, "outlier_peers", "info"),
        ("U1", "national_talent", 2017, "yoy_change", "warning"),
        ("U2", "national_talent", 2016, "outlier_peers", "info"),
        ("U2", "national_talent", 2018, "outlier_history", "warning"),
        ("U2", "national_talent", 2018, "outlier_peers", "info"),
    ]
    quiet = RuleSet((), OutlierSettings(history=True, peers=False))
    assert [k[3] for k in keys(data_check(values, bases_of(codes), quiet))] == [
        "outlier_history",
        "outlier_history",
    ]
