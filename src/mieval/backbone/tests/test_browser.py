"""In a real browser: a base officer nominates a member of the staff; the office imports the
panels' and visits' people, reads the counts and invites a visit contact to a roster."""

import pytest

from mieval.backbone.models import BackboneMember
from mieval.conftest import PASSWORD
from mieval.panels.models import Expert

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The flush after a transactional test removes what data migrations loaded: load it again
    with the migrations' own code."""
    from importlib import import_module

    from django.apps import apps

    import_module("mieval.registry.migrations.0002_reference_data").load_reference(apps, None)
    import_module("mieval.indicators.migrations.0002_builtin_framework").load_builtin(apps, None)


def log_in(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def test_nominate_import_count_and_invite(page, planned, alice, bob, tmp_path):
    log_in(page, "bob")
    page.goto("/campaigns/c/backbone/nominate/R1/")
    page.fill("#nominate-form input[name=name]", "钱七")
    page.fill("#nominate-form input[name=position]", "运营专员")
    page.fill("#nominate-form input[name=phone]", "139-0000")
    page.click("#nominate-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#nominations li").all_inner_texts() == ["钱七 (运营专员) · 已记录"]

    log_in(page, "alice")
    page.goto("/campaigns/c/backbone/")
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    # 3 panel members (2 east, 1 central and west), 3 visit contacts and the nomination (east).
    totals = page.locator("#backbone-counts tfoot td").all_inner_texts()
    assert totals == ["6", "1", "0", "7"]
    assert page.locator("#backbone-members tbody tr").count() == 7
    page.screenshot(path=str(tmp_path / "backbone.png"), full_page=True)

    page.click("#backbone-members a:text('李四')")
    page.wait_for_load_state("networkidle")
    page.locator("#invite-form select[name=organisation]").select_option(label="ORG1 测试协会")
    page.fill("#invite-form input[name=code]", "BB01")
    page.click("#invite-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已邀请加入专家库" in page.locator("#member-state").inner_text()
    page.click("#accept-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已列入专家库" in page.locator("#member-state").inner_text()
    assert Expert.objects.get(code="BB01").active is True
    assert BackboneMember.objects.get(name="李四").state == "rostered"
    assert page.console_errors == []
