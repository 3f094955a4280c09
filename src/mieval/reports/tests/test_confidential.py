"""Who reads the experts' comments (issue 13, point 5).

A comment is published (snapshot, profiles, the reports built from them) unless its rubric keeps
comments confidential; then only the office and its writer read it. A confidential comment is
always for the office and its writer only. On the panels app's scoring fixture: experts X01
(erin), X02 and X03 score R1, R2 and U1 under one general rubric; here X01 comments on R1 and
X02 on U1, each with a confidential comment too.
"""

import io
import zipfile

import pytest

from mieval.core.reports.payload import payload_canonical, payload_hash

# The other apps' fixtures, reused rather than copied.
from mieval.exchange.tests.conftest import contacts, posts  # noqa: F401
from mieval.panels.tests.conftest import published, roster, rubric  # noqa: F401
from mieval.panels.tests.test_selectors import scored  # noqa: F401
from mieval.practices.tests.conftest import items  # noqa: F401
from mieval.reports.build import profiles_build, report_build
from mieval.reports.services import snapshot_publish

# ASCII markers inside Chinese sentences: text extraction from the PDFs gives them back exactly.
COMMENTS = {
    ("X01", "R1"): ("孵化成效显著 COMMENTR1", "负责人能力不足 PRIVATER1"),
    ("X02", "U1"): ("成果转化较好 COMMENTU1", "材料疑似夸大 PRIVATEU1"),
}
MARKERS = ("COMMENTR1", "PRIVATER1", "COMMENTU1", "PRIVATEU1")


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def _comment(scored, confidential: bool):  # noqa: F811
    """The scoring fixture's submitted scores with comments on criterion C1, under a rubric
    whose comments are (or are not) confidential."""
    from mieval.panels.models import Rubric, Score

    for (expert, base), (comment, private) in COMMENTS.items():
        updated = Score.objects.filter(
            campaign=scored, expert__code=expert, base__code=base, criterion__code="C1"
        ).update(comment=comment, confidential_comment=private)
        assert updated == 1
    Rubric.objects.filter(campaign=scored).update(comments_confidential=confidential)
    return scored


@pytest.fixture
def secret(scored):  # noqa: F811
    """Comments under a rubric that keeps comments confidential."""
    return _comment(scored, True)


@pytest.fixture
def open_comments(scored):  # noqa: F811
    """Comments under a rubric that does not."""
    return _comment(scored, False)


def _pdf_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def _found(text: str) -> list[str]:
    return [m for m in MARKERS if m in text]


@pytest.mark.django_db
def test_a_confidential_rubric_keeps_every_comment_out_of_the_snapshot(secret, alice):
    snapshot = snapshot_publish(campaign=secret, user=alice, build=False)

    assert snapshot.payload["format"] == 2
    assert snapshot.payload["panels"]["comments"] == []
    assert _found(payload_canonical(snapshot.payload).decode()) == []
    # The results the reports show are frozen all the same.
    assert [r["base"] for r in snapshot.payload["panels"]["results"]] == ["R1", "R2", "U1"]


@pytest.mark.django_db
def test_an_open_rubric_publishes_comments_but_never_confidential_comments(open_comments, alice):
    snapshot = snapshot_publish(campaign=open_comments, user=alice, build=False)

    assert snapshot.payload["panels"]["comments"] == [
        {"base": "R1", "text": "孵化成效显著 COMMENTR1"},
        {"base": "U1", "text": "成果转化较好 COMMENTU1"},
    ]
    assert _found(payload_canonical(snapshot.payload).decode()) == ["COMMENTR1", "COMMENTU1"]


@pytest.mark.django_db
def test_the_base_officers_own_profile_shows_no_confidential_comment(secret, alice, bob, client):
    snapshot = snapshot_publish(campaign=secret, user=alice, build=False)
    client.force_login(bob)

    for lang in ("zh", "en"):
        own = client.get(f"/campaigns/c/reports/{snapshot.content_hash}/profiles/R1-{lang}.pdf")
        assert own.status_code == 200
        text = _pdf_text(own.content)
        assert "R1" in text and _found(text) == []
    html = profiles_build(
        snapshot.payload, content_hash=snapshot.content_hash, lang="en", fmt="html", codes=["R1"]
    )["R1"].decode()
    assert '<h3>Expert comments</h3>\n<p class="empty">' in html
    assert _found(html) == []


@pytest.mark.django_db
def test_the_base_officers_own_profile_shows_the_open_comment_only(
    open_comments, alice, bob, client
):
    snapshot = snapshot_publish(campaign=open_comments, user=alice, build=False)
    client.force_login(bob)

    own = client.get(f"/campaigns/c/reports/{snapshot.content_hash}/profiles/R1-zh.pdf")

    assert _found(_pdf_text(own.content)) == ["COMMENTR1"]


@pytest.mark.django_db
def test_a_viewers_downloads_show_no_confidential_comment(secret, alice, victor, client):
    from mieval.jobs.worker import run_next

    snapshot = snapshot_publish(campaign=secret, user=alice, build=False)
    client.force_login(alice)
    client.post(f"/campaigns/c/reports/{snapshot.content_hash}/profiles/", {"lang": "en"})
    job = run_next()
    assert job.state == "done", job.error
    client.force_login(victor)

    texts = {}
    for fmt in ("html", "pdf", "xlsx"):
        response = client.get(f"/campaigns/c/reports/{snapshot.content_hash}/report-en.{fmt}")
        assert response.status_code == 200, fmt
        texts[fmt] = {
            "html": lambda b: b.decode(),
            "pdf": _pdf_text,
            "xlsx": _xlsx_text,
        }[fmt](response.content)
    zipped = client.get(job.result["url"])
    assert zipped.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(zipped.content))
    for name in archive.namelist():
        reader = _pdf_text if name.endswith(".pdf") else _docx_text
        texts[name] = reader(archive.read(name))
    for base in ("R1", "U1"):
        one = client.get(f"/campaigns/c/reports/{snapshot.content_hash}/profiles/{base}-en.pdf")
        texts[base] = _pdf_text(one.content)

    zipped_names = [f"{b}-en.{f}" for b in ("E1", "R1", "R2", "U1", "U2") for f in ("pdf", "docx")]
    assert sorted(texts) == sorted(["html", "pdf", "xlsx", "R1", "U1", *zipped_names])
    assert {name: _found(text) for name, text in texts.items()} == {name: [] for name in texts}
    assert "Expert evaluation results" in texts["pdf"]


@pytest.mark.django_db
def test_lineage_page_and_api_carry_no_comment(secret, alice, victor, client):
    snapshot = snapshot_publish(campaign=secret, user=alice, build=False)
    client.force_login(victor)
    prefix = f"/api/v1/campaigns/c/snapshots/{snapshot.content_hash}"

    responses = {
        "page": client.get(f"/campaigns/c/lineage/?snapshot={snapshot.content_hash}&base=R1"),
        "api_base": client.get(f"{prefix}/lineage/bases/R1"),
        "api_values": client.get(f"{prefix}/lineage?indicator=patents_granted"),
        "api_group": client.get(f"{prefix}/lineage/groups/category/region"),
        "api_snapshots": client.get("/api/v1/campaigns/c/snapshots"),
    }

    assert {k: r.status_code for k, r in responses.items()} == {k: 200 for k in responses}
    assert {k: _found(r.content.decode()) for k, r in responses.items()} == {
        k: [] for k in responses
    }
    # The expert result's lineage: totals without names, as before.
    assert responses["api_base"].json()["expert"]["n"] == 3


@pytest.mark.django_db
def test_the_office_reads_every_comment_on_the_results_page_and_csv(secret, everyone, client):
    client.force_login(everyone["alice"])
    page = client.get("/campaigns/c/panels/results/", HTTP_ACCEPT_LANGUAGE="en")
    csv = client.get("/campaigns/c/panels/comments.csv")

    assert _found(page.content.decode()) == list(MARKERS)
    assert "Confidential: the rubric keeps comments from the reports." in page.content.decode()
    assert csv.status_code == 200
    assert csv["Content-Disposition"] == 'attachment; filename="c-comments.csv"'
    assert csv.content.decode("utf-8-sig").splitlines() == [
        "base,base_name_zh,base_name_en,expert,expert_name,criterion,comments_confidential,"
        "comment,confidential_comment",
        "R1,区域一,Region one,X01,专家一,C1,1,孵化成效显著 COMMENTR1,负责人能力不足 PRIVATER1",
        "U1,高校一,University one,X02,专家二,C1,1,成果转化较好 COMMENTU1,材料疑似夸大 PRIVATEU1",
    ]
    client.force_login(everyone["ada"])
    assert client.get("/campaigns/c/panels/comments.csv").status_code == 200
    for name in ("victor", "bob", "carol", "erin", "oscar", "stranger"):
        client.force_login(everyone[name])
        assert client.get("/campaigns/c/panels/comments.csv").status_code == 403, name
        assert client.get("/campaigns/c/panels/results/").status_code == 403, name


@pytest.mark.django_db
def test_the_expert_reads_the_own_comments_only(secret, erin, client):
    client.force_login(erin)

    own = client.get("/campaigns/c/scoring/R1/").content.decode()
    other = client.get("/campaigns/c/scoring/U1/").content.decode()

    assert _found(own) == ["COMMENTR1", "PRIVATER1"]
    assert _found(other) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "confidential, note",
    [
        (True, "Your comments are read by the evaluation office only."),
        (
            False,
            "Your comments are published in the base's profile, without your name; a "
            "confidential comment is read by the evaluation office only.",
        ),
    ],
)
def test_the_scoring_page_tells_the_expert_who_reads_the_comments(
    published,  # noqa: F811
    rubric,  # noqa: F811
    erin,
    client,
    confidential,
    note,
):
    rubric.comments_confidential = confidential
    rubric.save(update_fields=["comments_confidential"])
    client.force_login(erin)

    page = client.get("/campaigns/c/scoring/R1/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'<p class="help" id="comment-readers">{note}</p>' in page


@pytest.mark.django_db
def test_a_format_1_snapshot_shows_none_of_its_comments(secret, alice, victor, client):
    """A snapshot published before the rule froze every comment; it cannot change, so no
    report or profile built from it shows them."""
    from mieval.reports.models import Snapshot

    payload = snapshot_publish(campaign=secret, user=alice, build=False).payload
    payload["format"] = 1
    payload["panels"]["comments"] = [
        {"base": "R1", "text": "孵化成效显著 COMMENTR1"},
        {"base": "R1", "text": "负责人能力不足 PRIVATER1"},
    ]
    old = Snapshot.objects.create(
        campaign=secret, sequence=9, content_hash=payload_hash(payload), payload=payload
    )
    client.force_login(victor)

    pdf = client.get(f"/campaigns/c/reports/{old.content_hash}/profiles/R1-en.pdf")
    html = profiles_build(payload, content_hash=old.content_hash, lang="zh", fmt="html")

    assert _found(_pdf_text(pdf.content)) == []
    assert {code: _found(data.decode()) for code, data in html.items()} == {
        code: [] for code in ("E1", "R1", "R2", "U1", "U2")
    }
    assert _found(report_build(payload, content_hash="x", lang="en", fmt="html").decode()) == []


@pytest.mark.django_db
def test_the_migration_forgets_stored_profiles_of_format_1_snapshots(secret, alice, settings):
    """Profile zips built from a format-1 snapshot with comments are removed (record and file);
    the campaign report files and the profiles of newer snapshots stay."""
    import importlib

    from django.apps import apps

    from mieval.reports.models import ReportFile, Snapshot
    from mieval.reports.services import report_file_store

    forget = importlib.import_module(
        "mieval.reports.migrations.0002_forget_profiles_with_comments"
    ).forget
    new = snapshot_publish(campaign=secret, user=alice, build=False)
    payload = dict(new.payload, format=1)
    payload["panels"] = dict(payload["panels"], comments=[{"base": "R1", "text": "PRIVATER1"}])
    old = Snapshot.objects.create(
        campaign=secret, sequence=9, content_hash=payload_hash(payload), payload=payload
    )
    stale = report_file_store(snapshot=old, kind="profiles", lang="zh", fmt="zip", data=b"z")
    kept = [
        report_file_store(snapshot=old, kind="campaign", lang="zh", fmt="html", data=b"r"),
        report_file_store(snapshot=new, kind="profiles", lang="zh", fmt="zip", data=b"n"),
    ]
    path = settings.DATA_DIR / "reports" / stale.path
    assert path.exists()

    forget(apps, None)

    assert not path.exists()
    assert sorted(ReportFile.objects.values_list("pk", flat=True)) == sorted(k.pk for k in kept)


# The same class of data: what only the office, a base's own officers or one expert may read.
PRIVATE = {
    "nominated person's phone": "13911112222",
    "nominated person's email": "zhang@example.org",
    "nominated person's organisation and title": "新材料公司 董事长",
    "consent statement": "本人同意公开。",
    "nomination without consent": "共享中试平台",
    "nomination not selected": "Chen Fang",
    "exchange contact person": "Person R1",
    "exchange contact email": "r1@bases.example.org",
    "exchange contact phone": "010-R1",
    "conflict of interest": "REASONCOI",
    "expert's name": "专家一",
    "expert's code": "X01",
}


@pytest.mark.django_db
def test_a_snapshot_and_its_downloads_hold_no_private_data(
    secret,
    items,  # noqa: F811
    contacts,  # noqa: F811
    posts,  # noqa: F811
    alice,
    victor,
    client,
):
    from mieval.panels.models import Expert
    from mieval.panels.services import conflict_declare
    from mieval.registry.models import Base

    conflict_declare(
        expert=Expert.objects.get(code="X04"),
        base=Base.objects.get(code="R1"),
        reason="REASONCOI",
        campaign=secret,
    )
    snapshot = snapshot_publish(campaign=secret, user=alice, build=False)
    client.force_login(victor)

    texts = {"payload": payload_canonical(snapshot.payload).decode()}
    for fmt in ("html", "xlsx"):
        data = client.get(f"/campaigns/c/reports/{snapshot.content_hash}/report-zh.{fmt}").content
        texts[fmt] = data.decode() if fmt == "html" else _xlsx_text(data)
    texts["profiles"] = "".join(
        html.decode()
        for html in profiles_build(
            snapshot.payload, content_hash=snapshot.content_hash, lang="zh", fmt="html"
        ).values()
    )

    # The published items are there, their private details are not.
    assert "张晓明" in texts["payload"] and "众创空间联盟" in texts["xlsx"]
    assert {
        where: [what for what, text in PRIVATE.items() if text in body]
        for where, body in texts.items()
    } == {where: [] for where in texts}
