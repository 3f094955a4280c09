"""Login throttling: 5 failures of a user name from one address lock that pair, 20 failures of
a user name from any address lock the name everywhere; the office sees the locks and lifts
them, audited."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from mieval.accounts.lockout import LockScope
from mieval.accounts.models import AccountEvent
from mieval.accounts.selectors import logins_locked
from mieval.conftest import PASSWORD

NAME_LOCK = (
    "The wrong password was given 20 times for this user name from different addresses, so"
    " logging in with this user name is blocked for a while, from every address."
)
ADDRESS_LOCK = (
    "The wrong password was given 5 times for this user name from this address, so logging in"
    " is blocked for a while."
)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def login_post(client, username, password, address):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def spread_failures(client, username, count, first=1):
    """``count`` wrong passwords for ``username``, each from another address."""
    return [
        login_post(client, username, f"wrong-{i}", f"10.0.0.{i}").status_code
        for i in range(first, first + count)
    ]


def lock_text(response) -> str:
    return response.content.decode().split('<section class="card narrow" id="locked-out"')[1]


@pytest.mark.django_db
def test_the_same_name_from_25_addresses_is_locked_everywhere(client, erin):
    # when one name is tried from 25 addresses, once each
    statuses = spread_failures(client, "erin", 25)

    # then the 20th failure locks the name, and every later try is refused
    assert statuses == [200] * 19 + [429] * 6
    # the right password, from an address never seen, is refused with the lockout message
    response = login_post(client, "erin", PASSWORD, "192.0.2.200")
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert (response.context["scope"], response.context["username_limit"]) == ("username", 20)
    assert NAME_LOCK in lock_text(response)
    assert "_auth_user_id" not in client.session
    # every try counts, the refused ones too (axes extends a lock while it is being tried)
    assert AccessAttempt.objects.filter(username="erin").count() == 26


@pytest.mark.django_db
def test_the_office_unlocks_a_name_and_the_user_logs_in(client, alice, erin):
    spread_failures(client, "erin", 20)
    client.force_login(alice)

    page = client.get(reverse("lockouts"))

    assert page.status_code == 200
    ((lock),) = page.context["locks"]
    assert (lock.scope, lock.username, lock.ip_address, lock.failures) == (
        LockScope.USERNAME,
        "erin",
        None,
        20,
    )
    response = client.post(reverse("lockouts"), {"username": "erin", "ip_address": ""}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "The user name erin can log in again."
    ]
    assert response.context["locks"] == []
    event = AccountEvent.objects.get()
    assert (event.kind, event.actor, event.user, event.details) == (
        "login_unlocked",
        "alice",
        alice,
        {"username": "erin", "ip_address": None, "failures": 20},
    )

    client.logout()
    response = login_post(client, "erin", PASSWORD, "10.0.0.7")
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


@pytest.mark.django_db
def test_the_per_address_lockout_still_works_and_is_lifted_for_that_address(client, alice, erin):
    statuses = [login_post(client, "erin", f"wrong-{i}", "10.0.0.1").status_code for i in range(5)]

    assert statuses == [200, 200, 200, 200, 429]
    response = login_post(client, "erin", PASSWORD, "10.0.0.1")
    assert (response.status_code, response.context["scope"]) == (429, "address")
    assert ADDRESS_LOCK in lock_text(response)
    assert response.context["failure_limit"] == 5

    # the lock is for that address only
    client.force_login(alice)
    (lock,) = client.get(reverse("lockouts")).context["locks"]
    # the five wrong passwords and the refused right one
    assert (lock.scope, lock.username, lock.ip_address, lock.failures) == (
        LockScope.ADDRESS,
        "erin",
        "10.0.0.1",
        6,
    )
    client.post(reverse("lockouts"), {"username": "erin", "ip_address": "10.0.0.1"})
    assert AccountEvent.objects.get().details == {
        "username": "erin",
        "ip_address": "10.0.0.1",
        "failures": 6,
    }
    client.logout()
    assert login_post(client, "erin", PASSWORD, "10.0.0.1").status_code == 302


@pytest.mark.django_db
def test_another_address_is_not_locked_by_the_per_address_limit(client, erin):
    for i in range(5):
        login_post(client, "erin", f"wrong-{i}", "10.0.0.1")

    assert login_post(client, "erin", PASSWORD, "10.0.0.2").status_code == 302


@pytest.mark.django_db
def test_a_name_without_an_account_is_locked_the_same_way(client, erin):
    """The lockout does not reveal whether an account exists."""
    assert spread_failures(client, "nobody-here", 21) == [200] * 19 + [429] * 2
    assert spread_failures(client, "erin", 21, first=100) == [200] * 19 + [429] * 2


@pytest.mark.django_db
def test_failures_older_than_the_cool_off_do_not_count(client, erin):
    spread_failures(client, "erin", 19)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    assert spread_failures(client, "erin", 1, first=50) == [200]
    assert logins_locked() == []


@pytest.mark.django_db
def test_the_lockout_message_is_in_chinese(client, erin):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    spread_failures(client, "erin", 20)

    response = login_post(client, "erin", PASSWORD, "10.0.0.99")

    assert response.status_code == 429
    assert (
        "此用户名已从不同地址 20 次输入错误密码，此用户名的登录暂时在所有地址被禁止。"
        in lock_text(response)
    )


@pytest.mark.django_db
def test_a_bad_unlock_request_is_refused_with_its_reason(client, alice):
    client.force_login(alice)

    response = client.post(reverse("lockouts"), {"username": "", "ip_address": "not-an-ip"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "username": ["This field is required."],
        "ip_address": ["Enter a valid IPv4 or IPv6 address."],
    }
    assert AccountEvent.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["erin", "oscar", "victor", "stranger"])
def test_only_the_office_sees_and_lifts_locks(client, everyone, username):
    client.force_login(everyone[username])

    assert client.get(reverse("lockouts")).status_code == 403
    assert client.post(reverse("lockouts"), {"username": "erin"}).status_code == 403
    assert AccountEvent.objects.count() == 0
