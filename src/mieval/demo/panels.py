"""The demo campaign's expert evaluation: a rubric and the experts' scores, drawn at random.

Plain Python, numpy and pandas, no Django. The scores follow the usual measurement model of
rater studies: a score is the base's merit on the criterion, plus the expert's leniency (the
same for all bases the expert scores), plus noise, rounded to whole points and kept within the
criterion's scale. Merit, leniency and noise are normal with the standard deviations below, so
the reliability figures of the demo (ICC, Krippendorff's alpha) are those of a real, moderately
reliable panel rather than of noise or of perfect agreement.
"""

import numpy as np
import pandas as pd

#: The demo rubric, one for every base category: code, names, weight, scale and guidance.
DEMO_RUBRIC: list[dict] = [
    {
        "code": "mechanism",
        "name_zh": "体制机制创新",
        "name_en": "Institutional innovation",
        "weight": "0.25",
        "guidance_zh": "改革举措是否落地、是否可复制推广。",
        "guidance_en": "Are the reforms in force, and can others copy them?",
    },
    {
        "code": "platforms",
        "name_zh": "双创平台与服务",
        "name_en": "Platforms and services",
        "weight": "0.25",
        "guidance_zh": "孵化载体、公共服务平台的规模与服务质量。",
        "guidance_en": "Size and service quality of incubators and public service platforms.",
    },
    {
        "code": "results",
        "name_zh": "双创成效",
        "name_en": "Results",
        "weight": "0.3",
        "guidance_zh": "新增市场主体、专利、就业等实际成效。",
        "guidance_en": "New market entities, patents, jobs and other tangible results.",
    },
    {
        "code": "demonstration",
        "name_zh": "示范带动",
        "name_en": "Demonstration effect",
        "weight": "0.2",
        "guidance_zh": "经验是否被其他地区或单位借鉴，带动作用是否明显。",
        "guidance_en": "Have other places or organisations adopted its practices?",
    },
]

SD_MERIT = 9.0
SD_LENIENCY = 4.0
SD_NOISE = 5.0
MEAN_MERIT = 76.0
_SCORES_STREAM = 4

SCORES_COLUMNS = ["expert_code", "base_code", "criterion_code", "value"]


def sample_scores(assignments: pd.DataFrame, criteria: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Draw every assigned expert's scores of every assigned base on every criterion.

    Parameters
    ----------
    assignments : DataFrame
        ``expert_code, base_code``: who scores which base (one row per pair).
    criteria : DataFrame
        ``code, scale_min, scale_max``.
    seed : int
        The same seed gives the same scores.

    Returns
    -------
    DataFrame
        ``expert_code, base_code, criterion_code, value`` (``value`` a whole number within the
        criterion's scale), sorted by expert, base and criterion order.
    """
    rng = np.random.default_rng([seed, _SCORES_STREAM])
    pairs = assignments[["expert_code", "base_code"]].drop_duplicates()
    pairs = pairs.sort_values(["expert_code", "base_code"], ignore_index=True)
    bases = sorted(pairs["base_code"].unique())
    experts = sorted(pairs["expert_code"].unique())
    n_criteria = len(criteria)
    merit = dict(zip(bases, MEAN_MERIT + SD_MERIT * rng.standard_normal(len(bases)), strict=True))
    # A base is not equally good on every criterion: a smaller spread around its merit.
    profile = {b: 0.5 * SD_MERIT * rng.standard_normal(n_criteria) for b in bases}
    leniency = dict(zip(experts, SD_LENIENCY * rng.standard_normal(len(experts)), strict=True))
    low = criteria["scale_min"].astype(float).to_numpy()
    high = criteria["scale_max"].astype(float).to_numpy()
    rows = []
    for expert, base in pairs.itertuples(index=False):
        raw = merit[base] + profile[base] + leniency[expert]
        raw = raw + SD_NOISE * rng.standard_normal(n_criteria)
        values = np.clip(np.rint(raw), low, high)
        rows.extend(
            (expert, base, code, int(v)) for code, v in zip(criteria["code"], values, strict=True)
        )
    return pd.DataFrame(rows, columns=SCORES_COLUMNS)
