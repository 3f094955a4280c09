from django.db import migrations

#: The six default policy areas; the office may add, rename, reorder or deactivate them.
DEFAULT_AREAS = (
    ("business_registration", "商事制度", "Business registration"),
    ("talent", "人才", "Talent"),
    ("finance_tax", "财税金融", "Finance and tax"),
    ("intellectual_property", "知识产权", "Intellectual property"),
    ("technology_transfer", "科技成果转化", "Technology transfer"),
    ("land_space", "用地与空间", "Land and space"),
)


def load_areas(apps, schema_editor):
    PolicyArea = apps.get_model("practices", "PolicyArea")
    for order, (code, name_zh, name_en) in enumerate(DEFAULT_AREAS, start=1):
        PolicyArea.objects.update_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en, "order": order}
        )


def unload_areas(apps, schema_editor):
    apps.get_model("practices", "PolicyArea").objects.filter(
        code__in=[code for code, _, _ in DEFAULT_AREAS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(load_areas, unload_areas)]
