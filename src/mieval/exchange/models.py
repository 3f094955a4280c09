"""The exchange: bases post needs and offers; a base asks another for contact on a matched
pair; each base keeps the contact details it shares, shown to the other side only once both
have accepted. Every change is an :class:`ExchangeEvent`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mieval.lib.json import UnicodeJSONEncoder
from mieval.lib.models import AuditedEvent


class ExchangeContact(models.Model):
    """Whom another base reaches for the exchange: one contact per base."""

    base = models.OneToOneField(
        "registry.Base",
        on_delete=models.CASCADE,
        related_name="exchange_contact",
        verbose_name=_("base"),
    )
    person = models.CharField(_("contact person"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("exchange contact")
        verbose_name_plural = _("exchange contacts")

    def __str__(self) -> str:
        return f"{self.base.code}: {self.person}"


class PostQuerySet(models.QuerySet):
    def active(self, as_of):
        """Open and not expired on ``as_of``: the posts the exchange matches."""
        return self.filter(status=Post.Status.OPEN, expires__gte=as_of)


class Post(models.Model):
    """A base's need or offer."""

    # Codes as in ``matching.KINDS`` and ``matching.POST_CATEGORIES`` (tests/test_models.py).
    class Kind(models.TextChoices):
        NEED = "need", _("need")
        OFFER = "offer", _("offer")

    class Category(models.TextChoices):
        TECHNOLOGY = "technology", _("technology")
        TALENT = "talent", _("talent")
        CAPITAL = "capital", _("capital")
        INCUBATION_SPACE = "incubation_space", _("incubation space")
        SERVICES = "services", _("services")
        MARKETS = "markets", _("markets")

    class Language(models.TextChoices):
        ZH = "zh", _("Chinese")
        EN = "en", _("English")

    class Status(models.TextChoices):
        OPEN = "open", _("active")
        CLOSED = "closed", _("closed")

    base = models.ForeignKey(
        "registry.Base",
        on_delete=models.CASCADE,
        related_name="exchange_posts",
        verbose_name=_("base"),
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    tags = models.JSONField(_("tags"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    preferred_regions = models.JSONField(_("preferred regions"), default=list, blank=True)
    expires = models.DateField(_("expires"))
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.OPEN
    )
    # The demo loader's key (``D-N-01-zh``), so that loading twice changes nothing.
    sample_key = models.CharField(_("sample key"), max_length=40, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("exchange post")
        verbose_name_plural = _("exchange posts")
        constraints = [
            models.UniqueConstraint(
                fields=["sample_key"],
                condition=~models.Q(sample_key=""),
                name="exchange_post_sample_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.base.code} {self.kind}: {self.title}"

    def is_active(self, as_of) -> bool:
        return self.status == self.Status.OPEN and self.expires >= as_of


class ContactRequest(models.Model):
    """One base asks the other for contact on a need and an offer the exchange matched.

    ``proposed`` (asked; the requesting base has accepted by asking) → ``contacted`` (the
    other base accepted: both sides have, contact details are shown) → ``agreed`` (they agreed
    on a cooperation) → ``done``; or ``declined`` by the other base, or ``withdrawn`` by the
    requesting base while proposed.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("requested")
        CONTACTED = "contacted", _("contacted")
        AGREED = "agreed", _("agreed")
        DONE = "done", _("done")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    #: Statuses in which both sides have accepted: the contact details are shown.
    MUTUAL = frozenset({Status.CONTACTED, Status.AGREED, Status.DONE})
    #: Statuses that end a request; a new request for the same pair may follow.
    CLOSED = frozenset({Status.DECLINED, Status.WITHDRAWN})

    need = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="requests_as_need", verbose_name=_("need")
    )
    offer = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="requests_as_offer", verbose_name=_("offer")
    )
    requesting_base = models.ForeignKey(
        "registry.Base",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requesting base"),
    )
    responding_base = models.ForeignKey(
        "registry.Base",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("responding base"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    message = models.TextField(_("message"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement recorded by"),
    )
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completion recorded by"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        constraints = [
            models.UniqueConstraint(
                fields=["need", "offer"],
                condition=~models.Q(status__in=["declined", "withdrawn"]),
                name="exchange_request_one_live_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.need_id} ↔ {self.offer_id}: {self.status}"

    def is_mutual(self) -> bool:
        """Both sides have accepted: the contact details may be shown to both."""
        return self.status in self.MUTUAL

    def other_base_id(self, base_id: int) -> int:
        return (
            self.responding_base_id
            if base_id == self.requesting_base_id
            else (self.requesting_base_id)
        )


class ExchangeEvent(AuditedEvent):
    """Every change in the exchange: a post created, edited or closed, a request and each of
    its steps, a contact changed. Never edited."""

    class Action(models.TextChoices):
        POST_CREATED = "post_created", _("post created")
        POST_UPDATED = "post_updated", _("post updated")
        POST_CLOSED = "post_closed", _("post closed")
        REQUEST_CREATED = "request_created", _("contact requested")
        REQUEST_STATUS = "request_status", _("request status changed")
        CONTACT_SAVED = "contact_saved", _("contact details saved")

    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    post = models.ForeignKey(
        Post,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("post"),
    )
    request = models.ForeignKey(
        ContactRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("contact request"),
    )
    base = models.ForeignKey(
        "registry.Base", on_delete=models.CASCADE, related_name="+", verbose_name=_("base")
    )
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("exchange event")
        verbose_name_plural = _("exchange events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
