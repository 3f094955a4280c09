"""The crosswalk editor of the evaluation office: the version pairs, one pair's rows (add,
change, remove, each audited), and what stays unmapped.

Thin views: the role is checked with ``accounts.permissions``, reads go through selectors,
writes through ``indicators.services``; a row changed by someone else since the page was read
is refused (:class:`~mieval.lib.concurrency.ConcurrentEditError`) and the page says so.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from mieval.accounts.permissions import can_manage
from mieval.core.problems import InputError
from mieval.indicators.forms import CrosswalkPairForm, CrosswalkRowForm
from mieval.indicators.models import CrosswalkEvent, CrosswalkRow, Framework
from mieval.indicators.selectors import crosswalk_pair as crosswalk_pair_read
from mieval.indicators.selectors import crosswalk_pairs_listed
from mieval.indicators.services import (
    crosswalk_row_add,
    crosswalk_row_delete,
    crosswalk_row_update,
)
from mieval.lib.concurrency import ConcurrentEditError
from mieval.lib.i18n import localized
from mieval.lib.pages import require
from mieval.lib.params import id_param

EVENTS_SHOWN = 20


def _factor_text(factor: float) -> str:
    """A factor as the editor shows it: every digit a float keeps, no trailing zeros."""
    return f"{factor:.15g}"


@login_required
def crosswalks(request):
    require(can_manage(request.user))
    form = CrosswalkPairForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect(
            "crosswalk_pair",
            from_pk=form.cleaned_data["from_framework"].pk,
            to_pk=form.cleaned_data["to_framework"].pk,
        )
    pairs = [
        {
            **p,
            "from_name": localized(p["from_framework"].name_zh, p["from_framework"].name_en),
            "to_name": localized(p["to_framework"].name_zh, p["to_framework"].name_en),
        }
        for p in crosswalk_pairs_listed()
    ]
    return render(request, "indicators/crosswalks.html", {"pairs": pairs, "form": form})


def _names(frame) -> dict[str, str]:
    return {r.code: localized(r.name_zh, r.name_en) for r in frame.itertuples(index=False)}


def _units(frame) -> dict[str, str]:
    return {r.code: r.unit for r in frame.itertuples(index=False)}


@login_required
def crosswalk_pair(request, from_pk: int, to_pk: int):
    user = request.user
    require(can_manage(user))
    old_framework = get_object_or_404(Framework, pk=from_pk)
    new_framework = get_object_or_404(Framework, pk=to_pk)
    if old_framework.pk == new_framework.pk:
        raise Http404
    pair = crosswalk_pair_read(old_framework, new_framework)
    problems, conflict = [], None
    form = CrosswalkRowForm(old_indicators=pair["old"], new_indicators=pair["new"])
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add":
                form = CrosswalkRowForm(
                    request.POST, old_indicators=pair["old"], new_indicators=pair["new"]
                )
                if form.is_valid():
                    row = crosswalk_row_add(
                        from_framework=old_framework,
                        from_code=form.cleaned_data["from_code"],
                        to_framework=new_framework,
                        to_code=form.cleaned_data["to_code"],
                        factor=form.cleaned_data["factor"],
                        user=user,
                    )
                    messages.success(
                        request,
                        _("The row %(old)s → %(new)s is added.")
                        % {"old": row.from_code, "new": row.to_code},
                    )
                    return redirect("crosswalk_pair", from_pk=from_pk, to_pk=to_pk)
            elif action == "delete":
                row = get_object_or_404(
                    CrosswalkRow,
                    pk=id_param(request.POST.get("row"), "row"),
                    from_framework=old_framework,
                    to_framework=new_framework,
                )
                crosswalk_row_delete(
                    row=row, version=id_param(request.POST.get("version"), "version"), user=user
                )
                messages.success(
                    request,
                    _("The row %(old)s → %(new)s is removed.")
                    % {"old": row.from_code, "new": row.to_code},
                )
                return redirect("crosswalk_pair", from_pk=from_pk, to_pk=to_pk)
            else:
                raise Http404
        except InputError as error:
            problems = [p.message for p in error.problems]
        except ConcurrentEditError:
            conflict = _(
                "Someone else changed or removed this row since you opened the page; nothing was"
                " written. The rows below are the ones stored now."
            )
            pair = crosswalk_pair_read(old_framework, new_framework)
    old_names, new_names = _names(pair["old"]), _names(pair["new"])
    old_units, new_units = _units(pair["old"]), _units(pair["new"])
    kinds = {
        "renamed": _("renamed"),
        "unit": _("unit changed"),
        "split": _("split"),
        "merge": _("merged (summed)"),
        "same": _("same code"),
    }
    rows = [
        {
            "row": r,
            "kind": r.kind,
            "kind_label": kinds[r.kind],
            "old_name": old_names.get(r.from_code, r.from_code),
            "new_name": new_names.get(r.to_code, r.to_code),
            "old_unit": old_units.get(r.from_code, ""),
            "new_unit": new_units.get(r.to_code, ""),
        }
        for r in pair["rows"]
    ]
    events = CrosswalkEvent.objects.filter(from_framework=old_framework, to_framework=new_framework)
    return render(
        request,
        "indicators/crosswalk_pair.html",
        {
            "old_framework": old_framework,
            "new_framework": new_framework,
            "old_name": localized(old_framework.name_zh, old_framework.name_en),
            "new_name": localized(new_framework.name_zh, new_framework.name_en),
            "rows": rows,
            "kept": [{"code": c, "name": old_names[c]} for c in pair["kept"]],
            "unmapped": [{"code": c, "name": old_names[c]} for c in pair["unmapped"]],
            "form": form,
            "problems": problems,
            "conflict": conflict,
            "events": events.order_by("-at", "-id")[:EVENTS_SHOWN],
        },
    )


@login_required
def crosswalk_row_edit(request, pk: int):
    user = request.user
    require(can_manage(user))
    row = get_object_or_404(
        CrosswalkRow.objects.select_related("from_framework", "to_framework"), pk=pk
    )
    pair = crosswalk_pair_read(row.from_framework, row.to_framework)
    problems, conflict = [], None
    if request.method == "POST":
        form = CrosswalkRowForm(
            request.POST, old_indicators=pair["old"], new_indicators=pair["new"]
        )
        if form.is_valid():
            try:
                crosswalk_row_update(
                    row=row,
                    version=form.cleaned_data["version"] or 0,
                    from_code=form.cleaned_data["from_code"],
                    to_code=form.cleaned_data["to_code"],
                    factor=form.cleaned_data["factor"],
                    user=user,
                )
            except InputError as error:
                problems = [p.message for p in error.problems]
            except ConcurrentEditError as error:
                if error.latest is None:
                    messages.error(
                        request, _("Someone else removed this row meanwhile; nothing was written.")
                    )
                    return redirect(
                        "crosswalk_pair", from_pk=row.from_framework_id, to_pk=row.to_framework_id
                    )
                latest = error.latest
                conflict = _(
                    "Someone else changed this row meanwhile (now %(old)s → %(new)s, factor"
                    " %(factor)s); nothing was written. Check the values below and save again."
                ) % {
                    "old": latest.from_code,
                    "new": latest.to_code,
                    "factor": _factor_text(latest.factor),
                }
                form = CrosswalkRowForm(
                    initial={
                        "from_code": latest.from_code,
                        "to_code": latest.to_code,
                        "factor": _factor_text(latest.factor),
                        "version": latest.version,
                    },
                    old_indicators=pair["old"],
                    new_indicators=pair["new"],
                )
            else:
                messages.success(request, _("The row is saved."))
                return redirect(
                    "crosswalk_pair", from_pk=row.from_framework_id, to_pk=row.to_framework_id
                )
    else:
        form = CrosswalkRowForm(
            initial={
                "from_code": row.from_code,
                "to_code": row.to_code,
                "factor": _factor_text(row.factor),
                "version": row.version,
            },
            old_indicators=pair["old"],
            new_indicators=pair["new"],
        )
    return render(
        request,
        "indicators/crosswalk_row_edit.html",
        {"row": row, "form": form, "problems": problems, "conflict": conflict},
    )
