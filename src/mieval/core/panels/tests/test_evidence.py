"""The evidence beside a rubric criterion: its tokens, its choice, the base against its peers."""

import math

import pandas as pd

from mieval.core.panels.evidence import (
    EVIDENCE_KINDS,
    evidence_choice,
    evidence_problems,
    evidence_tokens,
    indicator_evidence,
)
from mieval.core.peers import peer_quartiles


def test_tokens_are_split_on_spaces_and_commas_in_either_script_without_duplicates():
    assert evidence_tokens(" values, checks，selfeval:progress；visit  values ") == [
        "values",
        "checks",
        "selfeval:progress",
        "visit",
    ]
    assert evidence_tokens("") == []


def test_problems_name_every_token_that_is_neither_a_kind_nor_a_section_nor_an_indicator():
    tokens = ["values", "vist", "selfeval:progress", "selfeval:", "indicator:P1", "P2", "P9"]

    assert evidence_problems(tokens, {"P1", "P2"}) == ["vist", "selfeval:", "P9"]
    assert evidence_problems(["selfeval:progress"], {"P1"}, section_codes={"next"}) == [
        "selfeval:progress"
    ]


def test_no_evidence_list_shows_everything():
    choice = evidence_choice([])

    assert choice.kinds == frozenset(EVIDENCE_KINDS)
    assert choice.shows_indicator("anything") is True
    assert choice.shows_section("anything") is True


def test_naming_indicators_and_sections_shows_only_those():
    choice = evidence_choice(["P1", "indicator:P2", "selfeval:progress", "checks"])

    assert choice.kinds == frozenset({"values", "selfeval", "checks"})
    assert (choice.shows_indicator("P1"), choice.shows_indicator("P3")) == (True, False)
    assert (choice.shows_section("progress"), choice.shows_section("next")) == (True, False)
    # The whole kind named as well: every indicator, every section.
    wide = evidence_choice(["P1", "values", "selfeval:progress", "selfeval"])
    assert (wide.shows_indicator("P3"), wide.shows_section("next")) == (True, True)


def test_the_latest_value_against_the_peers_and_the_own_growth():
    bases = pd.DataFrame({"code": ["A", "B", "C", "D"], "subcategory": ["s"] * 4})
    values = pd.DataFrame(
        [
            ("A", "P1", 2016, 100.0),
            ("A", "P1", 2018, 144.0),
            ("B", "P1", 2018, 10.0),
            ("C", "P1", 2018, 20.0),
            ("D", "P1", 2018, 30.0),
            ("A", "P2", 2017, 5.0),
            ("B", "P2", 2017, 1.0),
        ],
        columns=["base_code", "indicator_code", "year", "value"],
    )

    rows = indicator_evidence(peer_quartiles(values, bases, "A"))

    assert [r["code"] for r in rows] == ["P1", "P2"]
    p1, p2 = rows
    assert {k: p1[k] for k in ("year", "value", "peers", "q1", "median", "q3", "position")} == {
        "year": 2018,
        "value": 144.0,
        "peers": 3,
        "q1": 15.0,
        "median": 20.0,
        "q3": 25.0,
        "position": "above",
    }
    assert p1["first_year"] == 2016
    assert math.isclose(p1["cagr"], 0.2)
    # One year only, one peer: no growth, no quartiles, no position.
    assert (p2["cagr"], p2["median"], p2["position"], p2["peers"]) == (None, None, None, 1)


def test_an_indicator_only_the_peers_reported_has_no_value_of_the_base():
    bases = pd.DataFrame({"code": ["A", "B"], "subcategory": ["s", "s"]})
    values = pd.DataFrame(
        [("B", "P1", 2017, 3.0)], columns=["base_code", "indicator_code", "year", "value"]
    )

    (row,) = indicator_evidence(peer_quartiles(values, bases, "A"))

    assert (row["year"], row["value"], row["cagr"], row["peers"]) == (None, None, None, 1)
