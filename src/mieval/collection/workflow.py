"""Review workflow services: submissions, data queries, evidence files and rule sets.

Every function here is a write with side effects (``@transaction.atomic``, keyword-only
arguments); who may call which is decided by :mod:`mieval.accounts.permissions` in the views and
the API. The state machine of a submission is enforced here, whoever calls:

    draft ──submit──▶ submitted ──approve──▶ approved (locked)
      ▲                 │    ▲                  │
      │              return  submit          reopen (reason)
      │                 ▼    │                  │
      └──────────── returned ◀──────────────────┘
"""

import enum
import hashlib

import pandas as pd
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from mieval.collection.models import (
    Campaign,
    Evidence,
    Query,
    QueryMessage,
    RuleSet,
    Submission,
    SubmissionEvent,
    Value,
)
from mieval.collection.services import value_set
from mieval.core.evidence import EVIDENCE_KINDS, EvidenceCode, EvidenceError, evidence_check
from mieval.indicators.models import Framework, Indicator
from mieval.registry.models import Base

State = Submission.State


class WorkflowCode(enum.StrEnum):
    WRONG_STATE = "wrong_state"
    REASON_REQUIRED = "reason_required"
    OPEN_QUERIES = "open_queries"
    CHECK_ERRORS = "check_errors"
    QUERY_CLOSED = "query_closed"
    # An evidence file refused: the codes of core.evidence.EvidenceCode, the one list of them.
    FILE_TOO_LARGE = EvidenceCode.FILE_TOO_LARGE.value
    FILE_TYPE = EvidenceCode.FILE_TYPE.value
    EMPTY_FILE = EvidenceCode.EMPTY_FILE.value


class WorkflowError(Exception):
    """A step the workflow does not allow now, with a message a person can act on."""

    def __init__(
        self,
        code: WorkflowCode,
        message: str,
        problems: pd.DataFrame | None = None,
        evidence: EvidenceError | None = None,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.problems = problems
        self.evidence = evidence


# --- submissions -----------------------------------------------------------------------------


@transaction.atomic
def campaign_deadline_set(*, campaign: Campaign, deadline) -> Campaign:
    """Set (or, with None, clear) the date by which bases submit; timeliness is judged on it."""
    campaign.submission_deadline = deadline
    campaign.save(update_fields=["submission_deadline"])
    return campaign


def submission_for(*, campaign: Campaign, base: Base) -> Submission:
    """The base's submission in the campaign (a draft until it is first submitted)."""
    submission, _ = Submission.objects.get_or_create(campaign=campaign, base=base)
    return submission


def _transition(submission, *, to: str, allowed_from: set[str], user, actor, reason) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.state not in allowed_from:
        raise WorkflowError(
            WorkflowCode.WRONG_STATE,
            f"the submission of {locked.base.code} is {locked.state}; this step needs it to be "
            + " or ".join(sorted(allowed_from)),
        )
    now = timezone.now()
    SubmissionEvent.objects.create(
        submission=locked,
        from_state=locked.state,
        to_state=to,
        user=user,
        actor=actor,
        at=now,
        reason=reason,
    )
    locked.state = to
    locked.version += 1
    fields = ["state", "version"]
    if to == State.SUBMITTED:
        locked.submitted_at = locked.submitted_at or now
        locked.last_submitted_at = now
        fields += ["submitted_at", "last_submitted_at"]
    if to == State.APPROVED:
        locked.approved_at = now
        fields.append("approved_at")
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def submission_submit(*, campaign: Campaign, base: Base, user=None, actor: str, note: str = ""):
    """Submit the base's data for review. Problems of severity error block it: the base fixes
    them first (the :class:`WorkflowError` carries them). Warnings go along for the review."""
    from mieval.collection.selectors import campaign_check

    submission = submission_for(campaign=campaign, base=base)
    problems = campaign_check(campaign, base_code=base.code)
    errors = problems[problems["severity"] == "error"]
    if len(errors):
        raise WorkflowError(
            WorkflowCode.CHECK_ERRORS,
            f"{len(errors)} problem(s) of severity error must be fixed before submitting",
            problems=errors,
        )
    return _transition(
        submission,
        to=State.SUBMITTED,
        allowed_from={State.DRAFT, State.RETURNED},
        user=user,
        actor=actor,
        reason=note,
    )


@transaction.atomic
def submission_return(*, submission: Submission, user=None, actor: str, reason: str = ""):
    """Send a submission back to the base, with open queries or a reason (or both)."""
    open_queries = Query.objects.filter(
        campaign=submission.campaign, base=submission.base, status=Query.Status.OPEN
    ).count()
    if not reason.strip() and not open_queries:
        raise WorkflowError(
            WorkflowCode.REASON_REQUIRED,
            "say why the submission goes back, or attach a query to a value first",
        )
    return _transition(
        submission,
        to=State.RETURNED,
        allowed_from={State.SUBMITTED},
        user=user,
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def submission_approve(*, submission: Submission, user=None, actor: str, note: str = ""):
    """Approve a submitted report: its data is then locked. Open queries must be closed."""
    open_queries = Query.objects.filter(
        campaign=submission.campaign,
        base=submission.base,
        status__in=[Query.Status.OPEN, Query.Status.ANSWERED],
    ).count()
    if open_queries:
        raise WorkflowError(
            WorkflowCode.OPEN_QUERIES,
            f"{open_queries} query(ies) on {submission.base.code} are not closed yet",
        )
    return _transition(
        submission,
        to=State.APPROVED,
        allowed_from={State.SUBMITTED},
        user=user,
        actor=actor,
        reason=note,
    )


@transaction.atomic
def submission_reopen(*, submission: Submission, user=None, actor: str, reason: str):
    """Unlock approved data (e.g. a late correction); always with a reason."""
    if not reason.strip():
        raise WorkflowError(WorkflowCode.REASON_REQUIRED, "reopening needs a reason")
    return _transition(
        submission,
        to=State.RETURNED,
        allowed_from={State.APPROVED},
        user=user,
        actor=actor,
        reason=reason,
    )


# --- queries ---------------------------------------------------------------------------------


@transaction.atomic
def query_open(
    *,
    campaign: Campaign,
    base: Base,
    indicator: Indicator,
    year: int,
    text: str,
    user=None,
    actor: str,
) -> Query:
    """Attach a question to one value (which may be missing)."""
    if not text.strip():
        raise WorkflowError(WorkflowCode.REASON_REQUIRED, "a query needs a question")
    now = timezone.now()
    query = Query.objects.create(
        campaign=campaign,
        base=base,
        indicator=indicator,
        year=year,
        created_by=user,
        created_at=now,
    )
    QueryMessage.objects.create(
        query=query, kind=QueryMessage.Kind.QUESTION, text=text, author=user, actor=actor, at=now
    )
    return query


_UNCHANGED = object()


@transaction.atomic
def query_reply(
    *, query: Query, text: str, user=None, actor: str, new_value=_UNCHANGED, source: str = "form"
) -> Query:
    """The base answers a query, optionally correcting the value (audited like any change;
    ``new_value=None`` clears it)."""
    query = Query.objects.select_for_update().get(pk=query.pk)
    if query.status == Query.Status.CLOSED:
        raise WorkflowError(WorkflowCode.QUERY_CLOSED, "this query is closed")
    if not text.strip():
        raise WorkflowError(WorkflowCode.REASON_REQUIRED, "an answer needs some text")
    now = timezone.now()
    message = QueryMessage(
        query=query, kind=QueryMessage.Kind.ANSWER, text=text, author=user, actor=actor, at=now
    )
    if new_value is not _UNCHANGED:
        current = Value.objects.filter(
            campaign=query.campaign, base=query.base, indicator=query.indicator, year=query.year
        ).first()
        value_set(
            campaign=query.campaign,
            base=query.base,
            indicator=query.indicator,
            year=query.year,
            raw=new_value,
            user=user,
            actor=actor,
            reason=f"query #{query.pk}: {text}",
            source=source,
        )
        message.kind = QueryMessage.Kind.CORRECTION
        message.old_value = current.raw if current else ""
        message.new_value = new_value or ""
    message.save()
    query.status = Query.Status.ANSWERED
    query.save(update_fields=["status"])
    return query


@transaction.atomic
def query_close(*, query: Query, user=None, actor: str, text: str = "") -> Query:
    query = Query.objects.select_for_update().get(pk=query.pk)
    now = timezone.now()
    if text.strip():
        QueryMessage.objects.create(
            query=query, kind=QueryMessage.Kind.NOTE, text=text, author=user, actor=actor, at=now
        )
    query.status = Query.Status.CLOSED
    query.closed_at = now
    query.save(update_fields=["status", "closed_at"])
    return query


@transaction.atomic
def query_follow_up(*, query: Query, text: str, user=None, actor: str) -> Query:
    """The office asks again: the query is open once more."""
    query = Query.objects.select_for_update().get(pk=query.pk)
    QueryMessage.objects.create(
        query=query,
        kind=QueryMessage.Kind.QUESTION,
        text=text,
        author=user,
        actor=actor,
        at=timezone.now(),
    )
    query.status = Query.Status.OPEN
    query.closed_at = None
    query.save(update_fields=["status", "closed_at"])
    return query


# --- evidence --------------------------------------------------------------------------------


@transaction.atomic
def evidence_upload(
    *,
    campaign: Campaign,
    base: Base,
    indicator: Indicator,
    year: int,
    name: str,
    data: bytes,
    description: str = "",
    user=None,
) -> Evidence:
    """Store an evidence file after checking its size and its real type
    (:func:`~mieval.core.evidence.evidence_check`; a refusal is a :class:`WorkflowError` with
    the file's code and the check's :class:`~mieval.core.evidence.EvidenceError`)."""
    try:
        kind = evidence_check(name=name, data=data, max_bytes=settings.EVIDENCE_MAX_BYTES)
    except EvidenceError as error:
        raise WorkflowError(WorkflowCode(error.code), error.message, evidence=error) from error
    evidence = Evidence(
        campaign=campaign,
        base=base,
        indicator=indicator,
        year=year,
        name=name[:255],
        content_type=EVIDENCE_KINDS[kind].content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        description=description,
        uploaded_by=user,
        uploaded_at=timezone.now(),
    )
    evidence.file.save(evidence.sha256, ContentFile(data), save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_review(*, evidence: Evidence, status: str, note: str = "", user=None) -> Evidence:
    if status not in Evidence.Status.values:
        raise ValueError(f"status {status!r} is not one of {', '.join(Evidence.Status.values)}")
    evidence.status = status
    evidence.review_note = note
    evidence.reviewed_by = user
    evidence.reviewed_at = timezone.now()
    evidence.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    return evidence


# --- rule sets -------------------------------------------------------------------------------


@transaction.atomic
def ruleset_save(
    *, framework: Framework, text: str, note: str = "", activate: bool = False, user=None
) -> RuleSet:
    """A new version of the framework's validation rules (checked first: an
    :class:`~mieval.core.problems.InputError` names every problem of the text)."""
    from mieval.core.checks.rules import rules_parse
    from mieval.indicators.selectors import framework_indicators_frame

    rules_parse(text, file="rules", indicators=framework_indicators_frame(framework))
    latest = RuleSet.objects.filter(framework=framework).order_by("-version").first()
    rule_set = RuleSet.objects.create(
        framework=framework,
        version=(latest.version + 1) if latest else 1,
        text=text,
        note=note,
        created_by=user,
    )
    if activate:
        ruleset_activate(rule_set=rule_set)
    return rule_set


@transaction.atomic
def ruleset_activate(*, rule_set: RuleSet) -> RuleSet:
    RuleSet.objects.filter(framework=rule_set.framework, is_active=True).update(is_active=False)
    rule_set.is_active = True
    rule_set.save(update_fields=["is_active"])
    return rule_set
