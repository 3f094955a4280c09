"""Findings sentences on the reforms, typical cases and exemplary people of a campaign.

Plain Python, no Django: it reads the content of
:func:`mieval.practices.selectors.practices_report_content` (or that content frozen in a
report's snapshot), so that the reports' content stays free of the database.
"""

from mieval.core import reference


def _n(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _joined(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]


CATEGORY_NAMES = {c.code: (c.name_zh, c.name_en) for c in reference.CATEGORIES}


def practices_findings(content: dict) -> list[tuple[str, str, str, dict]]:
    """Findings sentences from :func:`practices_report_content`: ``(key, text_zh, text_en,
    numbers)``, the numbers the sentence uses. A sentence whose counts are all zero is left out.

    Keys: ``reforms_total`` (the total and the largest policy area, or the areas tied for
    it), ``reforms_by_category``
    (the base category with the most reforms), ``reforms_linked`` (measures reported by
    several bases), ``typical`` (published cases and people).
    """
    findings = []
    reforms = content["reforms"]
    total = reforms["total"]
    if total:
        most = max(a["total"] for a in reforms["areas"])
        top = [a for a in reforms["areas"] if a["total"] == most]
        if len(top) == 1:
            zh = f"示范基地共报告制度改革举措{total}项，其中{top[0]['name_zh']}类最多（{most}项）。"
            en = (
                f"The bases reported {_n(total, 'institutional reform measure')}; most concern "
                f"{top[0]['name_en'].lower()} ({most})."
            )
        else:
            zh = (
                f"示范基地共报告制度改革举措{total}项，其中"
                f"{'、'.join(a['name_zh'] for a in top)}类并列最多（各{most}项）。"
            )
            en = (
                f"The bases reported {_n(total, 'institutional reform measure')}; most concern "
                f"{_joined([a['name_en'].lower() for a in top])} ({most} each)."
            )
        findings.append(
            (
                "reforms_total",
                zh,
                en,
                {"total": total, "areas": [a["code"] for a in top], "area_total": most},
            )
        )
        n = max(reforms["by_category"].values())
        codes = [c for c, k in reforms["by_category"].items() if k == n]
        share = n / total
        names_zh = "、".join(CATEGORY_NAMES[c][0] for c in codes)
        names_en = _joined([CATEGORY_NAMES[c][1] for c in codes])
        if len(codes) == 1:
            zh = f"{names_zh}类示范基地报告的改革举措最多，共{n}项，占{share:.0%}。"
            en = f"{names_en} bases reported the most reform measures: {n}, {share:.0%} of all."
        else:
            zh = f"{names_zh}类示范基地报告的改革举措并列最多，各{n}项，各占{share:.0%}。"
            en = (
                f"{names_en} bases tie for the most reform measures: {n} each "
                f"({share:.0%} of all each)."
            )
        findings.append(
            (
                "reforms_by_category",
                zh,
                en,
                {"categories": codes, "count": n, "share": share},
            )
        )
    if reforms["linked_measures"]:
        k = reforms["linked_measures"]
        findings.append(
            (
                "reforms_linked",
                f"有{k}组相同的改革举措由多个示范基地分别报告，体现了改革经验的复制推广。",
                f"{_n(k, 'pair')} of bases reported the same reform measure, a sign that "
                f"reforms are being replicated.",
                {"links": k},
            )
        )
    cases, people = len(content["cases"]), len(content["people"])
    if cases or people:
        findings.append(
            (
                "typical",
                f"评估遴选出典型案例{cases}个、双创典型人物{people}名。",
                f"The evaluation selected {_n(cases, 'typical case')} and "
                f"{_n(people, 'exemplary person', 'exemplary people')} of innovation and "
                f"entrepreneurship.",
                {"cases": cases, "people": people},
            )
        )
    return findings
