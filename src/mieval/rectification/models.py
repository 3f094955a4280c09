"""The problem register (问题清单) and the bases' rectification (整改).

A problem found in a campaign (:class:`EvaluationProblem`; not ``core.problems.Problem``,
which is a problem of an input file) has a type from a versioned, bilingual taxonomy, a source,
a severity, a recommended action and links to its evidence. It is proposed where the evidence
is (a data-check result, a panel opinion, a self-evaluation, a site visit) and confirmed or
dismissed by the office. The base answers a confirmed problem with a plan (:class:`Rectification`),
reports progress with evidence, and the office verifies it. Every change is kept in
:class:`RegisterEvent`.

Evidence links (:class:`EvidenceLink`) name their target by a kind and an id, never by a
foreign key, so that any app's object (a value, a check result, a self-evaluation section, a
visit record, a panel opinion, a file) can be linked without this app importing it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mieval.collection.models import Campaign
from mieval.core.problem_counts import SEVERITY_RANK
from mieval.lib.models import AuditedEvent
from mieval.registry.models import Base


class TaxonomyVersion(models.Model):
    """One version of the problem types. Adding a type makes a new version (a copy of the
    latest with the new type); problems keep the type of the version they were filed with."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("problem taxonomy version")
        verbose_name_plural = _("problem taxonomy versions")

    def __str__(self) -> str:
        return f"v{self.number}"


class ProblemType(models.Model):
    taxonomy = models.ForeignKey(
        TaxonomyVersion, on_delete=models.PROTECT, related_name="types", verbose_name=_("version")
    )
    code = models.SlugField(_("code"), max_length=40)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    description_zh = models.TextField(_("Chinese description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["taxonomy_id", "order", "code"]
        verbose_name = _("problem type")
        verbose_name_plural = _("problem types")
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="problem_type_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh} (v{self.taxonomy.number})"


class Source(models.TextChoices):
    DATA_CHECK = "data_check", _("data check")
    EXPERT_COMMENT = "expert_comment", _("expert comment")
    PANEL_OPINION = "panel_opinion", _("panel opinion")
    SELF_EVALUATION = "self_evaluation", _("self-evaluation")
    SITE_VISIT = "site_visit", _("site visit")
    OTHER = "other", _("other")


class Severity(models.TextChoices):
    """The register's own scale (see ``core.problem_counts.SEVERITIES``)."""

    MINOR = "minor", _("minor")
    MODERATE = "moderate", _("moderate")
    SERIOUS = "serious", _("serious")


class ProblemQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(state=EvaluationProblem.State.CONFIRMED)

    def most_severe_first(self):
        return self.order_by(
            models.Case(
                *(models.When(severity=s, then=r) for s, r in SEVERITY_RANK.items()),
                output_field=models.IntegerField(),
            ),
            "pk",
        )


class EvaluationProblem(models.Model):
    """A problem found at one base in one campaign."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")
        DISMISSED = "dismissed", _("dismissed")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="problems", verbose_name=_("campaign")
    )
    base = models.ForeignKey(
        Base, on_delete=models.PROTECT, related_name="problems", verbose_name=_("base")
    )
    type = models.ForeignKey(
        ProblemType, on_delete=models.PROTECT, related_name="problems", verbose_name=_("type")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    action_zh = models.TextField(_("recommended action (Chinese)"), blank=True)
    action_en = models.TextField(_("recommended action (English)"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evaluation problem")
        verbose_name_plural = _("evaluation problems")
        indexes = [models.Index(fields=["campaign", "base", "state"])]

    def __str__(self) -> str:
        return f"{self.base.code}: {self.title_zh or self.title_en}"

    def is_confirmed(self) -> bool:
        return self.state == self.State.CONFIRMED


class EvidenceLink(models.Model):
    """What a problem rests on, named by kind and target id (see the module docstring).

    Targets by kind: ``value`` and ``check_result`` ``BASE/INDICATOR/YEAR`` (a check result
    adds ``/RULE``); the others the target object's id in its app."""

    class Kind(models.TextChoices):
        VALUE = "value", _("value")
        CHECK_RESULT = "check_result", _("check result")
        EVIDENCE_FILE = "evidence_file", _("evidence file")
        SELFEVAL_SECTION = "selfeval_section", _("self-evaluation section")
        VISIT_RECORD = "visit_record", _("visit record")
        PANEL_OPINION = "panel_opinion", _("panel opinion")
        SCORE_COMMENT = "score_comment", _("expert comment")
        FILE = "file", _("uploaded file")
        OTHER = "other", _("other")

    problem = models.ForeignKey(
        EvaluationProblem,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("problem"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    target = models.CharField(_("target"), max_length=200)
    label = models.CharField(_("label"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        indexes = [models.Index(fields=["kind", "target"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.target}"


class Rectification(models.Model):
    """The base's answer to one confirmed problem: the plan, its progress and the office's
    verification.

    planned → in progress → done (the base reports it finished) → accepted | not accepted
    (the office, with reasons); not accepted goes back to the base, which reports again.
    """

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done, awaiting verification")
        ACCEPTED = "accepted", pgettext_lazy("rectification", "accepted")
        NOT_ACCEPTED = "not_accepted", _("not accepted")

    #: The states in which the base still owes work (and a passed deadline makes it overdue).
    OPEN_STATES = frozenset({State.PLANNED, State.IN_PROGRESS, State.NOT_ACCEPTED})

    problem = models.OneToOneField(
        EvaluationProblem,
        on_delete=models.CASCADE,
        related_name="rectification",
        verbose_name=_("problem"),
    )
    measures = models.TextField(_("measures"))
    owner = models.CharField(_("responsible person or unit"), max_length=200)
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=15, choices=State.choices, default=State.PLANNED
    )
    verification_note = models.TextField(_("verification note"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("planned"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

    def __str__(self) -> str:
        return f"{self.problem}: {self.state}"

    def is_overdue(self, today) -> bool:
        return self.state in self.OPEN_STATES and self.deadline < today

    def is_editable_by_base(self) -> bool:
        return self.state != self.State.ACCEPTED and self.state != self.State.DONE


def progress_file_path(instance, filename: str) -> str:
    # The stored name is the content hash: no user-chosen path ever reaches the disk.
    return f"rectification/{instance.rectification_id}/{instance.file_sha256}"


class Progress(models.Model):
    """One progress report of the base, with an optional evidence file."""

    rectification = models.ForeignKey(
        Rectification,
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("rectification"),
    )
    text = models.TextField(_("progress"))
    completes = models.BooleanField(_("reports the rectification done"), default=False)
    file = models.FileField(_("file"), upload_to=progress_file_path, max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_content_type = models.CharField(_("type"), max_length=100, blank=True)
    file_size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported"))

    class Meta:
        ordering = ["reported_at", "pk"]
        verbose_name = _("rectification progress")
        verbose_name_plural = _("rectification progress reports")

    def __str__(self) -> str:
        return f"{self.rectification_id} {self.reported_at:%Y-%m-%d}"


class Reminder(models.Model):
    """An overdue reminder sent for a rectification on a day: at most one a day."""

    rectification = models.ForeignKey(
        Rectification,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("rectification"),
    )
    day = models.DateField(_("day"))
    recipients = models.JSONField(_("recipients"), default=list)

    class Meta:
        ordering = ["-day", "pk"]
        verbose_name = _("rectification reminder")
        verbose_name_plural = _("rectification reminders")
        constraints = [
            models.UniqueConstraint(fields=["rectification", "day"], name="reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.rectification_id} {self.day}"


class RegisterEvent(AuditedEvent):
    """The audit: every change of the taxonomy, a problem or a rectification."""

    class Action(models.TextChoices):
        TYPE_ADDED = "type_added", _("problem type added")
        PROPOSED = "proposed", _("problem proposed")
        CONFIRMED = "confirmed", _("problem confirmed")
        DISMISSED = "dismissed", _("problem dismissed")
        PLANNED = "planned", _("rectification planned")
        PLAN_CHANGED = "plan_changed", _("rectification plan changed")
        PROGRESS = "progress", _("progress reported")
        VERIFIED = "verified", _("rectification verified")
        REMINDED = "reminded", _("overdue reminder sent")
        LETTER_GENERATED = "letter_generated", _("feedback letter generated")
        LETTER_SENT = "letter_sent", _("feedback letter sent")

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("campaign"),
    )
    problem = models.ForeignKey(
        EvaluationProblem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("problem"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("register event")
        verbose_name_plural = _("register events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"


def letter_file_path(instance, filename: str) -> str:
    # campaign, base and version make the name; no user-chosen path ever reaches the disk.
    return (
        f"letters/{instance.campaign_id}/{instance.base_id}/v{instance.version}"
        f"{filename[filename.rfind('.') :]}"
    )


class FeedbackLetter(models.Model):
    """The feedback letter (反馈意见书) of one base in one campaign: built from the panel's
    accepted opinion, the base's grade and its confirmed problems with the rectification asked
    for, as PDF and DOCX with the same text (:mod:`mieval.rectification.letters`).

    Each regeneration makes a new version (and the letter must be sent again); the letter keeps
    the content hash of the campaign's latest published snapshot when it was generated."""

    class State(models.TextChoices):
        GENERATED = "generated", _("generated, not sent")
        SENT = "sent", pgettext_lazy("letter", "sent")

    class Language(models.TextChoices):
        ZH = "zh", _("Chinese")
        EN = "en", _("English")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="letters", verbose_name=_("campaign")
    )
    base = models.ForeignKey(
        Base, on_delete=models.PROTECT, related_name="letters", verbose_name=_("base")
    )
    lang = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ZH
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.GENERATED
    )
    content = models.JSONField(_("content"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to=letter_file_path, max_length=300)
    docx = models.FileField(_("DOCX"), upload_to=letter_file_path, max_length=300)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    docx_sha256 = models.CharField(_("SHA-256 of the DOCX"), max_length=64)
    snapshot_hash = models.CharField(_("snapshot content hash"), max_length=64, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("generated by"),
    )
    generated_at = models.DateTimeField(_("generated"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["campaign", "base__code"]
        verbose_name = _("feedback letter")
        verbose_name_plural = _("feedback letters")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "base"], name="letter_campaign_base_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.base_id} v{self.version} ({self.state})"

    def is_sent(self) -> bool:
        return self.state == self.State.SENT
