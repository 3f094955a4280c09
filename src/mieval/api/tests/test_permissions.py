"""Who gets what: every role x every endpoint x own/other object, with the exact status.

Base officer bob's own base is R1, carol's is U1; for bob, U1 is another base's. Organiser
oscar's organisation is ORG1. On the exchange, R1 asked ORG1 for contact and U1 asked R2, both
accepted: a base officer or an organiser reports the outcome of the own party's requests only
(another's is not found), the office reads every request but reports none. Some users call
with an API token, others with the session (and the CSRF header, as the site's pages do), bob
both ways.
"""

import pytest

from mieval.accounts.services import api_token_create
from mieval.api.tests.test_index_audit import stored_run
from mieval.exchange.tests import conftest as exchange

#: The smallest audit document (no aggregate with two children).
AUDIT = {k: [] for k in ("correlations", "cronbach", "pca", "main_effects", "removal", "flags")}

USERS = ["ada", "alice", "bob", "carol", "erin", "oscar", "victor", "stranger", "anon"]

# Exact status per endpoint (rows) and user (columns).
MATRIX = """
endpoint              ada alice bob carol erin oscar victor stranger anon
me                    200 200   200 200   200  200   200    200      401
bases                 200 200   200 200   200  200   200    403      401
base_R1               200 200   200 404   404  404   200    403      401
base_U1               200 200   404 200   404  404   200    403      401
event_R1              201 201   403 403   403  403   403    403      401
event_U1              201 201   403 403   403  403   403    403      401
frameworks            200 200   200 200   200  200   200    403      401
indicators            200 200   200 200   200  200   200    403      401
campaigns             200 200   200 200   200  200   200    403      401
campaign              200 200   200 200   200  200   200    403      401
values                200 200   200 200   200  200   200    403      401
put_R1                200 200   200 404   403  403   403    403      401
put_U1                200 200   404 200   403  403   403    403      401
history_R1            200 200   200 404   404  404   200    403      401
history_U1            200 200   404 200   404  404   200    403      401
trends                200 200   403 403   403  403   200    403      401
programme_trends      200 200   403 403   403  403   200    403      401
index_audit           200 200   403 403   403  403   200    403      401
token_create          201 201   201 201   201  201   201    403      401
token_list            200 200   200 200   200  200   200    403      401
token_revoke_own      204 204   204 204   204  204   204    403      401
token_revoke_other    404 404   404 404   404  404   404    403      401
requests              200 200   200 200   403  200   403    403      401
outcome_R1_ORG1       403 403   200 404   403  200   403    403      401
outcome_U1_R2         403 403   404 200   403  404   403    403      401
network               200 200   403 403   403  403   403    403      401
"""
# The exchange's two accepted contact requests, registered under their own name.
contact_requests = exchange.accepted_requests
#: The rows that need the contact requests of :func:`contact_requests`.
EXCHANGE_ROWS = {"requests", "outcome_R1_ORG1", "outcome_U1_R2"}

VIA = {
    "ada": ["token"],
    "alice": ["session"],
    "bob": ["token", "session"],
    "carol": ["session"],
    "erin": ["token"],
    "oscar": ["session"],
    "victor": ["token"],
    "stranger": ["session", "token"],
    "anon": ["session"],
}

NEW_MARKET = "/campaigns/c/values/R1/new_market_entities/2017"
RENAMING = {
    "kind": "renamed",
    "date": "2020-01-01",
    "name_zh": "新名",
    "name_en": "New name",
    "expected_version": 1,
}
PATENTS = "/campaigns/c/values/U1/patents_granted/2017"


def _outcome_put(pk: int | None) -> tuple:
    return ("put", f"/exchange/requests/{pk}/outcome", {"state": "agreed", "expected_version": 0})


def _requests(
    own_token: int, other_token: int, run: int | None = None, contacts: dict | None = None
) -> dict[str, tuple]:
    contacts = contacts or {}
    return {
        "me": ("get", "/me", None),
        "bases": ("get", "/bases", None),
        "base_R1": ("get", "/bases/R1", None),
        "base_U1": ("get", "/bases/U1", None),
        "event_R1": ("post", "/bases/R1/events", RENAMING),
        "event_U1": ("post", "/bases/U1/events", RENAMING),
        "frameworks": ("get", "/frameworks", None),
        "indicators": ("get", "/frameworks/mie-core/1/indicators", None),
        "campaigns": ("get", "/campaigns", None),
        "campaign": ("get", "/campaigns/c", None),
        "values": ("get", "/campaigns/c/values", None),
        "put_R1": ("put", NEW_MARKET, {"value": "125", "reason": "r", "expected_version": 1}),
        "put_U1": ("put", PATENTS, {"value": "3", "reason": "r", "expected_version": 1}),
        "history_R1": ("get", NEW_MARKET + "/history", None),
        "history_U1": ("get", PATENTS + "/history", None),
        "trends": ("get", "/campaigns/c/trends", None),
        "programme_trends": ("get", "/programmes/mie-bases/trends", None),
        # campaign-wide, as the run's page: the office and viewers, no base's officer
        "index_audit": ("get", f"/campaigns/c/index-runs/{run}/audit", None),
        "token_create": ("post", "/tokens", {"name": "script"}),
        "token_list": ("get", "/tokens", None),
        "token_revoke_own": ("delete", f"/tokens/{own_token}", None),
        "token_revoke_other": ("delete", f"/tokens/{other_token}", None),
        "requests": ("get", "/exchange/requests", None),
        "outcome_R1_ORG1": _outcome_put(contacts.get("R1_ORG1")),
        "outcome_U1_R2": _outcome_put(contacts.get("U1_R2")),
        "network": ("get", "/campaigns/c/exchange/network", None),
    }


def _matrix_cases():
    lines = [line.split() for line in MATRIX.strip().splitlines()]
    header, rows = lines[0][1:], lines[1:]
    assert header == USERS
    for endpoint, *statuses in rows:
        for user, status in zip(header, statuses, strict=True):
            for via in VIA[user]:
                yield pytest.param(endpoint, user, via, int(status), id=f"{endpoint}-{user}-{via}")


@pytest.mark.parametrize(("endpoint", "name", "via", "status"), list(_matrix_cases()))
def test_status_of_every_endpoint_for_every_role(
    request, api_as, everyone, campaign_c, endpoint, name, via, status
):
    contacts = request.getfixturevalue("contact_requests") if endpoint in EXCHANGE_ROWS else None
    user = everyone.get(name)
    owner = user or everyone["stranger"]
    own_token, _ = api_token_create(user=owner, name="own")
    someone_else = everyone["carol" if name != "carol" else "bob"]
    other_token, _ = api_token_create(user=someone_else, name="theirs")
    run = stored_run(campaign_c, {"year": 2018, **AUDIT}) if endpoint == "index_audit" else None
    method, path, body = _requests(own_token.pk, other_token.pk, run and run.pk, contacts)[endpoint]

    response = api_as(user, via=via).request(method, path, body)

    assert response.status_code == status, response.content
    if status != 204:
        assert response["Content-Type"] == "application/json; charset=utf-8"
    if status >= 400:
        assert isinstance(response.json()["detail"], str)


def test_bob_lists_only_his_own_base(api_as, bob):
    response = api_as(bob, via="token").get("/bases")

    assert [b["code"] for b in response.json()["items"]] == ["R1"]
    assert response.json()["count"] == 1


def test_bob_searching_for_another_base_finds_nothing(api_as, bob):
    response = api_as(bob, via="token").get("/bases?q=U1")

    assert response.json() == {"items": [], "count": 0}


def test_bob_sees_only_the_values_of_his_base(api_as, bob):
    response = api_as(bob, via="session").get("/campaigns/c/values")

    rows = [(v["base_code"], v["indicator_code"], v["year"]) for v in response.json()["items"]]
    assert rows == [
        ("R1", "new_market_entities", 2016),
        ("R1", "new_market_entities", 2017),
        ("R1", "new_market_entities", 2018),
        ("R1", "patents_granted", 2016),
        ("R1", "patents_granted", 2018),
    ]


def test_bob_filtering_by_another_base_gets_no_values(api_as, bob):
    response = api_as(bob, via="token").get("/campaigns/c/values?base=U1")

    assert response.json() == {"items": [], "count": 0}


def test_an_expert_sees_no_values_yet(api_as, erin, campaign_c):
    response = api_as(erin, via="token").get("/campaigns/c/values")

    assert response.json() == {"items": [], "count": 0}


def test_a_viewer_is_told_that_the_role_does_not_edit(api_as, victor, campaign_c):
    response = api_as(victor, via="token").put(
        NEW_MARKET, {"value": "1", "reason": "r", "expected_version": 1}
    )

    # The role's name is in the request's language (Chinese by default).
    assert response.json() == {"detail": "Your role (浏览者) does not edit values."}


def test_a_stranger_is_told_to_ask_for_a_role(api_as, stranger):
    response = api_as(stranger, via="session").get("/bases")

    assert response.json() == {
        "detail": "Your account has no role yet; ask the evaluation office to assign one."
    }


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("bob", ["R1_ORG1"]),
        ("carol", ["U1_R2"]),
        ("oscar", ["R1_ORG1"]),
        ("alice", ["U1_R2", "R1_ORG1"]),
    ],
)
def test_each_party_lists_only_its_own_contact_requests(
    api_as, everyone, contact_requests, name, listed
):
    response = api_as(everyone[name], via="token").get("/exchange/requests")

    # newest first: U1's request was made after R1's
    assert response.json()["count"] == len(listed)
    assert [r["id"] for r in response.json()["items"]] == [contact_requests[n] for n in listed]
