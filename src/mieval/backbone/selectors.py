"""Reads of the grassroots operational backbone: a few queries per page, never one per row."""

from mieval.backbone.models import BackboneMember
from mieval.core.backbone import BackboneCounts, BackboneRow
from mieval.core.backbone import backbone_counts as counts_of
from mieval.core.reference import region_group_of


def _members(campaign):
    return BackboneMember.objects.filter(campaign=campaign).select_related(
        "base__province", "organisation__province", "expert"
    )


def region_group(member: BackboneMember) -> str:
    """The region group of the person's base, or else of the organisation's province."""
    province = member.base.province_id if member.base_id else member.organisation.province_id
    return region_group_of(province)


def members_listed(*, campaign, role: str = "", state: str = "", group: str = "", q: str = ""):
    """The campaign's backbone, filtered; each person carries ``region_group``."""
    rows = _members(campaign)
    if role:
        rows = rows.filter(role=role)
    if state:
        rows = rows.filter(state=state)
    if q:
        rows = rows.filter(name__icontains=q)
    listed = []
    for member in rows:
        member.region_group = region_group(member)
        if not group or member.region_group == group:
            listed.append(member)
    return listed


def member_of(*, campaign, pk: int) -> BackboneMember | None:
    return _members(campaign).filter(pk=pk).first()


def nominations_of(*, campaign, base):
    """The people the base nominated in the campaign (the officer's own page)."""
    return list(
        BackboneMember.objects.filter(
            campaign=campaign, base=base, role=BackboneMember.Role.NOMINATED
        ).order_by("name", "id")
    )


def backbone_counts(*, campaign) -> BackboneCounts:
    """The campaign's backbone counted by role, region group and state (the report's table)."""
    rows = BackboneMember.objects.filter(campaign=campaign).select_related("base", "organisation")
    return counts_of(BackboneRow(m.role, region_group(m), m.state) for m in rows)
