from django.db import migrations

from mieval.core import reference


def load_reference(apps, schema_editor):
    Category = apps.get_model("registry", "Category")
    Subcategory = apps.get_model("registry", "Subcategory")
    Province = apps.get_model("registry", "Province")
    for order, c in enumerate(reference.CATEGORIES):
        Category.objects.update_or_create(
            code=c.code, defaults={"name_zh": c.name_zh, "name_en": c.name_en, "order": order}
        )
    for order, s in enumerate(reference.SUBCATEGORIES):
        Subcategory.objects.update_or_create(
            code=s.code,
            defaults={
                "category_id": s.category,
                "name_zh": s.name_zh,
                "name_en": s.name_en,
                "order": order,
            },
        )
    for p in reference.PROVINCES:
        Province.objects.update_or_create(
            code=p.code, defaults={"name_zh": p.name_zh, "name_en": p.name_en, "region": p.region}
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load_reference, migrations.RunPython.noop)]
