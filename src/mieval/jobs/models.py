from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The error of a job whose worker stopped while running it (see ``job_fail_stale``).
WORKER_LOST = "worker lost: the worker stopped while running this job; run it again"


class Job(models.Model):
    """One background task: what to run (``kind``, ``params``), how far it got, what it gave."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=50)
    params = models.JSONField(_("parameters"), default=dict)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    progress = models.FloatField(_("progress"), default=0.0)
    message = models.CharField(_("message"), max_length=200, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written by the worker at least every HEARTBEAT_INTERVAL seconds while the job runs.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def worker_lost(self) -> bool:
        return self.state == self.State.FAILED and self.error == WORKER_LOST

    def last_sign_of_life(self):
        return self.heartbeat_at or self.started_at

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


class Worker(models.Model):
    """A running ``manage run_jobs`` loop: where it runs and when it last looked at the queue
    (the health endpoint counts the workers seen lately)."""

    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("host:pid"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last sign of life"), db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self):
        return self.name
