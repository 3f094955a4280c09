"""Who may open which backbone page and post which form: every role against every object, with
the exact status.

403: the role never may; 404: another base's nomination page (or a person of no campaign's
list); anonymous: 302 to the login page. Bob is R1's officer, Carol U1's; erin is an expert,
oscar an organiser, victor a viewer.
"""

import pytest
from django.urls import reverse

from mieval.backbone.models import BackboneMember
from mieval.backbone.services import backbone_import

USERS = ["ada", "alice", "bob", "carol", "erin", "oscar", "victor", "stranger", None]

PAGES = {
    "list": lambda m: reverse("backbone_list", args=["c"]),
    "member": lambda m: reverse("backbone_member", args=["c", m.pk]),
    "member_missing": lambda m: reverse("backbone_member", args=["c", m.pk + 1000]),
    "nominate_R1": lambda m: reverse("backbone_nominate", args=["c", "R1"]),
    "nominate_U1": lambda m: reverse("backbone_nominate", args=["c", "U1"]),
    "nominate_E1": lambda m: reverse("backbone_nominate", args=["c", "E1"]),
}

#                    ada  alice bob  carol erin oscar victor stranger anonymous
MATRIX = {
    "list":           [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "member":         [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "member_missing": [404, 404, 403, 403, 403, 403, 403, 403, 302],
    "nominate_R1":    [403, 403, 200, 404, 403, 403, 403, 403, 302],
    "nominate_U1":    [403, 403, 404, 200, 403, 403, 403, 403, 302],
    "nominate_E1":    [403, 403, 404, 404, 403, 403, 403, 403, 302],
}  # fmt: skip


def _cases(matrix):
    return [
        pytest.param(user, name, matrix[name][column], id=f"{user or 'anonymous'}-{name}")
        for name in matrix
        for column, user in enumerate(USERS)
    ]


@pytest.fixture
def world(planned, everyone, alice):
    backbone_import(campaign=planned, user=alice)
    return everyone, BackboneMember.objects.get(source="visit:R1:张三")


@pytest.mark.parametrize(("user", "page", "expected"), _cases(MATRIX))
def test_page_status_by_role(client, world, login, user, page, expected):
    users, member = world
    login(users[user] if user else None)

    response = client.get(PAGES[page](member))

    assert response.status_code == expected
    if user is None:
        assert response["Location"].startswith(reverse("login") + "?next=")


# Posts: (url, form data). A successful post redirects (302) back to its page.
WRITES = {
    "record": (
        lambda m: reverse("backbone_list", args=["c"]),
        {"name": "新人", "role": "visit_contact", "base": "", "organisation": ""},
    ),
    "import": (lambda m: reverse("backbone_import", args=["c"]), {}),
    "edit": (
        lambda m: reverse("backbone_member", args=["c", m.pk]),
        {"name": "张三", "role": "visit_contact", "version": "1"},
    ),
    "invite": (lambda m: reverse("backbone_invite", args=["c", m.pk]), {"code": "BB9"}),
    "accept": (lambda m: reverse("backbone_accept", args=["c", m.pk]), {"version": "1"}),
    "nominate_R1": (lambda m: reverse("backbone_nominate", args=["c", "R1"]), {"name": "新人"}),
    "nominate_U1": (lambda m: reverse("backbone_nominate", args=["c", "U1"]), {"name": "新人"}),
}

#                 ada  alice bob  carol erin oscar victor stranger anonymous
WRITE_MATRIX = {
    "record":      [302, 302, 403, 403, 403, 403, 403, 403, 302],
    "import":      [302, 302, 403, 403, 403, 403, 403, 403, 302],
    "edit":        [302, 302, 403, 403, 403, 403, 403, 403, 302],
    "invite":      [302, 302, 403, 403, 403, 403, 403, 403, 302],
    "accept":      [400, 400, 403, 403, 403, 403, 403, 403, 302],
    "nominate_R1": [403, 403, 302, 404, 403, 403, 403, 403, 302],
    "nominate_U1": [403, 403, 404, 302, 403, 403, 403, 403, 302],
}  # fmt: skip


@pytest.mark.parametrize(("user", "write", "expected"), _cases(WRITE_MATRIX))
def test_write_status_by_role(client, world, login, user, write, expected):
    users, member = world
    url, data = WRITES[write]
    data = dict(data)
    if write in ("record", "edit"):
        data["base"] = str(member.base_id)
    if write == "invite":
        data |= {"organisation": str(member_org().pk), "version": "1"}
    login(users[user] if user else None)
    before = BackboneMember.objects.count()

    response = client.post(url(member), data)

    assert response.status_code == expected
    if expected == 403 or expected == 404 or user is None:
        assert BackboneMember.objects.count() == before
        member.refresh_from_db()
        assert (member.version, member.state) == (1, "recorded")
    if user is None:
        assert response["Location"].startswith(reverse("login") + "?next=")


def member_org():
    from mieval.panels.models import Organisation

    return Organisation.objects.get(code="ORG1")


def test_every_page_and_write_of_the_matrices_is_covered():
    assert set(MATRIX) == set(PAGES)
    assert set(WRITE_MATRIX) == set(WRITES)
    assert all(len(row) == len(USERS) for row in [*MATRIX.values(), *WRITE_MATRIX.values()])


# --- the API ---------------------------------------------------------------------------------

ENDPOINTS = {
    "counts": ("get", "/campaigns/c/backbone/counts", None),
    "nominations_R1": ("get", "/campaigns/c/backbone/nominations/R1", None),
    "nominations_U1": ("get", "/campaigns/c/backbone/nominations/U1", None),
    "nominate_R1": ("post", "/campaigns/c/backbone/nominations/R1", {"name": "新人"}),
    "nominate_U1": ("post", "/campaigns/c/backbone/nominations/U1", {"name": "新人"}),
}

#                   ada  alice bob  carol erin oscar victor stranger anonymous
API_MATRIX = {
    "counts":         [200, 200, 403, 403, 403, 403, 403, 403, 401],
    "nominations_R1": [403, 403, 200, 404, 403, 403, 403, 403, 401],
    "nominations_U1": [403, 403, 404, 200, 403, 403, 403, 403, 401],
    "nominate_R1":    [403, 403, 201, 404, 403, 403, 403, 403, 401],
    "nominate_U1":    [403, 403, 404, 201, 403, 403, 403, 403, 401],
}  # fmt: skip


@pytest.mark.parametrize(("user", "name", "expected"), _cases(API_MATRIX))
def test_api_status_by_role(world, user, name, expected):
    from mieval.api.tests.conftest import ApiClient

    users, _member = world
    method, path, body = ENDPOINTS[name]
    via = "token" if user in {"ada", "bob", "erin"} else "session"
    before = BackboneMember.objects.count()

    response = ApiClient(users[user] if user else None, via=via).request(method, path, body)

    assert response.status_code == expected, response.content
    added = 1 if expected == 201 else 0
    assert BackboneMember.objects.count() == before + added


def test_every_endpoint_of_the_api_matrix_is_covered():
    assert set(API_MATRIX) == set(ENDPOINTS)
    assert all(len(row) == len(USERS) for row in API_MATRIX.values())


def test_the_api_counts_and_nominations(world, alice, bob):
    from mieval.api.tests.conftest import ApiClient

    created = ApiClient(bob).request(
        "post", "/campaigns/c/backbone/nominations/R1", {"name": "钱七", "phone": "139"}
    )
    bad = ApiClient(bob).request(
        "post", "/campaigns/c/backbone/nominations/R1", {"name": "甲", "email": "nope"}
    )
    listed = ApiClient(bob).get("/campaigns/c/backbone/nominations/R1")
    counts = ApiClient(alice).get("/campaigns/c/backbone/counts")

    assert created.json() == {
        "id": BackboneMember.objects.get(name="钱七").pk,
        "name": "钱七",
        "position": "",
        "state": "recorded",
    }
    assert bad.status_code == 422
    assert bad.json() == {"detail": "email: 'nope' is not an e-mail address"}
    assert [n["name"] for n in listed.json()] == ["钱七"]
    assert "139" not in listed.content.decode()
    assert counts.json() == {
        "total": 7,
        "by_role": {"panel_member": 3, "visit_contact": 3, "nominated": 1},
        "by_region_group": {"east": 6, "central_west": 1, "northeast": 0},
        "by_state": {"recorded": 4, "invited": 0, "rostered": 3},
    }
