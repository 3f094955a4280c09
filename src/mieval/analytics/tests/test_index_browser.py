"""The composite-index pages in a real browser (Debian's Chromium driven by Playwright): the
rank-interval chart, the sensitivity chart and the radar are drawn, with the stored numbers, and
nothing breaks the content security policy."""

import pytest
from playwright.sync_api import expect

from mieval.analytics.models import IndexFramework
from mieval.analytics.tests.test_index_run import run_index, tiny  # noqa: F401 (fixture)
from mieval.web.tests.test_browser import log_in, reference_data  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def chart_option(page, element_id):
    page.wait_for_function(
        f"() => document.querySelector('#{element_id} canvas, #{element_id} svg')"
    )
    return page.evaluate(
        f"() => echarts.getInstanceByDom(document.getElementById('{element_id}')).getOption()"
    )


def test_ranking_sensitivity_and_radar_are_drawn(page, campaign_c, tiny, alice, bob):  # noqa: F811
    job = run_index(campaign_c, tiny, alice, runs=40, sensitivity=True)
    assert job.state == "done", job.error
    run_url = job.result["url"]

    log_in(page, "alice")
    page.goto(run_url)
    ranks = chart_option(page, "rank-chart")
    # Two region bases; R2 ranks 1 and R1 2 (worked out in test_index_run).
    # R2 ranks 1 and R1 2 (worked out in test_index_run); with two bases every Monte Carlo
    # run ranks them the same, so the 5-95% intervals are [1, 1] and [2, 2].
    [interval] = [s["data"] for s in ranks["series"] if s["type"] == "custom"]
    [nominal] = [s["data"] for s in ranks["series"] if s.get("symbol") == "diamond"]
    assert ranks["yAxis"][0]["data"] == ["R2", "R1"]
    assert nominal == [[1, 0], [2, 1]]
    assert interval == [[0, 1, 1], [1, 2, 2]]
    if page.locator("#sensitivity-chart").count():
        chart_option(page, "sensitivity-chart")
    assert page.console_errors == []

    # The base officer sees his own base's page, with the radar.
    page.context.clear_cookies()
    log_in(page, "bob")
    response = page.goto(run_url + "bases/R1/")
    assert response.status == 200
    radar = chart_option(page, "radar-chart")
    assert radar["series"][0]["type"] == "radar"
    assert page.goto(run_url + "bases/R2/").status == 404
    assert page.console_errors == []


def test_rank_changes_and_a_new_framework_version(page, campaign_c, tiny, alice):  # noqa: F811
    run_index(campaign_c, tiny, alice, year=2016, runs=0)
    last = run_index(campaign_c, tiny, alice, year=2018, runs=0)

    log_in(page, "alice")
    page.goto(last.result["url"])
    page.click("#changes-link")
    # R1: rank 2 in 2016, 1 in 2018 (test_index_changes_page): up one place.
    expect(page.locator('tr[data-base="R1"] td.total-change')).to_have_text("↑1")
    page.locator('a[href*="sort=base"]').click()
    assert page.locator("#rank-changes tbody tr").first.get_attribute("data-base") == "R1"
    assert page.console_errors == []

    page.goto("/index-frameworks/tiny/new/")
    text = page.locator("#id_text").input_value()
    page.fill("#id_text", text.replace('parent = "Inn"', 'parent = "Nowhere"'))
    page.click("#framework-form button[type=submit]")
    # The page is submitted and answered in full before the rows are counted.
    expect(page.locator("#problems tbody tr")).to_have_count(2)  # the parent; Inn without children
    page.fill("#id_text", text + "\n# a comment\n")
    page.click("#framework-form button[type=submit]")
    page.wait_for_url("**/index-frameworks/tiny/")
    assert page.locator("#version-2 ins").last.inner_text() == "+# a comment"
    assert "\r" not in IndexFramework.objects.get(code="tiny", version=2).text
    assert page.console_errors == []
