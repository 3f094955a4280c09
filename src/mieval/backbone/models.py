"""The grassroots operational backbone (基层业务骨干): the bases' and local associations'
operational staff who worked in a campaign's evaluation.

- :class:`BackboneMember`: one person of one campaign, from a base or from an organisation
  (exactly one of the two), with the role they had (a panel member with the operational role, a
  visit contact, or nominated by a base). Their phone and e-mail are personal data: only the
  office reads them. Recorded, then invited to an organisation's roster, then on the roster
  (linked to the :class:`~mieval.panels.models.Expert` made there).

Every change is kept in :class:`BackboneEvent` (who, when, old, new).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mieval.collection.models import Campaign
from mieval.lib.models import AuditedEvent
from mieval.panels.models import Expert, Organisation
from mieval.registry.models import Base


class BackboneMember(models.Model):
    class Role(models.TextChoices):
        PANEL_MEMBER = "panel_member", _("panel member (operational role)")
        VISIT_CONTACT = "visit_contact", _("site-visit contact")
        NOMINATED = "nominated", _("nominated by a base")

    class State(models.TextChoices):
        RECORDED = "recorded", _("recorded")
        INVITED = "invited", _("invited to the roster")
        ROSTERED = "rostered", _("on the roster")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    base = models.ForeignKey(
        Base,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("base"),
    )
    role = models.CharField(_("role in the evaluation"), max_length=20, choices=Role.choices)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.CharField(_("e-mail address"), max_length=200, blank=True)
    expert = models.ForeignKey(
        Expert,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("expert"),
    )
    notes = models.TextField(_("notes"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RECORDED
    )
    #: Where an imported person came from ("expert:<code>", "visit:<base>:<name>"); empty for
    #: people recorded or nominated by hand. An import never records the same source twice.
    source = models.CharField(_("source"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["campaign", "role", "name", "id"]
        verbose_name = _("backbone member")
        verbose_name_plural = _("backbone members")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=True, base__isnull=False)
                | models.Q(organisation__isnull=False, base__isnull=True),
                name="backbone_member_base_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["campaign", "source"],
                condition=~models.Q(source=""),
                name="backbone_member_one_per_source",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BackboneEvent(AuditedEvent):
    """The audit trail of the backbone. Rows are never edited."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", _("backbone member recorded")
        UPDATED = "updated", _("backbone member changed")
        NOMINATED = "nominated", _("backbone member nominated")
        IMPORTED = "imported", _("backbone member imported")
        INVITED = "invited", _("backbone member invited to the roster")
        ACCEPTED = "accepted", _("backbone member on the roster")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    member = models.ForeignKey(
        BackboneMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("backbone member"),
    )
    old = models.JSONField(_("before"), default=dict, blank=True)
    new = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("backbone event")
        verbose_name_plural = _("backbone events")

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
