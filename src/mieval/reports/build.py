"""Build a report file (campaign report or base profiles) from a snapshot payload.

The one entry point the CLI, the web views and the background jobs share:
:func:`report_build` returns the bytes of the campaign report in one language and format;
:func:`profiles_build` the profiles of all (or some) bases.
"""

import io
import zipfile

from mieval.core.reports import content
from mieval.core.reports.payload import payload_build
from mieval.reports import render

FORMATS = ("html", "pdf", "xlsx", "docx")
#: The formats a base profile is written in.
PROFILE_FORMATS = ("html", "pdf", "docx")
#: Profiles laid out together: fonts and styles are shared within a chunk, chunks run in
#: parallel, and each profile's PDF carries the font subset of its chunk only.
PROFILES_PER_CHUNK = 16


def report_build(
    payload: dict, *, content_hash: str, lang: str, fmt: str, lineage: str | None = None
) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"format '{fmt}' is not one of {', '.join(FORMATS)}")
    data = content.report_content(payload, lang, content_hash=content_hash)
    if fmt == "xlsx":
        return render.report_xlsx(data, payload)
    if fmt == "docx":
        from mieval.reports.docx import report_docx

        return report_docx(data)
    # The PDF carries no links to pages of the site (the annex names them instead).
    html = render.report_html(data, lineage=lineage if fmt == "html" else None)
    if fmt == "html":
        return html.encode("utf-8")
    return render.html_pdf(html)


def profiles_build(
    payload: dict, *, content_hash: str, lang: str, fmt: str = "pdf", codes=None, progress=None
) -> dict[str, bytes]:
    """``{base code: file bytes}``, HTML, PDF or DOCX; ``progress(done, total)`` after each
    PDF."""
    if fmt not in PROFILE_FORMATS:
        raise ValueError(f"format '{fmt}' is not one of {', '.join(PROFILE_FORMATS)}")
    profiles = content.profiles_content(payload, lang, content_hash=content_hash, codes=codes)
    campaign = payload["campaign"]
    name = campaign.get(f"name_{lang}") or campaign.get("code", "")
    if fmt == "docx":
        from mieval.reports.docx import profile_docx

        t = {key: content.text(key, lang) for key in content.TEXTS}
        return {
            p["code"]: profile_docx(
                p, t=t, lang=lang, campaign_name=name, content_hash=content_hash
            )
            for p in profiles
        }
    if fmt == "html":
        out = {}
        for profile in profiles:
            html = render.profiles_html(
                [profile], lang=lang, campaign_name=name, content_hash=content_hash
            )
            out[profile["code"]] = html.encode("utf-8")
        return out
    chunks = []
    for start in range(0, len(profiles), PROFILES_PER_CHUNK):
        part = profiles[start : start + PROFILES_PER_CHUNK]
        html = render.profiles_html(part, lang=lang, campaign_name=name, content_hash=content_hash)
        chunks.append((html, [p["code"] for p in part]))
    return render.profiles_pdfs(chunks, progress=progress)


def profiles_zip(files: dict[str, dict[str, bytes]], *, lang: str) -> bytes:
    """The profiles as one zip: ``files`` maps a format to ``{base code: bytes}``; members
    ``<code>-<lang>.<format>``, by base then format, with a fixed date."""
    members = sorted(
        (f"{code}-{lang}.{fmt}", data)
        for fmt, by_code in files.items()
        for code, data in by_code.items()
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def payload_from_frames(bases, values, indicators, *, name_zh="", name_en="", code="file"):
    """File mode: a payload of interchange frames alone (no campaign, index or panels); the
    years are those of the values."""
    from mieval.core import indicators as builtin

    years = sorted(int(y) for y in values["year"].unique()) if len(values) else [0]
    return payload_build(
        campaign={
            "code": code,
            "name_zh": name_zh or "示范基地数据",
            "name_en": name_en or "Demonstration base data",
            "first_year": years[0],
            "last_year": years[-1],
        },
        framework={
            "code": builtin.FRAMEWORK_CODE,
            "version": builtin.FRAMEWORK_VERSION,
            "name_zh": "内置指标体系",
            "name_en": "Built-in indicators",
        },
        bases=bases,
        values=values[["base_code", "indicator_code", "year", "value"]],
        indicators=indicators,
    )
