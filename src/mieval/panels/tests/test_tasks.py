"""The ``panels_form`` background job: progress from the optimiser, result linking the set."""

import dataclasses

import pytest
from django.utils import translation

from mieval.core.panels.optimiser import PanelConfig, Progress
from mieval.jobs.models import Job
from mieval.jobs.worker import run_next
from mieval.panels.models import PanelSet
from mieval.panels.services import panels_form_request
from mieval.panels.tasks import panels_form_job, progress_message

SMALL = PanelConfig(
    groups=2,
    min_size=3,
    max_size=3,
    min_professional=1,
    min_operational=1,
    min_org_kinds=2,
    time_limit=10,
    num_workers=1,
)


def test_the_progress_message_names_solutions_objective_bound_and_time():
    with translation.override("en"):
        text = progress_message(2, Progress(objective=12.0, bound=14.0, seconds=3.21))

    assert text == "Solutions found: 2; objective 12, bound 14; 3.2 s elapsed."


@pytest.mark.django_db
def test_the_job_reports_each_solution_and_links_the_proposed_set(campaign_c, roster, alice):
    calls = []

    def progress(fraction, message=""):
        calls.append((fraction, message))

    progress.job = Job(created_by=alice)
    with translation.override("en"):
        result = panels_form_job({"campaign": "c", "config": dataclasses.asdict(SMALL)}, progress)

    panel_set = PanelSet.objects.get()
    assert result == {
        "panel_set": panel_set.pk,
        "status": "optimal",
        "objective": panel_set.objective,
        "bound": panel_set.objective,
        "solutions": len(calls) - 1,
        "url": f"/campaigns/c/panels/?set={panel_set.pk}",
    }
    assert (panel_set.state, panel_set.created_by, panel_set.panels.count()) == (
        "proposed",
        alice,
        2,
    )
    assert calls[0] == (0.0, "Forming the expert panels")
    assert len(calls) >= 2
    assert calls[1][1].startswith("Solutions found: 1; objective ")
    assert all(0.0 <= fraction <= 0.99 for fraction, _ in calls)


@pytest.mark.django_db
def test_the_worker_runs_a_requested_formation(campaign_c, roster, alice):
    job = panels_form_request(campaign=campaign_c, config=SMALL, user=alice)
    assert (job.state, job.params["config"]["groups"]) == ("queued", 2)

    done = run_next()

    panel_set = PanelSet.objects.get()
    assert (done.pk, done.state, done.progress) == (job.pk, "done", 1.0)
    assert done.result["url"] == f"/campaigns/c/panels/?set={panel_set.pk}"
    assert panel_set.created_by == alice


@pytest.mark.django_db
def test_the_jobs_page_links_to_the_proposed_set(client, campaign_c, roster, alice):
    panels_form_request(campaign=campaign_c, config=SMALL, user=alice)
    done = run_next()
    client.force_login(alice)

    response = client.get(f"/jobs/{done.pk}/")

    assert response.context["result_url"] == done.result["url"]
    assert f'href="/campaigns/c/panels/?set={done.result["panel_set"]}"' in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_an_infeasible_formation_is_a_finished_job_with_the_unmet_rules(campaign_c, roster, alice):
    config = dataclasses.replace(SMALL, min_size=7, max_size=7)
    panels_form_request(campaign=campaign_c, config=config, user=alice)

    done = run_next()

    panel_set = PanelSet.objects.get()
    assert (done.state, done.result["status"], panel_set.status) == (
        "done",
        "infeasible",
        "infeasible",
    )
    assert panel_set.unmet != []
