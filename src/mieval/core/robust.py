r"""Robust spread and z-scores: the one place where a value's distance from the median of its
group is measured in robust standard deviations.

Plain numpy, no Django. Two users: the peer test of the data checks
(:mod:`mieval.core.checks.outliers`, :math:`Q_n` or MAD scale with small-sample factors) and the
outlying scorers of the expert panels (:func:`mieval.core.panels.scoring.scorers_flag`,
Iglewicz and Hoaglin's modified z-score). Both fall back on the mean absolute deviation
(:func:`meanad_scale`) where the first scale is 0 and both turn a deviation into a z-score with
:func:`robust_z`, which says what a scale of 0 means.

Naming: ``*_scale(x)`` estimates the standard deviation of normal data from a sample;
``*_factor(n)`` is a small-sample correction; ``robust_z`` and ``modified_z`` return z-scores.

References
----------
B. Iglewicz and D. C. Hoaglin (1993), *How to Detect and Handle Outliers*, ASQC Quality Press,
section 3 (the modified z-score :math:`0.6745 (x - \tilde x) / \mathrm{MAD}` and the 3.5 cut-off).
P. J. Rousseeuw and C. Croux (1993), "Alternatives to the median absolute deviation", *Journal
of the American Statistical Association* 88(424), 1273-1283 (:math:`Q_n`, constant 2.2219).
C. Croux and P. J. Rousseeuw (1992), "Time-efficient algorithms for two highly robust estimators
of scale", *Computational Statistics* 1, 411-428 (the small-sample factors :math:`d_n` and
:math:`b_n`, as in R's robustbase).
IBM's MAD = 0 fallback with 1.253314 · MeanAD, as quoted in
https://stats.stackexchange.com/q/339932.
"""

import math

import numpy as np

#: Qn's consistency constant for the normal distribution, 1 / (sqrt(2) Phi^-1(5/8)).
QN_CONSTANT = 2.2219
#: Qn's small-sample factors d_n for n <= 9 (Croux and Rousseeuw 1992).
QN_SMALL = {2: 0.399, 3: 0.994, 4: 0.512, 5: 0.844, 6: 0.611, 7: 0.857, 8: 0.669, 9: 0.872}
#: The MAD's consistency constant for the normal distribution, 1 / Phi^-1(3/4).
MAD_CONSTANT = 1.482602218505602
#: The MAD's small-sample factors b_n for n <= 9 (Croux and Rousseeuw 1992).
MAD_SMALL = {2: 1.196, 3: 1.495, 4: 1.363, 5: 1.206, 6: 1.200, 7: 1.140, 8: 1.129, 9: 1.107}
#: The mean absolute deviation's constant for the normal distribution, sqrt(pi / 2).
MEANAD_CONSTANT = 1.253314
#: Iglewicz and Hoaglin's constant of the modified z-score, Phi^-1(3/4) to four places.
MODIFIED_Z_CONSTANT = 0.6745


def qn_factor(n: int) -> float:
    """Qn's small-sample factor :math:`d_n`: tabulated for :math:`n \\le 9`, else
    :math:`n / (n + 1.4)` for odd and :math:`n / (n + 3.8)` for even :math:`n`."""
    if n in QN_SMALL:
        return QN_SMALL[n]
    return n / (n + 1.4) if n % 2 else n / (n + 3.8)


def mad_factor(n: int) -> float:
    """The MAD's small-sample factor :math:`b_n`: tabulated for :math:`n \\le 9`, else
    :math:`n / (n - 0.8)`."""
    return MAD_SMALL.get(n, n / (n - 0.8))


def qn_scale(x) -> float:
    r"""The :math:`Q_n` scale estimator of Rousseeuw and Croux (1993), small-sample corrected.

    .. math:: Q_n = d_n \cdot 2.2219 \cdot \{|x_i - x_j|;\ i < j\}_{(k)},
              \quad k = \binom{h}{2},\ h = \lfloor n / 2 \rfloor + 1,

    the :math:`k`-th smallest of the pairwise distances; :math:`d_n` is :func:`qn_factor`.
    It estimates the standard deviation of normal data, with 82% efficiency (the MAD: 37%), and
    needs no estimate of the centre. NaN for fewer than two values.

    Examples
    --------
    The distances between 1, 2, 4, 8, 16 are 1 3 7 15 2 6 14 4 12 8, sorted 1 2 3 4 6 ...;
    h = 3, k = 3: the third smallest is 3; 0.844 * 2.2219 * 3 = 5.625851:

    >>> round(qn_scale([1, 2, 4, 8, 16]), 6)
    5.625851
    """
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    if n < 2:
        return math.nan
    i, j = np.triu_indices(n, 1)
    distances = np.abs(x[i] - x[j])
    h = n // 2 + 1
    k = h * (h - 1) // 2
    return float(qn_factor(n) * QN_CONSTANT * np.partition(distances, k - 1)[k - 1])


def mad_scale(x) -> float:
    """The median absolute deviation from the median, times 1.4826 and :func:`mad_factor`,
    which makes it estimate the standard deviation of normal data. NaN for fewer than two
    values.

    Examples
    --------
    Median 4; deviations 3 2 0 4 12, their median 3; 3 * 1.482602 * 1.206 = 5.364055:

    >>> round(mad_scale([1, 2, 4, 8, 16]), 6)
    5.364055
    """
    x = np.asarray(x, dtype=np.float64)
    if len(x) < 2:
        return math.nan
    return float(mad_factor(len(x)) * MAD_CONSTANT * np.median(np.abs(x - np.median(x))))


def meanad_scale(x) -> float:
    """:data:`MEANAD_CONSTANT` times the mean absolute deviation from the median: the scale
    that stands in where the MAD or :math:`Q_n` is 0 (more than half the values alike); 0 only
    when every value is the same. NaN values are left out (NaN when all are).

    Examples
    --------
    Seven 10s and a 100: median 10, MeanAD = 90 / 8 = 11.25; 1.253314 * 11.25 = 14.0997825:

    >>> round(meanad_scale([10] * 7 + [100]), 7)
    14.0997825
    """
    x = np.asarray(x, dtype=np.float64)
    if not np.any(~np.isnan(x)):
        return math.nan
    return float(MEANAD_CONSTANT * np.nanmean(np.abs(x - np.nanmedian(x))))


def robust_z(deviation, scale):
    """Deviations from a centre in units of a robust scale: ``deviation / scale``.

    Where the scale is 0 (every value alike), a deviation of 0 gives 0 and any other
    deviation ±inf: only a value that differs from the others stands out. NaN stays NaN.
    ``deviation`` and ``scale`` are numbers or numpy arrays of the same shape (or a scalar
    scale); returns a float array.

    Examples
    --------
    >>> robust_z(np.array([-2.0, 0.0, 3.0]), 2.0).tolist()
    [-1.0, 0.0, 1.5]
    >>> robust_z(np.array([-2.0, 0.0, 3.0, np.nan]), 0.0).tolist()
    [-inf, 0.0, inf, nan]
    """
    deviation = np.asarray(deviation, dtype=np.float64)
    scale = np.asarray(scale, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            scale == 0,
            np.where(deviation == 0, 0.0, np.sign(deviation) * np.inf),
            deviation / scale,
        )


def modified_z(x) -> np.ndarray:
    r"""Iglewicz and Hoaglin's modified z-score of each value.

    .. math:: M_i = \frac{0.6745\,(x_i - \tilde x)}{\operatorname{MAD}}, \qquad
              \operatorname{MAD} = \operatorname{med}_j |x_j - \tilde x|,

    :math:`\tilde x` the median. Where the MAD is 0 (more than half the values share the
    median), :math:`M_i = (x_i - \tilde x) / (1.253314 \cdot \text{MeanAD})`
    (:func:`meanad_scale`); where that is 0 too (every value alike), every :math:`M_i` is 0
    (:func:`robust_z`). NaN values are left out of the median and the deviations and keep a NaN
    score; all NaN gives all NaN. The usual cut-off is :math:`|M_i| > 3.5`.

    Examples
    --------
    Median 4; deviations 3 2 0 4 12, MAD 3; 0.6745 * (16 - 4) / 3 = 2.698:

    >>> [round(float(m), 6) for m in modified_z([1, 2, 4, 8, 16])]
    [-0.6745, -0.449667, 0.0, 0.899333, 2.698]

    Seven 10s and a 100: the MAD is 0; 90 / 14.0997825 = 6.383077:

    >>> [round(float(m), 6) for m in modified_z([10] * 7 + [100])]
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 6.383077]
    """
    x = np.asarray(x, dtype=np.float64)
    if not np.any(~np.isnan(x)):
        return np.full(x.shape, np.nan)
    deviation = x - np.nanmedian(x)
    mad = np.nanmedian(np.abs(deviation))
    if mad > 0:
        return MODIFIED_Z_CONSTANT * deviation / mad
    return robust_z(deviation, meanad_scale(x))
