"""The judgement sections from a small fixed payload (no database): exact tables and sentences."""

import pytest

from mieval.core.reports.judgement import (
    judgement_sections,
    organisation_section,
    problems_query,
    problems_section,
    recommendations_section,
)
from mieval.core.reports.lineage import LineageError, lineage_problems, lineage_problems_json


def _problem(pk, base, type_code, severity, *, action_zh="", action_en="", **where):
    return {
        "id": pk,
        "base": base,
        "category": where.get("category", "region"),
        "subcategory": where.get("subcategory", "county"),
        "region_group": where.get("region_group", "east"),
        "type": type_code,
        "severity": severity,
        "source": "site_visit",
        "title_zh": f"问题{pk}",
        "title_en": f"Problem {pk}",
        "action_zh": action_zh,
        "action_en": action_en,
    }


BASES = [
    {"code": "B1", "name_zh": "甲基地", "name_en": "Base A", "category": "region",
     "subcategory": "county", "province": "32", "batch": 2016},
    {"code": "B2", "name_zh": "乙基地", "name_en": "Base B", "category": "enterprise",
     "subcategory": "private", "province": "51", "batch": 2017},
]  # fmt: skip

JUDGEMENT = {
    "experts": [
        {"year": 2023, "kind": "local_association", "experts": 3, "expert_times": 6},
        {"year": 2024, "kind": "local_association", "experts": 2, "expert_times": 4},
        {"year": 2024, "kind": "national_society", "experts": 2, "expert_times": 3},
        {"year": 2024, "kind": "third_party", "experts": 1, "expert_times": 2},
    ],
    "panels": [
        {
            "number": 1,
            "members": 3,
            "professional": 2,
            "operational": 1,
            "kinds": {"local_association": 1, "national_society": 2},
            "bases": 2,
        },
        {
            "number": 2,
            "members": 2,
            "professional": 2,
            "operational": 0,
            "kinds": {"local_association": 1, "third_party": 1},
            "bases": 1,
        },
    ],
    "visits": {
        "planned": 3,
        "made": 2,
        "bases": 2,
        "by_region_group": {"east": 1, "central_west": 1, "northeast": 0},
    },
    "exchange": {
        "total": 4,
        "mutual": 2,
        "by_status": {"proposed": 2, "contacted": 1, "agreed": 1, "done": 0},
        "east_central_west": {"proposed": 1, "contacted": 1},
        "cross_type": {},
        "since": "2024-01-01",
    },
    "grassroots": {"panel_members": 1, "visit_contacts": 3},
    "problem_types": [
        {"code": "communication", "name_zh": "东中西部交流", "name_en": "East-West exchange"},
        {"code": "incentives", "name_zh": "激励机制", "name_en": "Incentives"},
        {"code": "credit", "name_zh": "信用体系", "name_en": "Credit system"},
    ],
    "problems": [
        _problem(11, "B1", "incentives", "minor", action_zh="完善激励", action_en="Reward"),
        _problem(
            12,
            "B2",
            "incentives",
            "serious",
            action_zh="完善激励",
            action_en="Reward",
            category="enterprise",
            subcategory="private",
            region_group="central_west",
        ),
        _problem(13, "B1", "communication", "moderate", action_zh="", action_en="Twin bases"),
    ],
}


@pytest.fixture
def payload():
    return {"bases": BASES, "judgement": JUDGEMENT}


def test_the_organisation_section_counts_experts_panels_visits_exchange_and_staff(payload):
    section = organisation_section(payload, "zh")

    assert [s["text"] for s in section["sentences"]] == [
        "2023年评估共组织专家3人、6人次，其中地方科协3人。",
        "2024年评估共组织专家5人、9人次，其中地方科协2人、全国学会2人、第三方机构1人。",
        "共组建专家组2个、成员5人（平均每组2.5人）；其中1个专家组兼有专业专家和业务专家，"
        "2个专家组由两类及以上组织的专家组成。",
        "专家组实地考察示范基地2个，完成实地考察2次（计划3次），其中东部1次、中西部1次。",
        "评估期间，示范基地在供需对接平台上发起对接请求4项，其中2项双方已建立联系，"
        "东部与中西部基地之间的请求2项。",
        "基层业务骨干4人次参与评估：专家组中的业务专家1人，实地考察中对接的示范基地业务人员3人。",
    ]
    experts, panels, visits = section["tables"]
    assert experts["columns"] == ["年度", "组织类型", "专家人数", "专家人次"]
    assert [[c["text"] for c in r["cells"]] for r in experts["rows"]] == [
        ["2023", "地方科协", "3", "6"],
        ["2023", "合计", "3", "6"],
        ["2024", "地方科协", "2", "4"],
        ["2024", "全国学会", "2", "3"],
        ["2024", "第三方机构", "1", "2"],
        ["2024", "合计", "5", "9"],
    ]
    assert [r["total"] for r in experts["rows"]] == [False, True, False, False, False, True]
    assert panels["columns"] == [
        "专家组", "成员", "专业专家", "业务专家", "地方科协", "全国学会", "第三方机构", "示范基地",
    ]  # fmt: skip
    assert [[c["text"] for c in r["cells"]] for r in panels["rows"]] == [
        ["1", "3", "2", "1", "1", "2", "0", "2"],
        ["2", "2", "2", "0", "1", "0", "1", "1"],
        ["合计", "5", "4", "1", "2", "2", "1", "3"],
    ]
    assert [[c["text"] for c in r["cells"]] for r in visits["rows"]] == [
        ["东部", "1"],
        ["中西部", "1"],
        ["东北", "0"],
        ["合计", "2"],
    ]


def test_the_organisation_section_in_english(payload):
    section = organisation_section(payload, "en")

    assert [s["text"] for s in section["sentences"]][1:4] == [
        "In 2024 the evaluation engaged 5 experts for 9 expert-times: 2 from local science "
        "associations, 2 from national societies, 1 from third-party institutions.",
        "2 expert panels were formed with 5 members (2.5 on average); 1 combine professional "
        "and operational experts and 2 draw on two or more kinds of organisation.",
        "The panels visited 2 bases on site: 2 of 3 planned visits made (1 in the East, 1 in "
        "the Central and West).",
    ]


def test_the_problems_section_counts_the_register_with_lineage_links(payload):
    section = problems_section(payload, "zh")

    assert section["sentences"] == [
        {
            "text": "问题清单共确认问题3项，涉及示范基地2个、问题类型2类，"
            "其中严重1项、一般1项、轻微1项。",
            "query": "kind=problems",
        },
        {"text": "东中西部交流：1项（严重0项）。", "query": "kind=problems&type=communication"},
        {"text": "激励机制：2项（严重1项）。", "query": "kind=problems&type=incentives"},
    ]
    by_type, by_category, by_region, by_subcategory = section["tables"]
    assert by_type["columns"] == ["问题类型", "问题数", "严重", "一般", "轻微", "示范基地"]
    assert by_type["rows"][1]["cells"] == [
        {"text": "激励机制", "query": None},
        {"text": "2", "query": "kind=problems&type=incentives"},
        {"text": "1", "query": "kind=problems&type=incentives&severity=serious"},
        {"text": "0", "query": "kind=problems&type=incentives&severity=moderate"},
        {"text": "1", "query": "kind=problems&type=incentives&severity=minor"},
        {"text": "2", "query": None},
    ]
    assert [c["text"] for c in by_type["rows"][2]["cells"]] == ["合计", "3", "1", "1", "1", "2"]
    assert by_category["columns"] == ["问题类型", "区域", "企业"]
    assert by_category["rows"][1]["cells"] == [
        {"text": "激励机制", "query": None},
        {"text": "1", "query": "kind=problems&type=incentives&category=region"},
        {"text": "1", "query": "kind=problems&type=incentives&category=enterprise"},
    ]
    assert by_category["rows"][0]["cells"][2] == {"text": "0", "query": None}
    assert [c["text"] for c in by_region["rows"][2]["cells"]] == ["合计", "2", "1"]
    assert [[c["text"] for c in r["cells"]] for r in by_subcategory["rows"]] == [
        ["东中西部交流", "区域", "县域", "1"],
        ["激励机制", "区域", "县域", "1"],
        ["激励机制", "企业", "民营企业", "1"],
    ]
    assert section["groups"] == [
        {
            "title": "典型问题",
            "items": [
                {
                    "text": "东中西部交流 · 甲基地：问题13（一般）",
                    "query": "kind=problems&type=communication",
                },
                {
                    "text": "激励机制 · 乙基地：问题12（严重）",
                    "query": "kind=problems&type=incentives",
                },
                {
                    "text": "激励机制 · 甲基地：问题11（轻微）",
                    "query": "kind=problems&type=incentives",
                },
            ],
        }
    ]


def test_recommendations_are_the_register_actions_grouped_by_type(payload):
    zh = recommendations_section(payload, "zh")
    en = recommendations_section(payload, "en")

    assert zh["sentences"] == [
        {"text": "根据问题清单，针对2类问题提出整改建议2条。", "query": "kind=problems"}
    ]
    # An action written in one language only is shown in that language.
    assert zh["groups"] == [
        {
            "title": "东中西部交流",
            "items": [{"text": "Twin bases", "query": "kind=problems&type=communication"}],
        },
        {
            "title": "激励机制",
            "items": [
                {"text": "完善激励（2个示范基地）", "query": "kind=problems&type=incentives"}
            ],
        },
    ]
    assert [item["text"] for g in en["groups"] for item in g["items"]] == [
        "Twin bases",
        "Reward (2 bases)",
    ]
    assert en["sentences"][0]["text"] == (
        "From the register, 2 recommended actions on 2 types of problem."
    )


def test_a_snapshot_without_records_has_no_computed_section():
    assert judgement_sections({"bases": BASES}, "zh") == {
        "practices": None,
        "problems": None,
        "recommendations": None,
    }
    empty = {"bases": BASES, "judgement": {**JUDGEMENT, "problems": []}}
    assert problems_section(empty, "en") is None
    assert recommendations_section(empty, "en") is None


def test_problems_query_names_only_the_filters_given():
    assert problems_query() == "kind=problems"
    assert problems_query(severity="minor", type="credit") == (
        "kind=problems&type=credit&severity=minor"
    )
    with pytest.raises(ValueError, match="unknown problem filter"):
        problems_query(base="B1")


def test_the_problems_lineage_lists_the_problems_a_count_counts(payload):
    found = lineage_problems(payload, type="incentives", category="region")

    assert lineage_problems_json(found) == {
        "filters": {
            "type": "incentives",
            "category": "region",
            "subcategory": None,
            "region_group": None,
            "severity": None,
        },
        "count": 1,
        "problems": [
            {
                "id": 11,
                "base": "B1",
                "name_zh": "甲基地",
                "name_en": "Base A",
                "type": "incentives",
                "type_zh": "激励机制",
                "type_en": "Incentives",
                "category": "region",
                "subcategory": "county",
                "region_group": "east",
                "severity": "minor",
                "source": "site_visit",
                "title_zh": "问题11",
                "title_en": "Problem 11",
            }
        ],
    }
    assert [r["id"] for r in lineage_problems(payload).rows] == [11, 12, 13]


def test_the_problems_lineage_names_every_bad_filter(payload):
    with pytest.raises(LineageError) as raised:
        lineage_problems(payload, type="nope", severity="grave")
    assert str(raised.value) == (
        "type 'nope' is not one of communication, credit, incentives; "
        "severity 'grave' is not one of minor, moderate, serious"
    )
    with pytest.raises(LineageError, match="holds no problem register"):
        lineage_problems({"bases": BASES})


def test_the_staff_nominated_by_the_bases_are_named_when_the_register_has_them(payload):
    judgement = {**payload["judgement"]}
    judgement["grassroots"] = {"panel_members": 2, "visit_contacts": 3, "nominated": 4}
    with_register = {**payload, "judgement": judgement}

    zh = organisation_section(with_register, "zh")["sentences"][-1]["text"]
    en = organisation_section(with_register, "en")["sentences"][-1]["text"]

    assert zh == (
        "基层业务骨干9人次参与评估：专家组中的业务专家2人，实地考察中对接的示范基地业务人员3人，"
        "示范基地推荐的业务骨干4人。"
    )
    assert en == (
        "Grassroots operational staff took part 9 times: 2 operational experts on the panels, "
        "3 of the bases' staff who received the site visits and 4 nominated by the bases."
    )
