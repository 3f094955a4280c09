"""The one reader of settings files (TOML) and the one key -> line locator."""

import pytest

from mieval.core.problems import InputError, ProblemCode
from mieval.core.tables.settings_file import (
    KeyLines,
    settings_file_bytes,
    settings_text,
    settings_toml_read,
    toml_parse,
)

TEXT = """# a framework
panel = true
denominators = ["pop", "area"]

[outliers]
history = true

[[rule]]
code = "a"
left = "x"

[[rule]]   # the second
code = "b"
"""


def _problem(call):
    with pytest.raises(InputError) as caught:
        call()
    (problem,) = caught.value.problems
    return problem


def test_a_settings_file_is_read_as_text_and_toml(tmp_path):
    path = tmp_path / "f.toml"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode())

    text, data = settings_toml_read(path)

    assert text == TEXT
    assert data["panel"] is True
    assert [rule["code"] for rule in data["rule"]] == ["a", "b"]
    assert settings_file_bytes(path) == b"\xef\xbb\xbf" + TEXT.encode()


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.toml"
    path.write_bytes(b"x" * 2_000)

    problem = _problem(lambda: settings_text(path, maximum=1_000))

    assert str(problem) == (f"{path}: the file is 2,000 bytes; at most 1,000 bytes are accepted")
    assert problem.code == ProblemCode.LIMIT_EXCEEDED


def test_text_that_is_not_utf8_names_its_line_and_byte(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes(b"a = 1\nname = '" + "中文".encode("gbk") + b"'\n")

    problem = _problem(lambda: settings_text(path))

    assert (problem.line, problem.column, problem.code) == (2, None, ProblemCode.UNREADABLE)
    assert problem.message == "not UTF-8 text (byte 9 of the line); save the file as UTF-8"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "a = 1 b\n",
            1,
            "not valid TOML: Expected newline or end of document after a statement (column 7)",
        ),
        ("[t]\nx = 1\n[t]\n", 3, "not valid TOML: Cannot declare ('t',) twice (column 3)"),
        ("a = 1\nb = [1,\n", 2, "not valid TOML: Invalid value"),
        ("a = 1\nb = ", 2, "not valid TOML: Invalid value"),
    ],
)
def test_a_syntax_error_has_its_line_and_column(text, line, message):
    problem = _problem(lambda: toml_parse(text, file="r.toml"))

    assert (problem.file, problem.line, problem.code, problem.message) == (
        "r.toml",
        line,
        ProblemCode.UNREADABLE,
        message,
    )


def test_key_lines_of_tables_and_keys():
    lines = KeyLines(TEXT)

    assert lines.line(key="panel") == 2
    assert lines.line(("outliers", 0), "history") == 6
    assert lines.line(("rule", 0)) == 8
    assert lines.line(("rule", 1), "code") == 13
    # a key that is not there: its table's header; the top level has none
    assert lines.line(("rule", 1), "left") == 12
    assert lines.line(key="missing") is None
    assert lines.line(("rule", 5), "code") is None


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("panel", 2),
        ("denominators[1]", 3),
        ("outliers", 5),
        ("outliers.history", 6),
        ("rule[0].left", 10),
        ("rule[1]", 12),
        ("rule[1].left", 12),
        ("rule[2].code", None),
        ("rule", None),
        ("nothing.here", None),
        ("not a path", None),
    ],
)
def test_path_lines(path, line):
    assert KeyLines(TEXT).path_line(path) == line
