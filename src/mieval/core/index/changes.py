"""Rank changes between index runs of different years: each base's score and ranks in each
year and the change from one year to the next. Plain pandas, no Django; the page
``index_changes`` reads the runs' top scores and shows this.
"""

from __future__ import annotations

import math

import pandas as pd

from mieval.core.index.results import rank_changes

#: How the table can be sorted: key -> (column, descending).
SORTS = {
    "rank": ("last_rank", False),
    "change": ("total_change", True),
    "group_change": ("total_group_change", True),
    "base": ("unit", False),
}


def _int(value):
    return None if value is None or pd.isna(value) else int(value)


def _float(value):
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def rank_change_rows(scores: pd.DataFrame, *, sort: str = "rank") -> list[dict]:
    """One row per unit with its figures in each year, sorted.

    Parameters
    ----------
    scores : pandas.DataFrame
        ``unit, year, score, rank, group_rank, group_size``: the top aggregate of one run per
        year (a unit absent in a year has no row for it).
    sort : str
        A key of :data:`SORTS`: latest rank (default; unranked last), total change of the rank
        or of the rank in the subcategory (largest rise first; no change known last), base.

    Returns
    -------
    list of dict
        ``unit``, ``years`` (one dict per year in order: ``year, score, rank, group_rank,
        group_size, change, group_change``; ``change = previous rank - rank``, positive: the
        unit moved up, None in the first year or when a rank is missing), ``total_change`` and
        ``total_group_change`` (first year against last year, None when either is missing).
    """
    years = sorted(int(y) for y in scores["year"].unique())
    frame = scores.assign(code="top", year=scores["year"].astype(int))
    overall = rank_changes(frame[["unit", "code", "year", "rank"]])
    group = rank_changes(
        frame[["unit", "code", "year", "group_rank"]].rename(columns={"group_rank": "rank"})
    )
    change = {(r.unit, r.year): _int(r.change) for r in overall.itertuples(index=False)}
    group_change = {(r.unit, r.year): _int(r.change) for r in group.itertuples(index=False)}
    by_key = {(r.unit, r.year): r for r in frame.itertuples(index=False)}
    rows = []
    for unit in pd.unique(frame["unit"]):
        cells = []
        for y in years:
            r = by_key.get((unit, y))
            cells.append(
                {
                    "year": y,
                    "score": _float(r.score) if r is not None else None,
                    "rank": _int(r.rank) if r is not None else None,
                    "group_rank": _int(r.group_rank) if r is not None else None,
                    "group_size": _int(r.group_size) if r is not None else None,
                    "change": change.get((unit, y)),
                    "group_change": group_change.get((unit, y)),
                }
            )
        first, last = cells[0], cells[-1]

        def total(key, first=first, last=last):
            if first[key] is None or last[key] is None:
                return None
            return first[key] - last[key]

        rows.append(
            {
                "unit": unit,
                "years": cells,
                "last_rank": last["rank"],
                "total_change": total("rank"),
                "total_group_change": total("group_rank"),
            }
        )
    column, descending = SORTS.get(sort, SORTS["rank"])

    def key(row):
        value = row[column]
        if value is None:
            return (1, 0, row["unit"])
        return (0, -value if descending else value, row["unit"])

    return sorted(rows, key=key)
