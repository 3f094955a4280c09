"""Writes of composite indices: frameworks, run requests, stored results."""

from django.db import transaction
from django.urls import reverse

from mieval.analytics.models import IndexFramework, IndexRun, IndexScore
from mieval.jobs.services import job_enqueue


@transaction.atomic
def index_framework_create(
    *, code: str, category, name_zh: str, name_en: str, text: str, user=None
) -> IndexFramework:
    """A new version of the framework ``code`` (1 for a new code). The text is checked first:
    an invalid framework raises :class:`~mieval.lib.problems.InputError`."""
    from mieval.analytics.index import framework_parse

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
