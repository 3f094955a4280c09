"""Limit/offset pages: ``{"count": n, "items": [...]}``, 100 items by default, at most 1000,
skipping at most :data:`mieval.core.limits.PAGE_OFFSET_MAX` items."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from mieval.api.schemas import Limit, Offset
from mieval.core.limits import PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX

DEFAULT_LIMIT = PAGE_LIMIT_DEFAULT
MAX_LIMIT = PAGE_LIMIT_MAX


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: Limit = Field(DEFAULT_LIMIT, description="items per page")
        offset: Offset = Field(0, description="items to skip")

    def __init__(self, **kwargs) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class PagesMapped:
    """A queryset that :class:`Page` slices a page at a time, each page's rows turned into
    items by ``items_of(rows)`` in one call: for items that need a few more queries per page
    (e.g. the outcome reports of the page's contact requests), never per row."""

    def __init__(self, queryset, items_of) -> None:
        self.queryset, self.items_of = queryset, items_of

    def all(self):
        """The queryset itself (the pagination counts ``.all().count()``)."""
        return self.queryset

    def __getitem__(self, page: slice) -> list:
        return self.items_of(list(self.queryset[page]))
