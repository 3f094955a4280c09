"""Template helpers of the problem register: texts in the reader's language (the other
language where only that one was written) and the "propose a problem" button that the data
review's problem list shows to the office."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from mieval.accounts.permissions import can_decide_problems
from mieval.lib.i18n import localized

register = template.Library()


def _either(zh: str, en: str) -> str:
    return localized(zh or en, en or zh)


@register.filter
def problem_title(problem) -> str:
    return _either(problem.title_zh, problem.title_en)


@register.filter
def problem_description(problem) -> str:
    return _either(problem.description_zh, problem.description_en)


@register.filter
def problem_action(problem) -> str:
    return _either(problem.action_zh, problem.action_en)


@register.filter
def type_name(problem_type) -> str:
    return localized(problem_type.name_zh, problem_type.name_en)


@register.filter
def name_of(item) -> str:
    """A base's or a campaign's name in the reader's language."""
    return localized(item.name_zh, item.name_en)


@register.inclusion_tag("rectification/_propose_button.html", takes_context=True)
def propose_problem_button(context, campaign, base, item):
    """A small button beside a data-check result: the office proposes a problem from it."""
    request = context.get("request")
    if request is None or not can_decide_problems(request.user):
        return {"url": None}
    params = {"base": base.code, "indicator": item["indicator"], "rule": item["rule"]}
    if item.get("year") is not None:
        params["year"] = item["year"]
    return {"url": reverse("rectification_propose", args=[campaign.code]) + "?" + urlencode(params)}


@register.filter
def days_late(rectification, today) -> int:
    """Days since the rectification's deadline passed."""
    return (today - rectification.deadline).days


@register.simple_tag
def evidence_url(link, campaign) -> str:
    """The review's page of a linked value or check result; '' for other kinds, whose pages
    belong to other apps."""
    if link.kind not in {"value", "check_result"}:
        return ""
    parts = link.target.split("/")
    if len(parts) < 3 or not parts[2].isdigit():
        return ""
    return reverse("value_detail", args=[campaign.code, parts[0], parts[1], int(parts[2])])
