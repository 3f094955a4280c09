"""The campaign report's "Statistical audit": its section and XLSX sheet from the snapshot,
on the ASEM audit (``examples/coinr-asem/audit.json``) frozen as an index run's."""

import copy
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mieval.core.reports.content import audit_section, report_content
from mieval.core.reports.payload import payload_hash
from mieval.reports.build import report_build

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "coinr-asem"


@pytest.fixture(scope="module")
def payload(sample_payload):
    audit = json.loads((EXAMPLE / "audit.json").read_text(encoding="utf-8"))
    frozen = copy.deepcopy(sample_payload)
    frozen["index_runs"] = [
        {
            "framework": "asem",
            "version": 1,
            "name_zh": "亚欧互联互通指数",
            "name_en": "ASEM index",
            "year": 2018,
            "input_hash": "a" * 64,
            "scores": [],
            "audit": audit,
        }
    ]
    return frozen


def test_section_reads_the_frozen_audit(payload):
    (section,) = audit_section(payload, "en")
    assert section["title"] == "ASEM index (asem v1, 2018)"
    assert section["coherence"][0] == {
        "code": "Index",
        "alpha": "0.70",
        "first_share": "80",
        "n": 2,
    }
    assert len(section["effects"]) == 59
    assert section["removal"][0] == {
        "code": "Conn", "name": "Conn", "mean": "5.25", "max": "24", "query": None,
    }  # fmt: skip
    assert section["flags"] == (
        "27 negative, 40 weak and 0 nearly redundant correlations; 8 aggregates whose first "
        "component explains under 60%; 5 children loading against the others; 6 children "
        "driving their aggregate less than half as much as their weight says."
    )
    (zh,) = audit_section(payload, "zh")
    assert zh["title"] == "亚欧互联互通指数 (asem v1, 2018)"


def test_an_indicator_links_to_the_lineage_of_its_values(payload):
    # the sample's indicators are the built-in twelve: give one ASEM code a built-in's place
    frozen = copy.deepcopy(payload)
    frozen["indicators"][0]["code"] = "LPI"
    (section,) = audit_section(frozen, "en")
    lpi = next(r for r in section["effects"] if r["code"] == "LPI")
    assert lpi["query"] == "indicator=LPI&year=2018"


def test_a_snapshot_without_an_audit_has_an_empty_section(sample_payload):
    assert audit_section(sample_payload, "en") == []
    content = report_content(sample_payload, "en", content_hash="h")
    assert content["audit"] == []


def test_html_and_xlsx_carry_the_audit(payload):
    from openpyxl import load_workbook

    h = payload_hash(payload)
    html = report_build(payload, content_hash=h, lang="en", fmt="html").decode()
    assert '<h2 id="audit">Statistical audit</h2>' in html
    assert "27 negative, 40 weak" in html
    book = load_workbook(io.BytesIO(report_build(payload, content_hash=h, lang="en", fmt="xlsx")))
    rows = list(book["audit"].iter_rows(values_only=True))
    assert rows[0] == (
        "framework", "version", "year", "table", "parent", "code", "other", "measure", "value",
    )  # fmt: skip
    # 213 pairs x 2, 11 alphas, 11 shares + 49 + 10 loadings, 59 x 3 effects, 59 x 2, 86 flags
    assert len(rows) - 1 == 426 + 11 + 11 + 59 + 177 + 118 + 86
    assert rows[1] == ("asem", 1, 2018, "correlations", "Physical", "LPI", "Flights", "pearson",
                       pytest.approx(0.4044406275947218, abs=1e-15))  # fmt: skip


class _AuditSectionHtml(HTMLParser):
    """The HTML report's audit section in reading order: ``("p", text)`` for a heading or a
    paragraph, ``("table", rows)`` for a table (rows of cell texts, the header first)."""

    def __init__(self):
        super().__init__()
        self.blocks, self.inside, self.text, self.rows = [], False, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self.inside = dict(attrs).get("id") == "audit"
        if not self.inside:
            return
        if tag in ("h2", "h3", "p", "th", "td"):
            self.text = ""
        elif tag == "table":
            self.rows = []
        elif tag == "tr":
            self.rows.append([])

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "table":
            self.blocks.append(("table", self.rows))
        elif self.text is not None and tag in ("th", "td"):
            self.rows[-1].append(self.text.strip())
            self.text = None
        elif self.text is not None and tag in ("h2", "h3", "p"):
            self.blocks.append(("p", self.text.strip()))
            self.text = None

    def handle_data(self, data):
        if self.inside and self.text is not None:
            self.text += data


def _docx_audit_section(document) -> list[tuple]:
    """The DOCX report's blocks from the heading of the audit to the next top heading, empty
    paragraphs left out, in the same form as :class:`_AuditSectionHtml`'s."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks, inside = [], False
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            p = Paragraph(element, document)
            if p.style.name == "Heading 1":
                inside = p.text in AUDIT_TITLES
            if inside and p.text:
                blocks.append(("p", p.text))
        elif element.tag.endswith("}tbl") and inside:
            table = Table(element, document)
            blocks.append(("table", [[c.text for c in row.cells] for row in table.rows]))
    return blocks


AUDIT_TITLES = {"统计审核", "Statistical audit"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_docx_report_carries_the_same_audit_texts_as_the_html(payload, lang):
    # given the report of the frozen ASEM audit, as HTML and as DOCX
    import docx

    h = payload_hash(payload)
    html = report_build(payload, content_hash=h, lang=lang, fmt="html").decode()
    data = report_build(payload, content_hash=h, lang=lang, fmt="docx")
    document = docx.Document(io.BytesIO(data))
    parser = _AuditSectionHtml()
    parser.feed(html)

    # then the DOCX's audit section has the HTML's headings, paragraphs and tables, in order
    assert _docx_audit_section(document) == parser.blocks
    # the section's heading, the run's title, the note, three tables, the flags
    assert [kind for kind, _ in parser.blocks] == ["p", "p", "p", "table", "table", "table", "p"]
    tables = [rows for kind, rows in parser.blocks if kind == "table"]
    assert [len(rows) for rows in tables] == [1 + 11, 1 + 59, 1 + 10]
    if lang == "en":
        assert tables[0][:2] == [
            ["Aggregate", "Cronbach's alpha", "First component's share (%)"],
            ["Index", "0.70", "80"],
        ]
        assert tables[2][1] == ["Conn", "5.25", "24"]
        assert parser.blocks[-1][1].startswith("Flags of the audit: 27 negative, 40 weak")
    else:
        assert parser.blocks[0] == ("p", "统计审核")
        assert parser.blocks[1] == ("p", "亚欧互联互通指数 (asem v1, 2018)")


def test_each_figure_of_an_indicator_links_to_its_values_in_the_html(payload):
    # given the frozen ASEM audit where LPI is the snapshot's indicator new_market_entities,
    # its removal shown first (it moves the ranks too little to be among the ten otherwise)
    frozen = copy.deepcopy(payload)
    audit = frozen["index_runs"][0]["audit"]
    for r in audit["main_effects"]:
        r["code"] = "new_market_entities" if r["code"] == "LPI" else r["code"]
    audit["removal"] = [r for r in audit["removal"] if r["code"] != "LPI"]
    audit["removal"].insert(
        0,
        {"code": "new_market_entities", "mean_abs_rank_change": 99.0, "max_abs_rank_change": 120.0},
    )
    (section,) = audit_section(frozen, "en")
    effect = next(r for r in section["effects"] if r["code"] == "new_market_entities")
    h = payload_hash(frozen)
    prefix = f"/campaigns/file/lineage/?snapshot={h}&"

    html = report_build(frozen, content_hash=h, lang="en", fmt="html", lineage=prefix).decode()

    # then its importance share and both of its removal figures link to its 2018 values
    link = (
        f'<a href="/campaigns/file/lineage/?snapshot={h}'
        '&amp;indicator=new_market_entities&amp;year=2018">'
    )
    assert f'<td class="num">{link}{effect["share"]}</a></td>' in html
    assert (
        f'<tr><td>{effect["name"]}</td><td class="num">{link}99.00</a></td>'
        f'<td class="num">{link}120</a></td></tr>'
    ) in html
    # an aggregate's figures have no values of their own in the snapshot: no link
    assert '<tr><td>Conn</td><td class="num">5.25</td><td class="num">24</td></tr>' in html
    assert '<tr><td>Index</td><td class="num">0.70</td><td class="num">80</td></tr>' in html


@pytest.mark.django_db
def test_a_published_runs_audit_links_to_lineage_pages_that_open(client, campaign_c, alice, victor):
    # given the tiny index's 2016 run of campaign c, then a published snapshot
    from mieval.analytics.services import index_framework_create
    from mieval.analytics.tests.test_index_run import TINY, run_index
    from mieval.registry.models import Category
    from mieval.reports.services import snapshot_publish

    tiny = index_framework_create(
        code="tiny", category=Category.objects.get(code="region"), name_zh="小指数",
        name_en="Tiny index", text=TINY,
    )  # fmt: skip
    run_index(campaign_c, tiny, alice, runs=0)
    snapshot = snapshot_publish(campaign=campaign_c, user=alice, note="audit", build=False)
    client.force_login(victor)

    html = client.get(f"/campaigns/c/reports/{snapshot.content_hash}/report-en.html")

    # then removing new_market_entities moves R1 one place (test_index_run): 1.00 and 1,
    # each linked to the indicator's 2016 values, and the link opens
    link = (
        f"/campaigns/c/lineage/?snapshot={snapshot.content_hash}"
        "&amp;indicator=new_market_entities&amp;year=2016"
    )
    page = html.content.decode()
    assert (
        f'<td class="num"><a href="{link}">1.00</a></td><td class="num"><a href="{link}">1</a></td>'
    ) in page
    assert client.get(link.replace("&amp;", "&")).status_code == 200
