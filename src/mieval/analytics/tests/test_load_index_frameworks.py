"""``manage load_index_frameworks``: the demo frameworks from the checkout or from ``--dir``.

An installed package has no ``examples/`` beside it, so the files' folder can be named.
"""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mieval.analytics.models import IndexFramework

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"
NAMES = ("mie-region-index.toml", "mie-university-index.toml", "mie-enterprise-index.toml")


def test_the_frameworks_load_from_the_folder_given(tmp_path):
    for name in NAMES:
        shutil.copy(EXAMPLES / name, tmp_path / name)

    call_command("load_index_frameworks", dir=tmp_path)

    assert sorted(IndexFramework.objects.values_list("code", "version")) == [
        ("mie-enterprise", 1),
        ("mie-region", 1),
        ("mie-university", 1),
    ]


def test_a_folder_without_the_files_names_them_and_the_option(tmp_path):
    shutil.copy(EXAMPLES / NAMES[0], tmp_path / NAMES[0])

    with pytest.raises(CommandError) as error:
        call_command("load_index_frameworks", dir=tmp_path)

    assert str(error.value) == (
        f"mie-university-index.toml, mie-enterprise-index.toml not found in {tmp_path}; give "
        "the folder of the demo framework files (examples/ of mieval's source) with --dir"
    )
    assert IndexFramework.objects.count() == 0
