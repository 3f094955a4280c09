"""The language of the request: in_chinese, localized."""

from django.utils import translation

from mieval.lib.i18n import in_chinese, localized


def test_chinese_variants_are_chinese():
    for language in ("zh-hans", "zh-hant", "zh"):
        with translation.override(language):
            assert in_chinese() is True
            assert localized("示范基地", "base") == "示范基地"


def test_english_and_no_language_are_not_chinese():
    with translation.override("en"):
        assert in_chinese() is False
        assert localized("示范基地", "base") == "base"
    with translation.override(None):
        assert in_chinese() is False
