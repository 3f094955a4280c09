"""The lockout in a real browser: erin's name, tried from 20 addresses, is locked on every
address; alice (analyst) unlocks it on *Locked logins*; erin logs in."""

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from playwright.sync_api import expect

from mieval.conftest import PASSWORD
from mieval.web.tests.test_browser import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_name_locked_everywhere_is_unlocked_by_the_office(page, live_server, alice, erin):
    now = timezone.now()
    AccessAttempt.objects.bulk_create(
        AccessAttempt(
            username="erin",
            ip_address=f"198.51.100.{i}",
            user_agent="script",
            get_data="",
            post_data="",
            http_accept="*/*",
            path_info="/accounts/login/",
            failures_since_start=1,
            attempt_time=now,
        )
        for i in range(1, 21)
    )

    # the right password from the browser's own address is refused, saying why
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "erin")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_response("**/accounts/login/") as answer:
        page.click("form button[type=submit].primary")
    assert answer.value.status == 429
    assert page.locator("#locked-out").get_attribute("data-scope") == "username"
    assert "此用户名已从不同地址 20 次输入错误密码" in page.locator("#locked-out").inner_text()

    log_in(page, "alice")
    page.goto("/accounts/lockouts/")
    rows = page.locator("#lockouts tbody tr[data-scope]")
    assert rows.count() == 1
    assert rows.first.locator("td").first.inner_text() == "erin"
    rows.first.locator("button").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#lockouts tbody tr[data-scope]")).to_have_count(0)

    page.click("form button.link")  # log out
    log_in(page, "erin")
    assert page.url == f"{live_server.url}/"
    assert page.locator("header a[href='/accounts/password/change/']").inner_text() == "erin"
    assert page.console_errors == []
