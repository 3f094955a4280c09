"""Everything ``mieval check`` runs on one set of values: validation rules and outlier tests.

Plain pandas/numpy, no Django. :func:`data_check` runs a :class:`CheckRules`'s rules
(:func:`mieval.core.checks.rules.rules_check`), the indicators' own constraints and, as its
outlier settings say, the history and peer tests of :mod:`mieval.core.checks.outliers`, and
returns one problems frame (columns of :data:`~mieval.core.checks.rules.PROBLEM_COLUMNS`,
sorted by base, indicator, year, rule).

The indicators' constraints are checked whatever the rules: a value below 0 of an indicator
that cannot be negative (``non_negative_<code>``, the built-in rule, added where the rule set
lacks it) and a value of an indicator that does not apply to the base's category
(``not_applicable``) are errors, listed with every other problem; the outlier tests leave the
latter out. (``mieval import`` refuses both when it reads the file: nothing is half-imported.)

One finding per value and kind of test: a year-over-year change rule and the history test look
at the same pairs of consecutive years, so an ``outlier_history`` problem is dropped where a
change rule already flagged the same base, indicator and year. The history test still speaks
where the change rules cannot: across a year without a value (2016 against 2018), on indicators
the change rules leave out, and when the rules file has no change rule.
"""

import pandas as pd

from mieval.core.checks.outliers import outliers_history, outliers_peers
from mieval.core.checks.rules import (
    ChangeRule,
    CheckRules,
    Severity,
    default_rule_set,
    non_negative_rules,
    not_applicable_check,
    not_applicable_mask,
    problems_frame,
    rules_check,
)

_KEY = ["base_code", "indicator_code", "year"]


def data_check(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    rule_set: CheckRules | None = None,
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
    rule_set : CheckRules, optional
        Default :func:`~mieval.core.checks.rules.default_rule_set` of ``indicators``.
    indicators : pandas.DataFrame, optional
        ``code, name_zh, name_en``, ``non_negative`` and ``categories`` (the indicators'
        constraints); default the twelve built in.

    Returns
    -------
    pandas.DataFrame
        ``base_code, indicator_code, year, rule, severity, message, message_zh``.
    """
    if indicators is None:
        from mieval.core.indicators import builtin_indicators_frame

        indicators = builtin_indicators_frame()  # once, not in each part
    if rule_set is None:
        rule_set = default_rule_set(indicators)
    present = {rule.code for rule in rule_set.rules}
    rules = (*rule_set.rules, *(r for r in non_negative_rules(indicators) if r.code not in present))
    parts = [rules_check(values, bases, rules, indicators=indicators)]
    parts.append(not_applicable_check(values, bases, indicators))
    not_applicable = not_applicable_mask(values, bases, indicators)
    # No copy of millions of rows when every value applies (the tests never modify it).
    outlier_values = values[~not_applicable] if not_applicable.any() else values
    settings = rule_set.outliers
    if settings.history:
        history = outliers_history(
            outlier_values, bases, max_ratio=settings.history_max_ratio, indicators=indicators
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
                outlier_values,
                bases,
                max_z=settings.peers_max_z,
                min_size=settings.peers_min_size,
                max_ratio=settings.history_max_ratio,
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
