"""The language helpers of the pages."""

from django.utils import translation

from mieval.core.values import NOT_A_NUMBER
from mieval.lib.i18n import gettext_zh


def test_gettext_zh_gives_the_catalogues_chinese_whatever_the_active_language():
    with translation.override("en"):
        assert gettext_zh(NOT_A_NUMBER) == (
            "“%(value)s”不是数字；只填数字，不带单位或文字，无数据则留空。"
        )
        assert translation.get_language() == "en"
