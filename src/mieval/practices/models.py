"""Qualitative evidence from the bases: institutional reforms, typical cases, exemplary people.

A base officer reports a reform (制度改革举措) or nominates a typical case or person (典型案例,
典型人物); the evaluation office classifies reforms by policy area, links the same measure
reported by several bases, and shortlists and selects nominations. A nomination is *published*
(shown to viewers and in reports) only when it is selected and consent is recorded.
Every change is kept in :class:`PracticeEvent`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mieval.collection.models import Campaign
from mieval.lib.models import AuditedEvent
from mieval.registry.models import Base


class PolicyArea(models.Model):
    """A policy area reforms are classified by; the office keeps the list (the admin)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class Language(models.TextChoices):
    ZH = "zh", _("Chinese")
    EN = "en", _("English")


def practice_evidence_path(instance, filename: str) -> str:
    # The stored name is the content hash: no user-chosen path ever reaches the disk.
    return f"practices/{instance.campaign_id}/{instance.base_id}/{instance.evidence_sha256}"


class EvidenceFields(models.Model):
    """An item's evidence: a checked file (as collection's Evidence) or a link, or both."""

    evidence_file = models.FileField(
        _("evidence file"), upload_to=practice_evidence_path, max_length=300, blank=True
    )
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    evidence_content_type = models.CharField(_("type"), max_length=100, blank=True)
    evidence_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    evidence_link = models.URLField(_("evidence link"), max_length=500, blank=True)

    class Meta:
        abstract = True


class Reform(EvidenceFields):
    """An institutional reform or policy measure a base introduced."""

    class Scope(models.TextChoices):
        BASE = "base", _("the base only")
        CITY = "city", _("city-wide")
        PROVINCE = "province", _("province-wide")
        NATIONAL = "national", _("nationwide")

    class Status(models.TextChoices):
        REPORTED = "reported", _("reported")
        CLASSIFIED = "classified", _("reviewed and classified")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="reforms", verbose_name=_("campaign")
    )
    base = models.ForeignKey(
        Base, on_delete=models.PROTECT, related_name="reforms", verbose_name=_("base")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title_other = models.CharField(_("title in the other language"), max_length=200, blank=True)
    description_other = models.TextField(_("description in the other language"), blank=True)
    introduced_on = models.DateField(_("introduced on"))
    area_reported = models.ForeignKey(
        PolicyArea,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("policy area (as reported)"),
    )
    area = models.ForeignKey(
        PolicyArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reforms",
        verbose_name=_("policy area (as classified)"),
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REPORTED
    )
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("reported"))

    class Meta:
        ordering = ["-introduced_on", "id"]
        verbose_name = _("reform measure")
        verbose_name_plural = _("reform measures")

    def __str__(self) -> str:
        return f"{self.base.code}: {self.title}"

    def effective_area(self) -> PolicyArea:
        """The analyst's classification, else what the base reported."""
        return self.area or self.area_reported

    def text(self) -> str:
        return "\n".join([self.title, self.description, self.title_other, self.description_other])


class Nomination(EvidenceFields):
    """A typical case (an enterprise, a platform, a practice) or an exemplary person."""

    class Kind(models.TextChoices):
        CASE = "case", _("typical case")
        PERSON = "person", _("exemplary person")

    class Subkind(models.TextChoices):
        ENTERPRISE = "enterprise", _("enterprise")
        PLATFORM = "platform", _("platform")
        PRACTICE = "practice", _("practice")
        FOUNDER = "founder", _("founder")
        MENTOR = "mentor", _("mentor")
        RESEARCHER = "researcher", _("researcher")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("nominated")
        SHORTLISTED = "shortlisted", _("shortlisted")
        SELECTED = "selected", _("selected")
        NOT_SELECTED = "not_selected", _("not selected")

    #: Which subkinds go with which kind.
    SUBKINDS = {
        "case": ("enterprise", "platform", "practice"),
        "person": ("founder", "mentor", "researcher", "other"),
    }

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("campaign")
    )
    base = models.ForeignKey(
        Base, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("base")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    subkind = models.CharField(_("category"), max_length=12, choices=Subkind.choices)
    name = models.CharField(_("name"), max_length=200)
    story = models.TextField(_("story"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    name_other = models.CharField(_("name in the other language"), max_length=200, blank=True)
    story_other = models.TextField(_("story in the other language"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    # Personal data (people only): the own base's officers and the office see it, nobody else.
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    organisation_title = models.CharField(_("organisation and title"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOMINATED
    )
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    consent_statement = models.TextField(_("consent"), blank=True)
    consent_document = models.CharField(_("consent document"), max_length=300, blank=True)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    consent_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    created_at = models.DateTimeField(_("nominated"))

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")

    def __str__(self) -> str:
        return f"{self.base.code}: {self.name}"

    def has_consent(self) -> bool:
        return self.consent_at is not None

    def is_published(self) -> bool:
        """Selected and consented: what viewers and reports may show."""
        return self.status == self.Status.SELECTED and self.has_consent()

    def text(self) -> str:
        return "\n".join([self.name, self.story, self.name_other, self.story_other])


class ReformLink(models.Model):
    """The same measure reported by two bases: suggested by text similarity, confirmed by
    an analyst. ``reform_a`` has the smaller id."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("suggested")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    reform_a = models.ForeignKey(
        Reform, on_delete=models.CASCADE, related_name="+", verbose_name=_("reform")
    )
    reform_b = models.ForeignKey(
        Reform, on_delete=models.CASCADE, related_name="+", verbose_name=_("same measure")
    )
    similarity = models.FloatField(_("similarity"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUGGESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-similarity", "id"]
        verbose_name = _("same-measure link")
        verbose_name_plural = _("same-measure links")
        constraints = [
            models.UniqueConstraint(fields=["reform_a", "reform_b"], name="reform_link_unique"),
            models.CheckConstraint(
                condition=models.Q(reform_a__lt=models.F("reform_b")), name="reform_link_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reform_a_id} ~ {self.reform_b_id} ({self.similarity:.2f})"


class PracticeEvent(AuditedEvent):
    """The audit: every change of a reform, a nomination or a link, who, when and what."""

    class Action(models.TextChoices):
        REFORM_REPORTED = "reform_reported", _("reform measure reported")
        REFORM_UPDATED = "reform_updated", _("reform measure changed")
        REFORM_CLASSIFIED = "reform_classified", _("reform measure classified")
        NOMINATED = "nominated", _("nominated")
        NOMINATION_UPDATED = "nomination_updated", _("nomination changed")
        NOMINATION_DECIDED = "nomination_decided", _("decision recorded")
        CONSENT_RECORDED = "consent_recorded", _("consent recorded")
        LINKS_SUGGESTED = "links_suggested", _("same-measure links suggested")
        LINK_DECIDED = "link_decided", _("same-measure link decided")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    reform = models.ForeignKey(
        Reform, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    link = models.ForeignKey(
        ReformLink, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("reform or nomination event")
        verbose_name_plural = _("reform and nomination events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"
