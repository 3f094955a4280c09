"""In a real browser: a base officer reports a reform and nominates a case (with consent); an
analyst classifies the reform and selects the case; both appear in the evidence report."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from mieval.conftest import PASSWORD
from mieval.practices.models import Nomination, PolicyArea, Reform

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The flush after a transactional test removes what data migrations loaded: load it again
    with the migrations' own code."""
    from importlib import import_module

    from django.apps import apps

    import_module("mieval.registry.migrations.0002_reference_data").load_reference(apps, None)
    import_module("mieval.indicators.migrations.0002_builtin_framework").load_builtin(apps, None)
    import_module("mieval.practices.migrations.0002_default_policy_areas").load_areas(apps, None)


def log_in(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def test_report_nominate_classify_select_and_see_it_in_the_report(
    page, bob, alice, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    talent = PolicyArea.objects.get(code="talent")
    finance = PolicyArea.objects.get(code="finance_tax")

    # The base officer reports a reform (as talent) and nominates a case, with consent.
    log_in(page, "bob")
    page.goto("/practices/campaigns/c/base/")
    page.click("#report-reform")
    page.fill("input[name=title]", "人才创业贷款贴息")
    page.fill("textarea[name=description]", "为高层次人才创业提供贷款贴息。")
    page.select_option("select[name=language]", "zh")
    page.fill("input[name=introduced_on]", "2018-03-01")
    page.select_option("select[name=area_reported]", str(talent.pk))
    page.select_option("select[name=scope]", "city")
    page.click("#item-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#reform-status").get_attribute("data-status") == "reported"

    page.goto("/practices/campaigns/c/base/")
    page.click("#nominate-case")
    page.select_option("select[name=subkind]", "platform")
    page.fill("input[name=name]", "区域众创空间联盟")
    page.fill("textarea[name=story]", "联合二十家众创空间共享导师和场地。")
    page.fill("input[name=year]", "2018")
    page.click("#item-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.fill("#consent-form textarea[name=statement]", "联盟理事会书面同意公开。")
    page.click("#consent-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "联盟理事会书面同意公开。" in page.locator("#consent").inner_text()

    # The analyst classifies the reform (as finance and tax) and selects the case.
    log_in(page, "alice")
    page.goto("/practices/campaigns/c/review/")
    page.click("#review-reforms a:has-text('人才创业贷款贴息')")
    page.select_option("#classify-form select[name=area]", str(finance.pk))
    page.fill("#classify-form input[name=note]", "贴息属于财税金融")
    page.click("#classify-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#classified-area")).to_have_text("财税金融")

    page.goto("/practices/campaigns/c/review/")
    page.click("#review-nominations a:has-text('区域众创空间联盟')")
    page.select_option("#decide-form select[name=status]", "selected")
    page.fill("#decide-form input[name=reason]", "示范带动作用明显")
    page.click("#decide-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#nomination-status").get_attribute("data-status") == "selected"

    # Both are in the evidence report: the reform in its classified area, the case as a story.
    page.goto("/practices/campaigns/c/report/")
    assert "人才创业贷款贴息" in page.locator("#report-reforms").inner_text()
    assert "区域众创空间联盟" in page.locator("#report-cases").inner_text()
    assert "联合二十家众创空间共享导师和场地。" in page.locator("#report-cases").inner_text()
    assert (
        "示范基地共报告制度改革举措1项，其中财税金融类最多（1项）。"
        in page.locator("#findings").inner_text()
    )
    page.wait_for_selector("[data-chart=report-area-chart] canvas", state="attached")

    # And in the campaign report, built from a published snapshot.
    page.goto("/campaigns/c/reports/")
    page.fill("#publish-form input[name=note]", "with the evidence")
    page.click("#publish-form button[type=submit]")
    page.wait_for_url("**/campaigns/c/reports/")
    with page.expect_download() as download:
        page.click("#snapshots a[href$='report-zh.html']")
    report = Path(download.value.path()).read_text(encoding="utf-8")
    evidence = report[report.index('id="practices-evidence"') : report.index('id="exchange"')]
    assert "财税金融" in evidence
    assert "区域众创空间联盟" in evidence
    assert "联合二十家众创空间共享导师和场地。" in evidence
    assert "示范基地共报告制度改革举措1项，其中财税金融类最多（1项）。" in report
    assert page.console_errors == []
    assert Reform.objects.get().area == finance
    assert Nomination.objects.get().is_published()
