"""Writes to accounts: users with roles, API tokens, lifting login lockouts."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from mieval.accounts.models import AccountEvent, ApiToken, Profile, Role


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str,
    email: str = "",
    base=None,
    organisation=None,
):
    """A user with a role (and the base or organisation the role is bound to)."""
    if role == Role.BASE_OFFICER and base is None:
        raise ValueError("a base officer must be bound to a base")
    if role == Role.ORGANISER and organisation is None:
        raise ValueError("an organiser must be bound to an organisation")
    User = get_user_model()
    user = User(username=username, email=email)
    user.is_staff = role in {Role.ADMIN, Role.ANALYST}
    user.is_superuser = role == Role.ADMIN
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    Profile.objects.create(user=user, role=role, base=base, organisation=organisation)
    if role == Role.ANALYST:
        user.groups.add(analysts_group())
    return user


#: The apps whose records analysts keep in the administration site.
ANALYST_APPS = ("registry", "indicators", "collection", "panels", "practices")


def analysts_group() -> Group:
    """The group that gives analysts the administration site's permissions on the evaluation's
    records (audit trails stay read-only: their admin pages refuse every change)."""
    group, _ = Group.objects.get_or_create(name="analysts")
    wanted = Permission.objects.filter(content_type__app_label__in=ANALYST_APPS)
    if group.permissions.count() != wanted.count():
        group.permissions.set(wanted)
    return group


@transaction.atomic
def api_token_create(
    *, user, name: str, days: int | None = 365, made_with: ApiToken | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the key, which is not stored.

    A token made by a script with another token (``made_with``) expires no later than that
    token: a leaked token must not be able to outlive itself by minting a longer-lived one.
    """
    key = ApiToken.new_key()
    expires_at = timezone.now() + timedelta(days=days) if days else None
    if made_with is not None and made_with.expires_at is not None:
        expires_at = (
            made_with.expires_at if expires_at is None else min(expires_at, made_with.expires_at)
        )
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash(key),
        expires_at=expires_at,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


def api_token_find(key: str) -> ApiToken | None:
    """The active token a key belongs to, or None (unknown, revoked, expired, or its user
    inactive); records its use."""
    token = (
        ApiToken.objects.active()
        .select_related("user", "user__profile")
        .filter(key_hash=ApiToken.hash(key))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Record use at most once a minute: a busy script should not write on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def api_token_user(key: str):
    """The user a token key belongs to, or None (unknown, revoked, expired or inactive)."""
    token = api_token_find(key)
    return token.user if token is not None else None


@transaction.atomic
def login_unlock(*, username: str, ip_address: str | None = None, actor) -> int:
    """Lift the lockout of a user name, everywhere or (with ``ip_address``) from one address:
    its failed logins are forgotten (django-axes' reset). Audited; returns the number of
    failures forgotten (0 when the lock had expired meanwhile)."""
    from axes.models import AccessAttempt
    from axes.utils import reset
    from django.db.models import Sum

    attempts = AccessAttempt.objects.filter(username=username)
    if ip_address:
        attempts = attempts.filter(ip_address=ip_address)
    failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
    reset(ip=ip_address or None, username=username)
    AccountEvent.objects.create(
        kind=AccountEvent.Kind.LOGIN_UNLOCKED,
        user=actor,
        actor=actor.get_username(),
        at=timezone.now(),
        details={"username": username, "ip_address": ip_address or None, "failures": failures},
    )
    return failures
