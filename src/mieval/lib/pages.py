"""Helpers the pages of every app share."""


def page_layout(request) -> str:
    """The template a page extends: the whole layout, or only the fragment htmx swaps in."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return "web/fragment.html"
    return "web/base.html"
