"""Site visits (实地考察) and the panel's consolidated opinion (专家组意见).

- :class:`PanelLeader`: the leader (组长) of one published panel, chosen by the evaluation
  office (the system proposes one, :func:`mieval.core.panels.leader.leader_propose`). Kept here,
  one row per panel, rather than as a column of ``panels.Panel``: the leader is a decision of
  the site-visit stage, audited with it.
- :class:`Visit`: the plan of the panel's visit to one of its bases (date, itinerary, contacts,
  the members going); the base sees its date and itinerary.
- :class:`VisitRecord`: what the panel found on site (who attended, what was checked,
  findings), with :class:`VisitFile` photos and files.
- :class:`Opinion`: one per base of a panel, drafted by the leader, agreed or dissented by the
  members (:class:`OpinionResponse`), accepted or returned by the office. Once accepted it is
  what the base reads.

Every change is kept in :class:`VisitEvent` (who, when, old, new).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mieval.collection.models import Campaign
from mieval.lib.models import AuditedEvent
from mieval.panels.models import Expert, Panel
from mieval.registry.models import Base


class PanelLeader(models.Model):
    panel = models.OneToOneField(
        Panel, on_delete=models.CASCADE, related_name="leader", verbose_name=_("expert panel")
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="+", verbose_name=_("leader")
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen by"),
    )
    chosen_at = models.DateTimeField(_("chosen"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("panel leader")
        verbose_name_plural = _("panel leaders")

    def __str__(self) -> str:
        return f"{self.panel_id}: {self.expert_id}"


class CheckItem(models.TextChoices):
    """What a panel checks on site (the checklist of the visit record)."""

    SPACE = "space", _("incubation space and facilities")
    PLATFORMS = "platforms", _("service platforms in operation")
    POLICIES = "policies", _("policy documents and their implementation")
    LEDGERS = "ledgers", _("ledgers and original records behind the reported data")
    ENTERPRISES = "enterprises", _("interviews with enterprises and entrepreneurs")
    FUNDS = "funds", _("use of special funds")


class Visit(models.Model):
    """The plan of one panel's visit to one of its bases."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="visits", verbose_name=_("expert panel")
    )
    base = models.ForeignKey(
        Base, on_delete=models.PROTECT, related_name="+", verbose_name=_("base")
    )
    date = models.DateField(_("visit date"), null=True, blank=True)
    itinerary = models.TextField(_("itinerary"), blank=True)
    # [{"name", "role", "phone", "email"}, ...]: the base's people the panel deals with.
    contacts = models.JSONField(_("contacts"), default=list, blank=True)
    members = models.ManyToManyField(
        Expert, blank=True, related_name="+", verbose_name=_("members going")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)

    class Meta:
        ordering = ["panel", "date", "base__code"]
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "base"], name="visit_campaign_base_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.base_id} {self.date}"


class VisitRecord(models.Model):
    """What the panel saw on site; written on a phone by the leader or a member."""

    visit = models.OneToOneField(
        Visit, on_delete=models.CASCADE, related_name="record", verbose_name=_("site visit")
    )
    members_present = models.ManyToManyField(
        Expert, blank=True, related_name="+", verbose_name=_("members present")
    )
    base_attendees = models.TextField(_("the base's people present"), blank=True)
    checked = models.JSONField(_("items checked"), default=list, blank=True)
    checked_notes = models.TextField(_("what was checked"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("visit record")
        verbose_name_plural = _("visit records")

    def __str__(self) -> str:
        return str(self.visit_id)


def visit_file_path(instance, filename: str) -> str:
    # The stored name is the content hash: no user-chosen path ever reaches the disk.
    return f"visits/{instance.record_id}/{instance.sha256}"


def visit_thumbnail_path(instance, filename: str) -> str:
    return f"visits/{instance.record_id}/{instance.sha256}.thumb.jpg"


class VisitFile(models.Model):
    """A photo or document taken on site (the evidence file kinds and limits)."""

    record = models.ForeignKey(
        VisitRecord, on_delete=models.CASCADE, related_name="files", verbose_name=_("visit record")
    )
    file = models.FileField(_("file"), upload_to=visit_file_path, max_length=300)
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=visit_thumbnail_path, max_length=300, blank=True
    )
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
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
        ordering = ["uploaded_at", "id"]
        verbose_name = _("visit file")
        verbose_name_plural = _("visit files")

    def __str__(self) -> str:
        return self.name

    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Opinion(models.Model):
    """The panel's consolidated opinion on one base (专家组意见)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("drafted by the leader")
        CIRCULATED = "circulated", _("with the members")
        SUBMITTED = "submitted", _("with the evaluation office")
        RETURNED = "returned", _("returned by the evaluation office")
        ACCEPTED = "accepted", pgettext_lazy("opinion", "accepted")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("expert panel")
    )
    base = models.ForeignKey(
        Base, on_delete=models.PROTECT, related_name="+", verbose_name=_("base")
    )
    text = models.TextField(_("opinion"))
    recommendations = models.TextField(_("recommendations"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    office_note = models.TextField(_("note of the evaluation office"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    updated_at = models.DateTimeField(_("updated"))
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
        ordering = ["panel", "base__code"]
        verbose_name = _("panel opinion")
        verbose_name_plural = _("panel opinions")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "base"], name="opinion_campaign_base_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.base_id} ({self.state})"

    def is_editable(self) -> bool:
        """The leader changes the text while drafting, or after the office returned it."""
        return self.state in {self.State.DRAFT, self.State.RETURNED}


class OpinionResponse(models.Model):
    """A member's answer to the circulated opinion: agreed, or dissent with a reason."""

    opinion = models.ForeignKey(
        Opinion, on_delete=models.CASCADE, related_name="responses", verbose_name=_("opinion")
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    agrees = models.BooleanField(_("agrees"))
    dissent = models.TextField(_("dissent"), blank=True)
    at = models.DateTimeField(_("answered"))

    class Meta:
        ordering = ["expert__code"]
        verbose_name = _("member's answer")
        verbose_name_plural = _("members' answers")
        constraints = [
            models.UniqueConstraint(fields=["opinion", "expert"], name="opinion_response_unique")
        ]

    def __str__(self) -> str:
        return f"{self.opinion_id} {self.expert_id} {self.agrees}"


class VisitEvent(AuditedEvent):
    """The audit trail of leaders, visits, records and opinions. Rows are never edited."""

    class Kind(models.TextChoices):
        LEADER_SET = "leader_set", _("panel leader set")
        VISIT_PLANNED = "visit_planned", _("visit planned")
        RECORD_SAVED = "record_saved", _("visit record saved")
        FILE_ADDED = "file_added", _("visit file added")
        OPINION_SAVED = "opinion_saved", _("opinion saved")
        OPINION_CIRCULATED = "opinion_circulated", _("opinion sent to the members")
        OPINION_ANSWERED = "opinion_answered", _("member answered the opinion")
        OPINION_SUBMITTED = "opinion_submitted", _("opinion sent to the office")
        OPINION_ACCEPTED = "opinion_accepted", _("opinion accepted")
        OPINION_RETURNED = "opinion_returned", _("opinion returned")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    panel = models.ForeignKey(
        Panel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("expert panel"),
    )
    base = models.ForeignKey(
        Base,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("base"),
    )
    old = models.JSONField(_("before"), default=dict, blank=True)
    new = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("site-visit event")
        verbose_name_plural = _("site-visit events")

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
