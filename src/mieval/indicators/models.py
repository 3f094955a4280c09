from django.db import models
from django.utils.translation import gettext_lazy as _

from mieval.lib.models import AuditedEvent
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


class CrosswalkRow(models.Model):
    """One row of the crosswalk between two framework versions (``DESIGN.md``): the old
    indicator ``from_code`` of ``from_framework`` becomes ``to_code`` of ``to_framework``,
    multiplied by ``factor``. Several rows from one code are a split, several into one code a
    merge (:mod:`mieval.core.crosswalk`). ``version`` counts its saves, for concurrent edits."""

    from_framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        related_name="crosswalk_out",
        verbose_name=_("from framework version"),
    )
    from_code = models.CharField(_("old indicator"), max_length=60)
    to_framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        related_name="crosswalk_in",
        verbose_name=_("to framework version"),
    )
    to_code = models.CharField(_("new indicator"), max_length=60)
    factor = models.FloatField(_("factor"), default=1.0)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["from_framework", "to_framework", "from_code", "to_code"]
        verbose_name = _("crosswalk row")
        verbose_name_plural = _("crosswalk rows")
        constraints = [
            models.UniqueConstraint(
                fields=["from_framework", "from_code", "to_framework", "to_code"],
                name="crosswalk_row_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(factor__gt=0), name="crosswalk_factor_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_framework=models.F("to_framework")),
                name="crosswalk_two_versions",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_code} → {self.to_code} ×{self.factor:g}"


class CrosswalkEvent(AuditedEvent):
    """A change of the crosswalk: a row added, changed or removed (by the editor or an import),
    with the row's fields before and after. Rows are never edited."""

    class Kind(models.TextChoices):
        ADDED = "added", _("added")
        CHANGED = "changed", _("changed")
        REMOVED = "removed", _("removed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    from_framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from framework version"),
    )
    to_framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to framework version"),
    )
    row = models.ForeignKey(
        CrosswalkRow,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("crosswalk row"),
    )
    old = models.JSONField(_("before"), default=dict, blank=True)
    new = models.JSONField(_("after"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("crosswalk change")
        verbose_name_plural = _("crosswalk changes")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.kind}"
