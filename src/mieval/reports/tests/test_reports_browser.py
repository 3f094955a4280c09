"""The Reports tab in a real browser: an analyst writes a narrative section, publishes a
snapshot and downloads the report; nothing breaks the content security policy."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from mieval.web.tests.test_browser import log_in, reference_data  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_analyst_writes_publishes_and_downloads(page, campaign_c, alice, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    log_in(page, "alice")
    page.goto("/campaigns/c/reports/")
    page.click("#narrative a[href$='/narrative/problems/']")
    page.fill("textarea[name=text_zh]", "缺乏激励机制。")
    page.fill("textarea[name=text_en]", "Lack of incentives.")
    page.click("#narrative-form button[type=submit]")
    page.wait_for_url("**/campaigns/c/reports/")
    page.fill("#publish-form input[name=note]", "first")
    page.click("#publish-form button[type=submit]")
    page.wait_for_url("**/campaigns/c/reports/")
    expect(page.locator("#snapshots tbody tr")).to_have_count(1)
    with page.expect_download() as download:
        page.click("#snapshots a[href$='report-en.html']")
    html = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Lack of incentives." in html
    assert page.console_errors == []
