"""The expert-panel pages. Thin: ask ``accounts.permissions``, read with selectors, write with
services. The formation page serves its own htmx fragment (``web/fragment.html``)."""

import csv
import dataclasses
import io
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mieval.accounts.permissions import (
    bases_to_score,
    can_confirm_expert_logins,
    can_form_panels,
    can_keep_roster,
    can_keep_some_roster,
    can_score,
    is_expert,
    role_of,
)
from mieval.collection.models import Campaign
from mieval.collection.shortcuts import campaign_or_404
from mieval.core.panels.optimiser import PanelConfig, panels_explain
from mieval.core.problems import InputError
from mieval.jobs.models import Job
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.i18n import localized
from mieval.lib.numbers import float_or_none
from mieval.lib.pages import page_layout, require
from mieval.lib.params import id_param
from mieval.lib.spreadsheets import csv_cell
from mieval.panels import selectors, services
from mieval.panels.forms import (
    ConflictForm,
    CriterionFormSet,
    EvaluationSettingsForm,
    ExpertForm,
    ExpertLoginRejectForm,
    ExpertLoginRequestForm,
    PanelConfigForm,
    PanelRuleForm,
    RosterImportForm,
    RubricForm,
    ScoreForm,
)
from mieval.panels.models import (
    ConflictDeclaration,
    Expert,
    ExpertLoginRequest,
    Organisation,
    PanelRule,
    PanelSet,
    Rubric,
    Score,
)
from mieval.panels.templatetags.panels_numbers import plain
from mieval.registry.models import Base

# --- roster ----------------------------------------------------------------------------------


@login_required
def roster(request):
    """The office's view of the whole roster, with seats held by organisation and year."""
    require(can_form_panels(request.user))
    form = RosterImportForm()
    if request.method == "POST":
        form = RosterImportForm(request.POST, request.FILES)
        if form.is_valid():
            with tempfile.TemporaryDirectory() as folder:
                paths = {}
                for name in ("organisations", "experts", "conflicts"):
                    upload = form.cleaned_data.get(name)
                    if upload:
                        path = Path(folder) / upload.name
                        path.write_bytes(upload.read())
                        paths[name] = path
                try:
                    done = services.roster_import(
                        organisations_path=paths["organisations"],
                        experts_path=paths["experts"],
                        conflicts_path=paths.get("conflicts"),
                    )
                except InputError as error:
                    for problem in error.problems:
                        # The uploaded file's name, not the temporary folder's path.
                        shown = dataclasses.replace(problem, file=Path(problem.file).name)
                        form.add_error(None, str(shown))
                    if error.more:
                        form.add_error(
                            None,
                            ngettext(
                                "And %(n)s more problem, not listed: correct those above first.",
                                "And %(n)s more problems, not listed: correct those above first.",
                                error.more,
                            )
                            % {"n": error.more},
                        )
                else:
                    messages.success(
                        request,
                        _(
                            "Roster imported: %(o)s organisations, %(e)s experts, %(c)s new"
                            " conflicts."
                        )
                        % {"o": done.organisations, "e": done.experts, "c": done.conflicts},
                    )
                    return redirect("panels_roster")
    organisations = Organisation.objects.select_related("province")
    experts = Expert.objects.select_related("organisation", "province")
    return render(
        request,
        "panels/roster.html",
        {
            "organisations": organisations,
            "experts": experts,
            "times": selectors.expert_times(),
            "form": form,
        },
    )


@login_required
def organisation_experts(request, org_code: str):
    require(can_keep_some_roster(request.user))
    organisation = get_object_or_404(Organisation, code=org_code)
    if not can_keep_roster(request.user, organisation):
        raise Http404
    return render(
        request,
        "panels/organisation_experts.html",
        {
            "organisation": organisation,
            "name": localized(organisation.name_zh, organisation.name_en),
            "experts": selectors.organisation_experts(organisation),
            "times": selectors.expert_times(organisation=organisation),
        },
    )


@login_required
def expert_edit(request, org_code: str, expert_code: str | None = None):
    require(can_keep_some_roster(request.user))
    organisation = get_object_or_404(Organisation, code=org_code)
    if not can_keep_roster(request.user, organisation):
        raise Http404
    expert = None
    if expert_code is not None:
        expert = get_object_or_404(Expert, code=expert_code, organisation=organisation)
    form = ExpertForm(request.POST or None, instance=expert)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_save(organisation=organisation, expert=expert, data=form.expert_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The expert is saved."))
            return redirect("panels_organisation_experts", org_code=organisation.code)
    return render(
        request,
        "panels/expert_form.html",
        {"form": form, "organisation": organisation, "expert": expert},
    )


@login_required
def expert_login(request, org_code: str, expert_code: str):
    """Ask for the expert's login, withdraw the request, or unlink the login. The request takes
    effect when the office confirms it (at once when the office asks); the answer to an
    organiser is the same whichever account the user name names."""
    require(can_keep_some_roster(request.user))
    organisation = get_object_or_404(Organisation, code=org_code)
    if not can_keep_roster(request.user, organisation):
        raise Http404
    expert = get_object_or_404(
        Expert.objects.select_related("user"), code=expert_code, organisation=organisation
    )
    here = redirect("panels_expert_login", org_code=org_code, expert_code=expert_code)
    pending = (
        expert.login_requests.filter(state=ExpertLoginRequest.State.PENDING)
        .select_related("requested_by")
        .first()
    )
    action = request.POST.get("action")
    form = ExpertLoginRequestForm(request.POST if action == "request" else None)
    if request.method == "POST":
        try:
            if action == "unlink":
                services.expert_login_unlink(expert=expert, actor=request.user)
                messages.success(request, _("The login is unlinked from the expert."))
                return here
            if action == "withdraw" and pending is not None:
                services.expert_login_withdraw(login_request=pending, actor=request.user)
                messages.success(request, _("The login request is withdrawn."))
                return here
            if action == "request" and form.is_valid():
                done = services.expert_login_request(
                    expert=expert,
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    actor=request.user,
                    protocol=request.scheme,
                    domain=request.get_host(),
                )
                if done.state == ExpertLoginRequest.State.CONFIRMED:
                    messages.success(request, _("The expert's login is confirmed."))
                else:
                    messages.success(
                        request,
                        _(
                            "The request is sent to the evaluation office. The login works"
                            " once the office confirms it; the expert is then emailed."
                        ),
                    )
                return here
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "panels/expert_login.html",
        {
            "organisation": organisation,
            "expert": expert,
            "form": form,
            "pending": pending,
            "office": can_confirm_expert_logins(request.user),
        },
    )


@login_required
def login_requests(request):
    """The office's list of login requests waiting for its decision, with the account each
    user name names (if any) and why it could not be linked."""
    require(can_confirm_expert_logins(request.user))
    return render(
        request,
        "panels/login_requests.html",
        {
            "rows": selectors.expert_login_requests_pending(),
            "reject_form": ExpertLoginRejectForm(),
        },
    )


@require_POST
@login_required
def login_request_decide(request, pk: int):
    """Confirm or reject one login request (the office)."""
    require(can_confirm_expert_logins(request.user))
    login_request = get_object_or_404(ExpertLoginRequest.objects.select_related("expert"), pk=pk)
    action = request.POST.get("action")
    form = ExpertLoginRejectForm(request.POST)
    try:
        if action == "confirm":
            services.expert_login_confirm(
                login_request=login_request,
                actor=request.user,
                protocol=request.scheme,
                domain=request.get_host(),
            )
            messages.success(
                request,
                _("The login %(name)s of the expert %(code)s is confirmed.")
                % {"name": login_request.username, "code": login_request.expert.code},
            )
        elif action == "reject" and form.is_valid():
            services.expert_login_reject(
                login_request=login_request,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request,
                _("The login request for the expert %(code)s is rejected.")
                % {"code": login_request.expert.code},
            )
        else:
            messages.error(request, _("Choose to confirm or to reject the request."))
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    return redirect("panels_login_requests")


# --- panel formation -------------------------------------------------------------------------


def _explanation(panel_set: PanelSet, groups: list[dict]) -> dict[int, list[dict]]:
    """Who covers which field of each base, per panel."""
    from mieval.core.panels.optimiser import FormedPanel, PanelResult, PanelStatus

    inputs = selectors.panel_inputs(panel_set.campaign)
    result = PanelResult(
        PanelStatus(panel_set.status),
        panel_set.objective,
        panel_set.bound,
        [
            FormedPanel(
                g["number"],
                tuple(m["expert"].code for m in g["experts"]),
                tuple(b.code for b in g["bases"]),
            )
            for g in groups
        ],
    )
    known = set(inputs.experts["code"])
    if any(c not in known for p in result.panels for c in p.experts) or any(
        b not in set(inputs.bases["code"]) for p in result.panels for b in p.bases
    ):
        return {}
    frame = panels_explain(result, inputs.bases, inputs.experts, inputs.organisations)
    out: dict[int, list[dict]] = {}
    for row in frame.itertuples(index=False):
        out.setdefault(int(row.panel), []).append(
            {
                "base": row.base_code,
                "aspect": row.aspect,
                "code": row.code,
                "required": int(row.required),
                "count": int(row.count),
                "experts": ", ".join(row.experts),
                "short": row.aspect != "kind" and int(row.count) < int(row.required),
            }
        )
    return out


@login_required
def panel_formation(request, code: str):
    require(can_form_panels(request.user))
    campaign = campaign_or_404(code)
    form = PanelConfigForm(
        request.POST or None, initial={"time_limit": 20, **_last_config(campaign)}
    )
    if request.method == "POST" and form.is_valid():
        config = PanelConfig(**{**form.config.__dict__, "num_workers": 4})
        job = services.panels_form_request(campaign=campaign, config=config, user=request.user)
        url = reverse("job_detail", args=[job.pk])
        if getattr(request, "htmx", None):
            # htmx follows a plain redirect inside the target; the job's page is a whole page.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    sets = list(PanelSet.objects.filter(campaign=campaign)[:20])
    selected = None
    if request.GET.get("set"):
        selected = get_object_or_404(
            PanelSet, pk=id_param(request.GET["set"], "set"), campaign=campaign
        )
    elif sets:
        selected = next((s for s in sets if s.state == PanelSet.State.PUBLISHED), sets[0])
    groups = selectors.panel_set_groups(selected) if selected else []
    explanation = _explanation(selected, groups) if selected and groups else {}
    for group in groups:
        group["explanation"] = explanation.get(group["number"], [])
    conflicts = ConflictDeclaration.objects.filter(base__in=campaign.bases.all()).select_related(
        "expert", "base"
    )
    return render(
        request,
        "panels/formation.html",
        {
            "layout": page_layout(request),
            "campaign": campaign,
            "tab": "panels",
            "form": form,
            "rule_form": PanelRuleForm(),
            "rules": PanelRule.objects.filter(campaign=campaign).select_related("expert"),
            "sets": sets,
            "selected": selected,
            "groups": groups,
            "conflicts": conflicts,
            "pending": Job.objects.filter(
                kind="panels_form",
                params__campaign=campaign.code,
                state__in=[Job.State.QUEUED, Job.State.RUNNING],
            ),
        },
    )


def _last_config(campaign) -> dict:
    last = PanelSet.objects.filter(campaign=campaign).first()
    if last is None:
        return {}
    keys = PanelConfigForm.base_fields.keys()
    return {k: v for k, v in last.config.items() if k in keys}


@login_required
@require_POST
def panel_rule_add(request, code: str):
    require(can_form_panels(request.user))
    campaign = campaign_or_404(code)
    form = PanelRuleForm(request.POST)
    if form.is_valid():
        services.panel_rule_set(campaign=campaign, **form.cleaned_data)
        messages.success(request, _("The decision is kept for the next formation."))
    else:
        messages.error(request, _("The decision could not be kept: choose an expert and a panel."))
    return redirect("panels_formation", code=campaign.code)


@login_required
@require_POST
def panel_rule_delete(request, code: str, pk: int):
    require(can_form_panels(request.user))
    campaign = campaign_or_404(code)
    services.panel_rule_delete(rule=get_object_or_404(PanelRule, pk=pk, campaign=campaign))
    return redirect("panels_formation", code=campaign.code)


@login_required
@require_POST
def panels_publish(request, code: str, pk: int):
    require(can_form_panels(request.user))
    campaign = campaign_or_404(code)
    panel_set = get_object_or_404(PanelSet, pk=pk, campaign=campaign)
    try:
        services.panels_publish(panel_set=panel_set)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The expert panels are published; the experts see their bases.")
        )
    return redirect(f"{reverse('panels_formation', args=[campaign.code])}?set={panel_set.pk}")


@login_required
@require_POST
def panels_unpublish(request, code: str):
    require(can_form_panels(request.user))
    campaign = campaign_or_404(code)
    previous = services.panels_unpublish(campaign=campaign)
    if previous is None:
        messages.success(request, _("Publication undone; no set of expert panels is published."))
    else:
        messages.success(request, _("Publication undone; the previous set is published again."))
    return redirect("panels_formation", code=campaign.code)


# --- results ---------------------------------------------------------------------------------


def _result_rows(campaign, results) -> list[dict]:
    """One row per base: aggregates, the leniency-corrected score where the design allows it,
    the grade's inputs and the grade."""
    names = dict(campaign.bases.values_list("code", "name_zh"))
    names_en = dict(campaign.bases.values_list("code", "name_en"))
    grades = results.grades.set_index("base")
    lenient = results.leniency.bases.set_index("base")
    rows = []
    for row in results.aggregate.itertuples(index=False):
        g = grades.loc[row.base]
        corrected = bool(lenient.at[row.base, "corrected"]) if row.base in lenient.index else False
        note = g["note"]
        rows.append(
            {
                "base": row.base,
                "name": localized(names.get(row.base, ""), names_en.get(row.base, "")),
                "name_zh": names.get(row.base, ""),
                "name_en": names_en.get(row.base, ""),
                "n": int(row.n_experts),
                "mean": row.mean,
                "trimmed": row.trimmed_mean,
                "median": row.median,
                "corrected": float_or_none(lenient.at[row.base, "adjusted"]) if corrected else None,
                "component": int(lenient.at[row.base, "component"])
                if row.base in lenient.index
                else None,
                "expert_score": float_or_none(g["expert_score"]),
                "index_score": float_or_none(g["index_score"]),
                "combined": float_or_none(g["combined"]),
                "grade_code": g["grade"],
                "grade": localized(g["grade_zh"], g["grade_en"]) if g["grade"] else "",
                "grade_zh": g["grade_zh"],
                "grade_en": g["grade_en"],
                "note": note,
                "note_text": NOTE_TEXTS.get(note, lambda: "")(),
            }
        )
    return rows


#: Notes of the results table, as sentences a person reads.
NOTE_TEXTS = {
    selectors.NO_INDEX: lambda: _("No composite index score: graded on the expert score alone."),
    "missing_score": lambda: _("The expert score is missing: no grade."),
}


@login_required
def panel_results(request, code: str):
    require(can_form_panels(request.user))
    campaign = campaign_or_404(code)
    results = selectors.score_results(campaign)
    context = {
        "campaign": campaign,
        "tab": "results",
        "results": results,
        "settings": selectors.evaluation_settings(campaign),
    }
    if results is not None:
        context["rows"] = _result_rows(campaign, results)
        # The office reads every comment here, confidential ones included; the reports carry
        # only those of rubrics that do not keep them confidential.
        context["comments"] = [
            {**c, "base_name": localized(c["base_name_zh"], c["base_name_en"])}
            for c in selectors.office_comments(campaign)
        ]
        components = results.leniency.components
        context["components"] = [
            {
                "component": int(c.component),
                "panels": c.panels,
                "n_bases": int(c.n_bases),
                "n_experts": int(c.n_experts),
                "n_anchor_bases": int(c.n_anchor_bases),
                "corrected": bool(c.corrected),
            }
            for c in components.itertuples(index=False)
        ]
        context["leniency_applied"] = bool(components["corrected"].any())
        icc = results.icc[results.icc["type"].isin(["ICC1", "ICC1k"])]
        context["icc"] = [
            {
                "panel": int(row.panel),
                "type": row.type,
                "icc": None if row.icc != row.icc else float(row.icc),
                "n_bases": int(row.n_bases),
                "n_experts": int(row.n_experts),
            }
            for row in icc.itertuples(index=False)
        ]
        alpha = results.alpha
        context["alpha"] = None if alpha != alpha else alpha
        context["flags"] = [
            {
                "expert": row.expert,
                "n": int(row.n_bases),
                "deviation": None
                if row.mean_deviation != row.mean_deviation
                else row.mean_deviation,
                "z": None if row.modified_z != row.modified_z else row.modified_z,
                "flagged": bool(row.flagged),
            }
            for row in results.flags.itertuples(index=False)
        ]
    return render(request, "panels/results.html", context)


RESULT_COLUMNS = [
    "base",
    "name_zh",
    "name_en",
    "n",
    "mean",
    "trimmed",
    "median",
    "corrected",
    "expert_score",
    "index_score",
    "combined",
    "grade_code",
    "grade_zh",
    "grade_en",
    "note",
]
RESULT_HEADER = [
    "base_code",
    "name_zh",
    "name_en",
    "n_experts",
    "mean",
    "trimmed_mean",
    "median",
    "leniency_corrected",
    "expert_score",
    "index_score",
    "combined",
    "grade",
    "grade_zh",
    "grade_en",
    "note",
]


@login_required
def panel_results_csv(request, code: str):
    """The results table as CSV (UTF-8 with a BOM, for Excel), full precision."""
    require(can_form_panels(request.user))
    campaign = campaign_or_404(code)
    results = selectors.score_results(campaign)
    rows = _result_rows(campaign, results) if results is not None else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RESULT_HEADER)
    for row in rows:
        writer.writerow([csv_cell("" if row[k] is None else row[k]) for k in RESULT_COLUMNS])
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{campaign.code}-scores.csv"'
    return response


COMMENT_COLUMNS = [
    "base",
    "base_name_zh",
    "base_name_en",
    "expert",
    "expert_name",
    "criterion",
    "comments_confidential",
    "comment",
    "confidential_comment",
]


@login_required
def panel_comments_csv(request, code: str):
    """Every submitted comment and confidential comment as CSV (UTF-8 with a BOM): the
    office's copy, confidential ones included."""
    require(can_form_panels(request.user))
    campaign = campaign_or_404(code)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COMMENT_COLUMNS)
    for row in selectors.office_comments(campaign):
        writer.writerow(
            [
                int(row[k]) if k == "comments_confidential" else csv_cell(row[k])
                for k in COMMENT_COLUMNS
            ]
        )
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{campaign.code}-comments.csv"'
    return response


@login_required
@require_POST
def score_reminders(request, code: str):
    require(can_form_panels(request.user))
    campaign = campaign_or_404(code)
    try:
        done = services.score_reminders_send(campaign=campaign, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Reminders sent to %(n)s experts.") % {"n": len(done.sent)},
        )
        if done.without_email:
            messages.warning(
                request,
                _("No login or email address for: %(codes)s.")
                % {"codes": ", ".join(done.without_email)},
            )
    return redirect("panels_results", code=campaign.code)


# --- experts ---------------------------------------------------------------------------------


@login_required
def my_bases(request):
    require(is_expert(request.user))
    expert = request.user.expert
    campaigns = []
    for campaign in Campaign.objects.filter(panel_sets__state="published").distinct():
        bases = bases_to_score(request.user, campaign).select_related("province")
        submitted = set(
            Score.objects.filter(
                campaign=campaign, expert=expert, state=Score.State.SUBMITTED
            ).values_list("base_id", flat=True)
        )
        campaigns.append(
            {
                "campaign": campaign,
                "name": localized(campaign.name_zh, campaign.name_en),
                "bases": [
                    {
                        "base": b,
                        "name": localized(b.name_zh, b.name_en),
                        "submitted": b.pk in submitted,
                    }
                    for b in bases
                ],
            }
        )
    conflicts = ConflictDeclaration.objects.filter(expert=expert).select_related("base")
    return render(
        request,
        "panels/my_bases.html",
        {"expert": expert, "campaigns": campaigns, "conflicts": conflicts},
    )


def _scorable(request, code: str, base_code: str):
    require(is_expert(request.user))
    campaign = campaign_or_404(code)
    base = get_object_or_404(Base.objects.select_related("subcategory"), code=base_code)
    if not can_score(request.user, base, campaign):
        raise Http404
    return campaign, base


@login_required
@require_POST
def conflict_declare(request, code: str, base_code: str):
    campaign, base = _scorable(request, code, base_code)
    form = ConflictForm(request.POST)
    if form.is_valid():
        services.conflict_declare(
            expert=request.user.expert,
            base=base,
            reason=form.cleaned_data["reason"],
            campaign=campaign,
        )
        messages.success(
            request,
            _("Your conflict of interest with %(base)s is declared; the base leaves your list.")
            % {"base": base.code},
        )
        return redirect("panels_my_bases")
    messages.error(request, _("Please give the reason for the conflict of interest."))
    return redirect("panels_score", code=campaign.code, base_code=base.code)


@login_required
def score_base(request, code: str, base_code: str):
    campaign, base = _scorable(request, code, base_code)
    expert = request.user.expert
    rubric = selectors.rubric_for(campaign, base)
    criteria = list(rubric.criteria.all()) if rubric else []
    saved = selectors.expert_scores(expert, base, campaign)
    submitted = any(s.state == Score.State.SUBMITTED for s in saved.values())
    form = ScoreForm(
        request.POST if request.method == "POST" and criteria else None,
        criteria=criteria,
        submitted=submitted,
        initial=ScoreForm.initial_of(saved, criteria),
    )
    if form.is_bound and form.is_valid():
        try:
            services.score_save(
                user=request.user,
                campaign=campaign,
                base=base,
                criteria=criteria,
                entries=form.entries(),
            )
            if "submit" in request.POST:
                services.scores_submit(
                    user=request.user, campaign=campaign, base=base, criteria=criteria
                )
                messages.success(request, _("Your scores are submitted. Thank you."))
                return redirect("panels_my_bases")
            messages.success(request, _("Your scores are saved as a draft."))
            return redirect("panels_score", code=campaign.code, base_code=base.code)
        except ValidationError as error:
            if hasattr(error, "error_dict"):  # the service's own check of the values
                for key, problems in error.error_dict.items():
                    form.add_error(f"{key}-value", problems)
            else:
                form.add_error(None, " ".join(error.messages))
    for problem in form.non_field_errors():
        messages.error(request, problem)
    evidence = selectors.scoring_evidence(campaign=campaign, base=base, rubric=rubric)
    return render(
        request,
        "panels/score.html",
        {
            "campaign": campaign,
            "base": base,
            "name": localized(base.name_zh, base.name_en),
            "rows": [
                {**row, "evidence": evidence["criteria"].get(row["criterion"].code, {})}
                for row in form.rows()
            ],
            "summary": evidence["summary"],
            "submitted": submitted,
            "has_rubric": bool(criteria),
            "comments_confidential": bool(rubric and rubric.comments_confidential),
            "conflict_form": ConflictForm(),
            "role": role_of(request.user),
        },
    )


# --- rubrics ---------------------------------------------------------------------------------


@login_required
def rubric_list(request, code: str):
    require(can_form_panels(request.user))
    campaign = campaign_or_404(code)
    rubrics = (
        Rubric.objects.filter(campaign=campaign)
        .select_related("category")
        .prefetch_related("criteria")
    )
    return render(
        request,
        "panels/rubrics.html",
        {
            "campaign": campaign,
            "tab": "rubrics",
            "rubrics": [
                {
                    "rubric": r,
                    "criteria": list(r.criteria.all()),
                    "weight_sum": sum(c.weight for c in r.criteria.all()),
                    "locked": selectors.rubric_has_submitted_scores(r),
                }
                for r in rubrics
            ],
        },
    )


def _criteria_initial(rubric: Rubric | None) -> list[dict]:
    if rubric is None:
        return [{"weight": "1", "scale_min": "0", "scale_max": "100"}]
    return [
        {
            "code": c.code,
            "name_zh": c.name_zh,
            "name_en": c.name_en,
            "weight": plain(c.weight),
            "scale_min": plain(c.scale_min),
            "scale_max": plain(c.scale_max),
            "scale_step": plain(c.scale_step) if c.scale_step is not None else "",
            "guidance_zh": c.guidance_zh,
            "guidance_en": c.guidance_en,
            "evidence": " ".join(c.evidence),
        }
        for c in rubric.criteria.all()
    ]


@login_required
def rubric_edit(request, code: str, pk: int | None = None):
    """Create a rubric (``pk`` None) or edit one; "save as a new version" keeps the old one."""
    require(can_form_panels(request.user))
    campaign = campaign_or_404(code)
    rubric = get_object_or_404(Rubric, pk=pk, campaign=campaign) if pk is not None else None
    initial = {}
    if rubric is not None:
        initial = {
            "category": rubric.category_id,
            "comments_confidential": rubric.comments_confidential,
            "revision": rubric.revision,
        }
    form = RubricForm(request.POST or None, initial=initial)
    formset = CriterionFormSet(
        request.POST or None, prefix="criteria", initial=_criteria_initial(rubric)
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        criteria = [
            f.cleaned_data
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.is_blank()
        ]
        try:
            saved = services.rubric_save(
                campaign=campaign,
                criteria=criteria,
                user=request.user,
                category=form.cleaned_data["category"],
                comments_confidential=form.cleaned_data["comments_confidential"],
                rubric=rubric,
                revision=form.cleaned_data.get("revision"),
                new_version="new_version" in request.POST,
            )
        except ValidationError as error:
            problems = list(error.messages)
        except ConcurrentEditError as error:
            problems = [error.message]
        else:
            messages.success(
                request,
                _("Version %(version)s of the rubric is saved.") % {"version": saved.version},
            )
            return redirect("panels_rubrics", code=campaign.code)
    weights = [
        services._decimal(f["weight"].value())
        for f in formset.forms
        if services._decimal(f["weight"].value()) is not None
    ]
    return render(
        request,
        "panels/rubric_form.html",
        {
            "campaign": campaign,
            "tab": "rubrics",
            "rubric": rubric,
            "form": form,
            "formset": formset,
            "problems": problems,
            "weight_sum": sum(weights),
            "locked": rubric is not None and selectors.rubric_has_submitted_scores(rubric),
        },
    )


# --- settings of the evaluation ---------------------------------------------------------------


@login_required
def evaluation_settings(request, code: str):
    require(can_form_panels(request.user))
    campaign = campaign_or_404(code)
    settings = selectors.evaluation_settings(campaign)
    form = EvaluationSettingsForm(
        request.POST or None,
        instance=settings,
        initial={"revision": settings.revision, "scoring_deadline": settings.scoring_deadline},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_settings_save(
                campaign=campaign,
                data=form.cleaned_data,
                user=request.user,
                revision=form.cleaned_data.get("revision"),
            )
        except (ValidationError, ConcurrentEditError) as error:
            form.add_error(None, getattr(error, "message", error))
        else:
            messages.success(request, _("The settings of the expert evaluation are saved."))
            return redirect("panels_settings", code=campaign.code)
    return render(
        request,
        "panels/settings.html",
        {"campaign": campaign, "tab": "settings", "form": form},
    )
