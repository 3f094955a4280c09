from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mieval.indicators.models import Framework, Indicator
from mieval.registry.models import Base


class Campaign(models.Model):
    """One evaluation round: the years covered, the bases in scope, one framework version."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("framework")
    )
    bases = models.ManyToManyField(
        Base, blank=True, related_name="campaigns", verbose_name=_("bases in scope")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-first_year", "code"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_year__lte=models.F("last_year")),
                name="campaign_years_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.first_year}-{self.last_year})"

    def covers_year(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


class Source(models.TextChoices):
    IMPORT = "import", _("file import")
    FORM = "form", _("web form")
    API = "api", _("API")
    ADMIN = "admin", _("administration")


class Value(models.Model):
    """One yearly figure of one base, kept exactly as entered (``raw``) and as a decimal."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="values", verbose_name=_("campaign")
    )
    base = models.ForeignKey(
        Base, on_delete=models.PROTECT, related_name="values", verbose_name=_("base")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=28, decimal_places=8)
    raw = models.CharField(_("value as entered"), max_length=40)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    source_detail = models.CharField(_("source detail"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["campaign", "base", "indicator", "year"]
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "base", "indicator", "year"], name="value_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.base.code} {self.indicator.code} {self.year}: {self.raw}"


class ValueAudit(models.Model):
    """Every change of a value: who, when, old, new, why. Rows are never edited."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("removed")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="audit", verbose_name=_("campaign")
    )
    base = models.ForeignKey(
        Base, on_delete=models.PROTECT, related_name="+", verbose_name=_("base")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    old = models.CharField(_("old value"), max_length=40, blank=True)
    new = models.CharField(_("new value"), max_length=40, blank=True)
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
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    source_detail = models.CharField(_("source detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("value audit record")
        verbose_name_plural = _("value audit records")
        indexes = [models.Index(fields=["campaign", "base", "indicator", "year"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor}: {self.old or '∅'} → {self.new or '∅'}"
