"""The page of a programme's trends across rounds: the table (hand-computed in
core/trends/tests/test_rounds.py), the unmapped indicator said plainly, the findings and the
rank changes across rounds."""

import json
import re

import pytest
from django.urls import reverse

from mieval.collection.tests.rounds_helpers import rounds_index_runs, three_rounds

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(tmp_path):
    return three_rounds(tmp_path)


def cells(page: str, indicator: str) -> list[str]:
    row = re.search(rf'<tr data-indicator="{indicator}" data-group="all">(.*?)</tr>', page, re.S)
    return re.findall(r'class="num trend-value" data-year="\d+" data-value="([^"]*)"', row.group(1))


def test_the_page_shows_the_table_across_rounds_and_what_is_left_out(client, alice, programme):
    client.force_login(alice)

    response = client.get(reverse("programme_trends", args=["prog"]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    page = response.content.decode()
    assert cells(page, "incubation_area") == [
        repr((30000 * 0.0001 + 40000 * 0.0001) / 2),
        repr((50000 * 0.0001 + 60000 * 0.0001) / 2),
        "8.0",
        "",
        "7.0",
    ]
    assert cells(page, "patents") == ["4.0", "6.0", "", "", "9.0"]
    assert response.context["unmapped"] == [
        "Round 1 (r2016): univ_ie_education_investment has no crosswalk row from mie-core v1 to"
        " mie-core v2; its 1 value is left out."
    ]
    assert response.context["findings"][0].startswith("The 3 rounds cover 2016 to 2020;")
    chart = json.loads(re.search(r'id="trend-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert chart["years"] == [2016, 2017, 2018, 2019, 2020]
    assert [r["campaign"].code for r in response.context["campaigns"]] == [
        "r2016",
        "r2018",
        "r2020",
    ]


def test_a_filter_keeps_the_bases_of_a_subcategory(client, alice, programme):
    client.force_login(alice)

    response = client.get(reverse("programme_trends", args=["prog"]), {"subcategory": "county"})

    # R2 (2016, 2017) and R9 (2020) are counties; R1 is an urban district
    assert cells(response.content.decode(), "incubation_area") == [
        repr(40000 * 0.0001),
        repr(60000 * 0.0001),
        "",
        "",
        "4.0",
    ]
    assert response.context["n_bases"] == 2


def test_the_rank_changes_across_rounds(client, victor, programme):
    rounds_index_runs()
    client.force_login(victor)

    response = client.get(reverse("programme_trends", args=["prog"]), HTTP_ACCEPT_LANGUAGE="en")

    (change,) = response.context["changes"]
    assert change["framework"] == "named"
    assert [r.campaign.code for r in change["runs"]] == ["r2018", "r2020"]
    ranks = {r["base"].code: [c["rank"] for c in r["rounds"]] for r in change["rows"]}
    assert ranks == {"R1": [2, 1], "R2": [1, None], "R9": [None, 2]}
    totals = {r["base"].code: r["total_change"] for r in change["rows"]}
    assert totals == {"R1": 1, "R2": None, "R9": None}
    assert "Round 2 (2018)" in response.content.decode()


def test_an_unknown_programme_is_404(client, alice, db):
    client.force_login(alice)

    assert client.get(reverse("programme_trends", args=["nope"])).status_code == 404
