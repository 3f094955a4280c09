"""Reads: the counts from the database, a base's problems, the carry-over into the next round."""

from datetime import date

import pytest

from mieval.collection.services import campaign_create
from mieval.rectification.selectors import (
    problem_counts,
    problems_for_base,
    rectification_carried,
    rectification_states,
    rectifications_overdue,
)
from mieval.rectification.services import (
    problem_confirm,
    rectification_plan,
    rectification_progress,
)
from mieval.rectification.tests.conftest import propose
from mieval.registry.models import Base


def test_counts_come_from_the_confirmed_problems_of_the_campaign(filed):
    counts = problem_counts(campaign=filed["r1"].campaign)

    assert counts.to_dict("records") == [
        {"type_code": "corporate_credit", "category": "university_institute",
         "subcategory": "st_university", "region_group": "central_west", "n": 1, "n_serious": 0,
         "n_moderate": 1, "n_minor": 0, "examples": [filed["u1"].pk]},
        {"type_code": "east_west_exchange", "category": "region", "subcategory": "urban_district",
         "region_group": "east", "n": 1, "n_serious": 1, "n_moderate": 0, "n_minor": 0,
         "examples": [filed["r1"].pk]},
        {"type_code": "vitality_livelihoods", "category": "enterprise", "subcategory": "private",
         "region_group": "east", "n": 1, "n_serious": 0, "n_moderate": 0, "n_minor": 1,
         "examples": [filed["e1"].pk]},
    ]  # fmt: skip


def test_counts_take_one_query(filed, campaign_c, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = problem_counts(campaign=campaign_c, by=("region_group",))

    assert counts[["region_group", "n"]].to_dict("records") == [
        {"region_group": "central_west", "n": 1},
        {"region_group": "east", "n": 2},
    ]


def test_a_base_sees_its_confirmed_problems_most_severe_first(filed, campaign_c):
    r1 = Base.objects.get(code="R1")
    extra = propose(campaign_c, "R1", "corporate_credit", "minor")
    problem_confirm(problem=extra)

    confirmed = list(problems_for_base(campaign=campaign_c, base=r1))
    everything = list(problems_for_base(campaign=campaign_c, base=r1, confirmed_only=False))

    assert confirmed == [filed["r1"], extra]
    assert [p.pk for p in everything] == [
        filed["r1"].pk, filed["r1_proposed"].pk, filed["r1_dismissed"].pk, extra.pk,
    ]  # fmt: skip


@pytest.fixture
def next_round(campaign_c):
    """The second campaign, 2019-2021, with the same bases."""
    later = campaign_create(code="c2", first_year=2019, last_year=2021)
    later.bases.set(campaign_c.bases.all())
    return later


def test_the_next_round_sees_what_was_promised_and_what_was_done(filed, bob, next_round):
    r1 = Base.objects.get(code="R1")
    plan = rectification_plan(
        problem=filed["r1"],
        measures="结对交流",
        owner="管委会",
        deadline=date(2026, 6, 30),
        user=bob,
    )
    rectification_progress(rectification=plan, text="已签协议", user=bob)
    propose(next_round, "R1")  # a problem of the new round itself is not carried

    carried = list(rectification_carried(campaign=next_round, base=r1))

    assert carried == [filed["r1"]]
    rectification = carried[0].rectification
    assert (rectification.measures, rectification.state) == ("结对交流", "in_progress")
    assert [p.text for p in rectification.progress.all()] == ["已签协议"]


def test_the_office_sees_every_base_carried_and_an_earlier_round_sees_nothing(
    filed, next_round, campaign_c, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        carried = [p.pk for p in rectification_carried(campaign=next_round)]

    assert carried == [filed["e1"].pk, filed["r1"].pk, filed["u1"].pk]
    assert list(rectification_carried(campaign=campaign_c)) == []
    assert list(rectification_carried(campaign=next_round, base=Base.objects.get(code="R2"))) == []


def test_overdue_items_and_the_states(filed, bob, clock):
    plan = rectification_plan(
        problem=filed["r1"], measures="m", owner="o", deadline=date(2026, 3, 10), user=bob
    )
    rectification_plan(
        problem=filed["u1"], measures="m", owner="o", deadline=date(2026, 4, 10), user=bob
    )

    overdue_then = list(
        rectifications_overdue(campaign=plan.problem.campaign, today=date(2026, 3, 11))
    )
    states = rectification_states(campaign=plan.problem.campaign)

    assert overdue_then == [plan]
    assert (
        list(rectifications_overdue(campaign=plan.problem.campaign, today=date(2026, 3, 10))) == []
    )
    assert states == {
        "awaiting_plan": 1, "planned": 2, "in_progress": 0, "done": 0, "accepted": 0,
        "not_accepted": 0,
    }  # fmt: skip
