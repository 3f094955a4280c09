"""The review pages end to end through the client: query → return → the base answers with a
correction → close → approve → locked; WorkflowError messages; evidence; the audit CSV."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mieval.collection.models import (
    Evidence,
    Query,
    Submission,
    Value,
    ValueAudit,
)
from mieval.collection.selectors import campaign_audit_csv
from mieval.collection.services import LockedError, campaign_create, value_set
from mieval.collection.tests.review_helpers import PDF, evidence_on, indicator
from mieval.collection.workflow import submission_for, submission_return, submission_submit
from mieval.registry.models import Base

HTMX = {"HTTP_HX_REQUEST": "true"}


def state_of(base_code: str) -> str:
    return Submission.objects.get(campaign__code="c", base__code=base_code).state


@pytest.fixture
def r1(campaign_c):
    return Base.objects.get(code="R1")


def test_the_review_cycle_through_the_pages(client, login, english, clock, r1, alice, bob):
    submission_submit(campaign=r1.campaigns.get(), base=r1, user=bob, actor="bob")
    review = reverse("submission_review", args=["c", "R1"])
    cell = reverse("value_detail", args=["c", "R1", "new_market_entities", 2017])

    # The analyst asks about a value, from the review table's panel (htmx).
    login(alice)
    asked = client.post(cell, {"action": "query", "text": "121 looks low; please check."}, **HTMX)
    assert asked.status_code == 200
    assert asked["HX-Trigger"] == "valueChanged"
    assert "The query is sent to the base." in asked.content.decode()
    assert not asked.content.decode().lstrip().startswith("<!DOCTYPE")
    query = Query.objects.get()
    assert (query.base.code, query.indicator.code, query.year, query.status) == (
        "R1",
        "new_market_entities",
        2017,
        "open",
    )

    # Approving while a query is open is refused, with a sentence the analyst can act on.
    refused = client.post(review, {"action": "approve"}, **HTMX)
    assert refused.status_code == 200
    assert refused.context["error"] == (
        "1 query on R1 is not closed yet; close it before approving."
    )
    assert state_of("R1") == "submitted"

    # Returned without a reason: the open query says why.
    returned = client.post(review, {"action": "return", "reason": ""})
    assert (returned.status_code, returned["Location"]) == (302, review)
    assert state_of("R1") == "returned"

    # The base officer answers and corrects the value.
    client.logout()
    login(bob)
    thread = reverse("query_detail", args=["c", query.pk])
    prefix = f"q{query.pk}"
    clock.tick(hours=1)
    answered = client.post(
        thread,
        {"action": "reply", f"{prefix}-text": "A typo: it is 131.", f"{prefix}-new_value": "131"},
        **HTMX,
    )
    assert answered.context["notice"] == "The answer is sent and the value is corrected to 131."
    assert answered["HX-Trigger"] == "valueChanged"
    query.refresh_from_db()
    assert query.status == "answered"
    assert Value.objects.get(base=r1, indicator__code="new_market_entities", year=2017).raw == "131"
    latest = ValueAudit.objects.filter(base=r1, year=2017).first()
    assert (latest.old, latest.new, latest.actor, latest.reason) == (
        "121",
        "131",
        "bob",
        f"query #{query.pk}: A typo: it is 131.",
    )
    submission_submit(campaign=r1.campaigns.get(), base=r1, user=bob, actor="bob")

    # The analyst closes the query and approves: the data is locked.
    client.logout()
    login(alice)
    closed = client.post(thread, {"action": "close", f"{prefix}-text": "Thank you."})
    assert (closed.status_code, closed["Location"]) == (302, thread)
    approved = client.post(review, {"action": "approve", "reason": "All clear."}, **HTMX)
    assert approved.context["notice"] == "The submission is approved; its data is now locked."
    assert state_of("R1") == "approved"
    with pytest.raises(LockedError):
        value_set(
            campaign=r1.campaigns.get(),
            base=r1,
            indicator=indicator("new_market_entities"),
            year=2017,
            raw="1",
            actor="alice",
            reason="test",
        )

    # The whole thread is kept and shown to the base.
    kinds = list(query.messages.values_list("kind", "actor", "old_value", "new_value"))
    assert kinds == [
        ("question", "alice", "", ""),
        ("correction", "bob", "121", "131"),
        ("note", "alice", "", ""),
    ]
    client.logout()
    login(bob)
    page = client.get(reverse("base_queries", args=["c", "R1"])).content.decode()
    for text in ("121 looks low; please check.", "A typo: it is 131.", "Thank you."):
        assert text in page
    events = Submission.objects.get(base=r1).events.values_list("from_state", "to_state", "actor")
    assert list(events) == [
        ("draft", "submitted", "bob"),
        ("submitted", "returned", "alice"),
        ("returned", "submitted", "bob"),
        ("submitted", "approved", "alice"),
    ]


def test_a_correction_needs_the_submission_with_the_base(client, login, english, r1, alice, bob):
    submission_submit(campaign=r1.campaigns.get(), base=r1, user=bob, actor="bob")
    login(alice)
    client.post(
        reverse("value_detail", args=["c", "R1", "patents_granted", 2016]),
        {"action": "query", "text": "Really 10?"},
    )
    query = Query.objects.get()
    client.logout()
    login(bob)
    url = reverse("query_detail", args=["c", query.pk])
    prefix = f"q{query.pk}"

    # While the office reviews it, the base answers in words only.
    refused = client.post(
        url, {"action": "reply", f"{prefix}-text": "It is 11.", f"{prefix}-new_value": "11"}
    )
    words = client.post(url, {"action": "reply", f"{prefix}-text": "Yes, 10."})
    bad = client.post(
        url, {"action": "reply", f"{prefix}-text": "x", f"{prefix}-new_value": "1O"}, **HTMX
    )

    assert refused.status_code == 200
    assert refused.context["error"] == (
        "The value can be corrected only while the submission is a draft or returned; answer"
        " in words, or correct it once the office returns it."
    )
    assert words.status_code == 302
    assert list(query.messages.values_list("kind", "text")) == [
        ("question", "Really 10?"),
        ("answer", "Yes, 10."),
    ]
    assert bad.context["reply_form"].errors == {"new_value": ["'1O' is not a number"]}
    assert Value.objects.get(base=r1, indicator__code="patents_granted", year=2016).raw == "10"


def test_workflow_errors_are_shown_as_sentences(client, login, english, r1, alice, bob):
    review = reverse("submission_review", args=["c", "R1"])
    login(alice)

    draft = client.post(review, {"action": "approve"}, **HTMX)
    submission_submit(campaign=r1.campaigns.get(), base=r1, user=bob, actor="bob")
    no_reason = client.post(review, {"action": "return"}, **HTMX)
    client.post(review, {"action": "approve"})
    reopen_without = client.post(review, {"action": "reopen", "reason": " "}, **HTMX)
    reopened = client.post(review, {"action": "reopen", "reason": "A late correction."}, **HTMX)

    assert draft.context["error"] == (
        "The submission of R1 is draft; only a submitted report can be approved."
    )
    assert no_reason.context["error"] == (
        "Say why the submission goes back, or open a query on a value first."
    )
    assert reopen_without.context["error"] == "Reopening approved data needs a reason."
    assert reopened.context["notice"] == "The submission is reopened and returned to the base."
    assert state_of("R1") == "returned"
    assert "The submission is reopened and returned to the base." in reopened.content.decode()


def test_review_page_flags_problems_and_open_queries(client, login, r1, alice):
    campaign = r1.campaigns.get()
    # 100 → 900 is a nine-fold change: the built-in yoy_change rule warns.
    value_set(
        campaign=campaign,
        base=r1,
        indicator=indicator("new_market_entities"),
        year=2017,
        raw="900",
        actor="alice",
        reason="test",
    )
    login(alice)
    client.post(
        reverse("value_detail", args=["c", "R1", "patents_granted", 2018]),
        {"action": "query", "text": "Source?"},
    )

    grid = client.get(reverse("submission_review", args=["c", "R1"])).context["grid"]

    cells = {
        (row["indicator"]["code"], cell["year"]): cell
        for row in grid["rows"]
        for cell in row["cells"]
    }
    flagged = {key: cell["severity"] for key, cell in cells.items() if cell["severity"]}
    queried = {key: len(cell["queries"]) for key, cell in cells.items() if cell["queries"]}
    # 900 → 144 is a six-fold fall, warned too; R1's two-base subcategory is too small for the
    # peer test, which notes that (info) on each value it could not judge.
    assert flagged == {
        ("new_market_entities", 2016): "info",
        ("new_market_entities", 2017): "warning",
        ("new_market_entities", 2018): "warning",
        ("patents_granted", 2016): "info",
        ("patents_granted", 2018): "info",
    }
    assert queried == {("patents_granted", 2018): 1}
    assert (grid["n_errors"], grid["n_warnings"], grid["n_info"], grid["n_open_queries"]) == (
        0,
        2,
        5,
        1,
    )
    assert [(p["rule"], p["year"]) for p in grid["problems"][:2]] == [
        ("yoy_change", 2017),
        ("yoy_change", 2018),
    ]
    assert cells[("new_market_entities", 2017)]["raw"] == "900"
    assert cells[("patents_granted", 2017)]["raw"] is None


# --- evidence --------------------------------------------------------------------------------


def test_evidence_upload_download_and_verification(
    client, login, english, media, r1, alice, bob, settings
):
    cell = reverse("value_detail", args=["c", "R1", "patents_granted", 2016])
    login(bob)

    stored = client.post(
        cell,
        {"action": "upload", "file": SimpleUploadedFile("证书.pdf", PDF), "description": "CNIPA"},
    )
    wrong_name = client.post(
        cell, {"action": "upload", "file": SimpleUploadedFile("cert.png", PDF)}, **HTMX
    )
    not_allowed = client.post(
        cell, {"action": "upload", "file": SimpleUploadedFile("run.pdf", b"MZ\x90\x00")}, **HTMX
    )
    settings.EVIDENCE_MAX_BYTES = 1_000_000
    too_big = client.post(
        cell,
        {"action": "upload", "file": SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 1_500_000)},
        **HTMX,
    )

    assert (stored.status_code, stored["Location"]) == (302, cell)
    assert wrong_name.context["error"] == (
        "The file 'cert.png' holds a PDF file but its name does not end in .pdf."
    )
    assert not_allowed.context["error"] == (
        "The file 'run.pdf' is not a PDF, PNG, JPEG, XLSX or DOCX file (allowed: .docx, .jpeg,"
        " .jpg, .pdf, .png, .xlsx)."
    )
    assert too_big.context["error"] == (
        "The file 'big.pdf' is 1.5 MB; evidence files may be at most 1 MB."
    )
    evidence = Evidence.objects.get()
    assert (evidence.name, evidence.uploaded_by, evidence.description) == ("证书.pdf", bob, "CNIPA")

    download = client.get(reverse("evidence_download", args=["c", evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E8%AF%81%E4%B9%A6.pdf"
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"

    client.logout()
    login(alice)
    verified = client.post(
        cell, {"action": "verify", "evidence": evidence.pk, "status": "verified", "note": "OK"}
    )
    assert verified.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.status, evidence.review_note, evidence.reviewed_by) == (
        "verified",
        "OK",
        alice,
    )


def test_evidence_of_another_base_is_not_found(client, login, media, bob, carol):
    mine = evidence_on("R1", "patents_granted", 2016)
    theirs = evidence_on("U1", "patents_granted", 2016)
    login(bob)

    assert client.get(reverse("evidence_download", args=["c", mine.pk])).status_code == 200
    assert client.get(reverse("evidence_download", args=["c", theirs.pk])).status_code == 404
    # Under another campaign's code the file is not found either.
    assert client.get(reverse("evidence_download", args=["x", mine.pk])).status_code == 404


# --- the audit trail -------------------------------------------------------------------------


def test_audit_csv_of_a_small_campaign(client, login, clock, campaign_c, alice, bob):
    campaign = campaign_create(code="a", first_year=2016, last_year=2017)
    r1 = Base.objects.get(code="R1")
    campaign.bases.add(r1)
    entities = indicator("new_market_entities")
    value_set(
        campaign=campaign, base=r1, indicator=entities, year=2016, raw="100",
        user=alice, actor="alice", reason="first entry",
    )  # fmt: skip
    clock.tick(minutes=5)
    value_set(
        campaign=campaign, base=r1, indicator=entities, year=2016, raw="110",
        user=bob, actor="bob", reason="typo, 110",
    )  # fmt: skip
    clock.tick(minutes=5)
    submission_submit(campaign=campaign, base=r1, user=bob, actor="bob")
    clock.tick(hours=1)
    submission_return(
        submission=submission_for(campaign=campaign, base=r1), actor="alice", reason="2017?"
    )
    login(alice)

    response = client.get(reverse("audit_csv", args=["a"]))

    expected = (
        "\ufeffat,actor,kind,base_code,indicator_code,year,action,old,new,reason,source\n"
        "2026-03-01T09:00:00+00:00,alice,value,R1,new_market_entities,2016,create,,100,"
        "first entry,admin\n"
        "2026-03-01T09:05:00+00:00,bob,value,R1,new_market_entities,2016,update,100,110,"
        '"typo, 110",admin\n'
        "2026-03-01T09:10:00+00:00,bob,submission,R1,,,state,draft,submitted,,form\n"
        "2026-03-01T10:10:00+00:00,alice,submission,R1,,,state,submitted,returned,2017?,form\n"
    )
    assert response.content.decode("utf-8") == expected
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="audit-a.csv"'
    assert campaign_audit_csv(campaign) == expected.encode("utf-8")


def test_a_reason_written_as_a_formula_stays_text_in_the_audit_csv(clock, campaign_c, alice):
    campaign = campaign_create(code="a", first_year=2016, last_year=2017)
    r1 = Base.objects.get(code="R1")
    campaign.bases.add(r1)
    entities = indicator("new_market_entities")
    value_set(
        campaign=campaign, base=r1, indicator=entities, year=2016, raw="5",
        user=alice, actor="alice", reason="=1+cmd|' /C calc'!A0",
    )  # fmt: skip

    lines = campaign_audit_csv(campaign).decode("utf-8-sig").splitlines()

    assert lines[1] == (
        "2026-03-01T09:00:00+00:00,alice,value,R1,new_market_entities,2016,create,,5,"
        "'=1+cmd|' /C calc'!A0,admin"
    )


def test_value_history_panel(client, login, clock, r1, alice, bob):
    campaign = r1.campaigns.get()
    clock.tick(days=1)
    value_set(
        campaign=campaign, base=r1, indicator=indicator("patents_granted"), year=2016,
        raw="11", user=bob, actor="bob", reason="recount",
    )  # fmt: skip
    login(bob)

    response = client.get(
        reverse("value_detail", args=["c", "R1", "patents_granted", 2016]), **HTMX
    )

    history = [(h.action, h.old, h.new, h.actor) for h in response.context["history"]]
    assert history == [("update", "10", "11", "bob"), ("create", "", "10", "fixture")]
    assert response.context["value"].value == Decimal("11")
    assert 'id="value-history"' in response.content.decode()
