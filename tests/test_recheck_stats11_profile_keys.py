"""stats11: fcr_intervals took the trend table's profiles from attrs['profiles'] by row position, so a
table filtered or reordered between trend_table and fcr_intervals gave rows another row's interval (or,
with a row dropped, fell back to the Wald-like rescaling). The reference is statsmodels' Poisson GLM
profiled numerically at the family's level.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import optimize, stats

from lagesbild.core.fdr import adjust_table
from lagesbild.core.trend_family import fcr_intervals, trend_table, trend_verdicts


def _sm_llf(y, x, b):
    """The profile log-likelihood at ``b`` from statsmodels: the intercept fitted with ``b·x`` as offset."""
    fit = sm.GLM(np.asarray(y, float), np.ones((len(y), 1)), family=sm.families.Poisson(),
                 offset=b * np.asarray(x, float)).fit()
    return fit.llf


def _family(order):
    """Three categories' trends adjusted as one family, rows then put in ``order``."""
    t = pd.DataFrame({"category": ["a"] * 4 + ["b"] * 4 + ["c"] * 4, "days": 365,
                      "count": [120, 100, 85, 70, 50, 52, 49, 51, 30, 38, 45, 52]})
    adjusted = adjust_table(trend_table(t, by=["category"]), 0.05, verdicts=trend_verdicts)
    return adjusted, order(adjusted)


def _sm_profile(y, level):
    """statsmodels' profile-likelihood interval of the rate ratio (Poisson, positions 0, 1, …)."""
    x = np.arange(len(y), dtype=float)
    fit = sm.GLM(np.asarray(y, float), sm.add_constant(x), family=sm.families.Poisson()).fit()
    b_hat, top, c = fit.params[1], fit.llf, stats.chi2.ppf(level, 1)
    g = lambda b: 2 * (top - _sm_llf(y, x, b)) - c  # noqa: E731
    return math.exp(optimize.brentq(g, b_hat - 3, b_hat)), math.exp(optimize.brentq(g, b_hat, b_hat + 3))


@pytest.mark.parametrize("order", [lambda f: f.iloc[::-1], lambda f: f[f["category"] != "a"],
                                   lambda f: f.sort_values("p_value", ascending=False).iloc[1:]])
def test_profiles_stay_with_their_rows_when_rows_are_reordered_or_filtered(order):
    counts = {"a": [120, 100, 85, 70], "b": [50, 52, 49, 51], "c": [30, 38, 45, 52]}
    adjusted, moved = _family(order)
    out = fcr_intervals(moved, 0.05)
    level = float(out["ci_level"].iloc[0])
    assert level != 0.95  # the family's level: the profile is recomputed there
    for _, row in out.iterrows():
        ref = _sm_profile(counts[row["category"]], level)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx(ref, rel=1e-6), row["category"]
