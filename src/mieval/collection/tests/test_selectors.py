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

from mieval.collection.selectors import completeness_rows, submissions_summary, value_panel
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
