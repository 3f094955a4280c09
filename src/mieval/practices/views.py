"""Pages of reforms, typical cases and exemplary people.

Thin views: ``accounts.permissions`` decides (a role that never may: 403; an item outside what
the user may see: 404), reads go through ``selectors``, writes through ``services``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from mieval.accounts.permissions import (
    can_browse_practices,
    can_edit_practice,
    can_record_consent,
    can_report_practices,
    can_review_practices,
    can_see_personal_data,
    can_view_practices_report,
    nominations_visible,
    reforms_visible,
)
from mieval.collection.models import Campaign
from mieval.core import reference
from mieval.core.findings.practices import CATEGORY_NAMES, practices_findings
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.i18n import in_chinese, localized
from mieval.lib.pages import campaign_or_404, require
from mieval.lib.params import id_param
from mieval.practices.forms import (
    ClassifyForm,
    ConsentForm,
    DecideForm,
    NominationForm,
    ReformForm,
    SearchForm,
)
from mieval.practices.models import Nomination, PolicyArea, Reform, ReformLink
from mieval.practices.selectors import (
    SearchFilters,
    practices_counts,
    practices_report_content,
    practices_search,
    reform_links,
    review_queue,
)
from mieval.practices.services import (
    NOMINATION_FIELDS,
    PERSONAL_FIELDS,
    REFORM_FIELDS,
    PracticeCode,
    PracticeError,
    consent_record,
    link_decide,
    links_suggest,
    nomination_create,
    nomination_decide,
    nomination_update,
    reform_classify,
    reform_report,
    reform_update,
)


def _own_base(request, campaign):
    base = request.user.profile.base
    if not campaign.bases.filter(pk=base.pk).exists():
        raise Http404
    return base


def error_message(error: PracticeError | ConcurrentEditError) -> str:
    """The reader's sentence for a refused write."""
    if isinstance(error, ConcurrentEditError):
        return _(
            "Someone else changed this item meanwhile; the page now shows the current version."
        )
    return {
        PracticeCode.EMPTY_FILE: _("The evidence file is empty."),
        PracticeCode.FILE_TOO_LARGE: _("The evidence file is too large."),
        PracticeCode.FILE_TYPE: _(
            "The evidence file must be a PDF, PNG, JPEG, XLSX or DOCX file with a matching name."
        ),
        PracticeCode.WRONG_STATE: _("This decision is not possible in the item's current state."),
    }.get(error.code, _("The input is not valid: %(detail)s") % {"detail": str(error)})


def _upload(request):
    upload = request.FILES.get("evidence_file")
    if upload is None:
        return None, None
    return upload.name, upload.read()


# --- browse and search -------------------------------------------------------------------------


@login_required
def browse(request):
    require(can_browse_practices(request.user))
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = SearchFilters(
        query=data.get("q") or "",
        kind=data.get("kind") or "",
        area=data.get("area") or "",
        category=data.get("category") or "",
        region_group=data.get("region_group") or "",
        year=data.get("year"),
    )
    result = practices_search(
        reforms_visible(request.user), nominations_visible(request.user), filters
    )
    counts = practices_counts(result)
    areas = list(PolicyArea.objects.all())
    area_chart = {
        "kind": "bar",
        "labels": [localized(a.name_zh, a.name_en) for a in areas],
        "values": [counts["by_area"].get(a.code, 0) for a in areas],
    }
    category_chart = {
        "kind": "bar",
        "labels": [localized(*CATEGORY_NAMES[c]) for c in CATEGORY_NAMES],
        "values": [counts["by_category"].get(c, 0) for c in CATEGORY_NAMES],
    }
    region_rows = [
        (localized(zh, en), counts["by_region_group"].get(code, 0))
        for code, (zh, en) in reference.REGION_GROUPS.items()
    ]
    return render(
        request,
        "practices/browse.html",
        {
            "form": form,
            "result": result,
            "counts": counts,
            "area_chart": area_chart,
            "category_chart": category_chart,
            "region_rows": region_rows,
            "campaigns": Campaign.objects.order_by("-first_year", "code"),
            "may_report": can_report_practices(request.user),
            "may_review": can_review_practices(request.user),
        },
    )


# --- the base's own items and forms --------------------------------------------------------------


@login_required
def base_items(request, code: str):
    require(can_report_practices(request.user))
    campaign = campaign_or_404(code)
    base = _own_base(request, campaign)
    return render(
        request,
        "practices/base_items.html",
        {
            "campaign": campaign,
            "base": base,
            "reforms": Reform.objects.filter(campaign=campaign, base=base).select_related(
                "area", "area_reported"
            ),
            "nominations": Nomination.objects.filter(campaign=campaign, base=base),
        },
    )


@login_required
def reform_new(request, code: str):
    require(can_report_practices(request.user))
    campaign = campaign_or_404(code)
    base = _own_base(request, campaign)
    form = ReformForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, data = _upload(request)
        try:
            reform = reform_report(
                campaign=campaign,
                base=base,
                evidence_name=name,
                evidence_data=data,
                user=request.user,
                **{k: v for k, v in form.cleaned_data.items() if k != "evidence_file"},
            )
        except (PracticeError, ConcurrentEditError) as error:
            form.add_error(None, error_message(error))
        else:
            messages.success(request, _("The reform measure was reported."))
            return redirect("practices_reform", reform.pk)
    return render(
        request,
        "practices/item_form.html",
        {"campaign": campaign, "base": base, "form": form, "heading": _("Report a reform measure")},
    )


@login_required
def nomination_new(request, code: str, kind: str):
    require(can_report_practices(request.user))
    if kind not in Nomination.SUBKINDS:
        raise Http404
    campaign = campaign_or_404(code)
    base = _own_base(request, campaign)
    form = NominationForm(request.POST or None, request.FILES or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        name, data = _upload(request)
        try:
            nomination = nomination_create(
                campaign=campaign,
                base=base,
                kind=kind,
                evidence_name=name,
                evidence_data=data,
                user=request.user,
                **{k: v for k, v in form.cleaned_data.items() if k != "evidence_file"},
            )
        except (PracticeError, ConcurrentEditError) as error:
            form.add_error(None, error_message(error))
        else:
            messages.success(request, _("The nomination was submitted."))
            return redirect("practices_nomination", nomination.pk)
    heading = _("Nominate a typical case") if kind == "case" else _("Nominate an exemplary person")
    return render(
        request,
        "practices/item_form.html",
        {"campaign": campaign, "base": base, "form": form, "heading": heading},
    )


def _edit_form(form_class, request, item, fields, **kwargs):
    """The item's form without the file (a file is added when reporting), with its version."""
    initial = {name: getattr(item, name) for name in fields}
    initial["version"] = item.version
    form = form_class(request.POST or None, initial=initial, **kwargs)
    del form.fields["evidence_file"]
    form.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
    return form


def _item_edit(request, item, form, save, detail: str, heading: str):
    """The officer's change of a reform or nomination until the office reviews it: ``save``
    writes the form's data with the version the officer read (a stale one is refused)."""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            save(expected_version=data.pop("version"), user=request.user, **data)
        except (PracticeError, ConcurrentEditError) as error:
            form.add_error(None, error_message(error))
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(detail, item.pk)
    return render(
        request,
        "practices/item_form.html",
        {"campaign": item.campaign, "form": form, "heading": heading},
    )


@login_required
def reform_edit(request, pk: int):
    require(can_report_practices(request.user))
    reform = get_object_or_404(reforms_visible(request.user).select_related("campaign"), pk=pk)
    require(can_edit_practice(request.user, reform))
    form = _edit_form(ReformForm, request, reform, REFORM_FIELDS)
    return _item_edit(
        request,
        reform,
        form,
        lambda **data: reform_update(reform=reform, **data),
        "practices_reform",
        reform.title,
    )


@login_required
def nomination_edit(request, pk: int):
    require(can_report_practices(request.user))
    item = get_object_or_404(nominations_visible(request.user).select_related("campaign"), pk=pk)
    require(can_edit_practice(request.user, item))
    fields = [f for f in NOMINATION_FIELDS if item.kind == "person" or f not in PERSONAL_FIELDS]
    form = _edit_form(NominationForm, request, item, fields, kind=item.kind)
    return _item_edit(
        request,
        item,
        form,
        lambda **data: nomination_update(nomination=item, **data),
        "practices_nomination",
        item.name,
    )


# --- detail pages --------------------------------------------------------------------------------


@login_required
def reform_detail(request, pk: int):
    require(can_browse_practices(request.user))
    reform = get_object_or_404(
        reforms_visible(request.user).select_related("base", "campaign", "area", "area_reported"),
        pk=pk,
    )
    may_classify = can_review_practices(request.user)
    initial = {"version": reform.version, "area": reform.effective_area().pk}
    form = ClassifyForm(request.POST or None, initial=initial) if may_classify else None
    if request.method == "POST":
        require(may_classify)
        if form.is_valid():
            try:
                reform_classify(
                    reform=reform,
                    area=form.cleaned_data["area"],
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                    user=request.user,
                )
            except (PracticeError, ConcurrentEditError) as error:
                messages.error(request, error_message(error))
            else:
                messages.success(request, _("The reform measure was classified."))
            return redirect("practices_reform", reform.pk)
    return render(
        request,
        "practices/reform_detail.html",
        {
            "reform": reform,
            "campaign": reform.campaign,
            "form": form,
            "links": reform_links(reform) if may_classify else [],
            "may_edit": can_edit_practice(request.user, reform),
            "events": reform.events.all() if may_classify else [],
        },
    )


@login_required
def nomination_detail(request, pk: int):
    require(can_browse_practices(request.user))
    nomination = get_object_or_404(
        nominations_visible(request.user).select_related("base", "campaign"), pk=pk
    )
    may_decide = can_review_practices(request.user)
    may_consent = can_record_consent(request.user, nomination)
    decide_form = DecideForm(initial={"version": nomination.version}) if may_decide else None
    consent_form = ConsentForm() if may_consent else None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "decide":
            require(may_decide)
            decide_form = DecideForm(request.POST)
            if decide_form.is_valid():
                try:
                    nomination_decide(
                        nomination=nomination,
                        status=decide_form.cleaned_data["status"],
                        reason=decide_form.cleaned_data["reason"],
                        expected_version=decide_form.cleaned_data["version"],
                        user=request.user,
                    )
                except (PracticeError, ConcurrentEditError) as error:
                    messages.error(request, error_message(error))
                else:
                    messages.success(request, _("The decision was recorded."))
                return redirect("practices_nomination", nomination.pk)
        elif action == "consent":
            require(may_consent)
            consent_form = ConsentForm(request.POST)
            if consent_form.is_valid():
                consent_record(
                    nomination=nomination,
                    statement=consent_form.cleaned_data["statement"],
                    document=consent_form.cleaned_data["document"],
                    user=request.user,
                )
                messages.success(request, _("The consent was recorded."))
                return redirect("practices_nomination", nomination.pk)
        else:
            raise PermissionDenied
    return render(
        request,
        "practices/nomination_detail.html",
        {
            "item": nomination,
            "campaign": nomination.campaign,
            "personal": can_see_personal_data(request.user, nomination),
            "decide_form": decide_form,
            "consent_form": consent_form,
            "may_edit": can_edit_practice(request.user, nomination),
            "events": nomination.events.all() if may_decide else [],
        },
    )


@login_required
def evidence_download(request, kind: str, pk: int):
    """An item's evidence file, for those who may see the item: never a public media URL."""
    require(can_browse_practices(request.user))
    if kind not in {"reform", "nomination"}:
        raise Http404
    visible = reforms_visible if kind == "reform" else nominations_visible
    item = get_object_or_404(visible(request.user), pk=pk)
    if not item.evidence_file:
        raise Http404
    response = FileResponse(
        item.evidence_file.open("rb"),
        as_attachment=True,
        filename=item.evidence_name,
        content_type=item.evidence_content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the office's review queue ---------------------------------------------------------------


@login_required
def review(request, code: str):
    require(can_review_practices(request.user))
    campaign = campaign_or_404(code)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "suggest":
            n = links_suggest(campaign=campaign, user=request.user)
            messages.success(request, _("New link suggestions: %(n)d.") % {"n": n})
        elif action in {"confirm", "reject"}:
            link = get_object_or_404(
                ReformLink,
                pk=id_param(request.POST.get("link"), "link"),
                reform_a__campaign=campaign,
            )
            link_decide(link=link, confirm=action == "confirm", user=request.user)
        return redirect("practices_review", campaign.code)
    queue = review_queue(campaign)
    return render(request, "practices/review.html", {"campaign": campaign, **queue})


# --- the campaign's evidence report --------------------------------------------------------------


@login_required
def report(request, code: str):
    require(can_view_practices_report(request.user))
    campaign = campaign_or_404(code)
    content = practices_report_content(campaign)
    zh = in_chinese()
    findings = [
        zh_text if zh else en_text for _, zh_text, en_text, _ in practices_findings(content)
    ]
    areas = content["reforms"]["areas"]
    categories = list(CATEGORY_NAMES)
    chart = {
        "kind": "bar",
        "labels": [a["name_zh"] if zh else a["name_en"] for a in areas],
        "values": [a["total"] for a in areas],
    }
    category_chart = {
        "kind": "bar",
        "labels": [localized(*CATEGORY_NAMES[c]) for c in categories],
        "values": [content["reforms"]["by_category"][c] for c in categories],
    }
    rows = [
        {
            "name": a["name_zh"] if zh else a["name_en"],
            "total": a["total"],
            "cells": [a["by_category"][c] for c in categories],
        }
        for a in areas
    ]
    boxes = [
        {
            "name": item["name_zh"] if zh else item["name_en"],
            "base": item["base_name_zh"] if zh else item["base_name_en"],
            "story": (item["story_zh"] if zh else item["story_en"])
            or item["story_zh"]
            or item["story_en"],
            "subkind": Nomination.Subkind(item["subkind"]).label,
        }
        for item in content["cases"] + content["people"]
    ]
    return render(
        request,
        "practices/report.html",
        {
            "campaign": campaign,
            "content": content,
            "findings": findings,
            "chart": chart,
            "category_chart": category_chart,
            "category_labels": [localized(*CATEGORY_NAMES[c]) for c in categories],
            "rows": rows,
            "cases": boxes[: len(content["cases"])],
            "people": boxes[len(content["cases"]) :],
            "may_review": can_review_practices(request.user),
        },
    )
