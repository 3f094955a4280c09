"""Pages of the grassroots operational backbone (基层业务骨干).

Thin views: ``accounts.permissions`` decides (a role that never may: 403; a person of another
campaign or another base's page: 404), reads go through ``selectors``, writes through
``services``; a refused write is shown as a translated sentence chosen by its code.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mieval.accounts.permissions import bases_visible, can_manage_backbone, can_nominate_backbone
from mieval.backbone import selectors
from mieval.backbone.forms import AcceptForm, FilterForm, InviteForm, MemberForm, NominationForm
from mieval.backbone.models import BackboneMember
from mieval.backbone.services import (
    BackboneCode,
    BackboneError,
    backbone_import,
    member_accept,
    member_invite,
    member_nominate,
    member_record,
    member_update,
)
from mieval.collection.shortcuts import campaign_or_404
from mieval.core.reference import REGION_GROUPS
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.i18n import localized
from mieval.lib.pages import page_layout, require


def error_message(error: BackboneError | ConcurrentEditError) -> str:
    """The reader's sentence for a refused write."""
    if isinstance(error, ConcurrentEditError):
        return _(
            "Someone else changed this person meanwhile; the page now shows the current version."
        )
    return {
        BackboneCode.WRONG_STATE: _("This step is not possible in the person's current state."),
        BackboneCode.NOT_OWN_BASE: _("You may nominate only your own base's staff."),
    }.get(error.code, _("The input is not valid: %(detail)s") % {"detail": error.message})


def _status(error) -> int:
    return 409 if isinstance(error, ConcurrentEditError) else 400


def _person(data: dict) -> dict:
    return {k: data[k] for k in ("name", "position", "phone", "email", "notes")}


def _counts_table(counts) -> dict:
    groups = list(counts.by_region_group)
    roles = dict(BackboneMember.Role.choices)
    return {
        "groups": [localized(*REGION_GROUPS.get(g, (g, g))) for g in groups],
        "rows": [
            {
                "label": roles.get(role, role),
                "cells": [counts.table[(role, g)] for g in groups],
                "total": n,
            }
            for role, n in counts.by_role.items()
        ],
        "group_totals": list(counts.by_region_group.values()),
        "total": counts.total,
        "states": [
            (dict(BackboneMember.State.choices).get(s, s), n) for s, n in counts.by_state.items()
        ],
    }


def _list_page(request, campaign, *, form=None, status=200):
    filters = FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    return render(
        request,
        "backbone/list.html",
        {
            "layout": page_layout(request),
            "campaign": campaign,
            "campaign_name": localized(campaign.name_zh, campaign.name_en),
            "filters": filters,
            "members": selectors.members_listed(
                campaign=campaign,
                role=chosen.get("role") or "",
                state=chosen.get("state") or "",
                group=chosen.get("group") or "",
                q=chosen.get("q") or "",
            ),
            "counts": _counts_table(selectors.backbone_counts(campaign=campaign)),
            "form": form or MemberForm(campaign=campaign),
            "groups": dict((k, localized(*v)) for k, v in REGION_GROUPS.items()),
        },
        status=status,
    )


@login_required
def member_list(request, code: str):
    """The office's list of the campaign's backbone: filters, counts, the record form."""
    require(can_manage_backbone(request.user))
    campaign = campaign_or_404(code)
    if request.method != "POST":
        return _list_page(request, campaign)
    form = MemberForm(request.POST, campaign=campaign)
    if not form.is_valid():
        return _list_page(request, campaign, form=form, status=400)
    data = form.cleaned_data
    try:
        member = member_record(
            campaign=campaign,
            role=data["role"],
            base=data["base"],
            organisation=data["organisation"],
            user=request.user,
            **_person(data),
        )
    except BackboneError as error:
        form.add_error(None, error_message(error))
        return _list_page(request, campaign, form=form, status=400)
    messages.success(request, _("%(name)s was recorded.") % {"name": member.name})
    return redirect("backbone_list", campaign.code)


@login_required
@require_POST
def import_records(request, code: str):
    """Record the operational members of the published panels and the visits' contacts."""
    require(can_manage_backbone(request.user))
    campaign = campaign_or_404(code)
    result = backbone_import(campaign=campaign, user=request.user)
    messages.success(
        request,
        _(
            "Imported %(panel)s panel members and %(contacts)s visit contacts;"
            " %(already)s were recorded already."
        )
        % {
            "panel": result.panel_members,
            "contacts": result.visit_contacts,
            "already": result.already,
        },
    )
    return redirect("backbone_list", campaign.code)


def _member_or_404(campaign, pk):
    member = selectors.member_of(campaign=campaign, pk=pk)
    if member is None:
        raise Http404
    return member


def _member_page(request, campaign, member, *, form=None, invite=None, status=200):
    initial = {
        "name": member.name,
        "role": member.role,
        "base": member.base,
        "organisation": member.organisation,
        "position": member.position,
        "phone": member.phone,
        "email": member.email,
        "notes": member.notes,
        "version": member.version,
    }
    suggested = f"BB{campaign.code.upper()[:20]}{member.pk:04d}"
    return render(
        request,
        "backbone/member.html",
        {
            "layout": page_layout(request),
            "campaign": campaign,
            "campaign_name": localized(campaign.name_zh, campaign.name_en),
            "member": member,
            "region_group": localized(*REGION_GROUPS[selectors.region_group(member)]),
            "form": form or MemberForm(initial=initial, campaign=campaign),
            "invite": invite
            or InviteForm(
                initial={
                    "organisation": member.organisation,
                    "code": suggested,
                    "version": member.version,
                }
            ),
            "accept": AcceptForm(initial={"version": member.version}),
            "events": member.events.all(),
        },
        status=status,
    )


@login_required
def member_edit(request, code: str, pk: int):
    """One person: the edit form, the invitation to a roster, the audit."""
    require(can_manage_backbone(request.user))
    campaign = campaign_or_404(code)
    member = _member_or_404(campaign, pk)
    if request.method != "POST":
        return _member_page(request, campaign, member)
    form = MemberForm(request.POST, campaign=campaign)
    if not form.is_valid() or form.cleaned_data.get("version") is None:
        if form.is_valid():
            form.add_error(None, _("The form lacks the version it was read at."))
        return _member_page(request, campaign, member, form=form, status=400)
    data = form.cleaned_data
    try:
        member_update(
            member=member,
            data={
                **_person(data),
                "role": data["role"],
                "base": data["base"],
                "organisation": data["organisation"],
            },
            version=data["version"],
            user=request.user,
        )
    except (BackboneError, ConcurrentEditError) as error:
        messages.error(request, error_message(error))
        member = _member_or_404(campaign, pk)
        return _member_page(request, campaign, member, status=_status(error))
    messages.success(request, _("The changes were saved."))
    return redirect("backbone_member", campaign.code, member.pk)


@login_required
@require_POST
def invite(request, code: str, pk: int):
    """Invite the person to an organisation's roster with the operational role."""
    require(can_manage_backbone(request.user))
    campaign = campaign_or_404(code)
    member = _member_or_404(campaign, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _member_page(request, campaign, member, invite=form, status=400)
    data = form.cleaned_data
    try:
        expert = member_invite(
            member=member,
            organisation=data["organisation"],
            code=data["code"],
            version=data["version"],
            user=request.user,
        )
    except (BackboneError, ConcurrentEditError) as error:
        if isinstance(error, BackboneError) and error.problems:
            for field, message in error.problems:
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.error(request, error_message(error))
        member = _member_or_404(campaign, pk)
        return _member_page(request, campaign, member, invite=form, status=_status(error))
    messages.success(
        request,
        _("%(name)s was invited to the roster as expert %(code)s.")
        % {"name": member.name, "code": expert.code},
    )
    return redirect("backbone_member", campaign.code, member.pk)


@login_required
@require_POST
def accept(request, code: str, pk: int):
    """The invited person accepted: on the roster."""
    require(can_manage_backbone(request.user))
    campaign = campaign_or_404(code)
    member = _member_or_404(campaign, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return _member_page(request, campaign, member, status=400)
    try:
        member_accept(member=member, version=form.cleaned_data["version"], user=request.user)
    except (BackboneError, ConcurrentEditError) as error:
        messages.error(request, error_message(error))
        member = _member_or_404(campaign, pk)
        return _member_page(request, campaign, member, status=_status(error))
    messages.success(request, _("%(name)s is on the roster.") % {"name": member.name})
    return redirect("backbone_member", campaign.code, member.pk)


@login_required
def nominate(request, code: str, base_code: str):
    """A base officer nominates the own base's staff who worked in the evaluation."""
    require(can_nominate_backbone(request.user))
    campaign = campaign_or_404(code)
    base = get_object_or_404(bases_visible(request.user), code=base_code)
    form = NominationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                member = member_nominate(
                    campaign=campaign, base=base, user=request.user, **_person(form.cleaned_data)
                )
            except BackboneError as error:
                form.add_error(None, error_message(error))
            else:
                messages.success(request, _("%(name)s was nominated.") % {"name": member.name})
                return redirect("backbone_nominate", campaign.code, base.code)
        status = 400
    return render(
        request,
        "backbone/nominate.html",
        {
            "layout": page_layout(request),
            "campaign": campaign,
            "campaign_name": localized(campaign.name_zh, campaign.name_en),
            "base": base,
            "base_name": localized(base.name_zh, base.name_en),
            "form": form,
            "nominations": selectors.nominations_of(campaign=campaign, base=base),
        },
        status=status,
    )
