"""Data entry pages for base officers (and analysts entering on a base's behalf).

- ``base_entry``: the form, one row per indicator that applies to the base, one input per
  campaign year; "save draft" and "submit".
- ``base_entry_check``: what the form's current values would bring (htmx, on every change):
  number problems and the campaign's rules and outlier tests, next to each field.
- ``base_entry_template`` / ``base_entry_upload``: the Excel template, and its upload with a
  preview of every change before anything is written.

Who may: :func:`~mieval.accounts.permissions.can_edit_some_values` (403 otherwise), the base
among :func:`~mieval.accounts.permissions.bases_visible` (404 otherwise); the form is read-only
unless :func:`~mieval.accounts.permissions.can_edit_values` and the data is not approved.
"""

import hashlib
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from mieval.accounts.permissions import bases_visible, can_edit_some_values, can_edit_values
from mieval.collection import excel
from mieval.collection.forms import EntryForm, UploadForm, field_name
from mieval.collection.models import Campaign, Submission, Value
from mieval.collection.selectors import base_check_with, campaign_import_plan
from mieval.collection.services import LockedError, campaign_import_apply, values_save
from mieval.collection.workflow import WorkflowCode, WorkflowError, submission_submit
from mieval.core.checks.outliers import RULE_PEERS
from mieval.core.checks.rules import Severity
from mieval.core.problems import InputError
from mieval.core.tables import files as tables
from mieval.indicators.selectors import framework_indicators_frame
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.i18n import in_chinese
from mieval.lib.pages import campaign_or_404, page_layout, require
from mieval.registry.models import Base

UPLOAD_SALT = "mieval.collection.entry.upload"
UPLOAD_MAX_AGE = 2 * 3600  # seconds a preview may be applied
SESSION_UPLOADS = "entry_uploads"


# --- who, what -------------------------------------------------------------------------------


@dataclass
class Entry:
    """A base's data in a campaign as the entry pages show it."""

    campaign: Campaign
    base: Base
    submission: Submission
    indicators: list[dict]
    years: list[int]
    stored: dict  # (indicator, year) -> Value
    read_only_reason: str | None

    @property
    def editable(self) -> bool:
        return self.read_only_reason is None

    def stored_raw(self) -> dict:
        return {key: (v.raw, v.version) for key, v in self.stored.items()}

    def form(self, data=None) -> EntryForm:
        return EntryForm(
            data, indicators=self.indicators, years=self.years, stored=self.stored_raw()
        )


def _entry(request, code: str, base_code: str) -> Entry:
    user = request.user
    require(can_edit_some_values(user))
    campaign = campaign_or_404(code)
    # Another base's page is not found, whether it exists or not.
    base = get_object_or_404(
        bases_visible(user).with_reference(), code=base_code, campaigns=campaign
    )
    # Reading must not create anything: a base that never saved is simply a draft.
    submission = Submission.objects.filter(campaign=campaign, base=base).first() or Submission(
        campaign=campaign, base=base
    )
    frame = excel.applicable(
        framework_indicators_frame(campaign.framework), base.subcategory.category_id
    )
    zh = in_chinese()
    indicators = [
        {
            "code": row.code,
            "name": row.name_zh if zh else row.name_en,
            "name_other": row.name_en if zh else row.name_zh,
            "unit": (row.unit_zh or row.unit) if zh else row.unit,
            "non_negative": bool(row.non_negative),
        }
        for row in frame.itertuples(index=False)
    ]
    stored = {
        (v.indicator.code, v.year): v
        for v in Value.objects.filter(campaign=campaign, base=base).select_related(
            "indicator", "entered_by"
        )
    }
    return Entry(
        campaign=campaign,
        base=base,
        submission=submission,
        indicators=indicators,
        years=list(range(campaign.first_year, campaign.last_year + 1)),
        stored=stored,
        read_only_reason=_read_only_reason(user, base, campaign, submission),
    )


def _read_only_reason(user, base, campaign, submission) -> str | None:
    if submission.is_locked():
        return _(
            "The data is approved and locked. Only the evaluation office can reopen it for changes."
        )
    if not can_edit_values(user, base, campaign):
        return _(
            "The data was submitted and the evaluation office is reviewing it. It can be "
            "changed again only if the office returns it to you."
        )
    return None


# --- problems next to the fields -------------------------------------------------------------


def _problem_items(problems: pd.DataFrame) -> list[dict]:
    zh = in_chinese()
    items = [
        {
            "indicator": str(p.indicator_code),
            "year": None if pd.isna(p.year) else int(p.year),
            "severity": str(p.severity),
            "message": str(p.message_zh if zh and p.message_zh else p.message),
            "rule": str(p.rule),
        }
        for p in problems.itertuples(index=False)
    ]
    return sorted(items, key=lambda i: Severity(i["severity"]).rank)


def _rows(entry: Entry, form: EntryForm, problems: list[dict], conflicts: dict) -> dict:
    """The table's rows (indicators), cells (years) with their problems, and the problems that
    belong to no field."""
    by_cell: dict[tuple[str, int], list[dict]] = {}
    by_row: dict[str, list[dict]] = {}
    codes = {i["code"] for i in entry.indicators}
    general = []
    # "Too few peers to judge" would sit on every value of a small subcategory: said once.
    # (A peer note without a year is a base's stable position, said on its indicator's row.)
    unjudged = [
        p
        for p in problems
        if p["rule"] == RULE_PEERS and p["severity"] == "info" and p["year"] is not None
    ]
    if unjudged:
        problems = [p for p in problems if p not in unjudged]
        general.append(
            {
                "severity": "info",
                "rule": RULE_PEERS,
                "message": ngettext(
                    "%(n)d value is not compared with other bases: too few bases of the "
                    "subcategory reported that indicator in that year.",
                    "%(n)d values are not compared with other bases: too few bases of the "
                    "subcategory reported those indicators in those years.",
                    len(unjudged),
                )
                % {"n": len(unjudged)},
            }
        )
    for item in problems:
        if item["indicator"] in codes and item["year"] in entry.years:
            by_cell.setdefault((item["indicator"], item["year"]), []).append(item)
        elif item["indicator"] in codes:
            by_row.setdefault(item["indicator"], []).append(item)
        else:
            general.append(item)
    if form.is_bound:
        for name, errors in form.errors.items():
            if not name.startswith("v-"):
                general += [{"severity": "error", "message": e} for e in errors]
                continue
            code, year = name[2:].rsplit("-", 1)
            cell_items = by_cell.setdefault((code, int(year)), [])
            cell_items[:0] = [{"severity": "error", "message": e} for e in errors]
    rows = []
    for indicator in entry.indicators:
        cells = []
        for year in entry.years:
            key = (indicator["code"], year)
            stored = entry.stored.get(key)
            cells.append(
                {
                    "year": year,
                    "id": field_name(indicator["code"], year, "p"),
                    "field": form[field_name(indicator["code"], year)],
                    "version": form[field_name(indicator["code"], year, "ver")],
                    "was": form[field_name(indicator["code"], year, "was")],
                    "stored": stored.raw if stored else "",
                    "problems": by_cell.get(key, []),
                    "conflict": conflicts.get(key),
                    "latest": year == entry.years[-1],
                }
            )
        rows.append(
            {
                "indicator": indicator,
                "id": f"rp-{indicator['code']}",
                "problems": by_row.get(indicator["code"], []),
                "cells": cells,
            }
        )
    counts = {s.value: 0 for s in Severity}
    for row in rows:
        for item in row["problems"] + [i for c in row["cells"] for i in c["problems"]]:
            counts[item["severity"]] = counts.get(item["severity"], 0) + 1
    for item in general:
        counts[item["severity"]] = counts.get(item["severity"], 0) + 1
    return {"rows": rows, "general": general, "counts": counts}


def _typed(form: EntryForm) -> pd.DataFrame:
    """The changed, well-formed values of a bound form, for :func:`base_check_with`."""
    cells = form.changed_cells()
    return pd.DataFrame(
        {
            "indicator_code": [c.indicator_code for c in cells],
            "year": pd.Series([c.year for c in cells], dtype="int64"),
            "value": pd.Series(
                [float(c.raw) if c.raw is not None else float("nan") for c in cells],
                dtype="float64",
            ),
        }
    )


def _page_context(entry: Entry) -> dict:
    """What every entry page shows at the top: the base, the campaign, the submission."""
    zh = in_chinese()
    deadline = entry.campaign.submission_deadline
    return {
        "entry": entry,
        "campaign": entry.campaign,
        "base": entry.base,
        "name": entry.base.name_zh if zh else entry.base.name_en,
        "campaign_name": entry.campaign.name_zh if zh else entry.campaign.name_en,
        "submission": entry.submission,
        "state": entry.submission.get_state_display(),
        "deadline": deadline,
        "overdue": deadline is not None
        and deadline < timezone.now()
        and entry.submission.submitted_at is None,
    }


def _render_context(request, entry: Entry, form: EntryForm, problems, conflicts=None) -> dict:
    return {
        **_page_context(entry),
        "layout": page_layout(request),
        "can_submit": entry.editable
        and entry.submission.state in {Submission.State.DRAFT, Submission.State.RETURNED},
        "form": form,
        "upload_form": UploadForm(),
        "conflicts": list((conflicts or {}).values()),
        **_rows(entry, form, _problem_items(problems), conflicts or {}),
    }


def _render(request, entry, form, problems, *, conflicts=None, status=200, **extra):
    context = _render_context(request, entry, form, problems, conflicts) | extra
    return render(request, "collection/entry.html", context, status=status)


# --- the form --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def base_entry(request, code: str, base_code: str):
    entry = _entry(request, code, base_code)
    if request.method == "GET":
        return _render(request, entry, entry.form(), _stored_problems(entry))
    if not entry.editable:
        messages.error(request, entry.read_only_reason)
        return _render(request, entry, entry.form(), _stored_problems(entry), status=403)

    form = entry.form(request.POST)
    submit = request.POST.get("action") == "submit"
    if not form.is_valid():
        messages.error(
            request, _("Nothing was saved: correct the fields marked as errors and save again.")
        )
        problems = base_check_with(entry.campaign, entry.base.code, _typed(form))
        return _render(request, entry, form, problems, status=400)

    edits = [cell.edit() for cell in form.changed_cells()]
    changed = 0
    if edits:
        try:
            changed = values_save(
                campaign=entry.campaign,
                base=entry.base,
                edits=edits,
                user=request.user,
                actor=request.user.get_username(),
            )
        except ConcurrentEditError as error:
            return _conflicts(request, code, base_code, form, error)
        except LockedError:
            entry = _entry(request, code, base_code)
            messages.error(request, entry.read_only_reason)
            return _render(request, entry, entry.form(), _stored_problems(entry), status=403)
    if changed:
        messages.success(
            request,
            ngettext("%(n)d value was saved.", "%(n)d values were saved.", changed)
            % {"n": changed},
        )
    elif not submit:
        messages.info(request, _("Nothing to save: no value was changed."))
    if submit:
        try:
            submission_submit(
                campaign=entry.campaign,
                base=entry.base,
                user=request.user,
                actor=request.user.get_username(),
            )
        except WorkflowError as error:
            return _submit_refused(request, code, base_code, error)
        messages.success(
            request, _("The data was submitted. The evaluation office will review it.")
        )
    return redirect("base_entry", code=code, base_code=base_code)


def _stored_problems(entry: Entry) -> pd.DataFrame:
    from mieval.collection.selectors import campaign_check

    return campaign_check(entry.campaign, base_code=entry.base.code)


def _conflicts(request, code, base_code, form: EntryForm, error: ConcurrentEditError):
    """Nothing was saved: show each value changed meanwhile with both versions; the form now
    carries the current versions, so saving again keeps the editor's values."""
    entry = _entry(request, code, base_code)
    names = {i["code"]: i["name"] for i in entry.indicators}
    data = request.POST.copy()
    conflicts = {}
    for conflict in error.conflicts:
        edit, current = conflict.edit, conflict.current
        key = (edit.indicator_code, edit.year)
        data[field_name(*key, prefix="ver")] = str(current.version if current else 0)
        data[field_name(*key, prefix="was")] = current.raw if current else ""
        conflicts[key] = {
            "indicator": names.get(edit.indicator_code, edit.indicator_code),
            "year": edit.year,
            "mine": form.cells[key].text,
            "current": current.raw if current else "",
            "by": (current.entered_by.get_username() if current and current.entered_by else ""),
            "at": current.entered_at if current else None,
        }
    listed = ", ".join(f"{c['indicator']} {c['year']}" for c in conflicts.values())
    messages.error(
        request,
        ngettext(
            "Nothing was saved: someone else changed %(values)s while you were editing. Both "
            "values are shown below; save again to keep yours.",
            "Nothing was saved: someone else changed %(n)d values while you were editing: "
            "%(values)s. Both values are shown below; save again to keep yours.",
            len(conflicts),
        )
        % {"n": len(conflicts), "values": listed},
    )
    redisplayed = entry.form(data)
    redisplayed.is_valid()
    problems = base_check_with(entry.campaign, entry.base.code, _typed(redisplayed))
    return _render(request, entry, redisplayed, problems, conflicts=conflicts, status=409)


def _submit_refused(request, code, base_code, error: WorkflowError):
    entry = _entry(request, code, base_code)
    blocking = []
    if error.code == WorkflowCode.CHECK_ERRORS and error.problems is not None:
        blocking = _problem_items(error.problems)
        messages.error(
            request,
            ngettext(
                "The data was saved but not submitted: %(n)d error must be fixed first.",
                "The data was saved but not submitted: %(n)d errors must be fixed first.",
                len(blocking),
            )
            % {"n": len(blocking)},
        )
    else:
        messages.error(
            request,
            _("The data cannot be submitted while it is %(state)s.")
            % {"state": entry.submission.get_state_display()},
        )
    names = {i["code"]: i["name"] for i in entry.indicators}
    for item in blocking:
        item["indicator_name"] = names.get(item["indicator"], item["indicator"])
    return _render(
        request, entry, entry.form(), _stored_problems(entry), blocking=blocking, status=400
    )


@login_required
@require_POST
def base_entry_check(request, code: str, base_code: str):
    """The problems the form's current values would bring, as htmx out-of-band fragments next
    to each field (nothing is saved)."""
    entry = _entry(request, code, base_code)
    require(entry.editable)
    form = entry.form(request.POST)
    form.is_valid()
    problems = base_check_with(entry.campaign, entry.base.code, _typed(form))
    context = _render_context(request, entry, form, problems)
    context |= {"layout": "web/fragment.html", "oob": True}
    return render(request, "collection/entry.html", context)


# --- the Excel template and its upload -------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def base_entry_template(request, code: str, base_code: str):
    entry = _entry(request, code, base_code)
    base = entry.base
    values = pd.DataFrame(
        [(base.code, i, y, v.raw) for (i, y), v in entry.stored.items()],
        columns=["base_code", "indicator_code", "year", "value"],
    )
    data = excel.entry_template(
        {
            "code": base.code,
            "name_zh": base.name_zh,
            "name_en": base.name_en,
            "category": base.subcategory.category_id,
            "campaign": entry.campaign.code,
        },
        framework_indicators_frame(entry.campaign.framework),
        entry.years,
        values,
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"{entry.campaign.code}-{base.code}-template.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "entry-uploads"


def _upload_path(user, sha256: str) -> Path:
    return _upload_dir() / f"{user.pk}-{sha256}.xlsx"


def _forget_old_uploads() -> None:
    """Previews not applied within a day are dropped (their files only; sessions expire)."""
    cutoff = time.time() - 24 * 3600
    for stale in _upload_dir().glob("*.xlsx"):
        if stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)


@dataclass
class UploadPlan:
    values: pd.DataFrame  # excel.entry_read's frame
    plan: object  # selectors.ImportPlan
    digest: str  # of the changes: the preview applies only if the changes are still these


def _upload_plan(entry: Entry, data: bytes, file: str) -> UploadPlan:
    """Read the workbook and work out its changes with the campaign importer (a values file
    of this base only); :class:`InputError` names every problem."""
    values = excel.entry_read(
        data,
        file=file,
        base_code=entry.base.code,
        years=entry.years,
        indicators=excel.applicable(
            framework_indicators_frame(entry.campaign.framework),
            entry.base.subcategory.category_id,
        ),
        campaign_code=entry.campaign.code,
    )
    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "values.csv"
        tables.write_table(values[["base_code", "indicator_code", "year", "value"]], csv)
        plan = campaign_import_plan(campaign=entry.campaign, values_path=csv)
    changes = sorted(
        (c.base_code, c.indicator_code, c.year, c.old or "", c.new or "") for c in plan.changes
    )
    digest = hashlib.sha256(repr(changes).encode()).hexdigest()
    return UploadPlan(values, plan, digest)


def _upload_problem_items(error: InputError) -> dict:
    """The page's list of a file's problems: the first ones (InputError keeps those) and the
    number of the others."""
    zh = in_chinese()
    items = [
        {
            "cell": p.key or "",
            "message": (getattr(p, "message_zh", "") if zh else "") or p.message,
        }
        for p in error.problems
    ]
    return {
        "file_problems": items,
        "file_problems_total": error.count,
        "file_problems_more": error.more,
    }


def _preview(request, entry: Entry, upload: UploadPlan, *, file: str, token: str, status=200):
    names = {i["code"]: i for i in entry.indicators}
    cells = {(r.indicator_code, int(r.year)): r.cell for r in upload.values.itertuples(index=False)}
    changes = [
        {
            "indicator": names[c.indicator_code],
            "year": c.year,
            "old": c.old,
            "new": c.new,
            "action": c.action,
            "cell": cells.get((c.indicator_code, c.year), ""),
        }
        for c in upload.plan.changes
    ]
    typed = pd.DataFrame(
        {
            "indicator_code": [c.indicator_code for c in upload.plan.changes],
            "year": pd.Series([c.year for c in upload.plan.changes], dtype="int64"),
            "value": pd.Series(
                [float(c.new) if c.new else float("nan") for c in upload.plan.changes],
                dtype="float64",
            ),
        }
    )
    problems = _problem_items(base_check_with(entry.campaign, entry.base.code, typed))
    for item in problems:
        item["indicator_name"] = names.get(item["indicator"], {}).get("name", item["indicator"])
    return render(
        request,
        "collection/entry_upload.html",
        _page_context(entry)
        | {
            "file": file,
            "token": token,
            "changes": changes,
            "unchanged": upload.plan.unchanged,
            "problems": problems,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def base_entry_upload(request, code: str, base_code: str):
    """POST a file: read, check and preview it (nothing written). POST a preview's token:
    apply that preview, all or nothing, once."""
    entry = _entry(request, code, base_code)
    if request.method == "GET":
        return redirect("base_entry", code=code, base_code=base_code)
    if not entry.editable:
        messages.error(request, entry.read_only_reason)
        return _render(request, entry, entry.form(), _stored_problems(entry), status=403)
    if "token" in request.POST:
        return _upload_apply(request, entry, request.POST["token"])

    upload_form = UploadForm(request.POST, request.FILES)
    if not upload_form.is_valid():
        return _render(
            request,
            entry,
            entry.form(),
            _stored_problems(entry),
            upload_form=upload_form,
            status=400,
        )
    upload = upload_form.cleaned_data["file"]
    file = Path(upload.name).name
    data = upload.read()
    try:
        plan = _upload_plan(entry, data, file)
    except InputError as error:
        return render(
            request,
            "collection/entry_upload.html",
            _page_context(entry) | {"file": file} | _upload_problem_items(error),
            status=400,
        )
    sha256 = hashlib.sha256(data).hexdigest()
    _upload_dir().mkdir(parents=True, exist_ok=True)
    _forget_old_uploads()
    _upload_path(request.user, sha256).write_bytes(data)
    pending = request.session.get(SESSION_UPLOADS, {})
    pending[sha256] = {"campaign": entry.campaign.code, "base": entry.base.code, "file": file}
    request.session[SESSION_UPLOADS] = pending
    token = signing.dumps(
        {
            "sha256": sha256,
            "campaign": entry.campaign.code,
            "base": entry.base.code,
            "changes": plan.digest,
        },
        salt=UPLOAD_SALT,
    )
    return _preview(request, entry, plan, file=file, token=token)


def _upload_apply(request, entry: Entry, token: str):
    back = redirect("base_entry", code=entry.campaign.code, base_code=entry.base.code)
    try:
        signed = signing.loads(token, salt=UPLOAD_SALT, max_age=UPLOAD_MAX_AGE)
    except signing.BadSignature:
        messages.error(
            request, _("This preview has expired or is not valid; upload the file again.")
        )
        return back
    require((signed["campaign"], signed["base"]) == (entry.campaign.code, entry.base.code))
    pending = request.session.get(SESSION_UPLOADS, {})
    stored = pending.get(signed["sha256"])
    path = _upload_path(request.user, signed["sha256"])
    if stored is None or not path.exists():
        messages.info(
            request, _("This upload was already applied or has expired; nothing was changed.")
        )
        return back
    file = stored["file"]
    try:
        plan = _upload_plan(entry, path.read_bytes(), file)
    except InputError as error:
        return render(
            request,
            "collection/entry_upload.html",
            _page_context(entry) | {"file": file} | _upload_problem_items(error),
            status=400,
        )
    if plan.digest != signed["changes"]:
        # Someone changed the base's data since the preview: show what applying does now.
        messages.error(
            request,
            _(
                "The stored data changed since the preview, so nothing was applied. Check the "
                "changes below again."
            ),
        )
        token = signing.dumps(signed | {"changes": plan.digest}, salt=UPLOAD_SALT)
        return _preview(request, entry, plan, file=file, token=token, status=409)
    counts = campaign_import_apply(
        plan=plan.plan,
        user=request.user,
        actor=request.user.get_username(),
        source_detail=file[:300],
    )
    del pending[signed["sha256"]]
    request.session[SESSION_UPLOADS] = pending
    path.unlink(missing_ok=True)
    n = counts["values_created"] + counts["values_updated"] + counts["values_deleted"]
    messages.success(
        request,
        ngettext(
            "%(n)d value was changed from %(file)s.",
            "%(n)d values were changed from %(file)s.",
            n,
        )
        % {"n": n, "file": file},
    )
    return back


urlpatterns = [
    path("campaigns/<slug:code>/bases/<str:base_code>/entry/", base_entry, name="base_entry"),
    path(
        "campaigns/<slug:code>/bases/<str:base_code>/entry/check/",
        base_entry_check,
        name="base_entry_check",
    ),
    path(
        "campaigns/<slug:code>/bases/<str:base_code>/template.xlsx",
        base_entry_template,
        name="base_entry_template",
    ),
    path(
        "campaigns/<slug:code>/bases/<str:base_code>/upload/",
        base_entry_upload,
        name="base_entry_upload",
    ),
]
