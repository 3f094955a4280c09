"""Reads of campaigns and their values, as the frames the functional core takes; the figures
of the review pages; what an import would change (:func:`campaign_import_plan`, written by
``services.campaign_import_apply``)."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.db.models import Count, Prefetch

from mieval.collection.models import (
    Campaign,
    Evidence,
    Query,
    QueryMessage,
    Submission,
    Value,
    ValueAudit,
)
from mieval.core import reference
from mieval.core.checks.rules import Severity
from mieval.core.completeness import completeness, completeness_summary
from mieval.core.indicators import indicator_applies
from mieval.core.problems import InputError, Problem, ProblemCode
from mieval.core.tables import files as tables
from mieval.core.values import is_same_number
from mieval.indicators.selectors import framework_indicators_frame
from mieval.lib.i18n import group_name, in_chinese, localized
from mieval.lib.spreadsheets import csv_cell
from mieval.registry.models import Base
from mieval.registry.selectors import (
    BasesPlan,
    OutOfScope,
    bases_frame,
    bases_outside,
    bases_plan,
)

VALUE_COLUMNS = ["base_code", "indicator_code", "year", "value"]


def campaign_get(code: str) -> Campaign:
    return Campaign.objects.select_related("framework").get(code=code)


def campaign_bases_frame(campaign: Campaign) -> pd.DataFrame:
    return bases_frame(campaign.bases.all())


def campaign_values_frame(campaign: Campaign, *, raw: bool = False) -> pd.DataFrame:
    """The campaign's values in long format, one query.

    ``value`` is a float for computation; with ``raw=True`` it is the exact text as entered.
    """
    rows = Value.objects.filter(campaign=campaign).values_list(
        "base__code", "indicator__code", "year", "raw" if raw else "value"
    )
    frame = pd.DataFrame.from_records(list(rows), columns=VALUE_COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    if not raw:
        frame["value"] = frame["value"].astype("float64")
    return frame.sort_values(["base_code", "indicator_code", "year"], ignore_index=True)


def value_history(*, campaign: Campaign, base_code: str, indicator_code: str, year: int):
    """The audit trail of one value, newest first."""
    return ValueAudit.objects.filter(
        campaign=campaign, base__code=base_code, indicator__code=indicator_code, year=year
    ).select_related("user")


def value_panel(*, campaign: Campaign, base, indicator, year: int) -> dict:
    """One value of a base and what goes with it: ``value`` (the stored :class:`Value`, None
    if there is none), ``history`` (its audit trail, newest first), ``problems`` (what the
    checks find on it: severity and message in the reader's language), ``queries`` (newest
    first, each with its thread) and ``evidence`` (its files)."""
    cell = {"campaign": campaign, "base": base, "indicator": indicator, "year": year}
    problems = campaign_check(campaign, base_code=base.code)
    problems = problems[(problems["indicator_code"] == indicator.code) & (problems["year"] == year)]
    zh = in_chinese()
    return {
        "value": Value.objects.filter(**cell).first(),
        "history": value_history(
            campaign=campaign, base_code=base.code, indicator_code=indicator.code, year=year
        ),
        "problems": [
            {"severity": p.severity, "message": p.message_zh if zh else p.message}
            for p in problems.itertuples(index=False)
        ],
        "queries": Query.objects.filter(**cell)
        .prefetch_related(Prefetch("messages", QueryMessage.objects.select_related("author")))
        .order_by("-created_at", "-id"),
        "evidence": Evidence.objects.filter(**cell).select_related("uploaded_by", "reviewed_by"),
    }


def campaign_rule_set(campaign: Campaign):
    """The campaign framework's active rules, or the built-in defaults."""
    from mieval.collection.models import RuleSet
    from mieval.core.checks.rules import default_rule_set, rules_parse
    from mieval.indicators.selectors import framework_indicators_frame

    indicators = framework_indicators_frame(campaign.framework)
    active = RuleSet.objects.filter(framework=campaign.framework, is_active=True).first()
    if active is None:
        return default_rule_set(indicators), indicators
    return rules_parse(active.text, file=str(active), indicators=indicators), indicators


def campaign_check(campaign: Campaign, *, base_code: str | None = None, rule_set=None):
    """Validation rules and outlier tests on the campaign's values (peers are the whole
    campaign), optionally only the problems of one base."""
    from mieval.core.checks.run import data_check

    default, indicators = campaign_rule_set(campaign)
    problems = data_check(
        campaign_values_frame(campaign),
        campaign_bases_frame(campaign),
        rule_set or default,
        indicators=indicators,
    )
    if base_code is not None:
        problems = problems[problems["base_code"] == base_code].reset_index(drop=True)
    return problems


def rules_preview_on(campaign: Campaign, text: str):
    """How many values each rule of a (draft) rules text would flag on a campaign's data."""
    from mieval.core.checks.rules import rules_parse, rules_preview
    from mieval.indicators.selectors import framework_indicators_frame

    indicators = framework_indicators_frame(campaign.framework)
    rule_set = rules_parse(text, file="rules", indicators=indicators)
    return rules_preview(
        campaign_values_frame(campaign),
        campaign_bases_frame(campaign),
        rule_set.rules,
        indicators=indicators,
    )


def campaign_completeness(campaign: Campaign) -> pd.DataFrame:
    """Per base in scope: values expected (each indicator that applies to its category, each
    year), values reported, share, submission state, first submission and whether it was on
    time. A fixed number of queries, whatever the number of bases."""
    from mieval.collection.models import Submission
    from mieval.core.completeness import completeness
    from mieval.indicators.selectors import framework_indicators_frame

    bases = campaign_bases_frame(campaign)
    counts = completeness(
        campaign_values_frame(campaign),
        bases,
        framework_indicators_frame(campaign.framework),
        first_year=campaign.first_year,
        last_year=campaign.last_year,
        by="code",
    ).set_index("group")
    submissions = {
        s.base.code: s for s in Submission.objects.filter(campaign=campaign).select_related("base")
    }
    deadline = campaign.submission_deadline
    rows = []
    for base in bases.itertuples(index=False):
        submission = submissions.get(base.code)
        submitted_at = submission.submitted_at if submission else None
        rows.append(
            {
                "base_code": base.code,
                "category": base.category,
                "subcategory": base.subcategory,
                "expected": int(counts.at[base.code, "expected"]),
                "reported": int(counts.at[base.code, "reported"]),
                "share": float(counts.at[base.code, "share"]),
                "state": submission.state if submission else Submission.State.DRAFT.value,
                "submitted_at": submitted_at,
                "on_time": None
                if deadline is None or submitted_at is None
                else submitted_at <= deadline,
            }
        )
    columns = ["base_code", "category", "subcategory", "expected", "reported", "share"]
    return pd.DataFrame(rows, columns=[*columns, "state", "submitted_at", "on_time"])


def campaign_audit_frame(campaign: Campaign) -> pd.DataFrame:
    """Every change of a value and of a submission's state in the campaign, oldest first."""
    from mieval.collection.models import SubmissionEvent

    values = ValueAudit.objects.filter(campaign=campaign).values_list(
        "at",
        "actor",
        "base__code",
        "indicator__code",
        "year",
        "action",
        "old",
        "new",
        "reason",
        "source",
    )
    rows = [
        {
            "at": at.isoformat(),
            "actor": actor,
            "kind": "value",
            "base_code": base,
            "indicator_code": indicator,
            "year": year,
            "action": action,
            "old": old,
            "new": new,
            "reason": reason,
            "source": source,
        }
        for at, actor, base, indicator, year, action, old, new, reason, source in values
    ]
    events = SubmissionEvent.objects.filter(submission__campaign=campaign).values_list(
        "at", "actor", "submission__base__code", "from_state", "to_state", "reason"
    )
    rows += [
        {
            "at": at.isoformat(),
            "actor": actor,
            "kind": "submission",
            "base_code": base,
            "indicator_code": "",
            "year": None,
            "action": "state",
            "old": old,
            "new": new,
            "reason": reason,
            "source": "form",
        }
        for at, actor, base, old, new, reason in events
    ]
    columns = ["at", "actor", "kind", "base_code", "indicator_code", "year", "action", "old"]
    columns += ["new", "reason", "source"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["year"] = frame["year"].astype("Int64")
    return frame.sort_values("at", kind="stable", ignore_index=True)


def base_check_with(campaign: Campaign, base_code: str, typed: pd.DataFrame) -> pd.DataFrame:
    """:func:`campaign_check` of one base as its data would be with ``typed`` in place of the
    stored values: what the entry form and the Excel upload show before anything is saved.

    ``typed`` holds ``indicator_code, year, value`` (float; NaN for a value to be cleared); the
    base's other values and every other base (the peers of the outlier test) stay as stored.
    """
    from mieval.core.checks.run import data_check

    rule_set, indicators = campaign_rule_set(campaign)
    values = campaign_values_frame(campaign)
    pairs = pd.MultiIndex.from_frame(values[["indicator_code", "year"]])
    typed_pairs = pd.MultiIndex.from_frame(
        typed[["indicator_code", "year"]].astype({"year": "int64"})
    )
    replaced = (values["base_code"] == base_code).to_numpy() & pairs.isin(typed_pairs)
    new = typed.loc[typed["value"].notna(), ["indicator_code", "year", "value"]].assign(
        base_code=base_code
    )
    values = pd.concat(
        [values.loc[~replaced], new[list(values.columns)].astype(values.dtypes.to_dict())],
        ignore_index=True,
    )
    problems = data_check(values, campaign_bases_frame(campaign), rule_set, indicators=indicators)
    return problems[problems["base_code"] == base_code].reset_index(drop=True)


def campaign_audit_csv(campaign: Campaign) -> bytes:
    """:func:`campaign_audit_frame` as interchange CSV: UTF-8 with a byte-order mark (so that
    Excel reads the Chinese), ``\\n`` line ends, an empty cell for a missing year."""
    # People read it in a spreadsheet: a reason written as a formula stays text (csv_cell).
    frame = campaign_audit_frame(campaign).map(csv_cell)
    text = frame.to_csv(index=False, lineterminator="\n")
    return ("\ufeff" + text).encode("utf-8")


@dataclass(frozen=True)
class CampaignFrames:
    bases: pd.DataFrame  # bases frame plus region, region_group
    values: pd.DataFrame
    indicators: pd.DataFrame


def campaign_frames(campaign: Campaign) -> CampaignFrames:
    """The campaign's bases, values and indicators: four queries whatever the number of bases."""
    bases = reference.bases_with_derived_fields(campaign_bases_frame(campaign))
    return CampaignFrames(
        bases=bases,
        values=campaign_values_frame(campaign),
        indicators=framework_indicators_frame(campaign.framework),
    )


def completeness_rows(frame: pd.DataFrame, label_of) -> list[dict]:
    """The rows of a :func:`~mieval.core.completeness.completeness` frame for a table or a chart:
    ``code``, ``label`` (``label_of(code)``), ``expected``, ``reported`` and ``percent`` (None
    where nothing is expected)."""
    return [
        {
            "code": row.group,
            "label": label_of(row.group),
            "expected": int(row.expected),
            "reported": int(row.reported),
            "percent": None if pd.isna(row.share) else float(row.share * 100),
        }
        for row in frame.itertuples(index=False)
    ]


def submissions_summary(campaign: Campaign, *, state: str = "", subcategory: str = "") -> dict:
    """The submissions dashboard: per base, by subcategory and by indicator, of the bases in
    the given ``state`` and ``subcategory`` (empty: any); names in the reader's language.

    Completeness is DHIS2's reporting rate; timeliness counts the values of the bases whose
    first submission met the deadline ("reported on time"). A fixed number of queries, whatever
    the number of bases.
    """
    from mieval.collection.models import Submission

    State = Submission.State
    frames = campaign_frames(campaign)
    table = campaign_completeness(campaign)
    if state:
        table = table.loc[table["state"] == state]
    if subcategory:
        table = table.loc[table["subcategory"] == subcategory]
    bases = frames.bases.loc[frames.bases["code"].isin(table["base_code"])]
    values = frames.values.loc[frames.values["base_code"].isin(table["base_code"])]
    years = {"first_year": campaign.first_year, "last_year": campaign.last_year}
    summary = completeness_summary(values, bases, frames.indicators, **years)
    on_time_codes = set(table.loc[table["on_time"].eq(True), "base_code"])
    on_time = completeness(
        values.loc[values["base_code"].isin(on_time_codes)], bases, frames.indicators, **years
    )
    names = {
        row.code: localized(row.name_zh, row.name_en)
        for row in frames.bases.itertuples(index=False)
    }
    base_rows = [
        {
            "code": row.base_code,
            "name": names.get(row.base_code, ""),
            "subcategory": group_name("subcategory", row.subcategory),
            "state": row.state,
            "state_label": str(State(row.state).label),
            "submitted_at": None if pd.isna(row.submitted_at) else row.submitted_at,
            "on_time": None if row.on_time is None or pd.isna(row.on_time) else bool(row.on_time),
            "expected": int(row.expected),
            "reported": int(row.reported),
            "percent": None if pd.isna(row.share) else row.share * 100,
        }
        for row in table.itertuples(index=False)
    ]
    labels = {
        row.code: localized(row.name_zh, row.name_en)
        for row in frames.indicators.itertuples(index=False)
    }
    indicator_rows = [
        {
            **row,
            "on_time": int(on_time_row.reported),
            "on_time_percent": None if pd.isna(on_time_row.share) else on_time_row.share * 100,
        }
        for row, on_time_row in zip(
            completeness_rows(summary.by_indicator, labels.__getitem__),
            on_time.itertuples(index=False),
            strict=True,
        )
        if row["expected"] > 0
    ]
    subcategory_rows = []
    for row in completeness_rows(
        summary.by_subcategory, lambda code: group_name("subcategory", code)
    ):
        part = table.loc[table["subcategory"] == row["code"]]
        subcategory_rows.append(
            {
                **row,
                "bases": len(part),
                "submitted": int(part["submitted_at"].notna().sum()),
                "on_time": int(part["on_time"].eq(True).sum()),
                "late": int(part["on_time"].eq(False).sum()),
                "approved": int((part["state"] == State.APPROVED).sum()),
            }
        )
    state_counts = table["state"].value_counts()
    return {
        "base_rows": base_rows,
        "n_bases": len(base_rows),
        "n_submitted": sum(1 for r in base_rows if r["submitted_at"] is not None),
        "n_on_time": sum(1 for r in base_rows if r["on_time"] is True),
        "n_late": sum(1 for r in base_rows if r["on_time"] is False),
        "n_approved": sum(1 for r in base_rows if r["state"] == State.APPROVED),
        "indicator_rows": indicator_rows,
        "subcategory_rows": subcategory_rows,
        "state_counts": {value: int(state_counts.get(value, 0)) for value in State.values},
    }


def campaign_indicators(campaign: Campaign, category: str | None = None) -> list[dict]:
    """The campaign's indicators: code, name and unit in the reader's language; with
    ``category`` only those that apply to it."""
    zh = in_chinese()
    return [
        {
            "code": row.code,
            "name": localized(row.name_zh, row.name_en),
            "unit": (row.unit_zh or row.unit) if zh else row.unit,
        }
        for row in framework_indicators_frame(campaign.framework).itertuples(index=False)
        if category is None or indicator_applies(row.categories, category)
    ]


def base_value_grid(campaign: Campaign, base) -> dict:
    """The base's values, one row per indicator that applies to it and one cell per year, with
    the check's problems, the queries not yet closed and the evidence count of each cell; the
    problems listed most severe first, and counted by severity."""
    problems = campaign_check(campaign, base_code=base.code)
    indicators = campaign_indicators(campaign, base.subcategory.category_id)
    years = list(range(campaign.first_year, campaign.last_year + 1))
    values = {
        (code, year): raw
        for code, year, raw in Value.objects.filter(campaign=campaign, base=base).values_list(
            "indicator__code", "year", "raw"
        )
    }
    zh = in_chinese()
    by_cell: dict[tuple, list] = defaultdict(list)
    loose = []
    for row in problems.itertuples(index=False):
        item = {
            "rule": row.rule,
            "severity": row.severity,
            "message": row.message_zh if zh else row.message,
            "indicator": row.indicator_code,
            "year": None if pd.isna(row.year) else int(row.year),
        }
        if item["year"] is None:
            loose.append(item)
        else:
            by_cell[(row.indicator_code, item["year"])].append(item)
    queries: dict[tuple, list] = defaultdict(list)
    for query in (
        Query.objects.filter(campaign=campaign, base=base)
        .exclude(status=Query.Status.CLOSED)
        .select_related("indicator")
    ):
        queries[(query.indicator.code, query.year)].append(query)
    evidence = {
        (code, year): n
        for code, year, n in Evidence.objects.filter(campaign=campaign, base=base)
        .values_list("indicator__code", "year")
        .annotate(n=Count("pk"))
        .values_list("indicator__code", "year", "n")
    }
    names = {i["code"]: i["name"] for i in indicators}
    loose += [p for (code, _year), items in by_cell.items() if code not in names for p in items]
    listed = [
        {**p, "indicator_name": names.get(p["indicator"], p["indicator"])}
        for p in sorted(
            (p for items in by_cell.values() for p in items),
            key=lambda p: (Severity(p["severity"]).rank, p["indicator"], p["year"]),
        )
        if p["indicator"] in names
    ]
    rows = []
    for indicator in indicators:
        cells = []
        for year in years:
            key = (indicator["code"], year)
            cell_problems = sorted(by_cell.get(key, []), key=lambda p: Severity(p["severity"]).rank)
            cells.append(
                {
                    "year": year,
                    "raw": values.get(key),
                    "problems": cell_problems,
                    "severity": cell_problems[0]["severity"] if cell_problems else "",
                    "queries": queries.get(key, []),
                    "evidence": evidence.get(key, 0),
                }
            )
        rows.append({"indicator": indicator, "cells": cells})
    counts = problems["severity"].value_counts() if len(problems) else {}
    return {
        "years": years,
        "rows": rows,
        "problems": listed,
        "loose_problems": loose,
        "n_errors": int(counts.get("error", 0)),
        "n_warnings": int(counts.get("warning", 0)),
        "n_info": int(counts.get("info", 0)),
        "n_open_queries": sum(len(q) for q in queries.values()),
    }


# --- what an import would change (written by services.campaign_import_apply) ------------------


@dataclass(frozen=True)
class ValueChange:
    base_code: str
    indicator_code: str
    year: int
    old: str | None
    new: str | None

    @property
    def action(self) -> str:
        if self.old is None:
            return ValueAudit.Action.CREATE
        if self.new is None:
            return ValueAudit.Action.DELETE
        return ValueAudit.Action.UPDATE


@dataclass
class ImportPlan:
    """Everything an import would change, computed before anything is written."""

    campaign: Campaign
    indicators: pd.DataFrame | None = None  # a new framework for the campaign, when given
    bases: BasesPlan = field(default_factory=BasesPlan)
    bases_added_to_campaign: list[str] = field(default_factory=list)
    changes: list[ValueChange] = field(default_factory=list)
    unchanged: int = 0
    framework_changed: bool = False
    notices: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        actions = [c.action for c in self.changes]
        return {
            "bases_created": len(self.bases.create),
            "bases_updated": len(self.bases.update),
            "bases_added_to_campaign": len(self.bases_added_to_campaign),
            "values_created": actions.count(ValueAudit.Action.CREATE),
            "values_updated": actions.count(ValueAudit.Action.UPDATE),
            "values_deleted": actions.count(ValueAudit.Action.DELETE),
            "values_unchanged": self.unchanged,
        }

    @property
    def is_empty(self) -> bool:
        counts = self.counts()
        return not any(v for k, v in counts.items() if k != "values_unchanged")


def campaign_import_plan(
    *,
    campaign: Campaign,
    bases_path: str | Path | None = None,
    values_path: str | Path | None = None,
    indicators_path: str | Path | None = None,
    on_notice: Callable[[str], None] | None = None,
) -> ImportPlan:
    """Read and check the files and work out what importing them would change; write nothing.

    Raises :class:`InputError` with every problem of every file.
    """
    plan = ImportPlan(campaign=campaign)

    def notice(text: str) -> None:
        plan.notices.append(text)
        if on_notice:
            on_notice(text)

    problems: list[Problem] = []
    more = 0  # problems counted but not kept by the readers (InputError.more)
    scope = campaign_bases_frame(campaign)
    file_bases = None
    # The scope rule (registry: Base.objects.active_in): a base withdrawn or merged before
    # the campaign's first year, or designated after its last, is left out, with a notice;
    # values of such a base are refused.
    years = (campaign.first_year, campaign.last_year)
    outside = {o.code: o for o in bases_outside(campaign.bases.all(), *years)}
    if bases_path is not None:
        try:
            file_bases = tables.read_bases(bases_path, on_notice=notice)
        except InputError as error:
            problems += error.problems
            more += error.more
        else:
            scope = pd.concat(
                [scope[~scope["code"].isin(file_bases["code"])], file_bases], ignore_index=True
            )
        try:
            if file_bases is not None:
                plan.bases = bases_plan(file_bases, file=str(bases_path))
        except InputError as error:
            problems += error.problems
        else:
            # The file's rows decide for the bases they carry (a batch may change).
            for code in plan.bases.all_codes:
                outside.pop(code, None)
            for found in plan.bases.outside(*years):
                outside[found.code] = found
                notice(
                    f"{bases_path}, line {found.line}: base '{found.code}' is left out of"
                    f" campaign '{campaign.code}' ({years[0]}-{years[1]}): {found.reason()}."
                )
    indicators = framework_indicators_frame(campaign.framework)
    if indicators_path is not None:
        try:
            file_indicators = tables.read_indicators(indicators_path, on_notice=notice)
        except InputError as error:
            problems += error.problems
            more += error.more
        else:
            if not _same_framework(indicators, file_indicators):
                problems += _framework_change_problems(campaign, str(indicators_path))
                indicators = plan.indicators = file_indicators
    values = None
    if values_path is not None:
        try:
            values = tables.read_values(
                values_path,
                indicators=indicators,
                bases=scope[["code", "category"]],
                years=(campaign.first_year, campaign.last_year),
                storable=True,
                on_notice=notice,
            )
        except InputError as error:
            problems += error.problems
            more += error.more
        else:
            problems += _out_of_scope_problems(campaign, values, outside, str(values_path))
    if problems:
        raise InputError(problems, more=more)

    if file_bases is not None:
        in_campaign = set(campaign.bases.values_list("code", flat=True))
        plan.bases_added_to_campaign = [
            c for c in file_bases["code"] if c not in in_campaign and c not in outside
        ]
    if values is not None:
        plan.changes, plan.unchanged = _value_changes(campaign, values)
        _locked_problems(campaign, plan.changes, values, str(values_path))
    return plan


def _out_of_scope_problems(
    campaign: Campaign, values: pd.DataFrame, outside: dict[str, OutOfScope], file: str
) -> list[Problem]:
    """Values of bases outside the campaign's years, one problem per line."""
    if not outside:
        return []
    return [
        Problem(
            file,
            int(row.line),
            "base_code",
            ProblemCode.OUT_OF_SCOPE,
            f"base '{row.base_code}' is out of the scope of campaign '{campaign.code}'"
            f" ({campaign.first_year}-{campaign.last_year}): {outside[row.base_code].reason()};"
            " its values belong to a campaign of its years",
        )
        for row in values.itertuples(index=False)
        if row.base_code in outside
    ]


def _locked_problems(campaign, changes, values: pd.DataFrame, file: str) -> None:
    """Refuse changes to approved (locked) data, naming each line that would change it."""
    if campaign.pk is None or not changes:
        return
    locked = set(
        Submission.objects.filter(campaign=campaign, state=Submission.State.APPROVED).values_list(
            "base__code", flat=True
        )
    )
    touched = {(c.base_code, c.indicator_code, c.year) for c in changes if c.base_code in locked}
    if not touched:
        return
    problems = [
        Problem(
            file,
            int(row.line),
            "value",
            ProblemCode.LOCKED,
            f"base '{row.base_code}' is approved in campaign '{campaign.code}'; its data is "
            "locked until an analyst reopens it",
        )
        for row in values.itertuples(index=False)
        if (row.base_code, row.indicator_code, int(row.year)) in touched
    ]
    raise InputError(problems)


def _framework_change_problems(campaign: Campaign, file: str) -> list[Problem]:
    """A campaign's framework may change only while it holds no values."""
    if campaign.pk is None:
        return []
    count = Value.objects.filter(campaign=campaign).count()
    if count == 0:
        return []
    return [
        Problem(
            file,
            None,
            None,
            ProblemCode.INCONSISTENT,
            f"campaign '{campaign.code}' already holds {count} values under framework "
            f"{campaign.framework}; its indicators can no longer change (start a new campaign)",
        )
    ]


def _same_framework(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    from mieval.indicators.services import framework_content

    return framework_content(a) == framework_content(b)


def _value_changes(campaign: Campaign, values: pd.DataFrame) -> tuple[list[ValueChange], int]:
    # The text as entered, not the number: it is exact, and it is readable even where a number
    # stored before the value checker existed is not (a REAL beyond 10^20 on SQLite).
    existing = {
        (b, i, y): raw
        for b, i, y, raw in Value.objects.filter(campaign=campaign).values_list(
            "base__code", "indicator__code", "year", "raw"
        )
    }
    changes, unchanged = [], 0
    for row in values.itertuples(index=False):
        key = (row.base_code, row.indicator_code, int(row.year))
        old = existing.get(key)
        new = row.raw or None
        if old is None and new is None:
            continue
        # Equal numbers are no change, whatever their spelling ("1.5" and "1.50").
        if old is not None and new is not None and is_same_number(old, new):
            unchanged += 1
            continue
        changes.append(ValueChange(*key, old=old, new=new))
    return changes, unchanged


def base_peer_frames(campaign: Campaign, base: Base) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bases of the campaign in ``base``'s subcategory and their values (two queries)."""
    peers = campaign.bases.filter(subcategory_id=base.subcategory_id)
    rows = Value.objects.filter(
        campaign=campaign, base__subcategory_id=base.subcategory_id
    ).values_list("base__code", "indicator__code", "year", "value")
    values = pd.DataFrame.from_records(
        list(rows), columns=["base_code", "indicator_code", "year", "value"]
    )
    values["year"] = values["year"].astype("int64")
    values["value"] = values["value"].astype("float64")
    bases = bases_frame(peers)
    return bases, values.loc[values["base_code"].isin(bases["code"])]


def programme_campaigns(programme) -> list[Campaign]:
    """The programme's campaigns in round order, with their frameworks."""
    return list(programme.campaigns.select_related("framework", "programme").order_by("round"))


def rounds_combined(campaigns: list[Campaign]):
    """The campaigns' values on the newest one's framework version, older rounds mapped
    through the crosswalk (:func:`mieval.core.trends.rounds.rounds_combine`): four queries per
    round and three more, whatever the number of bases."""
    from mieval.core.trends.rounds import RoundData, rounds_combine
    from mieval.indicators.selectors import crosswalk_frame, frameworks_indicator_frames

    rounds = [
        RoundData(
            number=c.round,
            campaign=c.code,
            framework=(c.framework.code, c.framework.version),
            first_year=c.first_year,
            last_year=c.last_year,
            bases=campaign_bases_frame(c),
            values=campaign_values_frame(c),
        )
        for c in campaigns
    ]
    return rounds_combine(rounds, crosswalk_frame(), frameworks_indicator_frames())
