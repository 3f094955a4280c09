"""Every string a person reads has its Chinese translation, and the catalogues compile."""

import re
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[1] / "src" / "mieval" / "locale"


def entries(po: Path) -> list[tuple[str, str]]:
    text = po.read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"', text, flags=re.MULTILINE)
    return [(msgid, msgstr) for msgid, msgstr in pairs if msgid]


def test_every_message_has_a_chinese_translation():
    pairs = entries(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")

    untranslated = [msgid for msgid, msgstr in pairs if not msgstr]
    assert len(pairs) > 50
    assert untranslated == []
    assert "#, fuzzy" not in (LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text()


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_catalogue_compiles(language, tmp_path):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)], check=True)
