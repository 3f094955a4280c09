"""Remove the values that SQLite holds but Django cannot read back, auditing each.

Before the one value checker (``mieval.core.values``), an upload could store a number such as
``1e20`` or ``99999999999999999999``: SQLite keeps it as a REAL of 10^20, which Django's
decimal converter cannot read back into numeric(28, 8), so every page and API call that read
the base's values answered 500 and no edit could replace it. Such a value is not a figure
anyone can use; it is removed, and the removal is audited with the text as entered (``old``)
and the reason, so that the base can enter the figure again. PostgreSQL's numeric(28, 8)
never held such a value (it refused it), so there is nothing to do there.
"""

from decimal import InvalidOperation

from django.db import migrations
from django.utils import timezone

ACTOR = "mieval (migration collection 0003)"
REASON = (
    "The stored figure {raw} could not be read back: a value has at most 15 significant "
    "digits and 8 decimal places and lies between -10^20 and 10^20. It was removed so that "
    "the campaign's pages work again; enter the figure again."
)


def unreadable_value_ids(apps, connection) -> list[int]:
    """The values whose stored number Django cannot read back (SQLite only)."""
    if connection.vendor != "sqlite":
        return []
    Value = apps.get_model("collection", "Value")
    table = connection.ops.quote_name(Value._meta.db_table)
    with connection.cursor() as cursor:
        # A cheap first cut (numbers near 10^20, or text such as 'NaN'); each is then read the
        # way every page reads it.
        cursor.execute(
            f"SELECT id FROM {table} "
            "WHERE typeof(value) NOT IN ('integer', 'real') OR ABS(value) >= 1e19"
        )
        candidates = [row[0] for row in cursor.fetchall()]
    unreadable = []
    for pk in candidates:
        try:
            Value.objects.filter(pk=pk).values_list("value", flat=True).get()
        except (InvalidOperation, TypeError, ValueError):
            unreadable.append(pk)
    return unreadable


def remove_unreadable_values(apps, schema_editor) -> None:
    Value = apps.get_model("collection", "Value")
    ValueAudit = apps.get_model("collection", "ValueAudit")
    ids = unreadable_value_ids(apps, schema_editor.connection)
    if not ids:
        return
    now = timezone.now()
    rows = Value.objects.filter(pk__in=ids).values_list(
        "campaign_id", "base_id", "indicator_id", "year", "raw"
    )
    ValueAudit.objects.bulk_create(
        ValueAudit(
            campaign_id=campaign,
            base_id=base,
            indicator_id=indicator,
            year=year,
            action="delete",
            old=raw,
            new="",
            reason=REASON.format(raw=raw),
            source="admin",
            source_detail="migration collection 0003",
            user=None,
            actor=ACTOR,
            at=now,
        )
        for campaign, base, indicator, year, raw in rows
    )
    Value.objects.filter(pk__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [("collection", "0002_submissions_queries_evidence_rules")]

    operations = [
        migrations.RunPython(remove_unreadable_values, migrations.RunPython.noop, elidable=True)
    ]
