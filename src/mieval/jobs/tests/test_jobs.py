"""Jobs: enqueue, run by the worker, progress, failure, the job page."""

import pytest
from django.urls import reverse

from mieval.jobs.models import Job
from mieval.jobs.registry import JOBS, job
from mieval.jobs.services import job_enqueue
from mieval.jobs.worker import run_next


@pytest.fixture
def kinds():
    """Two test job kinds, removed afterwards."""
    seen = []

    @job("test_add")
    def add(params, progress):
        seen.append(progress.job.pk)
        progress(0.5, "half way")
        return {"sum": params["a"] + params["b"]}

    @job("test_fail")
    def fail(params, progress):
        progress(0.25, "started")
        raise ValueError("the value 'x' is not a number")

    yield seen
    del JOBS["test_add"], JOBS["test_fail"]


def test_enqueue_then_run_next(kinds, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = job_enqueue(kind="test_add", params={"a": 2, "b": 3}, user=alice)
    assert (queued.state, queued.progress, queued.created_by) == ("queued", 0.0, alice)

    done = run_next()

    assert done.pk == queued.pk
    assert kinds == [queued.pk]
    assert (done.state, done.progress, done.result, done.error) == ("done", 1.0, {"sum": 5}, "")
    assert done.started_at <= done.finished_at
    assert run_next() is None


def test_oldest_first(kinds, alice):
    first = job_enqueue(kind="test_add", params={"a": 1, "b": 1}, user=alice)
    second = job_enqueue(kind="test_add", params={"a": 2, "b": 2}, user=alice)

    assert run_next().pk == first.pk
    assert run_next().pk == second.pk


def test_failing_job_records_the_error(kinds, alice):
    job_enqueue(kind="test_fail", params={}, user=alice)

    failed = run_next()

    assert failed.state == Job.State.FAILED
    assert failed.error.startswith("ValueError: the value 'x' is not a number")
    assert failed.progress == 0.25
    assert failed.message == "started"
    assert failed.result is None


def test_unknown_kind_is_refused(alice):
    with pytest.raises(ValueError, match="unknown job kind 'nope'"):
        job_enqueue(kind="nope", params={}, user=alice)
    assert Job.objects.count() == 0


def test_eager_mode_runs_after_commit(kinds, alice, settings, django_capture_on_commit_callbacks):
    settings.JOBS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        queued = job_enqueue(kind="test_add", params={"a": 1, "b": 2}, user=alice)

    queued.refresh_from_db()
    assert (queued.state, queued.result) == ("done", {"sum": 3})


def test_run_jobs_once(kinds, alice):
    from django.core.management import call_command

    queued = job_enqueue(kind="test_add", params={"a": 4, "b": 4}, user=alice)
    call_command("run_jobs", "--once")

    queued.refresh_from_db()
    assert queued.result == {"sum": 8}


def test_run_jobs_drain_runs_every_queued_job_then_stops(kinds, alice):
    from django.core.management import call_command

    jobs = [job_enqueue(kind="test_add", params={"a": n, "b": 1}, user=alice) for n in (1, 2)]
    failing = job_enqueue(kind="test_fail", params={}, user=alice)
    call_command("run_jobs", "--drain")

    states = [Job.objects.get(pk=j.pk) for j in [*jobs, failing]]
    assert [(j.state, j.result) for j in states] == [
        ("done", {"sum": 2}),
        ("done", {"sum": 3}),
        ("failed", None),
    ]


# --- the job page ----------------------------------------------------------------------------

USERS = ["ada", "alice", "bob", "carol", "erin", "oscar", "victor", "stranger", None]


@pytest.mark.parametrize(
    ("creator", "expected"),
    [
        # The creator and the office (admin, analysts) see a job; anyone else gets 404.
        #          ada  alice bob carol erin oscar victor stranger anonymous
        ("bob",   [200, 200, 200, 404, 404, 404, 404, 404, 302]),
        ("alice", [200, 200, 404, 404, 404, 404, 404, 404, 302]),
    ],
)  # fmt: skip
def test_job_page_status(client, everyone, kinds, creator, expected):
    queued = job_enqueue(kind="test_add", params={"a": 1, "b": 1}, user=everyone[creator])
    url = reverse("job_detail", args=[queued.pk])
    statuses = []
    for user in USERS:
        client.logout()
        if user:
            client.force_login(everyone[user])
        statuses.append(client.get(url).status_code)
    assert statuses == expected


def test_job_page_polls_while_running_and_links_the_result(client, alice, kinds):
    queued = job_enqueue(kind="test_add", params={"a": 1, "b": 1}, user=alice)
    client.force_login(alice)
    url = reverse("job_detail", args=[queued.pk])

    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert '<progress id="job-progress" max="100" value="0">' in page

    Job.objects.filter(pk=queued.pk).update(
        state=Job.State.DONE, progress=1.0, result={"url": "/campaigns/c/index/7/"}
    )
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert "every 1s" not in fragment
    assert 'value="100"' in fragment
    assert 'href="/campaigns/c/index/7/"' in fragment
