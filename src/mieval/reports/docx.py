"""The campaign report and the base profiles as DOCX (python-docx), for Word and WPS.

Built from the same content dicts as the HTML and the PDF (:func:`mieval.core.reports.content.
report_content`, :func:`~mieval.core.reports.content.profiles_content`): the same headings,
paragraphs and tables, without the charts (a DOCX is the text an office edits). Chinese text
is set in a CJK font through ``w:eastAsia``, so that Word does not fall back to a Latin font.
The same content gives the same bytes (fixed dates, as the XLSX).
"""

import datetime as dt
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from mieval.reports.render import _zip_fixed_dates

#: The fonts named in the document: Word and WPS substitute their own CJK font if missing.
FONT_LATIN = "Times New Roman"
FONT_CJK = "SimSun"
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _document(title: str, lang: str) -> Document:
    document = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid"):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        style.font.name = FONT_LATIN
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), FONT_CJK)
    document.styles["Normal"].font.size = Pt(10.5)
    properties = document.core_properties
    properties.title = title
    properties.author = "mieval"
    properties.language = "zh-CN" if lang == "zh" else "en-GB"
    properties.created = FIXED_DATE
    properties.modified = FIXED_DATE
    properties.last_modified_by = "mieval"
    properties.revision = 1
    return document


def _bytes(document: Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return _zip_fixed_dates(out.getvalue())


def _table(document: Document, columns: list[str], rows: list[list[str]]) -> None:
    if not columns:
        return
    table = document.add_table(rows=1, cols=len(columns))
    table.style = document.styles["Table Grid"]
    for cell, name in zip(table.rows[0].cells, columns, strict=True):
        cell.text = str(name)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    document.add_paragraph()


def _empty(document: Document, message: str) -> None:
    document.add_paragraph(message).runs[0].italic = True


def report_docx(c: dict) -> bytes:
    """The campaign report of :func:`mieval.core.reports.content.report_content` as DOCX."""
    t = c["t"]
    document = _document(f"{t['title']} · {c['campaign_name']}", c["lang"])
    heading = document.add_heading(t["title"], level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    campaign = c["campaign"]
    document.add_paragraph(
        f"{c['campaign_name']}（{campaign['first_year']}–{campaign['last_year']}）"
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        f"{t['framework']}: {c['framework_name']} ({c['framework']['code']}, {t['version']} "
        f"{c['framework']['version']})"
    )
    document.add_paragraph(f"{t['snapshot_hash']}: {c['hash']}")

    document.add_heading(t["summary"], level=1)
    for sentence in c["summary"]:
        document.add_paragraph(sentence)

    document.add_heading(t["trend"], level=1)
    trend = c["trend"]
    if trend["rows"]:
        _table(
            document,
            [t["indicator"], *trend["years"], t["growth"]],
            [
                [row["label"], *(cell["text"] for cell in row["cells"]), row["cagr_text"]]
                for row in trend["rows"]
            ],
        )
    else:
        _empty(document, t["no_data"])

    document.add_heading(t["classification"], level=1)
    classes = c["classification"]
    if classes["rows"]:
        _table(
            document,
            [t["category"], t["subcategory"], *classes["batch_names"], t["total"]],
            [[r["category"], r["subcategory"], *r["counts"], r["total"]] for r in classes["rows"]]
            + [[t["total"], "", *classes["totals"], classes["total"]]],
        )
    else:
        _empty(document, t["no_data"])

    document.add_heading(t["findings"], level=1)
    for item in c["findings"]["items"]:
        document.add_paragraph(item["text"], style="List Number")
    if not c["findings"]["items"]:
        _empty(document, t["no_data"])

    document.add_heading(t["rankings"], level=1)
    for run in c["rankings"]:
        document.add_heading(run["title"], level=2)
        change = [run["change_label"]] if run["change_label"] else []
        _table(
            document,
            [t["rank"], t["base"], t["score"], t["median_rank"], t["interval"], *change],
            [
                [r["rank"], r["name"], r["score"], r["median_rank"], r["interval"]]
                + ([r["change"]] if change else [])
                for r in run["rows"]
            ],
        )
    if not c["rankings"]:
        _empty(document, t["no_data"])

    document.add_heading(t["audit"], level=1)
    for audit in c["audit"]:
        _audit_docx(document, audit, t)
    if not c["audit"]:
        _empty(document, t["no_data"])

    document.add_heading(t["panels"], level=1)
    if c["panels"]:
        document.add_paragraph(f"{t['alpha']}: {c['panels']['alpha']}")
        document.add_paragraph(t["grading_note"])
        _table(
            document,
            [t["base"], t["score"], t["experts"], t["index_score"], t["combined"], t["grade"]],
            [
                [r["name"], r["score"], r["n"], r["index_score"], r["combined"], r["grade"]]
                for r in c["panels"]["rows"]
            ],
        )
    else:
        _empty(document, t["no_data"])

    document.add_heading(t["evidence"], level=1)
    practices = c["practices"]
    if practices:
        if practices["rows"]:
            document.add_heading(t["reforms_by_area"], level=2)
            _table(
                document,
                [t["policy_area"], *practices["categories"], t["total"]],
                [[r["name"], *r["counts"], r["total"]] for r in practices["rows"]]
                + [[t["total"], *practices["category_totals"], practices["total"]]],
            )
        stories = (("typical_cases", practices["cases"]), ("exemplary_people", practices["people"]))
        for key, items in stories:
            if items:
                document.add_heading(t[key], level=2)
                for item in items:
                    year = f" · {item['year']}" if item["year"] else ""
                    document.add_paragraph(f"{item['name']} · {item['base']}{year}").runs[
                        0
                    ].bold = True
                    document.add_paragraph(item["story"])
    else:
        _empty(document, t["no_data"])

    document.add_heading(t["exchange"], level=1)
    if c["exchange"]:
        document.add_paragraph(t["exchange_intro"])
        _table(
            document,
            [t["exchange_status"], t["requests_all"], t["east_central_west"], t["cross_type"]],
            [
                [r["status"], r["all"], r["east_central_west"], r["cross_type"]]
                for r in c["exchange"]["rows"]
            ]
            + [[t["total"], c["exchange"]["total"], "", ""]],
        )
        if c["exchange"]["network"]:
            document.add_heading(t["network"], level=2)
            for item in c["exchange"]["network"]:
                document.add_paragraph(item["text"])
            if c["exchange"]["network_tables"]:
                document.add_paragraph(t["network_intro"])
                for rows in c["exchange"]["network_tables"].values():
                    _table(
                        document,
                        [t["pair"], t["links"], t["share"]],
                        [[r["pair"], r["links"], r["share"]] for r in rows],
                    )
    else:
        _empty(document, t["no_data"])

    for section in c["narrative"]:
        judgement_docx(document, section, no_text=t["no_text"])

    document.add_heading(t["annex"], level=1)
    for key in ("method_trend", "method_rank", "method_panels", "conventions", "lineage_note"):
        document.add_paragraph(t[key])
    document.add_paragraph(f"{t['snapshot_hash']}: {c['hash']}")
    return _bytes(document)


def _audit_docx(document: Document, audit: dict, t: dict) -> None:
    """One run's statistical audit, as the HTML report's section (its tables, no chart)."""
    document.add_heading(audit["title"], level=2)
    document.add_paragraph(t["audit_intro"])
    _table(
        document,
        [t["aggregate"], t["cronbach"], f"{t['first_share']} (%)"],
        [[r["code"], r["alpha"], r["first_share"]] for r in audit["coherence"]],
    )
    _table(
        document,
        [t["child"], t["aggregate"], t["weight_share"], t["importance_share"]],
        [[r["name"], r["parent"], r["weight"], r["share"]] for r in audit["effects"]],
    )
    _table(
        document,
        [t["child"], t["removal_mean"], t["removal_max"]],
        [[r["name"], r["mean"], r["max"]] for r in audit["removal"]],
    )
    flags = document.add_paragraph()
    flags.add_run(t["audit_flags"]).bold = True
    flags.add_run(f": {audit['flags']}")


def judgement_docx(document: Document, section: dict, *, no_text: str) -> None:
    """One judgement section: the analysts' paragraphs, then the generated sentences, tables
    and lists (:mod:`mieval.core.reports.judgement`)."""
    document.add_heading(section["title"], level=1)
    for paragraph in section["paragraphs"]:
        document.add_paragraph(paragraph)
    if section["empty"]:
        _empty(document, no_text)
    for line in section["sentences"]:
        document.add_paragraph(line["text"])
    for table in section["tables"]:
        document.add_heading(table["title"], level=2)
        _table(
            document,
            table["columns"],
            [[cell["text"] for cell in row["cells"]] for row in table["rows"]],
        )
    for group in section["groups"]:
        document.add_heading(group["title"], level=2)
        for item in group["items"]:
            document.add_paragraph(item["text"], style="List Bullet")


def profile_docx(profile: dict, *, t: dict, lang: str, campaign_name: str, content_hash: str):
    """One base's profile of :func:`mieval.core.reports.content.profiles_content` as DOCX."""
    document = _document(f"{t['profile_title']} · {profile['name']}", lang)
    document.add_heading(profile["name"], level=0)
    document.add_paragraph(
        f"{t['profile_title']} · {campaign_name} · {profile['code']} · {t['peer_group']}: "
        f"{profile['peer_group']} · {profile['province']} · {t['batch']} {profile['batch']}"
    )
    document.add_paragraph(f"{t['snapshot']}: {content_hash}")
    if profile["rows"]:
        header = f"{t['value']} / {t['peer']} / {t['percentile']}"
        _table(
            document,
            [t["indicator"], *(f"{y} ({header})" for y in profile["years"])],
            [
                [f"{r['label']} ({r['unit']})" if r["unit"] else r["label"]]
                + [
                    f"{cell['value']} / {cell['peer']} / P{cell['pct']}"
                    if cell.get("raw") is not None
                    else cell["value"]
                    for cell in r["cells"]
                ]
                for r in profile["rows"]
            ],
        )
    else:
        _empty(document, t["no_data"])
    document.add_heading(t["rankings"], level=2)
    for r in profile["ranks"]:
        document.add_paragraph(
            f"{r['title']}: {t['rank']} {r['rank']} / {r['size']}, {t['interval']} {r['interval']}"
        )
    if not profile["ranks"]:
        _empty(document, t["no_data"])
    for key in ("strengths", "weaknesses"):
        document.add_heading(t[key], level=2)
        for item in profile[key]:
            document.add_paragraph(item, style="List Bullet")
        if not profile[key]:
            document.add_paragraph("—")
    document.add_heading(t["comments"], level=2)
    for comment in profile["comments"]:
        document.add_paragraph(comment)
    if not profile["comments"]:
        _empty(document, t["no_data"])
    document.add_paragraph(t["method_profile"])
    return _bytes(document)
