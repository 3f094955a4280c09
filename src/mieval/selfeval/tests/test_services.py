# ruff: noqa: E501 -- Chinese test texts and exact messages, one a line.
"""The self-evaluation services: states, versions, limits, template versions, evidence, and
the audit rows they write (who, old, new)."""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from mieval.lib.concurrency import ConcurrentEditError
from mieval.selfeval.models import ReportTemplate, SelfEvaluation, SelfEvaluationEvent
from mieval.selfeval.services import (
    SelfEvaluationCode,
    SelfEvaluationError,
    report_accept,
    report_file_attach,
    report_file_remove,
    report_return,
    report_save,
    report_submit,
    template_default_load,
    template_problems,
    template_save,
)
from mieval.selfeval.tests.conftest import PDF, PNG, TEXTS, base

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def actions(report) -> list[str]:
    return list(report.events.order_by("id").values_list("action", flat=True))


def written(campaign, user, texts=None):
    return report_save(
        campaign=campaign, base=base("R1"), texts=texts or TEXTS, expected_version=0, user=user
    )


# --- saving ------------------------------------------------------------------------------------


def test_the_first_save_creates_a_draft_on_the_newest_template_and_audits_every_section(
    campaign_c, template, bob, clock
):
    report = written(campaign_c, bob)

    assert (report.state, report.version, report.template_id) == ("draft", 1, template.pk)
    assert report.updated_at == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    event = SelfEvaluationEvent.objects.get(report=report)
    assert (event.action, event.actor, event.user) == ("saved", "bob", bob)
    assert event.changes == {code: ["", text] for code, text in TEXTS.items()}


def test_a_later_save_records_only_the_changed_sections_old_and_new(campaign_c, template, bob):
    report = written(campaign_c, bob)

    report = report_save(
        campaign=campaign_c, base=base("R1"), texts={**TEXTS, "problems": "  信用体系建设滞后。 "},
        expected_version=1, user=bob,
    )  # fmt: skip

    assert report.version == 2
    last = report.events.order_by("id").last()
    assert last.changes == {"problems": [TEXTS["problems"], "信用体系建设滞后。"]}


def test_a_save_without_changes_writes_nothing(campaign_c, template, bob):
    written(campaign_c, bob)

    report = report_save(
        campaign=campaign_c, base=base("R1"), texts=TEXTS, expected_version=1, user=bob
    )

    assert report.version == 1
    assert actions(report) == ["saved"]


def test_a_stale_version_is_refused_and_nothing_is_written(campaign_c, template, bob):
    written(campaign_c, bob)
    report_save(
        campaign=campaign_c, base=base("R1"), texts={"problems": "甲"}, expected_version=1, user=bob
    )

    with pytest.raises(ConcurrentEditError) as raised:
        report_save(
            campaign=campaign_c,
            base=base("R1"),
            texts={"problems": "乙"},
            expected_version=1,
            user=bob,
        )

    assert raised.value.message == (
        "Someone else saved this self-evaluation report meanwhile (version 2, you edited version 1);"
        " nothing was saved. Copy your text, reload the page and make your changes again."
    )
    report = SelfEvaluation.objects.get()
    assert report.version == 2
    assert report.texts.get(section__code="problems").text == "甲"
    assert actions(report) == ["saved", "saved"]


def test_a_second_first_save_is_a_conflict_too(campaign_c, template, bob, carol):
    written(campaign_c, bob)

    with pytest.raises(ConcurrentEditError):
        written(campaign_c, bob)


def test_an_autosave_is_checked_alike_and_audited_as_one(campaign_c, template, bob):
    written(campaign_c, bob)

    report = report_save(
        campaign=campaign_c, base=base("R1"), texts={"progress": "自动保存的文字"}, expected_version=1,
        user=bob, autosave=True,
    )  # fmt: skip

    assert report.version == 2
    assert actions(report) == ["saved", "autosaved"]


def test_every_section_over_its_limit_is_named_with_its_limit_and_nothing_is_saved(
    campaign_c, template, bob
):
    texts = {**TEXTS, "problems": "问" * 2001, "policy_requests": "建" * 1600}

    with pytest.raises(SelfEvaluationError) as raised:
        written(campaign_c, bob, texts)

    assert raised.value.code == SelfEvaluationCode.TOO_LONG
    assert raised.value.problems == [
        "Section “Problems and constraints” has 2001 characters; at most 2000 are allowed. Shorten it by 1 characters.",
        "Section “Policy requests” has 1600 characters; at most 1500 are allowed. Shorten it by 100 characters.",
    ]
    assert SelfEvaluation.objects.count() == 0


def test_the_limit_itself_is_allowed_and_surrounding_space_not_counted(campaign_c, template, bob):
    report = written(campaign_c, bob, {**TEXTS, "policy_requests": "  " + "建" * 1500 + "\n"})

    assert len(report.texts.get(section__code="policy_requests").text) == 1500


def test_a_section_the_template_does_not_have_is_refused(campaign_c, template, bob):
    with pytest.raises(SelfEvaluationError) as raised:
        written(campaign_c, bob, {"progress": "x", "budget": "y"})

    assert raised.value.problems == ["The template has no section budget."]


def test_no_report_before_the_office_sets_up_a_template(campaign_c, bob):
    with pytest.raises(SelfEvaluationError) as raised:
        written(campaign_c, bob)

    assert raised.value.code == SelfEvaluationCode.NO_TEMPLATE


# --- states ------------------------------------------------------------------------------------


def test_submit_names_the_required_sections_still_empty(campaign_c, template, bob):
    report = written(campaign_c, bob, {**TEXTS, "next_steps": " ", "policy_requests": ""})

    with pytest.raises(SelfEvaluationError) as raised:
        report_submit(report=report, expected_version=1, user=bob)

    assert raised.value.code == SelfEvaluationCode.MISSING_SECTIONS
    assert raised.value.problems == [
        "These required sections are still empty: Next steps, Policy requests."
    ]
    assert SelfEvaluation.objects.get().state == "draft"


def test_submit_return_fix_resubmit_accept_each_audited(campaign_c, template, bob, alice):
    report = written(campaign_c, bob)

    report = report_submit(report=report, expected_version=1, user=bob)
    report = report_return(
        report=report, expected_version=2, comment="请补充数据来源。",
        section_comments={"problems": "问题分析过于笼统。"}, user=alice,
    )  # fmt: skip
    assert (report.state, report.review_comment, report.decided_by) == (
        "returned",
        "请补充数据来源。",
        alice,
    )
    assert report.texts.get(section__code="problems").comment == "问题分析过于笼统。"
    report = report_save(
        campaign=campaign_c, base=base("R1"), texts={"problems": "企业信用体系建设滞后。"},
        expected_version=3, user=bob,
    )  # fmt: skip
    report = report_submit(report=report, expected_version=4, user=bob)
    report = report_accept(report=report, expected_version=5, user=alice)

    assert (report.state, report.version) == ("accepted", 6)
    assert actions(report) == ["saved", "submitted", "returned", "saved", "submitted", "accepted"]
    events = list(report.events.order_by("id"))
    assert events[1].changes == {"state": ["draft", "submitted"]}
    assert events[2].changes == {
        "state": ["submitted", "returned"],
        "comment": ["", "请补充数据来源。"],
        "comment:problems": ["", "问题分析过于笼统。"],
    }
    assert (events[2].actor, events[2].user) == ("alice", alice)
    assert events[4].changes == {"state": ["returned", "submitted"]}
    assert events[5].changes == {"state": ["submitted", "accepted"]}


def test_an_accepted_report_is_locked(campaign_c, template, bob, alice, media):
    report = written(campaign_c, bob)
    report = report_submit(report=report, expected_version=1, user=bob)
    report = report_accept(report=report, expected_version=2, user=alice)

    with pytest.raises(SelfEvaluationError) as saving:
        report_save(
            campaign=campaign_c,
            base=base("R1"),
            texts={"problems": "x"},
            expected_version=3,
            user=bob,
        )
    with pytest.raises(SelfEvaluationError) as submitting:
        report_submit(report=report, expected_version=3, user=bob)
    with pytest.raises(SelfEvaluationError) as returning:
        report_return(report=report, expected_version=3, comment="晚了", user=alice)
    with pytest.raises(SelfEvaluationError) as attaching:
        report_file_attach(report=report, name="a.pdf", data=PDF, user=bob)

    assert saving.value.problems == ["The report is accepted: it cannot be changed now."]
    assert submitting.value.problems == ["The report is accepted: it cannot be submitted now."]
    assert returning.value.problems == ["The report is accepted: it cannot be returned now."]
    assert attaching.value.code == SelfEvaluationCode.WRONG_STATE
    assert SelfEvaluation.objects.get().version == 3


def test_a_submitted_report_waits_for_the_office(campaign_c, template, bob):
    report_submit(report=written(campaign_c, bob), expected_version=1, user=bob)

    with pytest.raises(SelfEvaluationError) as raised:
        report_save(
            campaign=campaign_c,
            base=base("R1"),
            texts={"problems": "x"},
            expected_version=2,
            user=bob,
        )

    assert raised.value.problems == ["The report is submitted: it cannot be changed now."]


def test_a_draft_cannot_be_returned_or_accepted(campaign_c, template, bob, alice):
    report = written(campaign_c, bob)

    with pytest.raises(SelfEvaluationError) as returning:
        report_return(report=report, expected_version=1, comment="x", user=alice)
    with pytest.raises(SelfEvaluationError) as accepting:
        report_accept(report=report, expected_version=1, user=alice)

    assert returning.value.problems == ["The report is draft: it cannot be returned now."]
    assert accepting.value.problems == ["The report is draft: it cannot be accepted now."]


def test_a_return_needs_a_comment_and_a_known_section(campaign_c, template, bob, alice):
    report = report_submit(report=written(campaign_c, bob), expected_version=1, user=bob)

    with pytest.raises(SelfEvaluationError) as raised:
        report_return(
            report=report,
            expected_version=2,
            comment=" ",
            section_comments={"budget": "x", "problems": " "},
            user=alice,
        )

    assert raised.value.problems == [
        "The template has no section budget.",
        "Say what the base should change: write an overall comment or a comment on a section.",
    ]
    assert SelfEvaluation.objects.get().state == "submitted"


def test_a_review_of_a_stale_version_is_refused(campaign_c, template, bob, alice):
    report = report_submit(report=written(campaign_c, bob), expected_version=1, user=bob)

    with pytest.raises(ConcurrentEditError):
        report_accept(report=report, expected_version=1, user=alice)

    assert SelfEvaluation.objects.get().state == "submitted"


def test_a_new_return_replaces_the_earlier_comments(campaign_c, template, bob, alice):
    report = report_submit(report=written(campaign_c, bob), expected_version=1, user=bob)
    report = report_return(
        report=report, expected_version=2, section_comments={"problems": "甲"}, user=alice
    )
    report = report_submit(report=report, expected_version=3, user=bob)

    report = report_return(report=report, expected_version=4, comment="乙", user=alice)

    assert report.texts.get(section__code="problems").comment == ""
    assert report.events.order_by("id").last().changes == {
        "state": ["submitted", "returned"], "comment": ["", "乙"], "comment:problems": ["甲", ""],
    }  # fmt: skip


# --- templates -----------------------------------------------------------------------------------


def test_the_default_template_has_the_five_sections_and_loads_once(campaign_c):
    first = template_default_load(campaign=campaign_c)
    again = template_default_load(campaign=campaign_c)

    assert first.pk == again.pk
    assert [(s.code, s.title_zh, s.max_chars) for s in first.sections.all()] == [
        ("progress", "工作进展与成效", 3000),
        ("experience", "经验与做法", 2500),
        ("problems", "问题与制约", 2000),
        ("next_steps", "下一步工作", 2000),
        ("policy_requests", "政策建议", 1500),
    ]
    assert first.events.get().action == "template_saved"


def _rows(template):
    return [
        {
            k: getattr(s, k)
            for k in (
                "code",
                "title_zh",
                "title_en",
                "guidance_zh",
                "guidance_en",
                "max_chars",
                "required",
            )
        }
        for s in template.sections.all()
    ]


def test_a_template_no_report_uses_is_edited_in_place(campaign_c, template, alice):
    rows = _rows(template)
    rows[0]["max_chars"] = 4000

    saved = template_save(
        campaign=campaign_c, sections=rows, user=alice, template=template, revision=0
    )

    assert (saved.pk, saved.version, saved.revision) == (template.pk, 1, 1)
    assert saved.sections.get(code="progress").max_chars == 4000
    event = saved.events.order_by("id").last()
    assert event.changes["sections"][0][0]["max_chars"] == 3000
    assert event.changes["sections"][1][0]["max_chars"] == 4000


def test_editing_a_template_in_use_makes_the_next_version_and_reports_keep_theirs(
    campaign_c, template, alice, bob, carol
):
    report = written(campaign_c, bob)
    rows = _rows(template)[:4]

    saved = template_save(
        campaign=campaign_c, sections=rows, user=alice, template=template, revision=0
    )

    assert (saved.version, saved.pk != template.pk) == (2, True)
    assert ReportTemplate.objects.get(pk=template.pk).sections.count() == 5
    report.refresh_from_db()
    assert report.template_id == template.pk
    other = report_save(
        campaign=campaign_c,
        base=base("U1"),
        texts={"progress": "x"},
        expected_version=0,
        user=carol,
    )
    assert other.template_id == saved.pk
    # The first report is still checked and submitted against its own version (five sections).
    assert report_submit(report=report, expected_version=1, user=bob).state == "submitted"


def test_a_stale_template_revision_is_refused(campaign_c, template, alice):
    rows = _rows(template)
    template_save(campaign=campaign_c, sections=rows, user=alice, template=template, revision=0)

    with pytest.raises(ConcurrentEditError):
        template_save(campaign=campaign_c, sections=rows, user=alice, template=template, revision=0)


def test_template_problems_name_every_row_at_once():
    problems = template_problems(
        [
            {"code": "a", "title_zh": "甲", "title_en": "A", "max_chars": 100},
            {"code": "a", "title_zh": "", "title_en": "B", "max_chars": "many"},
            {"code": "b c", "title_zh": "丙", "title_en": "C", "max_chars": 0},
        ]
    )

    assert problems == [
        "Section 2 (a): the code is already used by section 1.",
        "Section 2 (a): the Chinese title is missing.",
        "Section 2 (a): the length limit 'many' must be a whole number from 1 to 20000.",
        "Section 3 (b c): the code may hold only letters, digits, - and _ (at most 40).",
        "Section 3 (b c): the length limit '0' must be a whole number from 1 to 20000.",
    ]


def test_a_template_needs_a_section(campaign_c):
    with pytest.raises(SelfEvaluationError) as raised:
        template_save(campaign=campaign_c, sections=[])

    assert raised.value.problems == ["A template needs at least one section."]


# --- evidence files ------------------------------------------------------------------------------


def test_an_evidence_file_is_checked_stored_and_audited(campaign_c, template, bob, media):
    report = written(campaign_c, bob)

    attached = report_file_attach(
        report=report, name="孵化协议.pdf", data=PDF, description="协议", user=bob
    )

    assert (attached.name, attached.content_type, attached.size) == (
        "孵化协议.pdf",
        "application/pdf",
        len(PDF),
    )
    assert attached.file.read() == PDF
    event = report.events.order_by("id").last()
    assert (event.action, event.changes["file"]) == ("file_added", [None, "孵化协议.pdf"])

    report_file_remove(attached=attached, user=bob)

    assert report.files.count() == 0
    assert report.events.order_by("id").last().changes["file"] == ["孵化协议.pdf", None]


@pytest.mark.parametrize(
    ("name", "data", "code", "message"),
    [
        ("a.pdf", b"", "empty_file", "The file 'a.pdf' is empty."),
        (
            "a.pdf",
            PNG,
            "file_type",
            "The file 'a.pdf' holds a PNG file but its name does not end in .png.",
        ),
        (
            "a.exe",
            b"MZ\x90\x00",
            "file_type",
            "The file 'a.exe' is not a PDF, PNG, JPEG, XLSX or DOCX file"
            " (allowed: .docx, .jpeg, .jpg, .pdf, .png, .xlsx).",
        ),
        (
            "big.pdf",
            PDF + b"x" * 2000,
            "file_too_large",
            "The file 'big.pdf' is 0.0 MB; evidence files may be at most 0 MB.",
        ),
    ],
)
def test_a_bad_evidence_file_is_refused(
    campaign_c, template, bob, media, settings, name, data, code, message
):
    settings.EVIDENCE_MAX_BYTES = 1000
    report = written(campaign_c, bob)

    with pytest.raises(SelfEvaluationError) as raised:
        report_file_attach(report=report, name=name, data=data, user=bob)

    assert (raised.value.code, raised.value.problems) == (code, [message])
    assert report.files.count() == 0
