"""The frozen content of a published campaign: a JSON payload and its content hash.

Plain Python on pandas, no Django: the database builds a payload from a campaign at publish
time (:mod:`mieval.reports.services`), the CLI's file mode builds one from interchange files,
and every report is assembled from a payload only, so a report never changes after the live
data is corrected.

The payload is a dict of JSON types::

    {"format": 1,
     "campaign": {"code", "name_zh", "name_en", "first_year", "last_year"},
     "framework": {"code", "version", "name_zh", "name_en"},
     "bases": [{"code", "name_zh", "name_en", "category", "subcategory", "province", "batch"}],
     "indicators": [{"code", "name_zh", "name_en", "unit", "unit_zh", "direction", "stat",
                     "categories": [...], "decimals"}],
     "values": [[base_code, indicator_code, year, value], ...],   # sorted
     "rules": TEXT or null,
     "index_runs": [{"framework", "version", "name_zh", "name_en", "year", "input_hash",
                     "scores": [{"base", "score", "rank", "median_rank", "q05", "q95"}],
                     "audit": null (absent in snapshots made before it) or the run year's
                              statistical audit: {"year", "correlations", "cronbach", "pca",
                              "main_effects", "removal", "flags"} (core.index.audit)}],
     "panels": null or {"alpha", "results": [{"base", "score", "n", "expert_score",
                                               "index_score", "combined", "grade_zh",
                                               "grade_en"}],
                        "totals": [{"base", "totals": [sorted experts' totals, no names]}],
                        "comments": [{"base", "text"}]},   # see "Comments" below
     "narrative": {"practices": {"zh", "en"}, "problems": {...}, "recommendations": {...}},
     "practices": null or the content of practices.selectors.practices_report_content
                  (classified reforms counted, published cases and people; no contact data),
     "exchange": null or exchange.selectors.exchange_status_counts for the campaign's bases,
     "network": null (absent in snapshots made before it) or the network of realised
                cooperation of the campaign's round and the round before
                (exchange.selectors.campaign_network: {"round", "previous", "figures",
                "previous_figures", "change"}, figures as core.exchange.network.network_figures),
     "judgement": null (absent in snapshots made before it) or the records of the judgement
                  sections (reports.selectors.judgement_records):
                  {"experts": [{"year", "kind", "experts", "expert_times"}],
                   "panels": [{"number", "members", "professional", "operational",
                               "kinds": {kind: members}, "bases"}],
                   "visits": {"planned", "made", "bases", "by_region_group": {group: n}},
                   "exchange": exchange_status_counts since the campaign began, and "since",
                   "grassroots": {"panel_members", "visit_contacts", ...},
                   "problem_types": [{"code", "name_zh", "name_en"}],   # in their order
                   "problems": [{"id", "base", "category", "subcategory", "region_group",
                                 "type", "severity", "source", "title_zh", "title_en",
                                 "action_zh", "action_en"}]},   # confirmed ones only
     "settings": {...}}

Comments: a snapshot is read by viewers and base officers (its reports and profiles), so it
holds only what they may read: the experts' comments under rubrics that do not keep comments
confidential, without the experts' names, and never a confidential comment
(``panels.selectors.publishable_comments`` says the rule). Format 1 (before 2) froze every
comment, confidential or not, and cannot tell them apart; a snapshot being immutable, its
comments are kept but never shown (:func:`payload_comments` gives none for it).

The content hash is the SHA-256 of the canonical JSON text (keys sorted, no spaces, UTF-8,
no NaN): the same content always gives the same hash.
"""

import hashlib
import json
import math

import pandas as pd

#: 2: ``panels.comments`` holds only comments that are not confidential.
PAYLOAD_FORMAT = 2
#: The first format whose comments may be shown to whoever reads the snapshot's reports.
COMMENTS_PUBLIC_SINCE = 2
NARRATIVE_KINDS = ("practices", "problems", "recommendations")
BASE_FIELDS = ["code", "name_zh", "name_en", "category", "subcategory", "province", "batch"]
INDICATOR_FIELDS = ["code", "name_zh", "name_en", "unit", "unit_zh", "direction", "stat"]


def _plain(value):
    """A JSON-safe scalar: numpy types to Python, NaN to None."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def payload_build(
    *,
    campaign: dict,
    framework: dict,
    bases: pd.DataFrame,
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    rules: str | None = None,
    index_runs: list | None = None,
    panels: dict | None = None,
    narrative: dict | None = None,
    practices: dict | None = None,
    exchange: dict | None = None,
    network: dict | None = None,
    judgement: dict | None = None,
    settings: dict | None = None,
) -> dict:
    """The payload of the module docstring from frames; rows sorted so that the same data in
    any order gives the same payload."""
    base_rows = [
        {field: _plain(row.get(field)) for field in BASE_FIELDS}
        for row in bases.sort_values("code").to_dict("records")
    ]
    indicator_rows = []
    for row in indicators.to_dict("records"):
        item = {field: _plain(row.get(field)) for field in INDICATOR_FIELDS}
        item["categories"] = sorted(row.get("categories") or ())
        item["decimals"] = int(_plain(row.get("decimals")) or 0)
        indicator_rows.append(item)
    present = values.dropna(subset=["value"])
    present = present.sort_values(["base_code", "indicator_code", "year"])
    value_rows = [
        [str(b), str(i), int(y), float(v)]
        for b, i, y, v in zip(
            present["base_code"],
            present["indicator_code"],
            present["year"],
            present["value"],
            strict=True,
        )
    ]
    texts = narrative or {}
    return {
        "format": PAYLOAD_FORMAT,
        "campaign": {k: _plain(v) for k, v in campaign.items()},
        "framework": {k: _plain(v) for k, v in framework.items()},
        "bases": base_rows,
        "indicators": indicator_rows,
        "values": value_rows,
        "rules": rules,
        "index_runs": index_runs or [],
        "panels": panels,
        "narrative": {
            kind: {
                "zh": (texts.get(kind) or {}).get("zh", ""),
                "en": (texts.get(kind) or {}).get("en", ""),
            }
            for kind in NARRATIVE_KINDS
        },
        "practices": practices,
        "exchange": exchange,
        "network": network,
        "judgement": judgement,
        "settings": settings or {},
    }


def payload_canonical(payload: dict) -> bytes:
    """The canonical JSON text of a payload, as UTF-8 bytes."""
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def payload_hash(payload: dict) -> str:
    """SHA-256 (hex) of :func:`payload_canonical`."""
    return hashlib.sha256(payload_canonical(payload)).hexdigest()


def payload_bases(payload: dict) -> pd.DataFrame:
    frame = pd.DataFrame(payload["bases"], columns=BASE_FIELDS)
    frame["batch"] = frame["batch"].astype("int64")
    return frame


def payload_values(payload: dict) -> pd.DataFrame:
    frame = pd.DataFrame(
        payload["values"], columns=["base_code", "indicator_code", "year", "value"]
    )
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame


def payload_indicators(payload: dict) -> pd.DataFrame:
    rows = [dict(row, categories=tuple(row["categories"])) for row in payload["indicators"]]
    columns = [*INDICATOR_FIELDS, "categories", "decimals"]
    return pd.DataFrame(rows, columns=columns)


def payload_comments(payload: dict) -> dict[str, list[str]]:
    """The experts' comments that the snapshot's reports show, ``{base code: [text, ...]}``;
    none from a payload of a format before :data:`COMMENTS_PUBLIC_SINCE`, whose comments may
    include confidential ones."""
    if int(payload.get("format") or 0) < COMMENTS_PUBLIC_SINCE:
        return {}
    comments: dict[str, list[str]] = {}
    for item in (payload.get("panels") or {}).get("comments", []):
        comments.setdefault(item["base"], []).append(item["text"])
    return comments
