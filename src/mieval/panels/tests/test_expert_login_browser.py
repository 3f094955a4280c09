"""An expert's login in a real browser: oscar (organiser) requests it, alice (analyst)
confirms it on *Expert login requests*; the pages load without a script or CSP error."""

import pytest
from playwright.sync_api import expect

from mieval.panels.models import Expert
from mieval.web.tests.test_browser import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    from importlib import import_module

    from django.apps import apps

    import_module("mieval.registry.migrations.0002_reference_data").load_reference(apps, None)


def test_oscar_requests_and_alice_confirms(page, roster, oscar, alice):
    Expert.objects.filter(code="X01").update(user=None)

    log_in(page, "oscar")
    page.goto("/panels/organisations/ORG1/experts/X01/login/")
    page.fill("input[name=username]", "wang")
    page.fill("input[name=email]", "wang@example.org")
    page.click("#request button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#pending")).to_have_count(1)
    assert Expert.objects.get(code="X01").user is None

    page.click("form button.link")  # log out
    log_in(page, "alice")
    page.goto("/panels/logins/")
    row = page.locator("#login-requests tbody tr[id^=request-]")
    assert row.count() == 1
    assert row.locator(".outcome").inner_text() == "创建新账户，并向申请中的邮箱地址发送邀请"
    row.locator("button.primary").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("#login-requests tbody tr[id^=request-]").count() == 0
    assert Expert.objects.get(code="X01").user.get_username() == "wang"
    assert page.console_errors == []
