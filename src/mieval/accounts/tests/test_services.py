from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from mieval.accounts.models import ApiToken
from mieval.accounts.services import (
    api_token_create,
    api_token_revoke,
    api_token_user,
    user_create,
)


def test_a_token_is_stored_only_as_its_hash(alice):
    token, key = api_token_create(user=alice, name="script")

    assert key.startswith("mie_") and len(key) > 40
    assert token.key_hash == ApiToken.hash(key) != key
    assert token.prefix == key[:8]
    assert api_token_user(key) == alice
    assert api_token_user(key + "x") is None


def test_revoked_expired_and_inactive_tokens_are_refused(alice, victor):
    revoked, revoked_key = api_token_create(user=alice, name="old")
    api_token_revoke(token=revoked)
    expired, expired_key = api_token_create(user=alice, name="short")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))
    _, victor_key = api_token_create(user=victor, name="v")
    victor.is_active = False
    victor.save(update_fields=["is_active"])

    assert api_token_user(revoked_key) is None
    assert api_token_user(expired_key) is None
    assert api_token_user(victor_key) is None


def test_using_a_token_records_when_at_most_once_a_minute(alice, monkeypatch):
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    clock = {"now": start}
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock["now"])
    token, key = api_token_create(user=alice, name="script")
    assert token.last_used_at is None

    used = []
    for seconds in (0, 30, 60, 61, 90):
        clock["now"] = start + timedelta(seconds=seconds)
        assert api_token_user(key) == alice
        token.refresh_from_db()
        used.append(token.last_used_at)

    # A busy script writes once a minute, not on every call.
    assert used == [start] * 3 + [start + timedelta(seconds=61)] * 2


def test_roles_bound_to_an_object_need_it(db):
    with pytest.raises(ValueError, match="base officer must be bound to a base"):
        user_create(username="x", password="p", role="base_officer")
    with pytest.raises(ValueError, match="organiser must be bound to an organisation"):
        user_create(username="y", password="p", role="organiser")


def test_the_database_refuses_a_base_officer_without_a_base(alice):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        alice.profile.role = "base_officer"
        alice.profile.save()


def test_analysts_are_staff_and_admins_superusers(admin_user, alice, victor):
    assert (admin_user.is_staff, admin_user.is_superuser) == (True, True)
    assert (alice.is_staff, alice.is_superuser) == (True, False)
    assert (victor.is_staff, victor.is_superuser) == (False, False)


def test_analysts_may_keep_the_evaluation_records_in_the_admin(alice, victor):
    assert alice.has_perm("registry.change_base")
    assert alice.has_perm("collection.change_value")
    assert not alice.has_perm("auth.change_user")
    assert not victor.has_perm("registry.change_base")
