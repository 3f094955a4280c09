"""Pages of panel leaders, site visits (实地考察) and panel opinions (专家组意见).

Thin views: ``accounts.permissions`` decides (a role that never may: 403; a base outside what
the user may see: 404), reads go through ``selectors``, writes through ``services``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mieval.accounts.models import Role
from mieval.accounts.permissions import (
    bases_to_score,
    can_draft_opinion,
    can_manage_visits,
    can_plan_visit,
    can_read_visit_record,
    can_record_visit,
    can_use_visits,
    is_expert,
    is_panel_leader,
    role_of,
)
from mieval.collection.shortcuts import campaign_or_404
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.pages import require
from mieval.panels.models import Expert
from mieval.visits import selectors, services
from mieval.visits.forms import (
    AnswerForm,
    DecisionForm,
    LeaderForm,
    OpinionForm,
    VersionForm,
    VisitFileForm,
    VisitPlanForm,
    VisitRecordForm,
)
from mieval.visits.models import Opinion, VisitFile
from mieval.visits.services import VisitCode, VisitError


def error_message(error: VisitError | ConcurrentEditError) -> str:
    """The reader's sentence for a refused write."""
    if isinstance(error, ConcurrentEditError):
        return _("Someone else saved this meanwhile; nothing was written. Reload to see it.")
    return {
        VisitCode.EMPTY_FILE: _("The file is empty."),
        VisitCode.FILE_TOO_LARGE: _("The file is too large."),
        VisitCode.FILE_TYPE: _(
            "The file must be a PDF, PNG, JPEG, XLSX or DOCX file with a matching name."
        ),
        VisitCode.TOO_MANY_FILES: _("This visit record holds as many files as it may."),
        VisitCode.WRONG_STATE: _("This is not possible in the opinion's current state."),
        VisitCode.NOT_MEMBER: _("The expert is not a member of this panel."),
        VisitCode.NOT_ON_PANEL: _("The base is not evaluated by this panel."),
    }.get(error.code, _("The input is not valid: %(detail)s") % {"detail": str(error)})


def _base(request, campaign, base_code: str):
    """A base of the campaign the user works on here: the office any, an expert those of the
    own panel (404 otherwise); a base officer never reaches these pages (403)."""
    require(can_use_visits(request.user) and role_of(request.user) != Role.BASE_OFFICER)
    bases = (
        campaign.bases.all()
        if can_manage_visits(request.user)
        else bases_to_score(request.user, campaign)
    )
    base = bases.filter(code=base_code).select_related("subcategory").first()
    if base is None:
        raise Http404
    panel = selectors.panel_of(campaign=campaign, base=base)
    if panel is None:
        raise Http404
    return base, panel


def _expert_of(user) -> Expert | None:
    return user.expert if is_expert(user) else None


# --- the campaign's visits ------------------------------------------------------------------


@login_required
def index(request, code: str):
    require(can_use_visits(request.user))
    campaign = campaign_or_404(code)
    if role_of(request.user) == Role.BASE_OFFICER:
        base = request.user.profile.base
        if not campaign.bases.filter(pk=base.pk).exists():
            raise Http404
        return render(
            request,
            "visits/base.html",
            {
                "campaign": campaign,
                "base": base,
                "visit": selectors.visit_for(campaign=campaign, base=base),
                "opinion": selectors.opinion_for(campaign=campaign, base=base),
            },
        )
    rows = selectors.campaign_panels(campaign, request.user)
    office = can_manage_visits(request.user)
    for row in rows:
        row.leads = row.leader is not None and row.leader.expert.user_id == request.user.pk
    return render(
        request,
        "visits/index.html",
        {"campaign": campaign, "rows": rows, "office": office},
    )


@login_required
@require_POST
def leader_set(request, code: str, number: int):
    require(can_manage_visits(request.user))
    campaign = campaign_or_404(code)
    panel = selectors.panel_by_number(campaign, number)
    if panel is None:
        raise Http404
    members = Expert.objects.filter(memberships__panel=panel)
    form = LeaderForm(request.POST, members=members)
    if form.is_valid():
        try:
            services.leader_set(
                panel=panel,
                expert=form.cleaned_data["expert"],
                user=request.user,
                version=form.cleaned_data["version"],
            )
        except (VisitError, ConcurrentEditError) as error:
            messages.error(request, error_message(error))
        else:
            messages.success(
                request, _("The leader of panel %(number)s was saved.") % {"number": number}
            )
    else:
        messages.error(request, _("Choose a member of the panel as its leader."))
    return redirect("visits_index", campaign.code)


# --- the visit plan -------------------------------------------------------------------------


@login_required
def plan(request, code: str, base_code: str):
    campaign = campaign_or_404(code)
    base, panel = _base(request, campaign, base_code)
    require(can_plan_visit(request.user, panel))
    visit = selectors.visit_for(campaign=campaign, base=base)
    members = Expert.objects.filter(memberships__panel=panel).order_by("code")
    initial = {}
    contacts = visit.contacts if visit else []
    if visit is not None:
        initial = {
            "visit_date": visit.date,
            "itinerary": visit.itinerary,
            "members": list(visit.members.all()),
            "version": visit.version,
        }
        for n, contact in enumerate(contacts):
            initial.update({f"contact_{n}_{k}": v for k, v in contact.items()})
    form = VisitPlanForm(
        request.POST or None, initial=initial, members=members, contact_rows=len(contacts)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_plan_save(
                campaign=campaign,
                panel=panel,
                base=base,
                visit_date=form.cleaned_data["visit_date"],
                itinerary=form.cleaned_data["itinerary"],
                contacts=form.contacts(),
                members=list(form.cleaned_data["members"]),
                user=request.user,
                version=form.cleaned_data["version"],
            )
        except (VisitError, ConcurrentEditError) as error:
            form.add_error(None, error_message(error))
        else:
            messages.success(request, _("The visit plan was saved."))
            return redirect("visits_index", campaign.code)
    return render(
        request,
        "visits/plan.html",
        {"campaign": campaign, "base": base, "panel": panel, "form": form, "visit": visit},
    )


# --- the visit record (a phone page) --------------------------------------------------------


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
def record(request, code: str, base_code: str):
    campaign = campaign_or_404(code)
    base, panel = _base(request, campaign, base_code)
    require(can_read_visit_record(request.user, base, campaign))
    visit = selectors.visit_for(campaign=campaign, base=base)
    closed_by = selectors.record_closing_opinion(visit) if visit is not None else None
    may_record = can_record_visit(request.user, base, campaign)
    may_write = may_record and closed_by is None
    members = Expert.objects.filter(memberships__panel=panel).order_by("code")
    existing = getattr(visit, "record", None) if visit is not None else None
    initial = {}
    if existing is not None:
        initial = {
            "members_present": list(existing.members_present.all()),
            "base_attendees": existing.base_attendees,
            "checked": existing.checked,
            "checked_notes": existing.checked_notes,
            "findings": existing.findings,
            "version": existing.version,
        }
    status = 200
    if request.method == "POST":
        require(may_record)
        if visit is None:
            raise Http404
        form = VisitRecordForm(request.POST, initial=initial, members=members)
        if closed_by is not None:
            # Refused by the opinion's state, not by the role: the phone keeps its draft.
            detail = _("The visit record is closed; it was not saved.")
            if _wants_json(request):
                return JsonResponse({"state": "closed", "detail": str(detail)}, status=409)
            form.is_valid()  # the typed text is shown again, for the writer to keep
            form.add_error(None, detail)
            status = 409
        elif form.is_valid():
            data = dict(form.cleaned_data)
            try:
                saved = services.visit_record_save(
                    visit=visit,
                    members_present=list(data["members_present"]),
                    base_attendees=data["base_attendees"],
                    checked=data["checked"],
                    checked_notes=data["checked_notes"],
                    findings=data["findings"],
                    user=request.user,
                    version=data["version"],
                )
            except ConcurrentEditError as error:
                if _wants_json(request):
                    # The stored version, for an editor who decides to save over it.
                    latest = selectors.record_version(visit)
                    return JsonResponse(
                        {"state": "conflict", "detail": error_message(error), "version": latest},
                        status=409,
                    )
                form.add_error(None, error_message(error))
            except VisitError as error:
                if _wants_json(request):
                    return JsonResponse({"state": "invalid", "detail": str(error)}, status=422)
                form.add_error(None, error_message(error))
            else:
                if _wants_json(request):
                    return JsonResponse({"state": "saved", "version": saved.version})
                messages.success(request, _("The visit record was saved."))
                return redirect("visits_record", campaign.code, base.code)
        elif _wants_json(request):
            return JsonResponse(
                {"state": "invalid", "detail": form.errors.get_json_data()}, status=422
            )
    else:
        form = VisitRecordForm(initial=initial, members=members)
    if not may_write:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "visits/record.html",
        {
            "campaign": campaign,
            "base": base,
            "panel": panel,
            "visit": visit,
            "record": existing,
            "form": form,
            "file_form": VisitFileForm(),
            "may_write": may_write,
            "closed_by": closed_by,
            "draft_key": f"mieval-visit-record:{campaign.code}:{base.code}:{request.user.pk}",
            "max_mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
        },
        status=status,
    )


def worker(request, code: str):
    """The visit records' service worker, served under the campaign's visit pages so that its
    scope covers them (a script under /static/ could control only /static/)."""
    path = finders.find("visits/worker.js")
    with open(path, encoding="utf-8") as script:
        response = HttpResponse(script.read(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_POST
def file_add(request, code: str, base_code: str):
    campaign = campaign_or_404(code)
    base, _panel = _base(request, campaign, base_code)
    require(can_record_visit(request.user, base, campaign))
    visit = selectors.visit_for(campaign=campaign, base=base)
    existing = getattr(visit, "record", None) if visit is not None else None
    if existing is None:
        messages.error(request, _("Save the visit record before adding photos and files."))
        return redirect("visits_record", campaign.code, base.code)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a photo or file."))
    elif upload.size > settings.EVIDENCE_MAX_BYTES:
        # Checked before the file is read whole.
        messages.error(request, _("The file is too large."))
    else:
        try:
            services.visit_file_add(
                record=existing, name=upload.name, data=upload.read(), user=request.user
            )
        except VisitError as error:
            messages.error(request, error_message(error))
        else:
            messages.success(request, _("The file was added to the visit record."))
    return redirect("visits_record", campaign.code, base.code)


@login_required
def file_download(request, code: str, base_code: str, pk: int, thumbnail: bool = False):
    campaign = campaign_or_404(code)
    base, _panel = _base(request, campaign, base_code)
    require(can_read_visit_record(request.user, base, campaign))
    item = get_object_or_404(
        VisitFile, pk=pk, record__visit__campaign=campaign, record__visit__base=base
    )
    if thumbnail:
        if not item.thumbnail:
            raise Http404
        return FileResponse(item.thumbnail.open("rb"), content_type="image/jpeg")
    return FileResponse(
        item.file.open("rb"),
        as_attachment=not item.is_image(),
        filename=item.name,
        content_type=item.content_type,
    )


# --- the panel's opinion --------------------------------------------------------------------


def _opinion_action(request, *, campaign, base, panel, opinion, action):
    """One write of the opinion page; returns the form with errors, or None when done."""
    user = request.user
    if action == "save":
        require(can_draft_opinion(user, panel, base, campaign))
        form = OpinionForm(request.POST)
        if not form.is_valid():
            return form
        services.opinion_save(
            campaign=campaign,
            panel=panel,
            base=base,
            text=form.cleaned_data["text"],
            recommendations=form.cleaned_data["recommendations"],
            user=user,
            version=form.cleaned_data["version"],
        )
        messages.success(request, _("The opinion was saved."))
        return None
    if opinion is None:
        raise Http404
    version = VersionForm(request.POST)
    read = version.cleaned_data["version"] if version.is_valid() else None
    if action in {"circulate", "submit"}:
        require(can_draft_opinion(user, panel, base, campaign))
        write = services.opinion_circulate if action == "circulate" else services.opinion_submit
        write(opinion=opinion, user=user, version=read)
        messages.success(
            request,
            _("The opinion was sent to the members.")
            if action == "circulate"
            else _("The opinion was sent to the evaluation office."),
        )
        return None
    if action == "answer":
        require(can_record_visit(user, base, campaign) and not is_panel_leader(user, panel))
        form = AnswerForm(request.POST)
        if not form.is_valid():
            return form
        services.opinion_answer(
            opinion=opinion,
            expert=user.expert,
            agrees=form.cleaned_data["agrees"],
            dissent=form.cleaned_data["dissent"],
            user=user,
        )
        messages.success(request, _("Your answer was saved."))
        return None
    if action in {"accept", "return"}:
        require(can_manage_visits(user))
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return form
        data = form.cleaned_data
        if action == "accept":
            services.opinion_accept(
                opinion=opinion,
                user=user,
                version=data["version"],
                note=data["note"],
            )
            messages.success(request, _("The opinion was accepted; the base now reads it."))
        else:
            services.opinion_return(
                opinion=opinion, user=user, note=data["note"], version=data["version"]
            )
            messages.success(request, _("The opinion was returned to the leader."))
        return None
    raise Http404


@login_required
def opinion(request, code: str, base_code: str):
    campaign = campaign_or_404(code)
    base, panel = _base(request, campaign, base_code)
    current = selectors.opinion_for(campaign=campaign, base=base, accepted_only=False)
    error_form = None
    if request.method == "POST":
        try:
            error_form = _opinion_action(
                request,
                campaign=campaign,
                base=base,
                panel=panel,
                opinion=current,
                action=request.POST.get("action", ""),
            )
        except (VisitError, ConcurrentEditError) as error:
            messages.error(request, error_message(error))
        else:
            if error_form is None:
                return redirect("visits_opinion", campaign.code, base.code)
        current = selectors.opinion_for(campaign=campaign, base=base, accepted_only=False)
    user = request.user
    expert = _expert_of(user)
    leads = can_draft_opinion(user, panel, base, campaign)
    draft_form = None
    if leads and (current is None or current.is_editable()):
        draft_form = (
            error_form
            if isinstance(error_form, OpinionForm)
            else OpinionForm(
                initial={
                    "text": current.text if current else "",
                    "recommendations": current.recommendations if current else "",
                    "version": current.version if current else None,
                }
            )
        )
    responses = list(current.responses.all()) if current else []
    own = next((r for r in responses if expert and r.expert_id == expert.pk), None)
    may_answer = (
        current is not None
        and current.state == Opinion.State.CIRCULATED
        and expert is not None
        and not leads
        and can_record_visit(user, base, campaign)
    )
    return render(
        request,
        "visits/opinion.html",
        {
            "campaign": campaign,
            "base": base,
            "panel": panel,
            "opinion": current,
            "responses": responses,
            "members": selectors.panel_members(panel),
            "sheet": selectors.opinion_sheet(campaign=campaign, base=base, user=user),
            "leads": leads,
            "draft_form": draft_form,
            "answer_form": (
                error_form
                if isinstance(error_form, AnswerForm)
                else AnswerForm(
                    initial={
                        "agrees": "1" if own is None or own.agrees else "0",
                        "dissent": own.dissent if own else "",
                    }
                )
            )
            if may_answer
            else None,
            "decision_form": (
                error_form if isinstance(error_form, DecisionForm) else DecisionForm()
            )
            if can_manage_visits(user) and current and current.state == Opinion.State.SUBMITTED
            else None,
            "events": selectors.visit_events(campaign=campaign, base=base)
            if can_manage_visits(user)
            else [],
        },
    )
