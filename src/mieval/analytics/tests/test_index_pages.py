"""The composite-index pages: who may open which (exact statuses), what they show, and query
counts that do not grow with the number of bases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mieval.analytics.models import IndexRun
from mieval.analytics.tests.test_index_run import run_index, tiny  # noqa: F401 (fixture)
from mieval.jobs.models import Job
from mieval.web.tests.helpers import bases_add

USERS = ["ada", "alice", "bob", "carol", "erin", "oscar", "victor", "stranger", None]

# bob: officer of R1; carol: officer of U1 (a university: never in the region index).
#                 ada  alice bob  carol erin oscar victor stranger anonymous
MATRIX = {
    "runs":       [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "run":        [200, 200, 403, 403, 403, 403, 200, 403, 302],
    "base_R1":    [200, 200, 200, 404, 404, 404, 200, 404, 302],
    "base_R2":    [200, 200, 404, 404, 404, 404, 200, 404, 302],
    "base_U1":    [404, 404, 404, 404, 404, 404, 404, 404, 302],
    "start":      [302, 302, 403, 403, 403, 403, 403, 403, 302],
}  # fmt: skip


@pytest.fixture
def run(campaign_c, tiny, alice):  # noqa: F811
    run_index(campaign_c, tiny, alice)
    return IndexRun.objects.get()


def _request(client, page, run, tiny):  # noqa: F811
    if page == "runs":
        return client.get(reverse("index_runs", args=["c"]))
    if page == "run":
        return client.get(reverse("index_run_detail", args=["c", run.pk]))
    if page == "start":
        return client.post(
            reverse("index_runs", args=["c"]),
            {"framework": tiny.pk, "year": 2016, "runs": 10, "noise": 0.2, "seed": 3},
        )
    base = page.split("_")[1]
    return client.get(reverse("index_base", args=["c", run.pk, base]))


@pytest.mark.parametrize("page", list(MATRIX))
def test_status_by_role(client, everyone, run, tiny, page):  # noqa: F811
    statuses = []
    for user in USERS:
        client.logout()
        if user:
            client.force_login(everyone[user])
        statuses.append(_request(client, page, run, tiny).status_code)
    assert statuses == MATRIX[page]


def test_start_queues_a_job_and_redirects_to_its_page(client, alice, run, tiny):  # noqa: F811
    client.force_login(alice)

    response = client.post(
        reverse("index_runs", args=["c"]),
        {"framework": tiny.pk, "year": 2017, "runs": 10, "noise": 0.2, "seed": 3},
    )

    job = Job.objects.filter(state=Job.State.QUEUED).get()
    assert response.url == reverse("job_detail", args=[job.pk])
    assert job.params == {
        "campaign": "c",
        "framework": tiny.pk,
        "year": 2017,
        "runs": 10,
        "noise": 0.2,
        "seed": 3,
        "alt_aggregation": False,
        "sensitivity": False,
    }
    assert (
        f'href="/jobs/{job.pk}/"' in client.get(reverse("index_runs", args=["c"])).content.decode()
    )


def test_invalid_request_is_shown_again(client, alice, run, tiny):  # noqa: F811
    client.force_login(alice)

    response = client.post(
        reverse("index_runs", args=["c"]),
        {"framework": tiny.pk, "year": 2030, "runs": -1, "noise": 2, "seed": 3},
    )

    assert response.status_code == 200
    assert Job.objects.filter(state=Job.State.QUEUED).count() == 0
    assert response.content.decode().count('class="error"') == 3


def test_ranking_page_shows_ranks_and_intervals(client, victor, run):
    client.force_login(victor)

    page = client.get(reverse("index_run_detail", args=["c", run.pk])).content.decode()

    assert page.index('data-base="R2"') < page.index('data-base="R1"')
    assert 'id="rank-data"' in page
    assert '"kind": "rank_intervals"' in page
    assert '"median": [1.0, 2.0]' in page
    assert "1 / 2" in page and "2 / 2" in page


def test_base_page_shows_inputs_and_hash(client, bob, run):
    client.force_login(bob)

    page = client.get(reverse("index_base", args=["c", run.pk, "R1"])).content.decode()

    assert run.input_hash in page
    assert '"kind": "radar"' in page
    assert '<td class="num raw">100</td>' in page  # new_market_entities of 2016
    assert '<td class="num raw">10</td>' in page  # patents_granted of 2016
    assert 'id="strengths"' in page


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_ranking_queries_do_not_grow_with_bases(client, alice, campaign_c, tiny):  # noqa: F811
    client.force_login(alice)
    run_index(campaign_c, tiny, alice)
    small = IndexRun.objects.get()
    bases_add(
        campaign_c,
        30,
        subcategory="urban_district",
        province="11",
        values={"new_market_entities": {2016: list(range(30))}, "patents_granted": {2016: 3}},
    )
    run_index(campaign_c, tiny, alice)
    large = IndexRun.objects.exclude(pk=small.pk).get()
    assert large.scores.filter(code="T").count() == 32
    for name, args in (
        ("index_run_detail", lambda r: ["c", r.pk]),
        ("index_base", lambda r: ["c", r.pk, "R1"]),
        ("index_runs", lambda r: ["c"]),
    ):
        client.get(reverse(name, args=args(small)))  # warm the caches
        assert queries(client, reverse(name, args=args(small))) == queries(
            client, reverse(name, args=args(large))
        ), name
