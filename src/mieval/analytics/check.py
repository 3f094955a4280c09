"""Everything ``mieval check`` runs on one set of values: validation rules and outlier tests.

Plain pandas/numpy, no Django. :func:`data_check` runs a :class:`RuleSet`'s rules
(:func:`mieval.analytics.validation.rules_check`) and, as its outlier settings say, the history
and peer tests of :mod:`mieval.analytics.outliers`, and returns one problems frame (columns of
:data:`~mieval.analytics.validation.PROBLEM_COLUMNS`, sorted by base, indicator, year, rule).

One finding per value and kind of test: a year-over-year change rule and the history test look
at the same pairs of consecutive years, so an ``outlier_history`` problem is dropped where a
change rule already flagged the same base, indicator and year. The history test still speaks
where the change rules cannot: across a year without a value (2016 against 2018), on indicators
the change rules leave out, and when the rules file has no change rule.
"""

import pandas as pd

from mieval.analytics.outliers import outliers_history, outliers_peers
from mieval.analytics.validation import (
    ChangeRule,
    RuleSet,
    Severity,
    default_rule_set,
    problems_frame,
    rules_check,
)

_KEY = ["base_code", "indicator_code", "year"]


def data_check(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    rule_set: RuleSet | None = None,
    *,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Run validation rules and outlier tests; return every problem found.

    Parameters
    ----------
    values : pandas.DataFrame
        ``base_code, indicator_code, year, value``, long format.
    bases : pandas.DataFrame
        ``code, category, subcategory`` of every base.
    rule_set : RuleSet, optional
        Default :func:`~mieval.analytics.validation.default_rule_set` of ``indicators``.
    indicators : pandas.DataFrame, optional
        ``code, name_zh, name_en`` (and ``non_negative`` for the default rules); default the
        twelve built in.

    Returns
    -------
    pandas.DataFrame
        ``base_code, indicator_code, year, rule, severity, message, message_zh``.
    """
    if rule_set is None:
        rule_set = default_rule_set(indicators)
    parts = [rules_check(values, bases, rule_set.rules, indicators=indicators)]
    settings = rule_set.outliers
    if settings.history:
        history = outliers_history(
            values, max_ratio=settings.history_max_ratio, indicators=indicators
        )
        change_codes = {r.code for r in rule_set.rules if isinstance(r, ChangeRule)}
        flagged = parts[0][parts[0]["rule"].isin(change_codes)][_KEY].drop_duplicates()
        if len(flagged) and len(history):
            seen = pd.MultiIndex.from_frame(flagged.astype({"year": "int64"}))
            mine = pd.MultiIndex.from_frame(history[_KEY].astype({"year": "int64"}))
            history = history[~mine.isin(seen)]
        parts.append(history)
    if settings.peers:
        parts.append(
            outliers_peers(
                values,
                bases,
                max_z=settings.peers_max_z,
                min_size=settings.peers_min_size,
                indicators=indicators,
            )
        )
    records = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else None
    )
    if records is None:
        return problems_frame([])
    return problems_frame(records.to_dict("records"))


def has_errors(problems: pd.DataFrame) -> bool:
    """Whether any problem is of severity ``error`` (``mieval check`` then exits with 1)."""
    return bool((problems["severity"] == Severity.ERROR.value).any())
