"""What a base's index page shows, from the tiny run worked out by hand in test_index_run:
R1: T 25, Ent 0, Inn 50 (normalised new_market_entities 0, patents_granted 50); R2: T 100,
Ent 100, no Inn (no patents_granted). Both are urban_district bases: one peer group."""

import pytest
from django.utils import translation

from mieval.analytics.models import IndexRun
from mieval.analytics.selectors import index_base_result, index_scores_by_base
from mieval.analytics.tests.test_index_run import run_index, tiny  # noqa: F401 (fixture)
from mieval.registry.models import Base


@pytest.fixture
def run(campaign_c, tiny, alice):  # noqa: F811
    run_index(campaign_c, tiny, alice)
    return IndexRun.objects.select_related("framework").get()


def test_scores_by_base(run):
    by_base = index_scores_by_base(run)

    assert {b.code: {c: s.score for c, s in held.items()} for b, held in by_base.items()} == {
        "R1": {"T": 25.0, "Ent": 0.0, "Inn": 50.0},
        "R2": {"T": 100.0, "Ent": 100.0, "Inn": None},
    }


def test_the_base_against_the_medians_of_its_subcategory(campaign_c, run):
    with translation.override("en"):
        result = index_base_result(campaign_c, run, Base.objects.get(code="R1"))

    # Medians of R1 and R2: T (25, 100) -> 62.5; Ent (0, 100) -> 50; Inn: R1's 50 alone
    assert (result.top.code, result.top.score, result.group_size) == ("T", 25.0, 2)
    assert [(r["code"], r["score"], r["rank"], r["peer_median"]) for r in result.score_rows] == [
        ("T", 25.0, 2, 62.5),
        ("Ent", 0.0, 2, 50.0),
        ("Inn", 50.0, 1, 50.0),
    ]
    # Two dimensions: the radar shows the normalised indicators; patents_granted: R1's 50 alone
    assert result.radar_axes == ["Newly established market entities", "Patents granted"]
    assert (result.radar_own, result.radar_peers) == ([0.0, 50.0], [50.0, 50.0])
    # Ranks in the subcategory: patents_granted 1 of 1 (R2 has none), new_market_entities 2
    assert [(r["code"], r["value"], r["group_rank"]) for r in result.strengths] == [
        ("patents_granted", 50.0, 1),
        ("new_market_entities", 0.0, 2),
    ]
    assert [(r["code"], r["group_rank"]) for r in result.weaknesses] == [
        ("new_market_entities", 2),
        ("patents_granted", 1),
    ]
    assert [(r["code"], r["dimension"], r["raw"], r["normalised"]) for r in result.inputs] == [
        ("new_market_entities", "Ent", 100.0, 0.0),
        ("patents_granted", "Inn", 10.0, 50.0),
    ]


def test_three_dimensions_put_the_dimensions_on_the_radar(campaign_c, run):
    # Given a third dimension "X": R1 30, R2 none
    from mieval.analytics.models import IndexScore

    run.dimensions = [*run.dimensions, "X"]
    run.save(update_fields=["dimensions"])
    IndexScore.objects.create(
        run=run, base=Base.objects.get(code="R1"), code="X", level=1, score=30
    )
    IndexScore.objects.create(run=run, base=Base.objects.get(code="R2"), code="X", level=1)

    result = index_base_result(campaign_c, run, Base.objects.get(code="R2"))

    # R2 has no Inn: its value is None, the median is R1's 50; X: R1's 30 alone
    assert result.radar_axes == ["Ent", "Inn", "X"]
    assert (result.radar_own, result.radar_peers) == ([100.0, None, None], [50.0, 50.0, 30.0])


def test_a_base_without_scores_has_no_result(campaign_c, run):
    assert index_base_result(campaign_c, run, Base.objects.get(code="U1")) is None
