"""The place is never part of its own comparison area.

The default comparison (the rest of the district) takes the place out; a comparison area given as a
list of places (``comparison_ids``) that named the place itself counted its crimes on both sides of
the test, which pulls the ratio of ratios towards 1. Expected counts by hand; the test is Fisher's exact
test (scipy) on the 2 × 2 counts without the place in the comparison.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact

from lagesbild.core.effects import before_after

MONTHS = pd.date_range("2022-01-01", periods=12, freq="MS")


def test_the_place_named_in_its_comparison_area_is_left_out():
    rng = np.random.default_rng(8)
    counts = {"torg": np.r_[rng.poisson(5, 6), rng.poisson(15, 6)], "annan": rng.poisson(20, 12)}
    m = pd.concat([pd.DataFrame({"place_id": p, "category": "rån", "month": MONTHS, "count": v})
                   for p, v in counts.items()], ignore_index=True)
    row = before_after(m, place_id="torg", start="2022-07-01", months=6, category="rån",
                       comparison_ids=["torg", "annan"]).iloc[0]
    t0, t1 = int(counts["torg"][:6].sum()), int(counts["torg"][6:].sum())
    c0, c1 = int(counts["annan"][:6].sum()), int(counts["annan"][6:].sum())
    assert (row["comparison_before"], row["comparison_after"]) == (c0, c1)
    assert np.isclose(row["relative_p"], fisher_exact([[t1, t0], [c1, c0]]).pvalue)
    assert row["comparison"] == "annan"
