"""Översikt's tiles named two Sep–Aug years over a comparison of their first months only (desk10's
Botkyrka: "av 55 jämförelser, 2025–2026 → 2026–2027" under a heading that, since 86ce03a, says
"bara sep 2026 mot sep 2025"). They name the months counted when every tested row counts the same
months, and the years otherwise."""

from __future__ import annotations

import pandas as pd

from lagesbild.figures.overview import make_overview_tiles


def _cmp(like_for_like, p_values):
    n = len(like_for_like)
    return pd.DataFrame({
        "significant": [False] * n, "verdict": ["ingen säkerställd förändring"] * n, "p_value": p_values,
        "period_a": ["2025–2026"] * n, "period_b": ["2026–2027"] * n, "like_for_like": like_for_like,
        "start_a": pd.to_datetime(["2025-09-01"] * n), "end_a": pd.to_datetime(["2025-09-30"] * n),
        "start_b": pd.to_datetime(["2026-09-01"] * n), "end_b": pd.to_datetime(["2026-09-30"] * n)})


def _details(cmp):
    tiles = make_overview_tiles(data_until="2026-09-30", n_places=2, comparison=cmp)
    return {t["detail"] for t in tiles if t["label"].startswith("Säkerställda")}


def test_tiles_name_the_months_of_a_part_year():
    assert _details(_cmp([True, True, False], [0.4, 0.3, None])) == {"av 2 jämförelser, sep 2025 → sep 2026"}


def test_tiles_name_the_years_when_rows_differ():
    assert _details(_cmp([True, False], [0.4, 0.3])) == {"av 2 jämförelser, 2025–2026 → 2026–2027"}
    assert _details(_cmp([False, False], [0.4, 0.3])) == {"av 2 jämförelser, 2025–2026 → 2026–2027"}
