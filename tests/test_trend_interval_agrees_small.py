"""Where the exact test bounds a small-count trend's p-value, the interval agrees with the verdict.

Every series of 3 and 4 yearly periods with 0–6 crimes each, where fewer than 5 crimes are expected
per period: a 95 % interval excludes 1 exactly when the verdict says "statistiskt säkerställd" (at
5 %), also after a family of one's interval step (``fcr_intervals``). The exact p-value is
recomputed here by brute force over every multinomial outcome (scipy), independent of
``core/exact_trend``. Before, [0, 1, 4] was "ökande trend, statistiskt säkerställd" (exact p 0.049)
beside the Wald interval 0.84–37.5.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
from scipy import stats

from lagesbild.core.fdr import adjust_table
from lagesbild.core.trend import trend
from lagesbild.core.trend_family import fcr_intervals, trend_table, trend_verdicts


def brute_force_p(counts) -> float:
    """Two-sided minlike exact p of T = Σ i·y_i given the total, equal exposures (scipy multinomial)."""
    k, n = len(counts), int(sum(counts))
    outcomes = np.array([o for o in itertools.product(range(n + 1), repeat=k) if sum(o) == n])
    pmf = stats.multinomial.pmf(outcomes, n, [1 / k] * k)
    t = outcomes @ np.arange(k)
    probs = pd.Series(pmf).groupby(t).sum()
    observed = probs[int(np.dot(np.arange(k), counts))]
    return min(1.0, float(probs[probs <= observed * (1 + 1e-7)].sum()))


def small_series():
    for k in (3, 4):
        for counts in itertools.product(range(7), repeat=k):
            n = sum(counts)
            if 0 < n < 5 * k and len(set(counts)) > 1:
                yield list(counts)


def excludes_one(low: float, high: float) -> bool:
    return bool(low > 1 or high < 1)


def test_the_zero_count_case_that_disagreed():
    r = trend([0, 1, 4])
    assert math.isclose(r.p_value, brute_force_p([0, 1, 4]), rel_tol=1e-9)
    assert r.significant
    assert r.ci_low > 1


def test_interval_agrees_with_verdict_wherever_the_bound_applies():
    disagree, checked, significant = [], 0, 0
    for counts in small_series():
        r = trend(counts)
        if not (0 < r.rate_ratio < math.inf):  # every crime in the first or last period: no interval
            continue
        if not math.isclose(r.p_value, brute_force_p(counts), rel_tol=1e-9):
            continue  # the approximate test's p-value was already the larger: Wald's interval as it is
        checked, significant = checked + 1, significant + r.significant
        if excludes_one(r.ci_low, r.ci_high) != r.significant:
            disagree.append((counts, r.p_value, r.ci_low, r.ci_high))
    assert not disagree, disagree[:5]
    assert checked > 500 and significant > 50  # the bound applied often, both ways


def test_family_of_one_keeps_the_agreement():
    rows = []
    for counts in ([0, 1, 4], [0, 2, 4], [1, 1, 5, 5], [0, 1, 1, 4]):
        rows += [{"category": str(counts), "days": 365, "count": c} for c in counts]
    for category, frame in pd.DataFrame(rows).groupby("category"):
        family = fcr_intervals(adjust_table(trend_table(frame, by=["category"]), 0.05,
                                            verdicts=trend_verdicts), 0.05)
        row = family.iloc[0]
        assert excludes_one(row["ci_low"], row["ci_high"]) == row["verdict"].endswith("statistiskt säkerställd"), category


def test_unequal_exposures_never_overflow():
    """A bounded p-value near 1 (a short period between longer ones: [0, 5, 0] over 30, 92 and 31 days)
    made the implied interval's half-width ~1e8 and ``math.exp`` raise OverflowError inside the Plats
    view (an uploaded places file's first page view, ``test_e2e_upload_mapping``). Every such series of
    small counts over unequal days now gives a result, the interval (0, ∞) at the extreme."""
    rng = np.random.default_rng(49)
    bounded = 0
    for _ in range(3000):
        k = int(rng.integers(3, 6))
        counts = rng.choice([0, 0, 1, 2, 3, 5, 8], size=k).tolist()
        days = rng.choice([10, 30, 31, 92, 365, 366], size=k).tolist()
        if sum(counts) == 0:
            continue
        r = trend(counts, exposure=days)  # raised OverflowError for 465 of 20,000 such series
        bounded += r.p_value > 0.999
        assert math.isnan(r.ci_low) or 0 <= r.ci_low <= r.ci_high
    assert bounded > 10  # the extreme case came up
    r = trend([0, 5, 0], exposure=[30, 92, 31])
    assert not r.significant and r.ci_low < 1 < r.ci_high
