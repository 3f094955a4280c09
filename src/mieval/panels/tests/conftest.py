"""A tiny roster (6 bases, 8 experts, 6 organisations) small enough to solve by hand."""

import pytest

from mieval.core.panels.tests.conftest import BASES, CONFLICTS, EXPERTS, ORGANISATIONS, tiny  # noqa: F401

# --- the web app's roster on campaign ``c`` (database tests) ---------------------------------
#
# Organisations ORG1 (the fixture's, local association), ORG2 (national society), ORG3 (third
# party), ORG4 (local association); six experts in Xinjiang (65), where no base of ``c`` lies,
# so that no province rule bites. X01 is erin's login.

WEB_EXPERTS = [
    ("X01", "专家一", "ORG1", ["ai"], ["professional", "operational"]),
    ("X02", "专家二", "ORG2", ["ai"], ["professional"]),
    ("X03", "专家三", "ORG3", ["incubation"], ["operational"]),
    ("X04", "专家四", "ORG4", ["ai"], ["professional"]),
    ("X05", "专家五", "ORG2", ["incubation"], ["operational"]),
    ("X06", "专家六", "ORG3", ["tech_finance"], ["professional"]),
]


@pytest.fixture
def roster(organisation, erin):
    from mieval.panels.models import Expert, Organisation
    from mieval.registry.models import Province

    xinjiang = Province.objects.get(code="65")
    for code, kind, province in (
        ("ORG2", Organisation.Kind.NATIONAL_SOCIETY, "11"),
        ("ORG3", Organisation.Kind.THIRD_PARTY, "65"),
        ("ORG4", Organisation.Kind.LOCAL_ASSOCIATION, "65"),
    ):
        Organisation.objects.create(
            code=code,
            name_zh=f"组织{code}",
            name_en=f"Organisation {code}",
            kind=kind,
            province=Province.objects.get(code=province),
        )
    experts = {}
    for code, name, org, fields, roles in WEB_EXPERTS:
        experts[code] = Expert.objects.create(
            code=code,
            name=name,
            organisation=Organisation.objects.get(code=org),
            province=xinjiang,
            fields=fields,
            roles=roles,
            max_panels=1,
            user=erin if code == "X01" else None,
        )
    return experts


def panel_set_publish(campaign, groups: dict[int, tuple[list[str], list[str]]]):
    """A published set made by hand: panel number -> (expert codes, base codes)."""
    from mieval.panels.models import Expert, Panel, PanelBase, PanelMember, PanelSet
    from mieval.panels.services import panels_publish
    from mieval.registry.models import Base

    panel_set = PanelSet.objects.create(
        campaign=campaign, state=PanelSet.State.PROPOSED, status="optimal", objective=0, bound=0
    )
    for number, (experts, bases) in groups.items():
        panel = Panel.objects.create(panel_set=panel_set, number=number)
        for code in experts:
            PanelMember.objects.create(panel=panel, expert=Expert.objects.get(code=code))
        for code in bases:
            PanelBase.objects.create(panel=panel, base=Base.objects.get(code=code))
    return panels_publish(panel_set=panel_set)


@pytest.fixture
def published(campaign_c, roster):
    """Panel 1: X01 (erin), X02, X03 with R1, R2, U1; panel 2: X04, X05, X06 with U2, E1."""
    return panel_set_publish(
        campaign_c,
        {1: (["X01", "X02", "X03"], ["R1", "R2", "U1"]), 2: (["X04", "X05", "X06"], ["U2", "E1"])},
    )


@pytest.fixture
def rubric(campaign_c):
    """Two criteria: C1 (weight 0.6) and C2 (weight 0.4), both scored 0 to 100."""
    from mieval.panels.services import rubric_create

    return rubric_create(
        campaign=campaign_c,
        criteria=[
            {
                "code": "C1",
                "name_zh": "运营成效",
                "name_en": "Operating results",
                "weight": "0.6",
                "guidance_zh": "看孵化成效。",
                "guidance_en": "Judge the incubation results.",
            },
            {"code": "C2", "name_zh": "示范带动", "name_en": "Demonstration", "weight": "0.4"},
        ],
    )
