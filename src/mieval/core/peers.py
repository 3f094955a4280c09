"""A base against its peers: the quartiles of the other bases of its subcategory, per year.

Plain pandas, no Django. The base profile page draws the base's yearly values against the
band from the first to the third quartile of its peers and their median.

Peers are the *other* bases of the base's subcategory (the base itself is left out, so that it
is compared with the others, not partly with itself). Statistics are given only where at least
:data:`MIN_PEERS` peers reported the indicator that year; with fewer, a quartile says more about
one or two bases than about the subcategory, and would let a reader guess a peer's figure.

Quartiles are linear interpolations between order statistics (Hyndman and Fan's type 7, the
default of R's ``quantile`` and of ``numpy.quantile``): for sorted values
:math:`x_{(1)} \\le \\dots \\le x_{(n)}` and :math:`p \\in \\{0.25, 0.5, 0.75\\}`,
:math:`h = (n - 1) p`, :math:`Q_p = x_{(\\lfloor h \\rfloor + 1)} + (h - \\lfloor h \\rfloor)
(x_{(\\lfloor h \\rfloor + 2)} - x_{(\\lfloor h \\rfloor + 1)})`.
"""

import numpy as np
import pandas as pd

#: The fewest other bases of the subcategory that must have reported for statistics to show.
MIN_PEERS = 3

PEER_COLUMNS = ["indicator_code", "year", "value", "peers", "q1", "median", "q3"]


def peer_quartiles(
    values: pd.DataFrame, bases: pd.DataFrame, base_code: str, *, min_peers: int = MIN_PEERS
) -> pd.DataFrame:
    """The base's values and its peers' quartiles per indicator and year.

    Parameters
    ----------
    values : pandas.DataFrame
        Long format: ``base_code``, ``indicator_code``, ``year`` (int), ``value`` (float; NaN
        is a value not reported). Rows of bases outside the subcategory are ignored.
    bases : pandas.DataFrame
        ``code`` and ``subcategory`` of at least the base and its peers.
    base_code : str
        The base to compare.
    min_peers : int, default :data:`MIN_PEERS`
        The fewest reporting peers for which ``q1``, ``median`` and ``q3`` are given.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator_code`` (str), ``year`` (int), ``value`` (float: the base's own
        value, NaN where it reported none), ``peers`` (int: the number of other bases of the
        subcategory with a value), ``q1``, ``median``, ``q3`` (float: the peers' first
        quartile, median and third quartile, NaN where ``peers < min_peers``). One row per
        indicator and year for which the base or a peer has a value, sorted by indicator code
        and year.

    Raises
    ------
    ValueError
        When ``base_code`` is not in ``bases``.
    """
    own_row = bases.loc[bases["code"] == base_code]
    if own_row.empty:
        raise ValueError(f"base {base_code!r} is not in the bases frame")
    subcategory = own_row["subcategory"].iloc[0]
    peer_codes = bases.loc[
        (bases["subcategory"] == subcategory) & (bases["code"] != base_code), "code"
    ]
    keys = ["indicator_code", "year"]
    reported = values.loc[values["value"].notna(), ["base_code", *keys, "value"]].astype(
        {"value": "float64"}
    )
    own = reported.loc[reported["base_code"] == base_code].set_index(keys)["value"]
    peer_values = reported.loc[reported["base_code"].isin(peer_codes)]
    grouped = peer_values.groupby(keys)["value"]
    stats = pd.DataFrame(
        {
            "peers": grouped.size(),
            "q1": grouped.quantile(0.25),
            "median": grouped.median(),
            "q3": grouped.quantile(0.75),
        }
    )
    index = own.index.union(stats.index) if len(stats) else own.index
    if not len(index):
        return pd.DataFrame(
            {
                "indicator_code": pd.Series(dtype=object),
                "year": pd.Series(dtype="int64"),
                "value": pd.Series(dtype="float64"),
                "peers": pd.Series(dtype="int64"),
                **{c: pd.Series(dtype="float64") for c in ("q1", "median", "q3")},
            },
            columns=PEER_COLUMNS,
        )
    out = stats.reindex(index)
    out["value"] = own.reindex(index)
    out["peers"] = out["peers"].fillna(0).astype("int64")
    too_few = out["peers"] < min_peers
    for column in ("q1", "median", "q3"):
        out[column] = np.where(too_few, np.nan, out[column].astype("float64"))
    out = out.reset_index().sort_values(keys, ignore_index=True)
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    return out[PEER_COLUMNS]
