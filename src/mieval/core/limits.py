"""Every limit of mieval's inputs in one place: the parameters of pages, the API and the
``mieval`` command, the resource limits of every file it reads, and the one excerpt helper.

No Django: the file-mode commands use these too. The README's table "Limits" lists each limit
with where it applies; a change here belongs there as well.

Parameters. Every size-like parameter a person or a script sends is checked against these
before any work starts, so that a request can neither exhaust the server nor overflow the
database's 64-bit integers (``offset=2**70`` used to reach SQLite as an OverflowError). Years
are bounded twice: here to a plausible calendar range, and then, where a campaign or a file is
at hand, to its own years (see :func:`year_range_problem`). The functional core has its own
guards (``core.trends.table.MAX_YEARS``, ``core.panels.optimiser.PanelConfig``), so that a caller
that skips these checks gets a clear ValueError instead of an allocation it cannot afford.

Files. A packed size alone says little about an XLSX file (a zip: a 1 MB file can unpack to a
1 GB string), so the unpacked size is checked from the zip's directory before anything is
parsed, and rows, columns and cell lengths are checked while the rows stream in, so that a
hostile file is refused after reading only as much as the limit allows. Python's
:mod:`zipfile` never returns more bytes than a member declares (and refuses a member whose data
does not match its CRC), so the declared sizes bound the actual ones.

Naming: ``*_MAX_*`` and ``*_MAX`` are maxima; :class:`FileLimits` groups those of one kind of
file.
"""

import zipfile
from dataclasses import dataclass

# --- parameters -----------------------------------------------------------------------------

#: Years anywhere (files, batches, query parameters): a plausible calendar range.
YEAR_MIN, YEAR_MAX = 1900, 2100

#: Database ids (BigAutoField) in paths and forms: a signed 64-bit integer.
ID_MAX = 2**63 - 1

#: Version numbers (optimistic locking, framework versions): PositiveIntegerField's range on
#: every database.
VERSION_MAX = 2**31 - 1

#: API pages (``limit``, ``offset``): items per page and items skipped.
PAGE_LIMIT_DEFAULT = 100
PAGE_LIMIT_MAX = 1000
PAGE_OFFSET_MAX = 10**9

#: Monte Carlo runs of an index run (page, ``mieval index --runs``, ``request_index_runs``).
RUNS_MAX = 5000

#: Relative weight noise of those runs: a share of each weight.
NOISE_MAX = 1.0

#: Random seeds: numpy takes any size, the panel optimiser (CP-SAT) a signed 32-bit integer.
SEED_MAX = 2**31 - 1

#: Days until an API token expires.
TOKEN_DAYS_MAX = 3650

#: Days ahead of a scoring deadline (``send_score_reminders --within``).
REMINDER_DAYS_MAX = 366

#: Seconds between two looks at the job queue (``run_jobs --poll``).
POLL_SECONDS_MAX = 3600


def year_range_problem(name: str, year: int, first: int, last: int, of: str) -> str | None:
    """Why ``year`` (the parameter ``name``) is outside ``first``-``last``, the years ``of``
    something ("campaign 'demo'", "the values file"), or None when it is inside."""
    if first <= year <= last:
        return None
    return f"{name} {year} is outside the years of {of}, {first}-{last}"


# --- files ----------------------------------------------------------------------------------


#: Characters of a bad value quoted in a message; the rest is elided (see :func:`excerpt`).
EXCERPT_CHARS = 40
#: Problems kept and shown by one :class:`~mieval.core.problems.InputError`; the others are
#: only counted ("and 1,234 more problems").
PROBLEMS_MAX = 100

MB = 1024 * 1024


@dataclass(frozen=True)
class FileLimits:
    """The maxima of one kind of input file.

    ``max_bytes`` is the file as stored (packed, for an XLSX file); ``max_unpacked_bytes`` the
    sum of the declared sizes of an XLSX file's zip members; ``max_members`` their number;
    ``max_rows`` the records of a CSV file or the rows of a sheet, the header included
    (empty rows of a sheet do not count);
    ``max_columns`` the fields of a record or the columns of a row; ``max_cell_chars`` the
    characters of one field or cell.
    """

    max_bytes: int
    max_unpacked_bytes: int
    max_members: int
    max_rows: int
    max_columns: int
    max_cell_chars: int


#: Interchange files (bases, values, indicators, the expert roster, units): ``mieval import``,
#: ``mieval check`` and the other file-mode commands, and the files uploaded on the site.
#: 1,000,000 values rows are over 300 times the demo campaign (120 bases x 12 indicators x 3
#: years); the longest text in them is a name or a list of domain tags.
TABLE_LIMITS = FileLimits(
    max_bytes=100 * MB,
    max_unpacked_bytes=200 * MB,
    max_members=200,
    max_rows=1_000_000,
    max_columns=100,
    max_cell_chars=2_000,
)

#: The Excel entry template a base officer uploads: one base, one campaign's indicators (one
#: row each) and years (one column each). The template mieval writes is about 10 KB.
ENTRY_TEMPLATE_LIMITS = FileLimits(
    max_bytes=5 * MB,
    max_unpacked_bytes=20 * MB,
    max_members=100,
    max_rows=2_000,
    max_columns=200,
    max_cell_chars=1_000,
)

#: An index framework or rule set uploaded as a TOML file on the site.
TOML_MAX_BYTES = 1 * MB

#: An evidence file (a document or a picture; :mod:`mieval.core.evidence`): the default of the
#: setting ``EVIDENCE_MAX_BYTES``, which the apps pass on.
EVIDENCE_MAX_BYTES = 20 * MB


# --- the evaluation's judgement: texts people type (characters) and lists they fill ----------

#: Self-evaluation reports: the longest section a template may allow (ten pages of Chinese
#: text), the sections of one template, the evidence files of one report, the office's
#: comment on a report or a section.
SELFEVAL_SECTION_CHARS_MAX = 20_000
SELFEVAL_SECTIONS_MAX = 30
SELFEVAL_FILES_MAX = 20
SELFEVAL_COMMENT_CHARS_MAX = 2000
#: A search across a campaign's reports: the query, the terms it is split into, the results shown.
SELFEVAL_QUERY_CHARS_MAX = 100
SELFEVAL_QUERY_TERMS_MAX = 5
SELFEVAL_RESULTS_MAX = 200

#: Site visits: the long texts (plan, record, opinion), the short ones (names, places), the
#: contacts of one plan, the photos and files of one record, the pixels of one photo (a
#: decompression bomb is refused before it is decoded).
VISIT_TEXT_MAX = 20_000
VISIT_SHORT_MAX = 200
VISIT_CONTACTS_MAX = 20
VISIT_FILES_MAX = 20
VISIT_IMAGE_PIXELS_MAX = 50_000_000

#: The problem register: a type's or a problem's title, a description or recommended action,
#: a reason (dismissal, verification), the evidence links of one problem, an evidence link's
#: target and label; a rectification item's owner.
PROBLEM_TITLE_MAX = 200
PROBLEM_TEXT_MAX = 5000
PROBLEM_REASON_MAX = 500
PROBLEM_EVIDENCE_LINKS_MAX = 20
EVIDENCE_TARGET_MAX = 200
EVIDENCE_LABEL_MAX = 300
RECTIFICATION_OWNER_MAX = 200

#: The grassroots operational backbone: a person's name, position, phone, e-mail, notes, code.
BACKBONE_NAME_MAX = 200
BACKBONE_POSITION_MAX = 200
BACKBONE_PHONE_MAX = 50
BACKBONE_EMAIL_MAX = 200
BACKBONE_NOTES_MAX = 2000
BACKBONE_CODE_MAX = 40


class LimitExceeded(Exception):
    """A file exceeds one of its :class:`FileLimits`.

    ``limit`` names the limit (a field of :class:`FileLimits`), ``maximum`` its value,
    ``found`` what the file has (at least; reading stops at the first excess), and ``line`` /
    ``cell`` where it was exceeded (``None`` for the whole file).
    """

    def __init__(
        self,
        limit: str,
        maximum: int,
        found: int,
        *,
        line: int | None = None,
        cell: str | None = None,
    ):
        self.limit, self.maximum, self.found, self.line, self.cell = (
            limit,
            maximum,
            found,
            line,
            cell,
        )
        super().__init__(self.message())

    def message(self) -> str:
        """The English sentence (without the place); callers with a language build their own."""
        found, maximum = sizes_text(self.found, self.maximum)
        return {
            "max_bytes": f"the file is {found}; at most {maximum} are accepted",
            "max_unpacked_bytes": f"the workbook unpacks to {found}; at most {maximum} are"
            " accepted (a workbook that packs this much is not a data file)",
            "max_members": f"the workbook holds {self.found} parts; at most {self.maximum} are"
            " accepted",
            "max_rows": f"the file has more than {self.maximum:,} rows; at most {self.maximum:,}"
            " are accepted (split the file)",
            "max_columns": f"{self.found:,} columns; at most {self.maximum:,} are accepted",
            "max_cell_chars": f"a value of {self.found:,} characters; at most"
            f" {self.maximum:,} are accepted",
        }[self.limit]


def size_text(size: int, *, megabytes: str = "MB", bytes_: str = "bytes") -> str:
    """A size for a message: '5.0 MB' from a megabyte on, else (or where ``megabytes`` is
    empty) '12,345 bytes'."""
    if size >= MB and megabytes:
        return f"{size / MB:.1f} {megabytes}"
    return f"{size:,} {bytes_}"


def sizes_text(found: int, maximum: int, **units: str) -> tuple[str, str]:
    """A size found and the most allowed for one message, in bytes where megabytes with one
    decimal would read the same ('1.0 MB; at most 1.0 MB')."""
    texts = size_text(found, **units), size_text(maximum, **units)
    if texts[0] == texts[1]:
        in_bytes = units | {"megabytes": ""}
        return size_text(found, **in_bytes), size_text(maximum, **in_bytes)
    return texts


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """``value`` as text for a message: whole if short, else its first ``limit`` characters,
    an ellipsis and the length, so that a 1 MB cell never comes back whole.

    >>> excerpt("x" * 100, 5)
    'xxxxx… (100 characters)'
    """
    text = str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def zip_check(archive: zipfile.ZipFile, limits: FileLimits) -> None:
    """Refuse a zip (an XLSX workbook) whose directory declares too many or too large members,
    before any of them is unpacked; :class:`LimitExceeded`."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise LimitExceeded("max_members", limits.max_members, len(members))
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise LimitExceeded("max_unpacked_bytes", limits.max_unpacked_bytes, unpacked)
