"""The framework file of a composite index: its hierarchy and its pipeline, from TOML.

Pure Python, no Django. :func:`framework_parse` reads the text of a framework file into a
:class:`Framework`; :func:`framework_read` reads a file. Every problem found is reported, each
located by line (where it can be found) and key path (``indicator[3].weight``,
``step[2].method``), together in one :class:`~mieval.core.problems.InputError`.

Format
------
A framework file is UTF-8 TOML with these keys (all codes are case-sensitive)::

    index = "Index"                 # optional: the code of the top node (default: the one
                                    # aggregate without a parent)
    denominators = ["GDP", "Area"]  # codes in the values file used only as denominators
    panel = false                   # true: normalisation bounds over all years (panel mode)

    [[indicator]]                   # one table per indicator, in display order
    code = "Flights"
    parent = "Physical"             # an aggregate's code (required)
    weight = 1.0                    # >= 0, default 1 (relative to its siblings)
    direction = 1                   # 1: more is better; -1: less is better (default 1)
    denominator = "Population"      # optional: one of `denominators`
    target = 200.3                  # optional: for normalise method "target"
    goalposts = [0.0, 500.0]        # optional: [low, high] for normalise method "goalposts"

    [[aggregate]]                   # one table per aggregate node
    code = "Physical"
    parent = "Conn"                 # omitted for the top node
    weight = 1.0
    name_zh = "实体联通"             # optional: the names shown on the pages (indicators take
    name_en = "Physical"            # theirs from the indicator framework)

    [[step]]                        # the pipeline, run in the order written
    kind = "denominate"             # divide by each indicator's denominator
    [[step]]
    kind = "screen"                 # drop units with too little data
    min_share = 0.5                 # share of indicators a unit must have (0-1)
    [[step]]
    kind = "impute"
    method = "group_mean"           # mean | median | group_mean | group_median | latest | linear
    group = "eurasia_group"         # a units-file column, for group_mean and group_median
    [[step]]
    kind = "treat"                  # COINr's default outlier treatment (see steps.treat)
    winmax = 5
    skew_thresh = 2.0
    kurt_thresh = 3.5
    fallback = "log_ct"             # log_ct | none
    exclude = []                    # indicators left untreated
    [[step]]
    kind = "normalise"
    method = "minmax"               # minmax | zscore | rank | percentile | borda | goalposts |
                                    # target | frontier
    low = 0.0                       # minmax bounds; goalposts/target/frontier scale is `high`
    high = 100.0
    [[step]]
    kind = "weight"                 # recompute weights (default: the framework's own)
    method = "entropy"              # given | equal | ahp | entropy | critic | pca
    levels = [1]                    # which levels' children get the new weights (1: indicators)
    # AHP: one pairwise matrix per parent, rows and columns in the order of `codes`
    ahp = { Physical = { codes = ["LPI", "Flights"], matrix = [[1, 3], [0.333333, 1]] } }
    [[step]]
    kind = "aggregate"
    method = "arithmetic"           # arithmetic | geometric | harmonic | generalised
    p = 1.0                         # the exponent of the generalised mean

Levels: indicators are level 1; an aggregate's level is one more than its highest child's.
Rules checked: codes unique across indicators, aggregates and denominators; every parent is an
aggregate; exactly one top node; no cycles; every aggregate has at least one child; the steps
``normalise`` and ``aggregate`` are present, each step at most once, in the order
denominate, screen, impute, treat, normalise, weight, aggregate.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from mieval.core.problems import InputError, Problem, ProblemCode
from mieval.core.tables.settings_file import KeyLines, settings_text, toml_parse

STEP_ORDER = ("denominate", "screen", "impute", "treat", "normalise", "weight", "aggregate")
IMPUTE_METHODS = ("mean", "median", "group_mean", "group_median", "latest", "linear")
NORMALISE_METHODS = (
    "minmax",
    "zscore",
    "rank",
    "percentile",
    "borda",
    "goalposts",
    "target",
    "frontier",
)
WEIGHT_METHODS = ("given", "equal", "ahp", "entropy", "critic", "pca")
AGGREGATE_METHODS = ("arithmetic", "geometric", "harmonic", "generalised")
TREAT_FALLBACKS = ("log_ct", "none")

#: Keys allowed in each step kind, with their defaults (``None``: no default, maybe required).
STEP_KEYS: dict[str, dict[str, object]] = {
    "denominate": {},
    "screen": {"min_share": 0.5},
    "impute": {"method": "mean", "group": None},
    "treat": {
        "winmax": 5,
        "skew_thresh": 2.0,
        "kurt_thresh": 3.5,
        "fallback": "log_ct",
        "exclude": [],
    },
    "normalise": {"method": "minmax", "low": 0.0, "high": 100.0, "mean": 0.0, "sd": 1.0},
    "weight": {"method": "given", "levels": [1], "ahp": {}},
    "aggregate": {"method": "arithmetic", "p": 1.0},
}

HIERARCHY_COLUMNS = [
    "code",
    "kind",
    "parent",
    "level",
    "weight",
    "direction",
    "denominator",
    "target",
    "goal_low",
    "goal_high",
]

_TOP_KEYS = ("index", "denominators", "panel", "indicator", "aggregate", "step")
_INDICATOR_KEYS = ("code", "parent", "weight", "direction", "denominator", "target", "goalposts")
_AGGREGATE_KEYS = ("code", "parent", "weight", "name_zh", "name_en")
_CODE_RE = re.compile(r"\S+")


@dataclass(frozen=True)
class Step:
    """One pipeline step: its ``kind`` and its parameters (defaults filled in)."""

    kind: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Framework:
    """A composite index's hierarchy and pipeline.

    Attributes
    ----------
    hierarchy : pandas.DataFrame
        One row per node, indicators first (in file order), then aggregates by level: ``code``
        (str), ``kind`` (``indicator`` or ``aggregate``), ``parent`` (str, None for the top),
        ``level`` (int, indicators 1), ``weight`` (float), ``direction`` (int, 1 for
        aggregates), ``denominator`` (str or None), ``target``, ``goal_low``, ``goal_high``
        (float, NaN where not given).
    steps : tuple of Step
        The pipeline in order of execution.
    denominators : tuple of str
        Codes of the values file used only as denominators.
    index : str
        The code of the top node.
    panel : bool
        Normalisation bounds over all years rather than year by year.
    file : str
        The framework file's name, for locating problems found later (in the data).
    locations : dict of str to (str, int or None)
        For each code (nodes and denominators), its key path (``indicator[3]``) and the line
        of its ``code`` (None where unknown).
    names : dict of str to (str or None, str or None)
        Each aggregate's ``(name_zh, name_en)`` as written (None where not given).
    """

    hierarchy: pd.DataFrame
    steps: tuple[Step, ...]
    denominators: tuple[str, ...]
    index: str
    panel: bool = False
    file: str = "framework.toml"
    locations: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)

    def name(self, code: str, zh: bool) -> str:
        """An aggregate's name in Chinese (``zh``) or English, else the other, else its code."""
        name_zh, name_en = self.names.get(code, (None, None))
        first, second = (name_zh, name_en) if zh else (name_en, name_zh)
        return first or second or code

    def problem(self, code: str, kind: ProblemCode, message: str, key: str = "code") -> Problem:
        """A :class:`Problem` located at the table of ``code`` in the framework file."""
        where, line = self.locations.get(code, (None, None))
        path = f"{where}.{key}" if where is not None and key else where
        return Problem(self.file, line, None, kind, message, key=path)

    @property
    def indicators(self) -> list[str]:
        h = self.hierarchy
        return h.loc[h["kind"] == "indicator", "code"].tolist()

    @property
    def aggregates(self) -> list[str]:
        h = self.hierarchy
        return h.loc[h["kind"] == "aggregate", "code"].tolist()

    @property
    def max_level(self) -> int:
        return int(self.hierarchy["level"].max())

    def step(self, kind: str) -> Step | None:
        """The step of this kind, or None when the pipeline has none."""
        return next((s for s in self.steps if s.kind == kind), None)

    def with_step(self, kind: str, **params) -> Framework:
        """A copy with the step ``kind``'s parameters updated (the step added if absent)."""
        steps = list(self.steps)
        for i, s in enumerate(steps):
            if s.kind == kind:
                steps[i] = Step(kind, {**s.params, **params})
                break
        else:
            steps.append(Step(kind, {**STEP_KEYS[kind], **params}))
            steps.sort(key=lambda s: STEP_ORDER.index(s.kind))
        return dataclasses.replace(self, steps=tuple(steps))

    def with_weights(self, weights: dict[str, float]) -> Framework:
        """A copy with the weights of the named nodes replaced."""
        h = self.hierarchy.copy()
        h["weight"] = [
            float(weights.get(c, w)) for c, w in zip(h["code"], h["weight"], strict=True)
        ]
        return dataclasses.replace(self, hierarchy=h)


class _Problems:
    def __init__(self, file: str, text: str):
        self.file = file
        self.lines = KeyLines(text)
        self.problems: list[Problem] = []

    def add(self, key: str, code: ProblemCode, message: str, at: str | None = None) -> None:
        """A problem of the key path ``key`` (``indicator[3].weight``), on the line of ``at``
        (another key path) or else of ``key``: the key's line, else its table's header."""
        line = self.lines.path_line(at or key)
        self.problems.append(Problem(self.file, line, None, code, message, key=key))

    def line_of(self, code: str, where: str) -> int | None:
        """The line of ``code``'s table (its ``code = ...`` line)."""
        if where.startswith("denominators"):
            return self.lines.path_line(where)
        return self.lines.path_line(f"{where}.code")


def framework_read(path) -> Framework:
    """A framework file (TOML, UTF-8) as a :class:`Framework`, or :class:`InputError`."""
    text = settings_text(path)
    return framework_parse(text, file=str(path))


def framework_parse(text: str, *, file: str = "framework.toml") -> Framework:
    """The text of a framework file (format in the module docstring) as a :class:`Framework`.

    Raises
    ------
    InputError
        Naming file, line and key path of every problem found, not only the first.
    """
    data = toml_parse(text, file=file)
    out = _Problems(file, text)
    for key in data:
        if key not in _TOP_KEYS:
            out.add(key, ProblemCode.UNKNOWN_KEY, f"unknown key (allowed: {', '.join(_TOP_KEYS)})")
    denominators = _denominators(data.get("denominators", []), out)
    panel = data.get("panel", False)
    if not isinstance(panel, bool):
        out.add("panel", ProblemCode.WRONG_TYPE, "must be true or false")
        panel = False
    rows = _nodes(data, denominators, out)
    steps = _steps(data.get("step", []), out)
    hierarchy, index = _hierarchy(rows, data.get("index"), out)
    if out.problems:
        raise InputError(sorted(out.problems, key=lambda p: (p.line or 0, p.key or "")))
    locations = {
        code: (where, out.line_of(code, where))
        for code, where in [
            *((r["code"], r["where"]) for r in rows),
            *((d, f"denominators[{i}]") for i, d in enumerate(denominators)),
        ]
    }
    names = {r["code"]: r["names"] for r in rows if r["kind"] == "aggregate" and any(r["names"])}
    framework = Framework(
        hierarchy, tuple(steps), tuple(denominators), index, panel, file, locations, names
    )
    _check_step_references(framework, out)
    if out.problems:
        raise InputError(sorted(out.problems, key=lambda p: (p.line or 0, p.key or "")))
    return framework


def _denominators(value, out: _Problems) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        out.add("denominators", ProblemCode.WRONG_TYPE, "must be a list of codes")
        return []
    for i, code in enumerate(value):
        if value.index(code) != i:
            out.add(f"denominators[{i}]", ProblemCode.DUPLICATE, f"'{code}' is listed twice")
    return list(dict.fromkeys(value))


def _finite_float(table: dict, key: str, where: str, out: _Problems, default):
    """The key as a finite float (``default`` when absent, None when that is None); else a
    problem and ``default``."""
    value = table.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        out.add(f"{where}.{key}", ProblemCode.NOT_A_NUMBER, f"{value!r} is not a number")
        return default
    return float(value)


def _nodes(data: dict, denominators: list[str], out: _Problems) -> list[dict]:
    rows: list[dict] = []
    seen: dict[str, str] = {code: f"denominators[{i}]" for i, code in enumerate(denominators)}
    for kind, keys in (("indicator", _INDICATOR_KEYS), ("aggregate", _AGGREGATE_KEYS)):
        tables = data.get(kind, [])
        if not isinstance(tables, list):
            out.add(kind, ProblemCode.WRONG_TYPE, f"write each {kind} as [[{kind}]]")
            continue
        if kind == "indicator" and not tables:
            out.add("indicator", ProblemCode.REQUIRED, "the framework has no [[indicator]]")
        for i, table in enumerate(tables):
            where = f"{kind}[{i}]"
            code = table.get("code")
            for key in table:
                if key not in keys:
                    out.add(
                        f"{where}.{key}",
                        ProblemCode.UNKNOWN_KEY,
                        f"unknown key (allowed: {', '.join(keys)})",
                    )
            if not isinstance(code, str) or not _CODE_RE.fullmatch(code):
                out.add(
                    f"{where}.code",
                    ProblemCode.REQUIRED,
                    "a code without spaces is required",
                )
                continue
            if code in seen:
                out.add(
                    f"{where}.code",
                    ProblemCode.DUPLICATE,
                    f"code '{code}' is also {seen[code]}; codes must be unique",
                )
                continue
            seen[code] = where
            parent = table.get("parent")
            if parent is not None and not isinstance(parent, str):
                out.add(f"{where}.parent", ProblemCode.WRONG_TYPE, "must be a code")
                parent = None
            weight = _finite_float(table, "weight", where, out, 1.0)
            if weight is not None and weight < 0:
                out.add(f"{where}.weight", ProblemCode.OUT_OF_RANGE, "must be >= 0")
            names = []
            for key in ("name_zh", "name_en"):
                name = table.get(key)
                if name is not None and (not isinstance(name, str) or not name.strip()):
                    out.add(f"{where}.{key}", ProblemCode.WRONG_TYPE, "must be a name")
                    name = None
                names.append(name.strip() if name else None)
            row = {
                "code": code,
                "kind": kind,
                "parent": parent,
                "weight": weight,
                "direction": 1,
                "denominator": None,
                "target": math.nan,
                "goal_low": math.nan,
                "goal_high": math.nan,
                "where": where,
                "names": tuple(names),
            }
            if kind == "indicator":
                _indicator_extra(table, where, row, denominators, out)
            rows.append(row)
    return rows


def _indicator_extra(table, where, row, denominators, out) -> None:
    if row["parent"] is None:
        out.add(f"{where}.parent", ProblemCode.REQUIRED, "an indicator needs a parent")
    direction = table.get("direction", 1)
    if direction not in (1, -1) or isinstance(direction, bool):
        out.add(
            f"{where}.direction",
            ProblemCode.NOT_ALLOWED,
            f"{direction!r} is not allowed; use 1 (more is better) or -1 (less is better)",
        )
        direction = 1
    row["direction"] = int(direction)
    denominator = table.get("denominator")
    if denominator is not None:
        if denominator not in denominators:
            listed = ", ".join(denominators) or "none"
            out.add(
                f"{where}.denominator",
                ProblemCode.UNKNOWN_CODE,
                f"'{denominator}' is not among the denominators (listed: {listed})",
            )
        else:
            row["denominator"] = denominator
    target = _finite_float(table, "target", where, out, None)
    row["target"] = math.nan if target is None else target
    goalposts = table.get("goalposts")
    if goalposts is not None:
        ok = (
            isinstance(goalposts, list)
            and len(goalposts) == 2
            and all(isinstance(g, int | float) and not isinstance(g, bool) for g in goalposts)
            and goalposts[0] < goalposts[1]
        )
        if not ok:
            out.add(
                f"{where}.goalposts",
                ProblemCode.NOT_ALLOWED,
                f"{goalposts!r} is not allowed; write [low, high] with low < high",
            )
        else:
            row["goal_low"], row["goal_high"] = float(goalposts[0]), float(goalposts[1])


def _hierarchy(rows: list[dict], index, out: _Problems) -> tuple[pd.DataFrame, str]:
    by_code = {r["code"]: r for r in rows}
    children: dict[str, list[str]] = {r["code"]: [] for r in rows if r["kind"] == "aggregate"}
    for r in rows:
        parent = r["parent"]
        if parent is None:
            continue
        if parent not in children:
            what = "an indicator" if parent in by_code else "not an aggregate of the framework"
            out.add(
                f"{r['where']}.parent",
                ProblemCode.UNKNOWN_CODE,
                f"parent '{parent}' is {what}; a parent must be an [[aggregate]]",
            )
            continue
        children[parent].append(r["code"])
    tops = [r["code"] for r in rows if r["kind"] == "aggregate" and r["parent"] is None]
    if index is not None and not isinstance(index, str):
        out.add("index", ProblemCode.WRONG_TYPE, "must be the code of the top aggregate")
        index = None
    if not tops and any(r["kind"] == "aggregate" for r in rows):
        out.add("aggregate", ProblemCode.REQUIRED, "no aggregate without a parent (the top)")
    elif not any(r["kind"] == "aggregate" for r in rows):
        out.add("aggregate", ProblemCode.REQUIRED, "the framework has no [[aggregate]]")
    elif len(tops) > 1:
        out.add(
            "aggregate",
            ProblemCode.INCONSISTENT,
            f"{len(tops)} aggregates have no parent ({', '.join(tops)}); exactly one is the top",
            at=f"{by_code[tops[1]]['where']}.code",
        )
    elif index is not None and index != tops[0]:
        out.add(
            "index",
            ProblemCode.INCONSISTENT,
            f"'{index}' is not the top aggregate; the top is '{tops[0]}'",
        )
    for code, kids in children.items():
        if not kids:
            out.add(
                f"{by_code[code]['where']}.code",
                ProblemCode.INCONSISTENT,
                f"aggregate '{code}' has no children",
            )
    levels: dict[str, int] = {}

    def level(code: str, trail: tuple[str, ...]) -> int:
        if code in levels:
            return levels[code]
        if code in trail:
            raise _Cycle((*trail[trail.index(code) :], code))
        kids = children.get(code, [])
        value = (
            1
            if by_code[code]["kind"] == "indicator"
            else 1 + max((level(k, (*trail, code)) for k in kids), default=0)
        )
        levels[code] = value
        return value

    try:
        for r in rows:
            level(r["code"], ())
    except _Cycle as cycle:
        first = cycle.args[0][0]
        out.add(
            f"{by_code[first]['where']}.parent",
            ProblemCode.INCONSISTENT,
            f"the parents form a cycle: {' -> '.join(cycle.args[0])}; the hierarchy must be a tree",
        )
        return pd.DataFrame(columns=HIERARCHY_COLUMNS), ""
    frame = pd.DataFrame(rows, columns=[*HIERARCHY_COLUMNS[:2], "parent", "weight", *_EXTRA])
    frame["level"] = [levels.get(c, 1) for c in frame["code"]]
    frame["order"] = range(len(frame))
    frame["is_agg"] = frame["kind"] == "aggregate"
    frame = frame.sort_values(["is_agg", "level", "order"], kind="stable")
    frame = frame[HIERARCHY_COLUMNS].reset_index(drop=True)
    frame["weight"] = frame["weight"].astype(float)
    frame["direction"] = frame["direction"].astype(int)
    frame["level"] = frame["level"].astype(int)
    return frame, (tops[0] if len(tops) == 1 else "")


_EXTRA = ["direction", "denominator", "target", "goal_low", "goal_high"]


class _Cycle(Exception):
    pass


def _steps(tables, out: _Problems) -> list[Step]:
    if not isinstance(tables, list):
        out.add("step", ProblemCode.WRONG_TYPE, "write each step as [[step]]")
        return []
    steps: list[Step] = []
    seen: dict[str, int] = {}
    for i, table in enumerate(tables):
        where = f"step[{i}]"
        kind = table.get("kind")
        if kind not in STEP_KEYS:
            out.add(
                f"{where}.kind",
                ProblemCode.NOT_ALLOWED,
                f"{kind!r} is not a step (allowed: {', '.join(STEP_ORDER)})",
            )
            continue
        if kind in seen:
            out.add(
                f"{where}.kind",
                ProblemCode.DUPLICATE,
                f"a second '{kind}' step (the first is step[{seen[kind]}])",
            )
            continue
        seen[kind] = i
        defaults = STEP_KEYS[kind]
        for key in table:
            if key != "kind" and key not in defaults:
                allowed = ", ".join(defaults) or "none"
                out.add(
                    f"{where}.{key}",
                    ProblemCode.UNKNOWN_KEY,
                    f"unknown key for a '{kind}' step (allowed: {allowed})",
                )
        params = {k: table.get(k, v) for k, v in defaults.items()}
        _check_step(kind, params, where, out)
        steps.append(Step(kind, params))
    kinds = [s.kind for s in steps]
    if kinds != sorted(kinds, key=STEP_ORDER.index):
        out.add(
            "step",
            ProblemCode.INCONSISTENT,
            f"steps are in the order {', '.join(kinds)}; write them in the order"
            f" {', '.join(k for k in STEP_ORDER if k in kinds)}",
        )
    for required in ("normalise", "aggregate"):
        if required not in kinds:
            out.add("step", ProblemCode.REQUIRED, f"the pipeline needs a '{required}' step")
    return steps


def _check_step(kind: str, params: dict, where: str, out: _Problems) -> None:
    def choice(key: str, allowed: tuple[str, ...]) -> None:
        if params[key] not in allowed:
            out.add(
                f"{where}.{key}",
                ProblemCode.NOT_ALLOWED,
                f"{params[key]!r} is not allowed (allowed: {', '.join(allowed)})",
            )

    def number(key: str, low: float | None = None, high: float | None = None) -> None:
        value = params[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            out.add(f"{where}.{key}", ProblemCode.NOT_A_NUMBER, f"{value!r} is not a number")
        elif (low is not None and value < low) or (high is not None and value > high):
            out.add(
                f"{where}.{key}",
                ProblemCode.OUT_OF_RANGE,
                f"{value} is out of range ({low} to {high if high is not None else 'any'})",
            )

    if kind == "screen":
        number("min_share", 0, 1)
    elif kind == "impute":
        choice("method", IMPUTE_METHODS)
        if params["method"] in ("group_mean", "group_median") and not isinstance(
            params["group"], str
        ):
            out.add(
                f"{where}.group",
                ProblemCode.REQUIRED,
                f"method '{params['method']}' needs group = a column of the units file",
            )
    elif kind == "treat":
        if isinstance(params["winmax"], bool) or not isinstance(params["winmax"], int):
            out.add(f"{where}.winmax", ProblemCode.NOT_AN_INTEGER, "must be a whole number")
        elif params["winmax"] < 0:
            out.add(f"{where}.winmax", ProblemCode.OUT_OF_RANGE, "must be >= 0")
        number("skew_thresh", 0)
        number("kurt_thresh")
        choice("fallback", TREAT_FALLBACKS)
        if not isinstance(params["exclude"], list):
            out.add(f"{where}.exclude", ProblemCode.WRONG_TYPE, "must be a list of codes")
    elif kind == "normalise":
        choice("method", NORMALISE_METHODS)
        for key in ("low", "high", "mean", "sd"):
            number(key)
        if params["method"] == "minmax" and not params["low"] < params["high"]:
            out.add(f"{where}.low", ProblemCode.INCONSISTENT, "low must be below high")
    elif kind == "weight":
        choice("method", WEIGHT_METHODS)
        levels = params["levels"]
        if not isinstance(levels, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in levels
        ):
            out.add(f"{where}.levels", ProblemCode.WRONG_TYPE, "must be a list of levels >= 1")
        if not isinstance(params["ahp"], dict):
            out.add(f"{where}.ahp", ProblemCode.WRONG_TYPE, "must be a table of parents")
    elif kind == "aggregate":
        choice("method", AGGREGATE_METHODS)
        number("p")


def _check_step_references(framework: Framework, out: _Problems) -> None:
    h = framework.hierarchy
    indicators = set(framework.indicators)
    treat = framework.step("treat")
    if treat is not None and isinstance(treat.params["exclude"], list):
        for i, code in enumerate(treat.params["exclude"]):
            if code not in indicators:
                out.add(
                    f"step.treat.exclude[{i}]",
                    ProblemCode.UNKNOWN_CODE,
                    f"'{code}' is not an indicator",
                )
    normalise = framework.step("normalise")
    ind = h[h["kind"] == "indicator"]
    if normalise is not None and normalise.params["method"] == "target":
        for code in ind.loc[ind["target"].isna(), "code"]:
            out.add(
                f"indicator.{code}.target",
                ProblemCode.REQUIRED,
                "normalise method 'target' needs a target for every indicator",
            )
    if normalise is not None and normalise.params["method"] == "goalposts":
        for code in ind.loc[ind["goal_low"].isna(), "code"]:
            out.add(
                f"indicator.{code}.goalposts",
                ProblemCode.REQUIRED,
                "normalise method 'goalposts' needs goalposts for every indicator",
            )
    weight = framework.step("weight")
    if weight is not None and weight.params["method"] == "ahp":
        _check_ahp(framework, weight.params["ahp"], out)


def _check_ahp(framework: Framework, ahp: dict, out: _Problems) -> None:
    h = framework.hierarchy
    levels = framework.step("weight").params["levels"]
    parents = h.loc[h["level"].isin(levels) & h["parent"].notna(), "parent"].unique()
    for parent in parents:
        kids = h.loc[h["parent"] == parent, "code"].tolist()
        spec = ahp.get(parent)
        key = f"step.weight.ahp.{parent}"
        if not isinstance(spec, dict):
            out.add(key, ProblemCode.REQUIRED, f"AHP needs a pairwise matrix for '{parent}'")
            continue
        codes, matrix = spec.get("codes"), spec.get("matrix")
        if not isinstance(codes, list) or sorted(map(str, codes)) != sorted(kids):
            out.add(
                f"{key}.codes",
                ProblemCode.INCONSISTENT,
                f"must list the children of '{parent}' once each: {', '.join(kids)}",
            )
            continue
        n = len(codes)
        ok = (
            isinstance(matrix, list)
            and len(matrix) == n
            and all(isinstance(r, list) and len(r) == n for r in matrix)
            and all(
                isinstance(v, int | float) and not isinstance(v, bool) and v > 0
                for r in matrix
                for v in r
            )
        )
        if not ok:
            out.add(
                f"{key}.matrix",
                ProblemCode.NOT_ALLOWED,
                f"must be a {n} x {n} matrix of positive numbers",
            )
