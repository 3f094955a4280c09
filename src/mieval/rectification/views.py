"""Pages of the problem register (问题清单) and of rectification (整改).

Thin views: ``accounts.permissions`` decides (a role that never may: 403; a problem or base
outside what the user may see: 404), reads go through ``selectors``, writes through
``services``; a refused write is shown as a translated sentence chosen by its code.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mieval.accounts.permissions import (
    can_decide_problems,
    can_read_letter,
    can_read_letters,
    can_rectify,
    can_send_letters,
    can_view_base_rectification,
    can_view_problems,
    can_view_register,
    problems_visible,
)
from mieval.collection.shortcuts import campaign_or_404
from mieval.core.problem_counts import DIMENSIONS
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.i18n import localized
from mieval.lib.pages import is_htmx, page_layout, require
from mieval.rectification import selectors
from mieval.rectification.forms import (
    DIMENSION_LABELS,
    CheckResultForm,
    ConfirmForm,
    CountsForm,
    DismissForm,
    LetterGenerateForm,
    LetterSendForm,
    PlanForm,
    ProgressForm,
    ProposeForm,
    RegisterFilterForm,
    TypeForm,
    VerifyForm,
)
from mieval.rectification.letters import LetterContent
from mieval.rectification.models import (
    EvaluationProblem,
    FeedbackLetter,
    Progress,
    Rectification,
    Source,
)
from mieval.rectification.services import (
    EvidenceIn,
    RegisterCode,
    RegisterError,
    check_result_target,
    letter_send,
    letters_generate,
    problem_confirm,
    problem_dismiss,
    problem_propose,
    problem_type_add,
    rectification_plan,
    rectification_progress,
    rectification_verify,
    value_target,
)

#: A data check's severity says how sure a rule is; the problem's own severity starts from it.
CHECK_SEVERITY = {"error": "serious", "warning": "moderate", "info": "minor"}


def error_message(error: RegisterError | ConcurrentEditError) -> str:
    """The reader's sentence for a refused write."""
    if isinstance(error, ConcurrentEditError):
        return _(
            "Someone else changed this item meanwhile; the page now shows the current version."
        )
    return {
        RegisterCode.EMPTY_FILE: _("The evidence file is empty."),
        RegisterCode.FILE_TOO_LARGE: _("The evidence file is too large."),
        RegisterCode.FILE_TYPE: _(
            "The evidence file must be a PDF, PNG, JPEG, XLSX or DOCX file with a matching name."
        ),
        RegisterCode.WRONG_STATE: _("This step is not possible in the item's current state."),
    }.get(error.code, _("The input is not valid: %(detail)s") % {"detail": error.message})


def _status(error) -> int:
    return 409 if isinstance(error, ConcurrentEditError) else 400


# --- the register -------------------------------------------------------------------------


@login_required
def register(request, code: str):
    """The campaign's problems: the office sees all (and what earlier rounds left open), an
    expert the own panel's bases."""
    user = request.user
    require(can_view_register(user))
    campaign = campaign_or_404(code)
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    problems = selectors.problems_listed(
        problems_visible(user, campaign),
        state=filters.get("state") or "",
        type_code=filters.get("type") or "",
        source=filters.get("source") or "",
        base_code=filters.get("base") or "",
    )
    office = can_decide_problems(user)
    return render(
        request,
        "rectification/register.html",
        {
            "layout": page_layout(request),
            "campaign": campaign,
            "campaign_name": localized(campaign.name_zh, campaign.name_en),
            "form": form,
            "problems": problems,
            "types": selectors.taxonomy_types(),
            "office": office,
            "states": selectors.rectification_states(campaign=campaign) if office else None,
            "carried": selectors.rectification_carried(campaign=campaign) if office else (),
            "tab": "problems",
        },
    )


@login_required
def counts(request, code: str):
    """Counts by type × category × subcategory × region group, with typical examples; the
    office adds a problem type here (a new taxonomy version)."""
    user = request.user
    require(can_decide_problems(user))
    campaign = campaign_or_404(code)
    type_form = TypeForm(request.POST or None, prefix="type")
    if request.method == "POST" and type_form.is_valid():
        try:
            added = problem_type_add(user=user, **type_form.cleaned_data)
        except RegisterError as error:
            type_form.add_error(None, error_message(error))
        else:
            messages.success(
                request,
                _("The problem type %(name)s was added (taxonomy version %(version)s).")
                % {
                    "name": localized(added.name_zh, added.name_en),
                    "version": added.taxonomy.number,
                },
            )
            return redirect("rectification_counts", campaign.code)
    form = CountsForm(request.GET or None)
    by = (
        tuple(form.cleaned_data["by"])
        if form.is_valid() and form.cleaned_data["by"]
        else DIMENSIONS
    )
    by = tuple(d for d in DIMENSIONS if d in by)
    return render(
        request,
        "rectification/counts.html",
        {
            "layout": page_layout(request),
            "campaign": campaign,
            "campaign_name": localized(campaign.name_zh, campaign.name_en),
            "form": form,
            "type_form": type_form,
            "columns": [DIMENSION_LABELS[d] for d in by],
            "rows": selectors.problem_counts_rows(campaign=campaign, by=by),
            "types": selectors.taxonomy_types(),
            "tab": "problems",
        },
        status=400 if request.method == "POST" else 200,
    )


def _check_evidence(campaign, base, indicator: str, year, rule: str):
    """The check result a proposal starts from, as the checks find it now: initial values
    and evidence links; None when the checks find no such result."""
    from mieval.collection.selectors import campaign_check

    found = campaign_check(campaign, base_code=base.code)
    found = found[(found["indicator_code"] == indicator) & (found["rule"] == rule)]
    found = found[found["year"].isna()] if year is None else found[found["year"] == year]
    if found.empty:
        return None
    row = found.iloc[0]
    links = [
        EvidenceIn(
            "check_result",
            check_result_target(base.code, indicator, year, rule),
            f"{rule}: {row['message']}"[:300],
        )
    ]
    if year is not None:
        links.append(
            EvidenceIn("value", value_target(base.code, indicator, year), f"{indicator} {year}")
        )
    initial = {
        "source": Source.DATA_CHECK,
        "severity": CHECK_SEVERITY.get(row["severity"], "moderate"),
        "title_zh": str(row.get("message_zh") or "")[:200],
        "title_en": str(row["message"])[:200],
    }
    return initial, links


def _opinion_evidence(campaign, base, opinion_id: int):
    """The accepted panel opinion a proposal starts from: initial values (source, the
    description from the opinion's text, the action from its recommendations) and the link to
    it; None when the base has no accepted opinion with this id."""
    from mieval.visits.selectors import opinion_for

    opinion = opinion_for(campaign=campaign, base=base)
    if opinion is None or opinion.pk != opinion_id:
        return None
    description = opinion.text.strip()[:5000]
    action = opinion.recommendations.strip()[:5000]
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in description + action)
    lang = "zh" if chinese else "en"
    initial = {
        "source": Source.PANEL_OPINION,
        "severity": "moderate",
        f"description_{lang}": description,
        f"action_{lang}": action,
    }
    label = _("Panel opinion on %(base)s (panel %(panel)s)") % {
        "base": base.code,
        "panel": opinion.panel.number,
    }
    return initial, [EvidenceIn("panel_opinion", str(opinion.pk), label[:300])]


@login_required
def propose(request, code: str):
    """The office proposes a problem; from a data-check result (``base``, ``indicator``,
    ``year``, ``rule``) with the result as its evidence, or from the base's accepted panel
    opinion (``opinion``) with the opinion as its evidence. htmx gets the form as a fragment."""
    user = request.user
    require(can_decide_problems(user))
    campaign = campaign_or_404(code)
    source = request.POST if request.method == "POST" else request.GET
    base = get_object_or_404(campaign.bases.with_reference(), code=source.get("base", ""))
    types = selectors.taxonomy_types()
    initial, links = {"base": base.code}, []
    ref = CheckResultForm(source)
    if not ref.is_valid():
        raise Http404
    indicator, year, rule = (ref.cleaned_data[k] for k in ("indicator", "year", "rule"))
    if indicator and rule:
        checked = _check_evidence(campaign, base, indicator, year, rule)
        if checked is None:
            raise Http404
        initial.update(checked[0])
        links = checked[1]
        initial.update({"indicator": indicator, "year": year, "rule": rule})
    elif ref.cleaned_data["opinion"]:
        checked = _opinion_evidence(campaign, base, ref.cleaned_data["opinion"])
        if checked is None:
            raise Http404
        initial.update(checked[0])
        links = checked[1]
        initial["opinion"] = ref.cleaned_data["opinion"]
    created = None
    if request.method == "POST":
        form = ProposeForm(request.POST, types=types)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = problem_propose(
                    campaign=campaign,
                    base=base,
                    source=data["source"],
                    type=data["type"],
                    severity=data["severity"],
                    title_zh=data["title_zh"],
                    title_en=data["title_en"],
                    description_zh=data["description_zh"],
                    description_en=data["description_en"],
                    action_zh=data["action_zh"],
                    action_en=data["action_en"],
                    evidence=links,
                    user=user,
                )
            except RegisterError as error:
                form.add_error(None, error_message(error))
            else:
                if not is_htmx(request):
                    messages.success(request, _("The problem was proposed; confirm or dismiss it."))
                    return redirect("rectification_problem", created.pk)
    else:
        form = ProposeForm(initial=initial, types=types)
    return render(
        request,
        "rectification/propose.html",
        {
            "layout": page_layout(request),
            "campaign": campaign,
            "campaign_name": localized(campaign.name_zh, campaign.name_en),
            "base": base,
            "form": form,
            "links": links,
            "created": created,
        },
        # htmx swaps only a 2xx answer: the form with its errors comes back as 200 there.
        status=400
        if request.method == "POST" and created is None and not is_htmx(request)
        else 200,
    )


# --- one problem ----------------------------------------------------------------------------


def _visible_problem(request, pk: int) -> EvaluationProblem:
    require(can_view_problems(request.user))
    problem = get_object_or_404(EvaluationProblem.objects.select_related("campaign"), pk=pk)
    visible = problems_visible(request.user, problem.campaign)
    return get_object_or_404(selectors.problems_listed(visible), pk=pk)


def _detail_forms(problem: EvaluationProblem, user, data=None, files=None, action=None) -> dict:
    """The forms the user may use on the problem in its state (``action``'s bound to data)."""
    office = can_decide_problems(user)
    rectification = getattr(problem, "rectification", None)
    bound = {"data": data, "files": files}

    def made(name, cls, **kwargs):
        return cls(**(bound if action == name else {}), **kwargs)

    forms = {}
    if office and problem.state == EvaluationProblem.State.PROPOSED:
        types = selectors.taxonomy_types()
        forms["confirm"] = made(
            "confirm",
            ConfirmForm,
            types=types,
            initial={
                "version": problem.version,
                "type": types.filter(code=problem.type.code).first(),
                "severity": problem.severity,
            },
        )
        forms["dismiss"] = made("dismiss", DismissForm, initial={"version": problem.version})
    if can_rectify(user, problem):
        if rectification is None or rectification.is_editable_by_base():
            initial = {}
            if rectification is not None:
                initial = {
                    "version": rectification.version,
                    "measures": rectification.measures,
                    "owner": rectification.owner,
                    "deadline": rectification.deadline,
                }
            forms["plan"] = made("plan", PlanForm, initial=initial)
        if rectification is not None and rectification.state in Rectification.OPEN_STATES:
            forms["progress"] = made(
                "progress", ProgressForm, initial={"version": rectification.version}
            )
    if office and rectification is not None and rectification.state == Rectification.State.DONE:
        forms["verify"] = made("verify", VerifyForm, initial={"version": rectification.version})
    return forms


def _apply(action: str, form, problem: EvaluationProblem, user):
    data = form.cleaned_data
    rectification = getattr(problem, "rectification", None)
    if action == "confirm":
        problem_confirm(
            problem=problem,
            expected_version=data["version"],
            type=data["type"],
            severity=data["severity"],
            user=user,
        )
        return _("The problem was confirmed; the base now sees it and answers with a plan.")
    if action == "dismiss":
        problem_dismiss(
            problem=problem, reason=data["reason"], expected_version=data["version"], user=user
        )
        return _("The problem was dismissed.")
    if action == "plan":
        rectification_plan(
            problem=problem,
            measures=data["measures"],
            owner=data["owner"],
            deadline=data["deadline"],
            expected_version=data.get("version"),
            user=user,
        )
        return _("The rectification plan was saved.")
    if action == "progress":
        upload = data.get("file")
        rectification_progress(
            rectification=rectification,
            text=data["text"],
            completes=data["completes"],
            file_name=upload.name if upload else None,
            file_data=upload.read() if upload else None,
            expected_version=data["version"],
            user=user,
        )
        return _("The progress was reported.")
    rectification_verify(
        rectification=rectification,
        accepted=data["decision"] == "accepted",
        note=data["note"],
        expected_version=data["version"],
        user=user,
    )
    return _("The verification was recorded.")


@login_required
def problem_detail(request, pk: int):
    """One problem: its evidence, the office's decision, the base's plan and progress, the
    verification, the history. POST ``action`` = confirm, dismiss, plan, progress, verify."""
    user = request.user
    problem = _visible_problem(request, pk)
    status, error = 200, None
    action = request.POST.get("action") if request.method == "POST" else None
    forms = _detail_forms(problem, user, request.POST, request.FILES, action)
    if request.method == "POST":
        form = forms.get(action)
        if form is None:
            # A step the user may not take on this problem (now): refused, nothing written.
            require(False)
        if form.is_valid():
            try:
                done = _apply(action, form, problem, user)
            except (RegisterError, ConcurrentEditError) as caught:
                error, status = error_message(caught), _status(caught)
                problem = _visible_problem(request, pk)
                forms = _detail_forms(problem, user)
            else:
                messages.success(request, done)
                return redirect("rectification_problem", problem.pk)
        else:
            status = 400
    return render(
        request,
        "rectification/problem_detail.html",
        {
            "problem": problem,
            "campaign": problem.campaign,
            "rectification": getattr(problem, "rectification", None),
            "forms": forms,
            "error": error,
            "office": can_decide_problems(user),
            "events": selectors.problem_events(problem) if can_decide_problems(user) else (),
            "today": timezone.localdate(),
        },
        status=status,
    )


# --- a base's rectification, overdue items, files -------------------------------------------


@login_required
def base_rectification(request, code: str, base_code: str):
    """A base's confirmed problems with their rectification, and what the base promised and
    did on the problems of earlier rounds."""
    user = request.user
    require(can_view_problems(user))
    campaign = campaign_or_404(code)
    base = get_object_or_404(campaign.bases.with_reference(), code=base_code)
    if not can_view_base_rectification(user, base, campaign):
        raise Http404
    letter = selectors.letter_for(campaign=campaign, base=base)
    return render(
        request,
        "rectification/base.html",
        {
            "campaign": campaign,
            "campaign_name": localized(campaign.name_zh, campaign.name_en),
            "base": base,
            "base_name": localized(base.name_zh, base.name_en),
            "problems": selectors.problems_for_base(campaign=campaign, base=base),
            "carried": selectors.rectification_carried(campaign=campaign, base=base),
            "today": timezone.localdate(),
            "letter": letter if letter and can_read_letter(user, letter) else None,
        },
    )


@login_required
def overdue(request, code: str):
    """The campaign's open rectification items whose deadline has passed."""
    require(can_decide_problems(request.user))
    campaign = campaign_or_404(code)
    today = timezone.localdate()
    return render(
        request,
        "rectification/overdue.html",
        {
            "campaign": campaign,
            "campaign_name": localized(campaign.name_zh, campaign.name_en),
            "items": selectors.rectifications_overdue(campaign=campaign, today=today),
            "today": today,
            "tab": "problems",
        },
    )


@login_required
def progress_file(request, pk: int):
    """A progress report's evidence file, for those who may see its problem."""
    require(can_view_problems(request.user))
    progress = get_object_or_404(
        Progress.objects.select_related("rectification__problem__campaign"), pk=pk
    )
    problem = progress.rectification.problem
    if (
        not progress.file
        or not problems_visible(request.user, problem.campaign).filter(pk=problem.pk).exists()
    ):
        raise Http404
    response = FileResponse(
        progress.file.open("rb"),
        as_attachment=True,
        filename=progress.file_name,
        content_type=progress.file_content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- feedback letters (反馈意见书) -------------------------------------------------------------


def _letter_error(error) -> str:
    if isinstance(error, RegisterError) and error.code == RegisterCode.NO_OPINION:
        return _("A feedback letter needs the panel's accepted opinion on the base.")
    if isinstance(error, RegisterError) and error.code == RegisterCode.WRONG_STATE:
        return _("The letter was sent already; regenerate it to send a new version.")
    return error_message(error)


@login_required
def letters(request, code: str):
    """The office's letters: every base with its opinion's state and its letter; POST
    ``action`` = generate (one base, or all with an accepted opinion) or send (one base)."""
    user = request.user
    require(can_send_letters(user))
    campaign = campaign_or_404(code)
    status, error = 200, None
    if request.method == "POST":
        action = request.POST.get("action")
        form = (LetterSendForm if action == "send" else LetterGenerateForm)(request.POST)
        if action not in {"generate", "send"} or not form.is_valid():
            status = 400
            error = _("The request is not valid; reload the page and try again.")
        else:
            data = form.cleaned_data
            base = None
            if data["base"]:
                base = get_object_or_404(campaign.bases.all(), code=data["base"])
            try:
                if action == "generate":
                    made = letters_generate(
                        campaign=campaign,
                        bases=None if base is None else [base],
                        lang=data["lang"],
                        expected_versions=(
                            {base.code: data["version"]}
                            if base is not None and data["version"]
                            else None
                        ),
                        user=user,
                    )
                    done = ngettext(
                        "%(count)d feedback letter was generated.",
                        "%(count)d feedback letters were generated.",
                        len(made),
                    ) % {"count": len(made)}
                else:
                    letter = get_object_or_404(FeedbackLetter, campaign=campaign, base=base)
                    letter_send(letter=letter, expected_version=data["version"], user=user)
                    done = _("The feedback letter of %(base)s was sent to the base.") % {
                        "base": base.code
                    }
            except (RegisterError, ConcurrentEditError) as caught:
                error, status = _letter_error(caught), _status(caught)
                if isinstance(caught, RegisterError) and caught.code == RegisterCode.WRONG_STATE:
                    status = 409
            else:
                messages.success(request, done)
                return redirect("rectification_letters", campaign.code)
    return render(
        request,
        "rectification/letters.html",
        {
            "campaign": campaign,
            "campaign_name": localized(campaign.name_zh, campaign.name_en),
            "rows": selectors.letter_rows(campaign),
            "languages": FeedbackLetter.Language.choices,
            "error": error,
            "tab": "problems",
        },
        status=status,
    )


def _readable_letter(request, code: str, base_code: str) -> FeedbackLetter:
    require(can_read_letters(request.user))
    campaign = campaign_or_404(code)
    base = get_object_or_404(campaign.bases.all(), code=base_code)
    letter = selectors.letter_for(campaign=campaign, base=base)
    if letter is None or not can_read_letter(request.user, letter):
        raise Http404
    return letter


@login_required
def letter_page(request, code: str, base_code: str):
    """One base's letter: its text, the PDF and DOCX downloads; the office also its history."""
    letter = _readable_letter(request, code, base_code)
    office = can_send_letters(request.user)
    return render(
        request,
        "rectification/letter_page.html",
        {
            "letter": letter,
            "campaign": letter.campaign,
            "campaign_name": localized(letter.campaign.name_zh, letter.campaign.name_en),
            "base": letter.base,
            "content": LetterContent.from_dict(letter.content),
            "office": office,
            "events": (
                selectors.letter_events(campaign=letter.campaign, base_code=letter.base.code)
                if office
                else ()
            ),
        },
    )


LETTER_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@login_required
def letter_file(request, code: str, base_code: str, kind: str):
    """The letter's PDF or DOCX, as stored when it was generated."""
    letter = _readable_letter(request, code, base_code)
    if kind not in LETTER_TYPES:
        raise Http404
    response = FileResponse(
        getattr(letter, kind).open("rb"),
        as_attachment=True,
        filename=f"feedback-{letter.campaign.code}-{letter.base.code}-v{letter.version}.{kind}",
        content_type=LETTER_TYPES[kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
