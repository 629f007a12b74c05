"""Independent reference computations with statsmodels for the quasi-Poisson tests of lagesbild.core.

Nothing here imports lagesbild: the dispersion comes from ``statsmodels.GLM(...).fit(scale='X2')`` of
the monthly history on an intercept, a trend in years and (from 36 months) an annual sine/cosine pair,
the deviance from statsmodels' Poisson GLMs, and the p-value from ``scipy.stats.f`` — the recipe of
McCullagh & Nelder §9.3, written out again. Where fewer than 5 crimes are expected in a period, the
exact conditional tests bound the p-values from below: scipy's binomial test for two periods, brute
force over every multinomial outcome (``scipy.stats.multinomial``) for a trend.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats


def history_fit(counts, months):
    """(phi_raw, effective df) of a monthly history, with statsmodels: trend (and from 36 months an
    annual cycle) when crime is in three months or more, else the mean only."""
    months = pd.DatetimeIndex(months)
    t = (months.year - months.year.min()) + (months.month - months.month[0]) / 12.0
    X = sm.add_constant(np.asarray(t, dtype=float), has_constant="add")
    if len(months) >= 36:  # three years: a smooth annual cycle (one sine/cosine pair)
        angle = 2 * np.pi * (months.month.to_numpy() - 1) / 12.0
        X = np.column_stack([X, np.sin(angle), np.cos(angle)])
    y = np.asarray(counts, dtype=float)
    if np.count_nonzero(y) < 3:  # one or two months with crime: no trend or season to fit
        X = np.ones((len(y), 1))
    res = sm.GLM(y, X, family=sm.families.Poisson()).fit(scale="X2")
    r2 = res.resid_pearson ** 2
    df = res.df_resid
    nu = min(df, max(1.0, 2 * df / (r2.var() / r2.mean() ** 2)))
    return float(res.scale), float(nu)


def quasi_two_period_p(a, b, ea, eb, phi_raw, nu) -> float:
    """Quasi-likelihood F test of equal rates of two counts (statsmodels deviance of the null model),
    bounded below by the exact binomial test where the counts are small."""
    y = np.array([a, b], dtype=float)
    null = sm.GLM(y, np.ones((2, 1)), family=sm.families.Poisson(),
                  offset=np.log([ea, eb])).fit()
    p = float(stats.f.sf(null.deviance / max(phi_raw, 1.0), 1, nu))
    # fewer than 5 crimes expected in a period under no change (Cochran's rule): never below the exact
    # conditional test of the same counts (scipy's binomial test of b among a + b)
    if a + b > 0 and min(ea, eb) * (a + b) / (ea + eb) < 5:
        p = max(p, float(stats.binomtest(int(round(b)), int(round(a + b)), eb / (ea + eb)).pvalue))
    return p


def quasi_trend_p(counts, exposure, phi_raw, nu) -> float:
    """Quasi-likelihood F test of a log-linear trend over periods (statsmodels deviances), bounded below
    by the exact conditional test (:func:`exact_trend_reference`) where fewer than 5 crimes are
    expected in some period under no trend."""
    y = np.asarray(counts, dtype=float)
    off = np.log(np.asarray(exposure, dtype=float))
    x = np.arange(len(y), dtype=float)
    fam = sm.families.Poisson()
    null = sm.GLM(y, np.ones((len(y), 1)), family=fam, offset=off).fit()
    full = sm.GLM(y, sm.add_constant(x), family=fam, offset=off).fit()
    p = float(stats.f.sf((null.deviance - full.deviance) / max(phi_raw, 1.0), 1, nu))
    e = np.asarray(exposure, dtype=float)
    if y.sum() > 0 and (y.sum() * e / e.sum()).min() < 5:
        p = max(p, exact_trend_reference(counts, exposure, x)[1])
    return p


def compositions(n: int, k: int):
    """Every way of putting ``n`` crimes into ``k`` periods (tuples of counts)."""
    if k == 1:
        yield (n,)
        return
    for first in range(n + 1):
        for rest in compositions(n - first, k - 1):
            yield (first, *rest)


def exact_trend_reference(counts, exposure, positions) -> tuple[dict, float]:
    """The exact conditional trend test by brute force: every multinomial outcome of the total
    (``scipy.stats.multinomial.pmf``), ``T = Σ x_i·y_i`` of each (rounded to 1e-9 so that equal sums
    meet), and the two-sided "minlike" p-value (every ``T`` at most as likely as the observed, within a
    relative 1e-7, as ``scipy.stats.binomtest``). Returns ``({T: P(T)}, p)``; small totals only."""
    y = np.asarray(counts, dtype=np.int64)
    e = np.asarray(exposure, dtype=float)
    x = np.asarray(positions, dtype=float)
    n = int(y.sum())
    if n > 40:
        raise ValueError("brute force is for small totals")
    dist: dict = {}
    for outcome in compositions(n, len(y)):
        t = round(float(np.dot(x, outcome)), 9)
        dist[t] = dist.get(t, 0.0) + float(stats.multinomial.pmf(outcome, n, e / e.sum()))
    observed = dist[round(float(np.dot(x, y)), 9)]
    return dist, min(1.0, sum(q for q in dist.values() if q <= observed * (1 + 1e-7)))
