"""The before/after tables' Förändring without counts is "–", not "– (–)"; from 0 it is the change alone.

dash's "noticed": an activity at a place without crime data showed "– (–)" on Plats and Åtgärdsplan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.figures.effects_table import make_effects_table

NBSP = "\u00a0"


def _row(before, after, change, pct):
    return {"aktivitet": "A", "category": "alla", "before_label": "jan–dec 2018", "after_label": "jan–dec 2019",
            "count_before": before, "count_after": after, "change": change, "pct_change": pct,
            "significant": False, "verdict": "kan inte bedömas", "wdd_verdict": None, "note": ""}


def test_change_text_without_counts_and_from_zero():
    eff = make_effects_table(pd.DataFrame([_row(np.nan, np.nan, np.nan, np.nan), _row(0, 5, 5, np.nan),
                                           _row(100, 80, -20, -20.0)]))
    assert eff["Förändring"].tolist() == ["–", "+5", f"\u221220 (\u221220{NBSP}%)"]
