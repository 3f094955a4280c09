"""Helpers the pages of every app share: permission checks, the layout a page extends. Views
import these instead of writing their own (the campaign a URL names:
:func:`mieval.collection.shortcuts.campaign_or_404`, since ``lib`` imports no domain app)."""

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    """Refuse the request (403) unless ``allowed``: ``require(can_review(request.user))``."""
    if not allowed:
        raise PermissionDenied


def is_htmx(request) -> bool:
    """Whether htmx asks for a fragment (a history restore wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def page_layout(request) -> str:
    """The template a page extends: the whole layout, or only the fragment htmx swaps in."""
    return "web/fragment.html" if is_htmx(request) else "web/base.html"
