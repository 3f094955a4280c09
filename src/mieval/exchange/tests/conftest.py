"""A tiny exchange over the campaign ``c`` of ``mieval/conftest.py``: R1 (Beijing: East,
region), R2 (Sichuan: West, region), U1 (Hubei: Central, university), U2 (Jiangsu: East,
university), E1 (Guangdong: East, enterprise)."""

from datetime import date

import pytest

FAR = date(2099, 12, 31)
AS_OF = date(2026, 6, 1)

POSTS = {
    # name: (base, kind, category, title, text, language, tags, preferred regions, expires)
    "r1_need": (
        "R1",
        "need",
        "technology",
        "寻求动力电池专利许可",
        "我们计划量产储能电池，寻求磷酸铁锂正极材料专利许可和技术转移。",
        "zh",
        ["patent", "new_energy"],
        ["central_west"],
        FAR,
    ),
    "u1_offer": (
        "U1",
        "offer",
        "technology",
        "正极材料专利许可",
        "研究院持有磷酸铁锂正极材料发明专利，可许可使用并提供技术转移支持。",
        "zh",
        ["patent", "new_energy"],
        [],
        FAR,
    ),
    "u2_offer": (
        "U2",
        "offer",
        "services",
        "知识产权代理",
        "知识产权服务机构代理国际专利申请。",
        "zh",
        ["patent"],
        [],
        FAR,
    ),
    "e1_offer": (
        "E1",
        "offer",
        "capital",
        "Battery venture fund",
        "Venture capital fund investing in battery startups.",
        "en",
        ["venture_capital"],
        [],
        FAR,
    ),
    "r2_need": (
        "R2",
        "need",
        "capital",
        "Venture capital for a battery startup",
        "Our battery startup seeks venture capital.",
        "en",
        ["venture_capital"],
        [],
        FAR,
    ),
    "r2_expired": (
        "R2",
        "need",
        "talent",
        "专利工程师",
        "需要专利工程师。",
        "zh",
        ["patent"],
        [],
        date(2020, 1, 1),
    ),
}


@pytest.fixture
def posts(campaign_c, bob, carol):
    from mieval.exchange import services
    from mieval.registry.models import Base

    bases = {b.code: b for b in Base.objects.all()}
    made = {}
    for name, (base, kind, category, title, text, lang, tags, prefer, expires) in POSTS.items():
        made[name] = services.post_create(
            base=bases[base],
            user=None,
            data={
                "kind": kind,
                "category": category,
                "title": title,
                "text": text,
                "language": lang,
                "tags": tags,
                "preferred_regions": prefer,
                "expires": expires,
            },
        )
    return made


@pytest.fixture
def contacts(campaign_c):
    from mieval.exchange import services
    from mieval.registry.models import Base

    return {
        code: services.contact_save(
            base=Base.objects.get(code=code),
            user=None,
            person=f"Person {code}",
            email=f"{code.lower()}@bases.example.org",
            phone=f"010-{code}",
        )
        for code in ("R1", "R2", "U1", "U2", "E1")
    }


PROVIDER_OFFER = {
    "kind": "offer",
    "category": "services",
    "title": "专利许可与技术转移服务",
    "text": "协会为储能电池企业提供磷酸铁锂正极材料专利许可对接和技术转移服务。",
    "language": "zh",
    "tags": ["patent", "new_energy"],
    "preferred_regions": [],
    "expires": FAR,
}


@pytest.fixture
def provider_offer(organisation, oscar):
    """An offer of the service provider ORG1 (a local science association in Beijing), whose
    organiser is oscar, with the provider's contact details kept."""
    from mieval.exchange import services

    services.contact_save(
        organisation=organisation, user=oscar, person="Person ORG1", email="org1@example.org"
    )
    return services.post_create(organisation=organisation, user=oscar, data=PROVIDER_OFFER)


@pytest.fixture
def accepted_requests(campaign_c, organisation) -> dict[str, int]:
    """Two accepted contact requests in campaign c: R1 asked ORG1, U1 asked R2; their ids."""
    from django.utils import timezone

    from mieval.exchange.models import ContactRequest, Post
    from mieval.registry.models import Base

    def post(kind, **owner):
        return Post.objects.create(
            **owner,
            kind=kind,
            category="technology",
            title=kind,
            text=kind,
            language="en",
            expires=FAR,
        )

    r1, u1, r2 = (Base.objects.get(code=code) for code in ("R1", "U1", "R2"))
    made = {}
    for name, asking, asked in (("R1_ORG1", r1, {"organisation": organisation}),
                                ("U1_R2", u1, {"base": r2})):  # fmt: skip
        made[name] = ContactRequest.objects.create(
            need=post("need", base=asking),
            offer=post("offer", **asked),
            requesting_base=asking,
            **{f"responding_{field}": party for field, party in asked.items()},
            campaign=campaign_c,
            status=ContactRequest.Status.CONTACTED,
            requested_at=timezone.now(),
        ).pk
    return made
