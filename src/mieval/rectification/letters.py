"""Feedback letters (反馈意见书): the content of a base's letter and its PDF and DOCX.

One content structure (:class:`LetterContent`: title, addressee, sections of paragraphs, the
table of problems, closing, signature and date) is built once by :func:`letter_content`, in the
letter's language; :func:`letter_pdf` (WeasyPrint, through ``reports.render.html_pdf``) and
:func:`letter_docx` (python-docx) lay out exactly that text, so that the two files say the same.
"""

import io
from dataclasses import asdict, dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

#: The CJK font the DOCX names for East Asian text (Word and WPS fall back when it is missing).
DOCX_CJK_FONT = "Noto Sans CJK SC"
DOCX_LATIN_FONT = "Calibri"

LANGUAGES = {"zh": "zh-hans", "en": "en"}


@dataclass(frozen=True)
class LetterSection:
    heading: str
    paragraphs: tuple[str, ...] = ()
    #: The table of problems (header and rows), empty for a section without one.
    table_header: tuple[str, ...] = ()
    table_rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class LetterContent:
    lang: str
    title: str
    addressee: str
    opening: tuple[str, ...]
    sections: tuple[LetterSection, ...]
    closing: tuple[str, ...]
    signature: str
    date: str
    reference: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "LetterContent":
        sections = tuple(
            LetterSection(
                heading=s["heading"],
                paragraphs=tuple(s["paragraphs"]),
                table_header=tuple(s["table_header"]),
                table_rows=tuple(tuple(r) for r in s["table_rows"]),
            )
            for s in data["sections"]
        )
        return cls(
            **{
                **data,
                "opening": tuple(data["opening"]),
                "closing": tuple(data["closing"]),
                "sections": sections,
            }
        )

    def texts(self) -> list[str]:
        """Every text of the letter in reading order (what both files carry)."""
        out = [self.title, self.addressee, *self.opening]
        for section in self.sections:
            out += [section.heading, *section.paragraphs]
            if section.table_header:
                out += list(section.table_header)
                for row in section.table_rows:
                    out += list(row)
        out += [*self.closing, self.signature, self.date]
        if self.reference:
            out.append(self.reference)
        return out


def _either(zh: str, en: str, lang: str) -> str:
    return (zh or en) if lang == "zh" else (en or zh)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def _date_text(day: date, lang: str) -> str:
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day:%B} {day.year}"


def letter_content(
    *,
    campaign,
    base,
    opinion,
    grade: tuple[str, str] | None,
    problems,
    lang: str,
    day: date,
    snapshot_hash: str = "",
) -> LetterContent:
    """The letter of ``base`` in ``campaign`` in ``lang`` (``zh`` or ``en``): the accepted
    ``opinion``'s text and recommendations, the ``grade`` (Chinese and English name, None
    without one), the confirmed ``problems`` with their recommended action and the deadline of
    the base's plan where there is one."""
    with translation.override(LANGUAGES[lang]):
        campaign_name = _either(campaign.name_zh, campaign.name_en, lang)
        base_name = _either(base.name_zh, base.name_en, lang)
        title = _("Feedback letter of the %(campaign)s") % {"campaign": campaign_name}
        addressee = _("To: %(base)s (%(code)s)") % {"base": base_name, "code": base.code}
        opening = (
            _(
                "In the %(campaign)s the expert panel evaluated your base, read its "
                "self-evaluation and visited it. This letter gives you the evaluation's result, "
                "the panel's opinion and the problems that your base is asked to rectify."
            )
            % {"campaign": campaign_name},
        )
        if grade is not None and (grade[0] or grade[1]):
            grade_text = _("Your base's grade in this evaluation is: %(grade)s.") % {
                "grade": _either(grade[0], grade[1], lang)
            }
        else:
            grade_text = _("Your base has no grade in this evaluation yet.")
        sections = [
            LetterSection(heading=_("1. The evaluation's result"), paragraphs=(grade_text,)),
        ]
        opinion_paragraphs = _lines(opinion.text)
        if opinion.recommendations.strip():
            opinion_paragraphs += (_("The panel recommends:"), *_lines(opinion.recommendations))
        sections.append(
            LetterSection(heading=_("2. The expert panel's opinion"), paragraphs=opinion_paragraphs)
        )
        problems = list(problems)
        if problems:
            rows = []
            for number, problem in enumerate(problems, start=1):
                rectification = getattr(problem, "rectification", None)
                rows.append(
                    (
                        str(number),
                        _either(problem.title_zh, problem.title_en, lang),
                        _either(problem.type.name_zh, problem.type.name_en, lang),
                        str(problem.get_severity_display()),
                        _either(problem.action_zh, problem.action_en, lang) or "—",
                        rectification.deadline.isoformat()
                        if rectification is not None
                        else _("to be planned"),
                    )
                )
            problem_section = LetterSection(
                heading=_("3. Problems to rectify"),
                paragraphs=(
                    translation.ngettext(
                        "The evaluation found %(count)d problem; please rectify it as recommended.",
                        "The evaluation found %(count)d problems; please rectify each of them "
                        "as recommended.",
                        len(problems),
                    )
                    % {"count": len(problems)},
                ),
                table_header=(
                    pgettext("number", "No."),
                    _("Problem"),
                    _("Type"),
                    _("Severity"),
                    _("Recommended action"),
                    _("Deadline"),
                ),
                table_rows=tuple(rows),
            )
        else:
            problem_section = LetterSection(
                heading=_("3. Problems to rectify"),
                paragraphs=(_("The evaluation found no problem that your base must rectify."),),
            )
        sections.append(problem_section)
        closing = (
            _(
                "Please answer each problem with a rectification plan (measures, responsible "
                "person or unit, deadline) on its page in mieval, and report the progress until "
                "the evaluation office verifies it."
            ),
        )
        if not problems:
            closing = (_("Thank you for your work in this evaluation."),)
        reference = ""
        if snapshot_hash:
            reference = _("This letter rests on the published results %(hash)s.") % {
                "hash": snapshot_hash[:12]
            }
        return LetterContent(
            lang=lang,
            title=title,
            addressee=addressee,
            opening=opening,
            sections=tuple(sections),
            closing=closing,
            signature=_("The evaluation office"),
            date=_date_text(day, lang),
            reference=reference,
        )


def letter_html(content: LetterContent) -> str:
    return render_to_string("rectification/letter.html", {"c": content})


def letter_pdf(content: LetterContent) -> bytes:
    """The letter laid out as PDF (the reports' WeasyPrint setup and its CJK fonts)."""
    from mieval.reports.render import html_pdf

    return html_pdf(letter_html(content))


def _style_fonts(document) -> None:
    """Normal, Title and Heading 1 with a Latin font and the CJK font as ``w:eastAsia``."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for name, size in (("Normal", Pt(11)), ("Title", Pt(20)), ("Heading 1", Pt(14))):
        style = document.styles[name]
        style.font.name = DOCX_LATIN_FONT
        style.font.size = size
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), DOCX_CJK_FONT)
        fonts.set(qn("w:hint"), "eastAsia")
    # The document's default East Asian language, so that WPS picks a CJK font for Chinese.
    document.core_properties.language = "zh-CN"


def letter_docx(content: LetterContent) -> bytes:
    """The letter as a DOCX that Word and WPS open and edit: real Title, Heading 1, Normal and
    Table Grid styles, the CJK font set for East Asian text, the same text as the PDF."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    _style_fonts(document)
    props = document.core_properties
    props.title = content.title
    props.author = content.signature
    # Fixed dates: the same content gives the same document text and metadata.
    from datetime import datetime

    props.created = props.modified = datetime(2000, 1, 1)
    document.add_paragraph(content.title, style="Title")
    document.add_paragraph(content.addressee)
    for text in content.opening:
        document.add_paragraph(text)
    for section in content.sections:
        document.add_paragraph(section.heading, style="Heading 1")
        for text in section.paragraphs:
            document.add_paragraph(text)
        if section.table_header:
            table = document.add_table(rows=1, cols=len(section.table_header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, section.table_header, strict=True):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in section.table_rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
    for text in content.closing:
        document.add_paragraph(text)
    for text in (content.signature, content.date):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if content.reference:
        document.add_paragraph(content.reference)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_texts(data: bytes) -> list[str]:
    """The texts of a DOCX in reading order: body paragraphs and table cells (non-empty)."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(data))
    out = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                out += [cell.text for cell in row.cells]
    return [t for t in out if t.strip()]
