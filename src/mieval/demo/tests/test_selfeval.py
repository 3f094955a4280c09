"""The demo self-evaluation reports: written from each base's own data, deterministic, in
the shares of states the demo promises."""

from collections import Counter

import pandas as pd

from mieval.demo.campaign import sample_bases, sample_values
from mieval.demo.selfeval import sample_self_evaluations

BASES = pd.DataFrame(
    {
        "code": ["A", "B"],
        "name_zh": ["甲基地", "乙基地"],
        "name_en": ["Base A", "Base B"],
        "category": ["region", "enterprise"],
    }
)
VALUES = pd.DataFrame(
    {
        "base_code": ["A", "A", "A", "A", "B"],
        "indicator_code": [
            "new_market_entities",
            "new_market_entities",
            "incubation_area",
            "incubation_area",
            "patents_granted",
        ],
        "year": [2016, 2018, 2016, 2018, 2018],
        "value": [400.0, 300.0, 1000.0, 1210.0, 7.0],
    }
)


def test_the_progress_quotes_the_bases_own_values_growth_and_decline():
    a, b = sample_self_evaluations(BASES, VALUES, seed=0)

    assert a.texts["progress"] == (
        "2016—2018年，本基地围绕“打造区域双创高地”的建设目标，对照示范基地建设方案逐项推进各项任务。"
        "新增市场主体由2016年的400户降至2018年的300户，年均下降13.4%。"
        "孵化载体面积由2016年的1,000平方米增至2018年的1,210平方米，年均增长10.0%。"
        "总体看，示范基地建设方案确定的主要任务已基本完成，双创生态持续优化。"
    )
    # One year only: no growth to quote.
    assert "各项重点任务有序推进" in b.texts["progress"]


def test_the_demo_campaign_gets_mostly_accepted_reports_a_few_in_english_and_is_seeded():
    bases = sample_bases(0)
    values = sample_values(bases, 0)

    reports = sample_self_evaluations(bases, values, seed=0)

    assert len(reports) == 120
    assert Counter(r.state for r in reports) == {
        "accepted": 82,
        "submitted": 18,
        "returned": 10,
        "draft": 10,
    }
    assert Counter(r.language for r in reports) == {"zh": 110, "en": 10}
    assert all(r.comment and r.section_comments for r in reports if r.state == "returned")
    assert all(r.texts["policy_requests"] == "" for r in reports if r.state == "draft")
    again = sample_self_evaluations(bases, values, seed=0)
    assert [r.texts for r in again] == [r.texts for r in reports]
    assert [r.texts for r in sample_self_evaluations(bases, values, seed=1)] != [
        r.texts for r in reports
    ]
