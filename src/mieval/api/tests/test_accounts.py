"""``/me`` and ``/tokens``; token and session authentication."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from mieval.accounts.models import ApiToken
from mieval.accounts.services import api_token_create, api_token_revoke
from mieval.api.tests.conftest import API

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def bearer(key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.mark.parametrize(
    ("name", "me"),
    [
        ("bob", {"username": "bob", "role": "base_officer", "base_code": "R1"}),
        ("oscar", {"username": "oscar", "role": "organiser", "organisation_code": "ORG1"}),
        ("ada", {"username": "ada", "role": "admin"}),
        ("stranger", {"username": "stranger", "role": None}),
    ],
)
def test_me_names_user_role_base_and_organisation(api_as, everyone, name, me):
    response = api_as(everyone[name], via="token").get("/me")

    assert response.json() == {"base_code": None, "organisation_code": None, **me}


def test_a_created_token_is_shown_once_and_works(api_as, alice):
    client = api_as(alice, via="session")
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        response = client.post("/tokens", {"name": "nightly import", "days": 30})
        key = response.json()["key"]
        me = bearer(key).get(f"{API}/me")

    assert response.status_code == 201
    created = response.json()
    del created["key"]
    token = ApiToken.objects.get(pk=created["id"])
    assert (token.name, token.user, token.key_hash) == ("nightly import", alice, ApiToken.hash(key))
    assert (token.created_at, token.expires_at) == (NOW, NOW + timedelta(days=30))
    assert (created["created_at"], created["expires_at"]) == (
        "2026-03-02T08:00:00Z",
        "2026-04-01T08:00:00Z",
    )
    assert created["prefix"] == key[:8]
    assert me.json()["username"] == "alice"


def test_the_token_list_holds_own_tokens_and_never_a_key(api_as, alice, bob):
    api_token_create(user=bob, name="bob's")
    mine, _ = api_token_create(user=alice, name="report script", days=None)

    response = api_as(alice, via="session").get("/tokens")

    assert response.json()["count"] == 1
    item = response.json()["items"][0]
    assert sorted(item) == [
        "created_at",
        "expires_at",
        "id",
        "last_used_at",
        "name",
        "prefix",
        "revoked_at",
    ]
    assert (item["id"], item["name"], item["expires_at"]) == (mine.pk, "report script", None)


def test_a_revoked_token_is_refused(api_as, alice):
    token, key = api_token_create(user=alice, name="old")
    client = api_as(alice, via="session")

    revoked = client.delete(f"/tokens/{token.pk}")
    response = bearer(key).get(f"{API}/me")

    assert revoked.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert (response.status_code, response.json()) == (
        401,
        {"detail": "The API token is unknown, revoked or expired."},
    )
    assert response["WWW-Authenticate"] == 'Bearer realm="mieval"'


def test_an_expired_token_is_refused(alice):
    token, key = api_token_create(user=alice, name="short")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = bearer(key).get(f"{API}/bases")

    assert response.status_code == 401


def test_a_bad_token_is_refused_even_with_a_session(alice):
    client = Client(headers={"Authorization": "Bearer mie_not-a-token"})
    client.force_login(alice)

    response = client.get(f"{API}/me")

    assert response.status_code == 401


def test_an_authorization_header_that_is_not_bearer_is_refused(alice):
    response = Client(headers={"Authorization": "Basic YWxpY2U6cHc="}).get(f"{API}/me")

    assert (response.status_code, response.json()) == (
        401,
        {"detail": "The Authorization header must read 'Bearer <token>'."},
    )


def test_nobody_logged_in_is_told_how_to_authenticate(db):
    response = Client().get(f"{API}/bases")

    assert (response.status_code, response.json()) == (
        401,
        {"detail": "Log in, or send the header 'Authorization: Bearer <token>'."},
    )


def test_revoking_another_users_token_is_not_found_and_leaves_it(api_as, alice, bob):
    token, _ = api_token_create(user=bob, name="bob's")

    response = api_as(alice, via="token").delete(f"/tokens/{token.pk}")

    assert (response.status_code, response.json()) == (
        404,
        {"detail": f"You have no API token with id {token.pk}."},
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_twice_keeps_the_first_time(api_as, alice):
    token, _ = api_token_create(user=alice, name="x")
    api_token_revoke(token=token)
    first = ApiToken.objects.get(pk=token.pk).revoked_at

    response = api_as(alice, via="token").delete(f"/tokens/{token.pk}")

    assert response.status_code == 204
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first


def test_a_token_name_is_required(api_as, alice):
    response = api_as(alice, via="token").post("/tokens", {"name": ""})

    assert response.status_code == 422
    assert [p["loc"] for p in response.json()["detail"]] == [["body", "payload", "name"]]


def test_a_token_made_with_a_token_expires_no_later_than_it(alice):
    """A leaked token cannot outlive itself by minting a longer-lived one."""
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        parent, key = api_token_create(user=alice, name="30-day script", days=30)
        never = bearer(key).post(
            f"{API}/tokens", {"name": "forever", "days": None}, content_type="application/json"
        )
        longer = bearer(key).post(
            f"{API}/tokens", {"name": "ten years", "days": 3650}, content_type="application/json"
        )
        shorter = bearer(key).post(
            f"{API}/tokens", {"name": "a week", "days": 7}, content_type="application/json"
        )

    assert [r.status_code for r in (never, longer, shorter)] == [201, 201, 201]
    assert [r.json()["expires_at"] for r in (never, longer, shorter)] == [
        "2026-04-01T08:00:00Z",
        "2026-04-01T08:00:00Z",
        "2026-03-09T08:00:00Z",
    ]
    assert parent.expires_at == NOW + timedelta(days=30)
