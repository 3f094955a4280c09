"""The export of all reports: the XLSX read back with openpyxl, the PDF's text with pypdfium2."""

import io

import pytest

from mieval.selfeval.export import reports_html, reports_pdf, reports_xlsx
from mieval.selfeval.selectors import EXPORT_COLUMNS
from mieval.selfeval.services import report_return, report_save, report_submit
from mieval.selfeval.tests.conftest import TEXTS, base

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(campaign_c, template, bob, carol, alice):
    r1 = report_save(
        campaign=campaign_c, base=base("R1"), texts=TEXTS, expected_version=0, user=bob
    )
    r1 = report_submit(report=r1, expected_version=1, user=bob)
    report_return(
        report=r1,
        expected_version=2,
        comment="请核对数据。",
        section_comments={"problems": "过于笼统。"},
        user=alice,
    )
    report_save(
        campaign=campaign_c, base=base("U1"), expected_version=0, user=carol,
        texts={"progress": "=HYPERLINK(\"http://evil.example\")", "problems": "-5"},
    )  # fmt: skip


def test_the_xlsx_has_one_row_per_base_and_section(campaign_c, reports):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(reports_xlsx(campaign_c))).active
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0] == EXPORT_COLUMNS
    assert len(rows) == 1 + 2 * 5
    assert rows[1] == (
        "R1",
        "区域一",
        "Region one",
        "returned",
        1,
        "progress",
        "工作进展与成效",
        "Progress and results",
        TEXTS["progress"],
        len(TEXTS["progress"]),
        None,
    )
    assert rows[3][5:] == (
        "problems",
        "问题与制约",
        "Problems and constraints",
        TEXTS["problems"],
        16,
        "过于笼统。",
    )
    assert [r[0] + ":" + r[5] for r in rows[6:]] == [
        "U1:progress",
        "U1:experience",
        "U1:problems",
        "U1:next_steps",
        "U1:policy_requests",
    ]


def test_the_xlsx_keeps_formula_like_text_as_text(campaign_c, reports):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(reports_xlsx(campaign_c))).active
    progress, problems = sheet["I7"], sheet["I9"]

    assert (progress.value, progress.data_type) == ('\'=HYPERLINK("http://evil.example")', "s")
    assert (problems.value, problems.data_type) == ("-5", "s")


def test_the_pdf_holds_every_report_with_its_titles_and_comments(campaign_c, reports):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(reports_pdf(campaign_c, lang="zh"))
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    flat = "".join(text.split())

    assert len(pdf) == 3  # a title page and one page per report
    assert "自评报告" in flat
    assert "区域一(R1)" in flat
    assert "1.工作进展与成效" in flat
    assert "".join(TEXTS["progress"].split()) in flat
    assert "评估办公室意见:请核对数据。" in flat
    assert "状态:已退回修改·模板第1版" in flat
    assert "高校一(U1)" in flat


def test_the_english_pdf_has_english_titles(campaign_c, reports):
    html = reports_html(campaign_c, lang="en")

    assert "1. Progress and results" in html
    assert "Region one (R1)" in html
    assert "State: returned for changes" in html
