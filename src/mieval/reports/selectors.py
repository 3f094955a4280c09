"""Reads of snapshots, narrative sections and report files; the live payload of a campaign."""

import math

from mieval.core.reports.payload import NARRATIVE_KINDS, payload_build
from mieval.reports.models import NarrativeSection, ReportFile, Snapshot


def _num(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def campaign_payload(campaign) -> dict:
    """What a snapshot of the campaign would freeze now, read in a few queries."""
    from mieval.collection.models import RuleSet
    from mieval.collection.selectors import campaign_bases_frame, campaign_values_frame
    from mieval.exchange.selectors import exchange_status_counts
    from mieval.indicators.selectors import framework_indicators_frame
    from mieval.practices.selectors import practices_report_content

    framework = campaign.framework
    rules = (
        RuleSet.objects.filter(framework=framework, is_active=True)
        .values_list("text", flat=True)
        .first()
    )
    return payload_build(
        campaign={
            "code": campaign.code,
            "name_zh": campaign.name_zh,
            "name_en": campaign.name_en,
            "first_year": campaign.first_year,
            "last_year": campaign.last_year,
        },
        framework={
            "code": framework.code,
            "version": framework.version,
            "name_zh": framework.name_zh,
            "name_en": framework.name_en,
        },
        bases=campaign_bases_frame(campaign),
        values=campaign_values_frame(campaign),
        indicators=framework_indicators_frame(framework),
        rules=rules,
        index_runs=_index_runs(campaign),
        panels=_panels(campaign),
        narrative=narrative_texts(campaign),
        practices=practices_report_content(campaign),
        exchange=exchange_status_counts(bases=campaign.bases.all()),
        settings={},
    )


def _index_runs(campaign) -> list[dict]:
    """The latest run of each index framework and year, top aggregate scores only."""
    from mieval.analytics.models import IndexRun, IndexScore

    latest = {}
    for run in IndexRun.objects.filter(campaign=campaign).select_related("framework"):
        key = (run.framework.code, run.framework.version, run.year)
        if key not in latest or run.pk > latest[key].pk:
            latest[key] = run
    runs = [latest[key] for key in sorted(latest)]
    scores = {}
    top = (
        IndexScore.objects.filter(run__in=runs)
        .order_by("run_id", "-level", "rank", "base__code")
        .values_list("run_id", "level", "base__code", "score", "rank", "median_rank", "q05", "q95")
    )
    levels = {}
    for run_id, level, base, score, rank, median_rank, q05, q95 in top:
        levels.setdefault(run_id, level)
        if level != levels[run_id]:
            continue
        scores.setdefault(run_id, []).append(
            {
                "base": base,
                "score": _num(score),
                "rank": rank,
                "median_rank": _num(median_rank),
                "q05": _num(q05),
                "q95": _num(q95),
            }
        )
    return [
        {
            "framework": run.framework.code,
            "version": run.framework.version,
            "name_zh": run.framework.name_zh,
            "name_en": run.framework.name_en,
            "year": run.year,
            "input_hash": run.input_hash,
            "scores": sorted(scores.get(run.pk, []), key=lambda s: s["base"]),
        }
        for run in runs
    ]


def _panels(campaign) -> dict | None:
    """Submitted expert scores: per base the trimmed mean, the number of experts, the expert
    score on 0-100, the composite index score and their combination that the grade is given
    on (``panels.selectors.grades_frame``), the grade; the comments that are not confidential
    (``panels.selectors.publishable_comments``): a snapshot feeds the downloads of viewers and
    base officers, so what only the office may read is never frozen in it."""
    from mieval.panels.selectors import publishable_comments, score_results

    results = score_results(campaign)
    if results is None:
        return None
    grades = {row["base"]: row for row in results.grades.to_dict("records")}
    comments = publishable_comments(campaign)
    # The experts' totals behind each trimmed mean, without the experts' names (the lineage
    # of a report's expert result; who scored what stays with the panels app).
    totals = {
        base: sorted(float(t) for t in group["total"].dropna())
        for base, group in results.totals.groupby("base")
    }
    return {
        "alpha": _num(results.alpha),
        "totals": [{"base": base, "totals": totals[base]} for base in sorted(totals)],
        "results": [
            {
                "base": row["base"],
                "score": _num(row["trimmed_mean"]),
                "n": int(row["n_experts"]),
                "expert_score": _num(grades.get(row["base"], {}).get("expert_score")),
                "index_score": _num(grades.get(row["base"], {}).get("index_score")),
                "combined": _num(grades.get(row["base"], {}).get("combined")),
                "grade_zh": grades.get(row["base"], {}).get("grade_zh") or "",
                "grade_en": grades.get(row["base"], {}).get("grade_en") or "",
            }
            for row in results.aggregate.to_dict("records")
        ],
        "comments": [{"base": base, "text": text} for base, text in comments],
    }


def narrative_texts(campaign) -> dict:
    texts = {kind: {"zh": "", "en": ""} for kind in NARRATIVE_KINDS}
    for section in NarrativeSection.objects.filter(campaign=campaign):
        texts[section.kind] = {"zh": section.text_zh, "en": section.text_en}
    return texts


def narrative_sections(campaign) -> list[NarrativeSection]:
    """Every kind of section, unsaved (version 0) where none was written yet."""
    existing = {s.kind: s for s in NarrativeSection.objects.filter(campaign=campaign)}
    return [
        existing.get(kind) or NarrativeSection(campaign=campaign, kind=kind)
        for kind in NARRATIVE_KINDS
    ]


def snapshots_of(campaign):
    return Snapshot.objects.filter(campaign=campaign).defer("payload").select_related("created_by")


def snapshot_get(campaign, content_hash: str | None = None) -> Snapshot | None:
    """The snapshot with this hash (a unique prefix of at least 8 characters will do), or the
    latest one without a hash; None when there is none."""
    snapshots = Snapshot.objects.filter(campaign=campaign)
    if content_hash is None:
        return snapshots.order_by("-sequence").first()
    if len(content_hash) < 8:
        return None
    found = list(snapshots.filter(content_hash__startswith=content_hash.lower())[:2])
    return found[0] if len(found) == 1 else None


def report_files(snapshot: Snapshot):
    return ReportFile.objects.filter(snapshot=snapshot)
