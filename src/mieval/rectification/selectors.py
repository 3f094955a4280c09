"""Reads of the problem register and of rectification: a few queries per page, never one per
row. Others call :func:`problems_for_base` (the feedback letter, the scoring page),
:func:`problem_counts` (the report) and :func:`rectification_carried` (the next round)."""

from dataclasses import dataclass

import pandas as pd
from django.db.models import Prefetch, Q, QuerySet

from mieval.core import reference
from mieval.core.problem_counts import DIMENSIONS
from mieval.core.problem_counts import problem_counts as counts_of
from mieval.lib.i18n import localized
from mieval.rectification.models import (
    EvaluationProblem,
    FeedbackLetter,
    ProblemType,
    Progress,
    Rectification,
    RegisterEvent,
    TaxonomyVersion,
)


def _with_everything(problems: QuerySet) -> QuerySet:
    return problems.select_related(
        "base__subcategory__category",
        "base__province",
        "type__taxonomy",
        "campaign",
        "rectification",
    ).prefetch_related(
        "evidence",
        Prefetch("rectification__progress", queryset=Progress.objects.order_by("reported_at")),
    )


def problems_for_base(*, campaign, base, confirmed_only: bool = True) -> QuerySet:
    """The base's problems in the campaign (only confirmed ones unless ``confirmed_only`` is
    false), most severe first, with type, evidence, rectification and its progress."""
    problems = EvaluationProblem.objects.filter(campaign=campaign, base=base)
    if confirmed_only:
        problems = problems.confirmed()
    return _with_everything(problems).most_severe_first()


def problems_listed(problems: QuerySet, *, state="", type_code="", source="", base_code=""):
    """A register page's rows: ``problems`` (what the user may see) filtered."""
    if state:
        problems = problems.filter(state=state)
    if type_code:
        problems = problems.filter(type__code=type_code)
    if source:
        problems = problems.filter(source=source)
    if base_code:
        problems = problems.filter(base__code=base_code)
    return _with_everything(problems).order_by("base__code", "pk")


def problems_frame(*, campaign) -> pd.DataFrame:
    """The campaign's problems as ``core.problem_counts`` reads them (one query)."""
    rows = EvaluationProblem.objects.filter(campaign=campaign).values_list(
        "pk",
        "type__code",
        "base__subcategory__category_id",
        "base__subcategory_id",
        "base__province__region",
        "severity",
        "state",
    )
    frame = pd.DataFrame(
        list(rows),
        columns=[
            "problem_id",
            "type_code",
            "category",
            "subcategory",
            "region",
            "severity",
            "state",
        ],
    )
    frame["region_group"] = [reference.REGION_BY_CODE[r].group for r in frame["region"]]
    return frame.drop(columns="region")


def problem_counts(*, campaign, by: tuple[str, ...] = DIMENSIONS, examples: int = 3):
    """Confirmed problems counted by type × category × subcategory × region group (or ``by``),
    with the most severe as typical examples (``core.problem_counts.problem_counts``)."""
    return counts_of(problems_frame(campaign=campaign), by=by, examples=examples)


def type_names() -> dict[str, str]:
    """Each type code's name in the reader's language, from the latest version holding it."""
    names = {}
    for t in ProblemType.objects.order_by("taxonomy__number", "order"):
        names[t.code] = localized(t.name_zh, t.name_en)
    return names


def _dimension_label(column: str, code: str) -> str:
    zh, en = reference.group_label(column, code)
    return localized(zh, en)


@dataclass(frozen=True)
class CountRow:
    labels: tuple[str, ...]
    n: int
    n_serious: int
    n_moderate: int
    n_minor: int
    examples: tuple[EvaluationProblem, ...]


def problem_counts_rows(*, campaign, by: tuple[str, ...] = DIMENSIONS) -> list[CountRow]:
    """The counts page's rows: the groups' names in the reader's language and the typical
    examples as problems (two queries besides the counts')."""
    counts = problem_counts(campaign=campaign, by=by)
    ids = [i for examples in counts["examples"] for i in examples]
    found = {p.pk: p for p in EvaluationProblem.objects.filter(pk__in=ids).select_related("base")}
    names = type_names()
    rows = []
    for row in counts.to_dict("records"):
        labels = tuple(
            names.get(row[c], row[c]) if c == "type_code" else _dimension_label(c, row[c])
            for c in by
        )
        rows.append(
            CountRow(
                labels=labels,
                n=int(row["n"]),
                n_serious=int(row["n_serious"]),
                n_moderate=int(row["n_moderate"]),
                n_minor=int(row["n_minor"]),
                examples=tuple(found[i] for i in row["examples"]),
            )
        )
    return rows


def _earlier(campaign) -> Q:
    """Campaigns before ``campaign``: an earlier first year, or the same and an earlier last."""
    return Q(campaign__first_year__lt=campaign.first_year) | Q(
        campaign__first_year=campaign.first_year, campaign__last_year__lt=campaign.last_year
    )


def rectification_carried(*, campaign, base=None) -> QuerySet:
    """The base's confirmed problems of earlier campaigns, with what was promised (the plan)
    and what was done (its progress and verification); ``base=None``: of every base in the
    campaign's scope. Newest campaign first, most severe first."""
    problems = EvaluationProblem.objects.confirmed().filter(_earlier(campaign))
    if base is not None:
        problems = problems.filter(base=base)
    else:
        problems = problems.filter(base__in=campaign.bases.all())
    return _with_everything(problems).order_by(
        "-campaign__first_year", "-campaign__last_year", "base__code", "pk"
    )


def rectifications_overdue(*, campaign, today) -> QuerySet:
    """The campaign's open rectifications whose deadline has passed, oldest deadline first."""
    return (
        Rectification.objects.filter(
            problem__campaign=campaign,
            state__in=Rectification.OPEN_STATES,
            deadline__lt=today,
        )
        .select_related("problem__base", "problem__type")
        .order_by("deadline", "problem_id")
    )


def rectification_states(*, campaign) -> dict[str, int]:
    """Confirmed problems of the campaign by rectification state (``awaiting_plan``: none yet)."""
    counts = {"awaiting_plan": 0, **{s: 0 for s in Rectification.State.values}}
    for state in (
        EvaluationProblem.objects.confirmed()
        .filter(campaign=campaign)
        .values_list("rectification__state", flat=True)
    ):
        counts[state or "awaiting_plan"] += 1
    return counts


def taxonomy_types(version: TaxonomyVersion | None = None) -> QuerySet:
    """The types of a taxonomy version (default: the latest)."""
    version = version or TaxonomyVersion.objects.order_by("-number").first()
    return ProblemType.objects.filter(taxonomy=version).order_by("order", "code")


def problem_events(problem: EvaluationProblem) -> QuerySet:
    return problem.events.order_by("at", "pk")


# --- feedback letters -----------------------------------------------------------------------


def letter_grades(campaign) -> dict[str, tuple[str, str]]:
    """Base code → (Chinese, English) name of its grade, from the panels' results (bases
    without a grade are left out)."""
    from mieval.panels.selectors import score_results

    results = score_results(campaign)
    if results is None:
        return {}
    return {
        row.base: (row.grade_zh, row.grade_en)
        for row in results.grades.itertuples(index=False)
        if row.grade
    }


@dataclass(frozen=True)
class LetterRow:
    base: object
    opinion_state: str | None
    letter: FeedbackLetter | None


def letter_rows(campaign) -> list[LetterRow]:
    """The office's list: every base of the campaign with its opinion's state and its letter."""
    from mieval.visits.models import Opinion

    opinions = dict(Opinion.objects.filter(campaign=campaign).values_list("base_id", "state"))
    letters = {
        letter.base_id: letter
        for letter in FeedbackLetter.objects.filter(campaign=campaign).select_related(
            "generated_by", "sent_by"
        )
    }
    return [
        LetterRow(base, opinions.get(base.pk), letters.get(base.pk))
        for base in campaign.bases.order_by("code")
    ]


def letter_for(*, campaign, base) -> FeedbackLetter | None:
    return (
        FeedbackLetter.objects.filter(campaign=campaign, base=base)
        .select_related("campaign", "base", "generated_by", "sent_by")
        .first()
    )


def letter_events(*, campaign, base_code: str) -> QuerySet:
    return RegisterEvent.objects.filter(
        campaign=campaign,
        action__in=[RegisterEvent.Action.LETTER_GENERATED, RegisterEvent.Action.LETTER_SENT],
        changes__base=base_code,
    ).order_by("at", "id")
