"""Writes of the grassroots operational backbone: one atomic function each, audited in
:class:`~mieval.backbone.models.BackboneEvent`.

Refusals raise :class:`BackboneError` with a :class:`BackboneCode` and, for bad input, every
problem found at once (``error.problems``: field, message); the message is English (logs, the
command line), the pages show their own translated sentence by code. A write that names the
version it read is refused when someone changed the person meanwhile
(:class:`~mieval.lib.concurrency.ConcurrentEditError`), never silently overwritten.
"""

import enum
import functools
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from mieval.backbone.models import BackboneEvent, BackboneMember
from mieval.core.limits import (
    BACKBONE_CODE_MAX,
    BACKBONE_EMAIL_MAX,
    BACKBONE_NAME_MAX,
    BACKBONE_NOTES_MAX,
    BACKBONE_PHONE_MAX,
    BACKBONE_POSITION_MAX,
)
from mieval.core.panels.vocabulary import ExpertRole
from mieval.lib.concurrency import ConcurrentEditError
from mieval.panels.models import Expert, Organisation, PanelMember, PanelSet
from mieval.panels.services import expert_save
from mieval.visits.models import Visit

#: The fields :func:`member_update` changes.
EDITABLE = ("name", "position", "phone", "email", "notes", "role", "base", "organisation")


class BackboneCode(enum.StrEnum):
    INVALID = "invalid"
    WRONG_STATE = "wrong_state"
    NOT_OWN_BASE = "not_own_base"


class BackboneError(Exception):
    def __init__(self, code: BackboneCode, message: str, problems: tuple = ()):
        super().__init__(message)
        self.code = code
        self.message = message
        #: (field, message) pairs of bad input, all of them.
        self.problems = tuple(problems)


def _invalid(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise BackboneError(
            BackboneCode.INVALID, "; ".join(f"{f}: {m}" for f, m in problems), tuple(problems)
        )


def _actor(user) -> str:
    return user.get_username() if user is not None else "system"


def _event(*, kind, member, user, old=None, new=None) -> None:
    BackboneEvent.objects.create(
        kind=kind,
        campaign_id=member.campaign_id,
        member=member,
        old=old or {},
        new=new or {},
        user=user,
        actor=_actor(user),
        at=timezone.now(),
    )


def _snapshot(member: BackboneMember) -> dict:
    return {
        "name": member.name,
        "role": member.role,
        "position": member.position,
        "phone": member.phone,
        "email": member.email,
        "notes": member.notes,
        "base": member.base.code if member.base_id else None,
        "organisation": member.organisation.code if member.organisation_id else None,
        "state": member.state,
        "expert": member.expert.code if member.expert_id else None,
    }


def _problems(data: dict) -> list[tuple[str, str]]:
    """Every problem of a person's fields at once."""
    problems = []
    name = data.get("name", "")
    if not name:
        problems.append(("name", "the name is missing"))
    for field, limit in (
        ("name", BACKBONE_NAME_MAX),
        ("position", BACKBONE_POSITION_MAX),
        ("phone", BACKBONE_PHONE_MAX),
        ("email", BACKBONE_EMAIL_MAX),
        ("notes", BACKBONE_NOTES_MAX),
    ):
        if len(data.get(field, "")) > limit:
            problems.append((field, f"longer than {limit} characters"))
    email = data.get("email", "")
    if email and ("@" not in email or " " in email):
        problems.append(("email", f"'{email}' is not an e-mail address"))
    if data.get("role") not in BackboneMember.Role.values:
        problems.append(("role", f"'{data.get('role')}' is not a role of the backbone"))
    if (data.get("base") is None) == (data.get("organisation") is None):
        problems.append(("base", "give either a base or an organisation, not both"))
    if data.get("role") == BackboneMember.Role.NOMINATED and data.get("base") is None:
        problems.append(("base", "a nominated person comes from a base"))
    return problems


def _clean(data: dict) -> dict:
    text = ("name", "position", "phone", "email", "notes")
    return {k: (str(v or "").strip() if k in text else v) for k, v in data.items()}


def _locked(member: BackboneMember, version: int | None) -> BackboneMember:
    current = (
        BackboneMember.objects.select_for_update(of=("self",))
        .select_related("base", "organisation", "expert")
        .get(pk=member.pk)
    )
    if version is not None and current.version != version:
        raise ConcurrentEditError(
            f"{current.name} was changed meanwhile (version {current.version}, not {version});"
            " nothing was written"
        )
    return current


@transaction.atomic
def member_record(
    *,
    campaign,
    name: str,
    role: str,
    user,
    base=None,
    organisation: Organisation | None = None,
    position: str = "",
    phone: str = "",
    email: str = "",
    notes: str = "",
) -> BackboneMember:
    """The office records a person who worked in the campaign's evaluation."""
    data = _clean(
        {
            "name": name,
            "role": role,
            "base": base,
            "organisation": organisation,
            "position": position,
            "phone": phone,
            "email": email,
            "notes": notes,
        }
    )
    _invalid(_problems(data))
    member = BackboneMember.objects.create(campaign=campaign, **data)
    _event(kind=BackboneEvent.Kind.RECORDED, member=member, user=user, new=_snapshot(member))
    return member


@transaction.atomic
def member_nominate(
    *,
    campaign,
    base,
    name: str,
    user,
    position: str = "",
    phone: str = "",
    email: str = "",
    notes: str = "",
) -> BackboneMember:
    """A base officer nominates one of the own base's staff (refused for another base)."""
    profile = getattr(user, "profile", None)
    if profile is None or profile.base_id != base.pk:
        raise BackboneError(
            BackboneCode.NOT_OWN_BASE, f"{_actor(user)} is not an officer of base {base.code}"
        )
    data = _clean(
        {
            "name": name,
            "role": BackboneMember.Role.NOMINATED,
            "base": base,
            "organisation": None,
            "position": position,
            "phone": phone,
            "email": email,
            "notes": notes,
        }
    )
    _invalid(_problems(data))
    member = BackboneMember.objects.create(campaign=campaign, **data)
    _event(kind=BackboneEvent.Kind.NOMINATED, member=member, user=user, new=_snapshot(member))
    return member


@transaction.atomic
def member_update(*, member: BackboneMember, data: dict, version: int, user) -> BackboneMember:
    """Change a person's fields (those of :data:`EDITABLE` that ``data`` names)."""
    member = _locked(member, version)
    old = _snapshot(member)
    unknown = sorted(set(data) - set(EDITABLE))
    merged = {k: getattr(member, k) for k in EDITABLE} | _clean(
        {k: v for k, v in data.items() if k in EDITABLE}
    )
    problems = [(k, "not a field one may change") for k in unknown] + _problems(merged)
    _invalid(problems)
    changed = [k for k in EDITABLE if getattr(member, k) != merged[k]]
    if not changed:
        return member
    for key in changed:
        setattr(member, key, merged[key])
    member.version += 1
    member.save(update_fields=[*changed, "version"])
    _event(
        kind=BackboneEvent.Kind.UPDATED,
        member=member,
        user=user,
        old={k: old[k] for k in changed},
        new={k: _snapshot(member)[k] for k in changed},
    )
    return member


@dataclass(frozen=True)
class Imported:
    panel_members: int
    visit_contacts: int
    #: People already recorded from the same source (a second import adds nobody).
    already: int


@transaction.atomic
def backbone_import(*, campaign, user) -> Imported:
    """Record the campaign's operational-role members of its published panels (already on the
    roster) and its visit plans' contacts at the bases. Each source is recorded once."""
    known = set(
        BackboneMember.objects.filter(campaign=campaign)
        .exclude(source="")
        .values_list("source", flat=True)
    )
    people = []
    members = (
        PanelMember.objects.filter(
            panel__panel_set__campaign=campaign,
            panel__panel_set__state=PanelSet.State.PUBLISHED,
        )
        .select_related("expert__organisation")
        .order_by("expert__code")
    )
    for row in members:
        expert = row.expert
        if ExpertRole.OPERATIONAL not in expert.roles:
            continue
        people.append(
            BackboneMember(
                campaign=campaign,
                name=expert.name[:BACKBONE_NAME_MAX],
                organisation=expert.organisation,
                role=BackboneMember.Role.PANEL_MEMBER,
                expert=expert,
                state=BackboneMember.State.ROSTERED,
                source=f"expert:{expert.code}",
            )
        )
    visits = Visit.objects.filter(campaign=campaign).select_related("base").order_by("base__code")
    for visit in visits:
        for contact in visit.contacts:
            name = str(contact.get("name") or "").strip()
            if not name:
                continue
            people.append(
                BackboneMember(
                    campaign=campaign,
                    name=name[:BACKBONE_NAME_MAX],
                    base=visit.base,
                    role=BackboneMember.Role.VISIT_CONTACT,
                    position=str(contact.get("role") or "")[:BACKBONE_POSITION_MAX],
                    phone=str(contact.get("phone") or "")[:BACKBONE_PHONE_MAX],
                    email=str(contact.get("email") or "")[:BACKBONE_EMAIL_MAX],
                    source=f"visit:{visit.base.code}:{name}"[:300],
                )
            )
    added = {BackboneMember.Role.PANEL_MEMBER: 0, BackboneMember.Role.VISIT_CONTACT: 0}
    already = 0
    for person in people:
        if person.source in known:
            already += 1
            continue
        known.add(person.source)
        person.save()
        added[person.role] += 1
        _event(kind=BackboneEvent.Kind.IMPORTED, member=person, user=user, new=_snapshot(person))
    return Imported(
        added[BackboneMember.Role.PANEL_MEMBER], added[BackboneMember.Role.VISIT_CONTACT], already
    )


def _invitation_send(email: str, context: dict) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    send_mail(
        render_to_string("backbone/invitation_subject.txt", context).strip(),
        render_to_string("backbone/invitation_email.txt", context),
        None,
        [email],
    )


@transaction.atomic
def member_invite(
    *, member: BackboneMember, organisation: Organisation, code: str, version: int, user
) -> Expert:
    """Invite a recorded person to the organisation's roster: the expert is added there with
    the operational role, not active until the person accepts (:func:`member_accept`). The
    invitation leaves by e-mail once the transaction commits, when the person has an address."""
    member = _locked(member, version)
    code = (code or "").strip()
    problems = []
    if member.state != BackboneMember.State.RECORDED:
        raise BackboneError(
            BackboneCode.WRONG_STATE, f"{member.name} is {member.state}, not recorded"
        )
    if not code:
        problems.append(("code", "the expert's code is missing"))
    elif len(code) > BACKBONE_CODE_MAX:
        problems.append(("code", f"longer than {BACKBONE_CODE_MAX} characters"))
    elif Expert.objects.filter(code=code).exists():
        problems.append(("code", f"an expert {code} exists already"))
    _invalid(problems)
    old = _snapshot(member)
    province = member.base.province if member.base_id else member.organisation.province
    expert = expert_save(
        organisation=organisation,
        data={
            "code": code,
            "name": member.name,
            "province": province,
            "fields": [],
            "roles": [ExpertRole.OPERATIONAL.value],
            "max_panels": 1,
            "active": False,
        },
    )
    member.expert = expert
    member.state = BackboneMember.State.INVITED
    member.version += 1
    member.save(update_fields=["expert", "state", "version"])
    _event(
        kind=BackboneEvent.Kind.INVITED,
        member=member,
        user=user,
        old={"state": old["state"], "expert": old["expert"]},
        new={"state": member.state, "expert": expert.code, "organisation": organisation.code},
    )
    if member.email:
        context = {"member": member, "organisation": organisation, "campaign": member.campaign}
        transaction.on_commit(functools.partial(_invitation_send, member.email, context))
    return expert


@transaction.atomic
def member_accept(*, member: BackboneMember, version: int, user) -> BackboneMember:
    """The invited person accepted: the expert becomes active on the roster."""
    member = _locked(member, version)
    if member.state != BackboneMember.State.INVITED:
        raise BackboneError(
            BackboneCode.WRONG_STATE, f"{member.name} is {member.state}, not invited"
        )
    expert = member.expert
    expert_save(organisation=expert.organisation, expert=expert, data={"active": True})
    member.state = BackboneMember.State.ROSTERED
    member.version += 1
    member.save(update_fields=["state", "version"])
    _event(
        kind=BackboneEvent.Kind.ACCEPTED,
        member=member,
        user=user,
        old={"state": BackboneMember.State.INVITED},
        new={"state": member.state},
    )
    return member
