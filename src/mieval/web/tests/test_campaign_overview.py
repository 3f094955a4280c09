"""The campaign overview: bases by category, subcategory, region and batch; completeness."""

import json

import pytest
from django.urls import reverse

from mieval.collection.models import Value


@pytest.fixture
def overview(client, alice, login, campaign_c):
    return login(alice).get(reverse("campaign_overview", args=["c"]))


def counts(response, field):
    breakdown = next(b for b in response.context["breakdowns"] if b["field"] == field)
    return {row["code"]: row["n"] for row in breakdown["rows"]}


def test_bases_by_category_subcategory_region_and_batch(overview):
    assert overview.context["n_bases"] == 5
    assert counts(overview, "category") == {
        "region": 2,
        "university_institute": 2,
        "enterprise": 1,
    }
    assert counts(overview, "subcategory") == {
        "urban_district": 2,
        "st_university": 2,
        "private": 1,
    }
    # Provinces 11, 32, 44 are east; 42 central; 51 west.
    assert counts(overview, "region") == {"east": 3, "central": 1, "west": 1}
    assert counts(overview, "batch") == {"2016": 2, "2017": 3}
    html = overview.content.decode()
    assert '<tr data-code="region"><td>' in html
    chart = json.loads(
        html.split('<script id="category-chart" type="application/json">')[1].split("</script>")[0]
    )
    assert chart["values"] == [2, 2, 1]


def test_completeness_hand_computed(overview):
    # Indicators per category: 6 apply to all; region +4 = 10, universities +2 = 8,
    # enterprise +2 = 8. Expected = (2 x 10 + 2 x 8 + 1 x 8) x 3 years = 132.
    # Reported: the fixture's 14 rows less R2's empty 2018 value = 13.
    assert Value.objects.filter(campaign__code="c").count() == 13
    assert (overview.context["expected"], overview.context["reported"]) == (132, 13)

    by_indicator = {
        r["code"]: (r["reported"], r["expected"])
        for r in overview.context["completeness_indicators"]
    }
    assert by_indicator["new_market_entities"] == (5, 6)  # 2 regions x 3 years
    assert by_indicator["patents_granted"] == (6, 15)  # 5 bases x 3 years
    assert by_indicator["univ_ie_education_investment"] == (2, 6)  # 2 universities
    assert by_indicator["national_talent"] == (0, 15)
    assert by_indicator["new_urban_employment"] == (0, 6)

    by_subcategory = [
        (r["code"], r["reported"], r["expected"])
        for r in overview.context["completeness_subcategories"]
    ]
    # urban_district: 2 x 10 x 3 = 60, reported 3 + 2 + 2 (new_market_entities, patents)
    assert by_subcategory == [
        ("urban_district", 7, 60),
        ("st_university", 5, 48),
        ("private", 1, 24),
    ]
    html = overview.content.decode()
    # 5 / 6 = 83.3%
    assert '<td class="num reported">5</td><td class="num expected">6</td>' in html
    assert "83.3%" in html
