"""Writes of the problem register and of rectification: one atomic function each, audited in
:class:`~mieval.rectification.models.RegisterEvent`.

Refusals raise :class:`RegisterError` with a :class:`RegisterCode` and, for bad input, every
problem found at once (``error.problems``: field, message); the message is English (logs, the
command line, the API), the pages show their own translated sentence by code. A write that names
the version it read is refused when someone changed the item meanwhile
(:class:`~mieval.lib.concurrency.ConcurrentEditError`), never silently overwritten.

Other apps file problems through :func:`problem_propose` (the panel opinion, the site visit, the
self-evaluation), linking their own objects by kind and id (:class:`EvidenceIn`).
"""

import enum
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from mieval.core.evidence import EVIDENCE_KINDS, EvidenceError, evidence_check
from mieval.core.limits import (
    EVIDENCE_LABEL_MAX,
    EVIDENCE_TARGET_MAX,
    PROBLEM_EVIDENCE_LINKS_MAX,
    PROBLEM_REASON_MAX,
    PROBLEM_TEXT_MAX,
    PROBLEM_TITLE_MAX,
    RECTIFICATION_OWNER_MAX,
)
from mieval.lib.concurrency import ConcurrentEditError
from mieval.rectification.models import (
    EvaluationProblem,
    EvidenceLink,
    FeedbackLetter,
    ProblemType,
    Progress,
    Rectification,
    RegisterEvent,
    Reminder,
    Severity,
    Source,
    TaxonomyVersion,
)


class RegisterCode(enum.StrEnum):
    INVALID = "invalid"
    WRONG_STATE = "wrong_state"
    EMPTY_FILE = "empty_file"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE = "file_type"
    NO_OPINION = "no_opinion"


class RegisterError(Exception):
    def __init__(self, code: RegisterCode, message: str, problems: tuple = ()):
        super().__init__(message)
        self.code = code
        self.message = message
        #: (field, message) pairs of bad input, all of them.
        self.problems = tuple(problems)


def _invalid(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise RegisterError(
            RegisterCode.INVALID, "; ".join(f"{f}: {m}" for f, m in problems), tuple(problems)
        )


@dataclass(frozen=True)
class EvidenceIn:
    """An evidence link to file with a problem: ``kind`` (:class:`EvidenceLink.Kind`), the
    target's id in its app, and a label a reader understands."""

    kind: str
    target: str
    label: str = ""


def value_target(base_code: str, indicator_code: str, year: int) -> str:
    """The target of a ``value`` link."""
    return f"{base_code}/{indicator_code}/{year}"


def check_result_target(base_code: str, indicator_code: str, year: int | None, rule: str) -> str:
    """The target of a ``check_result`` link (``-`` for a result not tied to one year)."""
    return f"{base_code}/{indicator_code}/{'-' if year is None else year}/{rule}"


def _actor(user) -> str:
    return user.get_username() if user is not None else "system"


def _event(*, action: str, user, campaign=None, problem=None, changes=None) -> None:
    RegisterEvent.objects.create(
        campaign=campaign,
        problem=problem,
        action=action,
        changes=changes or {},
        user=user,
        actor=_actor(user),
        at=timezone.now(),
    )


def _check_version(item, expected_version: int | None) -> None:
    if expected_version is not None and item.version != expected_version:
        raise ConcurrentEditError(
            f"{type(item).__name__} {item.pk} is at version {item.version}, "
            f"not {expected_version}: someone changed it meanwhile"
        )


def _text_problems(limits: dict[str, tuple[str, int]]) -> list[tuple[str, str]]:
    return [
        (name, f"{len(value)} characters; at most {limit}")
        for name, (value, limit) in limits.items()
        if len(value or "") > limit
    ]


# --- the taxonomy -----------------------------------------------------------------------------


def taxonomy_current() -> TaxonomyVersion:
    """The latest taxonomy version (the migration ships version 1 with the six types)."""
    return TaxonomyVersion.objects.order_by("-number").first()


@transaction.atomic
def problem_type_add(
    *,
    code: str,
    name_zh: str,
    name_en: str,
    description_zh: str = "",
    description_en: str = "",
    note: str = "",
    user=None,
) -> ProblemType:
    """The office adds a problem type: a new taxonomy version with the latest version's types
    and the new one (last in order). Problems filed before keep their version's types."""
    from django.utils.text import slugify

    code, name_zh, name_en = code.strip(), name_zh.strip(), name_en.strip()
    latest = TaxonomyVersion.objects.select_for_update().order_by("-number").first()
    types = list(latest.types.all()) if latest else []
    problems = []
    if not code or slugify(code) != code or len(code) > 40:
        problems.append(("code", f"{code!r} is not a code (lower-case letters, digits, _ or -)"))
    elif any(t.code == code for t in types):
        problems.append(("code", f"{code!r} is already a type of v{latest.number}"))
    if not name_zh:
        problems.append(("name_zh", "missing"))
    if not name_en:
        problems.append(("name_en", "missing"))
    problems += _text_problems(
        {
            "name_zh": (name_zh, PROBLEM_TITLE_MAX),
            "name_en": (name_en, PROBLEM_TITLE_MAX),
            "description_zh": (description_zh, PROBLEM_TEXT_MAX),
            "description_en": (description_en, PROBLEM_TEXT_MAX),
            "note": (note, 300),
        }
    )
    _invalid(problems)
    version = TaxonomyVersion.objects.create(
        number=(latest.number + 1) if latest else 1, note=note.strip(), created_by=user
    )
    ProblemType.objects.bulk_create(
        ProblemType(
            taxonomy=version,
            code=t.code,
            name_zh=t.name_zh,
            name_en=t.name_en,
            description_zh=t.description_zh,
            description_en=t.description_en,
            order=t.order,
        )
        for t in types
    )
    added = ProblemType.objects.create(
        taxonomy=version,
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        description_zh=description_zh.strip(),
        description_en=description_en.strip(),
        order=max((t.order for t in types), default=0) + 1,
    )
    _event(
        action=RegisterEvent.Action.TYPE_ADDED,
        user=user,
        changes={"version": version.number, "code": code, "name_zh": name_zh, "name_en": name_en},
    )
    return added


def _type_of(value) -> ProblemType | None:
    """A problem type given as a :class:`ProblemType` or as a code of the current version."""
    if isinstance(value, ProblemType):
        return value
    current = taxonomy_current()
    return current.types.filter(code=str(value)).first() if current else None


# --- problems ---------------------------------------------------------------------------------


@transaction.atomic
def problem_propose(
    *,
    campaign,
    base,
    source: str,
    type,
    severity: str,
    title_zh: str = "",
    title_en: str = "",
    description_zh: str = "",
    description_en: str = "",
    action_zh: str = "",
    action_en: str = "",
    evidence: Iterable[EvidenceIn | dict] = (),
    user=None,
) -> EvaluationProblem:
    """File a problem found at ``base`` in ``campaign``, proposed for the office to confirm.

    ``type`` is a :class:`ProblemType` or the code of a type of the current taxonomy;
    ``evidence`` the links to what the problem rests on (:class:`EvidenceIn` or dicts with the
    same keys). Title and description in either language or both, at least one title."""
    texts = {
        "title_zh": title_zh.strip(),
        "title_en": title_en.strip(),
        "description_zh": description_zh.strip(),
        "description_en": description_en.strip(),
        "action_zh": action_zh.strip(),
        "action_en": action_en.strip(),
    }
    links = [e if isinstance(e, EvidenceIn) else EvidenceIn(**e) for e in evidence]
    problems = []
    if not campaign.bases.filter(pk=base.pk).exists():
        problems.append(("base", f"{base.code} is not in campaign {campaign.code}"))
    problem_type = _type_of(type)
    if problem_type is None:
        problems.append(("type", f"{type!r} is not a problem type of the current taxonomy"))
    if source not in Source.values:
        problems.append(("source", f"{source!r} is not one of {', '.join(Source.values)}"))
    if severity not in Severity.values:
        problems.append(("severity", f"{severity!r} is not one of {', '.join(Severity.values)}"))
    if not texts["title_zh"] and not texts["title_en"]:
        problems.append(("title", "a title in Chinese or English (or both) is needed"))
    problems += _text_problems(
        {
            name: (value, PROBLEM_TITLE_MAX if name.startswith("title") else PROBLEM_TEXT_MAX)
            for name, value in texts.items()
        }
    )
    problems += _evidence_problems(links)
    _invalid(problems)
    problem = EvaluationProblem.objects.create(
        campaign=campaign,
        base=base,
        type=problem_type,
        source=source,
        severity=severity,
        proposed_by=user,
        proposed_at=timezone.now(),
        **texts,
    )
    EvidenceLink.objects.bulk_create(
        EvidenceLink(problem=problem, kind=e.kind, target=e.target.strip(), label=e.label.strip())
        for e in links
    )
    _event(
        action=RegisterEvent.Action.PROPOSED,
        user=user,
        campaign=campaign,
        problem=problem,
        changes={
            "base": base.code,
            "type": problem_type.code,
            "version": problem_type.taxonomy.number,
            "source": source,
            "severity": severity,
            "title": texts["title_zh"] or texts["title_en"],
            "evidence": [[e.kind, e.target.strip()] for e in links],
        },
    )
    return problem


def _evidence_problems(links: list[EvidenceIn]) -> list[tuple[str, str]]:
    problems = []
    if len(links) > PROBLEM_EVIDENCE_LINKS_MAX:
        problems.append(("evidence", f"{len(links)} links; at most {PROBLEM_EVIDENCE_LINKS_MAX}"))
    for i, link in enumerate(links[:PROBLEM_EVIDENCE_LINKS_MAX]):
        field = f"evidence[{i}]"
        if link.kind not in EvidenceLink.Kind.values:
            problems.append(
                (field, f"kind {link.kind!r} is not one of {', '.join(EvidenceLink.Kind.values)}")
            )
        if not str(link.target or "").strip():
            problems.append((field, "the target is missing"))
        elif len(link.target) > EVIDENCE_TARGET_MAX:
            problems.append((field, f"the target is longer than {EVIDENCE_TARGET_MAX} characters"))
        if len(link.label or "") > EVIDENCE_LABEL_MAX:
            problems.append((field, f"the label is longer than {EVIDENCE_LABEL_MAX} characters"))
    return problems


def _locked_problem(problem: EvaluationProblem, expected_version: int | None):
    problem = EvaluationProblem.objects.select_for_update().get(pk=problem.pk)
    _check_version(problem, expected_version)
    if problem.state != EvaluationProblem.State.PROPOSED:
        raise RegisterError(
            RegisterCode.WRONG_STATE,
            f"problem {problem.pk} is {problem.state}; only a proposed problem is decided",
        )
    return problem


@transaction.atomic
def problem_confirm(
    *,
    problem: EvaluationProblem,
    expected_version: int | None = None,
    type=None,
    severity: str | None = None,
    user=None,
) -> EvaluationProblem:
    """The office confirms a proposed problem, adjusting its type or severity if need be."""
    problem = _locked_problem(problem, expected_version)
    problems = []
    new_type = problem.type if type is None else _type_of(type)
    if new_type is None:
        problems.append(("type", f"{type!r} is not a problem type of the current taxonomy"))
    severity = severity or problem.severity
    if severity not in Severity.values:
        problems.append(("severity", f"{severity!r} is not one of {', '.join(Severity.values)}"))
    _invalid(problems)
    changes = {"state": [problem.state, EvaluationProblem.State.CONFIRMED]}
    if new_type.pk != problem.type_id:
        changes["type"] = [problem.type.code, new_type.code]
    if severity != problem.severity:
        changes["severity"] = [problem.severity, severity]
    problem.type = new_type
    problem.severity = severity
    problem.state = EvaluationProblem.State.CONFIRMED
    problem.decided_by = user
    problem.decided_at = timezone.now()
    problem.version += 1
    problem.save(update_fields=["type", "severity", "state", "decided_by", "decided_at", "version"])
    _event(
        action=RegisterEvent.Action.CONFIRMED,
        user=user,
        campaign=problem.campaign,
        problem=problem,
        changes=changes,
    )
    return problem


@transaction.atomic
def problem_dismiss(
    *,
    problem: EvaluationProblem,
    reason: str,
    expected_version: int | None = None,
    user=None,
) -> EvaluationProblem:
    """The office dismisses a proposed problem, always with a reason."""
    problem = _locked_problem(problem, expected_version)
    reason = reason.strip()
    problems = [] if reason else [("reason", "a dismissal needs a reason")]
    problems += _text_problems({"reason": (reason, PROBLEM_REASON_MAX)})
    _invalid(problems)
    problem.state = EvaluationProblem.State.DISMISSED
    problem.decision_reason = reason
    problem.decided_by = user
    problem.decided_at = timezone.now()
    problem.version += 1
    problem.save(update_fields=["state", "decision_reason", "decided_by", "decided_at", "version"])
    _event(
        action=RegisterEvent.Action.DISMISSED,
        user=user,
        campaign=problem.campaign,
        problem=problem,
        changes={"state": [EvaluationProblem.State.PROPOSED, problem.state], "reason": reason},
    )
    return problem


# --- rectification ----------------------------------------------------------------------------


def _plan_problems(measures: str, owner: str, deadline, *, today: date) -> list:
    problems = []
    if not measures:
        problems.append(("measures", "missing"))
    if not owner:
        problems.append(("owner", "missing"))
    if not isinstance(deadline, date):
        problems.append(("deadline", f"{deadline!r} is not a date"))
    elif deadline < today:
        problems.append(("deadline", f"{deadline.isoformat()} has passed"))
    return problems + _text_problems(
        {"measures": (measures, PROBLEM_TEXT_MAX), "owner": (owner, RECTIFICATION_OWNER_MAX)}
    )


@transaction.atomic
def rectification_plan(
    *,
    problem: EvaluationProblem,
    measures: str,
    owner: str,
    deadline: date,
    expected_version: int | None = None,
    user=None,
) -> Rectification:
    """The base answers a confirmed problem with a plan, or changes its plan (naming the
    version it read: without one an existing plan is a conflict) until it reports the
    rectification done."""
    problem = EvaluationProblem.objects.select_for_update().get(pk=problem.pk)
    if not problem.is_confirmed():
        raise RegisterError(
            RegisterCode.WRONG_STATE,
            f"problem {problem.pk} is {problem.state}; only a confirmed problem is rectified",
        )
    measures, owner = measures.strip(), owner.strip()
    rectification = Rectification.objects.select_for_update().filter(problem=problem).first()
    if rectification is None:
        _invalid(_plan_problems(measures, owner, deadline, today=timezone.localdate()))
        rectification = Rectification.objects.create(
            problem=problem,
            measures=measures,
            owner=owner,
            deadline=deadline,
            created_by=user,
            created_at=timezone.now(),
        )
        _event(
            action=RegisterEvent.Action.PLANNED,
            user=user,
            campaign=problem.campaign,
            problem=problem,
            changes={"owner": owner, "deadline": deadline.isoformat(), "measures": measures},
        )
        return rectification
    if expected_version is None:
        # Two first plans at once, or a change that names no version: never overwrite.
        raise ConcurrentEditError(
            f"problem {problem.pk} already has a plan (version {rectification.version}); "
            "send the version you read to change it"
        )
    _check_version(rectification, expected_version)
    if not rectification.is_editable_by_base():
        raise RegisterError(
            RegisterCode.WRONG_STATE,
            f"the rectification of problem {problem.pk} is {rectification.state}; "
            "its plan is no longer changed",
        )
    # A deadline kept as it was may have passed meanwhile: only a new one must lie ahead.
    today = timezone.localdate()
    check_today = today if deadline != rectification.deadline else date.min
    _invalid(_plan_problems(measures, owner, deadline, today=check_today))
    diff = {}
    for name, value in (("measures", measures), ("owner", owner), ("deadline", deadline)):
        old = getattr(rectification, name)
        if old != value:
            setattr(rectification, name, value)
            diff[name] = [str(old), str(value)]
    if diff:
        rectification.version += 1
        rectification.save(update_fields=[*diff, "version"])
        _event(
            action=RegisterEvent.Action.PLAN_CHANGED,
            user=user,
            campaign=problem.campaign,
            problem=problem,
            changes=diff,
        )
    return rectification


def _attach_file(progress: Progress, name: str | None, data: bytes | None) -> None:
    """Check an evidence file as collection's evidence is checked (size, real type) and set
    it on the unsaved progress report."""
    if not name:
        return
    try:
        kind = evidence_check(name=name, data=data or b"", max_bytes=settings.EVIDENCE_MAX_BYTES)
    except EvidenceError as caught:
        raise RegisterError(RegisterCode(caught.code.value), caught.message) from None
    progress.file_name = name[:255]
    progress.file_content_type = EVIDENCE_KINDS[kind].content_type
    progress.file_size = len(data)
    progress.file_sha256 = hashlib.sha256(data).hexdigest()
    progress.file.save(progress.file_sha256, ContentFile(data), save=False)


@transaction.atomic
def rectification_progress(
    *,
    rectification: Rectification,
    text: str,
    completes: bool = False,
    file_name: str | None = None,
    file_data: bytes | None = None,
    expected_version: int | None = None,
    user=None,
) -> Progress:
    """The base reports progress, with an optional evidence file; ``completes`` reports the
    rectification done, for the office to verify."""
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    _check_version(rectification, expected_version)
    if rectification.state not in Rectification.OPEN_STATES:
        raise RegisterError(
            RegisterCode.WRONG_STATE,
            f"rectification {rectification.pk} is {rectification.state}; "
            "progress is reported while it is open",
        )
    text = text.strip()
    problems = [] if text else [("text", "missing")]
    _invalid(problems + _text_problems({"text": (text, PROBLEM_TEXT_MAX)}))
    progress = Progress(
        rectification=rectification,
        text=text,
        completes=completes,
        reported_by=user,
        reported_at=timezone.now(),
    )
    _attach_file(progress, file_name, file_data)
    progress.save()
    before = rectification.state
    rectification.state = Rectification.State.DONE if completes else Rectification.State.IN_PROGRESS
    rectification.version += 1
    rectification.save(update_fields=["state", "version"])
    problem = rectification.problem
    _event(
        action=RegisterEvent.Action.PROGRESS,
        user=user,
        campaign=problem.campaign,
        problem=problem,
        changes={
            "state": [before, rectification.state],
            "text": text,
            "file": progress.file_name or None,
        },
    )
    return progress


@transaction.atomic
def rectification_verify(
    *,
    rectification: Rectification,
    accepted: bool,
    note: str = "",
    expected_version: int | None = None,
    user=None,
) -> Rectification:
    """The office verifies a rectification the base reported done: accepted, or not accepted
    with the reasons (which send it back to the base)."""
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    _check_version(rectification, expected_version)
    if rectification.state != Rectification.State.DONE:
        raise RegisterError(
            RegisterCode.WRONG_STATE,
            f"rectification {rectification.pk} is {rectification.state}; "
            "only a rectification reported done is verified",
        )
    note = note.strip()
    problems = [] if accepted or note else [("note", "say why it is not accepted")]
    _invalid(problems + _text_problems({"note": (note, PROBLEM_TEXT_MAX)}))
    before = rectification.state
    rectification.state = (
        Rectification.State.ACCEPTED if accepted else Rectification.State.NOT_ACCEPTED
    )
    rectification.verification_note = note
    rectification.verified_by = user
    rectification.verified_at = timezone.now()
    rectification.version += 1
    rectification.save(
        update_fields=["state", "verification_note", "verified_by", "verified_at", "version"]
    )
    problem = rectification.problem
    _event(
        action=RegisterEvent.Action.VERIFIED,
        user=user,
        campaign=problem.campaign,
        problem=problem,
        changes={"state": [before, rectification.state], "note": note},
    )
    return rectification


# --- reminders --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemindersSent:
    #: (problem id, base code, recipients) of each reminder sent today.
    sent: tuple
    #: Problem ids of overdue items whose base has no officer with an e-mail address.
    without_email: tuple
    #: Problem ids already reminded today.
    already: tuple


def _reminder_send(recipients: list[str], context: dict) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    send_mail(
        render_to_string("rectification/reminder_subject.txt", context).strip(),
        render_to_string("rectification/reminder_email.txt", context),
        None,
        recipients,
    )


@transaction.atomic
def rectification_reminders_send(*, campaign=None, today: date | None = None, user=None):
    """E-mail the officers of every base with an overdue rectification (deadline passed, still
    open), once a day: a second run on the same day sends nothing. The mail leaves after the
    transaction commits, so that a rolled-back run sends none."""
    from mieval.accounts.models import Profile, Role

    today = today or timezone.localdate()
    overdue = (
        Rectification.objects.select_for_update()
        .filter(state__in=Rectification.OPEN_STATES, deadline__lt=today)
        .select_related("problem__base", "problem__campaign", "problem__type")
        .order_by("problem__campaign__code", "problem__base__code", "problem_id")
    )
    if campaign is not None:
        overdue = overdue.filter(problem__campaign=campaign)
    overdue = list(overdue)
    done_today = set(
        Reminder.objects.filter(rectification__in=overdue, day=today).values_list(
            "rectification_id", flat=True
        )
    )
    emails: dict[int, list[str]] = {}
    for base_id, email in (
        Profile.objects.filter(
            role=Role.BASE_OFFICER,
            base_id__in={r.problem.base_id for r in overdue},
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("base_id", "user__email")
    ):
        emails.setdefault(base_id, []).append(email)
    sent, without, already = [], [], []
    for rectification in overdue:
        problem = rectification.problem
        if rectification.pk in done_today:
            already.append(problem.pk)
            continue
        recipients = emails.get(problem.base_id, [])
        if not recipients:
            without.append(problem.pk)
            continue
        Reminder.objects.create(rectification=rectification, day=today, recipients=recipients)
        _event(
            action=RegisterEvent.Action.REMINDED,
            user=user,
            campaign=problem.campaign,
            problem=problem,
            changes={"day": today.isoformat(), "recipients": recipients},
        )
        context = {
            "problem": problem,
            "rectification": rectification,
            "days": (today - rectification.deadline).days,
        }
        transaction.on_commit(lambda r=recipients, c=context: _reminder_send(r, c))
        sent.append((problem.pk, problem.base.code, tuple(recipients)))
    return RemindersSent(tuple(sent), tuple(without), tuple(already))


# --- feedback letters (反馈意见书) -------------------------------------------------------------


def _letter_build(*, campaign, base, lang: str, grades: dict, snapshot_hash: str):
    """The content and the two files of the base's letter; None without an accepted opinion."""
    from mieval.rectification import letters, selectors
    from mieval.visits.selectors import opinion_for

    opinion = opinion_for(campaign=campaign, base=base)
    if opinion is None:
        return None
    content = letters.letter_content(
        campaign=campaign,
        base=base,
        opinion=opinion,
        grade=grades.get(base.code),
        problems=selectors.problems_for_base(campaign=campaign, base=base),
        lang=lang,
        day=timezone.localdate(),
        snapshot_hash=snapshot_hash,
    )
    return content, letters.letter_pdf(content), letters.letter_docx(content)


def _letter_send_mail(recipients: list[str], context: dict) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    send_mail(
        render_to_string("rectification/letter_subject.txt", context).strip(),
        render_to_string("rectification/letter_email.txt", context),
        None,
        recipients,
    )


@transaction.atomic
def letters_generate(
    *,
    campaign,
    bases=None,
    lang: str = "zh",
    expected_versions: dict[str, int] | None = None,
    user=None,
) -> list[FeedbackLetter]:
    """Generate (or regenerate: a new version, to be sent again) the feedback letters of
    ``bases`` (default: every base of the campaign with an accepted opinion) in ``lang``.

    ``expected_versions`` (base code → the letter's version the caller read) refuses a letter
    that changed meanwhile (:class:`ConcurrentEditError`); a base named in ``bases`` without an
    accepted opinion is refused (``no_opinion``). All or nothing."""
    from mieval.rectification.selectors import letter_grades
    from mieval.reports.selectors import snapshot_get
    from mieval.visits.models import Opinion

    if lang not in FeedbackLetter.Language.values:
        _invalid([("lang", f"{lang!r} is not one of {', '.join(FeedbackLetter.Language.values)}")])
    accepted = set(
        Opinion.objects.filter(campaign=campaign, state=Opinion.State.ACCEPTED).values_list(
            "base_id", flat=True
        )
    )
    if bases is None:
        bases = campaign.bases.filter(pk__in=accepted).order_by("code")
    bases = list(bases)
    missing = [b.code for b in bases if b.pk not in accepted]
    if missing:
        raise RegisterError(
            RegisterCode.NO_OPINION,
            f"no accepted panel opinion for {', '.join(missing)}: no letter without one",
        )
    snapshot = snapshot_get(campaign)
    snapshot_hash = snapshot.content_hash if snapshot is not None else ""
    grades = letter_grades(campaign) if bases else {}
    existing = {
        letter.base_id: letter
        for letter in FeedbackLetter.objects.select_for_update().filter(
            campaign=campaign, base__in=bases
        )
    }
    expected_versions = expected_versions or {}
    for base in bases:
        if base.code in expected_versions and base.pk in existing:
            _check_version(existing[base.pk], expected_versions[base.code])
    made = []
    now = timezone.now()
    for base in bases:
        content, pdf, docx = _letter_build(
            campaign=campaign, base=base, lang=lang, grades=grades, snapshot_hash=snapshot_hash
        )
        letter = existing.get(base.pk)
        old = None
        if letter is None:
            letter = FeedbackLetter(campaign=campaign, base=base, version=1)
        else:
            old = {
                "version": letter.version,
                "state": letter.state,
                "lang": letter.lang,
                "pdf_sha256": letter.pdf_sha256,
                "docx_sha256": letter.docx_sha256,
            }
            letter.version += 1
        letter.lang = lang
        letter.state = FeedbackLetter.State.GENERATED
        letter.content = content.as_dict()
        letter.snapshot_hash = snapshot_hash
        letter.generated_by = user
        letter.generated_at = now
        letter.sent_by, letter.sent_at = None, None
        letter.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        letter.docx_sha256 = hashlib.sha256(docx).hexdigest()
        letter.pdf.save("letter.pdf", ContentFile(pdf), save=False)
        letter.docx.save("letter.docx", ContentFile(docx), save=False)
        letter.save()
        new = {
            "version": letter.version,
            "state": letter.state,
            "lang": lang,
            "pdf_sha256": letter.pdf_sha256,
            "docx_sha256": letter.docx_sha256,
            "snapshot": snapshot_hash,
        }
        _event(
            action=RegisterEvent.Action.LETTER_GENERATED,
            user=user,
            campaign=campaign,
            changes={"base": base.code, "old": old, "new": new},
        )
        made.append(letter)
    return made


@transaction.atomic
def letter_send(*, letter: FeedbackLetter, expected_version: int | None = None, user=None):
    """Send the letter to the base: from now on its officers read and download it. Each of them
    with an e-mail address gets a notification once the transaction commits. Sending a letter
    already sent is refused (``wrong_state``): regenerate it to send a new version."""
    from mieval.accounts.models import Profile, Role

    letter = (
        FeedbackLetter.objects.select_for_update()
        .select_related("base", "campaign")
        .get(pk=letter.pk)
    )
    _check_version(letter, expected_version)
    if letter.is_sent():
        raise RegisterError(
            RegisterCode.WRONG_STATE,
            f"the letter of {letter.base.code} (version {letter.version}) was sent already",
        )
    letter.state = FeedbackLetter.State.SENT
    letter.sent_by = user
    letter.sent_at = timezone.now()
    letter.save(update_fields=["state", "sent_by", "sent_at"])
    recipients = list(
        Profile.objects.filter(role=Role.BASE_OFFICER, base=letter.base, user__is_active=True)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    _event(
        action=RegisterEvent.Action.LETTER_SENT,
        user=user,
        campaign=letter.campaign,
        changes={
            "base": letter.base.code,
            "version": letter.version,
            "old": {"state": FeedbackLetter.State.GENERATED},
            "new": {"state": FeedbackLetter.State.SENT, "recipients": recipients},
        },
    )
    if recipients:
        context = {"letter": letter}
        transaction.on_commit(lambda: _letter_send_mail(recipients, context))
    return letter
