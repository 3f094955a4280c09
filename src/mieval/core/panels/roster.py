"""Read the expert-panel files of ``DESIGN.md``: organisations, experts, conflicts, settings.

Pure Python on pandas, no Django. The readers follow ``mieval.core.tables.files``: every problem of
a file is collected with its file, line and column and raised together as one
:class:`~mieval.core.problems.InputError`; a reader never returns a half-read table. They reuse
that module's cell readers, so that a roster file reads like any other interchange file.

``read_<kind>`` returns a typed frame with a ``line`` column; ``panels_config_read`` returns a
:class:`~mieval.core.panels.optimiser.PanelConfig` or problems located by key.
"""

import math

import pandas as pd

from mieval.core.limits import excerpt
from mieval.core.panels.optimiser import CONFIG_MAXIMA, PanelConfig, config_problems
from mieval.core.panels.vocabulary import KIND_NAMES, ROLE_NAMES, ExpertRole, OrganisationKind
from mieval.core.problems import InputError, Problem, ProblemCode
from mieval.core.tables.files import (
    Notice,
    _base_province,
    _check_columns,
    _parse_integer,
    _Row,
    _start,
    _suggest,
)
from mieval.core.tables.settings_file import KeyLines, settings_toml_read

ORGANISATIONS_COLUMNS = ("code", "name_zh", "name_en", "kind", "province")
EXPERTS_COLUMNS = ("code", "name", "organisation", "province", "fields", "roles", "max_panels")
CONFLICTS_COLUMNS = ("expert_code", "base_code", "reason")


def _duplicate(row: _Row, code: str, first_line: dict[str, int], noun: str) -> None:
    if code in first_line:
        row.problem(
            "code",
            ProblemCode.DUPLICATE,
            f"code '{excerpt(code)}' is also on line {first_line[code]}; each {noun} needs its own"
            " code",
        )
    elif code:
        first_line[code] = row.line


def _codes(row: _Row, column: str) -> tuple[str, ...]:
    parts = []
    for part in row.get(column).replace("；", ";").split(";"):
        part = part.strip()
        if part and part not in parts:
            parts.append(part)
    return tuple(parts)


def read_organisations(path, *, on_notice: Notice = None) -> pd.DataFrame:
    """An organisations file as a frame, or :class:`InputError` naming every problem.

    Columns ``code, name_zh, name_en, kind`` (one of ``OrganisationKind``), ``province``
    (two-digit GB/T 2260 code) and ``line``; in file order.
    """
    collector, table = _start(path, on_notice)
    if not _check_columns(table, collector, ORGANISATIONS_COLUMNS, extra_allowed=False):
        collector.raise_if_any(table.header)
    out: dict[str, list] = {name: [] for name in [*ORGANISATIONS_COLUMNS, "line"]}
    first_line: dict[str, int] = {}
    for index in range(len(table.rows)):
        row = _Row(table, index, collector)
        code = row.code("code")
        _duplicate(row, code, first_line, "organisation")
        out["code"].append(code)
        out["name_zh"].append(row.required("name_zh"))
        out["name_en"].append(row.required("name_en"))
        kind = row.required("kind")
        if kind and kind not in set(OrganisationKind):
            row.problem(
                "kind",
                ProblemCode.UNKNOWN_CODE,
                f"unknown kind '{excerpt(kind)}' (allowed: {', '.join(OrganisationKind)})"
                + _suggest(kind, list(OrganisationKind), KIND_NAMES),
            )
        out["kind"].append(kind)
        out["province"].append(_base_province(row))
        out["line"].append(row.line)
    collector.raise_if_any(table.header)
    frame = pd.DataFrame({name: pd.Series(v, dtype="str") for name, v in out.items()})
    frame["line"] = pd.Series(out["line"], dtype="int64")
    return frame


def read_experts(path, *, organisations: pd.DataFrame, on_notice: Notice = None) -> pd.DataFrame:
    """An experts file as a frame, or :class:`InputError` naming every problem.

    Columns ``code, name, organisation`` (a code of ``organisations``), ``province``,
    ``fields`` (tuple of tags, may be empty), ``roles`` (non-empty tuple of ``ExpertRole``),
    ``max_panels`` (int64, at least 1) and ``line``; in file order.
    """
    collector, table = _start(path, on_notice)
    if not _check_columns(table, collector, EXPERTS_COLUMNS, extra_allowed=False):
        collector.raise_if_any(table.header)
    known = {str(c) for c in organisations["code"]}
    out: dict[str, list] = {name: [] for name in [*EXPERTS_COLUMNS, "line"]}
    first_line: dict[str, int] = {}
    for index in range(len(table.rows)):
        row = _Row(table, index, collector)
        code = row.code("code")
        _duplicate(row, code, first_line, "expert")
        out["code"].append(code)
        out["name"].append(row.required("name"))
        organisation = row.required("organisation")
        if organisation and organisation not in known:
            row.problem(
                "organisation",
                ProblemCode.UNKNOWN_CODE,
                f"unknown organisation code '{excerpt(organisation)}' (not among the {len(known)}"
                " organisations)" + _suggest(organisation, known),
            )
        out["organisation"].append(organisation)
        out["province"].append(_base_province(row))
        out["fields"].append(_codes(row, "fields"))
        out["roles"].append(_expert_roles(row))
        out["max_panels"].append(_expert_max_panels(row))
        out["line"].append(row.line)
    collector.raise_if_any(table.header)
    frame = pd.DataFrame(
        {
            name: pd.Series(v, dtype=object if name in ("fields", "roles") else "str")
            for name, v in out.items()
        }
    )
    frame["max_panels"] = pd.Series(out["max_panels"], dtype="int64")
    frame["line"] = pd.Series(out["line"], dtype="int64")
    return frame


def _expert_roles(row: _Row) -> tuple[str, ...]:
    roles = _codes(row, "roles")
    if not roles:
        row.required("roles")
        return ()
    allowed = list(ExpertRole)
    bad = [r for r in roles if r not in allowed]
    for role in bad:
        row.problem(
            "roles",
            ProblemCode.NOT_ALLOWED,
            f"role '{excerpt(role)}' is not allowed; use {' or '.join(allowed)}, or both separated"
            " by ';'" + _suggest(role, allowed, ROLE_NAMES),
        )
    return tuple(r for r in roles if r in allowed)


def _expert_max_panels(row: _Row) -> int:
    value = row.required("max_panels")
    if not value:
        return 0
    number = _parse_integer(value)
    if number is None:
        row.problem(
            "max_panels",
            ProblemCode.NOT_AN_INTEGER,
            f"'{excerpt(value)}' is not a whole number of panels",
        )
        return 0
    if number < 1:
        row.problem(
            "max_panels",
            ProblemCode.OUT_OF_RANGE,
            f"max_panels {number} is out of range; use 1 or more (leave out an expert who cannot"
            " sit on any panel)",
        )
        return 0
    # No expert sits on more panels than there can be (the field is a small integer too).
    if number > CONFIG_MAXIMA["groups"]:
        row.problem(
            "max_panels",
            ProblemCode.OUT_OF_RANGE,
            f"max_panels {_shown(value)} is out of range; use 1 to {CONFIG_MAXIMA['groups']}",
        )
        return 0
    return number


def _shown(text: str) -> str:
    """A bad cell quoted in a message: its start only, when it is long."""
    return text if len(text) <= 24 else text[:20] + "..."


def read_conflicts(
    path, *, experts: pd.DataFrame, bases: pd.DataFrame, on_notice: Notice = None
) -> pd.DataFrame:
    """A conflicts file as a frame, or :class:`InputError` naming every problem.

    Columns ``expert_code, base_code`` (codes of ``experts`` and ``bases``), ``reason`` (may be
    empty) and ``line``; a repeated pair is a problem.
    """
    collector, table = _start(path, on_notice)
    if not _check_columns(
        table, collector, CONFLICTS_COLUMNS[:2], ("reason",), extra_allowed=False
    ):
        collector.raise_if_any(table.header)
    expert_codes = {str(c) for c in experts["code"]}
    base_codes = {str(c) for c in bases["code"]}
    out: dict[str, list] = {name: [] for name in [*CONFLICTS_COLUMNS, "line"]}
    first_line: dict[tuple[str, str], int] = {}
    for index in range(len(table.rows)):
        row = _Row(table, index, collector)
        expert = row.required("expert_code")
        if expert and expert not in expert_codes:
            row.problem(
                "expert_code",
                ProblemCode.UNKNOWN_CODE,
                f"unknown expert code '{excerpt(expert)}' (not among the {len(expert_codes)}"
                " experts)" + _suggest(expert, expert_codes),
            )
        base = row.required("base_code")
        if base and base not in base_codes:
            row.problem(
                "base_code",
                ProblemCode.UNKNOWN_CODE,
                f"unknown base code '{excerpt(base)}' (not among the {len(base_codes)} bases)"
                + _suggest(base, base_codes),
            )
        if expert and base:
            if (expert, base) in first_line:
                row.problem(
                    None,
                    ProblemCode.DUPLICATE,
                    f"expert '{excerpt(expert)}' and base '{excerpt(base)}' are also on line"
                    f" {first_line[(expert, base)]}; keep one row",
                )
            else:
                first_line[(expert, base)] = row.line
        out["expert_code"].append(expert)
        out["base_code"].append(base)
        out["reason"].append(row.get("reason"))
        out["line"].append(row.line)
    collector.raise_if_any(table.header)
    frame = pd.DataFrame({name: pd.Series(v, dtype="str") for name, v in out.items()})
    frame["line"] = pd.Series(out["line"], dtype="int64")
    return frame


# --- settings --------------------------------------------------------------------------------

_CONFIG_KEYS = {
    "groups": int,
    "min_size": int,
    "max_size": int,
    "min_professional": int,
    "min_operational": int,
    "min_org_kinds": int,
    "max_per_organisation": int,
    "time_limit": float,
    "seed": int,
    "num_workers": int,
    "work_limit": float,
}


def panels_config_read(path) -> PanelConfig:
    """The settings of ``mieval panels`` from a TOML file of top-level keys (``DESIGN.md``:
    ``groups``, ``min_size``, ``max_size``, ``min_professional``, ``min_operational``,
    ``min_org_kinds``, ``max_per_organisation``, ``time_limit``, ``seed``; and ``num_workers``,
    ``work_limit``); a key left out keeps its default. :class:`InputError` names every unknown
    key, wrong type and value out of range."""
    file = str(path)
    text, data = settings_toml_read(path)
    lines = KeyLines(text)
    problems: list[Problem] = []

    def problem(key: str, code: ProblemCode, message: str) -> None:
        problems.append(Problem(file, lines.line(key=key), None, code, message, key=key))

    values: dict = {}
    for key, value in data.items():
        kind = _CONFIG_KEYS.get(key)
        if kind is None:
            allowed = f"unknown setting (allowed: {', '.join(_CONFIG_KEYS)})"
            problem(key, ProblemCode.UNKNOWN_KEY, allowed + _suggest(key, _CONFIG_KEYS))
            continue
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if kind is int and not (isinstance(value, int) and not isinstance(value, bool)):
            problem(key, ProblemCode.WRONG_TYPE, f"{value!r} is not a whole number")
            continue
        if kind is float and not (numeric and math.isfinite(value)):
            problem(key, ProblemCode.WRONG_TYPE, f"{value!r} is not a number")
            continue
        values[key] = value
    if not problems:
        candidate = object.__new__(PanelConfig)
        for name, default in PanelConfig.__dataclass_fields__.items():
            object.__setattr__(candidate, name, values.get(name, default.default))
        for key, reason in config_problems(candidate):
            problem(key, ProblemCode.OUT_OF_RANGE, reason)
    if problems:
        raise InputError(problems)
    return PanelConfig(**values)
