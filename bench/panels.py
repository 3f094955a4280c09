"""Time the panel optimiser on the target campaign (212 bases, 400 experts, 45 groups), the
demo campaign (120 bases, 303 experts, 40 groups) and a 212-base campaign with the demo's 303
experts (the 120 plus 92 bases of a 2020 batch, 71 groups), with the default rules.

Run: ``PYTHONPATH=src python bench/panels.py [--time-limit SECONDS] [--workers N] [--seed S]
[--only NAME]``.
Prints status, objective, bound, gap and wall-clock seconds for each instance.
"""

import argparse
import time

import pandas as pd

from mieval.core.panels.optimiser import PanelConfig, panels_form
from mieval.demo.campaign import sample_base_fields, sample_bases, sample_roster


def demo_instance(seed: int = 0):
    bases = sample_bases(seed)
    bases = bases.assign(fields=sample_base_fields(bases, seed))
    return bases, sample_roster(bases, seed)


def campaign_212():
    bases, roster = demo_instance(0)
    extra = sample_bases(1).iloc[:92].copy()
    extra = extra.assign(fields=sample_base_fields(extra, 1), batch=2020)
    extra["code"] = [f"MIE-2020-{i:03d}" for i in range(1, 93)]
    return pd.concat([bases, extra], ignore_index=True), roster


def campaign_target():
    """The issue's target: the 212 bases, 400 experts (the 303 of the demo roster plus the
    first 97 of the roster drawn with seed 1, renumbered EXP-304..EXP-400, same organisations,
    with their declared conflicts), 45 groups."""
    bases, roster = campaign_212()
    other = sample_roster(bases, 1)
    extra = other["experts"].iloc[:97].copy()
    renamed = {old: f"EXP-{304 + i:03d}" for i, old in enumerate(extra["code"])}
    extra["code"] = extra["code"].map(renamed)
    conflicts = other["conflicts"][other["conflicts"]["expert_code"].isin(renamed)].copy()
    conflicts["expert_code"] = conflicts["expert_code"].map(renamed)
    experts = pd.concat([roster["experts"], extra], ignore_index=True)
    conflicts = pd.concat([roster["conflicts"], conflicts], ignore_index=True)
    return bases, {
        "organisations": roster["organisations"],
        "experts": experts,
        "conflicts": conflicts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0, help="the solver's seed")
    parser.add_argument("--only", default="", help="run the instances whose name has this text")
    args = parser.parse_args()
    for name, (bases, roster), groups in (
        ("target, 212 bases", campaign_target(), 45),
        ("demo, 120 bases", demo_instance(), None),
        ("212 bases", campaign_212(), None),
    ):
        if args.only and args.only not in name:
            continue
        config = PanelConfig(
            groups=groups, time_limit=args.time_limit, num_workers=args.workers, seed=args.seed
        )
        start = time.monotonic()
        result = panels_form(
            bases, roster["experts"], roster["organisations"], roster["conflicts"], config
        )
        seconds = time.monotonic() - start
        gap = "-" if result.gap is None else f"{result.gap:.2%}"
        print(
            f"{name}: {len(roster['experts'])} experts, {config.group_count(len(bases))} groups:"
            f" status {result.status}, objective {result.objective}, bound {result.bound},"
            f" gap {gap}, {seconds:.1f} s"
        )


if __name__ == "__main__":
    main()
