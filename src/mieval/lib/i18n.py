"""The language of the request, for names that carry both languages as data."""

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
