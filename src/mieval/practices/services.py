"""Writes of reforms, nominations and same-measure links: one atomic function each, audited
in :class:`~mieval.practices.models.PracticeEvent`.

Refusals raise :class:`PracticeError` with a :class:`PracticeCode`; its message is English
(for logs and the command line), the pages show their own translated sentence by code.
Concurrent edits: a review names the version it read and is refused when the item changed
meanwhile (:class:`~mieval.lib.concurrency.ConcurrentEditError`), never silently overwritten.
"""

import enum
import hashlib
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from mieval.core.evidence import EVIDENCE_KINDS, EvidenceCode, EvidenceError, evidence_check
from mieval.core.matching.practices import SAME_MEASURE_THRESHOLD, same_measure_pairs
from mieval.lib.concurrency import ConcurrentEditError
from mieval.practices.models import (
    Nomination,
    PolicyArea,
    PracticeEvent,
    Reform,
    ReformLink,
)


class PracticeCode(enum.StrEnum):
    # An evidence file refused: the codes of core.evidence.EvidenceCode, the one list of them.
    EMPTY_FILE = EvidenceCode.EMPTY_FILE.value
    FILE_TOO_LARGE = EvidenceCode.FILE_TOO_LARGE.value
    FILE_TYPE = EvidenceCode.FILE_TYPE.value
    INVALID = "invalid"
    WRONG_STATE = "wrong_state"


class PracticeError(Exception):
    def __init__(self, code: PracticeCode, message: str):
        super().__init__(message)
        self.code = code


def _actor(user) -> str:
    return user.get_username() if user is not None else "system"


def _event(*, campaign, action: str, user, changes=None, reform=None, nomination=None, link=None):
    PracticeEvent.objects.create(
        campaign=campaign,
        reform=reform,
        nomination=nomination,
        link=link,
        action=action,
        changes=changes or {},
        user=user,
        actor=_actor(user),
        at=timezone.now(),
    )


def _attach_evidence(item, name: str | None, data: bytes | None) -> None:
    """Check an uploaded evidence file as collection's evidence is checked
    (:func:`~mieval.core.evidence.evidence_check`) and set it on the unsaved item."""
    if not name:
        return
    try:
        kind = evidence_check(name=name, data=data or b"", max_bytes=settings.EVIDENCE_MAX_BYTES)
    except EvidenceError as error:
        raise PracticeError(PracticeCode(error.code), error.message) from error
    item.evidence_name = name[:255]
    item.evidence_content_type = EVIDENCE_KINDS[kind].content_type
    item.evidence_sha256 = hashlib.sha256(data).hexdigest()
    item.evidence_file.save(item.evidence_sha256, ContentFile(data), save=False)


def _require_text(**fields) -> None:
    missing = [name for name, value in fields.items() if not str(value or "").strip()]
    if missing:
        raise PracticeError(PracticeCode.INVALID, "missing: " + ", ".join(missing))


@transaction.atomic
def reform_report(
    *,
    campaign,
    base,
    title: str,
    description: str,
    language: str,
    introduced_on: date,
    area_reported: PolicyArea,
    scope: str,
    title_other: str = "",
    description_other: str = "",
    evidence_link: str = "",
    evidence_name: str | None = None,
    evidence_data: bytes | None = None,
    user=None,
) -> Reform:
    """A base reports an institutional reform or policy measure it introduced."""
    _require_text(title=title, description=description)
    problems = []
    if language not in {"zh", "en"}:
        problems.append(f"language {language!r} is not zh or en")
    if scope not in Reform.Scope.values:
        problems.append(f"scope {scope!r} is not one of {', '.join(Reform.Scope.values)}")
    if not area_reported.active:
        problems.append(f"policy area {area_reported.code!r} is not active")
    if problems:
        raise PracticeError(PracticeCode.INVALID, "; ".join(problems))
    reform = Reform(
        campaign=campaign,
        base=base,
        title=title.strip(),
        description=description.strip(),
        language=language,
        title_other=title_other.strip(),
        description_other=description_other.strip(),
        introduced_on=introduced_on,
        area_reported=area_reported,
        scope=scope,
        evidence_link=evidence_link,
        created_by=user,
        created_at=timezone.now(),
    )
    _attach_evidence(reform, evidence_name, evidence_data)
    reform.save()
    _event(
        campaign=campaign,
        reform=reform,
        action="reform_reported",
        user=user,
        changes={"title": reform.title, "area_reported": area_reported.code},
    )
    return reform


#: What the base may change in its own items before the office has reviewed them.
REFORM_FIELDS = (
    "title", "description", "language", "title_other", "description_other", "introduced_on",
    "area_reported", "scope", "evidence_link",
)  # fmt: skip
NOMINATION_FIELDS = (
    "subkind", "name", "story", "language", "name_other", "story_other", "year",
    "contact_phone", "contact_email", "organisation_title", "evidence_link",
)  # fmt: skip
# Personal data never goes into the audit: a change of it is recorded without the values.
PERSONAL_FIELDS = frozenset({"contact_phone", "contact_email", "organisation_title"})


def _shown(value):
    """A value as the audit keeps it: a policy area by its code, a date as text."""
    return getattr(value, "code", value if value is None else str(value))


def _item_update(item, fields: tuple[str, ...], changes: dict, expected_version, user) -> dict:
    _check_version(item, expected_version)
    if item.status not in {"reported", "nominated"}:
        raise PracticeError(
            PracticeCode.WRONG_STATE,
            f"{type(item).__name__} {item.pk} is {item.status}: the office has reviewed it",
        )
    unknown = sorted(set(changes) - set(fields))
    if unknown:
        raise PracticeError(PracticeCode.INVALID, "not changeable: " + ", ".join(unknown))
    diff = {}
    for name, value in changes.items():
        old = getattr(item, name)
        if isinstance(value, str):
            value = value.strip()
        if old != value:
            setattr(item, name, value)
            diff[name] = ["…", "…"] if name in PERSONAL_FIELDS else [_shown(old), _shown(value)]
    return diff


@transaction.atomic
def reform_update(*, reform: Reform, expected_version: int, user=None, **changes) -> Reform:
    """The base changes its own reform until the office has classified it."""
    reform = Reform.objects.select_for_update().get(pk=reform.pk)
    diff = _item_update(reform, REFORM_FIELDS, changes, expected_version, user)
    _require_text(title=reform.title, description=reform.description)
    if diff:
        reform.version += 1
        reform.save(update_fields=[*diff, "version"])
        _event(
            campaign=reform.campaign, reform=reform, action="reform_updated", user=user,
            changes=diff,
        )  # fmt: skip
    return reform


@transaction.atomic
def nomination_update(
    *, nomination: Nomination, expected_version: int, user=None, **changes
) -> Nomination:
    """The base changes its own nomination until the office has decided on it."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    diff = _item_update(nomination, NOMINATION_FIELDS, changes, expected_version, user)
    _require_text(name=nomination.name, story=nomination.story)
    if nomination.subkind not in Nomination.SUBKINDS[nomination.kind]:
        raise PracticeError(
            PracticeCode.INVALID, f"{nomination.subkind!r} is not a kind of {nomination.kind}"
        )
    if diff:
        nomination.version += 1
        nomination.save(update_fields=[*diff, "version"])
        _event(
            campaign=nomination.campaign, nomination=nomination, action="nomination_updated",
            user=user, changes=diff,
        )  # fmt: skip
    return nomination


def _check_version(item, expected_version: int | None) -> None:
    if expected_version is not None and item.version != expected_version:
        raise ConcurrentEditError(
            f"{type(item).__name__} {item.pk} is at version {item.version}, "
            f"not {expected_version}: someone changed it meanwhile",
        )


@transaction.atomic
def reform_classify(
    *,
    reform: Reform,
    area: PolicyArea,
    note: str = "",
    expected_version: int | None = None,
    user=None,
) -> Reform:
    """The office reviews a reform and classifies its policy area (again, if need be)."""
    reform = Reform.objects.select_for_update().get(pk=reform.pk)
    _check_version(reform, expected_version)
    before = {"area": reform.area.code if reform.area else None, "status": reform.status}
    reform.area = area
    reform.status = Reform.Status.CLASSIFIED
    reform.review_note = note.strip()
    reform.reviewed_by = user
    reform.reviewed_at = timezone.now()
    reform.version += 1
    reform.save(
        update_fields=["area", "status", "review_note", "reviewed_by", "reviewed_at", "version"]
    )
    _event(
        campaign=reform.campaign,
        reform=reform,
        action="reform_classified",
        user=user,
        changes={
            "area": [before["area"], area.code],
            "status": [before["status"], reform.status],
            "note": reform.review_note,
        },
    )
    return reform


@transaction.atomic
def nomination_create(
    *,
    campaign,
    base,
    kind: str,
    subkind: str,
    name: str,
    story: str,
    language: str,
    year: int,
    name_other: str = "",
    story_other: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    organisation_title: str = "",
    evidence_link: str = "",
    evidence_name: str | None = None,
    evidence_data: bytes | None = None,
    user=None,
) -> Nomination:
    """A base nominates a typical case or an exemplary person."""
    _require_text(name=name, story=story)
    problems = []
    if kind not in Nomination.SUBKINDS:
        problems.append(f"kind {kind!r} is not case or person")
    elif subkind not in Nomination.SUBKINDS[kind]:
        problems.append(
            f"{subkind!r} is not a kind of {kind}: one of {', '.join(Nomination.SUBKINDS[kind])}"
        )
    if language not in {"zh", "en"}:
        problems.append(f"language {language!r} is not zh or en")
    if kind == "case" and (contact_phone or contact_email or organisation_title):
        problems.append("contact details are kept for people only")
    if problems:
        raise PracticeError(PracticeCode.INVALID, "; ".join(problems))
    nomination = Nomination(
        campaign=campaign,
        base=base,
        kind=kind,
        subkind=subkind,
        name=name.strip(),
        story=story.strip(),
        language=language,
        name_other=name_other.strip(),
        story_other=story_other.strip(),
        year=year,
        contact_phone=contact_phone.strip(),
        contact_email=contact_email.strip(),
        organisation_title=organisation_title.strip(),
        evidence_link=evidence_link,
        created_by=user,
        created_at=timezone.now(),
    )
    _attach_evidence(nomination, evidence_name, evidence_data)
    nomination.save()
    # The audit keeps no personal data: only what was nominated.
    _event(
        campaign=campaign,
        nomination=nomination,
        action="nominated",
        user=user,
        changes={"kind": kind, "subkind": subkind, "name": nomination.name},
    )
    return nomination


#: The office's decisions and the states each may follow.
DECISIONS = {
    Nomination.Status.SHORTLISTED: {Nomination.Status.NOMINATED, Nomination.Status.NOT_SELECTED},
    Nomination.Status.SELECTED: {Nomination.Status.NOMINATED, Nomination.Status.SHORTLISTED},
    Nomination.Status.NOT_SELECTED: {Nomination.Status.NOMINATED, Nomination.Status.SHORTLISTED},
    Nomination.Status.NOMINATED: {Nomination.Status.SHORTLISTED, Nomination.Status.SELECTED},
}


@transaction.atomic
def nomination_decide(
    *,
    nomination: Nomination,
    status: str,
    reason: str,
    expected_version: int | None = None,
    user=None,
) -> Nomination:
    """The office shortlists, selects or does not select a nomination (or reopens it), always
    with a reason."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _check_version(nomination, expected_version)
    _require_text(reason=reason)
    if status not in DECISIONS:
        raise PracticeError(PracticeCode.INVALID, f"status {status!r} is not a decision")
    if nomination.status not in DECISIONS[status]:
        raise PracticeError(
            PracticeCode.WRONG_STATE,
            f"nomination {nomination.pk} is {nomination.status}; it cannot become {status}",
        )
    before = nomination.status
    nomination.status = status
    nomination.decision_reason = reason.strip()
    nomination.decided_by = user
    nomination.decided_at = timezone.now()
    nomination.version += 1
    nomination.save(
        update_fields=["status", "decision_reason", "decided_by", "decided_at", "version"]
    )
    _event(
        campaign=nomination.campaign,
        nomination=nomination,
        action="nomination_decided",
        user=user,
        changes={"status": [before, status], "reason": nomination.decision_reason},
    )
    return nomination


@transaction.atomic
def consent_record(
    *, nomination: Nomination, statement: str, document: str = "", user=None
) -> Nomination:
    """Record the consent (of the person, or of the enterprise or platform) to publication:
    who recorded it, when, and the statement or the consent document's reference."""
    _require_text(statement=statement)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    nomination.consent_statement = statement.strip()
    nomination.consent_document = document.strip()
    nomination.consent_by = user
    nomination.consent_at = timezone.now()
    nomination.version += 1
    nomination.save(
        update_fields=[
            "consent_statement",
            "consent_document",
            "consent_by",
            "consent_at",
            "version",
        ]
    )
    _event(
        campaign=nomination.campaign,
        nomination=nomination,
        action="consent_recorded",
        user=user,
        changes={"statement": nomination.consent_statement, "document": document.strip()},
    )
    return nomination


@transaction.atomic
def links_suggest(*, campaign, threshold: float = SAME_MEASURE_THRESHOLD, user=None) -> int:
    """Suggest same-measure links between the campaign's reforms of different bases (text
    similarity); pairs already suggested, confirmed or rejected are left as they are.
    Returns the number of new suggestions."""
    rows = list(Reform.objects.filter(campaign=campaign).order_by("pk"))
    pairs = same_measure_pairs(
        [r.pk for r in rows], [r.base_id for r in rows], [r.text() for r in rows], threshold
    )
    known = set(
        ReformLink.objects.filter(reform_a__campaign=campaign).values_list(
            "reform_a_id", "reform_b_id"
        )
    )
    new = [
        ReformLink(reform_a_id=a, reform_b_id=b, similarity=s)
        for a, b, s in pairs
        if (a, b) not in known
    ]
    ReformLink.objects.bulk_create(new)
    if new:
        _event(
            campaign=campaign,
            action="links_suggested",
            user=user,
            changes={"pairs": [[link.reform_a_id, link.reform_b_id] for link in new]},
        )
    return len(new)


@transaction.atomic
def link_decide(*, link: ReformLink, confirm: bool, user=None) -> ReformLink:
    """An analyst confirms (or rejects) that two reforms are the same measure."""
    link = ReformLink.objects.select_for_update().select_related("reform_a").get(pk=link.pk)
    before = link.status
    link.status = ReformLink.Status.CONFIRMED if confirm else ReformLink.Status.REJECTED
    link.decided_by = user
    link.decided_at = timezone.now()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    _event(
        campaign=link.reform_a.campaign,
        link=link,
        action="link_decided",
        user=user,
        changes={"status": [before, link.status]},
    )
    return link
