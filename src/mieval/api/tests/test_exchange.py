"""``/exchange``: posts, one post's suggestions, the counts; the pages' access rules."""

import pytest

from mieval.exchange.tests import conftest as exchange

# The exchange's tiny set of posts (the fixture ``posts``), registered under its own name.
exchange_posts = exchange.posts
provider_offer = exchange.provider_offer


def test_posts_list_filters_and_hides_the_expired(api_as, bob, exchange_posts):
    response = api_as(bob, via="token").get("/exchange/posts?kind=need")

    assert response.status_code == 200
    assert response.json()["count"] == 2
    first = response.json()["items"][1]
    assert first == {
        "id": exchange_posts["r1_need"].pk,
        "base_code": "R1",
        "organisation_code": None,
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
        ("oscar", "/exchange/posts", 200),
        ("victor", "/exchange/posts/{r2_expired}", 404),
        ("alice", "/exchange/posts/{r2_expired}", 200),
        ("bob", "/exchange/counts", 403),
        ("victor", "/exchange/counts", 403),
        ("alice", "/exchange/counts", 200),
        ("bob", "/exchange/requests", 200),
        ("oscar", "/exchange/requests", 200),
        ("alice", "/exchange/requests", 200),
        ("victor", "/exchange/requests", 403),
        ("erin", "/exchange/requests", 403),
        ("alice", "/campaigns/c/exchange/network", 200),
        ("ada", "/campaigns/c/exchange/network", 200),
        ("alice", "/campaigns/nope/exchange/network", 404),
        ("bob", "/campaigns/c/exchange/network", 403),
        ("oscar", "/campaigns/c/exchange/network", 403),
        ("victor", "/campaigns/c/exchange/network", 403),
    ],
)
def test_access(api_as, everyone, exchange_posts, username, path, status):
    url = path.format(**{name: p.pk for name, p in exchange_posts.items()})
    assert api_as(everyone[username], via="token").get(url).status_code == status


def test_counts(api_as, alice, exchange_posts):
    body = api_as(alice).get("/exchange/counts").json()
    assert (body["total"], body["mutual"], body["by_status"]["proposed"]) == (0, 0, 0)


def _contact_with_the_provider(exchange_posts, provider_offer, bob, oscar):
    from mieval.exchange import services

    services.contact_save(base=bob.profile.base, user=bob, person="Bob", email="b@example.org")
    request = services.contact_request_create(
        base=bob.profile.base,
        my_post=exchange_posts["r1_need"],
        other_post=provider_offer,
        user=bob,
        as_of=exchange.AS_OF,
    )
    return services.contact_request_accept(
        request=request, organisation=provider_offer.organisation, user=oscar
    )


def test_both_sides_report_the_outcome_through_the_api(
    api_as, bob, carol, oscar, exchange_posts, provider_offer
):
    # Given bob's base R1 in contact with the provider ORG1
    request = _contact_with_the_provider(exchange_posts, provider_offer, bob, oscar)
    url = f"/exchange/requests/{request.pk}/outcome"

    # When bob reports it done and oscar under way
    first = api_as(bob, via="token").put(url, {"state": "done", "expected_version": 0})
    second = api_as(oscar, via="token").put(
        url, {"state": "under_way", "note": "Licence signed", "expected_version": 0}
    )

    # Then both reports are kept and the cooperation is realised at the stage both confirm
    assert (first.status_code, first.json()["outcome"]) == (200, "one_side")
    assert second.status_code == 200
    body = second.json()
    assert (body["requesting"], body["responding"], body["campaign"]) == ("R1", "org:ORG1", "c")
    assert (body["status"], body["outcome"], body["stage"]) == ("agreed", "realised", "under_way")
    assert (body["requesting_report"]["state"], body["responding_report"]["note"]) == (
        "done",
        "Licence signed",
    )
    # a stale version is a 409; another base's request is not found; a viewer may not report
    stale = api_as(bob, via="token").put(url, {"state": "dropped", "expected_version": 0})
    assert stale.status_code == 409
    assert (
        api_as(carol, via="token").put(url, {"state": "done", "expected_version": 0}).status_code
        == 404
    )
    listed = api_as(oscar, via="token").get("/exchange/requests").json()
    assert listed["count"] == 1
    assert [(r["id"], r["outcome"]) for r in listed["items"]] == [(request.pk, "realised")]


def test_the_requests_are_paginated_like_the_other_lists(
    api_as, bob, oscar, exchange_posts, provider_offer
):
    from mieval.exchange import services

    # Given three requests of bob's base R1: to U1's offer, U2's offer, then the provider's
    first = _contact_with_the_provider(exchange_posts, provider_offer, bob, oscar)
    made = [first.pk]
    for offer in ("u1_offer", "u2_offer"):
        made.append(
            services.contact_request_create(
                base=bob.profile.base,
                my_post=exchange_posts["r1_need"],
                other_post=exchange_posts[offer],
                user=bob,
                as_of=exchange.AS_OF,
            ).pk
        )
    newest_first = made[::-1]

    # When bob reads them two at a time, and past the end
    client = api_as(bob, via="token")
    pages = [client.get(f"/exchange/requests?limit=2&offset={o}").json() for o in (0, 2, 3)]

    # Then each page holds its slice, newest first, and the count of all
    assert [p["count"] for p in pages] == [3, 3, 3]
    assert [[r["id"] for r in p["items"]] for p in pages] == [
        newest_first[:2],
        newest_first[2:],
        [],
    ]
    # The provider, one side of one of them, counts only that one.
    assert api_as(oscar, via="token").get("/exchange/requests").json()["count"] == 1
    # Beyond the limits of core/limits.py: 422, never a silent cap.
    assert client.get("/exchange/requests?limit=1001").status_code == 422
    assert client.get("/exchange/requests?limit=0").status_code == 422
    assert client.get("/exchange/requests?offset=-1").status_code == 422


def test_the_network_of_the_campaign(api_as, alice, bob, oscar, exchange_posts, provider_offer):
    from mieval.exchange import services

    request = _contact_with_the_provider(exchange_posts, provider_offer, bob, oscar)
    services.outcome_report(
        request=request, base=bob.profile.base, user=bob, state="done", expected_version=0
    )
    services.outcome_report(
        request=request,
        organisation=provider_offer.organisation,
        user=oscar,
        state="done",
        expected_version=0,
    )

    body = api_as(alice).get("/campaigns/c/exchange/network").json()

    # one link R1-ORG1, both in Beijing (East): HHI (1 + 1) / 4 = 0.5
    assert (body["round"], body["previous"], body["change"]) == ("c", None, None)
    figures = body["figures"]
    assert (figures["links"], figures["nodes"], figures["base_provider"]) == (1, 2, 1)
    assert (figures["hhi"], figures["east_central_west_share"]) == (0.5, 0.0)
