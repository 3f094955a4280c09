"""Reference data: categories, subcategories, provinces and economic regions.

Plain Python, no Django: the file-mode commands use it directly and a data migration loads it
into the database. Codes are the contract of ``DESIGN.md``; names carry both languages.

Regions are the four economic regions of the National Bureau of Statistics (国家统计局),
provinces are keyed by their two-digit GB/T 2260 code. ``region_group`` folds central and west
together, as the poster's "East and Midwest" comparison does.
"""

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Category:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Subcategory:
    code: str
    category: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Province:
    code: str
    name_zh: str
    name_en: str
    region: str


@dataclass(frozen=True)
class Region:
    code: str
    name_zh: str
    name_en: str
    group: str


CATEGORIES: tuple[Category, ...] = (
    Category("region", "区域", "Region"),
    Category("university_institute", "高校和科研院所", "Universities and institutes"),
    Category("enterprise", "企业", "Enterprise"),
)

SUBCATEGORIES: tuple[Subcategory, ...] = (
    Subcategory("urban_district", "region", "城区", "Urban district"),
    Subcategory("new_area", "region", "新区", "New area"),
    Subcategory(
        "hitech_econ_zone",
        "region",
        "高新区/经开区/开放区",
        "High-tech, economic or open zone",
    ),
    Subcategory("county", "region", "县域", "County"),
    Subcategory("st_university", "university_institute", "理工类高校", "S&T university"),
    Subcategory(
        "comprehensive_university", "university_institute", "综合类高校", "Comprehensive university"
    ),
    Subcategory(
        "specialized_college", "university_institute", "行业特色高校", "Specialised college"
    ),
    Subcategory("cas_institute", "university_institute", "中科院院所", "CAS institute"),
    Subcategory("miit_institute", "university_institute", "工信部院所", "MIIT institute"),
    Subcategory("state_owned", "enterprise", "国有企业", "State-owned enterprise"),
    Subcategory("private", "enterprise", "民营企业", "Private enterprise"),
)

REGIONS: tuple[Region, ...] = (
    Region("east", "东部", "East", "east"),
    Region("central", "中部", "Central", "central_west"),
    Region("west", "西部", "West", "central_west"),
    Region("northeast", "东北", "Northeast", "northeast"),
)

REGION_GROUPS: dict[str, tuple[str, str]] = {
    "east": ("东部", "East"),
    "central_west": ("中西部", "Central and West"),
    "northeast": ("东北", "Northeast"),
}

PROVINCES: tuple[Province, ...] = (
    Province("11", "北京市", "Beijing", "east"),
    Province("12", "天津市", "Tianjin", "east"),
    Province("13", "河北省", "Hebei", "east"),
    Province("14", "山西省", "Shanxi", "central"),
    Province("15", "内蒙古自治区", "Inner Mongolia", "west"),
    Province("21", "辽宁省", "Liaoning", "northeast"),
    Province("22", "吉林省", "Jilin", "northeast"),
    Province("23", "黑龙江省", "Heilongjiang", "northeast"),
    Province("31", "上海市", "Shanghai", "east"),
    Province("32", "江苏省", "Jiangsu", "east"),
    Province("33", "浙江省", "Zhejiang", "east"),
    Province("34", "安徽省", "Anhui", "central"),
    Province("35", "福建省", "Fujian", "east"),
    Province("36", "江西省", "Jiangxi", "central"),
    Province("37", "山东省", "Shandong", "east"),
    Province("41", "河南省", "Henan", "central"),
    Province("42", "湖北省", "Hubei", "central"),
    Province("43", "湖南省", "Hunan", "central"),
    Province("44", "广东省", "Guangdong", "east"),
    Province("45", "广西壮族自治区", "Guangxi", "west"),
    Province("46", "海南省", "Hainan", "east"),
    Province("50", "重庆市", "Chongqing", "west"),
    Province("51", "四川省", "Sichuan", "west"),
    Province("52", "贵州省", "Guizhou", "west"),
    Province("53", "云南省", "Yunnan", "west"),
    Province("54", "西藏自治区", "Tibet", "west"),
    Province("61", "陕西省", "Shaanxi", "west"),
    Province("62", "甘肃省", "Gansu", "west"),
    Province("63", "青海省", "Qinghai", "west"),
    Province("64", "宁夏回族自治区", "Ningxia", "west"),
    Province("65", "新疆维吾尔自治区", "Xinjiang", "west"),
)

CATEGORY_BY_CODE = {c.code: c for c in CATEGORIES}
SUBCATEGORY_BY_CODE = {s.code: s for s in SUBCATEGORIES}
PROVINCE_BY_CODE = {p.code: p for p in PROVINCES}
REGION_BY_CODE = {r.code: r for r in REGIONS}

#: The programme's batches by the year they were named, as the State Council's lists call them.
BATCH_NAMES: dict[str, tuple[str, str]] = {
    "2016": ("首批（2016年）", "First batch (2016)"),
    "2017": ("第二批（2017年）", "Second batch (2017)"),
    "2020": ("第三批（2020年）", "Third batch (2020)"),
}

#: Base fields that ``trends --by`` and grouping steps accept.
GROUP_FIELDS = ("category", "subcategory", "province", "region", "region_group", "batch")


def region_of(province: str) -> str:
    return PROVINCE_BY_CODE[province].region


def region_group_of(province: str) -> str:
    return REGION_BY_CODE[region_of(province)].group


def group_label(field: str, code: str) -> tuple[str, str]:
    """The Chinese and English names of a group value, for tables a person reads."""
    table = {
        "category": {c.code: (c.name_zh, c.name_en) for c in CATEGORIES},
        "subcategory": {s.code: (s.name_zh, s.name_en) for s in SUBCATEGORIES},
        "province": {p.code: (p.name_zh, p.name_en) for p in PROVINCES},
        "region": {r.code: (r.name_zh, r.name_en) for r in REGIONS},
        "region_group": REGION_GROUPS,
    }.get(field, {})
    if code == "all":
        return ("全部", "All")
    if field == "batch":
        return BATCH_NAMES.get(str(code), (f"{code}年批次", f"Batch {code}"))
    return table.get(code, (code, code))


def group_order(field: str) -> list[str]:
    """The reading order of a field's values (reference order, not alphabetical)."""
    return {
        "category": [c.code for c in CATEGORIES],
        "subcategory": [s.code for s in SUBCATEGORIES],
        "province": [p.code for p in PROVINCES],
        "region": [r.code for r in REGIONS],
        "region_group": list(REGION_GROUPS),
    }.get(field, [])


def bases_with_derived_fields(bases: pd.DataFrame) -> pd.DataFrame:
    """A copy of a bases frame with ``region`` and ``region_group`` derived from ``province``.

    ``bases`` needs a ``province`` column of GB/T 2260 two-digit codes (as strings). Unknown
    provinces give missing regions; validation of the file reports them before this point.
    """
    out = bases.copy()
    province = out["province"].astype("string")
    region = province.map({p.code: p.region for p in PROVINCES})
    out["region"] = region
    out["region_group"] = region.map({r.code: r.group for r in REGIONS})
    return out
