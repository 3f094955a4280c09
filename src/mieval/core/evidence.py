"""Evidence files: the one check of a file a person attaches (a document or a picture behind a
reported value, a practice, later a self-evaluation or a visit's photos).

A file is accepted when it is not empty, not larger than a limit, and its content (its first
bytes, not its name) is one of the accepted kinds, and its name ends in one of that kind's
extensions. :func:`evidence_check` returns the kind; a refusal raises :class:`EvidenceError`
with an :class:`EvidenceCode`, an English sentence (logs, the command line) and the figures a
caller needs to say the same in its reader's language (:attr:`EvidenceError.params`).

No Django: the apps pass the limit they are configured with (``settings.EVIDENCE_MAX_BYTES``,
by default :data:`mieval.core.limits.EVIDENCE_MAX_BYTES`) and translate by code.
"""

import enum
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from mieval.core.limits import EVIDENCE_MAX_BYTES


class EvidenceCode(enum.StrEnum):
    EMPTY_FILE = "empty_file"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE = "file_type"


@dataclass(frozen=True)
class FileKind:
    """One accepted kind of file: its media type and the extensions its name may end in."""

    content_type: str
    extensions: tuple[str, ...]


#: Every kind an evidence file may be, recognised by its first bytes (see :func:`file_kind`).
EVIDENCE_KINDS = {
    "pdf": FileKind("application/pdf", (".pdf",)),
    "png": FileKind("image/png", (".png",)),
    "jpeg": FileKind("image/jpeg", (".jpg", ".jpeg")),
    "xlsx": FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
    ),
    "docx": FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
    ),
}

#: The kinds of a document or a picture (the default of :func:`evidence_check`).
DOCUMENT_KINDS = ("pdf", "png", "jpeg", "xlsx", "docx")
#: Pictures only (photos of a visit).
IMAGE_KINDS = ("jpeg", "png")


def file_kind(data: bytes) -> str | None:
    """The kind of a file (a key of :data:`EVIDENCE_KINDS`) from its content: magic numbers,
    Office files by their main part; None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
    return None


def kinds_text(kinds: Iterable[str]) -> str:
    """The kinds for a sentence: 'PDF, PNG, JPEG, XLSX or DOCX'."""
    names = [kind.upper() for kind in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def extensions_text(kinds: Iterable[str]) -> str:
    """Every extension of the kinds, sorted: '.docx, .jpeg, .jpg, .pdf, .png, .xlsx'."""
    return ", ".join(sorted({ext for kind in kinds for ext in EVIDENCE_KINDS[kind].extensions}))


class EvidenceError(ValueError):
    """A file :func:`evidence_check` refuses.

    ``code`` says why; ``name`` and ``size`` are the file's, ``max_bytes`` the limit, ``kinds``
    the accepted kinds, ``kind`` what the content is (None when it is none of them; set with
    :attr:`EvidenceCode.FILE_TYPE` when the content is accepted but the name's extension is
    not that kind's). ``message`` is the English sentence.
    """

    def __init__(
        self,
        code: EvidenceCode,
        *,
        name: str,
        size: int,
        max_bytes: int,
        kinds: tuple[str, ...],
        kind: str | None = None,
    ):
        self.code, self.name, self.size, self.max_bytes = code, name, size, max_bytes
        self.kinds, self.kind = kinds, kind
        self.message = self._english()
        super().__init__(self.message)

    @property
    def params(self) -> dict[str, object]:
        """The figures of the sentence, for a translated one: ``name``, ``size`` and ``limit``
        (megabytes of 10^6 bytes), ``kinds`` ('PDF, PNG ... or DOCX'), ``allowed`` (every
        extension), ``kind`` (upper case, or '') and ``ext`` (the kind's extensions, or '')."""
        return {
            "name": self.name,
            "size": self.size / 1e6,
            "limit": self.max_bytes / 1e6,
            "kinds": kinds_text(self.kinds),
            "allowed": extensions_text(self.kinds),
            "kind": self.kind.upper() if self.kind else "",
            "ext": EVIDENCE_KINDS[self.kind].extensions if self.kind else (),
        }

    def _english(self) -> str:
        p = self.params
        if self.code == EvidenceCode.EMPTY_FILE:
            return f"'{self.name}' is empty"
        if self.code == EvidenceCode.FILE_TOO_LARGE:
            return (
                f"'{self.name}' is {p['size']:.1f} MB; evidence files may be at most "
                f"{p['limit']:.0f} MB"
            )
        if self.kind is None:
            return f"'{self.name}' is not a {p['kinds']} file (allowed: {p['allowed']})"
        return (
            f"'{self.name}' holds a {p['kind']} file but its name does not end in "
            + " or ".join(p["ext"])
        )


def evidence_check(
    *,
    name: str,
    data: bytes,
    kinds: tuple[str, ...] = DOCUMENT_KINDS,
    max_bytes: int = EVIDENCE_MAX_BYTES,
) -> str:
    """The kind of the file ``name`` holding ``data`` when it may be stored as evidence: not
    empty, at most ``max_bytes``, its content one of ``kinds`` (keys of
    :data:`EVIDENCE_KINDS`) and its name ending in one of that kind's extensions (any case);
    else :class:`EvidenceError`, the first of these that fails."""
    unknown = [kind for kind in kinds if kind not in EVIDENCE_KINDS]
    if unknown or not kinds:
        raise ValueError(
            f"kinds {unknown or kinds!r}: each must be one of {', '.join(EVIDENCE_KINDS)}"
        )
    refuse = dict(name=name, size=len(data), max_bytes=max_bytes, kinds=tuple(kinds))
    if not data:
        raise EvidenceError(EvidenceCode.EMPTY_FILE, **refuse)
    if len(data) > max_bytes:
        raise EvidenceError(EvidenceCode.FILE_TOO_LARGE, **refuse)
    kind = file_kind(data)
    if kind not in kinds:
        raise EvidenceError(EvidenceCode.FILE_TYPE, **refuse)
    if not name.lower().endswith(EVIDENCE_KINDS[kind].extensions):
        raise EvidenceError(EvidenceCode.FILE_TYPE, kind=kind, **refuse)
    return kind
