"""A base's history across three rounds: values, index ranks and intervals, grades, the panel's
accepted opinion, problems and their rectification, each for whom it is meant."""

import pytest
from django.urls import reverse

from mieval.collection.tests.rounds_helpers import (
    rounds_index_runs,
    rounds_judgement,
    three_rounds,
)
from mieval.registry.models import Base

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(tmp_path, alice, monkeypatch):
    three_rounds(tmp_path)
    rounds_index_runs()
    rounds_judgement(alice)
    # The grades come from the panels' scores (tested in panels); here, R1's grade per round.
    grades = {"r2018": {"R1": ("良好", "Good")}, "r2020": {"R1": ("优秀", "Excellent")}}
    monkeypatch.setattr(
        "mieval.rectification.selectors.letter_grades",
        lambda campaign: grades.get(campaign.code, {}),
    )


def url(base="R1"):
    return reverse("base_history", args=["prog", base])


def test_the_office_sees_every_round_with_values_ranks_grades_opinions_and_problems(
    client, alice, history
):
    client.force_login(alice)

    response = client.get(url(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    rounds = response.context["rounds"]
    assert [r["campaign"].code for r in rounds] == ["r2016", "r2018", "r2020"]
    area = {r["campaign"].code: next(v for v in r["values"] if v["code"] == "incubation_area")
            for r in rounds}  # fmt: skip
    assert area["r2016"]["cells"] == [20000.0]
    assert area["r2018"]["cells"] == [30000.0, 50000.0, 70000.0]
    assert area["r2020"]["cells"] == [8.0, None, 10.0]
    assert area["r2020"]["unit"] == "10,000 m²"
    ranks = [[(k["framework"], k["score"].rank, k["score"].q05, k["score"].q95) for k in r["ranks"]]
             for r in rounds]  # fmt: skip
    assert ranks == [[], [("named", 2, 1.0, 2.0)], [("named", 1, 1.0, 2.0)]]
    assert [r["grade"] for r in rounds] == [None, "Good", "Excellent"]
    assert [r["opinion"].text if r["opinion"] else None for r in rounds] == [
        None,
        "基地运营良好。",
        None,  # a draft is not the panel's opinion yet
    ]
    problems = [[(p["title"], p["rectification"].state) for p in r["problems"]] for r in rounds]
    assert problems == [[], [("Problem of r2018", "accepted")], [("Problem of r2020", "planned")]]
    page = response.content.decode()
    assert "Round 2: Round 2 (2016–2018)" in page
    assert "1–2" in page  # the rank interval


def test_the_base_officer_sees_the_grade_and_opinion_only_where_the_letter_was_sent(
    client, everyone, history
):
    client.force_login(everyone["bob"])  # officer of R1

    rounds = client.get(url()).context["rounds"]

    assert [r["judgement"] for r in rounds] == [False, True, False]
    page = client.get(url()).content.decode()
    assert "基地运营良好。" in page
    assert "优秀" not in page
    assert [len(r["problems"]) for r in rounds] == [0, 1, 1]


def test_a_viewer_sees_values_and_ranks_but_no_judgement_or_problems(client, victor, history):
    client.force_login(victor)

    rounds = client.get(url()).context["rounds"]

    assert [r["judgement"] for r in rounds] == [False, False, False]
    assert [r["problems_shown"] for r in rounds] == [False, False, False]
    # a region base: the indicators that apply to regions, ten in v1 and nine in v2
    assert [len(r["values"]) for r in rounds] == [10, 10, 9]


def test_a_base_in_no_round_has_an_empty_history(client, alice, history):
    Base.objects.create(
        code="X9",
        name_zh="新基地",
        name_en="New",
        subcategory_id="county",
        province_id="11",
        batch=2020,
    )
    client.force_login(alice)

    response = client.get(url("X9"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["rounds"] == []
    assert "The base was in no round of this programme." in response.content.decode()


def test_each_round_names_the_base_as_it_was_named_then(client, alice, history):
    import datetime as dt

    from mieval.registry.services import base_rename

    base_rename(
        base=Base.objects.get(code="R1"),
        date=dt.date(2019, 7, 1),
        name_zh="区域一新区",
        name_en="Region one new area",
        actor="alice",
        user=alice,
    )
    client.force_login(alice)

    response = client.get(url(), HTTP_ACCEPT_LANGUAGE="en")

    assert [r["base_name"] for r in response.context["rounds"]] == [
        "Region one",
        "Region one",
        "Region one new area",  # renamed within round 3's years (2018-2020)
    ]
    page = response.content.decode()
    assert page.count("In this round the base was named Region one.") == 2
