"""``/campaigns/{code}/backbone``: the grassroots operational backbone (基层业务骨干).

The same rules as the pages: the office reads the counts (the report's table); a base officer
scripts the own base's nominations (another base: 404) and reads them without contacts; every
other role gets 403.
"""

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from mieval.accounts.permissions import bases_visible, can_manage_backbone, can_nominate_backbone
from mieval.api.collection import campaign_or_404
from mieval.api.schemas import ErrorOut
from mieval.backbone import selectors
from mieval.backbone.services import BackboneError, member_nominate
from mieval.core.limits import (
    BACKBONE_EMAIL_MAX,
    BACKBONE_NAME_MAX,
    BACKBONE_NOTES_MAX,
    BACKBONE_PHONE_MAX,
    BACKBONE_POSITION_MAX,
)

router = Router(tags=["backbone"])


class CountsOut(Schema):
    total: int
    by_role: dict[str, int] = Field(..., description="panel_member, visit_contact, nominated")
    by_region_group: dict[str, int] = Field(..., description="east, central_west, northeast")
    by_state: dict[str, int] = Field(..., description="recorded, invited, rostered")


class NominationOut(Schema):
    id: int
    name: str
    position: str
    state: str


class NominationIn(Schema):
    name: str = Field(..., min_length=1, max_length=BACKBONE_NAME_MAX)
    position: str = Field("", max_length=BACKBONE_POSITION_MAX)
    phone: str = Field("", max_length=BACKBONE_PHONE_MAX)
    email: str = Field("", max_length=BACKBONE_EMAIL_MAX)
    notes: str = Field("", max_length=BACKBONE_NOTES_MAX)


@router.get(
    "/campaigns/{code}/backbone/counts",
    response={200: CountsOut, 403: ErrorOut, 404: ErrorOut},
    summary="The backbone counted by role, region group and state",
    description="The evaluation office only.",
)
def backbone_counts(request, code: str):
    if not can_manage_backbone(request.auth):
        raise HttpError(403, "Only the evaluation office reads the backbone.")
    counts = selectors.backbone_counts(campaign=campaign_or_404(code))
    return {
        "total": counts.total,
        "by_role": counts.by_role,
        "by_region_group": counts.by_region_group,
        "by_state": counts.by_state,
    }


def _own_base(user, campaign, code: str):
    if not can_nominate_backbone(user):
        raise HttpError(403, "Only base officers nominate their staff.")
    base = bases_visible(user).filter(code=code).first()
    if base is None:
        raise HttpError(404, f"There is no base '{code}' of yours.")
    return base


@router.get(
    "/campaigns/{code}/backbone/nominations/{base}",
    response={200: list[NominationOut], 403: ErrorOut, 404: ErrorOut},
    summary="The own base's nominations",
    description="A base officer, for the own base; without phone and e-mail.",
)
def nominations(request, code: str, base: str):
    campaign = campaign_or_404(code)
    the_base = _own_base(request.auth, campaign, base)
    return selectors.nominations_of(campaign=campaign, base=the_base)


@router.post(
    "/campaigns/{code}/backbone/nominations/{base}",
    response={201: NominationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Nominate one of the own base's staff",
    description="A base officer, for the own base. Bad input: 422 naming every field.",
)
def nominate(request, code: str, base: str, payload: NominationIn):
    campaign = campaign_or_404(code)
    the_base = _own_base(request.auth, campaign, base)
    try:
        member = member_nominate(
            campaign=campaign, base=the_base, user=request.auth, **payload.model_dump()
        )
    except BackboneError as error:
        raise HttpError(422, error.message) from None
    return Status(201, member)
