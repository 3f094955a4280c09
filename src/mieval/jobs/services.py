"""Writes of jobs. A job is queued in the caller's transaction and becomes visible to the worker
when that commits; in eager mode (``MIEVAL_JOBS_EAGER``, for a development server without a
worker) it runs right after the commit, in the request."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mieval.jobs.models import Job
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
            state=Job.State.RUNNING, started_at=timezone.now(), message=""
        )
    )


def job_progress_set(*, pk: int, progress: float, message: str) -> None:
    Job.objects.filter(pk=pk).update(progress=max(0.0, min(1.0, progress)), message=message[:200])


def job_finish(*, pk: int, result) -> None:
    Job.objects.filter(pk=pk).update(
        state=Job.State.DONE, progress=1.0, result=result, finished_at=timezone.now()
    )


def job_fail(*, pk: int, error: str) -> None:
    Job.objects.filter(pk=pk).update(
        state=Job.State.FAILED, error=error, finished_at=timezone.now()
    )
