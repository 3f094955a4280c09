"""The development-trend table: a yearly statistic per indicator and group, and its growth rate.

Plain pandas/numpy, no Django. :func:`trend_table` takes the long ``values`` frame, the ``bases``
frame and the ``indicators`` frame of ``DESIGN.md`` and returns a :class:`TrendTable` holding
full-precision figures; rounding is left to the renderers (:mod:`mieval.core.trends.render`).

How it is computed
------------------
Every value row is mapped to one cell of a dense array indexed by
``(indicator, group, year)``: the indicator's position in the ``indicators`` frame, the group of
the row's base (through the categorical codes of ``base_code``, so base codes are looked up once
per distinct code, not once per row) and the year's offset in the range. The combined integer
key is ``(i * G + g) * Y + (year - y0)``; ``np.bincount`` over it gives each cell's count and sum
in one pass each. Rows that do not count (missing value, year outside the range, a base left
out by ``balanced``) are sent to one extra bin that is dropped. Rows are processed in chunks that
fit in the CPU cache, on a few threads (numpy releases the GIL); each chunk's partial sums are
added in chunk order, so the result does not depend on the number of threads.

The median sorts only the rows of the indicators that use it: grouped by cell with a stable
radix sort of the cell key, then each cell's middle element(s) selected in place.

Values must hold at most one row per ``(base_code, indicator_code, year)``; the file reader
checks this before the table is computed.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mieval.core import reference
from mieval.core.indicators import STATS

#: Rows per chunk of the counting pass: small enough that a chunk's temporaries stay in cache.
_CHUNK_ROWS = 1 << 18

YEARLY_COLUMNS = ["indicator", "group", "year", "value", "n"]
GROWTH_COLUMNS = ["indicator", "group", "first_year", "last_year", "cagr", "cagr_note"]
ALL_GROUP = "all"

#: The longest range of years a table may span. Far more than any campaign (the platform's
#: years are 1900-2100); it stops an absurd range (``year_to=2**31``) before the arrays of the
#: range are allocated.
MAX_YEARS = 1000


@dataclass(frozen=True)
class TrendTable:
    """The result of :func:`trend_table`.

    Attributes
    ----------
    by : str or None
        The base field the bases are grouped by; ``None`` for one group, ``"all"``.
    years : list of int
        Every year of the range, ascending.
    yearly : pandas.DataFrame
        Columns ``indicator`` (str), ``group`` (str), ``year`` (int), ``value`` (float, NaN where
        ``n == 0``), ``n`` (int): one row per indicator, group and year of the range, for every
        indicator and group with at least one value in the range. Indicators in the order of
        the ``indicators`` frame, groups in :func:`reference.group_order` order, years ascending.
    growth : pandas.DataFrame
        Columns ``indicator``, ``group``, ``first_year`` and ``last_year`` (Int64: the first and
        last year with a value), ``cagr`` (float, NaN where undefined) and ``cagr_note`` (str
        saying why the rate is undefined, else None); one row per indicator and group, in the
        order of ``yearly``.
    stats : dict of str to str
        For every indicator in the table, the statistic used (``mean``, ``median`` or ``sum``).
    """

    by: str | None
    years: list[int]
    yearly: pd.DataFrame
    growth: pd.DataFrame
    stats: dict[str, str]

    def to_json_dict(self, decomposition: pd.DataFrame | None = None) -> dict:
        """The table as ``DESIGN.md``'s ``--format json`` document.

        ``{"rows": [{"indicator", "group", "values": {"2016": x, ...}, "n": {"2016": k, ...},
        "cagr": r, "cagr_note": text}, ...]}``: every year of the range is a key, as a string;
        numbers keep full precision; a missing figure or rate is ``None``.

        With ``decomposition`` (the frame of
        :func:`~mieval.core.trends.decompose.trend_decomposition` for the same options), each
        row also holds ``"decomposition": {"2017": {"within": w, "entry": e, "exit": x,
        "note": text}, ...}`` for every year of the range after the first (``None`` for the
        three where no base reported both years, and ``note`` says so).
        """
        split = _decomposition_by_row(decomposition) if decomposition is not None else None
        year_keys = [str(y) for y in self.years]
        width = len(year_keys)
        values = self.yearly["value"].to_numpy(dtype=np.float64)
        counts = self.yearly["n"].to_numpy(dtype=np.int64)
        rows = []
        for position, growth in enumerate(self.growth.itertuples(index=False)):
            start = position * width
            cell_values = values[start : start + width].tolist()
            cell_counts = counts[start : start + width].tolist()
            rows.append(
                {
                    "indicator": growth.indicator,
                    "group": growth.group,
                    "values": {
                        key: (None if math.isnan(x) else x)
                        for key, x in zip(year_keys, cell_values, strict=True)
                    },
                    "n": dict(zip(year_keys, cell_counts, strict=True)),
                    "cagr": None if pd.isna(growth.cagr) else float(growth.cagr),
                    "cagr_note": growth.cagr_note,
                }
            )
            if split is not None:
                rows[-1]["decomposition"] = split.get((growth.indicator, growth.group), {})
        return {"rows": rows}


def _decomposition_by_row(frame: pd.DataFrame) -> dict[tuple[str, str], dict]:
    """The decomposition's years of each (indicator, group), as the JSON document holds them."""
    out: dict[tuple[str, str], dict] = {}
    columns = ("indicator", "group", "year", "within", "entry", "exit", "note")
    for indicator, group, year, within, entry, exit_, note in zip(
        *(frame[c].tolist() for c in columns), strict=True
    ):
        out.setdefault((indicator, group), {})[str(year)] = {
            "within": None if math.isnan(within) else within,
            "entry": None if math.isnan(entry) else entry,
            "exit": None if math.isnan(exit_) else exit_,
            "note": note,
        }
    return out


def trend_table(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    by: str | None = None,
    stat: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    balanced: bool = False,
) -> TrendTable:
    r"""The development-trend table: per indicator, group and year, a statistic and its count.

    For indicator :math:`i`, group :math:`g` and year :math:`t`, let :math:`B_{igt}` be the
    bases of group :math:`g` with a (non-missing) value :math:`x_{bit}`. Then
    :math:`n_{igt} = |B_{igt}|` and the figure is

    - mean: :math:`\bar x_{igt} = \frac{1}{n_{igt}} \sum_{b \in B_{igt}} x_{bit}`,
    - median: the middle value of the sorted :math:`x_{bit}`, or the mean of the two middle
      values when :math:`n_{igt}` is even,
    - sum: :math:`\sum_{b \in B_{igt}} x_{bit}`,

    and missing (NaN) where :math:`n_{igt} = 0`. Zero is a value and counts.

    The growth rate is the average annual compound growth from the first year :math:`t_0` to the
    last year :math:`t_1` with a value (:math:`n > 0`):

    .. math:: r_{ig} = \left(\frac{v_{t_1}}{v_{t_0}}\right)^{1 / (t_1 - t_0)} - 1

    It is undefined (NaN, with the reason in ``cagr_note``) when :math:`t_0 = t_1`, when
    :math:`v_{t_0} \le 0`, or when :math:`v_{t_1} < 0` (no real root of a negative ratio);
    :math:`v_{t_1} = 0` gives :math:`-100\%`.

    Parameters
    ----------
    values : pandas.DataFrame
        Long format: ``base_code``, ``indicator_code`` (str or categorical), ``year`` (int),
        ``value`` (float; NaN is a value not reported). At most one row per base, indicator
        and year.
    bases : pandas.DataFrame
        ``code`` and the base fields ``category``, ``subcategory``, ``province``, ``batch``;
        ``region`` and ``region_group`` are derived from ``province`` when absent.
    indicators : pandas.DataFrame
        ``code`` and ``stat`` (``mean``, ``median`` or ``sum``; empty or absent means mean),
        in reading order: the order of the rows of the result.
    by : str, optional
        A field of :data:`reference.GROUP_FIELDS`; None for one group, ``"all"``.
    stat : str, optional
        ``mean``, ``median`` or ``sum`` for every indicator, overriding the frame's ``stat``.
    year_from, year_to : int, optional
        The range of years; each defaults to the first or last year with a value. Values
        outside the range are dropped before anything else.
    balanced : bool, default False
        Per indicator, use only the bases that reported it in every year of the range.

    Returns
    -------
    TrendTable

    Raises
    ------
    ValueError
        For a ``by`` or ``stat`` that is not allowed, an indicator or base code of ``values``
        missing from ``indicators`` or ``bases``, a missing code or year, ``year_from``
        after ``year_to``, or a range of more than :data:`MAX_YEARS` years (the bounds given,
        else the years of ``values``).
    """
    if by is not None and by not in reference.GROUP_FIELDS:
        allowed = ", ".join(reference.GROUP_FIELDS)
        raise ValueError(f"by={by!r} is not a base field to group by; allowed: {allowed}")
    if stat is not None and stat not in STATS:
        raise ValueError(f"stat={stat!r} is not a statistic; allowed: {', '.join(STATS)}")
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ValueError(f"year_from={year_from} is after year_to={year_to}")
    for column in ("base_code", "indicator_code", "year", "value"):
        if column not in values.columns:
            raise ValueError(f"values: column {column!r} is missing")

    indicator_codes, indicator_stats = _indicator_stats(indicators, stat)
    ind_codes, ind_categories = _codes_of(values["indicator_code"])
    base_codes, base_categories = _codes_of(values["base_code"])
    years = _year_array(values["year"])
    numbers = _value_array(values["value"])

    # Indicator categories -> position in the indicators frame.
    ind_position = pd.Index(indicator_codes).get_indexer(ind_categories.astype(str))
    _check_known(ind_codes, ind_position, ind_categories, "indicator_code", "indicators")

    group_names, base_group = _base_groups(bases, by, base_categories)
    _check_known(base_codes, base_group, base_categories, "base_code", "bases")

    n_ind, n_grp = len(indicator_codes), len(group_names)
    if len(years):
        span_lo, span_hi = int(years.min()), int(years.max())
    else:
        span_lo, span_hi = 0, -1
    _check_span(
        span_lo if year_from is None else year_from,
        span_hi if year_to is None else year_to,
        bool(len(years)) or (year_from is not None and year_to is not None),
    )
    lo = span_lo if year_from is None else max(span_lo, year_from)
    hi = span_hi if year_to is None else min(span_hi, year_to)
    # Only rows of years outside [lo, hi] need a mask; usually there are none.
    trim_years = lo > span_lo or hi < span_hi
    n_year = max(hi - lo + 1, 0)

    keep = None
    if balanced and n_year:
        keep = _balanced_keep(
            ind_codes,
            base_codes,
            years,
            numbers,
            len(ind_categories),
            len(base_categories),
            lo,
            hi,
            year_from,
            year_to,
        )

    n_cells = n_ind * n_grp * n_year
    ind_lut = (np.maximum(ind_position, 0).astype(np.int64) * n_grp * n_year - lo).astype(
        np.int32 if n_cells < 2**31 - 2**16 else np.int64
    )
    base_lut = (np.maximum(base_group, 0).astype(np.int64) * n_year).astype(ind_lut.dtype)
    median_positions = [i for i, s in enumerate(indicator_stats) if s == "median"]
    median_lut = None
    if median_positions:
        median_lut = np.isin(ind_position, median_positions)

    counts, sums, median_keys, median_values = _count_cells(
        ind_codes,
        base_codes,
        years,
        numbers,
        ind_lut=ind_lut,
        base_lut=base_lut,
        n_cells=n_cells,
        year_bounds=(lo, hi) if trim_years else None,
        keep=keep,
        keep_width=len(base_categories),
        median_lut=median_lut,
    )
    shape = (n_ind, n_grp, n_year)
    counts = counts.reshape(shape)
    sums = sums.reshape(shape)

    # The range of the result: the bounds given, else the first and last year with a value.
    with_value = np.flatnonzero(counts.sum(axis=(0, 1)))
    first = (
        year_from
        if year_from is not None
        else (lo + int(with_value[0]) if len(with_value) else None)
    )
    last = (
        year_to if year_to is not None else (lo + int(with_value[-1]) if len(with_value) else None)
    )
    if first is None or last is None:
        range_years: list[int] = []
        if year_from is not None and year_to is not None:
            range_years = list(range(year_from, year_to + 1))
    else:
        range_years = list(range(first, last + 1))
    counts = _reframe_years(counts, lo, range_years)
    sums = _reframe_years(sums, lo, range_years)

    figures = _figures(counts, sums, indicator_stats)
    if median_positions and range_years:
        medians = _cell_medians(median_keys, median_values, n_cells).reshape(shape)
        medians = _reframe_years(medians, lo, range_years, fill=np.nan)
        figures[median_positions] = medians[median_positions]

    return _assemble(
        by, range_years, indicator_codes, indicator_stats, group_names, figures, counts
    )


# --- inputs -------------------------------------------------------------------------------------


def _check_span(first: int, last: int, known: bool) -> None:
    """Refuse a range of years longer than MAX_YEARS (``known``: both ends are years)."""
    if known and last - first + 1 > MAX_YEARS:
        raise ValueError(
            f"the years {first}-{last} span {last - first + 1} years; at most {MAX_YEARS} "
            "are allowed"
        )


def _indicator_stats(indicators: pd.DataFrame, stat: str | None) -> tuple[list[str], list[str]]:
    if "code" not in indicators.columns:
        raise ValueError("indicators: column 'code' is missing")
    codes = [str(c) for c in indicators["code"]]
    duplicated = (
        sorted({c for c in codes if codes.count(c) > 1}) if len(set(codes)) < len(codes) else []
    )
    if duplicated:
        raise ValueError(f"indicators: code listed more than once: {', '.join(duplicated)}")
    if stat is not None:
        return codes, [stat] * len(codes)
    if "stat" not in indicators.columns:
        return codes, ["mean"] * len(codes)
    stats = []
    for code, value in zip(codes, indicators["stat"], strict=True):
        chosen = "mean" if pd.isna(value) or value == "" else str(value)
        if chosen not in STATS:
            raise ValueError(
                f"indicators: stat {chosen!r} of {code!r} is not a statistic; "
                f"allowed: {', '.join(STATS)}"
            )
        stats.append(chosen)
    return codes, stats


def _codes_of(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and their categories: free for a categorical column, hashed otherwise."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.array.codes, column.cat.categories
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes, pd.Index(uniques)


def _year_array(column: pd.Series) -> np.ndarray:
    if column.dtype.kind in "iu" and isinstance(column.dtype, np.dtype):
        return column.to_numpy()
    if column.isna().any():
        raise ValueError("values: column 'year' has a missing year")
    as_float = column.to_numpy(dtype=np.float64)
    as_int = as_float.astype(np.int64)
    if not np.array_equal(as_int, as_float):
        raise ValueError("values: column 'year' holds a year that is not a whole number")
    return as_int


def _value_array(column: pd.Series) -> np.ndarray:
    if column.dtype == np.float64:
        return column.to_numpy()
    return column.to_numpy(dtype=np.float64, na_value=np.nan)


def _check_known(
    codes: np.ndarray, position: np.ndarray, categories: pd.Index, column: str, frame: str
) -> None:
    """Refuse rows whose code is missing, or not in the frame that defines it.

    Categories nobody uses are allowed (a categorical column may carry spare ones), so rows are
    counted per category only when some category is unknown.
    """
    if len(codes) and codes.min() < 0:
        raise ValueError(f"values: column {column!r} has a missing code")
    unknown = np.flatnonzero(position < 0)
    if not len(unknown):
        return
    used = np.bincount(codes, minlength=len(categories))[unknown] > 0
    bad = [str(c) for c in categories[unknown[used]]]
    if bad:
        more = f" and {len(bad) - 10} more" if len(bad) > 10 else ""
        raise ValueError(
            f"values: column {column!r} has codes not in {frame}: {', '.join(bad[:10])}{more}"
        )


def _base_groups(
    bases: pd.DataFrame, by: str | None, categories: pd.Index
) -> tuple[list[str], np.ndarray]:
    """The groups in reading order, and each base category's group position (-1: unknown)."""
    if "code" not in bases.columns:
        raise ValueError("bases: column 'code' is missing")
    codes = bases["code"].astype(str)
    if codes.duplicated().any():
        twice = sorted(set(codes[codes.duplicated()]))
        raise ValueError(f"bases: code listed more than once: {', '.join(twice[:10])}")
    row_of_category = pd.Index(codes).get_indexer(categories.astype(str))
    if by is None:
        return [ALL_GROUP], np.where(row_of_category >= 0, 0, -1)
    if by not in bases.columns and by in ("region", "region_group") and "province" in bases.columns:
        bases = reference.bases_with_derived_fields(bases)
    if by not in bases.columns:
        raise ValueError(f"bases: column {by!r} is missing, needed to group by it")
    field = _group_strings(bases[by])
    names = field.dropna().unique().tolist()
    order = reference.group_order(by)
    known = [g for g in order if g in set(names)]
    others = sorted(set(names) - set(order), key=lambda g: (_numeric_key(g), g))
    group_names = known + others
    group_of_row = pd.Index(group_names).get_indexer(field.to_numpy(dtype=object, na_value=None))
    # A base with no value in the field cannot be placed; treat it as unknown.
    base_group = np.where(row_of_category >= 0, group_of_row[row_of_category], -1)
    missing_field = (row_of_category >= 0) & (base_group < 0)
    if missing_field.any():
        raise_missing = [str(c) for c in categories[missing_field][:10]]
        raise ValueError(f"bases: no {by} for base(s) {', '.join(raise_missing)}")
    return group_names, base_group


def _group_strings(field: pd.Series) -> pd.Series:
    """Group values as strings; whole numbers (batch 2016, or 2016.0 read from a file) as '2016'."""
    if field.dtype.kind in "iu":
        return field.astype(str)
    if field.dtype.kind == "f":
        whole = field.dropna()
        if (whole == np.floor(whole)).all():
            return field.map(lambda x: None if pd.isna(x) else str(int(x)))
    return field.map(lambda x: None if pd.isna(x) else str(x))


def _numeric_key(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.inf


# --- the counting pass ----------------------------------------------------------------------


def _balanced_keep(
    ind_codes: np.ndarray,
    base_codes: np.ndarray,
    years: np.ndarray,
    numbers: np.ndarray,
    n_ind_categories: int,
    n_base_categories: int,
    lo: int,
    hi: int,
    year_from: int | None,
    year_to: int | None,
) -> np.ndarray:
    """Per (indicator category, base category), flattened: did the base report every year?

    The range is that of the result: the bounds given, else the first and last year with a
    value; a year of the range outside the data leaves no base complete.
    """
    n_year = hi - lo + 1
    seen = np.zeros(n_ind_categories * n_base_categories * n_year, dtype=bool)
    index_type = np.int64 if seen.size >= 2**31 else np.int32
    for start in range(0, len(numbers), _CHUNK_ROWS):
        part = slice(start, start + _CHUNK_ROWS)
        year = years[part]
        use = ~np.isnan(numbers[part]) & (year >= lo) & (year <= hi)
        cell = ind_codes[part].astype(index_type) * n_base_categories + base_codes[part]
        cell *= n_year
        cell += year - lo
        seen[cell[use]] = True
    seen = seen.reshape(n_ind_categories * n_base_categories, n_year)
    years_with_value = np.flatnonzero(seen.any(axis=0))
    if not len(years_with_value):
        return np.zeros(len(seen), dtype=bool)
    first = year_from if year_from is not None else lo + int(years_with_value[0])
    last = year_to if year_to is not None else lo + int(years_with_value[-1])
    if first < lo or last > hi:
        return np.zeros(len(seen), dtype=bool)
    return seen[:, first - lo : last - lo + 1].all(axis=1)


def _count_cells(
    ind_codes: np.ndarray,
    base_codes: np.ndarray,
    years: np.ndarray,
    numbers: np.ndarray,
    *,
    ind_lut: np.ndarray,
    base_lut: np.ndarray,
    n_cells: int,
    year_bounds: tuple[int, int] | None,
    keep: np.ndarray | None,
    keep_width: int,
    median_lut: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Count and sum per cell; with ``median_lut``, also the rows (key, value) to take medians of.

    ``cell = ind_lut[indicator] + base_lut[base] + year`` where the lookup tables already hold
    ``i * G * Y - y0`` and ``g * Y``; rows that do not count go to the extra bin ``n_cells``.
    """

    def count_chunk(start: int):
        part = slice(start, start + _CHUNK_ROWS)
        ind, value, year = ind_codes[part], numbers[part], years[part]
        cell = ind_lut.take(ind)
        cell += base_lut.take(base_codes[part])
        np.add(cell, year, out=cell, casting="unsafe")
        drop = np.isnan(value)
        if year_bounds is not None:
            drop |= (year < year_bounds[0]) | (year > year_bounds[1])
        if keep is not None:
            drop |= ~keep.take(ind.astype(np.int64) * keep_width + base_codes[part])
        np.putmask(cell, drop, n_cells)
        count = np.bincount(cell, minlength=n_cells + 1)
        total = np.bincount(cell, weights=value, minlength=n_cells + 1)
        medians = None
        if median_lut is not None:
            chosen = median_lut.take(ind) & ~drop
            medians = (cell[chosen], value[chosen])
        return count, total, medians

    starts = range(0, len(numbers), _CHUNK_ROWS)
    workers = min(os.cpu_count() or 1, 8, max(len(starts), 1))
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(count_chunk, starts))
    else:
        parts = [count_chunk(s) for s in starts]

    counts = np.zeros(n_cells + 1, dtype=np.int64)
    sums = np.zeros(n_cells + 1, dtype=np.float64)
    # In chunk order, so that the sums are the same whatever the number of threads.
    for count, total, _ in parts:
        counts += count
        sums += total
    median_keys = median_values = None
    if median_lut is not None:
        median_keys = np.concatenate([p[2][0] for p in parts] or [np.zeros(0, np.int32)])
        median_values = np.concatenate([p[2][1] for p in parts] or [np.zeros(0)])
    return counts[:n_cells], sums[:n_cells], median_keys, median_values


def _cell_medians(keys: np.ndarray, values: np.ndarray, n_cells: int) -> np.ndarray:
    """The median of ``values`` per cell ``keys`` (NaN for a cell without rows).

    The rows are grouped by cell with a stable radix sort of the key (16 bits at a time; numpy
    sorts 16-bit integers by radix when asked for a stable sort), so each cell's values are
    contiguous; each cell's middle element(s) are then selected with ``np.partition``, in place.
    The loop is over cells, not rows.
    """
    out = np.full(n_cells, np.nan)
    if not len(keys):
        return out
    order = _stable_order(keys, n_cells)
    grouped = values[order]
    counts = np.bincount(keys, minlength=n_cells)
    ends = np.cumsum(counts)
    starts = ends - counts
    for cell in np.flatnonzero(counts):
        segment = grouped[starts[cell] : ends[cell]]
        size = len(segment)
        half = size // 2
        if size % 2:
            out[cell] = np.partition(segment, half)[half]
        else:
            low_high = np.partition(segment, (half - 1, half))
            out[cell] = (low_high[half - 1] + low_high[half]) / 2
    return out


def _stable_order(keys: np.ndarray, n_cells: int) -> np.ndarray:
    """A stable sorting permutation of non-negative integer keys, by 16-bit radix passes."""
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    shift = 16
    while (n_cells - 1) >> shift:
        digit = ((keys[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return order


# --- the result -------------------------------------------------------------------------------


def _reframe_years(
    cells: np.ndarray, lo: int, range_years: list[int], fill: float | int = 0
) -> np.ndarray:
    """Cells of years ``lo, lo+1, ...`` moved to the years of the range (``fill`` where none)."""
    out = np.full((*cells.shape[:2], len(range_years)), fill, dtype=cells.dtype)
    if not range_years:
        return out
    first, width = range_years[0], cells.shape[2]
    src_lo, src_hi = max(first, lo), min(range_years[-1], lo + width - 1)
    if src_lo <= src_hi:
        out[:, :, src_lo - first : src_hi - first + 1] = cells[:, :, src_lo - lo : src_hi - lo + 1]
    return out


def _figures(counts: np.ndarray, sums: np.ndarray, stats: list[str]) -> np.ndarray:
    """Mean or sum per cell (median filled in later); NaN where ``n == 0``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    figures = np.where(counts > 0, means, np.nan)
    sum_positions = [i for i, s in enumerate(stats) if s == "sum"]
    if sum_positions:
        figures[sum_positions] = np.where(counts[sum_positions] > 0, sums[sum_positions], np.nan)
    return figures


def _assemble(
    by: str | None,
    range_years: list[int],
    indicator_codes: list[str],
    indicator_stats: list[str],
    group_names: list[str],
    figures: np.ndarray,
    counts: np.ndarray,
) -> TrendTable:
    n_year = len(range_years)
    present = counts.sum(axis=2) > 0 if n_year else np.zeros(counts.shape[:2], dtype=bool)
    ind_index, grp_index = np.nonzero(present)
    indicator = np.asarray(indicator_codes, dtype=object)[ind_index]
    group = np.asarray(group_names, dtype=object)[grp_index]
    cell_figures = figures[ind_index, grp_index]
    cell_counts = counts[ind_index, grp_index]

    yearly = pd.DataFrame(
        {
            "indicator": np.repeat(indicator, n_year),
            "group": np.repeat(group, n_year),
            "year": np.tile(np.asarray(range_years, dtype=np.int64), len(indicator)),
            "value": cell_figures.reshape(-1).astype(np.float64),
            "n": cell_counts.reshape(-1).astype(np.int64),
        },
        columns=YEARLY_COLUMNS,
    )
    growth = _growth(indicator, group, range_years, cell_figures, cell_counts)
    stats = {code: indicator_stats[i] for i, code in enumerate(indicator_codes) if present[i].any()}
    return TrendTable(by=by, years=list(range_years), yearly=yearly, growth=growth, stats=stats)


def _growth(
    indicator: np.ndarray,
    group: np.ndarray,
    range_years: list[int],
    figures: np.ndarray,
    counts: np.ndarray,
) -> pd.DataFrame:
    """Compound annual growth from the first to the last year with a value, per row."""
    rows = len(indicator)
    if rows == 0:
        return pd.DataFrame(
            {
                "indicator": pd.Series(dtype=object),
                "group": pd.Series(dtype=object),
                "first_year": pd.Series(dtype="Int64"),
                "last_year": pd.Series(dtype="Int64"),
                "cagr": pd.Series(dtype=np.float64),
                "cagr_note": pd.Series(dtype=object),
            }
        )
    years = np.asarray(range_years, dtype=np.int64)
    has = counts > 0
    first_at = has.argmax(axis=1)
    last_at = has.shape[1] - 1 - has[:, ::-1].argmax(axis=1)
    row = np.arange(rows)
    v_first, v_last = figures[row, first_at], figures[row, last_at]
    y_first, y_last = years[first_at], years[last_at]
    span = y_last - y_first
    defined = (span > 0) & (v_first > 0) & (v_last >= 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.power(v_last / v_first, 1.0 / np.where(span > 0, span, 1)) - 1.0
    cagr = np.where(defined, rate, np.nan)
    notes: list[str | None] = [None] * rows
    for i in np.flatnonzero(~defined):
        notes[i] = _growth_note(int(y_first[i]), int(y_last[i]), v_first[i], v_last[i])
    return pd.DataFrame(
        {
            "indicator": indicator,
            "group": group,
            "first_year": pd.array(y_first, dtype="Int64"),
            "last_year": pd.array(y_last, dtype="Int64"),
            "cagr": cagr,
            "cagr_note": pd.Series(notes, dtype=object),
        },
        columns=GROWTH_COLUMNS,
    )


def _growth_note(y_first: int, y_last: int, v_first: float, v_last: float) -> str:
    """Why the growth rate is undefined, with the year and value concerned."""
    if y_first == y_last:
        return f"only one year with a value ({y_first})"
    if v_first == 0:
        return f"start value is zero ({y_first})"
    if v_first < 0:
        return f"start value is negative ({y_first}: {_significant_text(v_first)})"
    if v_last < 0:
        return f"end value is negative ({y_last}: {_significant_text(v_last)})"
    return (
        f"start or end value is not a finite number "
        f"({y_first}: {_significant_text(v_first)}, {y_last}: {_significant_text(v_last)})"
    )


def _significant_text(x: float) -> str:
    """A value in a note: up to 15 significant digits, without a trailing '.0'."""
    return f"{x:.15g}"
