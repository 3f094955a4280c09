"""Who gets what on the site-visit pages and API endpoints: every role x own/other object, with
the exact status.

Users (``mieval.conftest`` and this app's conftest): ada (admin) and alice (analyst) are the
office; bob is R1's officer, carol U1's (both bases of panel 1, so U1 is "another base" for
bob); erin leads panel 1 (R1's), mia is a member of panel 1, frank leads panel 2 (an expert of
another panel for R1); oscar organiser, victor viewer, stranger without a role, anonymous.
"""

import pytest
from django.urls import reverse

from mieval.api.tests.conftest import ApiClient
from mieval.visits import services
from mieval.visits.models import VisitFile
from mieval.visits.tests.conftest import png_bytes

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


def _visit(name, base="R1"):
    return lambda ids: reverse(name, args=["c", base])


def _file(name):
    return lambda ids: reverse(name, args=["c", "R1", ids["file"]])


PAGES = {
    "index": ("get", lambda ids: reverse("visits_index", args=["c"])),
    "leader_1": ("post", lambda ids: reverse("visits_leader", args=["c", 1])),
    "plan_R1": ("get", _visit("visits_plan")),
    "plan_U2": ("get", _visit("visits_plan", "U2")),
    "record_R1": ("get", _visit("visits_record")),
    "record_R1_post": ("post", _visit("visits_record")),
    "file_add_R1": ("post", _visit("visits_file_add")),
    "file_R1": ("get", _file("visits_file")),
    "thumb_R1": ("get", _file("visits_thumbnail")),
    "opinion_R1": ("get", _visit("visits_opinion")),
    "opinion_R1_post": ("post", _visit("visits_opinion")),
    "worker": ("get", lambda ids: reverse("visits_worker", args=["c"])),
}

# One row per page; one column per user, in the order of USERS. In this world R1's opinion is
# with the office, so its record is closed: its writers (erin, mia) get 409, not 200/302.
#                    ada  alice bob  carol erin mia  frank oscar victor stranger anonymous
MATRIX = {
    "index":           [200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 302],
    "leader_1":        [302, 302, 403, 403, 403, 403, 403, 403, 403, 403, 302],
    "plan_R1":         [200, 200, 403, 403, 200, 403, 404, 403, 403, 403, 302],
    "plan_U2":         [200, 200, 403, 403, 404, 404, 200, 403, 403, 403, 302],
    "record_R1":       [200, 200, 403, 403, 200, 200, 404, 403, 403, 403, 302],
    "record_R1_post":  [403, 403, 403, 403, 409, 409, 404, 403, 403, 403, 302],
    "file_add_R1":     [403, 403, 403, 403, 302, 302, 404, 403, 403, 403, 302],
    "file_R1":         [200, 200, 403, 403, 200, 200, 404, 403, 403, 403, 302],
    "thumb_R1":        [200, 200, 403, 403, 200, 200, 404, 403, 403, 403, 302],
    "opinion_R1":      [200, 200, 403, 403, 200, 200, 404, 403, 403, 403, 302],
    "opinion_R1_post": [302, 302, 403, 403, 200, 403, 404, 403, 403, 403, 302],
    "worker":          [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
}  # fmt: skip

# What each POST sends: see _post_data.
CASES = [
    pytest.param(user, page, MATRIX[page][column], id=f"{user or 'anonymous'}-{page}")
    for page in MATRIX
    for column, user in enumerate(USERS)
]


@pytest.fixture
def people(everyone, mia, frank):
    return {**everyone, "mia": mia, "frank": frank}


@pytest.fixture
def world(record_r1, opinion_r1, erin, settings, tmp_path):
    """R1's visit planned and recorded with a photo; R1's opinion submitted to the office."""
    settings.MEDIA_ROOT = tmp_path
    services.visit_file_add(record=record_r1, name="site.png", data=png_bytes(), user=erin)
    opinion = services.opinion_circulate(opinion=opinion_r1, user=erin)
    return services.opinion_submit(opinion=opinion, user=erin)


def _post_data(page: str, user: str | None) -> dict:
    from mieval.panels.models import Expert

    if page == "leader_1":
        return {"expert": Expert.objects.get(code="X02").pk, "version": 1}
    if page == "record_R1_post":
        return {"findings": "新发现", "version": 1}
    if page == "file_add_R1":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return {"file": SimpleUploadedFile("more.png", png_bytes(), content_type="image/png")}
    if page == "opinion_R1_post":
        # The office accepts the submitted opinion (302). The leader (erin) may send it on, but
        # it is already with the office: refused by state, the page again with the message
        # (200). mia is neither leader nor office: 403.
        action = "accept" if user in {"ada", "alice"} else "submit"
        return {"action": action, "version": 3}
    return {}


@pytest.mark.parametrize(("user", "page", "expected"), CASES)
def test_page_status_by_role(client, people, world, user, page, expected):
    if user is not None:
        client.force_login(people[user])
    method, url = PAGES[page]
    path = url({"file": VisitFile.objects.get().pk})
    call = getattr(client, method)
    response = call(path) if method == "get" else call(path, _post_data(page, user))
    assert response.status_code == expected
    if user is None and page != "worker":
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_every_page_of_the_matrix_is_covered():
    assert set(MATRIX) == set(PAGES)
    assert all(len(row) == len(USERS) for row in MATRIX.values())


def test_a_base_officer_sees_the_own_visit_date_and_itinerary_only(client, people, world):
    client.force_login(people["bob"])
    page = client.get(reverse("visits_index", args=["c"])).content.decode()
    assert "2018-06-12" in page
    assert "孵化器参观" in page
    # The contacts and the members going are the panel's, not the base's page.
    assert "010-1234" not in page
    client.force_login(people["carol"])
    page = client.get(reverse("visits_index", args=["c"])).content.decode()
    assert "2018-06-12" not in page
    assert "孵化器参观" not in page


def test_a_base_officer_sees_the_opinion_only_once_accepted(client, people, world, alice):
    client.force_login(people["bob"])
    url = reverse("visits_index", args=["c"])
    assert "基地运营良好。" not in client.get(url).content.decode()
    services.opinion_accept(opinion=world, user=alice)
    page = client.get(url).content.decode()
    assert "基地运营良好。" in page
    assert "加强东西部交流。" in page


# --- the API ---------------------------------------------------------------------------------

ENDPOINTS = {
    "visits": ("get", "/campaigns/c/visits", None),
    "record_R1": ("get", "/campaigns/c/visits/R1/record", None),
    "record_R1_put": (
        "put",
        "/campaigns/c/visits/R1/record",
        {"findings": "经核实", "checked": ["space"], "expected_version": 1},
    ),
    "opinion_R1": ("get", "/campaigns/c/opinions/R1", None),
    "opinion_U1": ("get", "/campaigns/c/opinions/U1", None),
    "opinion_R2_put": ("put", "/campaigns/c/opinions/R2", {"text": "运营规范。"}),
    "answer_R1": ("post", "/campaigns/c/opinions/R1/answer", {"agrees": False, "dissent": "偏高"}),
}

# The opinion on R1 is circulated for "answer_R1" and accepted for the others; U1 has none
# that anyone may read (404 for the office too), which a base officer of another base also gets.
API_MATRIX = {
    "visits":        [200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 401],
    "record_R1":     [200, 200, 403, 403, 200, 200, 404, 403, 403, 403, 401],
    "record_R1_put": [403, 403, 403, 403, 409, 409, 404, 403, 403, 403, 401],
    "opinion_R1":    [200, 200, 200, 404, 200, 200, 404, 403, 403, 403, 401],
    "opinion_U1":    [404, 404, 404, 404, 404, 404, 404, 403, 403, 403, 401],
    "opinion_R2_put": [403, 403, 403, 403, 200, 403, 404, 403, 403, 403, 401],
    "answer_R1":     [403, 403, 403, 403, 403, 200, 404, 403, 403, 403, 401],
}  # fmt: skip

API_CASES = [
    pytest.param(user, name, API_MATRIX[name][column], id=f"{user or 'anonymous'}-{name}")
    for name in API_MATRIX
    for column, user in enumerate(USERS)
]


@pytest.fixture
def api_world(record_r1, opinion_r1, erin, alice):
    return services.opinion_circulate(opinion=opinion_r1, user=erin)


@pytest.mark.parametrize(("user", "name", "expected"), API_CASES)
def test_api_status_by_role(people, api_world, erin, alice, user, name, expected):
    if name != "answer_R1":
        opinion = services.opinion_submit(opinion=api_world, user=erin)
        services.opinion_accept(opinion=opinion, user=alice)
    method, path, body = ENDPOINTS[name]
    via = "token" if user in {"ada", "bob", "erin"} else "session"
    client = ApiClient(people[user] if user else None, via=via)
    response = client.request(method, path, body)
    assert response.status_code == expected, response.content


def test_every_endpoint_of_the_api_matrix_is_covered():
    assert set(API_MATRIX) == set(ENDPOINTS)
    assert all(len(row) == len(USERS) for row in API_MATRIX.values())


def test_the_api_gives_a_base_officer_the_date_and_itinerary_only(people, visit_r1):
    response = ApiClient(people["bob"]).get("/campaigns/c/visits")
    assert response.json()["items"] == [
        {
            "base_code": "R1",
            "panel": 1,
            "date": "2018-06-12",
            "itinerary": "09:00 孵化器参观\n14:00 座谈",
            "contacts": None,
            "members": None,
            "version": None,
        }
    ]
    assert ApiClient(people["carol"]).get("/campaigns/c/visits").json() == {
        "count": 0,
        "items": [],
    }


def test_the_api_hides_an_opinion_from_the_base_until_accepted(people, opinion_r1):
    response = ApiClient(people["bob"]).get("/campaigns/c/opinions/R1")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "There is no opinion on 'R1' that you may read yet."},
    )


def test_the_leader_drafts_by_api_and_a_circulated_opinion_is_409(people, opinion_r1, erin):
    client = ApiClient(people["erin"])
    body = {"text": "修改后的意见", "recommendations": "", "expected_version": 1}
    response = client.put("/campaigns/c/opinions/R1", body)
    assert (response.status_code, response.json()["text"], response.json()["version"]) == (
        200,
        "修改后的意见",
        2,
    )
    services.opinion_circulate(opinion=opinion_r1, user=erin)
    body["expected_version"] = 3
    response = client.put("/campaigns/c/opinions/R1", body)
    assert response.status_code == 409
    assert response.json() == {
        "detail": "the opinion is circulated; it can be edited only when draft or returned"
    }


def test_a_stale_record_put_is_409(people, record_r1):
    client = ApiClient(people["mia"])
    body = {"findings": "一", "expected_version": 1}
    assert client.put("/campaigns/c/visits/R1/record", body).status_code == 200
    response = client.put("/campaigns/c/visits/R1/record", body)
    assert response.status_code == 409
    assert "someone else saved it meanwhile" in response.json()["detail"]


def test_a_closed_record_put_is_409(people, record_r1, opinion_r1, erin):
    opinion = services.opinion_circulate(opinion=opinion_r1, user=erin)
    services.opinion_submit(opinion=opinion, user=erin)
    client = ApiClient(people["mia"])

    response = client.put(
        "/campaigns/c/visits/R1/record", {"findings": "一", "expected_version": 1}
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "the visit record of R1 is closed: the panel's opinion is submitted; it "
        "reopens when the evaluation office returns the opinion"
    }
