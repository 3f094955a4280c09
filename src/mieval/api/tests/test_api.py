"""The OpenAPI document and the interactive docs page."""

import json
import re

from django.test import Client

from mieval.api.tests.conftest import API

PATHS = {
    "/api/v1/me": {"get"},
    "/api/v1/tokens": {"get", "post"},
    "/api/v1/tokens/{token_id}": {"delete"},
    "/api/v1/bases": {"get"},
    "/api/v1/bases/{code}": {"get"},
    "/api/v1/bases/{code}/events": {"post"},
    "/api/v1/frameworks": {"get"},
    "/api/v1/frameworks/{code}/{version}/indicators": {"get"},
    "/api/v1/campaigns": {"get"},
    "/api/v1/campaigns/{code}": {"get"},
    "/api/v1/campaigns/{code}/values": {"get"},
    "/api/v1/campaigns/{code}/values/{base}/{indicator}/{year}": {"put"},
    "/api/v1/campaigns/{code}/values/{base}/{indicator}/{year}/history": {"get"},
    "/api/v1/campaigns/{code}/trends": {"get"},
    "/api/v1/programmes/{code}/trends": {"get"},
    "/api/v1/campaigns/{code}/index-runs/{pk}/audit": {"get"},
    "/api/v1/exchange/posts": {"get"},
    "/api/v1/exchange/posts/{pk}": {"get"},
    "/api/v1/exchange/posts/{pk}/suggestions": {"get"},
    "/api/v1/exchange/counts": {"get"},
    "/api/v1/exchange/requests": {"get"},
    "/api/v1/exchange/requests/{pk}/outcome": {"put"},
    "/api/v1/campaigns/{code}/exchange/network": {"get"},
    "/api/v1/campaigns/{code}/snapshots": {"get"},
    "/api/v1/campaigns/{code}/snapshots/{content_hash}/lineage": {"get"},
    "/api/v1/campaigns/{code}/snapshots/{content_hash}/lineage/bases/{base_code}": {"get"},
    "/api/v1/campaigns/{code}/snapshots/{content_hash}/lineage/groups/{group_field}/{group}": {
        "get"
    },
    "/api/v1/campaigns/{code}/snapshots/{content_hash}/lineage/problems": {"get"},
    "/api/v1/campaigns/{code}/problems": {"get"},
    "/api/v1/problems/{pk}": {"get"},
    "/api/v1/problems/{pk}/rectification": {"put"},
    "/api/v1/problems/{pk}/rectification/progress": {"post"},
    "/api/v1/campaigns/{code}/self-evaluations": {"get"},
    "/api/v1/campaigns/{code}/self-evaluations/{base}": {"get", "put"},
    "/api/v1/campaigns/{code}/self-evaluations/{base}/submit": {"post"},
    "/api/v1/campaigns/{code}/visits": {"get"},
    "/api/v1/campaigns/{code}/visits/{base}/record": {"get", "put"},
    "/api/v1/campaigns/{code}/opinions/{base}": {"get", "put"},
    "/api/v1/campaigns/{code}/opinions/{base}/answer": {"post"},
    "/api/v1/campaigns/{code}/letters/{base}": {"get"},
    "/api/v1/campaigns/{code}/backbone/counts": {"get"},
    "/api/v1/campaigns/{code}/backbone/nominations/{base}": {"get", "post"},
}


def test_the_openapi_document_lists_every_path_with_a_summary(db):
    response = Client().get(f"{API}/openapi.json")

    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["info"]["title"] == "mieval API"
    assert {path: set(ops) for path, ops in document["paths"].items()} == PATHS
    summaries = [op["summary"] for ops in document["paths"].values() for op in ops.values()]
    assert all(summaries) and len(set(summaries)) == len(summaries)
    assert set(document["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


def test_the_docs_page_uses_only_scripts_and_styles_of_this_site(db):
    response = Client().get(f"{API}/docs")

    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", html)
    sources = [re.search(r'src="([^"]+)"', s).group(1) for s in scripts if "src=" in s]
    assert sources == ["/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js"]
    # The one script without src is a JSON data block, which the browser does not run.
    assert [s.strip() for s in scripts if "src=" not in s] == [
        'type="application/json" id="swagger-settings"'
    ]
    links = re.findall(r'<link\b[^>]*href="([^"]+)"', html)
    assert links and all(link.startswith("/static/ninja/") for link in links)
    assert "http" not in html.replace('"url": "/api/v1/openapi.json"', "")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
