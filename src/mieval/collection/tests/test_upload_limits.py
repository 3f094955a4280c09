"""Limits of the site's uploads and formula cells in the Excel upload (issue 13, points 3, 4):
refused with a clear message, a bounded page, and nothing written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mieval.collection.models import Evidence, ValueAudit
from mieval.collection.tests.review_helpers import PDF
from mieval.collection.tests.test_entry import entry_url, filled_template, stored
from mieval.core.tests.hostile import with_cached_result, with_huge_shared_string

pytestmark = pytest.mark.django_db


def named(data: bytes, name: str = "R1-filled.xlsx") -> io.BytesIO:
    out = io.BytesIO(data)
    out.name = name
    return out


def uploads_kept(settings) -> list:
    folder = settings.MEDIA_ROOT / "entry-uploads"
    return list(folder.glob("*")) if folder.exists() else []


def test_a_formula_without_a_result_is_refused_and_the_stored_value_kept(
    client, english, media, bob, settings
):
    client.force_login(bob)
    # E11 is patents_granted 2016, stored as 10; read as empty it would be deleted.
    upload = filled_template(client, "R1", {("patents_granted", 2016): "=5*2"})
    audits = ValueAudit.objects.count()

    response = client.post(entry_url("R1", "upload/"), {"file": upload})

    assert response.status_code == 400
    assert response.context["file_problems"] == [
        {
            "cell": "E11",
            "message": "cell E11 of sheet '数据 Data' holds the formula '=5*2' without a computed"
            " result; open the file in Excel or WPS, let it calculate and save it, or type the "
            "value instead of the formula",
        }
    ]
    assert "changes" not in response.context
    assert stored("R1", "patents_granted", 2016) == "10"
    assert ValueAudit.objects.count() == audits
    assert uploads_kept(settings) == []


def test_a_formula_with_a_cached_result_previews_that_result(client, media, bob):
    client.force_login(bob)
    upload = filled_template(client, "R1", {("patents_granted", 2016): "=5*4"})
    data = with_cached_result(upload.getvalue(), "E11", "20")

    response = client.post(entry_url("R1", "upload/"), {"file": named(data)})

    assert response.status_code == 200
    assert [
        (c["indicator"]["code"], c["year"], c["old"], c["new"]) for c in response.context["changes"]
    ] == [("patents_granted", 2016, "10", "20")]


def test_a_template_with_a_huge_shared_string_is_refused_with_a_short_page(
    client, english, media, bob, settings
):
    client.force_login(bob)
    template = filled_template(client, "R1", {}).getvalue()
    data = with_huge_shared_string(template, "B3", 200 * 1024 * 1024)

    response = client.post(entry_url("R1", "upload/"), {"file": named(data)})

    assert response.status_code == 400
    assert response.context["file_problems"] == [
        {
            "cell": "",
            "message": "the workbook unpacks to 200.0 MB; at most 20.0 MB are accepted (a "
            "workbook that packs this much is not a data file)",
        }
    ]
    assert len(response.content) < 50_000
    assert uploads_kept(settings) == []


def test_a_template_with_thousands_of_bad_rows_gives_a_bounded_page(
    client, english, media, bob, settings
):
    client.force_login(bob)
    response = client.get(entry_url("R1", "template.xlsx"))
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    for row in range(20, 1_520):
        sheet.cell(row=row, column=1).value = f"unknown_{row}"
    out = io.BytesIO()
    workbook.save(out)

    response = client.post(entry_url("R1", "upload/"), {"file": named(out.getvalue())})

    assert response.status_code == 400
    assert len(response.context["file_problems"]) == 100
    assert response.context["file_problems"][0]["cell"] == "A20"
    assert (response.context["file_problems_total"], response.context["file_problems_more"]) == (
        1_500,
        1_400,
    )
    html = response.content.decode()
    assert "Correct these 1500 problems" in html
    assert "And 1400 more problems, not listed: correct those above first." in html
    assert len(html) < 100_000


def test_a_request_larger_than_any_upload_is_refused_before_it_is_read(
    client, login, english, media, bob, settings
):
    settings.REQUEST_MAX_BYTES = 100_000
    settings.EVIDENCE_MAX_BYTES = 50_000
    cell = reverse("value_detail", args=["c", "R1", "patents_granted", 2016])
    login(bob)

    response = client.post(
        cell,
        {"action": "upload", "file": SimpleUploadedFile("big.pdf", PDF + b"x" * 200_000)},
    )

    assert response.status_code == 413
    message = response.context["message"]
    assert message.startswith("The request is 200,")
    assert message.endswith(
        " bytes; at most 100,000 bytes can be sent at once (an evidence file may be at most "
        "50,000 bytes)."
    )
    assert message in response.content.decode()
    assert Evidence.objects.count() == 0


def test_the_api_answers_413_in_json(client, settings):
    settings.REQUEST_MAX_BYTES = 1_000

    response = client.put(
        "/api/v1/campaigns/c/values/R1/patents_granted/2016",
        data=b"{" + b" " * 2_000 + b"}",
        content_type="application/json",
    )

    assert response.status_code == 413
    assert response.json()["detail"].startswith("The request is 2,002 bytes; at most 1,000 bytes")


def test_the_upload_settings_are_set():
    from django.conf import settings

    assert settings.REQUEST_MAX_BYTES == settings.EVIDENCE_MAX_BYTES + 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 10_000
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert "mieval.web.middleware.request_size_limit" in settings.MIDDLEWARE
    assert settings.MIDDLEWARE.index(
        "mieval.web.middleware.request_size_limit"
    ) < settings.MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware")


def test_the_formula_problem_reads_in_chinese_on_a_chinese_page(client, media, bob):
    client.force_login(bob)
    upload = filled_template(client, "R1", {("patents_granted", 2016): "=5*2"})

    response = client.post(entry_url("R1", "upload/"), {"file": upload})

    assert response.status_code == 400
    assert [p["message"] for p in response.context["file_problems"]] == [
        "工作表“数据 Data”的单元格E11含公式“=5*2”，但没有计算结果；请在 Excel 或 WPS 中打开文件，"
        "待其计算后保存，或直接填写数值而非公式。"
    ]
    assert "另有" not in response.content.decode()
