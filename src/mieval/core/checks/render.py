"""Renderers of a problems frame (:data:`~mieval.core.checks.rules.PROBLEM_COLUMNS`):
the JSON document of ``DESIGN.md`` and a bilingual terminal table. Pure functions, no Django."""

import pandas as pd

from mieval.core.checks.rules import SEVERITY_NAMES, Severity
from mieval.core.trends.render import _display_width, _pad

JSON_KEYS = ("base_code", "indicator_code", "year", "rule", "severity", "message", "message_zh")


def problems_to_json_dict(problems: pd.DataFrame) -> dict:
    """``{"problems": [{"base_code", "indicator_code", "year", "rule", "severity", "message",
    "message_zh"}, ...]}``, in the frame's order; ``year`` an int or ``None``, ``message`` in
    English, ``message_zh`` in Chinese."""
    rows = []
    for record in problems[list(JSON_KEYS)].itertuples(index=False, name=None):
        row = dict(zip(JSON_KEYS, record, strict=True))
        row["year"] = None if pd.isna(row["year"]) else int(row["year"])
        rows.append(row)
    return {"problems": rows}


def problems_summary(problems: pd.DataFrame) -> str:
    """One line per language: how many problems of each severity."""
    if problems.empty:
        return "未发现问题。No problems found."
    counts = {s: int((problems["severity"] == s.value).sum()) for s in Severity}
    total = len(problems)
    zh = "，".join(f"{SEVERITY_NAMES[s][0]} {counts[s]} 个" for s in Severity)
    en_parts = [
        f"{counts[Severity.ERROR]} error{'s' if counts[Severity.ERROR] != 1 else ''}",
        f"{counts[Severity.WARNING]} warning{'s' if counts[Severity.WARNING] != 1 else ''}",
        f"{counts[Severity.INFO]} info",
    ]
    en = f"{total} problem{'s' if total != 1 else ''}: {', '.join(en_parts)}."
    return f"共 {total} 个问题：{zh}。\n{en}"


def problems_to_text(problems: pd.DataFrame) -> str:
    """A bilingual fixed-width table: two lines per problem, the Chinese message with the
    severity in Chinese, then the English one; a summary follows."""
    head_zh = ["基地", "指标", "年份", "规则", "级别", "说明"]
    head_en = ["Base", "Indicator", "Year", "Rule", "Severity", "Message"]
    lines: list[list[str]] = []
    columns = ["base_code", "indicator_code", "year", "rule", "severity", "message", "message_zh"]
    for base, indicator, year, rule, severity, text_en, text_zh in problems[columns].itertuples(
        index=False, name=None
    ):
        names = SEVERITY_NAMES.get(Severity(severity), (severity, severity))
        year_text = "—" if pd.isna(year) else str(int(year))
        lines.append([base, indicator, year_text, rule, names[0], text_zh])
        lines.append(["", "", "", "", names[1], text_en])
    rows = [head_zh, head_en, *lines]
    # The message column is last and not padded, so it does not set the width.
    widths = [max(_display_width(row[c]) for row in rows) for c in range(5)]

    def render(row: list[str]) -> str:
        cells = [_pad(text, widths[c], ">" if c == 2 else "<") for c, text in enumerate(row[:5])]
        return "  ".join([*cells, row[5]]).rstrip()

    message_width = max(_display_width(row[5]) for row in rows)
    rule = "-" * (sum(widths) + 2 * 5 + min(message_width, 80))
    out = [render(head_zh), render(head_en), rule]
    out.extend(render(line) for line in lines)
    if lines:
        out.append(rule)
    out.append(problems_summary(problems))
    return "\n".join(out) + "\n"
