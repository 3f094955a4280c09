"""Self-evaluation reports (自评报告).

Per campaign, the office keeps a :class:`ReportTemplate` of bilingual sections with guidance
and length limits. Templates are versioned like rubrics: editing a version that reports were
already written on makes the next version, and each report keeps the version it was written on.

A base's officers write the base's :class:`SelfEvaluation` (one per campaign and base), section
by section, attach evidence files and submit it; the office returns it with comments (overall
or per section) or accepts it, which locks it::

    draft -> submitted -> returned -> submitted -> accepted

Every change is kept in :class:`SelfEvaluationEvent` (who, when, old and new).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mieval.collection.models import Campaign
from mieval.core.selfeval import SectionSpec
from mieval.lib.models import AuditedEvent
from mieval.registry.models import Base


class ReportTemplate(models.Model):
    """One version of a campaign's self-evaluation template."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="self_evaluation_templates",
        verbose_name=_("campaign"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # Bumped by every edit in place: a form posts the revision it showed; a stale one is refused.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["campaign", "-version"]
        verbose_name = _("self-evaluation template")
        verbose_name_plural = _("self-evaluation templates")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "version"], name="selfeval_template_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} v{self.version}"

    def specs(self) -> list[SectionSpec]:
        """The sections as the checks of :mod:`mieval.core.selfeval` take them."""
        return [
            SectionSpec(s.code, s.title_zh, s.title_en, s.max_chars, s.required)
            for s in self.sections.all()
        ]


class TemplateSection(models.Model):
    template = models.ForeignKey(
        ReportTemplate,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("template"),
    )
    code = models.SlugField(_("code"), max_length=40)
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200)
    guidance_zh = models.TextField(_("writing guidance (Chinese)"), blank=True)
    guidance_en = models.TextField(_("writing guidance (English)"), blank=True)
    max_chars = models.PositiveIntegerField(_("length limit (characters)"))
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["template", "order", "code"]
        verbose_name = _("template section")
        verbose_name_plural = _("template sections")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "code"], name="selfeval_section_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_zh}"


class SelfEvaluation(models.Model):
    """A base's self-evaluation report in a campaign."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for changes")
        ACCEPTED = "accepted", _("accepted")

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="self_evaluations",
        verbose_name=_("campaign"),
    )
    base = models.ForeignKey(
        Base, on_delete=models.PROTECT, related_name="self_evaluations", verbose_name=_("base")
    )
    template = models.ForeignKey(
        ReportTemplate,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("template version"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    review_comment = models.TextField(_("the office's comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last saved by"),
    )
    updated_at = models.DateTimeField(_("last saved"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    decided_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "base__code"]
        verbose_name = _("self-evaluation report")
        verbose_name_plural = _("self-evaluation reports")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "base"], name="selfeval_one_report_per_base"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.base_id} ({self.state})"

    def is_editable_by_base(self) -> bool:
        return self.state in {self.State.DRAFT, self.State.RETURNED}


class SectionText(models.Model):
    """The text of one section of a report, and the office's comment on it."""

    report = models.ForeignKey(
        SelfEvaluation, on_delete=models.CASCADE, related_name="texts", verbose_name=_("report")
    )
    section = models.ForeignKey(
        TemplateSection, on_delete=models.PROTECT, related_name="+", verbose_name=_("section")
    )
    text = models.TextField(_("text"), blank=True)
    comment = models.TextField(_("the office's comment"), blank=True)

    class Meta:
        ordering = ["report", "section__order", "section__code"]
        verbose_name = _("section text")
        verbose_name_plural = _("section texts")
        constraints = [
            models.UniqueConstraint(fields=["report", "section"], name="selfeval_text_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.section_id}"


def selfeval_file_path(instance, filename: str) -> str:
    # The stored name is the content hash: no user-chosen path ever reaches the disk.
    report = instance.report
    return f"selfeval/{report.campaign_id}/{report.base_id}/{instance.sha256}"


class SelfEvaluationFile(models.Model):
    """An evidence file attached to a report (checked like the data's evidence)."""

    report = models.ForeignKey(
        SelfEvaluation, on_delete=models.CASCADE, related_name="files", verbose_name=_("report")
    )
    file = models.FileField(_("file"), upload_to=selfeval_file_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering = ["report", "uploaded_at", "id"]
        verbose_name = _("self-evaluation evidence file")
        verbose_name_plural = _("self-evaluation evidence files")

    def __str__(self) -> str:
        return self.name


class SelfEvaluationEvent(AuditedEvent):
    """The audit: every change of a template or a report, who, when, old and new."""

    class Action(models.TextChoices):
        TEMPLATE_SAVED = "template_saved", _("template saved")
        SAVED = "saved", _("report saved")
        AUTOSAVED = "autosaved", _("report saved automatically")
        SUBMITTED = "submitted", _("report submitted")
        RETURNED = "returned", _("report returned for changes")
        ACCEPTED = "accepted", _("report accepted")
        FILE_ADDED = "file_added", _("evidence file attached")
        FILE_REMOVED = "file_removed", _("evidence file removed")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    report = models.ForeignKey(
        SelfEvaluation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("report"),
    )
    template = models.ForeignKey(
        ReportTemplate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("template"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    #: ``{field: [old, new]}``: a section's text under its code, the state under "state".
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("self-evaluation event")
        verbose_name_plural = _("self-evaluation events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"
