"""Recording a base's withdrawal (摘牌) in a real browser (Debian's Chromium driven by
Playwright): the analyst opens the form on the base's edit page, fills it and records it; the
page shows the new status and the event with its document, and the registry holds it."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from mieval.registry.models import BaseChange, BaseEvent

# The reference data that a transactional test's flush removes.
from mieval.web.tests.test_browser import log_in, reference_data  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_office_records_a_withdrawal(page, alice, campaign_c):
    log_in(page, "alice")
    page.goto("/registry/bases/E1/edit/")
    expect(page.locator("#base-status")).to_have_class(re.compile(r"\bstatus-active\b"))

    page.click("#record-withdrawn summary")
    form = page.locator("#record-withdrawn form")
    form.locator("input[name=withdrawn-date]").fill("2019-06-30")
    form.locator("input[name=withdrawn-document_number]").fill("发改高技〔2019〕1号")
    form.locator("input[name=withdrawn-document_title]").fill("关于撤销部分示范基地的通知")
    form.locator("textarea[name=withdrawn-reason]").fill("连续两年评估不合格")
    form.locator("button[type=submit]").click()

    expect(page.locator("#base-status")).to_have_class(re.compile(r"\bstatus-withdrawn\b"))
    rows = page.locator("#events tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("2019-06-30")
    expect(rows.first).to_contain_text("发改高技〔2019〕1号 关于撤销部分示范基地的通知")
    # Once ended, the base takes no renaming, merger or second withdrawal.
    expect(page.locator("details.event-form")).to_have_count(1)
    event = BaseEvent.objects.get(base__code="E1")
    assert (event.kind, event.date, event.reason) == (
        "withdrawn",
        dt.date(2019, 6, 30),
        "连续两年评估不合格",
    )
    assert BaseChange.objects.get(event=event).actor == "alice"
    assert page.console_errors == []
