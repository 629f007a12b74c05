"""Guards from stats4's review (they pass on the code before the review too): the conditional odds
ratio and its exact interval against scipy, its sample counterpart against statsmodels' Table2x2, and
the concentration of incidents in the top cells against a hand computation on seeded grids."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats.contingency import odds_ratio
from statsmodels.stats.contingency_tables import Table2x2

from lagesbild.core.concentration import concentration, top_cells
from lagesbild.core.oddsratio import conditional_odds_ratio


def test_conditional_odds_ratio_equals_scipy_on_seeded_tables():
    rng = np.random.default_rng(46)
    worst = 0.0
    for _ in range(60):
        t = rng.poisson(rng.choice([3, 20, 300]), size=(2, 2)) + 1
        ref = odds_ratio(t, kind="conditional")
        ci = ref.confidence_interval(0.95)
        got = conditional_odds_ratio(t, 0.95)
        for a, b in zip(got, (ref.statistic, ci.low, ci.high), strict=True):
            worst = max(worst, abs(math.log(a) - math.log(b)))
    assert worst < 1e-6, worst


def test_large_tables_conditional_and_sample_odds_ratio_agree_with_statsmodels():
    t = np.array([[1100, 1000], [1210, 1000]])
    est, low, high = conditional_odds_ratio(t)
    sm = Table2x2(t)
    assert est == pytest.approx(sm.oddsratio, rel=1e-3)
    lo_sm, hi_sm = sm.oddsratio_confint(0.05)
    assert (low, high) == pytest.approx((lo_sm, hi_sm), rel=5e-3)


def test_concentration_equals_the_hand_computed_share_of_the_top_cells():
    rng = np.random.default_rng(7)
    for n in (1, 4, 19, 20, 21, 200, 713):
        counts = rng.negative_binomial(0.5, 0.1, n)
        got = concentration(counts)
        tops = top_cells(counts)
        for share, top in zip((0.05, 0.10), tops, strict=True):
            k = max(1, math.ceil(share * n - 1e-9))
            ordered = sorted(counts.tolist(), reverse=True)
            ref = sum(ordered[:k]) / sum(ordered) if sum(ordered) else math.nan
            assert (math.isnan(ref) and math.isnan(got[share])) or got[share] == pytest.approx(ref, abs=1e-15)
            assert top["cells"] == min(k, n) and top["cell_share"] == pytest.approx(min(k, n) / n)
