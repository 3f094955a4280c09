"""Reads of accounts: the logins locked out now."""

import dataclasses
import datetime as dt

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone

from mieval.accounts.lockout import LockScope, username_limit


@dataclasses.dataclass(frozen=True)
class LockedLogin:
    """A lock in force: a user name everywhere (``ip_address`` None) or from one address."""

    scope: LockScope
    username: str
    ip_address: str | None
    failures: int
    last_failure: dt.datetime
    #: When the lock lifts by itself at the latest (the last failure plus the cool-off time).
    until: dt.datetime


def logins_locked(*, now: dt.datetime | None = None) -> list[LockedLogin]:
    """Every lock in force, names locked everywhere first, then by user name and address (two
    grouped queries). Uses the same window and limits as the lockout itself."""
    now = now or timezone.now()
    cool_off = get_cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off, username__isnull=False)
    locks = []
    for scope, fields, limit in (
        (LockScope.USERNAME, ("username",), username_limit()),
        (LockScope.ADDRESS, ("username", "ip_address"), settings.AXES_FAILURE_LIMIT),
    ):
        groups = (
            recent.values(*fields)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
            .order_by(*fields)
        )
        locks += [
            LockedLogin(
                scope=scope,
                username=group["username"],
                ip_address=group.get("ip_address"),
                failures=group["failures"],
                last_failure=group["last"],
                until=group["last"] + cool_off,
            )
            for group in groups
        ]
    return locks
