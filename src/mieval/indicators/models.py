from django.db import models
from django.utils.translation import gettext_lazy as _

from mieval.registry.models import Category


class Framework(models.Model):
    """A versioned indicator framework; a campaign is bound to one version."""

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code", "version"]
        verbose_name = _("indicator framework")
        verbose_name_plural = _("indicator frameworks")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Indicator(models.Model):
    class Stat(models.TextChoices):
        MEAN = "mean", _("mean")
        MEDIAN = "median", _("median")
        SUM = "sum", _("sum")

    class Direction(models.IntegerChoices):
        POSITIVE = 1, _("higher is better")
        NEGATIVE = -1, _("lower is better")

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=60)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    unit_zh = models.CharField(_("unit (Chinese)"), max_length=40, blank=True)
    direction = models.SmallIntegerField(
        _("direction"), choices=Direction.choices, default=Direction.POSITIVE
    )
    stat = models.CharField(_("default statistic"), max_length=10, choices=Stat.choices)
    categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="indicators",
        verbose_name=_("applies to categories"),
        help_text=_("Leave empty for an indicator that applies to every category."),
    )
    non_negative = models.BooleanField(_("never negative"), default=True)
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicator_framework_code"),
            models.CheckConstraint(
                condition=models.Q(direction__in=[1, -1]), name="indicator_direction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"
