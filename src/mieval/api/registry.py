"""``/bases``: the demonstration bases the user may see."""

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from mieval.api import selectors
from mieval.api.pagination import Page
from mieval.api.schemas import BaseOut, Year

router = Router(tags=["registry"])


class BaseFilters(Schema):
    category: str | None = Field(None, description="category code, e.g. region")
    subcategory: str | None = Field(None, description="subcategory code, e.g. county")
    province: str | None = Field(None, description="GB/T 2260 two-digit code")
    region: str | None = Field(None, description="east, central, west or northeast")
    region_group: str | None = Field(None, description="east, central_west or northeast")
    batch: Year | None = Field(None, description="year of the batch, e.g. 2016")
    q: str | None = Field(None, description="text in the code or the Chinese or English name")


@router.get(
    "/bases",
    response=list[BaseOut],
    summary="List demonstration bases",
    description="The bases whose data you may see (a base officer: the own base only), "
    "ordered by code.",
)
@paginate(Page)
def base_list(request, filters: Query[BaseFilters]):
    return selectors.bases_list(request.auth, **filters.dict())


@router.get(
    "/bases/{code}",
    response=BaseOut,
    summary="One demonstration base",
    description="A base you may not see is not found (404), like one that does not exist.",
)
def base_detail(request, code: str):
    base = selectors.base_visible_get(request.auth, code)
    if base is None:
        raise HttpError(404, f"There is no base '{code}' that you may see.")
    return base
