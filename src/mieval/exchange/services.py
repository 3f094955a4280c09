"""Writes of the exchange: posts, contact details, contact requests and their steps, and each
side's report of the outcome. Each is one atomic function with keyword-only arguments, and
each leaves an :class:`ExchangeEvent`.

A party acts as ``base=`` (a base's officer) or ``organisation=`` (a service provider's
organiser); exactly one of them is given. Who may act is decided in ``accounts.permissions``
and checked by the views; the services check the exchange's own rules (which side of a
request takes which step, open posts only, providers offer, one live request per pair,
versions) and raise :class:`ExchangeError` with a message a person can act on.
"""

import enum
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mieval.collection.models import Campaign
from mieval.core.exchange.outcomes import outcome_combined
from mieval.core.reference import REGIONS
from mieval.exchange.models import (
    ContactRequest,
    ExchangeContact,
    ExchangeEvent,
    OutcomeReport,
    Post,
    party_fields,
)
from mieval.lib.concurrency import ConcurrentEditError
from mieval.panels.models import Organisation
from mieval.registry.models import Base

#: Codes a post's preferred regions may use: the four economic regions and the region groups.
PLACES = tuple(dict.fromkeys([*(r.code for r in REGIONS), *(r.group for r in REGIONS)]))
POST_FIELDS = (
    "kind",
    "category",
    "title",
    "text",
    "language",
    "tags",
    "preferred_regions",
    "expires",
)


class ExchangeErrorCode(enum.StrEnum):
    POST_CLOSED = "post_closed"
    POST_EXPIRED = "post_expired"
    SAME_BASE = "same_base"
    SAME_KIND = "same_kind"
    NOT_A_PARTY = "not_a_party"
    DUPLICATE_REQUEST = "duplicate_request"
    TRANSITION = "transition"
    WRONG_SIDE = "wrong_side"
    NO_CONTACT = "no_contact"
    PROVIDER_OFFERS = "provider_offers"
    NOT_IN_CONTACT = "not_in_contact"


class ExchangeError(Exception):
    """A step the exchange does not allow now, with a message a person can act on."""

    def __init__(self, code: ExchangeErrorCode, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# (from, to) -> the side that takes the step: the base that asked, the base asked, or either.
TRANSITIONS = {
    (ContactRequest.Status.PROPOSED, ContactRequest.Status.CONTACTED): "responding",
    (ContactRequest.Status.PROPOSED, ContactRequest.Status.DECLINED): "responding",
    (ContactRequest.Status.PROPOSED, ContactRequest.Status.WITHDRAWN): "requesting",
}
# After contact, the status follows both sides' outcome reports (outcome_report).
_STATUS_OF_STAGE = {
    "agreed": ContactRequest.Status.AGREED,
    "under_way": ContactRequest.Status.AGREED,
    "done": ContactRequest.Status.DONE,
}


def _party(base: Base | None, organisation: Organisation | None):
    """The one acting party of ``base=`` and ``organisation=``."""
    if (base is None) == (organisation is None):
        raise TypeError("give exactly one of base= and organisation=")
    return base if base is not None else organisation


def _actor(user) -> str:
    return user.get_username() if user is not None else "system"


def _event(*, action, party, user, post=None, request=None, changes=None, before="", after=""):
    ExchangeEvent.objects.create(
        action=action,
        **party_fields(party),
        post=post,
        request=request,
        changes=changes or {},
        from_status=before,
        to_status=after,
        user=user,
        actor=_actor(user),
        at=timezone.now(),
    )


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _cleaned_post_data(data: dict) -> tuple[dict, dict]:
    """Tags and regions as lists of codes, and the problems found, by field."""
    out = dict(data)
    if "tags" in out:
        tags = out["tags"]
        if isinstance(tags, str):
            tags = tags.replace("；", ";").replace("，", ";").replace(",", ";").split(";")
        out["tags"] = list(dict.fromkeys(t.strip().lower() for t in tags if str(t).strip()))
    errors = {}
    if "preferred_regions" in out:
        regions = list(dict.fromkeys(out["preferred_regions"] or ()))
        bad = [r for r in regions if r not in PLACES]
        if bad:
            errors["preferred_regions"] = _("%(bad)s is not a region; use one of %(allowed)s.") % {
                "bad": ", ".join(bad),
                "allowed": ", ".join(PLACES),
            }
        out["preferred_regions"] = regions
    return out, errors


def _post_validate(post: Post, errors: dict) -> None:
    """Every problem of the post at once, the regions' among them."""
    try:
        post.full_clean(exclude=["created_by"])
    except ValidationError as error:
        errors = {**error.message_dict, **{k: [v] for k, v in errors.items()}}
    else:
        errors = {k: [v] for k, v in errors.items()}
    if errors:
        raise ValidationError(errors)


def _provider_offers_only(party, kind) -> None:
    if isinstance(party, Organisation) and kind == Post.Kind.NEED:
        raise ExchangeError(
            ExchangeErrorCode.PROVIDER_OFFERS,
            _(
                "A service provider posts offers and answers the bases' needs; it does not"
                " post needs."
            ),
        )


@transaction.atomic
def post_create(
    *,
    base: Base | None = None,
    organisation: Organisation | None = None,
    user,
    data: dict,
    sample_key: str = "",
) -> Post:
    """A new open need or offer of ``base``, or offer of ``organisation``. ``data`` holds
    :data:`POST_FIELDS`; ``sample_key`` is the demo loader's."""
    party = _party(base, organisation)
    data, errors = _cleaned_post_data({k: data[k] for k in POST_FIELDS if k in data})
    _provider_offers_only(party, data.get("kind"))
    post = Post(**party_fields(party), created_by=user, sample_key=sample_key, **data)
    _post_validate(post, errors)
    post.save()
    _event(action=ExchangeEvent.Action.POST_CREATED, party=party, user=user, post=post)
    return post


@transaction.atomic
def post_update(*, post: Post, user, data: dict, expected_version: int) -> Post:
    """Change an open post. ``expected_version`` is the version the editor read: if someone
    changed the post meanwhile, nothing is written and the editor is told to reload."""
    current = Post.objects.select_for_update().get(pk=post.pk)
    if current.version != expected_version:
        raise ConcurrentEditError(
            _(
                "Someone else changed this post meanwhile (version %(now)s, you edited version"
                " %(read)s). Reload it and make your change again."
            )
            % {"now": current.version, "read": expected_version},
        )
    if current.status == Post.Status.CLOSED:
        raise ExchangeError(
            ExchangeErrorCode.POST_CLOSED, _("This post is closed and cannot be changed.")
        )
    data, errors = _cleaned_post_data({k: data[k] for k in POST_FIELDS if k in data})
    _provider_offers_only(current.owner, data.get("kind"))
    changes = {}
    for name, value in data.items():
        old = getattr(current, name)
        if old != value:
            changes[name] = [_plain(old), _plain(value)]
            setattr(current, name, value)
    if not changes and not errors:
        return current
    _post_validate(current, errors)
    current.version += 1
    current.save(update_fields=[*changes, "version", "updated_at"])
    _event(
        action=ExchangeEvent.Action.POST_UPDATED,
        party=current.owner,
        user=user,
        post=current,
        changes=changes,
    )
    return current


@transaction.atomic
def post_close(*, post: Post, user) -> Post:
    """Close a post: it leaves the exchange; requests already made keep their status."""
    current = Post.objects.select_for_update().get(pk=post.pk)
    if current.status == Post.Status.CLOSED:
        return current
    current.status = Post.Status.CLOSED
    current.version += 1
    current.save(update_fields=["status", "version", "updated_at"])
    _event(
        action=ExchangeEvent.Action.POST_CLOSED,
        party=current.owner,
        user=user,
        post=current,
        before=Post.Status.OPEN,
        after=Post.Status.CLOSED,
    )
    return current


@transaction.atomic
def contact_save(
    *,
    base: Base | None = None,
    organisation: Organisation | None = None,
    user,
    person: str,
    email: str,
    phone: str = "",
    expected_version: int | None = None,
) -> ExchangeContact:
    """Set the contact details a party shares with the other once both accepted a request."""
    party = _party(base, organisation)
    current = ExchangeContact.objects.select_for_update().filter(**party_fields(party)).first()
    if expected_version is not None and (current.version if current else 0) != expected_version:
        raise ConcurrentEditError(
            _("Someone else changed the contact details meanwhile. Reload and try again."),
        )
    contact = current or ExchangeContact(**party_fields(party), version=0)
    new = {"person": person.strip(), "email": email.strip(), "phone": phone.strip()}
    changes = {k: [getattr(contact, k), v] for k, v in new.items() if getattr(contact, k) != v}
    if current is not None and not changes:
        return current
    for name, value in new.items():
        setattr(contact, name, value)
    contact.version += 1
    contact.full_clean()
    contact.save()
    _event(action=ExchangeEvent.Action.CONTACT_SAVED, party=party, user=user, changes=changes)
    return contact


def current_round(parties) -> Campaign | None:
    """The evaluation round a contact between ``parties`` is made in: the latest round (the
    highest round number of its programme) that has one of the bases among them in scope.

    Rounds, not first years, order a programme's campaigns: a later round may cover the same
    first year as an earlier one (the poster's 28 first-batch bases for 2016, then the 120 for
    2016-2018). Across programmes, where bases are in scope of several, the higher round
    number wins, then the later first year."""
    base_ids = [p.pk for p in parties if isinstance(p, Base)]
    return (
        Campaign.objects.filter(bases__in=base_ids)
        .order_by("-round", "-first_year", "-created_at", "-id")
        .first()
    )


def _has_contact(party) -> bool:
    return ExchangeContact.objects.filter(**party_fields(party)).exists()


@transaction.atomic
def contact_request_create(
    *,
    base: Base | None = None,
    organisation: Organisation | None = None,
    my_post: Post,
    other_post: Post,
    user,
    message: str = "",
    as_of: date,
    campaign: Campaign | None = None,
) -> ContactRequest:
    """The acting party asks the owner of ``other_post`` for contact on the pair of ``my_post``
    (its own need or offer) and ``other_post`` (an offer or need of another party). Both posts
    must be open and unexpired on ``as_of``; one live request per pair. ``campaign`` is the
    round the request belongs to, :func:`current_round` when omitted."""
    party = _party(base, organisation)
    if not my_post.is_owned_by(party):
        raise ExchangeError(
            ExchangeErrorCode.NOT_A_PARTY, _("You can ask for contact only on your own posts.")
        )
    if other_post.is_owned_by(party):
        raise ExchangeError(
            ExchangeErrorCode.SAME_BASE, _("Both posts are your own base's; pick another base's.")
        )
    if my_post.kind == other_post.kind:
        raise ExchangeError(
            ExchangeErrorCode.SAME_KIND, _("A contact request pairs a need with an offer.")
        )
    for post in (my_post, other_post):
        if post.status == Post.Status.CLOSED:
            raise ExchangeError(
                ExchangeErrorCode.POST_CLOSED,
                _("The post “%(title)s” is closed.") % {"title": post.title},
            )
        if post.expires < as_of:
            raise ExchangeError(
                ExchangeErrorCode.POST_EXPIRED,
                _("The post “%(title)s” expired on %(day)s.")
                % {"title": post.title, "day": post.expires.isoformat()},
            )
    if not _has_contact(party):
        raise ExchangeError(
            ExchangeErrorCode.NO_CONTACT,
            _("Enter your base's contact details for the exchange before asking for contact."),
        )
    need, offer = (my_post, other_post) if my_post.kind == Post.Kind.NEED else (other_post, my_post)
    live = ContactRequest.objects.select_for_update().filter(need=need, offer=offer)
    if live.exclude(status__in=ContactRequest.CLOSED).exists():
        raise ExchangeError(
            ExchangeErrorCode.DUPLICATE_REQUEST,
            _("A contact request for this need and offer is already under way."),
        )
    other = other_post.owner
    request = ContactRequest.objects.create(
        need=need,
        offer=offer,
        **party_fields(party, "requesting_"),
        **party_fields(other, "responding_"),
        campaign=campaign if campaign is not None else current_round([party, other]),
        message=message.strip(),
        requested_by=user,
        requested_at=timezone.now(),
    )
    _event(
        action=ExchangeEvent.Action.REQUEST_CREATED,
        party=party,
        user=user,
        request=request,
        after=request.status,
    )
    return request


def _request_locked(request: ContactRequest, expected_version: int | None) -> ContactRequest:
    current = ContactRequest.objects.select_for_update().get(pk=request.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentEditError(
            _("This request changed meanwhile (it is now %(status)s). Reload the page.")
            % {"status": current.get_status_display()},
        )
    return current


@transaction.atomic
def contact_request_step(
    *,
    request: ContactRequest,
    base: Base | None = None,
    organisation: Organisation | None = None,
    user,
    to_status: str,
    expected_version: int | None = None,
) -> ContactRequest:
    """Move a request on, as :data:`TRANSITIONS` allows, for the acting party (one of its two
    parties).

    Accepting (``proposed`` → ``contacted``) is the asked party's step and is what makes the
    contact details visible to both; it needs the asked party's contact details to be kept.
    What follows the contact is each side's :func:`outcome_report`.
    """
    party = _party(base, organisation)
    current = _request_locked(request, expected_version)
    to_status = ContactRequest.Status(to_status)
    side = TRANSITIONS.get((current.status, to_status))
    if side is None:
        raise ExchangeError(
            ExchangeErrorCode.TRANSITION,
            _("A request in the status “%(now)s” cannot become “%(to)s”.")
            % {"now": current.get_status_display(), "to": to_status.label},
        )
    my_side = current.side_of(party)
    if my_side is None:
        raise ExchangeError(
            ExchangeErrorCode.NOT_A_PARTY, _("Your base is not a party to this request.")
        )
    if side != my_side and side == "responding":
        raise ExchangeError(
            ExchangeErrorCode.WRONG_SIDE,
            _("Only the base that was asked can accept or decline a request."),
        )
    if side != my_side and side == "requesting":
        raise ExchangeError(
            ExchangeErrorCode.WRONG_SIDE,
            _("Only the base that asked can withdraw a request."),
        )
    if to_status == ContactRequest.Status.CONTACTED and not _has_contact(party):
        raise ExchangeError(
            ExchangeErrorCode.NO_CONTACT,
            _("Enter your base's contact details for the exchange before accepting."),
        )
    before = current.status
    current.status = to_status
    current.responded_by, current.responded_at = user, timezone.now()
    current.version += 1
    current.save(update_fields=["status", "version", "responded_by", "responded_at"])
    _event(
        action=ExchangeEvent.Action.REQUEST_STATUS,
        party=party,
        user=user,
        request=current,
        before=before,
        after=to_status,
    )
    return current


def contact_request_accept(*, request, base=None, organisation=None, user, expected_version=None):
    return contact_request_step(
        request=request,
        base=base,
        organisation=organisation,
        user=user,
        to_status=ContactRequest.Status.CONTACTED,
        expected_version=expected_version,
    )


def contact_request_decline(*, request, base=None, organisation=None, user, expected_version=None):
    return contact_request_step(
        request=request,
        base=base,
        organisation=organisation,
        user=user,
        to_status=ContactRequest.Status.DECLINED,
        expected_version=expected_version,
    )


@transaction.atomic
def outcome_report(
    *,
    request: ContactRequest,
    base: Base | None = None,
    organisation: Organisation | None = None,
    user,
    state: str,
    note: str = "",
    expected_version: int,
) -> OutcomeReport:
    """The acting party's report of what became of an accepted contact: cooperation agreed,
    under way, done, or dropped. Each side keeps its own report; a new one replaces the
    side's earlier state (every report stays in the audit, with the state before).

    ``expected_version`` is the version of the side's report the reporter read (0 before
    the first): a report made meanwhile from the same side is not overwritten. The request's
    status then follows the two reports (``core.exchange.outcomes.outcome_combined``):
    ``agreed`` while both report a cooperation agreed or under way, ``done`` once both report
    it done, ``contacted`` otherwise.
    """
    party = _party(base, organisation)
    state = OutcomeReport.State(state)
    current = _request_locked(request, None)
    side = current.side_of(party)
    if side is None:
        raise ExchangeError(
            ExchangeErrorCode.NOT_A_PARTY, _("Your base is not a party to this request.")
        )
    if not current.is_mutual():
        raise ExchangeError(
            ExchangeErrorCode.NOT_IN_CONTACT,
            _("An outcome is reported once both sides have accepted the contact."),
        )
    reports = {r.side: r for r in OutcomeReport.objects.select_for_update().filter(request=current)}
    mine = reports.get(side)
    if (mine.version if mine else 0) != expected_version:
        raise ConcurrentEditError(
            _(
                "Someone of your side reported an outcome meanwhile (it is now “%(state)s”)."
                " Reload the page and report again."
            )
            % {"state": mine.get_state_display() if mine else "—"},
        )
    before = mine.state if mine else ""
    now = timezone.now()
    if mine is None:
        mine = OutcomeReport(request=current, side=side, version=0)
    mine.state, mine.note, mine.reported_by, mine.reported_at = state, note.strip(), user, now
    mine.version += 1
    mine.save()
    reports[side] = mine
    _event(
        action=ExchangeEvent.Action.OUTCOME_REPORTED,
        party=party,
        user=user,
        request=current,
        before=before,
        after=state,
        changes={"side": side, "note": mine.note},
    )
    _status_follow_outcomes(current, reports, party=party, user=user, now=now)
    return mine


def _status_follow_outcomes(current: ContactRequest, reports: dict, *, party, user, now) -> None:
    requesting = reports.get(OutcomeReport.Side.REQUESTING)
    responding = reports.get(OutcomeReport.Side.RESPONDING)
    combined, stage = outcome_combined(
        requesting.state if requesting else None, responding.state if responding else None
    )
    status = _STATUS_OF_STAGE[stage] if combined == "realised" else ContactRequest.Status.CONTACTED
    if status == current.status:
        return
    fields = ["status", "version"]
    if (
        status in (ContactRequest.Status.AGREED, ContactRequest.Status.DONE)
        and not current.agreed_at
    ):
        current.agreed_by, current.agreed_at = user, now
        fields += ["agreed_by", "agreed_at"]
    if status == ContactRequest.Status.DONE and not current.done_at:
        current.done_by, current.done_at = user, now
        fields += ["done_by", "done_at"]
    before, current.status = current.status, status
    current.version += 1
    current.save(update_fields=fields)
    _event(
        action=ExchangeEvent.Action.REQUEST_STATUS,
        party=party,
        user=user,
        request=current,
        before=before,
        after=status,
    )
