"""Reads for the pages: the frames of a campaign in a fixed number of queries."""

import datetime as dt

import pandas as pd
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mieval.collection.models import Campaign, Value
from mieval.core import reference
from mieval.core.trends.decompose import DecompositionNote
from mieval.indicators.models import Framework, Indicator
from mieval.lib.i18n import group_name
from mieval.lib.numbers import float_or_none


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


def trend_table_page(table, labels: dict, by: str | None) -> tuple[list[dict], dict]:
    """The rows of a :func:`~mieval.core.trends.table.trend_table` as the trends pages show them
    (figures, counts, growth and why it is undefined, in the reader's language) and the data of
    their chart; ``labels`` are the page's indicator labels."""
    width = len(table.years)
    figures = table.yearly["value"].tolist()
    counts = table.yearly["n"].tolist()
    rows = []
    for position, growth in enumerate(table.growth.itertuples(index=False)):
        cells = [
            {
                "year": year,
                "value": float_or_none(figures[position * width + offset]),
                "n": int(counts[position * width + offset]),
            }
            for offset, year in enumerate(table.years)
        ]
        rows.append(
            {
                "indicator": labels[growth.indicator],
                "group": growth.group,
                "group_label": group_name(by, growth.group),
                "stat": table.stats[growth.indicator],
                "cells": cells,
                "cagr_percent": float_or_none(growth.cagr * 100),
                "cagr_note": _growth_note(growth),
            }
        )
    chart = {
        "kind": "trends",
        "years": table.years,
        "indicators": [
            {"code": code, "name": labels[code]["name"], "unit": labels[code]["unit"]}
            for code in dict.fromkeys(r["indicator"]["code"] for r in rows)
        ],
        "series": [
            {
                "indicator": r["indicator"]["code"],
                "group": r["group"],
                "name": r["group_label"],
                "values": [c["value"] for c in r["cells"]],
            }
            for r in rows
        ],
    }
    return rows, chart


def _growth_note(growth) -> str | None:
    """Why a growth rate is undefined, in the reader's language."""
    if not isinstance(growth.cagr_note, str):
        return None
    if growth.first_year == growth.last_year:
        return _("Only one year (%(year)s) has a value.") % {"year": growth.first_year}
    if "start value is zero" in growth.cagr_note:
        return _("The value of the first year (%(year)s) is zero.") % {"year": growth.first_year}
    if "start value is negative" in growth.cagr_note:
        return _("The value of the first year (%(year)s) is negative.") % {
            "year": growth.first_year
        }
    if "end value is negative" in growth.cagr_note:
        return _("The value of the last year (%(year)s) is negative.") % {"year": growth.last_year}
    return _("The first or last value is not a finite number.")


def trend_decomposition_page(frame: pd.DataFrame, labels: dict[str, dict], by: str | None) -> dict:
    """The trends page's composition effect from a
    :func:`~mieval.core.trends.decompose.trend_decomposition` frame: ``rows`` for the table
    (one per indicator, group and year; the note in the reader's language where no base
    reported both years) and ``chart``, the stacked bars' data (within, entry, exit and the
    change per year, by indicator and group). ``labels`` are the page's indicator labels."""
    rows = []
    for record in frame.to_dict("records"):
        defined = not pd.isna(record["within"])
        rows.append(
            {
                "indicator": labels[record["indicator"]],
                "group": record["group"],
                "group_label": group_name(by, record["group"]),
                "year": int(record["year"]),
                "change": float_or_none(record["change"]),
                "within": float_or_none(record["within"]),
                "entry": float_or_none(record["entry"]),
                "exit": float_or_none(record["exit"]),
                "n_common": int(record["n_common"]),
                "n_entered": int(record["n_entered"]),
                "n_exited": int(record["n_exited"]),
                "note": None if defined else _decomposition_note(record),
            }
        )
        rows[-1]["parts"] = [(p, rows[-1][p]) for p in ("within", "entry", "exit")]
    series: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (row["indicator"]["code"], row["group"])
        entry = series.setdefault(
            key,
            {
                "indicator": key[0],
                "group": key[1],
                **{part: [] for part in ("within", "entry", "exit", "change")},
            },
        )
        for part in ("within", "entry", "exit", "change"):
            entry[part].append(row[part])
    codes = list(dict.fromkeys(r["indicator"]["code"] for r in rows))
    groups = list(dict.fromkeys(r["group"] for r in rows))
    chart = {
        "kind": "decomposition",
        "years": sorted({r["year"] for r in rows}),
        "indicators": [
            {
                "code": code,
                "name": labels[code]["name"],
                "unit": labels[code]["unit"],
                "decimals": labels[code]["decimals"],
            }
            for code in codes
        ],
        "groups": [{"code": g, "name": group_name(by, g)} for g in groups],
        "series": list(series.values()),
        "text": {
            "within": pgettext("composition effect", "Within"),
            "entry": pgettext("composition effect", "Entry"),
            "exit": pgettext("composition effect", "Exit"),
            "change": _("Change of the mean"),
        },
    }
    return {"rows": rows, "chart": chart}


def _decomposition_note(record: dict) -> str:
    """Why a year has no split, in the reader's language (the core's note is English)."""
    year = int(record["year"])
    numbers = {
        "prev": year - 1,
        "year": year,
        "n_prev": int(record["n_prev"]),
        "n_now": int(record["n_now"]),
    }
    code = record["note_code"]
    if code == DecompositionNote.NO_VALUES:
        return _("No base reported a value in %(prev)s or in %(year)s.") % numbers
    if code == DecompositionNote.NO_VALUES_PREV:
        return _("No base reported a value in %(prev)s, so none reported both years.") % numbers
    if code == DecompositionNote.NO_VALUES_NOW:
        return _("No base reported a value in %(year)s, so none reported both years.") % numbers
    return (
        _(
            "No base reported a value in both %(prev)s and %(year)s (bases: %(n_prev)s in "
            "%(prev)s, %(n_now)s in %(year)s, none the same)."
        )
        % numbers
    )


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
                # The base's name at the end of the round (a later renaming kept the old one).
                "base_name": localized(*base.names_on(dt.date(campaign.last_year, 12, 31))),
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
