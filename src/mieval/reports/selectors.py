"""Reads of snapshots, narrative sections and report files; the live payload of a campaign."""

import math

from mieval.backbone.selectors import backbone_counts
from mieval.core import reference
from mieval.core.reports.payload import NARRATIVE_KINDS, payload_build
from mieval.reports.models import NarrativeSection, ReportFile, Snapshot


def _num(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def campaign_payload(campaign) -> dict:
    """What a snapshot of the campaign would freeze now, read in a few queries."""
    from mieval.collection.models import RuleSet
    from mieval.collection.selectors import campaign_bases_frame, campaign_values_frame
    from mieval.exchange.selectors import campaign_network, exchange_status_counts
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
        network=campaign_network(campaign),
        judgement=judgement_records(campaign),
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
            # the run year's statistical audit (core.index.audit, the contract's keys and
            # the flags); None for a run stored before the audit existed
            "audit": (
                {k: run.audit[k] for k in AUDIT_KEYS if k in run.audit} if run.audit else None
            ),
        }
        for run in runs
    ]


AUDIT_KEYS = ("year", "correlations", "cronbach", "pca", "main_effects", "removal", "flags")


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


def judgement_records(campaign) -> dict:
    """The records behind the report's judgement sections (the ``judgement`` key of
    :mod:`mieval.core.reports.payload`), in six queries: the experts of the published panels
    of this campaign and the earlier ones, by organisation kind and year (the year the panels
    were published); this campaign's
    panels' mix; its site visits; the exchange's contact requests made since the campaign
    began; the grassroots operational staff (:func:`grassroots_staff`); the register's
    confirmed problems and their types."""
    visits = _visit_rows(campaign)
    members = _panel_member_rows(campaign)
    return {
        "experts": _experts_by_kind(members),
        "panels": _panel_mix([m for m in members if m["campaign"] == campaign.pk]),
        "visits": _visits_made(visits),
        "exchange": _exchange_in_period(campaign),
        "grassroots": grassroots_staff(
            [m for m in members if m["campaign"] == campaign.pk],
            visits,
            register=backbone_counts(campaign=campaign).by_role,
        ),
        **_register(campaign),
    }


def _panel_member_rows(campaign) -> list[dict]:
    """Every seat of the published panels of ``campaign`` and of the campaigns before it, with
    the number of bases its panel evaluated (two queries)."""
    from django.db.models import Count, Q

    from mieval.panels.models import PanelBase, PanelMember, PanelSet

    earlier = Q(panel__panel_set__campaign__first_year__lt=campaign.first_year) | Q(
        panel__panel_set__campaign__first_year=campaign.first_year,
        panel__panel_set__campaign__last_year__lte=campaign.last_year,
    )
    seats = list(
        PanelMember.objects.filter(earlier, panel__panel_set__state=PanelSet.State.PUBLISHED)
        .order_by("panel__panel_set__campaign_id", "panel__number", "expert__code")
        .values_list(
            "panel_id",
            "panel__number",
            "panel__panel_set__campaign_id",
            "panel__panel_set__published_at",
            "panel__panel_set__created_at",
            "expert__code",
            "expert__roles",
            "expert__organisation__kind",
        )
    )
    bases = dict(
        PanelBase.objects.filter(panel_id__in={s[0] for s in seats})
        .values("panel_id")
        .annotate(n=Count("id"))
        .values_list("panel_id", "n")
    )
    return [
        {
            "panel": number,
            "campaign": campaign_id,
            "year": (published or created).year,
            "expert": expert,
            "roles": list(roles or ()),
            "kind": kind,
            "bases": bases.get(panel_id, 0),
        }
        for panel_id, number, campaign_id, published, created, expert, roles, kind in seats
    ]


def _experts_by_kind(members: list[dict]) -> list[dict]:
    """Per year (the panels' publication year) and organisation kind: the experts (each once)
    and the expert-times (人次: an expert counted once for every base the expert's panel
    evaluated)."""
    from mieval.core.panels.vocabulary import OrganisationKind

    cells: dict[tuple[int, str], dict] = {}
    for seat in members:
        cell = cells.setdefault((seat["year"], seat["kind"]), {"experts": set(), "times": 0})
        cell["experts"].add(seat["expert"])
        cell["times"] += seat["bases"]
    kinds = list(OrganisationKind)
    return [
        {
            "year": year,
            "kind": kind,
            "experts": len(cell["experts"]),
            "expert_times": cell["times"],
        }
        for (year, kind), cell in sorted(
            cells.items(), key=lambda item: (item[0][0], kinds.index(item[0][1]))
        )
    ]


def _panel_mix(members: list[dict]) -> list[dict]:
    """This campaign's panels as formed: members, how many hold the professional and the
    operational role (an expert may hold both), members per organisation kind, bases."""
    panels: dict[int, dict] = {}
    for seat in members:
        panel = panels.setdefault(
            seat["panel"],
            {
                "number": seat["panel"],
                "members": 0,
                "professional": 0,
                "operational": 0,
                "kinds": {},
                "bases": seat["bases"],
            },
        )
        panel["members"] += 1
        panel["professional"] += "professional" in seat["roles"]
        panel["operational"] += "operational" in seat["roles"]
        panel["kinds"][seat["kind"]] = panel["kinds"].get(seat["kind"], 0) + 1
    return [panels[number] for number in sorted(panels)]


def _visit_rows(campaign) -> list[dict]:
    from mieval.visits.models import Visit

    rows = Visit.objects.filter(campaign=campaign).values_list(
        "base__code", "base__province_id", "record__id", "contacts"
    )
    return [
        {
            "base": base,
            "region_group": reference.region_group_of(province),
            "recorded": record is not None,
            "contacts": len(contacts or ()),
        }
        for base, province, record, contacts in rows
    ]


def _visits_made(visits: list[dict]) -> dict:
    """Site visits planned and made (a visit is made once its record is written), the bases
    visited, and the visits made by region group."""
    made = [v for v in visits if v["recorded"]]
    by_group = dict.fromkeys(reference.REGION_GROUPS, 0)
    for visit in made:
        by_group[visit["region_group"]] += 1
    return {
        "planned": len(visits),
        "made": len(made),
        "bases": len({v["base"] for v in made}),
        "by_region_group": by_group,
    }


def _exchange_in_period(campaign) -> dict:
    """The exchange's contact requests between the campaign's bases made since the campaign
    was created (its period runs until the snapshot is published)."""
    from mieval.exchange.selectors import exchange_status_counts

    since = campaign.created_at.date() if campaign.created_at else None
    counts = exchange_status_counts(bases=campaign.bases.all(), since=since)
    return {**counts, "since": since.isoformat() if since else None}


def grassroots_staff(members: list[dict], visits: list[dict], *, register: dict[str, int]) -> dict:
    """The grassroots operational staff (基层业务骨干) who took part in the evaluation.

    Where the office keeps the campaign's backbone register (``register``: its counts by role,
    :func:`mieval.backbone.selectors.backbone_counts`), the register's people: the operational
    panel members, the visit contacts and the staff the bases nominated. Without one, the
    records show the first two: the experts holding the operational role on the campaign's
    panels (each once) and the bases' people listed as contacts of the site visits made."""
    if sum(register.values()):
        return {
            "panel_members": register.get("panel_member", 0),
            "visit_contacts": register.get("visit_contact", 0),
            "nominated": register.get("nominated", 0),
        }
    operational = {m["expert"] for m in members if "operational" in m["roles"]}
    return {
        "panel_members": len(operational),
        "visit_contacts": sum(v["contacts"] for v in visits if v["recorded"]),
        "nominated": 0,
    }


def _register(campaign) -> dict:
    """The register's confirmed problems (no proposal, no dismissed one) and the problem
    types, each type's names from the latest taxonomy version holding it (two queries)."""
    from mieval.rectification.models import EvaluationProblem, ProblemType

    types: dict[str, dict] = {}
    for code, name_zh, name_en, order in ProblemType.objects.order_by(
        "taxonomy__number", "order"
    ).values_list("code", "name_zh", "name_en", "order"):
        types[code] = {"code": code, "name_zh": name_zh, "name_en": name_en, "order": order}
    rows = (
        EvaluationProblem.objects.confirmed()
        .filter(campaign=campaign)
        .order_by("pk")
        .values_list(
            "pk",
            "base__code",
            "base__subcategory__category_id",
            "base__subcategory_id",
            "base__province_id",
            "type__code",
            "severity",
            "source",
            "title_zh",
            "title_en",
            "action_zh",
            "action_en",
        )
    )
    problems = [
        {
            "id": pk,
            "base": base,
            "category": category,
            "subcategory": subcategory,
            "region_group": reference.region_group_of(province),
            "type": type_code,
            "severity": severity,
            "source": source,
            "title_zh": title_zh,
            "title_en": title_en,
            "action_zh": action_zh,
            "action_en": action_en,
        }
        for (
            pk,
            base,
            category,
            subcategory,
            province,
            type_code,
            severity,
            source,
            title_zh,
            title_en,
            action_zh,
            action_en,
        ) in rows
    ]
    ordered = sorted(types.values(), key=lambda t: (t["order"], t["code"]))
    return {
        "problem_types": [{k: t[k] for k in ("code", "name_zh", "name_en")} for t in ordered],
        "problems": problems,
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
