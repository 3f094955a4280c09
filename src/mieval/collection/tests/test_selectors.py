"""Selectors of the review pages: the submissions summary, the value panel, completeness rows.

Campaign ``c`` (see ``mieval/conftest.py``): a value is expected for each indicator that applies
to a base's category (regions 10, universities and enterprises 8 each) in each of three years.
"""

from datetime import UTC, datetime

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from mieval.collection.selectors import (
    base_value_grid,
    campaign_indicators,
    completeness_rows,
    submissions_summary,
    value_panel,
)
from mieval.collection.services import value_set
from mieval.collection.tests.review_helpers import evidence_on, indicator, query_on
from mieval.collection.workflow import campaign_deadline_set, submission_submit
from mieval.registry.models import Base
from mieval.web.tests.helpers import bases_add


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def submitted(clock, campaign_c):
    """R1 submits on 1 March, U1 on 11 March; the deadline is 10 March, 04:00 UTC."""
    campaign_deadline_set(campaign=campaign_c, deadline=datetime(2026, 3, 10, 4, 0, tzinfo=UTC))
    submission_submit(campaign=campaign_c, base=Base.objects.get(code="R1"), actor="bob")
    clock.tick(days=10)
    submission_submit(campaign=campaign_c, base=Base.objects.get(code="U1"), actor="carol")
    return campaign_c


def test_completeness_rows_give_percent_and_none_where_nothing_is_expected():
    frame = pd.DataFrame(
        {"group": ["a", "b"], "expected": [8, 0], "reported": [2, 0], "share": [0.25, float("nan")]}
    )

    rows = completeness_rows(frame, str.upper)

    assert rows == [
        {"code": "a", "label": "A", "expected": 8, "reported": 2, "percent": 25.0},
        {"code": "b", "label": "B", "expected": 0, "reported": 0, "percent": None},
    ]


def test_submissions_summary_per_base(submitted):
    summary = submissions_summary(submitted)

    rows = [
        (r["code"], r["name"], r["subcategory"], r["state"], r["state_label"], r["on_time"])
        for r in summary["base_rows"]
    ]
    assert rows == [
        ("E1", "Enterprise one", "Private enterprise", "draft", "draft", None),
        ("R1", "Region one", "Urban district", "submitted", "submitted", True),
        ("R2", "Region two", "Urban district", "draft", "draft", None),
        ("U1", "University one", "S&T university", "submitted", "submitted", False),
        ("U2", "University two", "S&T university", "draft", "draft", None),
    ]
    counts = [(r["reported"], r["expected"], r["percent"]) for r in summary["base_rows"]]
    assert counts == [
        (1, 24, 1 / 24 * 100),
        (5, 30, 5 / 30 * 100),
        (2, 30, 2 / 30 * 100),
        (4, 24, 4 / 24 * 100),
        (1, 24, 1 / 24 * 100),
    ]
    submitted_at = [r["submitted_at"] for r in summary["base_rows"] if r["submitted_at"]]
    assert [t.isoformat() for t in submitted_at] == [
        "2026-03-01T09:00:00+00:00",
        "2026-03-11T09:00:00+00:00",
    ]
    kpis = [summary[k] for k in ("n_bases", "n_submitted", "n_on_time", "n_late", "n_approved")]
    assert kpis == [5, 2, 1, 1, 0]
    assert summary["state_counts"] == {"draft": 3, "submitted": 2, "returned": 0, "approved": 0}


def test_submissions_summary_by_subcategory_and_indicator(submitted):
    summary = submissions_summary(submitted)

    assert summary["subcategory_rows"] == [
        {
            "code": "urban_district",
            "label": "Urban district",
            "bases": 2,
            "submitted": 1,
            "on_time": 1,
            "late": 0,
            "approved": 0,
            "expected": 60,
            "reported": 7,
            "percent": 7 / 60 * 100,
        },
        {
            "code": "st_university",
            "label": "S&T university",
            "bases": 2,
            "submitted": 1,
            "on_time": 0,
            "late": 1,
            "approved": 0,
            "expected": 48,
            "reported": 5,
            "percent": 5 / 48 * 100,
        },
        {
            "code": "private",
            "label": "Private enterprise",
            "bases": 1,
            "submitted": 0,
            "on_time": 0,
            "late": 0,
            "approved": 0,
            "expected": 24,
            "reported": 1,
            "percent": 1 / 24 * 100,
        },
    ]
    by_code = {r["code"]: r for r in summary["indicator_rows"]}
    # Six patent values of 15 expected; R1's two came with the only first submission on time.
    assert by_code["patents_granted"] == {
        "code": "patents_granted",
        "label": by_code["patents_granted"]["label"],
        "expected": 15,
        "reported": 6,
        "percent": 40.0,
        "on_time": 2,
        "on_time_percent": 2 / 15 * 100,
    }
    # Regions only: 2 bases x 3 years; R1's three on time, R2's two not.
    assert (
        by_code["new_market_entities"]["expected"],
        by_code["new_market_entities"]["reported"],
        by_code["new_market_entities"]["on_time"],
    ) == (6, 5, 3)
    assert all(r["expected"] > 0 for r in summary["indicator_rows"])


def test_submissions_summary_filters_by_state_and_subcategory(submitted):
    drafts = submissions_summary(submitted, state="draft", subcategory="st_university")

    assert [r["code"] for r in drafts["base_rows"]] == ["U2"]
    assert [(r["code"], r["bases"], r["expected"]) for r in drafts["subcategory_rows"]] == [
        ("st_university", 1, 24)
    ]
    assert drafts["state_counts"] == {"draft": 1, "submitted": 0, "returned": 0, "approved": 0}
    # Universities' indicators only: the regions' own indicators expect nothing and are left out.
    assert "new_market_entities" not in {r["code"] for r in drafts["indicator_rows"]}


def test_submissions_summary_queries_do_not_grow_with_bases(submitted):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            submissions_summary(submitted)
        return len(captured)

    with_5 = queries()
    bases_add(submitted, 35, values={"patents_granted": {2016: 5, 2017: 6}})

    assert queries() == with_5 == 9


def test_value_panel_of_one_value(clock, media, campaign_c):
    query = query_on("R1", "patents_granted", 2016, "Really 10?")
    evidence = evidence_on("R1", "patents_granted", 2016)
    query_on("R1", "patents_granted", 2018)  # another year: not on this panel
    r1 = Base.objects.get(code="R1")

    panel = value_panel(
        campaign=campaign_c, base=r1, indicator=indicator("patents_granted"), year=2016
    )

    assert panel["value"].raw == "10"
    assert [(h.action, h.old, h.new, h.actor) for h in panel["history"]] == [
        ("create", "", "10", "fixture")
    ]
    # R1 is the only urban district reporting patents in 2016: too few peers to judge.
    assert panel["problems"] == [
        {
            "severity": "info",
            "message": "Patents granted, 2016: not compared with peers; group too small to judge"
            " (n=1 Urban district bases reported, at least 3 needed).",
        }
    ]
    assert [q.pk for q in panel["queries"]] == [query.pk]
    assert [m.text for m in panel["queries"][0].messages.all()] == ["Really 10?"]
    assert [e.pk for e in panel["evidence"]] == [evidence.pk]


def test_value_panel_of_a_missing_value(clock, media, campaign_c):
    r1 = Base.objects.get(code="R1")

    panel = value_panel(
        campaign=campaign_c, base=r1, indicator=indicator("patents_granted"), year=2017
    )

    assert panel["value"] is None
    assert list(panel["history"]) == []
    assert panel["problems"] == []
    assert list(panel["queries"]) == []
    assert list(panel["evidence"]) == []


def test_value_panel_problems_in_the_readers_language(campaign_c):
    r1 = Base.objects.get(code="R1")
    value_set(
        campaign=campaign_c,
        base=r1,
        indicator=indicator("new_market_entities"),
        year=2017,
        raw="900",
        actor="alice",
        reason="test",
    )
    cell = {"campaign": campaign_c, "base": r1, "indicator": indicator("new_market_entities")}

    english = value_panel(**cell, year=2017)
    with translation.override("zh-hans"):
        chinese = value_panel(**cell, year=2017)

    # 100 -> 900 is a nine-fold rise: the built-in yoy_change rule warns.
    assert english["problems"] == [
        {
            "severity": "info",
            "message": "Newly established market entities, 2017: not compared with peers; group"
            " too small to judge (n=2 Urban district bases reported, at least 3 needed).",
        },
        {
            "severity": "warning",
            "message": "Newly established market entities rose from 100 in 2016 to 900 in 2017"
            " (×9), more than a 5-fold change on the previous year; please verify.",
        },
    ]
    assert chinese["problems"] == [
        {
            "severity": "info",
            "message": "新增市场主体数量，2017年：同类基地过少，无法判断"
            "（城区仅2个基地填报，至少需要3个）。",
        },
        {
            "severity": "warning",
            "message": "新增市场主体数量由2016年的100上升至2017年的900（×9），"
            "变化超过上年的5倍，请核实。",
        },
    ]
    assert [(h.old, h.new, h.reason) for h in english["history"]] == [
        ("121", "900", "test"),
        ("", "121", ""),
    ]


def test_campaign_indicators_of_a_category(campaign_c):
    every = campaign_indicators(campaign_c)
    universities = campaign_indicators(campaign_c, "university_institute")

    assert [i["code"] for i in every] == [
        "new_market_entities",
        "national_talent",
        "incubation_area",
        "provincial_rd_centres",
        "patents_granted",
        "univ_enterprise_coop",
        "enterprise_gov_projects",
        "inter_enterprise_projects",
        "institute_ie_projects",
        "training_reach",
        "univ_ie_education_investment",
        "new_urban_employment",
    ]
    assert [(i["code"], i["unit"]) for i in universities] == [
        ("national_talent", "persons"),
        ("incubation_area", "m²"),
        ("provincial_rd_centres", "count"),
        ("patents_granted", "count"),
        ("univ_enterprise_coop", "count"),
        ("institute_ie_projects", "count"),
        ("training_reach", "persons"),
        ("univ_ie_education_investment", "10,000 yuan"),
    ]
    assert universities[3]["name"] == "Patents granted"
    with translation.override("zh-hans"):
        assert campaign_indicators(campaign_c)[0]["name"] == "新增市场主体数量"


def test_base_value_grid_flags_problems_queries_and_evidence(clock, media, campaign_c):
    r1 = Base.objects.get(code="R1")
    value_set(
        campaign=campaign_c,
        base=r1,
        indicator=indicator("new_market_entities"),
        year=2017,
        raw="900",
        actor="alice",
        reason="test",
    )
    query_on("R1", "patents_granted", 2018, "Source?")
    closed = query_on("R1", "patents_granted", 2016)
    closed.status = closed.Status.CLOSED
    closed.save(update_fields=["status"])
    evidence_on("R1", "patents_granted", 2016)
    evidence_on("R1", "patents_granted", 2016, name="second.pdf")

    grid = base_value_grid(campaign_c, r1)

    assert grid["years"] == [2016, 2017, 2018]
    assert len(grid["rows"]) == 10  # the indicators of a region
    cells = {
        (row["indicator"]["code"], cell["year"]): cell
        for row in grid["rows"]
        for cell in row["cells"]
    }
    flagged = {key: cell["severity"] for key, cell in cells.items() if cell["severity"]}
    # 100 -> 900 -> 144: a nine-fold rise and a six-fold fall, both warned; R1's two-base
    # subcategory is too small for the peer test, which notes that on each value.
    assert flagged == {
        ("new_market_entities", 2016): "info",
        ("new_market_entities", 2017): "warning",
        ("new_market_entities", 2018): "warning",
        ("patents_granted", 2016): "info",
        ("patents_granted", 2018): "info",
    }
    # The cell's problems come most severe first.
    assert [p["severity"] for p in cells[("new_market_entities", 2017)]["problems"]] == [
        "warning",
        "info",
    ]
    assert {k: len(c["queries"]) for k, c in cells.items() if c["queries"]} == {
        ("patents_granted", 2018): 1
    }
    assert {k: c["evidence"] for k, c in cells.items() if c["evidence"]} == {
        ("patents_granted", 2016): 2
    }
    assert (
        cells[("new_market_entities", 2017)]["raw"],
        cells[("patents_granted", 2017)]["raw"],
    ) == (
        "900",
        None,
    )
    assert (grid["n_errors"], grid["n_warnings"], grid["n_info"], grid["n_open_queries"]) == (
        0,
        2,
        5,
        1,
    )
    # Listed most severe first, then by indicator and year.
    assert [(p["rule"], p["severity"], p["indicator"], p["year"]) for p in grid["problems"]] == [
        ("yoy_change", "warning", "new_market_entities", 2017),
        ("yoy_change", "warning", "new_market_entities", 2018),
        ("outlier_peers", "info", "new_market_entities", 2016),
        ("outlier_peers", "info", "new_market_entities", 2017),
        ("outlier_peers", "info", "new_market_entities", 2018),
        ("outlier_peers", "info", "patents_granted", 2016),
        ("outlier_peers", "info", "patents_granted", 2018),
    ]
    assert grid["problems"][0]["indicator_name"] == "Newly established market entities"
    assert grid["loose_problems"] == []
