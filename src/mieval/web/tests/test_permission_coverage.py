"""Every page and API operation of the evaluation's judgement is a row of a permission matrix.

The pages: every named URL of the apps ``selfeval``, ``visits``, ``rectification``,
``backbone`` and ``reports`` (the judgement sections, their lineage, the narrative, the
downloads), and the scoring URLs of ``panels`` (the expert's list, the scoring page with its
evidence and its conflict form, the office's results and comments), found by walking Django's
URL resolver. The API: every operation of those apps in the OpenAPI document. A URL or an
operation added later without a row in a matrix fails here, named.

A matrix's rows are its app's module data, each row the URL it requests: a function of the
test's objects (``ids -> url``), alone or first of a tuple (``(url, form data)``; the visits'
``(method, url)``); an API row is ``(method, path, body)`` with the path a string or such a
function. Here the functions are called with :class:`_Any` in place of the objects, and the
URLs resolved back to their names.
"""

import re
import types
from urllib.parse import urlsplit

from django.test import Client
from django.urls import URLResolver, get_resolver, path, resolve, reverse

from mieval.backbone.tests import test_permissions as backbone
from mieval.panels.tests import test_permissions as panels
from mieval.rectification.tests import test_permissions as rectification
from mieval.reports.tests import test_permissions as reports
from mieval.selfeval.tests import test_permissions as selfeval
from mieval.visits.tests import test_permissions as visits

#: The apps all of whose named URLs are pages of the judgement.
APPS = frozenset({"selfeval", "visits", "rectification", "backbone", "reports"})
#: The URLs of ``panels`` that belong to scoring (besides every ``.../scoring/...`` one).
PANELS_SCORING = frozenset(
    {
        "panels_my_bases",
        "panels_results",
        "panels_results_csv",
        "panels_comments_csv",
        "panels_reminders",
    }
)
#: The OpenAPI tags of those apps' operations.
API_TAGS = frozenset({"self-evaluations", "visits", "problems", "backbone", "reports"})

#: Every matrix's page rows (GET and POST).
PAGE_ROWS = [
    selfeval.PAGES,
    selfeval.POSTS,
    visits.PAGES,
    rectification.PAGES,
    rectification.WRITE_URLS,
    rectification.LETTER_PAGES,
    backbone.PAGES,
    backbone.WRITES,
    panels.PAGES,
    panels.POSTS,
    reports.PAGES,
    reports.POSTS,
]
#: Every matrix's API rows.
API_ROWS = [
    selfeval.API_REQUESTS,
    visits.ENDPOINTS,
    rectification.ENDPOINTS,
    rectification.LETTER_ENDPOINTS,
    backbone.ENDPOINTS,
    reports.ENDPOINTS,
]


class _Any:
    """Stands for the objects a row's URL is built from: any item or attribute is one too;
    as a primary key 1, as a path segment "1"."""

    pk = 1

    def __getitem__(self, key):
        return self

    def __getattr__(self, name):
        return self

    def __str__(self):
        return "1"


def _url_of(row) -> str:
    build = row if callable(row) else next(item for item in row if callable(item))
    return build(_Any())


def judgement_urls(resolver) -> dict[str, str]:
    """The named URLs that need a matrix row, by name, with their route."""
    found = {}

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
                continue
            # The app whose views module serves it: ``mieval.<app>.views``.
            module = pattern.callback.__module__.split(".")
            app = module[1] if module[0] == "mieval" and len(module) > 2 else None
            scoring = app == "panels" and ("/scoring/" in route or pattern.name in PANELS_SCORING)
            if pattern.name and (app in APPS or scoring):
                found[pattern.name] = route

    walk(resolver.url_patterns, "")
    return found


def matrix_url_names() -> set[str]:
    return {
        resolve(urlsplit(_url_of(row)).path).url_name for rows in PAGE_ROWS for row in rows.values()
    }


def judgement_operations(document: dict) -> dict[str, str]:
    """The operations of the judgement's apps, ``"METHOD path template"``, with their summary."""
    return {
        f"{method.upper()} {template}": operation.get("summary", "")
        for template, operations in document["paths"].items()
        for method, operation in operations.items()
        if API_TAGS & set(operation.get("tags", []))
    }


def _template_pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{[^}]+\}", template)
    return re.compile("[^/]+".join(re.escape(part) for part in parts) + "$")


def matrix_operations(document: dict) -> set[str]:
    """The operations the API matrices call (``"METHOD path template"``), matched to the
    document's path templates."""
    patterns = {template: _template_pattern(template) for template in document["paths"]}
    called = set()
    for rows in API_ROWS:
        for method, where, _body in rows.values():
            api_path = "/api/v1" + urlsplit(where(_Any()) if callable(where) else where).path
            matched = [t for t, pattern in patterns.items() if pattern.match(api_path)]
            called |= {f"{method.upper()} {template}" for template in matched}
    return called


def uncovered(needed: dict[str, str], covered: set[str], what: str) -> str:
    missing = sorted(set(needed) - covered)
    return "\n".join(
        [f"{len(missing)} {what} without a row in any permission matrix:"]
        + [f"  {name}  ({needed[name]})" for name in missing]
    )


def openapi_document() -> dict:
    return Client().get("/api/v1/openapi.json").json()


# --- the tests -------------------------------------------------------------------------------


def test_every_judgement_page_is_a_row_of_a_matrix():
    needed = judgement_urls(get_resolver())
    covered = matrix_url_names()

    assert set(needed) <= covered, uncovered(needed, covered, "pages")


def test_every_judgement_api_operation_is_a_row_of_a_matrix(db):
    document = openapi_document()
    needed, covered = judgement_operations(document), matrix_operations(document)

    assert set(needed) <= covered, uncovered(needed, covered, "API operations")


def test_the_walk_finds_what_it_must_and_leaves_the_rest():
    needed = judgement_urls(get_resolver())

    assert {"panels_score", "panels_conflict", "panels_my_bases"} <= set(needed)
    assert {"selfeval_report", "visits_opinion", "rectification_problem"} <= set(needed)
    assert {"backbone_nominate", "report_lineage", "report_profile_docx"} <= set(needed)
    # Panel formation, the roster and the rubrics are not the judgement's.
    assert {"panels_formation", "panels_roster", "panels_rubrics", "home"}.isdisjoint(needed)


def test_a_page_added_without_a_row_fails_naming_it():
    from mieval import urls

    # A view of selfeval (its home page's) under a new name, before every existing URL.
    view = resolve(reverse("selfeval_home")).func
    extended = types.ModuleType("extended_urls")
    extended.urlpatterns = [
        path("selfeval/campaigns/<slug:code>/stats/", view, name="selfeval_stats"),
        *urls.urlpatterns,
    ]
    needed = judgement_urls(get_resolver(extended))

    assert uncovered(needed, matrix_url_names(), "pages") == (
        "1 pages without a row in any permission matrix:\n"
        "  selfeval_stats  (selfeval/campaigns/<slug:code>/stats/)"
    )


def test_an_api_operation_added_without_a_row_fails_naming_it(db):
    document = openapi_document()
    document["paths"]["/api/v1/campaigns/{code}/visits/{base}/photos"] = {
        "get": {"tags": ["visits"], "summary": "The visit's photos"}
    }
    needed, covered = judgement_operations(document), matrix_operations(document)

    assert uncovered(needed, covered, "API operations") == (
        "1 API operations without a row in any permission matrix:\n"
        "  GET /api/v1/campaigns/{code}/visits/{base}/photos  (The visit's photos)"
    )
