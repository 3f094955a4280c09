from decimal import Decimal

from django import template

register = template.Library()


def plain(value) -> str:
    """A decimal without trailing zeros and never in exponent form: 100.00 -> "100"."""
    if value is None or value == "":
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text


register.filter("plain", plain)
