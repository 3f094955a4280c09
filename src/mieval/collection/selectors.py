"""Reads of campaigns and their values, as the frames the functional core takes."""

from dataclasses import dataclass

import pandas as pd

from mieval.collection.models import Campaign, Value, ValueAudit
from mieval.core import reference
from mieval.indicators.selectors import framework_indicators_frame
from mieval.lib.spreadsheets import csv_cell
from mieval.registry.selectors import bases_frame

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
