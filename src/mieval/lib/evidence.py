"""The reader's sentence for an evidence file that :func:`mieval.core.evidence.evidence_check`
refused (the check's own message is English, for logs and the command line); every page that
takes a file shows this one."""

from django.utils.translation import gettext as _

from mieval.core.evidence import EvidenceCode, EvidenceError


def evidence_message(error: EvidenceError) -> str:
    """The reader's sentence for an evidence file refused (the check's message is English)."""
    params = error.params
    if error.code == EvidenceCode.EMPTY_FILE:
        return _("The file '%(name)s' is empty.") % params
    if error.code == EvidenceCode.FILE_TOO_LARGE:
        size = _(
            "The file '%(name)s' is %(size).1f MB; evidence files may be at most %(limit).0f MB."
        )
        return size % params
    if error.kind:
        named = _("The file '%(name)s' holds a %(kind)s file but its name does not end in %(ext)s.")
        return named % (params | {"ext": " / ".join(params["ext"])})
    unknown = _(
        "The file '%(name)s' is not a PDF, PNG, JPEG, XLSX or DOCX file (allowed: %(allowed)s)."
    )
    return unknown % params
