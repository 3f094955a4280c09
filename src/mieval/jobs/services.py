"""Writes of jobs. A job is queued in the caller's transaction and becomes visible to the worker
when that commits; in eager mode (``MIEVAL_JOBS_EAGER``, for a development server without a
worker) it runs right after the commit, in the request."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mieval.jobs.models import WORKER_LOST, Job, Worker
from mieval.jobs.registry import job_function


@transaction.atomic
def job_enqueue(*, kind: str, params: dict, user) -> Job:
    job_function(kind)  # an unknown kind is refused now, not later in the worker
    job = Job.objects.create(kind=kind, params=params, created_by=user)
    if getattr(settings, "JOBS_EAGER", False):
        from mieval.jobs.worker import run_job

        transaction.on_commit(lambda: run_job(job.pk))
    return job


def job_claim(pk: int) -> bool:
    """Mark a queued job running; False when another worker took it first. The conditional
    update is the lock on SQLite, where ``select_for_update`` does nothing."""
    return bool(
        Job.objects.filter(pk=pk, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING,
            started_at=timezone.now(),
            heartbeat_at=timezone.now(),
            message="",
        )
    )


def job_progress_set(*, pk: int, progress: float, message: str) -> None:
    Job.objects.filter(pk=pk).update(
        progress=max(0.0, min(1.0, progress)), message=message[:200], heartbeat_at=timezone.now()
    )


def job_heartbeat(*, pk: int) -> None:
    """The worker is still running this job."""
    Job.objects.filter(pk=pk, state=Job.State.RUNNING).update(heartbeat_at=timezone.now())


def stale_after() -> float:
    return float(getattr(settings, "JOBS_STALE_AFTER", 600))


def job_is_stale(job: Job, now=None) -> bool:
    """A running job without a sign of life from its worker for ``JOBS_STALE_AFTER`` seconds."""
    seen = job.last_sign_of_life()
    now = now or timezone.now()
    return (
        job.state == Job.State.RUNNING
        and seen is not None
        and (now - seen).total_seconds() > stale_after()
    )


@transaction.atomic
def job_fail_stale() -> list[int]:
    """Mark failed every running job whose worker gave no sign of life for ``JOBS_STALE_AFTER``
    seconds (the worker was killed or the machine restarted): its page says to run it again.
    The pks of the jobs marked."""
    cutoff = timezone.now() - timedelta(seconds=stale_after())
    stale = Job.objects.filter(state=Job.State.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    pks = list(stale.values_list("pk", flat=True))
    if pks:
        # The state is checked again in the update: a heartbeat written meanwhile wins.
        Job.objects.filter(pk__in=pks, state=Job.State.RUNNING).filter(
            Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        ).update(state=Job.State.FAILED, error=WORKER_LOST, finished_at=timezone.now())
    return pks


def job_finish(*, pk: int, result) -> None:
    Job.objects.filter(pk=pk).update(
        state=Job.State.DONE, progress=1.0, result=result, finished_at=timezone.now()
    )


def job_fail(*, pk: int, error: str) -> None:
    Job.objects.filter(pk=pk).update(
        state=Job.State.FAILED, error=error, finished_at=timezone.now()
    )


@transaction.atomic
def worker_beat(*, name: str, started_at) -> None:
    """The worker ``name`` (host:pid) is alive: record it, or its new sign of life."""
    now = timezone.now()
    Worker.objects.update_or_create(
        name=name[:200],
        defaults={"seen_at": now},
        create_defaults={"started_at": started_at, "seen_at": now},
    )


def worker_leave(*, name: str) -> None:
    """The worker stops (Ctrl-C, SIGTERM): it is no longer counted."""
    Worker.objects.filter(name=name[:200]).delete()


def workers_alive(now=None) -> int:
    """Workers that looked at the queue within ``WORKER_SEEN_WITHIN`` seconds."""
    now = now or timezone.now()
    return Worker.objects.filter(seen_at__gte=now - timedelta(seconds=WORKER_SEEN_WITHIN)).count()


#: A worker that gave no sign of life for this many seconds is not counted alive (it beats
#: every ``jobs.worker.WORKER_BEAT_INTERVAL`` seconds while idle, and after each job).
WORKER_SEEN_WITHIN = 120
