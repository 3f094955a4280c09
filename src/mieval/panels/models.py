from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mieval.lib.models import AuditedEvent
from mieval.registry.models import Province


class Organisation(models.Model):
    """An organisation that sends experts: a local science association, a national society or
    a third-party institution."""

    class Kind(models.TextChoices):
        LOCAL_ASSOCIATION = "local_association", _("local science association")
        NATIONAL_SOCIETY = "national_society", _("national society")
        THIRD_PARTY = "third_party", _("third-party institution")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class ExpertQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Expert(models.Model):
    """An expert of an organisation's roster; ``user`` is the expert's login, when there is one."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="experts",
        verbose_name=_("organisation"),
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    fields = models.JSONField(_("fields"), default=list, blank=True)
    roles = models.JSONField(_("roles"), default=list)
    max_panels = models.PositiveSmallIntegerField(_("most panels"), default=1)
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert",
        verbose_name=_("login"),
    )

    objects = ExpertQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ExpertLoginRequest(models.Model):
    """A request for an expert's login: the user name and the address the invitation goes to.

    An organiser keeps the own organisation's roster but does not decide who signs in as one of
    its experts: the request takes effect only when the evaluation office confirms it (the
    office checks the address against the expert's nomination). Until then no account is
    created, linked or emailed. A request made by the office itself is confirmed at once.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for the office")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="login_requests", verbose_name=_("expert")
    )
    username = models.CharField(_("user name"), max_length=150)
    email = models.EmailField(_("email address"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("expert login request")
        verbose_name_plural = _("expert login requests")
        constraints = [
            models.UniqueConstraint(
                fields=["expert"],
                condition=models.Q(state="pending"),
                name="expert_login_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} {self.username} ({self.state})"


class ConflictDeclaration(models.Model):
    """A declared conflict of interest: the expert does not sit with the base."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("expert")
    )
    base = models.ForeignKey(
        "registry.Base", on_delete=models.CASCADE, related_name="+", verbose_name=_("base")
    )
    campaign = models.ForeignKey(
        "collection.Campaign",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("campaign"),
    )
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    class Meta:
        ordering = ["expert__code", "base__code"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["expert", "base"], name="conflict_expert_base_unique")
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} × {self.base_id}"


class PanelSetQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=PanelSet.State.PUBLISHED)


class PanelSet(models.Model):
    """One run of the optimiser for a campaign: proposed, then perhaps published (at most one
    published per campaign; publishing another archives it)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    campaign = models.ForeignKey(
        "collection.Campaign",
        on_delete=models.CASCADE,
        related_name="panel_sets",
        verbose_name=_("campaign"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    config = models.JSONField(_("settings"), default=dict)
    status = models.CharField(_("solver status"), max_length=12)
    objective = models.IntegerField(_("objective"), null=True, blank=True)
    bound = models.IntegerField(_("bound"), null=True, blank=True)
    unmet = models.JSONField(_("unmet"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = PanelSetQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("set of expert panels")
        verbose_name_plural = _("sets of expert panels")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign"],
                condition=models.Q(state="published"),
                name="panelset_one_published_per_campaign",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.state}"

    def gap(self) -> float | None:
        """The relative optimality gap, (bound - objective) / bound."""
        if self.objective is None or not self.bound:
            return None
        return (self.bound - self.objective) / self.bound


class Panel(models.Model):
    panel_set = models.ForeignKey(
        PanelSet, on_delete=models.CASCADE, related_name="panels", verbose_name=_("set")
    )
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        ordering = ["panel_set", "number"]
        verbose_name = _("expert panel")
        verbose_name_plural = _("expert panels")
        constraints = [
            models.UniqueConstraint(fields=["panel_set", "number"], name="panel_number_unique")
        ]

    def __str__(self) -> str:
        return str(self.number)


class PanelMember(models.Model):
    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="members", verbose_name=_("expert panel")
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("expert")
    )
    pinned = models.BooleanField(_("pinned"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="panelmember_unique")
        ]

    def __str__(self) -> str:
        return f"{self.panel_id}: {self.expert_id}"


class PanelBase(models.Model):
    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="bases", verbose_name=_("expert panel")
    )
    base = models.ForeignKey(
        "registry.Base", on_delete=models.PROTECT, related_name="+", verbose_name=_("base")
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["panel", "base"], name="panelbase_unique")]

    def __str__(self) -> str:
        return f"{self.panel_id}: {self.base_id}"


class PanelRule(models.Model):
    """An analyst's decision for the next formation: pin an expert to a panel, or forbid it."""

    class Kind(models.TextChoices):
        PIN = "pin", _("pin")
        FORBID = "forbid", _("forbid")

    campaign = models.ForeignKey(
        "collection.Campaign",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("campaign"),
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="+", verbose_name=_("expert")
    )
    panel_number = models.PositiveSmallIntegerField(_("panel number"))
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)

    class Meta:
        ordering = ["panel_number", "expert__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "expert", "panel_number"], name="panelrule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.expert_id} → {self.panel_number}"


class Rubric(models.Model):
    campaign = models.ForeignKey(
        "collection.Campaign",
        on_delete=models.CASCADE,
        related_name="rubrics",
        verbose_name=_("campaign"),
    )
    category = models.ForeignKey(
        "registry.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
        help_text=_("Empty: the rubric for every category."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    comments_confidential = models.BooleanField(
        _("comments are confidential"),
        default=False,
        help_text=_("The experts' comments are read by the evaluation office only."),
    )
    # Bumped by every edit: a form posts the revision it showed, and a stale one is refused.
    revision = models.PositiveIntegerField(_("revision"), default=0)

    class Meta:
        ordering = ["campaign", "category", "-version"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return f"{self.campaign_id} v{self.version}"


class Criterion(models.Model):
    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rubric")
    )
    code = models.CharField(_("code"), max_length=40)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=4, default=1)
    scale_min = models.DecimalField(_("lowest score"), max_digits=8, decimal_places=2, default=0)
    scale_max = models.DecimalField(_("highest score"), max_digits=8, decimal_places=2, default=100)
    scale_step = models.DecimalField(
        _("step"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: any value between the lowest and the highest score."),
    )
    guidance_zh = models.TextField(_("guidance (Chinese)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # What the scoring page shows beside the criterion (mieval.core.panels.evidence): kinds,
    # indicator codes, selfeval:<section>; empty: everything.
    evidence = models.JSONField(
        _("evidence shown"),
        default=list,
        blank=True,
        help_text=_("Empty: every kind of evidence is shown beside the criterion."),
    )

    class Meta:
        ordering = ["rubric", "order", "code"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="criterion_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Score(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    campaign = models.ForeignKey(
        "collection.Campaign",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("campaign"),
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="scores", verbose_name=_("expert")
    )
    base = models.ForeignKey(
        "registry.Base", on_delete=models.PROTECT, related_name="+", verbose_name=_("base")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    value = models.DecimalField(_("score"), max_digits=8, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    confidential_comment = models.TextField(_("confidential comment"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "base", "criterion"], name="score_expert_base_criterion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} {self.base_id} {self.criterion_id}: {self.value}"


class EvaluationSettings(models.Model):
    """A campaign's settings of the expert evaluation: how the grade combines the expert score
    with the composite index score, its thresholds, and the scoring deadline."""

    campaign = models.OneToOneField(
        "collection.Campaign",
        on_delete=models.CASCADE,
        related_name="evaluation_settings",
        verbose_name=_("campaign"),
    )
    expert_weight = models.DecimalField(
        _("weight of the expert score"), max_digits=5, decimal_places=4, default=Decimal("0.5")
    )
    index_weight = models.DecimalField(
        _("weight of the composite index score"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.5"),
    )
    excellent = models.DecimalField(
        _("lowest score for excellent"), max_digits=6, decimal_places=2, default=Decimal(90)
    )
    good = models.DecimalField(
        _("lowest score for good"), max_digits=6, decimal_places=2, default=Decimal(80)
    )
    qualified = models.DecimalField(
        _("lowest score for qualified"), max_digits=6, decimal_places=2, default=Decimal(60)
    )
    scoring_deadline = models.DateTimeField(_("scoring deadline"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)

    class Meta:
        verbose_name = _("settings of the expert evaluation")
        verbose_name_plural = _("settings of the expert evaluation")

    def __str__(self) -> str:
        return str(self.campaign_id)


class PanelEvent(AuditedEvent):
    """The audit trail of the expert evaluation's settings and accounts: who did what, when.
    Rows are never edited."""

    class Kind(models.TextChoices):
        LOGIN_CREATED = "login_created", _("login created for an expert")
        LOGIN_LINKED = "login_linked", _("login linked to an expert")
        LOGIN_UNLINKED = "login_unlinked", _("login unlinked from an expert")
        LOGIN_REQUESTED = "login_requested", _("login requested for an expert")
        LOGIN_REJECTED = "login_rejected", _("login request rejected")
        LOGIN_WITHDRAWN = "login_withdrawn", _("login request withdrawn")
        RUBRIC_SAVED = "rubric_saved", _("rubric saved")
        SETTINGS_SAVED = "settings_saved", _("settings saved")
        REMINDERS_SENT = "reminders_sent", _("reminders sent")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    campaign = models.ForeignKey(
        "collection.Campaign",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("campaign"),
    )
    expert = models.ForeignKey(
        Expert,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("expert"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("expert evaluation event")
        verbose_name_plural = _("expert evaluation events")

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
