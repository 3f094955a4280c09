"""The worker: takes the oldest queued job, runs it, records the outcome.

``run_next()`` runs one job synchronously (the tests call it); ``run_forever()`` is the loop of
``manage.py run_jobs``. On PostgreSQL the next job is picked with ``SELECT ... FOR UPDATE SKIP
LOCKED`` so several workers never pick the same row; on SQLite (one writer at a time anyway) the
conditional update in :func:`~mieval.jobs.services.job_claim` is the lock.

Heartbeat: while a job runs, the worker writes ``heartbeat_at`` with every progress update and,
in ``run_forever``, from a small thread every :data:`HEARTBEAT_INTERVAL` seconds even when the
job reports no progress. Before taking a job, :func:`run_next` marks failed the running jobs
without a sign of life for ``settings.JOBS_STALE_AFTER`` seconds (their worker stopped).
"""

import logging
import os
import socket
import threading
import time
import traceback

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mieval.jobs.models import Job
from mieval.jobs.registry import job_function
from mieval.jobs.services import (
    job_claim,
    job_fail,
    job_fail_stale,
    job_finish,
    job_heartbeat,
    job_progress_set,
    worker_beat,
    worker_leave,
)

log = logging.getLogger(__name__)

#: At most one progress write per this many seconds (the page polls every second).
PROGRESS_INTERVAL = 0.5
#: Seconds between two heartbeats of a running job (well below ``JOBS_STALE_AFTER``).
HEARTBEAT_INTERVAL = 30.0
#: Seconds between two signs of life of an idle worker (the health endpoint counts workers).
WORKER_BEAT_INTERVAL = 30.0


def _next_queued() -> int | None:
    queued = Job.objects.filter(state=Job.State.QUEUED).order_by("created_at", "pk")
    if connection.vendor == "postgresql":
        with transaction.atomic():
            pk = queued.select_for_update(skip_locked=True).values_list("pk", flat=True).first()
            if pk is not None and job_claim(pk):
                return pk
            return None
    for pk in queued.values_list("pk", flat=True)[:5]:
        if job_claim(pk):
            return pk
    return None


def run_next(*, heartbeat: float | None = None) -> Job | None:
    """Run the oldest queued job; the job as it ended, or None when nothing was queued. First
    the running jobs whose worker stopped are marked failed. ``heartbeat``: seconds between
    heartbeats written by a thread while the job runs (None: only with the progress)."""
    for pk in job_fail_stale():
        log.warning("job #%s: its worker stopped while running it; marked failed", pk)
    pk = _next_queued()
    if pk is None:
        return None
    _run(pk, heartbeat=heartbeat)
    return Job.objects.get(pk=pk)


def run_job(pk: int) -> None:
    """Run this job now if it is still queued (eager mode)."""
    if job_claim(pk):
        _run(pk)


class _Heartbeat(threading.Thread):
    """Writes the job's heartbeat every ``interval`` seconds until stopped."""

    def __init__(self, pk: int, interval: float):
        super().__init__(name=f"heartbeat-{pk}", daemon=True)
        self.pk, self.interval, self.stopped = pk, interval, threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                job_heartbeat(pk=self.pk)
        except Exception:  # the job itself goes on; a stale heartbeat shows on its page
            log.exception("heartbeat of job #%s", self.pk)
        finally:
            connection.close()  # this thread's own connection


def _run(pk: int, *, heartbeat: float | None = None) -> None:
    beat = None
    if heartbeat:
        beat = _Heartbeat(pk, heartbeat)
        beat.start()
    try:
        _execute(pk)
    finally:
        if beat is not None:
            beat.stopped.set()
            beat.join()


def _execute(pk: int) -> None:
    job = Job.objects.select_related("created_by").get(pk=pk)
    last = 0.0

    def progress(fraction: float, message: str = "") -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_INTERVAL or fraction >= 1:
            last = now
            job_progress_set(pk=pk, progress=fraction, message=message)

    progress.job = job
    log.info("job %s: started (queued by %s)", job, job.created_by or "-")
    started = time.perf_counter()
    try:
        function = job_function(job.kind)
        result = function(job.params, progress)
    except Exception as error:  # any failure of the job is recorded; the worker goes on
        log.exception("job %s: failed after %.1f s", job, time.perf_counter() - started)
        job_fail(pk=pk, error=f"{type(error).__name__}: {error}\n\n{traceback.format_exc()}")
        return
    job_finish(pk=pk, result=result)
    log.info("job %s: done in %.1f s", job, time.perf_counter() - started)


def run_forever(*, poll: float = 1.0, stdout=None) -> None:
    """Take jobs until stopped; the worker, ``host:pid``, beats while idle and after each job
    and leaves the register when it stops."""
    name, started = f"{socket.gethostname()}:{os.getpid()}", timezone.now()
    log.info("worker %s: started", name)
    beaten = 0.0
    try:
        while True:
            if time.monotonic() - beaten >= WORKER_BEAT_INTERVAL:
                worker_beat(name=name, started_at=started)
                beaten = time.monotonic()
            job = run_next(heartbeat=HEARTBEAT_INTERVAL)
            if job is None:
                time.sleep(poll)
                continue
            beaten = 0.0
            if stdout is not None:
                stdout.write(
                    _("Job %(job)s: %(state)s") % {"job": job, "state": job.get_state_display()}
                )
    finally:
        worker_leave(name=name)
        log.info("worker %s: stopped", name)
