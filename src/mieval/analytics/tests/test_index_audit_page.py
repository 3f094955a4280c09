"""The audit page of an index run: who may open it (exact statuses) and what it shows, on the
ASEM audit (``examples/coinr-asem/audit.json``) stored on a run of the fixture campaign."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from mieval.analytics.models import IndexRun
from mieval.analytics.selectors import audit_flag_sentences
from mieval.analytics.tests.test_index_run import run_index, tiny  # noqa: F401 (fixture)

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "coinr-asem"
USERS = ["ada", "alice", "bob", "carol", "erin", "oscar", "victor", "stranger", None]
#         ada  alice bob  carol erin oscar victor stranger anonymous
STATUSES = [200, 200, 403, 403, 403, 403, 200, 403, 302]


@pytest.fixture
def run(campaign_c, tiny, alice):  # noqa: F811
    run_index(campaign_c, tiny, alice, runs=0)
    run = IndexRun.objects.get()
    run.audit = json.loads((EXAMPLE / "audit.json").read_text(encoding="utf-8"))
    run.save(update_fields=["audit"])
    return run


def _url(run, **query):
    url = reverse("index_audit", args=["c", run.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_status_by_role(client, everyone, run):
    statuses = []
    for user in USERS:
        client.logout()
        if user:
            client.force_login(everyone[user])
        statuses.append(client.get(_url(run)).status_code)
    assert statuses == STATUSES


def test_the_run_page_links_to_its_audit(client, victor, run):
    client.force_login(victor)
    page = client.get(reverse("index_run_detail", args=["c", run.pk])).content.decode()
    assert f'href="{_url(run)}" id="audit-link"' in page


def test_a_run_without_an_audit_has_no_audit_page(client, victor, run):
    IndexRun.objects.filter(pk=run.pk).update(audit={})
    client.force_login(victor)
    assert client.get(_url(run)).status_code == 404


def test_the_index_by_default_heatmap_bars_and_removal(client, victor, run):
    client.force_login(victor)
    response = client.get(_url(run))
    page = response.content.decode()
    chosen = response.context["page"]
    # the top aggregate first: its two children and itself
    assert chosen.node == "Index"
    assert chosen.heatmap["labels"] == ["Conn", "Sust", "Index"]
    assert [c for c in chosen.heatmap["cells"] if c[0] == 0 and c[1] == 1] == [
        [0, 1, pytest.approx(0.6014584683653436, abs=1e-15)]
    ]
    assert chosen.alpha == pytest.approx(0.7024252314117372, abs=1e-15)
    assert '"kind": "audit_heatmap"' in page and '"kind": "audit_importance"' in page
    assert chosen.importance_chart["nominal"] == [0.5, 0.5]
    assert chosen.importance_chart["share"] == pytest.approx([0.5609, 0.4391], abs=1e-4)
    # removal: every node, the largest mean change first (Conn: 5.25 on average, up to 24)
    assert len(chosen.removal) == 59
    assert chosen.removal[0] == {
        "name": "Conn",
        "mean": pytest.approx(5.2549, abs=1e-4),
        "max": 24.0,
    }
    assert len(chosen.removal_chart["labels"]) == 20
    assert '<td>Conn</td>\n      <td class="num">5.25</td>' in page
    assert 'id="audit-flags"' in page


def test_an_aggregate_chosen_shows_its_flags_in_words(client, victor, run):
    client.force_login(victor)
    with translation.override("en"):
        response = client.get(_url(run, node="Sust"), HTTP_ACCEPT_LANGUAGE="en")
    chosen = response.context["page"]
    assert chosen.node == "Sust"
    flags = [p["flag"] for p in chosen.pairs]
    assert flags == ["negative", "negative", "negative", None, None, "weak"]
    page = response.content.decode()
    assert "Environ and Social, both in Sust, are negatively correlated (r = -0.11)" in page
    assert (
        "The first principal component of the children of Sust explains only 37% of their "
        "variance (under 60%): they may not measure one thing." in page
    )


def test_flag_sentences_in_chinese(run):
    flags = [f for f in run.audit["flags"] if f["parent"] == "Sust"]
    with translation.override("zh-hans"):
        sentences = audit_flag_sentences(flags, {"Sust": "可持续"})
    assert sentences[0] == (
        "Environ与Social同属可持续，二者负相关（r = -0.11）：对该汇总项的作用方向相反。"
    )
    assert len(sentences) == 7


def test_an_unknown_node_or_year_falls_back_to_the_default(client, victor, run):
    client.force_login(victor)
    chosen = client.get(_url(run, node="nope", year="1999")).context["page"]
    assert (chosen.node, chosen.year) == ("Index", 2018)
