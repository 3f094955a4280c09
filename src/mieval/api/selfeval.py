"""``/campaigns/{code}/self-evaluations``: the bases' self-evaluation reports (自评报告).

The same rules as the pages: the office reads every report, a base officer the own base's,
an expert those of the own panel's bases; viewers and organisers get 403; a base you may not
see is not found. A base officer saves the own report (with the version read: 409 when it
changed meanwhile) and submits it; the review happens on the site's pages.
"""

from datetime import datetime

from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from mieval.accounts.models import Role
from mieval.accounts.permissions import (
    can_read_self_evaluation,
    can_read_self_evaluations,
    can_review_self_evaluations,
    can_write_self_evaluation,
    role_of,
    self_evaluation_bases,
)
from mieval.api.collection import campaign_or_404
from mieval.api.pagination import Page
from mieval.api.schemas import ErrorOut, ExpectedVersion
from mieval.lib.concurrency import ConcurrentEditError
from mieval.selfeval.selectors import report_sections, reports_for_bases, self_evaluation_for
from mieval.selfeval.services import SelfEvaluationError, report_save, report_submit

router = Router(tags=["self-evaluations"])

NO_READ = "Your role does not read self-evaluation reports."


class SectionOut(Schema):
    code: str
    title_zh: str
    title_en: str
    max_chars: int
    required: bool
    text: str
    comment: str | None = Field(description="the office's comment; null for experts")


class ReportOut(Schema):
    base_code: str
    state: str = Field(description="draft, submitted, returned or accepted")
    version: int = Field(description="send it back as expected_version when saving")
    template_version: int
    comment: str | None = Field(description="the office's overall comment; null for experts")
    updated_at: datetime
    submitted_at: datetime | None
    sections: list[SectionOut]
    files: list[str] = Field(description="names of the attached evidence files")


class SaveIn(Schema):
    sections: dict[str, str] = Field(description="section code -> text; others keep theirs")
    expected_version: ExpectedVersion = Field(
        description="the version you read; 0 for a new report"
    )


class SubmitIn(Schema):
    expected_version: ExpectedVersion


def _out(report, user) -> dict:
    comments = can_review_self_evaluations(user) or can_write_self_evaluation(user, report.base)
    return {
        "base_code": report.base.code,
        "state": report.state,
        "version": report.version,
        "template_version": report.template.version,
        "comment": report.review_comment if comments else None,
        "updated_at": report.updated_at,
        "submitted_at": report.submitted_at,
        "sections": [
            {
                "code": v.section.code,
                "title_zh": v.section.title_zh,
                "title_en": v.section.title_en,
                "max_chars": v.section.max_chars,
                "required": v.section.required,
                "text": v.text,
                "comment": v.comment if comments else None,
            }
            for v in report_sections(report, None)
        ],
        "files": [f.name for f in report.files.all()],
    }


def _readable_campaign(request, code: str):
    """The campaign, for a role that reads self-evaluations at all (403 before 404)."""
    if not can_read_self_evaluations(request.auth):
        raise HttpError(403, NO_READ)
    return campaign_or_404(code)


def _base(request, campaign, code: str):
    base = self_evaluation_bases(request.auth, campaign).filter(code=code).first()
    if base is None:
        raise HttpError(
            404,
            f"There is no base '{code}' whose report you may see in campaign '{campaign.code}'.",
        )
    return base


@router.get(
    "/campaigns/{code}/self-evaluations",
    response={200: list[ReportOut], 403: ErrorOut, 404: ErrorOut},
    summary="List the self-evaluation reports you may read",
    description="By base code, with every section's text. The office sees all bases, a base "
    "officer the own base, an expert the own panel's bases once submitted (not drafts).",
)
@paginate(Page)
def report_list(request, code: str):
    campaign = _readable_campaign(request, code)
    reports = reports_for_bases(campaign, self_evaluation_bases(request.auth, campaign))
    return [_out(r, request.auth) for r in reports if can_read_self_evaluation(request.auth, r)]


@router.get(
    "/campaigns/{code}/self-evaluations/{base}",
    response={200: ReportOut, 403: ErrorOut, 404: ErrorOut},
    summary="One base's self-evaluation report",
    description="To an expert of the base's panel a draft is not found (404) until the base "
    "submits it.",
)
def report_detail(request, code: str, base: str):
    campaign = _readable_campaign(request, code)
    the_base = _base(request, campaign, base)
    report = self_evaluation_for(campaign=campaign, base=the_base)
    if report is None:
        raise HttpError(404, f"Base '{base}' has not saved a self-evaluation report yet.")
    if not can_read_self_evaluation(request.auth, report):
        raise HttpError(404, f"Base '{base}' has not submitted its self-evaluation report yet.")
    return _out(report, request.auth)


def _writer(request, code: str, base: str):
    if role_of(request.auth) != Role.BASE_OFFICER:
        raise HttpError(403, "Only the base's own officers write its self-evaluation report.")
    campaign = _readable_campaign(request, code)
    the_base = _base(request, campaign, base)
    if not can_write_self_evaluation(request.auth, the_base):
        raise HttpError(403, "Only the base's own officers write its self-evaluation report.")
    return campaign, the_base


def _refused(error: SelfEvaluationError):
    status = 422 if error.code in {"invalid", "too_long", "missing_sections"} else 409
    return HttpError(status, " ".join(error.problems))


@router.put(
    "/campaigns/{code}/self-evaluations/{base}",
    response={200: ReportOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Save the own base's report",
    description="Creates the report (expected_version 0) or changes its sections while it is a "
    "draft or returned. 409 when someone saved it meanwhile or it is submitted or accepted; 422 "
    "naming every section longer than its limit, or an unknown section code.",
)
def report_put(request, code: str, base: str, payload: SaveIn):
    campaign, the_base = _writer(request, code, base)
    try:
        report_save(
            campaign=campaign,
            base=the_base,
            texts=payload.sections,
            expected_version=payload.expected_version,
            user=request.auth,
        )
    except ConcurrentEditError as error:
        raise HttpError(409, error.message) from None
    except SelfEvaluationError as error:
        raise _refused(error) from None
    return _out(self_evaluation_for(campaign=campaign, base=the_base), request.auth)


@router.post(
    "/campaigns/{code}/self-evaluations/{base}/submit",
    response={200: ReportOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Submit the own base's report to the office",
    description="422 naming the required sections still empty; 409 when the version is stale "
    "or the report is not a draft or returned.",
)
def report_submit_post(request, code: str, base: str, payload: SubmitIn):
    campaign, the_base = _writer(request, code, base)
    report = self_evaluation_for(campaign=campaign, base=the_base)
    if report is None:
        raise HttpError(404, f"Base '{base}' has not saved a self-evaluation report yet.")
    try:
        report_submit(report=report, expected_version=payload.expected_version, user=request.auth)
    except ConcurrentEditError as error:
        raise HttpError(409, error.message) from None
    except SelfEvaluationError as error:
        raise _refused(error) from None
    return _out(self_evaluation_for(campaign=campaign, base=the_base), request.auth)
