"""The trend engine's paths for large inputs, against its simple paths; no database.

Above :data:`~mieval.core.trends.table._CHUNK_ROWS` (262,144) rows the counting pass runs its
chunks on several threads, and above 65,536 cells the median's radix sort takes more than one
16-bit pass. Small tables take neither, so the other tests never reach them. Here one table
large enough for both is computed on threads and on one thread, with the multi-pass radix sort
and with numpy's plain stable sort: the outputs must be equal to the last bit. A pandas
group-by gives the same counts, sums, means and medians exactly (the values are multiples of
1/8, so every sum is exact whatever the order of the additions).
"""

import numpy as np
import pandas as pd
import pytest

from mieval.core.trends import table as engine
from mieval.core.trends.table import trend_table

N_INDICATORS = 1500  # 1,500 indicators x 60 years = 90,000 cells > 65,536, even in one group
YEARS = range(1950, 2010)
BASES = pd.DataFrame(
    [
        ("A", "region", "county", "11", 2016),
        ("B", "region", "new_area", "14", 2017),
        ("C", "enterprise", "private", "21", 2017),
        ("D", "university_institute", "st_university", "44", 2016),
        ("E", "enterprise", "state_owned", "51", 2018),
        ("F", "university_institute", "st_university", "42", 2018),
    ],
    columns=["code", "category", "subcategory", "province", "batch"],
)


def large_values(seed: int, *, dyadic: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """6 bases x 1,500 indicators x 60 years = 540,000 rows (three chunks), a tenth missing."""
    rng = np.random.default_rng(seed)
    codes = [f"i{k:04d}" for k in range(N_INDICATORS)]
    index = pd.MultiIndex.from_product(
        [BASES["code"], codes, YEARS], names=["base_code", "indicator_code", "year"]
    )
    values = index.to_frame(index=False)
    if dyadic:
        numbers = rng.integers(-8_000, 80_000, len(values)) / 8
    else:
        numbers = rng.lognormal(3, 2, len(values)) * rng.choice([-1, 1], len(values))
    numbers[rng.random(len(values)) < 0.1] = np.nan
    values["value"] = numbers
    values = values.sample(frac=1, random_state=seed).reset_index(drop=True)  # any row order
    # Medians for a third, sums for a third, means for the rest.
    stats = np.array(["median", "sum", "mean"])[np.arange(N_INDICATORS) % 3]
    return values, pd.DataFrame({"code": codes, "stat": stats})


@pytest.fixture(scope="module")
def dyadic():
    return large_values(1, dyadic=True)


@pytest.fixture(scope="module")
def floats():
    return large_values(2, dyadic=False)


def test_the_data_takes_the_large_paths(dyadic):
    values, indicators = dyadic

    assert len(values) == 540_000 > 2 * engine._CHUNK_ROWS == 2 * 262_144
    assert len(indicators) * len(YEARS) == 90_000 > 1 << 16


class Spy:
    """Records the threads asked for and the numbers of cells the radix sort saw."""

    def __init__(self, monkeypatch, *, cpus: int, radix: bool):
        self.workers: list[int] = []
        self.sorted_cells: list[int] = []
        real_pool, real_order = engine.ThreadPoolExecutor, engine._stable_order

        def pool(max_workers):
            self.workers.append(max_workers)
            return real_pool(max_workers=max_workers)

        def order(keys, n_cells):
            self.sorted_cells.append(n_cells)
            if radix:
                return real_order(keys, n_cells)
            return np.argsort(keys, kind="stable")  # the simple path: one stable sort

        monkeypatch.setattr(engine.os, "cpu_count", lambda: cpus)
        monkeypatch.setattr(engine, "ThreadPoolExecutor", pool)
        monkeypatch.setattr(engine, "_stable_order", order)


def table_with(monkeypatch, data, *, cpus: int, radix: bool, **options):
    with monkeypatch.context() as patch:
        spy = Spy(patch, cpus=cpus, radix=radix)
        result = trend_table(*data[:1], BASES, data[1], **options)
    return result, spy


def assert_same(a, b):
    pd.testing.assert_frame_equal(a.yearly, b.yearly, check_exact=True)
    pd.testing.assert_frame_equal(a.growth, b.growth, check_exact=True)
    assert (a.by, a.years, a.stats) == (b.by, b.years, b.stats)


@pytest.mark.parametrize("by", [None, "category"])
def test_threads_and_radix_passes_give_the_simple_paths_result(monkeypatch, floats, by):
    large, large_spy = table_with(monkeypatch, floats, cpus=4, radix=True, by=by)
    simple, simple_spy = table_with(monkeypatch, floats, cpus=1, radix=False, by=by)

    # Three chunks of rows on three threads (one per chunk at most); no pool on one CPU.
    assert (large_spy.workers, simple_spy.workers) == ([3], [])
    cells = N_INDICATORS * len(YEARS) * (1 if by is None else 3)
    assert large_spy.sorted_cells == simple_spy.sorted_cells == [cells]
    # Equal to the last bit, though the floats' sums depend on the order of the additions
    # (three partial sums per cell): they are added in chunk order whatever the threads.
    assert_same(large, simple)


def test_a_trimmed_balanced_table_is_the_same_on_both_paths(monkeypatch, floats):
    options = {"by": "category", "year_from": 1960, "year_to": 2005, "balanced": True}

    large, large_spy = table_with(monkeypatch, floats, cpus=4, radix=True, **options)
    simple, _ = table_with(monkeypatch, floats, cpus=1, radix=False, **options)

    assert large_spy.workers == [3]
    assert large.years == list(range(1960, 2006))
    assert_same(large, simple)


def test_the_large_paths_equal_a_pandas_group_by(monkeypatch, dyadic):
    values, indicators = dyadic
    table, spy = table_with(monkeypatch, dyadic, cpus=4, radix=True, by="category")
    assert spy.workers == [3]

    category = values["base_code"].map(BASES.set_index("code")["category"])
    grouped = values.dropna(subset=["value"]).groupby(
        [values["indicator_code"], category, values["year"]]
    )["value"]
    stat = indicators.set_index("code")["stat"]
    expected = pd.DataFrame(
        {
            "n": grouped.count(),
            "mean": grouped.sum() / grouped.count(),
            "median": grouped.median(),
            "sum": grouped.sum(),
        }
    )
    expected.index.names = ["indicator", "group", "year"]
    expected = expected.reset_index()
    expected["value"] = [
        row[stat[row["indicator"]]]
        for row in expected[["indicator", "mean", "median", "sum"]].to_dict("records")
    ]
    got = table.yearly.astype({"indicator": str, "group": str})
    assert got.loc[got["n"] == 0, "value"].isna().all()
    got = got[got["n"] > 0].set_index(["indicator", "group", "year"]).sort_index()
    want = expected.set_index(["indicator", "group", "year"]).sort_index()

    # Every cell with a value (the others have n = 0 and no figure), and no other.
    assert got.index.equals(want.index)
    assert len(got) > 200_000
    assert got["n"].astype("int64").tolist() == want["n"].astype("int64").tolist()
    assert np.array_equal(got["value"].to_numpy(float), want["value"].to_numpy(float))


@pytest.mark.parametrize("bits", [17, 33, 40])
def test_the_radix_order_is_a_stable_argsort_on_keys_of_more_than_16_bits(bits):
    rng = np.random.default_rng(bits)
    n_cells = (1 << bits) - 3
    # Few distinct keys, so that ties are many and stability is tested, over the whole range.
    distinct = np.concatenate([[0, n_cells - 1], rng.integers(0, n_cells, 2_000)])
    keys = rng.choice(distinct, 300_000).astype(np.int64 if bits > 31 else np.int32)

    order = engine._stable_order(keys, n_cells)

    assert np.array_equal(order, np.argsort(keys, kind="stable"))
