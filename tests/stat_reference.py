"""Independent reference computations with statsmodels for the quasi-Poisson tests of lagesbild.core.

Nothing here imports lagesbild: the dispersion comes from ``statsmodels.GLM(...).fit(scale='X2')`` of
the monthly history on an intercept, a trend in years and (from 36 months) an annual sine/cosine pair,
the deviance from statsmodels' Poisson GLMs, and the p-value from ``scipy.stats.f`` — the recipe of
McCullagh & Nelder §9.3, written out again.
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
    """Quasi-likelihood F test of a log-linear trend over periods (statsmodels deviances)."""
    y = np.asarray(counts, dtype=float)
    off = np.log(np.asarray(exposure, dtype=float))
    x = np.arange(len(y), dtype=float)
    fam = sm.families.Poisson()
    null = sm.GLM(y, np.ones((len(y), 1)), family=fam, offset=off).fit()
    full = sm.GLM(y, sm.add_constant(x), family=fam, offset=off).fit()
    return float(stats.f.sf((null.deviance - full.deviance) / max(phi_raw, 1.0), 1, nu))
