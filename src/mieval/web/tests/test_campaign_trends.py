"""The development-trend page: figures as trend_table computes them, rounded only in the page."""

import json

import pytest
from django.urls import reverse


@pytest.fixture
def trends(client, alice, login, campaign_c):
    login(alice)

    def get(**params):
        return client.get(reverse("campaign_trends", args=["c"]), params)

    return get


def cell(response, indicator, group, year):
    """The (shown text, full-precision data-value) of one figure of the table."""
    row = next(
        r
        for r in response.context["rows"]
        if r["indicator"]["code"] == indicator and r["group"] == group
    )
    return next(c for c in row["cells"] if c["year"] == year)["value"]


def chart_data(response):
    html = response.content.decode()
    start = html.index('<script id="trend-data" type="application/json">') + len(
        '<script id="trend-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_mean_of_new_market_entities(trends):
    response = trends()

    # 2016: (R1 100 + R2 300) / 2 = 200; 2017: (121 + 330) / 2 = 225.5; 2018: R1 only, 144
    assert cell(response, "new_market_entities", "all", 2016) == 200.0
    assert cell(response, "new_market_entities", "all", 2017) == 225.5
    assert cell(response, "new_market_entities", "all", 2018) == 144.0
    html = response.content.decode()
    assert 'data-year="2016" data-value="200.0">200</td>' in html
    # Rounded only for display, with the indicator's 0 decimals: 225.5 shows as 226.
    assert 'data-year="2017" data-value="225.5">226</td>' in html
    # Growth: (144 / 200) ** (1 / 2) - 1 = -15.147...%, shown with one decimal.
    assert "-15.1%" in html


def test_chart_holds_the_numbers_of_the_table(trends):
    response = trends()

    data = chart_data(response)
    series = {s["indicator"]: s["values"] for s in data["series"]}
    assert data["years"] == [2016, 2017, 2018]
    assert series["new_market_entities"] == [200.0, 225.5, 144.0]
    # patents_granted: 2016 (10 + 40) / 2 = 25; 2017 (0 + 25) / 2 = 12.5; 2018 (12 + 7) / 2
    assert series["patents_granted"] == [25.0, 12.5, 9.5]
    for row in response.context["rows"]:
        assert [c["value"] for c in row["cells"]] == series[row["indicator"]["code"]]


def test_filter_by_category(trends):
    response = trends(category="university_institute")

    # U1 40 in 2016; 2017: U1 0 and U2 25 -> 12.5
    assert cell(response, "patents_granted", "all", 2016) == 40.0
    assert cell(response, "patents_granted", "all", 2017) == 12.5
    codes = [r["indicator"]["code"] for r in response.context["rows"]]
    assert codes == ["patents_granted", "univ_ie_education_investment"]
    assert response.context["n_bases"] == 2


@pytest.mark.parametrize(
    ("params", "n_bases"),
    [
        ({"subcategory": "private"}, 1),
        ({"region": "east"}, 3),  # R1 (11), U2 (32), E1 (44)
        ({"region_group": "central_west"}, 2),  # R2 (51), U1 (42)
        ({"batch": "2016"}, 2),
    ],
)
def test_other_filters(trends, params, n_bases):
    assert trends(**params).context["n_bases"] == n_bases


def test_group_by_category_with_sum(trends):
    response = trends(by="category", stat="sum")

    assert cell(response, "patents_granted", "region", 2016) == 10.0
    assert cell(response, "patents_granted", "university_institute", 2017) == 25.0
    assert cell(response, "patents_granted", "enterprise", 2018) == 7.0


def test_balanced_keeps_bases_reporting_every_year(trends):
    response = trends(balanced="on")

    # Only R1 reported new_market_entities in all three years.
    assert cell(response, "new_market_entities", "all", 2016) == 100.0


def test_htmx_request_gets_only_the_results_fragment(client, alice, login, campaign_c):
    login(alice)

    response = client.get(
        reverse("campaign_trends", args=["c"]), {"category": "region"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert 'data-indicator="new_market_entities"' in html


def test_invalid_filter_is_reported_and_ignored(trends):
    response = trends(by="colour")

    assert response.status_code == 200
    assert "colour" in response.context["form"].errors["by"][0]
    assert cell(response, "new_market_entities", "all", 2016) == 200.0


# --- the composition effect -------------------------------------------------------------------


def split_rows(response, indicator, group="all"):
    return [
        r
        for r in response.context["decomposition"]["rows"]
        if r["indicator"]["code"] == indicator and r["group"] == group
    ]


def decomposition_chart(response):
    html = response.content.decode()
    marker = '<script id="decomposition-data" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])


def test_decomposition_of_new_market_entities(trends):
    response = trends()

    # R1 100, 121, 144; R2 300, 330, then empty (R2 leaves after 2017).
    # 2017: C = {R1, R2}: within 225.5 - 200 = 25.5, entry 0, exit 0.
    # 2018: C = {R1}: within 144 - 121 = 23, entry 144 - 144 = 0, exit 121 - 225.5 = -104.5;
    #       change 144 - 225.5 = -81.5.
    rows = split_rows(response, "new_market_entities")
    assert [(r["year"], r["within"], r["entry"], r["exit"], r["change"]) for r in rows] == [
        (2017, 25.5, 0.0, 0.0, 25.5),
        (2018, 23.0, 0.0, -104.5, -81.5),
    ]
    assert [(r["n_common"], r["n_entered"], r["n_exited"]) for r in rows] == [(2, 0, 0), (1, 0, 1)]
    html = response.content.decode()
    # Shown with the indicator's 0 decimals (floatformat rounds half away from zero); the
    # data-value keeps full precision.
    assert 'data-part="exit" data-value="-104.5">-105</td>' in html


def test_decomposition_chart_holds_the_tables_numbers(trends):
    response = trends()

    chart = decomposition_chart(response)
    assert chart["kind"] == "decomposition"
    assert chart["years"] == [2017, 2018]
    series = {s["indicator"]: s for s in chart["series"]}
    assert series["new_market_entities"]["within"] == [25.5, 23.0]
    assert series["new_market_entities"]["exit"] == [0.0, -104.5]
    # patents_granted 2017: {R1 10, U1 40} M 25 -> {U1 0, U2 25} M 12.5, C = {U1}:
    # within 0 - 40 = -40, entry 12.5 - 0 = 12.5, exit 40 - 25 = 15; 2018: no base in common.
    assert series["patents_granted"]["within"] == [-40.0, None]
    assert series["patents_granted"]["entry"] == [12.5, None]
    assert series["patents_granted"]["exit"] == [15.0, None]
    assert series["patents_granted"]["change"] == [-12.5, -3.0]  # 9.5 - 12.5


def test_a_year_without_common_bases_says_why_in_the_readers_language(trends):
    response = trends()

    [_, y2018] = split_rows(response, "patents_granted")
    assert y2018["within"] is None
    assert (
        y2018["note"]
        == "2017年与2018年没有同一基地均报告数值（基地数：2017年2个，2018年2个，无一相同）。"
    )
    [y2017, _] = split_rows(response, "univ_ie_education_investment")
    assert y2017["note"] == "2017年没有基地报告数值，因此没有基地两年均报告。"
    assert y2017["note"] in response.content.decode()


def test_decomposition_follows_the_filters_and_balanced(trends):
    response = trends(balanced="on")

    # Only R1 reported new_market_entities every year: 121 - 100, 144 - 121; nobody joins or
    # leaves.
    rows = split_rows(response, "new_market_entities")
    assert [(r["within"], r["entry"], r["exit"]) for r in rows] == [
        (21.0, 0.0, 0.0),
        (23.0, 0.0, 0.0),
    ]


def test_decomposition_by_group(trends):
    response = trends(by="category")

    chart = decomposition_chart(response)
    assert [g["code"] for g in chart["groups"]] == ["region", "university_institute", "enterprise"]
    # universities' patents: U1 40, 0; U2 -, 25. 2017: C = {U1}: within 0 - 40 = -40,
    # entry 12.5 - 0 = 12.5, exit 40 - 40 = 0.
    [y2017, _] = split_rows(response, "patents_granted", "university_institute")
    assert (y2017["within"], y2017["entry"], y2017["exit"]) == (-40.0, 12.5, 0.0)
    assert '<select data-chart-group="decomposition-chart">' in response.content.decode()
