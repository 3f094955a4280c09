"""Writes to the registry. Every change to a base is recorded in :class:`BaseChange`; what an
import would change is read first (:func:`~mieval.registry.selectors.bases_plan`).

The lifecycle services (:func:`base_designate`, :func:`base_rename`, :func:`base_merge`,
:func:`base_withdraw`) each record one :class:`BaseEvent` and its audit row, or refuse with a
:class:`LifecycleError` naming every problem and write nothing. Each takes the ``version`` of
the base the editor read (``expected_version``) and raises
:class:`~mieval.lib.concurrency.ConcurrentEditError` when someone changed the base meanwhile.
"""

import datetime as dt
import enum
import hashlib
from dataclasses import dataclass

import pandas as pd
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from mieval.core import lifecycle
from mieval.core.evidence import EVIDENCE_KINDS, EvidenceError, evidence_check
from mieval.core.limits import YEAR_MAX, YEAR_MIN
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.evidence import evidence_message
from mieval.registry.models import Base, BaseChange, BaseEvent
from mieval.registry.selectors import FILE_REASON, BasesPlan, bases_plan

BASE_FIELDS = ("name_zh", "name_en", "subcategory_id", "province_id", "batch", "attributes")


class LifecycleCode(enum.StrEnum):
    REQUIRED = "required"
    OUT_OF_RANGE = "out_of_range"
    DATE_IN_FUTURE = "date_in_future"
    ENDED = "ended"
    BEFORE_LAST_EVENT = "before_last_event"
    AFTER_FIRST_EVENT = "after_first_event"
    NOT_IN_BATCH_YEAR = "not_in_batch_year"
    NAMES_UNCHANGED = "names_unchanged"
    MERGE_TARGET = "merge_target"
    LATER_DATA = "later_data"
    DOCUMENT_FILE = "document_file"


@dataclass(frozen=True)
class LifecycleProblem:
    code: LifecycleCode
    field: str | None  # the form field or API body key concerned; None: the whole event
    message: str  # a sentence in the reader's language


class LifecycleError(Exception):
    """A lifecycle event refused: every problem found; nothing was written."""

    def __init__(self, problems: list[LifecycleProblem]):
        self.problems = list(problems)
        super().__init__(" ".join(p.message for p in self.problems))


@transaction.atomic
def bases_apply(*, plan: BasesPlan, user=None, actor: str, reason: str = "") -> None:
    """Write a :class:`BasesPlan`: new bases created, changed ones updated and recorded, the
    lifecycle events of the file's ``status`` and ``designated`` columns recorded (each with
    its own audit row)."""
    now = timezone.now()
    Base.objects.bulk_create(plan.create)
    updates = []
    for base, changes in plan.update:
        fields = [name for name in changes if name in BASE_FIELDS]
        base.version += 1
        base.save(update_fields=[*fields, "version", "updated_at"])
        if fields:
            updates.append((base, {name: changes[name] for name in fields}))
    created = list(Base.objects.filter(code__in=[b.code for b in plan.create]))
    audits = [
        BaseChange(
            base=base,
            changes={"created": [None, base.code]},
            user=user,
            actor=actor,
            at=now,
            reason=reason,
        )
        for base in created
    ] + [
        BaseChange(base=base, changes=changes, user=user, actor=actor, at=now, reason=reason)
        for base, changes in updates
    ]
    by_code = {b.code: b for b in created} | {b.code: b for b, _ in plan.update}
    for planned in plan.events:
        base = by_code[planned.code]
        if planned.corrects is not None:
            event = planned.corrects
            changes = {"designated": [event.date.isoformat(), planned.date.isoformat()]}
            event.date = planned.date
            event.save(update_fields=["date"])
        else:
            ends = planned.kind in lifecycle.ENDED
            event = BaseEvent.objects.create(
                base=base,
                kind=planned.kind,
                date=planned.date,
                reason=FILE_REASON if ends else "",
                source=BaseEvent.Source.FILE,
                recorded_at=now,
            )
            changes = _event_changes(event)
            if ends:
                changes |= _later_campaigns_leave(base, planned.date)
        audits.append(
            BaseChange(
                base=base,
                changes=changes,
                event=event,
                user=user,
                actor=actor,
                at=now,
                reason=reason,
            )
        )
    BaseChange.objects.bulk_create(audits)


def _one_base_frame(
    *,
    code: str,
    name_zh: str,
    name_en: str,
    subcategory: str,
    province: str,
    batch: int,
    attributes: dict[str, str],
) -> pd.DataFrame:
    from mieval.core.reference import SUBCATEGORY_BY_CODE

    row = {
        "code": code,
        "name_zh": name_zh,
        "name_en": name_en,
        "category": SUBCATEGORY_BY_CODE[subcategory].category,
        "subcategory": subcategory,
        "province": province,
        "batch": int(batch),
    }
    # Further attributes travel as extra columns, as in a file, so that they are kept.
    row.update({key: value for key, value in attributes.items() if key not in row})
    return pd.DataFrame([row])


@transaction.atomic
def base_create(
    *,
    code: str,
    name_zh: str,
    name_en: str,
    subcategory: str,
    province: str,
    batch: int,
    user=None,
    actor: str,
    reason: str = "",
) -> Base:
    """A new base, recorded in :class:`BaseChange` like a file import records it.

    ``subcategory`` and ``province`` are validated codes (the form checks them as the file
    reader does).
    """
    if Base.objects.filter(code=code).exists():
        raise ValueError(f"a base with code {code!r} already exists")
    frame = _one_base_frame(
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        subcategory=subcategory,
        province=province,
        batch=batch,
        attributes={},
    )
    bases_apply(plan=bases_plan(frame), user=user, actor=actor, reason=reason)
    return Base.objects.get(code=code)


@transaction.atomic
def base_update(
    *,
    base: Base,
    name_zh: str,
    name_en: str,
    subcategory: str,
    province: str,
    batch: int,
    user=None,
    actor: str,
    reason: str = "",
    expected_version: int | None = None,
) -> dict[str, list]:
    """Change a base's registry entry; returns the changes (field: [old, new]), recorded in
    :class:`BaseChange` when there are any. The code and further attributes stay as they are;
    a renaming with a date is :func:`base_rename` (this corrects the names).
    ``expected_version``: the version the editor read (None: not checked)."""
    _base_lock(base, expected_version)
    frame = _one_base_frame(
        code=base.code,
        name_zh=name_zh,
        name_en=name_en,
        subcategory=subcategory,
        province=province,
        batch=batch,
        attributes={key: str(value) for key, value in base.attributes.items()},
    )
    plan = bases_plan(frame)
    bases_apply(plan=plan, user=user, actor=actor, reason=reason)
    base.refresh_from_db()
    return plan.update[0][1] if plan.update else {}


# --- the lifecycle ------------------------------------------------------------------------------


def _base_lock(base: Base, expected_version: int | None) -> Base:
    """The base, locked for this transaction, if it is still the version the editor read."""
    locked = Base.objects.select_for_update().get(pk=base.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEditError(
            _(
                "Someone else changed the base %(code)s while you were editing it (version"
                " %(stored)s, you read version %(expected)s); nothing was saved. Reload the page"
                " and make your change again."
            )
            % {"code": locked.code, "stored": locked.version, "expected": expected_version}
        )
    return locked


def _event_changes(event: BaseEvent) -> dict[str, list]:
    """The audit row's changes for a new event: what it is, its date, its document and what it
    changed on the base."""
    changes: dict[str, list] = {
        "event": [None, event.kind],
        "date": [None, event.date.isoformat()],
    }
    if event.document():
        changes["document"] = [None, event.document()]
    if event.document_file_name:
        changes["document_file"] = [None, event.document_file_name]
    if event.kind in lifecycle.ENDED:
        changes["status"] = [lifecycle.ACTIVE, event.kind]
    if event.kind == BaseEvent.Kind.MERGED and event.merged_into_id is not None:
        changes["merged_into"] = [None, event.merged_into.code]
    if event.kind == BaseEvent.Kind.RENAMED:
        for language in ("zh", "en"):
            old, new = (
                getattr(event, f"old_name_{language}"),
                getattr(event, f"new_name_{language}"),
            )
            if old != new:
                changes[f"name_{language}"] = [old, new]
    return changes


def _later_campaigns_leave(base: Base, ended_on: dt.date) -> dict[str, list]:
    """Take a base that ended on ``ended_on`` out of the scope of the campaigns whose years
    begin after that (the scope rule); refused where one of them holds values of the base. The
    campaigns of earlier years keep it, and its data."""
    later = [
        campaign
        for campaign in base.campaigns.order_by("first_year", "code")
        if not lifecycle.is_active_in(
            batch=base.batch,
            ended_on=ended_on,
            first_year=campaign.first_year,
            last_year=campaign.last_year,
        )
    ]
    if not later:
        return {}
    held = (
        base.values.filter(campaign__in=later)
        .values("campaign__code", "campaign__first_year", "campaign__last_year")
        .annotate(count=Count("id"))
        .order_by("campaign__first_year", "campaign__code")
    )
    problems = [
        LifecycleProblem(
            LifecycleCode.LATER_DATA,
            "date",
            _(
                "Campaign %(campaign)s (%(first)s-%(last)s) holds %(count)s values of the base;"
                " a base that ended on %(date)s is out of its scope. Date the event later, or"
                " remove the base's values from that campaign first."
            )
            % {
                "campaign": row["campaign__code"],
                "first": row["campaign__first_year"],
                "last": row["campaign__last_year"],
                "count": row["count"],
                "date": ended_on.isoformat(),
            },
        )
        for row in held
    ]
    if problems:
        raise LifecycleError(problems)
    base.campaigns.remove(*later)
    return {"left_campaigns": [None, ", ".join(campaign.code for campaign in later)]}


def _date_problems(base: Base, date: dt.date | None, *, kind: str) -> list[LifecycleProblem]:
    """The date of a new event against today and the base's other events: none still to come;
    a designation before every other event; any other event after the last one, on a base that
    has not ended."""
    if date is None:
        return [LifecycleProblem(LifecycleCode.REQUIRED, "date", _("Give the date."))]
    if not YEAR_MIN <= date.year <= YEAR_MAX:
        return [
            LifecycleProblem(
                LifecycleCode.OUT_OF_RANGE,
                "date",
                _("Give a date between %(min)s and %(max)s.") % {"min": YEAR_MIN, "max": YEAR_MAX},
            )
        ]
    problems = []
    if date > timezone.localdate():
        problems.append(
            LifecycleProblem(
                LifecycleCode.DATE_IN_FUTURE,
                "date",
                _("%(date)s is still to come; an event is recorded once it has taken effect.")
                % {"date": date.isoformat()},
            )
        )
    others = list(base.events.exclude(kind=BaseEvent.Kind.DESIGNATED).order_by("date", "id"))
    if kind == BaseEvent.Kind.DESIGNATED:
        if date.year != base.batch:
            problems.append(
                LifecycleProblem(
                    LifecycleCode.NOT_IN_BATCH_YEAR,
                    "date",
                    _(
                        "The base is of batch %(batch)s; its designation is dated in %(batch)s."
                        " To change its batch, edit the base first."
                    )
                    % {"batch": base.batch},
                )
            )
        if others and others[0].date < date:
            problems.append(
                LifecycleProblem(
                    LifecycleCode.AFTER_FIRST_EVENT,
                    "date",
                    _(
                        "The base's %(event)s on %(date)s comes before this date; a designation"
                        " comes first."
                    )
                    % {"event": others[0].get_kind_display(), "date": others[0].date.isoformat()},
                )
            )
        return problems
    ending = next((e for e in others if e.kind in lifecycle.ENDED), None)
    if ending is not None:
        problems.append(
            LifecycleProblem(
                LifecycleCode.ENDED,
                None,
                _("The base's lifecycle has ended: %(event)s on %(date)s.")
                % {"event": ending.get_kind_display(), "date": ending.date.isoformat()},
            )
        )
        return problems
    designation = base.events.filter(kind=BaseEvent.Kind.DESIGNATED).first()
    last = others[-1] if others else designation
    if date.year < base.batch:
        problems.append(
            LifecycleProblem(
                LifecycleCode.BEFORE_LAST_EVENT,
                "date",
                _(
                    "The base was designated in batch %(batch)s; the events of its lifecycle"
                    " are dated from %(batch)s on."
                )
                % {"batch": base.batch},
            )
        )
    elif last is not None and date < last.date:
        problems.append(
            LifecycleProblem(
                LifecycleCode.BEFORE_LAST_EVENT,
                "date",
                _(
                    "The base's %(event)s on %(date)s comes after this date; record the events"
                    " of a base in the order they took effect."
                )
                % {"event": last.get_kind_display(), "date": last.date.isoformat()},
            )
        )
    return problems


def _document_problems(
    *, title: str, number: str, reason: str, needs_document: bool, needs_reason: bool
) -> list[LifecycleProblem]:
    problems = []
    if needs_document and not (title or number):
        problems.append(
            LifecycleProblem(
                LifecycleCode.REQUIRED,
                "document_title",
                _("Give the document's title or number."),
            )
        )
    if needs_reason and not reason:
        problems.append(LifecycleProblem(LifecycleCode.REQUIRED, "reason", _("Give the reason.")))
    return problems


def _document_attach(event: BaseEvent, name: str | None, data: bytes | None) -> None:
    """Check the document's file as evidence files are checked (size, real type) and set it on
    the unsaved event."""
    if not name:
        return
    try:
        kind = evidence_check(name=name, data=data or b"", max_bytes=settings.EVIDENCE_MAX_BYTES)
    except EvidenceError as caught:
        raise LifecycleError(
            [
                LifecycleProblem(
                    LifecycleCode.DOCUMENT_FILE, "document_file", evidence_message(caught)
                )
            ]
        ) from None
    event.document_file_name = name[:255]
    event.document_content_type = EVIDENCE_KINDS[kind].content_type
    event.document_size = len(data)
    event.document_sha256 = hashlib.sha256(data).hexdigest()
    event.document_file.save(event.document_sha256, ContentFile(data), save=False)


def _event_record(
    *,
    base: Base,
    event: BaseEvent,
    changes: dict[str, list],
    base_fields: tuple[str, ...] = (),
    user,
    actor: str,
    reason: str,
) -> BaseEvent:
    """Save a new or changed event and its audit row; the base gets a new version."""
    event.save()
    base.version += 1
    base.save(update_fields=[*base_fields, "version", "updated_at"])
    BaseChange.objects.create(
        base=base,
        changes=changes,
        event=event,
        user=user,
        actor=actor,
        at=timezone.now(),
        reason=reason,
    )
    return event


def _raise_if_any(problems: list[LifecycleProblem]) -> None:
    if problems:
        raise LifecycleError(problems)


@transaction.atomic
def base_designate(
    *,
    base: Base,
    date: dt.date,
    document_title: str = "",
    document_number: str = "",
    document_file_name: str | None = None,
    document_file_data: bytes | None = None,
    reason: str = "",
    expected_version: int | None = None,
    user=None,
    actor: str,
) -> BaseEvent:
    """Record the base's designation (认定): its date, in the year of the base's batch, and the
    designating document (title or number required; a file optional). A base has one: where
    one is recorded, this corrects it (only what differs is changed and audited)."""
    base = _base_lock(base, expected_version)
    document_title, document_number = document_title.strip(), document_number.strip()
    problems = _date_problems(base, date, kind=BaseEvent.Kind.DESIGNATED)
    problems += _document_problems(
        title=document_title,
        number=document_number,
        reason="",
        needs_document=True,
        needs_reason=False,
    )
    _raise_if_any(problems)
    event = base.events.filter(kind=BaseEvent.Kind.DESIGNATED).first()
    if event is None:
        event = BaseEvent(
            base=base,
            kind=BaseEvent.Kind.DESIGNATED,
            date=date,
            document_title=document_title,
            document_number=document_number,
            reason=reason.strip(),
            recorded_at=timezone.now(),
        )
        _document_attach(event, document_file_name, document_file_data)
        return _event_record(
            base=base,
            event=event,
            changes=_event_changes(event),
            user=user,
            actor=actor,
            reason=reason,
        )
    before = {
        "date": event.date.isoformat(),
        "document": event.document(),
        "document_file": event.document_file_name,
    }
    event.date = date
    event.document_title, event.document_number = document_title, document_number
    _document_attach(event, document_file_name, document_file_data)
    after = {
        "date": event.date.isoformat(),
        "document": event.document(),
        "document_file": event.document_file_name,
    }
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if not changes:
        return event
    if event.source == BaseEvent.Source.FILE:
        event.source = BaseEvent.Source.OFFICE
    return _event_record(
        base=base,
        event=event,
        changes={"event": ["designated", "designated"], **changes},
        user=user,
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def base_rename(
    *,
    base: Base,
    date: dt.date,
    name_zh: str,
    name_en: str,
    document_title: str = "",
    document_number: str = "",
    document_file_name: str | None = None,
    document_file_data: bytes | None = None,
    reason: str = "",
    expected_version: int | None = None,
    user=None,
    actor: str,
) -> BaseEvent:
    """Rename the base from ``date`` on: its current names become the new ones; the event keeps
    both, so that the history says which names held when (:meth:`Base.names_on`)."""
    base = _base_lock(base, expected_version)
    name_zh, name_en = name_zh.strip(), name_en.strip()
    problems = _date_problems(base, date, kind=BaseEvent.Kind.RENAMED)
    for field, value in (("name_zh", name_zh), ("name_en", name_en)):
        if not value:
            problems.append(
                LifecycleProblem(
                    LifecycleCode.REQUIRED, field, _("Give the new name in both languages.")
                )
            )
    if name_zh and name_en and (name_zh, name_en) == (base.name_zh, base.name_en):
        problems.append(
            LifecycleProblem(
                LifecycleCode.NAMES_UNCHANGED,
                "name_zh",
                _("These are the base's names already; a renaming changes at least one of them."),
            )
        )
    _raise_if_any(problems)
    event = BaseEvent(
        base=base,
        kind=BaseEvent.Kind.RENAMED,
        date=date,
        document_title=document_title.strip(),
        document_number=document_number.strip(),
        old_name_zh=base.name_zh,
        old_name_en=base.name_en,
        new_name_zh=name_zh,
        new_name_en=name_en,
        reason=reason.strip(),
        recorded_at=timezone.now(),
    )
    _document_attach(event, document_file_name, document_file_data)
    base.name_zh, base.name_en = name_zh, name_en
    return _event_record(
        base=base,
        event=event,
        changes=_event_changes(event),
        base_fields=("name_zh", "name_en"),
        user=user,
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def base_merge(
    *,
    base: Base,
    into: Base,
    date: dt.date,
    document_title: str = "",
    document_number: str = "",
    document_file_name: str | None = None,
    document_file_data: bytes | None = None,
    reason: str = "",
    expected_version: int | None = None,
    user=None,
    actor: str,
) -> BaseEvent:
    """Merge the base into ``into`` on ``date``: the base's lifecycle ends (status ``merged``),
    ``into``'s history shows the base it took in. Campaigns of later years leave it out."""
    base = _base_lock(base, expected_version)
    problems = _date_problems(base, date, kind=BaseEvent.Kind.MERGED)
    if into.pk == base.pk:
        problems.append(
            LifecycleProblem(
                LifecycleCode.MERGE_TARGET, "into", _("A base cannot be merged into itself.")
            )
        )
    elif into.status != lifecycle.ACTIVE or into.batch > date.year:
        problems.append(
            LifecycleProblem(
                LifecycleCode.MERGE_TARGET,
                "into",
                _(
                    "The base %(code)s is not an active base on that date (%(status)s, batch"
                    " %(batch)s)."
                )
                % {"code": into.code, "status": into.status_label(), "batch": into.batch},
            )
        )
    _raise_if_any(problems)
    event = BaseEvent(
        base=base,
        kind=BaseEvent.Kind.MERGED,
        date=date,
        merged_into=into,
        document_title=document_title.strip(),
        document_number=document_number.strip(),
        reason=reason.strip(),
        recorded_at=timezone.now(),
    )
    # The campaigns first: a refusal there leaves no stored file behind.
    left = _later_campaigns_leave(base, date)
    _document_attach(event, document_file_name, document_file_data)
    changes = _event_changes(event) | left
    _event_record(base=base, event=event, changes=changes, user=user, actor=actor, reason=reason)
    BaseChange.objects.create(
        base=into,
        changes={"absorbed": [None, base.code], "date": [None, date.isoformat()]},
        event=event,
        user=user,
        actor=actor,
        at=timezone.now(),
        reason=reason,
    )
    return event


@transaction.atomic
def base_withdraw(
    *,
    base: Base,
    date: dt.date,
    reason: str,
    document_title: str = "",
    document_number: str = "",
    document_file_name: str | None = None,
    document_file_data: bytes | None = None,
    expected_version: int | None = None,
    user=None,
    actor: str,
) -> BaseEvent:
    """Withdraw the base's designation (摘牌) on ``date``, with the document (title or number)
    and the reason: its lifecycle ends (status ``withdrawn``). It stays in the scope of the
    campaigns of earlier years, with its data; those whose years begin after ``date`` leave it
    out (refused while one of them holds its values)."""
    base = _base_lock(base, expected_version)
    reason = reason.strip()
    problems = _date_problems(base, date, kind=BaseEvent.Kind.WITHDRAWN)
    problems += _document_problems(
        title=document_title.strip(),
        number=document_number.strip(),
        reason=reason,
        needs_document=True,
        needs_reason=True,
    )
    _raise_if_any(problems)
    event = BaseEvent(
        base=base,
        kind=BaseEvent.Kind.WITHDRAWN,
        date=date,
        document_title=document_title.strip(),
        document_number=document_number.strip(),
        reason=reason,
        recorded_at=timezone.now(),
    )
    # The campaigns first: a refusal there leaves no stored file behind.
    left = _later_campaigns_leave(base, date)
    _document_attach(event, document_file_name, document_file_data)
    changes = _event_changes(event) | left
    return _event_record(
        base=base, event=event, changes=changes, user=user, actor=actor, reason=reason
    )
