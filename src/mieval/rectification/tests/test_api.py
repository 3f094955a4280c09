"""The register's API: what a problem reads like, and the base's plan and progress writes."""

import pytest

from mieval.api.tests.conftest import ApiClient


@pytest.fixture
def bob_api(filed, bob):
    return ApiClient(bob, via="token")


def test_a_problem_reads_with_its_evidence_and_no_rectification_yet(filed, bob_api):
    response = bob_api.get(f"/problems/{filed['r1'].pk}")

    assert response.status_code == 200
    assert response.json() == {
        "id": filed["r1"].pk, "campaign": "c", "base": "R1", "type": "east_west_exchange",
        "taxonomy_version": 1, "source": "site_visit", "severity": "serious",
        "state": "confirmed", "title_zh": "R1的问题", "title_en": "A problem at R1",
        "description_zh": "", "description_en": "", "action_zh": "建立东西部基地结对交流机制。",
        "action_en": "Pair with a western base.", "version": 2,
        "evidence": [{"kind": "visit_record", "target": "17", "label": "Visit of 2026-02-20"}],
        "rectification": None,
    }  # fmt: skip


def test_the_base_plans_reports_and_a_stale_version_is_409(filed, bob_api):
    pk = filed["r1"].pk
    plan = {"measures": "结对", "owner": "管委会", "deadline": "2026-06-30"}

    created = bob_api.put(f"/problems/{pk}/rectification", plan)
    changed = bob_api.put(
        f"/problems/{pk}/rectification", {**plan, "owner": "科技局", "version": 1}
    )
    stale = bob_api.put(f"/problems/{pk}/rectification", {**plan, "version": 1})
    progress = bob_api.post(
        f"/problems/{pk}/rectification/progress", {"text": "已签协议", "version": 2}
    )

    assert (created.status_code, created.json()["state"], created.json()["version"]) == (
        200, "planned", 1,
    )  # fmt: skip
    assert changed.json()["owner"] == "科技局"
    assert stale.status_code == 409
    assert stale.json()["detail"].endswith("is at version 2, not 1: someone changed it meanwhile")
    body = progress.json()
    assert (body["state"], body["version"], [p["text"] for p in body["progress"]]) == (
        "in_progress", 3, ["已签协议"],
    )  # fmt: skip


def test_bad_plans_are_422_naming_every_field(filed, bob_api):
    response = bob_api.put(
        f"/problems/{filed['r1'].pk}/rectification",
        {"measures": " ", "owner": " ", "deadline": "2026-01-01"},
    )

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "measures"], "msg": "missing", "type": "invalid"},
        {"loc": ["body", "owner"], "msg": "missing", "type": "invalid"},
        {"loc": ["body", "deadline"], "msg": "2026-01-01 has passed", "type": "invalid"},
    ]


def test_progress_without_a_plan_is_409(filed, bob_api):
    response = bob_api.post(
        f"/problems/{filed['r1'].pk}/rectification/progress", {"text": "t", "version": 1}
    )

    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"Problem {filed['r1'].pk} has no rectification plan yet; PUT one first."
    )
