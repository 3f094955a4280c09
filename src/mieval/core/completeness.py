"""Completeness of a campaign's data: the share of the expected values that were reported.

Plain pandas, no Django. A value is *expected* for every base in scope, every indicator that
applies to the base's category, and every year of the campaign; it is *reported* when a value
(zero included) is present for it. Values of an indicator that does not apply to the base's
category, or of a year outside the range, are not counted.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mieval.core import reference
from mieval.core.indicators import indicator_applies

COMPLETENESS_COLUMNS = ["group", "expected", "reported", "share"]


def completeness(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    first_year: int,
    last_year: int,
    by: str = "indicator",
) -> pd.DataFrame:
    """Expected and reported values per indicator, or per value of a base field.

    Parameters
    ----------
    values : pandas.DataFrame
        Long format: ``base_code``, ``indicator_code``, ``year``, ``value`` (NaN: not reported).
    bases : pandas.DataFrame
        The bases in scope: ``code``, ``category`` and the field named by ``by``.
    indicators : pandas.DataFrame
        ``code`` and ``categories`` (a tuple of category codes; empty: every category), in
        reading order.
    first_year, last_year : int
        The years of the campaign, both included.
    by : str, default "indicator"
        ``indicator``, or a column of ``bases`` (``subcategory``, ``category``, ...).

    Returns
    -------
    pandas.DataFrame
        Columns ``group`` (the indicator code or the field's value), ``expected`` (int),
        ``reported`` (int) and ``share`` (float, ``reported / expected``, NaN where nothing is
        expected). Indicators in the order of ``indicators``; field values sorted, or in the
        order of the ``bases`` column's categories when it is categorical.
    """
    if first_year > last_year:
        raise ValueError(f"first_year={first_year} is after last_year={last_year}")
    if by != "indicator" and by not in bases.columns:
        raise ValueError(f"by={by!r} is neither 'indicator' nor a column of the bases frame")
    years = last_year - first_year + 1
    applies = [
        (base.code, indicator.code, getattr(base, by) if by != "indicator" else indicator.code)
        for indicator in indicators.itertuples(index=False)
        for base in bases.itertuples(index=False)
        if indicator_applies(indicator.categories, base.category)
    ]
    pairs = pd.DataFrame(applies, columns=["base_code", "indicator_code", "group"])
    in_range = values.loc[
        values["value"].notna() & values["year"].between(first_year, last_year),
        ["base_code", "indicator_code"],
    ]
    reported = (
        pairs.merge(in_range, on=["base_code", "indicator_code"], how="inner")
        .groupby("group")
        .size()
    )
    expected = pairs.groupby("group").size() * years
    if by == "indicator":
        order = [str(c) for c in indicators["code"]]
    elif isinstance(bases[by].dtype, pd.CategoricalDtype):
        order = list(bases[by].cat.categories)
    else:
        order = sorted(bases[by].dropna().unique().tolist())
    expected = expected.reindex(order, fill_value=0)
    reported = reported.reindex(order, fill_value=0)
    out = pd.DataFrame(
        {
            "group": order,
            "expected": expected.to_numpy(dtype=np.int64),
            "reported": reported.to_numpy(dtype=np.int64),
        }
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = np.where(
            out["expected"] > 0, out["reported"] / out["expected"].replace(0, 1), np.nan
        )
    return out[COMPLETENESS_COLUMNS]


@dataclass(frozen=True)
class CompletenessSummary:
    """A campaign's completeness, as its pages show it (:func:`completeness_summary`)."""

    by_indicator: pd.DataFrame  # COMPLETENESS_COLUMNS, every indicator, in reading order
    by_subcategory: pd.DataFrame  # COMPLETENESS_COLUMNS, subcategories expecting something
    expected: int
    reported: int

    @property
    def share(self) -> float:
        """``reported / expected`` over every indicator; NaN where nothing is expected."""
        return self.reported / self.expected if self.expected else float("nan")


def completeness_summary(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    first_year: int,
    last_year: int,
) -> CompletenessSummary:
    """:func:`completeness` by indicator and by subcategory, and the totals.

    Parameters are those of :func:`completeness`; ``bases`` also holds ``subcategory``.
    Subcategories come in the reference order (not alphabetical), and those without a base in
    scope, which expect nothing, are left out. The totals are the sums over the indicators.
    """
    years = {"first_year": first_year, "last_year": last_year}
    by_indicator = completeness(values, bases, indicators, **years)
    in_reference_order = bases.assign(
        subcategory=pd.Categorical(
            bases["subcategory"], categories=reference.group_order("subcategory")
        )
    )
    by_subcategory = completeness(values, in_reference_order, indicators, by="subcategory", **years)
    by_subcategory = by_subcategory.loc[by_subcategory["expected"] > 0].reset_index(drop=True)
    return CompletenessSummary(
        by_indicator=by_indicator,
        by_subcategory=by_subcategory,
        expected=int(by_indicator["expected"].sum()),
        reported=int(by_indicator["reported"].sum()),
    )
