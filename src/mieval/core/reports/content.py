"""The content of a campaign report and of a base profile, from a snapshot payload only.

No Django and no database: every function here reads the payload of
:mod:`mieval.core.reports.payload`, so a report rebuilt from the same snapshot is the same report,
whatever happened to the live data since. The fixed texts of a report are bilingual data here
(:data:`TEXTS`) rather than gettext messages, for the same reason: a later change of the
translation catalogue must not change a published report.

Naming: ``*_section(payload, lang)`` returns one section as a dict for the templates;
:func:`report_content` and :func:`profile_content` assemble them.
"""

import math
from urllib.parse import urlencode

import pandas as pd

from mieval.core import reference
from mieval.core.peers import peer_percentiles
from mieval.core.reports.payload import (
    NARRATIVE_KINDS,
    payload_bases,
    payload_comments,
    payload_indicators,
    payload_values,
)
from mieval.core.trends import table as trends
from mieval.core.trends.render import STAT_NAMES

LANGS = ("zh", "en")

TEXTS = {
    "title": (
        "双创示范基地第三方评估报告",
        "Third-party evaluation report on the MIE demonstration bases",
    ),
    "profile_title": ("示范基地评估概况", "Demonstration base profile"),
    "contents": ("目录", "Contents"),
    "summary": ("摘要", "Summary"),
    "trend": ("示范基地发展趋势", "Demonstration base development trends"),
    "classification": ("示范基地分类", "Classification of demonstration bases"),
    "charts": ("图表", "Charts"),
    "findings": ("评估发现", "Evaluation findings"),
    "rankings": ("综合指数排名", "Composite index rankings"),
    "audit": ("统计审核", "Statistical audit"),
    "audit_intro": (
        "综合指数的统计审核（联合研究中心方法）：各汇总项下级项的一致性（克朗巴赫α系数、第一主成分解释的方差份额），"
        "各下级项的重要性份额（相关比，即对汇总项的主效应，归一化至总和为1）与其权重份额的对比，以及将每项权重设为0后指数排名的变化。",
        "The statistical audit of the composite index (the JRC's method): the coherence of each "
        "aggregate's children (Cronbach's alpha, the share of variance of the first principal "
        "component), each child's importance share (its correlation ratio, the main effect on "
        "the aggregate, rescaled to sum to 1) against its weight share, and how far the index "
        "ranks move when each weight is set to 0.",
    ),
    "aggregate": ("汇总项", "Aggregate"),
    "child": ("下级项", "Child"),
    "cronbach": ("克朗巴赫α系数", "Cronbach's alpha"),
    "first_share": ("第一主成分方差份额", "First component's share"),
    "weight_share": ("权重份额", "Weight share"),
    "importance_share": ("重要性份额", "Importance share"),
    "removal_mean": ("剔除后平均排名变化", "Mean rank change when removed"),
    "removal_max": ("剔除后最大排名变化", "Largest rank change when removed"),
    "audit_flags": ("审核提示", "Flags of the audit"),
    "audit_flag_count": (
        "负相关{negative}对，弱相关{weak}对，近乎重复{redundant}对；第一主成分份额低于60%的汇总项{low_first_share}个；"
        "载荷方向相反的下级项{loads_against}个；重要性不到权重一半的下级项{low_importance}个。",
        "{negative} negative, {weak} weak and {redundant} nearly redundant correlations; "
        "{low_first_share} aggregates whose first component explains under 60%; "
        "{loads_against} children loading against the others; {low_importance} children "
        "driving their aggregate less than half as much as their weight says.",
    ),
    "panels": ("专家组评估结果", "Expert evaluation results"),
    "practices": ("评估组织实践经验", "Practical experiences of evaluation organisation"),
    "problems": ("存在的问题", "Problems that need to be tackled"),
    "recommendations": ("对策建议", "Recommendations"),
    "annex": ("附录：方法说明", "Annex: methodology"),
    "indicator": ("指标", "Indicator"),
    "growth": ("年均增长率", "Average annual growth rate"),
    "category": ("类别", "Category"),
    "subcategory": ("子类别", "Subcategory"),
    "total": ("合计", "Total"),
    "batch": ("批次", "Batch"),
    "base": ("示范基地", "Base"),
    "score": ("得分", "Score"),
    "rank": ("排名", "Rank"),
    "interval": ("排名区间（5%–95%）", "Rank interval (5%–95%)"),
    "median_rank": ("中位排名", "Median rank"),
    "grade": ("评估等次", "Grade"),
    "experts": ("专家人数", "Experts"),
    "index_score": ("综合指数得分", "Index score"),
    "rank_change": ("较{year}年排名变化", "Rank change since {year}"),
    "combined": ("综合得分", "Combined score"),
    "grading_note": (
        "评估等次按综合得分评定：专家评分（截尾均值，换算为百分制）与综合指数得分的加权平均；无综合指数得分的示范基地仅按专家评分评定。",
        "Grades are given on the combined score: the weighted mean of the expert score (trimmed "
        "mean, on 0-100) and the composite index score; a base without an index score is graded "
        "on the expert score alone.",
    ),
    "no_data": ("本次评估无此部分数据。", "There are no data for this section in this campaign."),
    "no_text": ("分析人员尚未撰写本部分。", "The analysts have not written this section."),
    "snapshot": ("快照", "Snapshot"),
    "snapshot_hash": ("快照内容哈希（SHA-256）", "Snapshot content hash (SHA-256)"),
    "framework": ("指标体系", "Indicator framework"),
    "version": ("版本", "version"),
    "years": ("评估年度", "Years"),
    "bases_count": ("示范基地数量", "Bases"),
    "values_count": ("数据项数量", "Values"),
    "campaign": ("评估轮次", "Campaign"),
    "year": ("年度", "Year"),
    "value": ("数值", "Value"),
    "peer": ("同类均值", "Peer mean"),
    "percentile": ("同类百分位", "Peer percentile"),
    "peer_group": ("同类组", "Peer group"),
    "strengths": ("优势", "Strengths"),
    "weaknesses": ("不足", "Weaknesses"),
    "comments": ("专家意见", "Expert comments"),
    "alpha": ("评分一致性（Krippendorff α）", "Agreement of scores (Krippendorff's α)"),
    "lineage": ("数据溯源", "Lineage"),
    "page": ("页", "page"),
    "chart_trend": (
        "各指标年度统计值（以首年为100）",
        "Yearly figure of each indicator (first year = 100)",
    ),
    "chart_classes": ("各子类别示范基地数量", "Bases by subcategory"),
    "method_trend": (
        "发展趋势表：对每个指标和年度，取当年报送该指标的示范基地的统计值"
        "（均值、中位数或合计）及其数量 n。年均增长率 r = (v_末 / v_初)^(1/(t_末 − t_初)) − 1，"
        "取首末有值年度；首年值不大于零或仅有一年时不计算。",
        "Development trend table: for each indicator and year, the statistic (mean, median or "
        "total) over the bases that reported the indicator that year, and their number n. "
        "Average annual growth rate r = (v_last / v_first)^(1/(t_last − t_first)) − 1 between "
        "the first and last years with a value; undefined for a single year or a first value "
        "of zero or below.",
    ),
    "method_rank": (
        "综合指数：按指数框架逐步计算（去量纲、插补、处理、标准化、加权、汇总），排名 1 为最优；"
        "排名区间为蒙特卡洛模拟中排名的 5% 与 95% 分位数。",
        "Composite index: built step by step as its framework states (denominate, impute, "
        "treat, normalise, weight, aggregate); rank 1 is best; the rank interval is the 5% and "
        "95% quantile of the rank over the Monte Carlo runs.",
    ),
    "method_panels": (
        "专家评估：每位专家按评分细则加权求和，每个示范基地取专家总分的截尾均值。",
        "Expert evaluation: each expert's weighted sum over the rubric's criteria; each base's "
        "score is the trimmed mean of its experts' totals.",
    ),
    "method_profile": (
        "示范基地概况：同类组为同一子类别的示范基地；百分位为该基地在同类组中当年数值的百分位（方向已考虑）。",
        "Base profile: the peer group is the bases of the same subcategory; the percentile is "
        "the base's position among its peers that year (direction taken into account).",
    ),
    "conventions": (
        "约定：数值保留全部精度计算，仅在显示时取整；缺失值不计入统计；零为有效值。",
        "Conventions: figures are computed at full precision and rounded only for display; "
        "missing values are left out; zero is a value.",
    ),
    "lineage_note": (
        "报告中的每个数字都可追溯到其背后的数值：网页版中点击数字，或调用下列接口。",
        "Every number of the report can be traced to the values behind it: click it in the "
        "web version, or call the API below.",
    ),
    "summary_text": (
        "本报告基于{campaign}（{first}—{last}年）的冻结快照，涵盖{bases}个示范基地、{indicators}项指标、{values}个数据项。",
        "This report is built from a frozen snapshot of {campaign} ({first}–{last}), covering "
        "{bases} bases, {indicators} indicators and {values} values.",
    ),
    "summary_growth": (
        "年均增长最快的指标：{items}。",
        "Fastest-growing indicators (average annual growth): {items}.",
    ),
    "evidence": ("制度改革、典型案例与典型人物", "Reforms, typical cases and exemplary people"),
    "reforms_by_area": (
        "按政策领域和基地类型统计的制度改革举措（经评估办公室分类）",
        "Institutional reform measures by policy area and type of base (classified by the office)",
    ),
    "policy_area": ("政策领域", "Policy area"),
    "typical_cases": ("典型案例", "Typical cases"),
    "exemplary_people": ("典型人物", "Exemplary people"),
    "exchange": ("供需对接", "Exchange of needs and offers"),
    "exchange_intro": (
        "示范基地在供需对接平台上发起的对接请求，按状态统计。",
        "Contact requests between bases on the exchange, by status.",
    ),
    "exchange_status": ("状态", "Status"),
    "requests_all": ("全部请求", "All requests"),
    "east_central_west": ("东部与中西部之间", "East ↔ Central-West"),
    "cross_type": ("跨基地类型", "Across base types"),
    "network": ("已实现合作的网络", "The network of realised cooperation"),
    "network_intro": (
        "双方均确认已达成、正在实施或已完成的合作（示范基地与专业服务机构），按区域组合和类型组合统计。",
        "Cooperation that both sides confirm as agreed, under way or done (bases and"
        " professional service providers), by pair of region groups and of types.",
    ),
    "pair": ("组合", "Pair"),
    "links": ("合作数", "Cooperations"),
    "share": ("占比", "Share"),
}

#: Names of the service providers' kinds (the panels app's organisations).
PROVIDER_KIND_NAMES = {
    "local_association": ("地方科协", "local science association"),
    "national_society": ("全国学会", "national society"),
    "third_party": ("第三方机构", "third-party institution"),
}

#: Contact-request statuses of the exchange, in their order, with their names.
EXCHANGE_STATUSES = {
    "proposed": ("已发起", "requested"),
    "contacted": ("已对接", "contacted"),
    "agreed": ("已达成合作", "agreed"),
    "done": ("已完成", "done"),
    "declined": ("已拒绝", "declined"),
    "withdrawn": ("已撤回", "withdrawn"),
}


def text(key: str, lang: str) -> str:
    zh, en = TEXTS[key]
    return zh if lang == "zh" else en


def _name(row: dict, lang: str) -> str:
    return row.get(f"name_{lang}") or row.get("name_en") or row.get("code", "")


def figure_text(x, decimals) -> str:
    """A figure rounded for reading, as the terminal trend table prints it."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if decimals is None:
        decimals = 0 if abs(x) >= 100 else 1
    return f"{x:,.{int(decimals)}f}"


def rate_text(r) -> str:
    if r is None or (isinstance(r, float) and math.isnan(r)):
        return "—"
    return f"{r * 100:.1f}%"


def lineage_query(*, indicator, group_field=None, group=None, year=None) -> str:
    """The lineage page's query string; a figure over all bases (no group field, or the
    findings' ``"all"``) names no group."""
    params = {"indicator": indicator}
    if group_field and group_field != "all" and group is not None:
        params["group_field"] = group_field
        params["group"] = group
    if year is not None:
        params["year"] = year
    return urlencode(params)


# --- sections ---------------------------------------------------------------------------------


def payload_trend_table(payload: dict, *, by: str | None = None) -> trends.TrendTable:
    """The trend table of the frozen data, with the campaign's years, as ``mieval trends``."""
    campaign = payload["campaign"]
    return trends.trend_table(
        payload_values(payload),
        payload_bases(payload),
        payload_indicators(payload),
        by=by,
        year_from=campaign.get("first_year"),
        year_to=campaign.get("last_year"),
    )


def trend_section(payload: dict, lang: str) -> dict:
    """The poster's table: one row per indicator, a figure per year, the growth rate."""
    table = payload_trend_table(payload)
    labels = {row["code"]: row for row in payload["indicators"]}
    rows = []
    for item in table.to_json_dict()["rows"]:
        label = labels.get(item["indicator"], {"code": item["indicator"]})
        stat_zh, stat_en = STAT_NAMES[table.stats.get(item["indicator"], "mean")]
        unit = label.get("unit_zh") if lang == "zh" else label.get("unit")
        stat = stat_zh if lang == "zh" else stat_en
        name = _name(label, lang)
        name += f"（{unit}，{stat}）" if lang == "zh" else f" ({unit}, {stat})"
        decimals = label.get("decimals")
        cells = [
            {
                "year": int(year),
                "value": value,
                "text": figure_text(value, decimals),
                "n": item["n"][year],
                "query": lineage_query(indicator=item["indicator"], year=int(year)),
            }
            for year, value in item["values"].items()
        ]
        rows.append(
            {
                "indicator": item["indicator"],
                "label": name,
                "cells": cells,
                "cagr": item["cagr"],
                "cagr_text": rate_text(item["cagr"]),
                "cagr_note": item["cagr_note"],
                "query": lineage_query(indicator=item["indicator"]),
            }
        )
    return {"years": list(table.years), "rows": rows, "json": table.to_json_dict()}


def classification_section(payload: dict, lang: str) -> dict:
    """Bases by category and subcategory (rows) and batch (columns)."""
    bases = payload_bases(payload)
    batches = sorted(int(b) for b in bases["batch"].unique()) if len(bases) else []
    rows = []
    for category in reference.CATEGORIES:
        members = bases.loc[bases["category"] == category.code]
        if members.empty:
            continue
        for sub in reference.SUBCATEGORIES:
            if sub.category != category.code:
                continue
            in_sub = members.loc[members["subcategory"] == sub.code]
            rows.append(
                {
                    "category": category.name_zh if lang == "zh" else category.name_en,
                    "subcategory": sub.name_zh if lang == "zh" else sub.name_en,
                    "code": sub.code,
                    "counts": [int((in_sub["batch"] == b).sum()) for b in batches],
                    "total": len(in_sub),
                }
            )
    totals = [int((bases["batch"] == b).sum()) for b in batches]
    names = [reference.group_label("batch", str(b))[0 if lang == "zh" else 1] for b in batches]
    return {
        "batches": batches,
        "batch_names": names,
        "rows": rows,
        "totals": totals,
        "total": len(bases),
    }


def findings_section(payload: dict, lang: str) -> dict:
    """The computed findings of :mod:`mieval.core.findings.trends`.

    The one adapter between reports and the findings module: ``findings_compute(bases,
    values, years=...)`` returns ``Finding(key, text_zh, text_en, numbers, evidence)``; the
    evidence (``indicator``, ``group_field``, ``group``, ``years``) becomes a lineage link.
    """
    from mieval.core.findings import trends as findings

    campaign = payload["campaign"]
    years = (campaign.get("first_year"), campaign.get("last_year"))
    computed = findings.findings_compute(
        payload_bases(payload), payload_values(payload), years=years
    )
    items = []
    for finding in computed:
        evidence = finding.evidence or {}
        query = None
        if evidence.get("indicator"):
            query = lineage_query(
                indicator=evidence["indicator"],
                group_field=evidence.get("group_field"),
                group=evidence.get("group"),
            )
        elif evidence.get("group_field") not in (None, "all") and evidence.get("group"):
            # A group that leads or lags: its growth against all bases, indicator by indicator.
            query = urlencode({"group_field": evidence["group_field"], "group": evidence["group"]})
        items.append(
            {
                "key": finding.key,
                "text": finding.text_zh if lang == "zh" else finding.text_en,
                "query": query,
            }
        )
    for key, text_zh, text_en in _evidence_findings(payload):
        items.append({"key": key, "text": text_zh if lang == "zh" else text_en, "query": None})
    return {"items": items}


def _evidence_findings(payload: dict) -> list[tuple[str, str, str]]:
    """The findings that are not numbers of the values: reforms, typical cases and people
    (:func:`mieval.core.findings.practices.practices_findings`, plain Python on the frozen content)
    and the exchange's contact requests."""
    from mieval.core.findings.practices import practices_findings

    found = []
    if payload.get("practices"):
        found += [(k, zh, en) for k, zh, en, _numbers in practices_findings(payload["practices"])]
    exchange = payload.get("exchange") or {}
    if exchange.get("total"):
        total, mutual = exchange["total"], exchange["mutual"]
        bridge = sum(exchange["east_central_west"].values())
        found.append(
            (
                "exchange_requests",
                f"供需对接平台上示范基地之间共发起对接请求{total}项，其中{mutual}项双方均已同意"
                f"联系，东部与中西部基地之间的请求{bridge}项。",
                f"Bases sent {total} contact request{'s' if total != 1 else ''} on the exchange; "
                f"in {mutual} both sides agreed to be in contact, and {bridge} linked an East "
                f"base with a Central-West one.",
            )
        )
    return found


def rankings_section(payload: dict, lang: str) -> list[dict]:
    """One table per index framework frozen in the snapshot: the bases by rank in the latest
    year of its newest version, with the Monte Carlo interval and, where the snapshot holds an
    earlier year of the same version, the change of rank since its first year (positive: up).
    Every run, every year, is in the XLSX."""
    names = {b["code"]: _name(b, lang) for b in payload["bases"]}
    newest: dict[str, int] = {}
    for run in payload.get("index_runs") or []:
        newest[run["framework"]] = max(newest.get(run["framework"], 0), run["version"])
    by_framework: dict[str, list[dict]] = {}
    for run in payload.get("index_runs") or []:
        if run["version"] == newest[run["framework"]]:
            by_framework.setdefault(run["framework"], []).append(run)
    out = []
    for framework in sorted(by_framework):
        runs = sorted(by_framework[framework], key=lambda r: r["year"])
        first, run = runs[0], runs[-1]
        earlier = {s["base"]: s["rank"] for s in first["scores"]} if first is not run else None
        rows = sorted(run["scores"], key=lambda s: (s["rank"] is None, s["rank"] or 0, s["base"]))
        out.append(
            {
                "title": (
                    f"{_name(run, lang)} ({run['framework']} v{run['version']}, {run['year']})"
                ),
                "change_label": (
                    text("rank_change", lang).format(year=first["year"])
                    if earlier is not None
                    else None
                ),
                "rows": [
                    {
                        "base": s["base"],
                        "name": names.get(s["base"], s["base"]),
                        "score": figure_text(s["score"], 1),
                        "rank": s["rank"] if s["rank"] is not None else "—",
                        "median_rank": figure_text(s.get("median_rank"), 0),
                        "interval": (
                            f"{s['q05']:.0f}–{s['q95']:.0f}"
                            if s.get("q05") is not None and s.get("q95") is not None
                            else "—"
                        ),
                        "change": _rank_change((earlier or {}).get(s["base"]), s["rank"]),
                        "query": urlencode({"base": s["base"], "year": run["year"]}),
                    }
                    for s in rows
                ],
            }
        )
    return out


AUDIT_FLAG_KINDS = (
    "negative",
    "weak",
    "redundant",
    "low_first_share",
    "loads_against",
    "low_importance",
)


def audit_section(payload: dict, lang: str) -> list[dict]:
    """The statistical audit of the newest version's latest run of each index framework frozen
    in the snapshot (where it has one): per aggregate its coherence, per child its weight and
    importance shares, the ten removals that move the ranks most, the flags counted. An
    indicator's figures (its importance share, its removal's mean and largest rank change)
    link to the lineage of its values in the run's year, as the trend table's figures do; an
    aggregate's have no values of their own in the snapshot and no link. Every figure, at
    full precision, is in the XLSX's ``audit`` sheet."""
    names = {i["code"]: _name(i, lang) for i in payload["indicators"]}
    newest: dict[str, dict] = {}
    for run in payload.get("index_runs") or []:
        if not run.get("audit"):
            continue
        held = newest.get(run["framework"])
        if held is None or (run["version"], run["year"]) > (held["version"], held["year"]):
            newest[run["framework"]] = run
    out = []
    for framework in sorted(newest):
        run = newest[framework]
        audit, year = run["audit"], run["year"]

        def query(code, year=year):
            return lineage_query(indicator=code, year=year) if code in names else None

        shares = {r["code"]: r for r in audit["pca"]}
        counts = dict.fromkeys(AUDIT_FLAG_KINDS, 0)
        for flag in audit["flags"]:
            counts[flag["kind"]] = counts.get(flag["kind"], 0) + 1
        removal = sorted(
            audit["removal"],
            key=lambda r: (r["mean_abs_rank_change"] is None, -(r["mean_abs_rank_change"] or 0)),
        )[:10]
        out.append(
            {
                "title": f"{_name(run, lang)} ({framework} v{run['version']}, {year})",
                "input_hash": run["input_hash"],
                "coherence": [
                    {
                        "code": r["code"],
                        "alpha": figure_text(r["alpha"], 2),
                        "first_share": figure_text(
                            None
                            if shares[r["code"]]["first_share"] is None
                            else 100 * shares[r["code"]]["first_share"],
                            0,
                        ),
                        "n": r["n_children"],
                    }
                    for r in reversed(audit["cronbach"])
                ],
                "effects": [
                    {
                        "code": r["code"],
                        "name": names.get(r["code"], r["code"]),
                        "parent": r["parent"],
                        "weight": figure_text(r["nominal_weight"], 3),
                        "share": figure_text(r["importance_share"], 3),
                        "query": query(r["code"]),
                    }
                    for r in audit["main_effects"]
                ],
                "removal": [
                    {
                        "code": r["code"],
                        "name": names.get(r["code"], r["code"]),
                        "mean": figure_text(r["mean_abs_rank_change"], 2),
                        "max": figure_text(r["max_abs_rank_change"], 0),
                        "query": query(r["code"]),
                    }
                    for r in removal
                ],
                "flags": text("audit_flag_count", lang).format(**counts),
            }
        )
    return out


def _rank_change(before, now) -> str:
    """Places gained (↑) or lost (↓) from ``before`` to ``now``; — where either is missing."""
    if before is None or now is None:
        return "—"
    gained = int(before) - int(now)
    if gained > 0:
        return f"↑{gained}"
    if gained < 0:
        return f"↓{-gained}"
    return "="


def panels_section(payload: dict, lang: str) -> dict | None:
    panels = payload.get("panels")
    if not panels:
        return None
    names = {b["code"]: _name(b, lang) for b in payload["bases"]}

    def order(r):
        graded_on = r.get("combined", r["score"])
        return (-(graded_on if graded_on is not None else -math.inf), r["base"])

    rows = [
        {
            "base": r["base"],
            "name": names.get(r["base"], r["base"]),
            "score": figure_text(r["score"], 1),
            "n": r["n"],
            "index_score": figure_text(r.get("index_score"), 1),
            "combined": figure_text(r.get("combined"), 1),
            "grade": r.get(f"grade_{lang}") or "—",
            "query": urlencode({"base": r["base"]}),
        }
        for r in sorted(panels["results"], key=order)
    ]
    alpha = panels.get("alpha")
    return {"rows": rows, "alpha": figure_text(alpha, 2) if alpha is not None else "—"}


def practices_section(payload: dict, lang: str) -> dict | None:
    """Classified reforms by policy area (rows) and base category (columns); the published
    typical cases and exemplary people as short stories (in the report's language where the
    base wrote one, else in the other)."""
    practices = payload.get("practices")
    if not practices:
        return None
    reforms = practices["reforms"]
    categories = [c for c in reference.CATEGORIES if reforms["by_category"].get(c.code)]
    rows = [
        {
            "name": area["name_zh"] if lang == "zh" else area["name_en"],
            "counts": [area["by_category"].get(c.code, 0) for c in categories],
            "total": area["total"],
        }
        for area in reforms["areas"]
        if area["total"]
    ]

    def story(item: dict) -> dict:
        other = "en" if lang == "zh" else "zh"
        return {
            "name": item.get(f"name_{lang}") or item.get(f"name_{other}") or "",
            "base": item.get(f"base_name_{lang}") or item.get(f"base_name_{other}") or "",
            "year": item.get("year"),
            "story": item.get(f"story_{lang}") or item.get(f"story_{other}") or "",
        }

    if not rows and not practices["cases"] and not practices["people"]:
        return None
    return {
        "categories": [c.name_zh if lang == "zh" else c.name_en for c in categories],
        "category_totals": [reforms["by_category"].get(c.code, 0) for c in categories],
        "rows": rows,
        "total": reforms["total"],
        "cases": [story(item) for item in practices["cases"]],
        "people": [story(item) for item in practices["people"]],
    }


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def _points(change: float) -> str:
    return f"{change * 100:+.1f}"


def network_sentences(network: dict | None) -> list[dict]:
    """The network figures as evidence for the poster's problems 1 (East ↔ Central-West
    channels) and 3 (clustering and integration): one sentence each, in both languages, with
    the round's numbers and, where the previous round has figures, the change.

    ``network`` is the payload's ``"network"`` (``exchange.selectors.campaign_network``);
    returns ``[{"key", "zh", "en"}]``, empty without figures (snapshots made before the
    network was frozen)."""
    if not network or not network.get("figures"):
        return []
    f, before = network["figures"], network.get("previous_figures")
    prev = network.get("previous")
    if not f["links"]:
        return [
            {
                "key": "network_none",
                "zh": "本轮尚无双方均确认的合作。",
                "en": "No cooperation confirmed by both sides in this round yet.",
            }
        ]
    ecw, share = f["east_central_west"], _percent(f["east_central_west_share"])
    zh1 = (
        f"问题一（东部与中西部交流渠道）：本轮双方均确认的合作共{f['links']}项，其中东部与中西部"
        f"之间{ecw}项，占{share}"
    )
    en1 = (
        f"Problem 1 (channels between the East and the Central-West): of the {f['links']}"
        f" cooperation{'s' if f['links'] != 1 else ''} both sides confirm in this round, {ecw}"
        f" linked an East and a Central-West party ({share})"
    )
    if before and before["links"]:
        points = _points(f["east_central_west_share"] - before["east_central_west_share"])
        zh1 += (
            f"；上一轮（{prev}）为{before['east_central_west']}项，占"
            f"{_percent(before['east_central_west_share'])}，变化{points}个百分点。"
        )
        en1 += (
            f"; in the previous round ({prev}) {before['east_central_west']}"
            f" ({_percent(before['east_central_west_share'])}), a change of {points}"
            " percentage points."
        )
    else:
        zh1 += "。"
        en1 += "."
    hhi, top, k = f["hhi"], _percent(f["top_decile_share"]), f["top_decile_nodes"]
    bp, cross = _percent(f["base_provider_share"]), _percent(f["cross_region_share"])
    zh3 = (
        f"问题三（集聚与融合）：合作网络的赫芬达尔—赫希曼指数为{hhi:.3f}（{f['nodes']}个参与方，"
        f"最低可为{f['hhi_min']:.3f}），合作最多的前10%参与方（{k}个）占合作端点的{top}；"
        f"跨区域合作占{cross}，示范基地与专业服务机构之间的合作占{bp}"
    )
    en3 = (
        f"Problem 3 (clustering and integration): the Herfindahl-Hirschman index of the"
        f" cooperation network is {hhi:.3f} ({f['nodes']} parties; {f['hhi_min']:.3f} at the"
        f" lowest), the top 10% of parties ({k}) hold {top} of the links' ends; {cross} of the"
        f" cooperations cross region groups and {bp} link a base with a professional service"
        " provider"
    )
    if before and before["links"]:
        zh3 += (
            f"；上一轮（{prev}）指数为{before['hhi']:.3f}，前10%参与方占"
            f"{_percent(before['top_decile_share'])}，基地与服务机构之间的合作占"
            f"{_percent(before['base_provider_share'])}。"
        )
        en3 += (
            f"; in the previous round ({prev}) the index was {before['hhi']:.3f}, the top 10%"
            f" held {_percent(before['top_decile_share'])} and base-provider cooperation was"
            f" {_percent(before['base_provider_share'])}."
        )
    else:
        zh3 += "。"
        en3 += "."
    return [
        {"key": "network_east_central_west", "zh": zh1, "en": en1},
        {"key": "network_concentration", "zh": zh3, "en": en3},
    ]


def _kind_name(code: str, lang: str) -> str:
    names = PROVIDER_KIND_NAMES.get(code) or reference.group_label("category", code)
    return names[0] if lang == "zh" else names[1]


def _network_tables(network: dict | None, lang: str) -> dict | None:
    figures = (network or {}).get("figures")
    if not figures or not figures["links"]:
        return None

    def group(code):
        names = reference.group_label("region_group", code)
        return names[0] if lang == "zh" else names[1]

    return {
        "by_region_pair": [
            {"pair": f"{group(r['a'])} ↔ {group(r['b'])}", "links": r["links"],
             "share": _percent(r["share"])}
            for r in figures["by_region_pair"]
        ],
        "by_type_pair": [
            {"pair": f"{_kind_name(r['a'], lang)} ↔ {_kind_name(r['b'], lang)}",
             "links": r["links"], "share": _percent(r["share"])}
            for r in figures["by_type_pair"]
        ],
    }  # fmt: skip


def exchange_section(payload: dict, lang: str) -> dict | None:
    """The exchange's contact requests by status: all, East ↔ Central-West, across types; and
    the network of realised cooperation of the round (:func:`network_sentences`, the pairs of
    region groups and of types), where the snapshot holds it."""
    exchange = payload.get("exchange")
    network = payload.get("network")
    sentences = [{"key": item["key"], "text": item[lang]} for item in network_sentences(network)]
    if not exchange or not exchange.get("total"):
        if not sentences:
            return None
        return {
            "rows": [],
            "total": 0,
            "mutual": 0,
            "network": sentences,
            "network_tables": _network_tables(network, lang),
        }
    rows = [
        {
            "status": names[0] if lang == "zh" else names[1],
            "all": exchange["by_status"].get(code, 0),
            "east_central_west": exchange["east_central_west"].get(code, 0),
            "cross_type": exchange["cross_type"].get(code, 0),
        }
        for code, names in EXCHANGE_STATUSES.items()
    ]
    return {
        "rows": rows,
        "total": exchange["total"],
        "mutual": exchange["mutual"],
        "network": sentences,
        "network_tables": _network_tables(network, lang),
    }


def narrative_section(payload: dict, lang: str) -> list[dict]:
    """The judgement sections: the analysts' paragraphs first, then what the records of the
    snapshot give (:func:`mieval.core.reports.judgement.judgement_sections`: ``sentences``,
    ``tables``, ``groups``, empty where there is none)."""
    from mieval.core.reports.judgement import judgement_sections

    computed = judgement_sections(payload, lang)
    out = []
    for kind in NARRATIVE_KINDS:
        body = (payload.get("narrative") or {}).get(kind, {}).get(lang, "")
        paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
        records = computed.get(kind) or {"sentences": [], "tables": [], "groups": []}
        out.append(
            {
                "kind": kind,
                "title": text(kind, lang),
                "paragraphs": paragraphs,
                **records,
                "empty": not paragraphs and not records["sentences"],
            }
        )
    return out


def summary_section(payload: dict, lang: str, trend: dict) -> list[str]:
    campaign = payload["campaign"]
    sentences = [
        text("summary_text", lang).format(
            campaign=_name(campaign, lang),
            first=campaign.get("first_year"),
            last=campaign.get("last_year"),
            bases=len(payload["bases"]),
            indicators=len(payload["indicators"]),
            values=len(payload["values"]),
        )
    ]
    rated = [r for r in trend["rows"] if r["cagr"] is not None]
    rated.sort(key=lambda r: (-r["cagr"], r["indicator"]))
    if rated:
        sep = "；" if lang == "zh" else "; "
        items = sep.join(f"{r['label']} {r['cagr_text']}" for r in rated[:3])
        sentences.append(text("summary_growth", lang).format(items=items))
    return sentences


def report_content(payload: dict, lang: str, *, content_hash: str) -> dict:
    """Everything the campaign report prints, in one language."""
    if lang not in LANGS:
        raise ValueError(f"language '{lang}' is not one of {', '.join(LANGS)}")
    from mieval.core.reports import charts

    trend = trend_section(payload, lang)
    classification = classification_section(payload, lang)
    practices = practices_section(payload, lang)
    return {
        "lang": lang,
        "t": {key: text(key, lang) for key in TEXTS},
        "campaign": payload["campaign"],
        "campaign_name": _name(payload["campaign"], lang),
        "framework": payload["framework"],
        "framework_name": _name(payload["framework"], lang),
        "hash": content_hash,
        "summary": summary_section(payload, lang, trend),
        "trend": trend,
        "classification": classification,
        "charts": {
            "trend": charts.trend_chart_svg(trend, lang),
            "classes": charts.classes_chart_svg(classification, lang),
            "reforms": charts.reforms_chart_svg(practices) if practices else "",
        },
        "findings": findings_section(payload, lang),
        "rankings": rankings_section(payload, lang),
        "audit": audit_section(payload, lang),
        "panels": panels_section(payload, lang),
        "practices": practices,
        "exchange": exchange_section(payload, lang),
        "narrative": narrative_section(payload, lang),
        "counts": {
            "bases": len(payload["bases"]),
            "indicators": len(payload["indicators"]),
            "values": len(payload["values"]),
        },
    }


# --- base profiles ----------------------------------------------------------------------------


def profiles_content(payload: dict, lang: str, *, content_hash: str, codes=None) -> list[dict]:
    """One profile per base (all, or those in ``codes``): per indicator and year the base's
    value, its peer group's mean and the base's percentile among its peers
    (:func:`mieval.core.peers.peer_percentiles`); its index rank
    and interval; strengths and weaknesses (best and worst mean percentile); the experts'
    comments that are not confidential (:func:`payload_comments`)."""
    bases = payload_bases(payload)
    values = payload_values(payload)
    indicators = {row["code"]: row for row in payload["indicators"]}
    wanted = set(codes) if codes is not None else set(bases["code"])
    directions = {code: int(row.get("direction") or 1) for code, row in indicators.items()}
    merged = peer_percentiles(values, bases, directions)
    merged = merged.loc[merged["base_code"].isin(wanted)]
    years = list(range(payload["campaign"]["first_year"], payload["campaign"]["last_year"] + 1))
    ranks = {}
    for run in payload.get("index_runs") or []:
        for s in run["scores"]:
            ranks.setdefault(s["base"], []).append(
                {
                    "title": f"{_name(run, lang)} ({run['year']})",
                    "rank": s["rank"] if s["rank"] is not None else "—",
                    "interval": (
                        f"{s['q05']:.0f}–{s['q95']:.0f}"
                        if s.get("q05") is not None and s.get("q95") is not None
                        else "—"
                    ),
                    "size": len(run["scores"]),
                }
            )
    comments = payload_comments(payload)
    by_base = {code: frame for code, frame in merged.groupby("base_code", sort=True)}
    order = [code for code in indicators]
    profiles = []
    for base in bases.loc[bases["code"].isin(wanted)].to_dict("records"):
        frame = by_base.get(base["code"])
        rows = []
        means = []
        if frame is not None:
            cell = {(r.indicator_code, int(r.year)): r for r in frame.itertuples(index=False)}
            for code in order:
                if not any((code, y) in cell for y in years):
                    continue
                label = indicators[code]
                decimals = label.get("decimals")
                cells = []
                pcts = []
                for y in years:
                    r = cell.get((code, y))
                    if r is None:
                        cells.append({"year": y, "value": "—", "peer": "—", "pct": "—"})
                        continue
                    pct = None if pd.isna(r.percentile) else float(r.percentile)
                    if pct is not None:
                        pcts.append(pct)
                    cells.append(
                        {
                            "year": y,
                            "value": figure_text(r.value, decimals),
                            "peer": figure_text(r.peer_mean, decimals),
                            "pct": "—" if pct is None else f"{pct:.0f}",
                            "raw": r.value,
                            "raw_peer": r.peer_mean,
                        }
                    )
                unit = label.get("unit_zh") if lang == "zh" else label.get("unit")
                rows.append(
                    {
                        "indicator": code,
                        "label": _name(label, lang),
                        "unit": unit or "",
                        "cells": cells,
                        "spark": _spark_svg(cells),
                    }
                )
                if pcts:
                    means.append((sum(pcts) / len(pcts), code))
        means.sort(key=lambda m: (-m[0], m[1]))
        strengths = [f"{_name(indicators[c], lang)} ({m:.0f})" for m, c in means[:3] if m >= 50]
        weaknesses = [
            f"{_name(indicators[c], lang)} ({m:.0f})"
            for m, c in sorted(means, key=lambda m: (m[0], m[1]))[:3]
            if m < 50
        ]
        sub = reference.SUBCATEGORY_BY_CODE.get(base["subcategory"])
        profiles.append(
            {
                "code": base["code"],
                "name": _name(base, lang),
                "peer_group": (sub.name_zh if lang == "zh" else sub.name_en) if sub else "",
                "province": _province_name(base["province"], lang),
                "batch": base["batch"],
                "years": years,
                "rows": rows,
                "ranks": ranks.get(base["code"], []),
                "strengths": strengths,
                "weaknesses": weaknesses,
                "comments": comments.get(base["code"], []),
            }
        )
    return profiles


def _province_name(code: str, lang: str) -> str:
    province = reference.PROVINCE_BY_CODE.get(code)
    if province is None:
        return code
    return province.name_zh if lang == "zh" else province.name_en


def _spark_svg(cells: list[dict]) -> str:
    """A tiny vector chart of a base's values (solid) against its peer mean (dashed).

    Hand-written SVG rather than matplotlib: a profile has up to twelve of them and the
    all-bases job draws thousands, where matplotlib's per-figure cost would dominate."""
    points = [(i, c.get("raw"), c.get("raw_peer")) for i, c in enumerate(cells)]
    numbers = [v for _, a, b in points for v in (a, b) if v is not None]
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1.0
    width, height, pad = 90, 24, 3
    step = (width - 2 * pad) / max(len(cells) - 1, 1)

    def xy(i, v):
        return f"{pad + i * step:.1f},{height - pad - (v - low) / span * (height - 2 * pad):.1f}"

    own = " ".join(xy(i, a) for i, a, _ in points if a is not None)
    peer = " ".join(xy(i, b) for i, _, b in points if b is not None)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
        f'<polyline points="{peer}" fill="none" stroke="#999" stroke-width="1" '
        f'stroke-dasharray="3,2"/>'
        f'<polyline points="{own}" fill="none" stroke="#b22222" stroke-width="1.5"/></svg>'
    )
