"""Reads of the composite-index app: a run's scores by base, the names of its aggregates and
indicators, and what a base's result page shows (the computation is the core's)."""

from dataclasses import dataclass

import pandas as pd
from django.utils.translation import get_language

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
