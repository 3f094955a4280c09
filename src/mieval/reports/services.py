"""Writes of the reports app: publish a snapshot, save a narrative section, store built files."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from mieval.core.reports.payload import payload_hash
from mieval.lib.concurrency import ConcurrentEditError
from mieval.reports.models import NarrativeAudit, NarrativeSection, ReportFile, Snapshot


@transaction.atomic
def snapshot_publish(*, campaign, user=None, note: str = "", build: bool = True) -> Snapshot:
    """Freeze the campaign's data and results as a new snapshot (numbered 1, 2, ...) and, with
    ``build``, queue the job that builds its campaign report files."""
    from mieval.collection.models import Campaign
    from mieval.reports.selectors import campaign_payload

    # Lock the campaign row so that two publications get distinct sequence numbers.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    payload = campaign_payload(campaign)
    last = Snapshot.objects.filter(campaign=campaign).aggregate(n=Max("sequence"))["n"] or 0
    snapshot = Snapshot.objects.create(
        campaign=campaign,
        sequence=last + 1,
        content_hash=payload_hash(payload),
        payload=payload,
        note=note,
        created_by=user,
    )
    if build:
        from mieval.jobs.services import job_enqueue

        job_enqueue(kind="report_campaign", params={"snapshot": snapshot.pk}, user=user)
    return snapshot


@transaction.atomic
def narrative_save(
    *, campaign, kind: str, text_zh: str, text_en: str, version: int, user
) -> NarrativeSection:
    """Save one section in both languages. ``version`` is the version the editor started
    from; a different current version raises
    :class:`~mieval.lib.concurrency.ConcurrentEditError`, nothing saved."""
    if kind not in NarrativeSection.Kind.values:
        raise ValueError(f"'{kind}' is not a narrative section")
    section, _created = NarrativeSection.objects.select_for_update().get_or_create(
        campaign=campaign, kind=kind
    )
    if section.version != version:
        raise ConcurrentEditError(
            _(
                "Someone else saved this section since you opened it (version %(current)s, "
                "you started from %(yours)s). Reload it and apply your changes again."
            )
            % {"current": section.version, "yours": version}
        )
    old_zh, old_en = section.text_zh, section.text_en
    section.text_zh, section.text_en = text_zh.strip(), text_en.strip()
    section.version += 1
    section.updated_by = user
    section.save(update_fields=["text_zh", "text_en", "version", "updated_by", "updated_at"])
    NarrativeAudit.objects.create(
        section=section,
        version=section.version,
        old_zh=old_zh,
        old_en=old_en,
        new_zh=section.text_zh,
        new_en=section.text_en,
        user=user,
    )
    return section


def reports_dir() -> Path:
    return Path(settings.DATA_DIR) / "reports"


@transaction.atomic
def report_file_store(
    *, snapshot: Snapshot, kind: str, lang: str, fmt: str, data: bytes, base_code: str = ""
) -> ReportFile:
    """Write a built file under ``MIEVAL_DATA_DIR/reports/<campaign>/<hash>/`` and record it
    (a rebuild of the same file replaces the record; the content is the same)."""
    name = f"{kind}{'-' + base_code if base_code else ''}-{lang}.{fmt}"
    folder = reports_dir() / snapshot.campaign.code / snapshot.content_hash
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    temporary = path.with_suffix(path.suffix + ".part")
    temporary.write_bytes(data)
    temporary.replace(path)
    record, _created = ReportFile.objects.update_or_create(
        snapshot=snapshot,
        kind=kind,
        base_code=base_code,
        lang=lang,
        fmt=fmt,
        defaults={
            "path": str(path.relative_to(reports_dir())),
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        },
    )
    return record
