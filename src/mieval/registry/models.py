from django.db import models
from django.utils.translation import gettext_lazy as _

from mieval.core import reference
from mieval.lib.models import AuditedEvent


class Category(models.Model):
    code = models.CharField(_("code"), max_length=40, primary_key=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return f"{self.name_zh} {self.name_en}"


class Subcategory(models.Model):
    code = models.CharField(_("code"), max_length=40, primary_key=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="subcategories", verbose_name=_("category")
    )
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("subcategory")
        verbose_name_plural = _("subcategories")

    def __str__(self) -> str:
        return f"{self.name_zh} {self.name_en}"


class Province(models.Model):
    class Region(models.TextChoices):
        EAST = "east", _("East")
        CENTRAL = "central", _("Central")
        WEST = "west", _("West")
        NORTHEAST = "northeast", _("Northeast")

    code = models.CharField(_("GB/T 2260 code"), max_length=2, primary_key=True)
    name_zh = models.CharField(_("Chinese name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50)
    region = models.CharField(_("economic region"), max_length=20, choices=Region.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    @property
    def region_group(self) -> str:
        return reference.REGION_BY_CODE[self.region].group


class BaseQuerySet(models.QuerySet):
    def with_reference(self):
        return self.select_related("subcategory__category", "province")


class Base(models.Model):
    """A demonstration base (示范基地). Its category follows from its subcategory."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    subcategory = models.ForeignKey(
        Subcategory, on_delete=models.PROTECT, related_name="bases", verbose_name=_("subcategory")
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="bases", verbose_name=_("province")
    )
    batch = models.PositiveSmallIntegerField(_("batch"))
    attributes = models.JSONField(_("further attributes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = BaseQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("demonstration base")
        verbose_name_plural = _("demonstration bases")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    @property
    def category(self) -> Category:
        return self.subcategory.category

    @property
    def region(self) -> str:
        return self.province.region


class BaseChange(AuditedEvent):
    """A change to a base's registry entry: which fields, from what, to what, who, why."""

    base = models.ForeignKey(
        Base, on_delete=models.CASCADE, related_name="changes", verbose_name=_("base")
    )
    changes = models.JSONField(_("changes"), help_text=_("field: [old, new]"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("base registry change")
        verbose_name_plural = _("base registry changes")

    def __str__(self) -> str:
        return f"{self.base.code} {self.at:%Y-%m-%d %H:%M} {self.actor}"
