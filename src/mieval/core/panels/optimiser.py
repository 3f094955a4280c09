r"""Form expert panels and allocate the bases to them: a CP-SAT model and a decomposition.

Plain Python on pandas and OR-Tools, no Django. ``panels_form`` is the entry point;
``panels_check`` gives the necessary conditions that fail before any search; ``panels_explain``
tells who in each panel covers which of its bases' fields, roles and organisation kinds.

Naming: ``panels_*`` functions take and return frames or :class:`PanelResult`; ``FormationRule``
codes name the hard rules of ``DESIGN.md`` ("`mieval panels`") in every message.

Model
-----
Experts :math:`e`, bases :math:`b`, groups :math:`g = 0 .. G-1`; booleans :math:`x_{eg}`
(expert :math:`e` sits on group :math:`g`) and :math:`y_{bg}` (base :math:`b` is evaluated by
group :math:`g`).

- every base in exactly one group: :math:`\sum_g y_{bg} = 1`;
- bases per group balanced within 1: :math:`\lfloor B/G \rfloor \le \sum_b y_{bg} \le
  \lceil B/G \rceil`;
- size: :math:`s_{\min} \le \sum_e x_{eg} \le s_{\max}`; roles:
  :math:`\sum_{e \in P} x_{eg} \ge p_{\min}`, :math:`\sum_{e \in O} x_{eg} \ge o_{\min}`;
- organisation kinds: a boolean :math:`k_{qg} \le \sum_{e \in q} x_{eg}` per kind :math:`q`,
  :math:`\sum_q k_{qg} \ge` ``min_org_kinds``; per organisation
  :math:`\sum_{e \in o} x_{eg} \le` ``max_per_organisation``;
- province and declared conflicts, linearised pairwise: :math:`x_{eg} + y_{bg} \le 1` for every
  base :math:`b` in the expert's province or declared by the expert, and every group;
- each expert in at most ``max_panels`` groups: :math:`\sum_g x_{eg} \le m_e`.

Objective, maximised: :math:`\sum_b \sum_{t \in T_b} \min(2, n_{t,g(b)})`, with
:math:`n_{tg}` the number of experts of group :math:`g` holding tag :math:`t`. It is summed by
group and tag: with :math:`m_{tg} = \sum_{b \ni t} y_{bg}` the group's bases holding :math:`t`
and booleans :math:`c^1_{tg} \ge c^2_{tg}` ("at least one / two experts hold :math:`t`",
:math:`c^1_{tg} + c^2_{tg} \le n_{tg}`), the products :math:`v^k_{tg} = c^k_{tg} m_{tg}` are
linearised as :math:`v^k_{tg} \le m_{tg}`, :math:`v^k_{tg} \le M_t c^k_{tg}`
(:math:`M_t` = most bases of tag :math:`t` in one group), and the objective is
:math:`\sum_{t,g} v^1_{tg} + v^2_{tg}`: :math:`O(TG)` auxiliaries instead of one per base, tag and
group.

Upper bound, given to the solver as a constraint on the objective: for each base and tag,
:math:`\min(2, \text{experts holding the tag who may sit with the base})`, summed; and per
tag at most :math:`M_t` times the tag's expert seats (:math:`\sum_e \min(m_e, G)`).

Search
------
The full model's LP bound is weak and its search slow on campaigns of 200 bases, so it is not
searched first. A greedy grouping (``_greedy``) is improved by a decomposition
(``_search``): every base is re-allocated with the panels' experts fixed, a transportation
problem where base :math:`b` in group :math:`g` is worth :math:`\sum_{t \in T_b} \min(2,
n_{tg})` (``_rebase``, solved exactly in a second or two); then large-neighbourhood search
re-solves two to five groups at a time with CP-SAT (their bases and experts free, the other
groups and the experts' remaining ``max_panels`` fixed; ``_neighbourhood``), re-allocating all
bases again after improvements. When the grouping reaches the upper bound below, or a
neighbourhood covering every group is solved to optimality, it is optimal and returned; else,
after ``SEARCH_SHARE`` of the time, the full model is hinted with it and solved for the rest,
to improve it and to bound the optimum. Every step keeps the hard rules, so the checker holds
for any grouping returned.

Symmetry: groups are interchangeable, so they are ordered by their smallest base index: with
prefix booleans :math:`p_{bg}` ("group :math:`g` holds a base of index :math:`\le b`"),
:math:`y_{bg} \le p_{b-1,g-1}`; base 0 is in group 0 and base :math:`b` in a group
:math:`\le b`.

Determinism
-----------
CP-SAT's parallel portfolio is not reproducible run to run. ``num_workers`` (default 8) workers
run with ``interleave_search``, which schedules them in deterministic batches, and
``random_seed`` is the config's ``seed``: the same instance and config give the same panels
when the search ends by proof of optimality or by ``work_limit`` (CP-SAT's deterministic time).
A search cut by the wall-clock ``time_limit`` stops wherever the machine has got to; set
``work_limit`` where reproducibility matters more than wall-clock time. The decomposition
solves each sub-model with one worker and the config's seed, draws its neighbourhoods from a
generator seeded with ``seed``, and, with ``work_limit``, limits each sub-model and itself
(``SEARCH_SHARE`` of ``work_limit``) by deterministic time only; the full model gets the rest of
``work_limit``.

Diagnosis
---------
Before searching, ``panels_check`` tests necessary conditions (seats against ``max_panels``,
professional and operational seats, organisation kinds, organisations, the experts who may sit
with each base) and names the rule that fails. When CP-SAT proves infeasibility all the same,
each rule is dropped in turn and the rules whose removal alone makes the instance feasible are
named.
"""

import enum
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from mieval.core.panels.vocabulary import ExpertRole, OrganisationKind
from mieval.core.reference import PROVINCE_BY_CODE


class FormationRule(enum.StrEnum):
    """The hard rules of panel formation (and the soft objective) that messages name; an
    analyst's pin or ban of one expert is the model ``panels.models.PanelRule``."""

    GROUPS = "groups"
    CAPACITY = "capacity"
    MIN_SIZE = "min_size"
    MAX_SIZE = "max_size"
    MIN_PROFESSIONAL = "min_professional"
    MIN_OPERATIONAL = "min_operational"
    MIN_ORG_KINDS = "min_org_kinds"
    MAX_PER_ORGANISATION = "max_per_organisation"
    PROVINCE = "province"
    CONFLICT = "conflict"
    BALANCE = "balance"
    MAX_PANELS = "max_panels"
    TIME_LIMIT = "time_limit"
    FIELD_COVERAGE = "field_coverage"


class PanelStatus(enum.StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


# Rules dropped one at a time when CP-SAT proves infeasibility without a known cause.
RELAXABLE_RULES = (
    FormationRule.PROVINCE,
    FormationRule.CONFLICT,
    FormationRule.MIN_ORG_KINDS,
    FormationRule.MAX_PER_ORGANISATION,
    FormationRule.MIN_PROFESSIONAL,
    FormationRule.MIN_OPERATIONAL,
    FormationRule.MIN_SIZE,
    FormationRule.MAX_SIZE,
    FormationRule.MAX_PANELS,
    FormationRule.BALANCE,
)
# Wall-clock seconds for each relaxed model (they only need a feasible point).
RELAX_TIME_LIMIT = 10.0
FIELD_CAP = 2
# Share of time_limit (and of work_limit) given to the large-neighbourhood search; the full
# model, hinted with its best grouping, gets the rest to improve it and to bound the optimum.
SEARCH_SHARE = 0.8
# Limits of one neighbourhood's solve: wall-clock seconds, or deterministic seconds when
# work_limit is set (then only the deterministic limit applies, for reproducibility).
NEIGHBOURHOOD_SECONDS = 1.0
NEIGHBOURHOOD_WORK = 1.0
# Limits of re-allocating every base with the panels' experts fixed.
REBASE_SECONDS = 10.0
REBASE_WORK = 10.0
# Fruitless neighbourhoods after an improvement before every base is re-allocated again.
REBASE_AFTER = 5


@dataclass(frozen=True)
class PanelConfig:
    """The settings of ``mieval panels`` (``DESIGN.md``), with their defaults.

    ``groups`` ``None`` means bases / 3, rounded up. ``num_workers`` and ``work_limit``
    (deterministic seconds, ``None`` for none) go beyond the design's keys and serve
    reproducibility (see the module docstring).
    """

    groups: int | None = None
    min_size: int = 5
    max_size: int = 7
    min_professional: int = 2
    min_operational: int = 1
    min_org_kinds: int = 2
    max_per_organisation: int = 1
    time_limit: float = 60.0
    seed: int = 0
    num_workers: int = 8
    work_limit: float | None = None

    def __post_init__(self) -> None:
        problems = config_problems(self)
        if problems:
            raise ValueError("; ".join(f"{key}: {text}" for key, text in problems))

    def group_count(self, bases: int) -> int:
        return self.groups if self.groups is not None else max(1, math.ceil(bases / 3))


#: The largest value of each setting. Far beyond any evaluation (a few hundred bases and
#: experts, panels of 5 to 7), so that a typo cannot make the solver build a model it cannot
#: hold or search for hours; CP-SAT's ``random_seed`` is a signed 32-bit integer.
CONFIG_MAXIMA = {
    "groups": 1000,
    "min_size": 100,
    "max_size": 100,
    "min_professional": 100,
    "min_operational": 100,
    "min_org_kinds": 100,
    "max_per_organisation": 100,
    "seed": 2**31 - 1,
    "num_workers": 64,
    "time_limit": 3600,
    "work_limit": 3600,
}

_INTEGER_KEYS = (
    "groups",
    "min_size",
    "max_size",
    "min_professional",
    "min_operational",
    "min_org_kinds",
    "max_per_organisation",
    "seed",
    "num_workers",
)


def config_problems(config: PanelConfig) -> list[tuple[str, str]]:
    """(key, reason) for every setting that is not allowed, in key order."""
    out = []
    for key in _INTEGER_KEYS:
        value = getattr(config, key)
        if value is None and key == "groups":
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            out.append((key, f"{value!r} is not a whole number"))
        elif value < (1 if key in ("groups", "num_workers", "max_per_organisation") else 0):
            least = 1 if key in ("groups", "num_workers", "max_per_organisation") else 0
            out.append((key, f"{value} is too small; use {least} or more"))
        elif value > CONFIG_MAXIMA[key]:
            out.append((key, f"{value} is too large; use {CONFIG_MAXIMA[key]} or less"))
    for key in ("time_limit", "work_limit"):
        value = getattr(config, key)
        if value is None and key == "work_limit":
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            out.append((key, f"{value!r} is not allowed; use a number of seconds above 0"))
        elif not value <= CONFIG_MAXIMA[key]:  # inf too
            out.append((key, f"{value!r} is too large; use at most {CONFIG_MAXIMA[key]} seconds"))
    if not out:
        if config.min_size > config.max_size:
            out.append(("min_size", f"{config.min_size} is above max_size = {config.max_size}"))
        for key in ("min_professional", "min_operational"):
            if getattr(config, key) > config.max_size:
                out.append((key, f"{getattr(config, key)} is above max_size = {config.max_size}"))
        if config.min_org_kinds > len(OrganisationKind):
            out.append(
                (
                    "min_org_kinds",
                    f"{config.min_org_kinds} is above the {len(OrganisationKind)} kinds"
                    f" ({', '.join(OrganisationKind)})",
                )
            )
    return out


@dataclass(frozen=True)
class Unmet:
    """A rule that cannot be met (infeasible), or a base's field covered by fewer than two
    experts (``field_coverage``, in a solved result)."""

    rule: FormationRule
    message: str
    base_code: str | None = None
    field: str | None = None
    experts: int | None = None

    def to_json_dict(self) -> dict:
        out: dict = {"rule": str(self.rule), "message": self.message}
        if self.rule == FormationRule.FIELD_COVERAGE:
            out |= {"base": self.base_code, "field": self.field, "experts": self.experts}
        return out


@dataclass(frozen=True)
class FormedPanel:
    """One panel the optimiser formed (numbered from 1): its experts' and bases' codes; stored
    as the model ``panels.models.Panel``."""

    panel: int
    experts: tuple[str, ...]
    bases: tuple[str, ...]


@dataclass(frozen=True)
class Progress:
    """One improving solution: objective, best bound, wall-clock seconds since the start."""

    objective: float
    bound: float
    seconds: float


@dataclass
class PanelResult:
    """The panels found (numbered from 1), or the rules that cannot be met."""

    status: PanelStatus
    objective: int | None
    bound: int | None
    panels: list[FormedPanel] = field(default_factory=list)
    unmet: list[Unmet] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def gap(self) -> float | None:
        """(bound - objective) / bound; 0 when both are 0; None without a solution."""
        if self.objective is None or self.bound is None:
            return None
        if self.bound == 0:
            return 0.0
        return (self.bound - self.objective) / self.bound

    def to_json_dict(self) -> dict:
        return {
            "status": str(self.status),
            "objective": self.objective,
            "bound": self.bound,
            "panels": [
                {"panel": p.panel, "experts": list(p.experts), "bases": list(p.bases)}
                for p in self.panels
            ],
            "unmet": [u.to_json_dict() for u in self.unmet],
        }


# --- the instance ----------------------------------------------------------------------------


def split_codes(value: object) -> tuple[str, ...]:
    """';'-separated text (or a tuple) as a tuple of distinct, stripped codes, in order."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    parts = value if isinstance(value, tuple | list) else str(value).split(";")
    out: list[str] = []
    for part in parts:
        code = str(part).strip()
        if code and code not in out:
            out.append(code)
    return tuple(out)


@dataclass
class _Instance:
    """The frames as index lists: bases 0..B-1 and experts 0..E-1 in input order."""

    base_codes: list[str]
    base_province: list[str]
    base_tags: list[tuple[str, ...]]
    expert_codes: list[str]
    expert_org: list[str]
    expert_kind: list[str]
    expert_province: list[str]
    expert_tags: list[frozenset[str]]
    professional: list[bool]
    operational: list[bool]
    max_panels: list[int]
    province_forbidden: list[set[int]]  # expert -> bases in the expert's province
    conflict_forbidden: list[set[int]]  # expert -> bases declared, not already by province
    # (expert, group) pairs fixed by an analyst: x[e][g] = 1 (pinned) or 0 (forbidden).
    pinned: list[tuple[int, int]] = field(default_factory=list)
    forbidden: list[tuple[int, int]] = field(default_factory=list)

    @property
    def bases(self) -> int:
        return len(self.base_codes)

    @property
    def experts(self) -> int:
        return len(self.expert_codes)


def _require(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(missing)}")


def _instance(
    bases: pd.DataFrame,
    experts: pd.DataFrame,
    organisations: pd.DataFrame,
    conflicts: pd.DataFrame | None,
) -> _Instance:
    _require(bases, ("code", "province"), "bases")
    _require(
        experts, ("code", "organisation", "province", "fields", "roles", "max_panels"), "experts"
    )
    _require(organisations, ("code", "kind"), "organisations")
    kind_of = dict(zip(organisations["code"].astype(str), organisations["kind"], strict=True))
    base_codes = [str(c) for c in bases["code"]]
    base_index = {code: i for i, code in enumerate(base_codes)}
    base_province = [str(p) for p in bases["province"]]
    tags_column = bases["fields"] if "fields" in bases.columns else [()] * len(bases)
    expert_codes = [str(c) for c in experts["code"]]
    expert_index = {code: i for i, code in enumerate(expert_codes)}
    expert_org = [str(o) for o in experts["organisation"]]
    unknown = sorted({o for o in expert_org if o not in kind_of})
    if unknown:
        raise ValueError(f"experts: unknown organisation code(s) {', '.join(unknown)}")
    roles = [split_codes(r) for r in experts["roles"]]
    expert_province = [str(p) for p in experts["province"]]
    by_province: dict[str, set[int]] = {}
    for b, province in enumerate(base_province):
        by_province.setdefault(province, set()).add(b)
    province_forbidden = [set(by_province.get(p, set())) for p in expert_province]
    conflict_forbidden: list[set[int]] = [set() for _ in expert_codes]
    if conflicts is not None:
        _require(conflicts, ("expert_code", "base_code"), "conflicts")
        for expert_code, base_code in zip(
            conflicts["expert_code"], conflicts["base_code"], strict=True
        ):
            if expert_code not in expert_index or base_code not in base_index:
                raise ValueError(f"conflicts: unknown expert '{expert_code}' or base '{base_code}'")
            e, b = expert_index[expert_code], base_index[base_code]
            if b not in province_forbidden[e]:
                conflict_forbidden[e].add(b)
    return _Instance(
        base_codes=base_codes,
        base_province=base_province,
        base_tags=[split_codes(t) for t in tags_column],
        expert_codes=expert_codes,
        expert_org=expert_org,
        expert_kind=[str(kind_of[o]) for o in expert_org],
        expert_province=expert_province,
        expert_tags=[frozenset(split_codes(t)) for t in experts["fields"]],
        professional=[ExpertRole.PROFESSIONAL in r for r in roles],
        operational=[ExpertRole.OPERATIONAL in r for r in roles],
        max_panels=[int(m) for m in experts["max_panels"]],
        province_forbidden=province_forbidden,
        conflict_forbidden=conflict_forbidden,
    )


def _province_label(code: str) -> str:
    province = PROVINCE_BY_CODE.get(code)
    return f"{province.name_en} {province.name_zh}" if province else code


# --- necessary conditions --------------------------------------------------------------------


def _check(inst: _Instance, config: PanelConfig) -> list[Unmet]:
    G = config.group_count(inst.bases)
    out: list[Unmet] = []
    if inst.bases < G:
        out.append(
            Unmet(
                FormationRule.GROUPS,
                f"groups: {G} groups for {inst.bases} bases; every group needs a base, so use at"
                f" most {inst.bases} groups",
            )
        )
        return out
    seats = [min(m, G) for m in inst.max_panels]
    total = sum(seats)
    if total < G * config.min_size:
        out.append(
            Unmet(
                FormationRule.CAPACITY,
                f"capacity: {G} groups of at least min_size = {config.min_size} need"
                f" {G * config.min_size} expert seats, the experts' max_panels give only {total}",
            )
        )
    for rule, flags, least, noun in (
        (
            FormationRule.MIN_PROFESSIONAL,
            inst.professional,
            config.min_professional,
            "professional",
        ),
        (FormationRule.MIN_OPERATIONAL, inst.operational, config.min_operational, "operational"),
    ):
        available = sum(s for s, flag in zip(seats, flags, strict=True) if flag)
        if available < G * least:
            out.append(
                Unmet(
                    rule,
                    f"{rule}: {G} groups need {G * least} {noun} expert seats ({least} each),"
                    f" only {available} available",
                )
            )
    kind_seats: dict[str, int] = {}
    for kind, s in zip(inst.expert_kind, seats, strict=True):
        kind_seats[kind] = kind_seats.get(kind, 0) + s
    kinds_usable = sum(min(G, s) for s in kind_seats.values())
    if len(kind_seats) < config.min_org_kinds or kinds_usable < G * config.min_org_kinds:
        present = ", ".join(sorted(kind_seats)) or "none"
        out.append(
            Unmet(
                FormationRule.MIN_ORG_KINDS,
                f"min_org_kinds: every group needs experts of {config.min_org_kinds} organisation"
                f" kinds; the experts come from {len(kind_seats)} kind(s) ({present}) giving"
                f" {kinds_usable} of the {G * config.min_org_kinds} kind places needed",
            )
        )
    org_seats: dict[str, int] = {}
    for org, s in zip(inst.expert_org, seats, strict=True):
        org_seats[org] = org_seats.get(org, 0) + s
    usable = sum(min(G * config.max_per_organisation, s) for s in org_seats.values())
    per_group = len(org_seats) * config.max_per_organisation
    if per_group < config.min_size or usable < G * config.min_size:
        out.append(
            Unmet(
                FormationRule.MAX_PER_ORGANISATION,
                f"max_per_organisation: with at most {config.max_per_organisation} expert(s) of"
                f" one organisation, the {len(org_seats)} organisations fill {usable} of the"
                f" {G * config.min_size} seats of {G} groups of min_size = {config.min_size}",
            )
        )
    if not out:
        out += _check_bases(inst, config)
    return out


def _check_bases(inst: _Instance, config: PanelConfig) -> list[Unmet]:
    """The experts who may sit with each base must be able to form a group on their own."""
    out = []
    for b, code in enumerate(inst.base_codes):
        for rule in (FormationRule.PROVINCE, FormationRule.CONFLICT):
            eligible = [
                e
                for e in range(inst.experts)
                if b not in inst.province_forbidden[e]
                and (rule == FormationRule.PROVINCE or b not in inst.conflict_forbidden[e])
            ]
            shortfall = _group_shortfall(inst, config, eligible)
            if shortfall is None:
                continue
            where = _province_label(inst.base_province[b])
            if rule == FormationRule.PROVINCE:
                text = (
                    f"province rule: no group can take base {code} ({where}): of the"
                    f" {inst.experts} experts, {len(eligible)} are from another province, and"
                    f" {shortfall}"
                )
            else:
                text = (
                    f"conflict rule: no group can take base {code} ({where}): after the declared"
                    f" conflicts, {len(eligible)} experts may sit with it, and {shortfall}"
                )
            out.append(Unmet(rule, text, base_code=code))
            break
    return out


def _group_shortfall(inst: _Instance, config: PanelConfig, eligible: list[int]) -> str | None:
    orgs = {inst.expert_org[e] for e in eligible}
    kinds = {inst.expert_kind[e] for e in eligible}
    professional = sum(inst.professional[e] for e in eligible)
    operational = sum(inst.operational[e] for e in eligible)
    if len(eligible) < config.min_size:
        return f"a group needs min_size = {config.min_size}"
    if professional < config.min_professional:
        return f"{professional} of them are professional, a group needs {config.min_professional}"
    if operational < config.min_operational:
        return f"{operational} of them are operational, a group needs {config.min_operational}"
    if len(kinds) < config.min_org_kinds:
        return (
            f"they come from {len(kinds)} organisation kind(s), a group needs"
            f" {config.min_org_kinds}"
        )
    if len(orgs) * config.max_per_organisation < config.min_size:
        return (
            f"they come from {len(orgs)} organisation(s) with at most"
            f" {config.max_per_organisation} each, a group needs {config.min_size}"
        )
    return None


def panels_check(
    bases: pd.DataFrame,
    experts: pd.DataFrame,
    organisations: pd.DataFrame,
    conflicts: pd.DataFrame | None = None,
    config: PanelConfig | None = None,
) -> list[Unmet]:
    """Necessary conditions of the hard rules that fail, each naming its rule; [] if none.

    An empty list does not prove feasibility: ``panels_form`` searches and, failing, relaxes.
    """
    config = config or PanelConfig()
    return _check(_instance(bases, experts, organisations, conflicts), config)


# --- the model -------------------------------------------------------------------------------


def _cp_model():
    from ortools.sat.python import cp_model

    return cp_model


@dataclass
class _Model:
    model: object
    x: list[list[object]]
    y: list[list[object]]
    objective: object | None
    bound: int


def _objective_bound(inst: _Instance, config: PanelConfig, per_group: int) -> int:
    """Sum over bases and tags of min(2, experts with the tag allowed with the base), capped per
    tag by its expert seats times the most bases of the tag one group can hold."""
    G = config.group_count(inst.bases)
    holders: dict[str, list[int]] = {}
    for e, tags in enumerate(inst.expert_tags):
        for t in tags:
            holders.setdefault(t, []).append(e)
    per_tag: dict[str, int] = {}
    count: dict[str, int] = {}
    for b, tags in enumerate(inst.base_tags):
        for t in tags:
            allowed = sum(
                1
                for e in holders.get(t, ())
                if b not in inst.province_forbidden[e] and b not in inst.conflict_forbidden[e]
            )
            per_tag[t] = per_tag.get(t, 0) + min(FIELD_CAP, allowed)
            count[t] = count.get(t, 0) + 1
    total = 0
    for t, value in per_tag.items():
        seats = sum(min(inst.max_panels[e], G) for e in holders.get(t, ()))
        total += min(value, min(count[t], per_group) * seats)
    return total


def _build(
    inst: _Instance,
    config: PanelConfig,
    relax: frozenset[FormationRule] = frozenset(),
    *,
    with_objective: bool = True,
) -> _Model:
    cp_model = _cp_model()
    model = cp_model.CpModel()
    B, E, G = inst.bases, inst.experts, config.group_count(inst.bases)
    x = [[model.NewBoolVar(f"x_{e}_{g}") for g in range(G)] for e in range(E)]
    y = [[model.NewBoolVar(f"y_{b}_{g}") for g in range(G)] for b in range(B)]
    for b in range(B):
        model.AddExactlyOne(y[b])
    low, high = B // G, -(-B // G)
    if FormationRule.BALANCE in relax:
        low, high = 1, B
    for g in range(G):
        model.AddLinearConstraint(sum(y[b][g] for b in range(B)), low, high)
        size = sum(x[e][g] for e in range(E))
        if FormationRule.MIN_SIZE not in relax:
            model.Add(size >= config.min_size)
        if FormationRule.MAX_SIZE not in relax:
            model.Add(size <= config.max_size)
        if FormationRule.MIN_PROFESSIONAL not in relax:
            model.Add(
                sum(x[e][g] for e in range(E) if inst.professional[e]) >= config.min_professional
            )
        if FormationRule.MIN_OPERATIONAL not in relax:
            model.Add(
                sum(x[e][g] for e in range(E) if inst.operational[e]) >= config.min_operational
            )
        if FormationRule.MIN_ORG_KINDS not in relax and config.min_org_kinds > 0:
            present = []
            for kind in OrganisationKind:
                members = [x[e][g] for e in range(E) if inst.expert_kind[e] == kind]
                if not members:
                    continue
                flag = model.NewBoolVar(f"k_{kind}_{g}")
                model.Add(flag <= sum(members))
                present.append(flag)
            model.Add(sum(present) >= config.min_org_kinds)
        if FormationRule.MAX_PER_ORGANISATION not in relax:
            by_org: dict[str, list] = {}
            for e in range(E):
                by_org.setdefault(inst.expert_org[e], []).append(x[e][g])
            for members in by_org.values():
                if len(members) > config.max_per_organisation:
                    model.Add(sum(members) <= config.max_per_organisation)
    for e in range(E):
        forbidden: set[int] = set()
        if FormationRule.PROVINCE not in relax:
            forbidden |= inst.province_forbidden[e]
        if FormationRule.CONFLICT not in relax:
            forbidden |= inst.conflict_forbidden[e]
        for b in sorted(forbidden):
            for g in range(G):
                model.AddBoolOr([x[e][g].Not(), y[b][g].Not()])
        if FormationRule.MAX_PANELS not in relax and inst.max_panels[e] < G:
            model.Add(sum(x[e]) <= inst.max_panels[e])
    for e, g in inst.pinned:
        model.Add(x[e][g] == 1)
    for e, g in inst.forbidden:
        model.Add(x[e][g] == 0)
    # Pins and forbids name groups by number, so the groups are no longer interchangeable.
    if not inst.pinned and not inst.forbidden:
        _break_symmetry(model, y, B, G)
    objective, bound = None, 0
    if with_objective:
        objective, bound = _objective(model, inst, config, x, y, high)
    return _Model(model, x, y, objective, bound)


def _break_symmetry(model, y, B: int, G: int) -> None:
    """Order the groups by their smallest base: y[b][g] <= p[b-1][g-1], where p[b][g] is true
    exactly when group g holds a base of index <= b."""
    prefix = [[None] * G for _ in range(B)]
    for g in range(G - 1):
        for b in range(B):
            p = model.NewBoolVar(f"p_{b}_{g}")
            if b == 0:
                model.Add(p == y[0][g])
            else:
                previous = prefix[b - 1][g]
                model.AddImplication(previous, p)
                model.AddImplication(y[b][g], p)
                model.AddBoolOr([previous, y[b][g], p.Not()])
            prefix[b][g] = p
    for g in range(1, G):
        model.Add(y[0][g] == 0)
        for b in range(1, B):
            model.AddImplication(y[b][g], prefix[b - 1][g - 1])


def _objective(model, inst: _Instance, config: PanelConfig, x, y, per_group: int):
    G = config.group_count(inst.bases)
    bases_with: dict[str, list[int]] = {}
    for b, tags in enumerate(inst.base_tags):
        for t in tags:
            bases_with.setdefault(t, []).append(b)
    terms = []
    for t in sorted(bases_with):
        holders = [e for e in range(inst.experts) if t in inst.expert_tags[e]]
        if not holders:
            continue
        most = min(len(bases_with[t]), per_group)
        for g in range(G):
            held = sum(x[e][g] for e in holders)
            covered = sum(y[b][g] for b in bases_with[t])
            levels = [model.NewBoolVar(f"c1_{t}_{g}")]
            if len(holders) >= FIELD_CAP:
                levels.append(model.NewBoolVar(f"c2_{t}_{g}"))
                model.AddImplication(levels[1], levels[0])
            model.Add(sum(levels) <= held)
            for k, level in enumerate(levels, start=1):
                v = model.NewIntVar(0, most, f"v{k}_{t}_{g}")
                model.Add(v <= covered)
                model.Add(v <= most * level)
                terms.append(v)
    objective = sum(terms)
    bound = _objective_bound(inst, config, per_group)
    model.Add(objective <= bound)
    model.Maximize(objective)
    return objective, bound


def _greedy(inst: _Instance, config: PanelConfig) -> list[tuple[list[int], list[int]]] | None:
    """A grouping built greedily, to hint the solver: (experts, bases) per group, groups ordered
    by their smallest base as the symmetry breaking requires; None if the greedy gets stuck.

    Bases are dealt in province order, in consecutive runs, so that a group's bases share few
    provinces; the groups that exclude the most experts are then filled first, taking the
    experts needed for roles and kinds, then those who add most to the fields' coverage.
    """
    B, G = inst.bases, config.group_count(inst.bases)
    order = sorted(range(B), key=lambda b: (inst.base_province[b], b))
    low, extra = divmod(B, G)
    groups_bases, start = [], 0
    for g in range(G):
        size = low + (1 if g < extra else 0)
        groups_bases.append(order[start : start + size])
        start += size
    left = list(inst.max_panels)
    allowed = []
    for held in groups_bases:
        allowed.append(
            [
                e
                for e in range(inst.experts)
                if not any(
                    b in inst.province_forbidden[e] or b in inst.conflict_forbidden[e] for b in held
                )
            ]
        )
    members: list[list[int]] = [[] for _ in range(G)]
    for g in sorted(range(G), key=lambda g: (len(allowed[g]), g)):
        wanted: dict[str, int] = {}
        for b in groups_bases[g]:
            for t in inst.base_tags[b]:
                wanted[t] = wanted.get(t, 0) + 1
        chosen: list[int] = []
        per_org: dict[str, int] = {}

        def gain(e: int, chosen=chosen, wanted=wanted) -> int:
            total = 0
            for t in inst.expert_tags[e]:
                if t in wanted and sum(t in inst.expert_tags[c] for c in chosen) < FIELD_CAP:
                    total += wanted[t]
            return total

        def need(e: int, chosen=chosen) -> int:
            professional = sum(inst.professional[c] for c in chosen)
            operational = sum(inst.operational[c] for c in chosen)
            kinds = {inst.expert_kind[c] for c in chosen}
            score = 0
            if inst.professional[e] and professional < config.min_professional:
                score += 1
            if inst.operational[e] and operational < config.min_operational:
                score += 1
            if inst.expert_kind[e] not in kinds and len(kinds) < config.min_org_kinds:
                score += 1
            return score

        while len(chosen) < config.max_size:
            candidates = [
                e
                for e in allowed[g]
                if left[e] > 0
                and e not in chosen
                and per_org.get(inst.expert_org[e], 0) < config.max_per_organisation
            ]
            if not candidates:
                break
            best = max(candidates, key=lambda e: (need(e), gain(e), left[e], -e))
            if len(chosen) >= config.min_size and gain(best) == 0:
                break
            chosen.append(best)
            left[best] -= 1
            per_org[inst.expert_org[best]] = per_org.get(inst.expert_org[best], 0) + 1
        members[g] = chosen
    groups = sorted(zip(members, groups_bases, strict=True), key=lambda mb: min(mb[1]))
    ok = all(
        len(m) >= config.min_size
        and sum(inst.professional[e] for e in m) >= config.min_professional
        and sum(inst.operational[e] for e in m) >= config.min_operational
        and len({inst.expert_kind[e] for e in m}) >= config.min_org_kinds
        for m, _ in groups
    )
    return groups if ok else None


def _hint(built: _Model, groups: list[tuple[list[int], list[int]]], config: PanelConfig) -> None:
    """Hint every variable: the grouping fixes x and y, a short solve of a copy of the model
    completes the auxiliaries. CP-SAT takes a complete, feasible hint as its first solution;
    a partial one it may never reach."""
    cp_model = _cp_model()
    completion = built.model.Clone()
    fixed = []
    for g, (members, held) in enumerate(groups):
        members_set, held_set = set(members), set(held)
        for e, row in enumerate(built.x):
            fixed.append((row[g].Index(), int(e in members_set)))
        for b, row in enumerate(built.y):
            fixed.append((row[g].Index(), int(b in held_set)))
    for index, value in fixed:
        completion.Add(completion.GetIntVarFromProtoIndex(index) == value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = config.seed
    solver.parameters.max_time_in_seconds = min(RELAX_TIME_LIMIT, config.time_limit)
    if solver.Solve(completion) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return
    values = solver.ResponseProto().solution
    for index, value in enumerate(values):
        built.model.AddHint(built.model.GetIntVarFromProtoIndex(index), value)


def _solver(config: PanelConfig, time_limit: float):
    cp_model = _cp_model()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.random_seed = config.seed
    solver.parameters.num_workers = config.num_workers
    # Reproducible parallel search: workers run in deterministic, interleaved batches.
    solver.parameters.interleave_search = config.num_workers > 1
    if config.work_limit is not None:
        solver.parameters.max_deterministic_time = float(config.work_limit)
    return solver


# --- decomposition and large-neighbourhood search ---------------------------------------------


def _allowed(inst: _Instance, e: int, held: Iterable[int]) -> bool:
    return not any(b in inst.province_forbidden[e] or b in inst.conflict_forbidden[e] for b in held)


def _value(inst: _Instance, groups: list[tuple[list[int], list[int]]]) -> int:
    total = 0
    for members, held in groups:
        for b in held:
            for t in inst.base_tags[b]:
                total += min(FIELD_CAP, sum(t in inst.expert_tags[e] for e in members))
    return total


def _group_rules(model, inst: _Instance, config: PanelConfig, xs: dict[int, object]) -> None:
    """Size, roles, organisation kinds and organisations of one group whose candidate experts
    are the keys of ``xs``."""
    model.AddLinearConstraint(sum(xs.values()), config.min_size, config.max_size)
    model.Add(sum(v for e, v in xs.items() if inst.professional[e]) >= config.min_professional)
    model.Add(sum(v for e, v in xs.items() if inst.operational[e]) >= config.min_operational)
    if config.min_org_kinds > 0:
        present = []
        for kind in OrganisationKind:
            members = [v for e, v in xs.items() if inst.expert_kind[e] == kind]
            if members:
                flag = model.NewBoolVar("")
                model.Add(flag <= sum(members))
                present.append(flag)
        model.Add(sum(present) >= config.min_org_kinds)
    by_org: dict[str, list] = {}
    for e, v in xs.items():
        by_org.setdefault(inst.expert_org[e], []).append(v)
    for members in by_org.values():
        if len(members) > config.max_per_organisation:
            model.Add(sum(members) <= config.max_per_organisation)


def _sub_solve(model, config: PanelConfig, seconds: float, work: float | None):
    """One single-worker (deterministic) solve; (solver, ok, deterministic time used)."""
    cp_model = _cp_model()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = config.seed
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    if work is not None:
        solver.parameters.max_deterministic_time = max(0.01, work)
    status = solver.Solve(model)
    spent = solver.ResponseProto().deterministic_time
    return solver, status, spent


def _neighbourhood(
    inst: _Instance,
    config: PanelConfig,
    groups: list[tuple[list[int], list[int]]],
    free: list[int],
    move_bases: bool,
    seconds: float,
    work: float | None,
):
    """Re-solve the groups ``free`` jointly, the others fixed: their experts (within what the
    other groups leave of each expert's max_panels) and, if ``move_bases``, which of their
    bases each holds (balance kept). Returns (new groups or None, deterministic time)."""
    cp_model = _cp_model()
    model = cp_model.CpModel()
    G = len(groups)
    low, high = inst.bases // G, -(-inst.bases // G)
    used = [0] * inst.experts
    for g, (members, _) in enumerate(groups):
        if g not in free:
            for e in members:
                used[e] += 1
    pool = [b for g in free for b in groups[g][1]]
    y: dict[tuple[int, int], object] = {}
    x: dict[tuple[int, int], object] = {}
    for g in free:
        held = groups[g][1]
        for b in pool if move_bases else held:
            y[b, g] = model.NewBoolVar("") if move_bases else model.NewConstant(1)
        for e in range(inst.experts):
            if used[e] >= inst.max_panels[e]:
                continue
            if not move_bases and not _allowed(inst, e, held):
                continue
            x[e, g] = model.NewBoolVar("")
            if move_bases:
                for b in pool:
                    if b in inst.province_forbidden[e] or b in inst.conflict_forbidden[e]:
                        model.AddBoolOr([x[e, g].Not(), y[b, g].Not()])
        _group_rules(model, inst, config, {e: v for (e, h), v in x.items() if h == g})
        if move_bases:
            model.AddLinearConstraint(sum(y[b, g] for b in pool), low, high)
    if move_bases:
        for b in pool:
            model.AddExactlyOne(y[b, g] for g in free)
    for e in range(inst.experts):
        seats = [x[e, g] for g in free if (e, g) in x]
        if len(seats) > inst.max_panels[e] - used[e]:
            model.Add(sum(seats) <= inst.max_panels[e] - used[e])
    terms = []
    tags = sorted({t for b in pool for t in inst.base_tags[b]})
    for g in free:
        bases_here = pool if move_bases else groups[g][1]
        for t in tags:
            with_t = [b for b in bases_here if t in inst.base_tags[b]]
            holders = [v for (e, h), v in x.items() if h == g and t in inst.expert_tags[e]]
            if not with_t or not holders:
                continue
            levels = [model.NewBoolVar("")]
            if len(holders) >= FIELD_CAP:
                levels.append(model.NewBoolVar(""))
                model.AddImplication(levels[1], levels[0])
            model.Add(sum(levels) <= sum(holders))
            if not move_bases:
                terms += [len(with_t) * level for level in levels]
                continue
            most = min(len(with_t), high)
            for level in levels:
                v = model.NewIntVar(0, most, "")
                model.Add(v <= sum(y[b, g] for b in with_t))
                model.Add(v <= most * level)
                terms.append(v)
    model.Maximize(sum(terms))
    current = _value(inst, [groups[g] for g in free])
    model.Add(sum(terms) >= current)
    for g in free:
        members, held = groups[g]
        for e in members:
            if (e, g) in x:
                model.AddHint(x[e, g], 1)
        for (e, h), v in x.items():
            if h == g and e not in members:
                model.AddHint(v, 0)
        if move_bases:
            for b in pool:
                model.AddHint(y[b, g], int(b in held))
    solver, status, spent = _sub_solve(model, config, seconds, work)
    proved = status == cp_model.OPTIMAL
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.ObjectiveValue() <= current:
        return None, spent, proved
    out = list(groups)
    for g in free:
        members = sorted(e for (e, h), v in x.items() if h == g and solver.Value(v))
        held = sorted(b for b in pool if solver.Value(y[b, g])) if move_bases else groups[g][1]
        out[g] = (members, held)
    return out, spent, proved


def _rebase(
    inst: _Instance,
    config: PanelConfig,
    groups: list[tuple[list[int], list[int]]],
    seconds: float,
    work: float | None,
):
    """Re-allocate every base with the panels' experts fixed (a transportation problem: base
    b in group g is worth its fields' coverage there); (new groups or None, deterministic
    time)."""
    cp_model = _cp_model()
    model = cp_model.CpModel()
    G = len(groups)
    low, high = inst.bases // G, -(-inst.bases // G)
    y: dict[tuple[int, int], object] = {}
    terms = []
    for g, (members, held) in enumerate(groups):
        for b in range(inst.bases):
            if not all(_allowed(inst, e, (b,)) for e in members):
                continue
            y[b, g] = model.NewBoolVar("")
            worth = sum(
                min(FIELD_CAP, sum(t in inst.expert_tags[e] for e in members))
                for t in inst.base_tags[b]
            )
            terms.append(worth * y[b, g])
            model.AddHint(y[b, g], int(b in held))
    for b in range(inst.bases):
        model.AddExactlyOne(v for (c, _), v in y.items() if c == b)
    for g in range(G):
        model.AddLinearConstraint(sum(v for (_, h), v in y.items() if h == g), low, high)
    model.Maximize(sum(terms))
    current = _value(inst, groups)
    solver, status, spent = _sub_solve(model, config, seconds, work)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.ObjectiveValue() <= current:
        return None, spent
    held = [[] for _ in range(G)]
    for (b, g), v in y.items():
        if solver.Value(v):
            held[g].append(b)
    return [(members, held[g]) for g, (members, _) in enumerate(groups)], spent


def _search(
    inst: _Instance,
    config: PanelConfig,
    groups: list[tuple[list[int], list[int]]],
    bound: int,
    deadline: float,
    work: float | None,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    start: float = 0.0,
) -> tuple[list[tuple[list[int], list[int]]], bool]:
    """Improve a grouping until it meets ``bound``, or ``deadline`` (wall-clock) or ``work``
    (deterministic seconds) is reached: every base re-allocated with the experts fixed
    (``_rebase``), then large-neighbourhood search over a few groups at a time (their bases
    and experts free, the rest fixed; groups drawn by a generator seeded with
    ``config.seed``, the groups short of full coverage first), re-allocating every base again
    after improvements. Returns the grouping and whether it is proved optimal."""
    import random

    rng = random.Random(config.seed)
    G = len(groups)
    spent = 0.0
    value = _value(inst, groups)

    def left() -> tuple[float, float | None]:
        return deadline - time.monotonic(), None if work is None else work - spent

    if on_progress is not None:
        on_progress(Progress(value, bound, time.monotonic() - start))
    size, stale, rebase = min(3, G), 0, True
    while value < bound:
        seconds, budget = left()
        if seconds <= 0.05 or (budget is not None and budget <= 0.01):
            break
        if rebase and (stale >= REBASE_AFTER or stale == 0):
            rebase = False
            new, used = _rebase(
                inst,
                config,
                groups,
                seconds if work is not None else min(seconds, REBASE_SECONDS),
                None if budget is None else min(budget, REBASE_WORK),
            )
            spent += used
            if new is not None:
                groups, value = new, _value(inst, new)
                if on_progress is not None:
                    on_progress(Progress(value, bound, time.monotonic() - start))
            continue
        short = [
            FIELD_CAP * sum(len(inst.base_tags[b]) for b in held) - _value(inst, [(m, held)])
            for m, held in groups
        ]
        weak = [g for g in range(G) if short[g] > 0] or list(range(G))
        first = rng.choice(weak) if rng.random() < 0.7 else rng.randrange(G)
        free = sorted({first, *rng.sample([g for g in range(G) if g != first], size - 1)})
        new, used, proved = _neighbourhood(
            inst,
            config,
            groups,
            free,
            True,
            seconds if work is not None else min(seconds, NEIGHBOURHOOD_SECONDS),
            None if budget is None else min(budget, NEIGHBOURHOOD_WORK),
        )
        spent += used
        if new is not None:
            groups, value, stale, rebase = new, _value(inst, new), 1, True
            if on_progress is not None:
                on_progress(Progress(value, bound, time.monotonic() - start))
        if len(free) == G and proved:
            return groups, True
        if new is None:
            stale += 1
            if stale >= 3 * G and size < min(5, G):
                size, stale = size + 1, 0
    return groups, value >= bound


# --- forming the panels ----------------------------------------------------------------------


def panels_form(
    bases: pd.DataFrame,
    experts: pd.DataFrame,
    organisations: pd.DataFrame,
    conflicts: pd.DataFrame | None = None,
    config: PanelConfig | None = None,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    pinned: Iterable[tuple[str, int]] = (),
    forbidden: Iterable[tuple[str, int]] = (),
) -> PanelResult:
    """Form ``config.groups`` expert panels and allocate every base to one of them.

    Parameters
    ----------
    bases : pandas.DataFrame
        ``code, province`` and optionally ``fields`` (';'-separated tags or tuples).
    experts : pandas.DataFrame
        ``code, organisation, province, fields, roles, max_panels`` (``read_experts``).
    organisations : pandas.DataFrame
        ``code, kind`` (``read_organisations``).
    conflicts : pandas.DataFrame, optional
        ``expert_code, base_code``: declared conflicts.
    config : PanelConfig, optional
        The rules' parameters, the time limit and the seed; defaults as in ``DESIGN.md``.
    on_progress : callable, optional
        Called with a :class:`Progress` for every improving solution.
    pinned, forbidden : iterable of (expert code, panel number), optional
        An analyst's decisions: the expert sits on that panel (numbered from 1), or does not.
        With any of them the groups are no longer interchangeable and the symmetry breaking
        and the greedy hint are left out.

    Returns
    -------
    PanelResult
        ``optimal`` or ``feasible`` with the panels (experts and bases in input order), the
        objective, the best bound, and the bases' fields covered by fewer than two experts in
        ``unmet``; or ``infeasible`` with the rules that cannot be met in ``unmet``; or
        ``unknown`` when the time limit ends the search before any grouping is found. The frames
        are not modified.
    """
    config = config or PanelConfig()
    start = time.monotonic()
    inst = _instance(bases, experts, organisations, conflicts)
    inst.pinned = _decisions(inst, config, pinned, "pinned")
    inst.forbidden = _decisions(inst, config, forbidden, "forbidden")
    unmet = _check(inst, config)
    if unmet:
        return PanelResult(
            PanelStatus.INFEASIBLE, None, None, unmet=unmet, seconds=time.monotonic() - start
        )
    built = _build(inst, config)
    # Pins and forbids name groups by number: the greedy start (and the search built on it)
    # treats groups as interchangeable, so it is left out then.
    greedy = None if inst.pinned or inst.forbidden else _greedy(inst, config)
    work = None if config.work_limit is None else config.work_limit * SEARCH_SHARE
    if greedy is not None:
        greedy, proved = _search(
            inst,
            config,
            greedy,
            built.bound,
            start + config.time_limit * SEARCH_SHARE,
            work,
            on_progress=on_progress,
            start=start,
        )
        greedy.sort(key=lambda group: min(group[1]))
        if proved:
            panels = _panels_of_groups(inst, greedy)
            value = _value(inst, greedy)
            return PanelResult(
                PanelStatus.OPTIMAL,
                value,
                value,
                panels,
                _coverage_unmet(inst, panels, experts),
                time.monotonic() - start,
            )
        _hint(built, greedy, config)
    solver = _solver(config, max(0.5, config.time_limit - (time.monotonic() - start)))
    if config.work_limit is not None:
        solver.parameters.max_deterministic_time = config.work_limit - work
    cp_model = _cp_model()

    class _Callback(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            if on_progress is not None:
                on_progress(
                    Progress(
                        self.ObjectiveValue(),
                        min(self.BestObjectiveBound(), built.bound),
                        self.WallTime(),
                    )
                )

    status = solver.Solve(built.model, _Callback())
    seconds = time.monotonic() - start
    solved = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if solved and greedy is not None and solver.ObjectiveValue() < _value(inst, greedy):
        solved = False
    if solved:
        panels = _panels(inst, solver, built)
        objective = round(solver.ObjectiveValue())
        bound = min(round(solver.BestObjectiveBound()), built.bound)
        return PanelResult(
            PanelStatus.OPTIMAL if status == cp_model.OPTIMAL else PanelStatus.FEASIBLE,
            objective,
            max(bound, objective),
            panels,
            _coverage_unmet(inst, panels, experts),
            seconds,
        )
    if greedy is not None:
        panels = _panels_of_groups(inst, greedy)
        value = _value(inst, greedy)
        bound = built.bound
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            bound = min(bound, round(solver.BestObjectiveBound()))
        return PanelResult(
            PanelStatus.FEASIBLE,
            value,
            max(value, bound),
            panels,
            _coverage_unmet(inst, panels, experts),
            time.monotonic() - start,
        )
    if status == cp_model.INFEASIBLE:
        unmet = _relax(inst, config)
        return PanelResult(
            PanelStatus.INFEASIBLE, None, None, unmet=unmet, seconds=time.monotonic() - start
        )
    return PanelResult(
        PanelStatus.UNKNOWN,
        None,
        None,
        unmet=[
            Unmet(
                FormationRule.TIME_LIMIT,
                f"time_limit: no grouping found within {config.time_limit:g} s, and none proved"
                " impossible; raise time_limit or loosen the rules",
            )
        ],
        seconds=seconds,
    )


def _decisions(
    inst: _Instance, config: PanelConfig, pairs: Iterable[tuple[str, int]], name: str
) -> list[tuple[int, int]]:
    index = {code: e for e, code in enumerate(inst.expert_codes)}
    G = config.group_count(inst.bases)
    out = []
    for code, panel in pairs:
        if code not in index:
            raise ValueError(f"{name}: unknown expert '{code}'")
        if not 1 <= int(panel) <= G:
            raise ValueError(f"{name}: panel {panel} of expert '{code}' is not between 1 and {G}")
        out.append((index[code], int(panel) - 1))
    return out


def _panels(inst: _Instance, solver, built: _Model) -> list[FormedPanel]:
    G = len(built.y[0]) if built.y else 0
    out = []
    for g in range(G):
        members = tuple(
            inst.expert_codes[e] for e in range(inst.experts) if solver.Value(built.x[e][g])
        )
        held = tuple(inst.base_codes[b] for b in range(inst.bases) if solver.Value(built.y[b][g]))
        out.append(FormedPanel(g + 1, members, held))
    return out


def _panels_of_groups(
    inst: _Instance, groups: list[tuple[list[int], list[int]]]
) -> list[FormedPanel]:
    return [
        FormedPanel(
            g + 1,
            tuple(inst.expert_codes[e] for e in sorted(members)),
            tuple(inst.base_codes[b] for b in sorted(held)),
        )
        for g, (members, held) in enumerate(groups)
    ]


def _relax(inst: _Instance, config: PanelConfig) -> list[Unmet]:
    """Drop each rule in turn; name those whose removal alone makes the instance feasible."""
    cp_model = _cp_model()
    found = []
    for rule in RELAXABLE_RULES:
        built = _build(inst, config, frozenset({rule}), with_objective=False)
        solver = _solver(config, min(RELAX_TIME_LIMIT, config.time_limit))
        if solver.Solve(built.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found.append(rule)
    if not found:
        return [
            Unmet(
                FormationRule.CAPACITY,
                "the rules cannot all be met, and dropping any single rule does not help;"
                " several rules conflict at once (try more experts or fewer groups)",
            )
        ]
    others = ", ".join(str(r) for r in found[1:])
    return [
        Unmet(
            rule,
            f"{rule}: the rules cannot all be met together; without the {rule} rule alone a"
            " grouping exists" + (f" (as also without: {others})" if i == 0 and others else ""),
        )
        for i, rule in enumerate(found)
    ]


def _coverage_unmet(
    inst: _Instance, panels: list[FormedPanel], experts: pd.DataFrame
) -> list[Unmet]:
    index = {code: e for e, code in enumerate(inst.expert_codes)}
    base_index = {code: b for b, code in enumerate(inst.base_codes)}
    out = []
    for panel in panels:
        members = [index[c] for c in panel.experts]
        for code in panel.bases:
            for tag in inst.base_tags[base_index[code]]:
                n = sum(1 for e in members if tag in inst.expert_tags[e])
                if n < FIELD_CAP:
                    out.append(
                        Unmet(
                            FormationRule.FIELD_COVERAGE,
                            f"base {code}, field '{tag}': {n} expert(s) of panel {panel.panel}"
                            f" hold it, {FIELD_CAP} wanted",
                            base_code=code,
                            field=tag,
                            experts=n,
                        )
                    )
    return out


# --- explanation -----------------------------------------------------------------------------

EXPLAIN_COLUMNS = ["panel", "base_code", "aspect", "code", "required", "count", "experts"]


def panels_explain(
    result: PanelResult,
    bases: pd.DataFrame,
    experts: pd.DataFrame,
    organisations: pd.DataFrame,
    config: PanelConfig | None = None,
) -> pd.DataFrame:
    """Who covers what in each panel, as a long frame.

    Columns ``panel, base_code, aspect, code, required, count, experts``: one row per panel,
    base and field (``aspect`` 'field', ``required`` 2, ``count`` the panel's experts holding
    the field, ``experts`` their codes as a tuple); per panel one row per role (``aspect``
    'role', ``base_code`` '', ``required`` the config's minimum) and per organisation kind
    (``aspect`` 'kind', ``required`` 0). Panels in order, then bases, fields, roles, kinds.
    """
    config = config or PanelConfig()
    inst = _instance(bases, experts, organisations, None)
    index = {code: e for e, code in enumerate(inst.expert_codes)}
    base_index = {code: b for b, code in enumerate(inst.base_codes)}
    rows = []
    for panel in result.panels:
        members = [index[c] for c in panel.experts]
        for code in panel.bases:
            for tag in inst.base_tags[base_index[code]]:
                holders = tuple(inst.expert_codes[e] for e in members if tag in inst.expert_tags[e])
                rows.append([panel.panel, code, "field", tag, FIELD_CAP, len(holders), holders])
        for role, flags, least in (
            (ExpertRole.PROFESSIONAL, inst.professional, config.min_professional),
            (ExpertRole.OPERATIONAL, inst.operational, config.min_operational),
        ):
            holders = tuple(inst.expert_codes[e] for e in members if flags[e])
            rows.append([panel.panel, "", "role", str(role), least, len(holders), holders])
        for kind in OrganisationKind:
            holders = tuple(inst.expert_codes[e] for e in members if inst.expert_kind[e] == kind)
            rows.append([panel.panel, "", "kind", str(kind), 0, len(holders), holders])
    frame = pd.DataFrame(rows, columns=EXPLAIN_COLUMNS)
    return frame.astype({"panel": "int64", "required": "int64", "count": "int64"})
