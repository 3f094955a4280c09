"""The administration site gives analysts the evaluation's records, never accounts: an analyst
cannot give anyone (itself included) a role, a base, an organisation or a group."""

import pytest

from mieval.accounts.services import analysts_group

ACCOUNT_PAGES = [
    "/admin/auth/user/",
    "/admin/auth/user/add/",
    "/admin/auth/group/",
    "/admin/accounts/profile/",
    "/admin/accounts/profile/add/",
    "/admin/accounts/apitoken/",
    "/admin/axes/accessattempt/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ACCOUNT_PAGES)
def test_an_analyst_cannot_open_the_account_pages_of_the_admin(client, alice, page):
    client.force_login(alice)

    assert client.get(page).status_code == 403


@pytest.mark.django_db
def test_an_analyst_cannot_change_a_profile_or_a_user(client, alice, erin):
    client.force_login(alice)

    user_page = client.post(
        f"/admin/auth/user/{alice.pk}/change/", {"username": "alice", "is_superuser": "on"}
    )
    profile_page = client.post(
        f"/admin/accounts/profile/{erin.profile.pk}/change/",
        {"user": erin.pk, "role": "analyst"},
    )

    assert (user_page.status_code, profile_page.status_code) == (403, 403)
    alice.refresh_from_db()
    erin.profile.refresh_from_db()
    assert (alice.is_superuser, erin.profile.role) == (False, "expert")


@pytest.mark.django_db
def test_the_analysts_group_holds_no_permission_on_accounts(alice):
    labels = set(analysts_group().permissions.values_list("content_type__app_label", flat=True))

    assert labels & {"auth", "accounts", "axes", "admin", "sessions"} == set()
