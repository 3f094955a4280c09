"""The evidence beside each criterion of the expert's scoring page (one selector, a bounded
number of queries), and who sees it.

erin is X01, of panel 1 (R1, R2, U1); R1 and R2 are the campaign's urban districts."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from mieval.collection.models import Query, QueryMessage
from mieval.panels.models import Criterion
from mieval.panels.selectors import scoring_evidence
from mieval.registry.models import Base

URL = "/campaigns/c/scoring/R1/"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def chosen(rubric):
    """C1 shows the patents only, and the data check; C2 everything."""
    Criterion.objects.filter(rubric=rubric, code="C1").update(
        evidence=["patents_granted", "checks"]
    )
    return rubric


def add_peers(campaign, n: int):
    """``n`` more urban districts in the campaign, each with a value of new market entities."""
    from mieval.collection.models import Value
    from mieval.indicators.models import Indicator

    indicator = Indicator.objects.get(framework=campaign.framework, code="new_market_entities")
    for i in range(n):
        base = Base.objects.create(
            code=f"P{i:02}",
            name_zh=f"区域{i}",
            name_en=f"District {i}",
            subcategory_id="urban_district",
            province_id="11",
            batch=2016,
        )
        campaign.bases.add(base)
        Value.objects.create(
            campaign=campaign,
            base=base,
            indicator=indicator,
            year=2018,
            value=100 + i,
            raw=str(100 + i),
            entered_at=timezone.now(),
        )


def answered_query(campaign, alice):
    from mieval.indicators.models import Indicator

    query = Query.objects.create(
        campaign=campaign,
        base=Base.objects.get(code="R1"),
        indicator=Indicator.objects.get(framework=campaign.framework, code="patents_granted"),
        year=2018,
        status=Query.Status.ANSWERED,
        created_by=alice,
        created_at=timezone.now(),
    )
    at = timezone.make_aware(dt.datetime(2019, 3, 1, 9))
    QueryMessage.objects.create(query=query, kind="question", text="Why 12?", actor="alice", at=at)
    QueryMessage.objects.create(
        query=query, kind="answer", text="Two were late.", actor="bob", at=at
    )
    return query


@pytest.mark.django_db
def test_each_criterion_holds_what_its_evidence_list_chooses(campaign_c, chosen, alice):
    answered_query(campaign_c, alice)
    base = Base.objects.select_related("subcategory").get(code="R1")

    with translation.override("en"):
        evidence = scoring_evidence(campaign=campaign_c, base=base, rubric=chosen)

    summary = evidence["summary"]
    assert set(summary) == {
        "values",
        "index",
        "checks",
        "queries",
        "selfeval",
        "practices",
        "visit",
    }
    values = {v["code"]: v for v in summary["values"]}
    entities = values["new_market_entities"]
    assert (entities["year"], entities["value"], entities["first_year"]) == (2018, 144.0, 2016)
    assert round(entities["cagr_percent"], 6) == 20.0
    # R2 is the only peer: too few for quartiles.
    assert (entities["peers"], entities["median"], entities["position"]) == (0, None, None)
    assert summary["queries"] == [
        {
            "indicator": "patents_granted",
            "indicator_name": values["patents_granted"]["name"],
            "year": 2018,
            "status": "answered",
            "question": "Why 12?",
            "answers": ["Two were late."],
        }
    ]
    assert (summary["index"], summary["selfeval"], summary["visit"]) == (None, None, None)
    assert summary["practices"] == {"reforms": [], "cases": [], "people": []}

    c1, c2 = evidence["criteria"]["C1"], evidence["criteria"]["C2"]
    assert set(c1) == {"values", "checks"}
    assert [v["code"] for v in c1["values"]] == ["patents_granted"]
    assert all(p["indicator"] == "patents_granted" for p in c1["checks"])
    assert c2 == summary


@pytest.mark.django_db
@pytest.mark.parametrize("more", [0, 18])
def test_the_evidence_takes_a_bounded_number_of_queries(
    campaign_c, chosen, alice, django_assert_max_num_queries, more
):
    """2 urban districts (R1, R2), then 20: the same bound."""
    add_peers(campaign_c, more)
    answered_query(campaign_c, alice)
    base = Base.objects.select_related("subcategory").get(code="R1")
    assert campaign_c.bases.filter(subcategory_id="urban_district").count() == 2 + more

    with django_assert_max_num_queries(20):
        evidence = scoring_evidence(campaign=campaign_c, base=base, rubric=chosen)

    entities = next(v for v in evidence["summary"]["values"] if v["code"] == "new_market_entities")
    assert entities["peers"] == (0 if more == 0 else more)


@pytest.mark.django_db
def test_the_scoring_page_shows_the_evidence_beside_each_criterion(
    client, erin, published, chosen, alice
):
    answered_query(campaign_c_of(published), alice)
    client.force_login(erin)

    response = client.get(URL)

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["criterion"].code for r in rows] == ["C1", "C2"]
    assert set(rows[0]["evidence"]) == {"values", "checks"}
    html = response.content.decode()
    assert html.count('<details class="evidence"') == 3
    assert "What bears on Operating results" in html
    assert "Why 12?" in html and "Two were late." in html


def campaign_c_of(published):
    return published.campaign


@pytest.mark.django_db
def test_the_criterion_names_are_in_the_readers_language(client, erin, published, chosen):
    client.force_login(erin)

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert "运营成效" in response.content.decode()
    assert [r["name"] for r in response.context["rows"]] == ["运营成效", "示范带动"]


@pytest.mark.django_db
def test_another_panels_base_is_not_found_and_other_roles_are_refused(
    client, erin, alice, bob, published, chosen
):
    client.force_login(erin)
    assert client.get("/campaigns/c/scoring/U2/").status_code == 404
    for user in (alice, bob):
        client.force_login(user)
        assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_the_rubric_keeps_the_evidence_tokens_and_names_unknown_ones(campaign_c, alice):
    from django.core.exceptions import ValidationError

    from mieval.panels.services import rubric_save

    item = {"code": "C1", "name_zh": "甲", "name_en": "A", "weight": "1"}
    item |= {"scale_min": "0", "scale_max": "100"}
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        rubric_save(
            campaign=campaign_c, user=alice, criteria=[{**item, "evidence": "checks vist P9"}]
        )
    assert refused.value.messages == [
        "Criterion 1 (C1): the evidence vist, P9 is neither a kind of evidence, nor"
        " selfeval:<section>, nor an indicator of the campaign."
    ]

    saved = rubric_save(
        campaign=campaign_c,
        user=alice,
        criteria=[{**item, "evidence": "patents_granted, selfeval:progress visit"}],
    )
    assert saved.criteria.get().evidence == ["patents_granted", "selfeval:progress", "visit"]


@pytest.mark.django_db
def test_the_self_evaluation_shows_once_the_base_submitted_it(campaign_c, rubric, bob):
    from mieval.core.selfeval import default_sections
    from mieval.selfeval.services import report_save, report_submit, template_default_load

    template_default_load(campaign=campaign_c)
    base = Base.objects.select_related("subcategory").get(code="R1")
    texts = {s["code"]: f"R1 on {s['code']}." for s in default_sections()}
    report = report_save(campaign=campaign_c, base=base, texts=texts, expected_version=0, user=bob)

    with translation.override("en"):
        draft = scoring_evidence(campaign=campaign_c, base=base, rubric=rubric)
    report_submit(report=report, expected_version=report.version, user=bob)
    with translation.override("en"):
        submitted = scoring_evidence(campaign=campaign_c, base=base, rubric=rubric)

    assert draft["summary"]["selfeval"] is None
    shown = submitted["summary"]["selfeval"]
    assert shown["state"] == "submitted"
    assert [(s["code"], s["text"]) for s in shown["sections"]] == [
        (s["code"], f"R1 on {s['code']}.") for s in default_sections()
    ]
