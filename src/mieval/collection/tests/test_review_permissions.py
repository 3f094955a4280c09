"""Who may open which review page: every role against every page, own and other base.

403: the role never uses the page; 404: another base's object (looked up among the bases the
user may see); anonymous: 302 to the login page.
"""

import pytest
from django.urls import reverse

from mieval.collection.tests.review_helpers import evidence_on, query_on
from mieval.indicators.selectors import framework_builtin

USERS = ["ada", "alice", "bob", "carol", "erin", "oscar", "victor", "stranger", None]

# One row per page; one column per user, in the order of USERS. bob is R1's officer, carol U1's.
#                   ada  alice bob  carol erin oscar victor stranger anonymous
MATRIX = {
    "submissions":     [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "review_R1":       [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "review_U1":       [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "query_list":      [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "base_queries_R1": [200, 200, 200, 404, 403, 403, 403, 403, 302],
    "base_queries_U1": [200, 200, 404, 200, 403, 403, 403, 403, 302],
    "value_R1":        [200, 200, 200, 404, 403, 403, 403, 403, 302],
    "value_U1":        [200, 200, 404, 200, 403, 403, 403, 403, 302],
    "query_R1":        [200, 200, 200, 404, 403, 403, 403, 403, 302],
    "query_U1":        [200, 200, 404, 200, 403, 403, 403, 403, 302],
    "evidence_R1":     [200, 200, 200, 404, 403, 403, 403, 403, 302],
    "evidence_U1":     [200, 200, 404, 200, 403, 403, 403, 403, 302],
    "audit_csv":       [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "rules":           [200, 200, 403, 403, 403, 403, 403, 403, 302],
}  # fmt: skip


@pytest.fixture
def objects(everyone, media):
    return {
        "query_R1": query_on("R1", "new_market_entities", 2017).pk,
        "query_U1": query_on("U1", "patents_granted", 2017).pk,
        "evidence_R1": evidence_on("R1", "new_market_entities", 2017).pk,
        "evidence_U1": evidence_on("U1", "patents_granted", 2017).pk,
    }


def url_of(page: str, objects: dict) -> str:
    base = page.rsplit("_", 1)[-1]
    if page == "submissions":
        return reverse("submissions_dashboard", args=["c"])
    if page.startswith("review_"):
        return reverse("submission_review", args=["c", base])
    if page == "query_list":
        return reverse("query_list", args=["c"])
    if page.startswith("base_queries_"):
        return reverse("base_queries", args=["c", base])
    if page.startswith("value_"):
        return reverse("value_detail", args=["c", base, "patents_granted", 2016])
    if page.startswith("query_"):
        return reverse("query_detail", args=["c", objects[page]])
    if page.startswith("evidence_"):
        return reverse("evidence_download", args=["c", objects[page]])
    if page == "audit_csv":
        return reverse("audit_csv", args=["c"])
    return reverse("rules_editor", args=[framework_builtin().pk])


CASES = [
    pytest.param(user, page, MATRIX[page][column], id=f"{user or 'anonymous'}-{page}")
    for page in MATRIX
    for column, user in enumerate(USERS)
]


@pytest.mark.parametrize(("user", "page", "expected"), CASES)
def test_page_status_by_role(client, everyone, objects, login, user, page, expected):
    login(everyone[user] if user else None)

    response = client.get(url_of(page, objects))

    assert response.status_code == expected
    if user is None:
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_every_page_is_in_the_matrix():
    assert all(len(row) == len(USERS) for row in MATRIX.values())
    from mieval.collection.views import review, rules

    names = {p.name for p in [*review.urlpatterns, *rules.urlpatterns]}
    assert names == {
        "submissions_dashboard",
        "submission_review",
        "query_list",
        "base_queries",
        "value_detail",
        "query_detail",
        "evidence_download",
        "audit_csv",
        "rules_editor",
    }


# Writes: who may post which step (the statuses of a refusal; success is tested end to end).
POSTS = [
    # (user, url name, args, data, expected)
    ("victor", "submissions_dashboard", ["c"], {"deadline": "2026-04-01T12:00"}, 403),
    ("bob", "submission_review", ["c", "R1"], {"action": "approve"}, 403),
    ("victor", "submission_review", ["c", "R1"], {"action": "approve"}, 403),
    ("bob", "value_detail", ["c", "R1", "patents_granted", 2016], {"action": "query"}, 403),
    ("bob", "value_detail", ["c", "R1", "patents_granted", 2016], {"action": "verify"}, 403),
    ("carol", "value_detail", ["c", "R1", "patents_granted", 2016], {"action": "upload"}, 404),
    ("alice", "value_detail", ["c", "R1", "patents_granted", 2019], {"action": "query"}, 404),
    ("alice", "value_detail", ["c", "R1", "no_such", 2016], {"action": "query"}, 404),
    ("bob", "rules_editor", None, {"action": "save", "text": ""}, 403),
]  # fmt: skip


@pytest.mark.parametrize(
    ("user", "name", "args", "data", "expected"),
    POSTS,
    ids=[f"{p[0]}-{p[1]}-{p[3].get('action', 'post')}" for p in POSTS],
)
def test_refused_writes(client, everyone, login, user, name, args, data, expected):
    login(everyone[user])
    url = reverse(name, args=args if args is not None else [framework_builtin().pk])

    assert client.post(url, data).status_code == expected


def test_replies_and_office_steps_on_a_query(client, everyone, objects, login):
    r1 = reverse("query_detail", args=["c", objects["query_R1"]])
    cases = [
        ("carol", r1, {"action": "reply", f"q{objects['query_R1']}-text": "x"}, 404),
        ("alice", r1, {"action": "reply", f"q{objects['query_R1']}-text": "x"}, 403),
        ("bob", r1, {"action": "close"}, 403),
        ("bob", r1, {"action": "follow_up", f"q{objects['query_R1']}-text": "x"}, 403),
        ("victor", r1, {"action": "close"}, 403),
    ]
    statuses = []
    for user, url, data, _expected in cases:
        client.logout()
        login(everyone[user])
        statuses.append(client.post(url, data).status_code)

    assert statuses == [expected for *_rest, expected in cases]
