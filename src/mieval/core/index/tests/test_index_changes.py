"""Rank changes between years (pure): exact rows by hand."""

import pandas as pd

from mieval.core.index.changes import rank_change_rows

# Three units over 2016, 2017, 2018; B is missing in 2017.
SCORES = pd.DataFrame(
    [
        ("A", 2016, 80.0, 1, 1, 2),
        ("B", 2016, 60.0, 2, 1, 1),
        ("C", 2016, 40.0, 3, 2, 2),
        ("A", 2017, 50.0, 2, 2, 2),
        ("C", 2017, 70.0, 1, 1, 2),
        ("A", 2018, 30.0, 3, 2, 2),
        ("B", 2018, 90.0, 1, 1, 1),
        ("C", 2018, 50.0, 2, 1, 2),
    ],
    columns=["unit", "year", "score", "rank", "group_rank", "group_size"],
)


def test_changes_year_by_year_and_in_total():
    rows = {r["unit"]: r for r in rank_change_rows(SCORES)}

    a = rows["A"]
    assert [c["rank"] for c in a["years"]] == [1, 2, 3]
    assert [c["change"] for c in a["years"]] == [None, -1, -1]
    assert [c["group_change"] for c in a["years"]] == [None, -1, 0]
    assert (a["total_change"], a["total_group_change"]) == (-2, -1)
    b = rows["B"]
    assert [c["score"] for c in b["years"]] == [60.0, None, 90.0]
    assert [c["change"] for c in b["years"]] == [None, None, None]  # no rank in 2017
    assert (b["total_change"], b["total_group_change"]) == (1, 0)
    c = rows["C"]
    assert [c_["change"] for c_ in c["years"]] == [None, 2, -1]
    assert c["total_change"] == 1
    assert c["years"][2] == {
        "year": 2018,
        "score": 50.0,
        "rank": 2,
        "group_rank": 1,
        "group_size": 2,
        "change": -1,
        "group_change": 0,
    }


def test_sorts():
    def order(sort):
        return [r["unit"] for r in rank_change_rows(SCORES, sort=sort)]

    assert order("rank") == ["B", "C", "A"]
    assert order("change") == ["B", "C", "A"]  # +1, +1 (by code), -2
    assert order("group_change") == ["C", "B", "A"]  # +1, 0, -1
    assert order("base") == ["A", "B", "C"]
    assert order("nonsense") == order("rank")
