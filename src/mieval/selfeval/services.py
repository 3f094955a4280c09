"""Writes of self-evaluation templates and reports: one atomic function each, audited in
:class:`~mieval.selfeval.models.SelfEvaluationEvent` with the old and the new values.

Refusals raise :class:`SelfEvaluationError` with a :class:`SelfEvaluationCode` and the
reader's sentences (every problem at once, each naming the section and the limit). A write
names the version it read; another one stored raises
:class:`~mieval.lib.concurrency.ConcurrentEditError` and writes nothing.
"""

import enum
import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mieval.core.evidence import EVIDENCE_KINDS, EvidenceError, evidence_check
from mieval.core.limits import (
    SELFEVAL_COMMENT_CHARS_MAX,
    SELFEVAL_FILES_MAX,
    SELFEVAL_SECTION_CHARS_MAX,
    SELFEVAL_SECTIONS_MAX,
)
from mieval.core.selfeval import default_sections, length_problems, missing_required, text_length
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.evidence import evidence_message
from mieval.lib.i18n import localized
from mieval.selfeval.models import (
    ReportTemplate,
    SectionText,
    SelfEvaluation,
    SelfEvaluationEvent,
    SelfEvaluationFile,
    TemplateSection,
)

State = SelfEvaluation.State
Action = SelfEvaluationEvent.Action


class SelfEvaluationCode(enum.StrEnum):
    INVALID = "invalid"
    TOO_LONG = "too_long"
    MISSING_SECTIONS = "missing_sections"
    WRONG_STATE = "wrong_state"
    NO_TEMPLATE = "no_template"
    NOT_IN_CAMPAIGN = "not_in_campaign"
    EMPTY_FILE = "empty_file"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE = "file_type"
    TOO_MANY_FILES = "too_many_files"


class SelfEvaluationError(Exception):
    """A refused write: ``problems`` are the reader's sentences, all of them."""

    def __init__(self, code: SelfEvaluationCode, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(" ".join(self.problems))
        self.code = code


def _actor(user) -> str:
    return user.get_username() if getattr(user, "pk", None) else "system"


def _event(*, campaign, action: str, user, changes=None, report=None, template=None):
    SelfEvaluationEvent.objects.create(
        campaign=campaign,
        report=report,
        template=template,
        action=action,
        changes=changes or {},
        user=user if getattr(user, "pk", None) else None,
        actor=_actor(user),
        at=timezone.now(),
    )


# --- templates -------------------------------------------------------------------------------

SECTION_FIELDS = (
    "code",
    "title_zh",
    "title_en",
    "guidance_zh",
    "guidance_en",
    "max_chars",
    "required",
)


def template_problems(sections: list[dict]) -> list[str]:
    """Every problem of a template's sections, each naming the row and the section: codes
    present, unique and made of letters, digits, - and _; both titles; a length limit between 1
    and :data:`~mieval.core.selfeval.SELFEVAL_SECTION_CHARS_MAX`."""
    problems = []
    if not sections:
        problems.append(_("A template needs at least one section."))
    if len(sections) > SELFEVAL_SECTIONS_MAX:
        problems.append(
            _("A template has at most %(max)s sections; this one has %(count)s.")
            % {"max": SELFEVAL_SECTIONS_MAX, "count": len(sections)}
        )
    seen: dict[str, int] = {}
    for row, item in enumerate(sections, start=1):
        code = str(item.get("code") or "").strip()
        where = {"row": row, "code": code or "—"}
        if not code:
            problems.append(_("Section %(row)s: the code is missing.") % where)
        elif not all(c.isascii() and (c.isalnum() or c in "-_") for c in code) or len(code) > 40:
            problems.append(
                _(
                    "Section %(row)s (%(code)s): the code may hold only letters, digits, - and _"
                    " (at most 40)."
                )
                % where
            )
        elif code in seen:
            problems.append(
                _("Section %(row)s (%(code)s): the code is already used by section %(first)s.")
                % {**where, "first": seen[code]}
            )
        else:
            seen[code] = row
        for name, label in (("title_zh", _("Chinese title")), ("title_en", _("English title"))):
            value = str(item.get(name) or "").strip()
            if not value:
                problems.append(
                    _("Section %(row)s (%(code)s): the %(field)s is missing.")
                    % {**where, "field": label}
                )
            elif len(value) > 200:
                problems.append(
                    _("Section %(row)s (%(code)s): the %(field)s is longer than 200 characters.")
                    % {**where, "field": label}
                )
        limit = item.get("max_chars")
        try:
            limit = int(str(limit).strip())
        except (TypeError, ValueError):
            limit = None
        if limit is None or not 1 <= limit <= SELFEVAL_SECTION_CHARS_MAX:
            problems.append(
                _(
                    "Section %(row)s (%(code)s): the length limit '%(value)s' must be a whole"
                    " number from 1 to %(max)s."
                )
                % {**where, "value": item.get("max_chars", ""), "max": SELFEVAL_SECTION_CHARS_MAX}
            )
    return problems


def _section_fields(item: dict) -> dict:
    return {
        "code": str(item["code"]).strip(),
        "title_zh": str(item["title_zh"]).strip(),
        "title_en": str(item["title_en"]).strip(),
        "guidance_zh": str(item.get("guidance_zh") or "").strip(),
        "guidance_en": str(item.get("guidance_en") or "").strip(),
        "max_chars": int(str(item["max_chars"]).strip()),
        "required": bool(item.get("required", True)),
    }


def _sections_snapshot(template: ReportTemplate | None) -> list[dict]:
    if template is None:
        return []
    return [{name: getattr(s, name) for name in SECTION_FIELDS} for s in template.sections.all()]


def template_in_use(template: ReportTemplate) -> bool:
    return template.reports.exists()


@transaction.atomic
def template_save(
    *,
    campaign,
    sections: list[dict],
    user=None,
    template: ReportTemplate | None = None,
    revision: int | None = None,
) -> ReportTemplate:
    """Create the campaign's template, or edit a version of it.

    A version no report was written on yet is edited in place (refused when ``revision`` is
    not the stored one: someone else saved it meanwhile). A version reports were written on is
    never changed: the edit is saved as the next version, which new reports use; the reports
    already written keep theirs.
    """
    problems = template_problems(sections)
    if problems:
        raise SelfEvaluationError(SelfEvaluationCode.INVALID, problems)
    items = [_section_fields(item) for item in sections]
    if template is not None:
        template = ReportTemplate.objects.select_for_update().get(pk=template.pk)
        if revision is not None and template.revision != revision:
            raise ConcurrentEditError(
                _(
                    "Someone else saved this template while you were editing it; reload the page"
                    " and make your changes again."
                )
            )
    old = _sections_snapshot(template)
    if template is None or template_in_use(template):
        last = ReportTemplate.objects.filter(campaign=campaign).order_by("-version").first()
        template = ReportTemplate.objects.create(
            campaign=campaign, version=(last.version + 1) if last else 1, created_at=timezone.now()
        )
    else:
        template.sections.all().delete()
        template.revision += 1
        template.save(update_fields=["revision"])
    TemplateSection.objects.bulk_create(
        TemplateSection(template=template, order=order, **item) for order, item in enumerate(items)
    )
    _event(
        campaign=campaign,
        template=template,
        action=Action.TEMPLATE_SAVED,
        user=user,
        changes={"version": template.version, "sections": [old, items]},
    )
    return template


@transaction.atomic
def template_default_load(*, campaign, user=None) -> ReportTemplate:
    """The shipped five-section template as the campaign's first version; a campaign that has
    a template already keeps it (idempotent)."""
    current = ReportTemplate.objects.filter(campaign=campaign).order_by("-version").first()
    if current is not None:
        return current
    return template_save(campaign=campaign, sections=default_sections(), user=user)


# --- reports ---------------------------------------------------------------------------------


def _check_version(report: SelfEvaluation | None, expected_version: int) -> None:
    stored = report.version if report is not None else 0
    if stored != expected_version:
        raise ConcurrentEditError(
            _(
                "Someone else saved this self-evaluation report meanwhile (version %(stored)s,"
                " you edited version %(expected)s); nothing was saved. Copy your text, reload"
                " the page and make your changes again."
            )
            % {"stored": stored, "expected": expected_version}
        )


def _cannot(doing: str) -> str:
    """The sentence for a report whose state forbids ``doing``, with a %(state)s slot."""
    return {
        "change": _("The report is %(state)s: it cannot be changed now."),
        "submit": _("The report is %(state)s: it cannot be submitted now."),
        "return": _("The report is %(state)s: it cannot be returned now."),
        "accept": _("The report is %(state)s: it cannot be accepted now."),
    }[doing]


def _require_state(report: SelfEvaluation, allowed: set[str], doing: str) -> None:
    if report.state not in allowed:
        raise SelfEvaluationError(
            SelfEvaluationCode.WRONG_STATE,
            _cannot(doing) % {"state": report.get_state_display()},
        )


def _texts_of(report: SelfEvaluation) -> dict[str, SectionText]:
    return {t.section.code: t for t in report.texts.select_related("section")}


@transaction.atomic
def report_save(
    *,
    campaign,
    base,
    texts: dict[str, str],
    expected_version: int,
    user=None,
    autosave: bool = False,
) -> SelfEvaluation:
    """Save a base's report as it stands (a draft, or a returned report being fixed).

    ``texts`` maps section codes to their text; sections left out keep theirs. The first save
    (``expected_version`` 0) creates the report on the campaign's newest template version.
    Every section longer than its limit is named at once and nothing is saved. An autosave
    (the page's, every 20 seconds) is checked the same way and audited as one.
    """
    if not campaign.bases.filter(pk=base.pk).exists():
        raise SelfEvaluationError(
            SelfEvaluationCode.NOT_IN_CAMPAIGN,
            _("Base %(base)s is not in this campaign.") % {"base": base.code},
        )
    report = (
        SelfEvaluation.objects.select_for_update()
        .select_related("template")
        .filter(campaign=campaign, base=base)
        .first()
    )
    _check_version(report, expected_version)
    if report is None:
        # Locked: the office's edit in place of a template no report uses yet waits for this.
        template = (
            ReportTemplate.objects.select_for_update()
            .filter(campaign=campaign)
            .order_by("-version")
            .first()
        )
        if template is None:
            raise SelfEvaluationError(
                SelfEvaluationCode.NO_TEMPLATE,
                _("The office has not set up the self-evaluation template of this campaign yet."),
            )
        report = SelfEvaluation(
            campaign=campaign, base=base, template=template, updated_at=timezone.now(), version=0
        )
    else:
        template = report.template
        _require_state(report, {State.DRAFT, State.RETURNED}, "change")
    sections = list(template.sections.all())
    codes = {s.code for s in sections}
    unknown = sorted(set(texts) - codes)
    if unknown:
        raise SelfEvaluationError(
            SelfEvaluationCode.INVALID,
            _("The template has no section %(codes)s.") % {"codes": ", ".join(unknown)},
        )
    too_long = length_problems(template.specs(), texts)
    if too_long:
        raise SelfEvaluationError(
            SelfEvaluationCode.TOO_LONG,
            [
                _(
                    "Section “%(title)s” has %(length)s characters; at most %(max)s are allowed."
                    " Shorten it by %(over)s characters."
                )
                % {
                    "title": localized(p.title_zh, p.title_en),
                    "length": p.length,
                    "max": p.max_chars,
                    "over": p.length - p.max_chars,
                }
                for p in too_long
            ],
        )
    created = report.pk is None
    stored = {} if created else _texts_of(report)
    diff = {}
    for section in sections:
        if section.code not in texts:
            continue
        new = (texts[section.code] or "").replace("\r\n", "\n").strip()
        old = stored[section.code].text if section.code in stored else ""
        if new != old:
            diff[section.code] = [old, new]
    if not diff and not created:
        return report
    report.version += 1
    report.updated_by = user if getattr(user, "pk", None) else None
    report.updated_at = timezone.now()
    if created:
        report.save()
    else:
        report.save(update_fields=["version", "updated_by", "updated_at"])
    for section in sections:
        if section.code not in diff:
            continue
        row = stored.get(section.code)
        if row is None:
            SectionText.objects.create(report=report, section=section, text=diff[section.code][1])
        else:
            row.text = diff[section.code][1]
            row.save(update_fields=["text"])
    _event(
        campaign=campaign,
        report=report,
        action=Action.AUTOSAVED if autosave else Action.SAVED,
        user=user,
        changes=diff,
    )
    return report


def _transition(report, *, to: str, user, changes: dict, action: str) -> SelfEvaluation:
    old = report.state
    report.state = to
    report.version += 1
    fields = ["state", "version"]
    now = timezone.now()
    if to == State.SUBMITTED:
        report.submitted_at = now
        fields.append("submitted_at")
    else:
        report.decided_by = user if getattr(user, "pk", None) else None
        report.decided_at = now
        fields += ["decided_by", "decided_at"]
    report.save(update_fields=fields)
    _event(
        campaign=report.campaign,
        report=report,
        action=action,
        user=user,
        changes={"state": [old, to], **changes},
    )
    return report


def _locked(report: SelfEvaluation, expected_version: int) -> SelfEvaluation:
    locked = (
        SelfEvaluation.objects.select_for_update()
        .select_related("template", "campaign", "base")
        .get(pk=report.pk)
    )
    _check_version(locked, expected_version)
    return locked


@transaction.atomic
def report_submit(*, report: SelfEvaluation, expected_version: int, user=None) -> SelfEvaluation:
    """The base submits its report (a draft, or a returned one fixed): every required section
    must have text; the message names those still empty."""
    report = _locked(report, expected_version)
    _require_state(report, {State.DRAFT, State.RETURNED}, "submit")
    texts = {code: row.text for code, row in _texts_of(report).items()}
    missing = missing_required(report.template.specs(), texts)
    if missing:
        raise SelfEvaluationError(
            SelfEvaluationCode.MISSING_SECTIONS,
            _("These required sections are still empty: %(sections)s.")
            % {
                "sections": localized("、", ", ").join(
                    localized(s.title_zh, s.title_en) for s in missing
                )
            },
        )
    return _transition(report, to=State.SUBMITTED, user=user, changes={}, action=Action.SUBMITTED)


def _comment_problems(comment: str, section_comments: dict[str, str], report) -> list[str]:
    problems = []
    titles = {s.code: localized(s.title_zh, s.title_en) for s in report.template.sections.all()}
    unknown = sorted(set(section_comments) - set(titles))
    if unknown:
        problems.append(_("The template has no section %(codes)s.") % {"codes": ", ".join(unknown)})
    if text_length(comment) > SELFEVAL_COMMENT_CHARS_MAX:
        problems.append(
            _("The overall comment has %(length)s characters; at most %(max)s are allowed.")
            % {"length": text_length(comment), "max": SELFEVAL_COMMENT_CHARS_MAX}
        )
    for code, text in section_comments.items():
        if code in titles and text_length(text) > SELFEVAL_COMMENT_CHARS_MAX:
            problems.append(
                _(
                    "The comment on section “%(title)s” has %(length)s characters; at most"
                    " %(max)s are allowed."
                )
                % {
                    "title": titles[code],
                    "length": text_length(text),
                    "max": SELFEVAL_COMMENT_CHARS_MAX,
                }
            )
    return problems


@transaction.atomic
def report_return(
    *,
    report: SelfEvaluation,
    expected_version: int,
    comment: str = "",
    section_comments: dict[str, str] | None = None,
    user=None,
) -> SelfEvaluation:
    """The office returns a submitted report for changes, with an overall comment, comments on
    sections, or both (at least one). The comments replace those of an earlier return."""
    report = _locked(report, expected_version)
    _require_state(report, {State.SUBMITTED}, "return")
    section_comments = {k: v.strip() for k, v in (section_comments or {}).items()}
    problems = _comment_problems(comment, section_comments, report)
    known = {s.code for s in report.template.sections.all()}
    if not comment.strip() and not any(v for k, v in section_comments.items() if k in known):
        problems.append(
            _(
                "Say what the base should change: write an overall comment or a comment on a"
                " section."
            )
        )
    if problems:
        raise SelfEvaluationError(SelfEvaluationCode.INVALID, problems)
    changes = _comments_set(report, comment.strip(), section_comments)
    return _transition(
        report, to=State.RETURNED, user=user, changes=changes, action=Action.RETURNED
    )


def _comments_set(report, comment: str, section_comments: dict[str, str]) -> dict:
    """Store the office's comments (those not given are cleared); the changes for the audit."""
    changes = {}
    if report.review_comment != comment:
        changes["comment"] = [report.review_comment, comment]
        report.review_comment = comment
        report.save(update_fields=["review_comment"])
    rows = _texts_of(report)
    for section in report.template.sections.all():
        new = section_comments.get(section.code, "")
        row = rows.get(section.code)
        old = row.comment if row is not None else ""
        if old == new:
            continue
        changes[f"comment:{section.code}"] = [old, new]
        if row is None:
            SectionText.objects.create(report=report, section=section, comment=new)
        else:
            row.comment = new
            row.save(update_fields=["comment"])
    return changes


@transaction.atomic
def report_accept(
    *, report: SelfEvaluation, expected_version: int, comment: str = "", user=None
) -> SelfEvaluation:
    """The office accepts a submitted report; it is locked from then on. Comments of an
    earlier return stay with it as they were; ``comment`` (optional) replaces the overall one."""
    report = _locked(report, expected_version)
    _require_state(report, {State.SUBMITTED}, "accept")
    problems = _comment_problems(comment, {}, report)
    if problems:
        raise SelfEvaluationError(SelfEvaluationCode.INVALID, problems)
    changes = {}
    if comment.strip() and comment.strip() != report.review_comment:
        changes["comment"] = [report.review_comment, comment.strip()]
        report.review_comment = comment.strip()
        report.save(update_fields=["review_comment"])
    return _transition(
        report, to=State.ACCEPTED, user=user, changes=changes, action=Action.ACCEPTED
    )


# --- evidence files --------------------------------------------------------------------------


def evidence_problem(name: str, size: int) -> str | None:
    """Why an upload of ``size`` bytes named ``name`` is refused before it is read, or None."""
    limit = settings.EVIDENCE_MAX_BYTES
    if size > limit:
        return _("“%(name)s” is %(size).1f MB; evidence files may be at most %(max).0f MB.") % {
            "name": name,
            "size": size / 1e6,
            "max": limit / 1e6,
        }
    return None


@transaction.atomic
def report_file_attach(
    *, report: SelfEvaluation, name: str, data: bytes, description: str = "", user=None
) -> SelfEvaluationFile:
    """Attach an evidence file to a report the base may still change: at most
    :data:`SELFEVAL_FILES_MAX` files, each within the evidence size limit, a PDF, PNG, JPEG, XLSX or
    DOCX by its content, named with a matching extension."""
    report = SelfEvaluation.objects.select_for_update().get(pk=report.pk)
    _require_state(report, {State.DRAFT, State.RETURNED}, "change")
    if report.files.count() >= SELFEVAL_FILES_MAX:
        raise SelfEvaluationError(
            SelfEvaluationCode.TOO_MANY_FILES,
            _("A report holds at most %(max)s evidence files; remove one first.")
            % {"max": SELFEVAL_FILES_MAX},
        )
    try:
        kind = evidence_check(name=name, data=data, max_bytes=settings.EVIDENCE_MAX_BYTES)
    except EvidenceError as caught:
        code = SelfEvaluationCode(caught.code.value)
        raise SelfEvaluationError(code, evidence_message(caught)) from None
    attached = SelfEvaluationFile(
        report=report,
        name=name[:255],
        content_type=EVIDENCE_KINDS[kind].content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        description=description.strip()[:300],
        uploaded_by=user if getattr(user, "pk", None) else None,
        uploaded_at=timezone.now(),
    )
    attached.file.save(attached.sha256, ContentFile(data), save=False)
    attached.save()
    _event(
        campaign=report.campaign,
        report=report,
        action=Action.FILE_ADDED,
        user=user,
        changes={"file": [None, attached.name], "sha256": [None, attached.sha256]},
    )
    return attached


@transaction.atomic
def report_file_remove(*, attached: SelfEvaluationFile, user=None) -> None:
    report = SelfEvaluation.objects.select_for_update().get(pk=attached.report_id)
    _require_state(report, {State.DRAFT, State.RETURNED}, "change")
    _event(
        campaign=report.campaign,
        report=report,
        action=Action.FILE_REMOVED,
        user=user,
        changes={"file": [attached.name, None], "sha256": [attached.sha256, None]},
    )
    attached.delete()
