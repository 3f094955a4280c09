"""The judgement sections through a published snapshot: the records frozen by the selectors, the
report's sections built from them, the problems lineage (page and API) and who may read it.

Campaign ``c`` with the panels of ``panels.tests.conftest`` (panel 1: X01 local association,
professional and operational; X02 national society, professional; X03 third party,
operational; bases R1, R2, U1. Panel 2: X04 local association, professional; X05 national
society, operational; X06 third party, professional; bases U2, E1), R1's visit recorded (one
contact) and the register of ``rectification.tests.conftest`` (confirmed: R1 serious
east_west_exchange with an action, U1 moderate corporate_credit, E1 minor
vitality_livelihoods; one proposed and one dismissed problem of R1 left out)."""

import io

import docx
import pytest

from mieval.collection.tests.review_helpers import clock  # noqa: F401
from mieval.panels.tests.conftest import published, roster, rubric  # noqa: F401
from mieval.rectification.tests.conftest import filed  # noqa: F401
from mieval.reports.build import report_build
from mieval.reports.services import snapshot_publish
from mieval.visits.tests.conftest import frank, leaders, record_r1, visit_r1  # noqa: F401


@pytest.fixture
def snapshot(clock, record_r1, filed, alice):  # noqa: F811
    return snapshot_publish(campaign=record_r1.visit.campaign, user=alice)


@pytest.mark.django_db
def test_the_snapshot_freezes_the_judgement_records(snapshot, filed):  # noqa: F811
    records = snapshot.payload["judgement"]

    assert records["experts"] == [
        {"year": 2026, "kind": "local_association", "experts": 2, "expert_times": 5},
        {"year": 2026, "kind": "national_society", "experts": 2, "expert_times": 5},
        {"year": 2026, "kind": "third_party", "experts": 2, "expert_times": 5},
    ]
    kinds = {"local_association": 1, "national_society": 1, "third_party": 1}
    assert records["panels"] == [
        {"number": 1, "members": 3, "professional": 2, "operational": 2, "kinds": kinds,
         "bases": 3},
        {"number": 2, "members": 3, "professional": 2, "operational": 1, "kinds": kinds,
         "bases": 2},
    ]  # fmt: skip
    assert records["visits"] == {
        "planned": 1,
        "made": 1,
        "bases": 1,
        "by_region_group": {"east": 1, "central_west": 0, "northeast": 0},
    }
    assert records["grassroots"] == {"panel_members": 3, "visit_contacts": 1, "nominated": 0}
    assert records["exchange"]["total"] == 0
    assert [
        (p["id"], p["base"], p["type"], p["severity"], p["region_group"], p["action_en"])
        for p in records["problems"]
    ] == [
        (filed["r1"].pk, "R1", "east_west_exchange", "serious", "east",
         "Pair with a western base."),
        (filed["u1"].pk, "U1", "corporate_credit", "moderate", "central_west", ""),
        (filed["e1"].pk, "E1", "vitality_livelihoods", "minor", "east", ""),
    ]  # fmt: skip
    assert [t["code"] for t in records["problem_types"]][:2] == [
        "east_west_exchange",
        "service_incentives",
    ]


@pytest.mark.django_db
def test_the_report_prints_the_narrative_on_top_of_the_computed_sections(snapshot):
    from mieval.reports.models import Snapshot

    html = report_build(
        snapshot.payload, content_hash=snapshot.content_hash, lang="zh", fmt="html", lineage="L?"
    ).decode()

    practices = html[html.index('id="practices"') : html.index('id="problems"')]
    # No narrative written yet, but the records speak: no "not written" placeholder.
    assert "分析人员尚未撰写本部分" not in practices
    assert (
        "2026年评估共组织专家6人、15人次，其中地方科协2人、全国学会2人、第三方机构2人。"
        in practices
    )
    assert "专家组实地考察示范基地1个，完成实地考察1次（计划1次），其中东部1次。" in practices
    problems = html[html.index('id="problems"') : html.index('id="recommendations"')]
    assert (
        "问题清单共确认问题3项，涉及示范基地3个、问题类型3类，其中严重1项、一般1项、轻微1项。"
        in (problems)
    )
    assert '<a href="L?kind=problems&amp;type=east_west_exchange">1</a>' in problems
    recommendations = html[html.index('id="recommendations"') : html.index('id="annex"')]
    assert "<li>建立东西部基地结对交流机制。" in recommendations
    # A snapshot is rebuilt from its payload alone: the same report.
    again = Snapshot.objects.get(pk=snapshot.pk)
    assert (
        report_build(again.payload, content_hash=again.content_hash, lang="zh", fmt="html",
                     lineage="L?").decode()
        == html
    )  # fmt: skip


@pytest.mark.django_db
def test_a_narrative_is_printed_above_the_records(snapshot, alice):
    from mieval.reports.services import narrative_save

    campaign = snapshot.campaign
    narrative_save(
        campaign=campaign, kind="problems", text_zh="分析人员的判断。", text_en="", version=0,
        user=alice,
    )  # fmt: skip
    later = snapshot_publish(campaign=campaign, user=alice)
    html = report_build(
        later.payload, content_hash=later.content_hash, lang="zh", fmt="html"
    ).decode()

    problems = html[html.index('id="problems"') : html.index('id="recommendations"')]
    assert problems.index("分析人员的判断。") < problems.index("问题清单共确认问题3项")
    assert "分析人员尚未撰写本部分" not in problems


@pytest.mark.django_db
def test_the_docx_report_carries_the_same_section_texts_as_the_html(snapshot):
    from mieval.core.reports.content import report_content

    for lang in ("zh", "en"):
        data = report_build(
            snapshot.payload, content_hash=snapshot.content_hash, lang=lang, fmt="docx"
        )
        document = docx.Document(io.BytesIO(data))
        paragraphs = [p.text for p in document.paragraphs]
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        content = report_content(snapshot.payload, lang, content_hash=snapshot.content_hash)
        for section in content["narrative"]:
            assert section["title"] in paragraphs
            for line in section["sentences"]:
                assert line["text"] in paragraphs
            for table in section["tables"]:
                assert table["title"] in paragraphs
                for row in table["rows"]:
                    assert all(cell["text"] in cells for cell in row["cells"])
            for group in section["groups"]:
                assert [i["text"] for i in group["items"]] == [
                    p for p in paragraphs if p in {i["text"] for i in group["items"]}
                ]
        assert content["summary"][0] in paragraphs
        # Chinese in a CJK font, as Word needs it.
        fonts = document.styles["Normal"].element.rPr.rFonts
        assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    # The same content gives the same bytes.
    assert data == report_build(
        snapshot.payload, content_hash=snapshot.content_hash, lang="en", fmt="docx"
    )


@pytest.mark.django_db
def test_the_xlsx_report_carries_the_judgement_sentences_and_tables(snapshot):
    import openpyxl

    data = report_build(snapshot.payload, content_hash=snapshot.content_hash, lang="zh", fmt="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))

    narrative = [tuple(r) for r in book["narrative"].iter_rows(min_row=2, values_only=True)]
    assert (
        "problems",
        "records",
        None,
        "问题清单共确认问题3项，涉及示范基地3个、问题类型3类，其中严重1项、一般1项、轻微1项。",
    ) in narrative
    assert (
        "practices",
        "records",
        None,
        "专家组实地考察示范基地1个，完成实地考察1次（计划1次），其中东部1次。",
    ) in narrative
    recommendations = [r for r in narrative if r[0] == "recommendations" and r[2] is not None]
    assert recommendations[0][1:] == (
        "records",
        "东部与中西部示范基地交流机制",
        "建立东西部基地结对交流机制。",
    )
    tables = [tuple(r) for r in book["judgement_tables"].iter_rows(min_row=2, values_only=True)]
    by_type = [r for r in tables if r[0] == "problems" and r[1] == tables_title(snapshot)]
    # The register's three problems, one of each severity: the total row counts them as numbers.
    assert [r[2:] for r in by_type if r[2] == "合计"][:2] == [
        ("合计", "问题数", 3),
        ("合计", "严重", 1),
    ]


def tables_title(snapshot):
    from mieval.core.reports.content import report_content

    content = report_content(snapshot.payload, "zh", content_hash=snapshot.content_hash)
    [problems] = [s for s in content["narrative"] if s["kind"] == "problems"]
    return problems["tables"][0]["title"]


@pytest.mark.django_db
def test_a_base_profile_as_docx_has_the_texts_of_its_html(snapshot, bob, client):
    from mieval.core.reports.content import profiles_content

    client.force_login(bob)
    response = client.get(f"/campaigns/c/reports/{snapshot.content_hash}/profiles/R1-en.docx")
    other = client.get(f"/campaigns/c/reports/{snapshot.content_hash}/profiles/U1-en.docx")

    assert response.status_code == 200
    assert other.status_code == 404
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    (profile,) = profiles_content(
        snapshot.payload, "en", content_hash=snapshot.content_hash, codes=["R1"]
    )
    assert paragraphs[0] == "Region one"
    labels = [row.cells[0].text for row in document.tables[0].rows][1:]
    assert labels == [
        f"{r['label']} ({r['unit']})" if r["unit"] else r["label"] for r in profile["rows"]
    ]
    assert "Strengths" in paragraphs and "Weaknesses" in paragraphs


PAGE_STATUSES = {
    None: 302,
    "ada": 200,
    "alice": 200,
    "victor": 200,
    "bob": 403,
    "carol": 403,
    "erin": 403,
    "oscar": 403,
    "stranger": 403,
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(PAGE_STATUSES))
def test_who_opens_the_problems_lineage(snapshot, everyone, client, who):
    if who is not None:
        client.force_login(everyone[who])
    page = client.get(
        f"/campaigns/c/lineage/?snapshot={snapshot.content_hash}&kind=problems&type=corporate_credit"
    )
    api = client.get(
        f"/api/v1/campaigns/c/snapshots/{snapshot.content_hash}/lineage/problems?type=corporate_credit"
    )

    assert page.status_code == PAGE_STATUSES[who]
    assert api.status_code == {302: 401}.get(PAGE_STATUSES[who], PAGE_STATUSES[who])


@pytest.mark.django_db
def test_the_problems_lineage_lists_the_frozen_problems(snapshot, filed, victor, client):  # noqa: F811
    client.force_login(victor)
    page = client.get(
        f"/campaigns/c/lineage/?snapshot={snapshot.content_hash}&kind=problems&region_group=east",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    api = client.get(
        f"/api/v1/campaigns/c/snapshots/{snapshot.content_hash}/lineage/problems?region_group=east"
    ).json()
    bad = client.get(
        f"/campaigns/c/lineage/?snapshot={snapshot.content_hash}&kind=problems&severity=x"
    )
    bad_api = client.get(
        f"/api/v1/campaigns/c/snapshots/{snapshot.content_hash}/lineage/problems?severity=x"
    )

    assert f'data-problem="{filed["r1"].pk}"' in page
    assert f'data-problem="{filed["e1"].pk}"' in page
    assert f'data-problem="{filed["u1"].pk}"' not in page
    assert "2 confirmed problems behind the count" in page
    assert (api["count"], [p["base"] for p in api["problems"]]) == (2, ["R1", "E1"])
    assert api["problems"][0]["title_en"] == "A problem at R1"
    assert bad.status_code == 400
    assert "severity &#x27;x&#x27; is not one of minor, moderate, serious" in bad.content.decode()
    assert bad_api.status_code == 422


@pytest.mark.django_db
def test_the_records_are_read_in_a_few_queries(clock, record_r1, filed, django_assert_num_queries):  # noqa: F811
    from mieval.reports.selectors import judgement_records

    campaign = record_r1.visit.campaign
    with django_assert_num_queries(7):
        judgement_records(campaign)


@pytest.mark.django_db
def test_the_backbone_register_counts_the_grassroots_staff_where_it_is_kept(
    clock,  # noqa: F811
    record_r1,  # noqa: F811
    filed,  # noqa: F811
    alice,
):
    from mieval.backbone.services import member_record
    from mieval.reports.selectors import judgement_records

    campaign = record_r1.visit.campaign
    for name, role in [("王敏", "panel_member"), ("李强", "nominated"), ("赵丽", "nominated")]:
        member_record(
            campaign=campaign,
            name=name,
            base=campaign.bases.order_by("code").first(),
            role=role,
            user=alice,
        )

    records = judgement_records(campaign)

    assert records["grassroots"] == {"panel_members": 1, "visit_contacts": 0, "nominated": 2}
