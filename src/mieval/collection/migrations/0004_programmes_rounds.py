"""Programmes and rounds: every campaign belongs to a programme as one of its rounds.

The campaigns that existed before go into the default programme, numbered 1, 2, ... in order of
their first year (then last year, then code), so that the oldest is round 1. The fields become
required in the next migration: PostgreSQL refuses to alter a table in the transaction that
updated its rows' foreign keys ("pending trigger events").
"""

import django.db.models.deletion
from django.db import migrations, models

DEFAULT_CODE = "mie-bases"
DEFAULT_NAME_ZH = "国家双创示范基地评估"
DEFAULT_NAME_EN = "Evaluation of the national MIE demonstration bases"


def campaigns_into_default_programme(apps, schema_editor):
    Programme = apps.get_model("collection", "Programme")
    Campaign = apps.get_model("collection", "Campaign")
    programme, _ = Programme.objects.get_or_create(
        code=DEFAULT_CODE, defaults={"name_zh": DEFAULT_NAME_ZH, "name_en": DEFAULT_NAME_EN}
    )
    ordered = Campaign.objects.order_by("first_year", "last_year", "code")
    for number, campaign in enumerate(ordered, start=1):
        campaign.programme = programme
        campaign.round = number
        campaign.save(update_fields=["programme", "round"])


class Migration(migrations.Migration):
    dependencies = [("collection", "0003_remove_unreadable_values")]

    operations = [
        migrations.CreateModel(
            name="Programme",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=60, unique=True, verbose_name="code")),
                ("name_zh", models.CharField(max_length=200, verbose_name="Chinese name")),
                ("name_en", models.CharField(max_length=200, verbose_name="English name")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
            ],
            options={
                "verbose_name": "programme",
                "verbose_name_plural": "programmes",
                "ordering": ["code"],
            },
        ),
        migrations.AddField(
            model_name="campaign",
            name="programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="campaigns",
                to="collection.programme",
                verbose_name="programme",
            ),
        ),
        migrations.AddField(
            model_name="campaign",
            name="round",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="round"),
        ),
        migrations.RunPython(campaigns_into_default_programme, migrations.RunPython.noop),
    ]
