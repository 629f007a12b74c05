"""Year-to-year variation in the comparison of two Sep–Aug years (recheck by stats2).

The monthly dispersion cannot see a year that is high or low throughout. With ten years of history
whose yearly level varies 10 % and no real change, two Sep–Aug years compared with the monthly φ alone
were "säkerställd" in about 40 % of places of 100 crimes a month (18 % at 20 a month). The comparison
now tests whole years against the dispersion of the other years' totals when that is larger
(:mod:`lagesbild.core.year_level`). References: statsmodels' quasi-Poisson GLM of the yearly totals and
the monthly history, and the known truth of the simulation.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from lagesbild.core.compare import compare

MONTHS = pd.date_range("2015-09-01", periods=120, freq="MS")  # ten Sep–Aug years, 2015–2016 … 2024–2025
PERIODS = ["2023–2024", "2024–2025"]


def simulate(rng, mu, year_cv, *, phi=1.5, rise=1.0):
    """Monthly negative-binomial counts (Var = phi·mean) with a season, a yearly level varying by
    ``year_cv`` (log-normal, mean 1) and the last year multiplied by ``rise``."""
    level = np.exp(rng.normal(0, year_cv, 10) - year_cv ** 2 / 2) if year_cv else np.ones(10)
    level[-1] *= rise
    mean = np.repeat(level, 12) * mu * (1 + 0.2 * np.sin(2 * np.pi * (MONTHS.month - 1) / 12))
    n = mean / (phi - 1)
    return rng.negative_binomial(n, n / (n + mean))


def frame(counts):
    return pd.DataFrame({"place_id": "p", "category": "skadegorelse", "month": MONTHS, "count": counts})


def app_p(counts) -> float:
    out = compare(frame(counts), PERIODS, place_id="p", categories=["skadegorelse"], fdr=False)
    return float(out.loc[0, "p_unadjusted"])


def monthly_phi_reference(counts):
    """statsmodels' quasi-Poisson of the monthly history (trend and an annual sine/cosine, as the
    README says) and the Satterthwaite degrees of freedom of its Pearson residuals."""
    t = np.arange(len(counts)) / 12.0
    angle = 2 * np.pi * (MONTHS.month.to_numpy() - 1) / 12
    X = np.column_stack([np.ones(len(t)), t, np.sin(angle), np.cos(angle)])
    fit = sm.GLM(np.asarray(counts, float), X, family=sm.families.Poisson()).fit(scale="X2")
    r2 = fit.resid_pearson ** 2
    df = len(counts) - 4
    return max(1.0, fit.scale), min(df, max(1.0, 2 * df / (r2.var() / r2.mean() ** 2)))


def year_phi_reference(counts):
    """statsmodels' quasi-Poisson of the eight Sep–Aug totals before the compared years, with a trend."""
    totals = np.asarray(counts, float)[:96].reshape(8, 12).sum(axis=1)
    X = np.column_stack([np.ones(8), np.arange(8.0)])
    return sm.GLM(totals, X, family=sm.families.Poisson()).fit(scale="X2").scale, 6


def reference_p(counts) -> float:
    a, b = float(np.sum(counts[96:108])), float(np.sum(counts[108:]))
    mean = (a + b) / 2
    deviance = 2 * (a * np.log(a / mean) + b * np.log(b / mean))
    phi, df = monthly_phi_reference(counts)
    phi_year, df_year = year_phi_reference(counts)
    if phi_year > phi:
        phi, df = phi_year, df_year
    return float(stats.f.sf(deviance / phi, 1, df))


def rate(mu, year_cv, rise=1.0, reps=200, seed=20261206):
    rng = np.random.default_rng(seed)
    return float(np.mean([app_p(simulate(rng, mu, year_cv, rise=rise)) < 0.05 for _ in range(reps)]))


@pytest.mark.parametrize("mu", [20, 100])
def test_ten_years_of_varying_levels_are_not_called_a_change(mu):
    # the yearly level varies 10 % and nothing changes: at most about alpha of the pairs flagged
    # (the monthly φ alone flagged 18 % at 20 and 40 % at 100 crimes a month)
    assert rate(mu, 0.10) <= 0.07


def test_without_year_variation_the_false_positive_rate_stays_nominal():
    assert rate(20, 0.0) <= 0.06


def test_a_true_30_percent_rise_is_still_found():
    # 100 crimes a month, the last year 30 % higher, years otherwise stable: still found nearly always
    assert rate(100, 0.0, rise=1.3, reps=100) >= 0.9


def test_p_values_equal_the_statsmodels_reference():
    rng = np.random.default_rng(5)
    used_year = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(40):
            counts = simulate(rng, 60, 0.12)
            assert app_p(counts) == pytest.approx(reference_p(counts), rel=1e-6, abs=1e-9)
            used_year += year_phi_reference(counts)[0] > monthly_phi_reference(counts)[0]
    assert used_year >= 20  # the year-level dispersion decided most of these cases


def test_the_note_says_the_years_were_used():
    rng = np.random.default_rng(8)
    for _ in range(20):
        counts = simulate(rng, 100, 0.15)
        if year_phi_reference(counts)[0] > monthly_phi_reference(counts)[0]:
            break
    out = compare(frame(counts), PERIODS, place_id="p", categories=["skadegorelse"], fdr=False)
    assert "från år till år (8 år" in out.loc[0, "note"]
    assert out.loc[0, "dispersion"] == pytest.approx(year_phi_reference(counts)[0], rel=1e-6)
