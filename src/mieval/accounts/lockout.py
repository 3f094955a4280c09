"""Login throttling on top of django-axes: two limits instead of one.

axes counts the failed logins of a user name from one address (``AXES_FAILURE_LIMIT``, 5 by
default); that alone never stops one name tried from many addresses. This handler also counts
the name's failures from every address within the same cool-off window and locks the name, on
every address, at ``MIEVAL_LOCKOUT_USERNAME_LIMIT`` (20 by default). A name that has no account
is counted and locked the same way, so the lockout does not tell whether an account exists.

The evaluation office lifts a lock on the *Locked logins* page (``accounts.views.lockouts``),
audited as an :class:`~mieval.accounts.models.AccountEvent`.
"""

import dataclasses
import enum

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


class LockScope(enum.StrEnum):
    """What a lock covers: one user name from one address, or the user name everywhere."""

    ADDRESS = "address"
    USERNAME = "username"


@dataclasses.dataclass(frozen=True)
class Failures:
    """The failures within the cool-off window of one login attempt's user name."""

    from_address: int
    from_anywhere: int
    address_limit: int
    username_limit: int

    @property
    def scope(self) -> LockScope | None:
        """The lock that applies, the wider one first; None while the name may log in."""
        if self.from_anywhere >= self.username_limit:
            return LockScope.USERNAME
        if self.from_address >= self.address_limit:
            return LockScope.ADDRESS
        return None


def username_limit() -> int:
    return settings.MIEVAL_LOCKOUT_USERNAME_LIMIT


def failures_of(request, credentials=None) -> Failures:
    """Count the request's user name's failures, from its address and from anywhere (one query
    each), within axes' cool-off window."""
    recent = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        attempt_time__gte=get_cool_off_threshold(request),
    )

    def total(attempts) -> int:
        return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0

    return Failures(
        from_address=total(recent.filter(ip_address=request.axes_ip_address)),
        from_anywhere=total(recent),
        address_limit=get_failure_limit(request, credentials),
        username_limit=username_limit(),
    )


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with the user-name-wide limit as well (``AXES_HANDLER``)."""

    def get_failures(self, request, credentials=None) -> int:
        # axes compares this number with its one limit (the per-address one) wherever it
        # decides, so a name locked everywhere reports at least that limit.
        failures = failures_of(request, credentials)
        if failures.scope == LockScope.USERNAME:
            return max(failures.from_address, failures.address_limit)
        return failures.from_address


def locked_out(request, original_response=None, credentials=None):
    """The lockout page (``AXES_LOCKOUT_CALLABLE``), status 429, saying which lock applies."""
    failures = failures_of(request, credentials)
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": failures.address_limit,
            "username_limit": failures.username_limit,
            "scope": failures.scope or LockScope.ADDRESS,
            "cooloff_timedelta": get_cool_off(request),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
