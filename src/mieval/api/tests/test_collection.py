"""Campaigns, values, edits and their audit trail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mieval.collection.models import Value, ValueAudit
from mieval.indicators.models import Indicator
from mieval.registry.models import Base
from mieval.web.tests.helpers import bases_add

R1_2017 = "/campaigns/c/values/R1/new_market_entities/2017"


def test_campaign_lists_years_framework_and_bases_in_scope(api_as, victor, campaign_c):
    response = api_as(victor, via="token").get("/campaigns")

    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "code": "c",
                "name_zh": "测试评估",
                "name_en": "Test campaign",
                "first_year": 2016,
                "last_year": 2018,
                "years": [2016, 2017, 2018],
                "framework": {"code": "mie-core", "version": 1},
                "bases_count": 5,
                "programme": "mie-bases",
                "round": 1,
            }
        ],
        "count": 1,
    }


def test_an_unknown_campaign_is_not_found(api_as, alice, campaign_c):
    response = api_as(alice, via="token").get("/campaigns/nope")

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "There is no campaign 'nope'."},
    )


def test_a_value_carries_its_text_number_version_and_source(api_as, alice, campaign_c):
    response = api_as(alice, via="token").get("/campaigns/c/values?base=R1&year=2016")

    items = response.json()["items"]
    for item in items:
        assert item.pop("entered_at").startswith(str(Value.objects.first().entered_at.year))
    assert items == [
        {
            "base_code": "R1",
            "indicator_code": "new_market_entities",
            "year": 2016,
            "value": "100",
            "number": 100.0,
            "version": 1,
            "source": "import",
        },
        {
            "base_code": "R1",
            "indicator_code": "patents_granted",
            "year": 2016,
            "value": "10",
            "number": 10.0,
            "version": 1,
            "source": "import",
        },
    ]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("", 13),
        ("?indicator=patents_granted", 6),
        ("?year=2018", 4),
        ("?base=U1&indicator=univ_ie_education_investment", 2),
        ("?base=NOPE", 0),
    ],
)
def test_values_filter_by_base_indicator_and_year(api_as, alice, campaign_c, query, count):
    response = api_as(alice, via="token").get("/campaigns/c/values" + query)

    assert response.json()["count"] == count
    assert len(response.json()["items"]) == count


def test_pages_of_values_count_everything_and_hold_the_limit(api_as, alice, campaign_c):
    client = api_as(alice, via="token")

    first = client.get("/campaigns/c/values?limit=5").json()
    last = client.get("/campaigns/c/values?limit=5&offset=10").json()

    assert (first["count"], len(first["items"])) == (13, 5)
    assert (last["count"], len(last["items"])) == (13, 3)
    assert [v["base_code"] for v in last["items"]] == ["U1", "U1", "U2"]


@pytest.mark.parametrize("limit", ["0", "1001"])
def test_a_limit_outside_1_to_1000_is_refused(api_as, alice, campaign_c, limit):
    response = api_as(alice, via="token").get(f"/campaigns/c/values?limit={limit}")

    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["query", "limit"]]


def test_a_page_of_1000_is_allowed_and_holds_1000(api_as, alice, campaign_c):
    # 330 more bases with three values each: 990 + the campaign's 13 = 1,003 values.
    bases_add(campaign_c, 330, values={"new_market_entities": {2016: 1, 2017: 2, 2018: 3}})
    client = api_as(alice, via="token")

    first = client.get("/campaigns/c/values?limit=1000")
    rest = client.get("/campaigns/c/values?limit=1000&offset=1000")

    assert (first.status_code, rest.status_code) == (200, 200)
    assert (first.json()["count"], len(first.json()["items"])) == (1003, 1000)
    assert (rest.json()["count"], len(rest.json()["items"])) == (1003, 3)
    keys = {
        (v["base_code"], v["indicator_code"], v["year"])
        for page in (first, rest)
        for v in page.json()["items"]
    }
    assert len(keys) == 1003


def test_putting_a_value_changes_it_and_audits_old_new_reason_and_actor(api_as, bob, campaign_c):
    response = api_as(bob, via="token").put(
        R1_2017, {"value": "1,250.50", "reason": "certificate checked", "expected_version": 1}
    )

    assert response.status_code == 200
    body = response.json()
    body.pop("entered_at")
    assert body == {
        "base_code": "R1",
        "indicator_code": "new_market_entities",
        "year": 2017,
        "value": "1250.50",
        "number": 1250.5,
        "version": 2,
        "source": "api",
    }
    audit = ValueAudit.objects.filter(base__code="R1", year=2017).order_by("-id").first()
    assert (audit.action, audit.old, audit.new, audit.reason, audit.actor, audit.user) == (
        "update",
        "121",
        "1250.50",
        "certificate checked",
        "bob",
        bob,
    )
    assert audit.source == "api"


def test_a_new_value_starts_at_version_1_and_removing_it_leaves_version_0(
    api_as, alice, campaign_c
):
    client = api_as(alice, via="session")
    path = "/campaigns/c/values/R2/new_market_entities/2018"

    created = client.put(path, {"value": "３６３", "reason": "late", "expected_version": 0})
    removed = client.put(path, {"value": None, "reason": "wrong base", "expected_version": 1})

    assert (created.json()["value"], created.json()["version"]) == ("363", 1)
    assert (removed.status_code, removed.json()) == (
        200,
        {
            "base_code": "R2",
            "indicator_code": "new_market_entities",
            "year": 2018,
            "value": None,
            "number": None,
            "version": 0,
            "source": None,
            "entered_at": None,
        },
    )
    actions = ValueAudit.objects.filter(base__code="R2", year=2018).order_by("id")
    assert [(a.action, a.old, a.new, a.actor) for a in actions] == [
        ("create", "", "363", "alice"),
        ("delete", "363", "", "alice"),
    ]


def test_a_stale_expected_version_is_a_conflict_and_changes_nothing(api_as, bob, carol, alice):
    api_as(alice, via="token").put(
        R1_2017, {"value": "122", "reason": "typo", "expected_version": 1}
    )
    audits = ValueAudit.objects.count()

    response = api_as(bob, via="token").put(
        R1_2017, {"value": "999", "reason": "mine", "expected_version": 1}
    )

    assert (response.status_code, response.json()) == (
        409,
        {
            "detail": "R1 new_market_entities 2017 was changed by someone else meanwhile; "
            "reload it and try again"
        },
    )
    value = Value.objects.get(base__code="R1", indicator__code="new_market_entities", year=2017)
    assert (value.raw, value.version) == ("122", 2)
    assert ValueAudit.objects.count() == audits


@pytest.mark.parametrize(
    ("path", "value", "problems"),
    [
        (
            R1_2017,
            "many",
            [(["body", "value"], "not_a_number", "'many' is not a number")],
        ),
        (
            R1_2017,
            "12%",
            [
                (
                    ["body", "value"],
                    "not_a_number",
                    "'12%' is not a number; write the number without '%'",
                )
            ],
        ),
        (
            R1_2017,
            "-5",
            [
                (
                    ["body", "value"],
                    "negative",
                    "-5 is negative; indicator 'new_market_entities' cannot be below 0",
                )
            ],
        ),
        (
            R1_2017,
            "1.123456789",
            [
                (
                    ["body", "value"],
                    "out_of_range",
                    "1.123456789 cannot be stored exactly: it has 9 decimal places; a value "
                    "has at most 15 significant digits and 8 decimal places, and lies between "
                    "-10^20 and 10^20",
                )
            ],
        ),
        (
            "/campaigns/c/values/R1/new_market_entities/2019",
            "5",
            [
                (
                    ["path", "year"],
                    "year_outside_campaign",
                    "year 2019 is outside the campaign's years 2016-2018",
                )
            ],
        ),
        (
            "/campaigns/c/values/R1/univ_ie_education_investment/2017",
            "5",
            [
                (
                    ["path", "indicator"],
                    "not_applicable",
                    "indicator 'univ_ie_education_investment' does not apply to base 'R1' of "
                    "category 'region'; it applies only to university_institute",
                )
            ],
        ),
    ],
)
def test_a_value_the_reader_would_refuse_is_422_naming_field_and_reason(
    api_as, alice, campaign_c, path, value, problems
):
    response = api_as(alice, via="token").put(
        path, {"value": value, "reason": "r", "expected_version": 1}
    )

    assert response.status_code == 422
    assert [(p["loc"], p["type"], p["msg"]) for p in response.json()["detail"]] == problems
    assert ValueAudit.objects.filter(actor="alice").count() == 0


def test_a_missing_reason_is_422(api_as, alice, campaign_c):
    response = api_as(alice, via="token").put(R1_2017, {"value": "1", "expected_version": 1})

    assert response.status_code == 422
    assert [(p["loc"], p["type"]) for p in response.json()["detail"]] == [
        (["body", "payload", "reason"], "missing")
    ]


def test_an_unknown_indicator_is_not_found(api_as, alice, campaign_c):
    response = api_as(alice, via="token").put(
        "/campaigns/c/values/R1/unicorns/2017", {"value": "1", "reason": "r", "expected_version": 0}
    )

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "There is no indicator 'unicorns' in the framework mie-core v1."},
    )


def test_a_session_edit_without_the_csrf_header_is_refused(api_as, bob, campaign_c):
    response = api_as(bob, via="session").put(
        R1_2017, {"value": "5", "reason": "r", "expected_version": 1}, csrf=False
    )

    assert (response.status_code, response.json()) == (
        403,
        {
            "detail": "CSRF check failed: a change made with the session needs the "
            "X-CSRFToken header (or use an API token)."
        },
    )
    assert (
        Value.objects.get(base__code="R1", year=2017, indicator__code="new_market_entities").raw
        == "121"
    )


def test_history_lists_every_change_newest_first(api_as, alice, victor, campaign_c):
    api_as(alice, via="token").put(
        R1_2017, {"value": "122", "reason": "typo in the form", "expected_version": 1}
    )

    response = api_as(victor, via="token").get(R1_2017 + "/history")

    items = response.json()["items"]
    assert [{k: v for k, v in item.items() if k != "at"} for item in items] == [
        {
            "action": "update",
            "old": "121",
            "new": "122",
            "actor": "alice",
            "reason": "typo in the form",
            "source": "api",
        },
        {
            "action": "create",
            "old": None,
            "new": "121",
            "actor": "fixture",
            "reason": "",
            "source": "import",
        },
    ]
    assert response.json()["count"] == 2


def _add_bases(campaign, count: int) -> None:
    """``count`` more region bases in the campaign, each with three values."""
    bases = Base.objects.bulk_create(
        Base(
            code=f"X{i:03}",
            name_zh=f"区域{i}",
            name_en=f"Extra {i}",
            subcategory_id="county",
            province_id="51",
            batch=2017,
        )
        for i in range(count)
    )
    campaign.bases.add(*bases)
    indicator = Indicator.objects.get(framework=campaign.framework, code="new_market_entities")
    Value.objects.bulk_create(
        Value(
            campaign=campaign,
            base=base,
            indicator=indicator,
            year=year,
            value=10 + year - 2016,
            raw=str(10 + year - 2016),
            source="import",
            entered_at=campaign.created_at,
        )
        for base in bases
        for year in (2016, 2017, 2018)
    )


@pytest.mark.parametrize(
    "path",
    [
        "/bases",
        "/campaigns",
        "/campaigns/c/values",
        "/campaigns/c/trends",
        "/frameworks",
        "/frameworks/mie-core/1/indicators",
    ],
)
def test_queries_do_not_grow_with_the_rows(api_as, alice, campaign_c, path):
    client = api_as(alice, via="token")
    client.get("/me")  # the token's first use records it, once a minute: not counted here
    with CaptureQueriesContext(connection) as five_bases:
        small = client.get(path)
    _add_bases(campaign_c, 25)

    with CaptureQueriesContext(connection) as thirty_bases:
        large = client.get(path)

    assert (small.status_code, large.status_code) == (200, 200)
    assert len(thirty_bases) == len(five_bases)
    if path in {"/bases", "/campaigns/c/values"}:
        assert large.json()["count"] > small.json()["count"]


def test_submitted_data_waits_for_review_and_approved_data_is_locked(campaign_c, bob, alice):
    from django.test import Client

    from mieval.accounts.services import api_token_create
    from mieval.collection.workflow import submission_approve, submission_submit
    from mieval.registry.models import Base

    r1 = Base.objects.get(code="R1")
    url = "/api/v1/campaigns/c/values/R1/patents_granted/2017"
    body = {"value": "11", "reason": "late figure", "expected_version": 0}

    def put(user):
        _, key = api_token_create(user=user, name="t")
        return Client().put(
            url, body, content_type="application/json", headers={"authorization": f"Bearer {key}"}
        )

    submission = submission_submit(campaign=campaign_c, base=r1, user=bob, actor="bob")
    refused = put(bob)
    assert refused.status_code == 403
    assert "waits for the office's review" in refused.json()["detail"]

    submission_approve(submission=submission, user=alice, actor="alice")
    locked = put(alice)
    assert locked.status_code == 409
    assert "approved and locked" in locked.json()["detail"]
