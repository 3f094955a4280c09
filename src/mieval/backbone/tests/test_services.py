"""The backbone's writes: validation, the version check, the audit, the import and the
invitation to a roster."""

import pytest
from django.core import mail

from mieval.backbone.models import BackboneEvent, BackboneMember
from mieval.backbone.services import (
    BackboneCode,
    BackboneError,
    backbone_import,
    member_accept,
    member_invite,
    member_nominate,
    member_record,
    member_update,
)
from mieval.lib.concurrency import ConcurrentEditError
from mieval.panels.models import Expert, Organisation
from mieval.registry.models import Base


def base(code):
    return Base.objects.get(code=code)


def test_record_keeps_the_person_and_audits_it(campaign_c, alice, clock):
    member = member_record(
        campaign=campaign_c,
        name=" 赵六 ",
        role="visit_contact",
        base=base("U1"),
        position="主任",
        phone="027-1",
        user=alice,
    )

    assert (member.name, member.state, member.version) == ("赵六", "recorded", 1)
    event = BackboneEvent.objects.get()
    assert (event.kind, event.actor, event.member_id) == ("recorded", "alice", member.pk)
    assert event.new["base"] == "U1"
    assert event.new["organisation"] is None
    assert event.at.isoformat() == "2026-03-01T09:00:00+00:00"


def test_record_reports_every_problem_at_once(campaign_c, organisation, alice):
    with pytest.raises(BackboneError) as caught:
        member_record(
            campaign=campaign_c,
            name="",
            role="boss",
            base=base("R1"),
            organisation=organisation,
            email="not an address",
            user=alice,
        )

    assert caught.value.code == BackboneCode.INVALID
    assert caught.value.problems == (
        ("name", "the name is missing"),
        ("email", "'not an address' is not an e-mail address"),
        ("role", "'boss' is not a role of the backbone"),
        ("base", "give either a base or an organisation, not both"),
    )
    assert BackboneMember.objects.count() == 0


def test_a_nomination_comes_from_a_base(campaign_c, organisation, alice):
    with pytest.raises(BackboneError) as caught:
        member_record(
            campaign=campaign_c, name="甲", role="nominated", organisation=organisation, user=alice
        )

    assert caught.value.problems == (("base", "a nominated person comes from a base"),)


def test_an_officer_nominates_the_own_base_only(campaign_c, bob):
    member = member_nominate(campaign=campaign_c, base=base("R1"), name="钱七", user=bob)
    assert (member.role, member.base.code) == ("nominated", "R1")
    assert BackboneEvent.objects.get().kind == "nominated"

    with pytest.raises(BackboneError) as caught:
        member_nominate(campaign=campaign_c, base=base("U1"), name="孙八", user=bob)
    assert caught.value.code == BackboneCode.NOT_OWN_BASE
    assert caught.value.message == "bob is not an officer of base U1"
    assert BackboneMember.objects.count() == 1


def test_update_changes_what_changed_and_refuses_a_stale_version(campaign_c, alice, clock):
    member = member_record(
        campaign=campaign_c, name="赵六", role="visit_contact", base=base("U1"), user=alice
    )

    member = member_update(
        member=member, data={"phone": "027-2", "name": "赵六"}, version=1, user=alice
    )

    assert (member.phone, member.version) == ("027-2", 2)
    event = BackboneEvent.objects.get(kind="updated")
    assert (event.old, event.new) == ({"phone": ""}, {"phone": "027-2"})
    with pytest.raises(ConcurrentEditError):
        member_update(member=member, data={"phone": "027-3"}, version=1, user=alice)
    member.refresh_from_db()
    assert member.phone == "027-2"


def test_update_refuses_an_unknown_field_and_bad_values(campaign_c, alice):
    member = member_record(
        campaign=campaign_c, name="赵六", role="visit_contact", base=base("U1"), user=alice
    )

    with pytest.raises(BackboneError) as caught:
        member_update(member=member, data={"state": "rostered", "name": ""}, version=1, user=alice)

    assert caught.value.problems == (
        ("state", "not a field one may change"),
        ("name", "the name is missing"),
    )


def test_import_records_operational_members_and_visit_contacts_once(planned, alice):
    result = backbone_import(campaign=planned, user=alice)

    assert (result.panel_members, result.visit_contacts, result.already) == (3, 3, 0)
    rows = BackboneMember.objects.order_by("source").values_list(
        "source", "role", "state", "expert__code", "organisation__code", "base__code", "phone"
    )
    assert list(rows) == [
        ("expert:X01", "panel_member", "rostered", "X01", "ORG1", None, ""),
        ("expert:X03", "panel_member", "rostered", "X03", "ORG3", None, ""),
        ("expert:X05", "panel_member", "rostered", "X05", "ORG2", None, ""),
        ("visit:R1:张三", "visit_contact", "recorded", None, None, "R1", "010-1234"),
        ("visit:R1:李四", "visit_contact", "recorded", None, None, "R1", ""),
        ("visit:U2:王五", "visit_contact", "recorded", None, None, "U2", "025-5678"),
    ]
    assert BackboneEvent.objects.filter(kind="imported").count() == 6

    again = backbone_import(campaign=planned, user=alice)

    assert (again.panel_members, again.visit_contacts, again.already) == (0, 0, 6)
    assert BackboneMember.objects.count() == 6


def test_invite_adds_an_inactive_operational_expert_and_mails_after_commit(
    planned, alice, django_capture_on_commit_callbacks
):
    backbone_import(campaign=planned, user=alice)
    member = BackboneMember.objects.get(source="visit:R1:李四")
    org = Organisation.objects.get(code="ORG1")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        expert = member_invite(member=member, organisation=org, code="BB1", version=1, user=alice)
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    expert = Expert.objects.get(code="BB1")
    assert (expert.name, expert.organisation.code, expert.province_id) == ("李四", "ORG1", "11")
    assert (expert.roles, expert.active) == (["operational"], False)
    member.refresh_from_db()
    assert (member.state, member.expert_id, member.version) == ("invited", expert.pk, 2)
    assert [m.to for m in mail.outbox] == [["lisi@example.org"]]
    assert BackboneEvent.objects.get(kind="invited").new == {
        "state": "invited",
        "expert": "BB1",
        "organisation": "ORG1",
    }

    member = member_accept(member=member, version=2, user=alice)

    assert member.state == "rostered"
    assert Expert.objects.get(code="BB1").active is True


def test_invite_refuses_a_taken_code_a_second_invitation_and_a_stale_version(planned, alice):
    backbone_import(campaign=planned, user=alice)
    member = BackboneMember.objects.get(source="visit:R1:张三")
    org = Organisation.objects.get(code="ORG1")

    with pytest.raises(BackboneError) as caught:
        member_invite(member=member, organisation=org, code="X02", version=1, user=alice)
    assert caught.value.problems == (("code", "an expert X02 exists already"),)
    with pytest.raises(ConcurrentEditError):
        member_invite(member=member, organisation=org, code="BB2", version=5, user=alice)
    member_invite(member=member, organisation=org, code="BB2", version=1, user=alice)
    with pytest.raises(BackboneError) as again:
        member_invite(member=member, organisation=org, code="BB3", version=2, user=alice)
    assert again.value.code == BackboneCode.WRONG_STATE
    assert not Expert.objects.filter(code="BB3").exists()
    # A member imported from a panel is on the roster already: not invited, not accepted.
    on_roster = BackboneMember.objects.get(source="expert:X01")
    with pytest.raises(BackboneError):
        member_accept(member=on_roster, version=1, user=alice)
