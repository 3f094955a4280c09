r"""The composition effect: how much of a yearly change of the mean comes from bases joining or
leaving, and how much from the bases that reported in both years.

Plain pandas/numpy, no Django. :func:`trend_decomposition` takes the same long ``values``,
``bases`` and ``indicators`` frames and options as
:func:`~mieval.core.trends.table.trend_table` (``DESIGN.md``, "Rounds and the composition
effect") and returns one row per indicator, group and year after the first of the range, full
precision; :meth:`TrendTable.to_json_dict(decomposition=...)
<mieval.core.trends.table.TrendTable.to_json_dict>` writes it into the JSON document of
``mieval trends --decompose`` and the renderers of :mod:`mieval.core.trends.render` lay it out.

The statistic is always the mean, whatever the trend table's statistic: the split below is a
property of means (a median or a sum of two sets of bases does not split this way).

How it is computed
------------------
Each value row (with a value, in the range, and kept by ``balanced``) is marked in a dense
boolean array indexed by ``(indicator, base, year)``; a row *continues* when its base has a
value of the indicator in the calendar year before, and *goes on* when it has one in the year
after. Then ``np.bincount`` over the cell key ``(indicator, group, year)`` gives, in one pass
each: the count and sum over every row (:math:`S_t`), the count and sum over the continuing
rows (:math:`C_t` in year :math:`t`) and the sum over the rows that go on, counted in the
following year's cell (:math:`C_{t+1}` in year :math:`t`). Everything else is arithmetic on
arrays of cells; the only Python loop writes the notes of the cells whose :math:`C` is empty.
"""

from __future__ import annotations

import enum

import numpy as np
import pandas as pd

from mieval.core import reference
from mieval.core.trends.table import (
    _balanced_keep,
    _base_groups,
    _check_known,
    _check_span,
    _codes_of,
    _indicator_stats,
    _value_array,
    _year_array,
)

DECOMPOSITION_COLUMNS = [
    "indicator",
    "group",
    "year",
    "n_prev",
    "n_now",
    "n_common",
    "n_entered",
    "n_exited",
    "mean_prev",
    "mean_now",
    "change",
    "within",
    "entry",
    "exit",
    "note_code",
    "note",
]


class DecompositionNote(enum.StrEnum):
    """Why a year's decomposition is undefined: no base reported the indicator in both years."""

    #: No base of the group reported the indicator in either year.
    NO_VALUES = "no_values"
    #: No base reported it in the year before (every base of this year is new).
    NO_VALUES_PREV = "no_values_prev"
    #: No base reported it this year (every base of the year before left).
    NO_VALUES_NOW = "no_values_now"
    #: Bases reported it in both years, but not the same bases.
    NO_COMMON_BASES = "no_common_bases"


def trend_decomposition(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    by: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    balanced: bool = False,
) -> pd.DataFrame:
    r"""The change of the mean from one year to the next, split into within, entry and exit.

    For indicator :math:`i`, group :math:`g` and a year :math:`t` after the first of the range,
    let :math:`S_{t-1}` and :math:`S_t` be the bases of the group with a (non-missing) value in
    the calendar year before and in year :math:`t`, :math:`C = S_{t-1} \cap S_t`, and
    :math:`M(S, y) = \frac{1}{|S|} \sum_{b \in S} x_{biy}` the mean over :math:`S` in year
    :math:`y`. Then

    .. math::

        \text{within} &= M(C, t) - M(C, t-1) \\
        \text{entry}  &= M(S_t, t) - M(C, t) \\
        \text{exit}   &= M(C, t-1) - M(S_{t-1}, t-1)

    and :math:`\text{within} + \text{entry} + \text{exit} = M(S_t, t) - M(S_{t-1}, t-1)`, the
    change of the mean (up to the rounding of the three subtractions, at most a few units in
    the last place). *Within* is the change at the bases that reported both years; *entry* how
    far the bases that joined in :math:`t` move this year's mean away from theirs; *exit* how
    far the bases that left after :math:`t-1` had moved last year's mean away from theirs. A
    base that reports again after a gap is in :math:`S_t` but not in :math:`S_{t-1}`: it counts
    as entering. Where :math:`C` is empty the three are undefined (NaN) and ``note`` says why.

    With ``balanced`` every base kept reports every year, so :math:`S_{t-1} = S_t = C`: entry
    and exit are exactly 0 (the means of :math:`S_t` and of :math:`C` add the same values in
    the same order).

    Parameters
    ----------
    values, bases, indicators : pandas.DataFrame
        As for :func:`~mieval.core.trends.table.trend_table`; the indicators' ``stat`` is
        ignored (always the mean).
    by : str, optional
        A field of :data:`reference.GROUP_FIELDS`; None for one group, ``"all"``.
    year_from, year_to : int, optional
        The range of years; each defaults to the first or last year with a value, as in the
        trend table, so that the rows match the trend table's rows.
    balanced : bool, default False
        Per indicator, only the bases that reported it in every year of the range.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`DECOMPOSITION_COLUMNS`: ``indicator``, ``group`` (str), ``year`` (int,
        :math:`t`), ``n_prev`` :math:`|S_{t-1}|`, ``n_now`` :math:`|S_t|`, ``n_common``
        :math:`|C|`, ``n_entered`` :math:`|S_t \setminus C|`, ``n_exited``
        :math:`|S_{t-1} \setminus C|` (int), ``mean_prev`` :math:`M(S_{t-1}, t-1)`,
        ``mean_now`` :math:`M(S_t, t)`, ``change`` their difference (NaN where a set is
        empty), ``within``, ``entry``, ``exit`` (float, NaN where :math:`C` is empty),
        ``note_code`` (a :class:`DecompositionNote` value, else None) and ``note`` (English,
        else None). One row per indicator and group of the trend table (those with a value in
        the range) and per year of the range after the first, in the trend table's order.

    Raises
    ------
    ValueError
        As :func:`~mieval.core.trends.table.trend_table` does.
    """
    if by is not None and by not in reference.GROUP_FIELDS:
        allowed = ", ".join(reference.GROUP_FIELDS)
        raise ValueError(f"by={by!r} is not a base field to group by; allowed: {allowed}")
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ValueError(f"year_from={year_from} is after year_to={year_to}")
    for column in ("base_code", "indicator_code", "year", "value"):
        if column not in values.columns:
            raise ValueError(f"values: column {column!r} is missing")

    indicator_codes, _ = _indicator_stats(indicators, "mean")
    ind_codes, ind_categories = _codes_of(values["indicator_code"])
    base_codes, base_categories = _codes_of(values["base_code"])
    years = _year_array(values["year"]).astype(np.int64, copy=False)
    numbers = _value_array(values["value"])
    ind_position = pd.Index(indicator_codes).get_indexer(ind_categories.astype(str))
    _check_known(ind_codes, ind_position, ind_categories, "indicator_code", "indicators")
    group_names, base_group = _base_groups(bases, by, base_categories)
    _check_known(base_codes, base_group, base_categories, "base_code", "bases")

    span_lo, span_hi = (int(years.min()), int(years.max())) if len(years) else (0, -1)
    _check_span(
        span_lo if year_from is None else year_from,
        span_hi if year_to is None else year_to,
        bool(len(years)) or (year_from is not None and year_to is not None),
    )
    lo = span_lo if year_from is None else max(span_lo, year_from)
    hi = span_hi if year_to is None else min(span_hi, year_to)
    use = ~np.isnan(numbers) & (years >= lo) & (years <= hi)
    if balanced and hi >= lo:
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
        use &= keep[ind_codes.astype(np.int64) * len(base_categories) + base_codes]
    range_years = _range_years(years[use], year_from, year_to)
    return _decompose(
        ind_codes[use].astype(np.int64),
        base_codes[use].astype(np.int64),
        years[use],
        numbers[use],
        ind_position=ind_position,
        base_group=base_group,
        n_base_categories=len(base_categories),
        indicator_codes=indicator_codes,
        group_names=group_names,
        range_years=range_years,
    )


def _range_years(used_years: np.ndarray, year_from: int | None, year_to: int | None) -> list[int]:
    """The trend table's range: the bounds given, else the first and last year with a value."""
    first = (
        year_from if year_from is not None else (int(used_years.min()) if len(used_years) else None)
    )
    last = year_to if year_to is not None else (int(used_years.max()) if len(used_years) else None)
    if first is None or last is None:
        return []
    return list(range(first, last + 1))


def _decompose(
    ind_codes: np.ndarray,
    base_codes: np.ndarray,
    years: np.ndarray,
    numbers: np.ndarray,
    *,
    ind_position: np.ndarray,
    base_group: np.ndarray,
    n_base_categories: int,
    indicator_codes: list[str],
    group_names: list[str],
    range_years: list[int],
) -> pd.DataFrame:
    """The decomposition frame from the rows that count (every one with a value, in range)."""
    width = len(range_years)
    if width < 2:
        return _empty_frame()
    offset = years - range_years[0]

    # Which (indicator, base) reported in which year: the neighbours of each row.
    pair = ind_codes * n_base_categories + base_codes
    key = pair * width + offset
    seen = np.zeros(int(pair.max()) * width + width if len(pair) else 0, dtype=bool)
    seen[key] = True
    last = seen.size - 1
    continues = (offset > 0) & seen[np.maximum(key - 1, 0)]
    goes_on = (offset < width - 1) & seen[np.minimum(key + 1, last)]

    n_ind, n_grp = len(indicator_codes), len(group_names)
    n_cells = n_ind * n_grp * width
    cell = (ind_position[ind_codes] * n_grp + base_group[base_codes]) * width + offset
    shape = (n_ind, n_grp, width)
    n_all = np.bincount(cell, minlength=n_cells).reshape(shape)
    sum_all = np.bincount(cell, weights=numbers, minlength=n_cells).reshape(shape)
    n_common = np.bincount(cell[continues], minlength=n_cells).reshape(shape)
    sum_common_now = np.bincount(
        cell[continues], weights=numbers[continues], minlength=n_cells
    ).reshape(shape)
    # A row that goes on is a value of C in the year before the next cell's year.
    sum_common_prev = np.bincount(
        cell[goes_on] + 1, weights=numbers[goes_on], minlength=n_cells
    ).reshape(shape)

    present = n_all.sum(axis=2) > 0
    ind_index, grp_index = np.nonzero(present)
    n_rows = len(ind_index)

    def now(a: np.ndarray) -> np.ndarray:
        return a[ind_index, grp_index, 1:].reshape(-1)

    def before(a: np.ndarray) -> np.ndarray:
        return a[ind_index, grp_index, :-1].reshape(-1)

    n_prev, n_now, n_c = before(n_all), now(n_all), now(n_common)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_prev = before(sum_all) / n_prev
        mean_now = now(sum_all) / n_now
        common_now = now(sum_common_now) / n_c
        common_prev = now(sum_common_prev) / n_c
    mean_prev[n_prev == 0] = np.nan
    mean_now[n_now == 0] = np.nan
    defined = n_c > 0
    within = np.where(defined, common_now - common_prev, np.nan)
    entry = np.where(defined, mean_now - common_now, np.nan)
    exit_ = np.where(defined, common_prev - mean_prev, np.nan)

    year_now = np.tile(np.asarray(range_years[1:], dtype=np.int64), n_rows)
    codes: list[str | None] = [None] * len(year_now)
    notes: list[str | None] = [None] * len(year_now)
    for at in np.flatnonzero(~defined):
        codes[at], notes[at] = _empty_note(int(year_now[at]), int(n_prev[at]), int(n_now[at]))

    return pd.DataFrame(
        {
            "indicator": np.repeat(np.asarray(indicator_codes, dtype=object)[ind_index], width - 1),
            "group": np.repeat(np.asarray(group_names, dtype=object)[grp_index], width - 1),
            "year": year_now,
            "n_prev": n_prev.astype(np.int64),
            "n_now": n_now.astype(np.int64),
            "n_common": n_c.astype(np.int64),
            "n_entered": (n_now - n_c).astype(np.int64),
            "n_exited": (n_prev - n_c).astype(np.int64),
            "mean_prev": mean_prev,
            "mean_now": mean_now,
            "change": mean_now - mean_prev,
            "within": within,
            "entry": entry,
            "exit": exit_,
            "note_code": pd.Series(codes, dtype=object),
            "note": pd.Series(notes, dtype=object),
        },
        columns=DECOMPOSITION_COLUMNS,
    )


def _empty_frame() -> pd.DataFrame:
    columns = {name: pd.Series(dtype=np.float64) for name in DECOMPOSITION_COLUMNS}
    for name in ("indicator", "group", "note_code", "note"):
        columns[name] = pd.Series(dtype=object)
    for name in ("year", "n_prev", "n_now", "n_common", "n_entered", "n_exited"):
        columns[name] = pd.Series(dtype=np.int64)
    return pd.DataFrame(columns, columns=DECOMPOSITION_COLUMNS)


def _empty_note(year: int, n_prev: int, n_now: int) -> tuple[DecompositionNote, str]:
    """Why ``C`` is empty in ``year``, as a code and an English sentence with the counts."""
    prev = year - 1
    head = f"no base reported a value in both {prev} and {year}"
    if n_prev == 0 and n_now == 0:
        return DecompositionNote.NO_VALUES, f"{head} (none in either year)"
    if n_prev == 0:
        return DecompositionNote.NO_VALUES_PREV, f"{head} (none in {prev})"
    if n_now == 0:
        return DecompositionNote.NO_VALUES_NOW, f"{head} (none in {year})"
    return (
        DecompositionNote.NO_COMMON_BASES,
        f"{head} ({_bases_text(n_prev)} in {prev}, {_bases_text(n_now)} in {year}, none the same)",
    )


def _bases_text(n: int) -> str:
    return "1 base" if n == 1 else f"{n:,} bases"
