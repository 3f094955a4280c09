"""Reads of self-evaluation templates and reports, a few queries per page (never one per row).

Public for other apps (the scoring page, the problem register, the report's judgement
sections): :func:`self_evaluation_for` and :func:`self_evaluation_sections_text`.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from mieval.core.limits import SELFEVAL_QUERY_CHARS_MAX, SELFEVAL_RESULTS_MAX
from mieval.core.selfeval import excerpt, search_terms, text_length
from mieval.lib.i18n import localized
from mieval.selfeval.models import (
    ReportTemplate,
    SectionText,
    SelfEvaluation,
    SelfEvaluationEvent,
    TemplateSection,
)


def template_current(campaign) -> ReportTemplate | None:
    """The campaign's newest template version (new reports are written on it), with sections."""
    return (
        ReportTemplate.objects.filter(campaign=campaign)
        .prefetch_related("sections")
        .order_by("-version")
        .first()
    )


def templates_of(campaign) -> list[ReportTemplate]:
    """Every version, newest first, each with its sections and its number of reports."""
    return list(
        ReportTemplate.objects.filter(campaign=campaign)
        .annotate(report_count=Count("reports"))
        .prefetch_related("sections")
        .order_by("-version")
    )


def _reports():
    return SelfEvaluation.objects.select_related(
        "base", "template", "campaign", "updated_by", "decided_by"
    ).prefetch_related(
        Prefetch("template__sections", queryset=TemplateSection.objects.order_by("order", "code")),
        Prefetch("texts", queryset=SectionText.objects.select_related("section")),
        "files",
    )


def self_evaluation_for(*, campaign, base) -> SelfEvaluation | None:
    """The base's report in the campaign with its template, sections, texts and files; None
    when the base has not saved one yet."""
    return _reports().filter(campaign=campaign, base=base).first()


def reports_for_bases(campaign, bases) -> list[SelfEvaluation]:
    """The campaign's reports of ``bases`` (the user's), by base code, with sections and files."""
    return list(_reports().filter(campaign=campaign, base__in=bases).order_by("base__code"))


@dataclass(frozen=True)
class SectionView:
    """One section of a report as a page shows it: the template's section and its text."""

    section: TemplateSection
    text: str
    comment: str

    @property
    def length(self) -> int:
        return text_length(self.text)

    @property
    def title(self) -> str:
        return localized(self.section.title_zh, self.section.title_en)

    @property
    def guidance(self) -> str:
        return localized(self.section.guidance_zh, self.section.guidance_en)


def report_sections(report: SelfEvaluation | None, template: ReportTemplate | None):
    """Every section of the report's template (or of ``template`` for a report not yet
    written), in order, with its text and comment ('' where none)."""
    if report is not None:
        template = report.template
        rows = {t.section_id: t for t in report.texts.all()}
    else:
        rows = {}
    if template is None:
        return []
    return [
        SectionView(
            section=s,
            text=rows[s.pk].text if s.pk in rows else "",
            comment=rows[s.pk].comment if s.pk in rows else "",
        )
        for s in template.sections.all()
    ]


def self_evaluation_sections_text(*, campaign, base) -> list[tuple[str, str, str, str]]:
    """``[(section code, title_zh, title_en, text), ...]`` of the base's report in the template's
    order (empty sections included, as ''); [] when there is no report."""
    report = self_evaluation_for(campaign=campaign, base=base)
    if report is None:
        return []
    return [
        (v.section.code, v.section.title_zh, v.section.title_en, v.text)
        for v in report_sections(report, None)
    ]


@dataclass(frozen=True)
class ReportRow:
    """A base in the campaign's list: its report (None: not started)."""

    base: object
    report: SelfEvaluation | None

    @property
    def state(self) -> str:
        return self.report.state if self.report is not None else "none"


def campaign_reports(campaign, bases) -> list[ReportRow]:
    """Every base among ``bases`` (the user's), by code, with its report or None."""
    reports = {
        r.base_id: r
        for r in SelfEvaluation.objects.filter(campaign=campaign, base__in=bases).select_related(
            "template"
        )
    }
    return [
        ReportRow(base=b, report=reports.get(b.pk))
        for b in bases.select_related("subcategory__category").order_by("code")
    ]


def state_counts(rows: list[ReportRow]) -> dict[str, int]:
    """Bases by the state of their report ("none": not started), every state present."""
    counts = Counter(row.state for row in rows)
    return {state: counts.get(state, 0) for state in ["none", *SelfEvaluation.State.values]}


def report_events(report: SelfEvaluation) -> list[SelfEvaluationEvent]:
    return list(report.events.order_by("at", "id"))


@dataclass(frozen=True)
class SearchHit:
    base: object
    report: SelfEvaluation
    section: TemplateSection
    segments: list[tuple[str, bool]]


def reports_search(*, campaign, bases, query: str) -> tuple[list[SearchHit], bool]:
    """The sections of the campaign's reports (among ``bases``) whose text holds every term of
    ``query`` (case-insensitive substrings, so Chinese needs no word splitting; the same on
    SQLite and PostgreSQL), by base code and section order, each with an excerpt around the
    first match. At most :data:`SELFEVAL_RESULTS_MAX` hits; the flag says whether more matched.
    The caller bounds the query (:data:`SELFEVAL_QUERY_CHARS_MAX`)."""
    if len(query) > SELFEVAL_QUERY_CHARS_MAX:
        raise ValueError(f"query is longer than {SELFEVAL_QUERY_CHARS_MAX} characters")
    terms = search_terms(query)
    if not terms:
        return [], False
    match = Q()
    for term in terms:
        match &= Q(text__icontains=term)
    rows = list(
        SectionText.objects.filter(match, report__campaign=campaign, report__base__in=bases)
        .select_related("report__base", "section")
        .order_by("report__base__code", "section__order", "section__code")[
            : SELFEVAL_RESULTS_MAX + 1
        ]
    )
    hits = [
        SearchHit(
            base=row.report.base,
            report=row.report,
            section=row.section,
            segments=excerpt(row.text, terms),
        )
        for row in rows[:SELFEVAL_RESULTS_MAX]
    ]
    return hits, len(rows) > SELFEVAL_RESULTS_MAX


#: The columns of the export, one row per base and section.
EXPORT_COLUMNS = (
    "base_code", "base_name_zh", "base_name_en", "state", "template_version", "section_code",
    "section_title_zh", "section_title_en", "text", "characters", "comment",
)  # fmt: skip


def export_rows(campaign) -> list[dict]:
    """One row per base and section of every report of the campaign (bases without a report
    are left out), by base code and section order; the overall comment is under section ''."""
    rows = []
    for report in _reports().filter(campaign=campaign).order_by("base__code"):
        common = {
            "base_code": report.base.code,
            "base_name_zh": report.base.name_zh,
            "base_name_en": report.base.name_en,
            "state": report.state,
            "template_version": report.template.version,
        }
        for view in report_sections(report, None):
            rows.append(
                {
                    **common,
                    "section_code": view.section.code,
                    "section_title_zh": view.section.title_zh,
                    "section_title_en": view.section.title_en,
                    "text": view.text,
                    "characters": view.length,
                    "comment": view.comment,
                }
            )
    return rows


def export_reports(campaign) -> list[tuple[SelfEvaluation, list[SectionView]]]:
    """Every report of the campaign with its sections, by base code (for the PDF)."""
    return [
        (report, report_sections(report, None))
        for report in _reports().filter(campaign=campaign).order_by("base__code")
    ]
