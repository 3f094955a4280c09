"""``/bases``: filters, search and one base."""

import pytest

R1 = {
    "code": "R1",
    "name_zh": "区域一",
    "name_en": "Region one",
    "category": "region",
    "subcategory": "urban_district",
    "province": "11",
    "region": "east",
    "region_group": "east",
    "batch": 2016,
    "status": "active",
    "designated": None,
    "version": 1,
}


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("", ["E1", "R1", "R2", "U1", "U2"]),
        ("?category=university_institute", ["U1", "U2"]),
        ("?subcategory=private", ["E1"]),
        ("?province=44", ["E1"]),
        ("?region=central", ["U1"]),
        ("?region_group=central_west", ["R2", "U1"]),
        ("?batch=2016", ["R1", "U1"]),
        ("?q=univ", ["U1", "U2"]),
        ("?q=区域", ["R1", "R2"]),
        ("?q=r1", ["R1"]),
        ("?category=region&batch=2017", ["R2"]),
    ],
)
def test_bases_filter_and_search(api_as, alice, campaign_c, query, codes):
    response = api_as(alice, via="token").get("/bases" + query)

    assert [b["code"] for b in response.json()["items"]] == codes
    assert response.json()["count"] == len(codes)


def test_a_base_carries_its_reference_fields(api_as, victor, campaign_c):
    response = api_as(victor, via="token").get("/bases/R1")

    assert response.json() == {**R1, "history": []}


def test_a_base_officer_reads_the_own_base(api_as, bob):
    response = api_as(bob, via="session").get("/bases")

    assert response.json() == {"items": [R1], "count": 1}


def test_another_base_is_not_found_without_saying_whether_it_exists(api_as, bob):
    client = api_as(bob, via="token")

    hidden, missing = client.get("/bases/U1"), client.get("/bases/ZZ")

    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.json() == {"detail": "There is no base 'U1' that you may see."}
    assert missing.json() == {"detail": "There is no base 'ZZ' that you may see."}


def test_pages_of_bases(api_as, alice, campaign_c):
    response = api_as(alice, via="token").get("/bases?limit=2&offset=2")

    assert response.json()["count"] == 5
    assert [b["code"] for b in response.json()["items"]] == ["R2", "U1"]
