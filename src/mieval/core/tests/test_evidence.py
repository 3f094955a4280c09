"""The one evidence-file check: kinds read from the content, sizes, names, messages."""

import io
import zipfile

import pytest

from mieval.core.evidence import (
    DOCUMENT_KINDS,
    EVIDENCE_KINDS,
    IMAGE_KINDS,
    EvidenceCode,
    EvidenceError,
    evidence_check,
    extensions_text,
    file_kind,
    kinds_text,
)
from mieval.core.limits import EVIDENCE_MAX_BYTES, MB

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n...."
JPEG = b"\xff\xd8\xff\xe0...."


def _zip(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<main/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpeg"),
        (_zip("xl/workbook.xml"), "xlsx"),
        (_zip("word/document.xml"), "docx"),
        (_zip("ppt/presentation.xml"), None),
        (b"MZ\x90\x00 an executable", None),
        (b"PK\x03\x04 broken zip", None),
        (b"", None),
    ],
)
def test_evidence_kind_is_read_from_the_content(data, kind):
    assert file_kind(data) == kind


def test_an_accepted_file_gives_its_kind_whatever_the_case_of_its_name():
    assert evidence_check(name="证书.PDF", data=PDF) == "pdf"
    assert evidence_check(name="photo.JPG", data=JPEG, kinds=IMAGE_KINDS) == "jpeg"
    assert evidence_check(name="photo.jpeg", data=JPEG, kinds=IMAGE_KINDS) == "jpeg"
    assert evidence_check(name="p.pdf", data=PDF, max_bytes=len(PDF)) == "pdf"


def _refusal(**kwargs) -> EvidenceError:
    with pytest.raises(EvidenceError) as caught:
        evidence_check(**kwargs)
    return caught.value


def test_each_refusal_has_its_code_its_message_and_its_figures():
    empty = _refusal(name="empty.pdf", data=b"")
    big = _refusal(name="big.pdf", data=b"%PDF-" + b"x" * 1_499_995, max_bytes=1_000_000)
    unknown = _refusal(name="run.pdf", data=b"MZ not a pdf")
    misnamed = _refusal(name="cert.png", data=PDF)
    jpeg_named_png = _refusal(name="photo.png", data=JPEG)

    assert [e.code for e in (empty, big, unknown, misnamed, jpeg_named_png)] == [
        EvidenceCode.EMPTY_FILE,
        EvidenceCode.FILE_TOO_LARGE,
        EvidenceCode.FILE_TYPE,
        EvidenceCode.FILE_TYPE,
        EvidenceCode.FILE_TYPE,
    ]
    assert [str(e) for e in (empty, big, unknown, misnamed, jpeg_named_png)] == [
        "'empty.pdf' is empty",
        "'big.pdf' is 1.5 MB; evidence files may be at most 1 MB",
        "'run.pdf' is not a PDF, PNG, JPEG, XLSX or DOCX file"
        " (allowed: .docx, .jpeg, .jpg, .pdf, .png, .xlsx)",
        "'cert.png' holds a PDF file but its name does not end in .pdf",
        "'photo.png' holds a JPEG file but its name does not end in .jpg or .jpeg",
    ]
    assert big.params == {
        "name": "big.pdf",
        "size": 1.5,
        "limit": 1.0,
        "kinds": "PDF, PNG, JPEG, XLSX or DOCX",
        "allowed": ".docx, .jpeg, .jpg, .pdf, .png, .xlsx",
        "kind": "",
        "ext": (),
    }
    assert (jpeg_named_png.kind, jpeg_named_png.params["kind"], jpeg_named_png.params["ext"]) == (
        "jpeg",
        "JPEG",
        (".jpg", ".jpeg"),
    )
    assert (unknown.kind, unknown.size, unknown.max_bytes) == (None, 12, EVIDENCE_MAX_BYTES)


def test_the_empty_check_comes_before_the_size_and_the_size_before_the_type():
    assert _refusal(name="x.exe", data=b"", max_bytes=0).code == EvidenceCode.EMPTY_FILE
    assert _refusal(name="x.exe", data=b"MZ..", max_bytes=3).code == EvidenceCode.FILE_TOO_LARGE


def test_a_kind_not_accepted_here_is_refused_as_an_unknown_one():
    error = _refusal(name="scan.pdf", data=PDF, kinds=IMAGE_KINDS)

    assert (error.code, error.kind, str(error)) == (
        EvidenceCode.FILE_TYPE,
        None,
        "'scan.pdf' is not a JPEG or PNG file (allowed: .jpeg, .jpg, .png)",
    )


def test_kinds_must_be_known_and_not_empty():
    with pytest.raises(ValueError) as caught:
        evidence_check(name="a.gif", data=b"GIF89a", kinds=("gif",))
    assert str(caught.value) == "kinds ['gif']: each must be one of pdf, png, jpeg, xlsx, docx"
    with pytest.raises(ValueError) as caught:
        evidence_check(name="a.pdf", data=PDF, kinds=())
    assert str(caught.value) == "kinds (): each must be one of pdf, png, jpeg, xlsx, docx"


def test_the_texts_and_the_limit():
    assert kinds_text(("pdf",)) == "PDF"
    assert kinds_text(DOCUMENT_KINDS) == "PDF, PNG, JPEG, XLSX or DOCX"
    assert extensions_text(IMAGE_KINDS) == ".jpeg, .jpg, .png"
    assert set(DOCUMENT_KINDS) == set(EVIDENCE_KINDS)
    assert EVIDENCE_MAX_BYTES == 20 * MB
