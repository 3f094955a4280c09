"""A base's lifecycle: designation, renaming, merger and withdrawal (摘牌) as dated, audited events.

Given the bases of campaign ``c`` (R1 and U1 of batch 2016, R2, U2 and E1 of 2017), when the
office records an event, then exactly this event and these audit rows are written, the base's
status and names follow, and a refused event writes nothing. The clock is frozen at
2026-03-01 09:00 UTC (17:00 in Beijing, the site's time zone).
"""

import datetime as dt
from datetime import UTC, datetime

import pytest
from django.utils import translation

from mieval.lib.concurrency import ConcurrentEditError
from mieval.registry.models import Base, BaseChange, BaseEvent
from mieval.registry.services import (
    LifecycleCode,
    LifecycleError,
    base_designate,
    base_merge,
    base_rename,
    base_update,
    base_withdraw,
)

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


def base(code: str) -> Base:
    return Base.objects.get(code=code)


def events(code: str) -> list[tuple]:
    return list(
        BaseEvent.objects.filter(base__code=code).values_list(
            "kind", "date", "document_number", "document_title", "reason", "source"
        )
    )


def audit(code: str) -> list[tuple]:
    return list(
        BaseChange.objects.filter(base__code=code, event__isnull=False)
        .order_by("id")
        .values_list("changes", "user__username", "actor", "at", "reason", "event__kind")
    )


def codes(problems) -> list[tuple]:
    return [(p.code, p.field, p.message) for p in problems]


# --- designation ------------------------------------------------------------------------------


def test_a_designation_is_recorded_with_its_document_and_file_and_audited(
    campaign_c, alice, clock, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path

    event = base_designate(
        base=base("R1"),
        date=dt.date(2016, 5, 12),
        document_title="国务院办公厅关于建设大众创业万众创新示范基地的实施意见",
        document_number="国办发〔2016〕35号",
        document_file_name="notice.pdf",
        document_file_data=PDF,
        expected_version=1,
        user=alice,
        actor="alice",
    )

    assert events("R1") == [
        (
            "designated",
            dt.date(2016, 5, 12),
            "国办发〔2016〕35号",
            "国务院办公厅关于建设大众创业万众创新示范基地的实施意见",
            "",
            "office",
        )
    ]
    assert (event.document_file_name, event.document_content_type, event.document_size) == (
        "notice.pdf",
        "application/pdf",
        len(PDF),
    )
    assert event.document_file.read() == PDF
    assert audit("R1") == [
        (
            {
                "event": [None, "designated"],
                "date": [None, "2016-05-12"],
                "document": [
                    None,
                    "国办发〔2016〕35号 国务院办公厅关于建设大众创业万众创新示范基地的实施意见",
                ],
                "document_file": [None, "notice.pdf"],
            },
            "alice",
            "alice",
            NOW,
            "",
            "designated",
        )
    ]
    r1 = base("R1")
    assert (r1.version, r1.designated_on, r1.status) == (2, dt.date(2016, 5, 12), "active")


def test_a_second_designation_corrects_the_first_and_audits_what_differs(campaign_c, alice, clock):
    base_designate(
        base=base("R1"), date=dt.date(2016, 5, 12), document_number="国办发〔2016〕35号", actor="a"
    )

    base_designate(
        base=base("R1"),
        date=dt.date(2016, 5, 8),
        document_number="国办发〔2016〕35号",
        user=alice,
        actor="alice",
        reason="the document's date",
    )

    assert events("R1") == [
        ("designated", dt.date(2016, 5, 8), "国办发〔2016〕35号", "", "", "office")
    ]
    assert audit("R1")[1] == (
        {"event": ["designated", "designated"], "date": ["2016-05-12", "2016-05-08"]},
        "alice",
        "alice",
        NOW,
        "the document's date",
        "designated",
    )


def test_a_designation_is_dated_in_the_batch_year_and_needs_a_document(campaign_c, clock):
    with pytest.raises(LifecycleError) as caught:
        base_designate(base=base("R1"), date=dt.date(2017, 6, 21), actor="alice")

    assert codes(caught.value.problems) == [
        (
            LifecycleCode.NOT_IN_BATCH_YEAR,
            "date",
            "The base is of batch 2016; its designation is dated in 2016. To change its batch,"
            " edit the base first.",
        ),
        (LifecycleCode.REQUIRED, "document_title", "Give the document's title or number."),
    ]
    assert events("R1") == []
    assert base("R1").version == 1


# --- renaming ---------------------------------------------------------------------------------


def test_a_renaming_changes_the_names_and_keeps_the_old_ones_in_the_history(
    campaign_c, alice, clock
):
    event = base_rename(
        base=base("R1"),
        date=dt.date(2021, 7, 1),
        name_zh="区域一新区",
        name_en="Region one new area",
        document_number="京政函〔2021〕8号",
        user=alice,
        actor="alice",
    )

    r1 = base("R1")
    assert (r1.name_zh, r1.name_en, r1.version) == ("区域一新区", "Region one new area", 2)
    assert (event.old_name_zh, event.old_name_en, event.new_name_zh, event.new_name_en) == (
        "区域一",
        "Region one",
        "区域一新区",
        "Region one new area",
    )
    assert audit("R1") == [
        (
            {
                "event": [None, "renamed"],
                "date": [None, "2021-07-01"],
                "document": [None, "京政函〔2021〕8号"],
                "name_zh": ["区域一", "区域一新区"],
                "name_en": ["Region one", "Region one new area"],
            },
            "alice",
            "alice",
            NOW,
            "",
            "renamed",
        )
    ]
    # Which names held when: the old ones up to the day before the renaming.
    assert r1.names_on(dt.date(2018, 12, 31)) == ("区域一", "Region one")
    assert r1.names_on(dt.date(2021, 6, 30)) == ("区域一", "Region one")
    assert r1.names_on(dt.date(2021, 7, 1)) == ("区域一新区", "Region one new area")


def test_two_renamings_give_each_period_its_names(campaign_c, clock):
    base_rename(base=base("R1"), date=dt.date(2019, 1, 1), name_zh="甲", name_en="A", actor="a")
    base_rename(base=base("R1"), date=dt.date(2022, 1, 1), name_zh="乙", name_en="B", actor="a")

    r1 = base("R1")
    assert [r1.names_on(dt.date(year, 6, 1)) for year in (2018, 2020, 2023)] == [
        ("区域一", "Region one"),
        ("甲", "A"),
        ("乙", "B"),
    ]


def test_a_renaming_refuses_the_same_names_a_date_to_come_and_one_out_of_order(campaign_c, clock):
    base_rename(base=base("R1"), date=dt.date(2022, 1, 1), name_zh="甲", name_en="A", actor="a")

    with pytest.raises(LifecycleError) as caught:
        base_rename(base=base("R1"), date=dt.date(2026, 3, 2), name_zh="甲", name_en="A", actor="a")
    with pytest.raises(LifecycleError) as earlier:
        base_rename(base=base("R1"), date=dt.date(2021, 1, 1), name_zh="乙", name_en="", actor="a")

    assert codes(caught.value.problems) == [
        (
            LifecycleCode.DATE_IN_FUTURE,
            "date",
            "2026-03-02 is still to come; an event is recorded once it has taken effect.",
        ),
        (
            LifecycleCode.NAMES_UNCHANGED,
            "name_zh",
            "These are the base's names already; a renaming changes at least one of them.",
        ),
    ]
    assert codes(earlier.value.problems) == [
        (
            LifecycleCode.BEFORE_LAST_EVENT,
            "date",
            "The base's renaming on 2022-01-01 comes after this date; record the events of a"
            " base in the order they took effect.",
        ),
        (LifecycleCode.REQUIRED, "name_en", "Give the new name in both languages."),
    ]
    assert [e[0] for e in events("R1")] == ["renamed"]
    assert base("R1").name_zh == "甲"


# --- merger -----------------------------------------------------------------------------------


def test_a_merger_ends_the_base_and_shows_in_both_histories(campaign_c, alice, clock):
    event = base_merge(
        base=base("R2"),
        into=base("R1"),
        date=dt.date(2021, 3, 15),
        document_number="国办函〔2021〕20号",
        reason="区划调整",
        user=alice,
        actor="alice",
    )

    assert (event.kind, event.merged_into.code) == ("merged", "R1")
    assert (base("R2").status, base("R2").status_label(), base("R1").status) == (
        "merged",
        "merged",
        "active",
    )
    assert audit("R2") == [
        (
            {
                "event": [None, "merged"],
                "date": [None, "2021-03-15"],
                "document": [None, "国办函〔2021〕20号"],
                "status": ["active", "merged"],
                "merged_into": [None, "R1"],
            },
            "alice",
            "alice",
            NOW,
            "区划调整",
            "merged",
        )
    ]
    assert audit("R1") == [
        (
            {"absorbed": [None, "R2"], "date": [None, "2021-03-15"]},
            "alice",
            "alice",
            NOW,
            "区划调整",
            "merged",
        )
    ]
    # A merged base takes no further event.
    with pytest.raises(LifecycleError) as caught:
        base_withdraw(
            base=base("R2"), date=dt.date(2022, 1, 1), reason="x", document_number="y", actor="a"
        )
    assert codes(caught.value.problems) == [
        (LifecycleCode.ENDED, None, "The base's lifecycle has ended: merger on 2021-03-15.")
    ]


def test_a_base_merges_only_into_another_active_base(campaign_c, clock):
    base_withdraw(
        base=base("U2"), date=dt.date(2020, 1, 1), reason="r", document_number="d", actor="a"
    )

    with pytest.raises(LifecycleError) as itself:
        base_merge(base=base("R2"), into=base("R2"), date=dt.date(2021, 1, 1), actor="a")
    with pytest.raises(LifecycleError) as ended:
        base_merge(base=base("R2"), into=base("U2"), date=dt.date(2021, 1, 1), actor="a")

    assert codes(itself.value.problems) == [
        (LifecycleCode.MERGE_TARGET, "into", "A base cannot be merged into itself.")
    ]
    assert codes(ended.value.problems) == [
        (
            LifecycleCode.MERGE_TARGET,
            "into",
            "The base U2 is not an active base on that date (withdrawn, batch 2017).",
        )
    ]
    assert base("R2").status == "active"


# --- withdrawal -------------------------------------------------------------------------------


def test_a_withdrawal_ends_the_base_and_is_audited(campaign_c, alice, clock):
    base_withdraw(
        base=base("E1"),
        date=dt.date(2019, 6, 30),
        document_title="关于撤销部分示范基地的通知",
        document_number="发改高技〔2019〕1号",
        reason="连续两年评估不合格",
        expected_version=1,
        user=alice,
        actor="alice",
    )

    assert events("E1") == [
        (
            "withdrawn",
            dt.date(2019, 6, 30),
            "发改高技〔2019〕1号",
            "关于撤销部分示范基地的通知",
            "连续两年评估不合格",
            "office",
        )
    ]
    assert audit("E1") == [
        (
            {
                "event": [None, "withdrawn"],
                "date": [None, "2019-06-30"],
                "document": [None, "发改高技〔2019〕1号 关于撤销部分示范基地的通知"],
                "status": ["active", "withdrawn"],
            },
            "alice",
            "alice",
            NOW,
            "连续两年评估不合格",
            "withdrawn",
        )
    ]
    assert base("E1").status == "withdrawn"
    # Campaign c (2016-2018) began before the withdrawal: E1 stays in it.
    assert list(campaign_c.bases.filter(code="E1").values_list("code", flat=True)) == ["E1"]


def test_a_withdrawal_needs_a_document_and_a_reason(campaign_c, clock):
    with pytest.raises(LifecycleError) as caught:
        base_withdraw(base=base("E1"), date=dt.date(2019, 6, 30), reason=" ", actor="alice")

    assert codes(caught.value.problems) == [
        (LifecycleCode.REQUIRED, "document_title", "Give the document's title or number."),
        (LifecycleCode.REQUIRED, "reason", "Give the reason."),
    ]
    assert (events("E1"), base("E1").version) == ([], 1)


def test_a_withdrawal_refuses_a_document_file_that_is_not_one(campaign_c, clock):
    with pytest.raises(LifecycleError) as caught:
        base_withdraw(
            base=base("E1"),
            date=dt.date(2019, 6, 30),
            reason="r",
            document_number="d",
            document_file_name="notice.pdf",
            document_file_data=b"MZ\x90\x00 not a pdf",
            actor="alice",
        )

    assert codes(caught.value.problems) == [
        (
            LifecycleCode.DOCUMENT_FILE,
            "document_file",
            "The file 'notice.pdf' is not a PDF, PNG, JPEG, XLSX or DOCX file (allowed: .docx,"
            " .jpeg, .jpg, .pdf, .png, .xlsx).",
        )
    ]
    assert events("E1") == []


def test_an_event_on_a_base_changed_meanwhile_is_refused(campaign_c, clock):
    read = base("E1")
    base_rename(base=base("E1"), date=dt.date(2020, 1, 1), name_zh="企业甲", name_en="A", actor="a")

    with pytest.raises(ConcurrentEditError) as caught:
        base_withdraw(
            base=read,
            date=dt.date(2021, 1, 1),
            reason="r",
            document_number="d",
            expected_version=read.version,
            actor="b",
        )

    assert caught.value.message == (
        "Someone else changed the base E1 while you were editing it (version 2, you read version"
        " 1); nothing was saved. Reload the page and make your change again."
    )
    assert [e[0] for e in events("E1")] == ["renamed"]


def test_the_edit_page_service_detects_a_concurrent_edit_too(campaign_c, clock):
    read = base("R1")
    base_rename(base=base("R1"), date=dt.date(2020, 1, 1), name_zh="甲", name_en="A", actor="a")

    with pytest.raises(ConcurrentEditError):
        base_update(
            base=read,
            name_zh="区域一",
            name_en="Region one",
            subcategory="urban_district",
            province="11",
            batch=2016,
            actor="b",
            expected_version=read.version,
        )

    assert base("R1").name_zh == "甲"


# --- status and the years a base is active in -------------------------------------------------


def test_status_filters_and_the_years_a_base_is_active_in(
    campaign_c, clock, django_assert_num_queries
):
    base_withdraw(
        base=base("E1"), date=dt.date(2019, 6, 30), reason="r", document_number="d", actor="a"
    )
    base_merge(base=base("R2"), into=base("R1"), date=dt.date(2019, 12, 31), actor="a")
    base_merge(base=base("U2"), into=base("U1"), date=dt.date(2020, 1, 1), actor="a")

    def found(queryset) -> list[str]:
        return sorted(queryset.values_list("code", flat=True))

    assert found(Base.objects.with_status("active")) == ["R1", "U1"]
    assert found(Base.objects.with_status("withdrawn")) == ["E1"]
    assert found(Base.objects.with_status("merged")) == ["R2", "U2"]
    # Batch 2017 is not active in 2016; E1, withdrawn in mid-2019, counts in 2019 and no more
    # from 2020 on, like R2, merged on the last day of 2019; U2, merged on 1 January 2020,
    # ended during 2020 and counts in it.
    assert found(Base.objects.active_in(2016, 2016)) == ["R1", "U1"]
    assert found(Base.objects.active_in(2016, 2018)) == ["E1", "R1", "R2", "U1", "U2"]
    assert found(Base.objects.active_in(2019, 2021)) == ["E1", "R1", "R2", "U1", "U2"]
    assert found(Base.objects.active_in(2020, 2022)) == ["R1", "U1", "U2"]
    assert found(Base.objects.active_in(2021, 2022)) == ["R1", "U1"]
    assert base("E1").is_active_in(2019, 2019) is True
    assert base("E1").is_active_in(2020, 2022) is False
    assert base("U2").is_active_in(2016, 2016) is False
    with django_assert_num_queries(1):
        listed = [(b.code, b.status, b.ending()) for b in Base.objects.with_lifecycle()]
    assert listed == [
        ("E1", "withdrawn", ("withdrawn", dt.date(2019, 6, 30))),
        ("R1", "active", None),
        ("R2", "merged", ("merged", dt.date(2019, 12, 31))),
        ("U1", "active", None),
        ("U2", "merged", ("merged", dt.date(2020, 1, 1))),
    ]


def test_an_event_is_dated_in_the_years_of_the_base(campaign_c, clock):
    with pytest.raises(LifecycleError) as early:
        base_rename(
            base=base("R1"), date=dt.date(2015, 12, 31), name_zh="甲", name_en="A", actor="a"
        )
    with pytest.raises(LifecycleError) as ancient:
        base_rename(base=base("R1"), date=dt.date(1800, 1, 1), name_zh="甲", name_en="A", actor="a")

    assert codes(early.value.problems) == [
        (
            LifecycleCode.BEFORE_LAST_EVENT,
            "date",
            "The base was designated in batch 2016; the events of its lifecycle are dated from"
            " 2016 on.",
        )
    ]
    assert codes(ancient.value.problems) == [
        (LifecycleCode.OUT_OF_RANGE, "date", "Give a date between 1900 and 2100.")
    ]
