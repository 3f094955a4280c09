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


def base_rounds_history(programme, base) -> list[dict]:
    """A base's history across the rounds of ``programme`` in which it was in scope, oldest
    first: per round the campaign, its years, the base's values by indicator and year (the
    round's own framework), its rank and rank interval in each index (each framework's latest
    run of the latest year), its grade, the panel's accepted opinion, its confirmed problems
    with their rectification, and whether its feedback letter was sent. A fixed number of
    queries per round, whatever the number of bases."""
    from mieval.analytics.models import IndexScore
    from mieval.indicators.selectors import framework_indicators_frame
    from mieval.lib.i18n import in_chinese, localized
    from mieval.rectification.models import EvaluationProblem, FeedbackLetter
    from mieval.rectification.selectors import letter_grades
    from mieval.visits.models import Opinion

    campaigns = list(
        programme.campaigns.filter(bases=base).select_related("framework").order_by("round")
    )
    rounds = []
    for campaign in campaigns:
        indicators = framework_indicators_frame(campaign.framework)
        category = base.subcategory.category_id
        values = {
            (code, year): float(value)
            for code, year, value in Value.objects.filter(campaign=campaign, base=base).values_list(
                "indicator__code", "year", "value"
            )
        }
        years = list(range(campaign.first_year, campaign.last_year + 1))
        value_rows = [
            {
                "code": row.code,
                "name": localized(row.name_zh, row.name_en),
                "unit": (row.unit_zh or row.unit) if in_chinese() else row.unit,
                "decimals": int(row.decimals),
                # floatformat's argument: the indicator's decimals, with thousands grouped.
                "fmt": f"{int(row.decimals)}g",
                "cells": [values.get((row.code, y)) for y in years],
            }
            for row in indicators.itertuples(index=False)
            if not row.categories or category in row.categories
        ]
        latest: dict = {}
        for run in campaign.index_runs.select_related("framework").order_by(
            "-year", "-created_at", "-pk"
        ):
            latest.setdefault(run.framework.code, run)
        tops = {run.pk: run.dimensions[0] for run in latest.values() if run.dimensions}
        scores = {
            s.run_id: s
            for s in IndexScore.objects.filter(run__in=list(latest.values()), base=base)
            if tops.get(s.run_id) == s.code
        }
        ranks = [
            {"run": run, "framework": code, "score": scores[run.pk]}
            for code, run in sorted(latest.items())
            if run.pk in scores
        ]
        opinion = Opinion.objects.filter(
            campaign=campaign, base=base, state=Opinion.State.ACCEPTED
        ).first()
        problems = list(
            EvaluationProblem.objects.filter(
                campaign=campaign, base=base, state=EvaluationProblem.State.CONFIRMED
            )
            .select_related("type", "rectification")
            .order_by("proposed_at", "pk")
        )
        letter_sent = FeedbackLetter.objects.filter(
            campaign=campaign, base=base, state=FeedbackLetter.State.SENT
        ).exists()
        rounds.append(
            {
                "campaign": campaign,
                "name": localized(campaign.name_zh, campaign.name_en),
                "years": years,
                "values": value_rows,
                "ranks": ranks,
                "grade": letter_grades(campaign).get(base.code),
                "opinion": opinion,
                "problems": problems,
                "letter_sent": letter_sent,
            }
        )
    return rounds
