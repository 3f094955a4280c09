"""Writes to campaigns and their values. Every change of a value leaves a ValueAudit row.

Imports are all-or-nothing: every file is read and checked before anything is written
(:func:`~mieval.collection.selectors.campaign_import_plan`), every problem is reported at once
(:class:`~mieval.core.problems.InputError`), and the writes happen in one transaction.
Re-importing the same file changes nothing.
"""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from mieval.collection.models import (
    DEFAULT_PROGRAMME_CODE,
    DEFAULT_PROGRAMME_NAME_EN,
    DEFAULT_PROGRAMME_NAME_ZH,
    Campaign,
    Programme,
    Source,
    Submission,
    Value,
    ValueAudit,
)
from mieval.collection.selectors import ImportPlan, ValueChange
from mieval.core.limits import YEAR_MAX, YEAR_MIN
from mieval.core.tables import files as tables
from mieval.core.values import ValueProblem, is_same_number, value_check
from mieval.indicators.models import Framework, Indicator
from mieval.indicators.selectors import framework_builtin, framework_indicators_frame
from mieval.indicators.services import framework_version_ensure
from mieval.lib.concurrency import ConcurrentEditError
from mieval.registry.models import Base
from mieval.registry.selectors import bases_export_frame
from mieval.registry.services import bases_apply


class RoundTaken(ValueError):
    """The round number asked for is another campaign's in the same programme."""


@transaction.atomic
def programme_default() -> Programme:
    """The programme campaigns go into unless another is named (created when missing)."""
    programme, _ = Programme.objects.get_or_create(
        code=DEFAULT_PROGRAMME_CODE,
        defaults={"name_zh": DEFAULT_PROGRAMME_NAME_ZH, "name_en": DEFAULT_PROGRAMME_NAME_EN},
    )
    return programme


@transaction.atomic
def programme_create(*, code: str, name_zh: str = "", name_en: str = "") -> Programme:
    return Programme.objects.create(code=code, name_zh=name_zh or code, name_en=name_en or code)


def programme_next_round(programme: Programme) -> int:
    """The round after the programme's last one (1 for a programme without campaigns)."""
    last = programme.campaigns.order_by("-round").values_list("round", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def campaign_create(
    *,
    code: str,
    first_year: int,
    last_year: int,
    name_zh: str = "",
    name_en: str = "",
    framework: Framework | None = None,
    programme: Programme | None = None,
    round: int | None = None,
) -> Campaign:
    """A new campaign: round ``round`` of ``programme`` (default: the default programme, the
    round after its last). A round number another campaign of the programme holds raises
    :class:`RoundTaken`."""
    if programme is None:
        programme = programme_default()
    # Rounds are numbered under a lock on the programme, so that two creations at once do not
    # both take the next number.
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    if round is None:
        round = programme_next_round(programme)
    elif round < 1:
        raise ValueError(f"round {round} is not a round number; rounds count from 1")
    elif programme.campaigns.filter(round=round).exists():
        taken = programme.campaigns.get(round=round)
        raise RoundTaken(
            f"round {round} of programme '{programme.code}' is campaign '{taken.code}' already"
        )
    if first_year > last_year:
        raise ValueError(f"first year {first_year} is after last year {last_year}")
    for name, year in (("first year", first_year), ("last year", last_year)):
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise ValueError(f"{name} {year} is outside the allowed range {YEAR_MIN} to {YEAR_MAX}")
    return Campaign.objects.create(
        code=code,
        name_zh=name_zh or f"{code} 评估",
        name_en=name_en or f"{code} evaluation",
        first_year=first_year,
        last_year=last_year,
        framework=framework or framework_builtin(),
        programme=programme,
        round=round,
    )


@transaction.atomic
def campaign_import_apply(
    *, plan: ImportPlan, user=None, actor: str, reason: str = "", source_detail: str = ""
) -> dict[str, int]:
    """Write an :class:`ImportPlan` in one transaction, auditing every value changed."""
    campaign = plan.campaign
    if plan.indicators is not None:
        framework, _ = framework_version_ensure(
            code=campaign.code,
            name_zh=campaign.name_zh,
            name_en=campaign.name_en,
            indicators=plan.indicators,
        )
        if framework != campaign.framework:
            campaign.framework = framework
            campaign.save(update_fields=["framework"])
            plan.framework_changed = True
    bases_apply(plan=plan.bases, user=user, actor=actor, reason=reason)
    if plan.bases_added_to_campaign:
        campaign.bases.add(*Base.objects.filter(code__in=plan.bases_added_to_campaign))
    _changes_apply(
        campaign=campaign,
        changes=plan.changes,
        user=user,
        actor=actor,
        reason=reason,
        source=Source.IMPORT,
        source_detail=source_detail,
    )
    return plan.counts()


def _changes_apply(*, campaign, changes, user, actor, reason, source, source_detail) -> None:
    if not changes:
        return
    now = timezone.now()
    bases = dict(
        Base.objects.filter(code__in={c.base_code for c in changes}).values_list("code", "id")
    )
    indicators = dict(
        Indicator.objects.filter(framework=campaign.framework).values_list("code", "id")
    )
    existing = {
        (v.base_id, v.indicator_id, v.year): v
        # Not the number: every change below replaces it, and one stored before the value
        # checker existed may be unreadable (then only a new value repairs it).
        for v in Value.objects.filter(
            campaign=campaign, base_id__in=bases.values(), indicator_id__in=indicators.values()
        ).defer("value")
    }
    to_create, to_update, to_delete, audits = [], [], [], []
    for change in changes:
        key = (bases[change.base_code], indicators[change.indicator_code], change.year)
        current = existing.get(key)
        if change.new is None:
            to_delete.append(current.pk)
        elif current is None:
            to_create.append(
                Value(
                    campaign=campaign,
                    base_id=key[0],
                    indicator_id=key[1],
                    year=change.year,
                    value=Decimal(change.new),
                    raw=change.new,
                    source=source,
                    source_detail=source_detail,
                    entered_by=user,
                    entered_at=now,
                )
            )
        else:
            current.value = Decimal(change.new)
            current.raw = change.new
            current.source = source
            current.source_detail = source_detail
            current.entered_by = user
            current.entered_at = now
            current.version += 1
            to_update.append(current)
        audits.append(
            ValueAudit(
                campaign=campaign,
                base_id=key[0],
                indicator_id=key[1],
                year=change.year,
                action=change.action,
                old=change.old or "",
                new=change.new or "",
                user=user,
                actor=actor,
                at=now,
                reason=reason,
                source=source,
                source_detail=source_detail,
            )
        )
    Value.objects.filter(pk__in=to_delete).delete()
    Value.objects.bulk_create(to_create, batch_size=2000)
    Value.objects.bulk_update(
        to_update,
        ["value", "raw", "source", "source_detail", "entered_by", "entered_at", "version"],
        batch_size=2000,
    )
    ValueAudit.objects.bulk_create(audits, batch_size=2000)


@transaction.atomic
def value_set(
    *,
    campaign: Campaign,
    base: Base,
    indicator: Indicator,
    year: int,
    raw: str | None,
    user=None,
    actor: str,
    reason: str,
    source: str = Source.ADMIN,
    expected_version: int | None = None,
) -> Value | None:
    """Set (or, with ``raw=None``, clear) one value, audited.

    ``raw`` is checked with :func:`~mieval.core.values.value_check` and stored normalised; a
    value the store cannot keep exactly, or a negative one where the indicator cannot be
    below 0, raises :class:`ValueRefusedError` (forms and the API check it first, with the
    same checker, to show the problem where it was typed). ``expected_version`` guards against
    a concurrent edit: if the value changed since the editor read it,
    :class:`ConcurrentEditError` is raised and nothing is written.
    """
    checked = value_check(raw, non_negative=indicator.non_negative, indicator=indicator.code)
    if checked.problems:
        raise ValueRefusedError(checked.problems)
    if not campaign.covers_year(year):
        raise ValueError(
            f"year {year} is outside the campaign's years "
            f"{campaign.first_year}-{campaign.last_year}"
        )
    if Submission.objects.filter(
        campaign=campaign, base=base, state=Submission.State.APPROVED
    ).exists():
        raise LockedError(
            f"{base.code}'s data in campaign '{campaign.code}' is approved and locked; "
            "an analyst must reopen it first"
        )
    current = (
        Value.objects.select_for_update()
        .filter(campaign=campaign, base=base, indicator=indicator, year=year)
        .defer("value")  # compared by its text, see _value_changes
        .first()
    )
    if expected_version is not None and (current.version if current else 0) != expected_version:
        raise ConcurrentEditError(
            f"{base.code} {indicator.code} {year} was changed by someone else meanwhile; "
            "reload it and try again"
        )
    new = checked.raw or None
    if new is not None and current is not None and is_same_number(current.raw, new):
        return current
    if new is None and current is None:
        return None
    change = ValueChange(base.code, indicator.code, year, current.raw if current else None, new)
    _changes_apply(
        campaign=campaign,
        changes=[change],
        user=user,
        actor=actor,
        reason=reason,
        source=source,
        source_detail="",
    )
    return Value.objects.filter(
        campaign=campaign, base=base, indicator=indicator, year=year
    ).first()


class ValueRefusedError(ValueError):
    """A value that cannot be stored: every :class:`~mieval.core.values.ValueProblem` found."""

    def __init__(self, problems: tuple[ValueProblem, ...]):
        super().__init__(" ".join(p.message for p in problems))
        self.problems = problems


class LockedError(Exception):
    """The base's data in this campaign is approved, hence locked."""


def campaign_export(
    *, campaign: Campaign, out_dir: str | Path, fmt: str = "csv"
) -> dict[str, Path]:
    """Write the campaign's bases (with their lifecycle columns ``status`` and ``designated``)
    and values as interchange files (exact values as entered)."""
    from mieval.collection.selectors import campaign_values_frame

    if fmt not in {"csv", "xlsx"}:
        raise ValueError(f"format {fmt!r} is not supported; use csv or xlsx")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / f"{name}.{fmt}" for name in ("indicators", "bases", "values")}
    indicators = framework_indicators_frame(campaign.framework)
    columns = [*tables.INDICATORS_COLUMNS, *tables.INDICATORS_OPTIONAL]
    tables.write_table(indicators[columns], paths["indicators"])
    tables.write_table(bases_export_frame(campaign.bases.all()), paths["bases"])
    tables.write_table(campaign_values_frame(campaign, raw=True), paths["values"])
    return paths


@dataclass(frozen=True)
class ValueEdit:
    """One value as an editor wants it (``raw`` None: cleared), with the version it was read at
    (0: there was no value)."""

    indicator_code: str
    year: int
    raw: str | None
    expected_version: int


@dataclass(frozen=True)
class ValueConflict:
    edit: ValueEdit
    current: Value | None  # what is stored now (None: removed meanwhile)


@transaction.atomic
def values_save(
    *,
    campaign: Campaign,
    base: Base,
    edits: list[ValueEdit],
    user=None,
    actor: str,
    reason: str = "",
    source: str = Source.FORM,
) -> int:
    """Save several values of one base at once, each through :func:`value_set`: all or none.

    Every value changed by someone else since the editor read it is found first and reported
    in one :class:`ConcurrentEditError` (``conflicts``); nothing is written then. Returns the
    number of values changed. :class:`LockedError` when the base's data is approved.
    """
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(
            framework=campaign.framework, code__in={e.indicator_code for e in edits}
        )
    }
    current = {
        (v.indicator.code, v.year): v
        for v in Value.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, base=base, indicator__in=indicators.values())
        .select_related("indicator", "entered_by")
        .defer("value")  # the versions and texts are compared, see _value_changes
    }
    conflicts = tuple(
        ValueConflict(edit, current.get((edit.indicator_code, edit.year)))
        for edit in edits
        if _version(current.get((edit.indicator_code, edit.year))) != edit.expected_version
    )
    if conflicts:
        names = ", ".join(f"{c.edit.indicator_code} {c.edit.year}" for c in conflicts)
        raise ConcurrentEditError(
            f"{base.code}: {names} changed meanwhile; nothing was saved", conflicts
        )
    changed = 0
    for edit in edits:
        before = current.get((edit.indicator_code, edit.year))
        after = value_set(
            campaign=campaign,
            base=base,
            indicator=indicators[edit.indicator_code],
            year=edit.year,
            raw=edit.raw,
            user=user,
            actor=actor,
            reason=reason,
            source=source,
            expected_version=edit.expected_version,
        )
        changed += _version(after) != _version(before) or (before is None) != (after is None)
    return changed


def _version(value: Value | None) -> int:
    return value.version if value is not None else 0
