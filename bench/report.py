"""Time the campaign report PDF plus one profile PDF per base (212 bases), from a payload.

    PYTHONPATH=src python bench/report.py [--bases 212] [--lang zh]

The bases are the demo campaign's 120 (``mieval sample``) plus copies of its 2017 batch as
a 2020 batch, with their values, up to ``--bases`` (212 = the three batches 28 + 92 + 92).
Prints the wall-clock time of each step and the total; the target is under two minutes.
"""

import argparse
import os
import sys
import time


def bases_and_values(count: int):
    import pandas as pd

    from mieval.demo.campaign import sample_bases, sample_values

    bases = sample_bases(0)
    values = sample_values(bases, 0)
    values = values.loc[values["value"].astype(str).str.len() > 0].copy()
    values["value"] = values["value"].astype(float)
    extra = count - len(bases)
    if extra > 0:
        source = bases.loc[bases["batch"] == 2017].head(extra).copy()
        mapping = {code: f"MIE-2020-{n + 1:03d}" for n, code in enumerate(source["code"].tolist())}
        source["code"] = source["code"].map(mapping)
        source["batch"] = 2020
        copied = values.loc[values["base_code"].isin(set(mapping))].copy()
        copied["base_code"] = copied["base_code"].map(mapping)
        bases = pd.concat([bases, source], ignore_index=True)
        values = pd.concat([values, copied], ignore_index=True)
    return bases.head(count), values


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bases", type=int, default=212)
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieval.settings")
    import django

    django.setup()
    from mieval.core.indicators import builtin_indicators_frame
    from mieval.core.reports.payload import payload_hash
    from mieval.reports.build import payload_from_frames, profiles_build, report_build

    start = time.perf_counter()
    bases, values = bases_and_values(args.bases)
    payload = payload_from_frames(bases, values, builtin_indicators_frame())
    content_hash = payload_hash(payload)
    prepared = time.perf_counter()
    report = report_build(payload, content_hash=content_hash, lang=args.lang, fmt="pdf")
    reported = time.perf_counter()
    profiles = profiles_build(payload, content_hash=content_hash, lang=args.lang, fmt="pdf")
    done = time.perf_counter()
    print(f"bases: {len(bases)}, values: {len(payload['values'])}, language: {args.lang}")
    print(f"payload and hash:        {prepared - start:6.1f} s")
    print(f"campaign report PDF:     {reported - prepared:6.1f} s  ({len(report):,} bytes)")
    sizes = sum(len(v) for v in profiles.values())
    print(f"{len(profiles)} base profiles PDF: {done - reported:6.1f} s  ({sizes:,} bytes in all)")
    total = done - start
    print(f"total:                   {total:6.1f} s  (target: under 120 s)")
    return 0 if total < 120 else 1


if __name__ == "__main__":
    sys.exit(main())
