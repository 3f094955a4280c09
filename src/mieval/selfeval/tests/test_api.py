# ruff: noqa: E501 -- exact messages, one a line.
"""The self-evaluation API: a base officer's script saves and submits the own report; the
answers to a stale version, a section over its limit and empty required sections."""

import pytest

from mieval.api.tests.conftest import ApiClient
from mieval.selfeval.models import SelfEvaluation
from mieval.selfeval.tests.conftest import TEXTS

pytestmark = pytest.mark.django_db

URL = "/campaigns/c/self-evaluations/R1"


@pytest.fixture
def api(bob, template):
    client = ApiClient(bob, via="token")
    client.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_script_creates_saves_and_submits_the_report(api):
    created = api.put(URL, {"sections": TEXTS, "expected_version": 0})

    assert created.status_code == 200
    body = created.json()
    assert (body["state"], body["version"], body["template_version"]) == ("draft", 1, 1)
    assert [(s["code"], s["text"]) for s in body["sections"]] == list(TEXTS.items())
    submitted = api.post(URL + "/submit", {"expected_version": 1})
    assert submitted.status_code == 200
    assert (submitted.json()["state"], submitted.json()["version"]) == ("submitted", 2)
    assert SelfEvaluation.objects.get().events.order_by("id").first().actor == "bob"


def test_a_stale_version_is_409_and_nothing_is_written(api):
    api.put(URL, {"sections": TEXTS, "expected_version": 0})

    response = api.put(URL, {"sections": {"problems": "新"}, "expected_version": 0})

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Someone else saved this self-evaluation report meanwhile (version 1, you edited version 0); nothing was saved. Copy your text, reload the page and make your changes again."
    }
    assert SelfEvaluation.objects.get().version == 1


def test_a_section_over_its_limit_is_422_naming_it(api):
    response = api.put(URL, {"sections": {"progress": "进" * 3001}, "expected_version": 0})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Section “Progress and results” has 3001 characters; at most 3000 are allowed. Shorten it by 1 characters."
    }


def test_submitting_with_empty_required_sections_is_422_naming_them(api):
    api.put(URL, {"sections": {"progress": "进展"}, "expected_version": 0})

    response = api.post(URL + "/submit", {"expected_version": 1})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "These required sections are still empty: Experience and practices, Problems and constraints, Next steps, Policy requests."
    }


def test_a_negative_expected_version_is_422_naming_the_range(api):
    response = api.put(URL, {"sections": {}, "expected_version": -1})

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "-1 is outside the allowed range 0 to 2147483647"


def test_a_report_not_yet_saved_is_404(api):
    response = api.get(URL)

    assert response.status_code == 404
    assert response.json() == {"detail": "Base 'R1' has not saved a self-evaluation report yet."}
