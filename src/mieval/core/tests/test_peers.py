"""peer_quartiles: hand-computed quartiles (type 7, as R's quantile(x, type = 7))."""

import math

import pandas as pd
import pytest

from mieval.core.peers import PEER_COLUMNS, peer_quartiles

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
