"""The demo programme's three rounds, as interchange files (plain pandas, no Django).

The demo campaign ``demo`` (:mod:`mieval.demo.campaign`, 120 bases, 2016-2018, the poster's
table) is round 2 of programme ``mie-bases``. Around it:

- **Round 1** (``demo-r1``, 2016): the first batch's 28 bases and their 2016 values, the same
  figures as round 2 holds for them (so the programme's table keeps the poster's 2016 column).
- **Round 3** (``demo-r3``, 2019-2021): the 212 bases of the three batches (the third batch's
  92, designated in 2020, report from 2020 on), on a newer framework version, ``demo-r3`` v1,
  that a crosswalk maps from ``mie-core`` v1: ``patents_granted`` is renamed ``patents``,
  ``new_urban_employment`` is counted in persons instead of 10,000 persons (factor 10,000), and
  ``univ_ie_education_investment`` is left out (unmapped). One base of the second batch was
  withdrawn (摘牌) on :data:`WITHDRAWAL_DATE`, before round 3, and is out of its scope; one
  county became a district (撤县设区) on :data:`RENAMING_DATE` (a dated renaming).

Each year's mean of a round-3 indicator over the bases that reported it is exactly
:data:`ROUND3_FIGURES` (the calibration of :mod:`mieval.demo.campaign`); a base goes on from its
size in round 2, so a big base stays big. :func:`write_rounds` writes the files; ``bin/demo``
imports them (``mieval import --programme mie-bases --round N``), records the lifecycle events
of ``round3/events.csv`` (``manage load_lifecycle_demo``) and imports the crosswalk.
"""

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from mieval.core.indicators import (
    FRAMEWORK_CODE,
    FRAMEWORK_VERSION,
    POSTER_INDICATORS,
    IndicatorSpec,
)
from mieval.demo.campaign import (
    BATCH_COMPOSITION,
    SD_BASE,
    SD_SLOPPINESS,
    _check_seed,
    _indicator_values,
    programme_bases,
    sample_base_fields,
    sample_values,
)

PROGRAMME = "mie-bases"
#: Round number -> (campaign code, first year, last year, Chinese name, English name).
ROUNDS = {
    1: (
        "demo-r1",
        2016,
        2016,
        "双创示范基地评估第一轮（演示）",
        "MIE base evaluation, round 1 (demo)",
    ),
    2: ("demo", 2016, 2018, "双创示范基地评估（演示）", "MIE demonstration base evaluation (demo)"),
    3: (
        "demo-r3",
        2019,
        2021,
        "双创示范基地评估第三轮（演示）",
        "MIE base evaluation, round 3 (demo)",
    ),
}
ROUND3_CODE, ROUND3_FIRST, ROUND3_LAST = ROUNDS[3][0], ROUNDS[3][1], ROUNDS[3][2]
ROUND3_YEARS = tuple(range(ROUND3_FIRST, ROUND3_LAST + 1))
#: Round 3's framework: a campaign's own framework takes the campaign's code.
ROUND3_FRAMEWORK = (ROUND3_CODE, 1)

#: The designations of the three batches: year -> (date, document number, document title), as
#: the State Council's General Office published them.
DESIGNATIONS = {
    2016: (
        dt.date(2016, 5, 8),
        "国办发〔2016〕35号",
        "国务院办公厅关于建设大众创业万众创新示范基地的实施意见",
    ),
    2017: (
        dt.date(2017, 6, 15),
        "国办发〔2017〕54号",
        "国务院办公厅关于建设第二批大众创业万众创新示范基地的实施意见",
    ),
    2020: (
        dt.date(2020, 12, 9),
        "国办发〔2020〕51号",
        "国务院办公厅关于建设第三批大众创业万众创新示范基地的通知",
    ),
}
WITHDRAWAL_DATE = dt.date(2018, 12, 20)
WITHDRAWAL_REASON = "连续两年未按要求报送数据，整改不到位（演示） data not reported, not rectified"
WITHDRAWAL_DOCUMENT = ("关于撤销示范基地资格的通知（演示）", "演示〔2018〕12号")
RENAMING_DATE = dt.date(2019, 7, 1)
RENAMING_REASON = "撤县设区（演示） the county became a district"
RENAMING_DOCUMENT = ("关于同意撤县设区的批复（演示）", "演示〔2019〕7号")

#: Round 3's yearly means (2019, 2020, 2021) in its framework's units: growth on from the
#: poster's 2018 figures, a dip in 2020 where the pandemic stopped work and lectures.
ROUND3_FIGURES: dict[str, tuple[float, float, float]] = {
    "new_market_entities": (14620, 13985, 15870),
    "national_talent": (641, 668, 702),
    "incubation_area": (112, 118, 127),
    "provincial_rd_centres": (54, 57, 61),
    "patents": (336, 352, 389),
    "univ_enterprise_coop": (812, 798, 865),
    "enterprise_gov_projects": (382, 371, 405),
    "inter_enterprise_projects": (9420, 9105, 9877),
    "institute_ie_projects": (1388, 1420, 1535),
    "training_reach": (21460, 18930, 22740),
    "new_urban_employment": (1503200, 1421800, 1587600),
}

#: Round 3's indicators: the twelve, ``patents_granted`` renamed, new urban employment in
#: persons, the investment in I&E education left out.
ROUND3_INDICATORS: tuple[IndicatorSpec, ...] = tuple(
    IndicatorSpec(
        "patents", spec.name_zh, spec.name_en, spec.unit, spec.unit_zh, categories=spec.categories
    )
    if spec.code == "patents_granted"
    else IndicatorSpec(
        spec.code, spec.name_zh, spec.name_en, "persons", "人", categories=spec.categories
    )
    if spec.code == "new_urban_employment"
    else spec
    for spec in POSTER_INDICATORS
    if spec.code != "univ_ie_education_investment"
)
#: The crosswalk from ``mie-core`` v1 to round 3's version: (from code, to code, factor).
#: Indicators of the same code and unit carry over without a row.
ROUND3_CROSSWALK = (
    ("patents_granted", "patents", None),
    ("new_urban_employment", "new_urban_employment", 10000),
)
# Round 3's indicator -> the round-2 indicator a base's size goes on from.
_PREVIOUS = {"patents": "patents_granted"}

INDICATORS_COLUMNS = [
    "code", "name_zh", "name_en", "unit", "direction", "stat", "categories",
    "unit_zh", "non_negative", "decimals",
]  # fmt: skip
CROSSWALK_COLUMNS = [
    "from_framework", "from_version", "from_code", "to_framework", "to_version", "to_code",
    "factor",
]  # fmt: skip
EVENTS_COLUMNS = [
    "base_code", "kind", "date", "document_title", "document_number", "reason",
    "name_zh", "name_en",
]  # fmt: skip

_ROUND3_STREAM = 5


def withdrawn_base(bases: pd.DataFrame) -> str:
    """The base withdrawn before round 3: the second batch's first private company."""
    found = bases[(bases["batch"] == 2017) & (bases["subcategory"] == "private")]
    return str(found["code"].iloc[0])


def renamed_base(bases: pd.DataFrame) -> tuple[str, str, str]:
    """The base renamed in round 3's years, ``(code, new Chinese name, new English name)``: the
    first county of the first two batches becomes a district (撤县设区); without a county,
    the first region base takes "新区"."""
    early = bases[bases["batch"].isin(list(BATCH_COMPOSITION))]
    counties = early[early["subcategory"] == "county"]
    if len(counties):
        row = counties.iloc[0]
        zh = row["name_zh"].replace("县（演示）", "区（演示）")
        en = row["name_en"].replace(" County,", " District,", 1)
        return str(row["code"]), zh, en
    row = early[early["category"] == "region"].iloc[0]
    return str(row["code"]), row["name_zh"].replace("（演示）", "新区（演示）"), row["name_en"]


def round1_frames(bases: pd.DataFrame, values: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Round 1: the first batch's bases and their 2016 values of round 2 (``values``), with
    the bases' domain tags as ``mieval sample`` writes them."""
    first = bases["batch"] == min(BATCH_COMPOSITION)
    codes = set(bases.loc[first, "code"])
    out = bases.loc[first].copy()
    kept = values[(values["year"] == ROUNDS[1][1]) & values["base_code"].isin(codes)]
    return {"bases": out.reset_index(drop=True), "values": kept.reset_index(drop=True)}


def round3_bases(bases: pd.DataFrame) -> pd.DataFrame:
    """Round 3's bases file: the 212, the renamed one with its new names, with the lifecycle
    columns ``status`` (``withdrawn`` for the withdrawn one) and ``designated``."""
    out = bases.copy()
    code, name_zh, name_en = renamed_base(bases)
    out.loc[out["code"] == code, ["name_zh", "name_en"]] = [name_zh, name_en]
    out.insert(7, "status", "active")
    out.loc[out["code"] == withdrawn_base(bases), "status"] = "withdrawn"
    out.insert(8, "designated", [DESIGNATIONS[b][0].isoformat() for b in out["batch"]])
    return out


def round3_values(bases: pd.DataFrame, previous: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Round 3's values, 2019-2021, of the bases in its scope (all but the withdrawn one), on
    its framework: each year's mean over the reporting bases is :data:`ROUND3_FIGURES`
    exactly; the third batch reports from 2020; a base of the first two batches starts from
    its 2018 size in ``previous`` (round 2's values)."""
    _check_seed(seed)
    scope = bases[bases["code"] != withdrawn_base(bases)].reset_index(drop=True)
    rng = np.random.default_rng([_ROUND3_STREAM, seed])
    base_size = rng.normal(0.0, SD_BASE, len(scope))
    sloppiness = rng.lognormal(0.0, SD_SLOPPINESS, len(scope))
    last = previous[previous["year"] == previous["year"].max()].assign(
        number=lambda f: f["value"].astype(float)
    )
    rows = []
    for spec in ROUND3_INDICATORS:
        old = last[last["indicator_code"] == _PREVIOUS.get(spec.code, spec.code)]
        positive = old[old["number"] > 0]
        start = dict(
            zip(
                positive["base_code"],
                np.log(positive["number"] / old["number"].mean()),
                strict=True,
            )
        )
        rows += _indicator_values(
            rng,
            spec,
            scope,
            base_size,
            sloppiness,
            years=ROUND3_YEARS,
            figures=ROUND3_FIGURES[spec.code],
            log_start=start,
        )
    frame = pd.DataFrame(rows, columns=["base_code", "indicator_code", "year", "value"])
    frame["year"] = frame["year"].astype("int64")
    return frame.sort_values(["base_code", "indicator_code", "year"], kind="stable").reset_index(
        drop=True
    )


def round3_indicators() -> pd.DataFrame:
    """Round 3's indicators file."""
    return pd.DataFrame(
        [
            {
                "code": s.code,
                "name_zh": s.name_zh,
                "name_en": s.name_en,
                "unit": s.unit,
                "direction": s.direction,
                "stat": s.stat,
                "categories": ";".join(s.categories),
                "unit_zh": s.unit_zh,
                "non_negative": s.non_negative,
                "decimals": s.decimals,
            }
            for s in ROUND3_INDICATORS
        ],
        columns=INDICATORS_COLUMNS,
    )


def round3_crosswalk() -> pd.DataFrame:
    """The crosswalk file from ``mie-core`` v1 to round 3's version."""
    return pd.DataFrame(
        [
            {
                "from_framework": FRAMEWORK_CODE,
                "from_version": FRAMEWORK_VERSION,
                "from_code": old,
                "to_framework": ROUND3_FRAMEWORK[0],
                "to_version": ROUND3_FRAMEWORK[1],
                "to_code": new,
                "factor": "" if factor is None else factor,
            }
            for old, new, factor in ROUND3_CROSSWALK
        ],
        columns=CROSSWALK_COLUMNS,
    )


def lifecycle_events(bases: pd.DataFrame) -> pd.DataFrame:
    """The lifecycle events to record before round 3, in the order they took effect: the
    designations of the first two batches (with their documents), the withdrawal, the
    renaming."""
    rows = []
    early = bases[bases["batch"].isin(list(BATCH_COMPOSITION))]
    for row in early.itertuples(index=False):
        date, number, title = DESIGNATIONS[int(row.batch)]
        rows.append(
            {"base_code": row.code, "kind": "designated", "date": date.isoformat(),
             "document_title": title, "document_number": number}
        )  # fmt: skip
    rows.append(
        {
            "base_code": withdrawn_base(bases),
            "kind": "withdrawn",
            "date": WITHDRAWAL_DATE.isoformat(),
            "document_title": WITHDRAWAL_DOCUMENT[0],
            "document_number": WITHDRAWAL_DOCUMENT[1],
            "reason": WITHDRAWAL_REASON,
        }
    )
    code, name_zh, name_en = renamed_base(bases)
    rows.append(
        {
            "base_code": code,
            "kind": "renamed",
            "date": RENAMING_DATE.isoformat(),
            "document_title": RENAMING_DOCUMENT[0],
            "document_number": RENAMING_DOCUMENT[1],
            "reason": RENAMING_REASON,
            "name_zh": name_zh,
            "name_en": name_en,
        }
    )
    return pd.DataFrame(rows, columns=EVENTS_COLUMNS).fillna("")


def rounds_frames(seed: int = 0) -> dict[str, dict[str, pd.DataFrame]]:
    """Every file of rounds 1 and 3: ``{"round1": {"bases", "values"}, "round3": {"bases",
    "values", "indicators", "crosswalk", "events"}}``."""
    bases = programme_bases(seed)
    bases = bases.assign(fields=sample_base_fields(bases, seed))
    early = bases[bases["batch"].isin(list(BATCH_COMPOSITION))].reset_index(drop=True)
    values = sample_values(early.drop(columns="fields"), seed)
    return {
        "round1": round1_frames(early, values),
        "round3": {
            "bases": round3_bases(bases),
            "values": round3_values(bases.drop(columns="fields"), values, seed),
            "indicators": round3_indicators(),
            "crosswalk": round3_crosswalk(),
            "events": lifecycle_events(bases),
        },
    }


def write_rounds(out_dir: Path, seed: int = 0) -> dict[str, Path]:
    """Write rounds 1 and 3 into ``out_dir/round1/`` and ``out_dir/round3/`` (UTF-8 with a
    byte-order mark, LF line ends); returns ``{"round1/bases": path, ...}``."""
    out_dir = Path(out_dir)
    paths = {}
    for folder, frames in rounds_frames(seed).items():
        (out_dir / folder).mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            path = out_dir / folder / f"{name}.csv"
            frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
            paths[f"{folder}/{name}"] = path
    return paths
