r"""Validation rules on yearly indicator values, in the manner of DHIS2's validation rules.

Plain Python on pandas/numpy, no Django: ``mieval check`` runs these on files, the web forms
and the Excel upload run them on one base's entry, the review runs them on a whole campaign.

Two kinds of rule
-----------------
A **comparison rule** (:class:`Rule`) compares two arithmetic expressions over the values of
one base in one year, ``left operator right``, and flags the (base, year) where it does not
hold. An expression is made of

- ``#{code}``: the value of indicator ``code`` for the base in the year,
- ``#{code}.previous``: its value in the year before,
- numbers (``10``, ``0.5``, ``1e3``), ``+ - * /``, unary minus and parentheses.

Expressions are parsed by a small recursive-descent parser (:func:`expression_parse`), never
by ``eval``; a syntax error names the position. ``operator`` is one of
``== != < <= > >=``; ``==`` and ``!=`` and the edges of the others allow a relative tolerance
of :data:`TOLERANCE` so that sums of decimals compare as a person expects (0.1 + 0.2 == 0.3).

The missing-value strategy decides what happens when an operand has no value (DHIS2's
``missingValueStrategy``; DHIS2 sets it per side, here one strategy covers the operands of both
sides):

- ``skip_if_any_missing`` (default): the rule is not checked where any operand is missing;
- ``skip_if_all_missing``: not checked where every operand is missing; a missing operand
  counts as 0 otherwise;
- ``never_skip``: always checked, a missing operand counts as 0 (so ``#{x} > 0`` with
  ``never_skip`` requires a value).

A division by zero skips the rule for that base and year with an ``info`` note; it never stops
the check. ``categories`` limits a rule to bases of these categories or subcategories.

A **year-over-year change rule** (:class:`ChangeRule`) compares each value with the same
base's value of the previous calendar year, for one or more indicators (all by default), and
flags the later value when

.. math:: x_t > r \, x_{t-1} \quad \text{or} \quad x_t < x_{t-1} / r

with ``r = max_ratio`` (default 5). The ratio is undefined where a value is 0: a change from 0
to a value above :math:`r - 1`, or from a value above :math:`r - 1` to 0, is flagged as ``info``
(the shifted ratio :math:`(1 + x_t) / (1 + x_{t-1})` exceeds ``r``), whatever the rule's
severity: a zero is often a real value but sometimes a missing one typed as 0. Negative values
are not compared.

Rules file (TOML)
-----------------
Every key is optional except those marked *required*; see ``examples/rules.toml``::

    include_defaults = false      # also run the built-in rules (default false)

    [outliers]                    # the outlier tests of mieval.core.checks.outliers
    history = true                # against the base's own history
    history_max_ratio = 5.0       # flag |ln(x_t / x_s) - group median| > ln(history_max_ratio)
    peers = true                  # against the subcategory's other bases, same year
    peers_max_z = 3.3             # flag |z| > peers_max_z * f_N (small-sample factor)
    peers_min_size = 3            # fewer reporting bases: not judged, info note

    [[rule]]
    code = "coop_per_project"     # required; letters, digits, '_', '-', '.'
    name_zh = "合作数量与项目数量"    # default: the code
    name_en = "Cooperation and projects"
    left = "#{univ_enterprise_coop}"                    # required
    operator = "<="                                     # required
    right = "#{institute_ie_projects} * 20 + 50"        # required
    severity = "warning"          # error | warning | info (default warning)
    missing = "skip_if_any_missing"   # | skip_if_all_missing | never_skip
    categories = ["university_institute"]   # category or subcategory codes; default all
    message_zh = "……{left}……{right}……"     # default: a generic sentence
    message_en = "... {left} ... {right} ..."

    [[yoy_rule]]
    code = "yoy_talent"           # required
    name_zh = "人才数量年度变化"
    name_en = "Yearly change of talent"
    indicators = ["national_talent"]   # default: every indicator
    max_ratio = 3.0               # > 1 (default 5)
    severity = "warning"
    message_zh = "……"
    message_en = "..."

Message templates take placeholders in braces (write ``{{`` and ``}}`` for a brace):

- comparison rules: ``{base}``, ``{year}``, ``{name}``, ``{left}`` and ``{right}`` (the two
  sides' values), ``{operator}``, ``{left_expression}``, ``{right_expression}``;
- change rules: ``{base}``, ``{year}``, ``{previous_year}``, ``{name}``, ``{indicator}`` (its
  name in the message's language), ``{indicator_code}``, ``{value}``, ``{previous}``,
  ``{ratio}``, ``{max_ratio}``, ``{direction}`` (rose/fell, 上升/下降).

Without ``--rules``, :func:`default_rule_set` applies: one change rule ``yoy_change``
(×5, warning, every indicator), one ``non_negative_<code>`` rule (error) for each indicator that
cannot be negative (an import refuses negatives when it reads the file; ``mieval check`` and
values typed into a web form meet the rule instead, which
:func:`mieval.core.checks.run.data_check` runs whatever the rule set), and both outlier tests
with their defaults.

Results
-------
:func:`rules_check` returns a problems frame with the columns of :data:`PROBLEM_COLUMNS`:
``base_code``, ``indicator_code`` (the first indicator of the left side, else of the right;
for a change rule the indicator flagged), ``year`` (nullable ``Int64``: the year checked; null
where a problem is not tied to one year), ``rule`` (the rule's code), ``severity``,
``message`` (English) and ``message_zh``; sorted by base, indicator, year and rule.

References
----------
DHIS2 documentation, "Configuring data quality: validation rules" (left side, operator, right
side, importance, missing value strategy ``SKIP_IF_ANY_VALUE_MISSING``,
``SKIP_IF_ALL_VALUES_MISSING``, ``NEVER_SKIP``).
"""

from __future__ import annotations

import difflib
import enum
import math
import re
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mieval.core.indicators import indicator_applies
from mieval.core.problems import InputError, Problem, ProblemCode
from mieval.core.reference import CATEGORY_BY_CODE, SUBCATEGORY_BY_CODE
from mieval.core.tables.settings_file import KeyLines, settings_text, toml_parse

#: Columns of every problems frame, in order.
PROBLEM_COLUMNS = (
    "base_code",
    "indicator_code",
    "year",
    "rule",
    "severity",
    "message",
    "message_zh",
)
#: The rule of a value whose indicator does not apply to the base's category.
RULE_NOT_APPLICABLE = "not_applicable"
#: Columns of :func:`rules_preview`.
PREVIEW_COLUMNS = ("rule", "severity", "checked", "skipped", "division_by_zero", "flagged")

#: Relative tolerance of comparisons: ``a == b`` when ``|a - b| <= TOLERANCE * max(1, |a|, |b|)``.
TOLERANCE = 1e-9
DEFAULT_MAX_RATIO = 5.0
MAX_EXPRESSION_LENGTH = 2000
_MAX_DEPTH = 100


class Severity(enum.StrEnum):
    """How serious a problem is; the members are in order, the most severe first."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for an error, 1 for a warning, 2 for a note: the key that sorts the most severe
        problems first."""
        return list(Severity).index(self)


SEVERITY_NAMES = {
    Severity.ERROR: ("错误", "error"),
    Severity.WARNING: ("警告", "warning"),
    Severity.INFO: ("提示", "info"),
}


class MissingStrategy(enum.StrEnum):
    SKIP_IF_ANY_MISSING = "skip_if_any_missing"
    SKIP_IF_ALL_MISSING = "skip_if_all_missing"
    NEVER_SKIP = "never_skip"


class Operator(enum.StrEnum):
    EQ = "=="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


# --- expressions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class Ref:
    """``#{code}`` or, with ``previous``, ``#{code}.previous``."""

    code: str
    previous: bool = False

    def __str__(self) -> str:
        return f"#{{{self.code}}}" + (".previous" if self.previous else "")


@dataclass(frozen=True)
class Negate:
    operand: Expression


@dataclass(frozen=True)
class Binary:
    op: str
    left: Expression
    right: Expression


Expression = Number | Ref | Negate | Binary


class ExpressionError(ValueError):
    """A syntax error in an expression; ``position`` is the 0-based character index."""

    def __init__(self, text: str, position: int, reason: str):
        self.text, self.position, self.reason = text, position, reason
        super().__init__(f"{reason} at character {position + 1} of '{text}'")


_NUMBER_RE = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_CODE_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SUFFIX_RE = re.compile(r"\.([A-Za-z_]\w*)")


def _tokens(text: str) -> list[tuple[str, object, int]]:
    """(kind, value, position) for kinds 'num', 'ref', 'op', 'end'."""
    out: list[tuple[str, object, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "+-*/()":
            out.append(("op", ch, i))
            i += 1
        elif ch == "#":
            if not text.startswith("#{", i):
                raise ExpressionError(text, i, "'#' must start an indicator reference '#{code}'")
            close = text.find("}", i + 2)
            if close < 0:
                raise ExpressionError(text, i, "'#{' is never closed with '}'")
            code = text[i + 2 : close].strip()
            if not _CODE_RE.fullmatch(code):
                raise ExpressionError(
                    text,
                    i,
                    f"'{code}' is not an indicator code (letters, digits and '_')",
                )
            start, i = i, close + 1
            previous = False
            suffix = _SUFFIX_RE.match(text, i)
            if suffix:
                if suffix.group(1) != "previous":
                    raise ExpressionError(
                        text, i, f"unknown suffix '.{suffix.group(1)}'; only '.previous' exists"
                    )
                previous, i = True, suffix.end()
            out.append(("ref", Ref(code, previous), start))
        else:
            match = _NUMBER_RE.match(text, i)
            if not match:
                raise ExpressionError(
                    text, i, f"unexpected '{ch}'; use numbers, #{{code}}, + - * / and parentheses"
                )
            out.append(("num", Number(float(match.group())), i))
            i = match.end()
    out.append(("end", None, n))
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> tuple[str, object, int]:
        return self.tokens[self.at]

    def take(self) -> tuple[str, object, int]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def fail(self, reason: str) -> ExpressionError:
        return ExpressionError(self.text, self.peek()[2], reason)

    def expression(self, depth: int) -> Expression:
        node = self.term(depth)
        while self.peek()[0] == "op" and self.peek()[1] in "+-":
            op = self.take()[1]
            node = Binary(str(op), node, self.term(depth))
        return node

    def term(self, depth: int) -> Expression:
        node = self.unary(depth)
        while self.peek()[0] == "op" and self.peek()[1] in "*/":
            op = self.take()[1]
            node = Binary(str(op), node, self.unary(depth))
        return node

    def unary(self, depth: int) -> Expression:
        if depth > _MAX_DEPTH:
            raise self.fail("the expression is nested too deeply")
        kind, value, _ = self.peek()
        if kind == "op" and value in "+-":
            self.take()
            operand = self.unary(depth + 1)
            return Negate(operand) if value == "-" else operand
        return self.atom(depth)

    def atom(self, depth: int) -> Expression:
        kind, value, _ = self.peek()
        if kind in ("num", "ref"):
            self.take()
            return value  # type: ignore[return-value]
        if kind == "op" and value == "(":
            self.take()
            node = self.expression(depth + 1)
            if self.peek()[0] != "op" or self.peek()[1] != ")":
                raise self.fail("expected ')'")
            self.take()
            return node
        found = "the end" if kind == "end" else f"'{value}'"
        raise self.fail(f"expected a number, #{{code}} or '(' but found {found}")


def expression_parse(text: str) -> Expression:
    """Parse an expression of indicator references (see the module docstring).

    Raises
    ------
    ExpressionError
        With the position and the reason, e.g. "expected ')' at character 12 of '...'".
    """
    if not isinstance(text, str):
        raise ExpressionError(str(text), 0, "an expression must be text")
    if not text.strip():
        raise ExpressionError(text, 0, "the expression is empty")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(
            text[:40] + "...", 0, f"longer than {MAX_EXPRESSION_LENGTH} characters"
        )
    parser = _Parser(text)
    node = parser.expression(0)
    if parser.peek()[0] != "end":
        # Quote the token as written, not as parsed ('3', not 'Number(value=3.0)').
        position = parser.peek()[2]
        following = parser.tokens[parser.at + 1][2]
        written = text[position:following].strip()
        raise parser.fail(f"unexpected '{written}'; an operator is missing before it")
    return node


def expression_refs(node: Expression) -> list[Ref]:
    """The indicator references of an expression, left to right, each once."""
    found: list[Ref] = []

    def walk(n: Expression) -> None:
        if isinstance(n, Ref):
            if n not in found:
                found.append(n)
        elif isinstance(n, Negate):
            walk(n.operand)
        elif isinstance(n, Binary):
            walk(n.left)
            walk(n.right)

    walk(node)
    return found


def _evaluate(
    node: Expression, operand: Callable[[Ref], np.ndarray], size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Values of ``node`` over ``size`` rows, and where a division by zero occurred."""
    if isinstance(node, Number):
        return np.full(size, node.value), np.zeros(size, dtype=bool)
    if isinstance(node, Ref):
        return operand(node), np.zeros(size, dtype=bool)
    if isinstance(node, Negate):
        value, zero = _evaluate(node.operand, operand, size)
        return -value, zero
    left, left_zero = _evaluate(node.left, operand, size)
    right, right_zero = _evaluate(node.right, operand, size)
    zero = left_zero | right_zero
    if node.op == "+":
        return left + right, zero
    if node.op == "-":
        return left - right, zero
    if node.op == "*":
        return left * right, zero
    by_zero = right == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(by_zero, np.nan, left / np.where(by_zero, 1.0, right))
    return value, zero | by_zero


def _compare(left: np.ndarray, op: Operator, right: np.ndarray) -> np.ndarray:
    """Whether ``left op right`` holds, within :data:`TOLERANCE`."""
    tolerance = TOLERANCE * np.maximum(1.0, np.maximum(np.abs(left), np.abs(right)))
    difference = left - right
    if op is Operator.EQ:
        return np.abs(difference) <= tolerance
    if op is Operator.NE:
        return np.abs(difference) > tolerance
    if op is Operator.LT:
        return difference < -tolerance
    if op is Operator.LE:
        return difference <= tolerance
    if op is Operator.GT:
        return difference > tolerance
    return difference >= -tolerance


# --- rules -----------------------------------------------------------------------------------

_RULE_FIELDS = ("base", "year", "name", "left", "right", "operator")
RULE_PLACEHOLDERS = (*_RULE_FIELDS, "left_expression", "right_expression")
CHANGE_PLACEHOLDERS = (
    "base",
    "year",
    "previous_year",
    "name",
    "indicator",
    "indicator_code",
    "value",
    "previous",
    "ratio",
    "max_ratio",
    "direction",
)
_CODE_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")

DEFAULT_RULE_MESSAGE_EN = (
    "{name}: {left_expression} {operator} {right_expression} does not hold"
    " (left side {left}, right side {right})."
)
DEFAULT_RULE_MESSAGE_ZH = (
    "{name}：不满足 {left_expression} {operator} {right_expression}"
    "（左边为 {left}，右边为 {right}）。"
)
DEFAULT_CHANGE_MESSAGE_EN = (
    "{indicator} {direction} from {previous} in {previous_year} to {value} in {year}"
    " (×{ratio}), more than a {max_ratio}-fold change on the previous year; please verify."
)
DEFAULT_CHANGE_MESSAGE_ZH = (
    "{indicator}由{previous_year}年的{previous}{direction}至{year}年的{value}（×{ratio}），"
    "变化超过上年的{max_ratio}倍，请核实。"
)


def template_check(template: str, allowed: Sequence[str]) -> str | None:
    """The reason a message template is unusable, or ``None``: only ``{name}`` placeholders
    from ``allowed``, without format specifications; braces doubled to be literal."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as error:
        return f"{error}; write '{{{{' and '}}}}' for a literal brace"
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in allowed:
            return f"unknown placeholder '{{{name}}}'; allowed: " + ", ".join(
                f"{{{a}}}" for a in allowed
            )
        if spec or conversion:
            return f"placeholder '{{{name}}}' cannot carry a format ('!' or ':')"
    return None


@dataclass(frozen=True)
class Rule:
    """A comparison rule ``left operator right`` over one base and year (module docstring).

    Constructing a rule parses its expressions and templates; a problem raises
    :class:`ValueError` naming the rule, the part and the position.
    """

    code: str
    left: str
    operator: Operator | str
    right: str
    severity: Severity | str = Severity.WARNING
    missing: MissingStrategy | str = MissingStrategy.SKIP_IF_ANY_MISSING
    categories: tuple[str, ...] = ()
    name_zh: str = ""
    name_en: str = ""
    message_zh: str = ""
    message_en: str = ""
    left_tree: Expression = field(init=False, repr=False, compare=False)
    right_tree: Expression = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "operator", _enum_value(Operator, self.operator, self.code, "operator"))
        set_(self, "severity", _enum_value(Severity, self.severity, self.code, "severity"))
        set_(self, "missing", _enum_value(MissingStrategy, self.missing, self.code, "missing"))
        set_(self, "categories", tuple(self.categories))
        for side in ("left", "right"):
            try:
                set_(self, f"{side}_tree", expression_parse(getattr(self, side)))
            except ExpressionError as error:
                raise ValueError(f"rule '{self.code}', {side}: {error}") from None
        if not self.refs:
            raise ValueError(f"rule '{self.code}': neither side refers to an indicator (#{{code}})")
        for name in ("message_zh", "message_en"):
            reason = template_check(getattr(self, name), RULE_PLACEHOLDERS)
            if reason:
                raise ValueError(f"rule '{self.code}', {name}: {reason}")

    @property
    def refs(self) -> list[Ref]:
        return expression_refs(Binary("+", self.left_tree, self.right_tree))

    @property
    def indicator_code(self) -> str:
        """The indicator a problem of this rule is filed under."""
        left = expression_refs(self.left_tree)
        return (left or self.refs)[0].code


@dataclass(frozen=True)
class ChangeRule:
    """A year-over-year change rule: ``x_t`` against ``x_{t-1}`` (module docstring)."""

    code: str = "yoy_change"
    indicators: tuple[str, ...] = ()
    max_ratio: float = DEFAULT_MAX_RATIO
    severity: Severity | str = Severity.WARNING
    name_zh: str = "年度变化"
    name_en: str = "Year-over-year change"
    message_zh: str = ""
    message_en: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "severity", _enum_value(Severity, self.severity, self.code, "severity"))
        set_(self, "indicators", tuple(self.indicators))
        if not (isinstance(self.max_ratio, int | float) and self.max_ratio > 1):
            raise ValueError(
                f"rule '{self.code}': max_ratio {self.max_ratio!r} must be a number above 1"
            )
        for name in ("message_zh", "message_en"):
            reason = template_check(getattr(self, name), CHANGE_PLACEHOLDERS)
            if reason:
                raise ValueError(f"rule '{self.code}', {name}: {reason}")


@dataclass(frozen=True)
class OutlierSettings:
    """Parameters of the outlier tests (:mod:`mieval.core.checks.outliers`)."""

    history: bool = True
    history_max_ratio: float = DEFAULT_MAX_RATIO
    peers: bool = True
    peers_max_z: float = 3.3
    peers_min_size: int = 3


@dataclass(frozen=True)
class RuleSet:
    """What ``mieval check`` runs: rules and the outlier tests' settings."""

    rules: tuple[Rule | ChangeRule, ...] = ()
    outliers: OutlierSettings = OutlierSettings()


def _enum_value(kind: type[enum.StrEnum], value, code: str, name: str):
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise ValueError(f"rule '{code}': {name} {value!r} is not allowed; use {allowed}") from None


def default_rules(indicators: pd.DataFrame | None = None) -> tuple[Rule | ChangeRule, ...]:
    """The built-in rules: ``yoy_change`` (×5, warning) on every indicator, and
    :func:`non_negative_rules`."""
    return (ChangeRule(), *non_negative_rules(indicators))


def non_negative_rules(indicators: pd.DataFrame | None = None) -> tuple[Rule, ...]:
    """``non_negative_<code>`` (error) for every indicator that cannot be negative: a property
    of the indicator, so :func:`mieval.core.checks.run.data_check` runs these whatever the
    rules file says."""
    indicators = _indicator_frame(indicators)
    rules = []
    for record in indicators.to_dict("records"):
        if not record.get("non_negative", True):
            continue
        code = str(record["code"])
        name_zh = str(record.get("name_zh") or code)
        name_en = str(record.get("name_en") or code)
        rules.append(
            Rule(
                code=f"non_negative_{code}",
                left=f"#{{{code}}}",
                operator=Operator.GE,
                right="0",
                severity=Severity.ERROR,
                name_zh=f"{name_zh}不得为负",
                name_en=f"{name_en} cannot be negative",
                message_zh=f"{name_zh}为{{left}}，不得为负数。",
                message_en=f"{name_en} is {{left}}; it cannot be negative.",
            )
        )
    return tuple(rules)


def not_applicable_check(
    values: pd.DataFrame, bases: pd.DataFrame, indicators: pd.DataFrame | None = None
) -> pd.DataFrame:
    """An error (rule ``not_applicable``) for each value of an indicator that does not apply to
    the base's category (the indicator's ``categories``; empty: every category)."""
    from mieval.core.tables.files import indicator_lookup

    indicators = _indicator_frame(indicators)
    lookup = indicator_lookup(indicators)
    names = indicator_names(indicators)
    mask = not_applicable_mask(values, bases, indicators)
    records = []
    if mask.any():
        category = (
            bases["category"].astype(str).to_numpy(dtype=object)[base_positions(values, bases)]
        )
        picked = values.loc[mask, ["base_code", "indicator_code", "year", "value"]]
        for (base, code, year, value), kind in zip(
            picked.itertuples(index=False, name=None), category[mask], strict=True
        ):
            name_zh, name_en = names.get(str(code), (str(code), str(code)))
            allowed = lookup[str(code)][0]
            kind_zh, kind_en = category_names(kind)
            allowed_zh = "、".join(category_names(c)[0] for c in allowed)
            allowed_en = ", ".join(category_names(c)[1] for c in allowed)
            records.append(
                {
                    "base_code": str(base),
                    "indicator_code": str(code),
                    "year": int(year),
                    "rule": RULE_NOT_APPLICABLE,
                    "severity": Severity.ERROR.value,
                    "message": (
                        f"{name_en}: {number_text(float(value))} in {int(year)}, but the"
                        f" indicator does not apply to the base's category, {kind_en} (only to"
                        f" {allowed_en})."
                    ),
                    "message_zh": (
                        f"{name_zh}：{int(year)}年填报了{number_text(float(value))}，但该指标不适用"
                        f"于该基地的类别“{kind_zh}”（仅适用于{allowed_zh}）。"
                    ),
                }
            )
    return problems_frame(records)


def not_applicable_mask(
    values: pd.DataFrame, bases: pd.DataFrame, indicators: pd.DataFrame | None = None
) -> np.ndarray:
    """Which rows of ``values`` hold a value of an indicator that does not apply to the base's
    category."""
    from mieval.core.tables.files import indicator_lookup

    lookup = indicator_lookup(_indicator_frame(indicators))
    kinds = pd.unique(bases["category"].astype(str).to_numpy(dtype=object))
    # Per indicator, the categories of these bases it does not apply to (most: none).
    excluded = {
        code: [kind for kind in kinds if not indicator_applies(cats, kind)]
        for code, (cats, _) in lookup.items()
    }
    excluded = {code: outside for code, outside in excluded.items() if outside}
    if not excluded:
        return np.zeros(len(values), dtype=bool)
    category = bases["category"].astype(str).to_numpy(dtype=object)[base_positions(values, bases)]
    codes = values["indicator_code"].astype(str).to_numpy(dtype=object)
    reported = pd.notna(numbers_of(values["value"], "values"))
    mask = np.zeros(len(values), dtype=bool)
    for code, outside in excluded.items():
        rows = codes == code
        if rows.any():
            mask[rows] = np.isin(category[rows], outside)
    return mask & reported


def category_names(code: str) -> tuple[str, str]:
    known = CATEGORY_BY_CODE.get(code)
    return (known.name_zh, known.name_en) if known else (code, code)


def default_rule_set(indicators: pd.DataFrame | None = None) -> RuleSet:
    """The rules and outlier settings used when no rules file is given."""
    return RuleSet(default_rules(indicators), OutlierSettings())


def _indicator_frame(indicators: pd.DataFrame | None) -> pd.DataFrame:
    if indicators is None:
        from mieval.core.indicators import builtin_indicators_frame

        return builtin_indicators_frame()
    return indicators


# --- the panel -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Panel:
    """Values as a dense cube ``[base, year, indicator]`` (NaN where missing)."""

    base_codes: np.ndarray
    categories: np.ndarray
    subcategories: np.ndarray
    years: np.ndarray
    indicator_position: dict[str, int]
    cube: np.ndarray

    def column(self, code: str, previous: bool) -> np.ndarray:
        """One indicator as ``[base, year]``; with ``previous``, the year before's value."""
        n_bases, n_years = len(self.base_codes), len(self.years)
        position = self.indicator_position.get(code)
        if position is None:
            return np.full((n_bases, n_years), np.nan)
        values = self.cube[:, :, position]
        if not previous:
            return values
        shifted = np.full((n_bases, n_years), np.nan)
        shifted[:, 1:] = values[:, :-1]
        return shifted


def _require(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(missing)}")


def numbers_of(column: pd.Series, name: str) -> np.ndarray:
    """A value column as float64 (NaN where missing), or ValueError naming a non-number."""
    if column.dtype == np.float64:
        return column.to_numpy()
    converted = pd.to_numeric(column, errors="coerce")
    bad = converted.isna() & column.notna() & (column.astype("str").str.strip() != "")
    if bad.any():
        raise ValueError(f"{name}: {column[bad].iloc[0]!r} is not a number")
    return converted.to_numpy(dtype=np.float64, na_value=np.nan)


def years_of(column: pd.Series, name: str) -> np.ndarray:
    """A year column as int64, or ValueError."""
    if column.isna().any():
        raise ValueError(f"{name}: column 'year' has a missing year")
    as_float = pd.to_numeric(column, errors="raise").to_numpy(dtype=np.float64)
    as_int = as_float.astype(np.int64)
    if not np.array_equal(as_int, as_float):
        raise ValueError(f"{name}: column 'year' holds a year that is not a whole number")
    return as_int


def base_positions(values: pd.DataFrame, bases: pd.DataFrame) -> np.ndarray:
    """Each value row's position in ``bases``; ValueError for a code not among the bases."""
    _require(values, ("base_code", "indicator_code", "year", "value"), "values")
    _require(bases, ("code", "category", "subcategory"), "bases")
    index = pd.Index(bases["code"].astype(str))
    if not index.is_unique:
        raise ValueError(f"bases: code {index[index.duplicated()][0]!r} occurs more than once")
    column = values["base_code"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        # Through the categories: millions of rows need not become strings.
        known = index.get_indexer(column.cat.categories.astype(str))
        codes = column.cat.codes.to_numpy()
        position = np.where(codes >= 0, known[codes], -1)
    else:
        position = index.get_indexer(column.astype(str))
    if (position < 0).any():
        unknown = sorted(set(values["base_code"].astype(str)[position < 0]))
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        raise ValueError(f"values: base codes not in bases: {', '.join(unknown[:10])}{more}")
    return position


def _panel(values: pd.DataFrame, bases: pd.DataFrame) -> _Panel:
    base_pos = base_positions(values, bases)
    years = years_of(values["year"], "values")
    numbers = numbers_of(values["value"], "values")
    indicator_codes, indicator_names = pd.factorize(values["indicator_code"])
    indicator_names = [str(code) for code in indicator_names]
    if len(years):
        year_range = np.arange(years.min(), years.max() + 1)
        year_pos = years - years.min()
    else:
        year_range = np.zeros(0, dtype=np.int64)
        year_pos = years
    n_bases, n_years, n_indicators = len(bases), len(year_range), len(indicator_names)
    flat = (base_pos * n_years + year_pos) * n_indicators + indicator_codes
    # bincount: linear in time, where np.unique would sort or hash tens of millions of keys
    size = n_bases * n_years * n_indicators
    if len(flat) and np.bincount(flat, minlength=size).max() > 1:
        duplicated = pd.Series(flat).duplicated()
        row = values[duplicated.to_numpy()].iloc[0]
        raise ValueError(
            f"values: base {row['base_code']!r}, indicator {row['indicator_code']!r}, year"
            f" {row['year']} occurs more than once"
        )
    cube = np.full(size, np.nan)
    cube[flat] = numbers
    return _Panel(
        base_codes=bases["code"].astype(str).to_numpy(dtype=object),
        categories=bases["category"].astype(str).to_numpy(dtype=object),
        subcategories=bases["subcategory"].astype(str).to_numpy(dtype=object),
        years=year_range,
        indicator_position={str(code): i for i, code in enumerate(indicator_names)},
        cube=cube.reshape(n_bases, n_years, n_indicators),
    )


# --- running rules ---------------------------------------------------------------------------


def number_text(x: float) -> str:
    """A number as a person reads it in a message: ``12,158``, ``91.6``, ``0.001234``."""
    if not math.isfinite(x):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    digits = max(0, 5 - math.floor(math.log10(abs(x))))
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".")


def ratio_text(r: float) -> str:
    return f"{r:,.0f}" if r >= 100 else f"{r:.3g}"


def problems_frame(records: list[dict]) -> pd.DataFrame:
    """Problem records as a frame of :data:`PROBLEM_COLUMNS`, sorted by base, indicator, year,
    rule (then severity and message, so the order never depends on the input's)."""
    frame = pd.DataFrame(records, columns=list(PROBLEM_COLUMNS))
    for column in PROBLEM_COLUMNS:
        if column != "year":
            frame[column] = frame[column].astype("str")
    frame["year"] = frame["year"].astype("Int64")
    if frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(
        ["base_code", "indicator_code", "year", "rule", "severity", "message"],
        na_position="last",
        kind="stable",
    ).reset_index(drop=True)


@dataclass
class _Counts:
    checked: int = 0
    skipped: int = 0
    division_by_zero: int = 0
    flagged: int = 0


def indicator_names(indicators: pd.DataFrame | None) -> dict[str, tuple[str, str]]:
    frame = _indicator_frame(indicators)
    out = {}
    for record in frame.to_dict("records"):
        code = str(record["code"])
        zh, en = record.get("name_zh"), record.get("name_en")
        out[code] = (
            zh if isinstance(zh, str) and zh else code,
            en if isinstance(en, str) and en else code,
        )
    return out


def _applies(panel: _Panel, categories: tuple[str, ...]) -> np.ndarray:
    if not categories:
        return np.ones(len(panel.base_codes), dtype=bool)
    wanted = list(categories)
    return np.isin(panel.categories, wanted) | np.isin(panel.subcategories, wanted)


def _run_rule(rule: Rule, panel: _Panel, records: list[dict]) -> _Counts:
    counts = _Counts()
    applies = _applies(panel, rule.categories)
    if not applies.any() or not len(panel.years):
        return counts
    rows_base, rows_year = np.nonzero(
        np.broadcast_to(applies[:, None], (len(applies), len(panel.years)))
    )
    size = len(rows_base)
    refs = rule.refs
    raw = {ref: panel.column(ref.code, ref.previous)[rows_base, rows_year] for ref in refs}
    missing = np.stack([np.isnan(raw[ref]) for ref in refs])
    if rule.missing is MissingStrategy.SKIP_IF_ANY_MISSING:
        skip = missing.any(axis=0)
    elif rule.missing is MissingStrategy.SKIP_IF_ALL_MISSING:
        skip = missing.all(axis=0)
    else:
        skip = np.zeros(size, dtype=bool)
    filled = {ref: np.nan_to_num(values, nan=0.0) for ref, values in raw.items()}
    left, left_zero = _evaluate(rule.left_tree, filled.__getitem__, size)
    right, right_zero = _evaluate(rule.right_tree, filled.__getitem__, size)
    by_zero = (left_zero | right_zero) & ~skip
    checked = ~skip & ~by_zero
    with np.errstate(invalid="ignore"):
        flagged = checked & ~_compare(left, rule.operator, right)
    counts.skipped = int(skip.sum())
    counts.division_by_zero = int(by_zero.sum())
    counts.checked = int(checked.sum())
    counts.flagged = int(flagged.sum())

    indicator = rule.indicator_code
    for i in np.flatnonzero(flagged):
        base, year = panel.base_codes[rows_base[i]], int(panel.years[rows_year[i]])
        fields = {
            "base": base,
            "year": str(year),
            "left": number_text(float(left[i])),
            "right": number_text(float(right[i])),
            "operator": rule.operator.value,
            "left_expression": rule.left,
            "right_expression": rule.right,
        }
        records.append(
            {
                "base_code": base,
                "indicator_code": indicator,
                "year": year,
                "rule": rule.code,
                "severity": rule.severity.value,
                "message": (rule.message_en or DEFAULT_RULE_MESSAGE_EN).format_map(
                    {**fields, "name": rule.name_en or rule.code}
                ),
                "message_zh": (rule.message_zh or DEFAULT_RULE_MESSAGE_ZH).format_map(
                    {**fields, "name": rule.name_zh or rule.code}
                ),
            }
        )
    for i in np.flatnonzero(by_zero):
        base, year = panel.base_codes[rows_base[i]], int(panel.years[rows_year[i]])
        records.append(
            {
                "base_code": base,
                "indicator_code": indicator,
                "year": year,
                "rule": rule.code,
                "severity": Severity.INFO.value,
                "message": f"Rule '{rule.code}' was not checked: division by zero in"
                f" '{rule.left} {rule.operator.value} {rule.right}'.",
                "message_zh": f"规则“{rule.code}”未检查：表达式"
                f"“{rule.left} {rule.operator.value} {rule.right}”中出现除以零。",
            }
        )
    return counts


def _run_change_rule(
    rule: ChangeRule,
    panel: _Panel,
    names: dict[str, tuple[str, str]],
    records: list[dict],
) -> _Counts:
    counts = _Counts()
    codes = rule.indicators or tuple(panel.indicator_position)
    ratio_limit = float(rule.max_ratio)
    for code in codes:
        if code not in panel.indicator_position or len(panel.years) < 2:
            continue
        column = panel.column(code, previous=False)
        current, previous = column[:, 1:], column[:, :-1]
        with np.errstate(invalid="ignore", divide="ignore"):
            both = ~np.isnan(current) & ~np.isnan(previous) & (current >= 0) & (previous >= 0)
            positive = both & (current > 0) & (previous > 0)
            ratio = np.where(positive, current / np.where(positive, previous, 1.0), np.nan)
            jump = positive & ((ratio > ratio_limit) | (ratio * ratio_limit < 1))
            # No ratio to or from zero: compare the shifted values (1 + x) instead.
            from_zero = both & (previous == 0) & (current > ratio_limit - 1)
            to_zero = both & (current == 0) & (previous > ratio_limit - 1)
        counts.checked += int(both.sum())
        counts.flagged += int(jump.sum() + from_zero.sum() + to_zero.sum())
        name_zh, name_en = names.get(code, (code, code))
        for b, t in zip(*np.nonzero(jump | from_zero | to_zero), strict=True):
            base = panel.base_codes[b]
            year, year_before = int(panel.years[t + 1]), int(panel.years[t])
            value, before = float(current[b, t]), float(previous[b, t])
            if jump[b, t]:
                fields = {
                    "base": base,
                    "year": str(year),
                    "previous_year": str(year_before),
                    "indicator_code": code,
                    "value": number_text(value),
                    "previous": number_text(before),
                    "ratio": ratio_text(float(ratio[b, t])),
                    "max_ratio": number_text(ratio_limit),
                }
                rose = value > before
                severity = rule.severity.value
                message = (rule.message_en or DEFAULT_CHANGE_MESSAGE_EN).format_map(
                    {
                        **fields,
                        "name": rule.name_en,
                        "indicator": name_en,
                        "direction": "rose" if rose else "fell",
                    }
                )
                message_zh = (rule.message_zh or DEFAULT_CHANGE_MESSAGE_ZH).format_map(
                    {
                        **fields,
                        "name": rule.name_zh,
                        "indicator": name_zh,
                        "direction": "上升" if rose else "下降",
                    }
                )
            else:
                severity = Severity.INFO.value
                message, message_zh = zero_change_messages(
                    (name_zh, name_en), year_before, before, year, value
                )
            records.append(
                {
                    "base_code": base,
                    "indicator_code": code,
                    "year": year,
                    "rule": rule.code,
                    "severity": severity,
                    "message": message,
                    "message_zh": message_zh,
                }
            )
    return counts


def zero_change_messages(
    names: tuple[str, str], year_before: int, before: float, year: int, value: float
) -> tuple[str, str]:
    """English and Chinese messages for a change from or to zero."""
    name_zh, name_en = names
    if before == 0:
        return (
            f"{name_en} rose from 0 in {year_before} to {number_text(value)} in {year}; a change"
            " from zero has no ratio, please verify.",
            f"{name_zh}由{year_before}年的0增至{year}年的{number_text(value)}，"
            "从零起的变化无法计算倍数，请核实。",
        )
    return (
        f"{name_en} fell from {number_text(before)} in {year_before} to 0 in {year}; please"
        " verify that 0 is not a missing value.",
        f"{name_zh}由{year_before}年的{number_text(before)}降至{year}年的0，请核实0是否为漏填。",
    )


def _rules_run(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    rules: Iterable[Rule | ChangeRule],
    indicators: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rules = list(rules)
    panel = _panel(values, bases)
    names = indicator_names(indicators)
    records: list[dict] = []
    preview = []
    for rule in rules:
        if isinstance(rule, Rule):
            counts = _run_rule(rule, panel, records)
        elif isinstance(rule, ChangeRule):
            counts = _run_change_rule(rule, panel, names, records)
        else:
            raise TypeError(f"rules: {rule!r} is neither a Rule nor a ChangeRule")
        preview.append(
            {
                "rule": rule.code,
                "severity": rule.severity.value,
                "checked": counts.checked,
                "skipped": counts.skipped,
                "division_by_zero": counts.division_by_zero,
                "flagged": counts.flagged,
            }
        )
    return problems_frame(records), pd.DataFrame(preview, columns=list(PREVIEW_COLUMNS))


def rules_check(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    rules: Sequence[Rule | ChangeRule],
    *,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Run validation rules on yearly values.

    Parameters
    ----------
    values : pandas.DataFrame
        Long format ``base_code, indicator_code, year, value`` (other columns ignored); at most
        one row per base, indicator and year; a missing value is a missing row or NaN.
    bases : pandas.DataFrame
        ``code, category, subcategory``: every base checked. A comparison rule is evaluated
        for every base (of its categories) and every year from the first to the last year in
        ``values``, so ``never_skip`` rules also see bases that reported nothing.
    rules : sequence of Rule or ChangeRule
        See the module docstring; :func:`default_rules` gives the built-in ones.
    indicators : pandas.DataFrame, optional
        ``code, name_zh, name_en`` for the messages (default: the twelve built in).

    Returns
    -------
    pandas.DataFrame
        :data:`PROBLEM_COLUMNS`, one row per flagged base and year (per indicator, for change
        rules), plus one ``info`` row per base and year skipped for a division by zero. The
        inputs are not modified.
    """
    return _rules_run(values, bases, rules, indicators)[0]


def rules_preview(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    rules: Sequence[Rule | ChangeRule],
    *,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How each rule fares on the data, to try a rule before adopting it.

    Returns
    -------
    pandas.DataFrame
        :data:`PREVIEW_COLUMNS`, one row per rule in the given order: ``checked`` (base-years,
        or for change rules pairs of consecutive values, that were compared), ``skipped``
        (missing operands), ``division_by_zero``, ``flagged`` (problems of the rule, zero
        changes included).
    """
    return _rules_run(values, bases, rules, indicators)[1]


# --- the rules file --------------------------------------------------------------------------

_TOP_KEYS = ("include_defaults", "outliers", "rule", "yoy_rule")
_RULE_KEYS = (
    "code",
    "name_zh",
    "name_en",
    "left",
    "operator",
    "right",
    "severity",
    "missing",
    "categories",
    "message_zh",
    "message_en",
)
_YOY_KEYS = (
    "code",
    "name_zh",
    "name_en",
    "indicators",
    "max_ratio",
    "severity",
    "message_zh",
    "message_en",
)
_OUTLIER_KEYS = ("history", "history_max_ratio", "peers", "peers_max_z", "peers_min_size")
_RESERVED_CODES = ("outlier_history", "outlier_peers", RULE_NOT_APPLICABLE)


class _RulesFile:
    def __init__(self, file: str, text: str):
        self.file = file
        self.lines = KeyLines(text)
        self.problems: list[Problem] = []
        self.codes: dict[tuple[str, int], str] = {}

    def add(self, table: tuple[str, int], key: str | None, code: ProblemCode, text: str) -> None:
        line = self.lines.line(table, key)
        name, index = table
        path = name if name in ("", "outliers") else f"{name}[{index + 1}]"
        if key:
            path = f"{path}.{key}" if path else key
        if table in self.codes and key != "code":
            text = f"rule '{self.codes[table]}': {text}"
        self.problems.append(Problem(self.file, line, None, code, text, key=path or None))


def _suggest(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=2, cutoff=0.6)
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?" if close else ""


def _check_keys(
    data: dict, allowed: Sequence[str], table: tuple[str, int], out: _RulesFile
) -> None:
    for key in data:
        if key not in allowed:
            out.add(
                table,
                key,
                ProblemCode.UNKNOWN_KEY,
                f"unknown key '{key}' (allowed: {', '.join(allowed)})" + _suggest(key, allowed),
            )


def _text(data: dict, key: str, table, out: _RulesFile, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            out.add(table, key, ProblemCode.REQUIRED, f"'{key}' is required")
        return ""
    if not isinstance(value, str):
        out.add(table, key, ProblemCode.WRONG_TYPE, f"'{key}' must be text in quotes")
        return ""
    return value


def _texts(data: dict, key: str, table, out: _RulesFile) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        out.add(
            table, key, ProblemCode.WRONG_TYPE, f'\'{key}\' must be a list of texts: ["a", "b"]'
        )
        return ()
    return tuple(value)


def _float_above(
    data: dict, key: str, default: float, table, out: _RulesFile, *, above: float
) -> float:
    """The setting ``key`` as a float greater than ``above``; else a problem and ``default``."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > above:
        out.add(
            table,
            key,
            ProblemCode.OUT_OF_RANGE,
            f"'{key}' must be a number above {number_text(above)}, not {value!r}",
        )
        return default
    return float(value)


def _boolean(data: dict, key: str, default: bool, table, out: _RulesFile) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        out.add(table, key, ProblemCode.WRONG_TYPE, f"'{key}' must be true or false")
        return default
    return value


def _choice(data: dict, key: str, kind: type[enum.StrEnum], default, table, out: _RulesFile):
    value = data.get(key, default.value)
    try:
        return kind(value)
    except ValueError:
        allowed = [member.value for member in kind]
        out.add(
            table,
            key,
            ProblemCode.NOT_ALLOWED,
            f"{key} {value!r} is not allowed; use {', '.join(allowed)}"
            + _suggest(str(value), allowed),
        )
        return default


def _code(data: dict, table, out: _RulesFile, seen: dict[str, str]) -> str:
    code = _text(data, "code", table, out, required=True)
    if not code:
        return ""
    out.codes[table] = code
    if not _CODE_PATTERN.fullmatch(code):
        out.add(
            table,
            "code",
            ProblemCode.NOT_ALLOWED,
            f"code '{code}' may hold only letters, digits, '_', '-' and '.'",
        )
    elif code in _RESERVED_CODES:
        out.add(
            table,
            "code",
            ProblemCode.NOT_ALLOWED,
            f"code '{code}' is reserved for the built-in checks",
        )
    elif code in seen:
        out.add(table, "code", ProblemCode.DUPLICATE, f"code '{code}' is also used by {seen[code]}")
    else:
        seen[code] = f"{table[0]}[{table[1] + 1}]"
    return code


def _known_indicator(code: str, key: str, known: set[str] | None, table, out: _RulesFile) -> None:
    if known is not None and code not in known:
        out.add(
            table,
            key,
            ProblemCode.UNKNOWN_CODE,
            f"unknown indicator code '{code}' (not among the {len(known)} indicators)"
            + _suggest(code, known),
        )


def _template(data: dict, key: str, allowed: Sequence[str], table, out: _RulesFile) -> str:
    text = _text(data, key, table, out)
    reason = template_check(text, allowed) if text else None
    if reason:
        out.add(table, key, ProblemCode.INVALID_TEMPLATE, reason)
        return ""
    return text


def _read_rule(data, table, out: _RulesFile, seen, known) -> Rule | None:
    if not isinstance(data, dict):
        out.add(table, None, ProblemCode.WRONG_TYPE, "each [[rule]] must be a table")
        return None
    before = len(out.problems)
    _check_keys(data, _RULE_KEYS, table, out)
    code = _code(data, table, out, seen)
    trees = {}
    for side in ("left", "right"):
        text = _text(data, side, table, out, required=True)
        if not text:
            continue
        try:
            trees[side] = expression_parse(text)
        except ExpressionError as error:
            out.add(table, side, ProblemCode.INVALID_EXPRESSION, str(error))
            continue
        for ref in expression_refs(trees[side]):
            _known_indicator(ref.code, side, known, table, out)
    if len(trees) == 2 and not expression_refs(Binary("+", trees["left"], trees["right"])):
        out.add(
            table,
            "left",
            ProblemCode.INVALID_EXPRESSION,
            "neither side refers to an indicator (#{code}); the rule would compare constants",
        )
    operator = data.get("operator")
    if operator is None:
        out.add(table, "operator", ProblemCode.REQUIRED, "'operator' is required")
    elif operator not in [o.value for o in Operator]:
        out.add(
            table,
            "operator",
            ProblemCode.NOT_ALLOWED,
            f"operator {operator!r} is not allowed; use {', '.join(o.value for o in Operator)}",
        )
    severity = _choice(data, "severity", Severity, Severity.WARNING, table, out)
    missing = _choice(
        data, "missing", MissingStrategy, MissingStrategy.SKIP_IF_ANY_MISSING, table, out
    )
    categories = _texts(data, "categories", table, out)
    for category in categories:
        if category not in CATEGORY_BY_CODE and category not in SUBCATEGORY_BY_CODE:
            choices = [*CATEGORY_BY_CODE, *SUBCATEGORY_BY_CODE]
            out.add(
                table,
                "categories",
                ProblemCode.UNKNOWN_CODE,
                f"unknown category or subcategory '{category}'" + _suggest(category, choices),
            )
    name_zh = _text(data, "name_zh", table, out)
    name_en = _text(data, "name_en", table, out)
    message_zh = _template(data, "message_zh", RULE_PLACEHOLDERS, table, out)
    message_en = _template(data, "message_en", RULE_PLACEHOLDERS, table, out)
    if len(out.problems) > before:
        return None
    return Rule(
        code=code,
        left=data["left"],
        operator=operator,
        right=data["right"],
        severity=severity,
        missing=missing,
        categories=categories,
        name_zh=name_zh or code,
        name_en=name_en or code,
        message_zh=message_zh,
        message_en=message_en,
    )


def _read_yoy_rule(data, table, out: _RulesFile, seen, known) -> ChangeRule | None:
    if not isinstance(data, dict):
        out.add(table, None, ProblemCode.WRONG_TYPE, "each [[yoy_rule]] must be a table")
        return None
    before = len(out.problems)
    _check_keys(data, _YOY_KEYS, table, out)
    code = _code(data, table, out, seen)
    indicators = _texts(data, "indicators", table, out)
    for indicator in indicators:
        _known_indicator(indicator, "indicators", known, table, out)
    max_ratio = _float_above(data, "max_ratio", DEFAULT_MAX_RATIO, table, out, above=1)
    severity = _choice(data, "severity", Severity, Severity.WARNING, table, out)
    name_zh = _text(data, "name_zh", table, out)
    name_en = _text(data, "name_en", table, out)
    message_zh = _template(data, "message_zh", CHANGE_PLACEHOLDERS, table, out)
    message_en = _template(data, "message_en", CHANGE_PLACEHOLDERS, table, out)
    if len(out.problems) > before:
        return None
    return ChangeRule(
        code=code,
        indicators=indicators,
        max_ratio=max_ratio,
        severity=severity,
        name_zh=name_zh or code,
        name_en=name_en or code,
        message_zh=message_zh,
        message_en=message_en,
    )


def _read_outliers(data, out: _RulesFile) -> OutlierSettings:
    table = ("outliers", 0)
    if not isinstance(data, dict):
        out.add(table, None, ProblemCode.WRONG_TYPE, "'outliers' must be a table: [outliers]")
        return OutlierSettings()
    _check_keys(data, _OUTLIER_KEYS, table, out)
    defaults = OutlierSettings()
    min_size = data.get("peers_min_size", defaults.peers_min_size)
    if isinstance(min_size, bool) or not isinstance(min_size, int) or min_size < 3:
        out.add(
            table,
            "peers_min_size",
            ProblemCode.OUT_OF_RANGE,
            f"'peers_min_size' must be a whole number of at least 3, not {min_size!r}",
        )
        min_size = defaults.peers_min_size
    return OutlierSettings(
        history=_boolean(data, "history", defaults.history, table, out),
        history_max_ratio=_float_above(
            data, "history_max_ratio", defaults.history_max_ratio, table, out, above=1
        ),
        peers=_boolean(data, "peers", defaults.peers, table, out),
        peers_max_z=_float_above(data, "peers_max_z", defaults.peers_max_z, table, out, above=0),
        peers_min_size=min_size,
    )


def rules_parse(
    text: str, *, file: str = "rules.toml", indicators: pd.DataFrame | None = None
) -> RuleSet:
    """A rules file's text (TOML, format in the module docstring) as a :class:`RuleSet`.

    ``indicators`` (a frame with ``code``; default the twelve built in) are the codes a rule may
    refer to.

    Raises
    ------
    InputError
        Naming file, line and key (``rule[2].left``) of every problem found, not only the first.
    """
    indicator_frame = _indicator_frame(indicators)
    known = set(indicator_frame["code"].astype(str))
    data = toml_parse(text, file=file)
    out = _RulesFile(file, text)
    _check_keys(data, _TOP_KEYS, ("", 0), out)
    include_defaults = _boolean(data, "include_defaults", False, ("", 0), out)
    outliers = _read_outliers(data.get("outliers", {}), out)
    seen: dict[str, str] = {}
    rules: list[Rule | ChangeRule] = []
    if include_defaults:
        for rule in default_rules(indicator_frame):
            seen[rule.code] = "the built-in rules"
            rules.append(rule)
    for kind, read in (("rule", _read_rule), ("yoy_rule", _read_yoy_rule)):
        tables = data.get(kind, [])
        if not isinstance(tables, list):
            out.add(("", 0), kind, ProblemCode.WRONG_TYPE, f"write each rule as [[{kind}]]")
            continue
        for index, table in enumerate(tables):
            rule = read(table, (kind, index), out, seen, known)
            if rule is not None:
                rules.append(rule)
    if out.problems:
        raise InputError(sorted(out.problems, key=lambda p: (p.line or 0, p.key or "")))
    return RuleSet(tuple(rules), outliers)


def rules_read(path, *, indicators: pd.DataFrame | None = None) -> RuleSet:
    """A rules file (TOML, UTF-8) as a :class:`RuleSet`, or :class:`InputError`."""
    text = settings_text(path)
    return rules_parse(text, file=str(path), indicators=indicators)
