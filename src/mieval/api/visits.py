"""``/campaigns/{code}/visits`` and ``/campaigns/{code}/opinions``: site visits (实地考察), their
records and the panels' opinions (专家组意见).

The same rules as the pages: organisers, viewers and accounts without a role get 403; the
office reads everything; an expert the bases of the own panel (another base: 404); a base
officer the own base's visit date and itinerary and its opinion once accepted (another base:
404). Writes for the experts who script them: a member saves the visit record (with the version
read; a stale one: 409) and answers the circulated opinion.
"""

from datetime import date

from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from mieval.accounts.models import Role
from mieval.accounts.permissions import (
    bases_to_score,
    can_draft_opinion,
    can_manage_visits,
    can_record_visit,
    can_use_visits,
    is_panel_leader,
    role_of,
)
from mieval.api.collection import campaign_or_404
from mieval.api.pagination import Page
from mieval.api.schemas import ErrorOut, Version
from mieval.core.limits import VISIT_TEXT_MAX
from mieval.lib.concurrency import ConcurrentEditError
from mieval.panels.models import Expert
from mieval.visits import selectors, services
from mieval.visits.models import CheckItem, Visit
from mieval.visits.services import VisitError

router = Router(tags=["visits"])

NO_VISITS = "Your role does not take part in site visits."


class ContactOut(Schema):
    name: str
    role: str
    phone: str
    email: str


class VisitOut(Schema):
    base_code: str
    panel: int
    date: date | None
    itinerary: str
    contacts: list[ContactOut] | None = Field(
        None, description="the base's contacts; null for a base officer"
    )
    members: list[str] | None = Field(
        None, description="codes of the members going; null for a base officer"
    )
    version: int | None = Field(None, description="null for a base officer")


class RecordOut(Schema):
    base_code: str
    members_present: list[str]
    base_attendees: str
    checked: list[str] = Field(..., description="checklist item codes")
    checked_notes: str
    findings: str
    files: list[str] = Field(..., description="names of the photos and files")
    version: int


class RecordIn(Schema):
    members_present: list[str] = Field([], max_length=50, description="expert codes")
    base_attendees: str = Field("", max_length=VISIT_TEXT_MAX)
    checked: list[str] = Field([], max_length=len(CheckItem.values))
    checked_notes: str = Field("", max_length=VISIT_TEXT_MAX)
    findings: str = Field("", max_length=VISIT_TEXT_MAX)
    expected_version: Version | None = Field(
        None, description="the version read; null for the first record"
    )


class AnswerOut(Schema):
    expert: str
    agrees: bool
    dissent: str


class OpinionOut(Schema):
    base_code: str
    panel: int
    state: str = Field(..., description="draft, circulated, submitted, returned or accepted")
    text: str
    recommendations: str
    answers: list[AnswerOut] | None = Field(None, description="null for a base officer")
    version: int


class OpinionIn(Schema):
    text: str = Field(..., min_length=1, max_length=VISIT_TEXT_MAX)
    recommendations: str = Field("", max_length=VISIT_TEXT_MAX)
    expected_version: Version | None = Field(
        None, description="the version read; null for the first draft"
    )


class AnswerIn(Schema):
    agrees: bool
    dissent: str = Field("", max_length=VISIT_TEXT_MAX, description="needed to dissent")


def _require_visits(user) -> None:
    if not can_use_visits(user):
        raise HttpError(403, NO_VISITS)


def _is_officer(user) -> bool:
    return role_of(user) == Role.BASE_OFFICER


def _panel_base(user, campaign, code: str, *, officer_allowed: bool):
    """The base ``code`` and its panel as the user may reach them: 403 for a role that never
    may, 404 for a base outside the user's."""
    _require_visits(user)
    if _is_officer(user):
        if not officer_allowed:
            raise HttpError(403, "Base officers do not read visit records.")
        bases = campaign.bases.filter(pk=user.profile.base_id)
    elif can_manage_visits(user):
        bases = campaign.bases.all()
    else:
        bases = bases_to_score(user, campaign)
    base = bases.filter(code=code).first()
    panel = selectors.panel_of(campaign=campaign, base=base) if base is not None else None
    if panel is None:
        raise HttpError(404, f"There is no base '{code}' of yours with an expert panel.")
    return base, panel


def _visit_out(visit: Visit, officer: bool) -> dict:
    out = {
        "base_code": visit.base.code,
        "panel": visit.panel.number,
        "date": visit.date,
        "itinerary": visit.itinerary,
    }
    if not officer:
        out |= {
            "contacts": visit.contacts,
            "members": sorted(m.code for m in visit.members.all()),
            "version": visit.version,
        }
    return out


@router.get(
    "/campaigns/{code}/visits",
    response=list[VisitOut],
    summary="Site visits",
    description="The planned visits you may see, by panel and date: the office all, an expert "
    "those of the own panel, a base officer the own base's (date and itinerary only).",
)
@paginate(Page)
def visit_list(request, code: str):
    user = request.auth
    _require_visits(user)
    campaign = campaign_or_404(code)
    visits = Visit.objects.filter(campaign=campaign).select_related("base", "panel")
    officer = _is_officer(user)
    if officer:
        visits = visits.filter(base_id=user.profile.base_id)
    elif not can_manage_visits(user):
        visits = visits.filter(base__in=bases_to_score(user, campaign))
    return [_visit_out(v, officer) for v in visits.prefetch_related("members")]


def _record_out(visit: Visit) -> dict:
    record = visit.record
    return {
        "base_code": visit.base.code,
        "members_present": sorted(m.code for m in record.members_present.all()),
        "base_attendees": record.base_attendees,
        "checked": record.checked,
        "checked_notes": record.checked_notes,
        "findings": record.findings,
        "files": [f.name for f in record.files.all()],
        "version": record.version,
    }


@router.get(
    "/campaigns/{code}/visits/{base}/record",
    response={200: RecordOut, 403: ErrorOut, 404: ErrorOut},
    summary="One visit record",
    description="The office and the members of the base's panel.",
)
def record_detail(request, code: str, base: str):
    campaign = campaign_or_404(code)
    the_base, _ = _panel_base(request.auth, campaign, base, officer_allowed=False)
    visit = selectors.visit_for(campaign=campaign, base=the_base)
    if visit is None or not hasattr(visit, "record"):
        raise HttpError(404, f"The visit to '{base}' has not been recorded yet.")
    return _record_out(visit)


@router.put(
    "/campaigns/{code}/visits/{base}/record",
    response={200: RecordOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Save one visit record",
    description="The leader or a member of the base's panel. 'expected_version' is the version "
    "read (null for the first save); if the record changed meanwhile the answer is 409 and "
    "nothing is written. Unknown checklist items or experts who are not members: 422. Once "
    "the base's opinion is with the office or accepted, the record is closed: 409.",
)
def record_put(request, code: str, base: str, payload: RecordIn):
    user = request.auth
    campaign = campaign_or_404(code)
    the_base, _ = _panel_base(user, campaign, base, officer_allowed=False)
    if not can_record_visit(user, the_base, campaign):
        raise HttpError(403, "Only the members of the base's panel record its visit.")
    visit = selectors.visit_for(campaign=campaign, base=the_base)
    if visit is None:
        raise HttpError(404, f"The visit to '{base}' has not been planned yet.")
    members = list(Expert.objects.filter(code__in=payload.members_present))
    unknown = sorted(set(payload.members_present) - {m.code for m in members})
    if unknown:
        raise HttpError(422, f"members_present: unknown experts {', '.join(unknown)}")
    try:
        services.visit_record_save(
            visit=visit,
            members_present=members,
            base_attendees=payload.base_attendees,
            checked=payload.checked,
            checked_notes=payload.checked_notes,
            findings=payload.findings,
            user=user,
            version=payload.expected_version,
        )
    except ConcurrentEditError as error:
        raise HttpError(409, str(error)) from None
    except VisitError as error:
        status = 409 if error.code == services.VisitCode.WRONG_STATE else 422
        raise HttpError(status, str(error)) from None
    return _record_out(selectors.visit_for(campaign=campaign, base=the_base))


def _opinion_out(opinion, officer: bool) -> dict:
    out = {
        "base_code": opinion.base.code,
        "panel": opinion.panel.number,
        "state": opinion.state,
        "text": opinion.text,
        "recommendations": opinion.recommendations,
        "version": opinion.version,
    }
    if not officer:
        out["answers"] = [
            {"expert": r.expert.code, "agrees": r.agrees, "dissent": r.dissent}
            for r in opinion.responses.all()
        ]
    return out


@router.get(
    "/campaigns/{code}/opinions/{base}",
    response={200: OpinionOut, 403: ErrorOut, 404: ErrorOut},
    summary="The panel's opinion on one base",
    description="The office and the members of the base's panel in any state; the base's "
    "officer once the office accepted it (404 before), without the members' answers.",
)
def opinion_detail(request, code: str, base: str):
    user = request.auth
    campaign = campaign_or_404(code)
    the_base, _ = _panel_base(user, campaign, base, officer_allowed=True)
    officer = _is_officer(user)
    opinion = selectors.opinion_for(campaign=campaign, base=the_base, accepted_only=officer)
    if opinion is None:
        raise HttpError(404, f"There is no opinion on '{base}' that you may read yet.")
    return _opinion_out(opinion, officer)


@router.put(
    "/campaigns/{code}/opinions/{base}",
    response={200: OpinionOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Draft the panel's opinion on one base",
    description="The leader of the base's panel, while drafting or after the office returned "
    "it. 'expected_version' is the version read (null for the first draft); if the opinion "
    "changed meanwhile, or is with the members or the office, the answer is 409.",
)
def opinion_put(request, code: str, base: str, payload: OpinionIn):
    user = request.auth
    campaign = campaign_or_404(code)
    the_base, panel = _panel_base(user, campaign, base, officer_allowed=False)
    if not can_draft_opinion(user, panel, the_base, campaign):
        raise HttpError(403, "Only the leader of the base's panel drafts its opinion.")
    try:
        services.opinion_save(
            campaign=campaign,
            panel=panel,
            base=the_base,
            text=payload.text,
            recommendations=payload.recommendations,
            user=user,
            version=payload.expected_version,
        )
    except ConcurrentEditError as error:
        raise HttpError(409, str(error)) from None
    except VisitError as error:
        status = 409 if error.code == services.VisitCode.WRONG_STATE else 422
        raise HttpError(status, str(error)) from None
    return _opinion_out(
        selectors.opinion_for(campaign=campaign, base=the_base, accepted_only=False), False
    )


@router.post(
    "/campaigns/{code}/opinions/{base}/answer",
    response={200: OpinionOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Agree with the circulated opinion or note dissent",
    description="A member of the base's panel other than its leader, while the leader has "
    "sent the opinion to the members (409 in another state). Dissent needs its reason (422).",
)
def opinion_answer(request, code: str, base: str, payload: AnswerIn):
    user = request.auth
    campaign = campaign_or_404(code)
    the_base, panel = _panel_base(user, campaign, base, officer_allowed=False)
    if not can_record_visit(user, the_base, campaign) or is_panel_leader(user, panel):
        raise HttpError(403, "Only the members of the base's panel, not its leader, answer.")
    opinion = selectors.opinion_for(campaign=campaign, base=the_base, accepted_only=False)
    if opinion is None:
        raise HttpError(404, f"There is no opinion on '{base}' yet.")
    try:
        services.opinion_answer(
            opinion=opinion,
            expert=user.expert,
            agrees=payload.agrees,
            dissent=payload.dissent,
            user=user,
        )
    except VisitError as error:
        status = 409 if error.code == services.VisitCode.WRONG_STATE else 422
        raise HttpError(status, str(error)) from None
    return _opinion_out(
        selectors.opinion_for(campaign=campaign, base=the_base, accepted_only=False), False
    )
