"""Problems found in input, located to file, line and column, and reported all at once.

A reader collects every :class:`Problem` it finds and raises one :class:`InputError` holding
them all; the CLI prints each on its own line and exits with status 2. ``line`` is the
1-based line of a CSV file or row of an XLSX sheet (the header is line 1); ``column`` is the
column's header name. Either is ``None`` where a problem concerns the whole file or line.
In a settings file (TOML), ``key`` names the setting instead of a column: ``rule[2].left``.
"""

import enum
from dataclasses import dataclass

from mieval.core.limits import PROBLEMS_MAX


class ProblemCode(enum.StrEnum):
    UNREADABLE = "unreadable"
    EMPTY_FILE = "empty_file"
    NOT_XLSX = "not_xlsx"
    UNSUPPORTED_FORMAT = "unsupported_format"
    MISSING_COLUMN = "missing_column"
    UNKNOWN_COLUMN = "unknown_column"
    DUPLICATE_COLUMN = "duplicate_column"
    WRONG_FIELD_COUNT = "wrong_field_count"
    REQUIRED = "required"
    NOT_A_NUMBER = "not_a_number"
    NOT_AN_INTEGER = "not_an_integer"
    NOT_A_YEAR = "not_a_year"
    NOT_A_DATE = "not_a_date"
    NEGATIVE = "negative"
    OUT_OF_RANGE = "out_of_range"
    NOT_ALLOWED = "not_allowed"
    UNKNOWN_CODE = "unknown_code"
    DUPLICATE = "duplicate"
    INCONSISTENT = "inconsistent"
    YEAR_OUTSIDE_CAMPAIGN = "year_outside_campaign"
    OUT_OF_SCOPE = "out_of_scope"
    NOT_APPLICABLE = "not_applicable"
    LOCKED = "locked"
    UNKNOWN_KEY = "unknown_key"
    WRONG_TYPE = "wrong_type"
    INVALID_EXPRESSION = "invalid_expression"
    INVALID_TEMPLATE = "invalid_template"
    LIMIT_EXCEEDED = "limit_exceeded"
    FORMULA_WITHOUT_RESULT = "formula_without_result"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    code: ProblemCode
    message: str
    key: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        if self.key is not None:
            where += f", {self.key}"
        return f"{where}: {self.message}"


class InputError(Exception):
    """Unusable input: every problem found, not only the first.

    At most :data:`~mieval.core.limits.PROBLEMS_MAX` problems are kept (the first ones given);
    ``more`` counts the others, so that a file bad on every one of its 300,000 lines gives a
    message of a hundred lines, not of 36 MB. ``count`` is the total.
    """

    def __init__(self, problems: list[Problem], *, more: int = 0):
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = list(problems[:PROBLEMS_MAX])
        self.more = more + max(0, len(problems) - PROBLEMS_MAX)
        super().__init__(self.summary())

    @property
    def count(self) -> int:
        return len(self.problems) + self.more

    def summary(self) -> str:
        noun = "problem" if self.count == 1 else "problems"
        lines = [str(p) for p in self.problems]
        if self.more:
            lines.append(f"... and {self.more:,} more {noun}")
        return f"{self.count:,} {noun} found; nothing was written.\n" + "\n".join(lines)
