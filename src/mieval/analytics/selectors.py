"""Reads of the composite-index app: a run's scores by base, the names of its aggregates and
indicators, and what a base's result page shows (the computation is the core's)."""

from dataclasses import dataclass

import pandas as pd
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mieval.analytics.models import IndexRun, IndexScore
from mieval.core.index.results import strengths_weaknesses
from mieval.core.peers import peer_medians
from mieval.indicators.selectors import framework_indicators_frame
from mieval.lib.i18n import localized
from mieval.lib.numbers import float_or_none
from mieval.registry.models import Base


def index_scores_by_base(run: IndexRun) -> dict[Base, dict[str, IndexScore]]:
    """``{base: {aggregate code: IndexScore}}`` of the run, in one query."""
    out: dict = {}
    for s in run.scores.select_related("base"):
        out.setdefault(s.base, {})[s.code] = s
    return out


def index_run_find(campaign, pk: int) -> IndexRun | None:
    """The campaign's index run ``pk``, or None."""
    return IndexRun.objects.filter(campaign=campaign, pk=pk).select_related("framework").first()


def indicator_names(campaign) -> dict[str, str]:
    """The name of each indicator of the campaign's framework in the current language."""
    frame = framework_indicators_frame(campaign.framework)
    return {row.code: localized(row.name_zh, row.name_en) for row in frame.itertuples(index=False)}


def index_node_names(run: IndexRun, parsed=None) -> dict[str, str]:
    """The name of each aggregate of the run's framework in the current language (its TOML's
    ``name_zh``/``name_en``, else its code)."""
    parsed = parsed or run.framework.parsed()
    zh = (get_language() or "").startswith("zh")
    return {code: parsed.name(code, zh) for code in run.dimensions}


@dataclass(frozen=True)
class IndexBaseResult:
    """A base's result in an index run, as its page shows it.

    ``top``: the base's score of the index (None when it has none); ``group_size``: the bases
    of its subcategory in the run; ``score_rows``: per aggregate the score, ranks and the
    subcategory's median; ``radar_axes``, ``radar_own``, ``radar_peers``: the radar's axis
    labels, the base's values and the subcategory's medians (the dimensions when there are
    three or more, else the normalised indicators); ``strengths``, ``weaknesses``: the three
    best and worst indicators by rank in the subcategory; ``inputs``: per indicator the raw and
    normalised value and the weight."""

    top: IndexScore | None
    group_size: int
    score_rows: list[dict]
    radar_axes: list[str]
    radar_own: list[float | None]
    radar_peers: list[float | None]
    strengths: list[dict]
    weaknesses: list[dict]
    inputs: list[dict]


def index_base_result(campaign, run: IndexRun, base: Base) -> IndexBaseResult | None:
    """What the base's result page of the run shows; None when the run has no score of the
    base. The peer group is every base of the base's subcategory in the run, the base
    included."""
    by_base = index_scores_by_base(run)
    own = next((scores for b, scores in by_base.items() if b.pk == base.pk), None)
    if own is None:
        return None
    top, dimensions = run.dimensions[0], run.dimensions[1:]
    peers = {
        b.code: scores for b, scores in by_base.items() if b.subcategory_id == base.subcategory_id
    }
    scores = {
        code: {c: float_or_none(s.score) for c, s in held.items()} for code, held in peers.items()
    }
    groups = pd.Series({b.code: b.subcategory_id for b in by_base})
    names = indicator_names(campaign)
    parsed = run.framework.parsed()
    node_names = index_node_names(run, parsed)
    h = parsed.hierarchy
    indicators = list(h.loc[h["kind"] == "indicator", ["code", "parent"]].itertuples(index=False))
    normalised = run.normalised

    # The radar needs three axes at least: the dimensions when there are three or more,
    # otherwise the normalised indicators.
    if len(dimensions) >= 3:
        axes = [node_names.get(d, d) for d in dimensions]
        own_values = [float_or_none(own[d].score) if d in own else None for d in dimensions]
        medians = peer_medians(scores, peers, dimensions)
        peer_values = [medians[d] for d in dimensions]
    else:
        codes = [i.code for i in indicators]
        axes = [names.get(c, c) for c in codes]
        own_values = [normalised.get(base.code, {}).get(c) for c in codes]
        medians = peer_medians(normalised, peers, codes)
        peer_values = [medians[c] for c in codes]

    long = pd.DataFrame(
        [
            (unit, c, v)
            for unit, values in normalised.items()
            for c, v in values.items()
            if v is not None
        ],
        columns=["unit", "code", "value"],
    )
    sw = strengths_weaknesses(long, groups, n=3) if len(long) else long
    sw = sw.loc[sw["unit"] == base.code] if len(sw) else sw

    def sw_rows(kind):
        if not len(sw):
            return []
        return [
            {
                "code": r.code,
                "name": names.get(r.code, r.code),
                "value": float_or_none(r.value),
                "group_rank": int(r.group_rank),
            }
            for r in sw.loc[sw["kind"] == kind].itertuples(index=False)
        ]

    medians = peer_medians(scores, peers, run.dimensions)
    return IndexBaseResult(
        top=own.get(top),
        group_size=len(peers),
        score_rows=[
            {
                "code": c,
                "name": node_names.get(c, c),
                "score": float_or_none(own[c].score) if c in own else None,
                "rank": own[c].rank if c in own else None,
                "group_rank": own[c].group_rank if c in own else None,
                "group_size": own[c].group_size if c in own else None,
                "peer_median": medians[c],
            }
            for c in run.dimensions
        ],
        radar_axes=axes,
        radar_own=own_values,
        radar_peers=peer_values,
        strengths=sw_rows("strength"),
        weaknesses=sw_rows("weakness"),
        inputs=[
            {
                "code": i.code,
                "name": names.get(i.code, i.code),
                "dimension": node_names.get(i.parent, i.parent),
                "raw": run.inputs.get(base.code, {}).get(i.code),
                "normalised": normalised.get(base.code, {}).get(i.code),
                "weight": run.weights.get(i.code),
            }
            for i in indicators
        ],
    )


def rounds_rank_changes(campaigns) -> list[dict]:
    """Rank changes across rounds: for each index framework (by code) with runs in at least two
    of the ``campaigns`` (rounds of one programme), the latest run of each round (of its latest
    year) and each base's score and ranks per round with the changes
    (:func:`mieval.core.index.changes.rank_change_rows`, keyed by round number: the rows'
    ``years`` are rounds). One query for the runs and one per framework."""
    from mieval.core.index.changes import rank_change_rows

    runs = (
        IndexRun.objects.filter(campaign__in=campaigns)
        .select_related("framework", "campaign")
        .order_by("-year", "-created_at", "-pk")
    )
    chosen: dict[str, dict[int, IndexRun]] = {}
    for run in runs:
        chosen.setdefault(run.framework.code, {}).setdefault(run.campaign.round, run)
    out = []
    for code, by_round in sorted(chosen.items()):
        if len(by_round) < 2:
            continue
        ordered = [by_round[number] for number in sorted(by_round)]
        top = {r.pk: r.dimensions[0] for r in ordered if r.dimensions}
        round_of = {r.pk: r.campaign.round for r in ordered}
        scores = [
            s
            for s in IndexScore.objects.filter(run__in=ordered).select_related("base")
            if top.get(s.run_id) == s.code
        ]
        frame = pd.DataFrame(
            [
                (s.base.code, round_of[s.run_id], s.score, s.rank, s.group_rank, s.group_size)
                for s in scores
            ],
            columns=["unit", "year", "score", "rank", "group_rank", "group_size"],
        )
        bases = {s.base.code: s.base for s in scores}
        rows = rank_change_rows(frame) if len(frame) else []
        for row in rows:
            row["base"] = bases[row["unit"]]
            row["rounds"] = row.pop("years")
        out.append({"framework": code, "runs": ordered, "rows": rows})
    return out


# --- the statistical audit of a run ----------------------------------------------------------

_FLAG_TEXTS = {
    # (kind, with the parent?) -> sentence
    ("negative", False): _(
        "%(a)s and %(b)s, both in %(parent)s, are negatively correlated (r = %(value)s): "
        "they pull the aggregate in opposite directions."
    ),
    ("negative", True): _(
        "%(a)s is negatively correlated with its aggregate %(parent)s (r = %(value)s)."
    ),
    ("weak", False): _(
        "%(a)s and %(b)s, both in %(parent)s, are only weakly correlated (r = %(value)s, "
        "under 0.3)."
    ),
    ("weak", True): _(
        "%(a)s is only weakly correlated with its aggregate %(parent)s (r = %(value)s, under "
        "0.3): the aggregate hardly reflects it."
    ),
    ("redundant", False): _(
        "%(a)s and %(b)s, both in %(parent)s, are nearly redundant (r = %(value)s, over 0.92): "
        "together they count the same thing twice."
    ),
    ("low_first_share", False): _(
        "The first principal component of the children of %(parent)s explains only "
        "%(value)s%% of their variance (under 60%%): they may not measure one thing."
    ),
    ("loads_against", False): _(
        "%(a)s loads against the other children of %(parent)s on their first principal "
        "component (loading %(value)s)."
    ),
    ("low_importance", False): _(
        "%(a)s drives %(parent)s less than half as much as its weight says (importance share "
        "%(value)s)."
    ),
}


@dataclass(frozen=True)
class IndexAuditPage:
    """What a run's audit page shows for one aggregate (``node``) and one year.

    ``heatmap``: the ECharts data of the children's (and the parent's) Pearson correlations;
    ``pairs``: rows ``a, b, pearson, spearman, flag``; ``alpha``, ``first_share``: the
    aggregate's Cronbach's alpha and first-component share; ``loadings``: rows ``name,
    loading``; ``importance``: rows ``name, nominal, ratio, share`` and its chart data;
    ``removal``: rows ``name, mean, max`` (every node, largest mean first) and its chart data;
    ``flags``: sentences; ``changes``: the node's pairs' correlations by year (panel runs);
    ``optimised``: rows ``name, nominal, optimised`` when the run computed them."""

    year: int
    years: list[int]
    aggregates: list[dict]
    node: str
    node_name: str
    heatmap: dict
    pairs: list[dict]
    alpha: float | None
    n_children: int
    first_share: float | None
    loadings: list[dict]
    importance: list[dict]
    importance_chart: dict
    removal: list[dict]
    removal_chart: dict
    flags: list[str]
    changes: list[dict]
    change_years: list[str]


def audit_node_names(run: IndexRun) -> dict[str, str]:
    """The name of every node of the run's framework (aggregates and indicators)."""
    return {**indicator_names(run.campaign), **index_node_names(run)}


def audit_flag_sentences(flags: list[dict], names: dict[str, str]) -> list[str]:
    """The audit's flags (``core.index.audit.audit_flags``) as sentences in the current
    language, names for codes, figures rounded for reading."""
    out = []
    for flag in flags:
        with_parent = flag.get("other") is not None and flag["other"] == flag["parent"]
        template = _FLAG_TEXTS.get((flag["kind"], with_parent))
        if template is None:
            continue
        value = flag.get("value")
        if flag["kind"] == "low_first_share" and value is not None:
            shown = f"{100 * value:.0f}"
        else:
            shown = "—" if value is None else f"{value:.2f}"
        out.append(
            str(template)
            % {
                "a": names.get(flag["code"], flag["code"]),
                "b": names.get(flag.get("other") or "", flag.get("other") or ""),
                "parent": names.get(flag["parent"], flag["parent"]),
                "value": shown,
            }
        )
    return out


def index_audit_page(run: IndexRun, *, node: str | None, year: int | None) -> IndexAuditPage:
    """The audit page's content (the audit itself is the core's, stored with the run).

    ``node`` defaults to the index, ``year`` to the run's; an unknown one falls back to the
    default."""
    audit = run.audit
    top_year = int(audit.get("year") or run.year)
    years = sorted(int(y) for y in audit.get("years", {})) or [top_year]
    year = year if year in years else top_year
    section = audit if year == top_year else audit["years"][str(year)]
    names = audit_node_names(run)
    aggregates = [r["code"] for r in section["cronbach"]][::-1]  # the top first
    node = node if node in aggregates else aggregates[0]

    def name(code):
        return names.get(code, code)

    pairs = [r for r in section["correlations"] if r["parent"] == node]
    children = [r["a"] for r in pairs if r["b"] == node]
    flagged = {
        (f["code"], f["other"]): f["kind"]
        for f in section["flags"]
        if f["kind"] in ("negative", "weak", "redundant")
    }
    labels = [*children, node]
    position = {c: i for i, c in enumerate(labels)}
    cells = [[i, i, 1.0] for i in range(len(labels))]
    for r in pairs:
        if r["pearson"] is not None:
            i, j = position[r["a"]], position[r["b"]]
            cells += [[i, j, r["pearson"]], [j, i, r["pearson"]]]
    cronbach = next(r for r in section["cronbach"] if r["code"] == node)
    pca = next(r for r in section["pca"] if r["code"] == node)
    effects = [r for r in section["main_effects"] if r["parent"] == node]
    removal = sorted(
        section["removal"],
        key=lambda r: (r["mean_abs_rank_change"] is None, -(r["mean_abs_rank_change"] or 0)),
    )
    changes = [
        {
            "a": name(c["a"]),
            "b": name(c["b"]),
            "values": [c["pearson"].get(y) for y in map(str, years)],
            "change": c["change"],
        }
        for c in audit.get("correlation_changes", [])
        if c["parent"] == node
    ]
    return IndexAuditPage(
        year=year,
        years=years,
        aggregates=[{"code": c, "name": name(c)} for c in aggregates],
        node=node,
        node_name=name(node),
        heatmap={
            "kind": "audit_heatmap",
            "labels": [name(c) for c in labels],
            "cells": cells,
            "text": {"value": str(_("Pearson's r"))},
        },
        pairs=[
            {
                "a": name(r["a"]),
                "b": name(r["b"]),
                "pearson": r["pearson"],
                "spearman": r["spearman"],
                "flag": flagged.get((r["a"], r["b"])),
            }
            for r in pairs
        ],
        alpha=cronbach["alpha"],
        n_children=cronbach["n_children"],
        first_share=pca["first_share"],
        loadings=[{"name": name(c), "loading": v} for c, v in pca["loadings"].items()],
        importance=[
            {
                "name": name(r["code"]),
                "nominal": r["nominal_weight"],
                "ratio": r["correlation_ratio"],
                "share": r["importance_share"],
            }
            for r in effects
        ],
        importance_chart={
            "kind": "audit_importance",
            "labels": [name(r["code"]) for r in effects],
            "nominal": [r["nominal_weight"] for r in effects],
            "share": [r["importance_share"] for r in effects],
            "text": {
                "nominal": str(_("Nominal weight (share)")),
                "share": str(_("Importance share")),
            },
        },
        removal=[
            {
                "name": name(r["code"]),
                "mean": r["mean_abs_rank_change"],
                "max": r["max_abs_rank_change"],
            }
            for r in removal
        ],
        removal_chart={  # the 20 largest, largest first (the table has every node)
            "kind": "audit_removal",
            "labels": [name(r["code"]) for r in removal[:20]],
            "mean": [r["mean_abs_rank_change"] for r in removal[:20]],
            "max": [r["max_abs_rank_change"] for r in removal[:20]],
            "text": {
                "mean": str(_("Mean absolute rank change")),
                "max": str(_("Largest absolute rank change")),
            },
        },
        flags=audit_flag_sentences(section["flags"], names),
        changes=changes,
        change_years=[str(y) for y in years] if changes else [],
    )
