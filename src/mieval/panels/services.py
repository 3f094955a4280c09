"""Writes of the expert-panel app: the roster, conflicts, panel formation and publication,
rubrics and scores. Each is one atomic function with keyword-only arguments."""

import dataclasses
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mieval.accounts.permissions import can_score
from mieval.panels.models import (
    ConflictDeclaration,
    Criterion,
    Expert,
    Organisation,
    Panel,
    PanelBase,
    PanelMember,
    PanelRule,
    PanelSet,
    Rubric,
    Score,
)
from mieval.panels.optimiser import PanelConfig, panels_form
from mieval.panels.roster import read_conflicts, read_experts, read_organisations
from mieval.panels.selectors import panel_inputs
from mieval.registry.models import Base, Province

# --- roster ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RosterImported:
    organisations: int
    experts: int
    conflicts: int


@transaction.atomic
def roster_import(*, organisations_path, experts_path, conflicts_path=None) -> RosterImported:
    """Create or update organisations and experts, and add declared conflicts, by code.

    The readers raise :class:`~mieval.lib.problems.InputError` with every located problem of
    a file before anything is written; a code is never matched by name.
    """
    organisations = read_organisations(organisations_path)
    experts = read_experts(experts_path, organisations=organisations)
    conflicts = None
    if conflicts_path is not None:
        bases = Base.objects.values_list("code", flat=True)
        import pandas as pd

        conflicts = read_conflicts(
            conflicts_path, experts=experts, bases=pd.DataFrame({"code": list(bases)})
        )
    provinces = {p.code: p for p in Province.objects.all()}
    org_by_code = {}
    for row in organisations.itertuples(index=False):
        org, _created = Organisation.objects.update_or_create(
            code=row.code,
            defaults={
                "name_zh": row.name_zh,
                "name_en": row.name_en,
                "kind": row.kind,
                "province": provinces[row.province],
            },
        )
        org_by_code[row.code] = org
    expert_by_code = {}
    for row in experts.itertuples(index=False):
        expert, _created = Expert.objects.update_or_create(
            code=row.code,
            defaults={
                "name": row.name,
                "organisation": org_by_code[row.organisation],
                "province": provinces[row.province],
                "fields": list(row.fields),
                "roles": list(row.roles),
                "max_panels": int(row.max_panels),
            },
        )
        expert_by_code[row.code] = expert
    added = 0
    if conflicts is not None:
        base_by_code = {b.code: b for b in Base.objects.filter(code__in=conflicts["base_code"])}
        for row in conflicts.itertuples(index=False):
            _conflict, created = ConflictDeclaration.objects.get_or_create(
                expert=expert_by_code[row.expert_code],
                base=base_by_code[row.base_code],
                defaults={"reason": row.reason},
            )
            added += int(created)
    return RosterImported(len(org_by_code), len(expert_by_code), added)


@transaction.atomic
def expert_save(*, organisation: Organisation, data: dict, expert: Expert | None = None) -> Expert:
    """Add an expert to the organisation's roster or change one of its experts."""
    if expert is not None and expert.organisation_id != organisation.pk:
        raise PermissionDenied
    expert = expert or Expert(organisation=organisation)
    for name in ("code", "name", "province", "fields", "roles", "max_panels", "active"):
        if name in data:
            setattr(expert, name, data[name])
    expert.full_clean()
    expert.save()
    return expert


@transaction.atomic
def conflict_declare(*, expert: Expert, base: Base, reason: str, campaign=None):
    """The expert declares a conflict of interest with the base; the base leaves the expert's
    list at once, and the next formation of panels keeps them apart."""
    if not reason.strip():
        raise ValidationError(_("Please give the reason for the conflict of interest."))
    conflict, created = ConflictDeclaration.objects.get_or_create(
        expert=expert, base=base, defaults={"reason": reason.strip(), "campaign": campaign}
    )
    if not created:
        conflict.reason = reason.strip()
        conflict.save(update_fields=["reason"])
    return conflict


# --- panels ----------------------------------------------------------------------------------


@transaction.atomic
def panel_rule_set(*, campaign, expert: Expert, panel_number: int, kind: str) -> PanelRule:
    """Pin the expert to a panel number, or forbid it, for the next formation."""
    rule, _created = PanelRule.objects.update_or_create(
        campaign=campaign, expert=expert, panel_number=panel_number, defaults={"kind": kind}
    )
    return rule


@transaction.atomic
def panel_rule_delete(*, rule: PanelRule) -> None:
    rule.delete()


@transaction.atomic
def panels_propose(*, campaign, config: PanelConfig, user) -> PanelSet:
    """Form panels for the campaign's bases from the active roster and store them as proposed.

    Conflicts: the experts' provinces (the optimiser's rule), the declared conflicts, and an
    expert of the organisation a base is affiliated with (``attributes["organisation"]``).
    The campaign's pins and forbids are passed on as fixed decisions.
    """
    inputs = panel_inputs(campaign)
    rules = list(PanelRule.objects.filter(campaign=campaign).select_related("expert"))
    active = set(inputs.experts["code"])
    pinned = [(r.expert.code, r.panel_number) for r in rules if r.kind == "pin"]
    forbidden = [(r.expert.code, r.panel_number) for r in rules if r.kind == "forbid"]
    groups = config.group_count(len(inputs.bases))
    problems = [
        (code, number)
        for code, number in pinned + forbidden
        if code not in active or number > groups
    ]
    if problems:
        raise ValidationError(
            _("Pins and forbids must name active experts and panels 1 to %(groups)s: %(bad)s")
            % {"groups": groups, "bad": ", ".join(f"{c} → {n}" for c, n in problems)}
        )
    result = panels_form(
        inputs.bases,
        inputs.experts,
        inputs.organisations,
        inputs.conflicts,
        config,
        pinned=pinned,
        forbidden=forbidden,
    )
    panel_set = PanelSet.objects.create(
        campaign=campaign,
        state=PanelSet.State.PROPOSED,
        config=dataclasses.asdict(config),
        status=str(result.status),
        objective=result.objective,
        bound=result.bound,
        unmet=[
            {"rule": str(u.rule), "message": u.message, "base_code": u.base_code}
            for u in result.unmet
        ],
        created_by=user,
    )
    experts = {e.code: e for e in Expert.objects.filter(code__in=active)}
    bases = {b.code: b for b in campaign.bases.all()}
    pinned_set = set(pinned)
    for group in result.panels:
        panel = Panel.objects.create(panel_set=panel_set, number=group.panel)
        PanelMember.objects.bulk_create(
            PanelMember(panel=panel, expert=experts[code], pinned=(code, group.panel) in pinned_set)
            for code in group.experts
        )
        PanelBase.objects.bulk_create(PanelBase(panel=panel, base=bases[c]) for c in group.bases)
    return panel_set


@transaction.atomic
def panels_publish(*, panel_set: PanelSet) -> PanelSet:
    """Publish the set; the campaign's published set, if another, is archived. Publishing an
    archived set again is the undo."""
    if panel_set.status not in ("optimal", "feasible"):
        raise ValidationError(_("Only a set of panels the optimiser found can be published."))
    PanelSet.objects.filter(campaign=panel_set.campaign, state=PanelSet.State.PUBLISHED).exclude(
        pk=panel_set.pk
    ).update(state=PanelSet.State.ARCHIVED)
    panel_set.state = PanelSet.State.PUBLISHED
    panel_set.published_at = timezone.now()
    panel_set.save(update_fields=["state", "published_at"])
    return panel_set


@transaction.atomic
def panels_unpublish(*, campaign) -> PanelSet | None:
    """Undo the last publication: the published set is archived and the set published before
    it, if any, is published again. Returns the set now published."""
    current = PanelSet.objects.published().filter(campaign=campaign).first()
    if current is None:
        return None
    current.state = PanelSet.State.ARCHIVED
    current.save(update_fields=["state"])
    previous = (
        PanelSet.objects.filter(
            campaign=campaign,
            state=PanelSet.State.ARCHIVED,
            published_at__isnull=False,
            published_at__lt=current.published_at,
        )
        .order_by("-published_at")
        .first()
    )
    if previous is None:
        return None
    previous.state = PanelSet.State.PUBLISHED
    previous.save(update_fields=["state"])
    return previous


# --- rubric and scores -----------------------------------------------------------------------


@transaction.atomic
def rubric_create(*, campaign, criteria: list[dict], category=None) -> Rubric:
    """A new version of the campaign's rubric (for one category, or for all)."""
    last = Rubric.objects.filter(campaign=campaign, category=category).order_by("-version").first()
    rubric = Rubric.objects.create(
        campaign=campaign, category=category, version=(last.version + 1) if last else 1
    )
    for order, item in enumerate(criteria):
        Criterion.objects.create(rubric=rubric, order=order, **item)
    return rubric


def _plain(number: Decimal) -> str:
    """A scale bound as a person writes it: 100, not 1E+2 (``normalize`` alone gives that)."""
    return f"{number.normalize():f}"


def _submitted(expert: Expert, base: Base, campaign) -> bool:
    return Score.objects.filter(
        campaign=campaign, expert=expert, base=base, state=Score.State.SUBMITTED
    ).exists()


@transaction.atomic
def score_save(*, user, campaign, base: Base, criteria: list[Criterion], entries: dict) -> int:
    """Save the expert's draft scores of a base: ``entries`` maps a criterion's code to
    ``{"value", "comment", "confidential_comment"}``; an empty value is left unscored.

    Refused (:class:`PermissionDenied`) for a base outside the expert's published panel or
    declared a conflict with; refused (:class:`ValidationError`) once submitted or for a value
    outside the criterion's scale.
    """
    if not can_score(user, base, campaign):
        raise PermissionDenied
    expert = user.expert
    if _submitted(expert, base, campaign):
        raise ValidationError(_("The scores of this base are submitted and can no longer change."))
    errors = {}
    saved = 0
    for criterion in criteria:
        entry = entries.get(criterion.code) or {}
        raw = str(entry.get("value", "") or "").strip()
        if not raw:
            Score.objects.filter(expert=expert, base=base, criterion=criterion).delete()
            continue
        try:
            value = Decimal(raw)
        except InvalidOperation:
            errors[criterion.code] = _("'%(value)s' is not a number.") % {"value": raw}
            continue
        if not criterion.scale_min <= value <= criterion.scale_max:
            errors[criterion.code] = _("%(value)s is outside the scale %(low)s to %(high)s.") % {
                "value": raw,
                "low": _plain(criterion.scale_min),
                "high": _plain(criterion.scale_max),
            }
            continue
        Score.objects.update_or_create(
            expert=expert,
            base=base,
            criterion=criterion,
            defaults={
                "campaign": campaign,
                "value": value,
                "comment": str(entry.get("comment", "")).strip(),
                "confidential_comment": str(entry.get("confidential_comment", "")).strip(),
                "state": Score.State.DRAFT,
            },
        )
        saved += 1
    if errors:
        raise ValidationError(errors)
    return saved


@transaction.atomic
def scores_submit(*, user, campaign, base: Base, criteria: list[Criterion]) -> int:
    """Submit the expert's scores of a base; every criterion must be scored. Final."""
    if not can_score(user, base, campaign):
        raise PermissionDenied
    expert = user.expert
    scores = Score.objects.filter(campaign=campaign, expert=expert, base=base)
    if scores.filter(state=Score.State.SUBMITTED).exists():
        raise ValidationError(_("The scores of this base are already submitted."))
    scored = set(scores.values_list("criterion_id", flat=True))
    missing = [c.code for c in criteria if c.pk not in scored]
    if missing:
        raise ValidationError(
            _("Score every criterion before submitting; missing: %(codes)s")
            % {"codes": ", ".join(missing)}
        )
    return scores.update(state=Score.State.SUBMITTED)


@transaction.atomic
def scores_record(*, campaign, scores) -> int:
    """Record submitted scores on the experts' behalf (score sheets collected on paper, or the
    demo campaign's drawn scores): ``scores`` is a frame ``expert_code, base_code,
    criterion_code, value``. All or nothing: every row is checked first — the expert sits on
    the base's panel in the published set, has declared no conflict with it, the criterion is
    in the base's rubric and the value within its scale — and every problem is named in one
    :class:`ValidationError`. Scores already there are replaced.
    """
    from mieval.panels.selectors import panel_set_published, rubric_for

    panel_set = panel_set_published(campaign)
    if panel_set is None:
        raise ValidationError(_("Publish the campaign's panels before recording scores."))
    seats = set(
        PanelMember.objects.filter(panel__panel_set=panel_set).values_list(
            "expert__code", "panel__number"
        )
    )
    panel_of = dict(
        PanelBase.objects.filter(panel__panel_set=panel_set).values_list(
            "base__code", "panel__number"
        )
    )
    declared = set(ConflictDeclaration.objects.values_list("expert__code", "base__code"))
    experts = {e.code: e for e in Expert.objects.filter(code__in=set(scores["expert_code"]))}
    bases = {b.code: b for b in campaign.bases.select_related("subcategory")}
    rubrics: dict[str, dict[str, Criterion]] = {}

    def criterion_of(base: Base, code: str) -> Criterion | None:
        if base.code not in rubrics:
            rubric = rubric_for(campaign, base)
            rubrics[base.code] = {c.code: c for c in rubric.criteria.all()} if rubric else {}
        return rubrics[base.code].get(code)

    def reason_refused(row, base: Base | None, criterion: Criterion | None, value) -> str | None:
        if row.expert_code not in experts:
            return _("no such expert")
        if base is None:
            return _("the base is not in the campaign")
        if (row.expert_code, panel_of.get(row.base_code)) not in seats:
            return _("the expert is not on the base's panel")
        if (row.expert_code, row.base_code) in declared:
            return _("the expert declared a conflict with the base")
        if criterion is None:
            return _("the criterion is not in the base's rubric")
        if not criterion.scale_min <= value <= criterion.scale_max:
            return _("%(value)s is outside the scale %(low)s to %(high)s") % {
                "value": value,
                "low": _plain(criterion.scale_min),
                "high": _plain(criterion.scale_max),
            }
        return None

    problems, rows = [], []
    for line, row in enumerate(scores.itertuples(index=False), start=1):
        base = bases.get(row.base_code)
        criterion = criterion_of(base, row.criterion_code) if base is not None else None
        try:
            value = Decimal(str(row.value))
            reason = reason_refused(row, base, criterion, value)
        except InvalidOperation:
            reason = _("'%(value)s' is not a number.") % {"value": row.value}
        if reason is None:
            rows.append((experts[row.expert_code], base, criterion, value))
        else:
            problems.append(
                _("row %(line)s (%(expert)s, %(base)s, %(criterion)s): %(reason)s")
                % {
                    "line": line,
                    "expert": row.expert_code,
                    "base": row.base_code,
                    "criterion": row.criterion_code,
                    "reason": reason,
                }
            )
    if problems:
        raise ValidationError(problems)
    for expert, base, criterion, value in rows:
        Score.objects.update_or_create(
            expert=expert,
            base=base,
            criterion=criterion,
            defaults={"campaign": campaign, "value": value, "state": Score.State.SUBMITTED},
        )
    return len(rows)
