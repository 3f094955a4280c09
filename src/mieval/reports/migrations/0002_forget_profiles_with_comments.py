"""Stored profile files of snapshots of format 1, which froze every expert comment.

Such a snapshot cannot be corrected (it is immutable and hashed), and its comments cannot be
told apart into confidential and public ones; profiles built from it now show none of them
(``core.reports.payload.payload_comments``). Profile files built before that, which viewers
download, may print confidential comments: their records and files are removed here, and the
office builds them again from the reports page.
"""

from pathlib import Path

from django.conf import settings
from django.db import migrations

PROFILE_KINDS = ("profiles", "profile")


def forget(apps, schema_editor):
    ReportFile = apps.get_model("reports", "ReportFile")
    folder = Path(settings.DATA_DIR) / "reports"
    stale = []
    for record in ReportFile.objects.filter(kind__in=PROFILE_KINDS).select_related("snapshot"):
        payload = record.snapshot.payload or {}
        if int(payload.get("format") or 0) >= 2:
            continue
        if not (payload.get("panels") or {}).get("comments"):
            continue
        stale.append(record.pk)
        path = folder / record.path
        if path.is_file():
            path.unlink()
    ReportFile.objects.filter(pk__in=stale).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
