"""The dispersion across a change of source (recheck by stats2).

A place's months can come from the police's monthly file and then from incident data, which count only
crimes with coordinates (another level). The history model had no level for the change, so the step
was taken for overdispersion: with the incidents at 70 % of the file's level, every later comparison
was tested as if the counts varied much more than they do (silently less power), and the year-level
dispersion of whole years counted the change as a year-to-year swing. Each change of source now gets
its own level in the history model, and only years of the compared periods' source count as their
years. References: statsmodels' quasi-Poisson GLM with a step for the change, the known truth.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from lagesbild.core.compare import compare

MONTHS = pd.date_range("2015-09-01", periods=120, freq="MS")
PERIODS = ["2023–2024", "2024–2025"]


def simulate(rng, mu, switch, ratio=0.7, phi=1.5):
    mean = mu * (1 + 0.2 * np.sin(2 * np.pi * (MONTHS.month - 1) / 12)) * np.where(np.arange(120) >= switch, ratio, 1)
    n = mean / (phi - 1)
    return rng.negative_binomial(n, n / (n + mean))


def frame(counts, switch):
    return pd.DataFrame({"place_id": "p", "category": "skadegorelse", "month": MONTHS, "count": counts,
                         "source": np.where(np.arange(120) >= switch, "händelser", "polisen-månad")})


def result(counts, switch):
    return compare(frame(counts, switch), PERIODS, place_id="p", categories=["skadegorelse"], fdr=False).iloc[0]


def monthly_reference(counts, switch):
    """statsmodels' quasi-Poisson of the monthly history with a level of its own after the change."""
    t = np.arange(120) / 12.0
    angle = 2 * np.pi * (MONTHS.month.to_numpy() - 1) / 12
    X = np.column_stack([np.ones(120), t, np.sin(angle), np.cos(angle), (np.arange(120) >= switch).astype(float)])
    fit = sm.GLM(np.asarray(counts, float), X, family=sm.families.Poisson()).fit(scale="X2")
    r2 = fit.resid_pearson ** 2
    df = 120 - X.shape[1]
    return fit.scale, min(df, max(1.0, 2 * df / (r2.var() / r2.mean() ** 2)))


def test_the_dispersion_equals_statsmodels_with_a_step_at_the_change():
    rng = np.random.default_rng(3)
    for _ in range(10):
        counts = simulate(rng, 40, 60)
        row = result(counts, 60)
        phi, nu = monthly_reference(counts, 60)
        assert row.dispersion == pytest.approx(phi, rel=1e-7)
        a, b = counts[96:108].sum(), counts[108:].sum()
        m = (a + b) / 2
        dev = 2 * (a * np.log(a / m) + b * np.log(b / m))
        assert row.p_unadjusted == pytest.approx(stats.f.sf(dev / max(phi, 1), 1, nu), rel=1e-6)


def test_a_change_of_source_is_not_taken_for_overdispersion():
    # the true dispersion is 1.5 on both sides of the change; the step to 70 % must not inflate it
    rng = np.random.default_rng(4)
    phis = [result(simulate(rng, 40, 60), 60).dispersion for _ in range(60)]
    assert 1.3 <= float(np.median(phis)) <= 1.7  # without a level for the change: 1.83


def test_years_of_the_earlier_source_are_not_year_to_year_variation():
    # ten years, the first two from the monthly file at another level: the six incident years outside
    # the compared ones are the yardstick, as statsmodels' quasi-Poisson of their totals says
    rng = np.random.default_rng(5)
    used_years = 0
    for _ in range(15):
        counts = simulate(rng, 60, 24, ratio=0.6)
        row = result(counts, 24)
        totals = counts[24:96].reshape(6, 12).sum(axis=1).astype(float)
        fit = sm.GLM(totals, np.column_stack([np.ones(6), np.arange(6.0)]), family=sm.families.Poisson()).fit(scale="X2")
        monthly_phi, _ = monthly_reference(counts, 24)
        used_years += fit.scale > max(1.0, monthly_phi)
        expected = fit.scale if fit.scale > max(1.0, monthly_phi) else monthly_phi
        assert row.dispersion == pytest.approx(expected, rel=1e-6)
    assert used_years >= 3  # the years' own dispersion decided some of these


def test_false_positive_rate_without_change_after_a_change_of_source():
    rng = np.random.default_rng(6)
    p = np.array([result(simulate(rng, 40, 24, ratio=0.6), 24).p_unadjusted for _ in range(200)])
    assert np.mean(p < 0.05) <= 0.07
