"""Writes of the exchange: posts, contact details, contact requests and their steps. Each is one
atomic function with keyword-only arguments, and each leaves an :class:`ExchangeEvent`.

Who may act is decided in ``accounts.permissions`` and checked by the views; the services
check the exchange's own rules (which side of a request takes which step, open posts only,
one live request per pair, versions) and raise :class:`ExchangeError` with a message a
person can act on.
"""

import enum
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mieval.core.reference import REGIONS
from mieval.exchange.models import ContactRequest, ExchangeContact, ExchangeEvent, Post
from mieval.lib.concurrency import ConcurrentEditError
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
    (ContactRequest.Status.CONTACTED, ContactRequest.Status.AGREED): "either",
    (ContactRequest.Status.AGREED, ContactRequest.Status.DONE): "either",
}


def _actor(user) -> str:
    return user.get_username() if user is not None else "system"


def _event(*, action, base, user, post=None, request=None, changes=None, before="", after=""):
    ExchangeEvent.objects.create(
        action=action,
        base=base,
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


@transaction.atomic
def post_create(*, base: Base, user, data: dict, sample_key: str = "") -> Post:
    """A new open need or offer of ``base``. ``data`` holds :data:`POST_FIELDS`;
    ``sample_key`` is the demo loader's."""
    data, errors = _cleaned_post_data({k: data[k] for k in POST_FIELDS if k in data})
    post = Post(base=base, created_by=user, sample_key=sample_key, **data)
    _post_validate(post, errors)
    post.save()
    _event(action=ExchangeEvent.Action.POST_CREATED, base=base, user=user, post=post)
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
        base=current.base,
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
        base=current.base,
        user=user,
        post=current,
        before=Post.Status.OPEN,
        after=Post.Status.CLOSED,
    )
    return current


@transaction.atomic
def contact_save(
    *,
    base: Base,
    user,
    person: str,
    email: str,
    phone: str = "",
    expected_version: int | None = None,
) -> ExchangeContact:
    """Set the contact details ``base`` shares with a base once both accepted a request."""
    current = ExchangeContact.objects.select_for_update().filter(base=base).first()
    if expected_version is not None and (current.version if current else 0) != expected_version:
        raise ConcurrentEditError(
            _("Someone else changed the contact details meanwhile. Reload and try again."),
        )
    contact = current or ExchangeContact(base=base, version=0)
    new = {"person": person.strip(), "email": email.strip(), "phone": phone.strip()}
    changes = {k: [getattr(contact, k), v] for k, v in new.items() if getattr(contact, k) != v}
    if current is not None and not changes:
        return current
    for name, value in new.items():
        setattr(contact, name, value)
    contact.version += 1
    contact.full_clean()
    contact.save()
    _event(action=ExchangeEvent.Action.CONTACT_SAVED, base=base, user=user, changes=changes)
    return contact


@transaction.atomic
def contact_request_create(
    *, base: Base, my_post: Post, other_post: Post, user, message: str = "", as_of: date
) -> ContactRequest:
    """``base`` asks the base of ``other_post`` for contact on the pair of ``my_post`` (its own
    need or offer) and ``other_post`` (an offer or need of another base). Both posts must be
    open and unexpired on ``as_of``; one live request per pair."""
    if my_post.base_id != base.pk:
        raise ExchangeError(
            ExchangeErrorCode.NOT_A_PARTY, _("You can ask for contact only on your own posts.")
        )
    if other_post.base_id == base.pk:
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
    if not ExchangeContact.objects.filter(base=base).exists():
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
    request = ContactRequest.objects.create(
        need=need,
        offer=offer,
        requesting_base=base,
        responding_base=other_post.base,
        message=message.strip(),
        requested_by=user,
        requested_at=timezone.now(),
    )
    _event(
        action=ExchangeEvent.Action.REQUEST_CREATED,
        base=base,
        user=user,
        request=request,
        after=request.status,
    )
    return request


@transaction.atomic
def contact_request_step(
    *,
    request: ContactRequest,
    base: Base,
    user,
    to_status: str,
    expected_version: int | None = None,
) -> ContactRequest:
    """Move a request on, as :data:`TRANSITIONS` allows, for ``base`` (one of its two bases).

    Accepting (``proposed`` → ``contacted``) is the asked base's step and is what makes the
    contact details visible to both; it needs the asked base's contact details to be kept.
    """
    current = ContactRequest.objects.select_for_update().get(pk=request.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentEditError(
            _("This request changed meanwhile (it is now %(status)s). Reload the page.")
            % {"status": current.get_status_display()},
        )
    to_status = ContactRequest.Status(to_status)
    side = TRANSITIONS.get((current.status, to_status))
    if side is None:
        raise ExchangeError(
            ExchangeErrorCode.TRANSITION,
            _("A request in the status “%(now)s” cannot become “%(to)s”.")
            % {"now": current.get_status_display(), "to": to_status.label},
        )
    if base.pk not in (current.requesting_base_id, current.responding_base_id):
        raise ExchangeError(
            ExchangeErrorCode.NOT_A_PARTY, _("Your base is not a party to this request.")
        )
    if side == "responding" and base.pk != current.responding_base_id:
        raise ExchangeError(
            ExchangeErrorCode.WRONG_SIDE,
            _("Only the base that was asked can accept or decline a request."),
        )
    if side == "requesting" and base.pk != current.requesting_base_id:
        raise ExchangeError(
            ExchangeErrorCode.WRONG_SIDE,
            _("Only the base that asked can withdraw a request."),
        )
    if (
        to_status == ContactRequest.Status.CONTACTED
        and not ExchangeContact.objects.filter(base_id=current.responding_base_id).exists()
    ):
        raise ExchangeError(
            ExchangeErrorCode.NO_CONTACT,
            _("Enter your base's contact details for the exchange before accepting."),
        )
    now = timezone.now()
    before = current.status
    current.status = to_status
    fields = ["status", "version"]
    if to_status in (ContactRequest.Status.CONTACTED, ContactRequest.Status.DECLINED):
        current.responded_by, current.responded_at = user, now
        fields += ["responded_by", "responded_at"]
    elif to_status == ContactRequest.Status.AGREED:
        current.agreed_by, current.agreed_at = user, now
        fields += ["agreed_by", "agreed_at"]
    elif to_status == ContactRequest.Status.DONE:
        current.done_by, current.done_at = user, now
        fields += ["done_by", "done_at"]
    current.version += 1
    current.save(update_fields=fields)
    _event(
        action=ExchangeEvent.Action.REQUEST_STATUS,
        base=base,
        user=user,
        request=current,
        before=before,
        after=to_status,
    )
    return current


def contact_request_accept(*, request, base, user, expected_version=None):
    return contact_request_step(
        request=request,
        base=base,
        user=user,
        to_status=ContactRequest.Status.CONTACTED,
        expected_version=expected_version,
    )


def contact_request_decline(*, request, base, user, expected_version=None):
    return contact_request_step(
        request=request,
        base=base,
        user=user,
        to_status=ContactRequest.Status.DECLINED,
        expected_version=expected_version,
    )
