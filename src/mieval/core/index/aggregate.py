"""Aggregation up the hierarchy, ranks, and TOPSIS as an alternative ranking.

Plain numpy/pandas, no Django.

Conventions pinned here:

- Weighted means over the children with a value: a missing child drops out and the weights of
  the others are rescaled to their sum (``sum_j w_j x_j / sum_j w_j`` over present ``j``). A
  unit with no child present gets a missing score.
- :func:`generalised_mean`: geometric and harmonic means of a set containing 0 are 0 (their
  limits); negative values are refused.
- :func:`aggregate` refuses, before computing anything, a geometric, harmonic or generalised
  (``p <= 0``) mean over a child value ``<= 0`` (as COINr's ``a_gmean``): the index would
  then hang on a single zero. The :class:`~mieval.core.problems.InputError` names every
  aggregate concerned, its children and units; normalise to a positive range instead (min-max
  to [1, 100]).
- Ranks: 1 is the highest score; ties share the smallest rank (``min``); missing scores get
  no rank.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from mieval.core.index._frames import to_long, to_wide
from mieval.core.problems import InputError, Problem, ProblemCode

AGGREGATE_P = {"arithmetic": 1.0, "geometric": 0.0, "harmonic": -1.0}
TOPSIS_COLUMNS = ["unit", "closeness", "rank"]


def generalised_mean(values: np.ndarray, weights: np.ndarray, p: float) -> np.ndarray:
    """Row-wise weighted generalised (power) mean, missing values dropping out.

    ``M_p(x; w) = (sum_j w_j x_j^p / sum_j w_j)^(1/p)`` for ``p != 0`` and
    ``M_0 = exp(sum_j w_j ln x_j / sum_j w_j)`` (geometric); ``p = 1`` arithmetic,
    ``p = -1`` harmonic. Sums run over the present (non-NaN) ``x_j``.

    Parameters
    ----------
    values : numpy.ndarray
        Shape (units, children).
    weights : numpy.ndarray
        Shape (children,), non-negative.
    p : float
        The exponent.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6.2;
    Hardy, Littlewood and Polya (1934), *Inequalities*, ch. 2.
    """
    x = np.asarray(values, dtype=float)
    w = np.broadcast_to(np.asarray(weights, dtype=float), x.shape)
    present = ~np.isnan(x)
    w = np.where(present, w, 0.0)
    total = w.sum(axis=1)
    xs = np.where(present, x, 1.0)
    if p != 1 and (xs < 0).any():
        raise ValueError("geometric, harmonic and generalised means need values >= 0")
    with np.errstate(divide="ignore", invalid="ignore"):
        if p == 1:
            out = (w * xs).sum(axis=1) / total
        elif p == 0:
            logs = np.where(w > 0, np.log(np.where(xs > 0, xs, 1.0)), 0.0)
            has_zero = ((xs == 0) & (w > 0)).any(axis=1)
            out = np.where(has_zero, 0.0, np.exp((w * logs).sum(axis=1) / total))
        elif p < 0:
            has_zero = ((xs == 0) & (w > 0)).any(axis=1)
            safe = np.where(xs > 0, xs, 1.0)
            out = np.where(has_zero, 0.0, ((w * safe**p).sum(axis=1) / total) ** (1 / p))
        else:
            out = ((w * xs**p).sum(axis=1) / total) ** (1 / p)
    return np.where(total > 0, out, np.nan)


def nonpositive_inputs(
    data: pd.DataFrame, hierarchy: pd.DataFrame, *, method: str, p: float = 1.0
) -> dict[str, dict[str, list[str]]]:
    """The inputs a geometric, harmonic or generalised (``p <= 0``) mean cannot take.

    Returns, for each aggregate of indicators with a child value ``<= 0`` (missing values
    aside), ``{child: [units]}``; empty for an arithmetic or ``p > 0`` mean. Only aggregates of
    indicators are checked: a power mean of positive values is positive.
    """
    exponent = AGGREGATE_P.get(method, p)
    if exponent > 0:
        return {}
    indicators = hierarchy.loc[hierarchy["kind"] == "indicator", "code"].tolist()
    wide = to_wide(data, indicators)
    bad = wide <= 0
    found: dict[str, dict[str, list[str]]] = {}
    kind = dict(zip(hierarchy["code"], hierarchy["kind"], strict=True))
    for code in hierarchy.loc[hierarchy["kind"] == "aggregate", "code"]:
        kids = hierarchy.loc[hierarchy["parent"] == code, "code"]
        kids = [k for k in kids if kind[k] == "indicator" and bad[k].any()]
        if kids:
            found[code] = {
                k: [str(u[-1] if isinstance(u, tuple) else u) for u in wide.index[bad[k]]]
                for k in kids
            }
    return found


def nonpositive_problems(
    found: dict[str, dict[str, list[str]]], method: str, locate=None
) -> list[Problem]:
    """One located problem per aggregate of :func:`nonpositive_inputs`.

    ``locate(code, kind, message)`` returns a located :class:`Problem` (e.g.
    :meth:`IndexDefinition.problem`); default: located by the key ``aggregate.<code>`` only.
    """
    out = []
    for code, kids in found.items():
        parts = []
        for kid, units in kids.items():
            shown = ", ".join(units[:5]) + (f" and {len(units) - 5} more" if len(units) > 5 else "")
            parts.append(f"'{kid}' of {shown}")
        message = (
            f"aggregate '{code}': a {method} mean needs values > 0, but there are values <= 0"
            f" in {'; '.join(parts)}; normalise to a positive range (e.g. min-max to [1, 100])"
            " or aggregate arithmetically"
        )
        if locate is None:
            out.append(
                Problem(
                    "framework", None, None, ProblemCode.OUT_OF_RANGE, message, f"aggregate.{code}"
                )
            )
        else:
            out.append(locate(code, ProblemCode.OUT_OF_RANGE, message))
    return out


def aggregate(
    data: pd.DataFrame,
    hierarchy: pd.DataFrame,
    *,
    method: str = "arithmetic",
    p: float = 1.0,
    weigher: Callable[[pd.DataFrame, str, int], dict[str, float] | None] | None = None,
) -> pd.DataFrame:
    """Aggregate normalised indicators up the hierarchy, level by level.

    Parameters
    ----------
    data : pandas.DataFrame
        Long frame of the normalised indicators.
    hierarchy : pandas.DataFrame
        ``code, kind, parent, level, weight`` (:attr:`IndexDefinition.hierarchy`).
    method : {"arithmetic", "geometric", "harmonic", "generalised"}
        The mean at every level (:func:`generalised_mean`); ``p`` for ``generalised``.
    weigher : callable, optional
        ``weigher(children_wide, parent, level)`` returning the children's weights, or None to
        keep the hierarchy's; called for each parent (data-driven weights).

    Returns
    -------
    pandas.DataFrame
        Long frame of the indicators followed by every aggregate, by level (COINr's
        ``Aggregated`` data set).

    Raises
    ------
    InputError
        Before any computation, for a mean with ``p <= 0`` over values ``<= 0``
        (:func:`nonpositive_inputs`).
    """
    exponent = AGGREGATE_P.get(method, p)
    if method not in (*AGGREGATE_P, "generalised"):
        raise ValueError(f"unknown aggregation method '{method}'")
    found = nonpositive_inputs(data, hierarchy, method=method, p=p)
    if found:
        raise InputError(nonpositive_problems(found, method))
    indicators = hierarchy.loc[hierarchy["kind"] == "indicator", "code"].tolist()
    wide = to_wide(data, indicators)
    weight = dict(zip(hierarchy["code"], hierarchy["weight"], strict=True))
    aggregates = hierarchy[hierarchy["kind"] == "aggregate"].sort_values("level", kind="stable")
    columns = {c: wide[c] for c in wide.columns}
    for code, level in zip(aggregates["code"], aggregates["level"], strict=True):
        kids = hierarchy.loc[hierarchy["parent"] == code, "code"].tolist()
        block = pd.DataFrame({k: columns[k] for k in kids}, index=wide.index)
        w = {k: weight[k] for k in kids}
        if weigher is not None:
            w = weigher(block, code, int(level)) or w
        columns[code] = pd.Series(
            generalised_mean(block.to_numpy(), np.array([w[k] for k in kids]), exponent),
            index=wide.index,
        )
    return to_long(pd.DataFrame(columns, index=wide.index))


def rank_scores(scores: pd.Series) -> pd.Series:
    """Ranks of scores: 1 the highest, ties share the smallest rank; NaN gets no rank (Int64)."""
    return scores.rank(ascending=False, method="min").astype("Int64")


def topsis(data: pd.DataFrame, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """TOPSIS: closeness to the ideal solution, an alternative ranking of the units.

    On normalised indicators (higher is better) ``x_ij``: vector normalisation
    ``r_ij = x_ij / sqrt(sum_i x_ij^2)``, weighting ``v_ij = w_j r_ij`` (weights scaled to sum
    1, default equal), ideal ``v+_j = max_i v_ij`` and anti-ideal ``v-_j = min_i v_ij``,
    distances ``S+_i = ||v_i - v+||``, ``S-_i = ||v_i - v-||``, closeness
    ``C_i = S-_i / (S+_i + S-_i)`` (0.5 when both are 0). Units with a missing value are left
    out (complete cases).

    Returns
    -------
    pandas.DataFrame
        ``unit, closeness, rank`` (rank 1 = highest closeness, ties share the smallest rank).

    References
    ----------
    Hwang, C. L. and Yoon, K. (1981). *Multiple Attribute Decision Making*. Springer.
    """
    wide = to_wide(data).dropna()
    x = wide.to_numpy(dtype=float)
    w = np.array([1.0 if weights is None else weights[c] for c in wide.columns])
    w = w / w.sum()
    norm = np.sqrt((x**2).sum(axis=0))
    r = np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)
    v = r * w
    s_plus = np.sqrt(((v - v.max(axis=0)) ** 2).sum(axis=1))
    s_minus = np.sqrt(((v - v.min(axis=0)) ** 2).sum(axis=1))
    total = s_plus + s_minus
    closeness = np.divide(s_minus, total, out=np.full_like(total, 0.5), where=total > 0)
    out = pd.DataFrame({"unit": wide.index.to_numpy(), "closeness": closeness})
    out["rank"] = rank_scores(out["closeness"])
    return out
