"""``/exchange``: posts, one post's suggestions, the counts; the pages' access rules."""

import pytest

from mieval.exchange.tests import conftest as exchange

# The exchange's tiny set of posts (the fixture ``posts``), registered under its own name.
exchange_posts = exchange.posts


def test_posts_list_filters_and_hides_the_expired(api_as, bob, exchange_posts):
    response = api_as(bob, via="token").get("/exchange/posts?kind=need")

    assert response.status_code == 200
    assert response.json()["count"] == 2
    first = response.json()["items"][1]
    assert first == {
        "id": exchange_posts["r1_need"].pk,
        "base_code": "R1",
        "kind": "need",
        "category": "technology",
        "title": "寻求动力电池专利许可",
        "text": "我们计划量产储能电池，寻求磷酸铁锂正极材料专利许可和技术转移。",
        "language": "zh",
        "tags": ["patent", "new_energy"],
        "preferred_regions": ["central_west"],
        "expires": "2099-12-31",
        "status": "open",
        "version": 1,
    }


def test_suggestions_of_a_post(api_as, victor, exchange_posts):
    response = api_as(victor).get(f"/exchange/posts/{exchange_posts['r1_need'].pk}/suggestions")

    assert response.status_code == 200
    body = response.json()
    assert [(s["post"]["title"], s["post"]["base_code"]) for s in body] == [
        ("正极材料专利许可", "U1"),
        ("知识产权代理", "U2"),
    ]
    assert body[0]["shared_terms"] == ["专利许可", "正极材料"]
    assert body[0]["shared_tags"] == ["new_energy", "patent"]
    assert (body[0]["east_central_west"], body[0]["preferred_region"], body[0]["cross_type"]) == (
        True,
        True,
        True,
    )
    assert round(body[0]["score"], 4) == 0.926


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("erin", "/exchange/posts", 403),
        ("oscar", "/exchange/posts", 403),
        ("victor", "/exchange/posts/{r2_expired}", 404),
        ("alice", "/exchange/posts/{r2_expired}", 200),
        ("bob", "/exchange/counts", 403),
        ("victor", "/exchange/counts", 403),
        ("alice", "/exchange/counts", 200),
    ],
)
def test_access(api_as, everyone, exchange_posts, username, path, status):
    url = path.format(**{name: p.pk for name, p in exchange_posts.items()})
    assert api_as(everyone[username], via="token").get(url).status_code == status


def test_counts(api_as, alice, exchange_posts):
    body = api_as(alice).get("/exchange/counts").json()
    assert (body["total"], body["mutual"], body["by_status"]["proposed"]) == (0, 0, 0)
