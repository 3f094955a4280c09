"""The language of the request, for names that carry both languages as data, and the
catalogue's Chinese of a message for texts given in both languages."""

from django.utils import translation
from django.utils.translation import get_language

from mieval.core import reference


def in_chinese() -> bool:
    """Whether the request is in Chinese (``zh-hans`` or any other ``zh`` variant)."""
    return (get_language() or "").startswith("zh")


def localized(name_zh: str, name_en: str) -> str:
    """The name in the language of the request."""
    return name_zh if in_chinese() else name_en


def group_name(field: str | None, code) -> str:
    zh, en = reference.group_label(field or "", str(code))
    return localized(zh, en)


def gettext_zh(message: str) -> str:
    """The catalogue's Chinese of ``message`` whatever the request's language, for texts given
    in both languages (the entry template's problems: ``translate_zh`` of
    :func:`mieval.core.tables.entry_template.entry_read`)."""
    with translation.override("zh-hans"):
        return translation.gettext(message)
