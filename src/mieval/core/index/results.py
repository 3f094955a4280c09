"""Reading an index's results: ranks within peer groups, strengths and weaknesses, rank changes.

Plain pandas, no Django. Ranks follow one rule everywhere: 1 is the highest score, ties share
the smallest rank (``min``), missing scores get no rank.
"""

from __future__ import annotations

import pandas as pd

from mieval.core.index.aggregate import rank_scores

GROUP_RANK_COLUMNS = ["unit", "code", "group", "score", "group_rank", "group_size"]
STRENGTH_COLUMNS = ["unit", "group", "kind", "position", "code", "value", "group_rank"]
RANK_CHANGE_COLUMNS = ["unit", "code", "year", "rank", "previous_rank", "change"]


def group_ranks(scores: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Ranks within peer groups.

    Parameters
    ----------
    scores : pandas.DataFrame
        ``unit, code, score`` (e.g. :attr:`IndexBuild.scores`).
    groups : pandas.Series
        Each unit's peer group (index: unit). Units without a group are left out.

    Returns
    -------
    pandas.DataFrame
        ``unit, code, group, score, group_rank, group_size`` (``group_size``: units of the
        group with a score for that code), sorted by code (as given), group, rank.
    """
    frame = scores[["unit", "code", "score"]].copy()
    frame["group"] = frame["unit"].map(groups)
    frame = frame[frame["group"].notna()]
    by = frame.groupby(["code", "group"], sort=False)["score"]
    frame["group_rank"] = by.transform(rank_scores).astype("Int64")
    frame["group_size"] = by.transform("count").astype(int)
    order = {c: i for i, c in enumerate(pd.unique(scores["code"]))}
    frame = frame.assign(_o=frame["code"].map(order)).sort_values(
        ["_o", "group", "group_rank", "unit"], kind="stable"
    )
    return frame[GROUP_RANK_COLUMNS].reset_index(drop=True)


def strengths_weaknesses(
    normalised: pd.DataFrame, groups: pd.Series | None = None, *, n: int = 3
) -> pd.DataFrame:
    """Each unit's ``n`` best and ``n`` worst indicators, by rank within its peer group.

    An indicator's rank is the unit's rank among the units of its group (all units when
    ``groups`` is None) on the normalised value (higher is better). Strengths are the ``n``
    indicators with the smallest rank, weaknesses the ``n`` with the largest; ties broken by
    the indicators' order in ``normalised``.

    Returns
    -------
    pandas.DataFrame
        ``unit, group, kind`` (``strength`` or ``weakness``), ``position`` (1 = best strength
        or worst weakness), ``code, value, group_rank``.
    """
    frame = normalised[["unit", "code", "value"]].dropna().copy()
    frame["group"] = "all" if groups is None else frame["unit"].map(groups)
    frame = frame[frame["group"].notna()]
    frame["group_rank"] = (
        frame.groupby(["code", "group"])["value"].transform(rank_scores).astype("Int64")
    )
    order = {c: i for i, c in enumerate(pd.unique(normalised["code"]))}
    frame["_o"] = frame["code"].map(order)
    rows = []
    for unit, part in frame.groupby("unit", sort=False):
        best = part.sort_values(["group_rank", "_o"], kind="stable").head(n)
        worst = part.sort_values(["group_rank", "_o"], ascending=[False, True]).head(n)
        for kind, chosen in (("strength", best), ("weakness", worst)):
            for position, row in enumerate(chosen.itertuples(), start=1):
                rows.append((unit, row.group, kind, position, row.code, row.value, row.group_rank))
    return pd.DataFrame(rows, columns=STRENGTH_COLUMNS)


def rank_changes(scores: pd.DataFrame) -> pd.DataFrame:
    """Rank changes between consecutive years.

    Parameters
    ----------
    scores : pandas.DataFrame
        ``unit, code, year, rank`` for several years.

    Returns
    -------
    pandas.DataFrame
        ``unit, code, year, rank, previous_rank, change`` for every year after the first:
        ``change = previous_rank - rank`` (positive: the unit moved up), missing where the
        unit had no rank in the previous year of the data.
    """
    frame = scores[["unit", "code", "year", "rank"]].sort_values(["code", "unit", "year"])
    years = sorted(frame["year"].unique())
    previous_year = dict(zip(years[1:], years[:-1], strict=True))
    prev = frame.rename(columns={"rank": "previous_rank", "year": "prev_year"})
    frame = frame[frame["year"].isin(previous_year)].copy()
    frame["prev_year"] = frame["year"].map(previous_year)
    out = frame.merge(prev, on=["unit", "code", "prev_year"], how="left")
    out["previous_rank"] = out["previous_rank"].astype("Int64")
    out["rank"] = out["rank"].astype("Int64")
    out["change"] = out["previous_rank"] - out["rank"]
    return out[RANK_CHANGE_COLUMNS].reset_index(drop=True)
