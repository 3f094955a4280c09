"""Writes to campaigns and their values. Every change of a value leaves a ValueAudit row.

Imports are all-or-nothing: every file is read and checked before anything is written, every
problem is reported at once (:class:`~mieval.core.problems.InputError`), and the writes happen in
one transaction. Re-importing the same file changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
from django.db import transaction
from django.utils import timezone

from mieval.collection.models import Campaign, Source, Submission, Value, ValueAudit
from mieval.collection.selectors import campaign_bases_frame
from mieval.core.limits import YEAR_MAX, YEAR_MIN
from mieval.core.problems import InputError, Problem, ProblemCode
from mieval.core.tables import files as tables
from mieval.core.values import ValueProblem, value_check
from mieval.indicators.models import Framework, Indicator
from mieval.indicators.selectors import framework_builtin, framework_indicators_frame
from mieval.indicators.services import framework_version_ensure
from mieval.lib.concurrency import ConcurrentEditError
from mieval.registry.models import Base
from mieval.registry.services import BasesPlan, bases_apply, bases_plan


@transaction.atomic
def campaign_create(
    *,
    code: str,
    first_year: int,
    last_year: int,
    name_zh: str = "",
    name_en: str = "",
    framework: Framework | None = None,
) -> Campaign:
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
    )


@dataclass(frozen=True)
class ValueChange:
    base_code: str
    indicator_code: str
    year: int
    old: str | None
    new: str | None

    @property
    def action(self) -> str:
        if self.old is None:
            return ValueAudit.Action.CREATE
        if self.new is None:
            return ValueAudit.Action.DELETE
        return ValueAudit.Action.UPDATE


@dataclass
class ImportPlan:
    """Everything an import would change, computed before anything is written."""

    campaign: Campaign
    indicators: pd.DataFrame | None = None  # a new framework for the campaign, when given
    bases: BasesPlan = field(default_factory=BasesPlan)
    bases_added_to_campaign: list[str] = field(default_factory=list)
    changes: list[ValueChange] = field(default_factory=list)
    unchanged: int = 0
    framework_changed: bool = False
    notices: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        actions = [c.action for c in self.changes]
        return {
            "bases_created": len(self.bases.create),
            "bases_updated": len(self.bases.update),
            "bases_added_to_campaign": len(self.bases_added_to_campaign),
            "values_created": actions.count(ValueAudit.Action.CREATE),
            "values_updated": actions.count(ValueAudit.Action.UPDATE),
            "values_deleted": actions.count(ValueAudit.Action.DELETE),
            "values_unchanged": self.unchanged,
        }

    @property
    def is_empty(self) -> bool:
        counts = self.counts()
        return not any(v for k, v in counts.items() if k != "values_unchanged")


def campaign_import_plan(
    *,
    campaign: Campaign,
    bases_path: str | Path | None = None,
    values_path: str | Path | None = None,
    indicators_path: str | Path | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> ImportPlan:
    """Read and check the files and work out what importing them would change; write nothing.

    Raises :class:`InputError` with every problem of every file.
    """
    plan = ImportPlan(campaign=campaign)

    def notice(text: str) -> None:
        plan.notices.append(text)
        if on_notice:
            on_notice(text)

    problems: list[Problem] = []
    more = 0  # problems counted but not kept by the readers (InputError.more)
    scope = campaign_bases_frame(campaign)
    file_bases = None
    if bases_path is not None:
        try:
            file_bases = tables.read_bases(bases_path, on_notice=notice)
        except InputError as error:
            problems += error.problems
            more += error.more
        else:
            scope = pd.concat(
                [scope[~scope["code"].isin(file_bases["code"])], file_bases], ignore_index=True
            )
    indicators = framework_indicators_frame(campaign.framework)
    if indicators_path is not None:
        try:
            file_indicators = tables.read_indicators(indicators_path, on_notice=notice)
        except InputError as error:
            problems += error.problems
            more += error.more
        else:
            if not _same_framework(indicators, file_indicators):
                problems += _framework_change_problems(campaign, str(indicators_path))
                indicators = plan.indicators = file_indicators
    values = None
    if values_path is not None:
        try:
            values = tables.read_values(
                values_path,
                indicators=indicators,
                bases=scope[["code", "category"]],
                years=(campaign.first_year, campaign.last_year),
                storable=True,
                on_notice=notice,
            )
        except InputError as error:
            problems += error.problems
            more += error.more
    if problems:
        raise InputError(problems, more=more)

    if file_bases is not None:
        plan.bases = bases_plan(file_bases)
        in_campaign = set(campaign.bases.values_list("code", flat=True))
        plan.bases_added_to_campaign = [c for c in file_bases["code"] if c not in in_campaign]
    if values is not None:
        plan.changes, plan.unchanged = _value_changes(campaign, values)
        _locked_problems(campaign, plan.changes, values, str(values_path))
    return plan


def _locked_problems(campaign, changes, values: pd.DataFrame, file: str) -> None:
    """Refuse changes to approved (locked) data, naming each line that would change it."""
    if campaign.pk is None or not changes:
        return
    locked = set(
        Submission.objects.filter(campaign=campaign, state=Submission.State.APPROVED).values_list(
            "base__code", flat=True
        )
    )
    touched = {(c.base_code, c.indicator_code, c.year) for c in changes if c.base_code in locked}
    if not touched:
        return
    problems = [
        Problem(
            file,
            int(row.line),
            "value",
            ProblemCode.LOCKED,
            f"base '{row.base_code}' is approved in campaign '{campaign.code}'; its data is "
            "locked until an analyst reopens it",
        )
        for row in values.itertuples(index=False)
        if (row.base_code, row.indicator_code, int(row.year)) in touched
    ]
    raise InputError(problems)


def _framework_change_problems(campaign: Campaign, file: str) -> list[Problem]:
    """A campaign's framework may change only while it holds no values."""
    if campaign.pk is None:
        return []
    count = Value.objects.filter(campaign=campaign).count()
    if count == 0:
        return []
    return [
        Problem(
            file,
            None,
            None,
            ProblemCode.INCONSISTENT,
            f"campaign '{campaign.code}' already holds {count} values under framework "
            f"{campaign.framework}; its indicators can no longer change (start a new campaign)",
        )
    ]


def _same_framework(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    from mieval.indicators.services import framework_content

    return framework_content(a) == framework_content(b)


def _value_changes(campaign: Campaign, values: pd.DataFrame) -> tuple[list[ValueChange], int]:
    # The text as entered, not the number: it is exact, and it is readable even where a number
    # stored before the value checker existed is not (a REAL beyond 10^20 on SQLite).
    existing = {
        (b, i, y): raw
        for b, i, y, raw in Value.objects.filter(campaign=campaign).values_list(
            "base__code", "indicator__code", "year", "raw"
        )
    }
    changes, unchanged = [], 0
    for row in values.itertuples(index=False):
        key = (row.base_code, row.indicator_code, int(row.year))
        old = existing.get(key)
        new = row.raw or None
        if old is None and new is None:
            continue
        # Equal numbers are no change, whatever their spelling ("1.5" and "1.50").
        if old is not None and new is not None and _same_number(old, new):
            unchanged += 1
            continue
        changes.append(ValueChange(*key, old=old, new=new))
    return changes, unchanged


def _same_number(stored_raw: str, new_raw: str) -> bool:
    """Whether a stored value's text and a checked new one are the same number."""
    if stored_raw == new_raw:
        return True
    stored = value_check(stored_raw, storable=False).number
    return stored is not None and stored == Decimal(new_raw)


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
    if new is not None and current is not None and _same_number(current.raw, new):
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
    """Write the campaign's bases and values as interchange files (exact values as entered)."""
    from mieval.collection.selectors import campaign_values_frame

    if fmt not in {"csv", "xlsx"}:
        raise ValueError(f"format {fmt!r} is not supported; use csv or xlsx")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / f"{name}.{fmt}" for name in ("indicators", "bases", "values")}
    indicators = framework_indicators_frame(campaign.framework)
    columns = [*tables.INDICATORS_COLUMNS, *tables.INDICATORS_OPTIONAL]
    tables.write_table(indicators[columns], paths["indicators"])
    tables.write_table(campaign_bases_frame(campaign), paths["bases"])
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
