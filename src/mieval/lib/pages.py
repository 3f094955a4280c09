"""Helpers the pages of every app share: permission checks, the campaign a URL names, the
layout a page extends. Views import these instead of writing their own."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from mieval.collection.models import Campaign


def require(allowed: bool) -> None:
    """Refuse the request (403) unless ``allowed``: ``require(can_review(request.user))``."""
    if not allowed:
        raise PermissionDenied


def campaign_or_404(code: str) -> Campaign:
    """The campaign a URL names, with its framework; 404 for an unknown code."""
    return get_object_or_404(Campaign.objects.select_related("framework"), code=code)


def is_htmx(request) -> bool:
    """Whether htmx asks for a fragment (a history restore wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def page_layout(request) -> str:
    """The template a page extends: the whole layout, or only the fragment htmx swaps in."""
    return "web/fragment.html" if is_htmx(request) else "web/base.html"
