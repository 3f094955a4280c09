"""Every integer parameter of the API is bounded (``mieval.core.limits``): 422 naming it and the
allowed range, never a 500, an overflow of the database's integers or an exhausted server."""

import pytest

HUGE = "99999999999999999999"  # 10**20 - 1: beyond a signed 64-bit integer


def out_of_range(where: str, name: str, value: str, least: int, most: int) -> dict:
    return {
        "type": "out_of_range",
        "loc": [where, name],
        "msg": f"{value} is outside the allowed range {least} to {most}",
        "ctx": {"value": value, "least": least, "most": most},
    }


def outside_campaign(where: str, name: str, year: int) -> dict:
    return {
        "type": "year_outside_campaign",
        "loc": [where, name],
        "msg": f"{name} {year} is outside the years of campaign 'c', 2016-2018",
    }


# issue 13: to=99999999999 answered 500 (MemoryError), to=9999999999999999999999 500
# (OverflowError); to=2147483648 grew the server until the kernel killed it (not repeated here:
# on the code before the fix it would exhaust the machine running the test).
@pytest.mark.parametrize(
    ("query", "problems"),
    [
        (
            "from=2016&to=99999999999",
            [out_of_range("query", "to", "99999999999", 1900, 2100)],
        ),
        (
            "from=2016&to=9999999999999999999999",
            [out_of_range("query", "to", "9999999999999999999999", 1900, 2100)],
        ),
        (
            "from=2015&to=2019",
            [outside_campaign("query", "from", 2015), outside_campaign("query", "to", 2019)],
        ),
        ("to=2100", [outside_campaign("query", "to", 2100)]),
        # A long number is quoted by its first 20 digits only.
        ("to=" + "9" * 4000, [out_of_range("query", "to", "9" * 20 + "...", 1900, 2100)]),
    ],
)
def test_trends_years_are_bounded_to_the_campaign(api_as, victor, campaign_c, query, problems):
    response = api_as(victor, via="token").get(f"/campaigns/c/trends?{query}")

    assert response.status_code == 422
    assert response.json() == {"detail": problems}


def test_trends_within_the_campaign_still_answer(api_as, victor, campaign_c):
    response = api_as(victor, via="token").get("/campaigns/c/trends?from=2017&to=2018")

    assert response.status_code == 200
    assert list(response.json()["rows"][0]["values"]) == ["2017", "2018"]


# issue 13: offset=138643549465514704896 answered 500 (beyond 64 bits for the database).
@pytest.mark.parametrize(
    "path",
    [
        "/bases",
        "/campaigns",
        "/frameworks",
        "/tokens",
        "/campaigns/c/values",
        "/exchange/posts",
        "/frameworks/mie-core/1/indicators",
        "/campaigns/c/values/R1/patents_granted/2016/history",
    ],
)
def test_every_page_bounds_its_offset_and_limit(api_as, alice, campaign_c, path):
    response = api_as(alice, via="token").get(f"{path}?limit=7&offset=138643549465514704896")

    assert response.status_code == 422
    assert response.json() == {
        "detail": [out_of_range("query", "offset", "138643549465514704896", 0, 10**9)]
    }

    response = api_as(alice, via="token").get(f"{path}?limit=1001&offset=1000000000")

    assert response.status_code == 422
    assert response.json() == {"detail": [out_of_range("query", "limit", "1001", 1, 1000)]}


def test_the_largest_offset_is_an_empty_page(api_as, alice, campaign_c):
    response = api_as(alice, via="token").get("/bases?offset=1000000000")

    assert response.status_code == 200
    assert response.json() == {"count": 5, "items": []}


@pytest.mark.parametrize(
    ("method", "path", "problem"),
    [
        ("get", f"/bases?batch={HUGE}", out_of_range("query", "batch", HUGE, 1900, 2100)),
        ("get", "/bases?batch=1899", out_of_range("query", "batch", "1899", 1900, 2100)),
        ("get", "/campaigns/c/values?year=2019", outside_campaign("query", "year", 2019)),
        (
            "get",
            f"/campaigns/c/values?year={HUGE}",
            out_of_range("query", "year", HUGE, 1900, 2100),
        ),
        (
            "get",
            f"/campaigns/c/values/R1/patents_granted/{HUGE}/history",
            out_of_range("path", "year", HUGE, 1900, 2100),
        ),
        (
            "get",
            "/campaigns/c/values/R1/patents_granted/2015/history",
            outside_campaign("path", "year", 2015),
        ),
        (
            "get",
            f"/frameworks/mie-core/{HUGE}/indicators",
            out_of_range("path", "version", HUGE, 1, 2**31 - 1),
        ),
        ("get", f"/exchange/posts/{HUGE}", out_of_range("path", "pk", HUGE, 1, 2**63 - 1)),
        (
            "get",
            f"/exchange/posts/{HUGE}/suggestions",
            out_of_range("path", "pk", HUGE, 1, 2**63 - 1),
        ),
        ("delete", f"/tokens/{HUGE}", out_of_range("path", "token_id", HUGE, 1, 2**63 - 1)),
    ],
)
def test_integer_parameters_are_bounded(api_as, alice, campaign_c, method, path, problem):
    response = api_as(alice, via="token").request(method, path)

    assert response.status_code == 422
    assert response.json() == {"detail": [problem]}


def test_a_value_put_bounds_its_year_and_version(api_as, alice, campaign_c):
    body = {"value": "1", "reason": "fix", "expected_version": int(HUGE)}
    response = api_as(alice, via="token").put(
        f"/campaigns/c/values/R1/patents_granted/{HUGE}", body
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            out_of_range("path", "year", HUGE, 1900, 2100),
            out_of_range("body", "payload", HUGE, 0, 2**31 - 1)
            | {"loc": ["body", "payload", "expected_version"]},
        ]
    }


def test_lineage_years_are_bounded(api_as, alice, campaign_c):
    from mieval.reports.services import snapshot_publish

    snapshot = snapshot_publish(campaign=campaign_c, user=alice, build=False)
    prefix = f"/campaigns/c/snapshots/{snapshot.content_hash}/lineage"

    for path, where in (
        (f"{prefix}?indicator=patents_granted&year={HUGE}", "query"),
        (f"{prefix}/bases/R1?year={HUGE}", "query"),
    ):
        response = api_as(alice, via="token").get(path)
        assert response.status_code == 422
        assert response.json() == {"detail": [out_of_range(where, "year", HUGE, 1900, 2100)]}


def test_token_days_are_bounded(api_as, alice):
    response = api_as(alice, via="token").post("/tokens", {"name": "x", "days": 3651})

    assert response.status_code == 422
    assert response.json()["detail"] == [
        out_of_range("body", "payload", "3651", 1, 3650) | {"loc": ["body", "payload", "days"]}
    ]


def test_the_openapi_document_shows_each_range(api_as, alice):
    document = api_as(alice, via="token").get("/openapi.json").json()

    parameters = {
        p["name"]: p["schema"] for p in document["paths"]["/api/v1/bases"]["get"]["parameters"]
    }
    assert (parameters["offset"]["minimum"], parameters["offset"]["maximum"]) == (0, 10**9)
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 1000)
    batch = parameters["batch"]["anyOf"][0]
    assert (batch["minimum"], batch["maximum"]) == (1900, 2100)
