"""Every campaign is a round of a programme: the fields the previous migration filled become
required, and a programme's round numbers unique."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("collection", "0004_programmes_rounds")]

    operations = [
        migrations.AlterField(
            model_name="campaign",
            name="programme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="campaigns",
                to="collection.programme",
                verbose_name="programme",
            ),
        ),
        migrations.AlterField(
            model_name="campaign",
            name="round",
            field=models.PositiveSmallIntegerField(verbose_name="round"),
        ),
        migrations.AddConstraint(
            model_name="campaign",
            constraint=models.UniqueConstraint(
                fields=("programme", "round"), name="campaign_round_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="campaign",
            constraint=models.CheckConstraint(
                condition=models.Q(("round__gte", 1)), name="campaign_round_positive"
            ),
        ),
    ]
