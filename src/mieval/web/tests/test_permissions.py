"""Who may open which page: every role against every page, with the exact status code.

403: the role may not use the page at all. 404: another base's object, looked up among the
bases the user may see. Anonymous: 302 to the login page.
"""

import pytest
from django.urls import reverse

from mieval.accounts.services import api_token_create

PAGES = {
    "home": lambda: reverse("home"),
    "campaign_list": lambda: reverse("campaign_list"),
    "overview": lambda: reverse("campaign_overview", args=["c"]),
    "trends": lambda: reverse("campaign_trends", args=["c"]),
    "programme_trends": lambda: reverse("programme_trends", args=["mie-bases"]),
    "profile_R1": lambda: reverse("base_profile", args=["c", "R1"]),
    "profile_U1": lambda: reverse("base_profile", args=["c", "U1"]),
    "history_R1": lambda: reverse("base_history", args=["mie-bases", "R1"]),
    "history_U1": lambda: reverse("base_history", args=["mie-bases", "U1"]),
    "registry": lambda: reverse("registry_bases"),
    "edit_R1": lambda: reverse("registry_base_edit", args=["R1"]),
    "edit_U1": lambda: reverse("registry_base_edit", args=["U1"]),
    "create": lambda: reverse("registry_base_create"),
    "event_R1": lambda: reverse("registry_base_event", args=["R1", "withdrawn"]),
    "document_R1": lambda: reverse("registry_event_document", args=["R1", 999999]),
    "frameworks": lambda: reverse("frameworks"),
    "crosswalks": lambda: reverse("crosswalks"),
    "tokens": lambda: reverse("tokens"),
    "password_change": lambda: reverse("password_change"),
}

USERS = ["ada", "alice", "bob", "carol", "erin", "oscar", "victor", "stranger", None]

# One row per page; one column per user, in the order of USERS.
#                    ada  alice bob  carol erin oscar victor stranger anonymous
MATRIX = {
    "home":            [200, 200, 302, 302, 200, 302, 200, 200, 302],
    "campaign_list":   [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "overview":        [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "trends":          [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "programme_trends": [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "profile_R1":      [200, 200, 200, 404, 404, 404, 200, 404, 302],
    "profile_U1":      [200, 200, 404, 200, 404, 404, 200, 404, 302],
    "history_R1":      [200, 200, 200, 404, 404, 404, 200, 404, 302],
    "history_U1":      [200, 200, 404, 200, 404, 404, 200, 404, 302],
    "registry":        [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "edit_R1":         [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "edit_U1":         [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "create":          [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "event_R1":        [302, 302, 403, 403, 403, 403, 403, 403, 302],
    "document_R1":     [404, 404, 403, 403, 403, 403, 403, 403, 302],
    "frameworks":      [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "crosswalks":      [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "tokens":          [200, 200, 200, 200, 200, 200, 200, 403, 302],
    "password_change": [200, 200, 200, 200, 200, 200, 200, 200, 302],
}  # fmt: skip

CASES = [
    pytest.param(user, page, MATRIX[page][column], id=f"{user or 'anonymous'}-{page}")
    for page in MATRIX
    for column, user in enumerate(USERS)
]


@pytest.mark.parametrize(("user", "page", "expected"), CASES)
def test_page_status_by_role(client, everyone, login, user, page, expected):
    login(everyone[user] if user else None)

    response = client.get(PAGES[page]())

    assert response.status_code == expected
    if user is None:
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_every_page_of_the_matrix_is_covered():
    assert set(MATRIX) == set(PAGES)
    assert all(len(row) == len(USERS) for row in MATRIX.values())


def test_base_officer_lands_on_the_own_base_profile(client, bob, login):
    response = login(bob).get(reverse("home"))

    assert response["Location"] == reverse("base_profile", args=["c", "R1"])


def test_framework_detail_and_new_version_only_for_managers(client, everyone, login):
    from mieval.indicators.selectors import framework_builtin

    pk = framework_builtin().pk
    for name, expected in [("alice", 200), ("ada", 200), ("victor", 403), ("bob", 403)]:
        client.logout()
        login(everyone[name])
        assert client.get(reverse("framework_detail", args=[pk])).status_code == expected
        assert client.get(reverse("framework_version_create", args=[pk])).status_code == expected


def test_unknown_campaign_is_404(client, alice, login):
    assert login(alice).get(reverse("campaign_overview", args=["nope"])).status_code == 404


def test_revoking_another_users_token_is_404(client, alice, victor, login):
    token, _ = api_token_create(user=victor, name="victor's script")

    response = login(alice).post(reverse("token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
