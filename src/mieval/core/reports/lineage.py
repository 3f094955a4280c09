"""Lineage: the values behind a number of a report, from the snapshot it was built from.

Pure pandas, no Django. A number of the trend table is the statistic of one indicator over the
bases of one group in one year; :func:`lineage_values` lists those bases' values and recomputes
the statistic, so that a reader can check the printed figure. A row of a ranking is a base's
index score in one year; :func:`lineage_base` lists that base's values and index results.
"""

from dataclasses import dataclass

import pandas as pd

from mieval.core import reference
from mieval.core.reports.payload import payload_bases, payload_indicators, payload_values
from mieval.core.trends import table as trends


class LineageError(ValueError):
    """A lineage query that names no number of the report (unknown indicator, field, year)."""


@dataclass(frozen=True)
class Lineage:
    """``rows``: ``base_code, name_zh, name_en, group, year, value`` sorted by year and base;
    ``figures``: per year ``{"year", "stat", "value", "n"}`` as the trend table computes it."""

    indicator: str
    group_field: str | None
    group: str | None
    stat: str
    rows: pd.DataFrame
    figures: list[dict]


def lineage_values(
    payload: dict,
    *,
    indicator: str,
    group_field: str | None = None,
    group: str | None = None,
    year: int | None = None,
) -> Lineage:
    indicators = payload_indicators(payload)
    if indicator not in set(indicators["code"]):
        raise LineageError(f"indicator '{indicator}' is not in the snapshot")
    if group_field is not None and group_field not in reference.GROUP_FIELDS:
        raise LineageError(
            f"group_field '{group_field}' is not one of {', '.join(reference.GROUP_FIELDS)}"
        )
    if group_field is not None and group is None:
        raise LineageError("group_field needs a group")
    campaign = payload["campaign"]
    first, last = campaign["first_year"], campaign["last_year"]
    if year is not None and not first <= year <= last:
        raise LineageError(f"year {year} is outside the snapshot's years {first}-{last}")
    bases = reference.bases_with_derived_fields(payload_bases(payload))
    values = payload_values(payload)
    if group_field is not None:
        members = bases.loc[bases[group_field].astype(str) == str(group), "code"]
        values = values.loc[values["base_code"].isin(set(members))]
        bases = bases.loc[bases["code"].isin(set(members))]
    values = values.loc[values["indicator_code"] == indicator]
    years = (year, year) if year is not None else (first, last)
    values = values.loc[values["year"].between(*years)]
    table = trends.trend_table(
        values,
        bases,
        indicators,
        by=group_field,
        year_from=years[0],
        year_to=years[1],
    )
    stat = table.stats.get(indicator, "mean")
    figures = [
        {
            "year": int(r.year),
            "stat": stat,
            "value": None if pd.isna(r.value) else float(r.value),
            "n": int(r.n),
        }
        for r in table.yearly.itertuples(index=False)
        if r.indicator == indicator and (group_field is None or str(r.group) == str(group))
    ]
    named = values.merge(
        bases[["code", "name_zh", "name_en"]], left_on="base_code", right_on="code"
    )
    named["group"] = group if group_field is not None else trends.ALL_GROUP
    rows = named[["base_code", "name_zh", "name_en", "group", "year", "value"]].sort_values(
        ["year", "base_code"], ignore_index=True
    )
    return Lineage(indicator, group_field, group, stat, rows, figures)


def lineage_json(lineage: Lineage) -> dict:
    return {
        "indicator": lineage.indicator,
        "group_field": lineage.group_field,
        "group": lineage.group,
        "stat": lineage.stat,
        "figures": lineage.figures,
        "values": [
            {"base_code": r.base_code, "year": int(r.year), "value": float(r.value)}
            for r in lineage.rows.itertuples(index=False)
        ],
    }


@dataclass(frozen=True)
class BaseLineage:
    """The values behind a base's row of a ranking: ``rows`` holds ``indicator_code, name_zh,
    name_en, year, value`` of the base (in ``year``, or every year), sorted by year and
    indicator; ``ranks`` the base's frozen index results ``{"framework", "version", "year",
    "score", "rank", "q05", "q95"}`` (in that year, or every year); ``expert`` the experts'
    totals behind its expert result, without names, ``{"totals", "trimmed_mean", "n"}``, or
    None where the snapshot froze none."""

    base: str
    name_zh: str
    name_en: str
    year: int | None
    rows: pd.DataFrame
    ranks: list[dict]
    expert: dict | None = None


def lineage_base(payload: dict, *, base: str, year: int | None = None) -> BaseLineage:
    """The snapshot's values of one base (an index score is computed from them, with the other
    bases' values of its category for the normalisation) and its index results."""
    bases = payload_bases(payload)
    found = bases.loc[bases["code"] == base]
    if found.empty:
        raise LineageError(f"base '{base}' is not in the snapshot")
    campaign = payload["campaign"]
    first, last = campaign["first_year"], campaign["last_year"]
    if year is not None and not first <= year <= last:
        raise LineageError(f"year {year} is outside the snapshot's years {first}-{last}")
    values = payload_values(payload)
    values = values.loc[values["base_code"] == base]
    if year is not None:
        values = values.loc[values["year"] == year]
    indicators = payload_indicators(payload)[["code", "name_zh", "name_en"]]
    rows = values.merge(indicators, left_on="indicator_code", right_on="code")[
        ["indicator_code", "name_zh", "name_en", "year", "value"]
    ].sort_values(["year", "indicator_code"], ignore_index=True)
    ranks = [
        {
            "framework": run["framework"],
            "version": run["version"],
            "year": run["year"],
            **{k: s.get(k) for k in ("score", "rank", "q05", "q95")},
        }
        for run in payload.get("index_runs") or []
        if year is None or run["year"] == year
        for s in run["scores"]
        if s["base"] == base
    ]
    ranks.sort(key=lambda r: (r["framework"], r["version"], r["year"]))
    row = found.iloc[0]
    return BaseLineage(
        base, row["name_zh"], row["name_en"], year, rows, ranks, _expert_lineage(payload, base)
    )


def _expert_lineage(payload: dict, base: str) -> dict | None:
    panels = payload.get("panels") or {}
    totals = next((t["totals"] for t in panels.get("totals", []) if t["base"] == base), None)
    result = next((r for r in panels.get("results", []) if r["base"] == base), None)
    if totals is None or result is None:
        return None
    return {"totals": totals, "trimmed_mean": result["score"], "n": result["n"]}


def lineage_base_json(lineage: BaseLineage) -> dict:
    return {
        "base": lineage.base,
        "year": lineage.year,
        "ranks": lineage.ranks,
        "expert": lineage.expert,
        "values": [
            {"indicator_code": r.indicator_code, "year": int(r.year), "value": float(r.value)}
            for r in lineage.rows.itertuples(index=False)
        ],
    }


@dataclass(frozen=True)
class GroupLineage:
    """The evidence of a finding on a group that leads or lags: for every indicator, the
    group's and all bases' average annual growth over the years the snapshot covers.

    ``rows``: ``indicator, name_zh, name_en, first_year, last_year, n_first, n_last,
    group_cagr, all_cagr, leads`` (``leads`` True where the group grew faster, False where
    slower, None where a rate is undefined), in the indicators' order."""

    group_field: str
    group: str
    rows: pd.DataFrame


def lineage_group(payload: dict, *, group_field: str, group: str) -> GroupLineage:
    """The growth of one group of bases against all bases, indicator by indicator, from the
    snapshot (:mod:`mieval.core.findings.trends` compares the same rates)."""
    if group_field not in reference.GROUP_FIELDS:
        raise LineageError(
            f"group_field '{group_field}' is not one of {', '.join(reference.GROUP_FIELDS)}"
        )
    bases = reference.bases_with_derived_fields(payload_bases(payload))
    if str(group) not in set(bases[group_field].astype(str)):
        raise LineageError(f"no base of the snapshot has {group_field} '{group}'")
    values = payload_values(payload)
    indicators = payload_indicators(payload)
    grouped = trends.trend_table(values, bases, indicators, by=group_field)
    overall = trends.trend_table(values, bases, indicators)
    mine = grouped.growth.loc[grouped.growth["group"].astype(str) == str(group)]
    counts = grouped.yearly.loc[grouped.yearly["group"].astype(str) == str(group)]
    n_by = {(r.indicator, int(r.year)): int(r.n) for r in counts.itertuples(index=False)}
    all_cagr = dict(zip(overall.growth["indicator"], overall.growth["cagr"], strict=True))
    names = indicators.set_index("code")
    rows = []
    for r in mine.itertuples(index=False):
        first = None if pd.isna(r.first_year) else int(r.first_year)
        last = None if pd.isna(r.last_year) else int(r.last_year)
        mine_rate = None if pd.isna(r.cagr) else float(r.cagr)
        all_rate = all_cagr.get(r.indicator)
        all_rate = None if all_rate is None or pd.isna(all_rate) else float(all_rate)
        rows.append(
            {
                "indicator": r.indicator,
                "name_zh": names.loc[r.indicator, "name_zh"],
                "name_en": names.loc[r.indicator, "name_en"],
                "first_year": first,
                "last_year": last,
                "n_first": n_by.get((r.indicator, first), 0) if first else 0,
                "n_last": n_by.get((r.indicator, last), 0) if last else 0,
                "group_cagr": mine_rate,
                "all_cagr": all_rate,
                "leads": None
                if mine_rate is None or all_rate is None
                else bool(mine_rate > all_rate),
            }
        )
    return GroupLineage(group_field, str(group), pd.DataFrame(rows, dtype=object))


def lineage_group_json(lineage: GroupLineage) -> dict:
    return {
        "group_field": lineage.group_field,
        "group": lineage.group,
        "indicators": [
            {
                k: row[k]
                for k in (
                    "indicator",
                    "first_year",
                    "last_year",
                    "n_first",
                    "n_last",
                    "group_cagr",
                    "all_cagr",
                    "leads",
                )
            }
            for row in lineage.rows.to_dict("records")
        ],
    }


@dataclass(frozen=True)
class ProblemsLineage:
    """The confirmed problems behind a problems count of a report: ``filters`` as asked
    (type, category, subcategory, region_group, severity; None where not asked) and ``rows``,
    the snapshot's problems that match, each ``{"id", "base", "name_zh", "name_en", "type",
    "type_zh", "type_en", "category", "subcategory", "region_group", "severity", "source",
    "title_zh", "title_en"}``, sorted by id."""

    filters: dict
    rows: list[dict]


def lineage_problems(payload: dict, **filters) -> ProblemsLineage:
    """The problems a count of the judgement sections counts, from the snapshot (the filters
    of :func:`mieval.core.reports.judgement.problems_query`)."""
    from mieval.core.problem_counts import SEVERITIES
    from mieval.core.reports.judgement import PROBLEM_FILTERS

    unknown = sorted(set(filters) - set(PROBLEM_FILTERS))
    if unknown:
        raise LineageError(f"'{unknown[0]}' is not one of {', '.join(PROBLEM_FILTERS)}")
    records = payload.get("judgement")
    if records is None:
        raise LineageError("the snapshot holds no problem register")
    types = {t["code"]: t for t in records.get("problem_types") or []}
    problems = records.get("problems") or []
    allowed = {
        "type": set(types) | {p["type"] for p in problems},
        "category": set(reference.CATEGORY_BY_CODE),
        "subcategory": set(reference.SUBCATEGORY_BY_CODE),
        "region_group": set(reference.REGION_GROUPS),
        "severity": set(SEVERITIES),
    }
    errors = [
        f"{key} '{value}' is not one of {', '.join(sorted(allowed[key]))}"
        for key, value in filters.items()
        if value is not None and value not in allowed[key]
    ]
    if errors:
        raise LineageError("; ".join(errors))
    asked = {key: filters.get(key) for key in PROBLEM_FILTERS}
    names = {b["code"]: b for b in payload["bases"]}
    rows = []
    for p in sorted(problems, key=lambda p: p["id"]):
        if any(value is not None and p[key] != value for key, value in asked.items()):
            continue
        base = names.get(p["base"], {})
        kind = types.get(p["type"], {})
        rows.append(
            {
                "id": p["id"],
                "base": p["base"],
                "name_zh": base.get("name_zh") or p["base"],
                "name_en": base.get("name_en") or p["base"],
                "type": p["type"],
                "type_zh": kind.get("name_zh") or p["type"],
                "type_en": kind.get("name_en") or p["type"],
                **{k: p[k] for k in ("category", "subcategory", "region_group", "severity")},
                "source": p["source"],
                "title_zh": p["title_zh"],
                "title_en": p["title_en"],
            }
        )
    return ProblemsLineage(asked, rows)


def lineage_problems_json(lineage: ProblemsLineage) -> dict:
    return {"filters": lineage.filters, "count": len(lineage.rows), "problems": lineage.rows}
