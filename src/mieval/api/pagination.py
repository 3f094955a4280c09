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
