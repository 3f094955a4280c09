import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mieval.lib.models import AuditedEvent


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    ANALYST = "analyst", _("analyst")
    BASE_OFFICER = "base_officer", _("base officer")
    EXPERT = "expert", _("expert")
    ORGANISER = "organiser", _("organiser")
    VIEWER = "viewer", _("viewer")


class Profile(models.Model):
    """A person's role; a base officer is bound to one base, an organiser to one organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    base = models.ForeignKey(
        "registry.Base",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("base"),
    )
    organisation = models.ForeignKey(
        "panels.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisers",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="base_officer", base__isnull=False)
                | (~models.Q(role="base_officer") & models.Q(base__isnull=True)),
                name="profile_base_officer_has_base",
            ),
            models.CheckConstraint(
                condition=models.Q(role="organiser", organisation__isnull=False)
                | (~models.Q(role="organiser") & models.Q(organisation__isnull=True)),
                name="profile_organiser_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A token for scripts. Only its SHA-256 is stored; the token is shown once, on creation."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"

    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "mie_" + secrets.token_urlsafe(32)


class AccountEvent(AuditedEvent):
    """The audit trail of what the office does to other people's logins. Rows are never
    edited."""

    class Kind(models.TextChoices):
        LOGIN_UNLOCKED = "login_unlocked", _("login unlocked")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("account event")
        verbose_name_plural = _("account events")

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
