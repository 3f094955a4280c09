"""``/campaigns/{code}/problems`` and ``/problems``: the problem register (问题清单) and the
bases' rectification (整改).

The same rules as the pages: the office reads every problem, a base officer only the own base's
confirmed ones, an expert those of the own panel's bases; organisers and viewers get 403; a
problem you may not see is not found (404). A base officer writes the own base's plan and
progress (files only on the site's pages); a stale ``version`` is 409, bad input 422 naming
every field.
"""

from datetime import date, datetime

from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from mieval.accounts.permissions import (
    can_read_letter,
    can_read_letters,
    can_rectify,
    can_view_problems,
    problems_visible,
)
from mieval.api.collection import campaign_or_404
from mieval.api.pagination import Page
from mieval.api.schemas import ErrorOut, Id, ProblemsOut, Version
from mieval.lib.concurrency import ConcurrentEditError
from mieval.rectification import selectors
from mieval.rectification.models import EvaluationProblem
from mieval.rectification.services import (
    RegisterCode,
    RegisterError,
    rectification_plan,
    rectification_progress,
)

router = Router(tags=["problems"])

NO_PROBLEMS = "Your role does not see the problem register."


class EvidenceOut(Schema):
    kind: str = Field(..., description="value, check_result, selfeval_section, visit_record, ...")
    target: str = Field(
        ..., description="the target's id in its app (a value: BASE/INDICATOR/YEAR)"
    )
    label: str


class ProgressOut(Schema):
    text: str
    completes: bool
    file_name: str
    reported_at: datetime


class RectificationOut(Schema):
    state: str = Field(..., description="planned, in_progress, done, accepted or not_accepted")
    measures: str
    owner: str
    deadline: date
    verification_note: str
    version: int
    progress: list[ProgressOut]

    @staticmethod
    def resolve_progress(obj):
        return list(obj.progress.all())


class ProblemOut(Schema):
    id: int
    campaign: str = Field(..., alias="campaign.code")
    base: str = Field(..., alias="base.code")
    type: str = Field(..., alias="type.code", description="problem type code")
    taxonomy_version: int = Field(..., alias="type.taxonomy.number")
    source: str
    severity: str = Field(..., description="minor, moderate or serious")
    state: str = Field(..., description="proposed, confirmed or dismissed")
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    action_zh: str
    action_en: str
    version: int
    evidence: list[EvidenceOut]
    rectification: RectificationOut | None

    @staticmethod
    def resolve_evidence(obj):
        return list(obj.evidence.all())

    @staticmethod
    def resolve_rectification(obj):
        return getattr(obj, "rectification", None)


class PlanIn(Schema):
    measures: str = Field(..., max_length=5000)
    owner: str = Field(..., max_length=200)
    deadline: date
    version: Version | None = Field(
        None, description="the version of the plan you read; needed to change an existing plan"
    )


class ProgressIn(Schema):
    text: str = Field(..., max_length=5000)
    completes: bool = Field(False, description="reports the rectification done")
    version: Version = Field(..., description="the rectification's version you read")


def _require_register(user) -> None:
    if not can_view_problems(user):
        raise HttpError(403, NO_PROBLEMS)


def _problem(user, pk: int) -> EvaluationProblem:
    _require_register(user)
    problem = EvaluationProblem.objects.select_related("campaign").filter(pk=pk).first()
    found = None
    if problem is not None:
        found = selectors.problems_listed(problems_visible(user, problem.campaign)).filter(pk=pk)
        found = found.first()
    if found is None:
        raise HttpError(404, f"There is no problem {pk} that you may see.")
    return found


def _rectifier(user, pk: int) -> EvaluationProblem:
    problem = _problem(user, pk)
    if not can_rectify(user, problem):
        raise HttpError(403, "Only the officers of the problem's base answer it.")
    return problem


def _refused(error: RegisterError | ConcurrentEditError):
    if isinstance(error, ConcurrentEditError):
        return HttpError(409, error.message)
    if error.code == RegisterCode.INVALID:
        return ValidationError(
            [
                {"loc": ["body", field], "msg": msg, "type": error.code.value}
                for field, msg in error.problems
            ]
        )
    return HttpError(409, error.message)


@router.get(
    "/campaigns/{code}/problems",
    response=list[ProblemOut],
    summary="A campaign's problems",
    description="The problems you may see, by base: type, source, severity, state, evidence "
    "links and the rectification with its progress.",
)
@paginate(Page)
def problem_list(request, code: str):
    _require_register(request.auth)
    campaign = campaign_or_404(code)
    return selectors.problems_listed(problems_visible(request.auth, campaign))


@router.get("/problems/{pk}", response=ProblemOut, summary="One problem")
def problem_detail(request, pk: Id):
    return _problem(request.auth, pk)


@router.put(
    "/problems/{pk}/rectification",
    response={200: RectificationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ProblemsOut},
    summary="Answer a confirmed problem with a plan, or change the plan",
    description="The base's officers only. To change a plan send the version you read; if it "
    "changed meanwhile the answer is 409 and nothing is written.",
)
def plan_put(request, pk: Id, payload: PlanIn):
    problem = _rectifier(request.auth, pk)
    try:
        return rectification_plan(
            problem=problem,
            measures=payload.measures,
            owner=payload.owner,
            deadline=payload.deadline,
            expected_version=payload.version,
            user=request.auth,
        )
    except (RegisterError, ConcurrentEditError) as error:
        raise _refused(error) from None


@router.post(
    "/problems/{pk}/rectification/progress",
    response={200: RectificationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ProblemsOut},
    summary="Report progress on a rectification",
    description="The base's officers only; evidence files are uploaded on the problem's page.",
)
def progress_post(request, pk: Id, payload: ProgressIn):
    problem = _rectifier(request.auth, pk)
    rectification = getattr(problem, "rectification", None)
    if rectification is None:
        raise HttpError(409, f"Problem {pk} has no rectification plan yet; PUT one first.")
    try:
        progress = rectification_progress(
            rectification=rectification,
            text=payload.text,
            completes=payload.completes,
            expected_version=payload.version,
            user=request.auth,
        )
    except (RegisterError, ConcurrentEditError) as error:
        raise _refused(error) from None
    return progress.rectification


# --- feedback letters (反馈意见书) -------------------------------------------------------------


class LetterOut(Schema):
    campaign: str = Field(..., alias="campaign.code")
    base: str = Field(..., alias="base.code")
    version: int = Field(..., description="one more at each regeneration")
    state: str = Field(..., description="generated (not sent yet) or sent")
    lang: str = Field(..., description="zh or en")
    generated_at: datetime
    sent_at: datetime | None
    snapshot_hash: str = Field(
        ..., description="content hash of the published snapshot the letter rests on ('' none)"
    )
    pdf_sha256: str
    docx_sha256: str
    pdf_url: str
    docx_url: str

    @staticmethod
    def resolve_pdf_url(obj):
        return reverse("rectification_letter_file", args=[obj.campaign.code, obj.base.code, "pdf"])

    @staticmethod
    def resolve_docx_url(obj):
        return reverse("rectification_letter_file", args=[obj.campaign.code, obj.base.code, "docx"])


@router.get(
    "/campaigns/{code}/letters/{base}",
    response={200: LetterOut, 403: ErrorOut, 404: ErrorOut},
    summary="A base's feedback letter (metadata)",
    description="The office reads every letter; a base officer the own base's once it was sent "
    "(404 before). The files are downloaded from the site's URLs given here.",
)
def letter_get(request, code: str, base: str):
    if not can_read_letters(request.auth):
        raise HttpError(403, "Your role does not read feedback letters.")
    campaign = campaign_or_404(code)
    found = campaign.bases.filter(code=base).first()
    letter = None if found is None else selectors.letter_for(campaign=campaign, base=found)
    if letter is None or not can_read_letter(request.auth, letter):
        raise HttpError(404, f"There is no feedback letter of '{base}' that you may see.")
    return letter
