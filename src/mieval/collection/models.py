from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mieval.indicators.models import Framework, Indicator
from mieval.lib.models import AuditedEvent
from mieval.registry.models import Base

#: The programme that campaigns belong to unless another is named (the migration puts every
#: campaign that existed before programmes into it).
DEFAULT_PROGRAMME_CODE = "mie-bases"
DEFAULT_PROGRAMME_NAME_ZH = "国家双创示范基地评估"
DEFAULT_PROGRAMME_NAME_EN = "Evaluation of the national MIE demonstration bases"


class Programme(models.Model):
    """An evaluation programme: the campaigns that are its rounds, ordered by round number."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.code


class Campaign(models.Model):
    """One evaluation round: the years covered, the bases in scope, one framework version.

    A campaign is round ``round`` of its ``programme`` (1 the first; unique per programme)."""

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
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("programme")
    )
    round = models.PositiveSmallIntegerField(_("round"))
    submission_deadline = models.DateTimeField(_("submission deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-first_year", "code"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_year__lte=models.F("last_year")),
                name="campaign_years_ordered",
            ),
            models.UniqueConstraint(fields=["programme", "round"], name="campaign_round_unique"),
            models.CheckConstraint(
                condition=models.Q(round__gte=1), name="campaign_round_positive"
            ),
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


class ValueAudit(AuditedEvent):
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


class Submission(models.Model):
    """One base's yearly report in a campaign, and where it stands in review.

    draft → submitted → returned (with queries) → submitted … → approved (locked); an analyst
    may reopen an approved submission, with a reason, which makes it returned again.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        APPROVED = "approved", _("approved")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("campaign")
    )
    base = models.ForeignKey(
        Base, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("base")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["campaign", "base"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "base"], name="submission_one_per_base")
        ]

    def __str__(self) -> str:
        return f"{self.campaign.code} {self.base.code}: {self.state}"

    def is_editable_by_base(self) -> bool:
        """A base edits its data while drafting or after the office returned it."""
        return self.state in {self.State.DRAFT, self.State.RETURNED}

    def is_locked(self) -> bool:
        return self.state == self.State.APPROVED

    def was_on_time(self) -> bool | None:
        """Whether the first submission met the campaign's deadline (None: no deadline or not
        submitted yet)."""
        deadline = self.campaign.submission_deadline
        if deadline is None or self.submitted_at is None:
            return None
        return self.submitted_at <= deadline


class SubmissionEvent(AuditedEvent):
    """Every change of a submission's state: who, when, from, to, why. Never edited."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="events", verbose_name=_("submission")
    )
    from_state = models.CharField(_("from"), max_length=10, choices=Submission.State.choices)
    to_state = models.CharField(_("to"), max_length=10, choices=Submission.State.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("submission event")
        verbose_name_plural = _("submission events")

    def __str__(self) -> str:
        return f"{self.submission}: {self.from_state} → {self.to_state}"


class RuleSet(models.Model):
    """Validation rules (a TOML rules file, see ``core.checks.rules``) of one framework
    version, themselves versioned; at most one version is active."""

    framework = models.ForeignKey(
        "indicators.Framework",
        on_delete=models.CASCADE,
        related_name="rule_sets",
        verbose_name=_("framework"),
    )
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("rules (TOML)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["framework", "-version"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.UniqueConstraint(fields=["framework", "version"], name="ruleset_version"),
            models.UniqueConstraint(
                fields=["framework"],
                condition=models.Q(is_active=True),
                name="ruleset_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework} rules v{self.version}"


class Query(models.Model):
    """A question from the office about one value (which may be missing), and its thread."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="queries", verbose_name=_("campaign")
    )
    base = models.ForeignKey(
        Base, on_delete=models.PROTECT, related_name="+", verbose_name=_("base")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    created_at = models.DateTimeField(_("asked"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("data query")
        verbose_name_plural = _("data queries")
        indexes = [models.Index(fields=["campaign", "base", "status"])]

    def __str__(self) -> str:
        return f"{self.base.code} {self.indicator.code} {self.year}: {self.status}"


class QueryMessage(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("question")
        ANSWER = "answer", _("answer")
        CORRECTION = "correction", _("correction")
        NOTE = "note", _("note")

    query = models.ForeignKey(
        Query, on_delete=models.CASCADE, related_name="messages", verbose_name=_("query")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"))
    old_value = models.CharField(_("old value"), max_length=40, blank=True)
    new_value = models.CharField(_("new value"), max_length=40, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    actor = models.CharField(_("actor"), max_length=150)
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("query message")
        verbose_name_plural = _("query messages")

    def __str__(self) -> str:
        return f"{self.query}: {self.kind}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    # The stored name is the content hash: no user-chosen path ever reaches the disk.
    return f"evidence/{instance.campaign_id}/{instance.base_id}/{instance.sha256}"


class Evidence(models.Model):
    """A file that supports a value (a patent certificate, a statistical yearbook page)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("not yet verified")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("campaign")
    )
    base = models.ForeignKey(
        Base, on_delete=models.PROTECT, related_name="+", verbose_name=_("base")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    status = models.CharField(
        _("verification"), max_length=10, choices=Status.choices, default="pending"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return f"{self.base.code} {self.indicator.code} {self.year}: {self.name}"
