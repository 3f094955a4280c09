"""Counts of the problems found in an evaluation (问题清单), by problem type, base category,
subcategory and region group, with typical examples.

A plain function on a long frame, one row per problem, as the register's selector builds it:

=================  ===========================================================================
``problem_id``     the problem's id (any sortable value; it breaks ties between examples)
``type_code``      the problem type's code (stable across taxonomy versions)
``category``       the base's category code
``subcategory``    the base's subcategory code
``region_group``   ``east``, ``central_west`` or ``northeast``
``severity``       ``minor``, ``moderate`` or ``serious``
``state``          ``proposed``, ``confirmed`` or ``dismissed``
=================  ===========================================================================

Only confirmed problems count: a proposal is not a finding yet and a dismissed one never was.
"""

import pandas as pd

#: The register's own severity scale, most severe first (the data checks' error / warning /
#: info say how sure a rule is, not how grave a problem is).
SEVERITIES = ("serious", "moderate", "minor")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

#: The dimensions counts may be broken down by, in this order.
DIMENSIONS = ("type_code", "category", "subcategory", "region_group")
COLUMNS = ("problem_id", *DIMENSIONS, "severity", "state")

#: Typical examples kept per group, at most.
EXAMPLES_MAX = 20


def problem_counts(
    problems: pd.DataFrame, *, by: tuple[str, ...] = DIMENSIONS, examples: int = 3
) -> pd.DataFrame:
    """Confirmed problems counted by ``by``, with the most severe ones as typical examples.

    Parameters
    ----------
    problems : DataFrame
        One row per problem with the columns of the module docstring; not modified.
    by : tuple of str
        A non-empty subset of :data:`DIMENSIONS` (kept in the order given).
    examples : int
        Typical examples per group, 0 to :data:`EXAMPLES_MAX`.

    Returns
    -------
    DataFrame
        One row per group with at least one confirmed problem, sorted by the ``by`` columns:
        the ``by`` columns, ``n`` (confirmed problems), ``n_serious``, ``n_moderate``,
        ``n_minor`` and ``examples`` (a list of ``problem_id``: the group's confirmed problems,
        most severe first, then by ``problem_id``, at most ``examples`` of them).
    """
    missing = [c for c in COLUMNS if c not in problems.columns]
    if missing:
        raise ValueError(f"problems: missing column(s) {', '.join(missing)}")
    by = tuple(by)
    if not by or any(c not in DIMENSIONS for c in by) or len(set(by)) != len(by):
        raise ValueError(f"by={by!r}: a non-empty subset of {', '.join(DIMENSIONS)}")
    if not 0 <= examples <= EXAMPLES_MAX:
        raise ValueError(f"examples={examples!r}: 0 to {EXAMPLES_MAX}")
    unknown = sorted(set(problems["severity"]) - set(SEVERITIES))
    if unknown:
        raise ValueError(f"severity {unknown[0]!r} is not one of {', '.join(SEVERITIES)}")
    out_columns = [*by, "n", "n_serious", "n_moderate", "n_minor", "examples"]
    confirmed = problems.loc[problems["state"] == "confirmed", list(COLUMNS)].copy()
    if confirmed.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in out_columns})
    confirmed["_rank"] = confirmed["severity"].map(SEVERITY_RANK)
    confirmed = confirmed.sort_values([*by, "_rank", "problem_id"], kind="mergesort")
    rows = []
    for key, group in confirmed.groupby(list(by), sort=True):
        key = key if isinstance(key, tuple) else (key,)
        severity = group["severity"].value_counts()
        rows.append(
            {
                **dict(zip(by, key, strict=True)),
                "n": len(group),
                "n_serious": int(severity.get("serious", 0)),
                "n_moderate": int(severity.get("moderate", 0)),
                "n_minor": int(severity.get("minor", 0)),
                "examples": list(group["problem_id"].iloc[:examples]),
            }
        )
    return pd.DataFrame(rows, columns=out_columns).reset_index(drop=True)
