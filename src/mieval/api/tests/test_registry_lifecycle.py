"""``/bases`` and a base's lifecycle: status, designation date and history out; an event in.

Given campaign ``c``'s bases, when the office records events through the API or reads a base,
then the answers are exactly these. The clock is frozen at 2026-03-01 09:00 UTC.
"""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from mieval.registry.models import BaseEvent

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
WITHDRAWAL = {
    "kind": "withdrawn",
    "date": "2019-06-30",
    "document_number": "发改高技〔2019〕1号",
    "document_title": "关于撤销部分示范基地的通知",
    "reason": "连续两年评估不合格",
    "expected_version": 1,
}
EVENT = {
    "kind": "withdrawn",
    "date": "2019-06-30",
    "document_number": "发改高技〔2019〕1号",
    "document_title": "关于撤销部分示范基地的通知",
    "has_document_file": False,
    "old_name_zh": "",
    "old_name_en": "",
    "new_name_zh": "",
    "new_name_en": "",
    "merged_into": None,
    "reason": "连续两年评估不合格",
    "source": "office",
    "recorded_at": "2026-03-01T09:00:00Z",
}


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    with translation.override("en"):
        yield NOW


def in_english(client):
    """The API answers in the language the request asks for (Chinese by default)."""
    client.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_office_records_a_withdrawal_and_the_base_shows_it(api_as, alice, victor, campaign_c):
    created = api_as(alice, via="token").post("/bases/E1/events", WITHDRAWAL)

    assert (created.status_code, created.json()) == (201, EVENT)
    base = api_as(victor, via="token").get("/bases/E1").json()
    assert (base["status"], base["designated"], base["version"], base["history"]) == (
        "withdrawn",
        None,
        2,
        [EVENT],
    )
    listed = api_as(victor, via="token").get("/bases?status=withdrawn").json()
    assert [b["code"] for b in listed["items"]] == ["E1"]
    active = api_as(victor, via="token").get("/bases?status=active").json()
    assert [b["code"] for b in active["items"]] == ["R1", "R2", "U1", "U2"]


def test_a_designation_renaming_and_merger_in_the_history(api_as, alice, campaign_c):
    client = api_as(alice, via="session")
    steps = [
        {"kind": "designated", "date": "2017-06-21", "document_number": "国办发〔2017〕54号"},
        {"kind": "renamed", "date": "2019-01-01", "name_zh": "区域乙", "name_en": "Region B"},
        {"kind": "merged", "date": "2021-03-15", "into": "R1"},
    ]
    for version, step in enumerate(steps, start=1):
        answer = client.post("/bases/R2/events", {**step, "expected_version": version})
        assert answer.status_code == 201, answer.content

    base = client.get("/bases/R2").json()

    assert (base["name_zh"], base["status"], base["designated"]) == (
        "区域乙",
        "merged",
        "2017-06-21",
    )
    assert [
        (e["kind"], e["date"], e["old_name_zh"], e["new_name_zh"], e["merged_into"])
        for e in base["history"]
    ] == [
        ("designated", "2017-06-21", "", "", None),
        ("renamed", "2019-01-01", "区域二", "区域乙", None),
        ("merged", "2021-03-15", "", "", "R1"),
    ]


def test_every_problem_of_an_event_is_a_422_naming_its_field(api_as, alice, campaign_c):
    answer = in_english(api_as(alice, via="token")).post(
        "/bases/E1/events",
        {"kind": "withdrawn", "date": "2026-03-02", "reason": "", "expected_version": 1},
    )

    assert answer.status_code == 422
    assert answer.json() == {
        "detail": [
            {
                "loc": ["body", "date"],
                "msg": "2026-03-02 is still to come; an event is recorded once it has taken"
                " effect.",
                "type": "date_in_future",
            },
            {
                "loc": ["body", "document_title"],
                "msg": "Give the document's title or number.",
                "type": "required",
            },
            {"loc": ["body", "reason"], "msg": "Give the reason.", "type": "required"},
        ]
    }
    assert not BaseEvent.objects.exists()


def test_a_merger_into_an_unknown_base_is_a_422(api_as, alice, campaign_c):
    answer = in_english(api_as(alice, via="token")).post(
        "/bases/R2/events",
        {"kind": "merged", "date": "2021-03-15", "into": "ZZ", "expected_version": 1},
    )

    assert (answer.status_code, answer.json()["detail"]) == (
        422,
        [{"loc": ["body", "into"], "msg": "There is no base 'ZZ'.", "type": "merge_target"}],
    )


def test_an_event_on_a_base_changed_meanwhile_is_a_409_in_the_requests_language(
    api_as, alice, campaign_c
):
    client = api_as(alice, via="token")
    client.post("/bases/E1/events", WITHDRAWAL)

    answer = client.post("/bases/E1/events", {**WITHDRAWAL, "kind": "designated"})

    assert answer.status_code == 409
    assert answer.json() == {
        "detail": "在您编辑期间，已有他人修改了基地 E1（当前为第 2 版，您读取的是第 1 版），"
        "本次未保存任何内容。请刷新页面后重新操作。"
    }


def test_control_characters_are_refused(api_as, alice, campaign_c):
    answer = api_as(alice, via="token").post("/bases/E1/events", {**WITHDRAWAL, "reason": "a\x00b"})

    assert answer.status_code == 422
    assert [(p["loc"], p["msg"]) for p in answer.json()["detail"]] == [
        (["body", "payload", "reason"], "control characters are not allowed")
    ]
