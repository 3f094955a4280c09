"""The reads behind the API: querysets whose number of queries does not grow with their rows.

Every read of base data starts from :func:`mieval.accounts.permissions.bases_visible`, so an
endpoint cannot list what the user may not see.
"""

import pandas as pd
from django.db.models import Count, Q, QuerySet

from mieval.accounts.permissions import bases_visible
from mieval.collection.models import Campaign, Value
from mieval.collection.selectors import campaign_bases_frame, campaign_values_frame
from mieval.core import reference
from mieval.indicators.models import Framework, Indicator
from mieval.indicators.selectors import framework_indicators_frame
from mieval.registry.models import Base


def bases_list(
    user,
    *,
    category: str | None = None,
    subcategory: str | None = None,
    province: str | None = None,
    region: str | None = None,
    region_group: str | None = None,
    batch: int | None = None,
    q: str | None = None,
    status: str | None = None,
) -> QuerySet[Base]:
    bases = (
        bases_visible(user)
        .select_related("subcategory", "province")
        .with_lifecycle()
        .order_by("code")
    )
    if status:
        bases = bases.with_status(status)
    if category:
        bases = bases.filter(subcategory__category_id=category)
    if subcategory:
        bases = bases.filter(subcategory_id=subcategory)
    if province:
        bases = bases.filter(province_id=province)
    if region:
        bases = bases.filter(province__region=region)
    if region_group:
        regions = [r.code for r in reference.REGIONS if r.group == region_group]
        bases = bases.filter(province__region__in=regions)
    if batch is not None:
        bases = bases.filter(batch=batch)
    if q:
        bases = bases.filter(
            Q(code__icontains=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q)
        )
    return bases


def base_visible_get(user, code: str) -> Base | None:
    return (
        bases_visible(user)
        .select_related("subcategory", "province")
        .with_lifecycle()
        .filter(code=code)
        .first()
    )


def frameworks_list() -> QuerySet[Framework]:
    return Framework.objects.annotate(indicator_count=Count("indicators")).order_by(
        "code", "version"
    )


def framework_find(code: str, version: int) -> Framework | None:
    return Framework.objects.filter(code=code, version=version).first()


def framework_indicators(framework: Framework) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(framework=framework)
        .prefetch_related("categories")
        .order_by("order", "code")
    )


def indicator_find(framework: Framework, code: str) -> Indicator | None:
    return (
        Indicator.objects.filter(framework=framework, code=code)
        .prefetch_related("categories")
        .first()
    )


def campaigns_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("framework", "programme").annotate(
        bases_count=Count("bases")
    )


def campaign_find(code: str) -> Campaign | None:
    return campaigns_list().filter(code=code).first()


def campaign_has_base(campaign: Campaign, base: Base) -> bool:
    return campaign.bases.filter(pk=base.pk).exists()


def campaign_values(
    user,
    campaign: Campaign,
    *,
    base: str | None = None,
    indicator: str | None = None,
    year: int | None = None,
) -> QuerySet[Value]:
    """The campaign's values of the bases the user may see, in reading order."""
    values = (
        Value.objects.filter(campaign=campaign, base__in=bases_visible(user))
        .select_related("base", "indicator")
        .order_by("base__code", "indicator__order", "indicator__code", "year")
    )
    if base:
        values = values.filter(base__code=base)
    if indicator:
        values = values.filter(indicator__code=indicator)
    if year is not None:
        values = values.filter(year=year)
    return values


def campaign_trend_frames(campaign: Campaign) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The bases, values and indicators frames of :func:`trend_table`, in four queries."""
    return (
        campaign_bases_frame(campaign),
        campaign_values_frame(campaign),
        framework_indicators_frame(campaign.framework),
    )
