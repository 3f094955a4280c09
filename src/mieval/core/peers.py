"""A base against its peers: the quartiles of the other bases of its subcategory, per year
(:func:`peer_quartiles`); the medians of a peer group's index scores (:func:`peer_medians`);
each base's percentile among the bases of its subcategory (:func:`peer_percentiles`).

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

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence

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


def peer_medians(
    values: Mapping[str, Mapping[str, float | None]], peers: Iterable[str], codes: Sequence[str]
) -> dict[str, float | None]:
    """The median of the peers' values of each code: the peer group's line on a base's index
    page (its radar and its table of scores).

    Parameters
    ----------
    values : mapping
        ``{unit: {code: value}}``, e.g. the index scores or the normalised indicator values of
        a run by base; a value may be None or NaN (no value).
    peers : iterable of str
        The units of the peer group (the index page: every base of the subcategory, the base
        itself included); a unit missing from ``values`` has no value of any code.
    codes : sequence of str
        The codes wanted, in the order of the result.

    Returns
    -------
    dict
        ``{code: median}`` in the order of ``codes``: the median of the peers' values of the
        code (the mean of the two middle values for an even count, as
        :func:`statistics.median`), None where no peer has a value.

    Examples
    --------
    >>> peer_medians({"A": {"k": 1.0}, "B": {"k": 4.0}, "C": {"k": None}}, ["A", "B", "C"],
    ...              ["k", "m"])
    {'k': 2.5, 'm': None}
    """
    peers = list(peers)
    out: dict[str, float | None] = {}
    for code in codes:
        present = [values.get(unit, {}).get(code) for unit in peers]
        present = [v for v in present if v is not None and not math.isnan(v)]
        out[code] = statistics.median(present) if present else None
    return out


PERCENTILE_COLUMNS = [
    "base_code",
    "indicator_code",
    "year",
    "value",
    "subcategory",
    "peer_mean",
    "peer_n",
    "percentile",
]


def peer_percentiles(
    values: pd.DataFrame, bases: pd.DataFrame, directions: Mapping[str, int]
) -> pd.DataFrame:
    r"""Each value with its peer group's mean and size and the base's percentile in the group:
    the figures of the base profiles of a report.

    The peer group of a value is every base of the same subcategory with a row of the same
    indicator and year, the base itself included. The percentile is the mid-rank percentile of
    the value, signed by the indicator's direction (so that a high percentile is good): for
    :math:`n` rows of which :math:`b` are below and :math:`e` equal (the value itself
    included),

    .. math:: P = 100\,\frac{b + e / 2}{n} = 100\,\frac{r - 1/2}{n},

    :math:`r` the average rank (ties share the mean of their ranks).

    Parameters
    ----------
    values : pandas.DataFrame
        ``base_code``, ``indicator_code``, ``year``, ``value`` (float; NaN: not reported).
    bases : pandas.DataFrame
        ``code`` and ``subcategory`` of the bases; a value of a base not in it is left out.
    directions : mapping
        ``{indicator code: 1 or -1}``: -1 where a smaller value is better.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PERCENTILE_COLUMNS`, one row per row of ``values`` whose base is in
        ``bases``, in the order of ``values``: ``subcategory``, ``peer_mean`` (the mean of the
        group's values, NaN left out), ``peer_n`` (the group's rows, a NaN value included) and
        ``percentile`` (NaN for a group of one, a NaN value or an indicator without a
        direction). Nothing is rounded.

    Examples
    --------
    Three bases of one subcategory: values 10, 20, 20; the 10 has nobody below,
    100 * (0 + 1/2) / 3 = 16.67; each 20 has one below and two equal, 100 * (1 + 1) / 3:

    >>> values = pd.DataFrame({"base_code": ["A", "B", "C"], "indicator_code": "k",
    ...                        "year": 2016, "value": [10.0, 20.0, 20.0]})
    >>> bases = pd.DataFrame({"code": ["A", "B", "C"], "subcategory": "s"})
    >>> peer_percentiles(values, bases, {"k": 1})["percentile"].round(2).tolist()
    [16.67, 66.67, 66.67]
    """
    merged = values.merge(
        bases[["code", "subcategory"]], left_on="base_code", right_on="code", how="inner"
    )
    merged["signed"] = merged["value"] * merged["indicator_code"].map(directions)
    grouped = merged.groupby(["subcategory", "indicator_code", "year"], sort=False)
    merged["peer_mean"] = grouped["value"].transform("mean")
    merged["peer_n"] = grouped["value"].transform("size")
    rank = grouped["signed"].rank(method="average", pct=False)
    merged["percentile"] = np.where(
        merged["peer_n"] > 1, (rank - 0.5) / merged["peer_n"] * 100, np.nan
    )
    return merged[PERCENTILE_COLUMNS]
