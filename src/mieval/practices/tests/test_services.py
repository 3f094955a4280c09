"""The writes: refusals name what is wrong; decisions follow the states; every change audited."""

from datetime import date

import pytest

from mieval.lib.concurrency import ConcurrentEditError
from mieval.practices.models import PolicyArea, PracticeEvent
from mieval.practices.services import (
    PracticeCode,
    PracticeError,
    nomination_create,
    nomination_decide,
    reform_classify,
    reform_report,
)
from mieval.registry.models import Base


def test_a_subkind_must_belong_to_its_kind(campaign_c):
    with pytest.raises(PracticeError) as caught:
        nomination_create(
            campaign=campaign_c, base=Base.objects.get(code="R1"), kind="case",
            subkind="founder", name="x", story="y", language="zh", year=2018,
        )  # fmt: skip

    assert caught.value.code == PracticeCode.INVALID
    assert (
        str(caught.value)
        == "'founder' is not a kind of case: one of enterprise, platform, practice"
    )


def test_every_problem_is_named_at_once(campaign_c):
    with pytest.raises(PracticeError) as caught:
        nomination_create(
            campaign=campaign_c, base=Base.objects.get(code="R1"), kind="case",
            subkind="platform", name="x", story="y", language="fr", year=2018,
            contact_phone="123",
        )  # fmt: skip

    assert str(caught.value) == (
        "language 'fr' is not zh or en; contact details are kept for people only"
    )


def test_an_inactive_area_is_refused(campaign_c):
    area = PolicyArea.objects.get(code="land_space")
    area.active = False
    area.save()

    with pytest.raises(PracticeError, match="policy area 'land_space' is not active"):
        reform_report(
            campaign=campaign_c, base=Base.objects.get(code="R1"), title="t", description="d",
            language="zh", introduced_on=date(2018, 1, 1), area_reported=area, scope="city",
        )  # fmt: skip


def test_a_stale_classification_is_refused(items):
    reform = items["patent_u1"]
    area = PolicyArea.objects.get(code="technology_transfer")
    reform_classify(reform=reform, area=area, expected_version=1)

    with pytest.raises(ConcurrentEditError) as caught:
        reform_classify(reform=reform, area=area, expected_version=1)

    assert str(caught.value) == (
        f"Reform {reform.pk} is at version 2, not 1: someone changed it meanwhile"
    )


def test_decisions_follow_the_states_and_need_a_reason(items):
    item = items["case_r1"]  # selected

    with pytest.raises(PracticeError) as caught:
        nomination_decide(nomination=item, status="selected", reason="again")
    assert caught.value.code == PracticeCode.WRONG_STATE
    with pytest.raises(PracticeError, match="missing: reason"):
        nomination_decide(nomination=item, status="nominated", reason=" ")

    nomination_decide(nomination=item, status="nominated", reason="reopened for more evidence")
    item.refresh_from_db()
    assert (item.status, item.is_published()) == ("nominated", False)


def test_the_audit_keeps_no_personal_data(items):
    events = PracticeEvent.objects.filter(nomination=items["person_r1"]).order_by("pk")

    assert [e.action for e in events] == ["nominated", "consent_recorded", "nomination_decided"]
    assert "13911112222" not in str([e.changes for e in events])
