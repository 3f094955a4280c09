"""The base profile: registry data, values over the years, and the peer comparison."""

from django.urls import reverse

from mieval.web.tests.helpers import bases_add


def row_values(response, indicator):
    row = next(r for r in response.context["rows"] if r["indicator"]["code"] == indicator)
    return [c["value"] for c in row["cells"]]


def test_own_base_values(client, bob, login):
    response = login(bob).get(reverse("base_profile", args=["c", "R1"]))

    assert response.context["years"] == [2016, 2017, 2018]
    assert row_values(response, "new_market_entities") == [100.0, 121.0, 144.0]
    assert row_values(response, "patents_granted") == [10.0, None, 12.0]
    # Indicators that do not apply to a region are not listed.
    codes = [r["indicator"]["code"] for r in response.context["rows"]]
    assert "univ_ie_education_investment" not in codes and len(codes) == 10
    html = response.content.decode()
    assert "区域一" in html and "Region one" in html
    assert '<td class="num base-value" data-year="2017">121</td>' in html


def test_too_few_peers_says_so(client, bob, login):
    response = login(bob).get(reverse("base_profile", args=["c", "R1"]))

    # R1's subcategory has one other base, R2: no peer statistics anywhere.
    chart = next(
        c for c in response.context["charts"] if c["indicator"]["code"] == "new_market_entities"
    )
    assert chart["all_without_peers"] is True
    assert chart["data"]["median"] == [None, None, None]
    assert chart["data"]["peers"] == [1, 1, 0]
    assert response.context["n_peers"] == 1


def test_peer_quartiles_with_three_peers(client, carol, login, campaign_c):
    # Given three more S&T universities with patents 2016 of 10, 20 and 30 (U2 has none in 2016)
    bases_add(campaign_c, 3, values={"patents_granted": {2016: [10, 20, 30]}})

    response = login(carol).get(reverse("base_profile", args=["c", "U1"]))

    chart = next(
        c for c in response.context["charts"] if c["indicator"]["code"] == "patents_granted"
    )
    # 10, 20, 30: Q1 = 15, median 20, Q3 = 25 (type 7); 2017 only U2 reported, 2018 none.
    assert chart["data"]["value"] == [40.0, 0.0, None]
    assert chart["data"]["q1"] == [15.0, None, None]
    assert chart["data"]["median"] == [20.0, None, None]
    assert chart["data"]["q3"] == [25.0, None, None]
    assert chart["without_peers"] == [2017, 2018]
    assert response.context["n_peers"] == 4
