r"""Findings comparing the rounds of a programme: sentences in Chinese and English, with their
numbers, from the trend table across rounds (:mod:`mieval.core.trends.rounds`).

Plain pandas, no Django. :func:`rounds_findings` returns :class:`~mieval.core.findings.trends.
Finding` objects, like the findings of one campaign.

The rules, in the order of the result
-------------------------------------
1. ``rounds_scope`` (轮次概况): the number of rounds, the years they cover, the bases with a
   value in each round (from the first round to the last) and the framework version the
   comparison is on.
2. ``rounds_growth_fastest`` and ``rounds_growth_slowest`` (跨轮次增长最快 / 最慢): for each
   indicator of the all-bases table, the figure :math:`v_a` of the last year :math:`t_a` of the
   first round and :math:`v_b` of the last year :math:`t_b` of the last round (both with a
   value, :math:`v_a > 0`, :math:`t_b > t_a`), and the average annual growth between them,
   :math:`r = (v_b / v_a)^{1 / (t_b - t_a)} - 1`. The largest and the smallest :math:`r`;
   needs two indicators with a rate (ties: the indicator listed first).
3. ``rounds_unmapped`` (未能对照的指标): the old indicators whose values could not be carried
   into the newest version, with how many values; said only when there are some.
"""

from __future__ import annotations

import math

from mieval.core.findings.trends import Finding
from mieval.core.findings.trends import _evidence as evidence_of
from mieval.core.findings.trends import _Labels as Labels
from mieval.core.findings.trends import _percent as percent_text
from mieval.core.trends.table import TrendTable


def rounds_findings(table: TrendTable, combined) -> list[Finding]:
    """The findings comparing rounds (the module's rules) for the all-bases ``table`` of
    :func:`~mieval.core.trends.rounds.rounds_trend` on ``combined``
    (:class:`~mieval.core.trends.rounds.RoundsCombined`)."""
    labels = Labels(combined.indicators)
    found = [_scope(combined)]
    found += _growth(table, combined, labels)
    found += _unmapped(combined)
    return found


def _scope(combined) -> Finding:
    rounds = combined.rounds
    counts = [
        int(combined.values.loc[combined.values["round"] == r.number, "base_code"].nunique())
        for r in rounds
    ]
    y0, y1 = combined.first_year, combined.last_year
    target = f"{combined.target[0]} v{combined.target[1]}"
    k = len(rounds)
    per_round_zh = "、".join(f"第{r.number}轮{n}个" for r, n in zip(rounds, counts, strict=True))
    per_round_en = ", ".join(
        f"{n:,} in round {r.number}" for r, n in zip(rounds, counts, strict=True)
    )
    text_zh = (
        f"{k}轮评估覆盖{y0}—{y1}年，有数据的基地数为{per_round_zh}；"
        f"各轮数据统一按指标体系 {target} 比较。"
    )
    text_en = (
        f"The {k} rounds cover {y0} to {y1}; the bases with data were {per_round_en}; "
        f"every round is compared on framework {target}."
    )
    return Finding(
        key="rounds_scope",
        text_zh=text_zh,
        text_en=text_en,
        numbers={
            "rounds": [r.number for r in rounds],
            "campaigns": [r.campaign for r in rounds],
            "bases": counts,
            "years": [y0, y1],
            "framework": list(combined.target),
        },
        evidence=evidence_of(None, "all", None, y0, y1),
    )


def _growth(table: TrendTable, combined, labels) -> list[Finding]:
    first, last = combined.rounds[0], combined.rounds[-1]
    ta, tb = first.last_year, last.last_year
    if tb <= ta:
        return []
    yearly = table.yearly.loc[table.yearly["group"] == "all"]
    figures = {(r.indicator, int(r.year)): r.value for r in yearly.itertuples(index=False)}
    rates = []
    for code in dict.fromkeys(yearly["indicator"]):
        va, vb = figures.get((code, ta)), figures.get((code, tb))
        if va is None or vb is None or math.isnan(va) or math.isnan(vb) or va <= 0 or vb < 0:
            continue
        rates.append((code, (vb / va) ** (1 / (tb - ta)) - 1, va, vb))
    if len(rates) < 2:
        return []
    fastest = max(rates, key=lambda r: r[1])
    slowest = min(reversed(rates), key=lambda r: r[1])
    out = []
    for key, (code, rate, va, vb) in (
        ("rounds_growth_fastest", fastest),
        ("rounds_growth_slowest", slowest),
    ):
        zh, en = labels.name(code)
        fast = key.endswith("fastest")
        rising = rate >= 0
        change_zh = ("年均增长" if rising else "年均下降") + percent_text(rate)
        change_en = f"{'up' if rising else 'down'} {percent_text(rate)} a year"
        unit = labels.unit_en(code)
        unit = f" {unit}" if unit else ""
        text_zh = (
            f"从第{first.number}轮（{ta}年）到第{last.number}轮（{tb}年），"
            f"{'增长最快' if fast else '增长最慢'}的指标是“{zh}”，由{labels.amount_zh(code, va)}"
            f"变为{labels.amount_zh(code, vb)}，{change_zh}。"
        )
        text_en = (
            f"From round {first.number} ({ta}) to round {last.number} ({tb}), the "
            f"{'fastest' if fast else 'slowest'}-growing indicator was {en}: from "
            f"{labels.amount_en(code, va)}{unit} to {labels.amount_en(code, vb)}{unit}, "
            f"{change_en}."
        )
        out.append(
            Finding(
                key=key,
                text_zh=text_zh,
                text_en=text_en,
                numbers={"indicator": code, "rate": rate, "from": va, "to": vb, "years": [ta, tb]},
                evidence=evidence_of(code, "all", None, ta, tb),
            )
        )
    return out


def _unmapped(combined) -> list[Finding]:
    unmapped = combined.unmapped
    if not len(unmapped):
        return []
    by_code = unmapped.groupby("indicator_code", sort=True)["values"].sum()
    total = int(by_code.sum())
    codes = list(by_code.index)
    listed = ", ".join(f"{c} ({int(n):,})" for c, n in by_code.items())
    listed_zh = "、".join(f"{c}（{int(n):,}个）" for c, n in by_code.items())
    target = f"{combined.target[0]} v{combined.target[1]}"
    noun = "indicator" if len(codes) == 1 else "indicators"
    return [
        Finding(
            key="rounds_unmapped",
            text_zh=(
                f"早期轮次有{len(codes)}项指标未能对照到指标体系 {target}：{listed_zh}，"
                f"共{total:,}个数值未纳入跨轮次比较。"
            ),
            text_en=(
                f"{len(codes)} {noun} of earlier rounds could not be mapped to framework "
                f"{target}: {listed}; "
                + ("this value is" if total == 1 else f"these {total:,} values are")
                + " left out of the comparison."
            ),
            numbers={"indicators": codes, "values": {c: int(n) for c, n in by_code.items()}},
            evidence=evidence_of(None, "all", None, combined.first_year, combined.last_year),
        )
    ]
