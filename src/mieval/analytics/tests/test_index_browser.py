"""The composite-index pages in a real browser (Debian's Chromium driven by Playwright): the
rank-interval chart, the sensitivity chart and the radar are drawn, with the stored numbers, and
nothing breaks the content security policy."""

import pytest

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
