# ruff: noqa: E501 -- Chinese test texts, one a line.
"""Reads: one report with its sections, the public text function, the campaign's list and the
search across reports (exact hits with their excerpts)."""

import pytest

from mieval.selfeval import selectors
from mieval.selfeval.selectors import (
    campaign_reports,
    reports_search,
    self_evaluation_for,
    self_evaluation_sections_text,
    state_counts,
)
from mieval.selfeval.services import report_save, report_submit
from mieval.selfeval.tests.conftest import TEXTS, base

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(campaign_c, template, bob, carol):
    """R1 (bob) submitted with TEXTS; U1 (carol) a draft in English with two sections."""
    r1 = report_save(
        campaign=campaign_c, base=base("R1"), texts=TEXTS, expected_version=0, user=bob
    )
    r1 = report_submit(report=r1, expected_version=1, user=bob)
    u1 = report_save(
        campaign=campaign_c, base=base("U1"), expected_version=0, user=carol,
        texts={"progress": "The Credit system improved; credit loans reached 40 start-ups.", "problems": "与中西部地区的交流不足。"},
    )  # fmt: skip
    return r1, u1


def test_self_evaluation_for_is_the_report_with_its_sections_or_none(campaign_c, reports):
    report = self_evaluation_for(campaign=campaign_c, base=base("R1"))

    assert (report.base.code, report.state, report.template.version) == ("R1", "submitted", 1)
    assert {t.section.code: t.text for t in report.texts.all()} == TEXTS
    assert self_evaluation_for(campaign=campaign_c, base=base("E1")) is None


def test_the_sections_text_in_template_order_with_empty_sections(
    campaign_c, reports, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        rows = self_evaluation_sections_text(campaign=campaign_c, base=base("U1"))

    assert rows == [
        (
            "progress",
            "工作进展与成效",
            "Progress and results",
            "The Credit system improved; credit loans reached 40 start-ups.",
        ),
        ("experience", "经验与做法", "Experience and practices", ""),
        ("problems", "问题与制约", "Problems and constraints", "与中西部地区的交流不足。"),
        ("next_steps", "下一步工作", "Next steps", ""),
        ("policy_requests", "政策建议", "Policy requests", ""),
    ]
    assert self_evaluation_sections_text(campaign=campaign_c, base=base("E1")) == []


def test_the_campaign_list_has_every_base_and_counts_by_state(campaign_c, reports):
    rows = campaign_reports(campaign_c, campaign_c.bases.all())

    assert [(r.base.code, r.state) for r in rows] == [
        ("E1", "none"), ("R1", "submitted"), ("R2", "none"), ("U1", "draft"), ("U2", "none"),
    ]  # fmt: skip
    assert state_counts(rows) == {
        "none": 3,
        "draft": 1,
        "submitted": 1,
        "returned": 0,
        "accepted": 0,
    }


def test_the_list_costs_the_same_few_queries_for_any_number_of_bases(
    campaign_c, reports, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        rows = campaign_reports(campaign_c, campaign_c.bases.all())
        [r.base.subcategory.category.code for r in rows]


def test_search_finds_the_sections_holding_every_term_with_the_match_marked(campaign_c, reports):
    hits, more = reports_search(
        campaign=campaign_c, bases=campaign_c.bases.all(), query="中西部地区"
    )

    assert more is False
    assert [(h.base.code, h.section.code) for h in hits] == [
        ("R1", "problems"), ("R1", "next_steps"), ("U1", "problems"),
    ]  # fmt: skip
    assert hits[2].segments == [("与", False), ("中西部地区", True), ("的交流不足。", False)]


def test_search_terms_must_all_be_in_the_section(campaign_c, reports):
    hits, _ = reports_search(
        campaign=campaign_c, bases=campaign_c.bases.all(), query="中西部地区 结对"
    )

    assert [(h.base.code, h.section.code) for h in hits] == [("R1", "next_steps")]


def test_search_ignores_case_and_marks_each_match(campaign_c, reports):
    hits, _ = reports_search(campaign=campaign_c, bases=campaign_c.bases.all(), query="CREDIT")

    assert [(h.base.code, h.section.code) for h in hits] == [("U1", "progress")]
    assert [s for s in hits[0].segments if s[1]] == [("Credit", True), ("credit", True)]


def test_search_sees_only_the_bases_given(campaign_c, reports):
    hits, _ = reports_search(
        campaign=campaign_c, bases=campaign_c.bases.filter(code="U1"), query="中西部"
    )

    assert [h.base.code for h in hits] == ["U1"]


def test_search_without_terms_finds_nothing(campaign_c, reports):
    assert reports_search(campaign=campaign_c, bases=campaign_c.bases.all(), query="   ") == (
        [],
        False,
    )


def test_search_results_are_bounded_and_say_so(campaign_c, reports, monkeypatch):
    monkeypatch.setattr(selectors, "SELFEVAL_RESULTS_MAX", 2)

    hits, more = reports_search(campaign=campaign_c, bases=campaign_c.bases.all(), query="中西部")

    assert (len(hits), more) == (2, True)


def test_search_refuses_an_overlong_query(campaign_c, reports):
    with pytest.raises(ValueError, match="query is longer than 100 characters"):
        reports_search(campaign=campaign_c, bases=campaign_c.bases.all(), query="x" * 101)
