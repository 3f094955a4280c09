"""Trends across the rounds of a programme: every round's values on the newest round's framework
version, older rounds mapped through the crosswalk (:mod:`mieval.core.crosswalk`).

Plain pandas, no Django. :func:`rounds_combine` maps and merges the rounds' values;
:func:`rounds_trend` computes the trend table of :mod:`mieval.core.trends.table` on them;
:func:`rounds_json` writes the JSON document of ``mieval trends`` over several campaigns.

Rules
-----
- The target is the framework version of the newest round (the highest round number).
- A round on another version is mapped step by step along the fewest crosswalk steps from its
  version to the target (:func:`~mieval.core.crosswalk.crosswalk_path`); at each step the
  indicators with the same code and unit in both versions that no crosswalk row names carry
  over unchanged.
- Where two rounds hold a value of the same base, indicator and year, the later round's value
  wins (a later round's figures are the reviewed ones; an earlier round's figure of a year stays
  where the later round has none for that base).
- Nothing is dropped silently: every old indicator whose values are not carried over is in
  ``unmapped``, with the reason (:class:`~mieval.core.crosswalk.UnmappedReason`) and how many
  values it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mieval.core.crosswalk import (
    UnmappedReason,
    crosswalk_apply,
    crosswalk_keep,
    crosswalk_path,
    crosswalk_step,
)
from mieval.core.trends.table import TrendTable, trend_table

VALUE_COLUMNS = ["base_code", "indicator_code", "year", "value"]
UNMAPPED_COLUMNS = [
    "round",
    "campaign",
    "indicator_code",
    "to_code",
    "reason",
    "values",
    "step_from",
    "step_to",
]


@dataclass(frozen=True)
class RoundData:
    """One round's data: its number, campaign code, framework version ``(code, version)``,
    years, and the ``bases`` and long ``values`` frames of ``DESIGN.md``."""

    number: int
    campaign: str
    framework: tuple[str, int]
    first_year: int
    last_year: int
    bases: pd.DataFrame
    values: pd.DataFrame


@dataclass(frozen=True)
class RoundsCombined:
    """The rounds' values on the target version.

    ``values``: ``base_code, indicator_code, year, value, round`` (the round a value comes
    from), one row per base, indicator and year; ``bases``: every round's bases (the latest
    round's row of a base); ``indicators``: the target version's frame; ``unmapped``:
    :data:`UNMAPPED_COLUMNS`, by round and old code; ``rounds``: the rounds, in order."""

    target: tuple[str, int]
    values: pd.DataFrame
    bases: pd.DataFrame
    indicators: pd.DataFrame
    unmapped: pd.DataFrame
    rounds: tuple[RoundData, ...]

    @property
    def first_year(self) -> int:
        return min(r.first_year for r in self.rounds)

    @property
    def last_year(self) -> int:
        return max(r.last_year for r in self.rounds)


def _version_text(version: tuple[str, int]) -> str:
    return f"{version[0]} v{version[1]}"


def _round_mapped(
    data: RoundData,
    target: tuple[str, int],
    crosswalk: pd.DataFrame,
    frameworks: dict[tuple[str, int], pd.DataFrame],
) -> tuple[pd.DataFrame, list[dict]]:
    values = data.values.loc[data.values["value"].notna(), VALUE_COLUMNS]
    path = crosswalk_path(crosswalk, data.framework, target)
    if path is None:
        counts = values["indicator_code"].astype(str).value_counts(sort=False)
        lost = [
            {
                "indicator_code": code,
                "to_code": None,
                "reason": str(UnmappedReason.NO_CROSSWALK),
                "values": int(n),
                "step_from": _version_text(data.framework),
                "step_to": _version_text(target),
            }
            for code, n in sorted(counts.items())
        ]
        return values.iloc[0:0], lost
    lost = []
    for pair in path:
        rows = crosswalk_step(crosswalk, pair)
        keep = crosswalk_keep(rows, frameworks[pair[0]], frameworks[pair[1]])
        values, unmapped = crosswalk_apply(values, rows, keep=keep)
        lost += [
            {**r, "step_from": _version_text(pair[0]), "step_to": _version_text(pair[1])}
            for r in unmapped.to_dict("records")
        ]
    return values, lost


def rounds_combine(
    rounds: list[RoundData],
    crosswalk: pd.DataFrame,
    frameworks: dict[tuple[str, int], pd.DataFrame],
) -> RoundsCombined:
    """Every round's values on the newest round's framework version, the later round's value
    winning where two rounds hold one of the same base, indicator and year.

    Parameters
    ----------
    rounds : list of RoundData
        At least one; any order (they are ordered by ``number``, which must be unique).
    crosswalk : pandas.DataFrame
        Every crosswalk row: :data:`~mieval.core.crosswalk.CROSSWALK_COLUMNS`.
    frameworks : dict
        ``(code, version)`` to that version's ``indicators`` frame, for every version the
        rounds and the crosswalk steps between them use.

    Raises
    ------
    ValueError
        For no round, or two rounds with the same number.
    """
    if not rounds:
        raise ValueError("rounds: give at least one round")
    ordered = tuple(sorted(rounds, key=lambda r: r.number))
    numbers = [r.number for r in ordered]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"rounds: the round numbers {numbers} repeat")
    target = ordered[-1].framework
    parts, lost = [], []
    for data in ordered:
        values, unmapped = _round_mapped(data, target, crosswalk, frameworks)
        parts.append(values.assign(round=data.number))
        lost += [{"round": data.number, "campaign": data.campaign, **r} for r in unmapped]
    values = pd.concat(parts, ignore_index=True)
    values = values.astype({"year": "int64", "value": "float64", "round": "int64"})
    # The later round wins: the last row of each key after a stable sort by round.
    values = values.sort_values("round", kind="stable").drop_duplicates(
        ["base_code", "indicator_code", "year"], keep="last"
    )
    values = values.sort_values(["base_code", "indicator_code", "year"], ignore_index=True)
    bases = pd.concat([r.bases.assign(_round=r.number) for r in ordered], ignore_index=True)
    bases = (
        bases.sort_values("_round", kind="stable")
        .drop_duplicates("code", keep="last")
        .drop(columns="_round")
        .sort_values("code", ignore_index=True)
    )
    if "batch" in bases.columns and len(bases):
        bases["batch"] = bases["batch"].astype("int64")
    unmapped = pd.DataFrame(lost, columns=UNMAPPED_COLUMNS)
    unmapped = unmapped.astype({"round": "int64", "values": "int64"})
    to_code = unmapped["to_code"].astype(object)
    unmapped["to_code"] = to_code.where(to_code.notna(), None)
    return RoundsCombined(
        target=target,
        values=values,
        bases=bases,
        indicators=frameworks[target],
        unmapped=unmapped,
        rounds=ordered,
    )


def rounds_trend(
    combined: RoundsCombined,
    *,
    by: str | None = None,
    stat: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    balanced: bool = False,
) -> TrendTable:
    """The trend table (:func:`~mieval.core.trends.table.trend_table`) of the combined rounds
    over their years (the first round's first year to the last round's last, or the range
    given)."""
    known = set(combined.indicators["code"])
    values = combined.values.loc[combined.values["indicator_code"].isin(known), VALUE_COLUMNS]
    return trend_table(
        values,
        combined.bases,
        combined.indicators,
        by=by,
        stat=stat,
        year_from=year_from or combined.first_year,
        year_to=year_to or combined.last_year,
        balanced=balanced,
    )


def unmapped_message(row: dict) -> str:
    """One sentence (English) saying what of a round was not carried over, and why."""
    where = f"campaign '{row['campaign']}' (round {row['round']})"
    n = row["values"]
    noun, verb = ("value", "is") if n == 1 else ("values", "are")
    if row["reason"] == UnmappedReason.NO_CROSSWALK:
        return (
            f"{where}: no crosswalk leads from {row['step_from']} to {row['step_to']}; "
            f"its {n:,} {noun} of '{row['indicator_code']}' {verb} left out"
        )
    if row["reason"] == UnmappedReason.INCOMPLETE_MERGE:
        return (
            f"{where}: {n:,} {noun} of '{row['indicator_code']}' left out of the merge into "
            f"'{row['to_code']}' ({row['step_to']}): the base lacks another part that year"
        )
    return (
        f"{where}: '{row['indicator_code']}' has no crosswalk row from {row['step_from']} to "
        f"{row['step_to']}; its {n:,} {noun} {verb} left out"
    )


def rounds_json(table: TrendTable, combined: RoundsCombined) -> dict:
    """``mieval trends`` over several rounds as JSON: the trend table's ``rows`` (as
    :meth:`TrendTable.to_json_dict`), ``framework`` (the target version), ``rounds``
    (``round, campaign, framework, version, first_year, last_year``) and ``unmapped``
    (``round, campaign, indicator, to_indicator, reason, values, message``)."""
    return {
        **table.to_json_dict(),
        "framework": {"code": combined.target[0], "version": int(combined.target[1])},
        "rounds": [
            {
                "round": r.number,
                "campaign": r.campaign,
                "framework": r.framework[0],
                "version": int(r.framework[1]),
                "first_year": r.first_year,
                "last_year": r.last_year,
            }
            for r in combined.rounds
        ],
        "unmapped": [
            {
                "round": int(row["round"]),
                "campaign": row["campaign"],
                "indicator": row["indicator_code"],
                "to_indicator": row["to_code"],
                "reason": row["reason"],
                "values": int(row["values"]),
                "message": unmapped_message(row),
            }
            for row in combined.unmapped.to_dict("records")
        ],
    }
