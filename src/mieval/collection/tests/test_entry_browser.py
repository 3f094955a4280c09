"""The entry form in a real browser (Debian's Chromium driven by Playwright): the checks appear
next to the field as the officer types, without reloading; saving and submitting."""

import pytest
from playwright.sync_api import expect

from mieval.collection.models import Submission, Value

# The reference data that a transactional test's flush removes (``browser`` and ``page`` are
# in mieval/conftest.py).
from mieval.web.tests.test_browser import log_in, reference_data  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def stored(code: str, year: int) -> str | None:
    value = Value.objects.filter(base__code="R1", indicator__code=code, year=year).first()
    return value.raw if value else None


def test_bob_sees_problems_as_he_types_then_saves_and_submits(page, bob):
    log_in(page, "bob")
    page.goto("/campaigns/c/bases/R1/entry/")
    page.evaluate("() => { window.sameDocument = true; }")
    field = page.locator("input[name='v-new_market_entities-2018']")
    problems = page.locator("#p-new_market_entities-2018 .problem")

    # 2017: 121; 1210 is ten times as much: a warning, without reloading the page.
    field.fill("1210")
    expect(problems).to_have_count(1)
    expect(problems).to_have_attribute("data-severity", "warning")
    expect(problems).to_contain_text("1,210")
    assert page.evaluate("() => window.sameDocument") is True

    field.fill("-5")
    expect(problems).to_have_count(1)
    expect(problems).to_have_attribute("data-severity", "error")
    expect(page.locator("#entry-summary .problem.error")).to_have_count(1)

    field.fill("150")
    expect(problems).to_have_count(0)
    expect(page.locator("#entry-summary .problem.error")).to_have_count(0)
    assert page.evaluate("() => window.sameDocument") is True
    assert stored("new_market_entities", 2018) == "144"  # checking saves nothing

    page.click("button[name=action][value=save]")
    page.wait_for_load_state("networkidle")
    assert stored("new_market_entities", 2018) == "150"
    expect(page.locator(".message.success")).to_have_count(1)
    expect(page.locator("input[name='v-new_market_entities-2018']")).to_have_value("150")

    page.click("button[name=action][value=submit]")
    page.wait_for_load_state("networkidle")

    assert Submission.objects.get(base__code="R1").state == "submitted"
    expect(page.locator("#read-only")).to_be_visible()
    expect(page.locator("input.value-input")).to_have_count(0)
    expect(page.locator("button[name=action]")).to_have_count(0)
    expect(
        page.locator("tr[data-indicator=new_market_entities] td[data-year='2018']")
    ).to_contain_text("150")
    assert page.console_errors == []
