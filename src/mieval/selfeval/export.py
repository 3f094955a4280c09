"""The export of all self-evaluation reports of a campaign: XLSX (one row per base and
section) and PDF (one chapter per base, laid out by the reports' WeasyPrint setup with the
Noto CJK fonts)."""

import io

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from mieval.lib.spreadsheets import csv_cell
from mieval.reports.render import html_pdf
from mieval.selfeval.selectors import EXPORT_COLUMNS, export_reports, export_rows

#: Excel keeps at most 32,767 characters in a cell; a longer text is cut there (and says so).
XLSX_CELL_MAX = 32_767


def _text_cell(value):
    """Text as the office's spreadsheet shows it: a formula-like text stays text (csv_cell's
    apostrophe), and a text beyond Excel's cell limit is cut."""
    if not isinstance(value, str):
        return value
    value = csv_cell(value)
    return value if len(value) <= XLSX_CELL_MAX else value[: XLSX_CELL_MAX - 1] + "…"


def reports_xlsx(campaign) -> bytes:
    """Every report of the campaign, one row per base and section (:data:`EXPORT_COLUMNS`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "self-evaluations"
    sheet.append(list(EXPORT_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(campaign):
        sheet.append([_text_cell(row[name]) for name in EXPORT_COLUMNS])
        for cell in sheet[sheet.max_row]:
            # openpyxl reads a text starting with "=" as a formula: keep every text a text.
            if cell.data_type == "f":
                cell.data_type = "s"
    text_column = EXPORT_COLUMNS.index("text") + 1
    for column, width in ((1, 10), (2, 24), (3, 24), (6, 16), (7, 18), (8, 22), (9, 80)):
        sheet.column_dimensions[sheet.cell(1, column).column_letter].width = width
    for (cell,) in sheet.iter_rows(min_row=2, min_col=text_column, max_col=text_column):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reports_html(campaign, *, lang: str) -> str:
    with translation.override("zh-hans" if lang == "zh" else "en"):
        return render_to_string(
            "selfeval/export.html",
            {
                "campaign": campaign,
                "campaign_name": campaign.name_zh if lang == "zh" else campaign.name_en,
                "lang": lang,
                "reports": export_reports(campaign),
                "title": _("Self-evaluation reports"),
            },
        )


def reports_pdf(campaign, *, lang: str) -> bytes:
    """Every report of the campaign as one PDF in ``lang`` (zh or en): titles, states and
    comments in that language, the bases' texts as written."""
    return html_pdf(reports_html(campaign, lang=lang))
