"""The validation rules editor of the evaluation office: versions of a framework's rules, a
preview of what a draft would flag on a campaign's data, saving and activating a version.

Thin views, as in :mod:`mieval.collection.views.review`: the role is checked with
``accounts.permissions``, reads go through selectors, writes through ``collection.workflow``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from mieval.accounts.permissions import can_review
from mieval.collection.models import Campaign, RuleSet
from mieval.collection.review_forms import RulesForm
from mieval.collection.selectors import rules_preview_on
from mieval.collection.workflow import ruleset_activate, ruleset_save
from mieval.core.problems import InputError
from mieval.indicators.models import Framework
from mieval.indicators.selectors import framework_indicators_frame
from mieval.lib.i18n import localized
from mieval.lib.pages import page_layout, require
from mieval.lib.params import id_param


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
    path("frameworks/<int:pk>/rules/", rules_editor, name="rules_editor"),
]
