"""Counts of the grassroots operational backbone (基层业务骨干) for the report and the office's
list: how many people by their role in the evaluation and by the region group of the base or
organisation they come from. Plain Python: the selector feeds it one row per person."""

from collections import Counter
from dataclasses import dataclass

from mieval.core.reference import REGION_GROUPS as REGION_GROUP_NAMES

#: Roles in the evaluation, in the order tables show them.
ROLES = ("panel_member", "visit_contact", "nominated")
#: Region groups as :mod:`mieval.core.reference` folds the regions, in table order.
REGION_GROUPS = tuple(REGION_GROUP_NAMES)
#: States in the order a person moves through them.
STATES = ("recorded", "invited", "rostered")


@dataclass(frozen=True)
class BackboneRow:
    """One person: role, the region group of the base or organisation, state."""

    role: str
    region_group: str
    state: str


@dataclass(frozen=True)
class BackboneCounts:
    total: int
    by_role: dict[str, int]
    by_region_group: dict[str, int]
    by_state: dict[str, int]
    #: (role, region group) -> count, every pair present (zeros too).
    table: dict[tuple[str, str], int]


def backbone_counts(rows) -> BackboneCounts:
    """Count the rows by role, region group, state and role × region group. Every known role,
    group and state appears (zero where nobody is); an unknown one is counted after them."""
    rows = list(rows)
    roles = _ordered(ROLES, (r.role for r in rows))
    groups = _ordered(REGION_GROUPS, (r.region_group for r in rows))
    states = _ordered(STATES, (r.state for r in rows))
    pairs = Counter((r.role, r.region_group) for r in rows)
    by_role = Counter(r.role for r in rows)
    by_group = Counter(r.region_group for r in rows)
    by_state = Counter(r.state for r in rows)
    return BackboneCounts(
        total=len(rows),
        by_role={k: by_role[k] for k in roles},
        by_region_group={k: by_group[k] for k in groups},
        by_state={k: by_state[k] for k in states},
        table={(role, group): pairs[(role, group)] for role in roles for group in groups},
    )


def _ordered(known, seen) -> tuple[str, ...]:
    extra = sorted(set(seen) - set(known))
    return tuple(known) + tuple(extra)
