"""The submissions dashboard: per base, by subcategory and by indicator; the deadline; query
counts that do not grow with the number of bases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mieval.collection.models import Campaign, Submission
from mieval.collection.workflow import submission_submit
from mieval.registry.models import Base
from mieval.web.tests.helpers import bases_add


@pytest.fixture
def submitted(clock, campaign_c, alice, login, client):
    """R1 submits on 1 March, U1 on 11 March; the deadline is 10 March, 12:00 Beijing time."""
    login(alice)
    response = client.post(
        reverse("submissions_dashboard", args=["c"]), {"deadline": "2026-03-10T12:00"}
    )
    assert response.status_code == 302
    submission_submit(campaign=campaign_c, base=Base.objects.get(code="R1"), actor="bob")
    clock.tick(days=10)
    submission_submit(campaign=campaign_c, base=Base.objects.get(code="U1"), actor="carol")
    login(alice)  # again: ten days on, the first session has expired
    return campaign_c


def test_the_deadline_is_set_in_beijing_time(submitted):
    deadline = Campaign.objects.get(code="c").submission_deadline
    assert deadline.isoformat() == "2026-03-10T04:00:00+00:00"


def test_per_base_rows(client, submitted):
    context = client.get(reverse("submissions_dashboard", args=["c"])).context

    rows = [
        (r["code"], r["state"], r["on_time"], r["reported"], r["expected"])
        for r in context["base_rows"]
    ]
    # Expected: the indicators that apply to the base's category (region 10, universities and
    # enterprises 8 each) x 3 years.
    assert rows == [
        ("E1", "draft", None, 1, 24),
        ("R1", "submitted", True, 5, 30),
        ("R2", "draft", None, 2, 30),
        ("U1", "submitted", False, 4, 24),
        ("U2", "draft", None, 1, 24),
    ]
    kpis = [context[k] for k in ("n_bases", "n_submitted", "n_on_time", "n_late", "n_approved")]
    assert kpis == [5, 2, 1, 1, 0]
    assert context["states_chart"]["values"] == [3, 2, 0, 0]


def test_summaries_by_subcategory_and_indicator(client, submitted):
    context = client.get(reverse("submissions_dashboard", args=["c"])).context

    subcategories = [
        (
            r["code"],
            r["bases"],
            r["submitted"],
            r["on_time"],
            r["late"],
            r["reported"],
            r["expected"],
        )
        for r in context["subcategory_rows"]
    ]
    assert subcategories == [
        ("urban_district", 2, 1, 1, 0, 7, 60),
        ("st_university", 2, 1, 0, 1, 5, 48),
        ("private", 1, 0, 0, 0, 1, 24),
    ]
    patents = next(r for r in context["indicator_rows"] if r["code"] == "patents_granted")
    # Six patent values of 15 expected; R1's two came with the only first submission on time.
    assert (patents["reported"], patents["expected"], patents["on_time"]) == (6, 15, 2)
    assert patents["on_time_percent"] == pytest.approx(2 / 15 * 100)


def test_filters_by_state_and_subcategory(client, submitted):
    url = reverse("submissions_dashboard", args=["c"])

    by_state = client.get(url, {"state": "submitted"}).context["base_rows"]
    by_subcategory = client.get(url, {"subcategory": "st_university"}, HTTP_HX_REQUEST="true")

    assert [r["code"] for r in by_state] == ["R1", "U1"]
    assert [r["code"] for r in by_subcategory.context["base_rows"]] == ["U1", "U2"]
    assert "<html" not in by_subcategory.content.decode()


def test_viewer_reads_but_cannot_set_the_deadline(client, login, campaign_c, victor):
    login(victor)
    url = reverse("submissions_dashboard", args=["c"])

    page = client.get(url)

    assert page.status_code == 200
    assert page.context["can_review"] is False
    assert 'name="deadline"' not in page.content.decode()
    assert client.post(url, {"deadline": "2026-01-01T00:00"}).status_code == 403
    assert Campaign.objects.get(code="c").submission_deadline is None


def test_clearing_the_deadline(client, submitted):
    client.post(reverse("submissions_dashboard", args=["c"]), {"deadline": ""})

    assert Campaign.objects.get(code="c").submission_deadline is None
    assert Submission.objects.get(base__code="U1").was_on_time() is None


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "args"), [("submissions_dashboard", ["c"]), ("query_list", ["c"])]
)
def test_same_queries_with_5_and_40_bases(client, login, alice, campaign_c, name, args):
    login(alice)
    url = reverse(name, args=args)
    client.get(url)  # warm the session and content-type caches
    with_5 = queries(client, url)

    bases = bases_add(campaign_c, 35, values={"patents_granted": {2016: 5, 2017: 6}})
    for base in bases[:20]:
        submission_submit(campaign=campaign_c, base=base, actor="x")
    with_40 = queries(client, url)

    assert with_40 == with_5
