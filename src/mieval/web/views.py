"""The pages. Thin: check the role with ``accounts.permissions``, read with selectors, compute
with the functional core, render; writes go through services.

A page that also serves an htmx fragment renders the same template, which extends
``web/fragment.html`` (only the ``results`` block) for an htmx request and ``web/base.html``
otherwise.
"""

import dataclasses

import pandas as pd
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mieval.accounts.models import Role
from mieval.accounts.permissions import (
    bases_visible,
    can_edit_values,
    can_manage,
    can_use_exchange,
    can_view_dashboards,
    role_of,
)
from mieval.collection.selectors import base_peer_frames, campaign_frames, completeness_rows
from mieval.collection.shortcuts import campaign_or_404
from mieval.core import reference
from mieval.core.completeness import completeness_summary
from mieval.core.indicators import indicator_applies
from mieval.core.peers import MIN_PEERS, peer_quartiles
from mieval.core.trends.decompose import trend_decomposition
from mieval.core.trends.table import trend_table
from mieval.indicators.models import Framework
from mieval.indicators.selectors import framework_indicators_frame
from mieval.indicators.services import CONTENT_COLUMNS, framework_version_ensure
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.i18n import group_name, in_chinese, localized
from mieval.lib.numbers import float_or_none
from mieval.lib.pages import page_layout, require
from mieval.registry.models import Base, BaseEvent
from mieval.registry.selectors import base_absorbed, base_history
from mieval.registry.services import (
    LifecycleError,
    base_create,
    base_designate,
    base_merge,
    base_rename,
    base_update,
    base_withdraw,
)
from mieval.web.forms import (
    LIFECYCLE_FORMS,
    BaseFilterForm,
    BaseForm,
    FrameworkVersionForm,
    IndicatorFormSet,
    TrendFilterForm,
)
from mieval.web.selectors import (
    bases_breakdowns,
    campaigns_listed,
    frameworks_listed,
    trend_decomposition_page,
    trend_table_page,
)

BASES_PER_PAGE = 25


def bad_request(request, exception):
    """The 400 page: what was wrong with a parameter (a BadRequest's message), else a plain
    sentence; never details of other errors."""
    message = str(exception) if isinstance(exception, BadRequest) else ""
    return render(request, "400.html", {"message": message}, status=400)


def _indicator_labels(indicators) -> dict[str, dict]:
    zh = in_chinese()
    return {
        row.code: {
            "code": row.code,
            "name": localized(row.name_zh, row.name_en),
            "unit": (row.unit_zh or row.unit) if zh else row.unit,
            "decimals": int(row.decimals),
            # floatformat's argument: the indicator's decimals, with thousands grouped.
            "fmt": f"{int(row.decimals)}g",
            "categories": tuple(row.categories),
        }
        for row in indicators.itertuples(index=False)
    }


# --- home ------------------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    role = role_of(user)
    if can_view_dashboards(user):
        return _campaign_list_page(request)
    if role == Role.BASE_OFFICER:
        base = user.profile.base
        campaign = base.campaigns.order_by("-last_year", "-first_year", "code").first()
        if campaign is not None:
            return redirect("base_profile", code=campaign.code, base_code=base.code)
        return render(request, "web/home.html", {"role": role, "base": base})
    if role == Role.EXPERT and hasattr(user, "expert"):
        return redirect("panels_my_bases")
    if role == Role.ORGANISER:
        return redirect("panels_organisation_experts", org_code=user.profile.organisation.code)
    return render(request, "web/home.html", {"role": role})


# --- campaigns --------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    return _campaign_list_page(request)


def _campaign_list_page(request):
    require(can_view_dashboards(request.user))
    programmes: dict = {}
    for c in campaigns_listed():
        programme = programmes.setdefault(
            c.programme_id,
            {
                "programme": c.programme,
                "name": localized(c.programme.name_zh, c.programme.name_en),
                "campaigns": [],
            },
        )
        programme["campaigns"].append(
            {
                "campaign": c,
                "name": localized(c.name_zh, c.name_en),
                "framework": localized(c.framework.name_zh, c.framework.name_en),
            }
        )
    return render(
        request,
        "web/campaign_list.html",
        {"programmes": list(programmes.values()), "campaigns": bool(programmes)},
    )


def _chart(kind: str, rows: list[dict], value: str) -> dict:
    return {"kind": kind, "labels": [r["label"] for r in rows], "values": [r[value] for r in rows]}


@login_required
def campaign_overview(request, code: str):
    require(can_view_dashboards(request.user))
    campaign = campaign_or_404(code)
    frames = campaign_frames(campaign)
    labels = _indicator_labels(frames.indicators)
    titles = {
        "category": _("Bases by category"),
        "subcategory": _("Bases by subcategory"),
        "region": _("Bases by economic region"),
        "batch": _("Bases by batch"),
    }
    counts = bases_breakdowns(frames.bases)
    breakdowns = [
        {
            "field": field,
            "chart_id": f"{field}-chart",
            "title": titles[field],
            "rows": counts[field],
            "chart": _chart(kind, counts[field], "n"),
        }
        for field, kind in (
            ("category", "pie"),
            ("subcategory", "bar"),
            ("region", "pie"),
            ("batch", "bar"),
        )
    ]
    summary = completeness_summary(
        frames.values,
        frames.bases,
        frames.indicators,
        first_year=campaign.first_year,
        last_year=campaign.last_year,
    )
    indicator_rows = completeness_rows(summary.by_indicator, lambda code: labels[code]["name"])
    subcategory_rows = completeness_rows(
        summary.by_subcategory, lambda code: group_name("subcategory", code)
    )
    return render(
        request,
        "web/campaign_overview.html",
        {
            "campaign": campaign,
            "name": localized(campaign.name_zh, campaign.name_en),
            "n_bases": len(frames.bases),
            "n_indicators": len(frames.indicators),
            "n_years": campaign.last_year - campaign.first_year + 1,
            "expected": summary.expected,
            "reported": summary.reported,
            "percent": float_or_none(summary.share * 100),
            "breakdowns": breakdowns,
            "completeness_indicators": indicator_rows,
            "completeness_subcategories": subcategory_rows,
            "completeness_chart": _chart("completeness", indicator_rows, "percent"),
            "completeness_sub_chart": _chart("completeness", subcategory_rows, "percent"),
        },
    )


@login_required
def campaign_trends(request, code: str):
    require(can_view_dashboards(request.user))
    campaign = campaign_or_404(code)
    frames = campaign_frames(campaign)
    bases = frames.bases
    batches = sorted(int(b) for b in bases["batch"].unique()) if len(bases) else []
    form = TrendFilterForm(request.GET or None, batches=batches)
    options = form.cleaned_data if form.is_valid() else {}
    for field in ("category", "subcategory", "region", "region_group", "batch"):
        chosen = options.get(field)
        if chosen not in (None, ""):
            bases = bases.loc[bases[field] == chosen]
    values = frames.values.loc[frames.values["base_code"].isin(bases["code"])]
    by = options.get("by") or None
    table = trend_table(
        values,
        bases,
        frames.indicators,
        by=by,
        stat=options.get("stat") or None,
        year_from=campaign.first_year,
        year_to=campaign.last_year,
        balanced=bool(options.get("balanced")),
    )
    # The composition effect of the same bases and options (always of the mean).
    split = trend_decomposition(
        values,
        bases,
        frames.indicators,
        by=by,
        year_from=campaign.first_year,
        year_to=campaign.last_year,
        balanced=bool(options.get("balanced")),
    )
    labels = _indicator_labels(frames.indicators)
    rows, chart = trend_table_page(table, labels, by)
    return render(
        request,
        "web/campaign_trends.html",
        {
            "layout": page_layout(request),
            "campaign": campaign,
            "name": localized(campaign.name_zh, campaign.name_en),
            "form": form,
            "years": table.years,
            "rows": rows,
            "grouped": by is not None,
            "n_bases": len(bases),
            "chart": chart,
            "decomposition": trend_decomposition_page(split, labels, by),
        },
    )


def _stat(point, column: str) -> float | None:
    return float_or_none(getattr(point, column)) if point is not None else None


# --- one base ---------------------------------------------------------------------------------


@login_required
def base_profile(request, code: str, base_code: str):
    campaign = campaign_or_404(code)
    # Another base's page is not found, whether it exists or not.
    base = get_object_or_404(
        bases_visible(request.user).with_reference(), code=base_code, campaigns=campaign
    )
    peers_bases, peer_values = base_peer_frames(campaign, base)
    indicators = framework_indicators_frame(campaign.framework)
    labels = _indicator_labels(indicators)
    category = base.subcategory.category_id
    applicable = [
        code for code, label in labels.items() if indicator_applies(label["categories"], category)
    ]
    comparison = peer_quartiles(peer_values, peers_bases, base.code)
    by_key = {(row.indicator_code, row.year): row for row in comparison.itertuples(index=False)}
    years = list(range(campaign.first_year, campaign.last_year + 1))
    rows, charts = [], []
    for position, indicator_code in enumerate(applicable):
        label = labels[indicator_code]
        points = [by_key.get((indicator_code, year)) for year in years]
        cells = [
            {"year": year, "value": float_or_none(p.value) if p is not None else None}
            for year, p in zip(years, points, strict=True)
        ]
        rows.append({"indicator": label, "cells": cells})

        without = [
            year for year, p in zip(years, points, strict=True) if p is None or p.peers < MIN_PEERS
        ]
        charts.append(
            {
                "id": f"peers-{position}",
                "indicator": label,
                "without_peers": without,
                "all_without_peers": len(without) == len(years),
                "data": {
                    "kind": "peers",
                    "years": years,
                    "unit": label["unit"],
                    "decimals": label["decimals"],
                    "labels": {
                        "base": base.code,
                        "median": _("Median of peers"),
                        "band": _("Q1 to Q3 of peers"),
                        "q1": _("Q1"),
                        "q3": _("Q3"),
                    },
                    "value": [c["value"] for c in cells],
                    "q1": [_stat(p, "q1") for p in points],
                    "median": [_stat(p, "median") for p in points],
                    "q3": [_stat(p, "q3") for p in points],
                    "peers": [int(p.peers) if p is not None else 0 for p in points],
                },
            }
        )
    return render(
        request,
        "web/base_profile.html",
        {
            **_base_exchange(request.user, base),
            "campaign": campaign,
            "campaign_name": localized(campaign.name_zh, campaign.name_en),
            "base": base,
            "name": localized(base.name_zh, base.name_en),
            "category": localized(
                base.subcategory.category.name_zh, base.subcategory.category.name_en
            ),
            "subcategory": localized(base.subcategory.name_zh, base.subcategory.name_en),
            "province": localized(base.province.name_zh, base.province.name_en),
            "region": group_name("region", base.province.region),
            "years": years,
            "rows": rows,
            "charts": charts,
            "n_peers": len(peers_bases) - 1,
            "min_peers": MIN_PEERS,
            "can_edit": can_manage(request.user),
            "can_enter": can_edit_values(request.user, base, campaign),
        },
    )


#: Suggestions for a base's needs shown on its profile.
PROFILE_SUGGESTIONS = 5


def _base_exchange(user, base) -> dict:
    """The best offers of other bases for the base's open needs, for its profile."""
    if not can_use_exchange(user):
        return {"exchange": None}
    from mieval.exchange.selectors import base_suggestions

    found = base_suggestions(base, as_of=timezone.localdate(), k=3, kind="need")
    best = sorted(found, key=lambda s: -s.score)[:PROFILE_SUGGESTIONS]
    return {
        "exchange": [
            {
                "s": s,
                "other_base": localized(s.other.owner.name_zh, s.other.owner.name_en),
                "explanation": localized(s.explanation_zh, s.explanation_en),
            }
            for s in best
        ]
    }


# --- the registry -----------------------------------------------------------------------------


@login_required
def registry_bases(request):
    require(can_manage(request.user))
    form = BaseFilterForm(request.GET or None)
    bases = Base.objects.with_reference().with_lifecycle().order_by("code")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            bases = bases.filter(
                Q(code__icontains=data["q"])
                | Q(name_zh__icontains=data["q"])
                | Q(name_en__icontains=data["q"])
            )
        if data["category"]:
            bases = bases.filter(subcategory__category_id=data["category"])
        if data["subcategory"]:
            bases = bases.filter(subcategory_id=data["subcategory"])
        if data["region"]:
            bases = bases.filter(province__region=data["region"])
        if data["batch"]:
            bases = bases.filter(batch=data["batch"])
        if data["status"]:
            bases = bases.with_status(data["status"])
    page = Paginator(bases, BASES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [
        {
            "base": b,
            "name": localized(b.name_zh, b.name_en),
            "category": localized(b.subcategory.category.name_zh, b.subcategory.category.name_en),
            "subcategory": localized(b.subcategory.name_zh, b.subcategory.name_en),
            "province": localized(b.province.name_zh, b.province.name_en),
            "region": group_name("region", b.province.region),
            "status": b.status,
            "status_label": b.status_label(),
            "ended_on": b.lifecycle_ended_on,
        }
        for b in page.object_list
    ]
    return render(
        request,
        "web/registry_bases.html",
        {
            "layout": page_layout(request),
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        },
    )


@login_required
def registry_base_create(request):
    require(can_manage(request.user))
    form = BaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        base = base_create(
            code=data["code"],
            name_zh=data["name_zh"],
            name_en=data["name_en"],
            subcategory=data["subcategory"],
            province=data["province"],
            batch=data["batch"],
            user=request.user,
            actor=request.user.get_username(),
            reason=data["reason"],
        )
        messages.success(request, _("The base %(code)s is added.") % {"code": base.code})
        return redirect("registry_bases")
    return render(request, "web/registry_base_form.html", {"form": form, "base": None})


@login_required
def registry_base_edit(request, base_code: str):
    require(can_manage(request.user))
    base = get_object_or_404(bases_visible(request.user).with_reference(), code=base_code)
    form = BaseForm(request.POST or None, base=base, initial=BaseForm.initial_for(base))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes = base_update(
                base=base,
                name_zh=data["name_zh"],
                name_en=data["name_en"],
                subcategory=data["subcategory"],
                province=data["province"],
                batch=data["batch"],
                user=request.user,
                actor=request.user.get_username(),
                reason=data["reason"],
                expected_version=data.get("version"),
            )
        except ConcurrentEditError as error:
            form.add_error(None, error.message)
        else:
            if changes:
                messages.success(
                    request, _("The changes to %(code)s are saved.") % {"code": base.code}
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("registry_bases")
    return _base_edit_page(request, base, form=form)


def _base_edit_page(request, base: Base, *, form=None, event_form=None):
    """The base's edit page: its registry entry, its lifecycle (events with their documents,
    the forms to record one) and the audit of its changes. ``event_form`` is a lifecycle form
    sent back with its errors."""
    if form is None:
        form = BaseForm(base=base, initial=BaseForm.initial_for(base))
    status = base.status
    kinds = [BaseEvent.Kind.DESIGNATED]
    if status == Base.Status.ACTIVE:
        kinds += [BaseEvent.Kind.RENAMED, BaseEvent.Kind.MERGED, BaseEvent.Kind.WITHDRAWN]
    event_forms = [
        event_form if event_form is not None and event_form.kind == kind
        else LIFECYCLE_FORMS[kind](base=base)
        for kind in kinds
    ]  # fmt: skip
    return render(
        request,
        "web/registry_base_form.html",
        {
            "form": form,
            "base": base,
            "status": status,
            "status_label": base.status_label(),
            "events": base_history(base),
            "absorbed": base_absorbed(base),
            "event_forms": event_forms,
            "open_kind": event_form.kind if event_form is not None else None,
            "history": base.changes.select_related("user", "event")[:20],
        },
    )


def _event_save(form, base: Base, user):
    """Call the lifecycle service of the form's kind with its cleaned data."""
    data = form.cleaned_data
    common = {
        "base": base,
        "date": data["date"],
        "reason": data["reason"],
        "expected_version": data["version"],
        "user": user,
        "actor": user.get_username(),
        **form.document(),
    }
    if form.kind == BaseEvent.Kind.DESIGNATED:
        return base_designate(**common)
    if form.kind == BaseEvent.Kind.RENAMED:
        return base_rename(name_zh=data["name_zh"], name_en=data["name_en"], **common)
    if form.kind == BaseEvent.Kind.MERGED:
        return base_merge(into=data["into"], **common)
    return base_withdraw(**common)


#: What the page says once an event of each kind is recorded.
EVENT_RECORDED = {
    BaseEvent.Kind.DESIGNATED: gettext_lazy("The designation of %(code)s is recorded."),
    BaseEvent.Kind.RENAMED: gettext_lazy("The renaming of %(code)s is recorded."),
    BaseEvent.Kind.MERGED: gettext_lazy("The merger of %(code)s is recorded."),
    BaseEvent.Kind.WITHDRAWN: gettext_lazy("The withdrawal of %(code)s is recorded."),
}


@login_required
def registry_base_event(request, base_code: str, kind: str):
    """Record one lifecycle event of a base (POST from its edit page)."""
    require(can_manage(request.user))
    base = get_object_or_404(bases_visible(request.user).with_reference(), code=base_code)
    form_class = LIFECYCLE_FORMS.get(kind)
    if form_class is None:
        raise Http404
    if request.method != "POST":
        return redirect("registry_base_edit", base_code=base.code)
    form = form_class(request.POST, request.FILES, base=base)
    if form.is_valid():
        try:
            _event_save(form, base, request.user)
        except ConcurrentEditError as error:
            form.add_error(None, error.message)
        except LifecycleError as error:
            for problem in error.problems:
                form.add_error(
                    problem.field if problem.field in form.fields else None, problem.message
                )
        else:
            messages.success(request, EVENT_RECORDED[kind] % {"code": base.code})
            return redirect("registry_base_edit", base_code=base.code)
    base.refresh_from_db()
    return _base_edit_page(request, base, event_form=form)


@login_required
def registry_event_document(request, base_code: str, pk: int):
    """The document file of a base's lifecycle event."""
    require(can_manage(request.user))
    event = get_object_or_404(
        BaseEvent.objects.filter(base__in=bases_visible(request.user)),
        base__code=base_code,
        pk=pk,
    )
    if not event.document_file:
        raise Http404
    response = FileResponse(
        event.document_file.open("rb"),
        as_attachment=True,
        filename=event.document_file_name,
        content_type=event.document_content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- indicator frameworks ---------------------------------------------------------------------


@login_required
def frameworks(request):
    require(can_manage(request.user))
    rows = [{"framework": f, "name": localized(f.name_zh, f.name_en)} for f in frameworks_listed()]
    return render(request, "web/frameworks.html", {"rows": rows})


@login_required
def framework_detail(request, pk: int):
    require(can_manage(request.user))
    framework = get_object_or_404(Framework, pk=pk)
    indicators = framework_indicators_frame(framework)
    category_names = {c.code: localized(c.name_zh, c.name_en) for c in reference.CATEGORIES}
    rows = [
        {
            "indicator": label,
            "direction": row.direction,
            "stat": row.stat,
            "categories": [category_names[c] for c in row.categories],
            "non_negative": row.non_negative,
        }
        for label, row in zip(
            _indicator_labels(indicators).values(),
            indicators.itertuples(index=False),
            strict=True,
        )
    ]
    versions = Framework.objects.filter(code=framework.code).order_by("-version")
    return render(
        request,
        "web/framework_detail.html",
        {
            "framework": framework,
            "name": localized(framework.name_zh, framework.name_en),
            "rows": rows,
            "campaigns": framework.campaigns.all(),
            "versions": versions,
        },
    )


@login_required
def framework_version_create(request, pk: int):
    """A new version of a framework from its edited indicator list (never a change in place)."""
    require(can_manage(request.user))
    framework = get_object_or_404(Framework, pk=pk)
    if request.method == "POST":
        head = FrameworkVersionForm(request.POST)
        formset = IndicatorFormSet(request.POST, prefix="ind")
        if head.is_valid() and formset.is_valid():
            kept = [
                f.cleaned_data
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            frame = pd.DataFrame(
                [
                    {
                        **{c: data.get(c) for c in CONTENT_COLUMNS},
                        "unit": data["unit"] or "",
                        "unit_zh": data["unit_zh"] or "",
                        "categories": tuple(sorted(data["categories"])),
                    }
                    for data in kept
                ],
                columns=CONTENT_COLUMNS,
            )
            new, created = framework_version_ensure(
                code=framework.code,
                name_zh=head.cleaned_data["name_zh"],
                name_en=head.cleaned_data["name_en"],
                indicators=frame,
            )
            if created:
                messages.success(
                    request,
                    _("Version %(version)s of the framework %(code)s is created.")
                    % {"version": new.version, "code": new.code},
                )
            else:
                messages.info(
                    request,
                    _(
                        "The indicators are the same as in version %(version)s, so no new"
                        " version was created."
                    )
                    % {"version": new.version},
                )
            return redirect("framework_detail", pk=new.pk)
    else:
        indicators = framework_indicators_frame(framework)
        head = FrameworkVersionForm(
            initial={"name_zh": framework.name_zh, "name_en": framework.name_en}
        )
        formset = IndicatorFormSet(
            prefix="ind",
            initial=[
                {
                    **{c: getattr(row, c) for c in CONTENT_COLUMNS},
                    "categories": list(row.categories),
                }
                for row in indicators.itertuples(index=False)
            ],
        )
    return render(
        request,
        "web/framework_version_form.html",
        {"framework": framework, "head": head, "formset": formset},
    )


# --- a programme's rounds ---------------------------------------------------------------------


def _unmapped_text(row: dict) -> str:
    """What of a round was not carried over, in the reader's language."""
    params = {
        "campaign": row["campaign"],
        "round": row["round"],
        "indicator": row["indicator_code"],
        "to": row["to_code"] or "",
        "n": row["values"],
        "from_version": row["step_from"],
        "to_version": row["step_to"],
    }
    n = row["values"]
    if row["reason"] == "no_crosswalk":
        return (
            ngettext(
                "Round %(round)s (%(campaign)s): no crosswalk leads from %(from_version)s to"
                " %(to_version)s; its %(n)s value of %(indicator)s is left out.",
                "Round %(round)s (%(campaign)s): no crosswalk leads from %(from_version)s to"
                " %(to_version)s; its %(n)s values of %(indicator)s are left out.",
                n,
            )
            % params
        )
    if row["reason"] == "incomplete_merge":
        return (
            ngettext(
                "Round %(round)s (%(campaign)s): %(n)s value of %(indicator)s is left out of the"
                " merge into %(to)s, because the base lacks another part that year.",
                "Round %(round)s (%(campaign)s): %(n)s values of %(indicator)s are left out of the"
                " merge into %(to)s, because the base lacks another part that year.",
                n,
            )
            % params
        )
    return (
        ngettext(
            "Round %(round)s (%(campaign)s): %(indicator)s has no crosswalk row from"
            " %(from_version)s to %(to_version)s; its %(n)s value is left out.",
            "Round %(round)s (%(campaign)s): %(indicator)s has no crosswalk row from"
            " %(from_version)s to %(to_version)s; its %(n)s values are left out.",
            n,
        )
        % params
    )


@login_required
def programme_trends(request, code: str):
    """The development trend across a programme's rounds, on the newest round's framework
    version (older rounds through the crosswalk), the unmapped indicators, the rank changes
    across rounds and the findings comparing rounds."""
    from mieval.analytics.selectors import rounds_rank_changes
    from mieval.collection.models import Programme
    from mieval.collection.selectors import programme_campaigns, rounds_combined
    from mieval.core.findings.rounds import rounds_findings
    from mieval.core.trends.rounds import rounds_trend

    require(can_view_dashboards(request.user))
    programme = get_object_or_404(Programme, code=code)
    campaigns = programme_campaigns(programme)
    context = {
        "layout": page_layout(request),
        "programme": programme,
        "name": localized(programme.name_zh, programme.name_en),
        "campaigns": [{"campaign": c, "name": localized(c.name_zh, c.name_en)} for c in campaigns],
        "rows": [],
    }
    if not campaigns:
        return render(request, "web/programme_trends.html", context)
    combined = rounds_combined(campaigns)
    bases = reference.bases_with_derived_fields(combined.bases)
    batches = sorted(int(b) for b in bases["batch"].unique()) if len(bases) else []
    form = TrendFilterForm(request.GET or None, batches=batches)
    options = form.cleaned_data if form.is_valid() else {}
    for field in ("category", "subcategory", "region", "region_group", "batch"):
        chosen = options.get(field)
        if chosen not in (None, ""):
            bases = bases.loc[bases[field] == chosen]
    kept = combined.values["base_code"].isin(bases["code"])
    filtered = dataclasses.replace(combined, values=combined.values.loc[kept], bases=bases)
    by = options.get("by") or None
    table = rounds_trend(
        filtered, by=by, stat=options.get("stat") or None, balanced=bool(options.get("balanced"))
    )
    labels = _indicator_labels(combined.indicators)
    rows, chart = trend_table_page(table, labels, by)
    findings = rounds_findings(rounds_trend(combined), combined)
    zh = in_chinese()
    changes = rounds_rank_changes(campaigns)
    for change in changes:
        for row in change["rows"]:
            row["name"] = localized(row["base"].name_zh, row["base"].name_en)
    context.update(
        {
            "form": form,
            "target": combined.target,
            "years": table.years,
            "rows": rows,
            "chart": chart,
            "grouped": by is not None,
            "n_bases": len(bases),
            "unmapped": [_unmapped_text(r) for r in combined.unmapped.to_dict("records")],
            "findings": [f.text_zh if zh else f.text_en for f in findings],
            "changes": changes,
            "query": request.GET.urlencode(),
        }
    )
    return render(request, "web/programme_trends.html", context)


@login_required
def base_rounds(request, code: str, base_code: str):
    """A base's history across the programme's rounds: values, index ranks and intervals,
    grades, the panel's accepted opinion, problems and their rectification (what each reader
    may see: :func:`~mieval.accounts.permissions.can_read_base_judgement`)."""
    from mieval.accounts.permissions import can_read_base_judgement, problems_visible
    from mieval.collection.models import Programme
    from mieval.web.selectors import base_rounds_history

    programme = get_object_or_404(Programme, code=code)
    # Another base's history is not found, whether it exists or not.
    base = get_object_or_404(bases_visible(request.user).with_reference(), code=base_code)
    rounds = base_rounds_history(programme, base)
    for r in rounds:
        r["judgement"] = can_read_base_judgement(request.user, base, letter_sent=r["letter_sent"])
        visible = set(problems_visible(request.user, r["campaign"]).values_list("pk", flat=True))
        r["problems"] = [
            {
                "problem": p,
                "title": localized(p.title_zh, p.title_en),
                "type": localized(p.type.name_zh, p.type.name_en),
                "rectification": getattr(p, "rectification", None),
            }
            for p in r["problems"]
            if p.pk in visible
        ]
        r["problems_shown"] = role_of(request.user) != Role.VIEWER
        if r["grade"] is not None:
            r["grade"] = r["grade"][0] if in_chinese() else r["grade"][1]
    return render(
        request,
        "web/base_history.html",
        {
            "programme": programme,
            "programme_name": localized(programme.name_zh, programme.name_en),
            "base": base,
            "name": localized(base.name_zh, base.name_en),
            "rounds": rounds,
        },
    )
