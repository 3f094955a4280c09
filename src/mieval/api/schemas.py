"""The JSON shapes of the API, in and out."""

import datetime as dt
from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, field_validator
from pydantic_core import PydanticCustomError

from mieval.core import limits, reference
from mieval.core.indicators import STATS
from mieval.core.problems import ProblemCode

# --- bounded integers -------------------------------------------------------------------------


def bounded_int(least: int, most: int):
    """An integer of ``least``..``most``: the OpenAPI document shows the range, and a value
    outside it is a 422 whose message names the range (pydantic's own names only one bound)."""

    def check(value: int) -> int:
        if least <= value <= most:
            return value
        text = str(value)
        shown = text if len(text) <= 24 else text[:20] + "..."
        raise PydanticCustomError(
            ProblemCode.OUT_OF_RANGE.value,
            "{value} is outside the allowed range {least} to {most}",
            {"value": shown, "least": least, "most": most},
        )

    return Annotated[
        int, AfterValidator(check), Field(json_schema_extra={"minimum": least, "maximum": most})
    ]


#: The integer parameters of the API, each with its range (see mieval.core.limits).
Year = bounded_int(limits.YEAR_MIN, limits.YEAR_MAX)
Id = bounded_int(1, limits.ID_MAX)
Version = bounded_int(1, limits.VERSION_MAX)
ExpectedVersion = bounded_int(0, limits.VERSION_MAX)
Limit = bounded_int(1, limits.PAGE_LIMIT_MAX)
Offset = bounded_int(0, limits.PAGE_OFFSET_MAX)
TokenDays = bounded_int(1, limits.TOKEN_DAYS_MAX)

# --- errors -----------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class Problem(Schema):
    loc: list[str | int] = Field(description="where: body, path or query, then the field")
    msg: str
    type: str


class ProblemsOut(Schema):
    detail: list[Problem]


# --- accounts ---------------------------------------------------------------------------------


class MeOut(Schema):
    username: str
    role: str | None = Field(description="null for an account without a role")
    base_code: str | None = Field(description="the base of a base officer, else null")
    organisation_code: str | None = Field(description="the organisation of an organiser")


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100, description="what the token is for")
    days: TokenDays | None = Field(365, description="days until it expires; null for never")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="the first characters of the key, to recognise it")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    key: str = Field(description="the token; shown this once and never stored")


# --- registry ---------------------------------------------------------------------------------


class BaseOut(Schema):
    code: str
    name_zh: str
    name_en: str
    category: str
    subcategory: str
    province: str = Field(description="GB/T 2260 two-digit code")
    region: str
    region_group: str
    batch: int
    status: Literal["active", "withdrawn", "merged"] = Field(
        description="from the base's lifecycle events: active until a withdrawal or a merger"
    )
    designated: dt.date | None = Field(description="the day of its designation, where recorded")
    version: int = Field(description="send it back as expected_version when recording an event")

    @staticmethod
    def resolve_status(base) -> str:
        return base.status

    @staticmethod
    def resolve_designated(base) -> dt.date | None:
        return base.designated_on

    @staticmethod
    def resolve_category(base) -> str:
        return base.subcategory.category_id

    @staticmethod
    def resolve_subcategory(base) -> str:
        return base.subcategory_id

    @staticmethod
    def resolve_province(base) -> str:
        return base.province_id

    @staticmethod
    def resolve_region(base) -> str:
        return base.province.region

    @staticmethod
    def resolve_region_group(base) -> str:
        return reference.REGION_BY_CODE[base.province.region].group


class BaseEventOut(Schema):
    kind: Literal["designated", "renamed", "merged", "withdrawn"]
    date: dt.date = Field(description="the day it took effect")
    document_number: str
    document_title: str
    has_document_file: bool = Field(description="a file of the document is kept (on the site)")
    old_name_zh: str = Field(description="renamed: the names before and after; else empty")
    old_name_en: str
    new_name_zh: str
    new_name_en: str
    merged_into: str | None = Field(
        description="merged: the code of the base it went into (null where a bases file did "
        "not say)"
    )
    reason: str
    source: Literal["office", "file"] = Field(description="recorded by the office or from a file")
    recorded_at: datetime

    @staticmethod
    def resolve_has_document_file(event) -> bool:
        return bool(event.document_file)

    @staticmethod
    def resolve_merged_into(event) -> str | None:
        return event.merged_into.code if event.merged_into_id else None


class BaseDetailOut(BaseOut):
    history: list[BaseEventOut] = Field(
        description="the lifecycle events, in the order they took effect"
    )


def _no_control_characters(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise PydanticCustomError(
            ProblemCode.NOT_ALLOWED.value, "control characters are not allowed", {}
        )
    return value


Text = Annotated[str, AfterValidator(_no_control_characters)]


class BaseEventIn(Schema):
    kind: Literal["designated", "renamed", "merged", "withdrawn"]
    date: dt.date = Field(description="the day it took effect (the document's date), not to come")
    document_number: Text = Field("", max_length=100, description="e.g. 国办发〔2016〕35号")
    document_title: Text = Field("", max_length=300)
    reason: Text = Field("", max_length=2000, description="required for a withdrawal")
    name_zh: Text | None = Field(None, max_length=200, description="renamed: the new Chinese name")
    name_en: Text | None = Field(None, max_length=200, description="renamed: the new English name")
    into: Text | None = Field(
        None, max_length=40, description="merged: the code of the base it merged into"
    )
    expected_version: Version = Field(description="the version of the base you read")


# --- indicators -------------------------------------------------------------------------------


class FrameworkOut(Schema):
    code: str
    version: int
    name_zh: str
    name_en: str
    description: str
    indicator_count: int


class IndicatorOut(Schema):
    code: str
    name_zh: str
    name_en: str
    unit: str
    unit_zh: str
    direction: int = Field(description="1: higher is better; -1: lower is better")
    stat: str = Field(description="the default statistic of the trend table")
    categories: list[str] = Field(description="categories it applies to; empty for all")
    non_negative: bool
    decimals: int

    @staticmethod
    def resolve_categories(indicator) -> list[str]:
        return sorted(c.code for c in indicator.categories.all())


# --- campaigns and values ---------------------------------------------------------------------


class FrameworkRef(Schema):
    code: str
    version: int


class CampaignOut(Schema):
    code: str
    name_zh: str
    name_en: str
    first_year: int
    last_year: int
    years: list[int]
    framework: FrameworkRef
    bases_count: int = Field(description="bases in scope")
    programme: str = Field(description="the code of the programme the campaign is a round of")
    round: int = Field(description="the campaign's round in its programme (1 the first)")

    @staticmethod
    def resolve_programme(campaign) -> str:
        return campaign.programme.code

    @staticmethod
    def resolve_years(campaign) -> list[int]:
        return list(range(campaign.first_year, campaign.last_year + 1))


class ValueOut(Schema):
    base_code: str
    indicator_code: str
    year: int
    value: str | None = Field(description="the exact text as entered; null when there is none")
    number: float | None = Field(description="the value as a number")
    version: int = Field(description="send it back as expected_version to change the value")
    source: str | None
    entered_at: datetime | None

    # Resolved from a Value; an unsaved one (version 0, no text) stands for a removed value.
    @staticmethod
    def resolve_base_code(value) -> str:
        return value.base.code

    @staticmethod
    def resolve_indicator_code(value) -> str:
        return value.indicator.code

    @staticmethod
    def resolve_value(value) -> str | None:
        return value.raw or None

    @staticmethod
    def resolve_number(value) -> float | None:
        return None if value.value is None else float(value.value)

    @staticmethod
    def resolve_source(value) -> str | None:
        return value.source or None


class ValueIn(Schema):
    value: str | None = Field(
        description="the number as text ('123.4', '1,234', '１２'); null or '' removes the value"
    )
    reason: str = Field(min_length=1, max_length=2000, description="why, for the audit trail")
    expected_version: ExpectedVersion = Field(
        description="the version read before editing; 0 for a value not yet entered"
    )

    @field_validator("reason")
    @classmethod
    def _reason_not_blank(cls, reason: str) -> str:
        if not reason.strip():
            raise ValueError("give a reason for the change")
        return reason.strip()


class AuditOut(Schema):
    action: str = Field(description="create, update or delete")
    old: str | None
    new: str | None
    actor: str = Field(description="who made the change")
    at: datetime
    reason: str
    source: str

    @staticmethod
    def resolve_old(audit) -> str | None:
        return audit.old or None

    @staticmethod
    def resolve_new(audit) -> str | None:
        return audit.new or None


# --- analytics --------------------------------------------------------------------------------


# A tuple subscript spells the same Literal as its items written out.
GroupField = Literal[reference.GROUP_FIELDS]
Statistic = Literal[STATS]


class TrendsQuery(Schema):
    by: GroupField | None = Field(None, description="group the bases by this field")
    stat: Statistic | None = Field(
        None, description="one statistic for every indicator (default: each indicator's own)"
    )
    balanced: bool = Field(False, description="only bases that reported every year")
    year_from: Year | None = Field(
        None, alias="from", description="first year, within the campaign's (default: its first)"
    )
    year_to: Year | None = Field(
        None, alias="to", description="last year, within the campaign's (default: its last)"
    )
    decompose: bool = Field(
        False,
        description="add each row's composition effect: the yearly change of the mean "
        "(whatever stat says) split into within, entry and exit",
    )


class TrendDecompositionYear(Schema):
    within: float | None = Field(description="the change at the bases that reported both years")
    entry: float | None = Field(description="what the bases that joined add to the change")
    exit: float | None = Field(description="what the bases that left add to the change")
    note: str | None = Field(description="why the three are null: no base reported both years")


class TrendRow(Schema):
    indicator: str
    group: str
    values: dict[str, float | None]
    n: dict[str, int]
    cagr: float | None
    cagr_note: str | None
    decomposition: dict[str, TrendDecompositionYear] | None = Field(
        None,
        description="with decompose=true: every year after the first (mieval trends "
        "--decompose); absent otherwise",
    )


class TrendsOut(Schema):
    rows: list[TrendRow]


class RoundsTrendsQuery(Schema):
    by: GroupField | None = Field(None, description="group the bases by this field")
    stat: Statistic | None = Field(
        None, description="one statistic for every indicator (default: each indicator's own)"
    )
    balanced: bool = Field(False, description="only bases that reported every year")


class FrameworkVersionOut(Schema):
    code: str
    version: int


class RoundOut(Schema):
    round: int
    campaign: str
    framework: str
    version: int
    first_year: int
    last_year: int


class UnmappedOut(Schema):
    round: int
    campaign: str
    indicator: str
    to_indicator: str | None
    reason: Literal["no_row", "incomplete_merge", "no_crosswalk"]
    values: int
    message: str


class FindingOut(Schema):
    key: str
    text_zh: str
    text_en: str


class RoundsTrendsOut(Schema):
    rows: list[TrendRow]
    framework: FrameworkVersionOut
    rounds: list[RoundOut]
    unmapped: list[UnmappedOut]
    findings: list[FindingOut]


# --- the statistical audit of an index run ------------------------------------------------------
# DESIGN.md, "mieval index --audit FILE"; numbers at full precision, null where undefined.


class AuditCorrelation(Schema):
    parent: str
    a: str
    b: str = Field(description="another child of the parent, or the parent itself")
    pearson: float | None
    spearman: float | None


class AuditCronbach(Schema):
    code: str
    alpha: float | None
    n_children: int


class AuditPca(Schema):
    code: str
    first_share: float | None
    loadings: dict[str, float | None]


class AuditMainEffect(Schema):
    code: str
    parent: str
    nominal_weight: float | None
    correlation_ratio: float | None
    importance_share: float | None


class AuditRemoval(Schema):
    code: str
    mean_abs_rank_change: float | None
    max_abs_rank_change: float | None


class AuditFlag(Schema):
    kind: Literal[
        "negative", "weak", "redundant", "low_first_share", "loads_against", "low_importance"
    ]
    parent: str
    code: str
    other: str | None
    value: float | None


class AuditOptimisedWeight(Schema):
    code: str
    parent: str
    nominal_weight: float | None
    optimised_weight: float | None
    correlation_ratio: float | None
    importance_share: float | None


class AuditSectionOut(Schema):
    correlations: list[AuditCorrelation]
    cronbach: list[AuditCronbach]
    pca: list[AuditPca]
    main_effects: list[AuditMainEffect]
    removal: list[AuditRemoval]
    flags: list[AuditFlag]
    optimised_weights: list[AuditOptimisedWeight] | None = None


class AuditCorrelationChange(Schema):
    parent: str
    a: str
    b: str
    pearson: dict[str, float | None] = Field(description="r by year")
    change: float | None = Field(description="the last year's r minus the first year's")
    range: float | None


class IndexAuditOut(AuditSectionOut):
    year: int | None
    years: dict[str, AuditSectionOut] | None = Field(
        None, description="every year's audit (panel runs: every year of the data up to the run's)"
    )
    correlation_changes: list[AuditCorrelationChange] | None = None
