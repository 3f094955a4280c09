"""In a real browser: the published report's problems section links each count to the list
of the problems behind it, and the link opens that list from the snapshot."""

import re
from pathlib import Path

import pytest

from mieval.rectification.services import problem_confirm
from mieval.rectification.tests.conftest import propose
from mieval.web.tests.test_browser import log_in, reference_data  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def taxonomy(reference_data):  # noqa: F811
    """The problem types, which the flush of a transactional test removes too."""
    from importlib import import_module

    from django.apps import apps

    import_module("mieval.rectification.migrations.0002_taxonomy_v1").load(apps, None)


def test_a_problems_count_of_the_report_opens_its_problems(
    page, taxonomy, campaign_c, alice, victor, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    for code, type_code in (
        ("R1", "corporate_credit"),
        ("U1", "corporate_credit"),
        ("E1", "east_west_exchange"),
    ):
        problem_confirm(problem=propose(campaign_c, code, type_code), user=alice)
    log_in(page, "alice")
    page.goto("/campaigns/c/reports/")
    page.click("#publish-form button[type=submit]")
    page.wait_for_url("**/campaigns/c/reports/")
    with page.expect_download() as download:
        page.click("#snapshots a[href$='report-en.html']")
    html = Path(download.value.path()).read_text(encoding="utf-8")
    section = html[html.index('id="problems"') : html.index('id="recommendations"')]
    assert "The register holds 3 confirmed problems at 3 bases, of 2 types" in section
    link = re.search(r'<a href="([^"]+type=corporate_credit)">2</a>', section).group(1)

    page.context.clear_cookies()
    log_in(page, "victor")
    page.goto(link.replace("&amp;", "&"))
    rows = page.locator("#lineage-problems tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").nth(0).inner_text() == "区域一 (R1)"
    assert rows.nth(1).locator("td").nth(0).inner_text() == "高校一 (U1)"
    assert page.console_errors == []
