"""Feedback letters (反馈意见书): the content, the PDF and DOCX carrying the same text in Chinese
and English, versions and their conflicts, sending, the audit."""

import io
import re

import pypdfium2
import pytest
from django.urls import reverse

from mieval.lib.concurrency import ConcurrentEditError
from mieval.rectification.letters import DOCX_CJK_FONT, docx_texts
from mieval.rectification.models import FeedbackLetter, RegisterEvent
from mieval.rectification.services import (
    RegisterCode,
    RegisterError,
    letter_send,
    letters_generate,
    rectification_plan,
)
from mieval.registry.models import Base


def pdf_text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(data)
    return "".join(page.get_textpage().get_text_range() for page in pdf)


def squeezed(text: str) -> str:
    """The text without white space: the PDF breaks lines where the DOCX does not."""
    return re.sub(r"\s", "", text)


def files_of(letter):
    with letter.pdf.open("rb") as pdf, letter.docx.open("rb") as docx:
        return pdf.read(), docx.read()


@pytest.fixture
def world(filed, accepted_r1, scored, media):
    return accepted_r1.campaign


def test_the_chinese_letter_carries_the_opinion_grade_and_problems_in_both_files(world, alice):
    from mieval.reports.models import Snapshot

    snapshot = Snapshot.objects.create(
        campaign=world, sequence=1, content_hash="ab12" * 16, payload={}
    )
    [letter] = letters_generate(campaign=world, user=alice)

    assert (letter.base.code, letter.version, letter.state, letter.lang) == (
        "R1", 1, "generated", "zh"
    )  # fmt: skip
    assert letter.snapshot_hash == snapshot.content_hash
    pdf, docx = files_of(letter)
    texts = docx_texts(docx)
    assert texts == [
        "测试评估反馈意见书",
        "致：区域一（R1）",
        "在测试评估中，评估专家组对你基地进行了评估，审阅了自评报告并实地考察。"
        "现将评估结果、专家组意见和需要你基地整改的问题反馈如下。",
        "一、评估结果",
        "你基地在本次评估中的等级为：合格。",
        "二、专家组意见",
        "基地运营良好。",
        "专家组建议：",
        "加强东西部交流。",
        "三、需要整改的问题",
        "评估发现1个问题，请按整改建议逐项整改。",
        "序号", "问题", "类型", "严重程度", "整改建议", "截止时间",
        "1", "R1的问题", "东部与中西部示范基地交流机制", "严重", "建立东西部基地结对交流机制。",
        "待制定",
        "请在 mieval 中逐个问题提交整改计划（措施、责任人或单位、期限），"
        "并报告整改进展，直至评估办公室验收。",
        "评估办公室",
        "2026年3月1日",
        "本意见书依据已发布的评估结果 ab12ab12ab12。",
    ]  # fmt: skip
    # The PDF says exactly the same, line breaks aside.
    assert squeezed(pdf_text(pdf)) == squeezed("".join(texts))
    import hashlib

    assert (letter.pdf_sha256, letter.docx_sha256) == (
        hashlib.sha256(pdf).hexdigest(),
        hashlib.sha256(docx).hexdigest(),
    )


def test_the_docx_uses_real_styles_and_the_cjk_font(world, alice):
    from docx import Document
    from docx.oxml.ns import qn

    [letter] = letters_generate(campaign=world, user=alice)
    document = Document(io.BytesIO(files_of(letter)[1]))

    styles = [p.style.name for p in document.paragraphs]
    assert styles[:4] == ["Title", "Normal", "Normal", "Heading 1"]
    assert styles.count("Heading 1") == 3
    assert [t.style.name for t in document.tables] == ["Table Grid"]
    for name in ("Normal", "Title", "Heading 1"):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == DOCX_CJK_FONT


def test_the_english_letter_on_request_with_the_planned_deadline(world, alice, bob, filed):
    from datetime import date

    rectification_plan(
        problem=filed["r1"], measures="结对", owner="办公室", deadline=date(2026, 6, 30), user=bob
    )
    [letter] = letters_generate(campaign=world, lang="en", user=alice)

    pdf, docx = files_of(letter)
    texts = docx_texts(docx)
    assert texts[:5] == [
        "Feedback letter of the Test campaign",
        "To: Region one (R1)",
        "In the Test campaign the expert panel evaluated your base, read its self-evaluation "
        "and visited it. This letter gives you the evaluation's result, the panel's opinion and "
        "the problems that your base is asked to rectify.",
        "1. The evaluation's result",
        "Your base's grade in this evaluation is: qualified.",
    ]
    row = texts[texts.index("Deadline") + 1 : texts.index("Deadline") + 7]
    assert row == [
        "1", "A problem at R1", "East/Central-West communication and exchange", "serious",
        "Pair with a western base.", "2026-06-30",
    ]  # fmt: skip
    assert texts[-2:] == ["The evaluation office", "1 March 2026"]
    assert squeezed(pdf_text(pdf)) == squeezed("".join(texts))


def test_regenerating_makes_a_new_version_and_a_stale_version_is_refused(world, alice):
    [first] = letters_generate(campaign=world, user=alice)
    r1 = Base.objects.get(code="R1")
    [second] = letters_generate(
        campaign=world, bases=[r1], lang="en", expected_versions={"R1": 1}, user=alice
    )
    assert (second.pk, second.version, second.lang) == (first.pk, 2, "en")

    with pytest.raises(ConcurrentEditError):
        letters_generate(campaign=world, bases=[r1], expected_versions={"R1": 1}, user=alice)
    with pytest.raises(ConcurrentEditError):
        letter_send(letter=second, expected_version=1, user=alice)
    second.refresh_from_db()
    assert (second.version, second.state, second.lang) == (2, "generated", "en")


def test_a_base_without_an_accepted_opinion_gets_no_letter(world, alice):
    with pytest.raises(RegisterError) as refused:
        letters_generate(campaign=world, bases=[Base.objects.get(code="U1")], user=alice)
    assert refused.value.code == RegisterCode.NO_OPINION
    assert FeedbackLetter.objects.count() == 0


def test_an_unknown_language_is_refused_naming_the_field(world, alice):
    with pytest.raises(RegisterError) as refused:
        letters_generate(campaign=world, lang="fr", user=alice)
    assert refused.value.problems == (("lang", "'fr' is not one of zh, en"),)


def test_sending_notifies_the_officers_after_commit_and_is_audited(
    world, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    [letter] = letters_generate(campaign=world, user=alice)
    letters_generate(campaign=world, expected_versions={"R1": 1}, user=alice)
    letter.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        sent = letter_send(letter=letter, expected_version=2, user=alice)

    assert (sent.state, sent.sent_by, sent.sent_at.isoformat()) == (
        "sent", alice, "2026-03-01T09:00:00+00:00"
    )  # fmt: skip
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["bob@example.org"], "R1 的反馈意见书已发出")
    ]
    with pytest.raises(RegisterError) as twice:
        letter_send(letter=sent, user=alice)
    assert twice.value.code == RegisterCode.WRONG_STATE
    events = RegisterEvent.objects.filter(action__startswith="letter_").order_by("id")
    assert [(e.action, e.actor, e.changes["base"]) for e in events] == [
        ("letter_generated", "alice", "R1"),
        ("letter_generated", "alice", "R1"),
        ("letter_sent", "alice", "R1"),
    ]
    assert events[0].changes["old"] is None
    assert events[1].changes["old"]["version"] == 1
    assert events[1].changes["new"]["version"] == 2
    assert events[2].changes["new"] == {"state": "sent", "recipients": ["bob@example.org"]}


# --- the pages ---------------------------------------------------------------------------------


def test_the_office_generates_and_sends_on_the_letters_page_and_the_base_downloads(
    client, world, alice, bob
):
    url = reverse("rectification_letters", args=["c"])
    client.force_login(alice)
    response = client.post(url, {"action": "generate", "lang": "zh"}, follow=True)
    assert "已生成 1 份反馈意见书。" in response.content.decode()
    letter = FeedbackLetter.objects.get()
    # Bob sees nothing before it is sent.
    client.force_login(bob)
    assert client.get(reverse("rectification_letter", args=["c", "R1"])).status_code == 404
    client.force_login(alice)
    response = client.post(url, {"action": "send", "base": "R1", "version": "1"})
    assert response.status_code == 302

    client.force_login(bob)
    page = client.get(reverse("rectification_letter", args=["c", "R1"])).content.decode()
    assert "测试评估反馈意见书" in page
    pdf = client.get(reverse("rectification_letter_file", args=["c", "R1", "pdf"]))
    docx = client.get(reverse("rectification_letter_file", args=["c", "R1", "docx"]))
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert docx["Content-Disposition"] == 'attachment; filename="feedback-c-R1-v1.docx"'
    assert squeezed(pdf_text(b"".join(pdf.streaming_content))) == squeezed(
        "".join(docx_texts(b"".join(docx.streaming_content)))
    )
    letter.refresh_from_db()
    assert letter.state == "sent"


def test_a_stale_send_on_the_page_is_a_conflict(client, world, alice):
    letters_generate(campaign=world, user=alice)
    letters_generate(campaign=world, expected_versions={"R1": 1}, user=alice)
    client.force_login(alice)

    response = client.post(
        reverse("rectification_letters", args=["c"]), {"action": "send", "base": "R1", "version": 1}
    )

    assert response.status_code == 409
    assert "此条目已被他人修改，页面现显示最新版本。" in response.content.decode()
    assert FeedbackLetter.objects.get().state == "generated"


def test_generating_for_a_base_without_an_opinion_on_the_page_is_refused(client, world, alice):
    client.force_login(alice)
    response = client.post(
        reverse("rectification_letters", args=["c"]),
        {"action": "generate", "base": "U1", "lang": "zh"},
    )
    assert response.status_code == 400
    assert "反馈意见书需要专家组已被接受的意见。" in response.content.decode()


def test_the_api_gives_the_letters_metadata(world, alice):
    from mieval.api.tests.conftest import ApiClient

    [letter] = letters_generate(campaign=world, user=alice)
    body = ApiClient(alice).get("/campaigns/c/letters/R1").json()
    assert body == {
        "campaign": "c",
        "base": "R1",
        "version": 1,
        "state": "generated",
        "lang": "zh",
        "generated_at": "2026-03-01T09:00:00Z",
        "sent_at": None,
        "snapshot_hash": "",
        "pdf_sha256": letter.pdf_sha256,
        "docx_sha256": letter.docx_sha256,
        "pdf_url": "/campaigns/c/letters/R1/letter.pdf",
        "docx_url": "/campaigns/c/letters/R1/letter.docx",
    }
