"""``/campaigns``: campaigns, their values (read, edit) and each value's audit trail."""

from django.db import IntegrityError
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from mieval.accounts.permissions import can_edit_some_values, can_edit_values, role_of
from mieval.api import selectors
from mieval.api.pagination import Page
from mieval.api.schemas import (
    AuditOut,
    CampaignOut,
    ErrorOut,
    ProblemsOut,
    ValueIn,
    ValueOut,
    Year,
)
from mieval.collection.models import Campaign, Source, Value
from mieval.collection.selectors import value_history
from mieval.collection.services import (
    LockedError,
    value_set,
)
from mieval.core.indicators import indicator_applies
from mieval.core.limits import year_range_problem
from mieval.core.problems import ProblemCode
from mieval.core.values import value_check
from mieval.lib.concurrency import ConcurrentEditError

router = Router(tags=["campaigns"])


def campaign_or_404(code: str) -> Campaign:
    campaign = selectors.campaign_find(code)
    if campaign is None:
        raise HttpError(404, f"There is no campaign '{code}'.")
    return campaign


@router.get(
    "/campaigns",
    response=list[CampaignOut],
    summary="List campaigns",
    description="Every evaluation campaign, newest first: years, framework version and the "
    "number of bases in scope.",
)
@paginate(Page)
def campaign_list(request):
    return selectors.campaigns_list()


@router.get("/campaigns/{code}", response=CampaignOut, summary="One campaign")
def campaign_detail(request, code: str):
    return campaign_or_404(code)


class ValueFilters(Schema):
    base: str | None = Field(None, description="base code")
    indicator: str | None = Field(None, description="indicator code")
    year: Year | None = Field(None, description="year, within the campaign's")


@router.get(
    "/campaigns/{code}/values",
    response=list[ValueOut],
    summary="List a campaign's values",
    description="The values of the bases you may see, by base, indicator and year: the text "
    "as entered (value), the number, and the version to send back when editing.",
)
@paginate(Page)
def value_list(request, code: str, filters: Query[ValueFilters]):
    campaign = campaign_or_404(code)
    campaign_years_check(campaign, {("query", "year"): filters.year})
    return selectors.campaign_values(request.auth, campaign, **filters.dict())


@router.put(
    "/campaigns/{code}/values/{base}/{indicator}/{year}",
    response={200: ValueOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ProblemsOut},
    summary="Enter, change or remove one value",
    description="Audited with your user name and the reason. 'expected_version' is the version "
    "you read (0 for a value not yet entered); if the value changed meanwhile the answer is "
    "409 and nothing is written. A value that is not a number, negative where the indicator "
    "cannot be, for a year outside the campaign or an indicator that does not apply to the "
    "base's category is refused with 422 naming the field and the reason.",
)
def value_put(request, code: str, base: str, indicator: str, year: Year, payload: ValueIn):
    user = request.auth
    if not can_edit_some_values(user):
        role = role_of(user)
        raise HttpError(403, f"Your role ({role.label}) does not edit values.")
    campaign = campaign_or_404(code)
    the_base = _visible_base_in_campaign(user, campaign, base)
    if not can_edit_values(user, the_base, campaign):
        raise HttpError(
            403,
            f"You may not edit the values of base '{base}' now (a submitted report waits for "
            "the office's review).",
        )
    the_indicator = _indicator_or_404(campaign, indicator)
    raw = _checked_value(campaign, the_base, the_indicator, year, payload.value)
    try:
        saved = value_set(
            campaign=campaign,
            base=the_base,
            indicator=the_indicator,
            year=year,
            raw=raw,
            user=user,
            actor=user.get_username(),
            reason=payload.reason,
            source=Source.API,
            expected_version=payload.expected_version,
        )
    except (ConcurrentEditError, LockedError) as error:
        raise HttpError(409, str(error)) from None
    except IntegrityError:
        # Two first entries of the same value at once: the row lock of value_set cannot guard a
        # row that does not exist yet, the unique constraint does.
        raise HttpError(
            409,
            f"{base} {indicator} {year} was entered by someone else meanwhile; "
            "reload it and try again",
        ) from None
    if saved is None:
        return Value(base=the_base, indicator=the_indicator, year=year, raw="", version=0)
    return saved


@router.get(
    "/campaigns/{code}/values/{base}/{indicator}/{year}/history",
    response=list[AuditOut],
    summary="The audit trail of one value",
    description="Every change, newest first: action, old and new text, who, when and why.",
)
@paginate(Page)
def value_history_list(request, code: str, base: str, indicator: str, year: Year):
    campaign = campaign_or_404(code)
    campaign_years_check(campaign, {("path", "year"): year})
    the_base = _visible_base_in_campaign(request.auth, campaign, base)
    the_indicator = _indicator_or_404(campaign, indicator)
    return value_history(
        campaign=campaign, base_code=the_base.code, indicator_code=the_indicator.code, year=year
    )


def campaign_years_check(campaign: Campaign, years: dict[tuple[str, str], int | None]) -> None:
    """422 naming every year parameter (``(where, name): year``; None: not given) that is
    outside the campaign's years."""
    problems = []
    for (where, name), year in years.items():
        if year is None:
            continue
        reason = year_range_problem(
            name, year, campaign.first_year, campaign.last_year, f"campaign '{campaign.code}'"
        )
        if reason:
            problems.append(
                {
                    "loc": [where, name],
                    "msg": reason,
                    "type": ProblemCode.YEAR_OUTSIDE_CAMPAIGN.value,
                }
            )
    if problems:
        raise ValidationError(problems)


def _visible_base_in_campaign(user, campaign, code):
    base = selectors.base_visible_get(user, code)
    if base is None or not selectors.campaign_has_base(campaign, base):
        raise HttpError(
            404, f"There is no base '{code}' that you may see in campaign '{campaign.code}'."
        )
    return base


def _indicator_or_404(campaign, code):
    indicator = selectors.indicator_find(campaign.framework, code)
    if indicator is None:
        raise HttpError(
            404, f"There is no indicator '{code}' in the framework {campaign.framework}."
        )
    return indicator


def _checked_value(campaign, base, indicator, year, text) -> str | None:
    """The value's normalised text, as the file reader would store it, or 422 for every
    problem found."""
    problems = []

    def problem(loc, code: ProblemCode, message: str) -> None:
        problems.append({"loc": loc, "msg": message, "type": code.value})

    if not campaign.covers_year(year):
        problem(
            ["path", "year"],
            ProblemCode.YEAR_OUTSIDE_CAMPAIGN,
            f"year {year} is outside the campaign's years "
            f"{campaign.first_year}-{campaign.last_year}",
        )
    categories = [c.code for c in indicator.categories.all()]
    category = base.subcategory.category_id
    if not indicator_applies(categories, category):
        problem(
            ["path", "indicator"],
            ProblemCode.NOT_APPLICABLE,
            f"indicator '{indicator.code}' does not apply to base '{base.code}' of category "
            f"'{category}'; it applies only to {', '.join(categories)}",
        )
    checked = value_check(text, non_negative=indicator.non_negative, indicator=indicator.code)
    for found in checked.problems:
        problem(["body", "value"], found.code, found.message)
    if problems:
        raise ValidationError(problems)
    return checked.raw or None
