"""``/frameworks``: indicator frameworks and their indicators (definitions are not secret)."""

from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from mieval.api import selectors
from mieval.api.pagination import Page
from mieval.api.schemas import FrameworkOut, IndicatorOut, Version

router = Router(tags=["indicators"])


@router.get(
    "/frameworks",
    response=list[FrameworkOut],
    summary="List indicator frameworks",
    description="Every version of every framework, with its number of indicators.",
)
@paginate(Page)
def framework_list(request):
    return selectors.frameworks_list()


@router.get(
    "/frameworks/{code}/{version}/indicators",
    response=list[IndicatorOut],
    summary="List the indicators of a framework version",
    description="In reading order, with unit, direction, default statistic and the "
    "categories each applies to.",
)
@paginate(Page)
def framework_indicators(request, code: str, version: Version):
    framework = selectors.framework_find(code, version)
    if framework is None:
        raise HttpError(404, f"There is no framework '{code}' version {version}.")
    return selectors.framework_indicators(framework)
