"""Who may open the exchange pages (200/403/404), and the pages' writes through the forms."""

import pytest
from django.utils import translation

from mieval.exchange import services
from mieval.exchange.models import ContactRequest, Post
from mieval.exchange.tests.conftest import AS_OF

pytestmark = pytest.mark.django_db

# page (with {post} names of conftest.POSTS) -> expected status per user
MATRIX = {
    "/exchange/": {
        "ada": 200,
        "alice": 200,
        "bob": 200,
        "carol": 200,
        "victor": 200,
        "erin": 403,
        "oscar": 200,
        "stranger": 403,
    },
    "/exchange/posts/{r1_need}/": {
        "alice": 200,
        "bob": 200,
        "carol": 200,
        "victor": 200,
        "erin": 403,
        "oscar": 200,
    },
    # an expired post: its own base and the office only
    "/exchange/posts/{r2_expired}/": {"alice": 200, "ada": 200, "bob": 404, "victor": 404},
    "/exchange/posts/new/": {"bob": 200, "carol": 200, "alice": 403, "victor": 403, "erin": 403},
    "/exchange/posts/{r1_need}/edit/": {"bob": 200, "carol": 404, "alice": 403, "victor": 403},
    "/exchange/mine/": {"bob": 200, "carol": 200, "alice": 403, "victor": 403, "oscar": 200},
    "/exchange/contact/": {"bob": 200, "alice": 403, "victor": 403},
    "/exchange/counts/": {
        "ada": 200,
        "alice": 200,
        "bob": 403,
        "carol": 403,
        "victor": 403,
        "erin": 403,
        "oscar": 403,
        "stranger": 403,
    },
}
CASES = [(page, user, status) for page, row in MATRIX.items() for user, status in row.items()]


@pytest.mark.parametrize(("page", "username", "status"), CASES)
def test_access(client, everyone, posts, page, username, status):
    client.force_login(everyone[username])
    url = page.format(**{name: post.pk for name, post in posts.items()})
    assert client.get(url).status_code == status


# One side's outcome report (POST) on the accepted requests of conftest.accepted_requests:
# R1 (bob) asked ORG1 (oscar), U1 (carol) asked R2. Its own party's people report (302 back to
# My exchange); another party's request is not found; the office and the other roles may not
# report at all; anonymous goes to the login page.
OUTCOME_MATRIX = {
    "R1_ORG1": {
        "ada": 403,
        "alice": 403,
        "bob": 302,
        "carol": 404,
        "erin": 403,
        "oscar": 302,
        "victor": 403,
        "stranger": 403,
        None: 302,
    },
    "U1_R2": {"bob": 404, "carol": 302, "oscar": 404, "alice": 403, None: 302},
}
OUTCOME_CASES = [
    (request, user, status)
    for request, row in OUTCOME_MATRIX.items()
    for user, status in row.items()
]


@pytest.mark.parametrize(("name", "username", "status"), OUTCOME_CASES)
def test_outcome_report_access(client, everyone, accepted_requests, name, username, status):
    from mieval.exchange.models import OutcomeReport

    if username is not None:
        client.force_login(everyone[username])
    pk = accepted_requests[name]

    response = client.post(
        f"/exchange/requests/{pk}/outcome/", {f"o{pk}-state": "agreed", f"o{pk}-version": "0"}
    )

    assert response.status_code == status
    reported = list(OutcomeReport.objects.filter(request_id=pk).values_list("side", "state"))
    if status == 302 and username is not None:
        assert response["Location"] == "/exchange/mine/"
        side = "responding" if username == "oscar" else "requesting"
        assert reported == [(side, "agreed")]
    else:
        assert reported == []
    if username is None:
        assert response["Location"].startswith("/accounts/login/?next=")


def test_home_lists_open_posts_and_filters(client, bob, posts):
    client.force_login(bob)
    with translation.override("en"):
        response = client.get("/exchange/", {"kind": "offer", "region": "east"})
    titles = [row["post"].title for row in response.context["rows"]]
    assert titles == ["Battery venture fund", "知识产权代理"]


def test_post_page_shows_suggestions_and_the_request_button_to_the_owner(client, bob, carol, posts):
    client.force_login(bob)
    body = client.get(f"/exchange/posts/{posts['r1_need'].pk}/").content.decode()
    assert body.count('class="small primary request-contact"') == 2
    assert "<mark>专利许可</mark> · <mark>正极材料</mark>" in body

    client.force_login(carol)
    body = client.get(f"/exchange/posts/{posts['r1_need'].pk}/").content.decode()
    assert "request-contact" not in body


def test_post_create_and_concurrent_edit(client, bob):
    client.force_login(bob)
    data = {
        "kind": "offer",
        "category": "talent",
        "title": "Mentors",
        "text": "Serial founders coach startups.",
        "language": "en",
        "tags": "mentoring; startups",
        "preferred_regions": ["central_west"],
        "expires": "2099-01-01",
    }
    response = client.post("/exchange/posts/new/", data)
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exchange/posts/{post.pk}/"
    assert (post.base.code, post.tags, post.created_by) == ("R1", ["mentoring", "startups"], bob)

    client.post(f"/exchange/posts/{post.pk}/edit/", {**data, "title": "First", "version": 1})
    with translation.override("en"):
        response = client.post(
            f"/exchange/posts/{post.pk}/edit/",
            {**data, "title": "Second", "version": 1},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Someone else changed this post meanwhile (version 2, you edited version 1). Reload it"
        " and make your change again."
    ]
    assert Post.objects.get().title == "First"


def test_request_accept_through_the_pages_reveals_contacts(
    client, bob, carol, alice, posts, contacts
):
    need, offer = posts["r1_need"], posts["u1_offer"]
    client.force_login(bob)
    response = client.post("/exchange/requests/new/", {"mine": need.pk, "other": offer.pk})
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert "u1@bases.example.org" not in client.get("/exchange/mine/").content.decode()

    # bob cannot accept his own request; the analyst cannot act at all
    client.post(f"/exchange/requests/{request.pk}/accept/")
    assert ContactRequest.objects.get().status == "proposed"
    client.force_login(alice)
    assert client.post(f"/exchange/requests/{request.pk}/accept/").status_code == 403

    client.force_login(carol)
    assert "r1@bases.example.org" not in client.get("/exchange/mine/").content.decode()
    client.post(f"/exchange/requests/{request.pk}/accept/", {"version": 1})
    assert ContactRequest.objects.get().status == "contacted"
    assert "r1@bases.example.org" in client.get("/exchange/mine/").content.decode()

    client.force_login(bob)
    assert "u1@bases.example.org" in client.get("/exchange/mine/").content.decode()
    # the office counts it but never sees the contact details
    client.force_login(alice)
    body = client.get("/exchange/counts/").content.decode()
    assert "u1@bases.example.org" not in body
    assert '<tr data-status="contacted"><th scope="row">' in body


def test_another_bases_request_is_not_found(client, everyone, posts, contacts):
    bob = everyone["bob"]
    request = services.contact_request_create(
        base=bob.profile.base,
        my_post=posts["r1_need"],
        other_post=posts["e1_offer"],
        user=bob,
        as_of=AS_OF,
    )
    client.force_login(everyone["carol"])
    assert client.post(f"/exchange/requests/{request.pk}/decline/").status_code == 404
    assert client.post(f"/exchange/requests/{request.pk}/explode/").status_code == 404


def test_base_profile_shows_suggestions_for_its_needs(client, bob, posts):
    client.force_login(bob)
    response = client.get("/campaigns/c/bases/R1/")
    assert [(r["s"].mine.title, r["s"].other.title) for r in response.context["exchange"]] == [
        ("寻求动力电池专利许可", "正极材料专利许可"),
        ("寻求动力电池专利许可", "知识产权代理"),
    ]


def test_base_profile_has_no_exchange_for_an_expert(client, erin, posts):
    from mieval.registry.models import Base
    from mieval.web.views import _base_exchange

    assert _base_exchange(erin, Base.objects.get(code="R1")) == {"exchange": None}


def test_region_choices_name_each_code_once():
    from mieval.exchange.forms import PostFilterForm

    with translation.override("en"):
        choices = PostFilterForm().fields["region"].choices
    assert choices[1:] == [
        ("east", "East"),
        ("central", "Central"),
        ("west", "West"),
        ("northeast", "Northeast"),
        ("central_west", "Central and West"),
    ]
