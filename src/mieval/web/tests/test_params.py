"""Ids that pages read without a form field (``mieval.lib.params.id_param``): a bad one is a 400
naming the parameter and the allowed range, never a 500 from the ORM."""

import pytest

from mieval.exchange.tests import conftest as exchange
from mieval.indicators.selectors import framework_builtin

exchange_posts = exchange.posts
HUGE = "99999999999999999999"  # beyond a signed 64-bit integer


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English (the site's default language is Chinese)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def message(name: str) -> str:
    return f"The parameter &#x27;{name}&#x27; must be a whole number from 1 to 9223372036854775807."


@pytest.mark.parametrize(
    ("query", "name"),
    [
        # issue 13's class: ?set=abc raised ValueError, ?run=10**20 an OverflowError (500).
        ("/campaigns/c/panels/?set=abc", "set"),
        (f"/campaigns/c/index/changes/?run={HUGE}", "run"),
        ("/campaigns/c/index/changes/?run=1&run=-1", "run"),
    ],
)
def test_bad_ids_in_a_query_are_a_400(client, alice, campaign_c, query, name):
    client.force_login(alice)

    response = client.get(query)

    assert response.status_code == 400
    assert message(name) in response.content.decode()


def test_a_bad_rule_set_version_is_a_400(client, alice, campaign_c):
    client.force_login(alice)
    path = f"/frameworks/{framework_builtin().pk}/rules/"

    response = client.post(path, {"action": "activate", "version": "abc"})

    assert response.status_code == 400
    assert message("version") in response.content.decode()


def test_a_bad_post_in_a_contact_request_is_a_400(client, bob, exchange_posts):
    client.force_login(bob)

    response = client.post("/exchange/requests/new/", {"mine": "x", "other": HUGE})

    assert response.status_code == 400
    assert message("mine") in response.content.decode()


def test_a_good_id_still_finds_its_object(client, alice, campaign_c):
    client.force_login(alice)

    response = client.get("/campaigns/c/panels/?set=123")

    assert response.status_code == 404
