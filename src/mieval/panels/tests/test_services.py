"""The panel services: formation with pins and forbids, publication and its undo, conflicts,
scoring permissions."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from mieval.accounts.permissions import bases_visible, can_score
from mieval.core.panels.optimiser import PanelConfig
from mieval.panels.models import PanelRule, PanelSet, Score
from mieval.panels.selectors import panel_set_groups
from mieval.panels.services import (
    conflict_declare,
    panel_rule_set,
    panels_propose,
    panels_publish,
    panels_unpublish,
    score_save,
    scores_submit,
)
from mieval.panels.tests.conftest import panel_set_publish
from mieval.registry.models import Base

SMALL = PanelConfig(
    groups=2,
    min_size=3,
    max_size=3,
    min_professional=1,
    min_operational=1,
    min_org_kinds=2,
    max_per_organisation=1,
    time_limit=10,
    num_workers=1,
)


def _members(panel_set) -> dict[int, list[str]]:
    return {
        g["number"]: [m["expert"].code for m in g["experts"]] for g in panel_set_groups(panel_set)
    }


@pytest.mark.django_db
def test_propose_forms_two_panels_of_three_covering_every_base(campaign_c, roster, alice):
    panel_set = panels_propose(campaign=campaign_c, config=SMALL, user=alice)

    groups = panel_set_groups(panel_set)
    assert panel_set.state == PanelSet.State.PROPOSED
    assert panel_set.status == "optimal"
    assert [len(g["experts"]) for g in groups] == [3, 3]
    assert sorted(b.code for g in groups for b in g["bases"]) == ["E1", "R1", "R2", "U1", "U2"]


@pytest.mark.django_db
def test_pins_and_forbids_are_respected(campaign_c, roster, alice):
    panel_rule_set(campaign=campaign_c, expert=roster["X01"], panel_number=2, kind="pin")
    panel_rule_set(campaign=campaign_c, expert=roster["X04"], panel_number=1, kind="pin")
    panel_rule_set(campaign=campaign_c, expert=roster["X02"], panel_number=2, kind="forbid")

    panel_set = panels_propose(campaign=campaign_c, config=SMALL, user=alice)

    members = _members(panel_set)
    assert (panel_set.status, panel_set.unmet) == ("optimal", [])
    # Six experts fill six seats; with X02 kept off panel 2 and one expert per organisation
    # the only grouping left is this one.
    assert members == {1: ["X02", "X03", "X04"], 2: ["X01", "X05", "X06"]}
    pinned = {
        m["expert"].code for g in panel_set_groups(panel_set) for m in g["experts"] if m["pinned"]
    }
    assert pinned == {"X01", "X04"}


@pytest.mark.django_db
def test_a_pin_on_an_unknown_panel_is_refused(campaign_c, roster, alice):
    PanelRule.objects.create(campaign=campaign_c, expert=roster["X01"], panel_number=3, kind="pin")

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        panels_propose(campaign=campaign_c, config=SMALL, user=alice)
    assert refused.value.messages == [
        "Pins and forbids must name active experts and panels 1 to 2: X01 → 3"
    ]
    assert PanelSet.objects.count() == 0


@pytest.mark.django_db
def test_a_declared_conflict_keeps_the_expert_from_the_base(campaign_c, roster, alice):
    r1 = Base.objects.get(code="R1")
    conflict_declare(expert=roster["X01"], base=r1, reason="former employer")

    panel_set = panels_propose(campaign=campaign_c, config=SMALL, user=alice)

    for group in panel_set_groups(panel_set):
        if "R1" in [b.code for b in group["bases"]]:
            assert "X01" not in [m["expert"].code for m in group["experts"]]


@pytest.mark.django_db
def test_publish_archives_the_previous_and_undo_publishes_it_again(published, campaign_c):
    second = panel_set_publish(
        campaign_c,
        {1: (["X04", "X05", "X06"], ["R1", "R2", "U1"]), 2: (["X01", "X02", "X03"], ["U2", "E1"])},
    )
    published.refresh_from_db()
    assert (published.state, second.state) == ("archived", "published")

    again = panels_unpublish(campaign=campaign_c)

    second.refresh_from_db()
    assert again == published
    assert (PanelSet.objects.get(pk=published.pk).state, second.state) == ("published", "archived")
    assert panels_unpublish(campaign=campaign_c) is None
    assert PanelSet.objects.published().count() == 0


@pytest.mark.django_db
def test_publish_refuses_an_infeasible_set(campaign_c):
    infeasible = PanelSet.objects.create(campaign=campaign_c, state="proposed", status="infeasible")

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        panels_publish(panel_set=infeasible)
    assert refused.value.messages == ["Only a set of panels the optimiser found can be published."]
    infeasible.refresh_from_db()
    assert infeasible.state == "proposed"


@pytest.mark.django_db
def test_the_expert_sees_the_published_panels_bases_less_declared_conflicts(published, erin):
    assert sorted(bases_visible(erin).values_list("code", flat=True)) == ["R1", "R2", "U1"]

    conflict_declare(expert=erin.expert, base=Base.objects.get(code="R2"), reason="co-author")

    assert sorted(bases_visible(erin).values_list("code", flat=True)) == ["R1", "U1"]


@pytest.mark.django_db
def test_a_conflict_needs_a_reason(published, erin):
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        conflict_declare(expert=erin.expert, base=Base.objects.get(code="R1"), reason="  ")
    assert refused.value.messages == ["Please give the reason for the conflict of interest."]
    assert not erin.expert.conflicts.exists()


def _entries(c1, c2):
    return {"C1": {"value": c1}, "C2": {"value": c2}}


@pytest.mark.django_db
def test_score_outside_the_panel_is_refused(published, rubric, erin, campaign_c):
    u2 = Base.objects.get(code="U2")
    assert can_score(erin, u2, campaign_c) is False

    with pytest.raises(PermissionDenied):
        score_save(
            user=erin,
            campaign=campaign_c,
            base=u2,
            criteria=list(rubric.criteria.all()),
            entries=_entries("80", "70"),
        )
    assert Score.objects.count() == 0


@pytest.mark.django_db
def test_scores_cannot_change_after_submit(published, rubric, erin, campaign_c):
    r1, criteria = Base.objects.get(code="R1"), list(rubric.criteria.all())
    score_save(
        user=erin, campaign=campaign_c, base=r1, criteria=criteria, entries=_entries("80", "70")
    )
    assert scores_submit(user=erin, campaign=campaign_c, base=r1, criteria=criteria) == 2

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        score_save(
            user=erin, campaign=campaign_c, base=r1, criteria=criteria, entries=_entries("1", "1")
        )
    assert refused.value.messages == [
        "The scores of this base are submitted and can no longer change."
    ]
    assert sorted(Score.objects.values_list("value", "state")) == [
        (70, "submitted"),
        (80, "submitted"),
    ]


@pytest.mark.django_db
def test_submit_needs_every_criterion_and_values_on_the_scale(published, rubric, erin, campaign_c):
    r1, criteria = Base.objects.get(code="R1"), list(rubric.criteria.all())
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        score_save(
            user=erin,
            campaign=campaign_c,
            base=r1,
            criteria=criteria,
            entries=_entries("80", "101"),
        )
    assert caught.value.message_dict == {"C2": ["101 is outside the scale 0 to 100."]}

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        scores_submit(user=erin, campaign=campaign_c, base=r1, criteria=criteria)
    assert refused.value.messages == ["Score every criterion before submitting; missing: C1, C2"]
    assert Score.objects.filter(state="submitted").count() == 0


@pytest.mark.django_db
def test_a_user_without_an_expert_record_cannot_score(published, rubric, campaign_c):
    other = get_user_model().objects.create_user("nobody")

    assert can_score(other, Base.objects.get(code="R1"), campaign_c) is False
