"""Snapshots of published campaigns, the analysts' narrative sections and the report files."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SnapshotImmutable(Exception):
    """A snapshot is never changed: a correction is a new snapshot."""


class SnapshotQuerySet(models.QuerySet):
    """Bulk changes bypass :meth:`Snapshot.save`; they are refused too."""

    def update(self, **kwargs):
        raise SnapshotImmutable("snapshots are immutable; publish a new one instead")

    def delete(self):
        raise SnapshotImmutable("snapshots are immutable and are never deleted")


class Snapshot(models.Model):
    """A campaign's results frozen at publication: data, framework, rules, index and panel
    results, narrative and settings as one JSON payload (:mod:`mieval.core.reports.payload`), with
    the SHA-256 of its canonical text. Saving an existing row raises."""

    campaign = models.ForeignKey(
        "collection.Campaign",
        on_delete=models.PROTECT,
        related_name="snapshots",
        verbose_name=_("campaign"),
    )
    sequence = models.PositiveIntegerField(_("number"))
    content_hash = models.CharField(_("content hash"), max_length=64, db_index=True)
    payload = models.JSONField(_("content"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("published"), auto_now_add=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "-sequence"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "sequence"], name="snapshot_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} #{self.sequence} {self.content_hash[:12]}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise SnapshotImmutable(f"snapshot {self} is immutable; publish a new one instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SnapshotImmutable(f"snapshot {self} is immutable and is never deleted")

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]


class NarrativeSection(models.Model):
    """One narrative section of a campaign's report, in both languages; ``version`` counts
    the saves, so that two analysts editing at once do not overwrite each other."""

    class Kind(models.TextChoices):
        PRACTICES = "practices", _("Practical experiences")
        PROBLEMS = "problems", _("Problems to tackle")
        RECOMMENDATIONS = "recommendations", _("Recommendations")

    campaign = models.ForeignKey(
        "collection.Campaign",
        on_delete=models.CASCADE,
        related_name="narrative_sections",
        verbose_name=_("campaign"),
    )
    kind = models.CharField(_("section"), max_length=20, choices=Kind.choices)
    text_zh = models.TextField(_("Chinese text"), blank=True)
    text_en = models.TextField(_("English text"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("narrative section")
        verbose_name_plural = _("narrative sections")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="narrative_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.kind} v{self.version}"


class NarrativeAudit(models.Model):
    """Every save of a narrative section: who, when, the texts before and after."""

    section = models.ForeignKey(NarrativeSection, on_delete=models.CASCADE, related_name="audit")
    version = models.PositiveIntegerField(_("version"))
    old_zh = models.TextField(blank=True)
    old_en = models.TextField(blank=True)
    new_zh = models.TextField(blank=True)
    new_en = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["section", "-version"]

    def __str__(self) -> str:
        return f"{self.section} v{self.version}"


class ReportFile(models.Model):
    """A report file built from a snapshot, kept under ``MIEVAL_DATA_DIR/reports``."""

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", _("campaign report")
        PROFILES = "profiles", _("base profiles")
        PROFILE = "profile", _("base profile")

    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    base_code = models.CharField(_("base"), max_length=40, blank=True)
    lang = models.CharField(_("language"), max_length=5)
    fmt = models.CharField(_("format"), max_length=5)
    path = models.CharField(_("path"), max_length=500)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    built_at = models.DateTimeField(_("built"), auto_now_add=True)

    class Meta:
        ordering = ["snapshot", "kind", "base_code", "lang", "fmt"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "kind", "base_code", "lang", "fmt"], name="report_file_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} {self.kind} {self.base_code} {self.lang}.{self.fmt}"
