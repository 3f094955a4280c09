"""Pages of the self-evaluation reports (自评报告).

Thin views: ``accounts.permissions`` decides (a role that never may: 403; a base outside what
the user may see: 404), reads go through ``selectors``, writes through ``services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mieval.accounts.models import Role
from mieval.accounts.permissions import (
    can_read_self_evaluation,
    can_read_self_evaluations,
    can_review_self_evaluations,
    can_write_self_evaluation,
    role_of,
    self_evaluation_bases,
)
from mieval.collection.models import Campaign
from mieval.collection.shortcuts import campaign_or_404
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.pages import require
from mieval.selfeval.export import reports_pdf, reports_xlsx
from mieval.selfeval.forms import (
    ExportForm,
    FileForm,
    ReportForm,
    ReviewForm,
    SearchForm,
    VersionForm,
    template_rows_posted,
    template_rows_shown,
)
from mieval.selfeval.models import SelfEvaluation, SelfEvaluationFile
from mieval.selfeval.selectors import (
    ReportRow,
    campaign_reports,
    report_events,
    report_sections,
    reports_search,
    self_evaluation_for,
    state_counts,
    template_current,
    templates_of,
)
from mieval.selfeval.services import (
    SelfEvaluationError,
    evidence_problem,
    report_accept,
    report_file_attach,
    report_file_remove,
    report_return,
    report_save,
    report_submit,
    template_save,
)

#: Seconds between two autosaves of the editor (the page's script reads it from the form).
AUTOSAVE_SECONDS = 20


def _base_or_404(request, campaign, base_code: str):
    """A base of the campaign whose report the user may read; 404 for any other."""
    return get_object_or_404(self_evaluation_bases(request.user, campaign), code=base_code)


def _saved_at(report) -> str:
    return date_format(timezone.localtime(report.updated_at), "H:i:s")


# --- lists -------------------------------------------------------------------------------------


@login_required
def home(request):
    """The campaigns with reports the user may read; a base officer's own report in each."""
    require(can_read_self_evaluations(request.user))
    campaigns = [
        c
        for c in Campaign.objects.order_by("-first_year", "code")
        if can_review_self_evaluations(request.user)
        or self_evaluation_bases(request.user, c).exists()
    ]
    own = request.user.profile.base if role_of(request.user) == Role.BASE_OFFICER else None
    return render(request, "selfeval/home.html", {"campaigns": campaigns, "own_base": own})


@login_required
def campaign_page(request, code: str):
    """The office's (all bases) or an expert's (the own panel's) list of reports, with
    counts by state, the search and the exports; a base officer goes to the own report."""
    require(can_read_self_evaluations(request.user))
    campaign = campaign_or_404(code)
    if role_of(request.user) == Role.BASE_OFFICER:
        base = _base_or_404(request, campaign, request.user.profile.base.code)
        return redirect("selfeval_report", campaign.code, base.code)
    rows = [
        row
        if row.report is None or can_read_self_evaluation(request.user, row.report)
        # An expert's list shows a draft as not started, as its page does.
        else ReportRow(base=row.base, report=None)
        for row in campaign_reports(campaign, self_evaluation_bases(request.user, campaign))
    ]
    return render(
        request,
        "selfeval/campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "counts": state_counts(rows),
            "may_review": can_review_self_evaluations(request.user),
            "template": template_current(campaign),
            "search_form": SearchForm(),
        },
    )


# --- one report ----------------------------------------------------------------------------------


def _readable_report(user, campaign, base) -> SelfEvaluation | None:
    """The base's report as the user may read it: None when there is none, or, for an expert,
    while it is a draft."""
    report = self_evaluation_for(campaign=campaign, base=base)
    return report if report is not None and can_read_self_evaluation(user, report) else None


def _report_context(request, campaign, base, *, form=None, review_form=None, conflict=None):
    report = _readable_report(request.user, campaign, base)
    template = template_current(campaign)
    sections = report_sections(report, template)
    writer = can_write_self_evaluation(request.user, base)
    editable = writer and template is not None and (report is None or report.is_editable_by_base())
    reviewer = can_review_self_evaluations(request.user)
    if editable and form is None:
        form = ReportForm(sections=sections, initial={"version": report.version if report else 0})
    # A refused decision shows its form (with the reasons) whatever the state now is.
    if (
        review_form is None
        and reviewer
        and report is not None
        and report.state == SelfEvaluation.State.SUBMITTED
    ):
        review_form = ReviewForm(
            sections=sections,
            initial={"version": report.version, "comment": report.review_comment},
        )
    return {
        "campaign": campaign,
        "base": base,
        "report": report,
        "template": report.template if report else template,
        "sections": sections,
        "form": form if editable else None,
        "review_form": review_form,
        "file_form": FileForm() if editable and report is not None else None,
        "writer": writer,
        "reviewer": reviewer,
        "events": report_events(report) if report is not None and (writer or reviewer) else [],
        "conflict": conflict,
        "autosave_seconds": AUTOSAVE_SECONDS,
        # Experts read the text before scoring; the office's comments are for the base.
        "show_comments": writer or reviewer,
    }


@login_required
def report_page(request, code: str, base_code: str):
    require(can_read_self_evaluations(request.user))
    campaign = campaign_or_404(code)
    base = _base_or_404(request, campaign, base_code)
    return render(request, "selfeval/report.html", _report_context(request, campaign, base))


def _writer_base(request, code: str, base_code: str):
    """The campaign and base of a base officer's write; 403 for roles that never write, 404 for
    another base."""
    require(role_of(request.user) == Role.BASE_OFFICER)
    campaign = campaign_or_404(code)
    base = _base_or_404(request, campaign, base_code)
    require(can_write_self_evaluation(request.user, base))
    return campaign, base


@login_required
@require_POST
def report_save_view(request, code: str, base_code: str):
    """The explicit save (a page) and the autosave (``autosave=1``: a JSON answer the page's
    script shows: saved at, or the conflict or limit message)."""
    campaign, base = _writer_base(request, code, base_code)
    autosave = request.POST.get("autosave") == "1"
    report = self_evaluation_for(campaign=campaign, base=base)
    sections = report_sections(report, template_current(campaign))
    form = ReportForm(request.POST, sections=sections)
    if not form.is_valid():
        if autosave:
            problems = [str(e) for errors in form.errors.values() for e in errors]
            return JsonResponse({"ok": False, "problems": problems}, status=422)
        return render(
            request, "selfeval/report.html", _report_context(request, campaign, base, form=form),
            status=422,
        )  # fmt: skip
    try:
        saved = report_save(
            campaign=campaign,
            base=base,
            texts=form.texts(),
            expected_version=form.cleaned_data["version"],
            user=request.user,
            autosave=autosave,
        )
    except ConcurrentEditError as error:
        if autosave:
            return JsonResponse(
                {"ok": False, "conflict": True, "message": error.message}, status=409
            )
        return _conflict(request, campaign, base, form, error)
    except SelfEvaluationError as error:
        if autosave:
            return JsonResponse({"ok": False, "problems": error.problems}, status=422)
        for problem in error.problems:
            form.add_error(None, problem)
        return render(
            request, "selfeval/report.html", _report_context(request, campaign, base, form=form),
            status=422,
        )  # fmt: skip
    message = _("Saved at %(time)s.") % {"time": _saved_at(saved)}
    if autosave:
        return JsonResponse({"ok": True, "version": saved.version, "message": message})
    messages.success(request, message)
    return redirect("selfeval_report", campaign.code, base.code)


def _conflict(request, campaign, base, form, error):
    """The editor's text stays in the form; the text saved meanwhile is shown beside it, and
    the form now carries the stored version: saving again replaces it knowingly."""
    stored = self_evaluation_for(campaign=campaign, base=base)
    if stored is None:  # a version of a report never saved: nothing to show beside it
        form.add_error(None, error.message)
        return render(
            request, "selfeval/report.html", _report_context(request, campaign, base, form=form),
            status=409,
        )  # fmt: skip
    data = request.POST.copy()
    data["version"] = str(stored.version)
    fresh = ReportForm(data, sections=report_sections(stored, None))
    fresh.is_valid()
    fresh.add_error(None, error.message)
    theirs = {v.section.code: v.text for v in report_sections(stored, None)}
    conflict = [
        (v, theirs.get(v.section.code, ""))
        for v in report_sections(stored, None)
        if theirs.get(v.section.code, "")
        != (form.cleaned_data.get(f"text_{v.section.code}") or "").strip()
    ]
    context = _report_context(request, campaign, base, form=fresh, conflict=conflict)
    return render(request, "selfeval/report.html", context, status=409)


@login_required
@require_POST
def report_submit_view(request, code: str, base_code: str):
    campaign, base = _writer_base(request, code, base_code)
    report = self_evaluation_for(campaign=campaign, base=base)
    form = VersionForm(request.POST)
    if report is None or not form.is_valid():
        messages.error(request, _("Save the report before submitting it."))
        return redirect("selfeval_report", campaign.code, base.code)
    try:
        report_submit(
            report=report, expected_version=form.cleaned_data["version"], user=request.user
        )
    except ConcurrentEditError as error:
        messages.error(request, error.message)
    except SelfEvaluationError as error:
        for problem in error.problems:
            messages.error(request, problem)
    else:
        messages.success(request, _("The report was submitted to the evaluation office."))
    return redirect("selfeval_report", campaign.code, base.code)


@login_required
@require_POST
def report_review_view(request, code: str, base_code: str):
    require(can_review_self_evaluations(request.user))
    campaign = campaign_or_404(code)
    base = _base_or_404(request, campaign, base_code)
    report = self_evaluation_for(campaign=campaign, base=base)
    if report is None:
        raise Http404
    form = ReviewForm(request.POST, sections=report_sections(report, None))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "return":
                report_return(
                    report=report,
                    expected_version=data["version"],
                    comment=data["comment"],
                    section_comments=form.section_comments(),
                    user=request.user,
                )
                messages.success(
                    request, _("The report was returned to the base with your comments.")
                )
            else:
                report_accept(
                    report=report,
                    expected_version=data["version"],
                    comment=data["comment"],
                    user=request.user,
                )
                messages.success(request, _("The report was accepted; it is locked now."))
            return redirect("selfeval_report", campaign.code, base.code)
        except ConcurrentEditError as error:
            form.add_error(None, error.message)
        except SelfEvaluationError as error:
            for problem in error.problems:
                form.add_error(None, problem)
    context = _report_context(request, campaign, base, review_form=form)
    return render(request, "selfeval/report.html", context, status=422)


# --- evidence files ------------------------------------------------------------------------------


@login_required
@require_POST
def file_upload(request, code: str, base_code: str):
    campaign, base = _writer_base(request, code, base_code)
    report = self_evaluation_for(campaign=campaign, base=base)
    if report is None:
        messages.error(request, _("Save the report before attaching evidence."))
        return redirect("selfeval_report", campaign.code, base.code)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("selfeval_report", campaign.code, base.code)
    upload = form.cleaned_data["file"]
    # The size is known before the file is read: a file beyond the limit is never read whole.
    too_large = evidence_problem(upload.name, upload.size)
    if too_large:
        messages.error(request, too_large)
        return redirect("selfeval_report", campaign.code, base.code)
    try:
        report_file_attach(
            report=report,
            name=upload.name,
            data=upload.read(),
            description=form.cleaned_data["description"],
            user=request.user,
        )
    except SelfEvaluationError as error:
        for problem in error.problems:
            messages.error(request, problem)
    else:
        messages.success(request, _("The evidence file was attached."))
    return redirect("selfeval_report", campaign.code, base.code)


def _file_or_404(request, code: str, base_code: str, pk: int):
    campaign = campaign_or_404(code)
    base = _base_or_404(request, campaign, base_code)
    attached = get_object_or_404(
        SelfEvaluationFile.objects.select_related("report"),
        pk=pk,
        report__campaign=campaign,
        report__base=base,
    )
    if not can_read_self_evaluation(request.user, attached.report):
        raise Http404
    return campaign, base, attached


@login_required
def file_download(request, code: str, base_code: str, pk: int):
    require(can_read_self_evaluations(request.user))
    attached = _file_or_404(request, code, base_code, pk)[2]
    return FileResponse(
        attached.file.open("rb"),
        as_attachment=True,
        filename=attached.name,
        content_type=attached.content_type,
    )


@login_required
@require_POST
def file_remove(request, code: str, base_code: str, pk: int):
    _writer_base(request, code, base_code)
    campaign, base, attached = _file_or_404(request, code, base_code, pk)
    try:
        report_file_remove(attached=attached, user=request.user)
    except SelfEvaluationError as error:
        for problem in error.problems:
            messages.error(request, problem)
    else:
        messages.success(request, _("The evidence file was removed."))
    return redirect("selfeval_report", campaign.code, base.code)


# --- the office: search, export, template --------------------------------------------------------


@login_required
def search(request, code: str):
    require(can_review_self_evaluations(request.user))
    campaign = campaign_or_404(code)
    form = SearchForm(request.GET or None)
    hits, more, query = [], False, ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        hits, more = reports_search(
            campaign=campaign, bases=self_evaluation_bases(request.user, campaign), query=query
        )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "selfeval/search.html",
        {"campaign": campaign, "form": form, "hits": hits, "more": more, "query": query},
        status=status,
    )


def _export_lang(request) -> str:
    form = ExportForm(request.GET)
    return (form.cleaned_data.get("lang") if form.is_valid() else "") or "zh"


@login_required
def export_xlsx(request, code: str):
    require(can_review_self_evaluations(request.user))
    campaign = campaign_or_404(code)
    response = HttpResponse(
        reports_xlsx(campaign),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="self-evaluations-{campaign.code}.xlsx"'
    )
    return response


@login_required
def export_pdf(request, code: str):
    require(can_review_self_evaluations(request.user))
    campaign = campaign_or_404(code)
    lang = _export_lang(request)
    response = HttpResponse(reports_pdf(campaign, lang=lang), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="self-evaluations-{campaign.code}-{lang}.pdf"'
    )
    return response


@login_required
def template_page(request, code: str):
    """The office keeps the campaign's template: the newest version is edited (in place while
    no report uses it, else as the next version); older versions are listed."""
    require(can_review_self_evaluations(request.user))
    campaign = campaign_or_404(code)
    current = template_current(campaign)
    problems, rows = [], template_rows_shown(current)
    if request.method == "POST":
        rows = template_rows_posted(request.POST)
        revision = VersionForm({"version": request.POST.get("revision", "")})
        try:
            saved = template_save(
                campaign=campaign,
                sections=rows,
                user=request.user,
                template=current,
                revision=revision.cleaned_data["version"] if revision.is_valid() else None,
            )
        except ConcurrentEditError as error:
            problems = [error.message]
        except SelfEvaluationError as error:
            problems = error.problems
        else:
            if current is not None and saved.pk != current.pk:
                messages.success(
                    request,
                    _(
                        "Reports were already written on version %(old)s, so the changes were"
                        " saved as version %(new)s; those reports keep version %(old)s."
                    )
                    % {"old": current.version, "new": saved.version},
                )
            else:
                messages.success(request, _("The template was saved."))
            return redirect("selfeval_template", campaign.code)
        rows = [*rows, {"required": True}]
    return render(
        request,
        "selfeval/template.html",
        {
            "campaign": campaign,
            "template": current,
            "rows": rows,
            "problems": problems,
            "versions": templates_of(campaign),
        },
        status=422 if problems else 200,
    )
