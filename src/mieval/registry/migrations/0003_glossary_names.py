"""Subcategory names of the glossary (docs/glossary.md) in existing databases.

The names are written out here, not read from ``reference.py``, so that this step stays what it
was when later names change. A name someone edited (not the old default) is left alone.
"""

from django.db import migrations

#: code: (old Chinese name, new Chinese name)
RENAMES = {
    "urban_district": ("城市城区", "城区"),
    "specialized_college": ("特色类高校", "行业特色高校"),
}


def rename(apps, schema_editor, *, forward=True):
    Subcategory = apps.get_model("registry", "Subcategory")
    for code, (old, new) in RENAMES.items():
        before, after = (old, new) if forward else (new, old)
        Subcategory.objects.filter(code=code, name_zh=before).update(name_zh=after)


def backward(apps, schema_editor):
    rename(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_reference_data")]

    operations = [migrations.RunPython(rename, backward)]
