"""Error answers of the API quote an excerpt of a bad value, never the whole of it (issue 13,
point 3)."""

import pytest

pytestmark = pytest.mark.django_db

R1_2017 = "/campaigns/c/values/R1/new_market_entities/2017"


def test_a_long_bad_value_is_quoted_as_an_excerpt_in_the_422(api_as, bob, campaign_c):
    value = "n" * 1_000_000

    response = api_as(bob, via="token").put(
        R1_2017, {"value": value, "reason": "typo", "expected_version": 1}
    )

    assert response.status_code == 422
    assert [e["msg"] for e in response.json()["detail"]] == [
        f"'{'n' * 40}… (1,000,000 characters)' is too long; a value has at most 64 characters"
    ]
    assert len(response.content) < 1_000


def test_a_value_of_the_wrong_type_is_not_echoed_whole(api_as, bob, campaign_c):
    response = api_as(bob, via="token").put(
        R1_2017, {"value": "1", "reason": "typo", "expected_version": "v" * 1_000_000}
    )

    assert response.status_code == 422
    assert len(response.content) < 5_000
