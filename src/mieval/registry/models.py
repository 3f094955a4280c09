"""The registry of demonstration bases and their lifecycle.

A base's lifecycle is a list of dated :class:`BaseEvent`: its designation (认定, one per base),
renamings, and at most one event that ends it, a merger into another base or a withdrawal
(摘牌). Its status is derived from them (``core.lifecycle``), never stored; every event, like
every other change of a base, is audited in :class:`BaseChange`.
"""

import datetime as dt

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mieval.core import lifecycle, reference
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

    def with_lifecycle(self):
        """Each base with its designation date and the kind and date of the event that ended
        it (``lifecycle_designated_on``, ``lifecycle_ended_by``, ``lifecycle_ended_on``; None
        where there is none), in the same query; :attr:`Base.status` then costs nothing."""
        events = BaseEvent.objects.filter(base=OuterRef("pk"))
        ending = events.filter(kind__in=lifecycle.ENDED)
        return self.annotate(
            lifecycle_designated_on=Subquery(
                events.filter(kind=BaseEvent.Kind.DESIGNATED).values("date")[:1]
            ),
            lifecycle_ended_by=Subquery(ending.values("kind")[:1]),
            lifecycle_ended_on=Subquery(ending.values("date")[:1]),
        )

    def with_status(self, status: str):
        """The bases of one status (``core.lifecycle.STATUSES``)."""
        if status not in lifecycle.STATUSES:
            raise ValueError(f"unknown status {status!r}; use one of {lifecycle.STATUSES}")
        ended = Exists(BaseEvent.objects.filter(base=OuterRef("pk"), kind__in=lifecycle.ENDED))
        if status == lifecycle.ACTIVE:
            return self.filter(~ended)
        return self.filter(Exists(BaseEvent.objects.filter(base=OuterRef("pk"), kind=status)))

    def active_in(self, first_year: int, last_year: int):
        """The bases active in the years ``first_year``-``last_year``: designated by the end
        of the last year and not ended before the first began (``core.lifecycle.is_active_in``,
        the scope rule of a campaign)."""
        if first_year > last_year:
            raise ValueError(f"first year {first_year} is after last year {last_year}")
        ended_before = BaseEvent.objects.filter(
            base=OuterRef("pk"), kind__in=lifecycle.ENDED, date__lt=dt.date(first_year, 1, 1)
        )
        return self.filter(batch__lte=last_year).filter(~Exists(ended_before))


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
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Counts the saved changes; an edit names the one it read."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = BaseQuerySet.as_manager()

    class Status(models.TextChoices):
        ACTIVE = lifecycle.ACTIVE, pgettext_lazy("base status", "active")
        WITHDRAWN = lifecycle.WITHDRAWN, pgettext_lazy("base status", "withdrawn")
        MERGED = lifecycle.MERGED, pgettext_lazy("base status", "merged")

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

    # --- the lifecycle: from the annotations of BaseQuerySet.with_lifecycle() where the base
    # was read with them, otherwise one query each.

    @property
    def designated_on(self) -> dt.date | None:
        if hasattr(self, "lifecycle_designated_on"):
            return self.lifecycle_designated_on
        event = self.events.filter(kind=BaseEvent.Kind.DESIGNATED).first()
        return event.date if event else None

    def ending(self) -> tuple[str, dt.date] | None:
        """The kind and date of the event that ended the base (None: it is active)."""
        if hasattr(self, "lifecycle_ended_by"):
            if self.lifecycle_ended_by is None:
                return None
            return self.lifecycle_ended_by, self.lifecycle_ended_on
        event = self.events.filter(kind__in=lifecycle.ENDED).first()
        return (event.kind, event.date) if event else None

    @property
    def status(self) -> str:
        """``active``, ``withdrawn`` or ``merged``."""
        ending = self.ending()
        return ending[0] if ending else lifecycle.ACTIVE

    def status_label(self) -> str:
        return self.Status(self.status).label

    def is_active_in(self, first_year: int, last_year: int) -> bool:
        """Whether the base is active in those years (the scope rule of a campaign)."""
        ending = self.ending()
        return lifecycle.is_active_in(
            batch=self.batch,
            ended_on=ending[1] if ending else None,
            first_year=first_year,
            last_year=last_year,
        )

    def names_on(self, day: dt.date) -> tuple[str, str]:
        """The Chinese and English names the base had on ``day``: the current ones, unless a
        renaming dated after ``day`` replaced them (its old names are those of that day)."""
        later = self.events.filter(kind=BaseEvent.Kind.RENAMED, date__gt=day).order_by("date", "id")
        first = later.first()
        if first is None:
            return self.name_zh, self.name_en
        return first.old_name_zh, first.old_name_en


def base_document_path(instance, filename: str) -> str:
    # The stored name is the content hash: no user-chosen path ever reaches the disk.
    return f"registry/{instance.base_id}/{instance.document_sha256}"


class BaseEvent(models.Model):
    """One dated event of a base's lifecycle, with the document that decided it.

    A designation dates the base's batch (one per base; a correction changes it, audited); a
    renaming keeps the names before and after; a merger names the base it went into (None
    where a bases file said ``merged`` without saying into which); a withdrawal gives the
    reason. ``date`` is the day the event took effect (the document's date), ``recorded_at``
    the moment it was recorded; who recorded it is in the :class:`BaseChange` that audits it.
    """

    class Kind(models.TextChoices):
        DESIGNATED = "designated", _("designation")
        RENAMED = "renamed", _("renaming")
        MERGED = lifecycle.MERGED, _("merger")
        WITHDRAWN = lifecycle.WITHDRAWN, _("withdrawal")

    class Source(models.TextChoices):
        OFFICE = "office", _("recorded by the office")
        FILE = "file", _("from a bases file")

    base = models.ForeignKey(
        Base, on_delete=models.CASCADE, related_name="events", verbose_name=_("base")
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    document_title = models.CharField(_("document title"), max_length=300, blank=True)
    document_number = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("e.g. 国办发〔2016〕35号")
    )
    document_file = models.FileField(
        _("document file"), upload_to=base_document_path, max_length=300, blank=True
    )
    document_file_name = models.CharField(_("file name"), max_length=255, blank=True)
    document_content_type = models.CharField(_("type"), max_length=100, blank=True)
    document_size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    document_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    old_name_zh = models.CharField(_("former Chinese name"), max_length=200, blank=True)
    old_name_en = models.CharField(_("former English name"), max_length=200, blank=True)
    new_name_zh = models.CharField(_("new Chinese name"), max_length=200, blank=True)
    new_name_en = models.CharField(_("new English name"), max_length=200, blank=True)
    merged_into = models.ForeignKey(
        Base,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="absorbed",
        verbose_name=_("merged into"),
    )
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.OFFICE
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("base lifecycle event")
        verbose_name_plural = _("base lifecycle events")
        constraints = [
            models.UniqueConstraint(
                fields=["base"], condition=Q(kind="designated"), name="base_designated_once"
            ),
            models.UniqueConstraint(
                fields=["base"], condition=Q(kind__in=lifecycle.ENDED), name="base_ends_once"
            ),
            models.CheckConstraint(
                condition=Q(kind=lifecycle.MERGED) | Q(merged_into__isnull=True),
                name="base_event_merged_into_only_for_mergers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.base.code} {self.kind} {self.date:%Y-%m-%d}"

    def document(self) -> str:
        """The document as a person cites it: number and title, whichever are known."""
        return " ".join(part for part in (self.document_number, self.document_title) if part)


class BaseChange(AuditedEvent):
    """A change to a base's registry entry: which fields, from what, to what, who, why."""

    base = models.ForeignKey(
        Base, on_delete=models.CASCADE, related_name="changes", verbose_name=_("base")
    )
    changes = models.JSONField(_("changes"), help_text=_("field: [old, new]"))
    reason = models.TextField(_("reason"), blank=True)
    event = models.ForeignKey(
        BaseEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit",
        verbose_name=_("lifecycle event"),
        help_text=_("The event this change recorded, if it recorded one."),
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("base registry change")
        verbose_name_plural = _("base registry changes")

    def __str__(self) -> str:
        return f"{self.base.code} {self.at:%Y-%m-%d %H:%M} {self.actor}"
