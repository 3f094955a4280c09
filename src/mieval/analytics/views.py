"""The composite-index pages: runs of a campaign, a run's ranking, a base's result.

Dashboard roles read runs and rankings; analysts start runs; a base officer reads only the own
base's result page (another base's is 404, like every base page).
"""

import difflib

import pandas as pd
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from mieval.accounts.permissions import bases_visible, can_manage, can_view_dashboards
from mieval.analytics.forms import IndexChangesForm, IndexFrameworkVersionForm, IndexRunForm
from mieval.analytics.models import IndexFramework, IndexRun, IndexScore
from mieval.analytics.selectors import (
    index_audit_page,
    index_base_result,
    index_node_names,
    index_scores_by_base,
)
from mieval.analytics.services import (
    index_framework_new_version,
    index_run_request,
)
from mieval.collection.models import Campaign
from mieval.collection.shortcuts import campaign_or_404
from mieval.core.index.changes import SORTS, rank_change_rows
from mieval.core.problems import InputError
from mieval.jobs.models import Job
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.i18n import group_name, localized
from mieval.lib.numbers import float_or_none
from mieval.lib.pages import require
from mieval.lib.params import id_param


def _run(campaign: Campaign, pk: int) -> IndexRun:
    return get_object_or_404(
        IndexRun.objects.select_related("framework", "framework__category"),
        pk=pk,
        campaign=campaign,
    )


@login_required
def index_runs(request, code: str):
    user = request.user
    require(can_view_dashboards(user))
    campaign = campaign_or_404(code)
    form = None
    if can_manage(user):
        form = IndexRunForm(request.POST or None, campaign=campaign)
        if request.method == "POST" and form.is_valid():
            job = index_run_request(
                campaign=campaign,
                framework=form.cleaned_data["framework"],
                year=form.cleaned_data["year"],
                params=form.params(),
                user=user,
            )
            return redirect("job_detail", pk=job.pk)
    elif request.method == "POST":
        raise PermissionDenied
    runs = campaign.index_runs.select_related("framework", "created_by")
    pending = Job.objects.filter(
        kind="index_run",
        params__campaign=campaign.code,
        state__in=[Job.State.QUEUED, Job.State.RUNNING],
    )
    return render(
        request,
        "analytics/index_runs.html",
        {
            "campaign": campaign,
            "name": localized(campaign.name_zh, campaign.name_en),
            "runs": runs,
            "pending": pending if can_manage(user) else [],
            "form": form,
        },
    )


@login_required
def index_run_detail(request, code: str, run: int):
    require(can_view_dashboards(request.user))
    campaign = campaign_or_404(code)
    run = _run(campaign, run)
    top, dimensions = run.dimensions[0], run.dimensions[1:]
    node_names = index_node_names(run)
    by_base = index_scores_by_base(run)
    rows = []
    for base, scores in by_base.items():
        s = scores.get(top)
        if s is None:
            continue
        rows.append(
            {
                "base": base,
                "name": localized(base.name_zh, base.name_en),
                "subcategory": group_name("subcategory", base.subcategory_id),
                "score": float_or_none(s.score),
                "rank": s.rank,
                "group_rank": s.group_rank,
                "group_size": s.group_size,
                "median_rank": float_or_none(s.median_rank),
                "q05": float_or_none(s.q05),
                "q95": float_or_none(s.q95),
                "dimensions": [
                    float_or_none(scores[d].score) if d in scores else None for d in dimensions
                ],
            }
        )
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["base"].code))
    has_mc = any(r["median_rank"] is not None for r in rows)
    ranks_chart = {
        "kind": "rank_intervals",
        "labels": [r["base"].code for r in rows],
        "names": [r["name"] for r in rows],
        "rank": [r["rank"] for r in rows],
        "median": [r["median_rank"] for r in rows],
        "low": [r["q05"] for r in rows],
        "high": [r["q95"] for r in rows],
        "text": {
            "rank": _("Nominal rank"),
            "median": _("Median rank"),
            # xgettext:no-python-format
            "interval": _("5–95% interval"),
            "axis": _("Rank"),
        },
    }
    input_names = {
        "weights": _("Weights"),
        "aggregate": _("Aggregation method"),
        "normalise": _("Normalisation method"),
        "impute": _("Imputation method"),
    }
    sensitivity_chart = {
        "kind": "sensitivity",
        "labels": [input_names.get(r["input"], r["input"]) for r in run.sensitivity],
        "first": [r["S1"] for r in run.sensitivity],
        "total": [r["ST"] for r in run.sensitivity],
        "text": {"first": _("First-order index"), "total": _("Total index")},
    }
    return render(
        request,
        "analytics/index_run.html",
        {
            "campaign": campaign,
            "name": localized(campaign.name_zh, campaign.name_en),
            "run": run,
            "index_name": node_names.get(top, top),
            "dimensions": [{"code": d, "name": node_names.get(d, d)} for d in dimensions],
            "rows": rows,
            "has_mc": has_mc,
            "ranks_chart": ranks_chart,
            "sensitivity": [
                {**r, "label": input_names.get(r["input"], r["input"])} for r in run.sensitivity
            ],
            "sensitivity_chart": sensitivity_chart,
        },
    )


@login_required
def index_audit(request, code: str, run: int):
    """The statistical audit of a run: one aggregate (``?node=``) of one year (``?year=``)."""
    require(can_view_dashboards(request.user))
    campaign = campaign_or_404(code)
    run = _run(campaign, run)
    if not run.audit:
        raise Http404("this run was stored before the statistical audit existed")
    year = request.GET.get("year", "")
    page = index_audit_page(
        run,
        node=request.GET.get("node"),
        year=int(year) if year.isascii() and year.isdigit() and len(year) == 4 else None,
    )
    return render(
        request,
        "analytics/index_audit.html",
        {
            "campaign": campaign,
            "name": localized(campaign.name_zh, campaign.name_en),
            "run": run,
            "page": page,
        },
    )


@login_required
def index_base(request, code: str, run: int, base_code: str):
    campaign = campaign_or_404(code)
    # Another base's result is not found, whether it exists or not.
    base = get_object_or_404(bases_visible(request.user), code=base_code, campaigns=campaign)
    run = _run(campaign, run)
    result = index_base_result(campaign, run, base)
    if result is None:
        raise Http404
    base_name = localized(base.name_zh, base.name_en)
    radar = {
        "kind": "radar",
        "axes": result.radar_axes,
        "max": 100,
        "series": [
            {"name": base_name, "values": result.radar_own},
            {"name": _("Median of the subcategory"), "values": result.radar_peers},
        ],
    }
    return render(
        request,
        "analytics/index_base.html",
        {
            "campaign": campaign,
            "name": localized(campaign.name_zh, campaign.name_en),
            "run": run,
            "base": base,
            "base_name": base_name,
            "subcategory": group_name("subcategory", base.subcategory_id),
            "group_size": result.group_size,
            "top": result.top,
            "score_rows": result.score_rows,
            "radar": radar,
            "strengths": result.strengths,
            "weaknesses": result.weaknesses,
            "inputs": result.inputs,
            "can_see_ranking": can_view_dashboards(request.user),
        },
    )


def _default_runs(campaign, start: IndexRun | None) -> list[int]:
    """The latest run of each year of ``start``'s framework (``start`` for its own year), or
    of the framework of the campaign's latest run."""
    runs = list(campaign.index_runs.select_related("framework"))
    if start is None:
        if not runs:
            return []
        start = runs[0]
    chosen = {start.year: start.pk}
    for r in runs:  # newest first
        if r.framework.code == start.framework.code:
            chosen.setdefault(r.year, r.pk)
    return sorted(chosen.values())


@login_required
def index_changes(request, code: str):
    """Each base's score and ranks in each year of the chosen runs and the rank changes."""
    require(can_view_dashboards(request.user))
    campaign = campaign_or_404(code)
    data = request.GET.copy()
    for run in data.getlist("run"):
        id_param(run, "run")
    if not data.getlist("run"):
        start = None
        if data.get("from", "").isdigit():
            start = _run(campaign, int(data["from"]))
        data.setlist("run", [str(pk) for pk in _default_runs(campaign, start)])
    form = IndexChangesForm(data, campaign=campaign)
    sort = data.get("sort") if data.get("sort") in SORTS else "rank"
    context = {
        "campaign": campaign,
        "name": localized(campaign.name_zh, campaign.name_en),
        "form": form,
        "sort": sort,
        "runs": [],
        "rows": [],
    }
    if form.is_valid():
        runs = form.cleaned_data["run"]
        top = {r.pk: r.dimensions[0] for r in runs if r.dimensions}
        scores = IndexScore.objects.filter(run__in=runs).select_related("base", "run")
        frame = pd.DataFrame(
            [
                (s.base.code, s.run.year, s.score, s.rank, s.group_rank, s.group_size)
                for s in scores
                if top.get(s.run_id) == s.code
            ],
            columns=["unit", "year", "score", "rank", "group_rank", "group_size"],
        )
        bases = {s.base.code: s.base for s in scores}
        rows = rank_change_rows(frame, sort=sort) if len(frame) else []
        for row in rows:
            base = bases[row["unit"]]
            row["base"] = base
            row["name"] = localized(base.name_zh, base.name_en)
            row["subcategory"] = group_name("subcategory", base.subcategory_id)
        panel = [r.framework.parsed().panel for r in runs]
        context.update(
            {
                "runs": runs,
                "rows": rows,
                "panel": all(panel),
                "mixed_panel": any(panel) and not all(panel),
                "versions_differ": len({r.framework_id for r in runs}) > 1,
                "inputs_differ": len({r.input_hash for r in runs}) > 1,
                "query": "&".join(f"run={r.pk}" for r in runs),
                "first_year": runs[0].year,
                "last_year": runs[-1].year,
            }
        )
    return render(request, "analytics/index_changes.html", context)


def _diff(old: str, new: str) -> list[tuple[str, str]]:
    """Unified diff lines of two texts as ``(kind, line)``: kind ``add``, ``del``, ``hunk`` or
    ``same``."""
    out = []
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2)
    for line in list(lines)[2:]:  # the two file header lines
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        out.append((kind, line))
    return out


@login_required
def index_frameworks(request):
    """Every index framework with its latest version."""
    require(can_view_dashboards(request.user))
    latest: dict = {}
    for f in IndexFramework.objects.select_related("category").order_by("code", "-version"):
        latest.setdefault(f.code, f)
    rows = [{"framework": f, "name": localized(f.name_zh, f.name_en)} for f in latest.values()]
    return render(
        request,
        "analytics/index_frameworks.html",
        {"rows": rows, "can_edit": can_manage(request.user)},
    )


@login_required
def index_framework_versions(request, framework_code: str):
    """The versions of one framework, newest first, each with its diff against the previous."""
    require(can_view_dashboards(request.user))
    versions = list(
        IndexFramework.objects.filter(code=framework_code)
        .select_related("created_by", "category")
        .annotate(run_count=Count("runs"))
        .order_by("-version")
    )
    if not versions:
        raise Http404
    rows = []
    for i, v in enumerate(versions):
        previous = versions[i + 1] if i + 1 < len(versions) else None
        rows.append(
            {
                "framework": v,
                "name": localized(v.name_zh, v.name_en),
                "previous": previous,
                "diff": _diff(previous.text, v.text) if previous is not None else None,
            }
        )
    return render(
        request,
        "analytics/index_framework_versions.html",
        {"code": framework_code, "rows": rows, "can_edit": can_manage(request.user)},
    )


@login_required
def index_framework_edit(request, framework_code: str):
    """A new version of a framework: the latest version's TOML to edit, checked before saving."""
    require(can_manage(request.user))
    latest = IndexFramework.objects.filter(code=framework_code).order_by("-version").first()
    if latest is None:
        raise Http404
    problems, problems_more, conflict = [], 0, None
    if request.method == "POST":
        form = IndexFrameworkVersionForm(request.POST, request.FILES)
        if form.is_valid():
            edited = get_object_or_404(
                IndexFramework, code=framework_code, version=form.cleaned_data["edited"]
            )
            try:
                created = index_framework_new_version(
                    edited=edited,
                    text=form.cleaned_data["text"],
                    name_zh=form.cleaned_data["name_zh"],
                    name_en=form.cleaned_data["name_en"],
                    user=request.user,
                )
            except InputError as error:
                problems, problems_more = error.problems, error.more
            except ConcurrentEditError as error:
                conflict = error.latest
            else:
                return redirect("index_framework_versions", framework_code=created.code)
    else:
        form = IndexFrameworkVersionForm(
            initial={
                "name_zh": latest.name_zh,
                "name_en": latest.name_en,
                "text": latest.text,
                "edited": latest.version,
            }
        )
    return render(
        request,
        "analytics/index_framework_edit.html",
        {
            "code": framework_code,
            "latest": latest,
            "form": form,
            "problems": problems,
            "problems_more": problems_more,
            "conflict": conflict,
        },
    )
