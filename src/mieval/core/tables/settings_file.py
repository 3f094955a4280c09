"""Settings files (TOML): the one reader of an index framework, a rule set and the panel
settings, and the one way to find the line of a key for a message.

:func:`settings_toml_read` reads a file: at most :data:`~mieval.core.limits.TOML_MAX_BYTES`
(checked before reading), UTF-8 (a byte-order mark is allowed), valid TOML; each failure is an
:class:`~mieval.core.problems.InputError` whose problem has the line, and the column in its
message. :func:`toml_parse` does the same for a text (an upload, a form). tomllib gives no
positions of keys, so :class:`KeyLines` scans the text for ``[table]``, ``[[table]]`` and
``key =`` lines: good enough to point at the line of a problem in a hand-written file.

No Django.
"""

import re
import tomllib
from pathlib import Path

from mieval.core.limits import TOML_MAX_BYTES, LimitExceeded
from mieval.core.problems import InputError, Problem, ProblemCode

_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_\-]+)\s*\]\]?\s*(?:#.*)?$")
_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")
_POSITION_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_END_RE = re.compile(r"\s*\(at end of document\)")
_PATH_RE = re.compile(r"^([A-Za-z0-9_\-]+)(?:\[(\d+)\])?(?:\.([A-Za-z0-9_\-]+))?$")


def settings_file_bytes(path, *, maximum: int = TOML_MAX_BYTES) -> bytes:
    """The bytes of a settings file, or :class:`InputError` if it is larger than ``maximum``:
    checked before it is read."""
    path = Path(path)
    size = path.stat().st_size
    if size > maximum:
        exceeded = LimitExceeded("max_bytes", maximum, size)
        raise InputError(
            [Problem(str(path), None, None, ProblemCode.LIMIT_EXCEEDED, exceeded.message())]
        )
    return path.read_bytes()


def settings_text(path, *, maximum: int = TOML_MAX_BYTES) -> str:
    """The text of a settings file (:func:`settings_file_bytes`, then UTF-8 with or without a
    byte-order mark), or :class:`InputError` naming the line and the byte of the line where
    the text stops being UTF-8."""
    data = settings_file_bytes(path, maximum=maximum)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(
            [
                Problem(
                    str(path),
                    line,
                    None,
                    ProblemCode.UNREADABLE,
                    f"not UTF-8 text (byte {byte} of the line); save the file as UTF-8",
                )
            ]
        ) from None


def toml_parse(text: str, *, file: str) -> dict:
    """The TOML ``text`` of ``file`` as a dict, or :class:`InputError` with the line of the
    syntax error (the last line when the text ends too early) and its column in the message:
    "not valid TOML: Invalid value (column 8)"."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reason = str(error)
        position = _POSITION_RE.search(reason)
        line, column = (
            (int(position.group(1)), int(position.group(2))) if position else (None, None)
        )
        if _END_RE.search(reason):
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
        reason = _END_RE.sub("", _POSITION_RE.sub("", reason)).strip()
        if column is not None:
            reason += f" (column {column})"
        raise InputError(
            [Problem(file, line, None, ProblemCode.UNREADABLE, f"not valid TOML: {reason}")]
        ) from None


def settings_toml_read(path, *, maximum: int = TOML_MAX_BYTES) -> tuple[str, dict]:
    """A settings file's text and its TOML data (:func:`settings_text`, :func:`toml_parse`)."""
    text = settings_text(path, maximum=maximum)
    return text, toml_parse(text, file=str(path))


class KeyLines:
    """The lines of a TOML text's table headers and keys.

    A table is ``(name, index)``: ``("", 0)`` the top level, ``("outliers", 0)`` a
    ``[outliers]`` table, ``("rule", 2)`` the third ``[[rule]]`` (counted from 0).
    """

    def __init__(self, text: str):
        counters: dict[str, int] = {}
        current = ("", 0)
        self.tables: dict[tuple[str, int], dict[str, int]] = {current: {}}
        self.arrays: set[str] = set()
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER_RE.match(line)
            if header:
                name = header.group(2)
                index = counters.get(name, 0) if header.group(1) == "[[" else 0
                if header.group(1) == "[[":
                    counters[name] = index + 1
                    self.arrays.add(name)
                current = (name, index)
                self.tables[current] = {"": number}
                continue
            key = _KEY_RE.match(line)
            if key:
                self.tables[current].setdefault(key.group(1), number)

    def line(self, table: tuple[str, int] = ("", 0), key: str | None = None) -> int | None:
        """The line of ``key`` in ``table`` (its first), else of the table's header, else
        None (a key of the top level that is not there, a table that is not there)."""
        where = self.tables.get(table, {})
        return where.get(key or "", where.get(""))

    def path_line(self, path: str) -> int | None:
        """The line of a key path, tables of an array counted from 0: ``indicator[2].weight``,
        ``step[0]``, ``outliers.history``, ``outliers`` (a table: its header), ``panel`` (a key
        of the top level) or ``denominators[1]`` (an item of a list: the key's line). An array
        of tables without an index (``step``) has no one line: None."""
        match = _PATH_RE.match(path)
        if match is None:
            return None
        name, index, key = match.groups()
        table = (name, int(index or 0))
        if table in self.tables and (index is not None or name not in self.arrays):
            return self.line(table, key)
        return self.line(("", 0), name)
