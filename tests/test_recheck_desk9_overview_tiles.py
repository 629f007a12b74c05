"""Översikt's tiles counted every row of the comparison ("av 73 jämförelser") while the table's note
counted the comparisons tested ("69 jämförelser visas samtidigt och har korrigerats …"): in desk9's
fictitious Södertälje store four rows of the kommun were "kan inte bedömas: data saknas för 12
månader" (no p-value). The tiles now count the tested rows, as the note does."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.figures.overview import make_overview_tiles


def _comparison():
    # three comparisons tested (p-values), one not (data missing): by hand, 3 tested, 1 increase
    return pd.DataFrame({
        "place_id": ["ronna", "ronna", "hovsjo", "sodertalje"],
        "category": ["skadegorelse", "narkotikabrott", "skadegorelse", "inbrott"],
        "period_a": ["2024–2025"] * 4, "period_b": ["2025–2026"] * 4,
        "p_value": [0.0001, 0.9, 0.5, np.nan],
        "significant": [True, False, False, None],
        "verdict": ["ökning, statistiskt säkerställd", "ingen säkerställd förändring",
                    "ingen säkerställd förändring", "kan inte bedömas: data saknas för 12 månader"]})


def test_tiles_count_the_tested_comparisons():
    tiles = {t["label"]: t for t in make_overview_tiles(n_places=3, comparison=_comparison())}
    up, down = tiles["Säkerställda ökningar"], tiles["Säkerställda minskningar"]
    assert up["value"] == "1" and down["value"] == "0"
    assert up["detail"].startswith("av 3 jämförelser,") and down["detail"].startswith("av 3 jämförelser,")


def test_tiles_agree_with_the_family_size_of_the_note():
    cmp = _comparison()
    cmp.attrs["fdr"] = {"m": 3}  # the note's count: the p-values adjusted together
    tiles = make_overview_tiles(comparison=cmp)
    assert all(f"av {cmp.attrs['fdr']['m']} jämförelser" in t["detail"] for t in tiles
               if t["label"].startswith("Säkerställda"))
