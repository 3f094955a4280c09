"""In a real browser (Debian's Chromium): the scoring page with its evidence on a phone (one
column, nothing wider than the screen, the evidence folded under each criterion) and on a
desktop (the summary beside the form)."""

import pytest

from mieval.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The flush after a transactional test removes what data migrations loaded: load it again
    with the migrations' own code."""
    from importlib import import_module

    from django.apps import apps

    import_module("mieval.registry.migrations.0002_reference_data").load_reference(apps, None)
    import_module("mieval.indicators.migrations.0002_builtin_framework").load_builtin(apps, None)


def open_as_erin(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "erin")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    page.goto("/campaigns/c/scoring/R1/")
    return context, page


def test_the_evidence_on_a_phone_is_one_column_and_folded_under_each_criterion(
    browser, live_server, erin, published, rubric
):
    context, page = open_as_erin(browser, live_server, **PHONE)
    try:
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
            " && document.body.scrollWidth <= window.innerWidth"
        )
        details = page.locator("#evidence-C1")
        assert details.evaluate("d => d.open") is False
        form = page.locator("#score-form").bounding_box()
        summary = page.locator("#evidence-summary").bounding_box()
        assert summary["y"] >= form["y"] + form["height"]  # below the form, not beside it
        page.locator("#evidence-C1 > summary").tap()
        assert details.evaluate("d => d.open") is True
        assert page.locator("#evidence-C1 tr[data-indicator=new_market_entities]").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        toggle = page.locator("#evidence-C1 > summary").bounding_box()
        assert toggle["height"] >= 44
    finally:
        context.close()


def test_the_evidence_on_a_desktop_stands_beside_the_form(
    browser, live_server, erin, published, rubric
):
    context, page = open_as_erin(browser, live_server, viewport={"width": 1280, "height": 900})
    try:
        form = page.locator("#score-form").bounding_box()
        summary = page.locator("#evidence-summary").bounding_box()
        assert summary["x"] >= form["x"] + form["width"]
        assert abs(summary["y"] - form["y"]) < 60
    finally:
        context.close()
