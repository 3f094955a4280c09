"""Reads of the registry: the ``bases`` frame the functional core takes, and what importing a
bases file would do.

Given the bases of campaign ``c`` (and one with further attributes), when the frame is read,
then it holds exactly these rows, in code order, with one column per further attribute; when a
plan is computed, it sorts a file's rows into new, changed and unchanged bases and writes nothing.
"""

import datetime as dt

import pandas as pd
import pytest

from mieval.core.problems import InputError
from mieval.registry.models import Base, BaseEvent
from mieval.registry.selectors import (
    BASE_COLUMNS,
    all_bases_frame,
    bases_export_frame,
    bases_frame,
    bases_plan,
)
from mieval.registry.services import base_designate, base_withdraw
from mieval.registry.tests.helpers import N1, R1, U1, bases_file

ROWS = [
    ["E1", "企业一", "Enterprise one", "enterprise", "private", "44", 2017],
    ["R1", "区域一", "Region one", "region", "urban_district", "11", 2016],
    ["R2", "区域二", "Region two", "region", "urban_district", "51", 2017],
    ["U1", "高校一", "University one", "university_institute", "st_university", "42", 2016],
    ["U2", "高校二", "University two", "university_institute", "st_university", "32", 2017],
]


def test_all_bases_in_code_order(campaign_c):
    frame = all_bases_frame()

    assert list(frame.columns) == BASE_COLUMNS
    assert frame.values.tolist() == ROWS
    assert frame["batch"].dtype == "int64"


def test_a_queryset_gives_only_its_bases_in_one_query(campaign_c, django_assert_num_queries):
    with django_assert_num_queries(1):
        frame = bases_frame(Base.objects.filter(code__in=["U1", "R1"]))

    assert frame.values.tolist() == [ROWS[1], ROWS[3]]


def test_further_attributes_are_columns_and_missing_elsewhere(campaign_c):
    Base.objects.filter(code="R1").update(attributes={"zone": "Haidian", "area_km2": "12.5"})
    Base.objects.filter(code="U1").update(attributes={"zone": "Hongshan"})

    frame = bases_frame(Base.objects.filter(code__in=["R1", "R2", "U1"]))

    assert list(frame.columns) == [*BASE_COLUMNS, "area_km2", "zone"]
    assert frame[["code", "area_km2", "zone"]].fillna("-").values.tolist() == [
        ["R1", "12.5", "Haidian"],
        ["R2", "-", "-"],
        ["U1", "-", "Hongshan"],
    ]


def test_an_attribute_named_like_a_column_does_not_replace_it(campaign_c):
    Base.objects.filter(code="R1").update(attributes={"province": "99", "batch": "1900"})

    frame = bases_frame(Base.objects.filter(code="R1"))

    assert list(frame.columns) == BASE_COLUMNS
    assert frame.values.tolist() == [ROWS[1]]


@pytest.mark.django_db
def test_no_bases_give_an_empty_frame_with_the_columns():
    frame = all_bases_frame()

    pd.testing.assert_frame_equal(frame, pd.DataFrame(columns=BASE_COLUMNS))


# --- what importing a bases file would do -----------------------------------------------------


def test_a_plan_sorts_the_rows_into_new_changed_and_unchanged(campaign_c):
    frame = bases_file(
        R1,  # as in the registry
        {**U1, "name_en": "University One", "province": "11"},  # two fields changed
        N1,  # new
    )

    plan = bases_plan(frame)

    assert [b.code for b in plan.create] == ["N1"]
    assert [(b.code, changes) for b, changes in plan.update] == [
        ("U1", {"name_en": ["University one", "University One"], "province_id": ["42", "11"]})
    ]
    assert [b.code for b in plan.unchanged] == ["R1"]
    assert plan.all_codes == ["N1", "U1", "R1"]
    # Planning writes nothing.
    assert Base.objects.get(code="U1").name_en == "University one"
    assert not Base.objects.filter(code="N1").exists()


def test_further_columns_become_attributes_and_empty_cells_are_left_out(db):
    frame = bases_file({**N1, "park": "Zhongguancun", "note": ""}, {**R1, "park": None})

    plan = bases_plan(frame)

    assert [(b.code, b.attributes) for b in plan.create] == [
        ("N1", {"park": "Zhongguancun"}),
        ("R1", {}),
    ]


# --- the lifecycle columns of a bases file -------------------------------------------------------

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    )


def planned(plan) -> list[tuple]:
    return [(e.code, e.kind, e.date, e.line, e.corrects is not None) for e in plan.events]


def test_a_plan_records_the_lifecycle_columns_as_events(campaign_c, clock):
    base_designate(
        base=Base.objects.get(code="U1"), date=dt.date(2016, 5, 8), document_number="d", actor="a"
    )
    frame = bases_file(
        {**R1, "status": "active", "designated": dt.date(2016, 5, 12)},
        {**U1, "status": "", "designated": dt.date(2016, 5, 12)},  # corrects 2016-05-08
        {**N1, "status": "withdrawn", "designated": None},
    )

    plan = bases_plan(frame)

    assert planned(plan) == [
        ("R1", "designated", dt.date(2016, 5, 12), 2, False),
        ("U1", "designated", dt.date(2016, 5, 12), 3, True),
        ("N1", "withdrawn", TODAY, 4, False),
    ]
    assert [(b.code, changes) for b, changes in plan.update] == [
        ("R1", {"designated": [None, "2016-05-12"]}),
        ("U1", {"designated": ["2016-05-08", "2016-05-12"]}),
    ]
    assert [b.code for b in plan.create] == ["N1"]
    # N1, withdrawn today, is outside a campaign of years still to come.
    assert [(o.code, o.status, o.date, o.line) for o in plan.outside(2027, 2029)] == [
        ("N1", "withdrawn", TODAY, 4)
    ]
    assert [o.code for o in plan.outside(2016, 2016)] == ["N1"]  # batch 2020
    assert not BaseEvent.objects.filter(base__code="R1").exists()


def test_a_plan_refuses_what_contradicts_the_recorded_lifecycle(campaign_c, clock):
    base_withdraw(
        base=Base.objects.get(code="R1"),
        date=dt.date(2019, 6, 30),
        document_number="发改高技〔2019〕1号",
        reason="r",
        actor="a",
    )
    base_designate(
        base=Base.objects.get(code="U1"), date=dt.date(2016, 5, 8), document_number="d", actor="a"
    )
    frame = bases_file(
        {**R1, "status": "merged", "designated": dt.date(2016, 5, 12)},
        {**U1, "batch": 2017, "status": "", "designated": None},
        {**N1, "status": "", "designated": dt.date(2026, 3, 2)},
    )

    with pytest.raises(InputError) as caught:
        bases_plan(frame, file="bases.csv")

    assert [str(p) for p in caught.value.problems] == [
        "bases.csv, line 2, column 'status': base 'R1' was withdrawn on 2019-06-30"
        " (发改高技〔2019〕1号); a bases file does not change that: write 'withdrawn' or leave"
        " the cell empty",
        "bases.csv, line 3, column 'batch': base 'U1' was designated on 2016-05-08 (batch"
        " 2016); to move it to batch 2017, give its designation date in 2017 in the column"
        " 'designated'",
        "bases.csv, line 4, column 'designated': '2026-03-02' is still to come; a designation"
        " is recorded once it is made",
    ]


def test_the_export_frame_has_the_lifecycle_columns(campaign_c, clock, django_assert_num_queries):
    base_designate(
        base=Base.objects.get(code="R1"), date=dt.date(2016, 5, 12), document_number="d", actor="a"
    )

    with django_assert_num_queries(2):
        frame = bases_export_frame(Base.objects.filter(code__in=["R1", "R2"]))

    assert list(frame.columns) == [*BASE_COLUMNS, "status", "designated"]
    assert frame[["code", "status", "designated"]].values.tolist() == [
        ["R1", "active", dt.date(2016, 5, 12)],
        ["R2", "active", None],
    ]
