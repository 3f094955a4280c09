"""peer_quartiles: hand-computed quartiles (type 7, as R's quantile(x, type = 7))."""

import math

import pandas as pd
import pytest

from mieval.core.peers import (
    PEER_COLUMNS,
    PERCENTILE_COLUMNS,
    peer_medians,
    peer_percentiles,
    peer_quartiles,
)

BASES = pd.DataFrame(
    {
        "code": ["A", "P1", "P2", "P3", "P4", "X"],
        "subcategory": ["county"] * 5 + ["private"],
    }
)


def frame(rows):
    return pd.DataFrame(rows, columns=["base_code", "indicator_code", "year", "value"])


def test_quartiles_of_the_other_bases_of_the_subcategory():
    # Given A and four peers reporting "k" in 2016, and an enterprise X that must not count
    values = frame(
        [
            ("A", "k", 2016, 50.0),
            ("P1", "k", 2016, 10.0),
            ("P2", "k", 2016, 20.0),
            ("P3", "k", 2016, 30.0),
            ("P4", "k", 2016, 40.0),
            ("X", "k", 2016, 1000.0),
        ]
    )

    # When
    out = peer_quartiles(values, BASES, "A")

    # Then: peers 10, 20, 30, 40 -> h = 3p: Q1 = 10 + 0.75*10 = 17.5, median 25, Q3 = 32.5
    assert list(out.columns) == PEER_COLUMNS
    assert out.to_dict("records") == [
        {
            "indicator_code": "k",
            "year": 2016,
            "value": 50.0,
            "peers": 4,
            "q1": 17.5,
            "median": 25.0,
            "q3": 32.5,
        }
    ]


def test_fewer_than_three_peers_gives_no_statistics_and_missing_own_value_is_nan():
    # Given 2017: only two peers reported; 2018: three peers reported (0 counts), A did not
    values = frame(
        [
            ("A", "k", 2017, 5.0),
            ("P1", "k", 2017, 1.0),
            ("P2", "k", 2017, 2.0),
            ("P1", "k", 2018, 0.0),
            ("P2", "k", 2018, 6.0),
            ("P3", "k", 2018, 3.0),
            ("P4", "k", 2018, float("nan")),
        ]
    )

    out = peer_quartiles(values, BASES, "A")

    first, second = out.to_dict("records")
    assert (first["year"], first["value"], first["peers"]) == (2017, 5.0, 2)
    assert math.isnan(first["q1"]) and math.isnan(first["median"]) and math.isnan(first["q3"])
    # 0, 3, 6: h = 0.5, 1, 1.5 -> Q1 1.5, median 3, Q3 4.5
    assert second["year"] == 2018 and math.isnan(second["value"])
    assert (second["peers"], second["q1"], second["median"], second["q3"]) == (3, 1.5, 3.0, 4.5)


def test_input_unchanged_and_unknown_base_refused():
    values = frame([("A", "k", 2016, 1.0)])
    before = values.copy()

    out = peer_quartiles(values, BASES, "A")

    pd.testing.assert_frame_equal(values, before)
    assert out["peers"].tolist() == [0]
    with pytest.raises(ValueError, match="'Z' is not in the bases frame"):
        peer_quartiles(values, BASES, "Z")


def test_no_values_gives_an_empty_frame_with_the_columns():
    out = peer_quartiles(frame([]), BASES, "A")

    assert out.empty and list(out.columns) == PEER_COLUMNS


# --- peer_medians: the index page's peer line ------------------------------------------------


def test_peer_medians_by_hand():
    # Given three peers' scores; B has no "Inn", C's "Ent" is None, D is not a peer
    values = {
        "A": {"Ent": 10.0, "Inn": 40.0},
        "B": {"Ent": 30.0},
        "C": {"Ent": None, "Inn": 20.0},
        "D": {"Ent": 1000.0, "Inn": 1000.0},
    }

    # When
    out = peer_medians(values, ["A", "B", "C", "E"], ["Inn", "Ent", "X"])

    # Then: Inn: 40, 20 -> 30; Ent: 10, 30 -> 20 (None is no value); X: nobody
    assert out == {"Inn": 30.0, "Ent": 20.0, "X": None}
    assert list(out) == ["Inn", "Ent", "X"]


def test_peer_medians_odd_count_and_nan_is_no_value():
    values = {"A": {"k": 3.0}, "B": {"k": 1.0}, "C": {"k": 2.0}, "D": {"k": math.nan}}

    assert peer_medians(values, "ABCD", ["k"]) == {"k": 2.0}
    assert peer_medians(values, [], ["k"]) == {"k": None}


# --- peer_percentiles: the report profiles' percentiles --------------------------------------


def test_peer_percentiles_by_hand():
    # Given four county bases (A, P1, P2, P3) and an enterprise X; "k" up is good, "c" down
    values = frame(
        [
            ("A", "k", 2016, 10.0),
            ("P1", "k", 2016, 20.0),
            ("P2", "k", 2016, 20.0),
            ("P3", "k", 2016, 40.0),
            ("X", "k", 2016, 5.0),
            ("A", "c", 2016, 1.0),
            ("P1", "c", 2016, 3.0),
            ("Z", "k", 2016, 99.0),  # not a base: left out
        ]
    )

    # When
    out = peer_percentiles(values, BASES, {"k": 1, "c": -1})

    # Then: k, county: 10 has none below: 100 * 0.5 / 4 = 12.5; each 20 one below and two
    # equal: 100 * (1 + 1) / 4 = 50; 40: 100 * 3.5 / 4 = 87.5; mean 22.5. X alone: no
    # percentile. c is better small: A's 1 beats P1's 3: 100 * 1.5 / 2 = 75, P1 25.
    assert list(out.columns) == PERCENTILE_COLUMNS
    assert out[["base_code", "indicator_code", "peer_mean", "peer_n"]].values.tolist() == [
        ["A", "k", 22.5, 4],
        ["P1", "k", 22.5, 4],
        ["P2", "k", 22.5, 4],
        ["P3", "k", 22.5, 4],
        ["X", "k", 5.0, 1],
        ["A", "c", 2.0, 2],
        ["P1", "c", 2.0, 2],
    ]
    assert out["percentile"].tolist()[:4] + out["percentile"].tolist()[5:] == [
        12.5,
        50.0,
        50.0,
        87.5,
        75.0,
        25.0,
    ]
    assert math.isnan(out["percentile"].iloc[4])
    assert out["subcategory"].tolist() == ["county"] * 4 + ["private"] + ["county"] * 2


def test_peer_percentiles_leave_the_input_alone_and_count_an_unreported_value():
    values = frame([("A", "k", 2016, 1.0), ("P1", "k", 2016, math.nan), ("P2", "k", 2016, 3.0)])
    before = values.copy()

    out = peer_percentiles(values, BASES, {"k": 1})

    # The NaN counts in the group (3 rows) but has no rank
    pd.testing.assert_frame_equal(values, before)
    assert out["peer_n"].tolist() == [3, 3, 3]
    assert out["peer_mean"].tolist() == [2.0, 2.0, 2.0]
    assert out["percentile"].iloc[0] == (1 - 0.5) / 3 * 100  # rank 1 of 3
    assert math.isnan(out["percentile"].iloc[1])
    assert out["percentile"].iloc[2] == (2 - 0.5) / 3 * 100  # rank 2 of 3
