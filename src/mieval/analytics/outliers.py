r"""Outlier tests for yearly indicator values: against the base's own history and its peers.

Plain pandas/numpy, no Django. Both tests return a problems frame with the columns of
:data:`mieval.analytics.validation.PROBLEM_COLUMNS` (``base_code, indicator_code, year, rule,
severity, message, message_zh``), sorted by base, indicator, year and rule; the inputs are
never modified. Yearly data are few points per base, so neither test fits a model: one compares
consecutive values, the other a value with the same year's values of similar bases.

Against the base's own history (``outlier_history``)
----------------------------------------------------
For each base and indicator, consecutive *reported* years :math:`s < t` (a year without a value
is passed over, so 2016 is compared with 2018 when 2017 is missing) give the log ratio

.. math:: l_t = \ln(x_t / x_s),

flagged (warning) when :math:`|l_t| > \ln r`, ``r = max_ratio`` (default 5: more than five-fold
up or down). The log ratio treats a rise ×5 and a fall ÷5 alike. Zeros: the ratio is undefined,
so the shifted values are compared, :math:`\ln((1 + x_t) / (1 + x_s)) > \ln r`, which flags a
change from 0 to a value above :math:`r - 1` or back, as ``info`` (a zero is often real, sometimes
a missing value typed as 0); from 0 to 0 is no change. Pairs with a negative value are skipped.

Against peers (``outlier_peers``)
---------------------------------
For each indicator, subcategory and year, the values of the reporting bases are put on a log
scale, :math:`y = \ln(1 + x)` (indicator values are skewed counts and areas, spanning orders of
magnitude; the 1 keeps zeros, which are real values). With the group's median :math:`\tilde y`
and median absolute deviation :math:`\mathrm{MAD} = \operatorname{median}|y_i - \tilde y|`, the
modified z-score of Iglewicz and Hoaglin (1993) is

.. math:: M_i = \frac{0.6745\,(y_i - \tilde y)}{\mathrm{MAD}},

and :math:`|M_i| > 3.5` is flagged (warning), their recommended cut-off. 0.6745 is the 0.75
quantile of the standard normal distribution, so MAD / 0.6745 estimates the standard deviation
of normal data. Where more than half the group share one value, MAD is 0; then the mean absolute
deviation :math:`\mathrm{MeanAD} = \frac{1}{n}\sum_i |y_i - \tilde y|` takes its place,

.. math:: M_i = \frac{y_i - \tilde y}{1.253314\,\mathrm{MeanAD}},

the form IBM's statistical software uses (1.253314 ≈ :math:`\sqrt{\pi/2}` makes MeanAD
estimate the standard deviation of normal data). Where MeanAD is 0 as well, every value equals
the median and nothing is flagged (formally, a value that differed would be flagged, with
:math:`M = \pm\infty`). A group with fewer than ``min_size`` reporting bases (default 5) is not
judged: each of its values gets an ``info`` note "group too small to judge (n=3)". Negative
values are left out of the groups.

References
----------
B. Iglewicz and D. C. Hoaglin (1993), *How to Detect and Handle Outliers*, ASQC Quality Press
(The ASQC Basic References in Quality Control, vol. 16), section 3.
NIST/SEMATECH e-Handbook of Statistical Methods, section 1.3.5.17, "Detection of Outliers"
(the modified z-score and the 3.5 cut-off).
IBM's MAD = 0 fallback with 1.253314 · MeanAD, as quoted in "Iglewicz and Hoaglin outlier test
with modified z-scores - What should I do if the MAD becomes 0?",
https://stats.stackexchange.com/q/339932.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from mieval.analytics.validation import (
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
from mieval.registry.reference import SUBCATEGORY_BY_CODE

RULE_HISTORY = "outlier_history"
RULE_PEERS = "outlier_peers"

#: Iglewicz and Hoaglin's constant, the 0.75 quantile of the standard normal distribution.
MAD_FACTOR = 0.6745
#: The MeanAD form's constant, sqrt(pi / 2).
MEANAD_FACTOR = 1.253314
DEFAULT_MAX_Z = 3.5
DEFAULT_MIN_SIZE = 5


def modified_z(
    y: np.ndarray, median: np.ndarray, mad: np.ndarray, meanad: np.ndarray
) -> np.ndarray:
    """The modified z-score of each ``y`` given its group's median, MAD and MeanAD (module
    docstring): the MAD form, else the MeanAD form, else 0 or ±inf."""
    y, median, mad, meanad = (np.asarray(a, dtype=np.float64) for a in (y, median, mad, meanad))
    deviation = y - median
    with np.errstate(divide="ignore", invalid="ignore"):
        by_mad = MAD_FACTOR * deviation / mad
        by_meanad = deviation / (MEANAD_FACTOR * meanad)
        constant = np.where(deviation == 0, 0.0, np.sign(deviation) * np.inf)
    return np.where(mad > 0, by_mad, np.where(meanad > 0, by_meanad, constant))


def modified_z_scores(x) -> np.ndarray:
    """Modified z-scores of one group of values, on their own scale (no log).

    Examples
    --------
    >>> modified_z_scores([1, 2, 3, 4, 100]).round(4).tolist()
    [-1.349, -0.6745, 0.0, 0.6745, 65.4265]
    """
    x = np.asarray(x, dtype=np.float64)
    median = np.median(x)
    deviation = np.abs(x - median)
    return modified_z(x, median, np.median(deviation), deviation.mean())


def _long(values: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "base_code": values["base_code"].astype(str).to_numpy(dtype=object),
            "indicator_code": values["indicator_code"].astype(str).to_numpy(dtype=object),
            "year": years_of(values["year"], "values"),
            "value": numbers_of(values["value"], "values"),
        }
    )


def outliers_history(
    values: pd.DataFrame,
    *,
    max_ratio: float = DEFAULT_MAX_RATIO,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Flag values far from the same base's previous reported value (``outlier_history``).

    Parameters
    ----------
    values : pandas.DataFrame
        ``base_code, indicator_code, year, value`` (long format; NaN or a missing row is a
        missing value); one row per base, indicator and year.
    max_ratio : float
        ``r`` above 1: flag :math:`|\\ln(x_t / x_s)| > \\ln r` (default 5).
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
    frame = _long(values)
    frame = frame[frame["value"].notna()].sort_values(
        ["base_code", "indicator_code", "year"], kind="stable"
    )
    base = frame["base_code"].to_numpy()
    indicator = frame["indicator_code"].to_numpy()
    year = frame["year"].to_numpy()
    x = frame["value"].to_numpy()
    if len(x) < 2:
        return problems_frame([])
    same = (base[1:] == base[:-1]) & (indicator[1:] == indicator[:-1])
    current, previous = x[1:], x[:-1]
    both = same & (current >= 0) & (previous >= 0)
    positive = both & (current > 0) & (previous > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.where(positive, np.log(np.where(positive, current / previous, 1.0)), 0.0)
    limit = math.log(max_ratio)
    jump = positive & (np.abs(log_ratio) > limit)
    from_zero = both & (previous == 0) & (current > max_ratio - 1)
    to_zero = both & (current == 0) & (previous > max_ratio - 1)
    names = indicator_names(indicators)
    records = []
    for i in np.flatnonzero(jump | from_zero | to_zero):
        code = indicator[i + 1]
        name_zh, name_en = names.get(code, (code, code))
        y, y_before = int(year[i + 1]), int(year[i])
        value, before = float(current[i]), float(previous[i])
        gap_en = " (no value in between)" if y - y_before > 1 else ""
        gap_zh = "（期间无数据）" if y - y_before > 1 else ""
        if jump[i]:
            severity = Severity.WARNING.value
            ratio = ratio_text(value / before)
            message = (
                f"{name_en}: {number_text(value)} in {y} against {number_text(before)} in"
                f" {y_before}{gap_en}, ×{ratio}; log ratio {log_ratio[i]:+.2f} is beyond"
                f" ±{limit:.2f} (ln {number_text(max_ratio)})."
            )
            message_zh = (
                f"{name_zh}：{y}年为{number_text(value)}，{y_before}年为{number_text(before)}"
                f"{gap_zh}，×{ratio}；对数比{log_ratio[i]:+.2f}超出±{limit:.2f}"
                f"（ln {number_text(max_ratio)}）。"
            )
        else:
            severity = Severity.INFO.value
            message, message_zh = zero_change_messages(
                (name_zh, name_en), y_before, before, y, value
            )
        records.append(
            {
                "base_code": base[i + 1],
                "indicator_code": code,
                "year": y,
                "rule": RULE_HISTORY,
                "severity": severity,
                "message": message,
                "message_zh": message_zh,
            }
        )
    return problems_frame(records)


def peer_scores(values: pd.DataFrame, bases: pd.DataFrame) -> pd.DataFrame:
    """The peer statistics behind :func:`outliers_peers`, one row per non-negative value.

    Returns
    -------
    pandas.DataFrame
        ``base_code, indicator_code, year, value, subcategory, n`` (reporting bases in the
        group), ``median`` (of the raw values), ``log_median``, ``mad``, ``meanad`` (on
        :math:`\\ln(1 + x)`) and ``z`` (the modified z-score), in the order of ``values``.
    """
    positions = base_positions(values, bases)
    frame = _long(values)
    frame["subcategory"] = bases["subcategory"].astype(str).to_numpy(dtype=object)[positions]
    frame = frame[frame["value"].notna() & (frame["value"] >= 0)].reset_index(drop=True)
    # One integer key per group, factorised once, instead of three key columns per groupby.
    keys = np.zeros(len(frame), dtype=np.int64)
    for column in ("indicator_code", "subcategory", "year"):
        codes, uniques = pd.factorize(frame[column])
        keys = keys * len(uniques) + codes
    y = np.log1p(frame["value"])
    grouped = y.groupby(keys, sort=False)
    frame["n"] = grouped.transform("size").to_numpy(dtype=np.int64)
    frame["median"] = frame["value"].groupby(keys, sort=False).transform("median")
    frame["log_median"] = grouped.transform("median")
    deviation = (y - frame["log_median"]).abs()
    by_deviation = deviation.groupby(keys, sort=False)
    frame["mad"] = by_deviation.transform("median")
    frame["meanad"] = by_deviation.transform("mean")
    frame["z"] = modified_z(y, frame["log_median"], frame["mad"], frame["meanad"])
    return frame


def outliers_peers(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    *,
    max_z: float = DEFAULT_MAX_Z,
    min_size: int = DEFAULT_MIN_SIZE,
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
        Flag :math:`|M_i| >` ``max_z`` (default 3.5, Iglewicz and Hoaglin's recommendation).
    min_size : int
        Groups with fewer reporting bases are not judged (default 5); each of their values gets
        an ``info`` note instead.
    indicators : pandas.DataFrame, optional
        ``code, name_zh, name_en`` for the messages (default: the twelve built in).

    Returns
    -------
    pandas.DataFrame
        Problem columns, ``rule`` ``outlier_peers``: warnings for outliers (message with the
        value, the peers' median, their number and z), ``info`` for values not judged.
    """
    if not (isinstance(max_z, int | float) and max_z > 0):
        raise ValueError(f"max_z: {max_z!r} is not allowed; use a number above 0")
    if isinstance(min_size, bool) or not isinstance(min_size, int) or min_size < 3:
        raise ValueError(f"min_size: {min_size!r} is not allowed; use a whole number of 3 or more")
    frame = peer_scores(values, bases)
    small = (frame["n"] < min_size).to_numpy()
    z = frame["z"].to_numpy()
    flagged = ~small & (np.abs(z) > max_z)
    names = indicator_names(indicators)
    records = []
    columns = ["base_code", "indicator_code", "year", "value", "subcategory", "n", "median"]
    picked = frame.loc[flagged | small, columns]
    for (base, code, year, value, subcategory, n, median), is_small, score in zip(
        picked.itertuples(index=False, name=None),
        small[flagged | small],
        z[flagged | small],
        strict=True,
    ):
        name_zh, name_en = names.get(code, (code, code))
        known = SUBCATEGORY_BY_CODE.get(subcategory)
        group_zh, group_en = (known.name_zh, known.name_en) if known else (subcategory, subcategory)
        if is_small:
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
            z_text = f"{score:+.2f}" if math.isfinite(score) else ("+∞" if score > 0 else "-∞")
            message = (
                f"{name_en}: {number_text(value)} in {year} against a peer median of"
                f" {number_text(median)} ({n} {group_en} bases); modified z = {z_text} on"
                f" ln(1 + x), beyond ±{number_text(max_z)}."
            )
            message_zh = (
                f"{name_zh}：{year}年为{number_text(value)}，同类（{group_zh}，{n}个基地）中位数为"
                f"{number_text(median)}；对数尺度修正z分数为{z_text}，超出±{number_text(max_z)}。"
            )
        records.append(
            {
                "base_code": base,
                "indicator_code": code,
                "year": int(year),
                "rule": RULE_PEERS,
                "severity": severity,
                "message": message,
                "message_zh": message_zh,
            }
        )
    return problems_frame(records)
