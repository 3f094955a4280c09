# ruff: noqa: E501 -- the shipped template's guidance is data, one text a line.
"""Self-evaluation reports (自评报告): the default template, the checks of a report's text
against its template, and the excerpts that search results show.

Plain Python, no Django. Lengths are counted in characters (a Chinese character is one, as a
reader counts them), after stripping the text's surrounding white space.

Naming: ``*_problems`` return what is wrong (empty: nothing); ``default_*`` are shipped data.
"""

from dataclasses import dataclass

from mieval.core.limits import (
    SELFEVAL_QUERY_TERMS_MAX,
)

#: Characters of context either side of the first match in an excerpt.
EXCERPT_CONTEXT = 40


@dataclass(frozen=True)
class SectionSpec:
    """One section of a template as the checks see it."""

    code: str
    title_zh: str
    title_en: str
    max_chars: int
    required: bool = True


#: The shipped template: code, titles, guidance (zh, en), the length limit in characters.
DEFAULT_SECTIONS = (
    (
        "progress",
        "工作进展与成效",
        "Progress and results",
        "对照示范基地建设方案，说明评估期内各项任务的完成情况和取得的成效，尽量用数据说明（如新增市场主体、孵化载体面积、研发投入的变化）。",
        "Against the base's construction plan, report how far each task was completed and what it achieved, with figures where possible (new market entities, incubation area, R&D spending).",
        3000,
    ),
    (
        "experience",
        "经验与做法",
        "Experience and practices",
        "总结可复制、可推广的典型经验和创新做法，说明其背景、主要措施和带动效果。",
        "Summarise the experience and practices others could copy: the background, the main measures and the effect.",
        2500,
    ),
    (
        "problems",
        "问题与制约",
        "Problems and constraints",
        "客观分析建设中存在的主要问题和体制机制制约，不回避短板。",
        "Analyse frankly the main problems met and the institutional constraints; do not leave out the weak points.",
        2000,
    ),
    (
        "next_steps",
        "下一步工作",
        "Next steps",
        "提出下一阶段的工作目标、重点任务和保障措施。",
        "Set out the next stage's goals, main tasks and the measures that secure them.",
        2000,
    ),
    (
        "policy_requests",
        "政策建议",
        "Policy requests",
        "对国家和地方层面提出具体、可操作的政策建议。",
        "Make concrete, workable policy requests to the national and local governments.",
        1500,
    ),
)


def default_sections() -> list[dict]:
    """The shipped template's sections as dicts (the fields of a template section)."""
    return [
        {
            "code": code,
            "title_zh": title_zh,
            "title_en": title_en,
            "guidance_zh": guidance_zh,
            "guidance_en": guidance_en,
            "max_chars": max_chars,
            "required": True,
        }
        for code, title_zh, title_en, guidance_zh, guidance_en, max_chars in DEFAULT_SECTIONS
    ]


def text_length(text: str) -> int:
    """A section's length as the limit counts it: characters, surrounding white space aside."""
    return len((text or "").strip())


@dataclass(frozen=True)
class TooLong:
    code: str
    title_zh: str
    title_en: str
    length: int
    max_chars: int


def length_problems(sections: list[SectionSpec], texts: dict[str, str]) -> list[TooLong]:
    """The sections whose text is longer than the template allows, in the template's order."""
    out = []
    for section in sections:
        length = text_length(texts.get(section.code, ""))
        if length > section.max_chars:
            out.append(
                TooLong(section.code, section.title_zh, section.title_en, length, section.max_chars)
            )
    return out


def missing_required(sections: list[SectionSpec], texts: dict[str, str]) -> list[SectionSpec]:
    """The required sections still empty, in the template's order."""
    return [s for s in sections if s.required and not text_length(texts.get(s.code, ""))]


def search_terms(query: str) -> list[str]:
    """The terms of a search query: split at white space, duplicates dropped (case aside),
    at most :data:`SELFEVAL_QUERY_TERMS_MAX` kept. Chinese has no spaces between words, so a term is
    matched as a substring (``创业孵化`` finds ``创业孵化基地``)."""
    terms: list[str] = []
    for term in (query or "").split():
        if term.casefold() not in {t.casefold() for t in terms}:
            terms.append(term)
    return terms[:SELFEVAL_QUERY_TERMS_MAX]


def excerpt(text: str, terms: list[str], context: int = EXCERPT_CONTEXT) -> list[tuple[str, bool]]:
    """The part of ``text`` around the first match of any term, as segments ``(text, is_match)``
    with every match inside marked (case-insensitive); "…" where text was cut. No match: the
    start of the text, unmarked.

    >>> excerpt("示范基地新增市场主体两千家", ["市场主体"], context=2)
    [('…新增', False), ('市场主体', True), ('两千…', False)]
    """
    folded = text.casefold()
    found = [(folded.find(t.casefold()), t) for t in terms if t]
    found = [(at, t) for at, t in found if at >= 0]
    if not found:
        head = text[: 2 * context]
        return [(head + ("…" if len(text) > len(head) else ""), False)]
    first = min(at for at, _ in found)
    start = max(0, first - context)
    longest = max(len(t) for t in terms if t)
    end = min(len(text), first + longest + context)
    window = text[start:end]
    window_folded = folded[start:end]
    marks = [False] * len(window)
    for term in terms:
        if not term:
            continue
        needle = term.casefold()
        at = window_folded.find(needle)
        while at >= 0:
            for i in range(at, min(at + len(needle), len(window))):
                marks[i] = True
            at = window_folded.find(needle, at + len(needle))
    segments: list[tuple[str, bool]] = []
    for char, mark in zip(window, marks, strict=True):
        if segments and segments[-1][1] == mark:
            segments[-1] = (segments[-1][0] + char, mark)
        else:
            segments.append((char, mark))
    if start > 0:
        if segments[0][1]:
            segments.insert(0, ("…", False))
        else:
            segments[0] = ("…" + segments[0][0], False)
    if end < len(text):
        if segments[-1][1]:
            segments.append(("…", False))
        else:
            segments[-1] = (segments[-1][0] + "…", False)
    return segments
