"""Reads of the expert-panel app: the frames the optimiser and the scoring core take, built in a
few queries, and what the pages show."""

import dataclasses
import enum
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractYear, Lower
from django.utils.translation import gettext as _

from mieval.core.panels.optimiser import split_codes
from mieval.core.panels.scoring import (
    GradeConfig,
    LeniencyResult,
    grades_assign,
    icc_panels,
    krippendorff_alpha,
    scorers_flag,
    scores_aggregate,
    scores_correct_leniency,
    scores_total,
)
from mieval.panels.models import (
    ConflictDeclaration,
    Criterion,
    EvaluationSettings,
    Expert,
    ExpertLoginRequest,
    Organisation,
    PanelBase,
    PanelMember,
    PanelSet,
    Rubric,
    Score,
)
from mieval.registry.models import Base


@dataclass(frozen=True)
class PanelInputs:
    bases: pd.DataFrame  # code, province, fields
    experts: pd.DataFrame  # code, name, organisation, province, fields, roles, max_panels
    organisations: pd.DataFrame  # code, kind
    conflicts: pd.DataFrame  # expert_code, base_code, reason (declared and by affiliation)


def panel_inputs(campaign) -> PanelInputs:
    """The optimiser's frames: the campaign's bases (fields from their attributes), the active
    experts, the organisations, and the conflicts: declared ones plus an expert of the base's
    affiliated organisation (``attributes["organisation"]``)."""
    base_rows = list(campaign.bases.order_by("code").values("code", "province_id", "attributes"))
    bases = pd.DataFrame(
        {
            "code": [b["code"] for b in base_rows],
            "province": [b["province_id"] for b in base_rows],
            "fields": [split_codes((b["attributes"] or {}).get("fields", ())) for b in base_rows],
        }
    )
    expert_rows = list(
        Expert.objects.active()
        .order_by("code")
        .values(
            "code", "name", "organisation__code", "province_id", "fields", "roles", "max_panels"
        )
    )
    experts = pd.DataFrame(
        {
            "code": [e["code"] for e in expert_rows],
            "name": [e["name"] for e in expert_rows],
            "organisation": [e["organisation__code"] for e in expert_rows],
            "province": [e["province_id"] for e in expert_rows],
            "fields": [tuple(e["fields"]) for e in expert_rows],
            "roles": [tuple(e["roles"]) for e in expert_rows],
            "max_panels": [int(e["max_panels"]) for e in expert_rows],
        },
        columns=["code", "name", "organisation", "province", "fields", "roles", "max_panels"],
    )
    organisations = pd.DataFrame(
        list(Organisation.objects.values("code", "kind")), columns=["code", "kind"]
    )
    base_codes, expert_codes = set(bases["code"]), set(experts["code"])
    pairs: dict[tuple[str, str], str] = {}
    for c in ConflictDeclaration.objects.values("expert__code", "base__code", "reason"):
        if c["expert__code"] in expert_codes and c["base__code"] in base_codes:
            pairs[(c["expert__code"], c["base__code"])] = c["reason"]
    by_org: dict[str, list[str]] = {}
    for e in expert_rows:
        by_org.setdefault(e["organisation__code"], []).append(e["code"])
    for b in base_rows:
        affiliated = (b["attributes"] or {}).get("organisation")
        for code in by_org.get(affiliated, []):
            pairs.setdefault((code, b["code"]), "affiliated organisation")
    conflicts = pd.DataFrame(
        [(e, b, r) for (e, b), r in sorted(pairs.items())],
        columns=["expert_code", "base_code", "reason"],
    )
    return PanelInputs(bases, experts, organisations, conflicts)


def panel_set_published(campaign) -> PanelSet | None:
    return PanelSet.objects.published().filter(campaign=campaign).first()


def panel_set_groups(panel_set: PanelSet) -> list[dict]:
    """Each panel with its experts (organisation, kind, roles, fields) and bases, in order."""
    members = (
        PanelMember.objects.filter(panel__panel_set=panel_set)
        .select_related("expert__organisation", "panel")
        .order_by("panel__number", "expert__code")
    )
    held = (
        PanelBase.objects.filter(panel__panel_set=panel_set)
        .select_related("base", "panel")
        .order_by("panel__number", "base__code")
    )
    groups: dict[int, dict] = {
        p.number: {"number": p.number, "experts": [], "bases": []}
        for p in panel_set.panels.order_by("number")
    }
    for m in members:
        groups[m.panel.number]["experts"].append({"expert": m.expert, "pinned": m.pinned})
    for h in held:
        groups[h.panel.number]["bases"].append(h.base)
    return list(groups.values())


def expert_times(*, organisation: Organisation | None = None) -> list[dict]:
    """How many panel seats each organisation's experts held in published sets, by year."""
    rows = PanelMember.objects.filter(panel__panel_set__state=PanelSet.State.PUBLISHED)
    if organisation is not None:
        rows = rows.filter(expert__organisation=organisation)
    return list(
        rows.annotate(year=ExtractYear("panel__panel_set__published_at"))
        .values("expert__organisation__code", "year")
        .annotate(seats=Count("pk"), experts=Count("expert", distinct=True))
        .order_by("expert__organisation__code", "year")
    )


def rubric_for(campaign, base) -> Rubric | None:
    """The newest rubric of the base's category in the campaign, else the newest general one."""
    rubrics = Rubric.objects.filter(campaign=campaign).order_by("-version")
    category = base.subcategory.category_id
    return (
        rubrics.filter(category_id=category).first()
        or rubrics.filter(category__isnull=True).first()
    )


def expert_scores(expert: Expert, base, campaign) -> dict[int, Score]:
    return {
        s.criterion_id: s for s in Score.objects.filter(expert=expert, base=base, campaign=campaign)
    }


def rubric_has_submitted_scores(rubric: Rubric) -> bool:
    """Whether any score of the rubric is submitted (its meaning can then no longer change)."""
    return Score.objects.filter(criterion__rubric=rubric, state=Score.State.SUBMITTED).exists()


def expert_scores_submitted(expert: Expert, base: Base, campaign) -> bool:
    """Whether the expert has submitted the scores of the base in the campaign."""
    return Score.objects.filter(
        campaign=campaign, expert=expert, base=base, state=Score.State.SUBMITTED
    ).exists()


def unscored_bases(campaign) -> dict[Expert, list[Base]]:
    """Each expert of the published panels with a login, and the bases of the expert's panel
    (less declared conflicts) not yet submitted; experts with nothing left are left out."""
    published = panel_set_published(campaign)
    if published is None:
        return {}
    submitted = set(
        Score.objects.filter(campaign=campaign, state=Score.State.SUBMITTED).values_list(
            "expert_id", "base_id"
        )
    )
    declared = set(ConflictDeclaration.objects.values_list("expert_id", "base_id"))
    bases_of: dict[int, list[Base]] = {}
    for held in PanelBase.objects.filter(panel__panel_set=published).select_related("base"):
        bases_of.setdefault(held.panel_id, []).append(held.base)
    out: dict[Expert, list[Base]] = {}
    members = PanelMember.objects.filter(panel__panel_set=published).select_related("expert__user")
    for member in members.order_by("expert__code"):
        left = [
            b
            for b in sorted(bases_of.get(member.panel_id, []), key=lambda b: b.code)
            if (member.expert_id, b.pk) not in submitted
            and (member.expert_id, b.pk) not in declared
        ]
        if left:
            out.setdefault(member.expert, []).extend(left)
    return out


# --- the experts' comments --------------------------------------------------------------------
#
# Who reads an expert's comments (the rule, here and nowhere else):
#
# - ``Score.comment``: public with the results (snapshots, base profiles, the reports built from
#   them) unless the rubric of its criterion says ``comments_confidential``; then only the
#   evaluation office (analysts and administrators) and the expert who wrote it read it.
# - ``Score.confidential_comment``: the office and its writer only, whatever the rubric says.
#
# Only submitted scores count; the rubric's flag is read when the comments are read (a snapshot
# freezes what it was at publication).


def publishable_comments(campaign) -> list[tuple[str, str]]:
    """``(base code, comment)`` of the campaign's submitted scores whose rubric does not keep
    comments confidential, sorted by base, expert and criterion; without the experts' names and
    never a confidential comment. What a snapshot freezes for everyone who reads its reports."""
    return list(
        Score.objects.filter(
            campaign=campaign,
            state=Score.State.SUBMITTED,
            criterion__rubric__comments_confidential=False,
        )
        .exclude(comment="")
        .order_by("base__code", "expert__code", "criterion__order", "criterion__code")
        .values_list("base__code", "comment")
    )


def office_comments(campaign) -> list[dict]:
    """Every comment and confidential comment of the campaign's submitted scores, for the
    evaluation office: ``{"base", "base_name_zh", "base_name_en", "expert", "expert_name",
    "criterion", "comment", "confidential_comment", "comments_confidential"}`` (the last: the
    rubric keeps ``comment`` from the reports), sorted by base, expert and criterion."""
    rows = (
        Score.objects.filter(campaign=campaign, state=Score.State.SUBMITTED)
        .exclude(comment="", confidential_comment="")
        .order_by("base__code", "expert__code", "criterion__order", "criterion__code")
        .values_list(
            "base__code",
            "base__name_zh",
            "base__name_en",
            "expert__code",
            "expert__name",
            "criterion__code",
            "comment",
            "confidential_comment",
            "criterion__rubric__comments_confidential",
        )
    )
    keys = (
        "base",
        "base_name_zh",
        "base_name_en",
        "expert",
        "expert_name",
        "criterion",
        "comment",
        "confidential_comment",
        "comments_confidential",
    )
    return [dict(zip(keys, row, strict=True)) for row in rows]


# --- scores for the scoring core --------------------------------------------------------------

SCORE_COLUMNS = ["base", "expert", "panel", "criterion", "score"]


def scores_frame(campaign, *, submitted_only: bool = True) -> tuple[pd.DataFrame, dict]:
    """The long frame ``base, expert, panel, criterion, score`` (criterion as its id) of the
    campaign, with each criterion's weight; the panel is the expert's panel for the base in the
    published set (0 when none)."""
    scores = Score.objects.filter(campaign=campaign)
    if submitted_only:
        scores = scores.filter(state=Score.State.SUBMITTED)
    rows = list(scores.values_list("base__code", "expert__code", "criterion_id", "value"))
    panel_of: dict[tuple[str, str], int] = {}
    published = panel_set_published(campaign)
    if published is not None:
        bases_of: dict[int, list[str]] = {}
        for number, code in PanelBase.objects.filter(panel__panel_set=published).values_list(
            "panel__number", "base__code"
        ):
            bases_of.setdefault(number, []).append(code)
        for number, code in PanelMember.objects.filter(panel__panel_set=published).values_list(
            "panel__number", "expert__code"
        ):
            for base in bases_of.get(number, []):
                panel_of[(base, code)] = number
    frame = pd.DataFrame(
        [(b, e, panel_of.get((b, e), 0), str(c), float(v)) for b, e, c, v in rows],
        columns=SCORE_COLUMNS,
    )
    weights = {
        str(pk): float(w)
        for pk, w in Criterion.objects.filter(rubric__campaign=campaign).values_list("pk", "weight")
    }
    return frame, weights


def evaluation_settings(campaign) -> EvaluationSettings:
    """The campaign's settings of the expert evaluation; the defaults (unsaved) when none."""
    found = EvaluationSettings.objects.filter(campaign=campaign).first()
    return found or EvaluationSettings(campaign=campaign)


def grade_config(settings: EvaluationSettings) -> GradeConfig:
    return GradeConfig(
        expert_weight=float(settings.expert_weight),
        index_weight=float(settings.index_weight),
        excellent=float(settings.excellent),
        good=float(settings.good),
        qualified=float(settings.qualified),
    )


def index_scores(campaign) -> dict[str, dict]:
    """Each base's composite index score from the latest finished index run of the campaign
    for the base's category: ``{base code: {"score", "run", "framework"}}``. A run is stored
    only when its job finished, so every stored run counts; its top aggregate
    (``dimensions[0]``) is the index."""
    from mieval.analytics.models import IndexRun, IndexScore

    latest: dict[str, IndexRun] = {}
    for run in IndexRun.objects.filter(campaign=campaign).select_related("framework"):
        latest.setdefault(run.framework.category_id, run)  # newest first by Meta.ordering
    out: dict[str, dict] = {}
    for category, run in latest.items():
        if not run.dimensions:
            continue
        rows = IndexScore.objects.filter(
            run=run, code=run.dimensions[0], base__subcategory__category_id=category
        ).values_list("base__code", "score")
        for code, score in rows:
            if score is not None:
                out[code] = {"score": float(score), "run": run.pk, "framework": str(run.framework)}
    return out


def rubric_scales(campaign) -> dict[str, tuple[float, float]]:
    """Each base's rubric scale, as the weighted mean of its criteria's lowest and highest
    scores (the range of the weighted total): ``{base code: (low, high)}``."""
    rubrics = list(Rubric.objects.filter(campaign=campaign).prefetch_related("criteria"))
    scale: dict[str | None, tuple[float, float]] = {}
    for rubric in sorted(rubrics, key=lambda r: r.version):  # the newest wins
        criteria = [c for c in rubric.criteria.all() if c.weight > 0]
        total = sum(float(c.weight) for c in criteria)
        if total:
            scale[rubric.category_id] = (
                sum(float(c.weight * c.scale_min) for c in criteria) / total,
                sum(float(c.weight * c.scale_max) for c in criteria) / total,
            )
    out = {}
    for code, category in campaign.bases.values_list("code", "subcategory__category_id"):
        found = scale.get(category) or scale.get(None)
        if found is not None:
            out[code] = found
    return out


#: Note of a base graded on its expert score alone.
NO_INDEX = "no_index_score"


def grades_frame(campaign, aggregate: pd.DataFrame, settings: EvaluationSettings) -> pd.DataFrame:
    """Grades from the trimmed mean of the expert totals, put on 0-100 by the base's rubric
    scale, and the composite index score of :func:`index_scores`; a base without an index
    score is graded on the expert score alone (note ``no_index_score``).

    Columns: ``base, expert_score, index_score, combined, grade, grade_zh, grade_en, note``.
    """
    scales = rubric_scales(campaign)
    index = index_scores(campaign)
    low = aggregate["base"].map(lambda b: scales.get(b, (0.0, 100.0))[0]).astype(float)
    high = aggregate["base"].map(lambda b: scales.get(b, (0.0, 100.0))[1]).astype(float)
    frame = pd.DataFrame(
        {
            "base": aggregate["base"].to_numpy(),
            "expert_score": ((aggregate["trimmed_mean"] - low) / (high - low) * 100).to_numpy(),
            "index_score": aggregate["base"]
            .map(lambda b: index[b]["score"] if b in index else np.nan)
            .astype(float)
            .to_numpy(),
        }
    )
    config = grade_config(settings)
    has_index = frame["index_score"].notna()
    parts = [grades_assign(frame[has_index], config)]
    if (~has_index).any():
        alone = dataclasses.replace(config, expert_weight=1.0, index_weight=0.0)
        graded = grades_assign(frame[~has_index], alone)
        if config.index_weight > 0:
            graded["note"] = np.where(graded["note"] == "", NO_INDEX, graded["note"])
        parts.append(graded)
    out = pd.concat(parts, ignore_index=True)
    order = {b: i for i, b in enumerate(frame["base"])}
    return out.sort_values("base", key=lambda c: c.map(order), ignore_index=True)


@dataclass(frozen=True)
class ScoreResults:
    totals: pd.DataFrame
    aggregate: pd.DataFrame
    icc: pd.DataFrame
    alpha: float
    flags: pd.DataFrame
    grades: pd.DataFrame
    leniency: LeniencyResult
    settings: EvaluationSettings


def score_results(campaign) -> ScoreResults | None:
    """Totals, per-base aggregates, ICC per panel, Krippendorff's alpha, flagged scorers,
    grades (:func:`grades_frame`) and the leniency correction of the campaign's submitted
    scores; None without any."""
    frame, weights = scores_frame(campaign)
    if frame.empty:
        return None
    totals = scores_total(frame, weights)
    aggregate = scores_aggregate(totals)
    icc = icc_panels(totals)
    alpha = krippendorff_alpha(totals)
    flags = scorers_flag(totals)
    settings = evaluation_settings(campaign)
    grades = grades_frame(campaign, aggregate, settings)
    leniency = scores_correct_leniency(totals)
    return ScoreResults(totals, aggregate, icc, alpha, flags, grades, leniency, settings)


def panel_assignments(panel_set: PanelSet) -> pd.DataFrame:
    """``expert_code, base_code, panel``: every expert of a panel with every base of it, less
    the pairs with a declared conflict (the expert does not score those)."""
    members = pd.DataFrame(
        list(
            PanelMember.objects.filter(panel__panel_set=panel_set).values_list(
                "expert__code", "panel__number"
            )
        ),
        columns=["expert_code", "panel"],
    )
    held = pd.DataFrame(
        list(
            PanelBase.objects.filter(panel__panel_set=panel_set).values_list(
                "base__code", "panel__number"
            )
        ),
        columns=["base_code", "panel"],
    )
    pairs = members.merge(held, on="panel")[["expert_code", "base_code", "panel"]]
    declared = set(ConflictDeclaration.objects.values_list("expert__code", "base__code"))
    keep = [
        (e, b) not in declared
        for e, b in zip(pairs["expert_code"], pairs["base_code"], strict=True)
    ]
    return pairs[keep].sort_values(["expert_code", "base_code"], ignore_index=True)


def demo_expert(campaign) -> Expert | None:
    """The expert the demo's ``expert`` login stands for: the first (by code) of panel 1 of the
    published set, whom the demo leaves with bases to score."""
    return (
        Expert.objects.filter(
            memberships__panel__panel_set__campaign=campaign,
            memberships__panel__panel_set__state=PanelSet.State.PUBLISHED,
            memberships__panel__number=1,
        )
        .order_by("code")
        .first()
    )


# --- experts' logins -----------------------------------------------------------------------------


class LoginRequestCode(enum.StrEnum):
    """Why a step on an expert's login is refused."""

    ALREADY_LINKED = "already_linked"
    NOT_PENDING = "not_pending"
    ACCOUNT_TAKEN = "account_taken"
    OTHER_ROLE = "other_role"
    INACTIVE = "inactive"


def expert_login_account_problems(
    login_request: ExpertLoginRequest, account
) -> list[ValidationError]:
    """Why the existing ``account`` (the one named by the request, or None) cannot become the
    expert's login. For the office's eyes only: it names the account's role and links."""
    from mieval.accounts.models import Role

    if account is None:
        return []
    problems = []
    other = getattr(account, "expert", None)
    if other is not None and other.pk != login_request.expert_id:
        problems.append(
            ValidationError(
                _("The account '%(name)s' is already the login of the expert %(code)s.")
                % {"name": account.get_username(), "code": other.code},
                code=LoginRequestCode.ACCOUNT_TAKEN,
            )
        )
    profile = getattr(account, "profile", None)
    if account.is_superuser or (profile is not None and profile.role != Role.EXPERT):
        problems.append(
            ValidationError(
                _(
                    "The account '%(name)s' has another role (%(role)s); only an account with"
                    " the role expert, or without a role, can be an expert's login."
                )
                % {
                    "name": account.get_username(),
                    "role": profile.get_role_display() if profile else Role.ADMIN.label,
                },
                code=LoginRequestCode.OTHER_ROLE,
            )
        )
    if not account.is_active:
        problems.append(
            ValidationError(
                _("The account '%(name)s' is deactivated.") % {"name": account.get_username()},
                code=LoginRequestCode.INACTIVE,
            )
        )
    return problems


@dataclass(frozen=True)
class LoginRequestRow:
    """A pending login request as the office sees it: the account the user name names, if
    any, and why it could not become the expert's login."""

    request: ExpertLoginRequest
    account: object | None
    problems: list[str]


def expert_login_requests_pending() -> list[LoginRequestRow]:
    """Every pending login request, oldest first, with the account each names (two queries)."""
    requests = list(
        ExpertLoginRequest.objects.filter(state=ExpertLoginRequest.State.PENDING).select_related(
            "expert__organisation", "requested_by"
        )
    )
    names = {r.username.lower() for r in requests}
    accounts = {
        account.lower_name: account
        for account in get_user_model()
        .objects.select_related("profile", "expert")
        .annotate(lower_name=Lower("username"))
        .filter(lower_name__in=names)
    }
    rows = []
    for login_request in requests:
        account = accounts.get(login_request.username.lower())
        problems = [e.message for e in expert_login_account_problems(login_request, account)]
        rows.append(LoginRequestRow(login_request, account, problems))
    return rows


def organisation_experts(organisation: Organisation):
    """The organisation's experts with their logins, and whether a login request waits for the
    office (``login_pending``)."""
    pending = ExpertLoginRequest.objects.filter(
        expert=OuterRef("pk"), state=ExpertLoginRequest.State.PENDING
    )
    return organisation.experts.select_related("province", "user").annotate(
        login_pending=Exists(pending)
    )


# --- for the panel's opinion (visits) ---------------------------------------------------------


def base_scores_comments(campaign, base) -> list[dict]:
    """Every score of the base in the campaign, submitted or not, with its comments, for the
    panel's opinion sheet: ``{"expert", "expert_name", "criterion", "criterion_name_zh",
    "criterion_name_en", "value", "state", "comment", "confidential_comment",
    "comments_confidential"}`` sorted by criterion and expert. Who may read which comment is the
    rule of this module's comment section; the caller applies it."""
    rows = (
        Score.objects.filter(campaign=campaign, base=base)
        .order_by("criterion__order", "criterion__code", "expert__code")
        .values_list(
            "expert__code",
            "expert__name",
            "criterion__code",
            "criterion__name_zh",
            "criterion__name_en",
            "value",
            "state",
            "comment",
            "confidential_comment",
            "criterion__rubric__comments_confidential",
        )
    )
    keys = (
        "expert",
        "expert_name",
        "criterion",
        "criterion_name_zh",
        "criterion_name_en",
        "value",
        "state",
        "comment",
        "confidential_comment",
        "comments_confidential",
    )
    return [dict(zip(keys, row, strict=True)) for row in rows]


def expert_seats_elsewhere(experts, campaign) -> dict[str, int]:
    """Seats (expert-times) each expert held in published panel sets of campaigns other than
    ``campaign``: the seniority of the leader proposal. Experts without any are absent."""
    return dict(
        PanelMember.objects.filter(
            expert__in=experts, panel__panel_set__state=PanelSet.State.PUBLISHED
        )
        .exclude(panel__panel_set__campaign=campaign)
        .values("expert__code")
        .annotate(seats=Count("pk"))
        .values_list("expert__code", "seats")
    )


# --- the scoring page's evidence ----------------------------------------------------------------


def _in_reader_language(language: str, own: str, other: str) -> str:
    """A practice's text in the reader's language when the base gave it, else as written."""
    from mieval.lib.i18n import in_chinese

    wanted = "zh" if in_chinese() else "en"
    return own if language == wanted or not other else other


def scoring_evidence(*, campaign, base, rubric) -> dict:
    """What bears on each criterion of ``rubric`` for ``base``, for the expert's scoring page,
    in a bounded number of queries (about twenty, whatever the number of bases).

    Returns ``{"summary": {...}, "criteria": {criterion code: {...}}}``. Each of the two holds
    ``values`` (per indicator that applies to the base: its latest value against the quartiles
    of the other bases of its subcategory and its own compound growth,
    :func:`mieval.core.panels.evidence.indicator_evidence`), ``index`` (the latest index run's
    scores and ranks of the base, or None), ``checks`` (the data check's findings),
    ``queries`` (the office's answered or closed data queries, with the answers),
    ``selfeval`` (the report's state and sections, or None), ``reforms``, ``cases``,
    ``people`` (without personal data, which only the office and the base see) and ``visit``
    (the record of the site visit, or None); a criterion's entry holds only what its
    ``evidence`` list chooses (:func:`mieval.core.panels.evidence.evidence_choice`), a kind
    not chosen is absent. Experts' comments are not evidence: they are never shown here.
    """
    from mieval.analytics.models import IndexRun
    from mieval.analytics.selectors import index_node_names
    from mieval.collection.models import Query
    from mieval.collection.selectors import base_peer_frames, campaign_check, campaign_indicators
    from mieval.core.panels.evidence import evidence_choice, indicator_evidence
    from mieval.core.peers import peer_quartiles
    from mieval.lib.i18n import in_chinese, localized
    from mieval.practices.models import Nomination, Reform
    from mieval.selfeval.selectors import report_sections, self_evaluation_for
    from mieval.visits.models import CheckItem
    from mieval.visits.selectors import visit_for

    zh = in_chinese()
    # Values against the peers of the subcategory (two queries).
    peers, values = base_peer_frames(campaign, base)
    comparison = peer_quartiles(values, peers, base.code)
    by_code = {row["code"]: row for row in indicator_evidence(comparison)}
    indicators = campaign_indicators(campaign, base.subcategory.category_id)
    names = {i["code"]: i["name"] for i in indicators}
    value_rows = [
        {
            **i,
            **by_code[i["code"]],
            "cagr_percent": None
            if by_code[i["code"]]["cagr"] is None
            else by_code[i["code"]]["cagr"] * 100,
        }
        for i in indicators
        if i["code"] in by_code
    ]

    # The latest index run (two queries).
    index = None
    run = IndexRun.objects.filter(campaign=campaign).select_related("framework").first()
    if run is not None:
        own = {s.code: s for s in run.scores.filter(base=base)}
        if own:
            node_names = index_node_names(run)
            index = {
                "year": run.year,
                "run": run.pk,
                "rows": [
                    {
                        "code": code,
                        "name": node_names.get(code, code),
                        "score": own[code].score,
                        "rank": own[code].rank,
                        "group_rank": own[code].group_rank,
                        "group_size": own[code].group_size,
                    }
                    for code in run.dimensions
                    if code in own
                ],
            }

    # The data check's findings (the campaign's check, a few queries) and answered queries.
    problems = campaign_check(campaign, base_code=base.code)
    checks = [
        {
            "indicator": row.indicator_code,
            "indicator_name": names.get(row.indicator_code, row.indicator_code),
            "year": None if pd.isna(row.year) else int(row.year),
            "severity": row.severity,
            "message": row.message_zh if zh else row.message,
        }
        for row in problems.itertuples(index=False)
    ]
    queries = []
    for query in (
        Query.objects.filter(campaign=campaign, base=base)
        .exclude(status=Query.Status.OPEN)
        .select_related("indicator")
        .prefetch_related("messages")
        .order_by("indicator__code", "year", "pk")
    ):
        said = list(query.messages.all())
        queries.append(
            {
                "indicator": query.indicator.code,
                "indicator_name": names.get(query.indicator.code, query.indicator.code),
                "year": query.year,
                "status": query.get_status_display(),
                "question": next((m.text for m in said if m.kind == "question"), ""),
                "answers": [m.text for m in said if m.kind in ("answer", "correction")],
            }
        )

    # The self-evaluation (the selector's few queries), once the base has submitted it: a draft
    # is the base's own until then.
    report = self_evaluation_for(campaign=campaign, base=base)
    selfeval = None
    if report is not None and report.state != report.State.DRAFT:
        selfeval = {
            "state": report.get_state_display(),
            "sections": [
                {
                    "code": v.section.code,
                    "title": localized(v.section.title_zh, v.section.title_en),
                    "text": v.text,
                }
                for v in report_sections(report, None)
            ],
        }

    # Reforms, cases and people of the base in the campaign (two queries); no personal data.
    reforms = [
        {
            "title": _in_reader_language(r.language, r.title, r.title_other),
            "description": _in_reader_language(r.language, r.description, r.description_other),
            "introduced_on": r.introduced_on,
            "area": localized(r.effective_area().name_zh, r.effective_area().name_en),
            "status": r.get_status_display(),
        }
        for r in Reform.objects.filter(campaign=campaign, base=base).select_related(
            "area", "area_reported"
        )
    ]
    cases, people = [], []
    for n in Nomination.objects.filter(campaign=campaign, base=base):
        item = {
            "name": _in_reader_language(n.language, n.name, n.name_other),
            "story": _in_reader_language(n.language, n.story, n.story_other),
            "subkind": n.get_subkind_display(),
            "year": n.year,
            "status": n.get_status_display(),
        }
        (cases if n.kind == Nomination.Kind.CASE else people).append(item)

    # The site visit's record (the selector's queries).
    visit = visit_for(campaign=campaign, base=base)
    visit_view = None
    if visit is not None:
        record = getattr(visit, "record", None)
        labels = dict(CheckItem.choices)
        visit_view = {
            "date": visit.date,
            "recorded": record is not None,
            "members_present": [e.name for e in record.members_present.all()] if record else [],
            "base_attendees": record.base_attendees if record else "",
            "checked": [str(labels.get(c, c)) for c in record.checked] if record else [],
            "checked_notes": record.checked_notes if record else "",
            "findings": record.findings if record else "",
            "files": len(record.files.all()) if record else 0,
        }

    everything = {
        "values": value_rows,
        "index": index,
        "checks": checks,
        "queries": queries,
        "selfeval": selfeval,
        "practices": {"reforms": reforms, "cases": cases, "people": people},
        "visit": visit_view,
    }
    criteria = {}
    for c in rubric.criteria.all() if rubric is not None else []:
        choice = evidence_choice(c.evidence)
        shown = {}
        for kind, held in everything.items():
            if not choice.shows(kind):
                continue
            if kind in ("values", "checks", "queries"):
                key = "code" if kind == "values" else "indicator"
                held = [r for r in held if choice.shows_indicator(r[key])]
            elif kind == "selfeval" and held is not None:
                sections = [s for s in held["sections"] if choice.shows_section(s["code"])]
                held = {**held, "sections": sections}
            shown[kind] = held
        criteria[c.code] = shown
    return {"summary": everything, "criteria": criteria}
