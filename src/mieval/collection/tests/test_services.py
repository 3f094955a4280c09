from decimal import Decimal

import pandas as pd
import pytest
from django.contrib.auth import get_user_model

from mieval.collection.models import Value, ValueAudit
from mieval.collection.selectors import campaign_import_plan
from mieval.collection.services import campaign_export, campaign_import_apply, value_set
from mieval.collection.tests.conftest import BASES_CSV, VALUES_CSV, write
from mieval.core.problems import InputError, ProblemCode
from mieval.indicators.models import Indicator
from mieval.lib.concurrency import ConcurrentEditError
from mieval.registry.models import Base, BaseChange


def import_files(campaign, bases=None, values=None, **kwargs):
    plan = campaign_import_plan(campaign=campaign, bases_path=bases, values_path=values)
    return campaign_import_apply(plan=plan, actor="alice", **kwargs)


def db_state():
    return (
        sorted(Base.objects.values_list("code", "name_en", "batch")),
        sorted(Value.objects.values_list("base__code", "indicator__code", "year", "raw")),
        ValueAudit.objects.count(),
        BaseChange.objects.count(),
    )


def test_import_creates_bases_values_and_audit(campaign, files):
    counts = import_files(campaign, files["bases"], files["values"], reason="first load")

    assert counts == {
        "bases_created": 3,
        "bases_updated": 0,
        "bases_added_to_campaign": 3,
        "values_created": 5,
        "values_updated": 0,
        "values_deleted": 0,
        "values_unchanged": 0,
    }
    assert sorted(campaign.bases.values_list("code", flat=True)) == ["R1", "R2", "U1"]
    value = Value.objects.get(base__code="R2", indicator__code="new_urban_employment")
    assert value.raw == "1.50"  # exactly as entered
    assert value.value == Decimal("1.5")
    zero = Value.objects.get(base__code="R2", indicator__code="new_market_entities")
    assert zero.value == Decimal("0")  # zero is data, stored
    audit = ValueAudit.objects.filter(base__code="R1").order_by("year")
    assert [(a.action, a.old, a.new, a.actor, a.reason) for a in audit] == [
        ("create", "", "100", "alice", "first load"),
        ("create", "", "121", "alice", "first load"),
    ]
    assert BaseChange.objects.count() == 3


def test_reimporting_the_same_files_changes_nothing(campaign, files):
    import_files(campaign, files["bases"], files["values"])
    before = db_state()

    counts = import_files(campaign, files["bases"], files["values"])

    assert counts["values_unchanged"] == 5
    assert counts["values_created"] == counts["values_updated"] == counts["bases_updated"] == 0
    assert db_state() == before


def test_changed_value_is_updated_and_audited(campaign, files, tmp_path):
    import_files(campaign, files["bases"], files["values"])
    changed = write(
        tmp_path / "changed.csv",
        "base_code,indicator_code,year,value\n"
        "R1,new_market_entities,2016,110\n"  # changed
        "R2,new_urban_employment,2016,1.5\n"  # same number, other spelling: unchanged
        "R1,new_market_entities,2017,\n",  # emptied: removed
    )

    counts = import_files(campaign, values=changed, reason="correction by the base")

    assert (counts["values_updated"], counts["values_deleted"], counts["values_unchanged"]) == (
        1,
        1,
        1,
    )
    assert Value.objects.get(base__code="R1", year=2016).raw == "110"
    assert Value.objects.get(base__code="R1", year=2016).version == 2
    assert not Value.objects.filter(base__code="R1", year=2017).exists()
    assert Value.objects.get(indicator__code="new_urban_employment").raw == "1.50"
    latest = ValueAudit.objects.filter(base__code="R1").order_by("year", "id")
    assert [(a.year, a.action, a.old, a.new, a.reason) for a in latest] == [
        (2016, "create", "", "100", ""),
        (2016, "update", "100", "110", "correction by the base"),
        (2017, "create", "", "121", ""),
        (2017, "delete", "121", "", "correction by the base"),
    ]


def test_changed_base_is_updated_and_recorded(campaign, files, tmp_path):
    import_files(campaign, files["bases"])
    renamed = write(tmp_path / "b.csv", BASES_CSV.replace("Region one", "Region One (new)"))

    counts = import_files(campaign, bases=renamed)

    assert (counts["bases_created"], counts["bases_updated"]) == (0, 1)
    change = BaseChange.objects.filter(base__code="R1").order_by("-id").first()
    assert change.changes == {"name_en": ["Region one", "Region One (new)"]}


def test_bad_files_are_refused_whole_and_nothing_is_written(campaign, files, tmp_path):
    import_files(campaign, files["bases"], files["values"])
    before = db_state()
    bad_bases = write(
        tmp_path / "bad_bases.csv",
        BASES_CSV + "R9,新,New,region,st_university,11,2017\n",  # subcategory of another category
    )
    bad_values = write(
        tmp_path / "bad_values.csv",
        "base_code,indicator_code,year,value\n"
        "R1,new_market_entities,2016,999\n"  # fine, but must not be written
        "R1,new_market_entities,2019,5\n"  # outside 2016-2018
        "XX,new_market_entities,2016,5\n"  # unknown base
        "R2,patents_granted,2017,-3\n"  # negative count
        "R2,patents_granted,2018,12.123456789\n",  # more decimals than stored exactly
    )

    with pytest.raises(InputError) as caught:
        campaign_import_plan(campaign=campaign, bases_path=bad_bases, values_path=bad_values)

    found = [(p.file.rsplit("/", 1)[-1], p.line, p.code) for p in caught.value.problems]
    assert found == [
        ("bad_bases.csv", 5, ProblemCode.INCONSISTENT),
        ("bad_values.csv", 3, ProblemCode.YEAR_OUTSIDE_CAMPAIGN),
        ("bad_values.csv", 4, ProblemCode.UNKNOWN_CODE),
        ("bad_values.csv", 5, ProblemCode.NEGATIVE),
        ("bad_values.csv", 6, ProblemCode.OUT_OF_RANGE),
    ]
    assert db_state() == before


def test_base_outside_the_campaign_is_refused(campaign, files, tmp_path, db):
    from mieval.collection.services import campaign_create

    import_files(campaign, files["bases"])
    other = campaign_create(code="other", first_year=2016, last_year=2018)

    with pytest.raises(InputError) as caught:
        campaign_import_plan(campaign=other, values_path=files["values"])

    assert {p.code for p in caught.value.problems} == {ProblemCode.UNKNOWN_CODE}
    assert len(caught.value.problems) == 5


def test_value_set_audits_and_refuses_a_stale_edit(campaign, files):
    import_files(campaign, files["bases"], files["values"])
    alice = get_user_model().objects.create_user("alice_analyst")
    base = Base.objects.get(code="R1")
    indicator = Indicator.objects.get(code="new_market_entities")

    value = value_set(
        campaign=campaign,
        base=base,
        indicator=indicator,
        year=2016,
        raw="105",
        user=alice,
        actor="alice_analyst",
        reason="typo",
        expected_version=1,
    )

    assert (value.raw, value.version) == ("105", 2)
    audit = ValueAudit.objects.filter(base=base, year=2016).order_by("-id").first()
    assert (audit.old, audit.new, audit.user, audit.reason) == ("100", "105", alice, "typo")
    with pytest.raises(ConcurrentEditError):
        value_set(
            campaign=campaign,
            base=base,
            indicator=indicator,
            year=2016,
            raw="106",
            actor="bob",
            reason="late edit",
            expected_version=1,
        )
    assert Value.objects.get(base=base, indicator=indicator, year=2016).raw == "105"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_reimport_changes_nothing(campaign, files, tmp_path, fmt):
    import_files(campaign, files["bases"], files["values"])
    before = db_state()

    paths = campaign_export(campaign=campaign, out_dir=tmp_path / "out", fmt=fmt)
    plan = campaign_import_plan(
        campaign=campaign,
        indicators_path=paths["indicators"],
        bases_path=paths["bases"],
        values_path=paths["values"],
    )
    counts = campaign_import_apply(plan=plan, actor="alice")

    assert counts["values_unchanged"] == 5
    assert counts["bases_updated"] == 0
    assert db_state() == before
    campaign.refresh_from_db()
    assert str(campaign.framework) == "mie-core v1"
    if fmt == "csv":
        text = paths["values"].read_bytes()
        assert text.startswith(b"\xef\xbb\xbf")
        assert text.decode("utf-8-sig") == VALUES_CSV


def _truncated_xlsx(path):
    from mieval.core.tables.files import write_table

    good = path.with_name("good.xlsx")
    write_table(pd.DataFrame({"base_code": ["R1"], "indicator_code": ["x"], "year": [2016]}), good)
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])


BAD_VALUES_FILES = {
    "empty.csv": lambda p: p.write_bytes(b""),
    "bom_only.csv": lambda p: p.write_bytes(b"\xef\xbb\xbf"),
    "misspelt_header.csv": lambda p: p.write_text("base_code,indicator,year,value\n"),
    "truncated.xlsx": _truncated_xlsx,
    "renamed_csv.xlsx": lambda p: p.write_text(VALUES_CSV),
    "duplicates.csv": lambda p: p.write_text(VALUES_CSV + "R1,new_market_entities,2016,100\n"),
    "text.csv": lambda p: p.write_text(VALUES_CSV + "R1,patents_granted,2016,12 patents\n"),
}


@pytest.mark.parametrize("name", sorted(BAD_VALUES_FILES))
def test_each_kind_of_bad_file_leaves_the_database_unchanged(campaign, files, tmp_path, name):
    import_files(campaign, files["bases"], files["values"])
    before = db_state()
    path = tmp_path / name
    BAD_VALUES_FILES[name](path)

    with pytest.raises(InputError) as caught:
        import_files(campaign, values=path)

    assert all(p.file == str(path) for p in caught.value.problems)
    assert db_state() == before


def test_gbk_and_bom_files_import_with_a_notice(campaign, tmp_path):
    bases = tmp_path / "bases_gbk.csv"
    bases.write_bytes(BASES_CSV.encode("gbk"))
    values = tmp_path / "values_bom.csv"
    values.write_bytes(VALUES_CSV.encode("utf-8-sig"))
    notices = []

    plan = campaign_import_plan(
        campaign=campaign, bases_path=bases, values_path=values, on_notice=notices.append
    )
    campaign_import_apply(plan=plan, actor="alice")

    assert len(notices) == 1 and "GB18030" in notices[0]
    assert Base.objects.get(code="R1").name_zh == "区域一"
    assert Value.objects.count() == 5


INDICATORS_CSV = """code,name_zh,name_en,unit,direction,stat,categories
new_market_entities,新增市场主体数量,Newly established market entities,count,1,sum,region
green_patents,绿色专利数量,Green patents,count,1,median,
"""


def test_an_indicators_file_gives_the_campaign_its_own_framework_version(campaign, files, tmp_path):
    indicators = write(tmp_path / "indicators.csv", INDICATORS_CSV)
    values = write(
        tmp_path / "v.csv",
        "base_code,indicator_code,year,value\nR1,green_patents,2017,4\nU1,green_patents,2017,6\n",
    )

    plan = campaign_import_plan(
        campaign=campaign,
        indicators_path=indicators,
        bases_path=files["bases"],
        values_path=values,
    )
    campaign_import_apply(plan=plan, actor="alice")

    campaign.refresh_from_db()
    assert (campaign.framework.code, campaign.framework.version) == ("c2016", 1)
    assert list(campaign.framework.indicators.values_list("code", "stat")) == [
        ("new_market_entities", "sum"),
        ("green_patents", "median"),
    ]
    assert Value.objects.filter(indicator__code="green_patents").count() == 2
    # The same file again: the same version, nothing new.
    again = campaign_import_plan(campaign=campaign, indicators_path=indicators)
    campaign_import_apply(plan=again, actor="alice")
    campaign.refresh_from_db()
    assert campaign.framework.version == 1


def test_a_campaign_with_values_keeps_its_framework(campaign, files, tmp_path):
    import_files(campaign, files["bases"], files["values"])
    indicators = write(tmp_path / "indicators.csv", INDICATORS_CSV)

    with pytest.raises(InputError) as caught:
        campaign_import_plan(campaign=campaign, indicators_path=indicators)

    [problem] = caught.value.problems
    assert problem.code == ProblemCode.INCONSISTENT
    assert "already holds 5 values under framework mie-core v1" in problem.message


def test_export_includes_the_framework(campaign, files, tmp_path):
    import_files(campaign, files["bases"], files["values"])

    paths = campaign_export(campaign=campaign, out_dir=tmp_path / "out")

    text = paths["indicators"].read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("code,name_zh,name_en,unit,direction,stat,categories")
    assert "univ_ie_education_investment" in text
    assert len(text.splitlines()) == 13


# --- values_save: several values of one base at once ----------------------------------------


def test_values_save_writes_every_edit_and_skips_equal_numbers(campaign, files):
    from mieval.collection.services import ValueEdit, values_save

    import_files(campaign, files["bases"], files["values"])
    audits = ValueAudit.objects.count()
    r1 = Base.objects.get(code="R1")

    changed = values_save(
        campaign=campaign,
        base=r1,
        edits=[
            ValueEdit("new_market_entities", 2016, "110", 1),
            ValueEdit("new_market_entities", 2017, "121.0", 1),  # the same number
            ValueEdit("new_market_entities", 2018, "130", 0),
        ],
        actor="bob",
    )

    assert changed == 2
    assert sorted(
        Value.objects.filter(base=r1).values_list("year", "raw", "version", "source")
    ) == [(2016, "110", 2, "form"), (2017, "121", 1, "import"), (2018, "130", 1, "form")]
    assert ValueAudit.objects.count() == audits + 2


def test_values_save_reports_every_conflict_and_writes_nothing(campaign, files):
    from mieval.collection.services import ValueEdit, values_save

    import_files(campaign, files["bases"], files["values"])
    r1 = Base.objects.get(code="R1")
    before = db_state()

    with pytest.raises(ConcurrentEditError) as caught:
        values_save(
            campaign=campaign,
            base=r1,
            edits=[
                ValueEdit("new_market_entities", 2016, "110", 1),  # current: fine
                ValueEdit("new_market_entities", 2017, "122", 0),  # stored meanwhile
                ValueEdit("new_market_entities", 2018, "130", 3),  # removed meanwhile
            ],
            actor="bob",
        )

    conflicts = caught.value.conflicts
    assert [(c.edit.year, c.current.raw if c.current else None) for c in conflicts] == [
        (2017, "121"),
        (2018, None),
    ]
    assert db_state() == before


# issue 13: a campaign of the years 1-10**20 made every listing of its years (the API's
# CampaignOut.years) build a range of 10**20 numbers.
@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (2016, 10**20, "last year 100000000000000000000 is outside the allowed range 1900 to 2100"),
        (1, 2018, "first year 1 is outside the allowed range 1900 to 2100"),
    ],
)
def test_campaign_years_are_bounded(db, first, last, message):
    from mieval.collection.models import Campaign
    from mieval.collection.services import campaign_create

    with pytest.raises(ValueError, match=message):
        campaign_create(code="x", first_year=first, last_year=last)
    assert not Campaign.objects.exists()
