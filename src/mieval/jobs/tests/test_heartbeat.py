"""A job left "running" by a worker that died: the heartbeat, the reaping by the next worker,
the job page. The clock is frozen (``django.utils.timezone.now`` patched)."""

import time
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

from mieval.jobs import services
from mieval.jobs.models import WORKER_LOST, Job
from mieval.jobs.registry import JOBS, job
from mieval.jobs.services import job_claim, job_enqueue, job_fail_stale, job_progress_set
from mieval.jobs.worker import run_next

T0 = datetime(2026, 3, 1, 8, 0, 0, tzinfo=UTC)


class Clock:
    """A frozen clock that the test moves by hand."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock():
    c = Clock(T0)
    with mock.patch("django.utils.timezone.now", c):
        yield c


@pytest.fixture
def kinds():
    @job("test_sleep")
    def sleep(params, progress):
        time.sleep(params.get("seconds", 0))
        return {}

    yield
    del JOBS["test_sleep"]


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"


def _running(user) -> Job:
    """A job a worker took and then died on (claimed, never finished)."""
    queued = job_enqueue(kind="test_sleep", params={}, user=user)
    assert job_claim(queued.pk)
    return Job.objects.get(pk=queued.pk)


def test_claim_and_progress_write_the_heartbeat(kinds, alice, clock):
    running = _running(alice)
    assert running.heartbeat_at == T0

    clock.advance(120)
    job_progress_set(pk=running.pk, progress=0.5, message="half")

    running.refresh_from_db()
    assert running.heartbeat_at == T0 + timedelta(seconds=120)


def test_stale_job_is_failed_after_the_timeout(kinds, alice, clock, settings):
    settings.JOBS_STALE_AFTER = 600
    running = _running(alice)

    clock.advance(600)  # exactly the timeout: not yet
    assert job_fail_stale() == []
    clock.advance(1)
    assert job_fail_stale() == [running.pk]

    running.refresh_from_db()
    assert (running.state, running.error, running.worker_lost) == ("failed", WORKER_LOST, True)
    assert running.finished_at == T0 + timedelta(seconds=601)


def test_a_live_heartbeat_keeps_the_job(kinds, alice, clock, settings):
    settings.JOBS_STALE_AFTER = 600
    running = _running(alice)
    clock.advance(500)
    job_progress_set(pk=running.pk, progress=0.1, message="")
    clock.advance(500)  # 1000 s after the start, 500 s after the last sign of life

    assert job_fail_stale() == []
    running.refresh_from_db()
    assert running.state == "running"


def test_the_next_worker_fails_the_stale_job_then_runs_the_queue(kinds, alice, clock):
    dead = _running(alice)
    queued = job_enqueue(kind="test_sleep", params={}, user=alice)
    clock.advance(601)

    done = run_next()

    assert done.pk == queued.pk and done.state == "done"
    assert Job.objects.get(pk=dead.pk).state == "failed"


def test_run_jobs_once_fails_the_stale_job(kinds, alice, clock):
    dead = _running(alice)
    clock.advance(3600)

    call_command("run_jobs", "--once")

    assert Job.objects.get(pk=dead.pk).worker_lost


def test_job_page_says_so(client, english, kinds, alice, clock):
    dead = _running(alice)
    client.force_login(alice)
    url = reverse("job_detail", args=[dead.pk])

    clock.advance(300)
    assert 'id="stale"' not in client.get(url).content.decode()
    clock.advance(301)
    page = client.get(url).content.decode()
    assert "No sign of life from the worker since 2026-03-01 16:00:00" in page  # Asia/Shanghai
    assert 'hx-get="' in page  # still polling: the state may change

    job_fail_stale()
    page = client.get(url).content.decode()
    assert "The worker stopped while running this job; run it again." in page
    assert 'class="job-error"' not in page


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_beats_while_the_job_runs(kinds, alice):
    # A real clock: a job that sleeps 0.3 s and never reports progress; beats every 0.05 s.
    queued = job_enqueue(kind="test_sleep", params={"seconds": 0.3}, user=alice)
    beats = []
    real = services.job_heartbeat

    def counting(*, pk):
        beats.append(pk)
        real(pk=pk)

    with mock.patch("mieval.jobs.worker.job_heartbeat", counting):
        done = run_next(heartbeat=0.05)

    assert done.state == "done"
    assert len(beats) >= 3 and set(beats) == {queued.pk}
