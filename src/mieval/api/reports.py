"""``/campaigns/{code}/snapshots``: published snapshots and the lineage of a report's numbers."""

from datetime import datetime

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError

from mieval.accounts.permissions import can_read_reports
from mieval.api.collection import campaign_or_404
from mieval.api.schemas import Year
from mieval.core.problems import ProblemCode
from mieval.core.reports.lineage import (
    LineageError,
    lineage_base,
    lineage_base_json,
    lineage_group,
    lineage_group_json,
    lineage_json,
    lineage_problems,
    lineage_problems_json,
    lineage_values,
)
from mieval.reports.selectors import snapshot_get, snapshots_of

router = Router(tags=["reports"])


class SnapshotOut(Schema):
    sequence: int
    content_hash: str
    note: str
    created_at: datetime


class LineageQuery(Schema):
    indicator: str = Field(..., description="indicator code")
    group_field: str | None = Field(None, description="base field of the group (trends --by)")
    group: str | None = Field(None, description="the group's value")
    year: Year | None = Field(None, description="one year (default: every year)")


class LineageFigure(Schema):
    year: int
    stat: str
    value: float | None
    n: int


class LineageValue(Schema):
    base_code: str
    year: int
    value: float


class LineageOut(Schema):
    indicator: str
    group_field: str | None
    group: str | None
    stat: str
    figures: list[LineageFigure]
    values: list[LineageValue]


def _require_reader(user) -> None:
    if not can_read_reports(user):
        raise HttpError(403, "Your role does not read published reports.")


@router.get(
    "/campaigns/{code}/snapshots",
    response=list[SnapshotOut],
    summary="The published snapshots of a campaign, newest first",
)
def snapshot_list(request, code: str):
    _require_reader(request.auth)
    return list(snapshots_of(campaign_or_404(code)).order_by("-sequence"))


@router.get(
    "/campaigns/{code}/snapshots/{content_hash}/lineage",
    response=LineageOut,
    summary="The values behind a number of a report",
    description="The snapshot's values of one indicator (in one group, in one year) and the "
    "statistic of the development-trend table recomputed from them. The hash may be given "
    "by its first 8 or more characters.",
)
def lineage(request, code: str, content_hash: str, query: Query[LineageQuery]):
    _require_reader(request.auth)
    snapshot = snapshot_get(campaign_or_404(code), content_hash)
    if snapshot is None:
        raise HttpError(404, f"Campaign '{code}' has no snapshot '{content_hash}'.")
    try:
        found = lineage_values(
            snapshot.payload,
            indicator=query.indicator,
            group_field=query.group_field,
            group=query.group,
            year=query.year,
        )
    except LineageError as error:
        raise ValidationError(
            [{"loc": ["query"], "msg": str(error), "type": ProblemCode.OUT_OF_RANGE.value}]
        ) from None
    return lineage_json(found)


class BaseRankOut(Schema):
    framework: str
    version: int
    year: int
    score: float | None
    rank: int | None
    q05: float | None
    q95: float | None


class BaseValueOut(Schema):
    indicator_code: str
    year: int
    value: float


class ExpertLineageOut(Schema):
    totals: list[float] = Field(..., description="the experts' totals, sorted, without names")
    trimmed_mean: float | None
    n: int


class BaseLineageOut(Schema):
    base: str
    year: int | None
    ranks: list[BaseRankOut]
    expert: ExpertLineageOut | None
    values: list[BaseValueOut]


@router.get(
    "/campaigns/{code}/snapshots/{content_hash}/lineage/bases/{base_code}",
    response=BaseLineageOut,
    url_name="lineage_base",
    summary="The values behind a base's row of a ranking",
    description="The snapshot's values of one base (in one year, or every year) and its frozen "
    "index results: score, rank and Monte Carlo rank interval.",
)
def lineage_of_base(
    request, code: str, content_hash: str, base_code: str, year: Year | None = None
):
    _require_reader(request.auth)
    snapshot = snapshot_get(campaign_or_404(code), content_hash)
    if snapshot is None:
        raise HttpError(404, f"Campaign '{code}' has no snapshot '{content_hash}'.")
    try:
        found = lineage_base(snapshot.payload, base=base_code, year=year)
    except LineageError as error:
        raise ValidationError(
            [{"loc": ["query"], "msg": str(error), "type": ProblemCode.OUT_OF_RANGE.value}]
        ) from None
    return lineage_base_json(found)


class GroupIndicatorOut(Schema):
    indicator: str
    first_year: int | None
    last_year: int | None
    n_first: int
    n_last: int
    group_cagr: float | None
    all_cagr: float | None
    leads: bool | None


class GroupLineageOut(Schema):
    group_field: str
    group: str
    indicators: list[GroupIndicatorOut]


@router.get(
    "/campaigns/{code}/snapshots/{content_hash}/lineage/groups/{group_field}/{group}",
    response=GroupLineageOut,
    url_name="lineage_group",
    summary="The growth of a group of bases against all bases",
    description="For every indicator, the group's and all bases' average annual growth from "
    "the snapshot: the evidence of a finding that a category or subcategory leads or lags.",
)
def lineage_of_group(request, code: str, content_hash: str, group_field: str, group: str):
    _require_reader(request.auth)
    snapshot = snapshot_get(campaign_or_404(code), content_hash)
    if snapshot is None:
        raise HttpError(404, f"Campaign '{code}' has no snapshot '{content_hash}'.")
    try:
        found = lineage_group(snapshot.payload, group_field=group_field, group=group)
    except LineageError as error:
        raise ValidationError(
            [{"loc": ["path"], "msg": str(error), "type": ProblemCode.OUT_OF_RANGE.value}]
        ) from None
    return lineage_group_json(found)


class ProblemsLineageQuery(Schema):
    type: str | None = Field(None, description="problem type code")
    category: str | None = Field(None, description="base category code")
    subcategory: str | None = Field(None, description="base subcategory code")
    region_group: str | None = Field(None, description="east, central_west or northeast")
    severity: str | None = Field(None, description="serious, moderate or minor")


class LineageProblemOut(Schema):
    id: int
    base: str
    type: str
    category: str
    subcategory: str
    region_group: str
    severity: str
    source: str
    title_zh: str
    title_en: str


class ProblemsLineageOut(Schema):
    filters: dict[str, str | None]
    count: int
    problems: list[LineageProblemOut]


@router.get(
    "/campaigns/{code}/snapshots/{content_hash}/lineage/problems",
    response=ProblemsLineageOut,
    url_name="lineage_problems",
    summary="The confirmed problems behind a problems count of a report",
    description="The problems of the register frozen in the snapshot that a count of the "
    "report's problems section counts (by type, base category, subcategory, region group, "
    "severity).",
)
def lineage_of_problems(request, code: str, content_hash: str, query: Query[ProblemsLineageQuery]):
    _require_reader(request.auth)
    snapshot = snapshot_get(campaign_or_404(code), content_hash)
    if snapshot is None:
        raise HttpError(404, f"Campaign '{code}' has no snapshot '{content_hash}'.")
    try:
        found = lineage_problems(snapshot.payload, **query.dict())
    except LineageError as error:
        raise ValidationError(
            [{"loc": ["query"], "msg": str(error), "type": ProblemCode.OUT_OF_RANGE.value}]
        ) from None
    return lineage_problems_json(found)
