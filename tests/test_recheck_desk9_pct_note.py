"""Plats' comparison table shows one percentage, the last pair's, but its notes said "Procentuell
förändring kan inte beräknas när föregående period har 0" of every category with a 0 in any earlier
period: desk9's fictitious Mölnbo named Narkotikabrott (0, 1, 1, 1: "0,0 %") and Inbrott (0, 0, 3, 0:
"−100,0 %") beside the two it held for. The note names the categories whose shown percentage is
missing for that reason."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.core.pair_table import NOTES
from lagesbild.figures.tables import comparison_notes, make_comparison_wide

PCT = NOTES["pct"]


def _pairs(category, counts):
    """Consecutive pairs of one category; the note as core gives it, the pct note when 'before' is 0."""
    labels = ["2023–2024", "2024–2025", "2025–2026", "2026–2027"]
    rows = []
    for i in range(len(counts) - 1):
        a, b, ca, cb = labels[i], labels[i + 1], counts[i], counts[i + 1]
        rows.append({"category": category, "period_a": a, "period_b": b, "count_a": ca, "count_b": cb,
                     "change": cb - ca, "pct_change": np.nan if ca == 0 else (cb - ca) / ca * 100,
                     "p_value": 1.0, "significant": False, "verdict": "ingen säkerställd förändring",
                     "note": PCT if ca == 0 else ""})
    return rows


def test_the_pct_note_names_only_the_categories_whose_last_percentage_is_missing():
    comp = pd.DataFrame(_pairs("narkotikabrott", [0, 1, 1, 1]) + _pairs("inbrott", [0, 0, 3, 0])
                        + _pairs("personran", [1, 1, 0, 2]))
    table = make_comparison_wide(comp, category_names={"narkotikabrott": "Narkotikabrott",
                                                       "inbrott": "Inbrott", "personran": "Personrån"})
    shown = dict(zip(table["Kategori"], table["Förändring (%)"], strict=True))
    assert shown["Personrån"] == "–"  # 0 → 2: by hand, no percentage
    notes = comparison_notes(table)
    pct = [n for n in notes if PCT in n]
    assert pct == [f"Personrån: {PCT}"], notes
