"""Who may open which reports page, download which file, follow which lineage link (the
judgement's problems included) and call which reports endpoint: every role against every
page, own base and another base's, with the exact status.

The office (ada, alice) publishes and writes the narrative; readers of reports (the office and
victor, a viewer) read everything published; a base officer (bob: R1, carol: U1) opens the
reports page for the own base's profile only (another base's profile: 404); experts (erin),
organisers (oscar) and accounts without a role (stranger) see none of it (403); anonymous: 302
to the login page, 401 on the API.
"""

import pytest
from django.urls import reverse

from mieval.api.tests.conftest import ApiClient
from mieval.collection.tests.review_helpers import clock  # noqa: F401
from mieval.rectification.tests.conftest import filed  # noqa: F401
from mieval.reports.models import NarrativeSection, Snapshot
from mieval.reports.services import report_file_store, snapshot_publish

pytestmark = pytest.mark.django_db

USERS = ["ada", "alice", "bob", "carol", "erin", "oscar", "victor", "stranger", None]


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def world(everyone, filed, alice):  # noqa: F811
    """A published snapshot (with the register's confirmed problems) and its stored profiles
    archive; ``{"hash": content hash}``."""
    snapshot = snapshot_publish(campaign=filed["r1"].campaign, user=alice, build=False)
    report_file_store(snapshot=snapshot, kind="profiles", lang="zh", fmt="zip", data=b"PK zip")
    return {"hash": snapshot.content_hash}


def _in_snapshot(tail):
    return lambda ids: f"/campaigns/c/reports/{ids['hash']}/{tail}"


def _lineage(query):
    return lambda ids: reverse("report_lineage", args=["c"]) + f"?snapshot={ids['hash']}&{query}"


PAGES = {
    "page": lambda ids: reverse("reports_page", args=["c"]),
    "narrative_problems": lambda ids: reverse("narrative_edit", args=["c", "problems"]),
    "narrative_nope": lambda ids: reverse("narrative_edit", args=["c", "nope"]),
    "report_html": _in_snapshot("report-zh.html"),
    "report_docx": _in_snapshot("report-en.docx"),
    "report_of_no_snapshot": lambda ids: "/campaigns/c/reports/ffffffffff/report-zh.html",
    "profiles_zip": _in_snapshot("profiles-zh.zip"),
    "profile_R1": _in_snapshot("profiles/R1-zh.pdf"),
    "profile_U1": _in_snapshot("profiles/U1-zh.pdf"),
    "profile_R1_docx": _in_snapshot("profiles/R1-en.docx"),
    "profile_U1_docx": _in_snapshot("profiles/U1-en.docx"),
    "lineage_values": _lineage("indicator=patents_granted&year=2016"),
    "lineage_base_R1": _lineage("base=R1"),
    "lineage_group": _lineage("group_field=category&group=region"),
    "lineage_problems": _lineage("kind=problems&type=corporate_credit"),
}

# One row per page; one column per user, in the order of USERS.
#                          ada  alice bob  carol erin oscar victor stranger anonymous
MATRIX = {
    "page":                  [200, 200, 200, 200, 403, 403, 200, 403, 302],
    "narrative_problems":    [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "narrative_nope":        [404, 404, 403, 403, 403, 403, 403, 403, 302],
    "report_html":           [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "report_docx":           [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "report_of_no_snapshot": [404, 404, 403, 403, 403, 403, 404, 403, 302],
    "profiles_zip":          [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "profile_R1":            [200, 200, 200, 404, 403, 403, 200, 403, 302],
    "profile_U1":            [200, 200, 404, 200, 403, 403, 200, 403, 302],
    "profile_R1_docx":       [200, 200, 200, 404, 403, 403, 200, 403, 302],
    "profile_U1_docx":       [200, 200, 404, 200, 403, 403, 200, 403, 302],
    "lineage_values":        [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "lineage_base_R1":       [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "lineage_group":         [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "lineage_problems":      [200, 200, 403, 403, 403, 403, 200, 403, 302],
}  # fmt: skip

# Posts: (url, form data). A successful post redirects (302): back to the reports page, or
# to the job that builds the profiles.
POSTS = {
    "publish": (lambda ids: reverse("snapshot_create", args=["c"]), {"note": "第二版"}),
    "narrative_problems": (
        lambda ids: reverse("narrative_edit", args=["c", "problems"]),
        {"text_zh": "激励不足。", "text_en": "Few incentives.", "version": "0"},
    ),
    "profiles_start": (_in_snapshot("profiles/"), {"lang": "zh"}),
}

#                          ada  alice bob  carol erin oscar victor stranger anonymous
POST_MATRIX = {
    "publish":               [302, 302, 403, 403, 403, 403, 403, 403, 302],
    "narrative_problems":    [302, 302, 403, 403, 403, 403, 403, 403, 302],
    "profiles_start":        [302, 302, 403, 403, 403, 403, 403, 403, 302],
}  # fmt: skip


def _cases(matrix):
    return [
        pytest.param(user, row, matrix[row][column], id=f"{user or 'anonymous'}-{row}")
        for row in matrix
        for column, user in enumerate(USERS)
    ]


@pytest.mark.parametrize(("user", "page", "expected"), _cases(MATRIX))
def test_page_status_by_role(client, everyone, world, user, page, expected):
    if user is not None:
        client.force_login(everyone[user])

    response = client.get(PAGES[page](world))

    assert response.status_code == expected
    if user is None:
        assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(("user", "post", "expected"), _cases(POST_MATRIX))
def test_post_status_by_role(client, everyone, world, user, post, expected):
    from mieval.jobs.models import Job

    if user is not None:
        client.force_login(everyone[user])
    url, data = POSTS[post]

    response = client.post(url(world), data)

    assert response.status_code == expected
    done = expected == 302 and user is not None
    written = {
        "publish": Snapshot.objects.count() == (2 if done else 1),
        "narrative_problems": NarrativeSection.objects.filter(version=1).count() == int(done),
        "profiles_start": Job.objects.filter(kind="report_profiles").count() == int(done),
    }
    assert written[post] is True
    if user is None:
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_every_page_and_post_of_the_matrices_is_covered():
    assert set(MATRIX) == set(PAGES)
    assert set(POST_MATRIX) == set(POSTS)
    assert all(len(row) == len(USERS) for row in [*MATRIX.values(), *POST_MATRIX.values()])


def test_the_problems_lineage_shows_a_reader_every_bases_confirmed_problem(client, victor, world):
    client.force_login(victor)

    response = client.get(_lineage("kind=problems")(world))

    # By severity: R1 serious, U1 moderate, E1 minor (the proposed and dismissed left out).
    assert [row["base"] for row in response.context["rows"]] == ["R1", "U1", "E1"]


# --- the API ---------------------------------------------------------------------------------


def _api_lineage(tail):
    return lambda ids: f"/campaigns/c/snapshots/{ids['hash']}/lineage{tail}"


ENDPOINTS = {
    "snapshots": ("get", "/campaigns/c/snapshots", None),
    "lineage": ("get", _api_lineage("?indicator=patents_granted&year=2016"), None),
    "lineage_base_R1": ("get", _api_lineage("/bases/R1"), None),
    "lineage_group": ("get", _api_lineage("/groups/category/region"), None),
    "lineage_problems": ("get", _api_lineage("/problems?type=corporate_credit"), None),
    "lineage_of_no_snapshot": ("get", "/campaigns/c/snapshots/ffffffffff/lineage/bases/R1", None),
}

#                           ada  alice bob  carol erin oscar victor stranger anonymous
API_MATRIX = {
    "snapshots":              [200, 200, 403, 403, 403, 403, 200, 403, 401],
    "lineage":                [200, 200, 403, 403, 403, 403, 200, 403, 401],
    "lineage_base_R1":        [200, 200, 403, 403, 403, 403, 200, 403, 401],
    "lineage_group":          [200, 200, 403, 403, 403, 403, 200, 403, 401],
    "lineage_problems":       [200, 200, 403, 403, 403, 403, 200, 403, 401],
    "lineage_of_no_snapshot": [404, 404, 403, 403, 403, 403, 404, 403, 401],
}  # fmt: skip


@pytest.mark.parametrize(("user", "name", "expected"), _cases(API_MATRIX))
def test_api_status_by_role(everyone, world, user, name, expected):
    method, path, body = ENDPOINTS[name]
    via = "token" if user in {"ada", "bob", "victor"} else "session"

    response = ApiClient(everyone[user] if user else None, via=via).request(
        method, path(world) if callable(path) else path, body
    )

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert isinstance(response.json()["detail"], str)


def test_every_endpoint_of_the_api_matrix_is_covered():
    assert set(API_MATRIX) == set(ENDPOINTS)
    assert all(len(row) == len(USERS) for row in API_MATRIX.values())
