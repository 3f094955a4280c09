import json

import pytest

from mieval.core.reports import content
from mieval.core.reports.payload import payload_hash
from mieval.reports import render


def test_report_trend_table_equals_mieval_trends_on_the_same_files(sample_payload, tmp_path):
    # given the sample campaign's files, as `mieval sample` writes them
    from mieval.cli import main

    assert main(["sample", "--out", str(tmp_path)]) == 0
    assert (
        main(
            [
                "trends",
                str(tmp_path / "bases.csv"),
                str(tmp_path / "values.csv"),
                "--format",
                "json",
                "--out",
                str(tmp_path / "trends.json"),
            ]
        )
        == 0
    )
    expected = json.loads((tmp_path / "trends.json").read_text(encoding="utf-8"))
    # when the report's content is assembled from the snapshot payload
    section = content.trend_section(sample_payload, "en")
    # then its table is exactly the command's
    assert section["json"] == expected
    # and the figures printed are the poster's
    first = section["rows"][0]
    assert first["indicator"] == "new_market_entities"
    assert [c["text"] for c in first["cells"]] == ["11,740", "12,158", "13,598"]
    assert first["cagr_text"] == "7.6%"
    assert section["rows"][-1]["cagr_text"] == "26.3%"


def test_report_content_has_every_section_in_both_languages(sample_payload):
    h = payload_hash(sample_payload)
    zh = content.report_content(sample_payload, "zh", content_hash=h)
    en = content.report_content(sample_payload, "en", content_hash=h)
    assert zh["t"]["trend"] == "示范基地发展趋势"
    assert en["t"]["trend"] == "Demonstration base development trends"
    assert zh["trend"]["rows"][0]["label"] == "新增市场主体数量（个，均值）"
    assert en["trend"]["rows"][0]["label"].startswith("Newly established market entities")
    assert zh["classification"]["total"] == 120
    assert zh["classification"]["totals"] == [28, 92]
    assert [r["total"] for r in zh["classification"]["rows"] if r["code"] == "county"] == [15]
    assert zh["rankings"] == []
    assert zh["panels"] is None
    assert zh["narrative"][0]["paragraphs"] == [
        "充分利用地方科协和全国学会。",
        "按专业与运营互补组建专家组。",
    ]
    assert zh["narrative"][1]["paragraphs"] == []
    assert zh["charts"]["trend"].startswith("<svg")
    assert zh["summary"][0] == (
        "本报告基于演示评估（2016—2018年）的冻结快照，涵盖120个示范基地、12项指标、"
        f"{len(sample_payload['values'])}个数据项。"
    )


def test_unknown_language_is_refused(sample_payload):
    with pytest.raises(ValueError, match="language 'fr'"):
        content.report_content(sample_payload, "fr", content_hash="x")


def test_rankings_and_panels_come_from_the_payload(sample_payload):
    payload = json.loads(json.dumps(sample_payload))
    payload["index_runs"] = [
        {
            "framework": "region-index",
            "version": 2,
            "name_zh": "区域指数",
            "name_en": "Region index",
            "year": 2018,
            "input_hash": "0" * 64,
            "scores": [
                {
                    "base": "MIE-2016-002",
                    "score": 55.5,
                    "rank": 2,
                    "median_rank": 2.0,
                    "q05": 1.0,
                    "q95": 4.0,
                },
                {
                    "base": "MIE-2016-001",
                    "score": 70.25,
                    "rank": 1,
                    "median_rank": 1.0,
                    "q05": 1.0,
                    "q95": 2.0,
                },
            ],
        }
    ]
    payload["panels"] = {
        "alpha": 0.8123,
        "results": [
            {
                "base": "MIE-2016-001",
                "score": 81.0,
                "n": 5,
                "grade_zh": "优秀",
                "grade_en": "excellent",
            }
        ],
        "comments": [{"base": "MIE-2016-001", "text": "孵化平台运营良好。"}],
    }
    rankings = content.rankings_section(payload, "en")
    assert rankings[0]["title"] == "Region index (region-index v2, 2018)"
    assert rankings[0]["change_label"] is None
    assert [(r["base"], r["rank"], r["score"], r["interval"]) for r in rankings[0]["rows"]] == [
        ("MIE-2016-001", 1, "70.2", "1–2"),
        ("MIE-2016-002", 2, "55.5", "1–4"),
    ]
    panels = content.panels_section(payload, "zh")
    assert panels["alpha"] == "0.81"
    assert panels["rows"][0]["grade"] == "优秀"
    assert panels["rows"][0]["query"] == "base=MIE-2016-001"
    profiles = content.profiles_content(payload, "zh", content_hash="h", codes=["MIE-2016-001"])
    assert profiles[0]["ranks"][0]["rank"] == 1
    assert profiles[0]["ranks"][0]["interval"] == "1–2"
    assert profiles[0]["comments"] == ["孵化平台运营良好。"]


def test_profiles_compare_each_base_with_its_subcategory(sample_payload):
    profiles = content.profiles_content(sample_payload, "en", content_hash="h")
    assert len(profiles) == 120
    first = profiles[0]
    assert first["code"] == "MIE-2016-001"
    assert first["peer_group"] == "Urban district"
    row = first["rows"][0]
    assert row["indicator"] == "new_market_entities"
    assert [c["value"] for c in row["cells"]] == ["12,380", "13,100", "—"]
    assert row["spark"].startswith("<svg")


def test_rankings_show_the_latest_year_of_the_newest_version_with_rank_changes(sample_payload):
    def run(version, year, ranks):
        return {
            "framework": "region-index",
            "version": version,
            "name_zh": "区域指数",
            "name_en": "Region index",
            "year": year,
            "input_hash": "0" * 64,
            "scores": [
                {"base": base, "score": 100.0 - rank, "rank": rank, "q05": None, "q95": None}
                for base, rank in ranks.items()
            ],
        }

    a, b, c = "MIE-2016-001", "MIE-2016-002", "MIE-2016-003"
    payload = {
        **sample_payload,
        "index_runs": [
            run(1, 2018, {a: 3, b: 2, c: 1}),  # an older version: left out
            run(2, 2016, {a: 3, b: 1, c: 2}),
            run(2, 2017, {a: 1, b: 2, c: 3}),
            run(2, 2018, {a: 1, b: 2}),
        ],
    }

    (table,) = content.rankings_section(payload, "zh")

    assert table["title"] == "区域指数 (region-index v2, 2018)"
    assert table["change_label"] == "较2016年排名变化"
    assert [(r["base"], r["rank"], r["change"], r["query"]) for r in table["rows"]] == [
        (a, 1, "↑2", f"base={a}&year=2018"),
        (b, 2, "↓1", f"base={b}&year=2018"),
    ]


def test_lineage_of_a_base_in_a_ranking(sample_payload):
    from mieval.core.reports.lineage import LineageError, lineage_base

    payload = {
        **sample_payload,
        "index_runs": [
            {
                "framework": "region-index",
                "version": 2,
                "name_zh": "区",
                "name_en": "R",
                "year": 2018,
                "input_hash": "0" * 64,
                "scores": [
                    {"base": "MIE-2016-001", "score": 70.5, "rank": 1, "q05": 1.0, "q95": 2.0}
                ],
            }
        ],
    }

    found = lineage_base(payload, base="MIE-2016-001", year=2018)

    mine = [v for v in payload["values"] if v[0] == "MIE-2016-001" and v[2] == 2018]
    assert found.rows[["indicator_code", "value"]].values.tolist() == sorted(
        [[i, v] for _, i, _, v in mine]
    )
    assert found.ranks == [
        {
            "framework": "region-index",
            "version": 2,
            "year": 2018,
            "score": 70.5,
            "rank": 1,
            "q05": 1.0,
            "q95": 2.0,
        }
    ]
    assert lineage_base(payload, base="MIE-2016-001", year=2016).ranks == []
    with pytest.raises(LineageError, match="base 'X' is not in the snapshot"):
        lineage_base(payload, base="X")
    with pytest.raises(LineageError, match="year 2030 is outside"):
        lineage_base(payload, base="MIE-2016-001", year=2030)


def test_findings_section_states_the_posters_growth_figures(sample_payload):
    # The poster's table: national talent 59 -> 603 (219.7% a year), patents 285 -> 309 (4.1%).
    en = content.findings_section(sample_payload, "en")["items"]
    zh = content.findings_section(sample_payload, "zh")["items"]

    assert [item["key"] for item in en[:3]] == ["headline", "growth_fastest", "growth_slowest"]
    assert [item["key"] for item in zh] == [item["key"] for item in en]
    assert "“High-level personnel at the national level” grew fastest" in en[1]["text"]
    assert "219.7% from 2016 to 2018 (59 in 2016, 603 in 2018" in en[1]["text"]
    assert "“专利授权数量”增长最慢：2016—2018年基地平均值年均增长4.1%" in zh[2]["text"]
    assert en[1]["query"] == "indicator=national_talent"
    assert en[2]["query"] == "indicator=patents_granted"


def test_a_lead_or_lag_finding_links_to_the_groups_growth(sample_payload):
    from mieval.core.reports.lineage import lineage_group

    items = {i["key"]: i for i in content.findings_section(sample_payload, "en")["items"]}
    lag = items["category_lag:enterprise"]

    assert lag["query"] == "group_field=category&group=enterprise"
    rows = lineage_group(sample_payload, group_field="category", group="enterprise").rows
    # "only 1 of the 8 indicators compared grew faster than all bases" (the finding)
    assert "only 1 of the 8 indicators" in lag["text"]
    assert (rows["leads"] == True).sum() == 1  # noqa: E712 (object column)
    assert rows["leads"].notna().sum() == 8


def test_every_finding_link_leads_to_its_values(sample_payload):
    from urllib.parse import parse_qsl

    from mieval.core.reports.lineage import lineage_group, lineage_values

    linked = [i for i in content.findings_section(sample_payload, "en")["items"] if i["query"]]

    rows = {}
    for item in linked:
        params = dict(parse_qsl(item["query"]))
        lineage = lineage_values if "indicator" in params else lineage_group
        rows[item["key"]] = (item["query"], len(lineage(sample_payload, **params).rows))
    # An indicator's link: its reported values of 2016-2018 (one row each); a group's link:
    # the indicators whose growth the group and all bases both have (one row each).
    # The second batch reports from 2017 on: fewer values, and changes driven by its joining.
    university = "group_field=category&group=university_institute"
    enterprise = "group_field=category&group=enterprise"
    assert rows == {
        "growth_fastest": ("indicator=national_talent", 254),
        "growth_slowest": ("indicator=patents_granted", 255),
        "category_lead:university_institute": (university, 8),
        "category_lag:enterprise": (enterprise, 8),
        "subcategory_lead:county": ("group_field=subcategory&group=county", 10),
        "subcategory_lag:state_owned": ("group_field=subcategory&group=state_owned", 8),
        "jobs_created": ("indicator=new_urban_employment", 136),
        "composition_entry:univ_ie_education_investment": (
            "indicator=univ_ie_education_investment",
            61,
        ),
        "composition_entry:university_institute:provincial_rd_centres": (
            f"indicator=provincial_rd_centres&{university}",
            63,
        ),
        "composition_entry:enterprise:provincial_rd_centres": (
            f"indicator=provincial_rd_centres&{enterprise}",
            63,
        ),
        "composition_entry:university_institute:patents_granted": (
            f"indicator=patents_granted&{university}",
            63,
        ),
        "composition_entry:enterprise:patents_granted": (
            f"indicator=patents_granted&{enterprise}",
            61,
        ),
        "composition_entry:university_institute:univ_enterprise_coop": (
            f"indicator=univ_enterprise_coop&{university}",
            60,
        ),
    }


PRACTICES = {
    "campaign": "demo",
    "reforms": {
        "total": 5,
        "areas": [
            {
                "code": "talent",
                "name_zh": "人才",
                "name_en": "Talent",
                "total": 3,
                "by_category": {"region": 2, "enterprise": 1},
            },
            {
                "code": "land_space",
                "name_zh": "土地与空间",
                "name_en": "Land and space",
                "total": 0,
                "by_category": {},
            },
            {
                "code": "ip",
                "name_zh": "知识产权",
                "name_en": "Intellectual property",
                "total": 2,
                "by_category": {"region": 2},
            },
        ],
        "by_category": {"region": 4, "enterprise": 1},
        "by_region_group": {"east": 5},
        "items": [],
        "linked_measures": 0,
    },
    "cases": [
        {
            "id": 1,
            "kind": "case",
            "subkind": "platform",
            "name_zh": "众创空间联盟",
            "name_en": "",
            "base_code": "MIE-2016-001",
            "base_name_zh": "演示基地一",
            "base_name_en": "Demo base one",
            "category": "region",
            "region_group": "east",
            "year": 2018,
            "story_zh": "联盟服务了三百家初创企业。",
            "story_en": "",
            "reason": "可复制",
        }
    ],
    "people": [],
}
EXCHANGE = {
    "total": 4,
    "by_status": {
        "proposed": 1,
        "contacted": 1,
        "agreed": 1,
        "done": 0,
        "declined": 1,
        "withdrawn": 0,
    },
    "east_central_west": {"proposed": 0, "contacted": 1, "agreed": 1},
    "cross_type": {"agreed": 1},
    "mutual": 2,
}


def test_practices_and_exchange_sections(sample_payload):
    payload = {**sample_payload, "practices": PRACTICES, "exchange": EXCHANGE}

    practices = content.practices_section(payload, "en")
    exchange = content.exchange_section(payload, "zh")

    assert practices["categories"] == ["Region", "Enterprise"]
    assert practices["rows"] == [
        {"name": "Talent", "counts": [2, 1], "total": 3},
        {"name": "Intellectual property", "counts": [2, 0], "total": 2},
    ]
    assert (practices["category_totals"], practices["total"]) == ([4, 1], 5)
    # The case has no English name or story: the report shows the Chinese ones.
    assert practices["cases"] == [
        {
            "name": "众创空间联盟",
            "base": "Demo base one",
            "year": 2018,
            "story": "联盟服务了三百家初创企业。",
        }
    ]
    assert exchange["rows"][:3] == [
        {"status": "已发起", "all": 1, "east_central_west": 0, "cross_type": 0},
        {"status": "已对接", "all": 1, "east_central_west": 1, "cross_type": 0},
        {"status": "已达成合作", "all": 1, "east_central_west": 1, "cross_type": 1},
    ]
    keys = [item["key"] for item in content.findings_section(payload, "en")["items"]]
    assert keys[-4:] == ["reforms_total", "reforms_by_category", "typical", "exchange_requests"]
    exchange_finding = content.findings_section(payload, "zh")["items"][-1]
    assert exchange_finding["text"] == (
        "供需对接平台上示范基地之间共发起对接请求4项，其中2项双方均已同意联系，"
        "东部与中西部基地之间的请求2项。"
    )


def test_sections_without_practices_or_exchange_are_empty(sample_payload):
    assert content.practices_section(sample_payload, "zh") is None
    assert content.exchange_section(sample_payload, "zh") is None


def test_lineage_lists_the_values_behind_a_trend_figure(sample_payload):
    from mieval.core.reports.lineage import LineageError, lineage_values

    # given the report's first figure: new market entities, all bases, 2016 (11,740, n=16: the
    # first batch's region bases)
    lineage = lineage_values(sample_payload, indicator="new_market_entities", year=2016)
    # then the values behind it are 16 and their mean is the figure
    assert len(lineage.rows) == 16
    assert lineage.figures == [
        {"year": 2016, "stat": "mean", "value": lineage.rows["value"].mean(), "n": 16}
    ]
    assert round(lineage.figures[0]["value"]) == 11740
    # a group narrows it to the group's bases
    county = lineage_values(
        sample_payload,
        indicator="new_market_entities",
        group_field="subcategory",
        group="county",
        year=2016,
    )
    assert set(county.rows["group"]) == {"county"}
    assert county.figures[0]["n"] == len(county.rows)
    with pytest.raises(LineageError, match="indicator 'nope' is not in the snapshot"):
        lineage_values(sample_payload, indicator="nope")
    with pytest.raises(LineageError, match="year 2030 is outside the snapshot's years 2016-2018"):
        lineage_values(sample_payload, indicator="new_market_entities", year=2030)


def test_the_classification_names_the_batches(sample_payload):
    h = payload_hash(sample_payload)

    zh = content.report_content(sample_payload, "zh", content_hash=h)["classification"]
    en = content.report_content(sample_payload, "en", content_hash=h)["classification"]

    assert zh["batch_names"] == ["首批（2016年）", "第二批（2017年）"]
    assert en["batch_names"] == ["First batch (2016)", "Second batch (2017)"]
    html = render.report_html(content.report_content(sample_payload, "zh", content_hash=h))
    assert '<th class="num">首批（2016年）</th><th class="num">第二批（2017年）</th>' in html
