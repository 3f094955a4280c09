"""The data checks on simulated campaigns (issue 13, point 10): few false alarms on clean
panels, every planted anomaly found. Fixed seeds, exact counts; ``bench/check.py`` runs the
same on 300 panels and prints the rates."""

import numpy as np
import pandas as pd

from mieval.core.checks.run import data_check
from mieval.core.checks.simulation import (
    ANOMALY_KINDS,
    clean_panel,
    flagged_cells,
    planted_panel,
)

PANELS = 12
# Counted on seed 0: 30,761 values; 21 of them are bases' stable positions (info), none a
# warning or an error: 0.07%. (On the main of issue 13: 841 peer warnings, 2.7%.)
TOTAL = 30761
FLAGGED = {"error": 0, "warning": 0, "info": 21}


def test_clean_panels_have_few_false_alarms():
    rng = np.random.default_rng(0)
    total, flagged = 0, {"error": 0, "warning": 0, "info": 0}
    rules = set()
    for _ in range(PANELS):
        panel = clean_panel(rng)
        problems = data_check(panel.values, panel.bases)
        cells = flagged_cells(panel.values, problems)
        total += len(cells)
        for severity in flagged:
            flagged[severity] += int((cells["severity"] == severity).sum())
        rules |= set(zip(problems["rule"], problems["severity"], strict=True))

    assert total == TOTAL
    assert flagged == FLAGGED
    assert sum(flagged.values()) / total <= 0.005
    # Only bases that are large (or small) every year, said once each, as information.
    assert rules <= {("outlier_peers", "info")}


def test_every_planted_anomaly_is_found():
    rng = np.random.default_rng(1)
    found = dict.fromkeys(ANOMALY_KINDS, 0)
    key = ["base_code", "indicator_code", "year"]
    for _ in range(PANELS):
        panel = planted_panel(rng)
        problems = data_check(panel.values, panel.bases)
        cells = flagged_cells(panel.values, problems).merge(panel.planted, on=key)
        assert len(cells) == len(ANOMALY_KINDS)
        for kind, severity in zip(cells["kind"], cells["severity"], strict=True):
            found[kind] += severity in ("warning", "error")

    assert found == dict.fromkeys(ANOMALY_KINDS, PANELS)


def test_flagged_cells_spreads_a_problem_without_a_year_over_the_series():
    values = pd.DataFrame(
        {
            "base_code": ["A", "A", "B"],
            "indicator_code": ["x", "x", "x"],
            "year": [2016, 2017, 2016],
            "value": [1.0, 2.0, 3.0],
        }
    )
    problems = pd.DataFrame(
        {
            "base_code": ["A", "B"],
            "indicator_code": ["x", "x"],
            "year": pd.array([None, 2016], dtype="Int64"),
            "severity": ["info", "warning"],
        }
    )

    assert flagged_cells(values, problems)["severity"].tolist() == ["info", "info", "warning"]
