"""Reads of the registry, as the frames the functional core takes, and what importing a bases
file would change (:func:`bases_plan`; ``services.bases_apply`` writes it), including the
lifecycle events its ``status`` and ``designated`` columns record and which of its bases are
outside a campaign's years (:meth:`BasesPlan.outside`)."""

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from django.utils import timezone

from mieval.core import lifecycle
from mieval.core.problems import InputError, Problem, ProblemCode
from mieval.registry.models import Base, BaseEvent

BASE_COLUMNS = ["code", "name_zh", "name_en", "category", "subcategory", "province", "batch"]


def bases_frame(bases) -> pd.DataFrame:
    """A ``bases`` frame (interchange columns plus one column per further attribute) for a
    queryset of bases, in one query."""
    rows = []
    for base in bases.select_related("subcategory").order_by("code"):
        row = {
            "code": base.code,
            "name_zh": base.name_zh,
            "name_en": base.name_en,
            "category": base.subcategory.category_id,
            "subcategory": base.subcategory_id,
            "province": base.province_id,
            "batch": base.batch,
        }
        for key, value in sorted(base.attributes.items()):
            row.setdefault(key, value)
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=BASE_COLUMNS)
    frame["batch"] = frame["batch"].astype("int64")
    return frame


def all_bases_frame() -> pd.DataFrame:
    return bases_frame(Base.objects.all())


def bases_export_frame(bases) -> pd.DataFrame:
    """:func:`bases_frame` with the lifecycle columns of a bases file after the seven:
    ``status`` of every base and ``designated`` where a designation is recorded (None
    elsewhere), in two queries."""
    frame = bases_frame(bases)
    lifecycles = {
        b.code: (b.status, b.designated_on) for b in bases.with_lifecycle().order_by("code")
    }
    status = [lifecycles[code][0] for code in frame["code"]]
    designated = [lifecycles[code][1] for code in frame["code"]]
    at = len(BASE_COLUMNS)
    frame.insert(at, "status", pd.Series(status, index=frame.index, dtype="object"))
    frame.insert(at + 1, "designated", pd.Series(designated, index=frame.index, dtype="object"))
    return frame


def base_history(base: Base) -> list[BaseEvent]:
    """The base's lifecycle events in the order they took effect, each with the base it merged
    into, in one query (who recorded each is in its audit rows, ``event.audit``)."""
    return list(base.events.select_related("merged_into"))


def base_absorbed(base: Base) -> list[BaseEvent]:
    """The mergers of other bases into this one, in the order they took effect."""
    return list(BaseEvent.objects.filter(merged_into=base).select_related("base"))


INTERCHANGE_COLUMNS = {"code", "name_zh", "name_en", "category", "subcategory", "province"}
INTERCHANGE_COLUMNS |= {"batch", "line", "status", "designated"}

#: The reason of a withdrawal or merger that a bases file records: the file gives no date and
#: no document, so the event is dated the day of the import.
FILE_REASON = "from the bases file"


@dataclass(frozen=True)
class PlannedEvent:
    """A lifecycle event an import would record (or, for a designation already recorded with
    another date, ``corrects``: the event whose date it would change)."""

    code: str
    kind: str
    date: dt.date
    line: int
    corrects: BaseEvent | None = None


@dataclass(frozen=True)
class OutOfScope:
    """A base outside a campaign's years, and why: ``status`` is ``withdrawn`` or ``merged``
    (``date``: when it ended) or ``active`` (designated in ``batch``, after the years)."""

    code: str
    status: str
    batch: int
    date: dt.date | None
    line: int | None = None

    def reason(self) -> str:
        """Why, as the end of an English sentence (the CLI's and the files' language)."""
        if self.status == lifecycle.WITHDRAWN:
            return f"it was withdrawn on {self.date.isoformat()}"
        if self.status == lifecycle.MERGED:
            return f"it was merged into another base on {self.date.isoformat()}"
        return f"it was designated in batch {self.batch}"


def bases_outside(bases, first_year: int, last_year: int) -> list[OutOfScope]:
    """The bases of a queryset outside the years ``first_year``-``last_year`` (the complement
    of ``Base.objects.active_in``), with why, by code; one query."""
    found = (
        bases.exclude(pk__in=Base.objects.active_in(first_year, last_year).values("pk"))
        .with_lifecycle()
        .order_by("code")
    )
    return [
        OutOfScope(base.code, base.status, base.batch, base.lifecycle_ended_on) for base in found
    ]


@dataclass
class BasesPlan:
    """What importing a bases frame would do."""

    create: list[Base] = field(default_factory=list)
    # The changes of a base: its fields, and "status" and "designated" where the file's
    # lifecycle columns record an event (``events``).
    update: list[tuple[Base, dict[str, list]]] = field(default_factory=list)
    unchanged: list[Base] = field(default_factory=list)
    events: list[PlannedEvent] = field(default_factory=list)
    # Each base's line in the file, and the day a withdrawal or merger from the file is dated.
    lines: dict[str, int] = field(default_factory=dict)
    today: dt.date | None = None
    # The date each base ended on, as the registry holds it (for :meth:`outside`).
    ended: dict[str, tuple[str, dt.date]] = field(default_factory=dict)

    @property
    def all_codes(self) -> list[str]:
        bases = self.create + [b for b, _ in self.update] + self.unchanged
        return [b.code for b in bases]

    def outside(self, first_year: int, last_year: int) -> list[OutOfScope]:
        """The bases of the file outside the years ``first_year``-``last_year`` once the plan
        is written (``core.lifecycle.is_active_in``, the rule of ``Base.objects.active_in``),
        in file order."""
        ended = dict(self.ended)
        for event in self.events:
            if event.kind in lifecycle.ENDED:
                ended[event.code] = (event.kind, event.date)
        bases = self.create + [b for b, _ in self.update] + self.unchanged
        found = []
        for base in sorted(bases, key=lambda b: self.lines.get(b.code, 0)):
            status, date = ended.get(base.code, (lifecycle.ACTIVE, None))
            if not lifecycle.is_active_in(
                batch=base.batch, ended_on=date, first_year=first_year, last_year=last_year
            ):
                found.append(
                    OutOfScope(base.code, status, base.batch, date, self.lines.get(base.code))
                )
        return found


def _attributes(row: pd.Series, columns: list[str]) -> dict[str, str]:
    return {c: str(row[c]) for c in columns if pd.notna(row[c]) and str(row[c]) != ""}


def bases_plan(frame: pd.DataFrame, *, file: str = "bases file") -> BasesPlan:
    """Compare a validated bases frame with the registry (two queries), without writing.

    The optional ``status`` and ``designated`` columns (empty cells say nothing) become
    planned events: a designation at ``designated`` (a different date corrects the one
    recorded), a withdrawal or merger for ``withdrawn`` or ``merged``, dated the day of the
    import, with the reason :data:`FILE_REASON`. A file cannot undo what the registry records:
    ``active`` for a base that ended, another ending than the recorded one, or a designation
    after the base ended or still to come are problems of ``file``, raised together as one
    :class:`InputError`.
    """
    extra = [c for c in frame.columns if c not in INTERCHANGE_COLUMNS]
    codes = list(frame["code"])
    existing = {b.code: b for b in Base.objects.filter(code__in=codes)}
    recorded: dict[str, dict[str, BaseEvent]] = {}
    for event in BaseEvent.objects.filter(
        base__code__in=codes, kind__in=[BaseEvent.Kind.DESIGNATED, *lifecycle.ENDED]
    ).select_related("base"):
        kind = "ended" if event.kind in lifecycle.ENDED else "designated"
        recorded.setdefault(event.base.code, {})[kind] = event
    plan = BasesPlan(today=timezone.localdate())
    plan.ended = {
        code: (events["ended"].kind, events["ended"].date)
        for code, events in recorded.items()
        if "ended" in events
    }
    problems: list[Problem] = []
    for row in frame.itertuples(index=False):
        row = pd.Series(row._asdict())
        line = int(row["line"]) if "line" in row else 0
        plan.lines[row["code"]] = line
        wanted = {
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "subcategory_id": row["subcategory"],
            "province_id": row["province"],
            "batch": int(row["batch"]),
            "attributes": _attributes(row, extra),
        }
        lifecycle_changes, events, found = _lifecycle_plan(
            row, line, recorded.get(row["code"], {}), plan.today, file
        )
        plan.events += events
        problems += found
        base = existing.get(row["code"])
        if base is None:
            plan.create.append(Base(code=row["code"], **wanted))
            continue
        changes = {
            name: [getattr(base, name), value]
            for name, value in wanted.items()
            if getattr(base, name) != value
        }
        if changes:
            for name, (_, value) in changes.items():
                setattr(base, name, value)
        changes |= lifecycle_changes
        if changes:
            plan.update.append((base, changes))
        else:
            plan.unchanged.append(base)
    if problems:
        raise InputError(problems)
    return plan


def _lifecycle_plan(
    row: pd.Series, line: int, recorded: dict[str, BaseEvent], today: dt.date, file: str
) -> tuple[dict[str, list], list[PlannedEvent], list[Problem]]:
    """What one row's ``status`` and ``designated`` cells would record, against the base's
    recorded designation and ending."""
    code = row["code"]
    changes: dict[str, list] = {}
    events: list[PlannedEvent] = []
    problems: list[Problem] = []
    designation, ending = recorded.get("designated"), recorded.get("ended")
    status = row.get("status") if "status" in row else ""
    if pd.isna(status):
        status = ""
    designated = row.get("designated") if "designated" in row else None
    if designated is not None and pd.isna(designated):
        designated = None

    def problem(column: str, code_: ProblemCode, message: str) -> None:
        problems.append(Problem(file, line, column, code_, message))

    if status and ending is not None and status != ending.kind:
        problem(
            "status",
            ProblemCode.INCONSISTENT,
            f"base '{code}' was {ending.kind} on {ending.date.isoformat()}"
            + (f" ({ending.document()})" if ending.document() else "")
            + f"; a bases file does not change that: write '{ending.kind}' or leave the cell"
            " empty",
        )
    elif status in lifecycle.ENDED and ending is None:
        events.append(PlannedEvent(code, status, today, line))
        changes["status"] = [lifecycle.ACTIVE, status]
    if designated is not None:
        ended_on = ending.date if ending is not None else None
        if designated > today:
            problem(
                "designated",
                ProblemCode.OUT_OF_RANGE,
                f"'{designated.isoformat()}' is still to come; a designation is recorded once"
                " it is made",
            )
        elif ended_on is not None and designated > ended_on:
            problem(
                "designated",
                ProblemCode.INCONSISTENT,
                f"'{designated.isoformat()}' is after the base's {ending.kind} on"
                f" {ended_on.isoformat()}",
            )
        elif designation is None:
            events.append(PlannedEvent(code, BaseEvent.Kind.DESIGNATED, designated, line))
            changes["designated"] = [None, designated.isoformat()]
        elif designation.date != designated:
            events.append(
                PlannedEvent(code, BaseEvent.Kind.DESIGNATED, designated, line, designation)
            )
            changes["designated"] = [designation.date.isoformat(), designated.isoformat()]
    elif designation is not None and designation.date.year != int(row["batch"]):
        problem(
            "batch",
            ProblemCode.INCONSISTENT,
            f"base '{code}' was designated on {designation.date.isoformat()} (batch"
            f" {designation.date.year}); to move it to batch {int(row['batch'])}, give its"
            f" designation date in {int(row['batch'])} in the column 'designated'",
        )
    return changes, events, problems
