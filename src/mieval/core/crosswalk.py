"""Crosswalks between indicator framework versions, and old values mapped through them.

Plain pandas, no Django. A crosswalk is a set of rows (``DESIGN.md``, "Rounds and the
composition effect")::

    from_framework, from_version, from_code, to_framework, to_version, to_code, factor

each saying that the old indicator ``from_code`` of version ``from_version`` of the framework
``from_framework`` becomes ``to_code`` of the newer version, multiplied by ``factor``. The kinds
of change the rows express:

- renamed: one row, a new code (``factor`` 1);
- unit changed: one row whose ``factor`` turns the old unit into the new one (m² into
  10,000 m²: 0.0001);
- split: several rows from one old code, each with its share as ``factor``;
- merged: several rows from different old codes into one new code; the new value is the sum of
  the old ones times their factors, and only where the base reported every one of them. A sum
  makes sense only for an indicator that adds up: :func:`merge_allowed`;
- unmapped: an old indicator with no row. Its values are not carried over, and
  :func:`crosswalk_apply` reports it, never silently.

An indicator the crosswalk does not mention at all (neither as an old nor as a new code) that
keeps its code and unit in the newer version carries over unchanged where the caller says so
(``keep``): a crosswalk lists what changed, not the twelve indicators that did not.

Naming: ``crosswalk_*`` take or return crosswalk frames; :func:`crosswalk_apply` maps values.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Callable, Iterable

import pandas as pd

from mieval.core.limits import excerpt
from mieval.core.problems import ProblemCode
from mieval.core.values import value_check

CROSSWALK_COLUMNS = (
    "from_framework",
    "from_version",
    "from_code",
    "to_framework",
    "to_version",
    "to_code",
    "factor",
)

#: Units of indicators that count things: two such figures of a base add up to one.
COUNT_UNITS = frozenset({"count", "persons", "10,000 persons", "person-times"})

VALUE_COLUMNS = ["base_code", "indicator_code", "year", "value"]
UNMAPPED_COLUMNS = ["indicator_code", "to_code", "reason", "values"]


class UnmappedReason(enum.StrEnum):
    """Why old values were not carried into the newer framework version."""

    #: The crosswalk has no row from the old indicator.
    NO_ROW = "no_row"
    #: The old indicator is one part of a merge, and the base lacks another part that year.
    INCOMPLETE_MERGE = "incomplete_merge"
    #: No crosswalk leads from the round's framework version to the newest one.
    NO_CROSSWALK = "no_crosswalk"


def factor_check(text: str) -> tuple[float | None, tuple[ProblemCode, str] | None]:
    """The factor of a crosswalk row read from ``text``: ``(factor, None)``, or ``(None,
    (code, why))``.

    Empty means 1. A factor is read by the one value checker
    (:func:`~mieval.core.values.value_check`) and is a positive finite number: it multiplies
    an old value into the new unit, and a share of a split is above zero too."""
    if not text.strip():
        return 1.0, None
    checked = value_check(text, storable=False)
    if checked.problems:
        problem = checked.problems[0]
        if problem.code == ProblemCode.NOT_A_NUMBER:
            return None, (
                problem.code,
                f"'{excerpt(text.strip())}' is not a number; a factor is a positive number "
                "(empty means 1)",
            )
        return None, (problem.code, problem.message)
    if checked.number <= 0:
        return None, (
            ProblemCode.OUT_OF_RANGE,
            f"{checked.raw} is not positive; a factor is a positive number (empty means 1)",
        )
    return float(checked.number), None


def merge_allowed(stat: str, unit: str) -> bool:
    """Whether old indicators may be summed into one of this statistic and unit: a ``sum``, or
    an indicator that counts things (:data:`COUNT_UNITS`). A mean or a per-unit figure (10,000
    yuan per university) does not add up."""
    return stat == "sum" or unit in COUNT_UNITS


def merge_refusal(to_code: str, from_codes: Iterable[str], stat: str, unit: str) -> str | None:
    """The message refusing a merge of ``from_codes`` into ``to_code`` (of ``stat`` and
    ``unit``), or None where a sum makes sense."""
    if merge_allowed(stat, unit):
        return None
    parts = ", ".join(f"'{c}'" for c in sorted(from_codes))
    return (
        f"{parts} are merged into '{to_code}' (summed), but '{to_code}' is a {stat} in "
        f"'{unit or 'no unit'}', which does not add up: a merge is allowed only into an indicator "
        f"whose statistic is sum or whose unit is a count ({', '.join(sorted(COUNT_UNITS))})"
    )


def crosswalk_pairs(crosswalk: pd.DataFrame) -> list[tuple[tuple[str, int], tuple[str, int]]]:
    """The version pairs the crosswalk maps, ``((from_framework, from_version), (to_framework,
    to_version))``, in order of first appearance."""
    if not len(crosswalk):
        return []
    keys = crosswalk[["from_framework", "from_version", "to_framework", "to_version"]]
    return [
        ((f, int(fv)), (t, int(tv)))
        for f, fv, t, tv in keys.drop_duplicates().itertuples(index=False)
    ]


def crosswalk_path(
    crosswalk: pd.DataFrame, source: tuple[str, int], target: tuple[str, int]
) -> list[tuple[tuple[str, int], tuple[str, int]]] | None:
    """The fewest crosswalk steps from the framework version ``source`` to ``target``: a list
    of version pairs (empty when they are the same version), or None when no chain of the
    crosswalk's pairs leads there. Breadth first, so a direct crosswalk wins over a chain."""
    source, target = (source[0], int(source[1])), (target[0], int(target[1]))
    if source == target:
        return []
    following: dict = {}
    for pair in crosswalk_pairs(crosswalk):
        following.setdefault(pair[0], []).append(pair)
    came: dict = {source: None}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        for pair in following.get(node, []):
            nxt = pair[1]
            if nxt in came:
                continue
            came[nxt] = pair
            if nxt == target:
                path = []
                while came[nxt] is not None:
                    path.append(came[nxt])
                    nxt = came[nxt][0]
                return path[::-1]
            queue.append(nxt)
    return None


def crosswalk_step(
    crosswalk: pd.DataFrame, pair: tuple[tuple[str, int], tuple[str, int]]
) -> pd.DataFrame:
    """The rows of one version pair: ``from_code, to_code, factor``."""
    (f, fv), (t, tv) = pair
    rows = crosswalk.loc[
        (crosswalk["from_framework"] == f)
        & (crosswalk["from_version"].astype(int) == fv)
        & (crosswalk["to_framework"] == t)
        & (crosswalk["to_version"].astype(int) == tv),
        ["from_code", "to_code", "factor"],
    ]
    return rows.reset_index(drop=True)


def crosswalk_keep(
    crosswalk: pd.DataFrame, old: pd.DataFrame, new: pd.DataFrame
) -> tuple[str, ...]:
    """The indicators that carry over unchanged between two framework versions: in both
    ``indicators`` frames with the same code and unit, and in none of the crosswalk's rows
    (``from_code, to_code``) of the pair."""
    mentioned = set(crosswalk["from_code"]) | set(crosswalk["to_code"])
    units = dict(zip(new["code"], new["unit"], strict=True))
    return tuple(
        code
        for code, unit in zip(old["code"], old["unit"], strict=True)
        if code in units and units[code] == unit and code not in mentioned
    )


def crosswalk_apply(
    values: pd.DataFrame, crosswalk: pd.DataFrame, *, keep: Iterable[str] = ()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    r"""Old values mapped into the newer framework version of one crosswalk step.

    For a new code :math:`c` reached from the old codes :math:`S_c` with factors
    :math:`f_{s}`, base :math:`b` and year :math:`t`:

    .. math:: x'_{bct} = \sum_{s \in S_c} f_s \, x_{bst}

    defined only where the base has a value :math:`x_{bst}` for every :math:`s \in S_c`. One
    source is a rename, a change of unit or a part of a split; several are a merge (whether a
    merge makes sense is checked where a crosswalk is read or edited: :func:`merge_refusal`).

    Parameters
    ----------
    values : pandas.DataFrame
        Long format ``base_code, indicator_code, year, value`` (other columns are dropped; a
        missing value, NaN, is not a value and is dropped too).
    crosswalk : pandas.DataFrame
        The rows of one version pair: ``from_code, to_code, factor`` (:func:`crosswalk_step`).
    keep : iterable of str
        Old codes that carry over unchanged where the crosswalk has no row from them
        (:func:`crosswalk_keep`).

    Returns
    -------
    mapped : pandas.DataFrame
        ``base_code, indicator_code, year, value`` in the newer version's codes, sorted by
        base, indicator and year.
    unmapped : pandas.DataFrame
        ``indicator_code`` (old), ``to_code`` (the merge's new code; None for no row),
        ``reason`` (:class:`UnmappedReason`) and ``values`` (how many old values were not
        carried over), by old code.
    """
    for column in ("from_code", "to_code", "factor"):
        if column not in crosswalk.columns:
            raise ValueError(f"crosswalk: column {column!r} is missing")
    old = values.loc[values["value"].notna(), VALUE_COLUMNS].copy()
    old["indicator_code"] = old["indicator_code"].astype(str)
    rows = crosswalk[["from_code", "to_code", "factor"]].astype(
        {"from_code": str, "to_code": str, "factor": float}
    )
    sources = rows.groupby("to_code", sort=False)["from_code"].nunique()
    merged_codes = set(sources.index[sources > 1])

    # Single-source rows: renames, unit changes, the parts of splits.
    single = rows.loc[~rows["to_code"].isin(merged_codes)]
    joined = old.merge(single, left_on="indicator_code", right_on="from_code", how="inner")
    parts = [
        pd.DataFrame(
            {
                "base_code": joined["base_code"],
                "indicator_code": joined["to_code"],
                "year": joined["year"],
                "value": joined["value"] * joined["factor"],
            }
        )
    ]
    unmapped = []

    # Merges: every part reported, then summed.
    for to_code in merged_codes:
        group = rows.loc[rows["to_code"] == to_code]
        factors = dict(zip(group["from_code"], group["factor"], strict=True))
        held = old.loc[old["indicator_code"].isin(factors)]
        held = held.assign(scaled=held["value"] * held["indicator_code"].map(factors))
        cells = held.groupby(["base_code", "year"], sort=False).agg(
            scaled=("scaled", "sum"), parts=("indicator_code", "nunique")
        )
        complete = cells.loc[cells["parts"] == len(factors)].reset_index()
        parts.append(
            pd.DataFrame(
                {
                    "base_code": complete["base_code"],
                    "indicator_code": to_code,
                    "year": complete["year"],
                    "value": complete["scaled"],
                }
            )
        )
        incomplete = cells.index[cells["parts"] < len(factors)]
        if len(incomplete):
            keys = pd.MultiIndex.from_frame(held[["base_code", "year"]])
            lost = held.loc[keys.isin(incomplete)]
            for code, count in lost["indicator_code"].value_counts(sort=False).items():
                unmapped.append((code, to_code, UnmappedReason.INCOMPLETE_MERGE, int(count)))

    # Unchanged codes, then what has no row at all.
    keep = set(keep) - set(rows["from_code"])
    parts.append(old.loc[old["indicator_code"].isin(keep)])
    orphans = old.loc[~old["indicator_code"].isin(keep | set(rows["from_code"]))]
    for code, count in orphans["indicator_code"].value_counts(sort=False).items():
        unmapped.append((code, None, UnmappedReason.NO_ROW, int(count)))

    filled = [p for p in parts if len(p)]
    mapped = pd.concat(filled, ignore_index=True) if filled else pd.DataFrame(columns=VALUE_COLUMNS)
    mapped = mapped[VALUE_COLUMNS].astype({"year": "int64", "value": "float64"})
    mapped = mapped.sort_values(["base_code", "indicator_code", "year"], ignore_index=True)
    unmapped.sort(key=lambda r: (r[0], str(r[2])))
    report = pd.DataFrame(
        {
            "indicator_code": pd.Series([r[0] for r in unmapped], dtype=object),
            "to_code": pd.Series([r[1] for r in unmapped], dtype=object),
            "reason": pd.Series([str(r[2]) for r in unmapped], dtype=object),
            "values": pd.Series([r[3] for r in unmapped], dtype="int64"),
        }
    )
    return mapped, report


def crosswalk_check(
    rows: pd.DataFrame,
    frameworks: dict[tuple[str, int], pd.DataFrame],
    *,
    where: Callable[[int], str] = lambda position: f"row {position + 1}",
) -> list[tuple[int, str, ProblemCode, str]]:
    """Every problem of crosswalk rows against the framework versions they name.

    ``rows`` has :data:`CROSSWALK_COLUMNS`; ``frameworks`` maps ``(code, version)`` to the
    version's ``indicators`` frame (``code``, ``unit``, ``stat``). Problems, as ``(position of
    the row, column, code, message)``: a framework version that does not exist, an old or new
    code that is not an indicator of its version, a version mapped onto itself, the same
    mapping twice, and a merge into an indicator that does not add up (:func:`merge_refusal`).
    """
    problems = []
    versions: dict[str, list[int]] = {}
    for code, version in frameworks:
        versions.setdefault(code, []).append(int(version))
    seen: dict[tuple, int] = {}
    for position, row in enumerate(rows.itertuples(index=False)):
        old = (row.from_framework, int(row.from_version))
        new = (row.to_framework, int(row.to_version))
        if old == new:
            problems.append(
                (
                    position,
                    "to_version",
                    ProblemCode.INCONSISTENT,
                    f"the row maps {old[0]} v{old[1]} onto itself; a crosswalk leads from one "
                    "version to another",
                )
            )
        for side, key, code in (("from", old, row.from_code), ("to", new, row.to_code)):
            indicators = frameworks.get(key)
            if indicators is None:
                known = sorted(versions.get(key[0], []))
                if known:
                    why = (
                        f"framework '{key[0]}' has no version {key[1]} (it has "
                        + ", ".join(str(v) for v in known)
                        + ")"
                    )
                    column = f"{side}_version"
                else:
                    why = f"'{key[0]}' is not an indicator framework"
                    column = f"{side}_framework"
                problems.append((position, column, ProblemCode.UNKNOWN_CODE, why))
            elif code not in set(indicators["code"]):
                problems.append(
                    (
                        position,
                        f"{side}_code",
                        ProblemCode.UNKNOWN_CODE,
                        f"'{code}' is not an indicator of {key[0]} v{key[1]}",
                    )
                )
        mapping = (*old, row.from_code, *new, row.to_code)
        if mapping in seen:
            problems.append(
                (
                    position,
                    "to_code",
                    ProblemCode.DUPLICATE,
                    f"'{row.from_code}' to '{row.to_code}' is also {where(seen[mapping])}; "
                    "each mapping once",
                )
            )
        else:
            seen[mapping] = position
    if not len(rows):
        return problems
    keyed = rows.assign(
        _position=range(len(rows)),
        from_version=rows["from_version"].astype(int),
        to_version=rows["to_version"].astype(int),
    )
    groups = keyed.groupby(
        ["from_framework", "from_version", "to_framework", "to_version", "to_code"], sort=False
    )
    for (_f, _fv, t, tv, to_code), group in groups:
        codes = set(group["from_code"])
        indicators = frameworks.get((t, int(tv)))
        if len(codes) < 2 or indicators is None or to_code not in set(indicators["code"]):
            continue
        target = indicators.loc[indicators["code"] == to_code].iloc[0]
        refusal = merge_refusal(to_code, codes, str(target["stat"]), str(target["unit"]))
        if refusal is not None:
            for position in group["_position"]:
                problems.append((int(position), "to_code", ProblemCode.NOT_ALLOWED, refusal))
    return problems
