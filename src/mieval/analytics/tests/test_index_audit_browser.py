"""The audit page of an index run in a real browser (Debian's Chromium driven by Playwright):
the heatmap, the weight-vs-importance bars and the removal bars are drawn with the numbers
stored in ``IndexRun.audit``, the aggregate and year pickers switch them, the flags are written
in words in Chinese and in English, and nothing breaks the content security policy.

The audit is the ASEM example's (``examples/coinr-asem/audit.json``, 2018), with an earlier
year 2017 made from it: the same figures except the Index's, whose pillars correlate weakly
(r = 0.25, flagged) and share the importance 0.7 / 0.3."""

import copy
import json
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from mieval.analytics.models import IndexRun
from mieval.analytics.selectors import audit_flag_sentences
from mieval.analytics.tests.test_index_browser import chart_option
from mieval.analytics.tests.test_index_run import run_index, tiny  # noqa: F401 (fixture)
from mieval.web.tests.test_browser import log_in, reference_data  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "coinr-asem"
SECTION_KEYS = ("correlations", "cronbach", "pca", "main_effects", "removal", "flags")


def panel_audit() -> dict:
    """The ASEM audit as the 2018 section of a panel run with a made-up 2017."""
    audit = json.loads((EXAMPLE / "audit.json").read_text(encoding="utf-8"))
    section = {k: audit[k] for k in SECTION_KEYS}
    earlier = copy.deepcopy(section)
    for r in earlier["correlations"]:
        if (r["parent"], r["a"], r["b"]) == ("Index", "Conn", "Sust"):
            r["pearson"], r["spearman"] = 0.25, 0.3
    for r in earlier["main_effects"]:
        if r["parent"] == "Index":
            r["importance_share"] = {"Conn": 0.7, "Sust": 0.3}[r["code"]]
    earlier["flags"].append(
        {"kind": "weak", "parent": "Index", "code": "Conn", "other": "Sust", "value": 0.25}
    )
    audit["years"] = {"2017": earlier, "2018": section}
    return audit


def removal_expected(section: dict) -> tuple[list, list, list]:
    """The 20 removals moving the ranks most (largest mean first), as the chart draws them."""
    rows = sorted(section["removal"], key=lambda r: -r["mean_abs_rank_change"])[:20]
    return (
        [r["code"] for r in rows],
        [r["mean_abs_rank_change"] for r in rows],
        [r["max_abs_rank_change"] for r in rows],
    )


def heatmap_cells(section: dict, node: str) -> tuple[list, list]:
    """The heatmap's labels (the children, then the node) and cells ``[i, j, r]``."""
    pairs = [r for r in section["correlations"] if r["parent"] == node]
    labels = [*[r["a"] for r in pairs if r["b"] == node], node]
    at = {c: i for i, c in enumerate(labels)}
    cells = [[i, i, 1] for i in range(len(labels))]
    for r in pairs:
        if r["pearson"] is not None:
            i, j = at[r["a"]], at[r["b"]]
            cells += [[i, j, r["pearson"]], [j, i, r["pearson"]]]
    return labels, cells


def flag_texts(section: dict, language: str) -> list[str]:
    # the codes of the ASEM framework have no names in campaign c: the page shows the codes
    with translation.override(language):
        return audit_flag_sentences(section["flags"], {})


def test_the_audit_page_draws_the_stored_numbers(page, campaign_c, tiny, alice):  # noqa: F811
    # given a run of campaign c holding the panel audit
    run_index(campaign_c, tiny, alice, runs=0)
    run = IndexRun.objects.get()
    run.audit = panel_audit()
    run.save(update_fields=["audit"])
    stored = IndexRun.objects.get().audit
    latest, earlier = stored["years"]["2018"], stored["years"]["2017"]

    # when the analyst opens the audit page (in Chinese, the browser's language)
    log_in(page, "alice")
    page.goto(f"/campaigns/c/index/{run.pk}/audit/")

    # then the index (the top aggregate) of 2018 is drawn with the stored numbers
    labels, cells = heatmap_cells(latest, "Index")
    heatmap = chart_option(page, "audit-heatmap")
    assert heatmap["xAxis"][0]["data"] == labels == ["Conn", "Sust", "Index"]
    assert heatmap["series"][0]["data"] == cells
    assert [c for c in heatmap["series"][0]["data"] if c[:2] == [0, 1]] == [
        [0, 1, 0.6014584683653436]
    ]
    importance = chart_option(page, "audit-importance")
    effects = [r for r in latest["main_effects"] if r["parent"] == "Index"]
    assert importance["xAxis"][0]["data"] == ["Conn", "Sust"]
    assert importance["series"][0]["data"] == [r["nominal_weight"] for r in effects] == [0.5, 0.5]
    assert importance["series"][1]["data"] == [r["importance_share"] for r in effects]
    assert importance["series"][1]["name"] == "重要性份额"
    removal = chart_option(page, "audit-removal")
    codes, means, maxima = removal_expected(latest)
    assert removal["yAxis"][0]["data"] == codes
    assert removal["series"][0]["data"] == means
    assert removal["series"][1]["data"] == maxima
    assert (codes[0], means[0], maxima[0]) == ("Conn", 5.254901960784314, 24)
    # the flags in words, in Chinese: every flag of 2018
    items = page.locator("#audit-flags li")
    expect(items).to_have_count(86)
    assert items.all_inner_texts() == flag_texts(latest, "zh-hans")
    assert items.first.inner_text() == (
        "LPI与Elec同属Physical，二者仅弱相关（r = 0.18，低于0.3）。"
    )
    assert page.console_errors == []

    # when the analyst picks the aggregate Sust
    page.select_option("#audit-pick select[name=node]", "Sust")
    page.click("#audit-pick button[type=submit]")
    # then its heatmap: its three children and itself, pairwise negatively correlated
    expect(page.locator("h2").nth(1)).to_have_text("Sust内的相关性")
    labels, cells = heatmap_cells(latest, "Sust")
    heatmap = chart_option(page, "audit-heatmap")
    assert heatmap["xAxis"][0]["data"] == labels == ["Environ", "Social", "SusEcFin", "Sust"]
    assert heatmap["series"][0]["data"] == cells
    importance = chart_option(page, "audit-importance")
    effects = [r for r in latest["main_effects"] if r["parent"] == "Sust"]
    assert importance["series"][1]["data"] == [r["importance_share"] for r in effects]

    # when the analyst picks the year 2017 (the aggregate stays)
    page.select_option("#audit-pick select[name=year]", "2017")
    page.click("#audit-pick button[type=submit]")
    expect(page.locator("h1")).to_contain_text("2017")
    page.select_option("#audit-pick select[name=node]", "Index")
    page.click("#audit-pick button[type=submit]")
    expect(page.locator("#audit-pick select[name=node]")).to_have_value("Index")
    expect(page.locator("#audit-pick select[name=year]")).to_have_value("2017")
    # then 2017's numbers: the weak correlation of the pillars and its flag
    labels, cells = heatmap_cells(earlier, "Index")
    heatmap = chart_option(page, "audit-heatmap")
    assert heatmap["series"][0]["data"] == cells
    assert [c for c in heatmap["series"][0]["data"] if c[:2] == [0, 1]] == [[0, 1, 0.25]]
    importance = chart_option(page, "audit-importance")
    assert importance["series"][1]["data"] == [0.7, 0.3]
    expect(items).to_have_count(87)
    assert items.last.inner_text() == "Conn与Sust同属Index，二者仅弱相关（r = 0.25，低于0.3）。"

    # when the analyst switches to English: the same page, the flags in English
    page.click("form.langswitch button[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(items).to_have_count(87)
    assert items.all_inner_texts() == flag_texts(earlier, "en")
    assert items.last.inner_text() == (
        "Conn and Sust, both in Index, are only weakly correlated (r = 0.25, under 0.3)."
    )
    importance = chart_option(page, "audit-importance")
    assert importance["series"][1]["name"] == "Importance share"
    assert importance["series"][1]["data"] == [0.7, 0.3]
    assert page.console_errors == []
