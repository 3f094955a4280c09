"""Outlier tests: the peer test's scale, the history and peer tests, and data_check.

Expected values are worked out by hand in the comments; the MAD = 0 case uses the data of a
published question (source named next to it)."""

import math

import numpy as np
import pandas as pd
import pytest

from mieval.core.checks.outliers import (
    PEER_CUTOFF_FACTORS,
    others_median,
    outliers_history,
    outliers_peers,
    peer_cutoff,
    peer_scores,
    robust_scale,
)
from mieval.core.checks.rules import PROBLEM_COLUMNS, CheckRules, OutlierSettings
from mieval.core.checks.run import data_check
from mieval.core.robust import qn_scale


def values_of(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["base_code", "indicator_code", "year", "value"])


def bases_of(codes, subcategory="st_university", category="university_institute"):
    return pd.DataFrame({"code": codes, "category": category, "subcategory": subcategory})


def keys(problems: pd.DataFrame) -> list[tuple]:
    return [
        (b, i, None if pd.isna(y) else int(y), r, s)
        for b, i, y, r, s in problems[
            ["base_code", "indicator_code", "year", "rule", "severity"]
        ].itertuples(index=False, name=None)
    ]


# --- the statistics --------------------------------------------------------------------------


def test_robust_scale_falls_back_to_meanad_when_qn_is_zero():
    # Data of "Iglewicz and Hoaglin outlier test with modified z-scores - What should I do if
    # the MAD becomes 0?", https://stats.stackexchange.com/q/339932: [10] * 7 + [100].
    # Qn: 21 of the 28 distances are 0, k = C(5, 2) = 10: 0. MeanAD = 90 / 8 = 11.25;
    # 1.253314 * 11.25 = 14.0997825
    assert qn_scale([10] * 7 + [100]) == 0
    assert robust_scale([10] * 7 + [100]) == pytest.approx(14.0997825, abs=1e-7)
    assert robust_scale([7, 7, 7, 7, 7]) == 0


def test_others_median_by_hand():
    # group 0: without 1, median of 2 4 9 is 4; without 9, of 1 2 4 is 2; group 1: alone.
    # group 2 (two others): the mean of the two.
    keys_ = np.array([0, 0, 0, 0, 1, 2, 2, 2])
    y = np.array([1.0, 2.0, 4.0, 9.0, 5.0, 1.0, 3.0, 10.0])
    result = others_median(keys_, y)
    assert result[:4].tolist() == [4.0, 4.0, 2.0, 2.0]
    assert math.isnan(result[4])
    assert result[5:].tolist() == [6.5, 5.5, 2.0]


def test_peer_cutoff_grows_for_small_pools():
    # f_N simulated (bench/check.py --cutoffs): the cut-off 3.3 holds for large pools only
    assert peer_cutoff(6) == pytest.approx(3.3 * 2.510)
    assert peer_cutoff(20) == pytest.approx(3.3 * 1.142)
    assert peer_cutoff(500) == peer_cutoff(50) == pytest.approx(3.3 * PEER_CUTOFF_FACTORS[50])
    assert peer_cutoff(2) == math.inf


# --- peers -----------------------------------------------------------------------------------


def test_peers_by_hand():
    # y = ln(1 + x): 4.61512 4.70953 4.79579 4.87520 4.94876 8.51739; each against the median
    # of the other five: U1 4.61512 - 4.87520 = -0.26008, U2 -0.16567, U3 -0.07941,
    # U4 4.87520 - 4.79579 = +0.07941, U5 +0.15297, U6 8.51739 - 4.79579 = +3.72160.
    # Qn of the six positions: h = 4, k = 6; distances sorted 0.07356 0.08626 0.09441 0.15882
    # 0.18067 0.23238: Qn = 0.611 * 2.2219 * 0.23238 = 0.315469; z(U6) = 11.797.
    codes = ["U1", "U2", "U3", "U4", "U5", "U6"]
    figures = [100, 110, 120, 130, 140, 5000]
    values = values_of(
        *[(c, "patents_granted", 2018, v) for c, v in zip(codes, figures, strict=True)]
    )

    scores = peer_scores(values, bases_of(codes))

    assert scores["deviation"].tolist() == pytest.approx(
        [-0.260077, -0.165667, -0.079407, 0.079407, 0.152969, 3.721603], abs=1e-6
    )
    assert scores["others_median"].tolist() == [130, 130, 130, 120, 120, 120]
    assert scores["scale"].iloc[0] == pytest.approx(0.315469, abs=1e-6)
    assert scores["z"].iloc[5] == pytest.approx(11.797, abs=1e-3)
    assert scores["cutoff"].iloc[0] == pytest.approx(8.283)  # 3.3 * f_6 = 3.3 * 2.510
    assert scores["pool"].iloc[0] == 6
    problems = outliers_peers(values, bases_of(codes))
    assert keys(problems) == [("U6", "patents_granted", 2018, "outlier_peers", "warning")]


def test_a_base_simply_large_every_year_is_reported_once_as_information():
    # Nine bases 100 ... 180 and one of 20,000, each growing 10% a year, 2016-2018; a new base
    # of 24,200 in 2018 only; B5 forty-fold in 2018 alone.
    codes = [f"B{i}" for i in range(1, 10)] + ["BIG", "NEW"]
    rows = []
    for t, year in enumerate((2016, 2017, 2018)):
        growth = 1.1**t
        rows += [(f"B{i}", "patents_granted", year, (90 + 10 * i) * growth) for i in range(1, 10)]
        rows.append(("BIG", "patents_granted", year, 20000 * growth))
    rows.append(("NEW", "patents_granted", 2018, 24200.0))
    rows = [(b, c, y, v * 40 if (b, y) == ("B5", 2018) else v) for b, c, y, v in rows]

    problems = outliers_peers(values_of(*rows), bases_of(codes))

    assert keys(problems) == [
        ("B5", "patents_granted", 2018, "outlier_peers", "warning"),
        ("BIG", "patents_granted", None, "outlier_peers", "info"),
        ("NEW", "patents_granted", 2018, "outlier_peers", "warning"),
    ]
    big = problems[problems["base_code"] == "BIG"]
    assert (
        big["message"]
        .iloc[0]
        .startswith(
            "Patents granted: far above the other S&T university bases in 2016, 2017, 2018 (z = +"
        )
    )
    assert (
        big["message"]
        .iloc[0]
        .endswith(
            "on ln(1 + x)), by about the same factor as in its other years: a stable position, not"
            " an outlier."
        )
    )


def test_peers_small_groups_are_not_judged():
    codes = ["U1", "U2"]
    values = values_of(("U1", "patents_granted", 2017, 1), ("U2", "patents_granted", 2017, 900))

    problems = outliers_peers(values, bases_of(codes))

    assert keys(problems) == [(c, "patents_granted", 2017, "outlier_peers", "info") for c in codes]
    assert problems["message"][0] == (
        "Patents granted, 2017: not compared with peers; group too small to judge (n=2 S&T"
        " university bases reported, at least 3 needed)."
    )
    with pytest.raises(ValueError, match="min_size: 2 is not allowed"):
        outliers_peers(values, bases_of(codes), min_size=2)


def test_peers_groups_are_subcategory_and_year():
    # Five county bases and five new-area bases, one year each: 100 among the counties' 1s to
    # 2s is an outlier; the new areas are all around 100 and judged against each other.
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


def test_history_is_judged_against_the_groups_change():
    # Hidiroglou-Berthelot's centring: three county bases rose six-fold from 2016 to 2017 and
    # one stayed; the median log ratio is ln 6 = 1.7918, so the three are the group's change
    # and the one that stayed departs from it by -1.79, beyond ln 5 = 1.61.
    codes = ["C1", "C2", "C3", "C4"]
    rows = [(c, "incubation_area", 2016, 10.0) for c in codes]
    rows += [(c, "incubation_area", 2017, 60.0) for c in codes[:3]]
    rows += [("C4", "incubation_area", 2017, 10.0)]
    values = values_of(*rows)

    centred = outliers_history(values, bases_of(codes, "county", "region"))
    plain = outliers_history(values)

    assert keys(centred) == [("C4", "incubation_area", 2017, "outlier_history", "warning")]
    assert centred["message"][0] == (
        "Incubation platform carrier area: 10 in 2017 against 10 in 2016, ×1; against the median"
        " change of the 4 County bases (×6), log ratio -1.79 is beyond ±1.61 (ln 5)."
    )
    assert [k[0] for k in keys(plain)] == ["C1", "C2", "C3"]


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
    quiet = CheckRules((), OutlierSettings(history=True, peers=False))
    assert [k[3] for k in keys(data_check(values, bases_of(codes), quiet))] == [
        "outlier_history",
        "outlier_history",
    ]


# --- the fast paths against straightforward references ----------------------------------------


def others_median_by_loop(keys_, y):
    """The definition, one element at a time."""
    out = np.full(len(y), np.nan)
    for i in range(len(y)):
        others = y[(keys_ == keys_[i]) & (np.arange(len(y)) != i)]
        if len(others):
            out[i] = np.median(others)
    return out


@pytest.mark.parametrize("span", [40, 10**12])  # dense keys (sorted group by group), sparse
def test_grouped_order_and_medians_match_references_on_random_data(span):
    # given random keys (groups of 1 to about 60, sizes uneven so that several size classes
    # are used), values with ties and NaN
    rng = np.random.default_rng(13)
    n = 1_500
    keys_ = rng.integers(0, 40, n) ** 2 * (span // 1600 or 1) - 7
    y = rng.integers(0, 12, n).astype(float)
    y[rng.random(n) < 0.05] = np.nan
    from mieval.core.checks.outliers import group_median, grouped_order

    # then the order is lexsort's (stable ties), and the medians are pandas' and the loop's
    assert grouped_order(keys_, y).tolist() == np.lexsort((y, keys_)).tolist()
    expected = pd.Series(y).groupby(keys_).transform("median").to_numpy()
    np.testing.assert_array_equal(group_median(keys_, y), expected)
    finite = ~np.isnan(y)
    np.testing.assert_array_equal(
        others_median(keys_[finite], y[finite]), others_median_by_loop(keys_[finite], y[finite])
    )


def national_panel(rng, n_bases=400, n_indicators=6, n_years=6):
    """Every base x indicator x year, log-normal levels, 3% missing, zeros, ties, ×10 jumps."""
    subcategories = ["st_university", "ind_central_soe", "region_city"]
    bases = pd.DataFrame(
        {
            "code": [f"B{i:04d}" for i in range(n_bases)],
            "category": "university_institute",
            "subcategory": rng.choice(subcategories, n_bases),
        }
    )
    shape = (n_bases, n_indicators, n_years)
    cube = np.round(np.exp(rng.normal(4, 0.6, shape[:2])[:, :, None] + rng.normal(0, 0.05, shape)))
    cube[rng.random(shape) < 0.002] *= 10
    cube[rng.random(shape) < 0.002] = 0
    cube[rng.random(shape) < 0.03] = np.nan
    values = pd.DataFrame(
        {
            "base_code": np.repeat(bases["code"], n_indicators * n_years).to_numpy(),
            "indicator_code": np.tile(
                np.repeat([f"ind{i}" for i in range(n_indicators)], n_years), n_bases
            ),
            "year": np.tile(np.arange(2016, 2016 + n_years), n_bases * n_indicators),
            "value": cube.ravel(),
        }
    )
    return bases, values.sample(frac=1, random_state=1).reset_index(drop=True)  # any order


def test_outlier_tests_give_the_same_problems_on_the_fast_and_the_plain_path(monkeypatch):
    # given a random panel of 14,000 values in shuffled order, codes as text and as categories
    import mieval.core.checks.outliers as outliers

    bases, values = national_panel(np.random.default_rng(7))
    categorical = values.astype({"base_code": "category", "indicator_code": "category"})
    fast = [
        (outliers_history(v, bases), outliers_peers(v, bases), peer_scores(v, bases))
        for v in (values, categorical)
    ]
    # when no key counts as dense, every group-wise step takes the plain path (sorting all
    # values twice, factorised codes)
    monkeypatch.setattr(outliers, "_dense_codes", lambda keys_: None)
    plain = outliers_history(values, bases), outliers_peers(values, bases)
    plain_scores = peer_scores(values, bases)
    # then the problems are the same, and so are the peer statistics behind them
    for history, peers, scores in fast:
        assert len(history) > 10 and len(peers) > 10
        pd.testing.assert_frame_equal(history, plain[0])
        pd.testing.assert_frame_equal(peers, plain[1])
        columns = ["n", "others_median", "deviation", "pool", "scale", "z", "cutoff", "own"]
        pd.testing.assert_frame_equal(scores[columns], plain_scores[columns])
