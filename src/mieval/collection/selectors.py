"""Reads of campaigns and their values, as the frames the functional core takes."""

import pandas as pd

from mieval.collection.models import Campaign, Value, ValueAudit
from mieval.registry.selectors import bases_frame

VALUE_COLUMNS = ["base_code", "indicator_code", "year", "value"]


def campaign_get(code: str) -> Campaign:
    return Campaign.objects.select_related("framework").get(code=code)


def campaign_bases_frame(campaign: Campaign) -> pd.DataFrame:
    return bases_frame(campaign.bases.all())


def campaign_values_frame(campaign: Campaign, *, raw: bool = False) -> pd.DataFrame:
    """The campaign's values in long format, one query.

    ``value`` is a float for computation; with ``raw=True`` it is the exact text as entered.
    """
    rows = Value.objects.filter(campaign=campaign).values_list(
        "base__code", "indicator__code", "year", "raw" if raw else "value"
    )
    frame = pd.DataFrame.from_records(list(rows), columns=VALUE_COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    if not raw:
        frame["value"] = frame["value"].astype("float64")
    return frame.sort_values(["base_code", "indicator_code", "year"], ignore_index=True)


def value_history(*, campaign: Campaign, base_code: str, indicator_code: str, year: int):
    """The audit trail of one value, newest first."""
    return ValueAudit.objects.filter(
        campaign=campaign, base__code=base_code, indicator__code=indicator_code, year=year
    ).select_related("user")
