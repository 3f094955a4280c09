"""Aggregation through the selectors on a tiny scoring fixture: three experts of panel 1 score
R1, R2 and U1 on C1 (weight 0.6) and C2 (weight 0.4).

Totals by hand: X01 76, 60, 86; X02 70, 54, 84; X03 86, 58, 100 (R1, R2, U1)."""

import pytest

from mieval.panels.selectors import panel_inputs, score_results, scores_frame
from mieval.panels.services import score_save, scores_submit
from mieval.registry.models import Base

SCORES = {
    "X01": {"R1": (80, 70), "R2": (60, 60), "U1": (90, 80)},
    "X02": {"R1": (70, 70), "R2": (50, 60), "U1": (80, 90)},
    "X03": {"R1": (90, 80), "R2": (70, 40), "U1": (100, 100)},
}


@pytest.fixture
def scored(published, rubric, campaign_c, roster):
    from django.contrib.auth import get_user_model

    criteria = list(rubric.criteria.all())
    User = get_user_model()
    for code, by_base in SCORES.items():
        expert = roster[code]
        if expert.user is None:
            expert.user = User.objects.create_user(f"u{code}")
            expert.save(update_fields=["user"])
            from mieval.accounts.models import Profile

            Profile.objects.create(user=expert.user, role="expert")
        user = User.objects.get(pk=expert.user_id)
        for base_code, (c1, c2) in by_base.items():
            base = Base.objects.get(code=base_code)
            entries = {"C1": {"value": str(c1)}, "C2": {"value": str(c2)}}
            score_save(
                user=user, campaign=campaign_c, base=base, criteria=criteria, entries=entries
            )
            scores_submit(user=user, campaign=campaign_c, base=base, criteria=criteria)
    return campaign_c


@pytest.mark.django_db
def test_scores_frame_is_long_with_the_panel(scored):
    frame, weights = scores_frame(scored)

    assert len(frame) == 18
    assert sorted(weights.values()) == [0.4, 0.6]
    assert set(frame["panel"]) == {1}


@pytest.mark.django_db
def test_aggregates_per_base(scored):
    results = score_results(scored)

    rows = results.aggregate.set_index("base")
    assert rows["n_experts"].to_dict() == {"R1": 3, "R2": 3, "U1": 3}
    assert rows.loc["R1", "mean"] == pytest.approx(232 / 3)
    assert rows.loc["R2", "mean"] == pytest.approx(172 / 3)
    assert rows.loc["U1", "mean"] == pytest.approx(90.0)
    assert rows["trimmed_mean"].to_dict() == pytest.approx({"R1": 76.0, "R2": 58.0, "U1": 86.0})
    assert rows["median"].to_dict() == pytest.approx({"R1": 76.0, "R2": 58.0, "U1": 86.0})
    grades = results.grades.set_index("base")["grade"].to_dict()
    assert grades == {"R1": "qualified", "R2": "unqualified", "U1": "good"}


@pytest.mark.django_db
def test_reliability(scored):
    results = score_results(scored)

    icc = results.icc.set_index("type")["icc"]
    # ICC1 by hand: MSR 813.78, MSW 50.22, (MSR - MSW) / (MSR + 2 MSW) (Shrout & Fleiss 1979).
    assert icc["ICC1"] == pytest.approx(0.835197, abs=1e-6)
    assert icc["ICC3k"] == pytest.approx(0.974877, abs=1e-6)
    assert results.alpha == pytest.approx(0.791705069124424)
    assert results.flags["flagged"].tolist() == [False, False, False]
    assert results.flags["mean_deviation"].tolist() == pytest.approx([-4 / 3, -25 / 3, 29 / 3])


@pytest.mark.django_db
def test_drafts_do_not_count(published, rubric, campaign_c, erin):
    criteria = list(rubric.criteria.all())
    score_save(
        user=erin,
        campaign=campaign_c,
        base=Base.objects.get(code="R1"),
        criteria=criteria,
        entries={"C1": {"value": "50"}, "C2": {"value": "50"}},
    )

    assert score_results(campaign_c) is None


@pytest.mark.django_db
def test_panel_inputs_add_the_affiliated_organisation_as_a_conflict(campaign_c, roster):
    u1 = Base.objects.get(code="U1")
    u1.attributes = {"organisation": "ORG2", "fields": "ai;incubation"}
    u1.save()

    inputs = panel_inputs(campaign_c)

    assert inputs.conflicts[["expert_code", "base_code"]].values.tolist() == [
        ["X02", "U1"],
        ["X05", "U1"],
    ]
    assert inputs.bases.set_index("code").loc["U1", "fields"] == ("ai", "incubation")
    assert len(inputs.experts) == 6
