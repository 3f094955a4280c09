"""Template helpers of the problem register: texts in the reader's language (the other
language where only that one was written) and the "propose a problem" button that the data
review's problem list and the accepted panel opinion show to the office."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify

from mieval.accounts.permissions import (
    can_decide_problems,
    can_read_visit_record,
    self_evaluation_bases,
)
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


@register.inclusion_tag("rectification/_propose_button.html", takes_context=True)
def propose_from_opinion_button(context, campaign, base, opinion):
    """The office's one click from an accepted panel opinion to a proposed problem."""
    request = context.get("request")
    if (
        request is None
        or not can_decide_problems(request.user)
        or opinion is None
        or opinion.state != "accepted"
    ):
        return {"url": None}
    params = {"base": base.code, "opinion": opinion.pk}
    return {
        "url": reverse("rectification_propose", args=[campaign.code]) + "?" + urlencode(params),
        "plain": True,
    }


@register.simple_tag(takes_context=True)
def evidence_url(context, link, campaign) -> str:
    """The page of a linked item where the reader may see it, else '': the review's value page
    of a value or check result (the office), the visit record and the panel opinion (the office
    and the base's panel), the base's self-evaluation at the section (who reads it)."""
    request = context.get("request")
    user = request.user if request is not None else None
    base = link.problem.base
    if link.kind in {"value", "check_result"}:
        parts = link.target.split("/")
        if not can_decide_problems(user) or len(parts) < 3 or not parts[2].isdigit():
            return ""
        return reverse("value_detail", args=[campaign.code, parts[0], parts[1], int(parts[2])])
    if link.kind in {"visit_record", "panel_opinion"}:
        if not can_read_visit_record(user, base, campaign):
            return ""
        name = "visits_record" if link.kind == "visit_record" else "visits_opinion"
        return reverse(name, args=[campaign.code, base.code])
    if link.kind == "selfeval_section":
        if not self_evaluation_bases(user, campaign).filter(pk=base.pk).exists():
            return ""
        url = reverse("selfeval_report", args=[campaign.code, base.code])
        target = link.target.strip()
        return f"{url}#section-{target}" if slugify(target) == target else url
    return ""
