"""A base officer follows the own base's history across three rounds in a real browser."""

from importlib import import_module

import pytest
from playwright.sync_api import expect

from mieval.collection.tests.rounds_helpers import (
    rounds_index_runs,
    rounds_judgement,
    three_rounds,
)
from mieval.web.tests.test_browser import log_in

# A live server needs committed data, hence transactional tests.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The flush of a transactional test removes what the data migrations loaded: load it
    again with the migrations' own code."""
    from django.apps import apps

    import_module("mieval.registry.migrations.0002_reference_data").load_reference(apps, None)
    import_module("mieval.indicators.migrations.0002_builtin_framework").load_builtin(apps, None)
    import_module("mieval.rectification.migrations.0002_taxonomy_v1").load(apps, None)


def test_the_officer_reads_the_own_base_across_three_rounds(
    page, bob, alice, tmp_path, monkeypatch
):
    three_rounds(tmp_path)
    rounds_index_runs()
    rounds_judgement(alice)
    monkeypatch.setattr(
        "mieval.rectification.selectors.letter_grades",
        lambda campaign: {"R1": ("良好", "Good")} if campaign.code == "r2018" else {},
    )
    log_in(page, "bob")

    # bob lands on R1's page in the latest round, and follows the link to its history
    page.goto("/campaigns/r2020/bases/R1/")
    page.click("#history-link")

    expect(page.locator("section.round")).to_have_count(3)
    expect(page.locator("section.round h2")).to_have_text(
        [
            "第1轮：第1轮评估（2016–2016）",
            "第2轮：第2轮评估（2016–2018）",
            "第3轮：第3轮评估（2018–2020）",
        ]
    )
    round2, round3 = page.locator("#round-2"), page.locator("#round-3")
    expect(round2.locator("tr[data-indicator=incubation_area] td.value")).to_have_text(
        ["30000", "50000", "70000"]  # zh-hans groups no thousands
    )
    expect(round3.locator("tr[data-indicator=incubation_area] td.value")).to_have_text(
        ["8.00", "—", "10.00"]
    )
    expect(round2.locator("table.ranks td.rank")).to_have_text(["2"])
    expect(round3.locator("table.ranks td.interval")).to_have_text(["1–2"])
    # The letter of round 2 was sent: its grade and the panel's opinion are shown; round 3's not
    expect(round2.locator("p.grade")).to_have_text("等级：良好")
    expect(round2.locator("blockquote.opinion")).to_have_text("基地运营良好。")
    expect(round3.locator("blockquote.opinion")).to_have_count(0)
    expect(round2.locator("td.rectification")).to_have_text(["验收通过"])
    expect(round3.locator("table.problems tbody tr")).to_have_count(1)
    assert page.console_errors == []

    # another base's history is not found
    assert page.goto("/programmes/prog/bases/R2/").status == 404
