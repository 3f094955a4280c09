"""The campaign's reports page: snapshots, narrative, downloads, base profiles, lineage.

Analysts publish snapshots, write the narrative and start the profiles job; viewers read and
download published reports; a base officer downloads only the own base's profile (another
base's profile is 404).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mieval.accounts.permissions import (
    bases_visible,
    can_download_profile,
    can_open_reports_page,
    can_publish_reports,
    can_read_reports,
    role_of,
)
from mieval.collection.shortcuts import campaign_or_404
from mieval.core.reports.judgement import PROBLEM_FILTERS, SEVERITY_NAMES
from mieval.core.reports.lineage import (
    LineageError,
    lineage_base,
    lineage_group,
    lineage_problems,
    lineage_values,
)
from mieval.jobs.models import Job
from mieval.jobs.services import job_enqueue
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.i18n import localized
from mieval.lib.pages import require
from mieval.reports.build import FORMATS, profiles_build, report_build
from mieval.reports.forms import LineageForm, NarrativeForm, PublishForm
from mieval.reports.models import NarrativeSection, ReportFile, Snapshot
from mieval.reports.selectors import narrative_sections, snapshot_get, snapshots_of
from mieval.reports.services import (
    narrative_save,
    report_file_store,
    reports_dir,
    snapshot_publish,
)

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
LANGS = ("zh", "en")


def _snapshot(campaign, content_hash: str) -> Snapshot:
    snapshot = snapshot_get(campaign, content_hash)
    if snapshot is None:
        raise Http404
    return snapshot


def _lineage_prefix(snapshot: Snapshot) -> str:
    return f"/campaigns/{snapshot.campaign.code}/lineage/?snapshot={snapshot.content_hash}&"


def _attachment(data: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def reports_page(request, code: str):
    user = request.user
    require(can_open_reports_page(user))
    campaign = campaign_or_404(code)
    snapshots = list(snapshots_of(campaign))
    officer_base = None
    if not can_read_reports(user):
        officer_base = user.profile.base
    pending = []
    if can_publish_reports(user):
        pending = Job.objects.filter(
            kind__in=["report_campaign", "report_profiles"],
            params__snapshot__in=[s.pk for s in snapshots],
            state__in=[Job.State.QUEUED, Job.State.RUNNING],
        )
    return render(
        request,
        "reports/reports_page.html",
        {
            "campaign": campaign,
            "name": localized(campaign.name_zh, campaign.name_en),
            "snapshots": snapshots,
            "latest": snapshots[0] if snapshots else None,
            "can_publish": can_publish_reports(user),
            "can_read": can_read_reports(user),
            "officer_base": officer_base,
            "publish_form": PublishForm() if can_publish_reports(user) else None,
            "sections": narrative_sections(campaign) if can_publish_reports(user) else [],
            "langs": LANGS,
            "formats": FORMATS,
            "pending": pending,
        },
    )


@login_required
@require_POST
def snapshot_create(request, code: str):
    require(can_publish_reports(request.user))
    campaign = campaign_or_404(code)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is too long (at most 300 characters)."))
        return redirect("reports_page", code=campaign.code)
    snapshot = snapshot_publish(
        campaign=campaign, user=request.user, note=form.cleaned_data["note"]
    )
    messages.success(
        request,
        _("Snapshot %(number)s published; its content hash is %(hash)s.")
        % {"number": snapshot.sequence, "hash": snapshot.content_hash},
    )
    return redirect("reports_page", code=campaign.code)


@login_required
def narrative_edit(request, code: str, kind: str):
    require(can_publish_reports(request.user))
    campaign = campaign_or_404(code)
    if kind not in NarrativeSection.Kind.values:
        raise Http404
    section = next(s for s in narrative_sections(campaign) if s.kind == kind)
    conflict = None
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                narrative_save(
                    campaign=campaign,
                    kind=kind,
                    text_zh=form.cleaned_data["text_zh"],
                    text_en=form.cleaned_data["text_en"],
                    version=form.cleaned_data["version"],
                    user=request.user,
                )
            except ConcurrentEditError as error:
                conflict = str(error)
                section = next(s for s in narrative_sections(campaign) if s.kind == kind)
            else:
                messages.success(request, _("The section was saved."))
                return redirect("reports_page", code=campaign.code)
    else:
        form = NarrativeForm(
            initial={
                "text_zh": section.text_zh,
                "text_en": section.text_en,
                "version": section.version,
            }
        )
    return render(
        request,
        "reports/narrative_edit.html",
        {
            "campaign": campaign,
            "name": localized(campaign.name_zh, campaign.name_en),
            "section": section,
            "form": form,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


@login_required
def report_download(request, code: str, content_hash: str, lang: str, fmt: str):
    """The campaign report of a snapshot; built on first request, then served as stored."""
    require(can_read_reports(request.user))
    campaign = campaign_or_404(code)
    snapshot = _snapshot(campaign, content_hash)
    if lang not in LANGS or fmt not in FORMATS:
        raise Http404
    stored = ReportFile.objects.filter(
        snapshot=snapshot, kind=ReportFile.Kind.CAMPAIGN, base_code="", lang=lang, fmt=fmt
    ).first()
    data = None
    if stored is not None:
        path = reports_dir() / stored.path
        data = path.read_bytes() if path.exists() else None
    if data is None:
        data = report_build(
            snapshot.payload,
            content_hash=snapshot.content_hash,
            lang=lang,
            fmt=fmt,
            lineage=_lineage_prefix(snapshot),
        )
        report_file_store(snapshot=snapshot, kind="campaign", lang=lang, fmt=fmt, data=data)
    name = f"{campaign.code}-report-{snapshot.sequence}-{lang}.{fmt}"
    return _attachment(data, fmt, name)


@login_required
@require_POST
def profiles_start(request, code: str, content_hash: str):
    require(can_publish_reports(request.user))
    campaign = campaign_or_404(code)
    snapshot = _snapshot(campaign, content_hash)
    lang = request.POST.get("lang", "zh")
    if lang not in LANGS:
        raise Http404
    job = job_enqueue(
        kind="report_profiles",
        params={"snapshot": snapshot.pk, "lang": lang},
        user=request.user,
    )
    return redirect("job_detail", pk=job.pk)


@login_required
def profiles_zip_download(request, code: str, content_hash: str, lang: str):
    require(can_read_reports(request.user))
    campaign = campaign_or_404(code)
    snapshot = _snapshot(campaign, content_hash)
    stored = ReportFile.objects.filter(
        snapshot=snapshot, kind=ReportFile.Kind.PROFILES, lang=lang, fmt="zip"
    ).first()
    if stored is None or not (reports_dir() / stored.path).exists():
        raise Http404
    data = (reports_dir() / stored.path).read_bytes()
    return _attachment(data, "zip", f"{campaign.code}-profiles-{snapshot.sequence}-{lang}.zip")


@login_required
def profile_download(
    request, code: str, content_hash: str, base_code: str, lang: str, fmt: str = "pdf"
):
    """One base's profile as PDF (or DOCX); another base's profile is not found for a base
    officer."""
    user = request.user
    require(can_open_reports_page(user))
    campaign = campaign_or_404(code)
    base = get_object_or_404(bases_visible(user), code=base_code)
    if not can_download_profile(user, base):
        raise Http404
    snapshot = _snapshot(campaign, content_hash)
    if lang not in LANGS or base_code not in {b["code"] for b in snapshot.payload["bases"]}:
        raise Http404
    data = profiles_build(
        snapshot.payload,
        content_hash=snapshot.content_hash,
        lang=lang,
        fmt=fmt,
        codes=[base_code],
    )[base_code]
    return _attachment(data, fmt, f"{campaign.code}-{base_code}-{snapshot.sequence}-{lang}.{fmt}")


@login_required
def lineage_page(request, code: str):
    """The values behind one number of a report: the snapshot's values of an indicator in a
    group and year, and the statistic recomputed from them."""
    require(can_read_reports(request.user))
    campaign = campaign_or_404(code)
    if request.GET.get("kind") == "problems":
        return _lineage_problems_page(request, campaign)
    form = LineageForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "reports/lineage.html",
            {"campaign": campaign, "form": form, "error": _("The query names no number.")},
            status=400,
        )
    query = form.cleaned_data
    snapshot = _snapshot(campaign, query["snapshot"] or None)
    if query["base"] and not query["indicator"]:
        return _lineage_base_page(request, campaign, snapshot, query, form)
    if not query["indicator"]:
        return _lineage_group_page(request, campaign, snapshot, query, form)
    try:
        lineage = lineage_values(
            snapshot.payload,
            indicator=query["indicator"],
            group_field=query["group_field"] or None,
            group=query["group"] or None,
            year=query["year"],
        )
    except LineageError as error:
        return render(
            request,
            "reports/lineage.html",
            {"campaign": campaign, "form": form, "error": str(error)},
            status=400,
        )
    indicator = next(i for i in snapshot.payload["indicators"] if i["code"] == query["indicator"])
    rows = [
        {
            "code": r.base_code,
            "name": localized(r.name_zh, r.name_en),
            "year": int(r.year),
            "value": float(r.value),
        }
        for r in lineage.rows.itertuples(index=False)
    ]
    api = request.get_full_path().replace(
        f"/campaigns/{campaign.code}/lineage/",
        f"/api/v1/campaigns/{campaign.code}/snapshots/{snapshot.content_hash}/lineage",
    )
    return render(
        request,
        "reports/lineage.html",
        {
            "campaign": campaign,
            "name": localized(campaign.name_zh, campaign.name_en),
            "snapshot": snapshot,
            "indicator": localized(indicator["name_zh"], indicator["name_en"]),
            "lineage": lineage,
            "rows": rows,
            "api": api,
            "role": role_of(request.user),
        },
    )


def _lineage_base_page(request, campaign, snapshot, query, form):
    """The values behind a base's row of a ranking: its values and index results."""
    try:
        lineage = lineage_base(snapshot.payload, base=query["base"], year=query["year"])
    except LineageError as error:
        return render(
            request,
            "reports/lineage.html",
            {"campaign": campaign, "form": form, "error": str(error)},
            status=400,
        )
    rows = [
        {
            "code": r.indicator_code,
            "name": localized(r.name_zh, r.name_en),
            "year": int(r.year),
            "value": float(r.value),
        }
        for r in lineage.rows.itertuples(index=False)
    ]
    api = reverse(
        "api-v1:lineage_base",
        args=[campaign.code, snapshot.content_hash, lineage.base],
    ) + (f"?year={lineage.year}" if lineage.year is not None else "")
    return render(
        request,
        "reports/lineage_base.html",
        {
            "campaign": campaign,
            "name": localized(campaign.name_zh, campaign.name_en),
            "snapshot": snapshot,
            "base": lineage,
            "base_name": localized(lineage.name_zh, lineage.name_en),
            "rows": rows,
            "api": api,
        },
    )


def _lineage_group_page(request, campaign, snapshot, query, form):
    """The evidence of a finding that a group leads or lags: its growth against all bases."""
    try:
        lineage = lineage_group(
            snapshot.payload, group_field=query["group_field"], group=query["group"]
        )
    except LineageError as error:
        return render(
            request,
            "reports/lineage.html",
            {"campaign": campaign, "form": form, "error": str(error)},
            status=400,
        )

    def percent(rate):
        return "—" if rate is None else f"{rate * 100:.1f}%"

    rows = [
        {
            **row,
            "name": localized(row["name_zh"], row["name_en"]),
            "group_text": percent(row["group_cagr"]),
            "all_text": percent(row["all_cagr"]),
        }
        for row in lineage.rows.to_dict("records")
    ]
    api = reverse(
        "api-v1:lineage_group",
        args=[campaign.code, snapshot.content_hash, lineage.group_field, lineage.group],
    )
    return render(
        request,
        "reports/lineage_group.html",
        {
            "campaign": campaign,
            "name": localized(campaign.name_zh, campaign.name_en),
            "snapshot": snapshot,
            "lineage": lineage,
            "rows": rows,
            "leads": sum(1 for r in rows if r["leads"] is True),
            "compared": sum(1 for r in rows if r["leads"] is not None),
            "api": api,
        },
    )


def _lineage_problems_page(request, campaign):
    """The confirmed problems behind a count of the report's problems section, as frozen in
    the snapshot."""
    snapshot = _snapshot(campaign, request.GET.get("snapshot") or None)
    filters = {key: request.GET[key] for key in PROBLEM_FILTERS if request.GET.get(key)}
    try:
        lineage = lineage_problems(snapshot.payload, **filters)
    except LineageError as error:
        return render(
            request,
            "reports/lineage.html",
            {"campaign": campaign, "form": None, "error": str(error)},
            status=400,
        )
    rows = [
        {
            **row,
            "base_name": localized(row["name_zh"], row["name_en"]),
            "type_name": localized(row["type_zh"], row["type_en"]),
            "title": localized(row["title_zh"], row["title_en"]),
            "severity_name": localized(*SEVERITY_NAMES[row["severity"]]),
        }
        for row in lineage.rows
    ]
    api = reverse("api-v1:lineage_problems", args=[campaign.code, snapshot.content_hash])
    query = urlencode(filters)
    return render(
        request,
        "reports/lineage_problems.html",
        {
            "campaign": campaign,
            "name": localized(campaign.name_zh, campaign.name_en),
            "snapshot": snapshot,
            "rows": rows,
            "api": f"{api}?{query}" if query else api,
        },
    )
