"""Reads of site visits and panel opinions: a few queries per page, never one per row.

Public names other apps call: :func:`visit_for` and :func:`opinion_for`.
"""

from dataclasses import dataclass, field

import pandas as pd
from django.db.models import Prefetch

from mieval.accounts.permissions import can_manage_visits
from mieval.core.panels.leader import leader_propose
from mieval.panels.models import Panel, PanelBase, PanelMember
from mieval.panels.selectors import (
    base_scores_comments,
    expert_seats_elsewhere,
    panel_set_published,
)
from mieval.visits.models import (
    Opinion,
    OpinionResponse,
    PanelLeader,
    Visit,
    VisitEvent,
    VisitRecord,
)


def visit_for(*, campaign, base) -> Visit | None:
    """The base's visit in the campaign, with its members, record and files; None when not
    planned."""
    return (
        Visit.objects.filter(campaign=campaign, base=base)
        .select_related("panel", "base", "record")
        .prefetch_related("members", "record__members_present", "record__files")
        .first()
    )


def opinion_for(*, campaign, base, accepted_only: bool = True) -> Opinion | None:
    """The panel's opinion on the base in the campaign; with ``accepted_only`` (what the base
    and the reports read) only once the office accepted it."""
    opinions = Opinion.objects.filter(campaign=campaign, base=base)
    if accepted_only:
        opinions = opinions.filter(state=Opinion.State.ACCEPTED)
    return (
        opinions.select_related("panel", "base")
        .prefetch_related(Prefetch("responses", OpinionResponse.objects.select_related("expert")))
        .first()
    )


def panel_of(*, campaign, base) -> Panel | None:
    """The panel of the campaign's published set that evaluates the base."""
    held = (
        PanelBase.objects.filter(
            panel__panel_set__campaign=campaign, panel__panel_set__state="published", base=base
        )
        .select_related("panel")
        .first()
    )
    return held.panel if held is not None else None


def panel_by_number(campaign, number: int) -> Panel | None:
    published = panel_set_published(campaign)
    if published is None:
        return None
    return published.panels.filter(number=number).first()


def panel_members(panel: Panel) -> list:
    """The panel's experts, by code."""
    return [
        m.expert
        for m in PanelMember.objects.filter(panel=panel)
        .select_related("expert__organisation")
        .order_by("expert__code")
    ]


def leader_of(panel: Panel) -> PanelLeader | None:
    return PanelLeader.objects.filter(panel=panel).select_related("expert").first()


def leader_proposals(campaign, panels) -> dict[int, str | None]:
    """The proposed leader's code of each panel (``leader_propose``'s rule), by panel id."""
    members = list(
        PanelMember.objects.filter(panel__in=panels)
        .select_related("expert")
        .order_by("panel_id", "expert__code")
    )
    seats = expert_seats_elsewhere([m.expert_id for m in members], campaign)
    by_panel: dict[int, list] = {p.pk: [] for p in panels}
    for m in members:
        by_panel[m.panel_id].append(
            (m.expert.code, list(m.expert.roles), seats.get(m.expert.code, 0))
        )
    return {
        pk: leader_propose(pd.DataFrame(rows, columns=["expert", "roles", "seniority"]))
        for pk, rows in by_panel.items()
    }


@dataclass
class PanelRow:
    panel: Panel
    leader: PanelLeader | None
    proposed: str | None
    members: list = field(default_factory=list)
    bases: list[dict] = field(default_factory=list)


def campaign_panels(campaign, user) -> list[PanelRow]:
    """The panels the user works with (the office: all of the published set; an expert: the
    own), each with leader, proposal, members and, per base, its visit, record and opinion."""
    published = panel_set_published(campaign)
    if published is None:
        return []
    panels = published.panels.order_by("number")
    if not can_manage_visits(user):
        panels = panels.filter(members__expert__user=user)
    panels = list(panels)
    leaders = {
        pl.panel_id: pl
        for pl in PanelLeader.objects.filter(panel__in=panels).select_related("expert")
    }
    proposals = leader_proposals(campaign, panels)
    rows = {p.pk: PanelRow(p, leaders.get(p.pk), proposals.get(p.pk)) for p in panels}
    for m in (
        PanelMember.objects.filter(panel__in=panels)
        .select_related("expert")
        .order_by("expert__code")
    ):
        rows[m.panel_id].members.append(m.expert)
    visits = {
        v.base_id: v
        for v in Visit.objects.filter(campaign=campaign, panel__in=panels).select_related("record")
    }
    opinions = {o.base_id: o for o in Opinion.objects.filter(campaign=campaign, panel__in=panels)}
    for held in (
        PanelBase.objects.filter(panel__in=panels).select_related("base").order_by("base__code")
    ):
        visit = visits.get(held.base_id)
        rows[held.panel_id].bases.append(
            {
                "base": held.base,
                "visit": visit,
                "recorded": visit is not None and hasattr(visit, "record"),
                "opinion": opinions.get(held.base_id),
            }
        )
    return list(rows.values())


def comments_for_reader(rows: list[dict], *, office: bool, reader_code: str | None) -> list[dict]:
    """The score rows as the reader may see them: submitted scores, and the reader's own drafts
    (another expert's draft is still that expert's work); the office every comment; an expert
    a comment of a rubric that keeps comments confidential only when it is the expert's own,
    and a confidential comment only the own (``panels.selectors``' rule of comments)."""
    shown = []
    for row in rows:
        own = row["expert"] == reader_code
        if row["state"] != "submitted" and not own:
            continue
        shown.append(
            {
                **row,
                "comment": row["comment"]
                if office or own or not row["comments_confidential"]
                else "",
                "confidential_comment": row["confidential_comment"] if office or own else "",
            }
        )
    return shown


def opinion_sheet(*, campaign, base, user) -> dict:
    """What the leader drafts the opinion from, side by side: every member's scores with the
    comments the reader may see (by criterion), and the visit record."""
    reader = getattr(user, "expert", None)
    rows = comments_for_reader(
        base_scores_comments(campaign, base),
        office=can_manage_visits(user),
        reader_code=reader.code if reader is not None else None,
    )
    criteria: dict[str, dict] = {}
    for row in rows:
        entry = criteria.setdefault(
            row["criterion"],
            {
                "code": row["criterion"],
                "name_zh": row["criterion_name_zh"],
                "name_en": row["criterion_name_en"],
                "scores": [],
            },
        )
        entry["scores"].append(row)
    return {"criteria": list(criteria.values()), "visit": visit_for(campaign=campaign, base=base)}


def record_closing_opinion(visit: Visit) -> Opinion | None:
    """The panel's opinion that closes the visit record: once the leader has submitted the
    opinion to the office (or the office accepted it), the record it stands on is no longer
    edited; it reopens when the office returns the opinion."""
    return Opinion.objects.filter(
        campaign=visit.campaign_id,
        base=visit.base_id,
        state__in=[Opinion.State.SUBMITTED, Opinion.State.ACCEPTED],
    ).first()


def record_version(visit: Visit) -> int | None:
    """The stored version of the visit's record, None when there is none."""
    return VisitRecord.objects.filter(visit=visit).values_list("version", flat=True).first()


def visit_events(*, campaign, base) -> list[VisitEvent]:
    return list(VisitEvent.objects.filter(campaign=campaign, base=base).select_related("user"))
