"""The poster's twelve indicators, built into every installation (framework ``mie-core`` v1).

``categories`` lists the base categories an indicator applies to (empty: all). The poster's
table gives one figure per indicator over all bases; the categories below say which bases a
figure is averaged over, e.g. investment in I&E education is "per university".
"""

from dataclasses import dataclass, field

import pandas as pd

FRAMEWORK_CODE = "mie-core"
FRAMEWORK_VERSION = 1

STATS = ("mean", "median", "sum")


def indicator_applies(categories, category: str) -> bool:
    """Whether an indicator limited to ``categories`` (category codes; empty: every category)
    applies to a base of ``category``: the one rule, wherever indicators meet bases."""
    return not categories or category in categories


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name_zh: str
    name_en: str
    unit: str
    unit_zh: str
    direction: int = 1
    stat: str = "mean"
    categories: tuple[str, ...] = field(default_factory=tuple)
    non_negative: bool = True
    decimals: int = 0


POSTER_INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        "new_market_entities",
        "新增市场主体数量",
        "Newly established market entities",
        "count",
        "个",
        categories=("region",),
    ),
    IndicatorSpec(
        "national_talent",
        "国家级高层次人才数量",
        "High-level personnel at the national level",
        "persons",
        "人",
    ),
    IndicatorSpec(
        "incubation_area",
        "孵化载体面积",
        "Incubation platform carrier area",
        "m²",
        "平方米",
    ),
    IndicatorSpec(
        "provincial_rd_centres",
        "省级以上研发中心数量",
        "Research centres at or above the provincial level",
        "count",
        "个",
    ),
    IndicatorSpec("patents_granted", "专利授权数量", "Patents granted", "count", "件"),
    IndicatorSpec(
        "univ_enterprise_coop",
        "高校院所与企业合作数量",
        "Cooperation between universities/institutes and enterprises",
        "count",
        "项",
    ),
    IndicatorSpec(
        "enterprise_gov_projects",
        "企业与地方政府合作项目数量",
        "Joint projects between enterprises and local governments",
        "count",
        "项",
        categories=("region", "enterprise"),
    ),
    IndicatorSpec(
        "inter_enterprise_projects",
        "企业间合作项目数量",
        "Cooperative projects between enterprises",
        "count",
        "项",
        categories=("region", "enterprise"),
    ),
    IndicatorSpec(
        "institute_ie_projects",
        "科研院所双创项目数量",
        "Innovation and entrepreneurship projects of research institutes",
        "count",
        "项",
        categories=("university_institute",),
    ),
    IndicatorSpec(
        "training_reach",
        "培训讲座覆盖人次",
        "People covered by training and lectures",
        "persons",
        "人次",
    ),
    IndicatorSpec(
        "univ_ie_education_investment",
        "高校双创教育与活动投入",
        "Investment in I&E education and activities per university",
        "10,000 yuan",
        "万元",
        categories=("university_institute",),
    ),
    IndicatorSpec(
        "new_urban_employment",
        "城镇新增就业人数",
        "Newly employed urban population",
        "10,000 persons",
        "万人",
        categories=("region",),
        decimals=1,
    ),
)

INDICATOR_COLUMNS = ["code", "name_zh", "name_en", "unit", "direction", "stat", "categories"]


def builtin_indicators_frame() -> pd.DataFrame:
    """The twelve as an ``indicators`` frame (interchange columns, plus ``non_negative``,
    ``unit_zh`` and ``decimals``; ``categories`` as tuples)."""
    return pd.DataFrame(
        [
            {
                "code": s.code,
                "name_zh": s.name_zh,
                "name_en": s.name_en,
                "unit": s.unit,
                "unit_zh": s.unit_zh,
                "direction": s.direction,
                "stat": s.stat,
                "categories": s.categories,
                "non_negative": s.non_negative,
                "decimals": s.decimals,
            }
            for s in POSTER_INDICATORS
        ]
    )
