r"""Outlier tests for yearly indicator values: against the base's own history and its peers.

Plain pandas/numpy, no Django. Both tests return a problems frame with the columns of
:data:`mieval.core.checks.rules.PROBLEM_COLUMNS` (``base_code, indicator_code, year, rule,
severity, message, message_zh``), sorted by base, indicator, year and rule; the inputs are
never modified. ``docs/checks.md`` says what each test assumes and how often it errs on
simulated clean data (``bench/check.py``).

The model
---------
Both tests assume the multiplicative model of yearly business data,

.. math:: x_{bt} = a_b \, g_{t} \, e^{\varepsilon_{bt}},

for the bases :math:`b` of one subcategory and one indicator: each base its own level
:math:`a_b` (bases differ several-fold; the levels are log-normal), the group a common growth
:math:`g_t`, and a small yearly noise :math:`\varepsilon_{bt}` (a few percent). On the log
scale the three parts add up, so both tests work on logarithms: a rise ×5 and a fall ÷5 weigh
the same, and a large base is not "more" of an outlier than a small one.

Against the base's own history (``outlier_history``)
----------------------------------------------------
For each base and indicator, consecutive *reported* years :math:`s < t` (a year without a value
is passed over, so 2016 is compared with 2018 when 2017 is missing) give the log ratio
:math:`l_b = \ln(x_{bt} / x_{bs})`. As in the Hidiroglou–Berthelot method that statistics offices
use for period-to-period edits, a base's ratio is judged against the ratios of the other units
of its group, so that growth common to the group (:math:`g_t / g_s`) is not taken for an
error: with :math:`\tilde l` the median log ratio of the bases of the same subcategory with the
same pair of years (when there are at least three such bases; else :math:`\tilde l = 0`),

.. math:: |l_b - \tilde l| > \ln r

is flagged (warning), ``r = max_ratio`` (default 5: more than five-fold up or down against the
group's typical change); the later year of the pair is the one flagged, the earlier being the
one already reviewed. Hidiroglou and Berthelot set the cut-off from the quartiles of the
group's ratios; with five to ten ratios a quartile is too unsteady to bound anything, so the
cut-off here is the fixed ratio, far beyond a few percent of noise and well inside a tenfold
error. Zeros: the ratio is undefined, so the shifted values are compared, uncentred,
:math:`\ln((1 + x_t) / (1 + x_s)) > \ln r`, which flags a change from 0 to a value above
:math:`r - 1` or back, as ``info`` (a zero is often real, sometimes a missing value typed as 0);
from 0 to 0 is no change. Pairs with a negative value are skipped.

Against peers (``outlier_peers``)
---------------------------------
Values are put on the log scale :math:`y = \ln(1 + x)` (the 1 keeps zeros, which are real
values). For each indicator, subcategory and year with at least ``min_size`` reporting bases,
each value's deviation from the *other* bases' median,

.. math:: e_{bt} = y_{bt} - \operatorname{median}_{c \ne b} y_{ct},

leaves the value itself out, so that an outlier does not pull the centre towards itself. The
spread of clean deviations cannot be estimated from one group of five to ten values with any
reliability, so it is estimated once per indicator over every base that reports it: the
subcategories are assumed to differ in level but to spread alike on the log scale (a relative
spread: bases several-fold apart in one subcategory are several-fold apart in another). Each
base counts once, by its position :math:`p_b = \operatorname{median}_t e_{bt}` (pooling the
years of a base would count the same base several times, and make the spread look smaller
than it is); :math:`\hat\sigma` is the :math:`Q_n` estimator of Rousseeuw and Croux (1993) of
the positions of the :math:`N` bases, with its small-sample factor :math:`d_N`
(:func:`qn_scale`); beyond :data:`QN_MAX_N` bases the MAD with its small-sample factor
(:func:`mad_scale`) takes its place, as precise there and linear in time. Where the scale is 0
(more than half the bases share one position), the mean absolute deviation
:math:`1.253314\,\mathrm{MeanAD}` is used, the fallback of IBM's software for the modified
z-score; where that is 0 as well, only a value that differs from the others' median is flagged.
The scales, their constants and the z-score are those of :mod:`mieval.core.robust`, which the
expert panels' outlying scorers share.

The score :math:`z_{bt} = e_{bt} / \hat\sigma` is compared with a cut-off that holds for
the pool's size: with a scale estimated from few bases, :math:`|z|` has far heavier tails than a
normal variable (with :math:`N = 5` and the MAD, :math:`|z| > 3.5` happens to 2.7% of clean
values, not 0.05%), so the cut-off is ``max_z`` (default 3.3, a little below the 3.5 of
Iglewicz and Hoaglin's modified z-score, so that a forty-fold outlier among widely spread
bases is found; docs/checks.md) times :math:`f_N` (:data:`PEER_CUTOFF_FACTORS`), the factor that
keeps the false-alarm probability of normal data at that of :math:`|z| > 3.5` for a normal
variable, :math:`2(1 - \Phi(3.5)) = 4.65 \cdot 10^{-4}`; :math:`f_N` was simulated (``python
bench/check.py --cutoffs``) for :math:`N \le 50` and :math:`f_{50}` is kept beyond (a little
conservative).

A base whose position is stable is not an outlier: a flagged value whose deviation differs from
the same base's deviations in its other years, :math:`|e_{bt} - \operatorname{median}_{s \ne t}
e_{bs}| \le \ln r`, by less than the history test's ratio is the base being large (or small)
as it is every year. Those are reported once per base and indicator, as ``info`` with no year;
a flagged value of a base with no other year, or one that departs from the base's other years,
is a warning.

Groups (indicator × subcategory × year) with fewer than ``min_size`` reporting bases (default
3) are not judged: each of their values gets an ``info`` note. Negative values are left out.

References
----------
M. A. Hidiroglou and J.-M. Berthelot (1986), "Statistical editing and imputation for periodic
business surveys", *Survey Methodology* 12(1), 73-83 (ratios judged against the group's median
ratio).
P. J. Rousseeuw and C. Croux (1993), "Alternatives to the median absolute deviation", *Journal
of the American Statistical Association* 88(424), 1273-1283 (:math:`Q_n`, constant 2.2219).
C. Croux and P. J. Rousseeuw (1992), "Time-efficient algorithms for two highly robust estimators
of scale", *Computational Statistics* 1, 411-428 (the small-sample factors :math:`d_n` and
:math:`b_n`, as in R's robustbase).
B. Iglewicz and D. C. Hoaglin (1993), *How to Detect and Handle Outliers*, ASQC Quality Press,
section 3 (the modified z-score and the 3.5 cut-off).
IBM's MAD = 0 fallback with 1.253314 · MeanAD, as quoted in
https://stats.stackexchange.com/q/339932.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from mieval.core.checks.rules import (
    DEFAULT_MAX_RATIO,
    Severity,
    base_positions,
    indicator_names,
    number_text,
    numbers_of,
    problems_frame,
    ratio_text,
    years_of,
    zero_change_messages,
)
from mieval.core.reference import SUBCATEGORY_BY_CODE
from mieval.core.robust import mad_scale, meanad_scale, qn_scale, robust_z

RULE_HISTORY = "outlier_history"
RULE_PEERS = "outlier_peers"

DEFAULT_MAX_Z = 3.3
DEFAULT_MIN_SIZE = 3
#: Fewest bases of a group whose median log ratio centres the history test.
HISTORY_MIN_CENTRE = 3

#: Largest pool whose spread is estimated by Qn (pairwise differences); beyond it, the MAD.
QN_MAX_N = 500

#: f_N: the peer test's cut-off is max_z * f_N for a pool of N bases (module docstring), so
#: that clean normal data exceed it as often as a normal variable exceeds 3.5. Simulated with
#: ``python bench/check.py --cutoffs`` (2e7 scores per N up to 20, seed 20261204; 5e6 from 21,
#: seed 20261205: about 1% Monte Carlo error); N > 50 uses f_50.
PEER_CUTOFF_FACTORS = {
    3: 203.167,
    4: 4.999,
    5: 6.829,
    6: 2.51,
    7: 2.733,
    8: 1.772,
    9: 1.817,
    10: 1.482,
    11: 1.503,
    12: 1.345,
    13: 1.346,
    14: 1.264,
    15: 1.267,
    16: 1.213,
    17: 1.207,
    18: 1.175,
    19: 1.17,
    20: 1.142,
    21: 1.142,
    22: 1.129,
    23: 1.122,
    24: 1.108,
    25: 1.1,
    26: 1.098,
    27: 1.09,
    28: 1.086,
    29: 1.08,
    30: 1.078,
    31: 1.071,
    32: 1.072,
    33: 1.065,
    34: 1.068,
    35: 1.055,
    36: 1.059,
    37: 1.049,
    38: 1.055,
    39: 1.046,
    40: 1.053,
    41: 1.045,
    42: 1.049,
    43: 1.04,
    44: 1.043,
    45: 1.039,
    46: 1.041,
    47: 1.036,
    48: 1.042,
    49: 1.034,
    50: 1.033,
}


def robust_scale(x) -> float:
    """The spread of the peer test's positions: :func:`qn_scale` up to :data:`QN_MAX_N`
    values, :func:`mad_scale` beyond; where it is 0, :func:`~mieval.core.robust.meanad_scale`
    (1.253314 times the mean absolute deviation from the median; 0 when every value is the
    same)."""
    x = np.asarray(x, dtype=np.float64)
    scale = qn_scale(x) if len(x) <= QN_MAX_N else mad_scale(x)
    if scale == 0:
        scale = meanad_scale(x)
    return scale


def peer_cutoff(n: int, max_z: float = DEFAULT_MAX_Z) -> float:
    """The peer test's cut-off on :math:`|z|` for a pool of ``n`` bases: ``max_z`` times
    :data:`PEER_CUTOFF_FACTORS`\\ [n] (``inf`` below 3 bases; the factor of 50 beyond 50)."""
    if n < min(PEER_CUTOFF_FACTORS):
        return math.inf
    return max_z * PEER_CUTOFF_FACTORS[min(n, max(PEER_CUTOFF_FACTORS))]


#: Largest number of groups sorted by a 16-bit key (numpy's stable sort is then a radix sort).
_RADIX_GROUPS = 1 << 16


def _dense_codes(keys: np.ndarray) -> tuple[np.ndarray, int] | None:
    """``keys - keys.min()`` and its range where that range is small enough to count on (at most
    a few times the number of keys), else None. The order of the keys is kept."""
    if not len(keys):
        return None
    low, high = int(keys.min()), int(keys.max())
    if high - low > 4 * len(keys) + 1024:
        return None
    return np.subtract(keys, low, dtype=np.int64), high - low + 1


def _key_order(codes: np.ndarray, n_groups: int) -> np.ndarray:
    """A stable order of ``codes`` (0 <= code < n_groups): a radix sort on a 16-bit copy where
    the groups allow it."""
    if n_groups <= _RADIX_GROUPS:
        return np.argsort(codes.astype(np.uint16), kind="stable")
    return np.argsort(codes, kind="stable")


def grouped_order(keys: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The order that sorts by ``keys``, then by ``y`` within each key, ties in input order
    (NaN last): ``np.lexsort((y, keys))`` with its stable ties, computed faster.

    Where the keys span a small range, the keys are sorted once (a radix sort for up to
    65,536 groups) and each group's values are laid out as a row of a NaN-padded matrix, one
    matrix per size class, sorted row by row, instead of sorting all the values twice (by
    ``y``, then by the key combined with ``y``'s rank), which is the path taken elsewhere.
    Both give the same order.
    """
    keys = np.asarray(keys)
    y = np.asarray(y, dtype=np.float64)
    n = len(y)
    present = _present_codes(keys)
    if present is not None:
        codes, sizes = present
        by_key = _key_order(codes, len(sizes))
        starts = np.cumsum(sizes) - sizes
        order = np.empty(n, dtype=np.int64)
        for members, present in _size_classes(sizes):
            width = present.shape[1]
            at = (starts[members][:, None] + np.arange(width))[present]
            padded = np.full((len(members), width), np.nan)
            padded[present] = y[by_key[at]]
            # Padding sits after a group's own values, so a stable sort keeps a group's real
            # NaNs before it and its values within the first ``size`` columns.
            within = np.argsort(padded, axis=1, kind="stable")
            del padded
            order[at] = by_key[(starts[members][:, None] + within)[present]]
        return order
    by_y = np.argsort(y, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[by_y] = np.arange(n)
    shifted = keys.astype(np.int64) - (keys.min() if n else 0)
    if not n or shifted.max() < np.iinfo(np.int64).max // n:
        return np.argsort(shifted * n + rank)
    return np.lexsort((y, keys))  # pragma: no cover - more groups than an int64 key holds


def _classes(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions of ``labels`` grouped by label, and where each label's run ends: the
    arguments of ``np.split``."""
    by_label = np.argsort(labels, kind="stable")
    return by_label, np.flatnonzero(np.diff(labels[by_label])) + 1


def _present_codes(keys: np.ndarray):
    """Codes 0 .. G - 1 of the keys present, in the keys' order, with each group's size; None
    where the keys span too wide a range to count on."""
    dense = _dense_codes(keys)
    if dense is None:
        return None
    codes, n_groups = dense
    sizes = np.bincount(codes, minlength=n_groups)
    if (sizes == 0).any():
        codes = (np.cumsum(sizes > 0) - 1)[codes]
        sizes = sizes[sizes > 0]
    return codes, sizes


def _size_classes(sizes: np.ndarray):
    """The groups by size up to the same power of two, each class with its widest group: one
    NaN-padded matrix per class wastes at most as many cells as it holds values."""
    size_class = np.ceil(np.log2(sizes)).astype(np.int64)
    for members in np.split(*_classes(size_class)):
        width = int(sizes[members].max())
        yield members, np.arange(width)[None, :] < sizes[members][:, None]


def _group_medians(keys: np.ndarray, x: np.ndarray):
    """Each element's group (0 .. G - 1, in the keys' order), each group's median of its
    non-missing values (NaN where there are none; the mean of the two middle values for an
    even count) and a row of each group."""
    present = _present_codes(keys)
    if present is not None:
        # Only sorted values are needed, not an order: each size class's matrix is sorted in
        # place, row by row (NaN last).
        group, sizes = present
        by_key = _key_order(group, len(sizes))
        starts = np.cumsum(sizes) - sizes
        median = np.full(len(sizes), np.nan)
        for members, inside in _size_classes(sizes):
            padded = np.full(inside.shape, np.nan)
            padded[inside] = x[
                by_key[(starts[members][:, None] + np.arange(inside.shape[1]))[inside]]
            ]
            padded.sort(axis=1)
            counts = (~np.isnan(padded)).sum(axis=1)
            rows = np.arange(len(members))
            lower = padded[rows, np.maximum(counts - 1, 0) // 2]
            upper = padded[rows, counts // 2]
            chosen = np.where(counts % 2 == 1, upper, (lower + upper) / 2)
            chosen[counts == 0] = np.nan
            median[members] = chosen
        return group, median, by_key[starts]
    order = grouped_order(keys, x)
    ordered, sorted_keys = x[order], keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(x)])
    counts = np.add.reduceat(~np.isnan(ordered), starts)
    # NaN sorts last: a group's values are its first ``count`` positions.
    lower = ordered[np.minimum(starts + np.maximum(counts - 1, 0) // 2, len(x) - 1)]
    upper = ordered[np.minimum(starts + counts // 2, len(x) - 1)]
    median = np.where(counts % 2 == 1, upper, (lower + upper) / 2)
    median[counts == 0] = np.nan
    group = np.empty(len(x), dtype=np.int64)
    group[order] = np.repeat(np.arange(len(starts)), sizes)
    return group, median, order[starts]


def group_median(keys: np.ndarray, x: np.ndarray) -> np.ndarray:
    """For each element, the median of the non-missing elements with the same key (NaN where
    there are none), in the order of the input: ``pd.Series(x).groupby(keys).transform("median")``
    without hashing, the mean of the two middle values for an even count.

    Examples
    --------
    >>> group_median(np.array([1, 0, 1, 0, 2]), np.array([4.0, 1.0, np.nan, 3.0, np.nan])).tolist()
    [4.0, 2.0, 4.0, 2.0, nan]
    """
    keys = np.asarray(keys)
    x = np.asarray(x, dtype=np.float64)
    if not len(x):
        return np.full(0, np.nan)
    group, median, _ = _group_medians(keys, x)
    return median[group]


def _group_counts(keys: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """For each element, how many elements share its key (those with a true ``weights``)."""
    dense = _dense_codes(keys)
    if dense is None:
        counted = pd.Series(np.ones(len(keys)) if weights is None else weights)
        return counted.groupby(keys).transform("sum").to_numpy(dtype=np.int64)
    codes, n_groups = dense
    return np.bincount(codes, weights=weights, minlength=n_groups).astype(np.int64)[codes]


def others_median(keys: np.ndarray, y: np.ndarray, *more: np.ndarray):
    r"""For each element, the median of the *other* elements with the same key (NaN where it is
    alone), in the order of the input. Further arrays in ``more`` must be in the same order as
    ``y`` within each key (an increasing function of it, such as the raw values of
    :math:`\ln(1 + x)`); their medians come from the same sort, as a tuple.

    Examples
    --------
    >>> others_median(np.array([0, 0, 0, 0, 1]), np.array([1.0, 2.0, 4.0, 9.0, 5.0])).tolist()
    [4.0, 4.0, 2.0, 2.0, nan]
    """
    keys = np.asarray(keys)
    y = np.asarray(y, dtype=np.float64)
    arrays = [y, *(np.asarray(a, dtype=np.float64) for a in more)]
    outs = [np.full(len(y), np.nan) for _ in arrays]
    if len(y):
        order = grouped_order(keys, y)  # by key, then by y
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        del sorted_keys
        sizes = np.diff(np.r_[starts, len(y)])
        # Without the element at rank r, the k-th smallest of the others is the group's k-th
        # if k < r, else its (k + 1)-th: so a group's medians of the others take at most three
        # values, by runs of ranks: r <= k_below, k_below < r <= k_middle, r > k_middle (for
        # an odd number of others the first two agree). Written out with np.repeat.
        k_middle = (sizes - 1) // 2
        k_below = np.maximum(k_middle - 1, 0)
        last = len(y) - 1
        odd, alone = (sizes - 1) % 2 == 1, sizes == 1
        runs = np.stack([k_below + 1, k_middle - k_below, sizes - 1 - k_middle], axis=1)
        runs[alone] = (1, 0, 0)
        for values, out in zip(arrays, outs, strict=True):
            ordered = values[order]

            def kth(k, ordered=ordered):
                return ordered[np.minimum(starts + k, last)]

            middle_low, middle_high = kth(k_middle + 1), kth(k_middle)  # r <= k_middle, r > k
            below_low, below_high = kth(k_below + 1), kth(k_below)
            del ordered
            medians = np.stack(
                [
                    np.where(odd, middle_low, (below_low + middle_low) / 2),
                    np.where(odd, middle_low, (below_high + middle_low) / 2),
                    np.where(odd, middle_high, (below_high + middle_high) / 2),
                ],
                axis=1,
            )
            medians[alone] = np.nan
            out[order] = np.repeat(medians.ravel(), runs.ravel())
    return outs[0] if not more else tuple(outs)


def _codes(column: pd.Series) -> pd.Categorical:
    """A code column as a categorical of text codes; a categorical column keeps its codes (no
    copy of millions of strings)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories
        if categories.dtype != object or not all(isinstance(c, str) for c in categories[:1]):
            categories = categories.astype(str)
        return pd.Categorical.from_codes(column.cat.codes.to_numpy(), categories)
    codes, uniques = pd.factorize(column.astype(str), use_na_sentinel=False)
    return pd.Categorical.from_codes(codes, pd.Index(uniques, dtype=object))


def _from_bases(bases: pd.DataFrame, column: str, positions: np.ndarray) -> pd.Categorical:
    codes, uniques = pd.factorize(bases[column].astype(str))
    return pd.Categorical.from_codes(codes[positions], pd.Index(uniques, dtype=object))


def _column_codes(column: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes of a column and how many there can be: a categorical column's own codes,
    a whole-number column's offset from its least value where its range is small, else the
    factorised codes (hashing millions of values costs more than a second)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, size = column.cat.codes.to_numpy().astype(np.int64), len(column.cat.categories)
        if (codes < 0).any():  # a missing code is a code of its own
            codes[codes < 0] = size
            size += 1
        return codes, max(size, 1)
    if pd.api.types.is_integer_dtype(column.dtype) and len(column):
        dense = _dense_codes(column.to_numpy())
        if dense is not None:
            return dense
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return codes.astype(np.int64), max(len(uniques), 1)


def _group_keys(frame: pd.DataFrame, columns) -> np.ndarray:
    """One integer key per combination of ``columns`` (equal keys, equal combinations; the
    numbering means nothing else). ``frame`` may be a mapping of names to series."""
    keys, span = None, 1
    for column in columns:
        codes, size = _column_codes(frame[column])
        if keys is None:
            keys, span = codes.astype(np.int64, copy=True), size
            continue
        if span * size >= 1 << 62:  # pragma: no cover - renumber before the key overflows
            keys, uniques = pd.factorize(keys)
            keys, span = keys.astype(np.int64), max(len(uniques), 1)
        # In place: at 20 M rows each new temporary is 160 MB of fresh pages.
        keys *= size
        keys += codes
        span *= size
    return keys


def _group_names(subcategory: str) -> tuple[str, str]:
    known = SUBCATEGORY_BY_CODE.get(subcategory)
    return (known.name_zh, known.name_en) if known else (subcategory, subcategory)


def _history_pairs(values: pd.DataFrame, bases: pd.DataFrame | None) -> dict:
    """The pairs of :func:`history_scores` as arrays, without building the frame: ``later``
    and ``earlier`` (rows of ``values``), ``value, previous, year, previous_year, log_ratio,
    n, centre, deviation``, and ``base_code, indicator_code, subcategory`` (categoricals over
    the rows of ``values``, to take the few rows reported from). At 20 M values the pairs frame
    (18 M rows, an object column) cost more than the test; the problems need a few thousand."""
    base_codes = _codes(values["base_code"])
    indicator_codes = _codes(values["indicator_code"])
    year = years_of(values["year"], "values")
    numbers = numbers_of(values["value"], "values")
    if bases is not None:
        positions = base_positions(values, bases)
        subcategory = pd.Categorical.from_codes(
            *pd.factorize(bases["subcategory"].astype(str).to_numpy(dtype=object))
        )[positions]
    else:
        subcategory = pd.Categorical([""]).take(np.zeros(len(numbers), dtype=np.int64))
    rows = np.flatnonzero(~np.isnan(numbers))
    base, n_base = _column_codes(pd.Series(base_codes, copy=False))
    indicator, n_indicator = _column_codes(pd.Series(indicator_codes, copy=False))
    dense_years = _dense_codes(year[rows])
    if dense_years is not None and n_base * n_indicator * dense_years[1] < 1 << 62:
        # One stable sort of an integer key: the order of sort_values on the three columns.
        series = base[rows] * n_indicator + indicator[rows]
        series *= dense_years[1]
        series += dense_years[0]
        rows = rows[np.argsort(series, kind="stable")]
        del series, dense_years
    else:  # pragma: no cover - years too far apart for one key
        rows = rows[
            np.lexsort((year[rows], indicator[rows], base[rows]))  # stable, like sort_values
        ]
    series = base[rows] * n_indicator + indicator[rows]
    # A missing code is no code: it pairs with nothing (as NaN != NaN).
    missing = np.asarray(base_codes.isna()) | np.asarray(indicator_codes.isna())
    same = series[1:] == series[:-1]
    del series
    if missing.any():
        same &= ~missing[rows[1:]]
    later, earlier = rows[1:][same], rows[:-1][same]
    del rows, same
    value, previous = numbers[later], numbers[earlier]
    kept = (value >= 0) & (previous >= 0)
    if not kept.all():  # filtering 18 M pairs costs four new arrays of them
        later, earlier, value, previous = later[kept], earlier[kept], value[kept], previous[kept]
    del kept
    positive = (value > 0) & (previous > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.where(positive, previous, 1.0)
        np.divide(value, log_ratio, out=log_ratio)
        np.log(log_ratio, out=log_ratio)
    log_ratio[~positive] = np.nan
    del positive
    pair_year, pair_previous_year = year[later], year[earlier]
    keys = _group_keys(
        {
            "indicator_code": pd.Series(indicator_codes.take(later), copy=False),
            "subcategory": pd.Series(subcategory.take(later), copy=False),
            "previous_year": pd.Series(pair_previous_year, copy=False),
            "year": pd.Series(pair_year, copy=False),
        },
        ["indicator_code", "subcategory", "previous_year", "year"],
    )
    n = _group_counts(keys, ~np.isnan(log_ratio))
    centre = group_median(keys, log_ratio)
    del keys
    if bases is None:
        centre[:] = 0.0
    else:
        centre[n < HISTORY_MIN_CENTRE] = 0.0
    return {
        "later": later,
        "earlier": earlier,
        "year": pair_year,
        "previous_year": pair_previous_year,
        "value": value,
        "previous": previous,
        "log_ratio": log_ratio,
        "n": n,
        "centre": centre,
        "deviation": log_ratio - centre,
        "base_code": base_codes,
        "indicator_code": indicator_codes,
        "subcategory": subcategory,
    }


def _history_frame(pairs: dict, picked: np.ndarray | None = None) -> pd.DataFrame:
    """The frame of :func:`history_scores` from :func:`_history_pairs`' arrays, of the pairs
    ``picked`` (positions among the pairs; default all)."""
    at = slice(None) if picked is None else picked
    later = pairs["later"][at]
    return pd.DataFrame(
        {
            "base_code": pairs["base_code"].take(later),
            "indicator_code": pairs["indicator_code"].take(later),
            "year": pairs["year"][at],
            "previous_year": pairs["previous_year"][at],
            "value": pairs["value"][at],
            "previous": pairs["previous"][at],
            "log_ratio": pairs["log_ratio"][at],
            "subcategory": np.asarray(pairs["subcategory"].take(later), dtype=object),
            "n": pairs["n"][at],
            "centre": pairs["centre"][at],
            "deviation": pairs["deviation"][at],
        }
    )


def history_scores(values: pd.DataFrame, bases: pd.DataFrame | None = None) -> pd.DataFrame:
    """The statistics behind :func:`outliers_history`, one row per pair of consecutive reported
    years of a base and indicator with both values non-negative.

    Returns
    -------
    pandas.DataFrame
        ``base_code, indicator_code, year`` (the later year), ``previous_year, value,
        previous``, ``log_ratio`` (NaN where a value is 0), ``subcategory`` ('' without
        ``bases``), ``n`` (bases of the group with a log ratio), ``centre`` (the group's median
        log ratio, 0 where ``n`` is below :data:`HISTORY_MIN_CENTRE`) and ``deviation``
        (``log_ratio - centre``).
    """
    return _history_frame(_history_pairs(values, bases))


def outliers_history(
    values: pd.DataFrame,
    bases: pd.DataFrame | None = None,
    *,
    max_ratio: float = DEFAULT_MAX_RATIO,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Flag values far from the same base's previous reported value (``outlier_history``),
    against the change of the base's group (module docstring).

    Parameters
    ----------
    values : pandas.DataFrame
        ``base_code, indicator_code, year, value`` (long format; NaN or a missing row is a
        missing value); one row per base, indicator and year.
    bases : pandas.DataFrame, optional
        ``code, category, subcategory``: the groups whose median change centres the test;
        without it, log ratios are judged against 0 (no common growth).
    max_ratio : float
        ``r`` above 1: flag :math:`|l_b - \\tilde l| > \\ln r` (default 5).
    indicators : pandas.DataFrame, optional
        ``code, name_zh, name_en`` for the messages (default: the twelve built in).

    Returns
    -------
    pandas.DataFrame
        Problem columns; ``year`` is the later year of the pair. Warnings for ratios, ``info``
        for changes from or to 0 (module docstring).
    """
    if not (isinstance(max_ratio, int | float) and max_ratio > 1):
        raise ValueError(f"max_ratio: {max_ratio!r} is not allowed; use a number above 1")
    pairs = _history_pairs(values, bases)
    limit = math.log(max_ratio)
    current, previous = pairs["value"], pairs["previous"]
    deviation = pairs["deviation"]
    jump = np.abs(np.nan_to_num(deviation)) > limit
    from_zero = (previous == 0) & (current > max_ratio - 1)
    to_zero = (current == 0) & (previous > max_ratio - 1)
    names = indicator_names(indicators)
    records = []
    picked = np.flatnonzero(jump | from_zero | to_zero)
    # Only the flagged pairs become rows (a few in ten thousand).
    for i, row in zip(picked, _history_frame(pairs, picked).to_dict("records"), strict=True):
        code = row["indicator_code"]
        name_zh, name_en = names.get(code, (code, code))
        y, y_before = int(row["year"]), int(row["previous_year"])
        value, before = float(row["value"]), float(row["previous"])
        gap_en = " (no value in between)" if y - y_before > 1 else ""
        gap_zh = "（期间无数据）" if y - y_before > 1 else ""
        if jump[i]:
            severity = Severity.WARNING.value
            ratio = ratio_text(value / before)
            bound = f"±{limit:.2f} (ln {number_text(max_ratio)})"
            bound_zh = f"±{limit:.2f}（ln {number_text(max_ratio)}）"
            if bases is not None and row["n"] >= HISTORY_MIN_CENTRE:
                group_zh, group_en = _group_names(row["subcategory"])
                typical = ratio_text(math.exp(row["centre"]))
                message = (
                    f"{name_en}: {number_text(value)} in {y} against {number_text(before)} in"
                    f" {y_before}{gap_en}, ×{ratio}; against the median change of the"
                    f" {row['n']} {group_en} bases (×{typical}), log ratio"
                    f" {deviation[i]:+.2f} is beyond {bound}."
                )
                message_zh = (
                    f"{name_zh}：{y}年为{number_text(value)}，{y_before}年为{number_text(before)}"
                    f"{gap_zh}，×{ratio}；相对同类（{group_zh}，{row['n']}个基地）变化的中位数"
                    f"（×{typical}），对数比{deviation[i]:+.2f}超出{bound_zh}。"
                )
            else:
                message = (
                    f"{name_en}: {number_text(value)} in {y} against {number_text(before)} in"
                    f" {y_before}{gap_en}, ×{ratio}; log ratio {deviation[i]:+.2f} is beyond"
                    f" {bound}."
                )
                message_zh = (
                    f"{name_zh}：{y}年为{number_text(value)}，{y_before}年为{number_text(before)}"
                    f"{gap_zh}，×{ratio}；对数比{deviation[i]:+.2f}超出{bound_zh}。"
                )
        else:
            severity = Severity.INFO.value
            message, message_zh = zero_change_messages(
                (name_zh, name_en), y_before, before, y, value
            )
        records.append(
            {
                "base_code": row["base_code"],
                "indicator_code": code,
                "year": y,
                "rule": RULE_HISTORY,
                "severity": severity,
                "message": message,
                "message_zh": message_zh,
            }
        )
    return problems_frame(records)


def peer_scores(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    *,
    min_size: int = DEFAULT_MIN_SIZE,
    max_z: float = DEFAULT_MAX_Z,
) -> pd.DataFrame:
    """The peer statistics behind :func:`outliers_peers`, one row per non-negative value.

    Returns
    -------
    pandas.DataFrame
        ``base_code, indicator_code, year, value, subcategory``, ``n`` (reporting
        bases in the indicator × subcategory × year group), ``others_median`` (the median of
        the other bases' raw values), ``deviation`` (:math:`e_{bt}` on :math:`\\ln(1 + x)`;
        NaN where the group is smaller than ``min_size``), ``pool`` (bases with a position for
        the indicator), ``scale`` (:math:`\\hat\\sigma` of the pool), ``z``,
        ``cutoff`` (:func:`peer_cutoff`) and ``own`` (the deviation minus the median of the
        base's deviations in its other years, for the bases and indicators with a value beyond
        the cut-off; NaN elsewhere and for a base with one year), in the order of
        ``values`` without its missing and negative values.
    """
    positions = base_positions(values, bases)
    base_codes, indicator_codes = _codes(values["base_code"]), _codes(values["indicator_code"])
    year = years_of(values["year"], "values")
    numbers = numbers_of(values["value"], "values")
    subcategory = _from_bases(bases, "subcategory", positions)
    with np.errstate(invalid="ignore"):
        kept = np.flatnonzero(numbers >= 0)  # NaN is not >= 0
    # One frame of the kept rows, not a frame of every row and then a filtered copy of it.
    frame = pd.DataFrame(
        {
            "base_code": base_codes.take(kept),
            "indicator_code": indicator_codes.take(kept),
            "year": year[kept],
            "value": numbers[kept],
            "subcategory": subcategory.take(kept),
        },
        copy=False,
    )
    del base_codes, indicator_codes, year, numbers, subcategory, kept
    y = np.log1p(frame["value"].to_numpy())
    groups = _group_keys(frame, ["indicator_code", "subcategory", "year"])
    frame["n"] = _group_counts(groups)
    judged = frame["n"].to_numpy() >= min_size
    centre, frame["others_median"] = others_median(groups, y, frame["value"].to_numpy())
    deviation = np.where(judged, y - centre, np.nan)
    frame["deviation"] = deviation
    # One position per base and indicator: the median of its deviations over the years.
    series = _group_keys(frame, ["base_code", "indicator_code"])
    pools, n_pools = _column_codes(frame["indicator_code"])
    size_of_pool, scale_of_pool = np.zeros(n_pools, dtype=np.int64), np.full(n_pools, np.nan)
    if len(frame):
        _, position, first_rows = _group_medians(series, deviation)
        first_rows = first_rows[~np.isnan(position)]
        position = position[~np.isnan(position)]
        pool_of_series = pools[first_rows]
        by_pool = np.argsort(pool_of_series, kind="stable")
        bounds = np.flatnonzero(np.diff(pool_of_series[by_pool])) + 1
        for members in np.split(by_pool, bounds) if len(by_pool) else []:
            pool = pool_of_series[members[0]]
            size_of_pool[pool] = len(members)
            scale_of_pool[pool] = _pool_scale(frame, first_rows[members], position[members])
    frame["pool"] = size_of_pool[pools]
    frame["scale"] = scale_of_pool[pools]
    scale = frame["scale"].to_numpy()
    # A scale of 0: every position alike; only a value that differs is flagged (±inf).
    z = robust_z(deviation, scale)
    frame["z"] = np.where(judged, z, np.nan)
    cutoff_of_pool = np.array([peer_cutoff(int(n), max_z) for n in size_of_pool])
    frame["cutoff"] = cutoff_of_pool[pools] if n_pools else np.zeros(0)
    # The departure from the base's other years matters only where the value is flagged: it is
    # computed for the series holding a flagged value (a few in a thousand), not for millions.
    flagged = judged & (np.abs(np.nan_to_num(frame["z"].to_numpy())) > frame["cutoff"].to_numpy())
    rows = np.flatnonzero(judged & np.isin(series, np.unique(series[flagged])))
    own = np.full(len(frame), np.nan)
    own[rows] = deviation[rows] - others_median(series[rows], deviation[rows])
    frame["own"] = own
    return frame


def _pool_scale(frame: pd.DataFrame, rows: np.ndarray, positions: np.ndarray) -> float:
    """:func:`robust_scale` of one pool's positions (``rows``: a row of ``frame`` of each).
    Only its mean absolute deviation, where the Qn or MAD is 0, depends on the order of the
    positions: there they are taken in the order of the bases' and indicators' first rows, as
    a group-by over factorised codes orders them, so the sum is rounded as it always was."""
    scale = qn_scale(positions) if len(positions) <= QN_MAX_N else mad_scale(positions)
    if scale != 0:
        return scale
    first_seen = _group_keys(
        pd.DataFrame(
            {
                "base": pd.factorize(frame["base_code"])[0],
                "indicator": pd.factorize(frame["indicator_code"])[0],
            }
        ),
        ["base", "indicator"],
    )
    return robust_scale(positions[np.argsort(first_seen[rows], kind="stable")])


def outliers_peers(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    *,
    max_z: float = DEFAULT_MAX_Z,
    min_size: int = DEFAULT_MIN_SIZE,
    max_ratio: float = DEFAULT_MAX_RATIO,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Flag values far from the same year's values of the bases of the same subcategory.

    Parameters
    ----------
    values : pandas.DataFrame
        ``base_code, indicator_code, year, value`` (long format); one row per base, indicator
        and year.
    bases : pandas.DataFrame
        ``code, category, subcategory`` of every base in ``values``.
    max_z : float
        The cut-off for a large pool (default 3.3); a pool of :math:`N` bases uses
        ``max_z`` × :math:`f_N` (:func:`peer_cutoff`).
    min_size : int
        Groups with fewer reporting bases are not judged (default 3); each of their values gets
        an ``info`` note instead.
    max_ratio : float
        A flagged value within this ratio of the base's own position in its other years is a
        stable position (default 5, the history test's ratio).
    indicators : pandas.DataFrame, optional
        ``code, name_zh, name_en`` for the messages (default: the twelve built in).

    Returns
    -------
    pandas.DataFrame
        Problem columns, ``rule`` ``outlier_peers``: warnings for outliers (message with the
        value, the other bases' median, their number, z and the cut-off), one ``info`` without
        a year per base and indicator whose flagged values are a stable position, ``info`` for
        values not judged.
    """
    if not (isinstance(max_z, int | float) and max_z > 0):
        raise ValueError(f"max_z: {max_z!r} is not allowed; use a number above 0")
    if isinstance(min_size, bool) or not isinstance(min_size, int) or min_size < 3:
        raise ValueError(f"min_size: {min_size!r} is not allowed; use a whole number of 3 or more")
    if not (isinstance(max_ratio, int | float) and max_ratio > 1):
        raise ValueError(f"max_ratio: {max_ratio!r} is not allowed; use a number above 1")
    frame = peer_scores(values, bases, min_size=min_size, max_z=max_z)
    small = (frame["n"] < min_size).to_numpy()
    z = frame["z"].to_numpy()
    flagged = ~small & (np.abs(np.nan_to_num(z)) > frame["cutoff"].to_numpy())
    own = frame["own"].to_numpy()
    stable = flagged & (np.abs(np.nan_to_num(own, nan=np.inf)) <= math.log(max_ratio))
    names = indicator_names(indicators)
    records = []
    picked = np.flatnonzero(small | (flagged & ~stable))
    for i, row in zip(picked, frame.iloc[picked].to_dict("records"), strict=True):
        code, year, n = row["indicator_code"], int(row["year"]), int(row["n"])
        name_zh, name_en = names.get(code, (code, code))
        group_zh, group_en = _group_names(row["subcategory"])
        if small[i]:
            severity = Severity.INFO.value
            message = (
                f"{name_en}, {year}: not compared with peers; group too small to judge"
                f" (n={n} {group_en} bases reported, at least {min_size} needed)."
            )
            message_zh = (
                f"{name_zh}，{year}年：同类基地过少，无法判断（{group_zh}仅{n}个基地填报，"
                f"至少需要{min_size}个）。"
            )
        else:
            severity = Severity.WARNING.value
            z_text = _z_text(z[i])
            cutoff = f"{row['cutoff']:.2f}"
            message = (
                f"{name_en}: {number_text(row['value'])} in {year} against a median of"
                f" {number_text(row['others_median'])} of the other {n - 1} {group_en} bases;"
                f" z = {z_text} on ln(1 + x) with the spread of the {row['pool']} bases"
                f" reporting it, beyond ±{cutoff}."
            )
            message_zh = (
                f"{name_zh}：{year}年为{number_text(row['value'])}，同类（{group_zh}）其他"
                f"{n - 1}个基地的中位数为{number_text(row['others_median'])}；按填报该指标的"
                f"{row['pool']}个基地的离散程度，对数尺度z分数为{z_text}，超出±{cutoff}。"
            )
        records.append(
            {
                "base_code": row["base_code"],
                "indicator_code": code,
                "year": year,
                "rule": RULE_PEERS,
                "severity": severity,
                "message": message,
                "message_zh": message_zh,
            }
        )
    steady = frame[stable].assign(z=z[stable])
    for (base, code), rows in steady.groupby(["base_code", "indicator_code"], sort=True):
        name_zh, name_en = names.get(code, (code, code))
        group_zh, group_en = _group_names(rows["subcategory"].iloc[0])
        years = ", ".join(str(int(y)) for y in sorted(rows["year"]))
        years_zh = "、".join(str(int(y)) for y in sorted(rows["year"]))
        low, high = _z_text(rows["z"].min()), _z_text(rows["z"].max())
        span = low if low == high else f"{low} to {high}"
        span_zh = low if low == high else f"{low}至{high}"
        above = rows["z"].iloc[0] > 0
        records.append(
            {
                "base_code": base,
                "indicator_code": code,
                "year": None,
                "rule": RULE_PEERS,
                "severity": Severity.INFO.value,
                "message": (
                    f"{name_en}: far {'above' if above else 'below'} the other {group_en} bases"
                    f" in {years} (z = {span} on ln(1 + x)), by about the same factor as in its"
                    " other years: a stable position, not an outlier."
                ),
                "message_zh": (
                    f"{name_zh}：{years_zh}年{'远高于' if above else '远低于'}同类（{group_zh}）"
                    f"其他基地（对数尺度z分数{span_zh}），与其他年份的差距相当：位置稳定，"
                    "不属异常值。"
                ),
            }
        )
    return problems_frame(records)


def _z_text(score: float) -> str:
    if math.isfinite(score):
        return f"{score:+.2f}"
    return "+∞" if score > 0 else "-∞"
