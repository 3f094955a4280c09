"""Ids that the pages read from a query string or a form without a Django form field.

A non-numeric or out-of-range id used to reach the ORM, where ``pk='abc'`` raises ValueError and
a number beyond 64 bits an OverflowError on SQLite: a 500. Here it is a 400 naming the
parameter and the allowed range (``mieval.core.limits.ID_MAX``), shown by ``400.html``.
"""

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

from mieval.core.limits import ID_MAX


def id_param(value: str | None, name: str) -> int:
    """The id ``value`` of the parameter ``name`` as an int, or BadRequest (400)."""
    text = (value or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 19 and 1 <= int(text) <= ID_MAX:
        return int(text)
    raise BadRequest(
        _("The parameter '%(name)s' must be a whole number from 1 to %(most)s.")
        % {"name": name, "most": ID_MAX}
    )
