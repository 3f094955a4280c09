"""``GET /campaigns/{code}/index-runs/{pk}/audit``: the statistical audit stored with a run, the
document of ``mieval index --audit FILE`` (DESIGN.md)."""

import json
from pathlib import Path

import pytest

from mieval.analytics.models import IndexFramework, IndexRun
from mieval.analytics.tests.test_index_run import TINY, run_index, tiny  # noqa: F401 (fixture)
from mieval.registry.models import Category

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "coinr-asem" / "audit.json"


def stored_run(campaign, audit: dict) -> IndexRun:
    """A run of the tiny framework holding ``audit``, without computing anything."""
    framework = IndexFramework.objects.create(
        code="stored", version=1, category=Category.objects.get(code="region"), text=TINY
    )
    return IndexRun.objects.create(
        campaign=campaign, framework=framework, year=2018, input_hash="a" * 64, audit=audit
    )


def test_the_audit_of_a_run_over_three_years(api_as, victor, campaign_c, tiny, alice):  # noqa: F811
    # given the 2018 run of the tiny framework: the data has 2016-2018, so the audit has years
    run_index(campaign_c, tiny, alice, year=2018, runs=0)
    run = IndexRun.objects.get()

    response = api_as(victor, via="token").get(f"/campaigns/c/index-runs/{run.pk}/audit")

    assert response.status_code == 200
    document = response.json()
    assert document == run.audit
    assert document["year"] == 2018
    assert sorted(document["years"]) == ["2016", "2017", "2018"]
    assert document["years"]["2018"]["removal"] == document["removal"]
    assert [(c["a"], c["b"]) for c in document["correlation_changes"]] == [
        ("new_market_entities", "Ent"),
        ("patents_granted", "Inn"),
        ("Ent", "Inn"),
        ("Ent", "T"),
        ("Inn", "T"),
    ]
    assert "optimised_weights" not in document


def test_the_asem_audit_at_full_precision(api_as, alice, campaign_c):
    # given the ASEM audit (examples/coinr-asem/audit.json) stored on a run of campaign c
    stored = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    run = stored_run(campaign_c, stored)

    response = api_as(alice, via="session").get(f"/campaigns/c/index-runs/{run.pk}/audit")

    assert response.status_code == 200
    assert response.json() == stored
    assert response.json()["cronbach"][-1] == {
        "code": "Index",
        "alpha": 0.7024252314117372,
        "n_children": 2,
    }
    assert len(response.json()["flags"]) == 86
    assert "years" not in response.json()


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/campaigns/c/index-runs/{pk}/audit",
         "Index run {pk} was stored before the statistical audit existed."),
        ("/campaigns/c/index-runs/{other}/audit", "Campaign 'c' has no index run {other}."),
        ("/campaigns/nope/index-runs/{pk}/audit", "There is no campaign 'nope'."),
    ],
)  # fmt: skip
def test_no_audit_to_show_is_404(api_as, alice, campaign_c, path, detail):
    run = stored_run(campaign_c, {})
    ids = {"pk": run.pk, "other": run.pk + 1}

    response = api_as(alice, via="token").get(path.format(**ids))

    assert response.status_code == 404
    assert response.json() == {"detail": detail.format(**ids)}
