"""Who may open which self-evaluation page and API endpoint: every role against every page
and endpoint, own base and another base's, with the exact status code.

bob is R1's officer, carol U1's; erin's panel holds R1 and R2 (U1 is on another panel).
403: the role may not use the page at all; 404: a base outside what the user may read (and, to
an expert, the text and files of a draft: R1's report is one); anonymous: 302 to the login page
(pages) or 401 (API).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mieval.api.tests.conftest import ApiClient
from mieval.selfeval.models import SelfEvaluationFile
from mieval.selfeval.services import report_file_attach, report_save, report_submit
from mieval.selfeval.tests.conftest import PDF, TEXTS, base

pytestmark = pytest.mark.django_db

USERS = ["ada", "alice", "bob", "carol", "erin", "oscar", "victor", "stranger", None]


@pytest.fixture
def reports(campaign_c, template, panel, bob, carol, media):
    """R1: a draft (version 1) with an evidence file; U1: submitted (version 2)."""
    r1 = report_save(
        campaign=campaign_c, base=base("R1"), texts=TEXTS, expected_version=0, user=bob
    )
    attached = report_file_attach(report=r1, name="协议.pdf", data=PDF, user=bob)
    u1 = report_save(
        campaign=campaign_c, base=base("U1"), texts=TEXTS, expected_version=0, user=carol
    )
    report_submit(report=u1, expected_version=1, user=carol)
    return {"file": attached.pk}


def _report(code):
    return lambda ids: reverse("selfeval_report", args=["c", code])


PAGES = {
    "home": lambda ids: reverse("selfeval_home"),
    "campaign": lambda ids: reverse("selfeval_campaign", args=["c"]),
    "report_R1": _report("R1"),
    "report_U1": _report("U1"),
    "file_R1": lambda ids: reverse("selfeval_file", args=["c", "R1", ids["file"]]),
    "file_R1_as_U1": lambda ids: reverse("selfeval_file", args=["c", "U1", ids["file"]]),
    "search": lambda ids: reverse("selfeval_search", args=["c"]) + "?q=中西部",
    "export_xlsx": lambda ids: reverse("selfeval_export_xlsx", args=["c"]),
    "export_pdf": lambda ids: reverse("selfeval_export_pdf", args=["c"]) + "?lang=en",
    "template": lambda ids: reverse("selfeval_template", args=["c"]),
}

# One row per page; one column per user, in the order of USERS.
#                    ada  alice bob  carol erin oscar victor stranger anonymous
MATRIX = {
    "home":          [200, 200, 200, 200, 200, 403, 403, 403, 302],
    "campaign":      [200, 200, 302, 302, 200, 403, 403, 403, 302],
    "report_R1":     [200, 200, 200, 404, 200, 403, 403, 403, 302],
    "report_U1":     [200, 200, 404, 200, 404, 403, 403, 403, 302],
    # R1's report is a draft: its files are the base's own until it submits it.
    "file_R1":       [200, 200, 200, 404, 404, 403, 403, 403, 302],
    "file_R1_as_U1": [404, 404, 404, 404, 404, 403, 403, 403, 302],
    "search":        [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "export_xlsx":   [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "export_pdf":    [200, 200, 403, 403, 403, 403, 403, 403, 302],
    "template":      [200, 200, 403, 403, 403, 403, 403, 403, 302],
}  # fmt: skip


def _form(code, version):
    return {"version": version, **{f"text_{k}": v + code for k, v in TEXTS.items()}}


POSTS = {
    "save_R1": (lambda ids: reverse("selfeval_save", args=["c", "R1"]), _form("R1", 1)),
    "save_U1": (lambda ids: reverse("selfeval_save", args=["c", "U1"]), _form("U1", 2)),
    "submit_R1": (lambda ids: reverse("selfeval_submit", args=["c", "R1"]), {"version": 1}),
    "upload_R1": (lambda ids: reverse("selfeval_file_upload", args=["c", "R1"]), None),
    "remove_R1": (
        lambda ids: reverse("selfeval_file_remove", args=["c", "R1", ids["file"]]),
        {},
    ),
    "remove_R1_as_U1": (
        lambda ids: reverse("selfeval_file_remove", args=["c", "U1", ids["file"]]),
        {},
    ),
    "review_U1": (
        lambda ids: reverse("selfeval_review", args=["c", "U1"]),
        {"decision": "accept", "version": 2, "comment": "好"},
    ),
    "review_R1": (
        lambda ids: reverse("selfeval_review", args=["c", "R1"]),
        {"decision": "accept", "version": 1},
    ),
}

#                        ada  alice bob  carol erin oscar victor stranger anonymous
POST_MATRIX = {
    "save_R1":           [403, 403, 302, 404, 403, 403, 403, 403, 302],
    # U1 is submitted: carol may not change it now (the page says so).
    "save_U1":           [403, 403, 404, 422, 403, 403, 403, 403, 302],
    "submit_R1":         [403, 403, 302, 404, 403, 403, 403, 403, 302],
    "upload_R1":         [403, 403, 302, 404, 403, 403, 403, 403, 302],
    "remove_R1":         [403, 403, 302, 404, 403, 403, 403, 403, 302],
    # R1's file asked for under U1: not U1's, so not found for U1's own officer either.
    "remove_R1_as_U1":   [403, 403, 404, 404, 403, 403, 403, 403, 302],
    "review_U1":         [302, 302, 403, 403, 403, 403, 403, 403, 302],
    # R1 is a draft: nothing to review yet (the page says so).
    "review_R1":         [422, 422, 403, 403, 403, 403, 403, 403, 302],
}  # fmt: skip


def _cases(matrix):
    return [
        pytest.param(user, page, matrix[page][column], id=f"{user or 'anonymous'}-{page}")
        for page in matrix
        for column, user in enumerate(USERS)
    ]


@pytest.mark.parametrize(("user", "page", "expected"), _cases(MATRIX))
def test_page_status_by_role(client, everyone, reports, login, user, page, expected):
    login(everyone[user] if user else None)

    response = client.get(PAGES[page](reports))

    assert response.status_code == expected
    if user is None:
        assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(("user", "page", "expected"), _cases(POST_MATRIX))
def test_post_status_by_role(client, everyone, reports, login, user, page, expected):
    login(everyone[user] if user else None)
    url, data = POSTS[page]
    if data is None:
        data = {"file": SimpleUploadedFile("证明.pdf", PDF, "application/pdf")}

    response = client.post(url(reports), data)

    assert response.status_code == expected
    if page.startswith("remove_"):
        removed = expected == 302 and user is not None
        assert SelfEvaluationFile.objects.filter(pk=reports["file"]).exists() is not removed


def test_every_page_of_the_matrix_is_covered():
    assert set(MATRIX) == set(PAGES)
    assert set(POST_MATRIX) == set(POSTS)
    assert all(len(row) == len(USERS) for row in [*MATRIX.values(), *POST_MATRIX.values()])


# --- the API ---------------------------------------------------------------------------------

API_MATRIX = """
endpoint     ada alice bob carol erin oscar victor stranger anon
list         200 200   200 200   200  403   403    403      401
detail_R1    200 200   200 404   404  403   403    403      401
detail_U1    200 200   404 200   404  403   403    403      401
detail_E1    404 404   404 404   404  403   403    403      401
put_R1       403 403   200 404   403  403   403    403      401
put_U1       403 403   404 409   403  403   403    403      401
submit_R1    403 403   200 404   403  403   403    403      401
"""

API_REQUESTS = {
    "list": ("get", "/campaigns/c/self-evaluations", None),
    "detail_R1": ("get", "/campaigns/c/self-evaluations/R1", None),
    "detail_U1": ("get", "/campaigns/c/self-evaluations/U1", None),
    "detail_E1": ("get", "/campaigns/c/self-evaluations/E1", None),
    "put_R1": (
        "put",
        "/campaigns/c/self-evaluations/R1",
        {"sections": {"problems": "新的问题"}, "expected_version": 1},
    ),
    "put_U1": (
        "put",
        "/campaigns/c/self-evaluations/U1",
        {"sections": {"problems": "新的问题"}, "expected_version": 2},
    ),
    "submit_R1": ("post", "/campaigns/c/self-evaluations/R1/submit", {"expected_version": 1}),
}


def _api_cases():
    lines = [line.split() for line in API_MATRIX.strip().splitlines()]
    header, rows = lines[0][1:], lines[1:]
    for endpoint, *statuses in rows:
        for name, status in zip(header, statuses, strict=True):
            yield pytest.param(endpoint, name, int(status), id=f"{endpoint}-{name}")


@pytest.mark.parametrize(("endpoint", "name", "status"), list(_api_cases()))
def test_api_status_by_role(everyone, reports, endpoint, name, status):
    user = everyone.get(name)
    method, path, body = API_REQUESTS[endpoint]

    response = ApiClient(
        user, via="token" if name in {"bob", "erin", "ada"} else "session"
    ).request(method, path, body)

    assert response.status_code == status, response.content
    if status >= 400:
        assert isinstance(response.json()["detail"], str)


def test_the_api_lists_only_the_users_bases(everyone, reports):
    def codes(name):
        response = ApiClient(everyone[name], via="token").get("/campaigns/c/self-evaluations")
        return [r["base_code"] for r in response.json()["items"]]

    assert codes("alice") == ["R1", "U1"]
    assert codes("bob") == ["R1"]
    assert codes("carol") == ["U1"]
    # R1 is a draft; U1, submitted, is on another panel.
    assert codes("erin") == []


def _submit_r1(bob):
    from mieval.collection.models import Campaign
    from mieval.selfeval.selectors import self_evaluation_for

    report = self_evaluation_for(campaign=Campaign.objects.get(code="c"), base=base("R1"))
    return report_submit(report=report, expected_version=report.version, user=bob)


def test_an_expert_reads_the_text_but_not_the_offices_comments(everyone, reports):
    _submit_r1(everyone["bob"])
    response = ApiClient(everyone["erin"], via="token").get("/campaigns/c/self-evaluations/R1")

    body = response.json()
    assert body["comment"] is None
    assert [s["comment"] for s in body["sections"]] == [None] * 5
    assert body["sections"][0]["text"] == TEXTS["progress"]
    assert body["files"] == ["协议.pdf"]


def test_a_draft_is_the_bases_own_until_submitted(client, everyone, reports):
    # Given R1's draft with an evidence file, read by an expert of R1's panel
    erin, bob = everyone["erin"], everyone["bob"]
    client.force_login(erin)
    page_url = reverse("selfeval_report", args=["c", "R1"])
    file_url = reverse("selfeval_file", args=["c", "R1", reports["file"]])
    api = ApiClient(erin, via="token")

    # Then neither its text nor its files show, on the pages or by the API
    draft_page = client.get(page_url).content.decode()
    draft_list = client.get(reverse("selfeval_campaign", args=["c"])).content.decode()
    assert TEXTS["progress"] not in draft_page
    assert "协议.pdf" not in draft_page
    assert 'data-state="none"' in draft_page
    assert '<td data-state="none">' in draft_list
    assert client.get(file_url).status_code == 404
    assert api.get("/campaigns/c/self-evaluations/R1").json() == {
        "detail": "Base 'R1' has not submitted its self-evaluation report yet."
    }

    # When bob submits it, then erin reads it all
    _submit_r1(bob)
    submitted_page = client.get(page_url).content.decode()
    assert TEXTS["progress"] in submitted_page
    assert "协议.pdf" in submitted_page
    assert client.get(file_url).status_code == 200
    assert api.get("/campaigns/c/self-evaluations/R1").status_code == 200
    assert [r["base_code"] for r in api.get("/campaigns/c/self-evaluations").json()["items"]] == [
        "R1"
    ]
