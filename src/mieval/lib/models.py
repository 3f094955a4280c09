"""Fields that several apps' models share."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditedEvent(models.Model):
    """Who made a change and when: the login (kept null when the account is deleted, so the
    trail outlives it), the actor's name as it was then (also for scripts and imports, which
    have no login) and the moment. Every app's audit trail (value audits, submission events,
    registry changes, exchange, practices and panel events) is one of these."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor = models.CharField(_("actor"), max_length=150)
    at = models.DateTimeField(_("when"))

    class Meta:
        abstract = True
