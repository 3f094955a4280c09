"""Render report content as HTML, PDF (WeasyPrint) and XLSX (openpyxl).

The HTML is a standalone file (its stylesheet inside, charts as inline SVG, no script); the PDF
is that HTML laid out by WeasyPrint with the Noto CJK fonts, page numbers and a table of
contents; the XLSX holds every table with raw (full-precision) values, the raw values of the
snapshot and a metadata sheet. Output is deterministic: the same content gives the same bytes.
"""

import hashlib
import io
import re
from functools import cache
from pathlib import Path

from django.template.loader import render_to_string

from mieval.core.reports.content import TEXTS, text

TEMPLATES = Path(__file__).parent / "templates" / "reports"
#: A fixed PDF identifier and no creation date, so that a rebuild gives identical bytes.
PDF_IDENTIFIER = b"mieval-report"


@cache
def _css() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


@cache
def _font_config():
    import logging

    from weasyprint.text.fonts import FontConfiguration

    # WeasyPrint warns about every SVG presentation property its CSS parser skips (the SVG
    # renderer applies them); thousands of lines that say nothing about the report.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    return FontConfiguration()


def report_html(content: dict, *, lineage: str | None = None) -> str:
    """The campaign report as one HTML file. ``lineage``: the start of each number's link
    (``/campaigns/C/lineage/?snapshot=H&``), None for no links."""
    return render_to_string(
        "reports/report.html", {"c": content, "css": _css(), "lineage": lineage}
    )


def html_pdf(html: str) -> bytes:
    """Lay out an HTML report as PDF."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf(
        font_config=_font_config(), pdf_identifier=PDF_IDENTIFIER, uncompressed_pdf=False
    )


def profiles_html(profiles: list[dict], *, lang: str, campaign_name: str, content_hash: str):
    return render_to_string(
        "reports/profiles.html",
        {
            "profiles": profiles,
            "lang": lang,
            "t": {key: text(key, lang) for key in TEXTS},
            "campaign_name": campaign_name,
            "hash": content_hash,
            "css": _css(),
        },
    )


def profiles_pdfs(chunks: list[tuple[str, list[str]]], progress=None) -> dict[str, bytes]:
    """One PDF per base from chunks ``(HTML of some profiles, their base codes)``.

    Each chunk is laid out once and written once (the CJK font subset once per chunk, not per
    base), then split into one document per base. Chunks are laid out in parallel processes
    (``MIEVAL_REPORT_PROCESSES``, default: the number of CPUs, at most 4); WeasyPrint is pure
    Python, so threads would not help.
    """
    processes = _processes(len(chunks))
    done = 0
    out: dict[str, bytes] = {}
    total = sum(len(codes) for _html, codes in chunks)

    def collect(result):
        nonlocal done
        pdf, starts, pages = result
        out.update(_split(pdf, starts, pages))
        done += len(starts)
        if progress is not None:
            progress(done, total)

    if processes <= 1:
        for chunk in chunks:
            collect(_chunk_pdf(chunk))
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
            for result in pool.map(_chunk_pdf, chunks):
                collect(result)
    return {code: out[code] for code in sorted(out)}


def _processes(chunks: int) -> int:
    import os

    wanted = os.environ.get("MIEVAL_REPORT_PROCESSES")
    count = int(wanted) if wanted else min(os.cpu_count() or 1, 4)
    return max(1, min(count, chunks))


def _chunk_pdf(chunk: tuple[str, list[str]]):
    """Lay out and write one chunk: ``(pdf bytes, [(first page, code)], pages)``."""
    from weasyprint import HTML

    html, codes = chunk
    document = HTML(string=html, base_url=str(TEMPLATES)).render(font_config=_font_config())
    first_page = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("base-"):
                first_page.setdefault(anchor[5:], number)
    starts = sorted((first_page[code], code) for code in codes)
    return document.write_pdf(pdf_identifier=PDF_IDENTIFIER), starts, len(document.pages)


def _split(pdf: bytes, starts: list[tuple[int, str]], pages: int) -> dict[str, bytes]:
    import pypdfium2

    whole = pypdfium2.PdfDocument(pdf)
    out = {}
    try:
        for position, (start, code) in enumerate(starts):
            end = starts[position + 1][0] if position + 1 < len(starts) else pages
            part = pypdfium2.PdfDocument.new()
            part.import_pages(whole, list(range(start, end)))
            buffer = io.BytesIO()
            part.save(buffer)
            part.close()
            out[code] = _fixed_id(buffer.getvalue())
    finally:
        whole.close()
    return out


_PDF_ID = re.compile(rb"/ID\[<([0-9A-F]{32})><([0-9A-F]{32})>\]")


_PDF_DATE = re.compile(rb"(/CreationDate\(D:)\d{14}")


def _fixed_id(data: bytes) -> bytes:
    """PDFium writes the time of writing and a random file identifier; replace them by a fixed
    date and an identifier derived from the content (same lengths, so the cross-reference
    offsets stay valid) for identical rebuilds."""
    data = _PDF_DATE.sub(rb"\g<1>20000101000000", data)
    blank = _PDF_ID.sub(b"/ID[<" + b"0" * 32 + b"><" + b"0" * 32 + b">]", data)
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    return _PDF_ID.sub(b"/ID[<" + digest + b"><" + digest + b">]", data)


# --- XLSX -------------------------------------------------------------------------------------


def report_xlsx(content: dict, payload: dict) -> bytes:
    """Every table of the report, one sheet each, with full-precision numbers; the snapshot's
    raw values; and a metadata sheet (hash, framework)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    lang = content["lang"]
    t = content["t"]
    book = Workbook()
    bold = Font(bold=True)

    def sheet(title, header, rows):
        ws = book.create_sheet(title[:31])
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(row)
            # Text is text: a name, story or narrative starting with '=' (written by a base
            # officer or an analyst) must not become a formula in the reader's spreadsheet.
            for cell in ws[ws.max_row]:
                if cell.data_type == "f":
                    cell.data_type = "s"
        ws.freeze_panes = "A2"
        return ws

    book.remove(book.active)
    meta = sheet(
        "metadata",
        ["key", "value"],
        [
            ["snapshot_hash", content["hash"]],
            ["campaign", content["campaign"]["code"]],
            ["campaign_name", content["campaign_name"]],
            ["first_year", content["campaign"]["first_year"]],
            ["last_year", content["campaign"]["last_year"]],
            ["framework", content["framework"]["code"]],
            ["framework_version", content["framework"]["version"]],
            ["language", lang],
        ],
    )
    meta.column_dimensions["B"].width = 70

    years = content["trend"]["years"]
    trend_rows = []
    for row in content["trend"]["json"]["rows"]:
        trend_rows.append(
            [row["indicator"]]
            + [row["values"][str(y)] for y in years]
            + [row["n"][str(y)] for y in years]
            + [row["cagr"], row["cagr_note"]]
        )
    sheet(
        "trend",
        ["indicator"] + [str(y) for y in years] + [f"n_{y}" for y in years] + ["cagr", "cagr_note"],
        trend_rows,
    )
    classification = content["classification"]
    sheet(
        "classification",
        [t["category"], t["subcategory"], "code"]
        + [str(b) for b in classification["batches"]]
        + [t["total"]],
        [
            [r["category"], r["subcategory"], r["code"], *r["counts"], r["total"]]
            for r in classification["rows"]
        ],
    )
    sheet(
        "findings",
        ["key", "text"],
        [[f["key"], f["text"]] for f in content["findings"]["items"]],
    )
    ranking_rows = []
    for run in payload.get("index_runs") or []:
        for s in run["scores"]:
            ranking_rows.append(
                [
                    run["framework"],
                    run["version"],
                    run["year"],
                    s["base"],
                    s["score"],
                    s["rank"],
                    s.get("median_rank"),
                    s.get("q05"),
                    s.get("q95"),
                ]
            )
    sheet(
        "rankings",
        ["framework", "version", "year", "base", "score", "rank", "median_rank", "q05", "q95"],
        ranking_rows,
    )
    sheet(
        "audit",
        ["framework", "version", "year", "table", "parent", "code", "other", "measure", "value"],
        _audit_rows(payload),
    )
    panels = payload.get("panels") or {}
    sheet(
        "panels",
        [
            "base",
            "trimmed_mean",
            "experts",
            "expert_score",
            "index_score",
            "combined",
            "grade_zh",
            "grade_en",
        ],
        [
            [
                r["base"],
                r["score"],
                r["n"],
                r.get("expert_score"),
                r.get("index_score"),
                r.get("combined"),
                r.get("grade_zh"),
                r.get("grade_en"),
            ]
            for r in panels.get("results", [])
        ],
    )
    practices = payload.get("practices") or {}
    reforms = practices.get("reforms") or {}
    sheet(
        "reforms",
        ["policy_area", "name_zh", "name_en", "category", "reforms"],
        [
            [area["code"], area["name_zh"], area["name_en"], category, count]
            for area in reforms.get("areas", [])
            for category, count in sorted(area["by_category"].items())
        ],
    )
    sheet(
        "typical",
        ["kind", "subkind", "name_zh", "name_en", "base_code", "year", "story_zh", "story_en"],
        [
            [
                item["kind"],
                item["subkind"],
                item["name_zh"],
                item["name_en"],
                item["base_code"],
                item["year"],
                item["story_zh"],
                item["story_en"],
            ]
            for item in [*practices.get("cases", []), *practices.get("people", [])]
        ],
    )
    sheet(
        "reform_items",
        ["id", "title", "title_other", "language", "base_code", "policy_area", "introduced_on"],
        [
            [
                item["id"],
                item["title"],
                item["title_other"],
                item["language"],
                item["base_code"],
                item["area"],
                item["introduced_on"],
            ]
            for item in reforms.get("items", [])
        ],
    )
    exchange = payload.get("exchange") or {}
    sheet(
        "exchange",
        ["status", "requests", "east_central_west", "cross_type"],
        [
            [
                status,
                count,
                exchange["east_central_west"].get(status, 0),
                exchange["cross_type"].get(status, 0),
            ]
            for status, count in exchange.get("by_status", {}).items()
        ],
    )
    network = payload.get("network") or {}
    sheet(
        "network",
        ["round", "figure", "value"],
        [
            [code, name, value]
            for code, figures in (
                (network.get("round"), network.get("figures")),
                (network.get("previous"), network.get("previous_figures")),
            )
            if figures
            for name, value in figures.items()
            if not isinstance(value, list)
        ],
    )
    sheet("narrative", ["section", "source", "group", "text"], _narrative_rows(content))
    sheet(
        "judgement_tables",
        ["section", "table", "row", "column", "value"],
        _judgement_table_rows(content),
    )
    sheet(
        "bases",
        ["code", "name_zh", "name_en", "category", "subcategory", "province", "batch"],
        [
            [
                b["code"],
                b["name_zh"],
                b["name_en"],
                b["category"],
                b["subcategory"],
                b["province"],
                b["batch"],
            ]
            for b in payload["bases"]
        ],
    )
    sheet("values", ["base_code", "indicator_code", "year", "value"], payload["values"])
    buffer = io.BytesIO()
    book.save(buffer)
    return _zip_fixed_dates(buffer.getvalue())


def _audit_rows(payload: dict) -> list[list]:
    """Every figure of the frozen runs' statistical audits, long and at full precision: one row
    per (table, parent, code, other, measure); flags have the kind as measure and r, the share
    or the loading as value."""
    rows = []
    for run in payload.get("index_runs") or []:
        audit = run.get("audit")
        if not audit:
            continue
        key = [run["framework"], run["version"], run["year"]]
        for r in audit["correlations"]:
            for measure in ("pearson", "spearman"):
                rows.append(
                    [*key, "correlations", r["parent"], r["a"], r["b"], measure, r[measure]]
                )
        for r in audit["cronbach"]:
            rows.append([*key, "cronbach", r["code"], r["code"], None, "alpha", r["alpha"]])
        for r in audit["pca"]:
            rows.append([*key, "pca", r["code"], r["code"], None, "first_share", r["first_share"]])
            for child, loading in r["loadings"].items():
                rows.append([*key, "pca", r["code"], child, None, "loading", loading])
        for r in audit["main_effects"]:
            for measure in ("nominal_weight", "correlation_ratio", "importance_share"):
                rows.append(
                    [*key, "main_effects", r["parent"], r["code"], None, measure, r[measure]]
                )
        for r in audit["removal"]:
            for measure in ("mean_abs_rank_change", "max_abs_rank_change"):
                rows.append([*key, "removal", None, r["code"], None, measure, r[measure]])
        for r in audit["flags"]:
            rows.append([*key, "flags", r["parent"], r["code"], r["other"], r["kind"], r["value"]])
    return rows


def _narrative_rows(content: dict) -> list[list]:
    """The judgement sections as rows: the analysts' text (``narrative``), then each sentence
    the records give (``records``) and each item of a group (recommendations by type)."""
    rows = []
    for section in content["narrative"]:
        if section["paragraphs"]:
            rows.append([section["kind"], "narrative", None, "\n\n".join(section["paragraphs"])])
        rows += [[section["kind"], "records", None, c["text"]] for c in section["sentences"]]
        rows += [
            [section["kind"], "records", group["title"], item["text"]]
            for group in section["groups"]
            for item in group["items"]
        ]
    return rows


def _judgement_table_rows(content: dict) -> list[list]:
    """The judgement sections' tables in long format, one cell a row: the row's label (its
    first cell), the column's title and the value, a number where the cell is a count."""
    rows = []
    for section in content["narrative"]:
        for table in section["tables"]:
            columns = table["columns"]
            for row in table["rows"]:
                label, *cells = row["cells"]
                for column, cell in zip(columns[1:], cells, strict=True):
                    rows.append(
                        [section["kind"], table["title"], label["text"], column, _cell_value(cell)]
                    )
    return rows


def _cell_value(cell: dict):
    """A table cell's value: an int or a float where its text is one, else the text."""
    text = cell["text"]
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _zip_fixed_dates(data: bytes) -> bytes:
    """The XLSX with a fixed timestamp on every member and in the document properties, so that
    the same report gives the same bytes."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2000-01-01T00:00:00Z", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, body)
    return out.getvalue()
