"""Review pages for the evaluation office: submissions, queries, evidence, audit, rules.

Thin views: the role is checked with ``accounts.permissions`` (a role that never may: 403;
another base's data, looked up among :func:`bases_visible`: 404), reads go through selectors,
every write through a service of ``collection.workflow``. A page that htmx updates renders the
same template, which extends ``web/fragment.html`` (only its ``results`` block) for an htmx
request. A :class:`WorkflowError` is shown as a translated sentence chosen by its code.
"""

from collections import defaultdict

import pandas as pd
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
    RuleSet,
    Submission,
    Value,
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
    RulesForm,
    SubmissionFilterForm,
)
from mieval.collection.selectors import (
    campaign_audit_csv,
    campaign_check,
    campaign_completeness,
    campaign_frames,
    rules_preview_on,
    value_history,
)
from mieval.collection.services import LockedError
from mieval.collection.shortcuts import campaign_or_404
from mieval.collection.workflow import (
    EVIDENCE_KINDS,
    WorkflowCode,
    WorkflowError,
    campaign_deadline_set,
    evidence_kind,
    evidence_review,
    evidence_upload,
    query_close,
    query_follow_up,
    query_open,
    query_reply,
    ruleset_activate,
    ruleset_save,
    submission_approve,
    submission_for,
    submission_reopen,
    submission_return,
)
from mieval.core import reference
from mieval.core.completeness import completeness
from mieval.core.problems import InputError
from mieval.indicators.models import Framework, Indicator
from mieval.indicators.selectors import framework_indicators_frame
from mieval.lib.i18n import group_name, localized
from mieval.lib.pages import is_htmx, page_layout, require
from mieval.lib.params import id_param

State = Submission.State
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


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


def _indicators(campaign: Campaign, category: str | None = None) -> list[dict]:
    """The campaign's indicators with their names in the reader's language; with ``category``
    only those that apply to it."""
    zh = localized("zh", "en") == "zh"
    return [
        {
            "code": row.code,
            "name": localized(row.name_zh, row.name_en),
            "unit": (row.unit_zh or row.unit) if zh else row.unit,
        }
        for row in framework_indicators_frame(campaign.framework).itertuples(index=False)
        if category is None or not row.categories or category in row.categories
    ]


def workflow_message(
    error: WorkflowError, *, action: str, campaign=None, base=None, upload=None
) -> str:
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
    if code == WorkflowCode.EMPTY_FILE:
        return _("The file '%(name)s' is empty.") % {"name": upload.name}
    if code == WorkflowCode.FILE_TOO_LARGE:
        from django.conf import settings

        return _(
            "The file '%(name)s' is %(size).1f MB; evidence files may be at most %(limit).0f MB."
        ) % {
            "name": upload.name,
            "size": upload.size / 1e6,
            "limit": settings.EVIDENCE_MAX_BYTES / 1e6,
        }
    if code == WorkflowCode.FILE_TYPE:
        allowed = ", ".join(sorted({e for k in EVIDENCE_KINDS.values() for e in k.extensions}))
        kind = evidence_kind(upload.data)
        if kind is not None:
            return _(
                "The file '%(name)s' holds a %(kind)s file but its name does not end in %(ext)s."
            ) % {
                "name": upload.name,
                "kind": kind.upper(),
                "ext": " / ".join(EVIDENCE_KINDS[kind].extensions),
            }
        return _(
            "The file '%(name)s' is not a PDF, PNG, JPEG, XLSX or DOCX file (allowed: %(allowed)s)."
        ) % {"name": upload.name, "allowed": allowed}
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


def _value_grid(campaign: Campaign, base, *, problems: pd.DataFrame) -> dict:
    """The base's values, one row per indicator that applies to it and one cell per year, with
    the check's problems, the queries not yet closed and the evidence count of each cell."""
    indicators = _indicators(campaign, base.subcategory.category_id)
    years = list(range(campaign.first_year, campaign.last_year + 1))
    values = {
        (code, year): raw
        for code, year, raw in Value.objects.filter(campaign=campaign, base=base).values_list(
            "indicator__code", "year", "raw"
        )
    }
    zh = localized("zh", "en") == "zh"
    by_cell: dict[tuple, list] = defaultdict(list)
    loose = []
    for row in problems.itertuples(index=False):
        item = {
            "rule": row.rule,
            "severity": row.severity,
            "message": row.message_zh if zh else row.message,
            "indicator": row.indicator_code,
            "year": None if pd.isna(row.year) else int(row.year),
        }
        if item["year"] is None:
            loose.append(item)
        else:
            by_cell[(row.indicator_code, item["year"])].append(item)
    queries: dict[tuple, list] = defaultdict(list)
    for query in (
        Query.objects.filter(campaign=campaign, base=base)
        .exclude(status=Query.Status.CLOSED)
        .select_related("indicator")
    ):
        queries[(query.indicator.code, query.year)].append(query)
    evidence = {
        (code, year): n
        for code, year, n in Evidence.objects.filter(campaign=campaign, base=base)
        .values_list("indicator__code", "year")
        .annotate(n=Count("pk"))
        .values_list("indicator__code", "year", "n")
    }
    names = {i["code"]: i["name"] for i in indicators}
    loose += [p for (code, _year), items in by_cell.items() if code not in names for p in items]
    listed = [
        {**p, "indicator_name": names.get(p["indicator"], p["indicator"])}
        for p in sorted(
            (p for items in by_cell.values() for p in items),
            key=lambda p: (SEVERITY_ORDER[p["severity"]], p["indicator"], p["year"]),
        )
        if p["indicator"] in names
    ]
    rows = []
    for indicator in indicators:
        cells = []
        for year in years:
            key = (indicator["code"], year)
            cell_problems = sorted(
                by_cell.get(key, []), key=lambda p: SEVERITY_ORDER[p["severity"]]
            )
            cells.append(
                {
                    "year": year,
                    "raw": values.get(key),
                    "problems": cell_problems,
                    "severity": cell_problems[0]["severity"] if cell_problems else "",
                    "queries": queries.get(key, []),
                    "evidence": evidence.get(key, 0),
                }
            )
        rows.append({"indicator": indicator, "cells": cells})
    counts = problems["severity"].value_counts() if len(problems) else {}
    return {
        "years": years,
        "rows": rows,
        "problems": listed,
        "loose_problems": loose,
        "n_errors": int(counts.get("error", 0)),
        "n_warnings": int(counts.get("warning", 0)),
        "n_info": int(counts.get("info", 0)),
        "n_open_queries": sum(len(q) for q in queries.values()),
    }


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
    frames = campaign_frames(campaign)
    table = campaign_completeness(campaign)
    names = {
        row.code: localized(row.name_zh, row.name_en)
        for row in frames.bases.itertuples(index=False)
    }
    if options.get("state"):
        table = table.loc[table["state"] == options["state"]]
    if options.get("subcategory"):
        table = table.loc[table["subcategory"] == options["subcategory"]]
    bases = frames.bases.loc[frames.bases["code"].isin(table["base_code"])]
    values = frames.values.loc[frames.values["base_code"].isin(table["base_code"])]

    base_rows = [
        {
            "code": row.base_code,
            "name": names.get(row.base_code, ""),
            "subcategory": group_name("subcategory", row.subcategory),
            "state": row.state,
            "state_label": _state_label(row.state),
            "submitted_at": None if pd.isna(row.submitted_at) else row.submitted_at,
            "on_time": None if row.on_time is None or pd.isna(row.on_time) else bool(row.on_time),
            "expected": int(row.expected),
            "reported": int(row.reported),
            "percent": None if pd.isna(row.share) else row.share * 100,
        }
        for row in table.itertuples(index=False)
    ]

    # Summaries: completeness (DHIS2's reporting rate) and timeliness (reported on time: the
    # values of bases whose first submission met the deadline).
    years = {"first_year": campaign.first_year, "last_year": campaign.last_year}
    on_time_codes = set(table.loc[table["on_time"].eq(True), "base_code"])
    on_time_values = values.loc[values["base_code"].isin(on_time_codes)]
    by_indicator = completeness(values, bases, frames.indicators, **years)
    by_indicator_on_time = completeness(on_time_values, bases, frames.indicators, **years)
    labels = {i["code"]: i["name"] for i in _indicators(campaign)}
    indicator_rows = [
        {
            "code": row.group,
            "label": labels[row.group],
            "expected": int(row.expected),
            "reported": int(row.reported),
            "percent": None if pd.isna(row.share) else row.share * 100,
            "on_time": int(on_time_row.reported),
            "on_time_percent": None if pd.isna(on_time_row.share) else on_time_row.share * 100,
        }
        for row, on_time_row in zip(
            by_indicator.itertuples(index=False),
            by_indicator_on_time.itertuples(index=False),
            strict=True,
        )
        if row.expected > 0
    ]
    in_order = bases.assign(
        subcategory=pd.Categorical(
            bases["subcategory"], categories=reference.group_order("subcategory")
        )
    )
    by_subcategory = completeness(values, in_order, frames.indicators, by="subcategory", **years)
    subcategory_rows = []
    for row in by_subcategory.itertuples(index=False):
        if row.expected == 0:
            continue
        part = table.loc[table["subcategory"] == row.group]
        submitted = int(part["submitted_at"].notna().sum())
        on_time = int(part["on_time"].eq(True).sum())
        subcategory_rows.append(
            {
                "code": row.group,
                "label": group_name("subcategory", row.group),
                "bases": len(part),
                "submitted": submitted,
                "on_time": on_time,
                "late": int(part["on_time"].eq(False).sum()),
                "approved": int((part["state"] == State.APPROVED).sum()),
                "expected": int(row.expected),
                "reported": int(row.reported),
                "percent": None if pd.isna(row.share) else row.share * 100,
            }
        )
    state_counts = table["state"].value_counts()
    states_chart = {
        "kind": "bar",
        "labels": [label for _value, label in State.choices],
        "values": [int(state_counts.get(value, 0)) for value, _label in State.choices],
    }
    completeness_chart = {
        "kind": "completeness",
        "labels": [r["label"] for r in subcategory_rows],
        "values": [r["percent"] for r in subcategory_rows],
    }
    submitted = sum(1 for r in base_rows if r["submitted_at"] is not None)
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
            "base_rows": base_rows,
            "n_bases": len(base_rows),
            "n_submitted": submitted,
            "n_on_time": sum(1 for r in base_rows if r["on_time"] is True),
            "n_late": sum(1 for r in base_rows if r["on_time"] is False),
            "n_approved": sum(1 for r in base_rows if r["state"] == State.APPROVED),
            "indicator_rows": indicator_rows,
            "subcategory_rows": subcategory_rows,
            "states_chart": states_chart,
            "completeness_chart": completeness_chart,
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
    grid = _value_grid(campaign, base, problems=campaign_check(campaign, base_code=base.code))
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


@login_required
def value_detail(request, code: str, base_code: str, indicator_code: str, year: int):
    user = request.user
    require(can_take_part_in_review(user))
    campaign = campaign_or_404(code)
    base = _base(request, campaign, base_code)
    indicator = get_object_or_404(Indicator, framework=campaign.framework, code=indicator_code)
    if not campaign.covers_year(year):
        raise Http404
    error = notice = None
    query_form = QueryOpenForm()
    upload_form = EvidenceUploadForm()
    changed = False
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "query":
            require(can_review(user))
            query_form = QueryOpenForm(request.POST)
            if query_form.is_valid():
                query_open(
                    campaign=campaign,
                    base=base,
                    indicator=indicator,
                    year=year,
                    text=query_form.cleaned_data["text"],
                    user=user,
                    actor=_actor(request),
                )
                notice, changed = _("The query is sent to the base."), True
                query_form = QueryOpenForm()
        elif action == "upload":
            require(can_upload_evidence(user, base))
            upload_form = EvidenceUploadForm(request.POST, request.FILES)
            if upload_form.is_valid():
                file = upload_form.cleaned_data["file"]
                upload = _Upload(file.name, file.read())
                try:
                    evidence_upload(
                        campaign=campaign,
                        base=base,
                        indicator=indicator,
                        year=year,
                        name=upload.name,
                        data=upload.data,
                        description=upload_form.cleaned_data["description"],
                        user=user,
                    )
                except WorkflowError as caught:
                    error = workflow_message(
                        caught, action=action, campaign=campaign, base=base, upload=upload
                    )
                else:
                    notice = _("The file '%(name)s' is stored.") % {"name": upload.name}
                    changed, upload_form = True, EvidenceUploadForm()
        elif action == "verify":
            require(can_review(user))
            verify_form = EvidenceReviewForm(request.POST)
            if verify_form.is_valid():
                evidence = get_object_or_404(
                    Evidence,
                    pk=verify_form.cleaned_data["evidence"],
                    campaign=campaign,
                    base=base,
                    indicator=indicator,
                    year=year,
                )
                evidence_review(
                    evidence=evidence,
                    status=verify_form.cleaned_data["status"],
                    note=verify_form.cleaned_data["note"],
                    user=user,
                )
                notice, changed = _("The verification is saved."), True
            else:
                error = _("Choose a verification status.")
        else:
            raise Http404
        if changed and not is_htmx(request):
            messages.success(request, notice)
            return redirect(request.path)

    value = Value.objects.filter(
        campaign=campaign, base=base, indicator=indicator, year=year
    ).first()
    problems = campaign_check(campaign, base_code=base.code)
    problems = problems[(problems["indicator_code"] == indicator.code) & (problems["year"] == year)]
    zh = localized("zh", "en") == "zh"
    queries = (
        Query.objects.filter(campaign=campaign, base=base, indicator=indicator, year=year)
        .prefetch_related(Prefetch("messages", QueryMessage.objects.select_related("author")))
        .order_by("-created_at", "-id")
    )
    evidence = Evidence.objects.filter(
        campaign=campaign, base=base, indicator=indicator, year=year
    ).select_related("uploaded_by", "reviewed_by")
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
            "value": value,
            "history": value_history(
                campaign=campaign, base_code=base.code, indicator_code=indicator.code, year=year
            ),
            "problems": [
                {"severity": p.severity, "message": p.message_zh if zh else p.message}
                for p in problems.itertuples(index=False)
            ],
            "queries": queries,
            "evidence": evidence,
            "query_form": query_form,
            "upload_form": upload_form,
            "verify_choices": Evidence.Status.choices,
            "can_review": can_review(user),
            "can_upload": can_upload_evidence(user, base),
            "error": error,
            "notice": notice,
        },
    )
    if changed:
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
    grid = _value_grid(campaign, base, problems=campaign_check(campaign, base_code=base.code))
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


# --- 6. validation rules ----------------------------------------------------------------------


def _input_problems(error: InputError) -> list[dict]:
    return [{"line": p.line, "key": p.key, "message": p.message} for p in error.problems]


@login_required
def rules_editor(request, pk: int):
    user = request.user
    require(can_review(user))
    framework = get_object_or_404(Framework, pk=pk)
    versions = RuleSet.objects.filter(framework=framework).select_related("created_by")
    active = next((v for v in versions if v.is_active), None)
    problems, problems_more, preview, error = [], 0, None, None
    if request.method == "POST":
        action = request.POST.get("action", "")
        form = RulesForm(request.POST)
        if action == "activate":
            rule_set = get_object_or_404(
                RuleSet, framework=framework, pk=id_param(request.POST.get("version"), "version")
            )
            ruleset_activate(rule_set=rule_set)
            messages.success(
                request,
                _("Version %(version)s of the rules is now active.")
                % {"version": rule_set.version},
            )
            return redirect("rules_editor", pk=framework.pk)
        if action not in {"preview", "save"}:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            if not data["text"].strip():
                error = _("Write some rules first.")
            elif action == "preview":
                if data["campaign"] is None:
                    error = _("Choose a campaign to preview the rules on.")
                else:
                    try:
                        preview = _preview(data["campaign"], data["text"])
                    except InputError as caught:
                        problems, problems_more = _input_problems(caught), caught.more
            else:
                try:
                    rule_set = ruleset_save(
                        framework=framework,
                        text=data["text"],
                        note=data["note"],
                        activate=data["activate"],
                        user=user,
                    )
                except InputError as caught:
                    problems, problems_more = _input_problems(caught), caught.more
                else:
                    if rule_set.is_active:
                        text = _("Version %(version)s of the rules is saved and active.")
                    else:
                        text = _("Version %(version)s of the rules is saved.")
                    messages.success(request, text % {"version": rule_set.version})
                    return redirect("rules_editor", pk=framework.pk)
    else:
        chosen = request.GET.get("version")
        start = next((v for v in versions if str(v.version) == chosen), None) or active
        campaign = framework.campaigns.order_by("-first_year", "code").first()
        form = RulesForm(initial={"text": start.text if start else "", "campaign": campaign})
    return render(
        request,
        "collection/rules.html",
        {
            "layout": page_layout(request),
            "framework": framework,
            "name": localized(framework.name_zh, framework.name_en),
            "versions": versions,
            "active": active,
            "form": form,
            "problems": problems,
            "problems_more": problems_more,
            "preview": preview,
            "error": error,
        },
    )


def _preview(campaign: Campaign, text: str) -> dict:
    from mieval.core.checks.rules import rules_parse

    counts = rules_preview_on(campaign, text)
    indicators = framework_indicators_frame(campaign.framework)
    rules = rules_parse(text, file="rules", indicators=indicators)
    names = {r.code: localized(r.name_zh, r.name_en) for r in rules.rules}
    return {
        "campaign": campaign,
        "rows": [
            {
                "rule": row.rule,
                "name": names.get(row.rule, row.rule),
                "severity": row.severity,
                "checked": int(row.checked),
                "skipped": int(row.skipped),
                "division_by_zero": int(row.division_by_zero),
                "flagged": int(row.flagged),
            }
            for row in counts.itertuples(index=False)
        ],
    }


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
    path("frameworks/<int:pk>/rules/", rules_editor, name="rules_editor"),
]
