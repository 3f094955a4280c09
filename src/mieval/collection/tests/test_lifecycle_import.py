"""A campaign's scope follows the bases' lifecycle; the bases file carries it (``status``,
``designated``) in and out.

Given campaign ``c`` (2016-2018: R1, R2, U1, U2, E1, with values), when a base is withdrawn or
a bases file with the lifecycle columns is imported, then the scope of each campaign and the
registry's events are exactly these. The clock is frozen at 2026-03-01 09:00 UTC.
"""

import datetime as dt
from datetime import UTC, datetime

import pytest
from django.utils import translation

from mieval.collection.models import Value
from mieval.collection.selectors import campaign_import_plan
from mieval.collection.services import campaign_create, campaign_export, campaign_import_apply
from mieval.conftest import BASES_CSV
from mieval.core.problems import InputError, ProblemCode
from mieval.registry.models import Base, BaseChange, BaseEvent
from mieval.registry.services import LifecycleCode, LifecycleError, base_withdraw

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
HEADER = "code,name_zh,name_en,category,subcategory,province,batch,status,designated\n"
LIFECYCLE_CSV = HEADER + (
    "R1,区域一,Region one,region,urban_district,11,2016,active,2016-05-12\n"
    "R2,区域二,Region two,region,urban_district,51,2017,,2017-06-21\n"
    "U1,高校一,University one,university_institute,st_university,42,2016,,\n"
    "U2,高校二,University two,university_institute,st_university,32,2017,withdrawn,\n"
    "E1,企业一,Enterprise one,enterprise,private,44,2017,,\n"
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def scope(campaign) -> list[str]:
    return sorted(campaign.bases.values_list("code", flat=True))


def withdraw_e1(date=dt.date(2019, 6, 30)):
    return base_withdraw(
        base=Base.objects.get(code="E1"),
        date=date,
        document_number="发改高技〔2019〕1号",
        reason="连续两年评估不合格",
        actor="alice",
    )


def test_withdrawn_bases_are_out_of_later_campaigns_scope_and_kept_in_earlier_ones(
    campaign_c, clock, tmp_path
):
    # Given E1, withdrawn in mid-2019, and the three campaigns around it.
    withdraw_e1()
    during = campaign_create(code="c19", first_year=2019, last_year=2021)
    later = campaign_create(code="c20", first_year=2020, last_year=2022)
    bases = write(tmp_path, "bases.csv", BASES_CSV)
    notices: list[str] = []

    # When the registry's whole bases file is imported into each of the later two,
    for campaign in (during, later):
        plan = campaign_import_plan(campaign=campaign, bases_path=bases, on_notice=notices.append)
        campaign_import_apply(plan=plan, actor="alice")

    # then E1 stays in the earlier campaign with its data, is in the one of 2019 (it was a
    # base for half of it) and is left out of the one from 2020 on, with a notice.
    assert scope(campaign_c) == ["E1", "R1", "R2", "U1", "U2"]
    assert Value.objects.filter(campaign=campaign_c, base__code="E1").count() == 1
    assert scope(during) == ["E1", "R1", "R2", "U1", "U2"]
    assert scope(later) == ["R1", "R2", "U1", "U2"]
    assert notices == [
        f"{bases}, line 6: base 'E1' is left out of campaign 'c20' (2020-2022): it was withdrawn"
        " on 2019-06-30."
    ]
    # The registry knows the same rule.
    assert sorted(Base.objects.active_in(2020, 2022).values_list("code", flat=True)) == scope(later)


def test_values_of_a_base_outside_the_campaigns_years_are_refused(campaign_c, clock, tmp_path):
    withdraw_e1()
    later = campaign_create(code="c20", first_year=2020, last_year=2022)
    bases = write(tmp_path, "bases.csv", BASES_CSV)
    values = write(
        tmp_path,
        "values.csv",
        "base_code,indicator_code,year,value\n"
        "R1,patents_granted,2020,11\n"
        "E1,patents_granted,2020,8\n"
        "E1,patents_granted,2021,9\n",
    )

    with pytest.raises(InputError) as caught:
        campaign_import_plan(campaign=later, bases_path=bases, values_path=values)

    reason = (
        "base 'E1' is out of the scope of campaign 'c20' (2020-2022): it was withdrawn on"
        " 2019-06-30; its values belong to a campaign of its years"
    )
    assert [str(p) for p in caught.value.problems] == [
        f"{values}, line 3, column 'base_code': {reason}",
        f"{values}, line 4, column 'base_code': {reason}",
    ]
    assert {p.code for p in caught.value.problems} == {ProblemCode.OUT_OF_SCOPE}
    assert scope(later) == []


def test_a_withdrawal_takes_the_base_out_of_later_campaigns_that_hold_none_of_its_data(
    campaign_c, clock
):
    later = campaign_create(code="c20", first_year=2020, last_year=2022)
    later.bases.set(Base.objects.all())

    withdraw_e1()

    assert scope(later) == ["R1", "R2", "U1", "U2"]
    assert scope(campaign_c) == ["E1", "R1", "R2", "U1", "U2"]
    change = BaseChange.objects.get(base__code="E1", event__kind="withdrawn")
    assert change.changes["left_campaigns"] == [None, "c20"]


def test_a_withdrawal_dated_before_a_campaign_holding_the_bases_data_is_refused(
    campaign_c, clock, tmp_path
):
    later = campaign_create(code="c20", first_year=2020, last_year=2022)
    values = write(
        tmp_path,
        "values.csv",
        "base_code,indicator_code,year,value\nE1,patents_granted,2020,8\nE1,patents_granted,2021,9\n",
    )
    plan = campaign_import_plan(
        campaign=later, bases_path=write(tmp_path, "bases.csv", BASES_CSV), values_path=values
    )
    campaign_import_apply(plan=plan, actor="alice")

    with pytest.raises(LifecycleError) as caught:
        withdraw_e1()

    assert [(p.code, p.field, p.message) for p in caught.value.problems] == [
        (
            LifecycleCode.LATER_DATA,
            "date",
            "Campaign c20 (2020-2022) holds 2 values of the base; a base that ended on"
            " 2019-06-30 is out of its scope. Date the event later, or remove the base's values"
            " from that campaign first.",
        )
    ]
    assert (Base.objects.get(code="E1").status, scope(later)) == (
        "active",
        ["E1", "R1", "R2", "U1", "U2"],
    )


def test_the_lifecycle_columns_are_imported_as_events_once(campaign_c, clock, tmp_path):
    path = write(tmp_path, "bases.csv", LIFECYCLE_CSV)

    plan = campaign_import_plan(campaign=campaign_c, bases_path=path)
    counts = campaign_import_apply(plan=plan, actor="alice", reason="2026 list")

    assert counts["bases_updated"] == 3
    assert list(
        BaseEvent.objects.order_by("base__code").values_list(
            "base__code", "kind", "date", "reason", "source"
        )
    ) == [
        ("R1", "designated", dt.date(2016, 5, 12), "", "file"),
        ("R2", "designated", dt.date(2017, 6, 21), "", "file"),
        ("U2", "withdrawn", dt.date(2026, 3, 1), "from the bases file", "file"),
    ]
    assert list(
        BaseChange.objects.filter(event__isnull=False)
        .order_by("base__code")
        .values_list("base__code", "changes", "actor", "at", "reason")
    ) == [
        (
            "R1",
            {"event": [None, "designated"], "date": [None, "2016-05-12"]},
            "alice",
            NOW,
            "2026 list",
        ),
        (
            "R2",
            {"event": [None, "designated"], "date": [None, "2017-06-21"]},
            "alice",
            NOW,
            "2026 list",
        ),
        (
            "U2",
            {
                "event": [None, "withdrawn"],
                "date": [None, "2026-03-01"],
                "status": ["active", "withdrawn"],
            },
            "alice",
            NOW,
            "2026 list",
        ),
    ]
    # Withdrawn today, U2 stays in campaign c of 2016-2018.
    assert scope(campaign_c) == ["E1", "R1", "R2", "U1", "U2"]

    # When the same file is imported again, nothing changes.
    audits = BaseChange.objects.count()
    again = campaign_import_apply(
        plan=campaign_import_plan(campaign=campaign_c, bases_path=path), actor="alice"
    )
    assert (again["bases_updated"], BaseEvent.objects.count(), BaseChange.objects.count()) == (
        0,
        3,
        audits,
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_writes_the_lifecycle_and_reimports_unchanged(campaign_c, clock, tmp_path, fmt):
    path = write(tmp_path, "bases.csv", LIFECYCLE_CSV)
    campaign_import_apply(
        plan=campaign_import_plan(campaign=campaign_c, bases_path=path), actor="a"
    )
    audits = BaseChange.objects.count()

    paths = campaign_export(campaign=campaign_c, out_dir=tmp_path / "out", fmt=fmt)
    plan = campaign_import_plan(campaign=campaign_c, bases_path=paths["bases"])
    counts = campaign_import_apply(plan=plan, actor="alice")

    assert (counts["bases_updated"], BaseChange.objects.count()) == (0, audits)
    if fmt == "csv":
        assert paths["bases"].read_text(encoding="utf-8-sig") == HEADER + (
            "E1,企业一,Enterprise one,enterprise,private,44,2017,active,\n"
            "R1,区域一,Region one,region,urban_district,11,2016,active,2016-05-12\n"
            "R2,区域二,Region two,region,urban_district,51,2017,active,2017-06-21\n"
            "U1,高校一,University one,university_institute,st_university,42,2016,active,\n"
            "U2,高校二,University two,university_institute,st_university,32,2017,withdrawn,\n"
        )


def test_a_file_does_not_undo_a_withdrawal(campaign_c, clock, tmp_path):
    withdraw_e1()
    path = write(
        tmp_path,
        "bases.csv",
        HEADER + "E1,企业一,Enterprise one,enterprise,private,44,2017,active,2017-06-21\n",
    )

    with pytest.raises(InputError) as caught:
        campaign_import_plan(campaign=campaign_c, bases_path=path)

    assert [str(p) for p in caught.value.problems] == [
        f"{path}, line 2, column 'status': base 'E1' was withdrawn on 2019-06-30"
        " (发改高技〔2019〕1号); a bases file does not change that: write 'withdrawn' or leave"
        " the cell empty"
    ]
    assert BaseEvent.objects.filter(base__code="E1").count() == 1
