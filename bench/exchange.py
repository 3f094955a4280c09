"""Time the exchange matching: 5,000 needs x 5,000 offers, top 10 offers per need.

Run: ``PYTHONPATH=src python bench/exchange.py [--needs N] [--offers N] [--k K] [--seed S]``.
Prints the wall-clock and CPU seconds of ``offers_match`` (TF-IDF of all posts, chunked sparse
product, tag, region and type parts, top k by argpartition, shared terms and explanations),
the peak resident memory of the process (``ru_maxrss``) and PASS when the wall-clock time is under
``--limit`` seconds (10). On a shared machine the CPU time is the steadier figure.

The posts are synthetic but shaped like real ones: each text joins 3 to 6 clauses drawn from
the hand-written labelled set (``src/mieval/core/matching/tests/data/labelled.csv``), so the term
frequencies are those of real Chinese and English posts; half the posts are Chinese, half
English, a tenth mixed. 1,000 bases over all provinces and the three base categories; 40 tags;
a quarter of the posts prefer a region; 5% have expired.
"""

import argparse
import re
import resource
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from mieval.core.matching.exchange import POST_CATEGORIES, POSTS_COLUMNS, offers_match
from mieval.core.reference import CATEGORIES, PROVINCES, REGIONS

LABELLED = Path(__file__).parents[1] / "src/mieval/core/matching/tests/data/labelled.csv"
AS_OF = date(2026, 6, 1)


def clauses() -> tuple[list[str], list[str]]:
    table = pd.read_csv(LABELLED, dtype=str, keep_default_na=False)
    texts = [t for t in pd.concat([table["need_text"], table["offer_text"]]) if t]
    zh, en = [], []
    for text in texts:
        for part in re.split(r"[，。；,.;]\s*", text):
            if part.strip():
                (zh if re.search(r"[\u4e00-\u9fff]", part) else en).append(part.strip())
    return zh, en


def synthetic(needs: int, offers: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    zh, en = clauses()
    n_bases = 1000
    bases = pd.DataFrame(
        {
            "code": [f"B{i:04d}" for i in range(n_bases)],
            "category": rng.choice([c.code for c in CATEGORIES], n_bases),
            "province": rng.choice([p.code for p in PROVINCES], n_bases),
        }
    )
    tags = [f"tag{i}" for i in range(40)]
    regions = [r.code for r in REGIONS] + ["central_west"]
    total = needs + offers
    rows = []
    for i in range(total):
        language = "zh" if rng.random() < 0.5 else "en"
        pool = zh if language == "zh" else en
        parts = list(rng.choice(pool, rng.integers(3, 7)))
        if rng.random() < 0.1:
            parts.append(str(rng.choice(en if language == "zh" else zh)))
        sep = "，" if language == "zh" else ", "
        rows.append(
            (
                f"P{i:05d}",
                bases["code"].iloc[rng.integers(n_bases)],
                "need" if i < needs else "offer",
                str(rng.choice(POST_CATEGORIES)),
                str(parts[0]),
                sep.join(parts[1:]),
                tuple(rng.choice(tags, rng.integers(0, 4), replace=False)),
                language,
                tuple(rng.choice(regions, 1)) if rng.random() < 0.25 else (),
                date(2026, 5, 1) if rng.random() < 0.05 else date(2027, 1, 1),
            )
        )
    return pd.DataFrame(rows, columns=POSTS_COLUMNS), bases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--needs", type=int, default=5000)
    parser.add_argument("--offers", type=int, default=5000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=float, default=10.0)
    args = parser.parse_args()
    posts, bases = synthetic(args.needs, args.offers, args.seed)
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu_start = time.perf_counter(), time.process_time()
    matches = offers_match(posts, bases, as_of=AS_OF, k=args.k)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    verdict = "PASS" if seconds < args.limit else "FAIL"
    print(
        f"{args.needs} needs x {args.offers} offers, top {args.k}: {len(matches)} rows,"
        f" {seconds:.2f} s wall, {cpu:.2f} s CPU; peak RSS {peak_kb / 1024:.0f} MiB"
        f" ({(peak_kb - before_kb) / 1024:.0f} MiB above the input's);"
        f" {verdict} (limit {args.limit:.0f} s)"
    )


if __name__ == "__main__":
    main()
