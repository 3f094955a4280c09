"""Writes of panel leaders, visit plans, visit records and files, and panel opinions: one
atomic function each, audited in :class:`~mieval.visits.models.VisitEvent` (who, when, old, new).

Refusals raise :class:`VisitError` with a :class:`VisitCode` and every problem found at once;
its message is English (for logs and the API), the pages show their own sentence by code.
Concurrent edits: a write names the version it read and is refused when the row changed
meanwhile (:class:`~mieval.lib.concurrency.ConcurrentEditError`), never silently overwritten.
Who may call which write is :mod:`mieval.accounts.permissions`' question, asked by the views.
"""

import enum
import hashlib
import io
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from mieval.core.evidence import (
    EVIDENCE_KINDS,
    IMAGE_KINDS,
    EvidenceCode,
    EvidenceError,
    evidence_check,
)
from mieval.core.limits import (
    VISIT_CONTACTS_MAX,
    VISIT_FILES_MAX,
    VISIT_IMAGE_PIXELS_MAX,
    VISIT_SHORT_MAX,
    VISIT_TEXT_MAX,
)
from mieval.lib.concurrency import ConcurrentEditError
from mieval.panels.models import Expert, Panel, PanelBase, PanelMember
from mieval.visits.models import (
    CheckItem,
    Opinion,
    OpinionResponse,
    PanelLeader,
    Visit,
    VisitEvent,
    VisitFile,
    VisitRecord,
)
from mieval.visits.selectors import record_closing_opinion

#: Photos and files of a visit record: the evidence limit (``EVIDENCE_MAX_BYTES``).
THUMBNAIL_PIXELS = 320


class VisitCode(enum.StrEnum):
    INVALID = "invalid"
    NOT_MEMBER = "not_member"
    NOT_ON_PANEL = "not_on_panel"
    WRONG_STATE = "wrong_state"
    EMPTY_FILE = "empty_file"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE = "file_type"
    TOO_MANY_FILES = "too_many_files"


_FILE_CODES = {
    EvidenceCode.EMPTY_FILE: VisitCode.EMPTY_FILE,
    EvidenceCode.FILE_TOO_LARGE: VisitCode.FILE_TOO_LARGE,
    EvidenceCode.FILE_TYPE: VisitCode.FILE_TYPE,
}


class VisitError(Exception):
    def __init__(self, code: VisitCode, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))
        self.code = code


def _actor(user) -> str:
    return user.get_username() if user is not None else "system"


def _event(*, kind, campaign, user, panel=None, base=None, old=None, new=None) -> None:
    VisitEvent.objects.create(
        kind=kind,
        campaign=campaign,
        panel=panel,
        base=base,
        old=old or {},
        new=new or {},
        user=user,
        actor=_actor(user),
        at=timezone.now(),
    )


def _check_version(row, version: int | None, noun: str) -> None:
    """Refuse a write that started from another version of ``row`` than the stored one."""
    if version is not None and row.version != version:
        raise ConcurrentEditError(
            f"the {noun} is at version {row.version}, not {version}: someone else saved it "
            "meanwhile; nothing was written"
        )


def _text_problems(**texts) -> list[str]:
    return [
        f"{name} is {len(value)} characters long; at most {VISIT_TEXT_MAX} are allowed"
        for name, value in texts.items()
        if len(value or "") > VISIT_TEXT_MAX
    ]


def _check_read(row, version: int | None, noun: str) -> None:
    """As :func:`_check_version`, for writes whose ``version`` None means "there was none
    when I read": an editor who saw no row must not overwrite one saved meanwhile."""
    if version is None:
        raise ConcurrentEditError(
            f"the {noun} was saved by someone else meanwhile (version {row.version}); "
            "nothing was written"
        )
    _check_version(row, version, noun)


def _codes(experts) -> list[str]:
    return sorted(e.code for e in experts)


# --- panel leaders -----------------------------------------------------------------------------


@transaction.atomic
def leader_set(*, panel: Panel, expert: Expert, user, version: int | None = None) -> PanelLeader:
    """The office makes ``expert`` (a member of the panel) its leader. ``version``: the leader
    row the office read (None when there was none)."""
    if not PanelMember.objects.filter(panel=panel, expert=expert).exists():
        raise VisitError(
            VisitCode.NOT_MEMBER, f"expert {expert.code} is not a member of panel {panel.number}"
        )
    current = PanelLeader.objects.select_for_update().filter(panel=panel).first()
    now = timezone.now()
    if current is None:
        if version is not None:
            raise ConcurrentEditError("the panel's leader was removed meanwhile")
        leader = PanelLeader.objects.create(
            panel=panel, expert=expert, chosen_by=user, chosen_at=now
        )
        old = {}
    else:
        _check_read(current, version, "panel's leader")
        old = {"leader": current.expert.code}
        current.expert = expert
        current.chosen_by = user
        current.chosen_at = now
        current.version += 1
        current.save(update_fields=["expert", "chosen_by", "chosen_at", "version"])
        leader = current
    _event(
        kind=VisitEvent.Kind.LEADER_SET,
        campaign=panel.panel_set.campaign,
        panel=panel,
        user=user,
        old=old,
        new={"leader": expert.code},
    )
    return leader


# --- visit plans -------------------------------------------------------------------------------


def _contacts_clean(contacts: list[dict]) -> tuple[list[dict], list[str]]:
    problems, clean = [], []
    if len(contacts) > VISIT_CONTACTS_MAX:
        problems.append(f"{len(contacts)} contacts; at most {VISIT_CONTACTS_MAX} are allowed")
    for number, contact in enumerate(contacts[:VISIT_CONTACTS_MAX], start=1):
        item = {k: str(contact.get(k) or "").strip() for k in ("name", "role", "phone", "email")}
        if not any(item.values()):
            continue
        if not item["name"]:
            problems.append(f"contact {number}: the name is missing")
        if not (item["phone"] or item["email"]):
            problems.append(f"contact {number}: give a phone number or an e-mail address")
        if item["email"] and "@" not in item["email"]:
            problems.append(f"contact {number}: '{item['email']}' is not an e-mail address")
        long = [k for k, v in item.items() if len(v) > VISIT_SHORT_MAX]
        if long:
            problems.append(
                f"contact {number}: {', '.join(long)} longer than {VISIT_SHORT_MAX} characters"
            )
        clean.append(item)
    return clean, problems


@transaction.atomic
def visit_plan_save(
    *,
    campaign,
    panel: Panel,
    base,
    visit_date: date | None,
    itinerary: str,
    contacts: list[dict],
    members: list[Expert],
    user,
    version: int | None = None,
) -> Visit:
    """Plan (or re-plan) the panel's visit to one of its bases. ``version``: the plan the
    editor read, None for a new plan."""
    problems = _text_problems(itinerary=itinerary)
    if not PanelBase.objects.filter(panel=panel, base=base).exists():
        raise VisitError(
            VisitCode.NOT_ON_PANEL, f"base {base.code} is not evaluated by panel {panel.number}"
        )
    member_ids = set(PanelMember.objects.filter(panel=panel).values_list("expert_id", flat=True))
    strangers = sorted(e.code for e in members if e.pk not in member_ids)
    if strangers:
        problems.append(f"not members of panel {panel.number}: {', '.join(strangers)}")
    first, last = campaign.first_year, campaign.last_year + 2
    if visit_date is not None and not first <= visit_date.year <= last:
        problems.append(f"the visit date {visit_date} is not in the years {first} to {last}")
    contacts, contact_problems = _contacts_clean(contacts)
    problems += contact_problems
    if problems:
        raise VisitError(VisitCode.INVALID, problems)
    visit = Visit.objects.select_for_update().filter(campaign=campaign, base=base).first()
    new = {
        "date": visit_date.isoformat() if visit_date else None,
        "itinerary": itinerary.strip(),
        "contacts": contacts,
        "members": _codes(members),
    }
    if visit is None:
        if version is not None:
            raise ConcurrentEditError("the visit plan was removed meanwhile; nothing was written")
        visit = Visit(campaign=campaign, panel=panel, base=base, version=0)
        old = {}
    else:
        _check_read(visit, version, "visit plan")
        old = {
            "date": visit.date.isoformat() if visit.date else None,
            "itinerary": visit.itinerary,
            "contacts": visit.contacts,
            "members": _codes(visit.members.all()),
        }
    # The panel evaluating the base now (a re-published set has new panels).
    visit.panel = panel
    visit.date = visit_date
    visit.itinerary = new["itinerary"]
    visit.contacts = contacts
    visit.version += 1
    visit.updated_at = timezone.now()
    if visit.pk is None:
        visit.save()
    else:
        visit.save(
            update_fields=["panel", "date", "itinerary", "contacts", "version", "updated_at"]
        )
    visit.members.set(members)
    _event(
        kind=VisitEvent.Kind.VISIT_PLANNED,
        campaign=campaign,
        panel=panel,
        base=base,
        user=user,
        old=old,
        new=new,
    )
    return visit


# --- visit records -----------------------------------------------------------------------------


def _check_record_open(visit: Visit) -> None:
    opinion = record_closing_opinion(visit)
    if opinion is not None:
        raise VisitError(
            VisitCode.WRONG_STATE,
            f"the visit record of {visit.base.code} is closed: the panel's opinion is "
            f"{opinion.state}; it reopens when the evaluation office returns the opinion",
        )


@transaction.atomic
def visit_record_save(
    *,
    visit: Visit,
    members_present: list[Expert],
    base_attendees: str,
    checked: list[str],
    checked_notes: str,
    findings: str,
    user,
    version: int | None = None,
) -> VisitRecord:
    """Save what the panel saw on site. ``version``: the record the form (or the phone's
    draft) started from, None for the first save. Refused (``WRONG_STATE``) once the base's
    opinion is with the office or accepted (``selectors.record_closing_opinion``)."""
    problems = _text_problems(
        base_attendees=base_attendees, checked_notes=checked_notes, findings=findings
    )
    unknown = sorted(set(checked) - set(CheckItem.values))
    if unknown:
        problems.append(
            f"unknown checklist items {', '.join(unknown)}; allowed: {', '.join(CheckItem.values)}"
        )
    member_ids = set(
        PanelMember.objects.filter(panel=visit.panel_id).values_list("expert_id", flat=True)
    )
    strangers = sorted(e.code for e in members_present if e.pk not in member_ids)
    if strangers:
        problems.append(f"not members of the panel: {', '.join(strangers)}")
    if problems:
        raise VisitError(VisitCode.INVALID, problems)
    _check_record_open(visit)
    record = VisitRecord.objects.select_for_update().filter(visit=visit).first()
    new = {
        "members_present": _codes(members_present),
        "base_attendees": base_attendees.strip(),
        "checked": [c for c in CheckItem.values if c in set(checked)],
        "checked_notes": checked_notes.strip(),
        "findings": findings.strip(),
    }
    if record is None:
        if version is not None:
            raise ConcurrentEditError("the visit record was removed meanwhile")
        record = VisitRecord(visit=visit, version=0)
        old = {}
    else:
        _check_read(record, version, "visit record")
        old = {
            "members_present": _codes(record.members_present.all()),
            "base_attendees": record.base_attendees,
            "checked": record.checked,
            "checked_notes": record.checked_notes,
            "findings": record.findings,
        }
    record.base_attendees = new["base_attendees"]
    record.checked = new["checked"]
    record.checked_notes = new["checked_notes"]
    record.findings = new["findings"]
    record.updated_by = user
    record.updated_at = timezone.now()
    record.version += 1
    if record.pk is None:
        record.save()
    else:
        record.save(
            update_fields=[
                "base_attendees",
                "checked",
                "checked_notes",
                "findings",
                "updated_by",
                "updated_at",
                "version",
            ]
        )
    record.members_present.set(members_present)
    _event(
        kind=VisitEvent.Kind.RECORD_SAVED,
        campaign=visit.campaign,
        panel=visit.panel,
        base=visit.base,
        user=user,
        old=old,
        new=new,
    )
    return record


def _thumbnail(data: bytes) -> bytes:
    """A JPEG at most ``THUMBNAIL_PIXELS`` wide and high; refuses what Pillow cannot read or
    an image too large to decode safely (a decompression bomb)."""
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > VISIT_IMAGE_PIXELS_MAX:
                raise VisitError(
                    VisitCode.FILE_TYPE,
                    f"the image is {image.width} x {image.height} pixels; at most "
                    f"{VISIT_IMAGE_PIXELS_MAX:,} pixels are allowed",
                )
            # A phone stores a portrait photo as landscape pixels plus an EXIF orientation.
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
            out = io.BytesIO()
            upright.convert("RGB").save(out, format="JPEG", quality=80)
    except (OSError, SyntaxError, Image.DecompressionBombError, ValueError) as error:
        raise VisitError(VisitCode.FILE_TYPE, f"the image cannot be read: {error}") from None
    return out.getvalue()


@transaction.atomic
def visit_file_add(*, record: VisitRecord, name: str, data: bytes, user) -> VisitFile:
    """Attach a photo or file to a visit record, checked as every evidence file is
    (:func:`mieval.core.evidence.evidence_check`: size first, then the real type from the
    content and a matching name); a photo gets a thumbnail."""
    _check_record_open(record.visit)
    if record.files.count() >= VISIT_FILES_MAX:
        raise VisitError(
            VisitCode.TOO_MANY_FILES, f"a visit record holds at most {VISIT_FILES_MAX} files"
        )
    try:
        kind = evidence_check(name=name, data=data, max_bytes=settings.EVIDENCE_MAX_BYTES)
    except EvidenceError as error:
        raise VisitError(_FILE_CODES[error.code], error.message) from None
    sha256 = hashlib.sha256(data).hexdigest()
    item = VisitFile(
        record=record,
        name=name[:255],
        content_type=EVIDENCE_KINDS[kind].content_type,
        size=len(data),
        sha256=sha256,
        uploaded_by=user,
        uploaded_at=timezone.now(),
    )
    if kind in IMAGE_KINDS:
        item.thumbnail.save(f"{sha256}.thumb.jpg", ContentFile(_thumbnail(data)), save=False)
    item.file.save(sha256, ContentFile(data), save=False)
    item.save()
    visit = record.visit
    _event(
        kind=VisitEvent.Kind.FILE_ADDED,
        campaign=visit.campaign,
        panel=visit.panel,
        base=visit.base,
        user=user,
        new={"name": item.name, "type": item.content_type, "size": item.size, "sha256": sha256},
    )
    return item


# --- panel opinions ----------------------------------------------------------------------------


def _opinion_event(kind, opinion: Opinion, user, old=None, new=None) -> None:
    _event(
        kind=kind,
        campaign=opinion.campaign,
        panel=opinion.panel,
        base=opinion.base,
        user=user,
        old=old,
        new=new,
    )


def _locked(opinion: Opinion, version: int | None) -> Opinion:
    locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
    _check_version(locked, version, "opinion")
    return locked


def _require_state(opinion: Opinion, *states: str, action: str) -> None:
    if opinion.state not in states:
        raise VisitError(
            VisitCode.WRONG_STATE,
            f"the opinion is {opinion.state}; it can be {action} only when " + " or ".join(states),
        )


@transaction.atomic
def opinion_save(
    *,
    campaign,
    panel: Panel,
    base,
    text: str,
    recommendations: str,
    user,
    version: int | None = None,
) -> Opinion:
    """The leader drafts (or, while drafting or after the office returned it, edits) the
    panel's opinion on one of its bases."""
    problems = _text_problems(text=text, recommendations=recommendations)
    if not text.strip():
        problems.append("the opinion is empty")
    if not PanelBase.objects.filter(panel=panel, base=base).exists():
        raise VisitError(
            VisitCode.NOT_ON_PANEL, f"base {base.code} is not evaluated by panel {panel.number}"
        )
    if problems:
        raise VisitError(VisitCode.INVALID, problems)
    opinion = Opinion.objects.select_for_update().filter(campaign=campaign, base=base).first()
    now = timezone.now()
    if opinion is None:
        if version is not None:
            raise ConcurrentEditError("the opinion was removed meanwhile; nothing was written")
        opinion = Opinion.objects.create(
            campaign=campaign,
            panel=panel,
            base=base,
            text=text.strip(),
            recommendations=recommendations.strip(),
            drafted_by=user,
            updated_at=now,
        )
        old = {}
    else:
        _check_read(opinion, version, "opinion")
        _require_state(opinion, Opinion.State.DRAFT, Opinion.State.RETURNED, action="edited")
        old = {"text": opinion.text, "recommendations": opinion.recommendations}
        opinion.panel = panel
        opinion.text = text.strip()
        opinion.recommendations = recommendations.strip()
        opinion.drafted_by = user
        opinion.updated_at = now
        opinion.version += 1
        opinion.save(
            update_fields=[
                "panel",
                "text",
                "recommendations",
                "drafted_by",
                "updated_at",
                "version",
            ]
        )
    _opinion_event(
        VisitEvent.Kind.OPINION_SAVED,
        opinion,
        user,
        old=old,
        new={"text": opinion.text, "recommendations": opinion.recommendations},
    )
    return opinion


def _transition(opinion: Opinion, state: str, *, user, kind, note=None, earlier=None) -> Opinion:
    old = {"state": opinion.state, **({"answers": earlier} if earlier else {})}
    opinion.state = state
    opinion.version += 1
    opinion.updated_at = timezone.now()
    fields = ["state", "version", "updated_at"]
    new = {"state": state}
    if note is not None:
        old["office_note"] = opinion.office_note
        opinion.office_note = note
        opinion.decided_by = user
        opinion.decided_at = opinion.updated_at
        fields += ["office_note", "decided_by", "decided_at"]
        new["office_note"] = note
    opinion.save(update_fields=fields)
    _opinion_event(kind, opinion, user, old=old, new=new)
    return opinion


@transaction.atomic
def opinion_circulate(*, opinion: Opinion, user, version: int | None = None) -> Opinion:
    """The leader sends the draft to the members; their earlier answers (to an earlier text)
    no longer count and are removed (the audit trail keeps them)."""
    opinion = _locked(opinion, version)
    _require_state(opinion, Opinion.State.DRAFT, Opinion.State.RETURNED, action="circulated")
    earlier = {
        r.expert.code: {"agrees": r.agrees, "dissent": r.dissent}
        for r in opinion.responses.select_related("expert")
    }
    opinion.responses.all().delete()
    opinion = _transition(
        opinion,
        Opinion.State.CIRCULATED,
        user=user,
        kind=VisitEvent.Kind.OPINION_CIRCULATED,
        earlier=earlier,
    )
    return opinion


@transaction.atomic
def opinion_answer(
    *, opinion: Opinion, expert: Expert, agrees: bool, dissent: str, user
) -> OpinionResponse:
    """A member agrees with the circulated opinion, or notes dissent (with the reason)."""
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    _require_state(opinion, Opinion.State.CIRCULATED, action="answered")
    if not PanelMember.objects.filter(panel=opinion.panel_id, expert=expert).exists():
        raise VisitError(VisitCode.NOT_MEMBER, f"expert {expert.code} is not a member of the panel")
    dissent = (dissent or "").strip()
    problems = _text_problems(dissent=dissent)
    if not agrees and not dissent:
        problems.append("a dissent needs its reason")
    if problems:
        raise VisitError(VisitCode.INVALID, problems)
    current = OpinionResponse.objects.filter(opinion=opinion, expert=expert).first()
    old = {"agrees": current.agrees, "dissent": current.dissent} if current else {}
    response, _ = OpinionResponse.objects.update_or_create(
        opinion=opinion,
        expert=expert,
        defaults={"agrees": agrees, "dissent": "" if agrees else dissent, "at": timezone.now()},
    )
    _opinion_event(
        VisitEvent.Kind.OPINION_ANSWERED,
        opinion,
        user,
        old=old,
        new={"expert": expert.code, "agrees": agrees, "dissent": response.dissent},
    )
    return response


@transaction.atomic
def opinion_submit(*, opinion: Opinion, user, version: int | None = None) -> Opinion:
    """The leader sends the circulated opinion, with the members' answers, to the office."""
    opinion = _locked(opinion, version)
    _require_state(opinion, Opinion.State.CIRCULATED, action="sent to the office")
    return _transition(
        opinion,
        Opinion.State.SUBMITTED,
        user=user,
        kind=VisitEvent.Kind.OPINION_SUBMITTED,
    )


@transaction.atomic
def opinion_accept(
    *,
    opinion: Opinion,
    user,
    version: int | None = None,
    note: str = "",
) -> Opinion:
    """The office accepts the opinion: from now on it is what the base reads (and the office
    proposes problems from it with one click on the register's propose page)."""
    opinion = _locked(opinion, version)
    _require_state(opinion, Opinion.State.SUBMITTED, action="accepted")
    problems = _text_problems(note=note)
    if problems:
        raise VisitError(VisitCode.INVALID, problems)
    return _transition(
        opinion,
        Opinion.State.ACCEPTED,
        user=user,
        kind=VisitEvent.Kind.OPINION_ACCEPTED,
        note=note.strip(),
    )


@transaction.atomic
def opinion_return(*, opinion: Opinion, user, note: str, version: int | None = None) -> Opinion:
    """The office returns the opinion to the leader, saying why."""
    opinion = _locked(opinion, version)
    _require_state(opinion, Opinion.State.SUBMITTED, action="returned")
    problems = _text_problems(note=note)
    if not (note or "").strip():
        problems.append("say why the opinion is returned")
    if problems:
        raise VisitError(VisitCode.INVALID, problems)
    return _transition(
        opinion,
        Opinion.State.RETURNED,
        user=user,
        kind=VisitEvent.Kind.OPINION_RETURNED,
        note=note.strip(),
    )
