"""Review pages for the evaluation office: submissions, queries, evidence, audit (the rules
editor is in :mod:`mieval.collection.views.rules`).

Thin views: the role is checked with ``accounts.permissions`` (a role that never may: 403;
another base's data, looked up among :func:`bases_visible`: 404), reads go through selectors,
every write through a service of ``collection.workflow``. A page that htmx updates renders the
same template, which extends ``web/fragment.html`` (only its ``results`` block) for an htmx
request. A :class:`WorkflowError` is shown as a translated sentence chosen by its code.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from mieval.accounts.permissions import (
    bases_visible,
    can_answer_query,
    can_edit_values,
    can_review,
    can_take_part_in_review,
    can_upload_evidence,
    can_view_submissions,
)
from mieval.collection.models import (
    Campaign,
    Evidence,
    Query,
    QueryMessage,
    Submission,
)
from mieval.collection.review_forms import (
    DeadlineForm,
    EvidenceReviewForm,
    EvidenceUploadForm,
    QueryFilterForm,
    QueryNoteForm,
    QueryOpenForm,
    QueryReplyForm,
    ReasonForm,
    SubmissionFilterForm,
)
from mieval.collection.selectors import (
    base_value_grid,
    campaign_audit_csv,
    submissions_summary,
    value_panel,
)
from mieval.collection.services import LockedError
from mieval.collection.workflow import (
    WorkflowCode,
    WorkflowError,
    campaign_deadline_set,
    evidence_review,
    evidence_upload,
    query_close,
    query_follow_up,
    query_open,
    query_reply,
    submission_approve,
    submission_for,
    submission_reopen,
    submission_return,
)
from mieval.core.evidence import EvidenceCode, EvidenceError
from mieval.indicators.models import Indicator
from mieval.lib.i18n import localized
from mieval.lib.pages import campaign_or_404, is_htmx, page_layout, require

State = Submission.State


# --- helpers ---------------------------------------------------------------------------------


def _base(request, campaign: Campaign, base_code: str):
    # Another base is not found, whether it exists or not.
    return get_object_or_404(
        bases_visible(request.user).with_reference(), code=base_code, campaigns=campaign
    )


def _actor(request) -> str:
    return request.user.get_username()


def _state_label(state: str) -> str:
    return str(State(state).label)


def evidence_message(error: EvidenceError) -> str:
    """The reader's sentence for an evidence file refused (the check's message is English)."""
    params = error.params
    if error.code == EvidenceCode.EMPTY_FILE:
        return _("The file '%(name)s' is empty.") % params
    if error.code == EvidenceCode.FILE_TOO_LARGE:
        size = _(
            "The file '%(name)s' is %(size).1f MB; evidence files may be at most %(limit).0f MB."
        )
        return size % params
    if error.kind:
        named = _("The file '%(name)s' holds a %(kind)s file but its name does not end in %(ext)s.")
        return named % (params | {"ext": " / ".join(params["ext"])})
    unknown = _(
        "The file '%(name)s' is not a PDF, PNG, JPEG, XLSX or DOCX file (allowed: %(allowed)s)."
    )
    return unknown % params


def workflow_message(error: WorkflowError, *, action: str, campaign=None, base=None) -> str:
    """The reader's sentence for a step the workflow refused (the service's own message is
    English, for logs and the command line)."""
    code = error.code
    if code == WorkflowCode.WRONG_STATE:
        submission = Submission.objects.filter(campaign=campaign, base=base).first()
        state = submission.state if submission else State.DRAFT
        return WRONG_STATE[action]() % {"base": base.code, "state": _state_label(state)}
    if code == WorkflowCode.REASON_REQUIRED:
        return REASON_REQUIRED[action]()
    if code == WorkflowCode.OPEN_QUERIES:
        n = Query.objects.filter(
            campaign=campaign,
            base=base,
            status__in=[Query.Status.OPEN, Query.Status.ANSWERED],
        ).count()
        return ngettext(
            "%(n)s query on %(base)s is not closed yet; close it before approving.",
            "%(n)s queries on %(base)s are not closed yet; close them before approving.",
            n,
        ) % {"n": n, "base": base.code}
    if code == WorkflowCode.CHECK_ERRORS:
        n = len(error.problems) if error.problems is not None else 0
        return ngettext(
            "%(n)s problem of severity error must be fixed first.",
            "%(n)s problems of severity error must be fixed first.",
            n,
        ) % {"n": n}
    if code == WorkflowCode.QUERY_CLOSED:
        return _("This query is closed; the evaluation office can ask again.")
    if code in (WorkflowCode.EMPTY_FILE, WorkflowCode.FILE_TOO_LARGE, WorkflowCode.FILE_TYPE):
        return evidence_message(error.evidence)
    return error.message  # pragma: no cover - every code is handled above


WRONG_STATE = {
    "return": lambda: _(
        "The submission of %(base)s is %(state)s; only a submitted report can be returned."
    ),
    "approve": lambda: _(
        "The submission of %(base)s is %(state)s; only a submitted report can be approved."
    ),
    "reopen": lambda: _(
        "The submission of %(base)s is %(state)s; only approved data can be reopened."
    ),
}
REASON_REQUIRED = {
    "return": lambda: _("Say why the submission goes back, or open a query on a value first."),
    "reopen": lambda: _("Reopening approved data needs a reason."),
    "query": lambda: _("A query needs a question."),
    "reply": lambda: _("An answer needs some text."),
}


class _Upload:
    def __init__(self, name: str, data: bytes):
        self.name, self.data, self.size = name, data, len(data)


# --- 1. the submissions dashboard -------------------------------------------------------------


@login_required
def submissions_dashboard(request, code: str):
    user = request.user
    require(can_view_submissions(user))
    campaign = campaign_or_404(code)
    deadline_form = DeadlineForm(initial={"deadline": campaign.submission_deadline})
    if request.method == "POST":
        require(can_review(user))
        deadline_form = DeadlineForm(request.POST)
        if deadline_form.is_valid():
            deadline = deadline_form.cleaned_data["deadline"]
            campaign_deadline_set(campaign=campaign, deadline=deadline)
            if deadline is None:
                messages.success(request, _("The submission deadline is removed."))
            else:
                messages.success(request, _("The submission deadline is set."))
            return redirect("submissions_dashboard", code=campaign.code)

    form = SubmissionFilterForm(request.GET or None)
    options = form.cleaned_data if form.is_valid() else {}
    summary = submissions_summary(
        campaign, state=options.get("state", ""), subcategory=options.get("subcategory", "")
    )
    return render(
        request,
        "collection/submissions.html",
        {
            "layout": page_layout(request),
            "campaign": campaign,
            "name": localized(campaign.name_zh, campaign.name_en),
            "form": form,
            "deadline_form": deadline_form,
            "can_review": can_review(user),
            **summary,
            "states_chart": {
                "kind": "bar",
                "labels": [label for _value, label in State.choices],
                "values": list(summary["state_counts"].values()),
            },
            "completeness_chart": {
                "kind": "completeness",
                "labels": [r["label"] for r in summary["subcategory_rows"]],
                "values": [r["percent"] for r in summary["subcategory_rows"]],
            },
        },
    )


# --- 2. the review of one base ----------------------------------------------------------------

REVIEW_STEPS = {
    "return": submission_return,
    "approve": submission_approve,
    "reopen": submission_reopen,
}
STEP_SUCCESS = {
    "return": lambda: _("The submission is returned to the base."),
    "approve": lambda: _("The submission is approved; its data is now locked."),
    "reopen": lambda: _("The submission is reopened and returned to the base."),
}


@login_required
def submission_review(request, code: str, base_code: str):
    user = request.user
    require(can_review(user))
    campaign = campaign_or_404(code)
    base = _base(request, campaign, base_code)
    error = notice = None
    reason_form = ReasonForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in REVIEW_STEPS:
            raise Http404
        reason_form = ReasonForm(request.POST)
        if reason_form.is_valid():
            reason = reason_form.cleaned_data["reason"]
            submission = submission_for(campaign=campaign, base=base)
            keyword = "note" if action == "approve" else "reason"
            try:
                REVIEW_STEPS[action](
                    submission=submission, user=user, actor=_actor(request), **{keyword: reason}
                )
            except WorkflowError as caught:
                error = workflow_message(caught, action=action, campaign=campaign, base=base)
            else:
                notice = STEP_SUCCESS[action]()
                reason_form = ReasonForm()
                if not is_htmx(request):
                    messages.success(request, notice)
                    return redirect("submission_review", code=campaign.code, base_code=base.code)
    submission = Submission.objects.filter(campaign=campaign, base=base).first()
    state = submission.state if submission else State.DRAFT
    events = submission.events.select_related("user") if submission else []
    grid = base_value_grid(campaign, base)
    return render(
        request,
        "collection/review.html",
        {
            "layout": page_layout(request),
            "campaign": campaign,
            "campaign_name": localized(campaign.name_zh, campaign.name_en),
            "base": base,
            "name": localized(base.name_zh, base.name_en),
            "submission": submission,
            "state": state,
            "state_label": _state_label(state),
            "events": events,
            "grid": grid,
            "reason_form": reason_form,
            "error": error,
            "notice": notice,
            "can_return": state == State.SUBMITTED,
            "can_approve": state == State.SUBMITTED,
            "can_reopen": state == State.APPROVED,
            "panel_url": "",
        },
    )


# --- one value: its history, queries and evidence --------------------------------------------


@dataclass(frozen=True)
class _Cell:
    """The value a panel is about: one base's indicator in one year of a campaign."""

    campaign: Campaign
    base: object
    indicator: Indicator
    year: int


def _query_open(request, cell: _Cell) -> dict:
    require(can_review(request.user))
    form = QueryOpenForm(request.POST)
    if not form.is_valid():
        return {"query_form": form}
    query_open(
        campaign=cell.campaign,
        base=cell.base,
        indicator=cell.indicator,
        year=cell.year,
        text=form.cleaned_data["text"],
        user=request.user,
        actor=_actor(request),
    )
    return {"notice": _("The query is sent to the base."), "changed": True}


def _evidence_upload(request, cell: _Cell) -> dict:
    require(can_upload_evidence(request.user, cell.base))
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return {"upload_form": form}
    file = form.cleaned_data["file"]
    upload = _Upload(file.name, file.read())
    try:
        evidence_upload(
            campaign=cell.campaign,
            base=cell.base,
            indicator=cell.indicator,
            year=cell.year,
            name=upload.name,
            data=upload.data,
            description=form.cleaned_data["description"],
            user=request.user,
        )
    except WorkflowError as caught:
        error = workflow_message(caught, action="upload", campaign=cell.campaign, base=cell.base)
        return {"upload_form": form, "error": error}
    return {"notice": _("The file '%(name)s' is stored.") % {"name": upload.name}, "changed": True}


def _evidence_verify(request, cell: _Cell) -> dict:
    require(can_review(request.user))
    form = EvidenceReviewForm(request.POST)
    if not form.is_valid():
        return {"error": _("Choose a verification status.")}
    evidence = get_object_or_404(
        Evidence,
        pk=form.cleaned_data["evidence"],
        campaign=cell.campaign,
        base=cell.base,
        indicator=cell.indicator,
        year=cell.year,
    )
    evidence_review(
        evidence=evidence,
        status=form.cleaned_data["status"],
        note=form.cleaned_data["note"],
        user=request.user,
    )
    return {"notice": _("The verification is saved."), "changed": True}


# What the value panel's buttons do: each checks the role, writes through a service and says
# what happened (notice or error, a bound form to show again, whether the value changed).
VALUE_ACTIONS = {"query": _query_open, "upload": _evidence_upload, "verify": _evidence_verify}


@login_required
def value_detail(request, code: str, base_code: str, indicator_code: str, year: int):
    user = request.user
    require(can_take_part_in_review(user))
    campaign = campaign_or_404(code)
    base = _base(request, campaign, base_code)
    indicator = get_object_or_404(Indicator, framework=campaign.framework, code=indicator_code)
    if not campaign.covers_year(year):
        raise Http404
    outcome = {}
    if request.method == "POST":
        action = VALUE_ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            raise Http404
        outcome = action(request, _Cell(campaign, base, indicator, year))
        if outcome.get("changed") and not is_htmx(request):
            messages.success(request, outcome["notice"])
            return redirect(request.path)
    response = render(
        request,
        "collection/value_detail.html",
        {
            "layout": page_layout(request),
            "campaign": campaign,
            "campaign_name": localized(campaign.name_zh, campaign.name_en),
            "base": base,
            "name": localized(base.name_zh, base.name_en),
            "indicator": indicator,
            "indicator_name": localized(indicator.name_zh, indicator.name_en),
            "unit": localized(indicator.unit_zh or indicator.unit, indicator.unit),
            "year": year,
            **value_panel(campaign=campaign, base=base, indicator=indicator, year=year),
            "query_form": outcome.get("query_form", QueryOpenForm()),
            "upload_form": outcome.get("upload_form", EvidenceUploadForm()),
            "verify_choices": Evidence.Status.choices,
            "can_review": can_review(user),
            "can_upload": can_upload_evidence(user, base),
            "error": outcome.get("error"),
            "notice": outcome.get("notice"),
        },
    )
    if outcome.get("changed"):
        # The review table and the base's page listen for this and reload their markers.
        response["HX-Trigger"] = "valueChanged"
    return response


# --- 4. evidence files ------------------------------------------------------------------------


@require_GET
@login_required
def evidence_download(request, code: str, pk: int):
    """An evidence file, for those who may see its base: never through a public media URL."""
    require(can_take_part_in_review(request.user))
    evidence = get_object_or_404(
        Evidence, pk=pk, campaign__code=code, base__in=bases_visible(request.user)
    )
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- 3. queries -------------------------------------------------------------------------------

STATUS_ORDER = {Query.Status.OPEN: 0, Query.Status.ANSWERED: 1, Query.Status.CLOSED: 2}


def _queries(campaign: Campaign):
    return (
        Query.objects.filter(campaign=campaign)
        .select_related("base", "indicator", "created_by")
        .prefetch_related(Prefetch("messages", QueryMessage.objects.select_related("author")))
    )


def _query_card(request, query: Query, **extra) -> dict:
    user = request.user
    return {
        "query": query,
        "indicator_name": localized(query.indicator.name_zh, query.indicator.name_en),
        "can_answer": can_answer_query(user, query) and query.status != Query.Status.CLOSED,
        "can_correct": can_edit_values(user, query.base, query.campaign),
        "can_review": can_review(user),
        "reply_form": QueryReplyForm(prefix=f"q{query.pk}"),
        "note_form": QueryNoteForm(prefix=f"q{query.pk}"),
        **extra,
    }


@login_required
def query_list(request, code: str):
    require(can_review(request.user))
    campaign = campaign_or_404(code)
    queries = _queries(campaign)
    in_campaign = campaign.bases.order_by("code").values_list("code", "name_zh", "name_en")
    form = QueryFilterForm(
        request.GET or None,
        bases=[(c, f"{c} {localized(zh, en)}") for c, zh, en in in_campaign],
    )
    counts = dict(
        Query.objects.filter(campaign=campaign)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    if form.is_valid():
        if form.cleaned_data["status"]:
            queries = queries.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["base"]:
            queries = queries.filter(base__code=form.cleaned_data["base"])
    rows = [
        {
            "query": q,
            "indicator_name": localized(q.indicator.name_zh, q.indicator.name_en),
            "last": list(q.messages.all())[-1] if q.messages.all() else None,
            "n_messages": len(q.messages.all()),
        }
        for q in queries
    ]
    return render(
        request,
        "collection/query_list.html",
        {
            "layout": page_layout(request),
            "campaign": campaign,
            "name": localized(campaign.name_zh, campaign.name_en),
            "form": form,
            "rows": rows,
            "counts": [(label, counts.get(value, 0)) for value, label in Query.Status.choices],
        },
    )


@login_required
def base_queries(request, code: str, base_code: str):
    """A base's page of the review: its queries to answer, its values with the problems the
    checks find, each value's history and evidence."""
    require(can_take_part_in_review(request.user))
    campaign = campaign_or_404(code)
    base = _base(request, campaign, base_code)
    queries = sorted(_queries(campaign).filter(base=base), key=lambda q: STATUS_ORDER[q.status])
    submission = Submission.objects.filter(campaign=campaign, base=base).first()
    state = submission.state if submission else State.DRAFT
    grid = base_value_grid(campaign, base)
    return render(
        request,
        "collection/base_queries.html",
        {
            "layout": page_layout(request),
            "campaign": campaign,
            "campaign_name": localized(campaign.name_zh, campaign.name_en),
            "base": base,
            "name": localized(base.name_zh, base.name_en),
            "state": state,
            "state_label": _state_label(state),
            "grid": grid,
            "cards": [_query_card(request, q) for q in queries],
            "can_review": can_review(request.user),
        },
    )


@login_required
def query_detail(request, code: str, pk: int):
    """One query and its whole thread; the base answers (and may correct the value), the
    office asks again or closes it."""
    user = request.user
    require(can_take_part_in_review(user))
    campaign = campaign_or_404(code)
    query = get_object_or_404(
        Query.objects.select_related("base", "indicator", "campaign"),
        pk=pk,
        campaign=campaign,
        base__in=bases_visible(user),
    )
    prefix = f"q{query.pk}"
    error = notice = None
    reply_form = QueryReplyForm(prefix=prefix)
    note_form = QueryNoteForm(prefix=prefix)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "reply":
            require(can_answer_query(user, query))
            reply_form = QueryReplyForm(request.POST, prefix=prefix, indicator=query.indicator)
            if reply_form.is_valid():
                error, notice = _reply(request, query, reply_form.cleaned_data)
                if notice:
                    reply_form = QueryReplyForm(prefix=prefix)
        elif action in {"follow_up", "close"}:
            require(can_review(user))
            note_form = QueryNoteForm(request.POST, prefix=prefix)
            if note_form.is_valid():
                text = note_form.cleaned_data["text"]
                if action == "close":
                    query_close(query=query, user=user, actor=_actor(request), text=text)
                    notice = _("The query is closed.")
                elif not text.strip():
                    error = _("A follow-up needs a question.")
                else:
                    query_follow_up(query=query, user=user, actor=_actor(request), text=text)
                    notice = _("The follow-up question is sent; the query is open again.")
                if notice:
                    note_form = QueryNoteForm(prefix=prefix)
        else:
            raise Http404
        if notice and not is_htmx(request):
            messages.success(request, notice)
            return redirect("query_detail", code=campaign.code, pk=query.pk)
    query = _queries(campaign).get(pk=query.pk)
    context = _query_card(request, query, error=error, notice=notice)
    context.update(reply_form=reply_form, note_form=note_form)
    response = render(
        request,
        "collection/query_detail.html",
        {
            "layout": page_layout(request),
            "campaign": campaign,
            "campaign_name": localized(campaign.name_zh, campaign.name_en),
            "base": query.base,
            **context,
        },
    )
    if notice:
        response["HX-Trigger"] = "valueChanged"
    return response


def _reply(request, query: Query, data: dict) -> tuple[str | None, str | None]:
    """Answer a query, with a corrected value when one is given and the base may still edit."""
    user = request.user
    extra = {}
    if data["new_value"] is not None:
        if not can_edit_values(user, query.base, query.campaign):
            return (
                _(
                    "The value can be corrected only while the submission is a draft or"
                    " returned; answer in words, or correct it once the office returns it."
                ),
                None,
            )
        extra["new_value"] = data["new_value"]
    try:
        query_reply(query=query, text=data["text"], user=user, actor=_actor(request), **extra)
    except WorkflowError as caught:
        return workflow_message(
            caught, action="reply", campaign=query.campaign, base=query.base
        ), None
    except LockedError:
        return _("The base's data is approved and locked; the value cannot change."), None
    if extra:
        return None, _("The answer is sent and the value is corrected to %(value)s.") % {
            "value": extra["new_value"]
        }
    return None, _("The answer is sent.")


# --- 5. audit ---------------------------------------------------------------------------------


@login_required
def audit_csv(request, code: str):
    require(can_review(request.user))
    campaign = campaign_or_404(code)
    response = HttpResponse(campaign_audit_csv(campaign), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{campaign.code}.csv"'
    return response


urlpatterns = [
    path(
        "campaigns/<slug:code>/submissions/",
        submissions_dashboard,
        name="submissions_dashboard",
    ),
    path(
        "campaigns/<slug:code>/bases/<str:base_code>/review/",
        submission_review,
        name="submission_review",
    ),
    path(
        "campaigns/<slug:code>/bases/<str:base_code>/queries/",
        base_queries,
        name="base_queries",
    ),
    path(
        "campaigns/<slug:code>/bases/<str:base_code>/values/<str:indicator_code>/<int:year>/",
        value_detail,
        name="value_detail",
    ),
    path("campaigns/<slug:code>/queries/", query_list, name="query_list"),
    path("campaigns/<slug:code>/queries/<int:pk>/", query_detail, name="query_detail"),
    path(
        "campaigns/<slug:code>/evidence/<int:pk>/download/",
        evidence_download,
        name="evidence_download",
    ),
    path("campaigns/<slug:code>/audit.csv", audit_csv, name="audit_csv"),
]
