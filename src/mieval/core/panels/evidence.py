"""What bears on a rubric criterion: the kinds of evidence an expert's scoring page shows beside
it, the criterion's ``evidence`` list that chooses them, and the base's values against its peers.

A criterion's ``evidence`` is a list of tokens; empty means every kind. A token is

- one of :data:`EVIDENCE_KINDS`: ``values`` (every indicator's value, peers and growth),
  ``index`` (the latest index run's scores and ranks), ``checks`` (the data check's findings),
  ``queries`` (the office's answered data queries), ``selfeval`` (every section of the
  self-evaluation report), ``practices`` (reforms, typical cases and exemplary people),
  ``visit`` (the site-visit record);
- ``selfeval:<section code>``: one section of the self-evaluation report;
- ``indicator:<code>`` or a bare indicator code: that indicator's values only (also its checks
  and queries when those kinds are chosen).

Django-free; the selector :func:`mieval.panels.selectors.scoring_evidence` reads the records.
"""

import math
import re
from dataclasses import dataclass

import pandas as pd

#: Every kind of evidence, in the order the page shows them.
EVIDENCE_KINDS = ("values", "index", "checks", "queries", "selfeval", "practices", "visit")

_CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,80}$")


@dataclass(frozen=True)
class EvidenceChoice:
    """A criterion's chosen evidence: the kinds; the indicator codes (empty: all indicators);
    the self-evaluation section codes (empty: all sections)."""

    kinds: frozenset[str]
    indicators: frozenset[str]
    sections: frozenset[str]

    def shows(self, kind: str) -> bool:
        return kind in self.kinds

    def shows_indicator(self, code: str) -> bool:
        return not self.indicators or code in self.indicators

    def shows_section(self, code: str) -> bool:
        return not self.sections or code in self.sections


def evidence_tokens(text: str) -> list[str]:
    """The tokens of a criterion's evidence as typed (separated by spaces, commas or
    semicolons, in either script), without duplicates, in their order."""
    parts = re.split(r"[\s,;，；、]+", text or "")
    return list(dict.fromkeys(p for p in parts if p))


def evidence_problems(tokens: list[str], indicator_codes, section_codes=None) -> list[str]:
    """The tokens, in their order, that are neither a kind, nor ``selfeval:<section>`` (of a
    known section when ``section_codes`` is given), nor ``indicator:<code>`` or a bare code of
    ``indicator_codes``; the caller words the sentence."""
    known = set(indicator_codes)
    bad = []
    for token in tokens:
        if token in EVIDENCE_KINDS:
            continue
        prefix, _, rest = token.partition(":")
        if prefix == "selfeval" and rest:
            if _CODE.match(rest) and (section_codes is None or rest in set(section_codes)):
                continue
        elif prefix == "indicator" and rest:
            if rest in known:
                continue
        elif not rest and token in known:
            continue
        bad.append(token)
    return bad


def evidence_choice(tokens: list[str] | None) -> EvidenceChoice:
    """What a criterion's ``evidence`` list shows (empty or None: everything). Naming indicators
    also shows their values; naming sections also shows the self-evaluation."""
    if not tokens:
        return EvidenceChoice(frozenset(EVIDENCE_KINDS), frozenset(), frozenset())
    kinds, indicators, sections = set(), set(), set()
    for token in tokens:
        prefix, _, rest = token.partition(":")
        if token in EVIDENCE_KINDS:
            kinds.add(token)
        elif prefix == "selfeval" and rest:
            kinds.add("selfeval")
            sections.add(rest)
        elif prefix == "indicator" and rest:
            kinds.add("values")
            indicators.add(rest)
        elif not rest:
            kinds.add("values")
            indicators.add(token)
    if "selfeval" in tokens:
        sections = set()
    if "values" in tokens:
        indicators = set()
    return EvidenceChoice(frozenset(kinds), frozenset(indicators), frozenset(sections))


def _number(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def indicator_evidence(comparison: pd.DataFrame) -> list[dict]:
    """Per indicator of :func:`mieval.core.peers.peer_quartiles`' result, the base's latest
    value against its peers and its own growth.

    Returns, in the comparison's indicator order, dicts with ``code``; ``year`` (the last year
    with a value of the base, None when it has none); ``value``; ``peers``, ``q1``, ``median``,
    ``q3`` of that year (None where there are too few peers); ``position``: ``"below"`` (under
    the first quartile), ``"within"``, ``"above"`` (over the third) or None; ``first_year``
    and ``cagr``: the compound annual growth of the base's own values from its first to its
    last year with a value, :math:`(v_{t_1}/v_{t_0})^{1/(t_1-t_0)} - 1`, None when undefined
    (one year only, a first value of zero or below, a negative last value), as in
    :func:`mieval.core.trends.table.trend_table`.
    """
    out = []
    for code, rows in comparison.groupby("indicator_code", sort=False):
        own = rows.loc[rows["value"].notna()].sort_values("year")
        if own.empty:
            last = rows.sort_values("year").iloc[-1]
            out.append(
                {
                    "code": code,
                    "year": None,
                    "value": None,
                    "peers": int(last["peers"]),
                    "q1": _number(last["q1"]),
                    "median": _number(last["median"]),
                    "q3": _number(last["q3"]),
                    "position": None,
                    "first_year": None,
                    "cagr": None,
                }
            )
            continue
        first, last = own.iloc[0], own.iloc[-1]
        value, q1, q3 = float(last["value"]), _number(last["q1"]), _number(last["q3"])
        position = None
        if q1 is not None and q3 is not None:
            position = "below" if value < q1 else "above" if value > q3 else "within"
        span = int(last["year"]) - int(first["year"])
        v0 = float(first["value"])
        cagr = (value / v0) ** (1.0 / span) - 1.0 if span > 0 and v0 > 0 and value >= 0 else None
        out.append(
            {
                "code": code,
                "year": int(last["year"]),
                "value": value,
                "peers": int(last["peers"]),
                "q1": q1,
                "median": _number(last["median"]),
                "q3": q3,
                "position": position,
                "first_year": int(first["year"]),
                "cagr": cagr,
            }
        )
    return out
