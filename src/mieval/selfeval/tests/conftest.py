"""Campaign ``c`` with the default template; erin (expert) on the published panel of R1 and R2,
U1 on another panel. Base officers: bob (R1), carol (U1)."""

import pytest

from mieval.collection.tests.review_helpers import PDF, PNG, clock, english, media  # noqa: F401
from mieval.registry.models import Base
from mieval.selfeval.services import template_default_load


@pytest.fixture
def template(campaign_c):
    return template_default_load(campaign=campaign_c)


@pytest.fixture
def login(client):
    """Log the client in as ``user`` (None: stay anonymous); returns the client."""

    def as_user(user):
        if user is not None:
            client.force_login(user)
        return client

    return as_user


def base(code: str) -> Base:
    return Base.objects.get(code=code)


#: Text for each section of the default template.
TEXTS = {
    "progress": "新增市场主体由100户增至144户，年均增长20.0%。孵化载体面积持续扩大。",
    "experience": "一是推行企业开办一窗通办；二是设立天使投资引导基金。",
    "problems": "与中西部地区的交流合作渠道有限。",
    "next_steps": "加强与中西部地区示范基地的结对合作。",
    "policy_requests": "建议设立跨区域合作专项资金。",
}


@pytest.fixture
def panel(campaign_c, erin, organisation):
    """A published panel set: panel 1 (erin's) holds R1 and R2, panel 2 holds U1."""
    from mieval.panels.models import Expert, Panel, PanelBase, PanelMember, PanelSet
    from mieval.panels.services import panels_publish
    from mieval.registry.models import Province

    expert = Expert.objects.create(
        code="X01",
        name="专家一",
        organisation=organisation,
        province=Province.objects.get(code="65"),
        fields=["ai"],
        roles=["professional"],
        max_panels=1,
        user=erin,
    )
    other = Expert.objects.create(
        code="X02",
        name="专家二",
        organisation=organisation,
        province=Province.objects.get(code="65"),
        fields=["ai"],
        roles=["professional"],
        max_panels=1,
    )
    panel_set = PanelSet.objects.create(
        campaign=campaign_c, state=PanelSet.State.PROPOSED, status="optimal", objective=0, bound=0
    )
    for number, member, codes in ((1, expert, ["R1", "R2"]), (2, other, ["U1"])):
        p = Panel.objects.create(panel_set=panel_set, number=number)
        PanelMember.objects.create(panel=p, expert=member)
        for code in codes:
            PanelBase.objects.create(panel=p, base=base(code))
    return panels_publish(panel_set=panel_set)
