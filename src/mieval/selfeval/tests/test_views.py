# ruff: noqa: E501 -- Chinese test texts and exact messages, one a line.
"""The self-evaluation pages: the editor (explicit save, autosave, limits, conflicts), submit,
the office's review, what experts read, the search, the template page and evidence uploads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mieval.selfeval.models import ReportTemplate, SelfEvaluation
from mieval.selfeval.services import report_return, report_save, report_submit
from mieval.selfeval.tests.conftest import PDF, TEXTS, base

pytestmark = pytest.mark.django_db

REPORT = reverse("selfeval_report", args=["c", "R1"])
SAVE = reverse("selfeval_save", args=["c", "R1"])
SUBMIT = reverse("selfeval_submit", args=["c", "R1"])
REVIEW = reverse("selfeval_review", args=["c", "R1"])


def form(version, **texts):
    return {"version": version, **{f"text_{k}": v for k, v in {**TEXTS, **texts}.items()}}


def test_the_editor_shows_every_section_with_guidance_limit_and_the_autosave_interval(
    client, english, template, bob
):
    client.force_login(bob)

    page = client.get(REPORT).content.decode()

    assert 'id="report-form"' in page
    assert 'data-autosave-seconds="20"' in page
    assert page.count("<textarea") == 5
    assert "1. Progress and results" in page
    assert "Against the base&#x27;s construction plan" in page
    assert "0 of at most 3000 characters" in page
    assert 'id="submit-form"' not in page  # nothing saved yet


def test_an_explicit_save_creates_the_report_and_says_when(client, english, template, bob, clock):
    client.force_login(bob)

    response = client.post(SAVE, form(0), follow=True)

    assert response.redirect_chain == [(REPORT, 302)]
    assert "Saved at 17:00:00." in response.content.decode()
    report = SelfEvaluation.objects.get()
    assert (report.version, report.state) == (1, "draft")


def test_a_section_over_its_limit_is_named_and_the_text_kept(client, english, template, bob):
    client.force_login(bob)

    response = client.post(SAVE, form(0, problems="问" * 2005))

    assert response.status_code == 422
    page = response.content.decode()
    assert (
        "Section “Problems and constraints” has 2005 characters; at most 2000 are allowed. Shorten it by 5 characters."
        in page
    )
    assert "问" * 2005 in page
    assert SelfEvaluation.objects.count() == 0


def test_the_autosave_answers_json_with_the_new_version(client, english, template, bob, clock):
    client.force_login(bob)
    client.post(SAVE, form(0))

    response = client.post(SAVE, {**form(1, problems="自动保存"), "autosave": "1"})

    assert response.status_code == 200
    assert response.json() == {"ok": True, "version": 2, "message": "Saved at 17:00:00."}
    assert SelfEvaluation.objects.get().events.order_by("id").last().action == "autosaved"


def test_a_stale_autosave_is_a_conflict_and_writes_nothing(client, english, template, bob):
    client.force_login(bob)
    client.post(SAVE, form(0))
    client.post(SAVE, form(1, problems="另一个窗口保存的"))

    response = client.post(SAVE, {**form(1, problems="旧窗口"), "autosave": "1"})

    assert response.status_code == 409
    assert response.json() == {
        "ok": False,
        "conflict": True,
        "message": "Someone else saved this self-evaluation report meanwhile (version 2, you edited version 1); nothing was saved. Copy your text, reload the page and make your changes again.",
    }
    assert (
        SelfEvaluation.objects.get().texts.get(section__code="problems").text == "另一个窗口保存的"
    )


def test_an_autosave_over_the_limit_names_the_section(client, english, template, bob):
    client.force_login(bob)

    response = client.post(SAVE, {**form(0, policy_requests="建" * 1501), "autosave": "1"})

    assert response.status_code == 422
    assert response.json() == {
        "ok": False,
        "problems": [
            "Section “Policy requests” has 1501 characters; at most 1500 are allowed. Shorten it by 1 characters."
        ],
    }


def test_a_stale_explicit_save_shows_both_texts_and_then_saves_knowingly(
    client, english, template, bob
):
    client.force_login(bob)
    client.post(SAVE, form(0))
    client.post(SAVE, form(1, problems="另一个窗口保存的"))

    response = client.post(SAVE, form(1, problems="我的修改"))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Saved meanwhile by someone else" in page
    assert "另一个窗口保存的" in page  # the stored text, shown
    assert "我的修改</textarea>" in page  # the editor's text, kept
    assert 'name="version" value="2"' in page
    again = client.post(SAVE, form(2, problems="我的修改"))
    assert again.status_code == 302
    assert SelfEvaluation.objects.get().texts.get(section__code="problems").text == "我的修改"


def test_submit_names_the_empty_required_sections(client, english, template, bob):
    client.force_login(bob)
    client.post(SAVE, form(0, next_steps="", policy_requests=""))

    response = client.post(SUBMIT, {"version": 1}, follow=True)

    assert (
        "These required sections are still empty: Next steps, Policy requests."
        in response.content.decode()
    )
    assert SelfEvaluation.objects.get().state == "draft"


def test_a_submitted_report_is_read_only_for_the_base(client, english, template, bob):
    client.force_login(bob)
    client.post(SAVE, form(0))

    response = client.post(SUBMIT, {"version": 1}, follow=True)

    page = response.content.decode()
    assert "The report was submitted to the evaluation office." in page
    assert 'id="report-form"' not in page
    assert 'data-state="submitted"' in page


def test_the_office_returns_with_comments_the_base_sees_them(client, english, template, bob, alice):
    report = report_save(
        campaign=template.campaign, base=base("R1"), texts=TEXTS, expected_version=0, user=bob
    )
    report_submit(report=report, expected_version=1, user=bob)
    client.force_login(alice)
    page = client.get(REPORT).content.decode()
    assert 'id="review-form"' in page

    response = client.post(
        REVIEW,
        {
            "decision": "return",
            "version": 2,
            "comment": "请补充数据来源。",
            "comment_problems": "问题分析过于笼统。",
        },
    )

    assert response.status_code == 302
    client.force_login(bob)
    page = client.get(REPORT).content.decode()
    assert 'id="review-comment"' in page
    assert "请补充数据来源。" in page
    assert 'id="comment-problems"' in page
    assert "问题分析过于笼统。" in page
    assert 'id="report-form"' in page  # returned: editable again


def test_a_return_without_any_comment_is_refused_with_the_reason(
    client, english, template, bob, alice
):
    report = report_save(
        campaign=template.campaign, base=base("R1"), texts=TEXTS, expected_version=0, user=bob
    )
    report_submit(report=report, expected_version=1, user=bob)
    client.force_login(alice)

    response = client.post(REVIEW, {"decision": "return", "version": 2})

    assert response.status_code == 422
    assert (
        "Say what the base should change: write an overall comment or a comment on a section."
        in response.content.decode()
    )


def test_an_accepted_report_has_no_editor(client, english, template, bob, alice):
    report = report_save(
        campaign=template.campaign, base=base("R1"), texts=TEXTS, expected_version=0, user=bob
    )
    report_submit(report=report, expected_version=1, user=bob)
    client.force_login(alice)
    client.post(REVIEW, {"decision": "accept", "version": 2})
    client.force_login(bob)

    page = client.get(REPORT).content.decode()

    assert 'data-state="accepted"' in page
    assert 'id="report-form"' not in page
    assert 'id="file-form"' not in page
    assert client.post(SAVE, form(3)).status_code == 422


def test_an_expert_reads_the_text_without_the_offices_comments_or_history(
    client, english, template, panel, bob, alice, erin
):
    report = report_save(
        campaign=template.campaign, base=base("R1"), texts=TEXTS, expected_version=0, user=bob
    )
    report = report_submit(report=report, expected_version=1, user=bob)
    report_return(
        report=report,
        expected_version=2,
        comment="内部意见",
        section_comments={"problems": "笼统"},
        user=alice,
    )
    client.force_login(erin)

    page = client.get(REPORT).content.decode()

    assert TEXTS["progress"] in page
    assert "内部意见" not in page
    assert "笼统" not in page
    assert 'id="history"' not in page
    assert 'id="report-form"' not in page


def test_the_office_list_counts_and_links_every_base(client, english, template, bob, alice):
    report_save(
        campaign=template.campaign, base=base("R1"), texts=TEXTS, expected_version=0, user=bob
    )
    client.force_login(alice)

    page = client.get(reverse("selfeval_campaign", args=["c"])).content.decode()

    assert '<td data-state="none">4</td>' in page
    assert '<td data-state="draft">1</td>' in page
    assert page.count('<tr data-base="') == 5


def test_the_search_page_highlights_the_matches(client, english, template, bob, alice):
    report_save(
        campaign=template.campaign, base=base("R1"), texts=TEXTS, expected_version=0, user=bob
    )
    client.force_login(alice)

    page = client.get(reverse("selfeval_search", args=["c"]), {"q": "中西部地区"}).content.decode()

    assert "2 sections match “中西部地区”." in page
    assert '<tr class="hit" data-base="R1" data-section="problems">' in page
    assert "<mark>中西部地区</mark>" in page


def test_an_overlong_query_is_refused_with_the_limit(client, english, template, alice):
    client.force_login(alice)

    response = client.get(reverse("selfeval_search", args=["c"]), {"q": "x" * 101})

    assert response.status_code == 400
    assert "Ensure this value has at most 100 characters (it has 101)." in response.content.decode()


def test_an_upload_over_the_limit_is_refused_before_it_is_read(
    client, english, template, bob, media, settings, monkeypatch
):
    settings.EVIDENCE_MAX_BYTES = 100
    client.force_login(bob)
    client.post(SAVE, form(0))
    # Refused on the upload's declared size: the service (which gets the bytes) is never called.
    monkeypatch.setattr(
        "mieval.selfeval.views.report_file_attach", lambda **kw: pytest.fail("read")
    )

    response = client.post(
        reverse("selfeval_file_upload", args=["c", "R1"]),
        {"file": SimpleUploadedFile("大.pdf", PDF + b"x" * 200, "application/pdf")},
        follow=True,
    )

    assert "“大.pdf” is 0.0 MB; evidence files may be at most 0 MB." in response.content.decode()
    assert SelfEvaluation.objects.get().files.count() == 0


def test_an_evidence_file_is_attached_and_downloaded(client, english, template, bob, media):
    client.force_login(bob)
    client.post(SAVE, form(0))

    response = client.post(
        reverse("selfeval_file_upload", args=["c", "R1"]),
        {"file": SimpleUploadedFile("协议.pdf", PDF, "application/pdf"), "description": "孵化协议"},
        follow=True,
    )

    assert "The evidence file was attached." in response.content.decode()
    attached = SelfEvaluation.objects.get().files.get()
    download = client.get(reverse("selfeval_file", args=["c", "R1", attached.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"


def test_the_template_page_saves_a_template_in_use_as_the_next_version(
    client, english, template, bob, alice
):
    report_save(
        campaign=template.campaign, base=base("R1"), texts=TEXTS, expected_version=0, user=bob
    )
    client.force_login(alice)
    data = {"revision": 0}
    for i, s in enumerate(template.sections.all()):
        data |= {
            f"code_{i}": s.code, f"title_zh_{i}": s.title_zh, f"title_en_{i}": s.title_en,
            f"guidance_zh_{i}": s.guidance_zh, f"guidance_en_{i}": s.guidance_en,
            f"max_chars_{i}": s.max_chars, f"required_{i}": "on",
        }  # fmt: skip
    data |= {
        "code_5": "funds",
        "title_zh_5": "资金使用",
        "title_en_5": "Use of funds",
        "max_chars_5": "800",
    }

    response = client.post(reverse("selfeval_template", args=["c"]), data, follow=True)

    page = response.content.decode()
    assert (
        "Reports were already written on version 1, so the changes were saved as version 2; those reports keep version 1."
        in page
    )
    newest = ReportTemplate.objects.get(version=2)
    assert [s.code for s in newest.sections.all()][-1] == "funds"
    assert newest.sections.get(code="funds").required is False
    assert SelfEvaluation.objects.get().template.version == 1


def test_the_template_page_names_every_problem(client, english, template, alice):
    client.force_login(alice)

    response = client.post(
        reverse("selfeval_template", args=["c"]),
        {"revision": 0, "code_0": "a", "title_zh_0": "", "title_en_0": "A", "max_chars_0": "x"},
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Section 1 (a): the Chinese title is missing." in page
    assert (
        "Section 1 (a): the length limit &#x27;x&#x27; must be a whole number from 1 to 20000."
        in page
    )


def test_the_xlsx_download(client, template, bob, alice):
    report_save(
        campaign=template.campaign, base=base("R1"), texts=TEXTS, expected_version=0, user=bob
    )
    client.force_login(alice)

    response = client.get(reverse("selfeval_export_xlsx", args=["c"]))

    assert response["Content-Disposition"] == 'attachment; filename="self-evaluations-c.xlsx"'
    assert response.content[:2] == b"PK"


def test_nav_links_the_reports_for_the_roles_that_read_them(client, everyone):
    def linked(name):
        client.force_login(everyone[name])
        return reverse("selfeval_home") in client.get(reverse("tokens")).content.decode()

    assert [linked(n) for n in ("alice", "bob", "erin", "oscar", "victor")] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_a_decision_on_a_report_not_submitted_says_why(client, english, template, bob, alice):
    report_save(
        campaign=template.campaign, base=base("R1"), texts=TEXTS, expected_version=0, user=bob
    )
    client.force_login(alice)

    response = client.post(REVIEW, {"decision": "accept", "version": 1})

    assert response.status_code == 422
    assert "The report is draft: it cannot be accepted now." in response.content.decode()


def test_a_save_naming_a_version_of_a_report_never_saved_is_a_conflict(
    client, english, template, bob
):
    client.force_login(bob)

    response = client.post(SAVE, form(3))

    assert response.status_code == 409
    assert (
        "Someone else saved this self-evaluation report meanwhile (version 0, you edited version 3)"
        in response.content.decode()
    )
    assert SelfEvaluation.objects.count() == 0
