"""The leader proposal: professional first, then the most seats before, ties by code."""

import pandas as pd
import pytest

from mieval.core.panels.leader import leader_propose


def _members(*rows):
    return pd.DataFrame(rows, columns=["expert", "roles", "seniority"])


def test_the_most_senior_professional_member_is_proposed():
    members = _members(
        ("X01", ["operational"], 9),
        ("X02", ["professional"], 2),
        ("X03", ["professional", "operational"], 4),
    )
    assert leader_propose(members) == "X03"


def test_an_operational_member_with_more_seats_does_not_come_first():
    members = _members(("X09", ["operational"], 12), ("X10", ["professional"], 0))
    assert leader_propose(members) == "X10"


def test_ties_go_to_the_smallest_code_whatever_the_order_of_the_rows():
    members = _members(
        ("X07", ["professional"], 3), ("X05", ["professional"], 3), ("X06", ["professional"], 1)
    )
    assert leader_propose(members) == "X05"
    assert leader_propose(members.iloc[::-1]) == "X05"


def test_without_a_professional_member_the_most_senior_member_is_proposed():
    members = _members(("X02", ["operational"], 1), ("X01", ["operational"], 1))
    assert leader_propose(members) == "X01"


def test_an_empty_panel_gets_no_proposal():
    assert leader_propose(_members()) is None


def test_the_input_is_not_modified():
    members = _members(("X02", ["professional"], 1), ("X01", ["professional"], 1))
    before = members.copy()
    leader_propose(members)
    pd.testing.assert_frame_equal(members, before)


def test_a_negative_or_missing_seniority_is_refused_naming_the_experts():
    members = _members(("X01", ["professional"], -1), ("X02", ["professional"], None))
    with pytest.raises(ValueError, match="not for X01, X02"):
        leader_propose(members)


def test_a_missing_column_is_named():
    with pytest.raises(ValueError, match="lacks the column\\(s\\) seniority"):
        leader_propose(pd.DataFrame({"expert": ["X01"], "roles": [["professional"]]}))
