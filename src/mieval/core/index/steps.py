"""The data steps of a composite index: denominate, screen, impute, treat, normalise.

Plain pandas/numpy, no Django. Every step takes a long frame ``unit, code, value`` (plus
``year`` for panel data, see :mod:`._frames`) and returns a new frame of the same columns; the
input is never modified. A cross-sectional step (screen, mean/median imputation, treatment,
normalisation outside panel mode) runs on each year separately.

Conventions pinned here (one per method; COINr 1.1.14 is the peer where it has the method):

- ``denominate``: ``x / d``; a missing or zero denominator gives a missing value.
- ``screen``: a unit is kept in a year when its share of non-missing indicator values is at
  least ``min_share`` (COINr ``Screen(dat_thresh=)`` keeps ``share >= thresh``).
- ``impute``: means and medians over the units with a value in the same year; groups with no
  value leave the gap; units without a group label are left missing. ``latest`` carries the
  last earlier value forward (no back-filling); ``linear`` interpolates between years and holds
  the end values constant outside them (R's ``approx(rule = 2)``, as COINr ``impute_panel``).
- ``treat``: COINr's default two-stage treatment, see :func:`treat`.
- ``normalise``: the direction is applied first (``x -> direction * x``) except for the ratio
  method ``frontier``; a constant indicator is mapped to the middle of the scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mieval.core.index._frames import by_year, to_long, to_wide

TREAT_SUMMARY_COLUMNS = ["code", "low", "high", "treatment", "skew", "kurt"]
TREAT_FLAGS_COLUMNS = ["unit", "code", "flag"]


# --- denominate ------------------------------------------------------------------------------


def denominate(data: pd.DataFrame, denominators: dict[str, str | None]) -> pd.DataFrame:
    """Divide each indicator by its denominator.

    Parameters
    ----------
    data : pandas.DataFrame
        Long frame holding the indicators and the denominators as codes.
    denominators : dict of str to (str or None)
        For each indicator, the code of its denominator (None: left as it is). Codes of ``data``
        not in this mapping (the denominators themselves) are dropped.

    Returns
    -------
    pandas.DataFrame
        Long frame of the indicators: ``x_i / d_i``, NaN where ``d_i`` is missing or zero.
    """
    codes = list(denominators)
    wide = to_wide(data)
    out = wide.reindex(columns=codes).copy()
    for code, denominator in denominators.items():
        if denominator is None or pd.isna(denominator):
            continue
        d = wide[denominator] if denominator in wide.columns else np.nan
        d = pd.Series(d, index=wide.index).where(lambda s: s != 0)
        out[code] = out[code] / d
    return to_long(out)


# --- screen ----------------------------------------------------------------------------------


def screen(data: pd.DataFrame, min_share: float) -> pd.DataFrame:
    """Keep the units whose share of non-missing indicator values is at least ``min_share``.

    ``share_u = #{i : x_ui not missing} / #indicators``, per year in panel data.
    """
    wide = to_wide(data)
    share = wide.notna().mean(axis=1)
    return to_long(wide.loc[share >= min_share - 1e-12])


# --- impute ----------------------------------------------------------------------------------


def impute(data: pd.DataFrame, method: str, groups: pd.Series | None = None) -> pd.DataFrame:
    """Fill missing values.

    Parameters
    ----------
    data : pandas.DataFrame
        Long frame.
    method : {"mean", "median", "group_mean", "group_median", "latest", "linear"}
        ``mean``/``median``: the indicator's mean or median over the units of the same year;
        ``group_*``: the same over the units of the same group (``groups``);
        ``latest`` and ``linear``: from the unit's own other years (panel data only).
    groups : pandas.Series, optional
        Group label of each unit (index: unit code), for the ``group_*`` methods.

    Returns
    -------
    pandas.DataFrame
        Long frame with the same rows, gaps filled where the method can fill them.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 1.4.
    """
    wide = to_wide(data)
    if method in ("mean", "median"):
        filled = by_year(wide, lambda w: w.fillna(w.agg(method)))
    elif method in ("group_mean", "group_median"):
        if groups is None:
            raise ValueError(f"impute method '{method}' needs groups")
        statistic = method.removeprefix("group_")

        def fill(w: pd.DataFrame) -> pd.DataFrame:
            labels = groups.reindex(w.index)
            centre = w.groupby(labels.to_numpy(), dropna=True).transform(statistic)
            return w.fillna(centre)

        filled = by_year(wide, fill)
    elif method in ("latest", "linear"):
        if wide.index.nlevels == 1:
            raise ValueError(f"impute method '{method}' needs panel data (a year column)")
        by_unit = wide.swaplevel().sort_index(level=["unit", "year"], sort_remaining=False)
        if method == "latest":
            filled = by_unit.groupby(level="unit", sort=False).ffill()
        else:
            filled = by_unit.groupby(level="unit", sort=False, group_keys=False).apply(
                _interpolate_unit
            )
        filled = filled.swaplevel().reindex(wide.index)
    else:
        raise ValueError(f"unknown impute method '{method}'")
    return to_long(filled)


def _interpolate_unit(frame: pd.DataFrame) -> pd.DataFrame:
    years = frame.index.get_level_values("year").to_numpy(dtype=float)
    out = frame.copy()
    for code in frame.columns:
        y = frame[code].to_numpy(dtype=float)
        known = ~np.isnan(y)
        if known.any():
            # np.interp holds the end values beyond the known years: R's approx(rule = 2).
            out[code] = np.interp(years, years[known], y[known])
    return out


# --- treat -----------------------------------------------------------------------------------


def skew(x: np.ndarray) -> float:
    """Bias-adjusted sample skewness (e1071 type 2, Excel ``SKEW``, as COINr ``skew``).

    ``G1 = g1 * sqrt(n (n - 1)) / (n - 2)``, ``g1 = sqrt(n) * sum(d^3) / sum(d^2)^(3/2)``,
    ``d = x - mean(x)``; missing values are ignored; NaN for fewer than 3 values or no spread.

    References
    ----------
    Joanes, D. N. and Gill, C. A. (1998). Comparing measures of sample skewness and kurtosis.
    *The Statistician* 47(1), 183-189.
    """
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    n = x.size
    if n < 3:
        return math.nan
    d = x - x.mean()
    m2 = np.sum(d**2)
    if m2 == 0:
        return math.nan
    g1 = math.sqrt(n) * np.sum(d**3) / m2**1.5
    return float(g1 * math.sqrt(n * (n - 1)) / (n - 2))


def kurt(x: np.ndarray) -> float:
    """Bias-adjusted sample excess kurtosis (e1071 type 2, Excel ``KURT``, as COINr ``kurt``).

    ``G2 = ((n + 1) (r - 3) + 6) (n - 1) / ((n - 2) (n - 3))``, ``r = n sum(d^4) / sum(d^2)^2``;
    missing values are ignored; NaN for fewer than 4 values or no spread.
    """
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    n = x.size
    if n < 4:
        return math.nan
    d = x - x.mean()
    m2 = np.sum(d**2)
    if m2 == 0:
        return math.nan
    r = n * np.sum(d**4) / m2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def _passes(x: np.ndarray, skew_thresh: float, kurt_thresh: float) -> bool:
    s, k = skew(x), kurt(x)
    if math.isnan(s) or math.isnan(k):
        return True  # too few values or no spread: nothing to treat
    return abs(s) < skew_thresh or k < kurt_thresh


def winsorise(
    x: np.ndarray, winmax: int, skew_thresh: float = 2.0, kurt_thresh: float = 3.5
) -> tuple[np.ndarray, np.ndarray]:
    """Winsorise one indicator as COINr 1.1.14 ``winsorise()`` does.

    While the values fail the test (``|skew| >= skew_thresh`` and ``kurt >= kurt_thresh``) and
    fewer than ``winmax`` points have been treated: if the skew is >= 0, every value equal to
    the maximum is set to the largest other value, else every value equal to the minimum to the
    smallest other value; the test is repeated after each step. The count of treated points is
    the number of positions equal to the current extreme after the last high step plus those
    after the last low step (tied points count once each).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The treated values and a flag per value: ``""``, ``"high"`` or ``"low"``.
    """
    x = np.array(x, dtype=float)
    flags = np.full(x.size, "", dtype=object)
    imax = np.array([], dtype=int)
    imin = np.array([], dtype=int)
    passing = _passes(x, skew_thresh, kurt_thresh)
    nwin = 0
    while not passing and nwin < winmax:
        present = ~np.isnan(x)
        if np.unique(x[present]).size < 2:
            break
        if skew(x) >= 0:
            top = np.nanmax(x)
            imax = np.flatnonzero(x == top)
            x[imax] = np.nanmax(np.where(x == top, np.nan, x))
        else:
            bottom = np.nanmin(x)
            imin = np.flatnonzero(x == bottom)
            x[imin] = np.nanmin(np.where(x == bottom, np.nan, x))
        nwin = imax.size + imin.size
        passing = _passes(x, skew_thresh, kurt_thresh)
    flags[imax] = "high"
    flags[imin] = "low"
    return x, flags


def log_ct(x: np.ndarray) -> np.ndarray:
    """COINr's ``log_CT``: ``ln(x - min(x) + 0.01 (max(x) - min(x)))``, missing values kept."""
    x = np.asarray(x, dtype=float)
    low, high = np.nanmin(x), np.nanmax(x)
    return np.log(x - low + 0.01 * (high - low))


@dataclass(frozen=True)
class Treated:
    """The result of :func:`treat`.

    Attributes
    ----------
    data : pandas.DataFrame
        Long frame of the treated values.
    summary : pandas.DataFrame
        One row per indicator (and year in panel data): ``[year,] code``, ``low`` and ``high``
        (int: points winsorised at each end), ``treatment`` (``"none"``,
        ``"winsorised k points"``, ``"log_ct"`` or ``"excluded"``), ``skew`` and ``kurt``
        (float: of the treated values).
    flags : pandas.DataFrame
        One row per treated value: ``[year,] unit, code, flag`` (``high``, ``low`` or
        ``log_ct``).
    """

    data: pd.DataFrame
    summary: pd.DataFrame
    flags: pd.DataFrame


def treat(
    data: pd.DataFrame,
    *,
    winmax: int = 5,
    skew_thresh: float = 2.0,
    kurt_thresh: float = 3.5,
    fallback: str = "log_ct",
    exclude: tuple[str, ...] | list[str] = (),
) -> Treated:
    """Outlier treatment, COINr 1.1.14's default ``Treat()``, indicator by indicator.

    1. Test: an indicator passes when ``|G1| < skew_thresh`` or ``G2 < kurt_thresh``
       (:func:`skew`, :func:`kurt`, bias-adjusted skew and excess kurtosis).
    2. A failing indicator is winsorised, at most ``winmax`` points (:func:`winsorise`).
    3. If it still fails, the winsorisation is discarded and ``fallback`` is applied to the
       *untreated* values: ``log_ct`` (:func:`log_ct`) or ``none``.

    The COINr reference build of the ASEM example ran this with ``winmax = 6``
    (ceiling of 10% of 51 units, the default of COINr < 1.0).

    References
    ----------
    COINr ``Treat()``, ``winsorise()``, ``log_CT()``, ``check_SkewKurt()`` (Becker et al.,
    JRC, 2022).
    """
    wide = to_wide(data)
    summaries: list[dict] = []
    flag_rows: list[dict] = []
    excluded = set(exclude)

    def one_year(w: pd.DataFrame, year=None) -> pd.DataFrame:
        out = w.copy()
        for code in w.columns:
            x = w[code].to_numpy(dtype=float)
            extra = {} if year is None else {"year": year}
            if code in excluded:
                summaries.append(_summary(extra, code, 0, 0, "excluded", x))
                continue
            treated, flags = winsorise(x, winmax, skew_thresh, kurt_thresh)
            if not _passes(treated, skew_thresh, kurt_thresh) and fallback == "log_ct":
                treated = log_ct(x)
                flags = np.where(np.isnan(x), "", "log_ct").astype(object)
                summaries.append(_summary(extra, code, 0, 0, "log_ct", treated))
            else:
                low, high = int((flags == "low").sum()), int((flags == "high").sum())
                label = "none" if low + high == 0 else f"winsorised {low + high} points"
                summaries.append(_summary(extra, code, low, high, label, treated))
            out[code] = treated
            for unit, flag in zip(w.index, flags, strict=True):
                if flag:
                    flag_rows.append({**extra, "unit": unit, "code": code, "flag": flag})
        return out

    if wide.index.nlevels == 1:
        result = one_year(wide)
        prefix: list[str] = []
    else:
        parts = [
            pd.concat({year: one_year(part.droplevel("year"), year)}, names=["year"])
            for year, part in wide.groupby(level="year", sort=False)
        ]
        result = pd.concat(parts)
        prefix = ["year"]
    summary = pd.DataFrame(summaries, columns=[*prefix, *TREAT_SUMMARY_COLUMNS])
    flags = pd.DataFrame(flag_rows, columns=[*prefix, *TREAT_FLAGS_COLUMNS])
    return Treated(to_long(result), summary, flags)


def _summary(extra: dict, code: str, low: int, high: int, label: str, x: np.ndarray) -> dict:
    return {
        **extra,
        "code": code,
        "low": low,
        "high": high,
        "treatment": label,
        "skew": skew(x),
        "kurt": kurt(x),
    }


# --- normalise -------------------------------------------------------------------------------


def normalise(
    data: pd.DataFrame,
    method: str = "minmax",
    *,
    directions: dict[str, int] | None = None,
    low: float = 0.0,
    high: float = 100.0,
    mean: float = 0.0,
    sd: float = 1.0,
    targets: dict[str, float] | None = None,
    goalposts: dict[str, tuple[float, float]] | None = None,
    panel: bool = False,
) -> pd.DataFrame:
    """Bring the indicators to a common scale, higher meaning better.

    With ``y = direction * x`` (directions default to 1) and statistics taken over the units of
    the same year (over all years and units when ``panel``):

    - ``minmax``: ``low + (high - low) (y - min y) / (max y - min y)``.
    - ``zscore``: ``mean + sd (y - mean(y)) / s(y)``, ``s`` the sample standard deviation.
    - ``rank``: the rank of ``y``, 1 the lowest, ties given their average rank.
    - ``percentile``: ``100 (r - 1) / (n - 1)``, ``r`` the average rank, ``n`` the number of
      values (the share of the other units that the unit outperforms, ties count half).
    - ``borda``: the number of units with a strictly lower ``y`` (Borda count).
    - ``goalposts``: ``high (y - g_low) / (g_high - g_low)`` clipped to ``[0, high]``, where
      the goalposts are given in the indicator's units and mapped through the direction
      (``[g_low, g_high] -> [-g_high, -g_low]`` for direction -1).
    - ``target``: distance to target, ``high (y - min y) / (t - min y)`` clipped to
      ``[0, high]``, ``t = direction * target``.
    - ``frontier``: distance to the frontier as a ratio to the best unit (values must be
      positive): ``high x / max x`` for direction 1, ``high min x / x`` for direction -1.

    A constant indicator (no spread) gets the middle of the scale in ``minmax``, ``zscore``
    (``mean``) and ``target``. Missing values stay missing and do not count in ``n``.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 1.5;
    COINr ``Normalise()`` (``n_minx``, ``n_zscore``, ``n_rank``, ``n_prank``, ``n_borda``,
    ``n_goalposts``, ``n_dist2targ``, ``n_fracmax``).
    """
    wide = to_wide(data)
    directions = directions or {}
    sign = pd.Series({c: float(directions.get(c, 1)) for c in wide.columns})

    def scale(w: pd.DataFrame) -> pd.DataFrame:
        if method == "frontier":
            return _frontier(w, sign, high)
        y = w * sign
        if method == "minmax":
            spread = y.max() - y.min()
            out = low + (high - low) * (y - y.min()) / spread.where(spread != 0)
            return _constant(out, y, spread == 0, (low + high) / 2)
        if method == "zscore":
            s = y.std(ddof=1)
            out = mean + sd * (y - y.mean()) / s.where(s != 0)
            return _constant(out, y, s == 0, mean)
        if method == "rank":
            return y.rank(method="average")
        if method == "percentile":
            n = y.notna().sum()
            return 100 * (y.rank(method="average") - 1) / (n - 1).where(n > 1)
        if method == "borda":
            return y.rank(method="min") - 1
        if method == "goalposts":
            if goalposts is None:
                raise ValueError("normalise method 'goalposts' needs goalposts")
            out = y.copy()
            for code in y.columns:
                g_low, g_high = goalposts[code]
                if sign[code] < 0:
                    g_low, g_high = -g_high, -g_low
                out[code] = (high * (y[code] - g_low) / (g_high - g_low)).clip(0, high)
            return out
        if method == "target":
            if targets is None:
                raise ValueError("normalise method 'target' needs targets")
            out = y.copy()
            for code in y.columns:
                t = sign[code] * targets[code]
                base = y[code].min()
                if t == base:
                    out[code] = y[code].where(y[code].isna(), high / 2)
                else:
                    out[code] = (high * (y[code] - base) / (t - base)).clip(0, high)
            return out
        raise ValueError(f"unknown normalise method '{method}'")

    result = scale(wide) if panel or wide.index.nlevels == 1 else by_year(wide, scale)
    return to_long(result.astype(float))


def _constant(out: pd.DataFrame, y: pd.DataFrame, constant: pd.Series, middle: float):
    """Put ``middle`` in the non-missing cells of the constant columns."""
    for code in y.columns[constant.to_numpy()]:
        out[code] = y[code].where(y[code].isna(), middle)
    return out


def _frontier(w: pd.DataFrame, sign: pd.Series, high: float) -> pd.DataFrame:
    if (w <= 0).any().any():
        bad = w.columns[(w <= 0).any()].tolist()
        raise ValueError(f"normalise method 'frontier' needs positive values; not so in {bad}")
    out = w.copy()
    for code in w.columns:
        x = w[code]
        out[code] = high * x / x.max() if sign[code] > 0 else high * x.min() / x
    return out
