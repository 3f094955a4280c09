from django.db import migrations

from mieval.core import indicators as builtin


def load_builtin(apps, schema_editor):
    Framework = apps.get_model("indicators", "Framework")
    Indicator = apps.get_model("indicators", "Indicator")
    framework, _ = Framework.objects.get_or_create(
        code=builtin.FRAMEWORK_CODE,
        version=builtin.FRAMEWORK_VERSION,
        defaults={
            "name_zh": "双创示范基地评估核心指标",
            "name_en": "MIE demonstration base core indicators",
            "description": "The twelve indicators of the evaluation poster's development-trend table.",
        },
    )
    for order, spec in enumerate(builtin.POSTER_INDICATORS):
        indicator, _ = Indicator.objects.update_or_create(
            framework=framework,
            code=spec.code,
            defaults={
                "name_zh": spec.name_zh,
                "name_en": spec.name_en,
                "unit": spec.unit,
                "unit_zh": spec.unit_zh,
                "direction": spec.direction,
                "stat": spec.stat,
                "non_negative": spec.non_negative,
                "decimals": spec.decimals,
                "order": order,
            },
        )
        indicator.categories.set(spec.categories)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial"), ("registry", "0002_reference_data")]

    operations = [migrations.RunPython(load_builtin, migrations.RunPython.noop)]
