"""The statistical audit of a built composite index (the JRC's audit, COINr's analysis and more).

Plain numpy/pandas/scipy, no Django. The audit reads one :class:`~.build.IndexBuild`: for each
aggregate, its children's scores as they enter it (the ``aggregated`` stage: normalised
indicators and aggregated scores), with the weights actually used. Units with a missing child
are left out pairwise: every figure of a pair (child, child) or (child, parent) uses the units
where both are present; Cronbach's alpha and the PCA use the pairwise covariance and
correlation matrices.

Figures (DESIGN.md, "``mieval index --audit FILE``"):

- :func:`correlation_table`: Pearson's and Spearman's correlations of every pair of children of
  an aggregate (``a``, ``b`` in the hierarchy's order) and of every child with its parent
  (``b`` is the parent).
- :func:`cronbach_table`: Cronbach's alpha of the children (not standardised),
  ``alpha = k / (k - 1) (1 - sum_j C_jj / sum_jk C_jk)`` with ``C`` the pairwise covariance
  matrix of the ``k`` children (pingouin's ``cronbach_alpha``, ``nan_policy="pairwise"``);
  undefined (NaN) for one child.
- :func:`pca_table`: principal components of the standardised children, i.e. the
  eigen-decomposition of their (pairwise) correlation matrix ``R``: ``first_share =
  lambda_1 / k`` and the loadings, the unit-length eigenvector of ``lambda_1`` (R's
  ``prcomp(scale. = TRUE)$rotation[, 1]``, as COINr's ``get_PCA``), its sign chosen so that the
  loadings sum to a positive number.
- :func:`main_effects_table`: the correlation ratio ``eta_i^2 = Var(E[Y | X_i]) / Var(Y)`` of
  each child ``X_i`` on its parent's score ``Y`` (:func:`correlation_ratio`), the importance
  shares ``eta_i^2 / sum_j eta_j^2`` over the parent's children beside the nominal weights
  rescaled to sum to 1.
- :func:`removal_table`: each node below the top gets the weight 0, the index is
  re-aggregated from the same normalised indicators with every other weight unchanged
  (COINr's ``remove_elements``), and the index ranks are compared with the nominal ones: mean
  and maximum absolute rank change over the units ranked in both.
- :func:`audit_flags`: the findings in words' reach: ``negative`` (Pearson ``r < 0``),
  ``weak`` (``0 <= r < 0.3``), ``redundant`` (``r > 0.92``, pairs of children only: a child
  should follow its parent), ``low_first_share`` (the first component explains under 60%),
  ``loads_against`` (a child's loading has the opposite sign to the others'),
  ``low_importance`` (an importance share under half the child's nominal weight share).
- :func:`weights_optimise` (optional, never applied): the weights whose importance shares come
  closest to the nominal weight shares (Becker et al. 2017).

Panel data (:func:`panel_audit`): every figure for every year, each year's build with the
weights of that year, and the change of each correlation across the years.

Data-driven weights (a ``weight`` step) are held at the values used by the build in
:func:`removal_table` and :func:`weights_optimise`: "everything else unchanged".

References
----------
Paruolo, P., Saisana, M., Saltelli, A. (2013). Ratings and rankings: voodoo or science?
*Journal of the Royal Statistical Society A* 176(3), 609-634.
Becker, W., Saisana, M., Paruolo, P., Vandecasteele, I. (2017). Weights and importance in
composite indicators: closing the gap. *Ecological Indicators* 80, 12-22.
Eilers, P. H. C., Marx, B. D. (1996). Flexible smoothing with B-splines and penalties.
*Statistical Science* 11(2), 89-121.
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
*Psychometrika* 16, 297-334.
OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, sections 4 and 7.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.interpolate import BSpline

from mieval.core.index._frames import to_wide
from mieval.core.index.aggregate import AGGREGATE_P, generalised_mean
from mieval.core.index.build import IndexBuild, index_build
from mieval.core.index.framework import IndexDefinition

CORRELATION_COLUMNS = ["parent", "a", "b", "pearson", "spearman", "n"]
CRONBACH_COLUMNS = ["code", "alpha", "n_children"]
PCA_COLUMNS = ["code", "first_share", "loadings"]
MAIN_EFFECT_COLUMNS = ["code", "parent", "nominal_weight", "correlation_ratio", "importance_share"]
REMOVAL_COLUMNS = ["code", "mean_abs_rank_change", "max_abs_rank_change"]
FLAG_COLUMNS = ["kind", "parent", "code", "other", "value"]
OPTIMISED_COLUMNS = [
    "code",
    "parent",
    "nominal_weight",
    "optimised_weight",
    "correlation_ratio",
    "importance_share",
]

#: Thresholds of the flags (OECD/JRC Handbook; the JRC's audits of the GII).
WEAK_R = 0.3
REDUNDANT_R = 0.92
FIRST_SHARE_MIN = 0.6
IMPORTANCE_RATIO_MIN = 0.5

#: The correlation ratio's smoother (see :func:`correlation_ratio`).
SPLINE_SEGMENTS_MAX = 20
SPLINE_DEGREE = 3
GCV_LOG10_LAMBDAS = np.linspace(-6.0, 8.0, 57)
GROUP_MEANS_MAX_DISTINCT = 5
MIN_UNITS = 4

#: The keys of DESIGN.md's contract, in order.
CONTRACT_KEYS = ("correlations", "cronbach", "pca", "main_effects", "removal")


@dataclass(frozen=True)
class IndexAudit:
    """The audit of one build (one year).

    Attributes
    ----------
    year : int or None
        The build's year.
    correlations, cronbach, pca, main_effects, removal, flags : pandas.DataFrame
        The frames of :func:`correlation_table`, :func:`cronbach_table`, :func:`pca_table`,
        :func:`main_effects_table`, :func:`removal_table` and :func:`audit_flags`.
    optimised : pandas.DataFrame or None
        :func:`weights_optimise`'s frame when asked for.
    """

    year: int | None
    correlations: pd.DataFrame
    cronbach: pd.DataFrame
    pca: pd.DataFrame
    main_effects: pd.DataFrame
    removal: pd.DataFrame
    flags: pd.DataFrame
    optimised: pd.DataFrame | None = None
    extra: dict = field(default_factory=dict)


# --- the structure ---------------------------------------------------------------------------


def _children(hierarchy: pd.DataFrame) -> dict[str, list[str]]:
    """Each aggregate's children in the hierarchy's order, aggregates by level (lowest first)."""
    aggregates = hierarchy[hierarchy["kind"] == "aggregate"].sort_values("level", kind="stable")
    return {
        code: hierarchy.loc[hierarchy["parent"] == code, "code"].tolist()
        for code in aggregates["code"]
    }


def _scores_wide(build: IndexBuild, hierarchy: pd.DataFrame) -> pd.DataFrame:
    """Units x every node: the children's scores as they enter their aggregate."""
    return to_wide(build.stages["aggregated"], hierarchy["code"].tolist())


def _nominal_weights(build: IndexBuild, hierarchy: pd.DataFrame) -> dict[str, float]:
    weights = dict(zip(hierarchy["code"], hierarchy["weight"], strict=True))
    weights.update(zip(build.weights["code"], build.weights["weight"], strict=True))
    return {c: float(w) for c, w in weights.items()}


def _rescaled(values: list[float]) -> list[float]:
    total = float(np.nansum(values))
    if not total > 0:
        return [math.nan] * len(values)
    return [float(v) / total for v in values]


# --- correlations, alpha, PCA ----------------------------------------------------------------


def correlation_table(wide: pd.DataFrame, hierarchy: pd.DataFrame) -> pd.DataFrame:
    """Pearson's and Spearman's correlations within each aggregate and with the parent.

    Parameters
    ----------
    wide : pandas.DataFrame
        Units x nodes (every indicator and aggregate).
    hierarchy : pandas.DataFrame
        :attr:`IndexDefinition.hierarchy`.

    Returns
    -------
    pandas.DataFrame
        ``parent, a, b, pearson, spearman, n``: for each aggregate (lowest level first), every
        pair of its children (``a`` before ``b`` in the hierarchy's order), then every child
        with the aggregate itself (``b`` = ``parent``); ``n`` the units with both present.
        Pairwise deletion; a pair with fewer than 3 units or a constant member is NaN.
    """
    rows = []
    for parent, kids in _children(hierarchy).items():
        block = wide[[*kids, parent]]
        present = block.notna().to_numpy().astype(float)
        counts = present.T @ present
        pearson = _pairwise_corr(block, "pearson")
        spearman = _pairwise_corr(block, "spearman")
        pairs = [(kids[i], kids[j]) for i in range(len(kids)) for j in range(i + 1, len(kids))]
        pairs += [(k, parent) for k in kids]
        position = {c: i for i, c in enumerate([*kids, parent])}
        for a, b in pairs:
            i, j = position[a], position[b]
            n = int(counts[i, j])
            ok = n >= 3
            rows.append(
                (
                    parent,
                    a,
                    b,
                    float(pearson[i, j]) if ok else math.nan,
                    float(spearman[i, j]) if ok else math.nan,
                    n,
                )
            )
    return pd.DataFrame(rows, columns=CORRELATION_COLUMNS)


def _pairwise_corr(block: pd.DataFrame, method: str) -> np.ndarray:
    # pandas' pairwise-complete correlations (Spearman: ranks of each pair's complete units)
    return block.corr(method=method, min_periods=3).to_numpy(dtype=float)


def cronbach_table(wide: pd.DataFrame, hierarchy: pd.DataFrame) -> pd.DataFrame:
    """Cronbach's alpha of each aggregate's children (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        ``code, alpha, n_children`` for each aggregate, lowest level first.
    """
    rows = []
    for parent, kids in _children(hierarchy).items():
        k = len(kids)
        alpha = math.nan
        if k >= 2:
            c = wide[kids].cov(min_periods=2).to_numpy(dtype=float)
            total = c.sum()
            if np.isfinite(c).all() and total > 0:
                alpha = k / (k - 1) * (1 - np.trace(c) / total)
        rows.append((parent, float(alpha), k))
    return pd.DataFrame(rows, columns=CRONBACH_COLUMNS)


def pca_table(wide: pd.DataFrame, hierarchy: pd.DataFrame) -> pd.DataFrame:
    """The first principal component of each aggregate's standardised children.

    Returns
    -------
    pandas.DataFrame
        ``code, first_share, loadings`` (a dict child -> loading) for each aggregate, lowest
        level first. NaN shares and loadings where the correlation matrix is not defined (a
        constant child, fewer than 3 units in a pair); an aggregate with one child has share 1.
    """
    rows = []
    for parent, kids in _children(hierarchy).items():
        r = _pairwise_corr(wide[kids], "pearson")
        if not np.isfinite(r).all():
            rows.append((parent, math.nan, {k: math.nan for k in kids}))
            continue
        values, vectors = np.linalg.eigh(r)
        first = int(np.argmax(values))
        v = vectors[:, first]
        if v.sum() < 0:
            v = -v
        share = float(values[first] / len(kids))
        rows.append((parent, share, {k: float(x) for k, x in zip(kids, v, strict=True)}))
    return pd.DataFrame(rows, columns=PCA_COLUMNS)


# --- main effects ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Smoother:
    """A fitted penalised spline of ``y`` on ``x`` as a linear operator ``fitted = Q f Q^T y``.

    ``rows`` are the units used (both present), ``q`` the orthonormal Demmler-Reinsch basis,
    ``shrink`` the factors ``1 / (1 + lambda s_j)`` at the chosen ``lambda``; for few distinct
    ``x`` (group means) ``q`` holds the normalised group indicators and ``shrink`` is 1.
    """

    rows: np.ndarray
    q: np.ndarray
    shrink: np.ndarray

    def fitted(self, y: np.ndarray) -> np.ndarray:
        return self.q @ (self.shrink * (self.q.T @ y))

    def ratio(self, y: np.ndarray) -> float:
        """``var(fitted) / var(y)`` over ``rows`` of ``y`` (all units), NaN for a constant y.

        ``Q`` is orthonormal and the fit keeps the mean (constants are not penalised), so with
        ``y`` centred ``n var(fitted) = |f Q^T y|^2``, no n-vector built; centring first keeps
        the mean's square out of a difference of large numbers.
        """
        ys = y[self.rows]
        if np.isnan(ys).any():
            return math.nan
        centred = ys - ys.mean()
        total = centred @ centred
        if not total > 1e-24 * max(ys @ ys, 1e-300):
            return math.nan
        fit = self.shrink * (self.q.T @ centred)
        return float((fit @ fit) / total)


def _demmler_reinsch(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The penalised-spline basis of ``x`` in Demmler-Reinsch form: ``Q`` (n x m) and ``s`` (m).

    With the cubic B-spline design ``B`` (clamped knots at quantiles of the distinct values, so
    that every segment holds data and ``B^T B`` is well conditioned) and the penalty
    ``P = D^T D`` of the coefficients' second divided differences over their Greville
    abscissae (zero exactly for a straight line): with ``B^T B = R^T R`` and
    ``R^-T P R^-1 = U diag(s) U^T``, ``Q = B R^-1 U`` has orthonormal columns and the smoother
    of ``lambda``, ``B (B^T B + lambda P)^-1 B^T``, is ``Q diag(1 / (1 + lambda s)) Q^T``.
    """
    lo, hi = float(x.min()), float(x.max())
    t = (x - lo) / (hi - lo)
    distinct = np.unique(t)
    nseg = int(min(SPLINE_SEGMENTS_MAX, max(1, len(distinct) // 3)))
    k = SPLINE_DEGREE
    inner = np.quantile(distinct, np.linspace(0.0, 1.0, nseg + 1))
    inner[0], inner[-1] = 0.0, 1.0
    knots = np.concatenate([np.zeros(k), inner, np.ones(k)])
    basis = BSpline.design_matrix(t, knots, k).toarray()
    m = basis.shape[1]
    greville = np.array([knots[j + 1 : j + k + 1].mean() for j in range(m)])
    slopes = np.diff(np.eye(m), axis=0) / np.diff(greville)[:, None]
    d = np.diff(slopes, axis=0)
    # B = W diag(c) V^T (thin SVD, directions with c below 1e-10 c_max dropped): then
    # B^T B = R^T R with R = diag(c) V^T, and Q = B R^-1 U = W U is orthonormal to rounding
    w, c, vt = np.linalg.svd(basis, full_matrices=False)
    keep = c > 1e-10 * c[0]
    w, c, vt = w[:, keep], c[keep], vt[keep]
    r_inv = vt.T / c[None, :]
    penalty = r_inv.T @ (d.T @ d) @ r_inv
    s, u = np.linalg.eigh((penalty + penalty.T) / 2)
    # the null space (straight lines) is exactly unpenalised: rounding left ~1e-11 there
    s = np.where(s > 1e-9 * s.max(), s, 0.0)
    q = w @ u
    return q, s


def _smoother(x: np.ndarray, y: np.ndarray) -> _Smoother | None:
    """The smoother of ``y`` on ``x`` over the units with both present (None: too few)."""
    rows = np.flatnonzero(~(np.isnan(x) | np.isnan(y)))
    if len(rows) < MIN_UNITS:
        return None
    xs, ys = x[rows], y[rows]
    distinct = np.unique(xs)
    if len(distinct) < 2:
        return None
    if len(distinct) <= GROUP_MEANS_MAX_DISTINCT:
        groups = (xs[:, None] == distinct[None, :]).astype(float)
        q = groups / np.sqrt(groups.sum(axis=0))
        return _Smoother(rows, q, np.ones(len(distinct)))
    q, s = _demmler_reinsch(xs)
    centred = ys - ys.mean()
    c = q.T @ centred
    base = float(centred @ centred - c @ c)  # the part of y outside the spline space
    n = len(rows)
    scale = 1.0 / max(float(s.max()), 1e-300)
    shrink = 1.0 / (1.0 + (10.0**GCV_LOG10_LAMBDAS * scale)[:, None] * s[None, :])
    rss = max(base, 0.0) + ((c[None, :] * (1.0 - shrink)) ** 2).sum(axis=1)
    edf = shrink.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        gcv = np.where(edf < n - 1, n * rss / (n - edf) ** 2, np.inf)
    if not np.isfinite(gcv).any():
        return None
    # among equal scores, the smoothest fit (the largest lambda)
    best = len(gcv) - 1 - int(np.argmin(gcv[::-1]))
    return _Smoother(rows, q, shrink[best])


def correlation_ratio(x, y) -> float:
    """Pearson's correlation ratio ``eta^2 = Var(E[Y | X]) / Var(Y)``, estimated by a smoother.

    The estimator: ``E[Y | X]`` is fitted by a penalised cubic regression spline (a P-spline,
    Eilers & Marx 1996) on the units where both are present: ``x`` is rescaled to [0, 1], the
    cubic B-spline basis has ``min(20, max(1, floor(d / 3)))`` segments for ``d`` distinct
    values of ``x``, their bounds at quantiles of the distinct values (every segment holds
    data), the penalty is the sum of squared second divided differences of the coefficients
    over their Greville abscissae (so a straight line is not penalised), and the smoothing
    parameter is the one
    of 57 values ``lambda = 10^-6 ... 10^8`` (times ``1 / max s_j``, the penalty's scale in the
    Demmler-Reinsch basis) minimising the generalised cross-validation score
    ``GCV = n RSS / (n - edf)^2`` (Craven & Wahba 1979). Then ``eta^2 = var(fitted) / var(y)``
    (both over the same units; the fit has the mean of ``y``). Where ``x`` takes at most 5
    distinct values, ``E[Y | X]`` is the mean of ``y`` within each value (Pearson's original
    estimator). This is the non-parametric estimate of the first-order main effect used by
    Paruolo et al. (2013) and Becker et al. (2017), who also fit penalised splines.

    Returns NaN for fewer than 4 units with both values, a constant ``x`` or a constant ``y``.

    A linear aggregate ``Y = sum_j w_j X_j`` of independent children with equal variances has
    ``eta_i^2 = w_i^2 / sum_j w_j^2``; the Ishigami function has known first-order indices:
    both are tested (``tests/test_audit.py``) with their tolerances.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    smoother = _smoother(x, y)
    return math.nan if smoother is None else smoother.ratio(y)


def main_effects_table(
    wide: pd.DataFrame, hierarchy: pd.DataFrame, weights: dict[str, float]
) -> pd.DataFrame:
    """Each child's correlation ratio on its parent's score and its importance share.

    Parameters
    ----------
    wide : pandas.DataFrame
        Units x nodes.
    hierarchy : pandas.DataFrame
        :attr:`IndexDefinition.hierarchy`.
    weights : dict of str to float
        The weights used (after any weight step).

    Returns
    -------
    pandas.DataFrame
        ``code, parent, nominal_weight, correlation_ratio, importance_share`` for every node
        below the top, by parent (lowest level first) and the hierarchy's order:
        ``nominal_weight`` is the weight rescaled to sum to 1 over the siblings,
        ``importance_share`` the correlation ratio rescaled likewise (NaN for all siblings
        when one ratio is NaN).
    """
    rows = []
    for parent, kids in _children(hierarchy).items():
        y = wide[parent].to_numpy(dtype=float)
        ratios = [correlation_ratio(wide[k].to_numpy(dtype=float), y) for k in kids]
        shares = _rescaled(ratios) if all(np.isfinite(ratios)) else [math.nan] * len(kids)
        nominal = _rescaled([weights[k] for k in kids])
        for k, w, r, s in zip(kids, nominal, ratios, shares, strict=True):
            rows.append((k, parent, w, r, s))
    return pd.DataFrame(rows, columns=MAIN_EFFECT_COLUMNS)


# --- removal ---------------------------------------------------------------------------------


def _aggregate_all(
    indicators: dict[str, np.ndarray],
    children: dict[str, list[str]],
    weights: dict[str, float],
    p: float,
) -> dict[str, np.ndarray]:
    """Every aggregate's scores from the indicators' columns, weights fixed."""
    columns = dict(indicators)
    for parent, kids in children.items():
        block = np.column_stack([columns[k] for k in kids])
        columns[parent] = generalised_mean(block, np.array([weights[k] for k in kids]), p)
    return columns


def _ranks(scores: np.ndarray) -> np.ndarray:
    """:func:`~.aggregate.rank_scores` on an array (float, NaN without a rank)."""
    return stats.rankdata(-scores, method="min", nan_policy="omit").astype(float)


def removal_table(
    wide: pd.DataFrame,
    hierarchy: pd.DataFrame,
    weights: dict[str, float],
    *,
    index: str,
    p: float = 1.0,
) -> pd.DataFrame:
    """The index ranks' change when one node's weight is set to 0 (COINr's ``remove_elements``).

    For every node below ``index`` (indicators first, then aggregates by level, the
    hierarchy's order), the index is re-aggregated from the indicators of ``wide`` with that
    node's weight 0 and every other weight and the mean (exponent ``p``, see
    :func:`~.aggregate.generalised_mean`) unchanged; the change is the absolute difference of
    each unit's index rank from the nominal one (ranks as everywhere: 1 highest, ties share the
    smallest), over the units with a rank in both.

    Returns
    -------
    pandas.DataFrame
        ``code, mean_abs_rank_change, max_abs_rank_change`` (NaN where no unit is ranked in
        both).
    """
    children = _children(hierarchy)
    indicators = {
        c: wide[c].to_numpy(dtype=float)
        for c in hierarchy.loc[hierarchy["kind"] == "indicator", "code"]
    }
    nominal = _ranks(_aggregate_all(indicators, children, weights, p)[index])
    rows = []
    for code in hierarchy.loc[hierarchy["code"] != index, "code"]:
        changed = _aggregate_all(indicators, children, {**weights, code: 0.0}, p)[index]
        changed = _ranks(changed)
        both = ~(np.isnan(nominal) | np.isnan(changed))
        if both.any():
            d = np.abs(changed[both] - nominal[both])
            rows.append((code, float(d.mean()), float(d.max())))
        else:
            rows.append((code, math.nan, math.nan))
    return pd.DataFrame(rows, columns=REMOVAL_COLUMNS)


# --- flags -----------------------------------------------------------------------------------


def audit_flags(
    correlations: pd.DataFrame, pca: pd.DataFrame, main_effects: pd.DataFrame
) -> pd.DataFrame:
    """The audit's flags (thresholds in the module docstring), one row per finding.

    Returns
    -------
    pandas.DataFrame
        ``kind, parent, code, other, value``: ``negative``, ``weak``, ``redundant`` (``code``
        and ``other`` the pair, ``value`` Pearson's r; a child with its parent has ``other`` =
        ``parent`` and is never ``redundant``), ``low_first_share`` (``code`` the aggregate,
        ``value`` the share), ``loads_against`` (``code`` the child, ``value`` its loading),
        ``low_importance`` (``code`` the child, ``value`` its importance share). Correlation
        flags first, in the order of ``correlations``.
    """
    rows = []
    for r in correlations.itertuples(index=False):
        if not np.isfinite(r.pearson):
            continue
        with_parent = r.b == r.parent
        if r.pearson < 0:
            kind = "negative"
        elif r.pearson < WEAK_R:
            kind = "weak"
        elif r.pearson > REDUNDANT_R and not with_parent:
            kind = "redundant"
        else:
            continue
        rows.append((kind, r.parent, r.a, r.b, float(r.pearson)))
    for r in pca.itertuples(index=False):
        if np.isfinite(r.first_share) and len(r.loadings) > 1 and r.first_share < FIRST_SHARE_MIN:
            rows.append(("low_first_share", r.code, r.code, None, float(r.first_share)))
        for child, loading in r.loadings.items():
            if np.isfinite(loading) and loading < 0:
                rows.append(("loads_against", r.code, child, None, float(loading)))
    for r in main_effects.itertuples(index=False):
        if (
            np.isfinite(r.importance_share)
            and r.nominal_weight > 0
            and r.importance_share < IMPORTANCE_RATIO_MIN * r.nominal_weight
        ):
            rows.append(("low_importance", r.parent, r.code, None, float(r.importance_share)))
    frame = pd.DataFrame(rows, columns=FLAG_COLUMNS)
    frame["other"] = frame["other"].astype(object).where(frame["other"].notna(), None)
    return frame


# --- weights optimisation --------------------------------------------------------------------


def weights_optimise(
    wide: pd.DataFrame,
    hierarchy: pd.DataFrame,
    weights: dict[str, float],
    *,
    p: float = 1.0,
    targets: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Weights whose importance shares come closest to the intended ones (Becker et al. 2017).

    For each aggregate with two or more children, separately (its children's scores as built),
    the weights ``w`` (``0 <= w_j``, rescaled to sum 1) minimise
    ``sum_j (S_j(w) - t_j)^2`` with ``S_j(w)`` the importance shares of the parent
    ``Y(w) = M_p(X; w)`` re-aggregated with ``w`` and ``t`` the target shares (default: the
    nominal weights rescaled to sum 1). Each child's smoother is fixed at its GCV fit for the
    nominal weights (a linear operator, so the objective is smooth and cheap); the search is
    SciPy's bounded Nelder-Mead from the targets. The correlation ratios reported are then
    estimated afresh (:func:`correlation_ratio`) at the optimised weights. The result is a
    proposal beside the nominal weights; nothing is applied.

    Returns
    -------
    pandas.DataFrame
        ``code, parent, nominal_weight, optimised_weight, correlation_ratio,
        importance_share`` (the last two at the optimised weights), weights rescaled to sum 1
        over siblings; aggregates with one child keep weight 1.
    """
    rows = []
    for parent, kids in _children(hierarchy).items():
        nominal = _rescaled([weights[k] for k in kids])
        target = nominal if targets is None else _rescaled([targets[k] for k in kids])
        x = wide[kids].to_numpy(dtype=float)
        y0 = wide[parent].to_numpy(dtype=float)
        best = list(nominal)
        smoothers = [_smoother(x[:, j], y0) for j in range(len(kids))]
        if len(kids) > 1 and all(s is not None for s in smoothers) and np.isfinite(target).all():
            t = np.array(target)

            def loss(w, x=x, smoothers=smoothers, t=t):
                total = w.sum()
                if not total > 0:
                    return 10.0
                y = generalised_mean(x, w / total, p)
                ratios = np.array([s.ratio(y) for s in smoothers])
                if not np.isfinite(ratios).all() or ratios.sum() <= 0:
                    return 10.0
                return float(((ratios / ratios.sum() - t) ** 2).sum())

            found = optimize.minimize(
                loss,
                x0=t,
                method="Nelder-Mead",
                bounds=[(0.0, 1.0)] * len(kids),
                options={"xatol": 1e-4, "fatol": 1e-9, "maxiter": 200 * len(kids)},
            )
            if found.fun <= loss(t):
                best = list(found.x / found.x.sum())
        y = generalised_mean(x, np.array(best), p)
        ratios = [correlation_ratio(x[:, j], y) for j in range(len(kids))]
        shares = _rescaled(ratios) if all(np.isfinite(ratios)) else [math.nan] * len(kids)
        for k, w0, w1, r, s in zip(kids, nominal, best, ratios, shares, strict=True):
            rows.append((k, parent, w0, float(w1), r, s))
    return pd.DataFrame(rows, columns=OPTIMISED_COLUMNS)


# --- the audit of a build, of a panel, as JSON -----------------------------------------------


def index_audit(
    build: IndexBuild,
    framework: IndexDefinition,
    *,
    optimise: bool = False,
    units: set | None = None,
) -> IndexAudit:
    """The statistical audit of one build (see the module docstring); ``units``: audit only
    these units of the build (e.g. those with a value in its year, in panel mode)."""
    h = framework.hierarchy
    wide = _scores_wide(build, h)
    if units is not None:
        wide = wide.loc[wide.index.isin(units)]
    weights = _nominal_weights(build, h)
    step = framework.step("aggregate")
    p = AGGREGATE_P.get(step.params["method"], step.params["p"])
    correlations = correlation_table(wide, h)
    pca = pca_table(wide, h)
    main_effects = main_effects_table(wide, h, weights)
    return IndexAudit(
        year=build.year,
        correlations=correlations,
        cronbach=cronbach_table(wide, h),
        pca=pca,
        main_effects=main_effects,
        removal=removal_table(wide, h, weights, index=framework.index, p=p),
        flags=audit_flags(correlations, pca, main_effects),
        optimised=weights_optimise(wide, h, weights, p=p) if optimise else None,
    )


def panel_audit(
    values: pd.DataFrame,
    framework: IndexDefinition,
    *,
    units: pd.DataFrame | None = None,
    years: list[int] | None = None,
    optimise: bool = False,
    progress=None,
) -> dict[int, IndexAudit]:
    """The audit of every year of a panel build (each year's build, its own weights).

    ``years`` default: every year of ``values``. ``progress(done, total)`` after each year.
    """
    if "year" not in values.columns:
        raise ValueError("a panel audit needs values with a year column")
    years = sorted(int(y) for y in pd.unique(values["year"])) if years is None else years
    out = {}
    for i, y in enumerate(years, start=1):
        build = index_build(values, framework, units=units, year=y)
        out[y] = index_audit(build, framework, optimise=optimise)
        if progress is not None:
            progress(i, len(years))
    return out


def _number(x):
    if x is None:
        return None
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return int(x)
    x = float(x)
    return x if math.isfinite(x) else None


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    out = []
    for row in frame[columns].itertuples(index=False):
        record = {}
        for c, v in zip(columns, row, strict=True):
            if isinstance(v, dict):
                record[c] = {k: _number(x) for k, x in v.items()}
            elif isinstance(v, str) or v is None:
                record[c] = v
            else:
                record[c] = _number(v)
        out.append(record)
    return out


def audit_section(audit: IndexAudit) -> dict:
    """One year's audit as DESIGN.md's JSON (plus ``flags``, and ``optimised_weights`` when
    computed); full precision, NaN as null."""
    section = {
        "correlations": _records(audit.correlations, ["parent", "a", "b", "pearson", "spearman"]),
        "cronbach": _records(audit.cronbach, CRONBACH_COLUMNS),
        "pca": _records(audit.pca, PCA_COLUMNS),
        "main_effects": _records(audit.main_effects, MAIN_EFFECT_COLUMNS),
        "removal": _records(audit.removal, REMOVAL_COLUMNS),
        "flags": _records(audit.flags, FLAG_COLUMNS),
    }
    if audit.optimised is not None:
        section["optimised_weights"] = _records(audit.optimised, OPTIMISED_COLUMNS)
    return section


def correlation_changes(audits: dict[int, IndexAudit]) -> list[dict]:
    """How each correlation changes across the years of a panel audit.

    One record per pair (in the order of the first year's table, then pairs first seen later):
    ``parent, a, b, pearson`` (``{"YEAR": r}``), ``change`` (the last year's r minus the
    first year's, over the years where it is defined) and ``range`` (max - min).
    """
    years = sorted(audits)
    series: dict[tuple, dict[str, float]] = {}
    for y in years:
        for r in audits[y].correlations.itertuples(index=False):
            series.setdefault((r.parent, r.a, r.b), {})[str(y)] = r.pearson
    out = []
    for (parent, a, b), by_year in series.items():
        defined = [by_year[str(y)] for y in years if np.isfinite(by_year.get(str(y), math.nan))]
        out.append(
            {
                "parent": parent,
                "a": a,
                "b": b,
                "pearson": {y: _number(v) for y, v in by_year.items()},
                "change": _number(defined[-1] - defined[0]) if len(defined) > 1 else None,
                "range": _number(max(defined) - min(defined)) if len(defined) > 1 else None,
            }
        )
    return out


def audit_document(audit: IndexAudit, panel: dict[int, IndexAudit] | None = None) -> dict:
    """The audit JSON of DESIGN.md.

    The contract's keys (``correlations``, ``cronbach``, ``pca``, ``main_effects``,
    ``removal``) hold the audit of the build's year; beside them ``year``, ``flags`` and, when
    computed, ``optimised_weights``. With ``panel`` (a :func:`panel_audit` of more than one
    year), ``years`` holds every year's section (``{"YEAR": {...}}``) and
    ``correlation_changes`` the :func:`correlation_changes`.
    """
    document = {"year": audit.year, **audit_section(audit)}
    if panel is not None and len(panel) > 1:
        document["years"] = {str(y): audit_section(a) for y, a in sorted(panel.items())}
        document["correlation_changes"] = correlation_changes(panel)
    return document
