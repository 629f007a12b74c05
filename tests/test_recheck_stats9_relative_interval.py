"""The relative test's interval inverts the test that decides its verdict (core/relative.py).

Before: Fisher's minlike p-value beside the conditional central interval ((68, 44) against (221, 221):
p 0.0448, interval 0.413–1.007), and the quasi F test beside a Wald-like interval widened by √φ; 35
and 31 of 3 000 random tables disagreed. Now the Fisher interval is the hull of the odds ratios the
minlike test does not reject (Blaker's construction) and the quasi interval the likelihood-ratio test's
own (G²/φ under the F(1, ν) quantile). References: scipy's noncentral hypergeometric distribution and
fisher_exact, statsmodels' Poisson GLM log-likelihood, root finding by scipy.optimize.brentq.
"""

from __future__ import annotations

import math

import numpy as np
import statsmodels.api as sm
from scipy import stats
from scipy.optimize import brentq

from lagesbild.core.relative import relative_interval, relative_test


def _excludes_one(r: dict) -> bool:
    return not (r["relative_ci_low"] <= 1 <= r["relative_ci_high"])


def _random_tables(seed: int, n: int):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        scale = rng.choice([4, 15, 60, 250])
        t0, t1 = rng.poisson(scale, 2)
        c0, c1 = rng.poisson(scale * rng.choice([1, 2, 5]), 2)
        t1 = int(t1 * rng.uniform(0.6, 1.6))
        yield (int(t0), t1), (int(c0), int(c1)), (float(rng.uniform(1.05, 4)), float(rng.uniform(5, 80)))


def test_stats8_examples_agree():
    r = relative_test((68, 44), (221, 221))  # scipy: fisher_exact p 0.0448
    assert math.isclose(r["relative_p"], stats.fisher_exact([[44, 68], [221, 221]]).pvalue)
    assert r["relative_p"] < 0.05 and _excludes_one(r) and r["relative_ci_high"] < 1


def test_verdict_and_interval_agree_fisher_and_quasi():
    """0 disagreements in 2 × 1 200 random tables (the old code: about 1 % of them)."""
    bad = []
    for treated, control, disp in _random_tables(11, 1200):
        for d in (None, disp):
            r = relative_test(treated, control, dispersion=d)
            if math.isnan(r["relative_ci_low"]):
                continue
            if _excludes_one(r) != (r["relative_p"] < 0.05):
                bad.append((treated, control, d, r["relative_p"], r["relative_ci_low"], r["relative_ci_high"]))
            assert r["relative_ci_low"] <= r["relative_ratio"] <= r["relative_ci_high"]
    assert bad == []


def _minlike_reference(table, psi: float) -> float:
    """Minlike p at odds ratio psi from scipy's nchypergeom_fisher (probabilities within 1e-7)."""
    (a, b), (c, d) = table
    dist = stats.nchypergeom_fisher(a + b + c + d, a + b, a + c, psi)
    lo, hi = max(0, (a + c) - (c + d)), min(a + b, a + c)
    pmf = dist.pmf(np.arange(lo, hi + 1))
    return float(pmf[pmf <= dist.pmf(a) * (1 + 1e-7)].sum())


def _outer_end(table, alpha, grid, side):
    """The outermost grid point with p ≥ alpha, refined by brentq against its outer neighbour."""
    vals = [_minlike_reference(table, math.exp(g)) - alpha for g in grid]
    order = range(len(grid)) if side == "low" else range(len(grid) - 1, -1, -1)
    idx = [i for i in order if vals[i] >= 0][0]
    j = idx - 1 if side == "low" else idx + 1
    return math.exp(brentq(lambda g: _minlike_reference(table, math.exp(g)) - alpha,
                           grid[j], grid[idx], xtol=1e-10))


def test_fisher_interval_matches_scipy_grid_reference():
    for table in ([[44, 68], [221, 221]], [[3, 9], [40, 50]], [[12, 5], [30, 33]], [[7, 2], [9, 11]]):
        low, high = relative_interval(table, 0.95)
        grid = np.linspace(math.log(low) - 1.5, math.log(high) + 1.5, 1500)
        assert math.isclose(low, _outer_end(table, 0.05, grid, "low"), rel_tol=2e-3)
        assert math.isclose(high, _outer_end(table, 0.05, grid, "high"), rel_tol=2e-3)
        # at 1 the reference is fisher_exact's own p-value
        assert math.isclose(_minlike_reference(table, 1.0), stats.fisher_exact(table).pvalue, rel_tol=1e-8)


def _glm_lr(table, psi: float) -> float:
    """G² of odds ratio psi: statsmodels' Poisson GLM with the interaction fixed by an offset."""
    y = np.asarray(table, dtype=float).ravel()  # cells (0,0), (0,1), (1,0), (1,1)
    x = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 1], [1, 0, 0]], dtype=float)
    offset = np.array([math.log(psi), 0, 0, 0])
    fit = sm.GLM(y, x, family=sm.families.Poisson(), offset=offset).fit()
    saturated = float(np.sum(stats.poisson.logpmf(y, y)))
    return 2 * (saturated - fit.llf)


def test_quasi_interval_matches_statsmodels_profile():
    for table, phi, nu in (([[144, 88], [312, 307]], 1.3, 30.0), ([[60, 80], [500, 520]], 2.5, 12.0),
                           ([[230, 200], [900, 1000]], 1.8, 60.0)):
        crit = phi * stats.f.ppf(0.95, 1, nu)
        centre = math.log(table[0][0] * table[1][1] / (table[0][1] * table[1][0]))
        def excess(g, table=table, crit=crit):
            return _glm_lr(table, math.exp(g)) - crit

        ref_low = math.exp(brentq(excess, centre - 3, centre))
        ref_high = math.exp(brentq(excess, centre, centre + 3))
        low, high = relative_interval(table, 0.95, phi, nu)
        assert math.isclose(low, ref_low, rel_tol=1e-5) and math.isclose(high, ref_high, rel_tol=1e-5)


def test_fisher_interval_conditional_coverage_exact():
    """Given the margins, the coverage is an exact sum over the support (scipy's pmf): ≥ 95 %."""
    for (r1, c1, n) in ((20, 30, 80), (9, 40, 60), (50, 45, 300)):
        lo, hi = max(0, c1 - (n - r1)), min(r1, c1)
        intervals = {x: relative_interval([[x, r1 - x], [c1 - x, n - r1 - c1 + x]], 0.95)
                     for x in range(lo, hi + 1)}
        for psi in (0.3, 0.8, 1.0, 1.7, 4.0):
            pmf = stats.nchypergeom_fisher(n, r1, c1, psi).pmf
            cover = sum(pmf(x) for x, (a, b) in intervals.items() if a <= psi <= b)
            assert cover >= 0.95 - 1e-9, (r1, c1, n, psi, cover)


def test_fisher_interval_simulated_coverage():
    """Poisson counts with a ratio of ratios of 1.5: coverage ≥ 95 % within 3 Monte Carlo errors."""
    rng = np.random.default_rng(3)
    hits = n = 0
    for _ in range(400):
        t0, c0, c1 = rng.poisson([25, 80, 80])
        t1 = rng.poisson(25 * 1.5)
        r = relative_test((int(t0), int(t1)), (int(c0), int(c1)))
        if math.isnan(r["relative_ci_low"]):
            continue
        n += 1
        hits += r["relative_ci_low"] <= 1.5 <= r["relative_ci_high"]
    assert hits / n >= 0.95 - 3 * math.sqrt(0.95 * 0.05 / n)
