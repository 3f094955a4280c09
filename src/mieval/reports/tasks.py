"""Background jobs of the reports app: all bases' profiles of a snapshot, in one zip (each as
PDF and as DOCX, which Word and WPS open and edit)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mieval.jobs.registry import job
from mieval.reports.build import FORMATS, profiles_build, profiles_zip, report_build
from mieval.reports.models import Snapshot
from mieval.reports.services import report_file_store


@job("report_profiles")
def report_profiles(params: dict, progress) -> dict:
    snapshot = Snapshot.objects.select_related("campaign").get(pk=params["snapshot"])
    lang = params["lang"]
    progress(0.02, _("Laying out the profiles"))

    def step(done, total):
        if done == total or done % 10 == 0:
            progress(
                0.5 + 0.43 * done / total,
                _("Profile %(done)s of %(total)s") % {"done": done, "total": total},
            )

    files = {
        "pdf": profiles_build(
            snapshot.payload,
            content_hash=snapshot.content_hash,
            lang=lang,
            fmt="pdf",
            progress=step,
        )
    }
    progress(0.95, _("Writing the profiles as DOCX"))
    files["docx"] = profiles_build(
        snapshot.payload, content_hash=snapshot.content_hash, lang=lang, fmt="docx"
    )
    progress(0.97, _("Writing the zip file"))
    report_file_store(
        snapshot=snapshot,
        kind="profiles",
        lang=lang,
        fmt="zip",
        data=profiles_zip(files, lang=lang),
    )
    url = reverse("report_profiles_zip", args=[snapshot.campaign.code, snapshot.content_hash, lang])
    return {"url": url, "count": len(files["pdf"])}


@job("report_campaign")
def report_campaign(params: dict, progress) -> dict:
    """The campaign report of a snapshot in every language and format, stored for download."""
    snapshot = Snapshot.objects.select_related("campaign").get(pk=params["snapshot"])
    lineage = f"/campaigns/{snapshot.campaign.code}/lineage/?snapshot={snapshot.content_hash}&"
    todo = [(lang, fmt) for lang in ("zh", "en") for fmt in FORMATS]
    for done, (lang, fmt) in enumerate(todo):
        progress(
            done / len(todo),
            _("Building the report: %(lang)s, %(format)s") % {"lang": lang, "format": fmt.upper()},
        )
        data = report_build(
            snapshot.payload,
            content_hash=snapshot.content_hash,
            lang=lang,
            fmt=fmt,
            lineage=lineage,
        )
        report_file_store(snapshot=snapshot, kind="campaign", lang=lang, fmt=fmt, data=data)
    return {"url": reverse("reports_page", args=[snapshot.campaign.code]), "files": len(todo)}
