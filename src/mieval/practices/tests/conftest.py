# ruff: noqa: E501 -- Chinese test texts, one a line.
from datetime import date

import pytest

from mieval.practices.models import PolicyArea
from mieval.practices.services import (
    consent_record,
    nomination_create,
    nomination_decide,
    reform_classify,
    reform_report,
)
from mieval.registry.models import Base


@pytest.fixture
def login(client):
    """Log the client in as ``user`` (None: stay anonymous); returns the client."""

    def as_user(user):
        if user is not None:
            client.force_login(user)
        return client

    return as_user


def area(code: str) -> PolicyArea:
    return PolicyArea.objects.get(code=code)


@pytest.fixture
def items(campaign_c, alice):
    """Reforms and nominations of bases R1 (bob's) and U1 (carol's) in campaign ``c``.

    - ``talent_r1``: R1, Chinese, classified as talent
    - ``patent_u1``: U1, English, reported (not yet classified)
    - ``finance_e1``: E1, Chinese, reported as talent, classified as finance and tax
    - ``case_r1``: R1 typical case, selected with consent (published)
    - ``person_r1``: R1 founder, selected with consent (published), with contact details
    - ``person_u1``: U1 mentor, nominated, no consent, with contact details
    - ``case_u1_noconsent``: U1 platform, selected without consent (not published)
    """
    c = campaign_c
    r1, u1, e1 = (Base.objects.get(code=code) for code in ("R1", "U1", "E1"))
    talent_r1 = reform_report(
        campaign=c, base=r1, title="人才公寓建设", description="为引进的高层次人才提供人才公寓和购房补贴。",
        language="zh", introduced_on=date(2017, 3, 1), area_reported=area("talent"), scope="city",
    )  # fmt: skip
    reform_classify(reform=talent_r1, area=area("talent"), user=alice)
    patent_u1 = reform_report(
        campaign=c, base=u1, title="Fast patent pre-examination",
        description="An IP protection centre offers fast pre-examination of patent applications.",
        language="en", introduced_on=date(2018, 5, 2), area_reported=area("intellectual_property"),
        scope="province",
    )  # fmt: skip
    finance_e1 = reform_report(
        campaign=c, base=e1, title="天使投资风险补偿", description="对天使投资机构按实际损失的百分之三十给予补偿。",
        language="zh", introduced_on=date(2016, 7, 1), area_reported=area("talent"), scope="base",
    )  # fmt: skip
    reform_classify(reform=finance_e1, area=area("finance_tax"), note="金融类", user=alice)
    case_r1 = nomination_create(
        campaign=c, base=r1, kind="case", subkind="platform", name="众创空间联盟",
        story="联合二十家众创空间共享导师和场地。", language="zh", year=2017,
        name_other="Maker space alliance", story_other="Twenty maker spaces share mentors and rooms.",
    )  # fmt: skip
    consent_record(nomination=case_r1, statement="单位同意公开。")
    nomination_decide(nomination=case_r1, status="selected", reason="示范性强", user=alice)
    person_r1 = nomination_create(
        campaign=c, base=r1, kind="person", subkind="founder", name="张晓明",
        story="博士毕业后创办新材料企业。", language="zh", year=2018,
        contact_phone="13911112222", contact_email="zhang@example.org",
        organisation_title="新材料公司 董事长",
    )  # fmt: skip
    consent_record(nomination=person_r1, statement="本人同意公开。")
    nomination_decide(nomination=person_r1, status="selected", reason="带动就业", user=alice)
    person_u1 = nomination_create(
        campaign=c, base=u1, kind="person", subkind="mentor", name="Chen Fang",
        story="A seasoned investor who mentored sixty start-ups.", language="en", year=2017,
        contact_phone="13800001111", contact_email="chen@example.org",
    )  # fmt: skip
    case_u1_noconsent = nomination_create(
        campaign=c, base=u1, kind="case", subkind="platform", name="共享中试平台",
        story="面向中小企业开放的共享中试平台。", language="zh", year=2018,
    )  # fmt: skip
    nomination_decide(nomination=case_u1_noconsent, status="selected", reason="好", user=alice)
    return {
        "talent_r1": talent_r1,
        "patent_u1": patent_u1,
        "finance_e1": finance_e1,
        "case_r1": case_r1,
        "person_r1": person_r1,
        "person_u1": person_u1,
        "case_u1_noconsent": case_u1_noconsent,
    }
