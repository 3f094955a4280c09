# ruff: noqa: E501 -- Chinese test texts, one a line.
"""The commands: the default template, and the demo reports taken through the services."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mieval.selfeval.models import ReportTemplate, SelfEvaluation
from mieval.selfeval.selectors import self_evaluation_sections_text

pytestmark = pytest.mark.django_db


def test_load_selfeval_template_loads_the_five_sections_once(campaign_c):
    out = StringIO()

    call_command("load_selfeval_template", campaign="c", stdout=out)
    call_command("load_selfeval_template", campaign="c", stdout=StringIO())

    assert out.getvalue() == "campaign 'c': self-evaluation template version 1, 5 sections\n"
    assert ReportTemplate.objects.get().sections.count() == 5


def test_load_selfeval_template_names_an_unknown_campaign(db):
    with pytest.raises(CommandError, match="no campaign 'nope'"):
        call_command("load_selfeval_template", campaign="nope")


def test_the_demo_writes_a_report_per_base_from_its_data_in_several_states(campaign_c):
    out = StringIO()

    call_command("load_selfeval_demo", campaign="c", stdout=out)

    assert (
        out.getvalue()
        == "campaign 'c': 5 self-evaluation reports added; 1 draft, 1 submitted, 1 returned, 2 accepted\n"
    )
    reports = {r.base.code: r for r in SelfEvaluation.objects.select_related("base")}
    r1 = {t.section.code: t.text for t in reports["R1"].texts.select_related("section")}
    assert r1["progress"] == (
        "2016—2018年，本基地围绕“打造区域双创高地”的建设目标，对照示范基地建设方案逐项推进各项任务。"
        "新增市场主体由2016年的100户增至2018年的144户，年均增长20.0%。"
        "专利授权量由2016年的10件增至2018年的12件，年均增长9.5%。"
        "总体看，示范基地建设方案确定的主要任务已基本完成，双创生态持续优化。"
    )
    returned = next(r for r in reports.values() if r.state == "returned")
    assert returned.review_comment != ""
    assert returned.texts.exclude(comment="").count() == 1
    draft = next(r for r in reports.values() if r.state == "draft")
    sections = self_evaluation_sections_text(campaign=campaign_c, base=draft.base)
    assert [code for code, _, _, text in sections if not text] == ["next_steps", "policy_requests"]
    accepted = [r for r in reports.values() if r.state == "accepted"]
    assert all(r.events.filter(action="accepted").count() == 1 for r in accepted)


def test_the_demo_is_idempotent(campaign_c):
    call_command("load_selfeval_demo", campaign="c", stdout=StringIO())
    out = StringIO()

    call_command("load_selfeval_demo", campaign="c", stdout=out)

    assert out.getvalue().startswith("campaign 'c': 0 self-evaluation reports added;")
    assert SelfEvaluation.objects.count() == 5
