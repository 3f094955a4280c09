r"""Expert scores of the bases: rubric totals, aggregation, leniency, reliability, grades.

Plain functions on pandas/numpy/scipy, no Django. Every function takes a long frame plus the
names of its columns and returns a new frame with the fixed columns listed in its docstring;
the input is never modified. Nothing is rounded.

Naming: ``scores_*`` turn raw scores into other scores (``scores_total``, ``scores_aggregate``,
``scores_correct_leniency``); ``icc_*`` and ``krippendorff_alpha`` measure agreement;
``scorers_flag`` and ``grades_assign`` produce frames a person reads. Notes in the ``note``
columns are :class:`ScoreNote` codes; :data:`NOTE_TEXT` gives their Chinese and English text.

Pipeline
--------
1. ``scores_total``: rubric scores (``base, expert, panel, criterion, score``) and criterion
   weights -> one weighted total per expert and base.
2. ``scores_aggregate``: totals -> mean, trimmed mean and median per base.
3. ``scores_correct_leniency``: totals -> base effects of the additive model
   :math:`x_{eb} = \beta_b + \lambda_e + \varepsilon_{eb}` where panels are connected.
4. ``icc_panels`` and ``krippendorff_alpha``: reliability per panel and over the campaign.
5. ``scorers_flag``: experts whose scores stand apart, for a human look.
6. ``grades_assign``: expert score and composite index score -> grade.

References
----------
.. [SF79] Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing
   rater reliability. *Psychological Bulletin*, 86(2), 420-428.
.. [McGW96] McGraw, K. O., & Wong, S. P. (1996). Forming inferences about some intraclass
   correlation coefficients. *Psychological Methods*, 1(1), 30-46.
.. [K11] Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School
   for Communication, University of Pennsylvania, Departmental Papers 43.
.. [IH93] Iglewicz, B., & Hoaglin, D. C. (1993). *How to detect and handle outliers*. ASQC
   Quality Press (the modified z-score and its 3.5 cut-off).
.. [L89] Linacre, J. M. (1989). *Many-facet Rasch measurement*. MESA Press (rater severity
   as a facet; the additive model here is its linear, least-squares analogue).
.. [HRS91] Houston, W. M., Raymond, M. R., & Svec, J. C. (1991). Adjustments for rater effects
   in performance assessment. *Applied Psychological Measurement*, 15(4), 409-421 (ordinary
   least squares estimation of additive rater effects in incomplete designs).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import sparse, stats
from scipy.sparse import csgraph

from mieval.core.robust import modified_z


class ScoreNote(enum.StrEnum):
    """Codes written in the ``note`` columns."""

    INCOMPLETE_RUBRIC = "incomplete_rubric"
    TOO_FEW_TO_TRIM = "too_few_to_trim"
    PANEL_NOT_CONNECTED = "panel_not_connected"
    TOO_FEW_FOR_ICC = "too_few_for_icc"
    TOO_FEW_TO_COMPARE = "too_few_to_compare"
    MISSING_SCORE = "missing_score"


#: Chinese and English text of each note, for the tables a person reads.
NOTE_TEXT: dict[str, tuple[str, str]] = {
    ScoreNote.INCOMPLETE_RUBRIC: (
        "部分评分项未打分，总分按已打分项的权重重新归一计算。",
        "Some criteria were not scored; the total uses the scored criteria's weights rescaled.",
    ),
    ScoreNote.TOO_FEW_TO_TRIM: (
        "专家少于3人，截尾均值取算术平均值。",
        "Fewer than 3 experts: the trimmed mean is the mean.",
    ),
    ScoreNote.PANEL_NOT_CONNECTED: (
        "该专家组未通过共同评审的基地与其他专家组相连，不做宽严校正，保留原始分。",
        "The panel shares no base with other panels: no leniency correction, raw scores kept.",
    ),
    ScoreNote.TOO_FEW_FOR_ICC: (
        "完整数据少于2个基地或2名专家，无法计算组内相关系数。",
        "Fewer than 2 bases or 2 experts with complete data: no ICC.",
    ),
    ScoreNote.TOO_FEW_TO_COMPARE: (
        "没有与其他专家共同评审的基地，无法比较。",
        "No base shared with another expert: nothing to compare.",
    ),
    ScoreNote.MISSING_SCORE: (
        "缺少专家评分或综合指数得分，无法定级。",
        "The expert score or the composite index score is missing: no grade.",
    ),
}


class Grade(enum.StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    QUALIFIED = "qualified"
    UNQUALIFIED = "unqualified"


#: Grade code -> (Chinese, English) label.
GRADE_NAMES: dict[str, tuple[str, str]] = {
    Grade.EXCELLENT: ("优秀", "excellent"),
    Grade.GOOD: ("良好", "good"),
    Grade.QUALIFIED: ("合格", "qualified"),
    Grade.UNQUALIFIED: ("不合格", "unqualified"),
}


def _require_columns(data: pd.DataFrame, columns: Mapping[str, str], what: str) -> None:
    missing = [f"{role} '{name}'" for role, name in columns.items() if name not in data.columns]
    if missing:
        raise ValueError(
            f"{what}: column {', '.join(missing)} not in the frame; "
            f"its columns are {list(data.columns)}"
        )


def _require_unique(data: pd.DataFrame, keys: list[str], what: str) -> None:
    duplicated = data.duplicated(keys, keep=False)
    if duplicated.any():
        first = data.loc[duplicated, keys].iloc[0].tolist()
        raise ValueError(f"{what}: {dict(zip(keys, first, strict=True))} appears more than once")


# --------------------------------------------------------------------------- 1. rubric totals


def scores_total(
    data: pd.DataFrame,
    weights: Mapping[str, float] | pd.Series,
    *,
    base: str = "base",
    expert: str = "expert",
    panel: str = "panel",
    criterion: str = "criterion",
    score: str = "score",
) -> pd.DataFrame:
    r"""Each expert's weighted rubric total per base.

    With weights :math:`w_c \ge 0` and the set :math:`C_{eb}` of criteria expert :math:`e`
    scored for base :math:`b` (a missing row or a NaN score is "not scored"),

    .. math:: T_{eb} = \frac{\sum_{c \in C_{eb}} w_c s_{ebc}}{\sum_{c \in C_{eb}} w_c}

    i.e. the weights are normalised to sum to 1, and when a criterion is missing the weights of
    the scored criteria are rescaled to sum to 1: the total stays on the scores' scale, as if the
    missing criterion had been scored at the expert's own weighted mean. Such totals are flagged
    (``incomplete``, note ``incomplete_rubric``) and ``weight_scored`` tells what share of the
    rubric's weight they rest on. Criteria of weight 0 count towards neither.

    Parameters
    ----------
    data : DataFrame
        Long frame, one row per base, expert and criterion.
    weights : mapping or Series
        Criterion -> weight; every scored criterion must have one; at least one positive.

    Returns
    -------
    DataFrame
        ``base, expert, panel, total, n_scored, n_missing, weight_scored, incomplete, note``,
        one row per (base, expert, panel), sorted by them. ``n_missing`` counts the rubric's
        criteria of positive weight that were not scored.
    """
    _require_columns(
        data,
        {"base": base, "expert": expert, "panel": panel, "criterion": criterion, "score": score},
        "scores_total",
    )
    w = pd.Series(weights, dtype=float)
    if w.isna().any() or (w < 0).any() or not (w > 0).any():
        raise ValueError(
            f"scores_total: weights {w.to_dict()} must be non-negative numbers, one at least > 0"
        )
    unknown = sorted(set(data[criterion].dropna()) - set(w.index))
    if unknown:
        raise ValueError(
            f"scores_total: criteria {unknown} have no weight; the weighted criteria are "
            f"{sorted(w.index)}"
        )
    keys = [base, expert, panel]
    _require_unique(data, [*keys, criterion], "scores_total")

    frame = data[[*keys, criterion, score]].copy()
    frame["_w"] = frame[criterion].map(w)
    scored = frame[frame[score].notna() & (frame["_w"] > 0)]
    frame_keys = frame[keys].drop_duplicates()
    scored = scored.assign(_ws=scored["_w"] * scored[score])
    sums = scored.groupby(keys, sort=False).agg(
        _ws=("_ws", "sum"), _w=("_w", "sum"), n_scored=(criterion, "size")
    )
    out = frame_keys.merge(sums.reset_index(), on=keys, how="left")
    total_weight = float(w[w > 0].sum())
    n_rubric = int((w > 0).sum())
    out["n_scored"] = out["n_scored"].fillna(0).astype(int)
    out["total"] = out["_ws"] / out["_w"]
    out["n_missing"] = n_rubric - out["n_scored"]
    out["weight_scored"] = out["_w"].fillna(0.0) / total_weight
    out["incomplete"] = out["n_missing"] > 0
    out["note"] = np.where(out["incomplete"], str(ScoreNote.INCOMPLETE_RUBRIC), "")
    out = out.rename(columns={base: "base", expert: "expert", panel: "panel"})
    columns = ["base", "expert", "panel", "total", "n_scored", "n_missing", "weight_scored"]
    out = out[[*columns, "incomplete", "note"]]
    return out.sort_values(["base", "expert", "panel"], ignore_index=True)


# --------------------------------------------------------------------------- 2. aggregation


def _trimmed_mean(values: np.ndarray) -> float:
    if len(values) < 3:
        return float(np.mean(values))
    ordered = np.sort(values)
    return float(np.mean(ordered[1:-1]))


def scores_aggregate(
    data: pd.DataFrame, *, base: str = "base", expert: str = "expert", score: str = "total"
) -> pd.DataFrame:
    r"""Mean, trimmed mean and median of the experts' scores per base, side by side.

    The trimmed mean drops exactly one highest and one lowest score (one of each when there
    are ties) and averages the :math:`n - 2` others; it is defined for :math:`n \ge 3`. With
    fewer scores it is the mean and the row carries the note ``too_few_to_trim``. NaN scores
    are ignored.

    Returns
    -------
    DataFrame
        ``base, n_experts, mean, trimmed_mean, median, note``, one row per base, sorted.
    """
    _require_columns(data, {"base": base, "expert": expert, "score": score}, "scores_aggregate")
    _require_unique(data, [base, expert], "scores_aggregate")
    frame = data.loc[data[score].notna(), [base, score]]
    rows = []
    for key, group in frame.groupby(base, sort=True):
        values = group[score].to_numpy(dtype=float)
        rows.append(
            {
                "base": key,
                "n_experts": len(values),
                "mean": float(np.mean(values)),
                "trimmed_mean": _trimmed_mean(values),
                "median": float(np.median(values)),
                "note": str(ScoreNote.TOO_FEW_TO_TRIM) if len(values) < 3 else "",
            }
        )
    columns = ["base", "n_experts", "mean", "trimmed_mean", "median", "note"]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- 3. leniency


@dataclasses.dataclass(frozen=True)
class LeniencyResult:
    """Frames of :func:`scores_correct_leniency`; columns are listed there."""

    bases: pd.DataFrame
    experts: pd.DataFrame
    components: pd.DataFrame


def scores_correct_leniency(
    data: pd.DataFrame,
    *,
    base: str = "base",
    expert: str = "expert",
    panel: str = "panel",
    score: str = "total",
) -> LeniencyResult:
    r"""Correct for expert leniency where shared anchor bases connect the panels.

    Model
    -----
    The additive rater-effect model

    .. math:: x_{eb} = \beta_b + \lambda_e + \varepsilon_{eb},
              \qquad \sum_{e \in K} \lambda_e = 0 \text{ in each component } K,

    with :math:`\beta_b` the base's score as an average expert of its component would give it
    and :math:`\lambda_e` the expert's leniency (positive: lenient), fitted by ordinary least
    squares on every (expert, base) score [HRS91]_. It is the linear analogue of the rater
    "severity" facet of Linacre's many-facet Rasch model [L89]_.

    The effects are identified only within a connected component of the bipartite graph whose
    nodes are experts and bases and whose edges are the scores: within one, the least-squares
    solution is unique up to a constant moved between all :math:`\beta` and all :math:`\lambda`,
    which the sum-to-zero constraint fixes. Across components nothing links the scales, so each
    component is fitted and reported on its own (``component``) and no comparison across
    components is implied.

    A component is corrected only when it holds experts of two panels or more, i.e. when anchor
    bases (bases scored by experts of more than one panel) or experts sitting on several panels
    connect the panels. A component holding a single panel is refused, note
    ``panel_not_connected``: its experts scored only their own group's bases, so an expert's
    leniency and the quality of the group's bases cannot be told apart, and removing the expert
    means within the group (standardising per expert across disjoint groups) would erase real
    differences between groups. Its bases keep their raw mean.

    Returns
    -------
    LeniencyResult
        ``bases``: ``base, component, n_experts, raw_mean, adjusted, corrected, note``;
        ``adjusted`` is :math:`\hat\beta_b` where corrected, the raw mean otherwise.
        ``experts``: ``expert, component, n_bases, effect, corrected, note`` (``effect`` is
        :math:`\hat\lambda_e`, NaN where not corrected).
        ``components``: ``component, panels, n_panels, n_experts, n_bases, n_anchor_bases,
        n_scores, rmse, corrected, note``; ``panels`` is the sorted panel codes joined by
        ``;``; ``rmse`` is :math:`\sqrt{\sum \hat\varepsilon^2 / (N - B - E + 1)}` (NaN without
        residual degrees of freedom or where not corrected).
    """
    _require_columns(
        data,
        {"base": base, "expert": expert, "panel": panel, "score": score},
        "scores_correct_leniency",
    )
    _require_unique(data, [base, expert], "scores_correct_leniency")
    frame = data.loc[data[score].notna(), [base, expert, panel, score]]
    base_codes, base_index = np.unique(frame[base].to_numpy(), return_inverse=True)
    expert_codes, expert_index = np.unique(frame[expert].to_numpy(), return_inverse=True)
    n_b, n_e = len(base_codes), len(expert_codes)
    graph = sparse.coo_matrix(
        (np.ones(len(frame)), (base_index, n_b + expert_index)), shape=(n_b + n_e, n_b + n_e)
    )
    _, labels = csgraph.connected_components(graph, directed=False)
    # number components in the order of their first base, for stable output
    order = {label: i + 1 for i, label in enumerate(dict.fromkeys(labels[:n_b]))}
    base_component = np.array([order[label] for label in labels[:n_b]])
    expert_component = np.array([order[label] for label in labels[n_b:]])
    row_component = base_component[base_index]
    values = frame[score].to_numpy(dtype=float)
    panels = frame[panel].to_numpy()

    base_rows, expert_rows, component_rows = [], [], []
    for k in range(1, len(order) + 1):
        rows = np.flatnonzero(row_component == k)
        bases_k = np.flatnonzero(base_component == k)
        experts_k = np.flatnonzero(expert_component == k)
        panel_sets = pd.Series(panels[rows]).groupby(base_index[rows]).nunique()
        panels_k = sorted({str(p) for p in panels[rows]})
        corrected = len(panels_k) > 1
        beta = np.full(len(bases_k), np.nan)
        effect = np.full(len(experts_k), np.nan)
        rmse = np.nan
        if corrected:
            b_local = np.searchsorted(bases_k, base_index[rows])
            e_local = np.searchsorted(experts_k, expert_index[rows])
            design = np.zeros((len(rows), len(bases_k) + len(experts_k)))
            design[np.arange(len(rows)), b_local] = 1.0
            design[np.arange(len(rows)), len(bases_k) + e_local] = 1.0
            solution, *_ = np.linalg.lstsq(design, values[rows], rcond=None)
            beta, effect = solution[: len(bases_k)], solution[len(bases_k) :]
            # the one free constant: move the experts' mean effect into the base effects
            shift = effect.mean()
            beta, effect = beta + shift, effect - shift
            dof = len(rows) - len(bases_k) - len(experts_k) + 1
            if dof > 0:
                residual = values[rows] - beta[b_local] - effect[e_local]
                rmse = float(np.sqrt(residual @ residual / dof))
        note = "" if corrected else str(ScoreNote.PANEL_NOT_CONNECTED)
        component_rows.append(
            {
                "component": k,
                "panels": ";".join(panels_k),
                "n_panels": len(panels_k),
                "n_experts": len(experts_k),
                "n_bases": len(bases_k),
                "n_anchor_bases": int((panel_sets > 1).sum()),
                "n_scores": len(rows),
                "rmse": rmse,
                "corrected": corrected,
                "note": note,
            }
        )
        for i, b in enumerate(bases_k):
            scores_b = values[base_index == b]
            raw = float(scores_b.mean())
            base_rows.append(
                {
                    "base": base_codes[b],
                    "component": k,
                    "n_experts": len(scores_b),
                    "raw_mean": raw,
                    "adjusted": float(beta[i]) if corrected else raw,
                    "corrected": corrected,
                    "note": note,
                }
            )
        for i, e in enumerate(experts_k):
            expert_rows.append(
                {
                    "expert": expert_codes[e],
                    "component": k,
                    "n_bases": int((expert_index == e).sum()),
                    "effect": float(effect[i]),
                    "corrected": corrected,
                    "note": note,
                }
            )
    return LeniencyResult(
        bases=pd.DataFrame(
            base_rows,
            columns=["base", "component", "n_experts", "raw_mean", "adjusted", "corrected", "note"],
        ),
        experts=pd.DataFrame(
            expert_rows,
            columns=["expert", "component", "n_bases", "effect", "corrected", "note"],
        ),
        components=pd.DataFrame(
            component_rows,
            columns=[
                "component",
                "panels",
                "n_panels",
                "n_experts",
                "n_bases",
                "n_anchor_bases",
                "n_scores",
                "rmse",
                "corrected",
                "note",
            ],
        ),
    )


# --------------------------------------------------------------------------- 4. reliability

_ICC_DESCRIPTIONS = {
    "ICC1": "Single raters absolute",
    "ICC2": "Single random raters",
    "ICC3": "Single fixed raters",
    "ICC1k": "Average raters absolute",
    "ICC2k": "Average random raters",
    "ICC3k": "Average fixed raters",
}


def icc_table(data: pd.DataFrame, targets: str, raters: str, ratings: str) -> pd.DataFrame:
    r"""Shrout & Fleiss's six intraclass correlations on complete data [SF79]_.

    From the two-way ANOVA of :math:`n` targets by :math:`k` raters, with mean squares
    :math:`BMS` (targets), :math:`JMS` (raters), :math:`EMS` (residual) and
    :math:`WMS = (SS_J + SS_E) / (n(k-1))` (within targets):

    .. math::
        ICC(1,1) &= \frac{BMS - WMS}{BMS + (k-1) WMS}, &
        ICC(1,k) &= \frac{BMS - WMS}{BMS} \\
        ICC(2,1) &= \frac{BMS - EMS}{BMS + (k-1) EMS + k (JMS - EMS) / n}, &
        ICC(2,k) &= \frac{BMS - EMS}{BMS + (JMS - EMS) / n} \\
        ICC(3,1) &= \frac{BMS - EMS}{BMS + (k-1) EMS}, &
        ICC(3,k) &= \frac{BMS - EMS}{BMS}

    ICC(2,·) is the two-way random model (raters a sample; absolute agreement), ICC(3,·) the
    two-way mixed model (these raters; consistency). The F tests are those of [McGW96]_:
    :math:`F = BMS/WMS` on :math:`(n-1, n(k-1))` for ICC1 and :math:`F = BMS/EMS` on
    :math:`(n-1, (n-1)(k-1))` otherwise (as in pingouin's ``intraclass_corr``).

    Returns
    -------
    DataFrame
        ``type, description, icc, F, df1, df2, pval``; rows ICC1, ICC2, ICC3, ICC1k, ICC2k,
        ICC3k in pingouin's order.

    Raises
    ------
    ValueError
        When a target lacks a rater's rating, a pair appears twice, or there are fewer than
        2 targets or 2 raters.
    """
    _require_columns(data, {"targets": targets, "raters": raters, "ratings": ratings}, "icc_table")
    _require_unique(data, [targets, raters], "icc_table")
    wide = data.pivot(index=targets, columns=raters, values=ratings)
    if wide.isna().to_numpy().any():
        target = wide.index[wide.isna().any(axis=1)][0]
        raise ValueError(
            f"icc_table: target {target!r} lacks a rating from some rater; the ICCs need "
            "every rater to rate every target"
        )
    x = wide.to_numpy(dtype=float)
    n, k = x.shape
    if n < 2 or k < 2:
        raise ValueError(f"icc_table: {n} targets x {k} raters; at least 2 x 2 are needed")
    grand = x.mean()
    ss_b = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_j = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_t = ((x - grand) ** 2).sum()
    ss_e = ss_t - ss_b - ss_j
    bms = ss_b / (n - 1)
    jms = ss_j / (k - 1)
    ems = ss_e / ((n - 1) * (k - 1))
    wms = (ss_j + ss_e) / (n * (k - 1))
    icc = {
        "ICC1": (bms - wms) / (bms + (k - 1) * wms),
        "ICC2": (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n),
        "ICC3": (bms - ems) / (bms + (k - 1) * ems),
        "ICC1k": (bms - wms) / bms,
        "ICC2k": (bms - ems) / (bms + (jms - ems) / n),
        "ICC3k": (bms - ems) / bms,
    }
    rows = []
    for kind in ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]:
        # Raters who differ from each other by a constant only leave no residual (ems = 0):
        # F is then infinite and its p-value 0, the limit, without numpy's warning.
        with np.errstate(divide="ignore"):
            if kind.startswith("ICC1"):
                f, df1, df2 = np.float64(bms) / wms, n - 1, n * (k - 1)
            else:
                f, df1, df2 = np.float64(bms) / ems, n - 1, (n - 1) * (k - 1)
        rows.append(
            {
                "type": kind,
                "description": _ICC_DESCRIPTIONS[kind],
                "icc": float(icc[kind]),
                "F": float(f),
                "df1": df1,
                "df2": df2,
                "pval": float(stats.f.sf(f, df1, df2)),
            }
        )
    return pd.DataFrame(rows, columns=["type", "description", "icc", "F", "df1", "df2", "pval"])


def icc_panels(
    data: pd.DataFrame,
    *,
    base: str = "base",
    expert: str = "expert",
    panel: str = "panel",
    score: str = "total",
) -> pd.DataFrame:
    """:func:`icc_table` per panel, on the panel's complete experts x bases data.

    A panel's experts are those with a score in the panel; its bases those with a score in the
    panel. Only the bases scored by every one of the panel's experts enter (complete data; a
    base missing an expert's score is left out and counted in ``n_bases_dropped``). A panel with
    fewer than 2 such bases or 2 experts gets NaN and the note ``too_few_for_icc``.

    Returns
    -------
    DataFrame
        ``panel, type, icc, F, df1, df2, pval, n_bases, n_experts, n_bases_dropped, note``;
        six rows per panel (ICC1 ... ICC3k), panels sorted.
    """
    _require_columns(
        data, {"base": base, "expert": expert, "panel": panel, "score": score}, "icc_panels"
    )
    frame = data.loc[data[score].notna(), [panel, base, expert, score]]
    kinds = ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]
    parts = []
    for key, group in frame.groupby(panel, sort=True):
        n_experts = group[expert].nunique()
        counts = group.groupby(base)[expert].nunique()
        complete = counts.index[counts == n_experts]
        n_dropped = len(counts) - len(complete)
        if len(complete) >= 2 and n_experts >= 2:
            table = icc_table(group[group[base].isin(complete)], base, expert, score)
            table = table.drop(columns="description")
            note = ""
        else:
            table = pd.DataFrame({"type": kinds})
            for column in ["icc", "F", "df1", "df2", "pval"]:
                table[column] = np.nan
            note = str(ScoreNote.TOO_FEW_FOR_ICC)
        table.insert(0, "panel", key)
        table["n_bases"] = len(complete)
        table["n_experts"] = n_experts
        table["n_bases_dropped"] = n_dropped
        table["note"] = note
        parts.append(table)
    columns = [
        "panel",
        "type",
        "icc",
        "F",
        "df1",
        "df2",
        "pval",
        "n_bases",
        "n_experts",
        "n_bases_dropped",
        "note",
    ]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def krippendorff_alpha(
    data: pd.DataFrame,
    *,
    units: str = "base",
    coders: str = "expert",
    values: str = "total",
    metric: str = "interval",
) -> float:
    r"""Krippendorff's alpha with missing data [K11]_.

    Only pairable values enter: those of units with :math:`m_u \ge 2` values. The coincidence
    matrix counts, for each unit, every ordered pair of values from different coders weighted
    by :math:`1/(m_u - 1)`:

    .. math:: o_{ck} = \sum_u \frac{\#\{(c,k) \text{ pairs in } u\}}{m_u - 1}, \qquad
              n_c = \sum_k o_{ck}, \qquad n = \sum_c n_c,

    .. math:: \alpha = 1 - \frac{D_o}{D_e}
              = 1 - (n - 1) \frac{\sum_{c,k} o_{ck}\, \delta^2_{ck}}
                                 {\sum_{c,k} n_c n_k\, \delta^2_{ck}}.

    Metrics :math:`\delta^2_{ck}`: ``nominal`` :math:`[c \ne k]`; ``interval``
    :math:`(c-k)^2`; ``ratio`` :math:`((c-k)/(c+k))^2`; ``ordinal``
    :math:`(\sum_{g=c}^{k} n_g - (n_c + n_k)/2)^2` over the ordered values.

    Values must be numbers (nominal categories too: code them as numbers). The per-unit
    pair counts are summed over units, so the cost is linear in the number of scores and
    quadratic in the number of distinct values.

    Returns
    -------
    float
        Alpha; NaN when there is no pairable value or no expected disagreement.
    """
    _require_columns(
        data, {"units": units, "coders": coders, "values": values}, "krippendorff_alpha"
    )
    metrics = ("nominal", "ordinal", "interval", "ratio")
    if metric not in metrics:
        raise ValueError(f"krippendorff_alpha: metric {metric!r} is not one of {metrics}")
    _require_unique(data, [units, coders], "krippendorff_alpha")
    frame = data.loc[data[values].notna(), [units, values]]
    m_u = frame.groupby(units)[values].transform("size")
    frame = frame[m_u >= 2]
    if frame.empty:
        return float("nan")
    levels, codes = np.unique(frame[values].to_numpy(dtype=float), return_inverse=True)
    unit_codes = pd.factorize(frame[units])[0]
    counts = np.zeros((unit_codes.max() + 1, len(levels)))
    np.add.at(counts, (unit_codes, codes), 1.0)
    m = counts.sum(axis=1)
    # o_ck = sum_u (n_uc n_uk - [c=k] n_uc) / (m_u - 1)
    scaled = counts / (m - 1)[:, None]
    coincidence = scaled.T @ counts - np.diag(scaled.sum(axis=0))
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    c, k = np.meshgrid(levels, levels, indexing="ij")
    if metric == "nominal":
        delta = (c != k).astype(float)
    elif metric == "interval":
        delta = (c - k) ** 2
    elif metric == "ratio":
        with np.errstate(invalid="ignore", divide="ignore"):
            delta = np.where(c + k == 0, 0.0, ((c - k) / (c + k)) ** 2)
    else:
        cumulative = np.cumsum(n_c)
        i, j = np.meshgrid(np.arange(len(levels)), np.arange(len(levels)), indexing="ij")
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        between = cumulative[hi] - cumulative[lo] + n_c[lo]
        delta = (between - (n_c[i] + n_c[j]) / 2) ** 2
    expected = n_c @ delta @ n_c
    if expected == 0:
        return float("nan")
    return float(1.0 - (n - 1) * (coincidence * delta).sum() / expected)


# --------------------------------------------------------------------------- 5. outlying scorers


def scorers_flag(
    data: pd.DataFrame,
    *,
    base: str = "base",
    expert: str = "expert",
    score: str = "total",
    threshold: float = 3.5,
) -> pd.DataFrame:
    r"""Experts whose scores stand apart from their colleagues', flagged for a human look.

    For expert :math:`e` and each base :math:`b` they scored with at least one other expert,
    the deviation :math:`d_{eb} = x_{eb} - \bar x_{b,-e}` from the mean of the other experts'
    scores on :math:`b`; the expert's mean deviation :math:`\bar d_e` over those bases; and its
    modified z-score over the experts [IH93]_

    .. math:: M_e = \frac{0.6745\,(\bar d_e - \operatorname{med} \bar d)}
                         {\operatorname{MAD}}, \qquad
              \operatorname{MAD} = \operatorname{med} |\bar d - \operatorname{med} \bar d|,

    flagged when :math:`|M_e| > 3.5` (``threshold``). When MAD is 0 (more than half the experts
    share the median) the mean absolute deviation stands in, :math:`M_e = (\bar d_e - \operatorname
    {med} \bar d) / (1.253314 \cdot \text{MeanAD})`; when that is 0 too, every :math:`M_e` is 0
    (:func:`mieval.core.robust.modified_z`).
    Nobody is dropped: the frame only points at whom to look at.

    Returns
    -------
    DataFrame
        ``expert, n_bases, mean_deviation, modified_z, flagged, note``, sorted by expert;
        experts with no shared base have NaN, ``flagged`` False and the note
        ``too_few_to_compare``.
    """
    _require_columns(data, {"base": base, "expert": expert, "score": score}, "scorers_flag")
    _require_unique(data, [base, expert], "scorers_flag")
    frame = data.loc[data[score].notna(), [base, expert, score]].copy()
    by_base = frame.groupby(base)[score]
    count = by_base.transform("size")
    total = by_base.transform("sum")
    shared = count >= 2
    frame["_d"] = np.where(
        shared, frame[score] - (total - frame[score]) / (count - 1).where(shared), np.nan
    )
    per_expert = frame.groupby(expert, sort=True).agg(
        n_bases=("_d", "count"), mean_deviation=("_d", "mean")
    )
    z = modified_z(per_expert["mean_deviation"].to_numpy())
    out = per_expert.reset_index().rename(columns={expert: "expert"})
    out["modified_z"] = z
    out["flagged"] = (out["modified_z"].abs() > threshold).fillna(False).astype(bool)
    out["note"] = np.where(out["n_bases"] == 0, str(ScoreNote.TOO_FEW_TO_COMPARE), "")
    return out[["expert", "n_bases", "mean_deviation", "modified_z", "flagged", "note"]]


# --------------------------------------------------------------------------- 6. grades


@dataclasses.dataclass(frozen=True)
class GradeConfig:
    """How the final grade is formed.

    ``expert_weight`` and ``index_weight`` (normalised to sum to 1) combine the expert score and
    the composite index score, both on a 0-100 scale; ``thresholds`` are inclusive lower bounds
    of the combined score for excellent, good and qualified, strictly decreasing; anything
    below the last is unqualified.
    """

    expert_weight: float = 0.5
    index_weight: float = 0.5
    excellent: float = 90.0
    good: float = 80.0
    qualified: float = 60.0

    def __post_init__(self) -> None:
        if self.expert_weight < 0 or self.index_weight < 0:
            raise ValueError(
                f"GradeConfig: weights {self.expert_weight}, {self.index_weight} must be >= 0"
            )
        if self.expert_weight + self.index_weight <= 0:
            raise ValueError("GradeConfig: the expert and index weights must not both be 0")
        if not self.excellent > self.good > self.qualified:
            raise ValueError(
                f"GradeConfig: thresholds excellent {self.excellent}, good {self.good}, "
                f"qualified {self.qualified} must be strictly decreasing"
            )


def grades_assign(
    data: pd.DataFrame,
    config: GradeConfig | None = None,
    *,
    base: str = "base",
    expert_score: str = "expert_score",
    index_score: str = "index_score",
) -> pd.DataFrame:
    r"""Grade each base from its expert score and composite index score.

    .. math:: S_b = \frac{w_E E_b + w_I I_b}{w_E + w_I}

    and the grade is excellent when :math:`S_b \ge` ``excellent``, else good when
    :math:`S_b \ge` ``good``, else qualified when :math:`S_b \ge` ``qualified``, else
    unqualified (inclusive lower bounds). A base missing a score its weight needs gets no
    grade (empty ``grade``) and the note ``missing_score``; a score of weight 0 is not needed.

    Returns
    -------
    DataFrame
        ``base, expert_score, index_score, combined, grade, grade_zh, grade_en, note``, in the
        input's order. Labels come from :data:`GRADE_NAMES`.
    """
    config = config or GradeConfig()
    _require_columns(
        data,
        {"base": base, "expert_score": expert_score, "index_score": index_score},
        "grades_assign",
    )
    _require_unique(data, [base], "grades_assign")
    e = data[expert_score].astype(float).to_numpy()
    i = data[index_score].astype(float).to_numpy()
    we, wi = config.expert_weight, config.index_weight
    parts_e = np.where(we == 0, 0.0, we * e)
    parts_i = np.where(wi == 0, 0.0, wi * i)
    combined = (parts_e + parts_i) / (we + wi)
    grade = np.select(
        [
            np.isnan(combined),
            combined >= config.excellent,
            combined >= config.good,
            combined >= config.qualified,
        ],
        ["", Grade.EXCELLENT, Grade.GOOD, Grade.QUALIFIED],
        default=str(Grade.UNQUALIFIED),
    )
    out = pd.DataFrame(
        {
            "base": data[base].to_numpy(),
            "expert_score": e,
            "index_score": i,
            "combined": combined,
            "grade": grade.astype(str),
        }
    )
    out["grade_zh"] = out["grade"].map(lambda g: GRADE_NAMES[g][0] if g else "")
    out["grade_en"] = out["grade"].map(lambda g: GRADE_NAMES[g][1] if g else "")
    out["note"] = np.where(np.isnan(combined), str(ScoreNote.MISSING_SCORE), "")
    return out
