r"""Findings computed from the data: whole sentences in Chinese and English, with their numbers.

Plain pandas/numpy/scipy, no Django. :func:`findings_compute` takes the interchange frames of
``DESIGN.md`` (``bases``, ``values`` and optionally ``indicators``) and returns a list of
:class:`Finding`, each one sentence per language with its figures rounded for reading, the
full-precision figures in ``numbers`` and, in ``evidence``, the indicator, group and years a
report links to so that a reader can see the values behind the sentence. The poster's
"assessment findings" (construction growing rapidly, innovation leading development,
entrepreneurship-led employment, ...) are the model; this module computes those that the
yearly data can support.

The yearly figures and growth rates are those of the development-trend table
(:func:`mieval.core.trends.table.trend_table`): each indicator's own statistic (the mean for the
poster's twelve) over the bases that reported it, and the average annual (compound) growth rate

.. math:: r = \left(\frac{v_{t_1}}{v_{t_0}}\right)^{1 / (t_1 - t_0)} - 1

from the first year :math:`t_0` to the last year :math:`t_1` with a value; it is undefined for
a single year or a start value of zero or below, and an indicator without a rate takes no part
in a rule that needs one.

The rules, in the order of the result
-------------------------------------
1. ``headline`` (概况): the number of bases with at least one value in the range of years, by
   category (区域 / 高校和科研院所 / 企业), and the years covered.
2. ``growth_fastest`` and ``growth_slowest`` (增长最快 / 增长最慢): among the indicators with a
   growth rate :math:`r_i` over all bases, the largest and the smallest; ties go to the
   indicator listed first in ``indicators``. Needs at least two indicators with a rate.
3. ``category_lead:<code>``, ``category_lag:<code>``, then ``subcategory_lead:<code>`` and
   ``subcategory_lag:<code>`` (领先 / 落后). For a group :math:`g` of the field, an indicator
   :math:`i` is *compared* when the group's rate :math:`r_{ig}` and the all-bases rate
   :math:`r_i` are both defined over the same first and last year and at least
   :data:`MIN_BASES` bases of the group reported the indicator in each of those two years.
   The group *leads* on :math:`i` when :math:`r_{ig} > r_i`. With :math:`k_g` leads out of
   :math:`m_g` compared indicators, the lead share is :math:`s_g = k_g / m_g`; the group leads
   overall when :math:`s_g > 1/2`, lags when :math:`s_g < 1/2`, and is level otherwise.
   Groups with no compared indicator (e.g. fewer than :data:`MIN_BASES` bases) are skipped.
   Among at least two remaining groups, the one with the largest share is reported as leading
   if it leads, and the one with the smallest share as lagging if it lags (ties: more
   compared indicators first, then the reference order of the groups). ``numbers["groups"]``
   holds every group's counts and status.
4. ``east_central_west_gap:<indicator>`` (东部与中西部差距): for each indicator, the base-level
   values of the last year :math:`t_1` of the range at bases of region group ``east`` and
   ``central_west`` (from the province, :mod:`mieval.core.reference`; bases without a
   known province take no part) are compared with the two-sided Mann-Whitney U test
   (:func:`scipy.stats.mannwhitneyu`, ``method="auto"``: exact for small samples without
   ties, else the normal approximation with tie and continuity correction). An indicator is
   tested when each group has at least :data:`MIN_BASES` values. The :math:`m` p-values are
   adjusted by Holm's step-down method (:func:`holm_adjust`); an indicator with an adjusted
   p-value at most :data:`ALPHA` gives one finding, with both medians. When no indicator is
   significant, one finding ``east_central_west_gap`` says so and names the smallest adjusted
   p-value. The change of the gap is the ratio of medians :math:`q_t = \tilde x^{E}_t /
   \tilde x^{CW}_t` in the first year :math:`t_0` and the last year :math:`t_1`: the gap
   narrowed when :math:`|\ln q_{t_1}| < |\ln q_{t_0}|`, widened when greater; it is left out
   of the sentence when a ratio is undefined (a median of zero or below, fewer than
   :data:`MIN_BASES` values in a group, or a single year).
5. ``jobs_created`` (带动就业): ``new_urban_employment`` (unit 10,000 persons) summed over the
   bases that reported it, per year, :math:`J_t = \sum_b x_{bt}`; the total
   :math:`\sum_t J_t` over the range; and the growth rate of :math:`J_t` as above. The sums
   depend on how many bases reported each year; ``numbers["n"]`` keeps the counts and the
   sentence names them.

6. ``composition_entry:<indicator>`` and ``composition_exit:<indicator>`` (构成效应), then the
   same for each category, ``composition_entry:<category>:<indicator>`` and
   ``composition_exit:<category>:<indicator>``: whether the change of an indicator's mean from
   the first year :math:`t_0` to the last year :math:`t_1` with a value comes mostly from
   bases joining or leaving. With the yearly split of
   :func:`mieval.core.trends.decompose.trend_decomposition` (always the mean), summed over the
   years :math:`t_0 < t \le t_1`,

   .. math:: W = \sum_t \text{within}_t, \quad E = \sum_t \text{entry}_t, \quad
             X = \sum_t \text{exit}_t, \quad W + E + X = M_{t_1} - M_{t_0} = \Delta

   (the yearly changes telescope). The rule needs every year of :math:`(t_0, t_1]` to have a
   split (some base reported both it and the year before), :math:`\Delta \ne 0` and at least
   :data:`MIN_BASES` bases in :math:`t_1`. With :math:`s = \operatorname{sign}(\Delta)`, the
   change is *driven by bases joining* when :math:`sE > 0` and :math:`sE` is larger than both
   :math:`sW` and :math:`sX` (the entry part moves the mean further in the direction of the
   change than the bases that reported in consecutive years did), and *driven by bases
   leaving* when the same holds for :math:`X`. A category's finding for an indicator is
   given only where the all-bases one is not (that sentence already says it). The numbers
   hold :math:`W, E, X, \Delta`, the counts of entries and exits summed over the years, and
   each year's split.

A rule whose data does not exist returns nothing; empty frames give an empty list. Values of
bases or indicators missing from ``bases`` or ``indicators`` are an error, as in the trend
table.

References
----------
Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian Journal
of Statistics* 6(2), 65-70.

Mann, H. B. and Whitney, D. R. (1947). On a test of whether one of two random variables is
stochastically larger than the other. *Annals of Mathematical Statistics* 18(1), 50-60.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import mannwhitneyu

from mieval.core import reference
from mieval.core.indicators import builtin_indicators_frame
from mieval.core.trends.decompose import trend_decomposition
from mieval.core.trends.table import trend_table

#: The fewest bases a group needs for its figures to count in a rule.
MIN_BASES = 3
#: The significance level of the East versus Central-West test, after Holm's adjustment.
ALPHA = 0.05
JOBS_INDICATOR = "new_urban_employment"
LEAD_FIELDS = ("category", "subcategory")

# English units that have a Chinese counterpart, for indicators frames without ``unit_zh``.
_UNIT_ZH = {
    "count": "",
    "persons": "人",
    "m²": "平方米",
    "10,000 yuan": "万元",
    "10,000 persons": "万人",
}
_STAT_WORDS = {
    "mean": ("基地平均值", "the per-base average"),
    "median": ("基地中位数", "the per-base median"),
    "sum": ("基地合计", "the total over bases"),
}
_FIELD_WORDS = {
    "category": ("类别", "categories", "category"),
    "subcategory": ("子类别", "subcategories", "subcategory"),
}


@dataclass(frozen=True)
class Finding:
    """One finding: a sentence per language, its numbers and where its evidence is.

    Attributes
    ----------
    key : str
        A stable identifier, e.g. ``growth_fastest``, ``category_lead:enterprise``,
        ``east_central_west_gap:patents_granted``, ``jobs_created``.
    text_zh, text_en : str
        One complete sentence each, numbers rounded for reading.
    numbers : dict
        The full-precision numbers the sentence uses (JSON-serialisable: floats, ints, str,
        lists and dicts of them; ``None`` for an undefined figure).
    evidence : dict
        ``{"indicator": code or None, "group_field": "all" | "category" | "subcategory" |
        "region_group", "group": value or None, "years": [y0, y1]}``.
    """

    key: str
    text_zh: str
    text_en: str
    numbers: dict
    evidence: dict


def findings_compute(
    bases: pd.DataFrame,
    values: pd.DataFrame,
    *,
    years: tuple[int, int] | None = None,
    indicators: pd.DataFrame | None = None,
) -> list[Finding]:
    """The findings of the module docstring's rules, in that order.

    Parameters
    ----------
    bases : pandas.DataFrame
        ``code``, ``category``, ``subcategory``, ``province`` (GB/T 2260 code) and the other
        interchange columns; a rule whose column is missing is skipped.
    values : pandas.DataFrame
        Long format ``base_code``, ``indicator_code``, ``year``, ``value`` (numbers, or text
        as read from a file; empty or NaN is a value not reported).
    years : (int, int), optional
        The first and last year; by default those of the data.
    indicators : pandas.DataFrame, optional
        ``code``, ``name_zh``, ``name_en``, ``unit``, ``stat`` (and optionally ``unit_zh``,
        ``decimals``), in reading order; by default the built-in twelve.

    Returns
    -------
    list of Finding
        Empty when there is nothing to say (e.g. empty frames).

    Raises
    ------
    ValueError
        For a value of a base or indicator missing from ``bases`` or ``indicators``, a year
        range whose start is after its end, or a value that is not a number.
    """
    if indicators is None:
        indicators = builtin_indicators_frame()
    if bases.empty or values.empty or indicators.empty:
        return []
    year_from, year_to = years if years is not None else (None, None)
    values = _numeric_values(values)
    overall = trend_table(values, bases, indicators, year_from=year_from, year_to=year_to)
    if not overall.years or overall.growth.empty:
        return []
    y0, y1 = overall.years[0], overall.years[-1]
    in_range = values[(values["year"] >= y0) & (values["year"] <= y1) & values["value"].notna()]
    labels = _Labels(indicators)

    found: list[Finding] = []
    found += _headline(bases, in_range, (y0, y1))
    found += _growth_extremes(overall, labels)
    for field in LEAD_FIELDS:
        found += _lead_lag(bases, in_range, indicators, overall, field)
    found += _east_central_west_gap(bases, in_range, overall, labels, (y0, y1))
    found += _jobs_created(bases, in_range, indicators, labels, (y0, y1))
    found += _composition(bases, in_range, indicators, labels, (y0, y1))
    return found


def holm_adjust(p_values) -> np.ndarray:
    r"""Holm's step-down adjusted p-values, in the order given.

    With the :math:`m` p-values sorted, :math:`p_{(1)} \le \dots \le p_{(m)}`,

    .. math:: \tilde p_{(i)} = \min\Bigl(1, \max_{j \le i} (m - j + 1)\, p_{(j)}\Bigr),

    so that rejecting every hypothesis with :math:`\tilde p \le \alpha` controls the
    family-wise error rate at :math:`\alpha` (Holm 1979). The same as R's
    ``p.adjust(p, "holm")``.

    Parameters
    ----------
    p_values : array_like of float
        Unadjusted p-values in [0, 1].

    Returns
    -------
    numpy.ndarray
        The adjusted p-values, in the order of ``p_values``.
    """
    p = np.asarray(p_values, dtype=np.float64)
    m = len(p)
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    scaled = (m - np.arange(m)) * p[order]
    adjusted_sorted = np.minimum(np.maximum.accumulate(scaled), 1.0)
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    return adjusted


# --- inputs ---------------------------------------------------------------------------------


def _numeric_values(values: pd.DataFrame) -> pd.DataFrame:
    """A copy with ``value`` as float (empty text is missing) and ``year`` as int."""
    for column in ("base_code", "indicator_code", "year", "value"):
        if column not in values.columns:
            raise ValueError(f"values: column {column!r} is missing")
    out = values.loc[:, ["base_code", "indicator_code", "year", "value"]].copy()
    column = out["value"]
    if column.dtype != np.float64:
        if column.dtype.kind in "OSUT" or isinstance(column.dtype, pd.StringDtype):
            column = column.replace("", None)
        try:
            numeric = pd.to_numeric(column)
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"values: column 'value' holds a value that is not a number: {error}"
            ) from error
        out["value"] = np.asarray(numeric.to_numpy(dtype=np.float64, na_value=np.nan))
    if out["year"].dtype.kind not in "iu":
        out["year"] = pd.to_numeric(out["year"]).astype(np.int64)
    out["base_code"] = out["base_code"].astype(str)
    out["indicator_code"] = out["indicator_code"].astype(str)
    return out


class _Labels:
    """Names, units and display decimals of the indicators, by code."""

    def __init__(self, indicators: pd.DataFrame):
        self.rows = {}
        for row in indicators.to_dict("records"):
            code = str(row["code"])
            unit = _text(row.get("unit"))
            unit_zh = _text(row.get("unit_zh")) or _UNIT_ZH.get(unit, unit)
            decimals = row.get("decimals")
            self.rows[code] = {
                "zh": _text(row.get("name_zh")) or code,
                "en": _text(row.get("name_en")) or code,
                "unit": "" if unit == "count" else unit,
                "unit_zh": unit_zh,
                "decimals": 0 if decimals is None or pd.isna(decimals) else int(decimals),
            }

    def name(self, code: str) -> tuple[str, str]:
        row = self.rows[code]
        return row["zh"], row["en"]

    def amount_zh(self, code: str, x: float) -> str:
        row = self.rows[code]
        return f"{_thousands_text(x, row['decimals'])}{row['unit_zh']}"

    def amount_en(self, code: str, x: float) -> str:
        return _thousands_text(x, self.rows[code]["decimals"])

    def unit_en(self, code: str) -> str:
        return self.rows[code]["unit"]


def _text(x) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else str(x)


# --- display --------------------------------------------------------------------------------


def _thousands_text(x: float, decimals: int = 0) -> str:
    """Thousands separators and the indicator's decimals, one or two more where the figure
    needs them (a median of whole numbers can end in .5)."""
    d = decimals
    while d < decimals + 2 and abs(round(x, d) - x) > 1e-9 * max(1.0, abs(x)):
        d += 1
    return f"{x:,.{d}f}"


def _count_en(n: int, noun: str) -> str:
    """'1 base', '3 bases': English counts agree with their noun."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _percent(rate: float) -> str:
    return f"{abs(rate) * 100:,.1f}%"


def _p_value(p: float) -> tuple[str, str]:
    """The p-value for the sentence: three decimals, or "< 0.001"."""
    if p < 0.001:
        return "p<0.001", "p < 0.001"
    return f"p={p:.3f}", f"p = {p:.3f}"


def _span_zh(y0: int, y1: int) -> str:
    return f"{y0}年" if y0 == y1 else f"{y0}—{y1}年"


def _span_en(y0: int, y1: int) -> str:
    return f"in {y0}" if y0 == y1 else f"from {y0} to {y1}"


def _evidence(indicator, group_field, group, y0, y1) -> dict:
    return {"indicator": indicator, "group_field": group_field, "group": group, "years": [y0, y1]}


def _float(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


# --- 1. headline ----------------------------------------------------------------------------


def _headline(bases: pd.DataFrame, in_range: pd.DataFrame, span: tuple[int, int]) -> list[Finding]:
    reporting = bases[bases["code"].astype(str).isin(set(in_range["base_code"]))]
    n_bases = len(reporting)
    if n_bases == 0:
        return []
    y0, y1 = span
    by_category: dict[str, int] = {}
    if "category" in reporting.columns:
        counts = reporting["category"].dropna().astype(str).value_counts()
        order = reference.group_order("category")
        others = sorted(set(counts.index) - set(order))
        for code in [c for c in order if c in counts.index] + others:
            by_category[code] = int(counts[code])
    numbers = {"bases": n_bases, "by_category": by_category, "years": [y0, y1]}
    if by_category:
        names = {c: reference.group_label("category", c) for c in by_category}
        parts_zh = "、".join(f"{names[c][0]}示范基地{n}个" for c, n in by_category.items())
        parts_en = ", ".join(f"{names[c][1]} {n}" for c, n in by_category.items())
        text_zh = f"{_span_zh(y0, y1)}共有{n_bases}个示范基地报送了数据，其中{parts_zh}。"
        text_en = (
            f"{_count_en(n_bases, 'demonstration base')} reported data {_span_en(y0, y1)}; "
            f"by category: {parts_en}."
        )
    else:
        text_zh = f"{_span_zh(y0, y1)}共有{n_bases}个示范基地报送了数据。"
        text_en = f"{_count_en(n_bases, 'demonstration base')} reported data {_span_en(y0, y1)}."
    return [Finding("headline", text_zh, text_en, numbers, _evidence(None, "all", None, y0, y1))]


# --- 2. fastest and slowest growth ----------------------------------------------------------


def _growth_extremes(overall, labels: _Labels) -> list[Finding]:
    rated = overall.growth[overall.growth["cagr"].notna()].reset_index(drop=True)
    if len(rated) < 2:
        return []
    rates = rated["cagr"].to_numpy()
    # argmax/argmin take the first of equal rates: the indicator listed first.
    chosen = [("growth_fastest", int(np.argmax(rates))), ("growth_slowest", int(np.argmin(rates)))]
    found = []
    for key, at in chosen:
        row = rated.iloc[at]
        code = str(row["indicator"])
        t0, t1 = int(row["first_year"]), int(row["last_year"])
        yearly = overall.yearly[overall.yearly["indicator"] == code].set_index("year")["value"]
        v0, v1 = float(yearly[t0]), float(yearly[t1])
        rate = float(row["cagr"])
        stat = overall.stats[code]
        found.append(
            Finding(
                key,
                *_growth_sentences(key, code, labels, stat, rate, len(rated), t0, t1, v0, v1),
                {
                    "cagr": rate,
                    "first_value": v0,
                    "last_value": v1,
                    "stat": stat,
                    "indicators_rated": len(rated),
                },
                _evidence(code, "all", None, t0, t1),
            )
        )
    return found


def _growth_sentences(key, code, labels, stat, rate, m, t0, t1, v0, v1) -> tuple[str, str]:
    name_zh, name_en = labels.name(code)
    stat_zh, stat_en = _STAT_WORDS[stat]
    most_zh, most_en = ("最快", "fastest") if key == "growth_fastest" else ("最慢", "slowest")
    up = rate >= 0
    verb_zh = "年均增长" if up else "年均下降"
    verb_en = "rose" if up else "fell"
    unit = labels.unit_en(code)
    unit_en = f"; unit: {unit}" if unit else ""
    text_zh = (
        f"在有年均增长率的{m}项指标中，“{name_zh}”增长{most_zh}："
        f"{_span_zh(t0, t1)}{stat_zh}{verb_zh}{_percent(rate)}"
        f"（{t0}年{labels.amount_zh(code, v0)}，{t1}年{labels.amount_zh(code, v1)}）。"
    )
    text_en = (
        f"Of the {m} indicators with a growth rate, “{name_en}” grew {most_en}: "
        f"{stat_en} {verb_en} at an average annual rate of {_percent(rate)} {_span_en(t0, t1)} "
        f"({labels.amount_en(code, v0)} in {t0}, {labels.amount_en(code, v1)} in {t1}{unit_en})."
    )
    return text_zh, text_en


# --- 3. categories and subcategories that lead or lag ---------------------------------------


def _lead_lag(
    bases: pd.DataFrame, in_range: pd.DataFrame, indicators: pd.DataFrame, overall, field: str
) -> list[Finding]:
    if field not in bases.columns:
        return []
    placed = bases[bases[field].notna()]
    rows = in_range[in_range["base_code"].isin(set(placed["code"].astype(str)))]
    if rows.empty:
        return []
    y0, y1 = overall.years[0], overall.years[-1]
    grouped = trend_table(rows, placed, indicators, by=field, year_from=y0, year_to=y1)
    all_rates = overall.growth.set_index("indicator")
    counts = grouped.yearly.set_index(["indicator", "group", "year"])["n"]

    table = []
    for group, part in grouped.growth.groupby("group", sort=False):
        leads, lags = [], []
        for row in part.itertuples(index=False):
            base_row = all_rates.loc[row.indicator]
            if pd.isna(row.cagr) or pd.isna(base_row["cagr"]):
                continue
            t0, t1 = int(row.first_year), int(row.last_year)
            if (t0, t1) != (int(base_row["first_year"]), int(base_row["last_year"])):
                continue
            if min(counts[(row.indicator, group, t0)], counts[(row.indicator, group, t1)]) < (
                MIN_BASES
            ):
                continue
            (leads if row.cagr > base_row["cagr"] else lags).append(str(row.indicator))
        compared = len(leads) + len(lags)
        if compared == 0:
            continue
        share = len(leads) / compared
        status = "lead" if share > 0.5 else ("lag" if share < 0.5 else "level")
        table.append(
            {
                "group": str(group),
                "leads": len(leads),
                "compared": compared,
                "share": share,
                "status": status,
                "indicators_lead": leads,
                "indicators_lag": lags,
            }
        )
    if len(table) < 2:
        return []
    position = {g: i for i, g in enumerate(grouped.growth["group"].unique())}
    best = min(table, key=lambda r: (-r["share"], -r["compared"], position[r["group"]]))
    worst = min(table, key=lambda r: (r["share"], -r["compared"], position[r["group"]]))
    found = []
    for row, kind in ((best, "lead"), (worst, "lag")):
        if row["status"] != kind:
            continue
        text_zh, text_en = _lead_lag_sentences(field, kind, row, y0, y1)
        found.append(
            Finding(
                f"{field}_{kind}:{row['group']}",
                text_zh,
                text_en,
                {**row, "groups": table},
                _evidence(None, field, row["group"], y0, y1),
            )
        )
    return found


def _lead_lag_sentences(field: str, kind: str, row: dict, y0: int, y1: int) -> tuple[str, str]:
    field_zh, fields_en, field_en = _FIELD_WORDS[field]
    name_zh, name_en = reference.group_label(field, row["group"])
    k, m = row["leads"], row["compared"]
    compared_en = "the only indicator compared" if m == 1 else f"the {m} indicators compared"
    if kind == "lead":
        count_zh = f"有{k}项"
        how_en = (
            "grew faster than all bases on the only indicator compared"
            if m == 1
            else f"grew faster than all bases on {k} of {compared_en}"
        )
        rank_zh, rank_en = "占比最高", "the largest share"
    else:
        count_zh = "没有一项" if k == 0 else f"仅有{k}项"
        how_en = (
            f"did not grow faster than all bases on {'' if m == 1 else 'any of '}{compared_en}"
            if k == 0
            else f"grew faster than all bases on only {k} of {compared_en}"
        )
        rank_zh, rank_en = "占比最低", "the smallest share"
    text_zh = (
        f"各{field_zh}中，“{name_zh}”示范基地在{m}项可比指标中{count_zh}的年均增长率"
        f"高于全部基地（{_span_zh(y0, y1)}），{rank_zh}。"
    )
    text_en = (
        f"Of the {fields_en}, the “{name_en}” bases {how_en} {_span_en(y0, y1)}, "
        f"{rank_en} of any {field_en}."
    )
    return text_zh, text_en


# --- 4. East versus Central-West ------------------------------------------------------------


def _east_central_west_gap(
    bases: pd.DataFrame,
    in_range: pd.DataFrame,
    overall,
    labels: _Labels,
    span: tuple[int, int],
) -> list[Finding]:
    if "province" not in bases.columns:
        return []
    y0, y1 = span
    derived = reference.bases_with_derived_fields(bases)
    group_of = dict(zip(derived["code"].astype(str), derived["region_group"], strict=True))
    rows = in_range.assign(region_group=in_range["base_code"].map(group_of))
    rows = rows[rows["region_group"].isin(["east", "central_west"])]

    rows = rows[rows["year"].isin([y0, y1])]
    # One pass over the rows: each (indicator, year, group) sample by its key.
    cells = {
        key: part.to_numpy(dtype=np.float64)
        for key, part in rows.groupby(["indicator_code", "year", "region_group"])["value"]
    }
    empty = np.zeros(0)

    def samples(code: str, year: int) -> tuple[np.ndarray, np.ndarray]:
        east = cells.get((code, year, "east"), empty)
        return east, cells.get((code, year, "central_west"), empty)

    tests = []
    for code in dict.fromkeys(overall.growth["indicator"]):
        east, west = samples(code, y1)
        if len(east) < MIN_BASES or len(west) < MIN_BASES:
            continue
        result = mannwhitneyu(east, west, alternative="two-sided")
        tests.append(
            {
                "indicator": code,
                "u": float(result.statistic),
                "p": float(result.pvalue),
                "n_east": len(east),
                "n_central_west": len(west),
                "median_east": float(np.median(east)),
                "median_central_west": float(np.median(west)),
            }
        )
    if not tests:
        return []
    for test, adjusted in zip(tests, holm_adjust([t["p"] for t in tests]), strict=True):
        test["p_holm"] = float(adjusted)
    m = len(tests)
    significant = [t for t in tests if t["p_holm"] <= ALPHA]
    if not significant:
        smallest = min(tests, key=lambda t: t["p_holm"])
        name_zh, name_en = labels.name(smallest["indicator"])
        p_zh, p_en = _p_value(smallest["p_holm"])
        text_zh = (
            f"{y1}年，东部与中西部示范基地之间没有一项指标存在显著差异"
            f"（Mann-Whitney U检验，双侧，对{m}项指标作Holm校正，显著性水平5%）；"
            f"校正后最小的是“{name_zh}”，{p_zh}。"
        )
        text_en = (
            f"In {y1} no indicator differed significantly between bases in the East and in the "
            f"Central and West (two-sided Mann-Whitney U test, Holm-adjusted over "
            f"{_count_en(m, 'indicator')}, 5% level); the smallest adjusted p-value was that "
            f"of “{name_en}”, {p_en}."
        )
        numbers = {"alpha": ALPHA, "year": y1, "tests": tests}
        evidence = _evidence(None, "region_group", None, y1, y1)
        return [Finding("east_central_west_gap", text_zh, text_en, numbers, evidence)]

    found = []
    for test in significant:
        code = test["indicator"]
        ratio_first = ratio_last = None
        change = None
        if y0 < y1:
            east0, west0 = samples(code, y0)
            if min(len(east0), len(west0)) >= MIN_BASES:
                ratio_first = _ratio(float(np.median(east0)), float(np.median(west0)))
            ratio_last = _ratio(test["median_east"], test["median_central_west"])
            if ratio_first is not None and ratio_last is not None:
                before, after = abs(math.log(ratio_first)), abs(math.log(ratio_last))
                change = "narrowed" if after < before else ("widened" if after > before else "same")
        numbers = {
            **test,
            "tests": m,
            "alpha": ALPHA,
            "year": y1,
            "ratio_first": ratio_first,
            "ratio_last": ratio_last,
            "gap_change": change,
        }
        text_zh, text_en = _gap_sentences(code, labels, numbers, m, y0, y1)
        found.append(
            Finding(
                f"east_central_west_gap:{code}",
                text_zh,
                text_en,
                numbers,
                _evidence(code, "region_group", None, y0 if change else y1, y1),
            )
        )
    return found


def _ratio(east: float, west: float) -> float | None:
    return east / west if east > 0 and west > 0 else None


def _gap_sentences(code, labels: _Labels, numbers: dict, m: int, y0: int, y1: int):
    name_zh, name_en = labels.name(code)
    p_zh, p_en = _p_value(numbers["p_holm"])
    east, west = numbers["median_east"], numbers["median_central_west"]
    unit = labels.unit_en(code)
    unit_en = f" ({unit})" if unit else ""
    head_zh = (
        f"{y1}年，“{name_zh}”的中位数东部示范基地为{labels.amount_zh(code, east)}，"
        f"中西部为{labels.amount_zh(code, west)}，差异显著"
        f"（Mann-Whitney U检验，双侧，对{m}项指标作Holm校正后{p_zh}）"
    )
    head_en = (
        f"In {y1} the median of “{name_en}” was {labels.amount_en(code, east)} at bases in the "
        f"East and {labels.amount_en(code, west)} in the Central and West{unit_en}, a "
        f"significant difference (two-sided Mann-Whitney U test, {p_en} after Holm's "
        f"adjustment over {_count_en(m, 'indicator')})"
    )
    change = numbers["gap_change"]
    if change is None:
        return f"{head_zh}。", f"{head_en}."
    r0, r1 = f"{numbers['ratio_first']:.2f}", f"{numbers['ratio_last']:.2f}"
    verdict_zh = {"narrowed": "差距缩小", "widened": "差距扩大", "same": "差距不变"}[change]
    verdict_en = {
        "narrowed": "the gap narrowed",
        "widened": "the gap widened",
        "same": "the gap did not change",
    }[change]
    text_zh = f"{head_zh}；东部与中西部中位数之比由{y0}年的{r0}变为{y1}年的{r1}，{verdict_zh}。"
    text_en = (
        f"{head_en}; the ratio of the East's median to the Central and West's went from {r0} "
        f"in {y0} to {r1} in {y1}, so {verdict_en}."
    )
    return text_zh, text_en


# --- 5. jobs created ------------------------------------------------------------------------


def _jobs_created(
    bases: pd.DataFrame,
    in_range: pd.DataFrame,
    indicators: pd.DataFrame,
    labels: _Labels,
    span: tuple[int, int],
) -> list[Finding]:
    if JOBS_INDICATOR not in labels.rows:
        return []
    rows = in_range[in_range["indicator_code"] == JOBS_INDICATOR]
    if rows.empty:
        return []
    only = indicators[indicators["code"].astype(str) == JOBS_INDICATOR]
    table = trend_table(rows, bases, only, stat="sum", year_from=span[0], year_to=span[1])
    yearly = table.yearly[table.yearly["n"] > 0]
    growth = table.growth.iloc[0]
    t0, t1 = int(growth["first_year"]), int(growth["last_year"])
    sums = {str(int(y)): float(v) for y, v in zip(yearly["year"], yearly["value"], strict=True)}
    n = {str(int(y)): int(k) for y, k in zip(yearly["year"], yearly["n"], strict=True)}
    total = float(yearly["value"].sum())
    rate = _float(growth["cagr"])
    numbers = {"sums": sums, "n": n, "total": total, "cagr": rate, "unit": "10,000 persons"}
    evidence = _evidence(JOBS_INDICATOR, "all", None, t0, t1)
    return [Finding("jobs_created", *_jobs_sentences(labels, numbers, t0, t1), numbers, evidence)]


def _jobs_sentences(labels: _Labels, numbers: dict, t0: int, t1: int) -> tuple[str, str]:
    sums, n, total, rate = numbers["sums"], numbers["n"], numbers["total"], numbers["cagr"]
    first, last = sums[str(t0)], sums[str(t1)]
    per_zh = labels.amount_zh
    decimals = labels.rows[JOBS_INDICATOR]["decimals"]

    def persons(x: float) -> str:
        # The unit is 10,000 persons; the English sentence counts persons.
        return (
            f"{round(x * 10_000):,}"
            if labels.unit_en(JOBS_INDICATOR) == "10,000 persons"
            else (_thousands_text(x, decimals))
        )

    if t0 == t1:
        text_zh = (
            f"{t0}年，{n[str(t0)]}个示范基地报告城镇新增就业合计{per_zh(JOBS_INDICATOR, first)}。"
        )
        text_en = (
            f"In {t0}, {_count_en(n[str(t0)], 'base')} reported {persons(first)} new urban jobs "
            "in total."
        )
        return text_zh, text_en
    clause_zh, clause_en = "", ""
    if rate is not None:
        verb_zh = "年均增长" if rate >= 0 else "年均下降"
        clause_zh = f"，{verb_zh}{_percent(rate)}"
        clause_en = f", at an average annual rate of {_percent(rate)}"
    up = last >= first
    text_zh = (
        f"{_span_zh(t0, t1)}，示范基地城镇新增就业累计{per_zh(JOBS_INDICATOR, total)}；"
        f"当年新增就业由{t0}年的{per_zh(JOBS_INDICATOR, first)}"
        f"{'增至' if up else '降至'}{t1}年的{per_zh(JOBS_INDICATOR, last)}{clause_zh}"
        f"（报告基地{t0}年{n[str(t0)]}个，{t1}年{n[str(t1)]}个）。"
    )
    text_en = (
        f"{_span_en(t0, t1).capitalize()} the bases created {persons(total)} new urban jobs in "
        f"total; the yearly number {'rose' if up else 'fell'} from {persons(first)} in {t0} to "
        f"{persons(last)} in {t1}{clause_en} ({_count_en(n[str(t0)], 'base')} reported in {t0} and "
        f"{n[str(t1)]} in {t1})."
    )
    return text_zh, text_en


# --- 6. the composition effect --------------------------------------------------------------


def _composition(
    bases: pd.DataFrame,
    in_range: pd.DataFrame,
    indicators: pd.DataFrame,
    labels: _Labels,
    span: tuple[int, int],
) -> list[Finding]:
    found: list[Finding] = []
    said: set[str] = set()
    for field in (None, "category"):
        if field is not None and field not in bases.columns:
            continue
        placed = bases if field is None else bases[bases[field].notna()]
        rows = in_range[in_range["base_code"].isin(set(placed["code"].astype(str)))]
        if rows.empty:
            continue
        split = trend_decomposition(
            rows, placed, indicators, by=field, year_from=span[0], year_to=span[1]
        )
        for (code, group), part in split.groupby(["indicator", "group"], sort=False):
            if field is not None and code in said:
                continue
            numbers = _composition_numbers(part)
            if numbers is None:
                continue
            if field is None:
                said.add(code)
            numbers["group_field"] = field or "all"
            numbers["group"] = None if field is None else str(group)
            t0, t1 = numbers["first_year"], numbers["last_year"]
            driver = numbers["driver"]
            key = (
                f"composition_{driver}:{code}"
                if field is None
                else (f"composition_{driver}:{group}:{code}")
            )
            found.append(
                Finding(
                    key,
                    *_composition_sentences(code, labels, numbers),
                    numbers,
                    _evidence(code, field or "all", numbers["group"], t0, t1),
                )
            )
    return found


def _composition_numbers(part: pd.DataFrame) -> dict | None:
    """The sums of the split of one indicator and group from its first to its last year with
    a value, and what drives the change (``entry`` or ``exit``); None when the rule does not
    apply (module docstring, rule 6)."""
    years = [int(part["year"].iloc[0]) - 1, *part["year"].astype(int)]
    counts = [int(part["n_prev"].iloc[0]), *part["n_now"].astype(int)]
    with_value = [k for k, n in enumerate(counts) if n > 0]
    if len(with_value) < 2 or counts[with_value[-1]] < MIN_BASES:
        return None
    first, last = with_value[0], with_value[-1]
    # Row k of ``part`` is the year years[k + 1]: the split of (t0, t1] is rows first..last-1.
    span = part.iloc[first:last]
    if span["within"].isna().any():
        return None
    within, entry, exit_ = (float(span[c].sum()) for c in ("within", "entry", "exit"))
    v0, v1 = float(span["mean_prev"].iloc[0]), float(span["mean_now"].iloc[-1])
    change = v1 - v0
    if change == 0:
        return None
    sign = 1.0 if change > 0 else -1.0
    driver = None
    if sign * entry > max(sign * within, sign * exit_, 0.0):
        driver = "entry"
    elif sign * exit_ > max(sign * within, sign * entry, 0.0):
        driver = "exit"
    if driver is None:
        return None
    return {
        "driver": driver,
        "first_year": years[first],
        "last_year": years[last],
        "first_value": v0,
        "last_value": v1,
        "change": change,
        "within": within,
        "entry": entry,
        "exit": exit_,
        "entered": int(span["n_entered"].sum()),
        "exited": int(span["n_exited"].sum()),
        "n_first": counts[first],
        "n_last": counts[last],
        "by_year": {
            str(int(r.year)): {
                "within": float(r.within),
                "entry": float(r.entry),
                "exit": float(r.exit),
            }
            for r in span.itertuples(index=False)
        },
    }


def _signed_text(labels: _Labels, code: str, x: float) -> str:
    """A part of a change with its sign, in the indicator's decimals: ``+1,234``, ``-5``."""
    text = labels.amount_en(code, abs(x))
    if float(text.replace(",", "")) == 0:
        return text
    return ("+" if x > 0 else "-") + text


def _composition_sentences(code: str, labels: _Labels, numbers: dict) -> tuple[str, str]:
    name_zh, name_en = labels.name(code)
    t0, t1 = numbers["first_year"], numbers["last_year"]
    v0, v1, change = numbers["first_value"], numbers["last_value"], numbers["change"]
    within, entry, exit_ = numbers["within"], numbers["entry"], numbers["exit"]
    entered, exited = numbers["entered"], numbers["exited"]
    up = change > 0
    if numbers["group"] is None:
        subject_zh, subject_en = "全部示范基地", "all bases"
    else:
        group_zh, group_en = reference.group_label("category", numbers["group"])
        subject_zh, subject_en = f"“{group_zh}”示范基地", f"the “{group_en}” bases"
    unit = labels.unit_en(code)
    unit_en = f"; unit: {unit}" if unit else ""
    unit_zh = labels.rows[code]["unit_zh"]

    def signed_zh(x: float) -> str:
        return f"{_signed_text(labels, code, x)}{unit_zh}"

    joining = numbers["driver"] == "entry"
    cause_zh = "基地的加入" if joining else "基地的退出"
    cause_en = "bases joining" if joining else "bases leaving"
    text_zh = (
        f"{_span_zh(t0, t1)}，{subject_zh}“{name_zh}”的基地平均值由"
        f"{labels.amount_zh(code, v0)}{'增至' if up else '降至'}{labels.amount_zh(code, v1)}，"
        f"变化{signed_zh(change)}；其中新进入（含中断后再次报告的）基地带来{signed_zh(entry)}，"
        f"持续报告的基地自身变化{signed_zh(within)}，退出基地带来{signed_zh(exit_)}："
        f"{'增长' if up else '下降'}主要来自{cause_zh}，而非持续报告基地自身的变化"
        f"（各年合计：基地新进入{entered}次、退出{exited}次）。"
    )
    text_en = (
        f"{_span_en(t0, t1).capitalize()} the per-base average of “{name_en}” over "
        f"{subject_en} {'rose' if up else 'fell'} from {labels.amount_en(code, v0)} to "
        f"{labels.amount_en(code, v1)} ({_signed_text(labels, code, change)}{unit_en}); "
        f"bases that joined (or reported again after a gap) contributed "
        f"{_signed_text(labels, code, entry)}, the change at the bases that reported in "
        f"consecutive years was {_signed_text(labels, code, within)} and bases that left "
        f"contributed {_signed_text(labels, code, exit_)}: the {'rise' if up else 'fall'} is "
        f"driven by {cause_en}, not by the bases that kept reporting ({entered:,} "
        f"{'entry' if entered == 1 else 'entries'} and {exited:,} "
        f"{'exit' if exited == 1 else 'exits'} over the years)."
    )
    return text_zh, text_en
