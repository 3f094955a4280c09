"""The registry's pages of a base's lifecycle: the status in the list (and its filter), the
history on the edit page, and the forms the office records an event with.

Given campaign ``c``'s bases and analyst alice, when she opens or posts a page, then it shows
or records exactly this. The clock is frozen at 2026-03-01 09:00 UTC.
"""

import datetime as dt
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from mieval.registry.models import Base, BaseChange, BaseEvent
from mieval.registry.services import base_designate, base_rename, base_withdraw

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def event_url(code: str, kind: str) -> str:
    return reverse("registry_base_event", args=[code, kind])


def withdraw(code: str, date=dt.date(2019, 6, 30)):
    return base_withdraw(
        base=Base.objects.get(code=code),
        date=date,
        document_number="发改高技〔2019〕1号",
        reason="连续两年评估不合格",
        actor="alice",
    )


def test_the_list_shows_each_status_and_filters_by_it(
    client, alice, login, campaign_c, clock, english
):
    withdraw("E1")
    login(alice)
    url = reverse("registry_bases")

    rows = client.get(url).context["rows"]
    withdrawn = client.get(url, {"status": "withdrawn"}).context["rows"]
    active = client.get(url, {"status": "active"}).context["rows"]

    assert [(r["base"].code, r["status"], r["ended_on"]) for r in rows] == [
        ("E1", "withdrawn", dt.date(2019, 6, 30)),
        ("R1", "active", None),
        ("R2", "active", None),
        ("U1", "active", None),
        ("U2", "active", None),
    ]
    assert [r["base"].code for r in withdrawn] == ["E1"]
    assert [r["base"].code for r in active] == ["R1", "R2", "U1", "U2"]
    assert client.get(url, {"status": "gone"}).context["form"].errors == {
        "status": ["Select a valid choice. gone is not one of the available choices."]
    }


def test_the_edit_page_shows_the_history_with_its_documents(
    client, alice, login, campaign_c, clock, english
):
    base_designate(
        base=Base.objects.get(code="R1"),
        date=dt.date(2016, 5, 12),
        document_number="国办发〔2016〕35号",
        actor="alice",
    )
    base_rename(
        base=Base.objects.get(code="R1"),
        date=dt.date(2021, 7, 1),
        name_zh="区域一新区",
        name_en="Region one new area",
        actor="alice",
    )

    response = login(alice).get(reverse("registry_base_edit", args=["R1"]))

    assert [(e.date, e.kind, e.document()) for e in response.context["events"]] == [
        (dt.date(2016, 5, 12), "designated", "国办发〔2016〕35号"),
        (dt.date(2021, 7, 1), "renamed", ""),
    ]
    assert [f.kind for f in response.context["event_forms"]] == [
        "designated",
        "renamed",
        "merged",
        "withdrawn",
    ]
    html = response.content.decode()
    assert "2016-05-12" in html and "国办发〔2016〕35号" in html
    assert "区域一 / Region one → 区域一新区 / Region one new area" in html
    assert "Correct the designation" in html


def test_recording_a_withdrawal_on_the_page(
    client, alice, login, campaign_c, clock, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    login(alice)

    response = client.post(
        event_url("E1", "withdrawn"),
        {
            "withdrawn-version": "1",
            "withdrawn-date": "2019-06-30",
            "withdrawn-document_number": "发改高技〔2019〕1号",
            "withdrawn-document_title": "关于撤销部分示范基地的通知",
            "withdrawn-reason": "连续两年评估不合格",
            "withdrawn-document_file": SimpleUploadedFile("notice.pdf", PDF),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("registry_base_edit", args=["E1"])
    event = BaseEvent.objects.get(base__code="E1")
    assert (event.kind, event.date, event.document(), event.reason, event.document_file_name) == (
        "withdrawn",
        dt.date(2019, 6, 30),
        "发改高技〔2019〕1号 关于撤销部分示范基地的通知",
        "连续两年评估不合格",
        "notice.pdf",
    )
    change = BaseChange.objects.get(event=event)
    assert (change.user, change.actor, change.changes["status"]) == (
        alice,
        "alice",
        ["active", "withdrawn"],
    )
    download = client.get(reverse("registry_event_document", args=["E1", event.pk]))
    assert (download.status_code, b"".join(download.streaming_content)) == (200, PDF)
    assert download["Content-Disposition"] == 'attachment; filename="notice.pdf"'
    # The base's lifecycle has ended: only the designation can still be recorded.
    page = client.get(reverse("registry_base_edit", args=["E1"]))
    assert [f.kind for f in page.context["event_forms"]] == ["designated"]
    assert page.context["status"] == "withdrawn"


def test_a_refused_event_shows_every_problem_and_writes_nothing(
    client, alice, login, campaign_c, clock, english
):
    response = login(alice).post(
        event_url("E1", "withdrawn"),
        {"withdrawn-version": "1", "withdrawn-date": "2026-04-01", "withdrawn-reason": "r"},
    )

    assert response.status_code == 200
    form = response.context["event_forms"][-1]
    assert form.errors == {
        "date": ["2026-04-01 is still to come; an event is recorded once it has taken effect."],
        "document_title": ["Give the document's title or number."],
    }
    assert response.context["open_kind"] == "withdrawn"
    assert not BaseEvent.objects.exists()


def test_an_event_on_a_base_changed_meanwhile_is_refused_on_the_page(
    client, alice, login, campaign_c, clock, english
):
    merge = {
        "merged-version": "1",
        "merged-into": "U1",
        "merged-date": "2020-01-01",
    }
    base_rename(
        base=Base.objects.get(code="R2"),
        date=dt.date(2019, 1, 1),
        name_zh="乙",
        name_en="B",
        actor="x",
    )

    response = login(alice).post(event_url("R2", "merged"), merge)

    form = response.context["event_forms"][2]
    assert form.non_field_errors() == [
        "Someone else changed the base R2 while you were editing it (version 2, you read version"
        " 1); nothing was saved. Reload the page and make your change again."
    ]
    assert BaseEvent.objects.filter(base__code="R2", kind="merged").count() == 0


def test_a_merger_offers_only_other_active_bases(client, alice, login, campaign_c, clock):
    withdraw("U2")

    response = login(alice).get(reverse("registry_base_edit", args=["R2"]))

    merge = next(f for f in response.context["event_forms"] if f.kind == "merged")
    assert [b.code for b in merge.fields["into"].queryset.order_by("code")] == ["E1", "R1", "U1"]


def test_the_edit_form_refuses_a_stale_version_and_a_batch_against_the_designation(
    client, alice, login, campaign_c, clock, english
):
    base_designate(
        base=Base.objects.get(code="R1"), date=dt.date(2016, 5, 12), document_number="d", actor="a"
    )
    data = {
        "name_zh": "区域一",
        "name_en": "Region one",
        "category": "region",
        "subcategory": "urban_district",
        "province": "11",
        "batch": "2016",
        "version": "1",
    }
    login(alice)

    stale = client.post(reverse("registry_base_edit", args=["R1"]), data)
    batch = client.post(
        reverse("registry_base_edit", args=["R1"]), {**data, "batch": "2017", "version": "2"}
    )

    assert stale.context["form"].non_field_errors() == [
        "Someone else changed the base R1 while you were editing it (version 2, you read version"
        " 1); nothing was saved. Reload the page and make your change again."
    ]
    assert batch.context["form"].errors["batch"] == [
        "The base was designated on 2016-05-12, in batch 2016; correct its designation below"
        " to move it to another batch."
    ]
    assert Base.objects.get(code="R1").batch == 2016


def test_an_unknown_event_kind_is_not_found_and_a_get_goes_to_the_edit_page(
    client, alice, login, campaign_c
):
    login(alice)

    assert client.get(event_url("R1", "founded")).status_code == 404
    assert client.get(event_url("R1", "withdrawn"))["Location"] == reverse(
        "registry_base_edit", args=["R1"]
    )
