"""Conversions between the long frames of the public API and the wide frames used inside.

A long frame has the columns ``unit`` (str), ``code`` (str), ``value`` (float, NaN where
missing) and, in panel data, ``year`` (int). Its wide form has one column per ``code`` and the
index ``unit`` (cross-section) or ``(year, unit)`` (panel), rows and columns in order of first
appearance.
"""

from __future__ import annotations

import pandas as pd

LONG_COLUMNS = ["unit", "code", "value"]


def check_long(data: pd.DataFrame, name: str = "data") -> None:
    missing = [c for c in LONG_COLUMNS if c not in data.columns]
    if missing:
        raise ValueError(f"{name} needs the columns unit, code, value; missing: {missing}")
    keys = ["year", "unit", "code"] if "year" in data.columns else ["unit", "code"]
    duplicated = data.duplicated(keys)
    if duplicated.any():
        row = data.loc[duplicated].iloc[0]
        raise ValueError(f"{name} has more than one row for {tuple(row[keys])}")


def to_wide(data: pd.DataFrame, codes: list[str] | None = None) -> pd.DataFrame:
    """The wide form of a long frame (columns ``codes`` when given, in that order)."""
    check_long(data)
    index = ["year", "unit"] if "year" in data.columns else ["unit"]
    units = pd.unique(data["unit"])
    wide = data.pivot_table(
        index=index, columns="code", values="value", aggfunc="first", dropna=False, sort=False
    )
    wide.columns.name = None
    if codes is None:
        codes = list(pd.unique(data["code"]))
    wide = wide.reindex(columns=codes)
    if len(index) == 1:
        wide = wide.reindex(units)
        wide.index.name = "unit"
    else:
        years = sorted(pd.unique(data["year"]))
        full = pd.MultiIndex.from_product([years, units], names=["year", "unit"])
        wide = wide.reindex(full)
    return wide.astype(float)


def to_long(wide: pd.DataFrame) -> pd.DataFrame:
    """The long form of a wide frame: ``[year,] unit, code, value``, every cell a row."""
    stacked = wide.stack(future_stack=True).rename("value").reset_index()
    names = list(wide.index.names)
    stacked.columns = [*names, "code", "value"]
    stacked["value"] = stacked["value"].astype(float)
    return stacked[[*names, "code", "value"]].reset_index(drop=True)


def by_year(wide: pd.DataFrame, function) -> pd.DataFrame:
    """Apply ``function`` (wide cross-section -> wide cross-section) to each year separately."""
    if wide.index.nlevels == 1:
        return function(wide)
    parts = []
    for year, part in wide.groupby(level="year", sort=False):
        result = function(part.droplevel("year"))
        parts.append(pd.concat({year: result}, names=["year"]))
    return pd.concat(parts)
