import pytest

from mieval.core.reports.payload import payload_hash
from mieval.lib.concurrency import ConcurrentEditError
from mieval.reports.build import report_build
from mieval.reports.models import NarrativeAudit, Snapshot, SnapshotImmutable
from mieval.reports.services import (
    narrative_save,
    report_file_store,
    snapshot_publish,
)


def _correct(campaign, raw):
    from mieval.collection.services import value_set
    from mieval.indicators.models import Indicator
    from mieval.registry.models import Base

    value_set(
        campaign=campaign,
        base=Base.objects.get(code="R1"),
        indicator=Indicator.objects.get(framework=campaign.framework, code="new_market_entities"),
        year=2016,
        raw=raw,
        actor="test",
        reason="correction",
    )


def test_publish_freezes_the_campaign_with_its_hash(campaign_c, alice):
    snapshot = snapshot_publish(campaign=campaign_c, user=alice, note="first")
    assert snapshot.sequence == 1
    assert snapshot.content_hash == payload_hash(snapshot.payload)
    assert snapshot.payload["campaign"]["code"] == "c"
    assert [b["code"] for b in snapshot.payload["bases"]] == ["E1", "R1", "R2", "U1", "U2"]
    assert snapshot.payload["framework"]["code"] == "mie-core"
    assert snapshot.payload["framework"]["version"] == 1
    assert snapshot.payload["index_runs"] == []
    assert snapshot.payload["panels"] is None
    assert snapshot.created_by == alice


def test_the_same_data_published_twice_has_the_same_hash(campaign_c, alice):
    first = snapshot_publish(campaign=campaign_c, user=alice)
    second = snapshot_publish(campaign=campaign_c, user=alice)
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.content_hash == second.content_hash


def test_a_snapshot_is_never_changed_nor_deleted(campaign_c, alice):
    snapshot = snapshot_publish(campaign=campaign_c, user=alice)
    snapshot.note = "edited"
    with pytest.raises(SnapshotImmutable):
        snapshot.save()
    with pytest.raises(SnapshotImmutable):
        snapshot.delete()
    with pytest.raises(SnapshotImmutable):
        Snapshot.objects.filter(pk=snapshot.pk).update(note="edited")
    with pytest.raises(SnapshotImmutable):
        Snapshot.objects.filter(pk=snapshot.pk).delete()
    assert Snapshot.objects.get(pk=snapshot.pk).note == ""


def test_a_correction_makes_a_new_snapshot_and_the_old_report_stays(campaign_c, alice):
    # given a published snapshot and its report
    old = snapshot_publish(campaign=campaign_c, user=alice)
    html_before = report_build(old.payload, content_hash=old.content_hash, lang="en", fmt="html")
    # when a value is corrected and the campaign published again
    _correct(campaign_c, "99999")
    new = snapshot_publish(campaign=campaign_c, user=alice, note="correction")
    # then the new snapshot differs, the old one is unchanged and rebuilds the same report
    assert new.content_hash != old.content_hash
    reloaded = Snapshot.objects.get(pk=old.pk)
    assert reloaded.content_hash == old.content_hash == payload_hash(reloaded.payload)
    html_after = report_build(
        reloaded.payload, content_hash=reloaded.content_hash, lang="en", fmt="html"
    )
    assert html_after == html_before
    assert b"99,999" not in html_after
    new_html = report_build(new.payload, content_hash=new.content_hash, lang="en", fmt="html")
    assert new_html != html_before


def test_narrative_is_frozen_in_the_snapshot(campaign_c, alice):
    narrative_save(
        campaign=campaign_c,
        kind="problems",
        text_zh="激励不足。",
        text_en="Few incentives.",
        version=0,
        user=alice,
    )
    snapshot = snapshot_publish(campaign=campaign_c, user=alice)
    assert snapshot.payload["narrative"]["problems"] == {
        "zh": "激励不足。",
        "en": "Few incentives.",
    }
    assert snapshot.payload["narrative"]["practices"] == {"zh": "", "en": ""}


def test_narrative_save_detects_a_concurrent_edit(campaign_c, alice):
    from django.utils import translation

    section = narrative_save(
        campaign=campaign_c, kind="practices", text_zh="一", text_en="one", version=0, user=alice
    )
    assert section.version == 1
    with pytest.raises(ConcurrentEditError) as raised, translation.override("en"):
        narrative_save(
            campaign=campaign_c,
            kind="practices",
            text_zh="二",
            text_en="two",
            version=0,
            user=alice,
        )
    assert str(raised.value) == (
        "Someone else saved this section since you opened it (version 1, you started from 0). "
        "Reload it and apply your changes again."
    )
    section.refresh_from_db()
    assert (section.text_zh, section.text_en, section.version) == ("一", "one", 1)
    audit = NarrativeAudit.objects.get(section=section)
    assert (audit.old_en, audit.new_en, audit.user) == ("", "one", alice)


def test_report_files_are_stored_under_the_data_dir(campaign_c, alice, settings, tmp_path):
    import hashlib

    settings.DATA_DIR = tmp_path
    snapshot = snapshot_publish(campaign=campaign_c, user=alice)
    record = report_file_store(
        snapshot=snapshot, kind="campaign", lang="zh", fmt="html", data=b"<html></html>"
    )
    path = tmp_path / "reports" / "c" / snapshot.content_hash / "campaign-zh.html"
    assert path.read_bytes() == b"<html></html>"
    assert record.path == f"c/{snapshot.content_hash}/campaign-zh.html"
    assert record.sha256 == hashlib.sha256(b"<html></html>").hexdigest()


def test_publish_snapshot_command(campaign_c):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("publish_snapshot", "c", "--note", "demo", stdout=out)
    snapshot = Snapshot.objects.get(campaign=campaign_c)
    assert out.getvalue() == f"snapshot 1 of c: {snapshot.content_hash}\n"
    assert snapshot.note == "demo"
    with pytest.raises(CommandError, match="there is no campaign 'nope'"):
        call_command("publish_snapshot", "nope")


def test_the_latest_index_run_is_frozen_with_ranks_and_intervals(campaign_c, alice):
    from mieval.analytics.models import IndexScore
    from mieval.analytics.services import index_framework_create
    from mieval.analytics.tests.test_index_run import TINY, run_index
    from mieval.registry.models import Category

    framework = index_framework_create(
        code="tiny",
        category=Category.objects.get(code="region"),
        name_zh="小指数",
        name_en="Tiny index",
        text=TINY,
    )
    run_index(campaign_c, framework, alice)
    snapshot = snapshot_publish(campaign=campaign_c, user=alice)
    (run,) = snapshot.payload["index_runs"]
    assert (run["framework"], run["version"], run["year"]) == ("tiny", 1, 2016)
    top = {s.base.code: s for s in IndexScore.objects.filter(code="T")}
    assert run["scores"] == [
        {
            "base": code,
            "score": top[code].score,
            "rank": top[code].rank,
            "median_rank": top[code].median_rank,
            "q05": top[code].q05,
            "q95": top[code].q95,
        }
        for code in ["R1", "R2"]
    ]
    html = report_build(
        snapshot.payload, content_hash=snapshot.content_hash, lang="en", fmt="html"
    ).decode()
    assert "Tiny index (tiny v1, 2016)" in html
