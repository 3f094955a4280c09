"""Indicator names of the glossary (docs/glossary.md) in existing databases.

Every framework version that still carries the old default name of a poster indicator gets
the new one (a version an analyst wrote with a name of their own keeps it). The names are
written out here, not read from ``builtin.py``, so that this step stays what it was.
"""

from django.db import migrations

#: code: (old Chinese name, new Chinese name)
RENAMES = {
    "incubation_area": ("孵化平台载体面积", "孵化载体面积"),
    "training_reach": ("培训讲座覆盖人数", "培训讲座覆盖人次"),
}


def rename(apps, schema_editor, *, forward=True):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, (old, new) in RENAMES.items():
        before, after = (old, new) if forward else (new, old)
        Indicator.objects.filter(code=code, name_zh=before).update(name_zh=after)


def backward(apps, schema_editor):
    rename(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_builtin_framework")]

    operations = [migrations.RunPython(rename, backward)]
