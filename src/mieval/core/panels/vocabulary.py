"""Codes of the expert-panel files: organisation kinds, expert roles and domain tags.

Plain Python, no Django. The kinds and roles are the contract of ``DESIGN.md``; the domain tags
are the demo campaign's vocabulary (a roster may use any tags; the optimiser only compares them).
Every code carries a Chinese and an English name for the tables a person reads.
"""

import enum


class OrganisationKind(enum.StrEnum):
    LOCAL_ASSOCIATION = "local_association"
    NATIONAL_SOCIETY = "national_society"
    THIRD_PARTY = "third_party"


class ExpertRole(enum.StrEnum):
    PROFESSIONAL = "professional"
    OPERATIONAL = "operational"


KIND_NAMES: dict[str, tuple[str, str]] = {
    OrganisationKind.LOCAL_ASSOCIATION: ("地方科协", "local science association"),
    OrganisationKind.NATIONAL_SOCIETY: ("全国学会", "national society"),
    OrganisationKind.THIRD_PARTY: ("第三方机构", "third-party institution"),
}

ROLE_NAMES: dict[str, tuple[str, str]] = {
    ExpertRole.PROFESSIONAL: ("专业", "professional"),
    ExpertRole.OPERATIONAL: ("业务", "operational"),
}

#: The demo campaign's domain tags (bases' and experts' ``fields``): code -> (zh, en).
FIELD_TAGS: dict[str, tuple[str, str]] = {
    "ai": ("人工智能", "artificial intelligence"),
    "digital_economy": ("数字经济", "digital economy"),
    "advanced_manufacturing": ("先进制造", "advanced manufacturing"),
    "biomedicine": ("生物医药", "biomedicine"),
    "new_materials": ("新材料", "new materials"),
    "energy_environment": ("能源环保", "energy and environment"),
    "modern_agriculture": ("现代农业", "modern agriculture"),
    "incubation": ("孵化服务", "incubation services"),
    "tech_finance": ("科技金融", "technology finance"),
    "tech_transfer": ("成果转化", "technology transfer"),
    "ie_education": ("双创教育", "innovation and entrepreneurship education"),
    "talent_policy": ("人才政策", "talent policy"),
}


def field_name(code: str) -> str:
    """'人工智能 artificial intelligence' for a known tag, the tag itself otherwise."""
    names = FIELD_TAGS.get(code)
    return f"{names[0]} {names[1]}" if names else code
