"""Weights of the children of an aggregate: equal, AHP, entropy, CRITIC and PCA.

Plain numpy/pandas, no Django. The data-driven methods take a long frame ``unit, code, value``
of the children's (normalised) values and return a frame ``code, weight`` with the weights
summing to 1, in the order of first appearance of the codes. Units with a missing value are
left out (listwise deletion) so that every criterion is computed on the same units.

Naming: ``<method>_weights``; :func:`ahp_weights` returns an :class:`AhpResult` with the
consistency figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mieval.core.index._frames import to_wide

WEIGHT_COLUMNS = ["code", "weight"]

#: Saaty's random consistency index RI(n) for n = 1..10 (Saaty 1980, Table 1.7 as usually
#: reproduced; RI(1) = RI(2) = 0).
SAATY_RI = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}


def _frame(codes, weights) -> pd.DataFrame:
    return pd.DataFrame({"code": list(codes), "weight": np.asarray(weights, dtype=float)})


def _complete(data: pd.DataFrame) -> pd.DataFrame:
    wide = to_wide(data).dropna()
    if len(wide) < 2:
        raise ValueError("data-driven weights need at least two units with every value present")
    return wide


def equal_weights(codes: list[str]) -> pd.DataFrame:
    """``w_j = 1 / m`` for each of the ``m`` codes."""
    return _frame(codes, np.full(len(codes), 1 / len(codes)))


@dataclass(frozen=True)
class AhpResult:
    """Weights from a pairwise comparison matrix and its consistency.

    Attributes
    ----------
    weights : pandas.DataFrame
        ``code, weight``: the principal right eigenvector, scaled to sum 1.
    lambda_max : float
        The principal eigenvalue.
    ci : float
        Consistency index ``(lambda_max - n) / (n - 1)`` (0 for n <= 2).
    cr : float
        Consistency ratio ``CI / RI(n)`` (0 for n <= 2); Saaty accepts ``CR <= 0.1``.
    """

    weights: pd.DataFrame
    lambda_max: float
    ci: float
    cr: float


def ahp_weights(codes: list[str], matrix) -> AhpResult:
    """Analytic hierarchy process: weights from a reciprocal pairwise comparison matrix.

    ``a_jk`` says how much more important criterion ``j`` is than ``k`` (Saaty's 1-9 scale);
    the matrix must be positive. Only the upper triangle is read: ``a_kj = 1 / a_jk`` is
    imposed, so that a matrix typed with rounded reciprocals (0.333) is exactly reciprocal.

    ``A w = lambda_max w``; ``CI = (lambda_max - n) / (n - 1)``; ``CR = CI / RI(n)`` with
    :data:`SAATY_RI`.

    References
    ----------
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.
    Saaty, T. L. (1990). How to make a decision: the analytic hierarchy process.
    *European Journal of Operational Research* 48, 9-26.
    """
    a = np.array(matrix, dtype=float)
    n = len(codes)
    if a.shape != (n, n) or (a <= 0).any():
        raise ValueError(f"the AHP matrix must be {n} x {n} and positive")
    upper = np.triu(a, 1)
    a = upper + np.where(upper.T > 0, 1 / np.where(upper.T > 0, upper.T, 1), 0) + np.eye(n)
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lambda_max = float(values[k].real)
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    if n <= 2:
        ci = cr = 0.0
    else:
        ci = (lambda_max - n) / (n - 1)
        ri = SAATY_RI.get(n)
        if ri is None:
            raise ValueError("Saaty's random index is tabulated for n <= 10 criteria")
        cr = ci / ri
    return AhpResult(_frame(codes, w), lambda_max, float(ci), float(cr))


def entropy_weights(data: pd.DataFrame) -> pd.DataFrame:
    """Entropy weight method.

    With ``x_ij >= 0`` (unit i, criterion j, n units): ``p_ij = x_ij / sum_i x_ij``,
    ``e_j = -(1 / ln n) sum_i p_ij ln p_ij`` with ``0 ln 0 = 0``, divergence ``d_j = 1 - e_j``,
    ``w_j = d_j / sum_k d_k``. A criterion whose values are all zero has ``e_j = 1`` (no
    information); if every criterion has ``d_j = 0`` the weights are equal.

    References
    ----------
    Zeleny, M. (1982). *Multiple Criteria Decision Making*, ch. 7. McGraw-Hill.
    Zou, Z., Yun, Y., Sun, J. (2006). Entropy method for determination of weight of evaluating
    indicators in fuzzy synthetic evaluation for water quality assessment. *Journal of
    Environmental Sciences* 18(5), 1020-1023.
    """
    wide = _complete(data)
    x = wide.to_numpy(dtype=float)
    if (x < 0).any():
        raise ValueError("entropy weights need non-negative values (normalise min-max first)")
    n = x.shape[0]
    totals = x.sum(axis=0)
    p = np.divide(x, totals, out=np.zeros_like(x), where=totals > 0)
    plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0.0)
    e = np.where(totals > 0, -plogp.sum(axis=0) / np.log(n), 1.0)
    d = 1 - e
    if d.sum() <= 0:
        return equal_weights(list(wide.columns))
    return _frame(wide.columns, d / d.sum())


def critic_weights(data: pd.DataFrame) -> pd.DataFrame:
    """CRITIC (CRiteria Importance Through Intercriteria Correlation).

    The values are first rescaled to ``[0, 1]`` per criterion (min-max), then
    ``C_j = s_j sum_k (1 - r_jk)`` with ``s_j`` the sample standard deviation (n - 1) and
    ``r_jk`` Pearson's correlation, ``w_j = C_j / sum_k C_k``. A constant criterion gets 0.

    This is the paper's convention (scaling to ``[0, 1]`` between the worst and best value,
    Pearson correlation); it reproduces the weights of the paper's example (tested in
    ``tests/test_weights.py``). Sample or population standard deviation gives the same weights
    (every ``C_j`` is scaled by the same factor), so no option is needed for it.

    References
    ----------
    Diakoulaki, D., Mavrotas, G., Papayannakis, L. (1995). Determining objective weights in
    multiple criteria problems: the CRITIC method. *Computers & Operations Research* 22(7),
    763-770.
    """
    wide = _complete(data)
    x = wide.to_numpy(dtype=float)
    spread = x.max(axis=0) - x.min(axis=0)
    z = np.divide(x - x.min(axis=0), spread, out=np.zeros_like(x), where=spread > 0)
    s = z.std(axis=0, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.corrcoef(z, rowvar=False)
    r = np.nan_to_num(np.atleast_2d(r), nan=0.0)
    c = s * (1 - r).sum(axis=0)
    if c.sum() <= 0:
        return equal_weights(list(wide.columns))
    return _frame(wide.columns, c / c.sum())


def pca_weights(data: pd.DataFrame) -> pd.DataFrame:
    """Weights from the first principal component of the correlation matrix.

    ``w_j = v_j^2`` where ``v`` is the unit-length eigenvector of the correlation matrix for its
    largest eigenvalue (so ``sum w_j = 1``): the squared loadings scaled to unity sum, as in
    the OECD/JRC Handbook for a single retained factor. A constant criterion gets 0.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6.1 (weights
    from principal components / factor analysis).
    """
    wide = _complete(data)
    x = wide.to_numpy(dtype=float)
    s = x.std(axis=0, ddof=1)
    z = np.divide(x - x.mean(axis=0), s, out=np.zeros_like(x), where=s > 0)
    r = (z.T @ z) / (x.shape[0] - 1)
    values, vectors = np.linalg.eigh(r)
    v = vectors[:, int(np.argmax(values))]
    w = v**2
    return _frame(wide.columns, w / w.sum())
