"""``manage request_index_runs``: an index run of every framework for each campaign year."""

import pytest
from django.core.management import call_command

from mieval.analytics.models import IndexRun
from mieval.jobs.models import Job
from mieval.jobs.worker import run_next

pytestmark = pytest.mark.django_db


def queued():
    return sorted(
        (j.params["framework"], j.params["year"], j.params["sensitivity"])
        for j in Job.objects.filter(kind="index_run", state="queued")
    )


def test_one_run_per_framework_and_year_sensitivity_in_the_last(campaign_c):
    call_command("load_index_frameworks")
    from mieval.analytics.models import IndexFramework

    ids = dict(IndexFramework.objects.values_list("code", "pk"))

    call_command("request_index_runs", campaign="c", runs=20, sensitivity=True)

    assert queued() == sorted(
        (ids[code], year, year == 2018)
        for code in ("mie-region", "mie-university", "mie-enterprise")
        for year in (2016, 2017, 2018)
    )
    job = Job.objects.get(params__framework=ids["mie-region"], params__year=2017)
    assert job.params == {
        "campaign": "c",
        "framework": ids["mie-region"],
        "year": 2017,
        "runs": 20,
        "noise": 0.25,
        "seed": 0,
        "alt_aggregation": False,
        "sensitivity": False,
    }


def test_queued_and_done_runs_are_not_asked_for_again_failed_ones_are(campaign_c):
    from mieval.analytics.services import index_framework_create
    from mieval.analytics.tests.test_index_run import TINY
    from mieval.registry.models import Category

    index_framework_create(
        code="tiny",
        category=Category.objects.get(code="region"),
        name_zh="小",
        name_en="Tiny",
        text=TINY,
        user=None,
    )
    call_command("request_index_runs", campaign="c", runs=0)
    call_command("request_index_runs", campaign="c", runs=0)
    assert Job.objects.count() == 3

    while run_next() is not None:
        pass
    assert sorted(IndexRun.objects.values_list("year", flat=True)) == [2016, 2017, 2018]
    Job.objects.filter(params__year=2017).update(state="failed")
    IndexRun.objects.filter(year=2017).delete()

    call_command("request_index_runs", campaign="c", runs=0)
    assert [j.params["year"] for j in Job.objects.filter(state="queued")] == [2017]


def test_an_unknown_campaign_is_named(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no campaign 'nope'"):
        call_command("request_index_runs", campaign="nope")
