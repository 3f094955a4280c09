"""Search (Chinese and English), filters, counts, the campaign's report content and findings."""

import json

import pytest

from mieval.accounts.permissions import nominations_visible, reforms_visible
from mieval.core.findings.practices import practices_findings
from mieval.practices.models import Nomination, Reform
from mieval.practices.selectors import (
    SearchFilters,
    practices_counts,
    practices_report_content,
    practices_search,
)


def search(user, **filters):
    return practices_search(
        reforms_visible(user), nominations_visible(user), SearchFilters(**filters)
    )


def titles(result):
    return [r.title for r, _ in result.reforms], [n.name for n, _ in result.nominations]


def test_a_chinese_query_finds_chinese_text(items, alice):
    assert titles(search(alice, query="人才公寓")) == (["人才公寓建设"], [])


def test_each_term_must_match(items, alice):
    assert titles(search(alice, query="天使 补偿")) == (["天使投资风险补偿"], [])
    assert titles(search(alice, query="天使 公寓")) == ([], [])


def test_an_english_query_finds_english_text(items, alice):
    assert titles(search(alice, query="patent")) == (["Fast patent pre-examination"], [])
    assert titles(search(alice, query="seasoned investor")) == ([], ["Chen Fang"])


def test_the_other_language_is_searched_too(items, alice):
    assert titles(search(alice, query="Maker space")) == ([], ["众创空间联盟"])


def test_results_are_ranked_by_similarity(items, alice):
    result = search(alice, query="众创空间")

    assert [n.name for n, _ in result.nominations] == ["众创空间联盟"]
    assert result.nominations[0][1] > 0


def test_filters(items, alice):
    assert titles(search(alice, area="talent")) == (["人才公寓建设"], [])
    # The analyst's classification counts, not what the base reported.
    assert titles(search(alice, area="finance_tax")) == (["天使投资风险补偿"], [])
    assert titles(search(alice, kind="person")) == ([], ["张晓明", "Chen Fang"])
    assert titles(search(alice, category="university_institute", kind="reform")) == (
        ["Fast patent pre-examination"],
        [],
    )
    # R1 is in Beijing (11, east); U1 in Hubei (42, central-west); E1 in Guangdong (44, east).
    assert titles(search(alice, region_group="central_west")) == (
        ["Fast patent pre-examination"],
        ["Chen Fang", "共享中试平台"],
    )
    assert titles(search(alice, region_group="central")) == titles(
        search(alice, region_group="central_west")
    )
    assert titles(search(alice, region_group="west")) == ([], [])
    assert titles(search(alice, year=2016)) == (["天使投资风险补偿"], [])
    assert titles(search(alice, campaign="other")) == ([], [])


def test_counts_are_exact(items, alice):
    counts = practices_counts(search(alice))

    assert counts == {
        "reforms": 3,
        "by_area": {"talent": 1, "intellectual_property": 1, "finance_tax": 1},
        "by_category": {"region": 1, "university_institute": 1, "enterprise": 1},
        "by_region_group": {"east": 2, "central_west": 1},
        "nominations": 4,
        "by_subkind": {"case/platform": 2, "person/founder": 1, "person/mentor": 1},
        "nominations_by_category": {"region": 2, "university_institute": 2},
    }


def test_a_viewer_finds_only_classified_reforms_and_published_nominations(items, victor):
    assert titles(search(victor)) == (
        ["人才公寓建设", "天使投资风险补偿"],
        ["众创空间联盟", "张晓明"],
    )


def test_a_base_officer_finds_only_the_own_base(items, bob):
    assert titles(search(bob)) == (["人才公寓建设"], ["众创空间联盟", "张晓明"])


def test_report_content(items, campaign_c):
    content = practices_report_content(campaign_c)

    assert json.loads(json.dumps(content)) == content
    areas = {a["code"]: (a["total"], a["by_category"]) for a in content["reforms"]["areas"]}
    zero = {"region": 0, "university_institute": 0, "enterprise": 0}
    assert areas == {
        "business_registration": (0, zero),
        "talent": (1, {**zero, "region": 1}),
        "finance_tax": (1, {**zero, "enterprise": 1}),
        "intellectual_property": (0, zero),
        "technology_transfer": (0, zero),
        "land_space": (0, zero),
    }
    assert content["reforms"]["total"] == 2
    assert content["reforms"]["by_category"] == {
        "region": 1,
        "university_institute": 0,
        "enterprise": 1,
    }
    assert content["reforms"]["by_region_group"] == {"east": 2, "central_west": 0, "northeast": 0}
    assert content["reforms"]["linked_measures"] == 0
    case = items["case_r1"]
    assert content["cases"] == [
        {
            "id": case.pk,
            "kind": "case",
            "subkind": "platform",
            "name_zh": "众创空间联盟",
            "name_en": "Maker space alliance",
            "base_code": "R1",
            "base_name_zh": "区域一",
            "base_name_en": "Region one",
            "category": "region",
            "region_group": "east",
            "year": 2017,
            "story_zh": "联合二十家众创空间共享导师和场地。",
            "story_en": "Twenty maker spaces share mentors and rooms.",
            "reason": "示范性强",
        }
    ]
    assert [p["name_zh"] for p in content["people"]] == ["张晓明"]
    # No contact data anywhere in the report content.
    text = json.dumps(content, ensure_ascii=False)
    assert "13911112222" not in text and "zhang@example.org" not in text
    assert "新材料公司" not in text


def test_findings_use_the_counts(items, campaign_c):
    findings = practices_findings(practices_report_content(campaign_c))

    assert findings == [
        (
            "reforms_total",
            "示范基地共报告制度改革举措2项，其中人才、财税金融类并列最多（各1项）。",
            "The bases reported 2 institutional reform measures; most concern talent and "
            "finance and tax (1 each).",
            {"total": 2, "areas": ["talent", "finance_tax"], "area_total": 1},
        ),
        (
            "reforms_by_category",
            "区域、企业类示范基地报告的改革举措并列最多，各1项，各占50%。",
            "Region and Enterprise bases tie for the most reform measures: 1 each (50% of all "
            "each).",
            {"categories": ["region", "enterprise"], "count": 1, "share": 0.5},
        ),
        (
            "typical",
            "评估遴选出典型案例1个、双创典型人物1名。",
            "The evaluation selected 1 typical case and 1 exemplary person of innovation and "
            "entrepreneurship.",
            {"cases": 1, "people": 1},
        ),
    ]


def test_no_findings_for_an_empty_campaign(campaign_c):
    assert practices_findings(practices_report_content(campaign_c)) == []


@pytest.mark.parametrize(
    ("model", "events"),
    [
        (
            Reform,  # talent_r1: reported, then classified by alice
            [
                (
                    "reform_reported",
                    "system",
                    None,
                    {"title": "人才公寓建设", "area_reported": "talent"},
                ),
                (
                    "reform_classified",
                    "alice",
                    "alice",
                    {"area": [None, "talent"], "status": ["reported", "classified"], "note": ""},
                ),
            ],
        ),
        (
            Nomination,  # case_r1: nominated, consent recorded, selected by alice
            [
                (
                    "nominated",
                    "system",
                    None,
                    {"kind": "case", "subkind": "platform", "name": "众创空间联盟"},
                ),
                (
                    "consent_recorded",
                    "system",
                    None,
                    {"statement": "单位同意公开。", "document": ""},
                ),
                (
                    "nomination_decided",
                    "alice",
                    "alice",
                    {"status": ["nominated", "selected"], "reason": "示范性强"},
                ),
            ],
        ),
    ],
)
def test_every_change_is_audited(items, model, events):
    item = model.objects.order_by("pk").first()

    assert list(item.events.values_list("action", "actor", "user__username", "changes")) == events
    assert set(item.events.values_list("campaign__code", flat=True)) == {"c"}


def test_findings_name_the_single_largest_area_and_category():
    areas = [
        {"code": "talent", "name_zh": "人才", "name_en": "Talent", "total": 5},
        {"code": "land_space", "name_zh": "用地与空间", "name_en": "Land and space", "total": 3},
    ]
    content = {
        "reforms": {
            "total": 8,
            "areas": areas,
            "by_category": {"region": 6, "university_institute": 2, "enterprise": 0},
            "linked_measures": 1,
        },
        "cases": [{}, {}],
        "people": [],
    }

    assert [(zh, en) for _, zh, en, _ in practices_findings(content)] == [
        (
            "示范基地共报告制度改革举措8项，其中人才类最多（5项）。",
            "The bases reported 8 institutional reform measures; most concern talent (5).",
        ),
        (
            "区域类示范基地报告的改革举措最多，共6项，占75%。",
            "Region bases reported the most reform measures: 6, 75% of all.",
        ),
        (
            "有1组相同的改革举措由多个示范基地分别报告，体现了改革经验的复制推广。",
            "1 pair of bases reported the same reform measure, a sign that reforms are being "
            "replicated.",
        ),
        (
            "评估遴选出典型案例2个、双创典型人物0名。",
            "The evaluation selected 2 typical cases and 0 exemplary people of innovation and "
            "entrepreneurship.",
        ),
    ]
