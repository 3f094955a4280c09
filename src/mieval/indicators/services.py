"""Writes to indicator frameworks and to the crosswalk between their versions. A framework
version, once created, is never changed; crosswalk rows are edited, each change audited
(:class:`~mieval.indicators.models.CrosswalkEvent`) and refused when the row changed since the
editor read it (:class:`~mieval.lib.concurrency.ConcurrentEditError`)."""

import pandas as pd
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mieval.core.crosswalk import CROSSWALK_COLUMNS, crosswalk_check, factor_check
from mieval.core.problems import InputError, Problem
from mieval.indicators.models import CrosswalkEvent, CrosswalkRow, Framework, Indicator
from mieval.indicators.selectors import framework_indicators_frame
from mieval.lib.concurrency import ConcurrentEditError

#: The columns that define a framework's content (order is part of it).
CONTENT_COLUMNS = ["code", "name_zh", "name_en", "unit", "unit_zh", "direction", "stat"]
CONTENT_COLUMNS += ["categories", "non_negative", "decimals"]


def framework_content(frame: pd.DataFrame) -> list[tuple]:
    """What makes two indicator lists the same framework: every defining field, in order."""
    rows = frame[CONTENT_COLUMNS].to_dict("records")
    return [
        tuple(
            tuple(sorted(row[c]))
            if c == "categories"
            else (int(row[c]) if c in {"direction", "decimals"} else row[c])
            for c in CONTENT_COLUMNS
        )
        for row in rows
    ]


@transaction.atomic
def framework_version_ensure(
    *, code: str, name_zh: str, name_en: str, indicators: pd.DataFrame
) -> tuple[Framework, bool]:
    """The framework ``code`` with exactly these indicators: its latest version if that has
    the same content, else a new version. Returns ``(framework, created)``.

    ``indicators`` is a validated indicators frame (``core.tables.files.read_indicators``), in
    order.
    """
    latest = Framework.objects.filter(code=code).order_by("-version").first()
    if latest is not None and framework_content(
        framework_indicators_frame(latest)
    ) == framework_content(indicators):
        return latest, False
    version = (Framework.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0) + 1
    framework = Framework.objects.create(
        code=code, version=version, name_zh=name_zh or code, name_en=name_en or code
    )
    created = Indicator.objects.bulk_create(
        [
            Indicator(
                framework=framework,
                code=row.code,
                name_zh=row.name_zh,
                name_en=row.name_en,
                unit=row.unit,
                unit_zh=row.unit_zh,
                direction=int(row.direction),
                stat=row.stat,
                non_negative=bool(row.non_negative),
                decimals=int(row.decimals),
                order=order,
            )
            for order, row in enumerate(indicators.itertuples(index=False))
        ]
    )
    through = Indicator.categories.through
    through.objects.bulk_create(
        [
            through(indicator_id=indicator.pk, category_id=category)
            for indicator, categories in zip(created, indicators["categories"], strict=True)
            for category in categories
        ]
    )
    return framework, True


# --- the crosswalk between framework versions -------------------------------------------------


def _actor(user, actor: str = "") -> str:
    return actor or (user.get_username() if user is not None else "system")


def _row_snapshot(row: CrosswalkRow) -> dict:
    return {
        "from": str(row.from_framework),
        "from_code": row.from_code,
        "to": str(row.to_framework),
        "to_code": row.to_code,
        "factor": row.factor,
    }


def _crosswalk_event(*, kind, pair, row, user, actor="", old=None, new=None, source="") -> None:
    """Audit one change of the version pair ``pair`` (the two frameworks' ids)."""
    CrosswalkEvent.objects.create(
        kind=kind,
        from_framework_id=pair[0],
        to_framework_id=pair[1],
        row=row,
        old=old or {},
        new=new or {},
        source=source,
        user=user,
        actor=_actor(user, actor),
        at=timezone.now(),
    )


def _versions_frames(frameworks) -> dict[tuple[str, int], pd.DataFrame]:
    return {(f.code, f.version): framework_indicators_frame(f) for f in frameworks}


def _pair_check(from_framework: Framework, to_framework: Framework, rows: list[tuple]) -> None:
    """Raise :class:`InputError` for every problem of the rows ``(from_code, to_code, factor)``
    a version pair would hold (:func:`~mieval.core.crosswalk.crosswalk_check`)."""
    frame = pd.DataFrame(
        [
            (
                from_framework.code,
                from_framework.version,
                f,
                to_framework.code,
                to_framework.version,
                t,
                x,
            )
            for f, t, x in rows
        ],
        columns=list(CROSSWALK_COLUMNS),
    )
    known = _versions_frames([from_framework, to_framework])
    found = crosswalk_check(frame, known, where=lambda _: "in the crosswalk")
    if found:
        file = f"{from_framework} → {to_framework}"
        # A merge refused is said once, not on each of its rows.
        unique = dict.fromkeys((column, code, message) for _, column, code, message in found)
        raise InputError([Problem(file, None, *problem) for problem in unique])


def _factor(factor) -> float:
    value, problem = factor_check(str(factor) if factor is not None else "")
    if problem is not None:
        raise InputError([Problem("crosswalk", None, "factor", *problem)])
    return value


def _pair_rows(from_framework, to_framework, *, without=None) -> list[tuple]:
    rows = CrosswalkRow.objects.filter(from_framework=from_framework, to_framework=to_framework)
    if without is not None:
        rows = rows.exclude(pk=without.pk)
    return list(rows.values_list("from_code", "to_code", "factor"))


def _locked_row(row: CrosswalkRow, version: int) -> CrosswalkRow:
    current = (
        CrosswalkRow.objects.select_for_update(of=("self",))
        .select_related("from_framework", "to_framework")
        .filter(pk=row.pk)
        .first()
    )
    if current is None:
        raise ConcurrentEditError(
            f"the row {row.from_code} → {row.to_code} was removed meanwhile; nothing was written"
        )
    if current.version != version:
        raise ConcurrentEditError(
            f"the row {current.from_code} → {current.to_code} was changed meanwhile (version "
            f"{current.version}, not {version}); nothing was written",
            latest=current,
        )
    return current


@transaction.atomic
def crosswalk_row_add(
    *,
    from_framework: Framework,
    from_code: str,
    to_framework: Framework,
    to_code: str,
    factor=1.0,
    user=None,
) -> CrosswalkRow:
    """A new row of the crosswalk between two framework versions, checked with the pair's
    other rows (:class:`InputError` naming every problem; nothing written)."""
    from_code, to_code, factor = from_code.strip(), to_code.strip(), _factor(factor)
    # Rows of one pair are checked together (a merge, a duplicate): one writer at a time.
    Framework.objects.select_for_update().filter(pk=from_framework.pk).first()
    _pair_check(
        from_framework,
        to_framework,
        [*_pair_rows(from_framework, to_framework), (from_code, to_code, factor)],
    )
    row = CrosswalkRow.objects.create(
        from_framework=from_framework,
        from_code=from_code,
        to_framework=to_framework,
        to_code=to_code,
        factor=factor,
    )
    _crosswalk_event(
        kind=CrosswalkEvent.Kind.ADDED,
        pair=(from_framework.pk, to_framework.pk),
        row=row,
        user=user,
        new=_row_snapshot(row),
    )
    return row


@transaction.atomic
def crosswalk_row_update(
    *, row: CrosswalkRow, version: int, from_code: str, to_code: str, factor, user=None
) -> CrosswalkRow:
    """Change a row that the editor read at ``version``
    (:class:`~mieval.lib.concurrency.ConcurrentEditError` when it changed meanwhile)."""
    Framework.objects.select_for_update().filter(pk=row.from_framework_id).first()
    row = _locked_row(row, version)
    from_code, to_code, factor = from_code.strip(), to_code.strip(), _factor(factor)
    if (row.from_code, row.to_code, row.factor) == (from_code, to_code, factor):
        return row
    _pair_check(
        row.from_framework,
        row.to_framework,
        [
            *_pair_rows(row.from_framework, row.to_framework, without=row),
            (from_code, to_code, factor),
        ],
    )
    old = _row_snapshot(row)
    row.from_code, row.to_code, row.factor = from_code, to_code, factor
    row.version += 1
    row.save(update_fields=["from_code", "to_code", "factor", "version", "updated_at"])
    _crosswalk_event(
        kind=CrosswalkEvent.Kind.CHANGED,
        pair=(row.from_framework_id, row.to_framework_id),
        row=row,
        user=user,
        old=old,
        new=_row_snapshot(row),
    )
    return row


@transaction.atomic
def crosswalk_row_delete(*, row: CrosswalkRow, version: int, user=None) -> None:
    """Remove a row that the editor read at ``version``: its old indicator is then unmapped
    unless another row maps it."""
    Framework.objects.select_for_update().filter(pk=row.from_framework_id).first()
    row = _locked_row(row, version)
    old = _row_snapshot(row)
    _crosswalk_event(
        kind=CrosswalkEvent.Kind.REMOVED,
        pair=(row.from_framework_id, row.to_framework_id),
        row=None,
        user=user,
        old=old,
    )
    row.delete()


@transaction.atomic
def crosswalk_import(*, rows: pd.DataFrame, user=None, actor: str = "", source: str = "") -> dict:
    """Make the crosswalk of every version pair in ``rows`` (a frame of
    :func:`~mieval.core.tables.crosswalk.read_crosswalk`, checked against the frameworks) what
    the file says: rows added, changed (a new factor) and removed, each audited; pairs the
    file does not name are left alone. Importing the same file again changes nothing.

    Returns the counts ``added, changed, removed, unchanged``."""
    counts = {"added": 0, "changed": 0, "removed": 0, "unchanged": 0}
    frameworks = {(f.code, f.version): f for f in Framework.objects.all()}
    for (fc, fv, tc, tv), group in rows.groupby(
        ["from_framework", "from_version", "to_framework", "to_version"], sort=False
    ):
        from_framework, to_framework = frameworks[(fc, int(fv))], frameworks[(tc, int(tv))]
        pair = (from_framework.pk, to_framework.pk)
        Framework.objects.select_for_update().filter(pk=from_framework.pk).first()
        stored = {
            (r.from_code, r.to_code): r
            for r in CrosswalkRow.objects.filter(
                from_framework=from_framework, to_framework=to_framework
            ).select_related("from_framework", "to_framework")
        }
        wanted = {(r.from_code, r.to_code): float(r.factor) for r in group.itertuples(index=False)}
        for key, row in stored.items():
            if key not in wanted:
                _crosswalk_event(
                    kind=CrosswalkEvent.Kind.REMOVED,
                    pair=pair,
                    row=None,
                    user=user,
                    actor=actor,
                    old=_row_snapshot(row),
                    source=source,
                )
                row.delete()
                counts["removed"] += 1
        for (from_code, to_code), factor in wanted.items():
            row = stored.get((from_code, to_code))
            if row is None:
                row = CrosswalkRow.objects.create(
                    from_framework=from_framework,
                    from_code=from_code,
                    to_framework=to_framework,
                    to_code=to_code,
                    factor=factor,
                )
                _crosswalk_event(
                    kind=CrosswalkEvent.Kind.ADDED,
                    pair=pair,
                    row=row,
                    user=user,
                    actor=actor,
                    new=_row_snapshot(row),
                    source=source,
                )
                counts["added"] += 1
            elif row.factor != factor:
                old = _row_snapshot(row)
                row.factor, row.version = factor, row.version + 1
                row.save(update_fields=["factor", "version", "updated_at"])
                _crosswalk_event(
                    kind=CrosswalkEvent.Kind.CHANGED,
                    pair=pair,
                    row=row,
                    user=user,
                    actor=actor,
                    old=old,
                    new=_row_snapshot(row),
                    source=source,
                )
                counts["changed"] += 1
            else:
                counts["unchanged"] += 1
    return counts
