"""``/bases``: the demonstration bases the user may see, with their lifecycle; the office
records a lifecycle event (designation, renaming, merger, withdrawal)."""

from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from mieval.accounts.permissions import can_manage, role_of
from mieval.api import selectors
from mieval.api.pagination import Page
from mieval.api.schemas import (
    BaseDetailOut,
    BaseEventIn,
    BaseEventOut,
    BaseOut,
    ErrorOut,
    ProblemsOut,
    Year,
)
from mieval.lib.concurrency import ConcurrentEditError
from mieval.registry.models import BaseEvent
from mieval.registry.selectors import base_history
from mieval.registry.services import (
    LifecycleCode,
    LifecycleError,
    LifecycleProblem,
    base_designate,
    base_merge,
    base_rename,
    base_withdraw,
)

router = Router(tags=["registry"])


class BaseFilters(Schema):
    category: str | None = Field(None, description="category code, e.g. region")
    subcategory: str | None = Field(None, description="subcategory code, e.g. county")
    province: str | None = Field(None, description="GB/T 2260 two-digit code")
    region: str | None = Field(None, description="east, central, west or northeast")
    region_group: str | None = Field(None, description="east, central_west or northeast")
    batch: Year | None = Field(None, description="year of the batch, e.g. 2016")
    status: Literal["active", "withdrawn", "merged"] | None = Field(
        None, description="the base's status"
    )
    q: str | None = Field(None, description="text in the code or the Chinese or English name")


@router.get(
    "/bases",
    response=list[BaseOut],
    summary="List demonstration bases",
    description="The bases whose data you may see (a base officer: the own base only), "
    "ordered by code, each with its status and designation date.",
)
@paginate(Page)
def base_list(request, filters: Query[BaseFilters]):
    return selectors.bases_list(request.auth, **filters.dict())


def _base_or_404(user, code: str):
    base = selectors.base_visible_get(user, code)
    if base is None:
        raise HttpError(404, f"There is no base '{code}' that you may see.")
    return base


@router.get(
    "/bases/{code}",
    response=BaseDetailOut,
    summary="One demonstration base",
    description="A base you may not see is not found (404), like one that does not exist. "
    "'history' lists its lifecycle events (designation, renamings, a merger or withdrawal) "
    "in the order they took effect, with their documents.",
)
def base_detail(request, code: str):
    base = _base_or_404(request.auth, code)
    base.history = base_history(base)
    return base


@router.post(
    "/bases/{code}/events",
    response={201: BaseEventOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ProblemsOut},
    summary="Record a lifecycle event of a base",
    description="Analysts and administrators. 'kind' is designated (the date in the base's "
    "batch year, a document number or title required; a second one corrects the first), "
    "renamed (name_zh and name_en), merged ('into': another active base's code) or withdrawn "
    "(a document and the reason required). Events are recorded in the order they took effect; "
    "none after a merger or withdrawal but a designation's correction. 'expected_version' is "
    "the base's version you read: if it changed meanwhile the answer is 409 and nothing is "
    "written. Every problem is a 422 naming its field. A document file is attached on the "
    "base's page.",
)
def base_event_create(request, code: str, payload: BaseEventIn):
    user = request.auth
    if not can_manage(user):
        raise HttpError(403, f"Your role ({role_of(user).label}) does not record base events.")
    base = _base_or_404(user, code)
    common = {
        "base": base,
        "date": payload.date,
        "document_title": payload.document_title,
        "document_number": payload.document_number,
        "reason": payload.reason,
        "expected_version": payload.expected_version,
        "user": user,
        "actor": user.get_username(),
    }
    try:
        if payload.kind == BaseEvent.Kind.DESIGNATED:
            event = base_designate(**common)
        elif payload.kind == BaseEvent.Kind.RENAMED:
            event = base_rename(
                name_zh=payload.name_zh or "", name_en=payload.name_en or "", **common
            )
        elif payload.kind == BaseEvent.Kind.MERGED:
            event = base_merge(into=_merge_target(user, payload.into), **common)
        else:
            event = base_withdraw(**common)
    except ConcurrentEditError as error:
        raise HttpError(409, error.message) from None
    except LifecycleError as error:
        raise _invalid(error.problems) from None
    return Status(201, event)


def _merge_target(user, code: str | None):
    target = selectors.base_visible_get(user, code) if code else None
    if target is None:
        message = f"There is no base '{code}'." if code else "Give the code of the base."
        raise _invalid([LifecycleProblem(LifecycleCode.MERGE_TARGET, "into", message)])
    return target


def _invalid(problems: list[LifecycleProblem]) -> ValidationError:
    return ValidationError(
        [
            {"loc": ["body", p.field or "kind"], "msg": p.message, "type": p.code.value}
            for p in problems
        ]
    )
