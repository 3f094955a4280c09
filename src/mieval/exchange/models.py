"""The exchange: bases post needs and offers, service providers (the panels app's
organisations: local science associations, national societies, third-party institutions)
post offers; a party (a base or a provider) asks another for contact on a matched pair; each
party keeps the contact details it shares, shown to the other side only once both have
accepted. Once in contact, each side reports the cooperation's outcome
(:class:`OutcomeReport`). Every change is an :class:`ExchangeEvent`.

A party is a :class:`~mieval.registry.models.Base` or a
:class:`~mieval.panels.models.Organisation`; rows that belong to a party hold two nullable
keys, exactly one of them set (a check constraint). :func:`party_key` names a party in the
frames of the matching and network core: the base's code, or ``org:`` and the organisation's
code."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mieval.lib.json import UnicodeJSONEncoder
from mieval.lib.models import AuditedEvent

#: Prefix of an organisation's party key (a base's key is its code).
ORGANISATION_KEY_PREFIX = "org:"


def party_key(party) -> str:
    """The key of a base (its code) or an organisation (``org:`` + its code)."""
    if party._meta.model_name == "organisation":
        return ORGANISATION_KEY_PREFIX + party.code
    return party.code


def party_fields(party, prefix: str = "") -> dict:
    """``{prefix + "base": ..., prefix + "organisation": ...}`` for a base or an organisation."""
    is_organisation = party._meta.model_name == "organisation"
    return {
        f"{prefix}base": None if is_organisation else party,
        f"{prefix}organisation": party if is_organisation else None,
    }


def _one_party(prefix: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(
            **{f"{prefix}base__isnull": False, f"{prefix}organisation__isnull": True}
        )
        | models.Q(**{f"{prefix}base__isnull": True, f"{prefix}organisation__isnull": False}),
        name=name,
    )


def _same_party(a_base_id, a_org_id, party) -> bool:
    if party is None:
        return False
    if party._meta.model_name == "organisation":
        return a_org_id is not None and a_org_id == party.pk
    return a_base_id is not None and a_base_id == party.pk


class ExchangeContact(models.Model):
    """Whom another party reaches for the exchange: one contact per base or organisation."""

    base = models.OneToOneField(
        "registry.Base",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exchange_contact",
        verbose_name=_("base"),
    )
    organisation = models.OneToOneField(
        "panels.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exchange_contact",
        verbose_name=_("organisation"),
    )
    person = models.CharField(_("contact person"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("exchange contact")
        verbose_name_plural = _("exchange contacts")
        constraints = [_one_party("", "exchange_contact_one_party")]

    def __str__(self) -> str:
        return f"{party_key(self.base or self.organisation)}: {self.person}"


class PostQuerySet(models.QuerySet):
    def active(self, as_of):
        """Open and not expired on ``as_of``: the posts the exchange matches."""
        return self.filter(status=Post.Status.OPEN, expires__gte=as_of)


class Post(models.Model):
    """A base's need or offer, or a service provider's offer."""

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
        null=True,
        blank=True,
        related_name="exchange_posts",
        verbose_name=_("base"),
    )
    organisation = models.ForeignKey(
        "panels.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exchange_posts",
        verbose_name=_("service provider"),
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
            ),
            _one_party("", "exchange_post_one_owner"),
        ]

    def __str__(self) -> str:
        return f"{party_key(self.owner)} {self.kind}: {self.title}"

    @property
    def owner(self):
        """The base or the organisation that posted."""
        return self.base if self.base_id is not None else self.organisation

    def is_owned_by(self, party) -> bool:
        return _same_party(self.base_id, self.organisation_id, party)

    def is_active(self, as_of) -> bool:
        return self.status == self.Status.OPEN and self.expires >= as_of


class ContactRequest(models.Model):
    """One party asks the other for contact on a need and an offer the exchange matched.

    ``proposed`` (asked; the requesting party has accepted by asking) → ``contacted`` (the
    other party accepted: both sides have, contact details are shown); or ``declined`` by the
    other party, or ``withdrawn`` by the requesting party while proposed. Once contacted,
    each side reports the outcome (:class:`OutcomeReport`), and the status follows what both
    sides report (:func:`outcome_combined`): ``agreed`` while both report a cooperation agreed
    or under way, ``done`` once both report it done, ``contacted`` otherwise.

    ``campaign`` is the evaluation round in which the contact was asked for: the network of
    realised cooperation is measured per round.
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
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requesting base"),
    )
    requesting_organisation = models.ForeignKey(
        "panels.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requesting service provider"),
    )
    responding_base = models.ForeignKey(
        "registry.Base",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responding base"),
    )
    responding_organisation = models.ForeignKey(
        "panels.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responding service provider"),
    )
    campaign = models.ForeignKey(
        "collection.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exchange_requests",
        verbose_name=_("evaluation round"),
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
            ),
            _one_party("requesting_", "exchange_request_one_requesting_party"),
            _one_party("responding_", "exchange_request_one_responding_party"),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} ↔ {self.offer_id}: {self.status}"

    def is_mutual(self) -> bool:
        """Both sides have accepted: the contact details may be shown to both."""
        return self.status in self.MUTUAL

    @property
    def requesting_party(self):
        return self.requesting_base if self.requesting_base_id else self.requesting_organisation

    @property
    def responding_party(self):
        return self.responding_base if self.responding_base_id else self.responding_organisation

    def side_of(self, party) -> str | None:
        """``requesting`` or ``responding`` for one of the two parties, else None."""
        if _same_party(self.requesting_base_id, self.requesting_organisation_id, party):
            return OutcomeReport.Side.REQUESTING
        if _same_party(self.responding_base_id, self.responding_organisation_id, party):
            return OutcomeReport.Side.RESPONDING
        return None

    def other_party(self, party):
        """The other side's base or organisation."""
        if self.side_of(party) == OutcomeReport.Side.REQUESTING:
            return self.responding_party
        return self.requesting_party


class OutcomeReport(models.Model):
    """One side's report of what became of an accepted contact: its latest state, dated.

    Each side keeps its own report (one row per request and side); every report made, with
    the state before and after, is an :class:`ExchangeEvent` (``outcome_reported``). Where
    the two sides disagree, the pages show both.
    """

    class Side(models.TextChoices):
        REQUESTING = "requesting", _("the side that asked")
        RESPONDING = "responding", _("the side asked")

    class State(models.TextChoices):
        AGREED = "agreed", _("cooperation agreed")
        UNDER_WAY = "under_way", _("cooperation under way")
        DONE = "done", _("cooperation done")
        DROPPED = "dropped", _("dropped")

    request = models.ForeignKey(
        ContactRequest,
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("contact request"),
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    state = models.CharField(_("outcome"), max_length=10, choices=State.choices)
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["request", "side"]
        verbose_name = _("outcome report")
        verbose_name_plural = _("outcome reports")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "side"], name="exchange_outcome_one_per_side"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.side}: {self.state}"


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
        OUTCOME_REPORTED = "outcome_reported", _("outcome reported")

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
        "registry.Base",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("base"),
    )
    organisation = models.ForeignKey(
        "panels.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
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
