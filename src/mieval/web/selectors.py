"""Reads for the pages: the frames of a campaign in a fixed number of queries."""

import pandas as pd
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from mieval.collection.models import Campaign, Value
from mieval.core import reference
from mieval.indicators.models import Framework, Indicator
from mieval.lib.i18n import group_name


def campaigns_listed():
    """Every campaign with its number of bases and values (one query), by programme and, within
    one, the latest round first."""
    values = (
        Value.objects.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Campaign.objects.select_related("framework", "programme")
        .annotate(
            n_bases=Count("bases", distinct=True),
            n_values=Coalesce(Subquery(values, output_field=IntegerField()), 0),
        )
        .order_by("programme__code", "-round")
    )


def frameworks_listed():
    """Every framework version with its number of indicators and campaigns (one query)."""
    indicators = (
        Indicator.objects.filter(framework=OuterRef("pk"))
        .order_by()
        .values("framework")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Framework.objects.annotate(
        n_indicators=Coalesce(Subquery(indicators, output_field=IntegerField()), 0),
        n_campaigns=Count("campaigns", distinct=True),
    ).order_by("code", "-version")


BREAKDOWN_FIELDS = ("category", "subcategory", "region", "batch")


def bases_breakdowns(bases: pd.DataFrame) -> dict[str, list[dict]]:
    """How many of the ``bases`` (a frame with the derived ``region``) fall in each category,
    subcategory, economic region and batch: per field, rows of ``code``, ``label`` (in the
    reader's language) and ``n``, in the reference order (batches by year); values without a
    base are left out."""
    breakdowns = {}
    for field in BREAKDOWN_FIELDS:
        counts = bases[field].value_counts() if len(bases) else pd.Series(dtype="int64")
        if field == "batch":
            order = sorted(counts.index)
        else:
            order = [code for code in reference.group_order(field) if code in counts.index]
        breakdowns[field] = [
            {"code": str(code), "label": group_name(field, code), "n": int(counts[code])}
            for code in order
        ]
    return breakdowns
