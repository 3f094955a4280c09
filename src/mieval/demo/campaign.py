r"""The demo campaign: 120 made-up bases and their 2016-2018 values, calibrated to the poster.

Plain Python on pandas/numpy, no Django: ``mieval sample`` writes the frames as interchange
files and the Django importer loads them.

The bases are the poster's 120 (batch 2016: 17 region, 4 university/institute, 7 enterprise;
batch 2017: 45, 26, 21), spread over the 11 subcategories and all 31 provinces, more of them in
the east, and named as demo data in both languages.

The values are random but calibrated: for every indicator and year, the mean over the bases
that reported it equals the poster's figure exactly, so ``mieval trends`` reproduces the
poster's development-trend table, every yearly figure and every growth rate as printed.

Method
------
For indicator :math:`i`, base :math:`b` and year :math:`t`, a positive weight

.. math:: w_{bit} = \exp(s_{c(b)} + a_{i,k(b)} + z_b + e_{bi} + \sum_{u \le t} n_{biu})

with :math:`s` a size by subcategory, :math:`a` an indicator's affinity to a category,
:math:`z_b \sim N(0, 0.6^2)` a persistent size shared by the base's indicators,
:math:`e_{bi} \sim N(0, 0.45^2)` and a random walk :math:`n_{biu} \sim N(0, 0.15^2)`
(:math:`n_{bi,2016} = 0`), so a big base stays big from year to year. A few cells are then
left out (missing, about 3%, more often at some bases than at others). The weights of the
:math:`m_{it}` reporting bases are scaled to the target total
:math:`S_{it} = m_{it} \cdot \bar{x}_{it}` in units of the indicator's resolution (1 or 0.1)
and integerised by the largest-remainder (Hamilton) method in exact integer arithmetic, so the
total, and hence the mean, is exact. The trend over the years comes from the calibration alone;
the poster's tenfold jump of national talent from 2016 to 2017 shows in every base.
"""

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from mieval.core.indicators import POSTER_INDICATORS, IndicatorSpec
from mieval.core.panels.vocabulary import FIELD_TAGS
from mieval.core.reference import CATEGORIES, PROVINCE_BY_CODE, PROVINCES, SUBCATEGORIES
from mieval.demo import names
from mieval.demo.exchange import sample_posts

SAMPLE_YEARS = (2016, 2017, 2018)

#: The poster's development-trend table (``seed/mie-evaluation-poster.txt``, "Demonstration
#: base development trends"): each indicator's figures for 2016, 2017 and 2018, as printed.
POSTER_TREND_TABLE: dict[str, tuple[float, float, float]] = {
    "new_market_entities": (11740, 12158, 13598),
    "national_talent": (59, 589, 603),
    "incubation_area": (60, 74, 105),
    "provincial_rd_centres": (38, 49, 51),
    "patents_granted": (285, 289, 309),
    "univ_enterprise_coop": (582, 714, 775),
    "enterprise_gov_projects": (128, 142, 367),
    "inter_enterprise_projects": (6707, 8239, 8994),
    "institute_ie_projects": (168, 592, 1296),
    "training_reach": (13440, 16155, 20209),
    "univ_ie_education_investment": (1417, 1768, 2046),
    "new_urban_employment": (91.6, 141.1, 146.1),
}

#: The poster's average annual growth rates 2016-2018, as printed (7.6% is 0.076); each equals
#: ``round((f2018 / f2016) ** (1 / 2) - 1, 3)`` of the figures above.
POSTER_GROWTH: dict[str, float] = {
    "new_market_entities": 0.076,
    "national_talent": 2.197,
    "incubation_area": 0.323,
    "provincial_rd_centres": 0.158,
    "patents_granted": 0.041,
    "univ_enterprise_coop": 0.154,
    "enterprise_gov_projects": 0.693,
    "inter_enterprise_projects": 0.158,
    "institute_ie_projects": 1.777,
    "training_reach": 0.226,
    "univ_ie_education_investment": 0.202,
    "new_urban_employment": 0.263,
}

BASES_COLUMNS = ["code", "name_zh", "name_en", "category", "subcategory", "province", "batch"]
VALUES_COLUMNS = ["base_code", "indicator_code", "year", "value"]

#: Bases per batch and category, as in the poster and ``DESIGN.md``.
BATCH_COMPOSITION: dict[int, dict[str, int]] = {
    2016: {"region": 17, "university_institute": 4, "enterprise": 7},
    2017: {"region": 45, "university_institute": 26, "enterprise": 21},
}
#: The third batch, designated in 2020: 92 more bases (DESIGN.md gives only the total).
BATCH_2020_COMPOSITION: dict[str, int] = {
    "region": 44,
    "university_institute": 24,
    "enterprise": 24,
}

# How often each subcategory occurs within its category (every one gets at least
# MIN_PER_SUBCATEGORY bases first, the rest are drawn with these weights).
SUBCATEGORY_WEIGHT = {
    "urban_district": 0.30,
    "new_area": 0.15,
    "hitech_econ_zone": 0.35,
    "county": 0.20,
    "st_university": 0.30,
    "comprehensive_university": 0.30,
    "specialized_college": 0.15,
    "cas_institute": 0.15,
    "miit_institute": 0.10,
    "state_owned": 0.45,
    "private": 0.55,
}
MIN_PER_SUBCATEGORY = 2

# Bases are concentrated in the east, as the real ones are; within regions a few provinces
# (the big innovation centres, the small or remote provinces) deviate from the regional weight.
REGION_WEIGHT = {"east": 3.0, "central": 1.6, "west": 1.0, "northeast": 1.3}
PROVINCE_FACTOR = {
    "11": 2.0,
    "31": 1.6,
    "32": 1.6,
    "33": 1.5,
    "44": 1.6,
    "46": 0.3,
    "54": 0.3,
    "63": 0.4,
    "64": 0.5,
}

# Log size by subcategory: high-tech zones and urban districts are bigger than counties, etc.
SUBCATEGORY_LOG_SIZE = {
    "urban_district": 0.3,
    "new_area": 0.2,
    "hitech_econ_zone": 0.5,
    "county": -0.4,
    "st_university": 0.2,
    "comprehensive_university": 0.3,
    "specialized_college": -0.3,
    "cas_institute": 0.0,
    "miit_institute": -0.2,
    "state_owned": 0.3,
    "private": -0.1,
}
# Log affinity of an indicator to a category (0 where absent): universities and institutes hold
# more national talent and patents, regions more incubation area and training, and so on.
CATEGORY_AFFINITY = {
    "national_talent": {"university_institute": 1.0, "enterprise": -0.5},
    "patents_granted": {"university_institute": 0.5, "enterprise": 0.3},
    "univ_enterprise_coop": {"university_institute": 0.4},
    "provincial_rd_centres": {"university_institute": 0.3},
    "incubation_area": {"region": 0.4, "university_institute": -0.2},
    "training_reach": {"region": 0.3},
    "enterprise_gov_projects": {"enterprise": -0.3},
    "inter_enterprise_projects": {"enterprise": 0.2},
}
SD_BASE = 0.6
SD_INDICATOR = 0.45
SD_YEAR_STEP = 0.15

MISSING_SHARE = 0.03
# Never leave out more than this share of a yearly cell, so no year of an indicator is empty.
MAX_MISSING_SHARE_OF_CELL = 0.25
SD_SLOPPINESS = 0.8

# The values draw from their own stream, independent of the draws that made the bases.
_VALUES_STREAM = 1
# Weights become integers of this precision before the exact integer allocation.
_WEIGHT_UNITS = 2**40


def _check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed: {seed!r} is not allowed; use a non-negative integer")


def _subcategory_draw(rng: np.random.Generator, category: str, count: int) -> list[str]:
    """``count`` subcategories of ``category``: each at least MIN_PER_SUBCATEGORY times, the
    rest drawn by weight, in random order."""
    codes = [s.code for s in SUBCATEGORIES if s.category == category]
    weights = np.array([SUBCATEGORY_WEIGHT[c] for c in codes])
    drawn = list(np.repeat(codes, MIN_PER_SUBCATEGORY))
    rest = count - len(drawn)
    drawn += list(rng.choice(codes, size=rest, p=weights / weights.sum()))
    rng.shuffle(drawn)
    return [str(c) for c in drawn]


def _province_weights(codes: list[str]) -> np.ndarray:
    weights = np.array(
        [REGION_WEIGHT[PROVINCE_BY_CODE[c].region] * PROVINCE_FACTOR.get(c, 1.0) for c in codes]
    )
    return weights / weights.sum()


class _Namer:
    """Draws each base's name and, with it, its province (see :mod:`mieval.demo.names`): a
    region base in a province weighted towards the east (every province once among the first
    two batches), a university, institute or state-owned group from the real ones (so a
    central state-owned group is mostly in Beijing), a private company in a city where such
    companies are. No name is drawn twice."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.used: set[str] = set()
        self.uncovered = {p.code for p in PROVINCES}

    def region(self, subcategory: str, *, cover: bool) -> tuple[str, str, str]:
        candidates = {
            p.code: [n for n in names.region_names(p.code, subcategory) if n[0] not in self.used]
            for p in PROVINCES
        }
        codes = [code for code, found in candidates.items() if found]
        if cover and self.uncovered & set(codes):
            codes = [code for code in codes if code in self.uncovered]
        province = str(self.rng.choice(codes, p=_province_weights(codes)))
        found = candidates[province]
        zh, en = found[int(self.rng.integers(len(found)))]
        self.uncovered.discard(province)
        return self._take(zh, en, province)

    def institution(self, subcategory: str) -> tuple[str, str, str]:
        pool = names.INSTITUTIONS[subcategory]
        free = [entry for entry in pool if entry[0] not in self.used]
        if free:
            zh, en, province = free[int(self.rng.integers(len(free)))]
            return self._take(zh, en, province)
        # More bases of the subcategory than real bodies listed: a branch of one of them.
        zh, en, province = pool[int(self.rng.integers(len(pool)))]
        number = 2
        while f"{zh}第{number}分院" in self.used:
            number += 1
        return self._take(f"{zh}第{number}分院", f"{en}, branch {number}", province)

    def private(self) -> tuple[str, str, str]:
        weights = np.array([w for *_, w in names.PRIVATE_CITIES])
        while True:
            city = names.PRIVATE_CITIES[
                int(self.rng.choice(len(weights), p=weights / weights.sum()))
            ]
            stem = names.PRIVATE_STEMS[int(self.rng.integers(len(names.PRIVATE_STEMS)))]
            kind = names.PRIVATE_KINDS[int(self.rng.integers(len(names.PRIVATE_KINDS)))]
            zh = f"{city[0]}{stem[0]}{kind[0]}"
            if zh not in self.used:
                return self._take(zh, f"{city[1]} {stem[1]} {kind[1]}", city[2])

    def _take(self, zh: str, en: str, province: str) -> tuple[str, str, str]:
        self.used.add(zh)
        return zh + names.DEMO_SUFFIX_ZH, en + names.DEMO_SUFFIX_EN, province

    def draw(self, category: str, subcategory: str, *, cover: bool) -> tuple[str, str, str]:
        if category == "region":
            return self.region(subcategory, cover=cover)
        if subcategory == "private":
            return self.private()
        return self.institution(subcategory)


def programme_bases(seed: int = 0) -> pd.DataFrame:
    """The demo programme's 212 bases: the poster's 120 of batches 2016 and 2017
    (``BATCH_COMPOSITION``) and the 92 of batch 2020 (``BATCH_2020_COMPOSITION``).

    Returns
    -------
    pandas.DataFrame
        Columns ``code, name_zh, name_en, category, subcategory, province, batch``: codes
        ``MIE-2016-001`` ... ``MIE-2017-092``, ``MIE-2020-001`` ... ``MIE-2020-092``,
        ``province`` a two-digit GB/T 2260 code (string), ``batch`` an integer. Names look
        like real ones and end in "（演示）" / " (demo)"; the province follows the name (every
        province has a base among the first two batches). Within a batch, bases are ordered by
        category, subcategory, province and name. The same seed gives the same frame, and its
        first 120 rows are :func:`sample_bases`.
    """
    _check_seed(seed)
    rng = np.random.default_rng(seed)
    rows = []
    for category in (c.code for c in CATEGORIES):
        counts = [BATCH_COMPOSITION[batch][category] for batch in BATCH_COMPOSITION]
        subcategories = _subcategory_draw(rng, category, sum(counts))
        start = 0
        for batch, count in zip(BATCH_COMPOSITION, counts, strict=True):
            for subcategory in subcategories[start : start + count]:
                rows.append({"category": category, "subcategory": subcategory, "batch": batch})
            start += count
    for category in (c.code for c in CATEGORIES):
        count = BATCH_2020_COMPOSITION[category]
        for subcategory in _subcategory_draw(rng, category, count):
            rows.append({"category": category, "subcategory": subcategory, "batch": 2020})
    namer = _Namer(rng)
    first = [row for row in rows if row["batch"] in BATCH_COMPOSITION]
    third = [row for row in rows if row["batch"] not in BATCH_COMPOSITION]
    for group, cover in ((first, True), (third, False)):
        for position in rng.permutation(len(group)):
            row = group[int(position)]
            row["name_zh"], row["name_en"], row["province"] = namer.draw(
                row["category"], row["subcategory"], cover=cover
            )

    category_rank = {c.code: i for i, c in enumerate(CATEGORIES)}
    subcategory_rank = {s.code: i for i, s in enumerate(SUBCATEGORIES)}
    rows.sort(
        key=lambda r: (
            r["batch"],
            category_rank[r["category"]],
            subcategory_rank[r["subcategory"]],
            r["province"],
            r["name_zh"],
        )
    )
    serial_in_batch: dict[int, int] = {}
    for row in rows:
        serial_in_batch[row["batch"]] = serial_in_batch.get(row["batch"], 0) + 1
        row["code"] = f"MIE-{row['batch']}-{serial_in_batch[row['batch']]:03d}"
    frame = pd.DataFrame(rows, columns=BASES_COLUMNS)
    frame["batch"] = frame["batch"].astype("int64")
    return frame


def sample_bases(seed: int = 0) -> pd.DataFrame:
    """The demo campaign's 120 bases: the first two batches of :func:`programme_bases`.

    Returns
    -------
    pandas.DataFrame
        Columns ``code, name_zh, name_en, category, subcategory, province, batch``: codes
        ``MIE-2016-001`` ... ``MIE-2017-092``, ``province`` a two-digit GB/T 2260 code (string),
        ``batch`` an integer. Within a batch, bases are ordered by category, subcategory,
        province and name. The same seed gives the same frame.
    """
    bases = programme_bases(seed)
    return bases[bases["batch"].isin(list(BATCH_COMPOSITION))].reset_index(drop=True)


def _resolution_units(figure: float, decimals: int, code: str) -> int:
    """A printed figure in integer units of the indicator's resolution (91.6 at 0.1 is 916)."""
    scaled = Decimal(repr(figure)).scaleb(decimals)
    if scaled != scaled.to_integral_value():
        raise ValueError(
            f"poster figure of '{code}': {figure!r} has more than {decimals} decimals, "
            f"the indicator's resolution"
        )
    return int(scaled)


def _allocate(weights: np.ndarray, total: int) -> list[int]:
    """Split the integer ``total`` in proportion to ``weights`` by largest remainders.

    The weights are first made integers (relative precision 2**-40), then everything is exact
    integer arithmetic, so the parts are non-negative integers summing to ``total`` exactly.
    Ties between remainders go to the earlier position.
    """
    quantised = [int(q) for q in np.rint(weights / weights.max() * _WEIGHT_UNITS)]
    whole = sum(quantised)
    parts = [q * total // whole for q in quantised]
    remainders = [q * total % whole for q in quantised]
    short = total - sum(parts)
    for position in sorted(range(len(parts)), key=lambda i: -remainders[i])[:short]:
        parts[position] += 1
    return parts


def _format_units(units: int, decimals: int) -> str:
    if decimals == 0:
        return str(units)
    whole, fraction = divmod(units, 10**decimals)
    return f"{whole}.{fraction:0{decimals}d}"


def _check_bases(bases: pd.DataFrame) -> None:
    missing = [c for c in ("code", "category", "subcategory") if c not in bases.columns]
    if missing:
        raise ValueError(f"bases: missing column(s) {', '.join(missing)}")
    known_categories = {c.code for c in CATEGORIES}
    known_subcategories = {s.code for s in SUBCATEGORIES}
    for line, row in enumerate(bases.itertuples(index=False), start=2):
        if row.category not in known_categories:
            raise ValueError(
                f"bases line {line}, column 'category': {row.category!r} is not one of "
                f"{', '.join(sorted(known_categories))}"
            )
        if row.subcategory not in known_subcategories:
            raise ValueError(
                f"bases line {line}, column 'subcategory': {row.subcategory!r} is not a "
                f"known subcategory"
            )
    if bases["code"].duplicated().any():
        duplicated = bases.loc[bases["code"].duplicated(), "code"].iloc[0]
        raise ValueError(f"bases, column 'code': {duplicated!r} occurs more than once")


def _missing_cells(rng: np.random.Generator, count: int, sloppiness: np.ndarray) -> set[int]:
    """Positions among ``count`` applicable bases that leave one yearly cell unreported."""
    left_out = min(rng.binomial(count, MISSING_SHARE), int(count * MAX_MISSING_SHARE_OF_CELL))
    if left_out == 0:
        return set()
    chances = sloppiness / sloppiness.sum()
    return {int(i) for i in rng.choice(count, size=left_out, replace=False, p=chances)}


def _indicator_values(
    rng: np.random.Generator,
    spec: IndicatorSpec,
    bases: pd.DataFrame,
    base_size: np.ndarray,
    sloppiness: np.ndarray,
    *,
    years: tuple[int, ...] = SAMPLE_YEARS,
    figures: tuple[float, ...] | None = None,
    log_start: dict[str, float] | None = None,
) -> list[dict]:
    """Rows of one indicator for ``years``, the mean of each year's reporting bases equal to
    ``figures`` (default: the poster's). A base reports from its batch's year on (where
    ``bases`` has a ``batch`` column). ``log_start`` gives some bases their log weight in the
    first year (a later round goes on from a base's size in the earlier one)."""
    figures = POSTER_TREND_TABLE[spec.code] if figures is None else figures
    applies = (
        bases["category"].isin(spec.categories).to_numpy()
        if spec.categories
        else np.ones(len(bases), dtype=bool)
    )
    positions = np.flatnonzero(applies)
    if len(positions) == 0:
        return []
    applicable = bases.iloc[positions]
    affinity = CATEGORY_AFFINITY.get(spec.code, {})
    log_size = (
        applicable["subcategory"].map(SUBCATEGORY_LOG_SIZE).to_numpy(dtype=float)
        + applicable["category"].map(lambda c: affinity.get(c, 0.0)).to_numpy(dtype=float)
        + base_size[positions]
        + rng.normal(0.0, SD_INDICATOR, len(positions))
    )
    codes = applicable["code"].to_list()
    if log_start:
        for i, code in enumerate(codes):
            if code in log_start:
                log_size[i] = log_start[code]
    steps = rng.normal(0.0, SD_YEAR_STEP, (len(positions), len(years)))
    steps[:, 0] = 0.0
    log_weights = log_size[:, None] + np.cumsum(steps, axis=1)
    batch = (
        applicable["batch"].to_numpy(dtype=int)
        if "batch" in applicable.columns
        else np.full(len(positions), min(years), dtype=int)
    )

    rows = []
    for t, year in enumerate(years):
        eligible = np.flatnonzero(batch <= year)
        left_out = {
            int(eligible[i])
            for i in _missing_cells(rng, len(eligible), sloppiness[positions][eligible])
        }
        reporting = [int(i) for i in eligible if int(i) not in left_out]
        target = _resolution_units(figures[t], spec.decimals, spec.code)
        parts = _allocate(np.exp(log_weights[reporting, t]), target * len(reporting))
        for i, units in zip(reporting, parts, strict=True):
            rows.append(
                {
                    "base_code": codes[i],
                    "indicator_code": spec.code,
                    "year": year,
                    "value": _format_units(units, spec.decimals),
                }
            )
    return rows


def sample_values(bases: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Demo values of the twelve indicators for ``bases``, 2016-2018, calibrated to the poster.

    Parameters
    ----------
    bases : pandas.DataFrame
        Needs ``code``, ``category`` and ``subcategory``; usually ``sample_bases(seed)``. It is
        not modified.
    seed : int
        Seed of the random draws; the same bases and seed give the same values.

    Returns
    -------
    pandas.DataFrame
        Columns ``base_code, indicator_code, year, value``, ordered by base (as in ``bases``),
        indicator (built-in order) and year. ``value`` is the string written to the CSV, an
        integer or, for one-decimal indicators, a number with one decimal ("91.6"). An indicator
        has rows only for bases of the categories it applies to; missing values are absent rows.
        For each indicator and year, the mean of the values equals ``POSTER_TREND_TABLE``
        exactly. Where ``bases`` has a ``batch`` column, a base reports from its batch's year
        on: the bases designated in 2017 from 2017, so the 2016 figures are means over the
        first batch's 28 bases.
    """
    _check_seed(seed)
    _check_bases(bases)
    rng = np.random.default_rng([_VALUES_STREAM, seed])
    base_size = rng.normal(0.0, SD_BASE, len(bases))
    sloppiness = rng.lognormal(0.0, SD_SLOPPINESS, len(bases))
    rows = []
    for spec in POSTER_INDICATORS:
        rows += _indicator_values(rng, spec, bases, base_size, sloppiness)

    frame = pd.DataFrame(rows, columns=VALUES_COLUMNS)
    base_rank = {code: i for i, code in enumerate(bases["code"])}
    indicator_rank = {s.code: i for i, s in enumerate(POSTER_INDICATORS)}
    order = sorted(
        range(len(frame)),
        key=lambda i: (
            base_rank[rows[i]["base_code"]],
            indicator_rank[rows[i]["indicator_code"]],
            rows[i]["year"],
        ),
    )
    frame = frame.iloc[order].reset_index(drop=True)
    frame["year"] = frame["year"].astype("int64")
    return frame


def write_sample(out_dir: Path, seed: int = 0) -> dict[str, Path]:
    """Write the demo campaign to ``out_dir``: ``bases.csv``, ``values.csv``, the panel
    roster ``organisations.csv``, ``experts.csv``, ``conflicts.csv``, and the exchange's
    needs and offers ``posts.csv`` (``core.matching.exchange.POSTS_COLUMNS``; ``tags`` and
    ``preferred_regions`` ``;``-separated; ``expires`` relative to
    ``demo.exchange.SAMPLE_AS_OF``).

    ``bases.csv`` carries the base's domain tags in a ``fields`` column appended after the
    interchange columns, whose values are those of ``sample_bases`` unchanged; ``values.csv`` is
    as before the roster existed. UTF-8 with a byte-order mark (so that Excel opens them
    correctly), a header row and LF line ends; existing files of those names are replaced.
    Returns ``{"bases": path, "values": path, "organisations": path, "experts": path,
    "conflicts": path, "posts": path}``.
    """
    out_dir = Path(out_dir)
    bases = sample_bases(seed)
    values = sample_values(bases, seed)
    roster = sample_roster(bases, seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = {
        "bases": bases.assign(fields=sample_base_fields(bases, seed)),
        "values": values,
        "organisations": roster["organisations"],
        "experts": roster["experts"],
        "conflicts": roster["conflicts"],
        "posts": _posts_for_file(sample_posts(bases, seed)),
    }
    paths = {name: out_dir / f"{name}.csv" for name in frames}
    for name, frame in frames.items():
        frame.to_csv(paths[name], index=False, encoding="utf-8-sig", lineterminator="\n")
    return paths


def _posts_for_file(posts: pd.DataFrame) -> pd.DataFrame:
    return posts.assign(
        tags=posts["tags"].map(";".join),
        preferred_regions=posts["preferred_regions"].map(";".join),
    )


# --- the panel roster ------------------------------------------------------------------------

# The base fields and the roster draw from their own streams, so that adding them left the
# bases and values of every seed as they were.
_FIELDS_STREAM = 2
_ROSTER_STREAM = 3

# Domain tags a base of each category tends to have: a service tag first, then industries.
_CATEGORY_SERVICE_TAGS = {
    "region": ("incubation", "tech_finance", "talent_policy"),
    "university_institute": ("ie_education", "tech_transfer"),
    "enterprise": ("incubation", "tech_finance", "tech_transfer"),
}
_INDUSTRY_TAGS = (
    "ai",
    "digital_economy",
    "advanced_manufacturing",
    "biomedicine",
    "new_materials",
    "energy_environment",
    "modern_agriculture",
)

#: Provinces of the 21 demo local science associations (地方科协).
LOCAL_ASSOCIATION_PROVINCES = (
    "12", "13", "14", "21", "23", "31", "32", "33", "34", "35", "37",
    "41", "42", "43", "44", "50", "51", "53", "61", "62", "65",
)  # fmt: skip
#: The 25 demo national societies (全国学会): (Chinese name, English name, tag, province), the
#: societies' real names (not all are 中国…学会: 中华医学会, 中国化学会, 创新方法研究会, ...);
#: most sit in Beijing.
NATIONAL_SOCIETIES = (
    ("中国机械工程学会", "Chinese Mechanical Engineering Society", "advanced_manufacturing", "11"),
    ("中国电子学会", "Chinese Institute of Electronics", "digital_economy", "11"),
    ("中国计算机学会", "China Computer Federation", "ai", "11"),
    ("中国化学会", "Chinese Chemical Society", "new_materials", "11"),
    ("中国材料研究学会", "Chinese Materials Research Society", "new_materials", "11"),
    ("中国生物工程学会", "Chinese Society of Biotechnology", "biomedicine", "11"),
    ("中国药学会", "Chinese Pharmaceutical Association", "biomedicine", "11"),
    (
        "中国农学会",
        "China Association of Agricultural Science Societies",
        "modern_agriculture",
        "11",
    ),
    ("中国环境科学学会", "Chinese Society for Environmental Sciences", "energy_environment", "11"),
    ("中国能源研究会", "China Energy Research Society", "energy_environment", "11"),
    ("中国自动化学会", "Chinese Association of Automation", "advanced_manufacturing", "11"),
    ("中国人工智能学会", "Chinese Association for Artificial Intelligence", "ai", "11"),
    ("中国管理现代化研究会", "China Society of Management Modernization", "incubation", "11"),
    (
        "中国科技金融促进会",
        "China Association for Science and Technology Finance",
        "tech_finance",
        "31",
    ),
    ("中国技术经济学会", "Chinese Society of Technology Economics", "tech_transfer", "11"),
    ("创新方法研究会", "China Innovation Method Society", "ie_education", "11"),
    (
        "中国科学学与科技政策研究会",
        "Chinese Association for Science of Science and S&T Policy",
        "talent_policy",
        "11",
    ),
    ("中国汽车工程学会", "China Society of Automotive Engineers", "advanced_manufacturing", "31"),
    ("中国通信学会", "China Institute of Communications", "digital_economy", "11"),
    ("中国仪器仪表学会", "China Instrument and Control Society", "advanced_manufacturing", "11"),
    ("中国纺织工程学会", "China Textile Engineering Society", "new_materials", "11"),
    (
        "中国食品科学技术学会",
        "Chinese Institute of Food Science and Technology",
        "modern_agriculture",
        "11",
    ),
    ("中国高等教育学会", "China Association of Higher Education", "ie_education", "11"),
    ("中华医学会", "Chinese Medical Association", "biomedicine", "42"),
    ("中国生态学学会", "Ecological Society of China", "energy_environment", "11"),
)
#: The 12 demo third-party institutions (第三方机构): (province, Chinese, English kind).
THIRD_PARTY_INSTITUTIONS = (
    ("11", "科技评估中心", "S&T evaluation centre"),
    ("11", "创新发展研究院", "institute of innovation and development"),
    ("31", "科技咨询有限公司", "S&T consulting company"),
    ("44", "创业服务评估中心", "entrepreneurship services evaluation centre"),
    ("32", "产业研究院", "industry research institute"),
    ("33", "数字经济研究院", "digital economy research institute"),
    ("51", "科技评估中心", "S&T evaluation centre"),
    ("42", "技术转移研究院", "technology transfer institute"),
    ("61", "科技咨询有限公司", "S&T consulting company"),
    ("37", "科技评估中心", "S&T evaluation centre"),
    ("21", "产业发展研究院", "institute of industrial development"),
    ("50", "创新创业研究院", "innovation and entrepreneurship institute"),
)
_THIRD_PARTY_TAGS = ("incubation", "tech_finance", "tech_transfer", "talent_policy")
_LOCAL_ASSOCIATION_TAGS = ("incubation", "talent_policy", "ie_education", "tech_transfer")

#: Experts per organisation, by kind: 21 x 5 + 25 x 6 + 12 x 4 = 303.
EXPERTS_PER_ORGANISATION = {"local_association": 5, "national_society": 6, "third_party": 4}
# Chance of each role by kind (professional, operational); an expert has at least one.
_ROLE_CHANCE = {
    "local_association": (0.6, 0.6),
    "national_society": (0.9, 0.2),
    "third_party": (0.3, 0.9),
}
# A national society's members live all over the country; this share of them outside Beijing.
_NATIONAL_MEMBERS_ELSEWHERE = 0.5
_MAX_PANELS_CHOICES, _MAX_PANELS_WEIGHTS = (1, 2, 3), (0.5, 0.4, 0.1)
CONFLICT_COUNT = 8
_CONFLICT_REASONS = (
    "曾在该基地任职 former employee of the base",
    "近三年与该基地有合作项目 joint project with the base in the last three years",
    "亲属在该基地工作 a relative works at the base",
    "持有该基地孵化企业股份 holds shares in a company incubated by the base",
)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "涛", "明", "超")


def sample_base_fields(bases: pd.DataFrame, seed: int = 0) -> list[str]:
    """Demo domain tags of each base, ';'-separated (``incubation;ai``): one service tag typical
    of the base's category and one or two industry tags; from ``FIELD_TAGS``."""
    _check_seed(seed)
    rng = np.random.default_rng([_FIELDS_STREAM, seed])
    out = []
    for category in bases["category"]:
        service = _CATEGORY_SERVICE_TAGS[category]
        tags = [str(rng.choice(service))]
        count = int(rng.choice((1, 2), p=(0.4, 0.6)))
        tags += [str(t) for t in rng.choice(_INDUSTRY_TAGS, size=count, replace=False)]
        out.append(";".join(tags))
    return out


def _sample_organisations() -> pd.DataFrame:
    rows = []
    for province in LOCAL_ASSOCIATION_PROVINCES:
        names = PROVINCE_BY_CODE[province]
        rows.append(
            {
                "code": f"LSA-{province}",
                "name_zh": f"演示：{names.name_zh}科学技术协会",
                "name_en": f"Demo: {names.name_en} Association for Science and Technology",
                "kind": "local_association",
                "province": province,
            }
        )
    for number, (zh, en, _tag, province) in enumerate(NATIONAL_SOCIETIES, start=1):
        rows.append(
            {
                "code": f"NS-{number:02d}",
                "name_zh": f"演示：{zh}",
                "name_en": f"Demo: {en}",
                "kind": "national_society",
                "province": province,
            }
        )
    for number, (province, zh, en) in enumerate(THIRD_PARTY_INSTITUTIONS, start=1):
        names = PROVINCE_BY_CODE[province]
        rows.append(
            {
                "code": f"TP-{number:02d}",
                "name_zh": f"演示：{names.name_zh}{zh}",
                "name_en": f"Demo: {names.name_en} {en}",
                "kind": "third_party",
                "province": province,
            }
        )
    return pd.DataFrame(rows, columns=["code", "name_zh", "name_en", "kind", "province"])


def _organisation_tags(code: str, kind: str) -> tuple[str, ...]:
    if kind == "national_society":
        return (NATIONAL_SOCIETIES[int(code[3:]) - 1][2],)
    if kind == "third_party":
        return _THIRD_PARTY_TAGS
    return _LOCAL_ASSOCIATION_TAGS


def sample_roster(bases: pd.DataFrame, seed: int = 0) -> dict[str, pd.DataFrame]:
    """The demo panel roster: organisations, experts and declared conflicts.

    Returns
    -------
    dict of pandas.DataFrame
        ``organisations`` (``code, name_zh, name_en, kind, province``): 21 local science
        associations, 25 national societies (most in Beijing) and 12 third-party institutions,
        as on the poster. ``experts`` (``code, name, organisation, province, fields, roles,
        max_panels``): 303 demo experts; an expert's province is the organisation's, except
        for half of the national societies' members, who live elsewhere; fields and roles are
        ';'-separated. ``conflicts`` (``expert_code, base_code, reason``): a few declared
        conflicts with bases in other provinces. The same bases and seed give the same frames.
    """
    _check_seed(seed)
    rng = np.random.default_rng([_ROSTER_STREAM, seed])
    organisations = _sample_organisations()
    codes = [p.code for p in PROVINCES]
    weights = np.array(
        [REGION_WEIGHT[p.region] * PROVINCE_FACTOR.get(p.code, 1.0) for p in PROVINCES]
    )
    weights = weights / weights.sum()
    experts = []
    for org in organisations.itertuples(index=False):
        own_tags = _organisation_tags(org.code, org.kind)
        for _ in range(EXPERTS_PER_ORGANISATION[org.kind]):
            number = len(experts) + 1
            province = org.province
            if org.kind == "national_society" and rng.random() < _NATIONAL_MEMBERS_ELSEWHERE:
                province = str(rng.choice(codes, p=weights))
            tags = [str(rng.choice(own_tags))]
            for tag in rng.choice(list(FIELD_TAGS), size=int(rng.integers(0, 3)), replace=False):
                if str(tag) not in tags:
                    tags.append(str(tag))
            professional, operational = _ROLE_CHANCE[org.kind]
            roles = [
                role
                for role, chance in (("professional", professional), ("operational", operational))
                if rng.random() < chance
            ] or [str(rng.choice(("professional", "operational")))]
            name = _SURNAMES[int(rng.integers(len(_SURNAMES)))] + str(rng.choice(_GIVEN))
            experts.append(
                {
                    "code": f"EXP-{number:03d}",
                    "name": f"{name}（演示 demo {number:03d}）",
                    "organisation": org.code,
                    "province": province,
                    "fields": ";".join(tags),
                    "roles": ";".join(roles),
                    "max_panels": int(rng.choice(_MAX_PANELS_CHOICES, p=_MAX_PANELS_WEIGHTS)),
                }
            )
    experts = pd.DataFrame(experts)
    conflicts = []
    base_province = dict(zip(bases["code"], bases["province"], strict=True))
    while len(conflicts) < CONFLICT_COUNT:
        expert = experts.iloc[int(rng.integers(len(experts)))]
        base = str(bases["code"].iloc[int(rng.integers(len(bases)))])
        taken = {(c["expert_code"], c["base_code"]) for c in conflicts}
        if base_province[base] == expert["province"] or (expert["code"], base) in taken:
            continue
        conflicts.append(
            {
                "expert_code": expert["code"],
                "base_code": base,
                "reason": str(rng.choice(_CONFLICT_REASONS)),
            }
        )
    conflicts = pd.DataFrame(conflicts, columns=["expert_code", "base_code", "reason"])
    return {"organisations": organisations, "experts": experts, "conflicts": conflicts}
