"""Writes of the expert-panel app: the roster, conflicts, panel formation and publication,
rubrics and scores. Each is one atomic function with keyword-only arguments."""

import dataclasses
import functools
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mieval.accounts.permissions import can_confirm_expert_logins, can_score
from mieval.core.panels.evidence import evidence_problems, evidence_tokens
from mieval.core.panels.optimiser import PanelConfig, panels_form
from mieval.core.panels.roster import read_conflicts, read_experts, read_organisations
from mieval.core.problems import ProblemCode
from mieval.core.values import Limits, value_check
from mieval.indicators.models import Indicator
from mieval.jobs.services import job_enqueue
from mieval.lib.concurrency import ConcurrentEditError
from mieval.panels.models import (
    ConflictDeclaration,
    Criterion,
    EvaluationSettings,
    Expert,
    ExpertLoginRequest,
    Organisation,
    Panel,
    PanelBase,
    PanelEvent,
    PanelMember,
    PanelRule,
    PanelSet,
    Rubric,
    Score,
)
from mieval.panels.selectors import (
    LoginRequestCode,
    evaluation_settings,
    expert_login_account_problems,
    expert_scores_submitted,
    panel_inputs,
    rubric_has_submitted_scores,
    unscored_bases,
)
from mieval.panels.templatetags.panels_numbers import plain
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

    The readers raise :class:`~mieval.core.problems.InputError` with every located problem of
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


def panels_propose(*, campaign, config: PanelConfig, user, on_progress=None) -> PanelSet:
    """Form panels for the campaign's bases from the active roster and store them as proposed.

    Conflicts: the experts' provinces (the optimiser's rule), the declared conflicts, and an
    expert of the organisation a base is affiliated with (``attributes["organisation"]``).
    The campaign's pins and forbids are passed on as fixed decisions. ``on_progress`` receives
    the optimiser's :class:`~mieval.core.panels.optimiser.Progress` for every improving solution.

    The optimiser runs outside a transaction (it takes up to ``config.time_limit`` seconds, and
    a background job's progress must be committed while it runs); only the storing of its
    result is atomic.
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
        on_progress=on_progress,
        pinned=pinned,
        forbidden=forbidden,
    )
    return panel_set_store(
        campaign=campaign, config=config, result=result, pinned=pinned, user=user
    )


@transaction.atomic
def panel_set_store(*, campaign, config: PanelConfig, result, pinned, user) -> PanelSet:
    """Store an optimiser's result as the campaign's proposed set of panels."""
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
    codes = {code for group in result.panels for code in group.experts}
    experts = {e.code: e for e in Expert.objects.filter(code__in=codes)}
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
def panels_form_request(*, campaign, config: PanelConfig, user):
    """Queue the formation of the campaign's panels as a background job (``panels_form``);
    the job's page shows its progress and links to the proposed set when done."""
    return job_enqueue(
        kind="panels_form",
        params={"campaign": campaign.code, "config": dataclasses.asdict(config)},
        user=user,
    )


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


#: The fields of a criterion that change what a score means; wording may change any time.
RUBRIC_MEANING = ("code", "weight", "scale_min", "scale_max", "scale_step")


def _column_limits(model, name: str) -> Limits:
    column = model._meta.get_field(name)
    return Limits.of_column(column.max_digits, column.decimal_places)


#: What each number of a rubric keeps exactly (its column); a score is kept like its scale.
RUBRIC_LIMITS = {name: _column_limits(Criterion, name) for name in RUBRIC_MEANING[1:]}
SCORE_LIMITS = _column_limits(Score, "value")


def _decimal(value, field: str = "weight") -> Decimal | None:
    """A rubric's number as its column keeps it; None when empty, not a number or beyond the
    column (rubric_problems says which)."""
    if value is None:
        return None
    return value_check(str(value), limits=RUBRIC_LIMITS[field]).number


def _beyond_column(item: dict, field: str) -> str:
    """Why the rubric's number ``field`` is a number its column cannot keep, or ''."""
    checked = value_check(str(item.get(field) or ""), limits=RUBRIC_LIMITS[field])
    return " ".join(p.localized(_) for p in checked.problems if p.code == ProblemCode.OUT_OF_RANGE)


def rubric_problems(criteria: list[dict], indicator_codes=None) -> list[str]:
    """Every problem of a rubric's criteria, each naming the row, the criterion and the field:
    codes present and unique, both names given, weights above 0, the lowest score below the
    highest, a step (when given) above 0 that divides the range into whole steps, and (when
    ``indicator_codes`` is given) evidence tokens that are a kind, a section or one of those
    indicators (:mod:`mieval.core.panels.evidence`)."""
    problems = []
    if not criteria:
        problems.append(_("A rubric needs at least one criterion."))
    seen: dict[str, int] = {}
    for row, item in enumerate(criteria, start=1):
        code = str(item.get("code") or "").strip()
        where = {"row": row, "code": code or "—"}
        if not code:
            problems.append(_("Criterion %(row)s: the code is missing.") % where)
        elif code in seen:
            problems.append(
                _("Criterion %(row)s (%(code)s): the code is already used by criterion %(first)s.")
                % {**where, "first": seen[code]}
            )
        else:
            seen[code] = row
        for name, label in (("name_zh", _("Chinese name")), ("name_en", _("English name"))):
            if not str(item.get(name) or "").strip():
                problems.append(
                    _("Criterion %(row)s (%(code)s): the %(field)s is missing.")
                    % {**where, "field": label}
                )
        if indicator_codes is not None:
            unknown = evidence_problems(_evidence_of(item), indicator_codes)
            if unknown:
                problems.append(
                    _(
                        "Criterion %(row)s (%(code)s): the evidence %(tokens)s is neither a kind"
                        " of evidence, nor selfeval:<section>, nor an indicator of the campaign."
                    )
                    % {**where, "tokens": ", ".join(unknown)}
                )
        beyond = {field: _beyond_column(item, field) for field in RUBRIC_LIMITS}
        problems += [
            _("Criterion %(row)s (%(code)s), %(field)s: %(problem)s")
            % {**where, "field": Criterion._meta.get_field(field).verbose_name, "problem": text}
            for field, text in beyond.items()
            if text
        ]
        weight = _decimal(item.get("weight"))
        if not beyond["weight"] and (weight is None or weight <= 0):
            problems.append(
                _("Criterion %(row)s (%(code)s): the weight '%(value)s' must be a number above 0.")
                % {**where, "value": item.get("weight", "")}
            )
        low = _decimal(item.get("scale_min"), "scale_min")
        high = _decimal(item.get("scale_max"), "scale_max")
        if beyond["scale_min"] or beyond["scale_max"]:
            continue
        if low is None or high is None or low >= high:
            problems.append(
                _(
                    "Criterion %(row)s (%(code)s): the lowest score %(low)s must be a number"
                    " below the highest score %(high)s."
                )
                % {**where, "low": item.get("scale_min", ""), "high": item.get("scale_max", "")}
            )
            continue
        raw_step = item.get("scale_step")
        if raw_step is None or str(raw_step).strip() == "":
            continue
        step = _decimal(raw_step, "scale_step")
        if beyond["scale_step"]:
            continue
        if step is None or step <= 0:
            problems.append(
                _("Criterion %(row)s (%(code)s): the step '%(value)s' must be a number above 0.")
                % {**where, "value": raw_step}
            )
        elif (high - low) % step != 0:
            problems.append(
                _(
                    "Criterion %(row)s (%(code)s): the step %(step)s does not divide the scale"
                    " %(low)s to %(high)s into whole steps."
                )
                % {
                    **where,
                    "step": plain(step),
                    "low": plain(low),
                    "high": plain(high),
                }
            )
    return problems


def _meaning(items) -> list[tuple]:
    out = []
    for item in items:
        get = item.get if isinstance(item, dict) else lambda k, i=item: getattr(i, k)
        out.append(
            tuple(
                str(get(k)).strip() if k == "code" else _decimal(get(k), k) for k in RUBRIC_MEANING
            )
        )
    return sorted(out, key=lambda t: t[0])


def _criterion_fields(item: dict) -> dict:
    return {
        "code": str(item["code"]).strip(),
        "name_zh": str(item["name_zh"]).strip(),
        "name_en": str(item["name_en"]).strip(),
        "weight": _decimal(item["weight"], "weight"),
        "scale_min": _decimal(item["scale_min"], "scale_min"),
        "scale_max": _decimal(item["scale_max"], "scale_max"),
        "scale_step": _decimal(item.get("scale_step"), "scale_step"),
        "guidance_zh": str(item.get("guidance_zh") or "").strip(),
        "guidance_en": str(item.get("guidance_en") or "").strip(),
        "evidence": _evidence_of(item),
    }


def _evidence_of(item: dict) -> list[str]:
    """A criterion's evidence tokens, typed (a string) or given as a list."""
    raw = item.get("evidence") or []
    return evidence_tokens(raw) if isinstance(raw, str) else [str(t) for t in raw]


def _event(*, kind, user, campaign=None, expert=None, details=None) -> PanelEvent:
    return PanelEvent.objects.create(
        kind=kind,
        campaign=campaign,
        expert=expert,
        user=user if getattr(user, "pk", None) else None,
        actor=user.get_username() if getattr(user, "pk", None) else "system",
        details=details or {},
    )


@transaction.atomic
def rubric_save(
    *,
    campaign,
    criteria: list[dict],
    user,
    category=None,
    comments_confidential: bool = False,
    rubric: Rubric | None = None,
    revision: int | None = None,
    new_version: bool = False,
) -> Rubric:
    """Create a rubric, edit one, or save an edited one as its next version.

    All problems of the criteria are raised at once (:func:`rubric_problems`). Editing in place
    is refused when ``revision`` is not the rubric's (someone else saved it meanwhile), and,
    once experts have submitted scores under the rubric, for any change of a criterion's code,
    weight or scale: the submitted scores would silently mean something else. Such a change is
    saved as a new version instead (``new_version``); experts score against the newest version
    of their base's category, and the scores already submitted stay with theirs. The wording
    (names, guidance) and the confidentiality of comments may change at any time. Draft scores
    of a criterion removed in place are removed with it.
    """
    codes = Indicator.objects.filter(framework_id=campaign.framework_id).values_list(
        "code", flat=True
    )
    problems = rubric_problems(criteria, indicator_codes=set(codes))
    if problems:
        raise ValidationError(problems)
    items = [_criterion_fields(item) for item in criteria]
    if rubric is None or new_version:
        if rubric is not None:
            category = rubric.category
        rubric = rubric_create(campaign=campaign, category=category, criteria=items)
        rubric.comments_confidential = comments_confidential
        rubric.save(update_fields=["comments_confidential"])
        _event(
            kind=PanelEvent.Kind.RUBRIC_SAVED,
            user=user,
            campaign=campaign,
            details={"rubric": rubric.pk, "version": rubric.version, "created": True},
        )
        return rubric
    locked = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if revision is not None and locked.revision != revision:
        raise ConcurrentEditError(
            _(
                "Someone else saved this rubric while you were editing it; reload the page"
                " and make your changes again."
            )
        )
    current = list(locked.criteria.all())
    if rubric_has_submitted_scores(locked) and _meaning(current) != _meaning(items):
        raise ValidationError(
            _(
                "Version %(version)s of this rubric already has submitted scores: its criteria"
                " codes, weights and scales cannot change. Save the changes as a new version;"
                " the scores submitted so far stay with version %(version)s."
            )
            % {"version": locked.version}
        )
    by_code = {c.code: c for c in current}
    wanted = {item["code"] for item in items}
    removed = [c for c in current if c.code not in wanted]
    Score.objects.filter(criterion__in=removed, state=Score.State.DRAFT).delete()
    Criterion.objects.filter(pk__in=[c.pk for c in removed]).delete()
    for order, item in enumerate(items):
        criterion = by_code.get(item["code"]) or Criterion(rubric=locked)
        for name, value in item.items():
            setattr(criterion, name, value)
        criterion.order = order
        criterion.save()
    locked.comments_confidential = comments_confidential
    locked.revision += 1
    locked.save(update_fields=["comments_confidential", "revision"])
    _event(
        kind=PanelEvent.Kind.RUBRIC_SAVED,
        user=user,
        campaign=campaign,
        details={"rubric": locked.pk, "version": locked.version, "revision": locked.revision},
    )
    return locked


def score_value_check(criterion: Criterion, raw: str) -> tuple[Decimal | None, str]:
    """A score typed for the criterion (not empty, stripped): ``(value, "")`` when it is a
    number on the criterion's scale and steps, else ``(None, why)``. The one check of a score,
    for :func:`score_save` and the scoring form."""
    # The one value checker: 'NaN' used to reach the comparison below (a 500), and a
    # third decimal was rounded away silently by the column.
    checked = value_check(raw, limits=SCORE_LIMITS)
    if checked.problems:
        return None, " ".join(p.localized(_) for p in checked.problems)
    value = checked.number
    if not criterion.scale_min <= value <= criterion.scale_max:
        return None, _("%(value)s is outside the scale %(low)s to %(high)s.") % {
            "value": raw,
            "low": plain(criterion.scale_min),
            "high": plain(criterion.scale_max),
        }
    step = criterion.scale_step
    if step and (value - criterion.scale_min) % step != 0:
        return None, _("%(value)s is not on the scale's steps of %(step)s from %(low)s.") % {
            "value": raw,
            "step": plain(step),
            "low": plain(criterion.scale_min),
        }
    return value, ""


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
    if expert_scores_submitted(expert, base, campaign):
        raise ValidationError(_("The scores of this base are submitted and can no longer change."))
    errors = {}
    saved = 0
    for criterion in criteria:
        entry = entries.get(criterion.code) or {}
        raw = str(entry.get("value", "") or "").strip()
        if not raw:
            Score.objects.filter(expert=expert, base=base, criterion=criterion).delete()
            continue
        value, problem = score_value_check(criterion, raw)
        if problem:
            errors[criterion.code] = problem
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
                "low": plain(criterion.scale_min),
                "high": plain(criterion.scale_max),
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


# --- settings of the evaluation ---------------------------------------------------------------


@transaction.atomic
def evaluation_settings_save(*, campaign, data: dict, user, revision: int | None = None):
    """Save the campaign's grading weights, thresholds and scoring deadline; a stale
    ``revision`` (someone else saved meanwhile) is refused."""
    settings, _created = EvaluationSettings.objects.select_for_update().get_or_create(
        campaign=campaign
    )
    if revision is not None and settings.revision != revision:
        raise ConcurrentEditError(
            _(
                "Someone else saved these settings while you were editing them; reload the"
                " page and make your changes again."
            )
        )
    fields = ["expert_weight", "index_weight", "excellent", "good", "qualified", "scoring_deadline"]
    before = {k: str(getattr(settings, k)) for k in fields}
    for name in fields:
        setattr(settings, name, data.get(name))
    settings.revision += 1
    settings.save(update_fields=[*fields, "revision"])
    _event(
        kind=PanelEvent.Kind.SETTINGS_SAVED,
        user=user,
        campaign=campaign,
        details={"before": before, "after": {k: str(getattr(settings, k)) for k in fields}},
    )
    return settings


# --- reminders ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RemindersSent:
    sent: list[str]  # expert codes reminded
    without_email: list[str]  # expert codes with unscored bases but no login or email


@transaction.atomic
def score_reminders_send(*, campaign, user=None, now=None) -> RemindersSent:
    """Email every expert with unscored bases in the campaign's published panels, listing them
    and the scoring deadline. Refused once the deadline has passed; an expert without a login
    or an email address is reported, not emailed. The emails leave once the transaction
    commits."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    now = now or timezone.now()
    deadline = evaluation_settings(campaign).scoring_deadline
    if deadline is not None and deadline <= now:
        raise ValidationError(
            _("The scoring deadline %(deadline)s has passed; no reminder is sent.")
            % {"deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")}
        )
    sent, without = [], []
    for expert, bases in unscored_bases(campaign).items():
        account = expert.user
        if account is None or not account.is_active or not account.email:
            without.append(expert.code)
            continue
        context = {
            "expert": expert,
            "campaign": campaign,
            "bases": bases,
            "deadline": deadline,
        }
        # Sent once the transaction commits: a rollback (the event not recorded) sends none.
        transaction.on_commit(
            functools.partial(
                send_mail,
                render_to_string("panels/reminder_subject.txt", context).strip(),
                render_to_string("panels/reminder_email.txt", context),
                None,
                [account.email],
            )
        )
        sent.append(expert.code)
    _event(
        kind=PanelEvent.Kind.REMINDERS_SENT,
        user=user,
        campaign=campaign,
        details={"sent": sent, "without_email": without},
    )
    return RemindersSent(sent, without)


# --- experts' logins -----------------------------------------------------------------------------


def _invitation_send(*, user, expert: Expert, protocol: str, domain: str) -> None:
    """Email the new account's holder a link to choose a password (the password-reset flow of
    ``accounts``; the account has no usable password until then)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    context = {
        "user": user,
        "expert": expert,
        "protocol": protocol,
        "domain": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    send_mail(
        render_to_string("panels/invitation_subject.txt", context).strip(),
        render_to_string("panels/invitation_email.txt", context),
        None,
        [user.email],
    )


def _require_unlinked(expert: Expert) -> None:
    if expert.user_id is not None:
        raise ValidationError(
            _("The expert %(code)s already has a login; unlink it first.") % {"code": expert.code},
            code=LoginRequestCode.ALREADY_LINKED,
        )


def _pending(login_request: ExpertLoginRequest) -> ExpertLoginRequest:
    """The request locked for the decision; refused once someone has decided it."""
    locked = ExpertLoginRequest.objects.select_for_update().get(pk=login_request.pk)
    if locked.state != ExpertLoginRequest.State.PENDING:
        raise ValidationError(
            _("This login request was already %(state)s; reload the page.")
            % {"state": locked.get_state_display()},
            code=LoginRequestCode.NOT_PENDING,
        )
    return locked


@transaction.atomic
def expert_login_request(
    *, expert: Expert, username: str, email: str, actor, protocol: str, domain: str
) -> ExpertLoginRequest:
    """Ask for a login for the expert: a user name (new, or an existing account of the expert)
    and the address the invitation goes to.

    Nothing about other accounts is looked at here, so that the answer is the same whether the
    user name exists or not and whatever its role: the office sees that when it decides
    (:func:`expert_login_confirm`). A request made by the office is confirmed at once; an
    organiser's waits. A new request replaces the expert's pending one.
    """
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    _require_unlinked(expert)
    for previous in ExpertLoginRequest.objects.filter(
        expert=expert, state=ExpertLoginRequest.State.PENDING
    ):
        _decide(previous, state=ExpertLoginRequest.State.WITHDRAWN, actor=actor)
    login_request = ExpertLoginRequest.objects.create(
        expert=expert,
        username=username.strip(),
        email=email.strip(),
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    _event(
        kind=PanelEvent.Kind.LOGIN_REQUESTED,
        user=actor,
        expert=expert,
        details=_request_details(login_request),
    )
    if can_confirm_expert_logins(actor):
        expert_login_confirm(
            login_request=login_request, actor=actor, protocol=protocol, domain=domain
        )
        login_request.refresh_from_db()
    return login_request


def _request_details(login_request: ExpertLoginRequest) -> dict:
    return {
        "expert": login_request.expert.code,
        "request": login_request.pk,
        "username": login_request.username,
        "email": login_request.email,
        "requested_by": (
            login_request.requested_by.get_username() if login_request.requested_by else None
        ),
    }


def _decide(login_request: ExpertLoginRequest, *, state, actor, reason: str = "") -> None:
    login_request.state = state
    login_request.decided_by = actor if getattr(actor, "pk", None) else None
    login_request.decided_at = timezone.now()
    login_request.reason = reason
    login_request.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    kind = {
        ExpertLoginRequest.State.REJECTED: PanelEvent.Kind.LOGIN_REJECTED,
        ExpertLoginRequest.State.WITHDRAWN: PanelEvent.Kind.LOGIN_WITHDRAWN,
    }.get(state)
    if kind is not None:
        _event(
            kind=kind,
            user=actor,
            expert=login_request.expert,
            details={**_request_details(login_request), "reason": reason},
        )


@transaction.atomic
def expert_login_confirm(*, login_request: ExpertLoginRequest, actor, protocol: str, domain: str):
    """The office confirms a login request: the account named is linked when it exists (an
    account with the role expert not linked to another expert, or one without a role, which
    gets the role expert); otherwise a new account with the role expert is created and its
    holder emailed a link to choose a password (sent once the transaction commits)."""
    from django.contrib.auth import get_user_model

    from mieval.accounts.models import Profile, Role
    from mieval.accounts.services import user_create

    if not can_confirm_expert_logins(actor):
        raise PermissionDenied
    login_request = _pending(login_request)
    expert = Expert.objects.select_for_update().get(pk=login_request.expert_id)
    _require_unlinked(expert)
    account = (
        get_user_model()
        .objects.select_related("profile", "expert")
        .filter(username__iexact=login_request.username)
        .first()
    )
    problems = expert_login_account_problems(login_request, account)
    if problems:
        raise ValidationError(problems)
    created = account is None
    if created:
        account = user_create(
            username=login_request.username,
            password=None,
            role=Role.EXPERT,
            email=login_request.email,
        )
    elif getattr(account, "profile", None) is None:
        Profile.objects.create(user=account, role=Role.EXPERT)
    expert.user = account
    expert.save(update_fields=["user"])
    _decide(login_request, state=ExpertLoginRequest.State.CONFIRMED, actor=actor)
    _event(
        kind=PanelEvent.Kind.LOGIN_CREATED if created else PanelEvent.Kind.LOGIN_LINKED,
        user=actor,
        expert=expert,
        details={**_request_details(login_request), "username": account.get_username()},
    )
    if created:
        transaction.on_commit(
            lambda: _invitation_send(user=account, expert=expert, protocol=protocol, domain=domain)
        )
    return account


@transaction.atomic
def expert_login_reject(*, login_request: ExpertLoginRequest, actor, reason: str = "") -> None:
    """The office turns a login request down; nothing is created or linked."""
    if not can_confirm_expert_logins(actor):
        raise PermissionDenied
    _decide(
        _pending(login_request),
        state=ExpertLoginRequest.State.REJECTED,
        actor=actor,
        reason=reason.strip(),
    )


@transaction.atomic
def expert_login_withdraw(*, login_request: ExpertLoginRequest, actor) -> None:
    """Whoever keeps the expert's roster takes a pending request back."""
    _decide(_pending(login_request), state=ExpertLoginRequest.State.WITHDRAWN, actor=actor)


@transaction.atomic
def expert_login_unlink(*, expert: Expert, actor) -> None:
    """Detach the expert's login (the account stays, without access to any panel's bases)."""
    if expert.user_id is None:
        return
    username = expert.user.get_username()
    expert.user = None
    expert.save(update_fields=["user"])
    _event(
        kind=PanelEvent.Kind.LOGIN_UNLINKED,
        user=actor,
        expert=expert,
        details={"expert": expert.code, "username": username},
    )
