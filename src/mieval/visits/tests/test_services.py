"""The writes of leaders, plans, records, files and opinions: checks, states, audit, versions."""

from datetime import date

import pytest

from mieval.lib.concurrency import ConcurrentEditError
from mieval.visits import services
from mieval.visits.models import Opinion, PanelLeader, VisitEvent, VisitFile
from mieval.visits.services import VisitCode, VisitError
from mieval.visits.tests.conftest import NOW, base, expert, panel, png_bytes


def test_the_office_sets_a_leader_and_the_change_is_audited(published, alice, frozen):
    leader = services.leader_set(panel=panel(1), expert=expert("X02"), user=alice)
    changed = services.leader_set(
        panel=panel(1), expert=expert("X01"), user=alice, version=leader.version
    )
    assert (changed.expert.code, changed.version, changed.chosen_at) == ("X01", 2, NOW)
    events = VisitEvent.objects.filter(kind=VisitEvent.Kind.LEADER_SET)
    assert [(e.old, e.new, e.actor, e.at) for e in events] == [
        ({}, {"leader": "X02"}, "alice", NOW),
        ({"leader": "X02"}, {"leader": "X01"}, "alice", NOW),
    ]


def test_a_leader_must_be_a_member_of_the_panel(published, alice):
    with pytest.raises(VisitError, match="expert X04 is not a member of panel 1") as caught:
        services.leader_set(panel=panel(1), expert=expert("X04"), user=alice)
    assert caught.value.code == VisitCode.NOT_MEMBER
    assert PanelLeader.objects.count() == 0


def test_a_stale_leader_version_is_refused(published, alice):
    services.leader_set(panel=panel(1), expert=expert("X02"), user=alice)
    services.leader_set(panel=panel(1), expert=expert("X03"), user=alice, version=1)
    with pytest.raises(ConcurrentEditError):
        services.leader_set(panel=panel(1), expert=expert("X01"), user=alice, version=1)
    assert PanelLeader.objects.get().expert.code == "X03"


def test_a_plan_is_saved_with_its_contacts_and_members(visit_r1):
    assert (visit_r1.date, visit_r1.version) == (date(2018, 6, 12), 1)
    assert visit_r1.contacts == [
        {"name": "王主任", "role": "办公室主任", "phone": "010-1234", "email": ""}
    ]
    assert sorted(m.code for m in visit_r1.members.all()) == ["X01", "X02"]
    event = VisitEvent.objects.get(kind=VisitEvent.Kind.VISIT_PLANNED)
    assert (event.old, event.new["members"], event.new["date"]) == (
        {},
        ["X01", "X02"],
        "2018-06-12",
    )


def test_a_plan_with_bad_input_names_every_problem_and_writes_nothing(leaders, campaign_c, alice):
    with pytest.raises(VisitError) as caught:
        services.visit_plan_save(
            campaign=campaign_c,
            panel=panel(1),
            base=base("R1"),
            visit_date=date(2030, 1, 1),
            itinerary="",
            contacts=[{"name": "", "phone": "1"}, {"name": "赵", "email": "nomail"}],
            members=[expert("X04")],
            user=alice,
        )
    assert caught.value.problems == [
        "not members of panel 1: X04",
        "the visit date 2030-01-01 is not in the years 2016 to 2020",
        "contact 1: the name is missing",
        "contact 2: 'nomail' is not an e-mail address",
    ]
    assert VisitEvent.objects.filter(kind=VisitEvent.Kind.VISIT_PLANNED).count() == 0


def test_a_plan_for_a_base_of_another_panel_is_refused(leaders, campaign_c, alice):
    with pytest.raises(VisitError, match="base U2 is not evaluated by panel 1"):
        services.visit_plan_save(
            campaign=campaign_c,
            panel=panel(1),
            base=base("U2"),
            visit_date=None,
            itinerary="",
            contacts=[],
            members=[],
            user=alice,
        )


def test_a_stale_plan_is_refused_and_the_plan_kept(visit_r1, campaign_c, erin):
    kwargs = dict(
        campaign=campaign_c,
        panel=panel(1),
        base=base("R1"),
        itinerary="",
        contacts=[],
        members=[],
        user=erin,
    )
    services.visit_plan_save(visit_date=date(2018, 6, 13), version=1, **kwargs)
    with pytest.raises(ConcurrentEditError):
        services.visit_plan_save(visit_date=date(2018, 6, 14), version=1, **kwargs)
    visit_r1.refresh_from_db()
    assert (visit_r1.date, visit_r1.version) == (date(2018, 6, 13), 2)


def test_a_record_is_saved_and_a_stale_one_refused(record_r1, erin, mia):
    assert record_r1.version == 1
    assert record_r1.checked == ["space", "ledgers"]
    services.visit_record_save(
        visit=record_r1.visit,
        members_present=[expert("X02")],
        base_attendees="",
        checked=["ledgers", "space", "funds"],
        checked_notes="",
        findings="补充：专项资金使用规范。",
        user=mia,
        version=1,
    )
    with pytest.raises(ConcurrentEditError):
        services.visit_record_save(
            visit=record_r1.visit,
            members_present=[],
            base_attendees="",
            checked=[],
            checked_notes="",
            findings="覆盖",
            user=erin,
            version=1,
        )
    record_r1.refresh_from_db()
    # The checklist is kept in the checklist's order.
    assert (record_r1.version, record_r1.checked, record_r1.findings) == (
        2,
        ["space", "ledgers", "funds"],
        "补充：专项资金使用规范。",
    )
    event = VisitEvent.objects.filter(kind=VisitEvent.Kind.RECORD_SAVED).last()
    assert (event.old["findings"], event.new["findings"], event.actor) == (
        "台账与填报数据一致。",
        "补充：专项资金使用规范。",
        "mia",
    )


def test_unknown_checklist_items_and_strangers_are_refused(visit_r1, erin):
    with pytest.raises(VisitError) as caught:
        services.visit_record_save(
            visit=visit_r1,
            members_present=[expert("X05")],
            base_attendees="",
            checked=["space", "karaoke"],
            checked_notes="",
            findings="",
            user=erin,
        )
    assert caught.value.problems == [
        "unknown checklist items karaoke; allowed: space, platforms, policies, ledgers, "
        "enterprises, funds",
        "not members of the panel: X05",
    ]


def test_a_photo_gets_a_thumbnail(record_r1, erin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = services.visit_file_add(
        record=record_r1, name="site.png", data=png_bytes((1280, 640)), user=erin
    )
    assert (item.content_type, item.is_image()) == ("image/png", True)
    from PIL import Image

    with Image.open(item.thumbnail.open("rb")) as thumb:
        assert (thumb.format, thumb.size) == ("JPEG", (320, 160))
    event = VisitEvent.objects.get(kind=VisitEvent.Kind.FILE_ADDED)
    assert (event.new["name"], event.new["type"]) == ("site.png", "image/png")


def test_a_pdf_gets_no_thumbnail(record_r1, erin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = services.visit_file_add(
        record=record_r1, name="notes.pdf", data=b"%PDF-1.4\n%%EOF", user=erin
    )
    assert (item.content_type, bool(item.thumbnail)) == ("application/pdf", False)


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.png", b"", VisitCode.EMPTY_FILE),
        ("script.png", b"<script>", VisitCode.FILE_TYPE),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 10, VisitCode.FILE_TYPE),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10, VisitCode.FILE_TYPE),
    ],
)
def test_bad_files_are_refused(record_r1, erin, settings, tmp_path, name, data, code):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(VisitError) as caught:
        services.visit_file_add(record=record_r1, name=name, data=data, user=erin)
    assert caught.value.code == code
    assert VisitFile.objects.count() == 0


def test_a_file_over_the_limit_is_refused(record_r1, erin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(VisitError, match="files may be at most") as caught:
        services.visit_file_add(record=record_r1, name="big.png", data=png_bytes(), user=erin)
    assert caught.value.code == VisitCode.FILE_TOO_LARGE


def test_the_opinion_goes_from_draft_to_accepted(opinion_r1, erin, mia, alice, roster):
    x03 = expert("X03")
    opinion = services.opinion_circulate(opinion=opinion_r1, user=erin, version=1)
    services.opinion_answer(
        opinion=opinion, expert=expert("X02"), agrees=True, dissent="", user=mia
    )
    services.opinion_answer(
        opinion=opinion, expert=x03, agrees=False, dissent="评分偏高。", user=None
    )
    opinion = services.opinion_submit(opinion=opinion, user=erin, version=2)
    opinion = services.opinion_accept(opinion=opinion, user=alice, version=3, note="同意。")
    assert (opinion.state, opinion.version, opinion.office_note) == (
        Opinion.State.ACCEPTED,
        4,
        "同意。",
    )
    assert [(r.expert.code, r.agrees, r.dissent) for r in opinion.responses.all()] == [
        ("X02", True, ""),
        ("X03", False, "评分偏高。"),
    ]
    kinds = list(VisitEvent.objects.filter(base=base("R1")).values_list("kind", "actor", "new"))
    assert kinds == [
        (
            "opinion_saved",
            "erin",
            {"text": "基地运营良好。", "recommendations": "加强东西部交流。"},
        ),
        ("opinion_circulated", "erin", {"state": "circulated"}),
        ("opinion_answered", "mia", {"expert": "X02", "agrees": True, "dissent": ""}),
        ("opinion_answered", "system", {"expert": "X03", "agrees": False, "dissent": "评分偏高。"}),
        ("opinion_submitted", "erin", {"state": "submitted"}),
        ("opinion_accepted", "alice", {"state": "accepted", "office_note": "同意。"}),
    ]


def test_dissent_needs_a_reason(opinion_r1, erin, mia):
    opinion = services.opinion_circulate(opinion=opinion_r1, user=erin)
    with pytest.raises(VisitError, match="a dissent needs its reason"):
        services.opinion_answer(
            opinion=opinion, expert=expert("X02"), agrees=False, dissent=" ", user=mia
        )


def test_answers_only_while_circulated_and_only_by_members(opinion_r1, erin, frank):
    with pytest.raises(VisitError) as caught:
        services.opinion_answer(
            opinion=opinion_r1, expert=expert("X02"), agrees=True, dissent="", user=None
        )
    assert caught.value.code == VisitCode.WRONG_STATE
    opinion = services.opinion_circulate(opinion=opinion_r1, user=erin)
    with pytest.raises(VisitError) as caught:
        services.opinion_answer(
            opinion=opinion, expert=expert("X04"), agrees=True, dissent="", user=frank
        )
    assert caught.value.code == VisitCode.NOT_MEMBER


def test_a_returned_opinion_is_edited_and_circulated_again_without_the_old_answers(
    opinion_r1, erin, mia, alice, campaign_c
):
    opinion = services.opinion_circulate(opinion=opinion_r1, user=erin)
    services.opinion_answer(
        opinion=opinion, expert=expert("X02"), agrees=True, dissent="", user=mia
    )
    opinion = services.opinion_submit(opinion=opinion, user=erin)
    with pytest.raises(VisitError, match="say why the opinion is returned"):
        services.opinion_return(opinion=opinion, user=alice, note="")
    opinion = services.opinion_return(opinion=opinion, user=alice, note="请补充整改建议。")
    assert opinion.state == Opinion.State.RETURNED
    opinion = services.opinion_save(
        campaign=campaign_c,
        panel=panel(1),
        base=base("R1"),
        text="基地运营良好，建议加强资源集聚。",
        recommendations="",
        user=erin,
        version=opinion.version,
    )
    opinion = services.opinion_circulate(opinion=opinion, user=erin, version=opinion.version)
    assert opinion.responses.count() == 0
    event = VisitEvent.objects.filter(kind=VisitEvent.Kind.OPINION_CIRCULATED).last()
    assert event.old == {"state": "returned", "answers": {"X02": {"agrees": True, "dissent": ""}}}


def test_an_accepted_opinion_cannot_be_edited(opinion_r1, erin, alice, campaign_c):
    opinion = services.opinion_circulate(opinion=opinion_r1, user=erin)
    opinion = services.opinion_submit(opinion=opinion, user=erin)
    accepted = services.opinion_accept(opinion=opinion, user=alice)
    with pytest.raises(VisitError) as caught:
        services.opinion_save(
            campaign=campaign_c,
            panel=panel(1),
            base=base("R1"),
            text="改写",
            recommendations="",
            user=erin,
            version=accepted.version,
        )
    assert caught.value.code == VisitCode.WRONG_STATE


def test_an_editor_who_saw_no_record_does_not_overwrite_one(record_r1, mia):
    with pytest.raises(ConcurrentEditError, match="saved by someone else meanwhile"):
        services.visit_record_save(
            visit=record_r1.visit,
            members_present=[],
            base_attendees="",
            checked=[],
            checked_notes="",
            findings="我的首稿",
            user=mia,
            version=None,
        )
    record_r1.refresh_from_db()
    assert (record_r1.version, record_r1.findings) == (1, "台账与填报数据一致。")


def test_a_stale_opinion_version_is_refused(opinion_r1, erin):
    services.opinion_circulate(opinion=opinion_r1, user=erin, version=1)
    with pytest.raises(ConcurrentEditError):
        services.opinion_submit(opinion=opinion_r1, user=erin, version=1)


def test_the_record_closes_when_the_opinion_goes_to_the_office_and_reopens_when_returned(
    record_r1, opinion_r1, erin, alice, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    opinion = services.opinion_circulate(opinion=opinion_r1, user=erin, version=1)
    opinion = services.opinion_submit(opinion=opinion, user=erin, version=2)

    def edit():
        return services.visit_record_save(
            visit=record_r1.visit,
            members_present=[expert("X01")],
            base_attendees="王主任",
            checked=["space"],
            checked_notes="",
            findings="补记。",
            user=erin,
            version=record_r1.version,
        )

    for attempt in (edit, lambda: services.visit_file_add(
        record=record_r1, name="site.png", data=png_bytes(), user=erin
    )):  # fmt: skip
        with pytest.raises(VisitError) as refused:
            attempt()
        assert refused.value.code == VisitCode.WRONG_STATE
        assert refused.value.problems == [
            "the visit record of R1 is closed: the panel's opinion is submitted; it reopens "
            "when the evaluation office returns the opinion"
        ]
    record_r1.refresh_from_db()
    assert (record_r1.findings, record_r1.version, record_r1.files.count()) == (
        "台账与填报数据一致。",
        1,
        0,
    )

    services.opinion_return(opinion=opinion, user=alice, note="请补充考察记录。")
    assert edit().findings == "补记。"
