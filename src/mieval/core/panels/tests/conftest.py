"""A tiny roster (6 bases, 8 experts, 6 organisations) small enough to solve by hand."""

import pandas as pd
import pytest

ORGANISATIONS = pd.DataFrame(
    [
        ("O1", "地方科协一", "Local association one", "local_association", "12"),
        ("O2", "地方科协二", "Local association two", "local_association", "13"),
        ("O3", "全国学会一", "National society one", "national_society", "11"),
        ("O4", "全国学会二", "National society two", "national_society", "11"),
        ("O5", "第三方一", "Third party one", "third_party", "31"),
        ("O6", "第三方二", "Third party two", "third_party", "44"),
    ],
    columns=["code", "name_zh", "name_en", "kind", "province"],
)


BASES = pd.DataFrame(
    [
        ("B1", "基地一", "Base one", "11", "ai;incubation"),
        ("B2", "基地二", "Base two", "11", "biomedicine"),
        ("B3", "基地三", "Base three", "31", "ai;tech_finance"),
        ("B4", "基地四", "Base four", "44", "incubation;biomedicine"),
        ("B5", "基地五", "Base five", "32", "tech_finance"),
        ("B6", "基地六", "Base six", "33", "ai"),
    ],
    columns=["code", "name_zh", "name_en", "province", "fields"],
)


EXPERTS = pd.DataFrame(
    [
        ("E1", "专家一", "O1", "12", "ai;incubation", "professional", 1),
        ("E2", "专家二", "O2", "13", "biomedicine", "operational", 1),
        ("E3", "专家三", "O3", "11", "ai;tech_finance", "professional", 2),
        ("E4", "专家四", "O4", "11", "biomedicine;incubation", "professional;operational", 1),
        ("E5", "专家五", "O5", "31", "tech_finance;incubation", "operational", 2),
        ("E6", "专家六", "O6", "44", "ai", "professional;operational", 1),
        ("E7", "专家七", "O1", "12", "biomedicine;ai", "operational", 1),
        ("E8", "专家八", "O3", "32", "incubation", "professional", 1),
    ],
    columns=["code", "name", "organisation", "province", "fields", "roles", "max_panels"],
)


CONFLICTS = pd.DataFrame(
    [("E1", "B4", "former employee")], columns=["expert_code", "base_code", "reason"]
)


@pytest.fixture
def tiny():
    return BASES.copy(), EXPERTS.copy(), ORGANISATIONS.copy(), CONFLICTS.copy()
