"""Reads: the leader proposal from the platform's record, the opinion sheet's comments as each
reader may see them, the public names visit_for and opinion_for, the campaign's panels."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mieval.panels.models import Criterion, Score
from mieval.panels.tests.conftest import panel_set_publish
from mieval.visits import selectors, services
from mieval.visits.tests.conftest import base, expert, panel


def _score(campaign, code, criterion, value, comment="", confidential="", state="submitted"):
    return Score.objects.create(
        campaign=campaign,
        expert=expert(code),
        base=base("R1"),
        criterion=criterion,
        value=Decimal(value),
        comment=comment,
        confidential_comment=confidential,
        state=state,
    )


@pytest.fixture
def scored(campaign_c, published, rubric):
    c1 = Criterion.objects.get(rubric=rubric, code="C1")
    _score(campaign_c, "X01", c1, "80", "场地充足。", "负责人能力一般。")
    _score(campaign_c, "X02", c1, "70", "服务平台偏少。", "数据存疑。")
    # X03's score is a draft: still X03's own work, on nobody else's sheet.
    _score(campaign_c, "X03", c1, "60", "尚未定稿。", state="draft")
    return rubric


def test_the_proposal_is_the_professional_with_most_seats_elsewhere(campaign_c, published):
    from mieval.collection.services import campaign_create

    # Panel 1 is X01 (professional, operational), X02 (professional), X03 (operational).
    assert selectors.leader_proposals(campaign_c, [panel(1)]) == {panel(1).pk: "X01"}
    earlier = campaign_create(
        code="earlier", first_year=2013, last_year=2015, name_zh="上一轮", name_en="Earlier"
    )
    earlier.bases.set([base("R1")])
    panel_set_publish(earlier, {1: (["X02", "X03"], ["R1"])})
    # X02 held a seat before; X03 too, but is not professional.
    assert selectors.leader_proposals(campaign_c, [panel(1)]) == {panel(1).pk: "X02"}


def test_the_office_reads_every_comment_on_the_sheet(campaign_c, scored, alice):
    sheet = selectors.opinion_sheet(campaign=campaign_c, base=base("R1"), user=alice)
    rows = sheet["criteria"][0]["scores"]
    assert [(r["expert"], r["value"], r["comment"], r["confidential_comment"]) for r in rows] == [
        ("X01", Decimal("80.00"), "场地充足。", "负责人能力一般。"),
        ("X02", Decimal("70.00"), "服务平台偏少。", "数据存疑。"),
    ]


def test_an_expert_reads_the_own_draft_on_the_sheet(campaign_c, scored, mia):
    from mieval.panels.models import Expert

    Expert.objects.filter(code="X02").update(user=None)
    Expert.objects.filter(code="X03").update(user=mia)
    mia.refresh_from_db()
    sheet = selectors.opinion_sheet(campaign=campaign_c, base=base("R1"), user=mia)
    assert [(r["expert"], r["state"]) for r in sheet["criteria"][0]["scores"]] == [
        ("X01", "submitted"),
        ("X02", "submitted"),
        ("X03", "draft"),
    ]


def test_a_member_reads_the_others_comments_but_not_their_confidential_ones(
    campaign_c, scored, erin
):
    sheet = selectors.opinion_sheet(campaign=campaign_c, base=base("R1"), user=erin)
    rows = sheet["criteria"][0]["scores"]
    assert [(r["expert"], r["comment"], r["confidential_comment"]) for r in rows] == [
        ("X01", "场地充足。", "负责人能力一般。"),
        ("X02", "服务平台偏少。", ""),
    ]


def test_a_rubric_that_keeps_comments_confidential_hides_the_others_comments(
    campaign_c, scored, erin
):
    scored.comments_confidential = True
    scored.save(update_fields=["comments_confidential"])
    sheet = selectors.opinion_sheet(campaign=campaign_c, base=base("R1"), user=erin)
    rows = sheet["criteria"][0]["scores"]
    assert [(r["expert"], r["comment"]) for r in rows] == [("X01", "场地充足。"), ("X02", "")]


def test_visit_for_and_opinion_for(campaign_c, record_r1, opinion_r1, erin, alice):
    visit = selectors.visit_for(campaign=campaign_c, base=base("R1"))
    assert (visit.pk, visit.record.findings) == (record_r1.visit.pk, "台账与填报数据一致。")
    assert selectors.visit_for(campaign=campaign_c, base=base("U1")) is None
    assert selectors.opinion_for(campaign=campaign_c, base=base("R1")) is None
    draft = selectors.opinion_for(campaign=campaign_c, base=base("R1"), accepted_only=False)
    assert (draft.pk, draft.state) == (opinion_r1.pk, "draft")
    opinion = services.opinion_submit(
        opinion=services.opinion_circulate(opinion=opinion_r1, user=erin), user=erin
    )
    services.opinion_accept(opinion=opinion, user=alice)
    assert selectors.opinion_for(campaign=campaign_c, base=base("R1")).state == "accepted"


def test_the_campaign_panels_as_the_office_and_as_an_expert(
    campaign_c, record_r1, opinion_r1, alice, frank
):
    rows = selectors.campaign_panels(campaign_c, alice)
    assert [(r.panel.number, r.leader.expert.code, r.proposed) for r in rows] == [
        (1, "X01", "X01"),
        (2, "X04", "X04"),
    ]
    first = rows[0]
    assert [(b["base"].code, b["recorded"], b["opinion"] is not None) for b in first.bases] == [
        ("R1", True, True),
        ("R2", False, False),
        ("U1", False, False),
    ]
    assert [r.panel.number for r in selectors.campaign_panels(campaign_c, frank)] == [2]


def test_the_campaign_panels_take_as_many_queries_whatever_the_visits(
    campaign_c, record_r1, alice, erin
):
    with CaptureQueriesContext(connection) as few:
        selectors.campaign_panels(campaign_c, alice)
    for code in ("R2", "U1"):
        visit = services.visit_plan_save(
            campaign=campaign_c,
            panel=panel(1),
            base=base(code),
            visit_date=None,
            itinerary="",
            contacts=[],
            members=[],
            user=alice,
        )
        services.visit_record_save(
            visit=visit,
            members_present=[expert("X01")],
            base_attendees="",
            checked=[],
            checked_notes="",
            findings="",
            user=erin,
        )
    with CaptureQueriesContext(connection) as more:
        selectors.campaign_panels(campaign_c, alice)
    assert (len(few), len(more)) == (9, 9)
