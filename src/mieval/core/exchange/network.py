r"""The network of realised cooperation: how many links, across which regions and types, and
how concentrated on a few parties.

The poster's problem 1 is the "lack of communication channels and exchange mechanisms
between the different types of demonstration sites in the East and Midwest"; problem 3 that
bases cluster among their own kind instead of integrating with the "professional service
providers". The exchange follows every accepted contact to its outcome
(:mod:`mieval.core.exchange.outcomes`); the realised ones are the links measured here, per
evaluation round, so that a round can be compared with the one before.

Links
-----
One row per realised cooperation, columns :data:`LINK_COLUMNS`: ``round`` (the round's code),
``from_node``, ``to_node`` (party keys, e.g. a base code or ``org:CODE``), ``from_kind``,
``to_kind`` (a base category of :data:`BASE_KINDS` or a provider kind of
:data:`PROVIDER_KINDS`), ``from_group``, ``to_group`` (region groups of :data:`GROUPS`). The
network is undirected: who asked does not matter. Two cooperations between the same two
parties are two links.

Figures (:func:`network_figures`)
---------------------------------
With :math:`L` links, :math:`N` parties with at least one link, :math:`d_i` the degree of
party :math:`i` (its links; :math:`\sum_i d_i = 2L`) and :math:`s_i = d_i / 2L` its share of
the link ends:

- ``cross_region``: links whose two ends are in different region groups, and their share of
  :math:`L`;
- ``east_central_west``: links between an East and a Central-West party, and their share;
- ``base_provider``: links between a base and a service provider, and their share;
- ``hhi``: the Herfindahl-Hirschman index :math:`H = \sum_i s_i^2` (1 when one party holds
  every link; :math:`1/N` at its lowest, when all hold the same number; Rhoades 1993,
  *Federal Reserve Bulletin* 79, 188-189), with ``hhi_min`` :math:`= 1/N` beside it;
- ``top_decile_share``: the share of link ends held by the :math:`\lceil N/10 \rceil`
  parties with the most links (``top_decile_nodes``);
- ``by_region_pair`` and ``by_type_pair``: links per unordered pair (the two codes sorted),
  with their share of :math:`L`, most links first, then by the codes.

Shares and indices are None where there is no link. Full precision: rounding is for display.
"""

import math

import pandas as pd

LINK_COLUMNS = ["round", "from_node", "to_node", "from_kind", "to_kind", "from_group", "to_group"]
BASE_KINDS = ("region", "university_institute", "enterprise")
PROVIDER_KINDS = ("local_association", "national_society", "third_party")
GROUPS = ("east", "central_west", "northeast")
#: The figures :func:`network_rounds` gives a change for, against the previous round.
CHANGE_FIGURES = (
    "links",
    "nodes",
    "cross_region_share",
    "east_central_west",
    "east_central_west_share",
    "base_provider_share",
    "hhi",
    "top_decile_share",
)


def _check_links(links: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c not in links.columns]
    if missing:
        raise ValueError(f"links: missing column(s) {missing}; required are {columns}")
    for side in ("from", "to"):
        for column, allowed in (
            (f"{side}_kind", BASE_KINDS + PROVIDER_KINDS),
            (f"{side}_group", GROUPS),
        ):
            bad = links.loc[~links[column].isin(allowed), column]
            if not bad.empty:
                raise ValueError(
                    f"links: column {column!r} on row {bad.index[0]}: {bad.iloc[0]!r} is not"
                    f" allowed; use one of {list(allowed)}"
                )
    same = links.loc[links["from_node"] == links["to_node"], "from_node"]
    if not same.empty:
        raise ValueError(f"links: row {same.index[0]} links {same.iloc[0]!r} with itself")


def _share(count: int, total: int) -> float | None:
    return count / total if total else None


def _pairs(a: pd.Series, b: pd.Series, total: int) -> list[dict]:
    low = a.where(a <= b, b)
    high = b.where(a <= b, a)
    counts = pd.DataFrame({"a": low, "b": high}).value_counts().reset_index(name="links")
    counts = counts.sort_values(["links", "a", "b"], ascending=[False, True, True])
    return [
        {"a": str(r.a), "b": str(r.b), "links": int(r.links), "share": r.links / total}
        for r in counts.itertuples(index=False)
    ]


def network_figures(links: pd.DataFrame) -> dict:
    """The figures of the module docstring for one network (every row of ``links``).

    Parameters
    ----------
    links : pandas.DataFrame
        Columns :data:`LINK_COLUMNS` but ``round`` (other columns are ignored); one row per
        realised cooperation.

    Returns
    -------
    dict
        JSON types only: ``links``, ``nodes``, ``cross_region``, ``cross_region_share``,
        ``east_central_west``, ``east_central_west_share``, ``base_provider``,
        ``base_provider_share``, ``hhi``, ``hhi_min``, ``top_decile_nodes``,
        ``top_decile_share``, ``by_region_pair`` and ``by_type_pair`` (lists of
        ``{"a", "b", "links", "share"}``).

    Raises
    ------
    ValueError
        On a missing column, a kind or region group not allowed, or a party linked with
        itself.
    """
    _check_links(links, LINK_COLUMNS[1:])
    total = len(links)
    groups_differ = links["from_group"] != links["to_group"]
    bridge = (links["from_group"].eq("east") & links["to_group"].eq("central_west")) | (
        links["from_group"].eq("central_west") & links["to_group"].eq("east")
    )
    from_provider = links["from_kind"].isin(PROVIDER_KINDS)
    to_provider = links["to_kind"].isin(PROVIDER_KINDS)
    base_provider = from_provider != to_provider
    degrees = pd.concat([links["from_node"], links["to_node"]]).value_counts()
    nodes = len(degrees)
    ends = 2 * total
    top = math.ceil(nodes / 10)
    return {
        "links": total,
        "nodes": nodes,
        "cross_region": int(groups_differ.sum()),
        "cross_region_share": _share(int(groups_differ.sum()), total),
        "east_central_west": int(bridge.sum()),
        "east_central_west_share": _share(int(bridge.sum()), total),
        "base_provider": int(base_provider.sum()),
        "base_provider_share": _share(int(base_provider.sum()), total),
        "hhi": float(((degrees / ends) ** 2).sum()) if total else None,
        "hhi_min": 1 / nodes if nodes else None,
        "top_decile_nodes": top,
        "top_decile_share": (
            float(degrees.sort_values(ascending=False).iloc[:top].sum() / ends) if total else None
        ),
        "by_region_pair": _pairs(links["from_group"], links["to_group"], total),
        "by_type_pair": _pairs(links["from_kind"], links["to_kind"], total),
    }


def network_rounds(links: pd.DataFrame, rounds: list[str]) -> list[dict]:
    """:func:`network_figures` for each round, in the order given, with the change against the
    round before.

    Parameters
    ----------
    links : pandas.DataFrame
        Columns :data:`LINK_COLUMNS`; rows of a round not in ``rounds`` are ignored.
    rounds : list of str
        The rounds' codes, earliest first (e.g. a programme's campaigns by round). A round without a
        link gets its figures all the same (zero links, shares None).

    Returns
    -------
    list of dict
        Per round: ``{"round": code, "previous": code or None, "figures": {...},
        "change": {figure: now - before} or None}``; ``change`` holds the figures of
        :data:`CHANGE_FIGURES`, None for a figure that is None in either round, and is None
        for the first round.
    """
    _check_links(links, LINK_COLUMNS)
    out = []
    previous = None
    for code in rounds:
        figures = network_figures(links.loc[links["round"] == code])
        change = None
        if previous is not None:
            before = previous["figures"]
            change = {
                name: (
                    figures[name] - before[name]
                    if figures[name] is not None and before[name] is not None
                    else None
                )
                for name in CHANGE_FIGURES
            }
        item = {
            "round": code,
            "previous": previous["round"] if previous else None,
            "figures": figures,
            "change": change,
        }
        out.append(item)
        previous = item
    return out


# --- round over round, as a table a person reads -----------------------------------------------

#: The figures of :func:`network_rounds_table`, in order, with how each reads: a count, a
#: share (shown in per cent, its change in percentage points) or an index (three decimals).
TABLE_FIGURES = (
    ("links", "count"),
    ("nodes", "count"),
    ("cross_region_share", "share"),
    ("east_central_west", "count"),
    ("east_central_west_share", "share"),
    ("base_provider_share", "share"),
    ("hhi", "index"),
    ("top_decile_share", "share"),
)
#: The pair figures of :func:`network_pairs_table`.
PAIR_FIGURES = ("by_region_pair", "by_type_pair")
NO_FIGURE = "—"


def _value_text(value, unit: str) -> str:
    if value is None:
        return NO_FIGURE
    if unit == "count":
        return str(int(value))
    if unit == "share":
        return f"{value * 100:.1f}%"
    return f"{value:.3f}"


def _change_text(change, unit: str) -> str:
    if change is None:
        return NO_FIGURE
    if unit == "count":
        return f"{int(change):+d}"
    shown = round(change * 100, 1) if unit == "share" else round(change, 3)
    # A change that rounds to nothing reads "+0.0", never "-0.0".
    shown = shown if shown != 0 else 0.0
    return f"{shown:+.1f}" if unit == "share" else f"{shown:+.3f}"


def network_rounds_table(measured: list[dict]) -> list[dict]:
    """The figures of :data:`TABLE_FIGURES` across the rounds of :func:`network_rounds`: one
    row per figure, one cell per round, each with its change against the round before.

    Parameters
    ----------
    measured : list of dict
        The result of :func:`network_rounds` (not modified).

    Returns
    -------
    list of dict
        ``{"figure", "unit", "cells": [{"round", "value", "change", "value_text",
        "change_text"}]}``: ``value`` and ``change`` at full precision (``change`` None in
        the first round and where the figure is None in either round); the texts rounded for
        reading: counts whole, shares in per cent to one decimal with their change in
        percentage points, the HHI to three decimals; ``change_text`` None in the first
        round, "—" for a figure that is missing.
    """
    rows = []
    for figure, unit in TABLE_FIGURES:
        cells = []
        for item in measured:
            value = item["figures"][figure]
            change = item["change"][figure] if item["change"] is not None else None
            cells.append(
                {
                    "round": item["round"],
                    "value": value,
                    "change": change,
                    "value_text": _value_text(value, unit),
                    "change_text": (
                        _change_text(change, unit) if item["change"] is not None else None
                    ),
                }
            )
        rows.append({"figure": figure, "unit": unit, "cells": cells})
    return rows


def network_pairs_table(measured: list[dict], figure: str) -> list[dict]:
    """The links per pair (``figure``: ``by_region_pair`` or ``by_type_pair``) across the
    rounds of :func:`network_rounds`: one row per pair with a link in some round, most links
    in the last round first, then by the codes; a pair without a link in a round has 0 links
    there (share 0, or None in a round without any link).

    Returns
    -------
    list of dict
        ``{"a", "b", "cells": [{"round", "links", "share", "change", "links_text",
        "share_text", "change_text"}]}``; ``change`` is the links now minus the links in the
        round before (None, and ``change_text`` None, in the first round).

    Raises
    ------
    ValueError
        For a ``figure`` not in :data:`PAIR_FIGURES`.
    """
    if figure not in PAIR_FIGURES:
        raise ValueError(f"figure: {figure!r} is not a pair figure; use one of {PAIR_FIGURES}")
    links = [{(p["a"], p["b"]): p["links"] for p in item["figures"][figure]} for item in measured]
    pairs = sorted(
        {pair for by_pair in links for pair in by_pair},
        key=lambda pair: (-links[-1].get(pair, 0), pair) if links else pair,
    )
    rows = []
    for pair in pairs:
        cells = []
        for i, item in enumerate(measured):
            count = links[i].get(pair, 0)
            total = item["figures"]["links"]
            share = count / total if total else None
            change = count - links[i - 1].get(pair, 0) if i else None
            cells.append(
                {
                    "round": item["round"],
                    "links": count,
                    "share": share,
                    "change": change,
                    "links_text": str(count),
                    "share_text": _value_text(share, "share"),
                    "change_text": _change_text(change, "count") if i else None,
                }
            )
        rows.append({"a": pair[0], "b": pair[1], "cells": cells})
    return rows
