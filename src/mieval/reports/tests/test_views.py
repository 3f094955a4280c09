"""The reports page, downloads, narrative editor, profiles job, lineage page and API."""

import io
import zipfile

import docx
import pytest

from mieval.reports.models import NarrativeSection, ReportFile
from mieval.reports.services import snapshot_publish


@pytest.fixture
def published(campaign_c, alice):
    return snapshot_publish(campaign=campaign_c, user=alice, note="first", build=False)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def test_reports_page_by_role(client, everyone, published):
    url = "/campaigns/c/reports/"
    expected = {
        "ada": 200,
        "alice": 200,
        "victor": 200,
        "bob": 200,
        "carol": 200,
        "erin": 403,
        "oscar": 403,
        "stranger": 403,
    }
    for name, status in expected.items():
        client.force_login(everyone[name])
        assert client.get(url).status_code == status, name
    client.force_login(everyone["alice"])
    page = client.get(url).content.decode()
    assert published.short_hash in page and 'id="publish-form"' in page
    client.force_login(everyone["victor"])
    page = client.get(url).content.decode()
    assert published.short_hash in page and 'id="publish-form"' not in page
    client.force_login(everyone["bob"])
    page = client.get(url).content.decode()
    assert f"/reports/{published.content_hash}/profiles/R1-zh.pdf" in page
    assert 'id="snapshots"' not in page


def test_analyst_publishes_a_snapshot_with_a_note(client, alice, campaign_c, victor):
    client.force_login(victor)
    assert client.post("/campaigns/c/reports/publish/", {"note": "x"}).status_code == 403
    client.force_login(alice)
    response = client.post("/campaigns/c/reports/publish/", {"note": "after review"})
    assert response.status_code == 302
    snapshot = campaign_c.snapshots.get()
    assert (snapshot.sequence, snapshot.note, snapshot.created_by) == (1, "after review", alice)


def test_downloads_are_built_once_and_stored(client, victor, published):
    client.force_login(victor)
    url = f"/campaigns/c/reports/{published.content_hash}/report-en.html"
    first = client.get(url)
    assert first.status_code == 200
    assert first["Content-Disposition"] == 'attachment; filename="c-report-1-en.html"'
    assert published.content_hash.encode() in first.content
    stored = ReportFile.objects.get(snapshot=published, kind="campaign", lang="en", fmt="html")
    again = client.get(url)
    assert again.content == first.content
    assert ReportFile.objects.filter(snapshot=published).count() == 1
    assert stored.sha256 == __import__("hashlib").sha256(first.content).hexdigest()
    xlsx = client.get(f"/campaigns/c/reports/{published.content_hash[:10]}/report-zh.xlsx")
    assert xlsx.status_code == 200
    assert (
        client.get(f"/campaigns/c/reports/{published.content_hash}/report-fr.html").status_code
        == 404
    )
    assert client.get("/campaigns/c/reports/ffffffffff/report-en.html").status_code == 404


def test_base_officer_downloads_only_the_own_profile(client, bob, published):
    client.force_login(bob)
    own = client.get(f"/campaigns/c/reports/{published.content_hash}/profiles/R1-en.pdf")
    assert own.status_code == 200
    assert own.content.startswith(b"%PDF")
    other = client.get(f"/campaigns/c/reports/{published.content_hash}/profiles/U1-en.pdf")
    assert other.status_code == 404
    report = client.get(f"/campaigns/c/reports/{published.content_hash}/report-en.pdf")
    assert report.status_code == 403


def test_narrative_editor_saves_and_detects_conflicts(client, alice, campaign_c, victor):
    url = "/campaigns/c/reports/narrative/problems/"
    client.force_login(victor)
    assert client.get(url).status_code == 403
    client.force_login(alice)
    assert client.get(url).status_code == 200
    assert client.get("/campaigns/c/reports/narrative/nope/").status_code == 404
    saved = client.post(
        url, {"text_zh": "激励不足。", "text_en": "Few incentives.", "version": "0"}
    )
    assert saved.status_code == 302
    section = NarrativeSection.objects.get(campaign=campaign_c, kind="problems")
    assert (section.text_zh, section.version) == ("激励不足。", 1)
    stale = client.post(
        url, {"text_zh": "旧", "text_en": "old", "version": "0"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert stale.status_code == 409
    section.refresh_from_db()
    assert section.text_en == "Few incentives."


def test_profiles_job_writes_a_zip_with_every_base(client, alice, published):
    from mieval.jobs.worker import run_next

    client.force_login(alice)
    response = client.post(
        f"/campaigns/c/reports/{published.content_hash}/profiles/", {"lang": "zh"}
    )
    assert response.status_code == 302
    job = run_next()
    assert job.state == "done", job.error
    assert job.result["count"] == 5
    zipped = client.get(job.result["url"])
    assert zipped.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(zipped.content))
    codes = ["E1", "R1", "R2", "U1", "U2"]
    assert archive.namelist() == [f"{c}-zh.{fmt}" for c in codes for fmt in ("docx", "pdf")]
    # Each profile twice, with the same text: the DOCX opens with python-docx and names its base.
    profile = docx.Document(io.BytesIO(archive.read("R1-zh.docx")))
    text = "\n".join(p.text for p in profile.paragraphs)
    [r1] = [b for b in published.payload["bases"] if b["code"] == "R1"]
    assert r1["name_zh"] in text
    assert archive.read("R1-zh.pdf").startswith(b"%PDF-")


def test_lineage_page_and_api_list_the_values_behind_a_figure(client, victor, bob, published):
    client.force_login(victor)
    query = f"snapshot={published.content_hash}&indicator=patents_granted&year=2016"
    page = client.get(f"/campaigns/c/lineage/?{query}")
    assert page.status_code == 200
    api = client.get(
        f"/api/v1/campaigns/c/snapshots/{published.content_hash}/lineage"
        "?indicator=patents_granted&year=2016"
    )
    assert api.status_code == 200
    body = api.json()
    values = [v for v in published.payload["values"] if v[1] == "patents_granted" and v[2] == 2016]
    assert body["values"] == [{"base_code": b, "year": 2016, "value": x} for b, _, _, x in values]
    assert body["figures"] == [
        {
            "year": 2016,
            "stat": "mean",
            "value": sum(v[3] for v in values) / len(values),
            "n": len(values),
        }
    ]
    for v in values:
        assert f"<td>{v[0]}</td>" in page.content.decode()
    bad = client.get(f"/campaigns/c/lineage/?snapshot={published.content_hash}&indicator=nope")
    assert bad.status_code == 400
    bad_api = client.get(
        f"/api/v1/campaigns/c/snapshots/{published.content_hash}/lineage?indicator=nope"
    )
    assert bad_api.status_code == 422
    listed = client.get("/api/v1/campaigns/c/snapshots").json()
    assert [(s["sequence"], s["content_hash"], s["note"]) for s in listed] == [
        (1, published.content_hash, "first")
    ]
    client.force_login(bob)
    assert client.get("/api/v1/campaigns/c/snapshots").status_code == 403
    assert client.get(f"/campaigns/c/lineage/?{query}").status_code == 403
    assert (
        client.get(
            f"/api/v1/campaigns/c/snapshots/{published.content_hash}/lineage?indicator=x"
        ).status_code
        == 403
    )


def test_lineage_of_a_base_lists_its_values_and_index_results(client, victor, bob, published):
    # The fixture campaign's R1: new_market_entities 100/121/144, patents_granted 10 (2016),
    # 12 (2018); no index run in this snapshot.
    client.force_login(victor)
    h = published.content_hash

    page = client.get(f"/campaigns/c/lineage/?snapshot={h}&base=R1&year=2016")
    api = client.get(f"/api/v1/campaigns/c/snapshots/{h}/lineage/bases/R1?year=2016")

    assert page.status_code == 200
    html = page.content.decode()
    assert "<td>new_market_entities</td>" in html and "<td>patents_granted</td>" in html
    assert f'href="/api/v1/campaigns/c/snapshots/{h}/lineage/bases/R1?year=2016"' in html
    assert api.json() == {
        "base": "R1",
        "year": 2016,
        "ranks": [],
        "expert": None,
        "values": [
            {"indicator_code": "new_market_entities", "year": 2016, "value": 100.0},
            {"indicator_code": "patents_granted", "year": 2016, "value": 10.0},
        ],
    }
    every_year = client.get(f"/api/v1/campaigns/c/snapshots/{h}/lineage/bases/R1").json()
    assert [(v["indicator_code"], v["year"]) for v in every_year["values"]] == [
        ("new_market_entities", 2016),
        ("patents_granted", 2016),
        ("new_market_entities", 2017),
        ("new_market_entities", 2018),
        ("patents_granted", 2018),
    ]
    assert client.get(f"/campaigns/c/lineage/?snapshot={h}&base=ZZ").status_code == 400
    assert client.get(f"/api/v1/campaigns/c/snapshots/{h}/lineage/bases/ZZ").status_code == 422
    assert client.get(f"/campaigns/c/lineage/?snapshot={h}").status_code == 400
    client.force_login(bob)
    assert client.get(f"/api/v1/campaigns/c/snapshots/{h}/lineage/bases/R1").status_code == 403


def test_lineage_of_a_group_compares_its_growth_with_all_bases(client, victor, published):
    # Regions (R1, R2) in the fixture: new market entities mean 200 (2016) -> 144 (2018, R1
    # only), as for all bases (only regions report it); patents R1 10 -> 12, all bases
    # mean 25 (R1 10, U1 40) -> 9.5 (R1 12, E1 7).
    client.force_login(victor)
    h = published.content_hash
    url = f"/api/v1/campaigns/c/snapshots/{h}/lineage/groups/category/region"

    body = client.get(url).json()
    page = client.get(
        f"/campaigns/c/lineage/?snapshot={h}&group_field=category&group=region",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert body["group_field"] == "category" and body["group"] == "region"
    (entities, patents) = body["indicators"]
    assert (entities["indicator"], entities["n_first"], entities["n_last"]) == (
        "new_market_entities",
        2,
        1,
    )
    assert entities["group_cagr"] == pytest.approx((144 / 200) ** 0.5 - 1)
    assert entities["all_cagr"] == pytest.approx((144 / 200) ** 0.5 - 1)
    assert entities["leads"] is False
    assert patents["group_cagr"] == pytest.approx(1.2**0.5 - 1)
    assert patents["all_cagr"] == pytest.approx((9.5 / 25) ** 0.5 - 1)
    assert patents["leads"] is True
    assert "on 1 of the 2 indicators" in page
    assert client.get(url.replace("/region", "/moon")).status_code == 422


def test_the_html_report_links_each_figure_to_its_lineage_page(client, victor, published):
    client.force_login(victor)
    html = client.get(f"/campaigns/c/reports/{published.content_hash}/report-en.html")
    link = (
        f"/campaigns/c/lineage/?snapshot={published.content_hash}"
        "&amp;indicator=patents_granted&amp;year=2016"
    )
    assert link in html.content.decode()
    assert client.get(link.replace("&amp;", "&")).status_code == 200


def test_publishing_queues_the_build_of_every_report_file(client, alice, campaign_c):
    from mieval.jobs.worker import run_next

    client.force_login(alice)
    client.post("/campaigns/c/reports/publish/", {"note": ""})
    snapshot = campaign_c.snapshots.get()
    page = client.get("/campaigns/c/reports/").content.decode()
    assert 'id="pending-jobs"' in page
    job = run_next()
    assert (job.kind, job.state, job.result) == (
        "report_campaign",
        "done",
        {"url": "/campaigns/c/reports/", "files": 8},
    )
    stored = ReportFile.objects.filter(snapshot=snapshot, kind="campaign")
    assert sorted((f.lang, f.fmt) for f in stored) == [
        ("en", "docx"),
        ("en", "html"),
        ("en", "pdf"),
        ("en", "xlsx"),
        ("zh", "docx"),
        ("zh", "html"),
        ("zh", "pdf"),
        ("zh", "xlsx"),
    ]
    pdf = client.get(f"/campaigns/c/reports/{snapshot.content_hash}/report-zh.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert (
        __import__("hashlib").sha256(pdf.content).hexdigest()
        == stored.get(lang="zh", fmt="pdf").sha256
    )
