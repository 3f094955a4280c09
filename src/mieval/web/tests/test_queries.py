"""The number of queries of a page does not grow with the number of bases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mieval.web.tests.helpers import bases_add

PAGES = [
    ("home", []),
    ("campaign_list", []),
    ("campaign_overview", ["c"]),
    ("campaign_trends", ["c"]),
    ("base_profile", ["c", "U1"]),
    ("registry_bases", []),
]


def queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_same_queries_with_5_and_40_bases(client, alice, login, campaign_c, name, args):
    login(alice)
    url = reverse(name, args=args)
    client.get(url)  # warm the session and content-type caches
    with_5 = queries(client, url)

    bases_add(
        campaign_c,
        35,
        values={"patents_granted": {2016: 5, 2017: 6}, "national_talent": {2018: 1}},
    )
    with_40 = queries(client, url)

    assert with_40 == with_5


def test_filtered_trends_same_queries(client, alice, login, campaign_c):
    login(alice)
    url = reverse("campaign_trends", args=["c"])
    params = {"by": "subcategory", "region_group": "central_west", "stat": "median"}
    client.get(url, params)
    with_5 = queries(client, url, params)

    bases_add(campaign_c, 35, values={"patents_granted": {2016: 5}}, province="51")
    with_40 = queries(client, url, params)

    assert with_40 == with_5
