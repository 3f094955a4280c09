"""``GET /programmes/{code}/trends``: the table across rounds (hand-computed in
core/trends/tests/test_rounds.py), the unmapped indicators and the findings."""

import pytest

from mieval.collection.tests.rounds_helpers import three_rounds

pytestmark = pytest.mark.django_db


def test_the_table_across_rounds_with_what_is_unmapped(api_as, victor, tmp_path):
    three_rounds(tmp_path)

    response = api_as(victor, via="token").get("/programmes/prog/trends")

    assert response.status_code == 200
    document = response.json()
    area = next(r for r in document["rows"] if r["indicator"] == "incubation_area")
    assert area["values"] == {
        "2016": (30000 * 0.0001 + 40000 * 0.0001) / 2,
        "2017": (50000 * 0.0001 + 60000 * 0.0001) / 2,
        "2018": 8.0,
        "2019": None,
        "2020": 7.0,
    }
    assert area["n"] == {"2016": 2, "2017": 2, "2018": 1, "2019": 0, "2020": 2}
    assert document["framework"] == {"code": "mie-core", "version": 2}
    assert [(r["round"], r["campaign"]) for r in document["rounds"]] == [
        (1, "r2016"),
        (2, "r2018"),
        (3, "r2020"),
    ]
    assert [(u["indicator"], u["reason"], u["values"]) for u in document["unmapped"]] == [
        ("univ_ie_education_investment", "no_row", 1)
    ]
    assert [f["key"] for f in document["findings"]] == [
        "rounds_scope",
        "rounds_growth_fastest",
        "rounds_growth_slowest",
        "rounds_unmapped",
    ]


def test_grouped_by_subcategory(api_as, alice, tmp_path):
    three_rounds(tmp_path)

    response = api_as(alice).get("/programmes/prog/trends?by=subcategory")

    groups = [(r["indicator"], r["group"]) for r in response.json()["rows"]]
    assert groups == [
        ("incubation_area", "urban_district"),
        ("incubation_area", "county"),
        ("patents", "urban_district"),
    ]


def test_an_unknown_programme_is_404(api_as, alice):
    response = api_as(alice).get("/programmes/nope/trends")

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "There is no programme 'nope'."},
    )
