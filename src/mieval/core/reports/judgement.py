"""The report's judgement sections computed from the evaluation's records in a snapshot.

Plain Python, no Django: the payload's ``judgement`` key (:mod:`mieval.core.reports.payload`)
holds the records the office kept on the platform (the experts and panels, the site visits, the
exchange's contacts, the grassroots operational staff, the register's confirmed problems);
:func:`judgement_sections` turns them into the content of the three sections "评估组织实践经验"
(``practices``), "存在的问题" (``problems``) and "对策建议" (``recommendations``), each::

    {"sentences": [{"text", "query"}],          # generated sentences; query: a lineage link
     "tables": [{"title", "columns": [str],
                 "rows": [{"cells": [{"text", "query"}], "total": bool}]}],
     "groups": [{"title", "items": [{"text", "query"}]}]}

or None where the snapshot holds no record for it. The analysts' narrative is printed above it
(:func:`mieval.core.reports.content.narrative_section`), never instead of it.

A problems count links to the list of those problems in the snapshot
(:func:`problems_query`, read back by :func:`mieval.core.reports.lineage.lineage_problems`).
"""

from urllib.parse import urlencode

import pandas as pd

from mieval.core import reference
from mieval.core.panels.vocabulary import KIND_NAMES, OrganisationKind
from mieval.core.problem_counts import SEVERITIES, problem_counts

#: The register's severities, most severe first, as a report names them.
SEVERITY_NAMES = {
    "serious": ("严重", "serious"),
    "moderate": ("一般", "moderate"),
    "minor": ("轻微", "minor"),
}

#: The organisation kinds in the plural, for English sentences.
KIND_PLURALS_EN = {
    OrganisationKind.LOCAL_ASSOCIATION: "local science associations",
    OrganisationKind.NATIONAL_SOCIETY: "national societies",
    OrganisationKind.THIRD_PARTY: "third-party institutions",
}

#: The filters of a problems lineage link, in the order of the query string.
PROBLEM_FILTERS = ("type", "category", "subcategory", "region_group", "severity")

TEXTS = {
    "experts_table": ("各类组织派出的专家（按年度）", "Experts by kind of organisation and year"),
    "year": ("年度", "Year"),
    "organisation_kind": ("组织类型", "Kind of organisation"),
    "experts": ("专家人数", "Experts"),
    "expert_times": ("专家人次", "Expert-times"),
    "total": ("合计", "Total"),
    "panels_table": ("专家组构成", "Composition of the expert panels"),
    "panel": ("专家组", "Panel"),
    "members": ("成员", "Members"),
    "professional": ("专业专家", "Professional"),
    "operational": ("业务专家", "Operational"),
    "bases": ("示范基地", "Bases"),
    "visits_table": ("实地考察（按地区）", "Site visits by region"),
    "region_group": ("地区", "Region"),
    "visits_made": ("已完成实地考察", "Visits made"),
    "problems_table": ("按问题类型统计的问题", "Problems by type"),
    "problem_type": ("问题类型", "Problem type"),
    "problems": ("问题数", "Problems"),
    "by_category": ("按问题类型和基地类别统计", "Problems by type and category of base"),
    "by_region_group": ("按问题类型和地区统计", "Problems by type and region"),
    "by_subcategory": ("按问题类型和基地子类别统计", "Problems by type and subcategory of base"),
    "category": ("类别", "Category"),
    "subcategory": ("子类别", "Subcategory"),
    "typical_cases": ("典型问题", "Typical cases"),
}


def _t(key: str, lang: str) -> str:
    zh, en = TEXTS[key]
    return zh if lang == "zh" else en


def _pick(pair, lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def _cell(text, query: str | None = None) -> dict:
    return {"text": str(text), "query": query}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def problems_query(**filters) -> str:
    """The lineage query of a problems count: ``kind=problems`` and the filters given (any of
    :data:`PROBLEM_FILTERS`; None leaves one out)."""
    params = {"kind": "problems"}
    for key in PROBLEM_FILTERS:
        if filters.get(key) is not None:
            params[key] = filters[key]
    unknown = set(filters) - set(PROBLEM_FILTERS)
    if unknown:
        raise ValueError(f"unknown problem filter(s): {', '.join(sorted(unknown))}")
    return urlencode(params)


# --- 评估组织实践经验 ---------------------------------------------------------------------------


def organisation_section(payload: dict, lang: str) -> dict | None:
    """How the evaluation was organised: experts and expert-times by organisation kind and
    year, the panels' mix actually achieved, the site visits made, the exchange's contacts in
    the campaign's period and the grassroots operational staff who took part."""
    records = payload.get("judgement")
    if not records:
        return None
    sentences, tables = [], []
    kinds = list(OrganisationKind)

    experts = records.get("experts") or []
    years = sorted({row["year"] for row in experts})
    rows = []
    for year in years:
        of_year = {row["kind"]: row for row in experts if row["year"] == year}
        n = sum(row["experts"] for row in of_year.values())
        times = sum(row["expert_times"] for row in of_year.values())
        parts = [
            (
                KIND_NAMES[kind][0] if lang == "zh" else KIND_PLURALS_EN[kind],
                of_year[kind]["experts"],
            )
            for kind in kinds
            if kind in of_year
        ]
        if lang == "zh":
            detail = "、".join(f"{name}{count}人" for name, count in parts)
            sentences.append(_cell(f"{year}年评估共组织专家{n}人、{times}人次，其中{detail}。"))
        else:
            detail = ", ".join(f"{count} from {name}" for name, count in parts)
            sentences.append(
                _cell(
                    f"In {year} the evaluation engaged {_plural(n, 'expert')} for "
                    f"{_plural(times, 'expert-time')}: {detail}."
                )
            )
        for kind in kinds:
            if kind in of_year:
                row = of_year[kind]
                rows.append(
                    {
                        "cells": [
                            _cell(year),
                            _cell(_pick(KIND_NAMES[kind], lang)),
                            _cell(row["experts"]),
                            _cell(row["expert_times"]),
                        ],
                        "total": False,
                    }
                )
        rows.append(
            {
                "cells": [_cell(year), _cell(_t("total", lang)), _cell(n), _cell(times)],
                "total": True,
            }
        )
    if rows:
        tables.append(
            {
                "title": _t("experts_table", lang),
                "columns": [
                    _t(k, lang) for k in ("year", "organisation_kind", "experts", "expert_times")
                ],
                "rows": rows,
            }
        )

    panels = records.get("panels") or []
    if panels:
        sentences.append(_cell(_panels_sentence(panels, lang)))
        tables.append(_panels_table(panels, lang))

    visits = records.get("visits") or {}
    if visits.get("planned"):
        sentences.append(_cell(_visits_sentence(visits, lang)))
        tables.append(
            {
                "title": _t("visits_table", lang),
                "columns": [_t("region_group", lang), _t("visits_made", lang)],
                "rows": [
                    {
                        "cells": [_cell(_pick(reference.REGION_GROUPS[g], lang)), _cell(n)],
                        "total": False,
                    }
                    for g, n in _by_region_group(visits)
                ]
                + [
                    {
                        "cells": [_cell(_t("total", lang)), _cell(visits["made"])],
                        "total": True,
                    }
                ],
            }
        )

    exchange = records.get("exchange") or {}
    if exchange.get("total"):
        total, mutual = exchange["total"], exchange["mutual"]
        bridge = sum(exchange["east_central_west"].values())
        if lang == "zh":
            line = (
                f"评估期间，示范基地在供需对接平台上发起对接请求{total}项，其中{mutual}项双方"
                f"已建立联系，东部与中西部基地之间的请求{bridge}项。"
            )
        else:
            line = (
                f"During the evaluation the bases sent {_plural(total, 'contact request')} on "
                f"the exchange; in {mutual} both sides got in contact, and {bridge} linked an "
                f"East base with a Central-West one."
            )
        sentences.append(_cell(line))

    grassroots = records.get("grassroots") or {}
    staff = sum(int(n) for n in grassroots.values())
    if staff:
        members = grassroots.get("panel_members", 0)
        contacts = grassroots.get("visit_contacts", 0)
        nominated = grassroots.get("nominated", 0)
        if lang == "zh":
            line = (
                f"基层业务骨干{staff}人次参与评估：专家组中的业务专家{members}人，"
                f"实地考察中对接的示范基地业务人员{contacts}人"
                + (f"，示范基地推荐的业务骨干{nominated}人。" if nominated else "。")
            )
        else:
            line = (
                f"Grassroots operational staff took part {_plural(staff, 'time')}: "
                f"{members} operational experts on the panels"
                + (", " if nominated else " and ")
                + f"{contacts} of the bases' staff who received the site visits"
                + (f" and {nominated} nominated by the bases." if nominated else ".")
            )
        sentences.append(_cell(line))
    if not sentences:
        return None
    return {"sentences": sentences, "tables": tables, "groups": []}


def _panels_sentence(panels: list[dict], lang: str) -> str:
    n = len(panels)
    members = sum(p["members"] for p in panels)
    both = sum(1 for p in panels if p["professional"] and p["operational"])
    mixed = sum(1 for p in panels if sum(1 for v in p["kinds"].values() if v) >= 2)
    mean = f"{members / n:.1f}"
    if lang == "zh":
        return (
            f"共组建专家组{n}个、成员{members}人（平均每组{mean}人）；其中{both}个专家组兼有"
            f"专业专家和业务专家，{mixed}个专家组由两类及以上组织的专家组成。"
        )
    return (
        f"{_plural(n, 'expert panel')} were formed with {members} members ({mean} on "
        f"average); {both} combine professional and operational experts and {mixed} draw on "
        f"two or more kinds of organisation."
    )


def _panels_table(panels: list[dict], lang: str) -> dict:
    kinds = list(OrganisationKind)
    keys = ("members", "professional", "operational")

    def row(label, panel_like, total):
        return {
            "cells": [_cell(label)]
            + [_cell(panel_like[k]) for k in keys]
            + [_cell(panel_like["kinds"].get(kind, 0)) for kind in kinds]
            + [_cell(panel_like["bases"])],
            "total": total,
        }

    totals = {k: sum(p[k] for p in panels) for k in (*keys, "bases")}
    totals["kinds"] = {kind: sum(p["kinds"].get(kind, 0) for p in panels) for kind in kinds}
    return {
        "title": _t("panels_table", lang),
        "columns": [_t("panel", lang)]
        + [_t(k, lang) for k in keys]
        + [_pick(KIND_NAMES[kind], lang) for kind in kinds]
        + [_t("bases", lang)],
        "rows": [row(p["number"], p, False) for p in panels]
        + [row(_t("total", lang), totals, True)],
    }


def _by_region_group(visits: dict) -> list[tuple[str, int]]:
    """The visits made per region group in the reference order (a payload's dict may come back
    from the database with its keys in another order: JSONB sorts them)."""
    made = visits["by_region_group"]
    return [(g, made.get(g, 0)) for g in reference.REGION_GROUPS]


def _visits_sentence(visits: dict, lang: str) -> str:
    groups = [(g, n) for g, n in _by_region_group(visits) if n]
    if lang == "zh":
        where = "、".join(f"{reference.REGION_GROUPS[g][0]}{n}次" for g, n in groups)
        tail = f"，其中{where}" if where else ""
        return (
            f"专家组实地考察示范基地{visits['bases']}个，完成实地考察{visits['made']}次"
            f"（计划{visits['planned']}次）{tail}。"
        )
    where = ", ".join(f"{n} in the {reference.REGION_GROUPS[g][1]}" for g, n in groups)
    tail = f" ({where})" if where else ""
    return (
        f"The panels visited {_plural(visits['bases'], 'base')} on site: "
        f"{visits['made']} of {_plural(visits['planned'], 'planned visit')} made{tail}."
    )


# --- 存在的问题 -----------------------------------------------------------------------------


def _problems_frame(problems: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                "problem_id": p["id"],
                "type_code": p["type"],
                "category": p["category"],
                "subcategory": p["subcategory"],
                "region_group": p["region_group"],
                "severity": p["severity"],
                "state": "confirmed",
            }
            for p in problems
        ],
        columns=[
            "problem_id",
            "type_code",
            "category",
            "subcategory",
            "region_group",
            "severity",
            "state",
        ],
    )
    return frame


def _type_names(records: dict, lang: str) -> dict[str, str]:
    return {
        t["code"]: (t["name_zh"] if lang == "zh" else t["name_en"]) or t["code"]
        for t in records.get("problem_types") or []
    }


def _type_order(records: dict, problems: list[dict]) -> list[str]:
    """The types in the taxonomy's order, then any type a problem has that the list lacks."""
    order = [t["code"] for t in records.get("problem_types") or []]
    return order + sorted({p["type"] for p in problems} - set(order))


def problems_section(payload: dict, lang: str) -> dict | None:
    """The register's confirmed problems: how many, by type and severity, by type × base
    category, subcategory and region group, and the typical cases (the most severe of each
    type); every count links to the list of its problems."""
    records = payload.get("judgement")
    problems = (records or {}).get("problems") or []
    if not problems:
        return None
    names = _type_names(records, lang)
    bases = {b["code"]: b for b in payload["bases"]}
    types = [t for t in _type_order(records, problems) if any(p["type"] == t for p in problems)]
    severity = {s: sum(1 for p in problems if p["severity"] == s) for s in SEVERITIES}
    n_bases = len({p["base"] for p in problems})
    n = len(problems)
    if lang == "zh":
        detail = "、".join(f"{_pick(SEVERITY_NAMES[s], lang)}{severity[s]}项" for s in SEVERITIES)
        line = (
            f"问题清单共确认问题{n}项，涉及示范基地{n_bases}个、问题类型{len(types)}类，"
            f"其中{detail}。"
        )
    else:
        detail = ", ".join(f"{severity[s]} {_pick(SEVERITY_NAMES[s], lang)}" for s in SEVERITIES)
        line = (
            f"The register holds {_plural(n, 'confirmed problem')} at "
            f"{_plural(n_bases, 'base')}, of {_plural(len(types), 'type')}: {detail}."
        )
    sentences = [_cell(line, problems_query())]
    frame = _problems_frame(problems)
    by_type = {
        row["type_code"]: row
        for row in problem_counts(frame, by=("type_code",), examples=2).to_dict("records")
    }
    for code in types:
        row = by_type[code]
        if lang == "zh":
            line = f"{names.get(code, code)}：{row['n']}项（严重{row['n_serious']}项）。"
        else:
            line = (
                f"{names.get(code, code)}: {_plural(int(row['n']), 'problem')} "
                f"({row['n_serious']} serious)."
            )
        sentences.append(_cell(line, problems_query(type=code)))

    tables = [_by_type_table(problems, types, names, by_type, lang)]
    tables.append(_crossed_table(frame, types, names, "category", lang))
    tables.append(_crossed_table(frame, types, names, "region_group", lang))
    tables.append(_subcategory_table(frame, types, names, lang))

    by_id = {p["id"]: p for p in problems}
    cases = []
    for code in types:
        for problem_id in by_type[code]["examples"]:
            p = by_id[problem_id]
            other = "en" if lang == "zh" else "zh"
            title = p.get(f"title_{lang}") or p.get(f"title_{other}") or ""
            base = bases.get(p["base"], {"code": p["base"]})
            base_name = base.get(f"name_{lang}") or base.get("name_en") or p["base"]
            sev = _pick(SEVERITY_NAMES[p["severity"]], lang)
            sep = "：" if lang == "zh" else ": "
            text = f"{names.get(code, code)} · {base_name}{sep}{title}（{sev}）"
            if lang != "zh":
                text = f"{names.get(code, code)} · {base_name}{sep}{title} ({sev})"
            cases.append(_cell(text, problems_query(type=code)))
    groups = [{"title": _t("typical_cases", lang), "items": cases}]
    return {"sentences": sentences, "tables": tables, "groups": groups}


def _by_type_table(problems, types, names, by_type, lang) -> dict:
    rows = []
    for code in types:
        row = by_type[code]
        n_bases = len({p["base"] for p in problems if p["type"] == code})
        rows.append(
            {
                "cells": [
                    _cell(names.get(code, code)),
                    _cell(row["n"], problems_query(type=code)),
                    *(
                        _cell(row[f"n_{s}"], problems_query(type=code, severity=s))
                        for s in SEVERITIES
                    ),
                    _cell(n_bases),
                ],
                "total": False,
            }
        )
    rows.append(
        {
            "cells": [
                _cell(_t("total", lang)),
                _cell(len(problems), problems_query()),
                *(
                    _cell(
                        sum(1 for p in problems if p["severity"] == s),
                        problems_query(severity=s),
                    )
                    for s in SEVERITIES
                ),
                _cell(len({p["base"] for p in problems})),
            ],
            "total": True,
        }
    )
    return {
        "title": _t("problems_table", lang),
        "columns": [_t("problem_type", lang), _t("problems", lang)]
        + [_pick(SEVERITY_NAMES[s], lang) for s in SEVERITIES]
        + [_t("bases", lang)],
        "rows": rows,
    }


def _crossed_table(frame, types, names, field, lang) -> dict:
    """Types (rows) by ``field`` (columns: the values present, in the reference order)."""
    counts = problem_counts(frame, by=("type_code", field), examples=0)
    cell = {(r["type_code"], r[field]): int(r["n"]) for r in counts.to_dict("records")}
    present = set(frame[field])
    columns = [c for c in reference.group_order(field) if c in present]
    columns += sorted(present - set(columns))
    rows = [
        {
            "cells": [_cell(names.get(code, code))]
            + [
                _cell(
                    cell.get((code, col), 0),
                    problems_query(type=code, **{field: col}) if cell.get((code, col)) else None,
                )
                for col in columns
            ],
            "total": False,
        }
        for code in types
    ]
    rows.append(
        {
            "cells": [_cell(_t("total", lang))]
            + [
                _cell(int((frame[field] == col).sum()), problems_query(**{field: col}))
                for col in columns
            ],
            "total": True,
        }
    )
    key = "by_category" if field == "category" else "by_region_group"
    return {
        "title": _t(key, lang),
        "columns": [_t("problem_type", lang)]
        + [_pick(reference.group_label(field, c), lang) for c in columns],
        "rows": rows,
    }


def _subcategory_table(frame, types, names, lang) -> dict:
    """One row per type and subcategory with a problem (the long form: subcategories are
    too many for columns)."""
    counts = problem_counts(frame, by=("type_code", "category", "subcategory"), examples=0)
    found = {(r["type_code"], r["subcategory"]): r for r in counts.to_dict("records")}
    order = reference.group_order("subcategory")
    rows = []
    for code in types:
        subs = sorted(
            (s for t, s in found if t == code),
            key=lambda s: (order.index(s) if s in order else len(order), s),
        )
        for sub in subs:
            r = found[(code, sub)]
            rows.append(
                {
                    "cells": [
                        _cell(names.get(code, code)),
                        _cell(_pick(reference.group_label("category", r["category"]), lang)),
                        _cell(_pick(reference.group_label("subcategory", sub), lang)),
                        _cell(int(r["n"]), problems_query(type=code, subcategory=sub)),
                    ],
                    "total": False,
                }
            )
    return {
        "title": _t("by_subcategory", lang),
        "columns": [
            _t("problem_type", lang),
            _t("category", lang),
            _t("subcategory", lang),
            _t("problems", lang),
        ],
        "rows": rows,
    }


# --- 对策建议 ----------------------------------------------------------------------------------


def recommendations_section(payload: dict, lang: str) -> dict | None:
    """The register's recommended actions grouped by problem type (the taxonomy's order); the
    same action recommended to several bases is listed once, with how many bases it was
    recommended to."""
    records = payload.get("judgement")
    problems = (records or {}).get("problems") or []
    other = "en" if lang == "zh" else "zh"
    with_action = [
        p for p in problems if (p.get(f"action_{lang}") or p.get(f"action_{other}") or "").strip()
    ]
    if not with_action:
        return None
    names = _type_names(records, lang)
    groups = []
    for code in _type_order(records, with_action):
        actions: dict[str, set] = {}
        for p in with_action:
            if p["type"] == code:
                action = (p.get(f"action_{lang}") or p.get(f"action_{other}")).strip()
                actions.setdefault(action, set()).add(p["base"])
        if not actions:
            continue
        items = []
        for action in sorted(actions, key=lambda a: (-len(actions[a]), a)):
            n = len(actions[action])
            if lang == "zh":
                suffix = f"（{n}个示范基地）" if n > 1 else ""
            else:
                suffix = f" ({n} bases)" if n > 1 else ""
            items.append(_cell(f"{action}{suffix}", problems_query(type=code)))
        groups.append({"title": names.get(code, code), "items": items})
    n = sum(len(g["items"]) for g in groups)
    if lang == "zh":
        line = f"根据问题清单，针对{len(groups)}类问题提出整改建议{n}条。"
    else:
        line = (
            f"From the register, {_plural(n, 'recommended action')} on "
            f"{_plural(len(groups), 'type')} of problem."
        )
    return {"sentences": [_cell(line, problems_query())], "tables": [], "groups": groups}


def judgement_sections(payload: dict, lang: str) -> dict[str, dict | None]:
    """``{"practices": ..., "problems": ..., "recommendations": ...}``, each the content of the
    module docstring or None."""
    return {
        "practices": organisation_section(payload, lang),
        "problems": problems_section(payload, lang),
        "recommendations": recommendations_section(payload, lang),
    }
