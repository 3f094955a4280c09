"""Bases files imported before the lifecycle existed kept their ``status`` and ``designated``
columns as further attributes. Those now are lifecycle events: a valid ``designated`` date in
the batch's year becomes the designation, ``withdrawn`` or ``merged`` an ending event dated the
day of this migration (the file gave no date), both marked as from a bases file and audited.
The two keys leave the attributes either way, so that a later import does not see them change.

The rules are written out here, not imported, so that this step stays what it was.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone

ACTOR = "migration registry 0005"
REASON = "from the bases file"


def forward(apps, schema_editor):
    Base = apps.get_model("registry", "Base")
    BaseEvent = apps.get_model("registry", "BaseEvent")
    BaseChange = apps.get_model("registry", "BaseChange")
    now = timezone.now()
    today = timezone.localdate(now)
    for base in Base.objects.filter(attributes__has_any_keys=["status", "designated"]):
        changes = {}
        events = []
        designated = _date(base.attributes.pop("designated", ""))
        if designated is not None and designated.year == base.batch:
            events.append(BaseEvent(base=base, kind="designated", date=designated))
            changes["designated"] = [None, designated.isoformat()]
        status = str(base.attributes.pop("status", "")).strip()
        if status in ("withdrawn", "merged"):
            events.append(BaseEvent(base=base, kind=status, date=today, reason=REASON))
            changes["status"] = ["active", status]
        base.version += 1
        base.save(update_fields=["attributes", "version"])
        for event in events:
            event.source = "file"
            event.recorded_at = now
            event.save()
        if changes:
            BaseChange.objects.create(
                base=base, changes=changes, actor=ACTOR, at=now, reason=REASON
            )


def _date(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        return None


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_base_lifecycle")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
