"""Who may open the expert's scoring page of a base (with the evidence beside each criterion),
post it, declare a conflict, and read the office's results: every role against the scored base
and another panel's base, with the exact status. Then who reads the panel's opinion and the
members' comments (the text on the page, not only the status).

Panel 1 (X01 erin, its leader; X02 mia, a member; X03 without a login) scores R1 (bob's base),
R2 and U1 (carol's base, another base for bob); panel 2 (X04 frank, its leader) scores U2 and
E1, so frank is an expert of another panel for R1. oscar is an organiser, victor a viewer.
403: the role may not use the page; 404: a base outside the expert's panel; anonymous: 302 to
the login page.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from mieval.api.tests.conftest import ApiClient
from mieval.panels.models import ConflictDeclaration, Expert, Score
from mieval.registry.models import Base
from mieval.visits.tests.conftest import frank, leaders, mia, opinion_r1  # noqa: F401

pytestmark = pytest.mark.django_db

USERS = [
    "ada",
    "alice",
    "bob",
    "carol",
    "erin",
    "mia",
    "frank",
    "oscar",
    "victor",
    "stranger",
    None,
]


@pytest.fixture
def people(everyone, mia, frank, leaders):  # noqa: F811
    return {**everyone, "mia": mia, "frank": frank}


@pytest.fixture
def world(people, published, rubric):
    """Panels published with their leaders; the rubric C1, C2 (0 to 100); nothing scored."""
    return people


def _score(code):
    return lambda ids: reverse("panels_score", args=["c", code])


PAGES = {
    "my_bases": lambda ids: reverse("panels_my_bases"),
    "score_R1": _score("R1"),
    "score_U2": _score("U2"),
    "score_ZZ": _score("ZZ"),
    "results": lambda ids: reverse("panels_results", args=["c"]),
    "results_csv": lambda ids: reverse("panels_results_csv", args=["c"]),
    "comments_csv": lambda ids: reverse("panels_comments_csv", args=["c"]),
}

# One row per page; one column per user, in the order of USERS.
#                 ada  alice bob  carol erin mia  frank oscar victor stranger anonymous
MATRIX = {
    "my_bases":     [403, 403, 403, 403, 200, 200, 200, 403, 403, 403, 302],
    "score_R1":     [403, 403, 403, 403, 200, 200, 404, 403, 403, 403, 302],
    "score_U2":     [403, 403, 403, 403, 404, 404, 200, 403, 403, 403, 302],
    "score_ZZ":     [403, 403, 403, 403, 404, 404, 404, 403, 403, 403, 302],
    "results":      [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 302],
    "results_csv":  [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 302],
    "comments_csv": [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 302],
}  # fmt: skip

SCORES = {"C1-value": "75", "C1-comment": "好", "C2-value": "80", "C2-comment": ""}

# Posts: (url, form data). A successful post redirects (302): a draft back to the scoring
# page, a submission and a conflict to the expert's list, reminders to the results.
POSTS = {
    "save_R1": (_score("R1"), SCORES),
    "submit_R1": (_score("R1"), {**SCORES, "submit": "1"}),
    "save_U2": (_score("U2"), SCORES),
    "conflict_R1": (
        lambda ids: reverse("panels_conflict", args=["c", "R1"]),
        {"reason": "曾任该基地顾问"},
    ),
    "conflict_U2": (
        lambda ids: reverse("panels_conflict", args=["c", "U2"]),
        {"reason": "曾任该基地顾问"},
    ),
    "reminders": (lambda ids: reverse("panels_reminders", args=["c"]), {}),
}

#                 ada  alice bob  carol erin mia  frank oscar victor stranger anonymous
POST_MATRIX = {
    "save_R1":      [403, 403, 403, 403, 302, 302, 404, 403, 403, 403, 302],
    "submit_R1":    [403, 403, 403, 403, 302, 302, 404, 403, 403, 403, 302],
    "save_U2":      [403, 403, 403, 403, 404, 404, 302, 403, 403, 403, 302],
    "conflict_R1":  [403, 403, 403, 403, 302, 302, 404, 403, 403, 403, 302],
    "conflict_U2":  [403, 403, 403, 403, 404, 404, 302, 403, 403, 403, 302],
    "reminders":    [302, 302, 403, 403, 403, 403, 403, 403, 403, 403, 302],
}  # fmt: skip

#: What a successful post leaves behind: (submitted scores, draft scores, conflicts).
WRITTEN = {
    "save_R1": (0, 2, 0),
    "submit_R1": (2, 0, 0),
    "save_U2": (0, 2, 0),
    "conflict_R1": (0, 0, 1),
    "conflict_U2": (0, 0, 1),
    "reminders": (0, 0, 0),
}


def _cases(matrix):
    return [
        pytest.param(user, row, matrix[row][column], id=f"{user or 'anonymous'}-{row}")
        for row in matrix
        for column, user in enumerate(USERS)
    ]


@pytest.mark.parametrize(("user", "page", "expected"), _cases(MATRIX))
def test_page_status_by_role(client, world, user, page, expected):
    if user is not None:
        client.force_login(world[user])

    response = client.get(PAGES[page]({}))

    assert response.status_code == expected
    if user is None:
        assert response["Location"].startswith(reverse("login") + "?next=")


def _written() -> tuple[int, int, int]:
    return (
        Score.objects.filter(state=Score.State.SUBMITTED).count(),
        Score.objects.filter(state=Score.State.DRAFT).count(),
        ConflictDeclaration.objects.count(),
    )


@pytest.mark.parametrize(("user", "post", "expected"), _cases(POST_MATRIX))
def test_post_status_by_role(client, world, user, post, expected):
    if user is not None:
        client.force_login(world[user])
    url, data = POSTS[post]

    response = client.post(url({}), data)

    assert response.status_code == expected
    assert _written() == (WRITTEN[post] if expected == 302 and user else (0, 0, 0))
    if user is None:
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_every_page_and_post_of_the_matrices_is_covered():
    assert set(MATRIX) == set(PAGES)
    assert set(POST_MATRIX) == set(POSTS) == set(WRITTEN)
    assert all(len(row) == len(USERS) for row in [*MATRIX.values(), *POST_MATRIX.values()])


def test_a_declared_conflict_takes_the_base_from_the_expert(client, world):
    client.force_login(world["mia"])
    client.post(reverse("panels_conflict", args=["c", "R1"]), {"reason": "亲属任职"})

    assert client.get(reverse("panels_score", args=["c", "R1"])).status_code == 404
    assert client.post(reverse("panels_score", args=["c", "R1"]), SCORES).status_code == 404
    assert Score.objects.count() == 0


# --- the panel's opinion and the members' comments --------------------------------------------

COMMENT = "X03的评语：孵化成效突出。"
SECRET = "X03的保密意见：负责人与某企业有关联。"


@pytest.fixture
def commented(world, campaign_c, rubric):
    """X03 (a member of panel 1 without a login) submitted R1's scores, with a comment and a
    confidential comment on C1."""
    x03, r1 = Expert.objects.get(code="X03"), Base.objects.get(code="R1")
    for criterion in rubric.criteria.order_by("code"):
        first = criterion.code == "C1"
        Score.objects.create(
            campaign=campaign_c,
            expert=x03,
            base=r1,
            criterion=criterion,
            value=Decimal(80),
            comment=COMMENT if first else "",
            confidential_comment=SECRET if first else "",
            state=Score.State.SUBMITTED,
        )
    return world


def _confidential(rubric):
    rubric.comments_confidential = True
    rubric.save(update_fields=["comments_confidential"])


@pytest.fixture
def accepted(commented, opinion_r1, erin, alice):  # noqa: F811
    """R1's opinion (基地运营良好。 / 加强东西部交流。), circulated, submitted, accepted; the
    users by name."""
    from mieval.visits import services

    submitted = services.opinion_submit(
        opinion=services.opinion_circulate(opinion=opinion_r1, user=erin), user=erin
    )
    services.opinion_accept(opinion=submitted, user=alice)
    return commented


def _page(client, user, name, *args) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_the_leader_reads_a_members_comment_but_never_the_confidential_one(
    client, commented, rubric
):
    leader = _page(client, commented["erin"], "visits_opinion", "c", "R1")
    office = _page(client, commented["alice"], "visits_opinion", "c", "R1")

    assert (COMMENT in leader, SECRET in leader) == (True, False)
    assert (COMMENT in office, SECRET in office) == (True, True)


def test_a_confidential_rubric_keeps_the_members_comment_from_the_leader_too(
    client, commented, rubric
):
    _confidential(rubric)

    leader = _page(client, commented["erin"], "visits_opinion", "c", "R1")
    office = _page(client, commented["alice"], "visits_opinion", "c", "R1")

    assert (COMMENT in leader, SECRET in leader) == (False, False)
    assert (COMMENT in office, SECRET in office) == (True, True)


def test_the_scoring_page_shows_no_other_experts_comment(client, commented):
    page = _page(client, commented["mia"], "panels_score", "c", "R1")

    assert (COMMENT in page, SECRET in page) == (False, False)


def test_no_officer_reads_the_opinion_before_the_office_accepts_it(
    client,
    commented,
    opinion_r1,  # noqa: F811
):
    page = _page(client, commented["bob"], "visits_index", "c")
    api = ApiClient(commented["bob"]).get("/campaigns/c/opinions/R1")

    assert "基地运营良好。" not in page
    assert api.status_code == 404


def test_an_officer_reads_the_accepted_opinion_of_the_own_base_only(client, accepted):
    own = _page(client, accepted["bob"], "visits_index", "c")
    other = _page(client, accepted["carol"], "visits_index", "c")
    own_api = ApiClient(accepted["bob"]).get("/campaigns/c/opinions/R1")
    other_api = ApiClient(accepted["carol"]).get("/campaigns/c/opinions/R1")

    assert ("基地运营良好。" in own, "加强东西部交流。" in own) == (True, True)
    assert ("基地运营良好。" in other, "加强东西部交流。" in other) == (False, False)
    assert (own_api.status_code, own_api.json()) == (
        200,
        {
            "base_code": "R1",
            "panel": 1,
            "state": "accepted",
            "text": "基地运营良好。",
            "recommendations": "加强东西部交流。",
            "answers": None,
            "version": 4,
        },
    )
    assert (other_api.status_code, other_api.json()) == (
        404,
        {"detail": "There is no base 'R1' of yours with an expert panel."},
    )


@pytest.mark.parametrize("confidential", [False, True], ids=["open-rubric", "confidential-rubric"])
def test_an_officer_never_reads_the_members_comments(client, accepted, rubric, confidential):
    if confidential:
        _confidential(rubric)
    bob = accepted["bob"]

    pages = {
        "visits": _page(client, bob, "visits_index", "c"),
        "rectification": _page(client, bob, "rectification_base", "c", "R1"),
        "profile": _page(client, bob, "base_profile", "c", "R1"),
        "api": ApiClient(bob).get("/campaigns/c/opinions/R1").content.decode(),
    }

    assert {name: (COMMENT in text, SECRET in text) for name, text in pages.items()} == {
        name: (False, False) for name in pages
    }
    assert "基地运营良好。" in pages["visits"]
