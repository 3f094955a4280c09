"""Writes of composite indices: frameworks, run requests, stored results."""

from django.db import transaction
from django.urls import reverse

from mieval.analytics.models import IndexFramework, IndexRun, IndexScore
from mieval.core.problems import InputError, Problem, ProblemCode
from mieval.jobs.services import job_enqueue
from mieval.lib.concurrency import ConcurrentEditError


@transaction.atomic
def index_framework_create(
    *, code: str, category, name_zh: str, name_en: str, text: str, user=None
) -> IndexFramework:
    """A new version of the framework ``code`` (1 for a new code). The text is checked first:
    an invalid framework raises :class:`~mieval.core.problems.InputError`."""
    from mieval.core.index import framework_parse

    framework_parse(text, file=code)
    latest = (
        IndexFramework.objects.select_for_update()
        .filter(code=code)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return IndexFramework.objects.create(
        code=code,
        version=(latest or 0) + 1,
        category=category,
        name_zh=name_zh,
        name_en=name_en,
        text=text,
        created_by=user,
    )


def index_framework_check(text: str, *, file: str):
    """The framework parsed, with its indicators and denominators checked against the indicator
    frameworks in the database: an :class:`InputError` naming every problem (line, key)."""
    from mieval.core.index import framework_parse
    from mieval.indicators.models import Indicator

    parsed = framework_parse(text, file=file)
    codes = [*parsed.indicators, *parsed.denominators]
    known = set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
    problems = [
        parsed.problem(
            code,
            ProblemCode.UNKNOWN_CODE,
            f"'{code}' is not an indicator of any indicator framework",
            key="code" if code in parsed.indicators else "",
        )
        for code in codes
        if code not in known
    ]
    if problems:
        raise InputError(problems)
    return parsed


@transaction.atomic
def index_framework_new_version(
    *, edited: IndexFramework, text: str, name_zh: str, name_en: str, user
) -> IndexFramework:
    """Save ``text`` as the next version of ``edited``'s framework (versions are never edited).

    Raises :class:`InputError` (nothing saved) for a text the parser refuses, an unknown
    indicator, or a text identical to ``edited``'s;
    :class:`~mieval.lib.concurrency.ConcurrentEditError` (with the newer version as ``latest``)
    when a newer version than ``edited`` has been saved meanwhile.
    """
    file = f"{edited.code} v{edited.version + 1}"
    index_framework_check(text, file=file)
    latest = (
        IndexFramework.objects.select_for_update()
        .filter(code=edited.code)
        .order_by("-version")
        .first()
    )
    if latest.pk != edited.pk:
        raise ConcurrentEditError(f"{latest} was saved meanwhile", latest=latest)
    if text.strip() == latest.text.strip() and (name_zh, name_en) == (
        latest.name_zh,
        latest.name_en,
    ):
        raise InputError([Problem(file, None, None, ProblemCode.INCONSISTENT, "nothing changed")])
    return IndexFramework.objects.create(
        code=latest.code,
        version=latest.version + 1,
        category=latest.category,
        name_zh=name_zh,
        name_en=name_en,
        text=text,
        created_by=user,
    )


@transaction.atomic
def index_run_request(*, campaign, framework: IndexFramework, year: int, params: dict, user):
    """Queue the computation of an index run; the job's page follows its progress."""
    return job_enqueue(
        kind="index_run",
        params={"campaign": campaign.code, "framework": framework.pk, "year": year, **params},
        user=user,
    )


@transaction.atomic
def index_run_store(*, campaign, framework, year, params, job, user, computed, scores) -> IndexRun:
    """Store a computed run: ``computed`` the run's JSON fields, ``scores`` rows of
    :class:`IndexScore` fields with ``base_id``."""
    run = IndexRun.objects.create(
        campaign=campaign,
        framework=framework,
        year=year,
        params=params,
        job=job,
        created_by=user,
        **computed,
    )
    IndexScore.objects.bulk_create([IndexScore(run=run, **row) for row in scores])
    return run


def index_run_url(run: IndexRun) -> str:
    return reverse("index_run_detail", args=[run.campaign.code, run.pk])
