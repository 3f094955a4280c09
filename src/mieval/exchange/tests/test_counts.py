"""The counts page: the network of realised cooperation of each programme's rounds, with the
change from the round before, on the hand-built network of
``core/exchange/tests/test_network.py``.

The parties as there: A = R1 (region, Beijing: East), B = U1 (university, Hubei:
Central-West), C = E1 (enterprise, Guangdong: East), P (third-party institution, Shanghai:
East), Q (national society, Shaanxi: Central-West), R (local association, Liaoning:
Northeast). Round 1 (campaign ``c``): A-B, A-P. Round 2 (``c2``): A-B, A-P, A-Q, B-P, C-P,
A-R, P-C. Every figure below is the one computed by hand in that file.
"""

import pytest
from django.utils import timezone, translation

from mieval.exchange.models import ContactRequest, OutcomeReport, Post
from mieval.exchange.tests.conftest import FAR

pytestmark = pytest.mark.django_db

PROVIDERS = {
    "P": ("third_party", "31"),
    "Q": ("national_society", "61"),
    "R": ("local_association", "21"),
}
BASES = {"A": "R1", "B": "U1", "C": "E1"}
ROUND_1 = [("A", "B"), ("A", "P")]
ROUND_2 = [("A", "B"), ("A", "P"), ("A", "Q"), ("B", "P"), ("C", "P"), ("A", "R"), ("P", "C")]


def _post(owner, kind: str) -> Post:
    field = "base" if owner._meta.model_name == "base" else "organisation"
    return Post.objects.create(
        **{field: owner},
        kind=kind,
        category="technology",
        title=f"{kind} of {owner.code}",
        text="text",
        language="en",
        expires=FAR,
    )


def _realised(campaign, a, b) -> None:
    """A cooperation both sides report done: the base asks for the other's offer (a provider
    offers only, so the base side always asks)."""
    asking, asked = (a, b) if a._meta.model_name == "base" else (b, a)
    side = "responding_base" if asked._meta.model_name == "base" else "responding_organisation"
    now = timezone.now()
    request = ContactRequest.objects.create(
        need=_post(asking, "need"),
        offer=_post(asked, "offer"),
        requesting_base=asking,
        **{side: asked},
        campaign=campaign,
        status=ContactRequest.Status.DONE,
        requested_at=now,
    )
    for report_side in OutcomeReport.Side.values:
        OutcomeReport.objects.create(
            request=request, side=report_side, state=OutcomeReport.State.DONE, reported_at=now
        )


@pytest.fixture
def hand_built(campaign_c):
    from mieval.collection.services import campaign_create
    from mieval.panels.models import Organisation
    from mieval.registry.models import Base, Province

    parties = {name: Base.objects.get(code=code) for name, code in BASES.items()}
    for name, (kind, province) in PROVIDERS.items():
        parties[name] = Organisation.objects.create(
            code=name,
            name_zh=name,
            name_en=name,
            kind=kind,
            province=Province.objects.get(code=province),
        )
    later = campaign_create(code="c2", first_year=2019, last_year=2021)
    for campaign, links in ((campaign_c, ROUND_1), (later, ROUND_2)):
        for a, b in links:
            _realised(campaign, parties[a], parties[b])
    return later


def test_the_counts_page_shows_the_network_of_each_round_with_the_change(client, alice, hand_built):
    # Given the hand-built network over rounds 1 (c) and 2 (c2) of the default programme
    client.force_login(alice)

    # When the office opens the counts page
    with translation.override("en"):
        response = client.get("/exchange/counts/", HTTP_ACCEPT_LANGUAGE="en")

    # Then one programme, its two rounds in order
    assert response.status_code == 200
    [network] = response.context["networks"]
    assert network["programme"].code == "mie-bases"
    assert [(c.round, c.code) for c in network["rounds"]] == [(1, "c"), (2, "c2")]
    # and each figure of each round with its change: round 1 has L = 2, N = 3, 1 of 2 across
    # region groups and East-Central-West, 1 of 2 base-provider, HHI 0.375, top party 2 of 4
    # ends; round 2 L = 7, N = 6, cross-region 4/7 (+1/14), East-Central-West 3 (3/7, -1/14),
    # base-provider 6/7 (+5/14), HHI 3/14 (-9/56), top party 4 of 14 ends (2/7, -3/14).
    with translation.override("en"):  # the labels are lazy: read them in English
        labels = {row["figure"]: str(row["label"]) for row in network["figures"]}
    figures = {
        row["figure"]: (
            labels[row["figure"]],
            [(c["value_text"], c["change_text"]) for c in row["cells"]],
        )
        for row in network["figures"]
    }
    assert figures == {
        "links": ("Realised cooperations (links)", [("2", None), ("7", "+5")]),
        "nodes": ("Parties with a link", [("3", None), ("6", "+3")]),
        "cross_region_share": ("Share across region groups", [("50.0%", None), ("57.1%", "+7.1")]),
        "east_central_west": ("East ↔ Central-West links", [("1", None), ("3", "+2")]),
        "east_central_west_share": (
            "East ↔ Central-West share",
            [("50.0%", None), ("42.9%", "-7.1")],
        ),
        "base_provider_share": (
            "Base ↔ service provider share",
            [("50.0%", None), ("85.7%", "+35.7")],
        ),
        "hhi": ("Concentration (HHI)", [("0.375", None), ("0.214", "-0.161")]),
        "top_decile_share": (
            "Share of link ends of the top 10% of parties",
            [("50.0%", None), ("28.6%", "-21.4")],
        ),
    }
    # By pair of region groups: Central-West-East 1 then 3, East-East 1 then 3, East-Northeast
    # 0 then 1 (of 2, then of 7 links).
    regions = [
        (
            r["label_a"],
            r["label_b"],
            [(c["links"], c["share_text"], c["change_text"]) for c in r["cells"]],
        )
        for r in network["region_pairs"]
    ]
    assert regions == [
        ("Central and West", "East", [(1, "50.0%", None), (3, "42.9%", "+2")]),
        ("East", "East", [(1, "50.0%", None), (3, "42.9%", "+2")]),
        ("East", "Northeast", [(0, "0.0%", None), (1, "14.3%", "+1")]),
    ]
    # By pair of types, most links in round 2 first (enterprise-third party: C-P twice), then
    # by the codes.
    types = [
        (r["a"], r["b"], [(c["links"], c["change_text"]) for c in r["cells"]])
        for r in network["type_pairs"]
    ]
    assert types == [
        ("enterprise", "third_party", [(0, None), (2, "+2")]),
        ("local_association", "region", [(0, None), (1, "+1")]),
        ("national_society", "region", [(0, None), (1, "+1")]),
        ("region", "third_party", [(1, None), (1, "+0")]),
        ("region", "university_institute", [(1, None), (1, "+0")]),
        ("third_party", "university_institute", [(0, None), (1, "+1")]),
    ]
    assert network["type_pairs"][0]["label_a"] == "Enterprise"
    assert network["type_pairs"][0]["label_b"] == "third-party institution"
    # And the page shows them as read.
    body = response.content.decode()
    assert (
        '<tr data-figure="east_central_west_share"><th scope="row">East ↔ Central-West share</th>'
        '<td class="num" data-round="c"><span class="value">50.0%</span></td>'
        '<td class="num" data-round="c2"><span class="value">42.9%</span>'
        ' <small class="change">(-7.1)</small></td></tr>'
    ) in body
    assert (
        '<td class="num" data-round="c2"><span class="value">1</span> ·'
        ' <span class="share">14.3%</span> <small class="change">(+1)</small></td>'
    ) in body
    assert body.count('<th class="num" data-round="c2">Round 2 (c2)</th>') == 3


def test_a_programme_without_cooperation_shows_zero_links(client, alice, campaign_c):
    client.force_login(alice)

    with translation.override("en"):
        response = client.get("/exchange/counts/", HTTP_ACCEPT_LANGUAGE="en")

    [network] = response.context["networks"]
    links = network["figures"][0]
    assert [(c["value_text"], c["change_text"]) for c in links["cells"]] == [("0", None)]
    hhi = network["figures"][6]
    assert [c["value_text"] for c in hhi["cells"]] == ["—"]
    assert (network["region_pairs"], network["type_pairs"]) == ([], [])
    assert response.content.decode().count("No cooperation confirmed by both sides yet.") == 2
