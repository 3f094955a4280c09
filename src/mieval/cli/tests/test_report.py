"""``mieval report``: file mode and database mode, exit codes."""

import io
import zipfile

import pytest

from mieval.cli import main


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    assert main(["sample", "--out", str(out)]) == 0
    return out / "bases.csv", out / "values.csv"


def test_file_mode_writes_the_html_report(sample, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", *map(str, sample), "--lang", "en", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Demonstration base development trends" in html
    assert ">11,740<" in html
    err = capsys.readouterr().err
    assert err.startswith("mieval report: snapshot ")
    # the hash printed is the one in the report
    assert err.split()[3] in html


def test_file_mode_xlsx_and_zh(sample, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "report.xlsx"
    assert main(["report", *map(str, sample), "--format", "xlsx", "--out", str(out)]) == 0
    book = load_workbook(out)
    assert book["metadata"]["A2"].value == "snapshot_hash"
    assert book["trend"]["A2"].value == "new_market_entities"


def test_bad_arguments_exit_2(sample, tmp_path, capsys):
    assert main(["report"]) == 2
    assert "give BASES and VALUES files, or --campaign CODE" in capsys.readouterr().err
    assert main(["report", *map(str, sample), "--format", "pdf"]) == 2
    assert "--format pdf needs --out FILE" in capsys.readouterr().err
    assert main(["report", *map(str, sample), "--snapshot", "abc"]) == 2
    assert "--snapshot needs --campaign" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "no.csv"), str(sample[1])]) == 2
    assert "no such file" in capsys.readouterr().err


def test_bad_file_exits_2_and_writes_nothing(sample, tmp_path, capsys):
    bad = tmp_path / "bases.csv"
    bad.write_text("code,name_zh\nX,甲\n", encoding="utf-8")
    out = tmp_path / "r.html"
    assert main(["report", str(bad), str(sample[1]), "--out", str(out)]) == 2
    assert "problem" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.django_db
def test_campaign_mode_uses_the_latest_snapshot_or_the_one_named(
    campaign_c, alice, tmp_path, capsys
):
    from mieval.reports.services import snapshot_publish

    # no snapshot yet
    assert main(["report", "--campaign", "c", "--out", str(tmp_path / "x.html")]) == 2
    assert "has no published snapshot" in capsys.readouterr().err
    first = snapshot_publish(campaign=campaign_c, user=alice)
    out = tmp_path / "r.html"
    assert (
        main(
            ["report", "--campaign", "c", "--snapshot", first.content_hash[:10], "--out", str(out)]
        )
        == 0
    )
    html = out.read_text(encoding="utf-8")
    assert first.content_hash in html
    assert f"/campaigns/c/lineage/?snapshot={first.content_hash}&amp;indicator=" in html
    assert main(["report", "--campaign", "c", "--snapshot", "ffffffffff", "--out", str(out)]) == 2
    assert "has no snapshot 'ffffffffff'" in capsys.readouterr().err
    assert main(["report", "--campaign", "nope"]) == 2
    assert "there is no campaign 'nope'" in capsys.readouterr().err


@pytest.mark.django_db
def test_campaign_mode_profiles_zip(campaign_c, alice, tmp_path):
    from mieval.reports.services import snapshot_publish

    snapshot_publish(campaign=campaign_c, user=alice)
    out = tmp_path / "profiles.zip"
    assert (
        main(
            [
                "report",
                "--campaign",
                "c",
                "--profiles",
                "--format",
                "pdf",
                "--lang",
                "en",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    names = zipfile.ZipFile(io.BytesIO(out.read_bytes())).namelist()
    assert names == ["E1-en.pdf", "R1-en.pdf", "R2-en.pdf", "U1-en.pdf", "U2-en.pdf"]


def test_file_mode_docx_report_and_profiles(sample, tmp_path, capsys):
    import docx

    out = tmp_path / "report.docx"
    assert (
        main(["report", *map(str, sample), "--lang", "en", "--format", "docx", "--out", str(out)])
        == 0
    )
    document = docx.Document(str(out))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Third-party evaluation report on the MIE demonstration bases"
    assert "Demonstration base development trends" in paragraphs
    # File mode has no records of the evaluation: the judgement sections say so.
    assert paragraphs.count("The analysts have not written this section.") == 3
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert "11,740" in cells
    zipped = tmp_path / "profiles.zip"
    assert (
        main(["report", *map(str, sample), "--profiles", "--format", "docx", "--out", str(zipped)])
        == 0
    )
    names = zipfile.ZipFile(zipped).namelist()
    assert len(names) == 120 and names[0].endswith("-zh.docx")
    first = docx.Document(io.BytesIO(zipfile.ZipFile(zipped).read(names[0])))
    assert first.paragraphs[0].text
    assert (
        main(["report", *map(str, sample), "--profiles", "--format", "xlsx", "--out", str(zipped)])
        == 2
    )
    assert "profiles are written as pdf, html or docx, not xlsx" in capsys.readouterr().err
