"""Recheck (stats): an activity's relative test against a large, overdispersed comparison area.

The relative test divided the 2 × 2 table's likelihood-ratio statistic by the *larger* of the place's
and the comparison area's dispersions. A rest of the district of 2 000 crimes a month varies about
100 times more than Poisson (negative binomial, shape 20), so the place's test was divided by ≈ 100
although the comparison area's after/before ratio is far more certain than the place's: a place
falling 30 % was never found (0 of 300 simulated cases; the place's own before/after test found half
of them). The dispersions are now weighed by each area's share of the variance of the log ratio of
ratios (``core.relative.combined_dispersion``), which keeps the false-positive rate at the level and
finds such changes.

References are independent: each area's dispersion from statsmodels (``tests/stat_reference``), the
statistic from scipy's ``chi2_contingency``, the p-value from ``scipy.stats.f``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency
from scipy.stats import f as f_dist

from lagesbild.core.effects import before_after
from tests.stat_reference import history_fit

MONTHS = pd.date_range("2021-09-01", "2025-08-01", freq="MS")
AFTER = MONTHS >= "2024-09-01"


def _frame(place, rest) -> pd.DataFrame:
    n = len(MONTHS)
    return pd.DataFrame({"place_id": ["torg"] * n + ["rest"] * n, "category": "skadegorelse",
                         "month": list(MONTHS) * 2, "count": np.concatenate([place, rest])})


def _nb(rng, mean, shape):
    mean = np.asarray(mean, dtype=float)
    return rng.negative_binomial(shape, shape / (shape + mean))


def _row(place, rest):
    return before_after(_frame(place, rest), place_id="torg", start="2024-09-01", category="skadegorelse",
                        comparison_ids=["rest"]).iloc[0]


def test_relative_p_weighs_each_areas_dispersion_by_its_share_of_the_variance():
    rng = np.random.default_rng(4)
    place = _nb(rng, np.where(AFTER, 28.0, 40.0), 5)
    rest = _nb(rng, np.full(len(MONTHS), 2000.0), 20)
    row = _row(place, rest)
    t0, t1 = int(place[(MONTHS >= "2023-09-01") & ~AFTER].sum()), int(place[AFTER].sum())
    c0, c1 = int(rest[(MONTHS >= "2023-09-01") & ~AFTER].sum()), int(rest[AFTER].sum())
    assert (row["count_before"], row["count_after"], row["comparison_before"],
            row["comparison_after"]) == (t0, t1, c0, c1)
    (phi_t, nu_t), (phi_c, nu_c) = (history_fit(y, MONTHS) for y in (place, rest))
    phi_t, phi_c = max(phi_t, 1.0), max(phi_c, 1.0)
    assert phi_c > 50  # the comparison area varies far more than Poisson
    v_t, v_c = 1 / t0 + 1 / t1, 1 / c0 + 1 / c1  # Poisson variances of the two log ratios
    a, b = phi_t * v_t, phi_c * v_c
    phi = (a + b) / (v_t + v_c)
    nu = (a + b) ** 2 / (a ** 2 / nu_t + b ** 2 / nu_c)
    g2 = chi2_contingency([[t1, t0], [c1, c0]], correction=False, lambda_="log-likelihood")[0]
    assert row["relative_phi"] == pytest.approx(phi, rel=1e-6)
    assert row["relative_p"] == pytest.approx(f_dist.sf(g2 / phi, 1, nu), rel=1e-6)
    # the place fell 30 % while the comparison area did not change: found
    assert row["relative_significant"]
    assert row["relative_verdict"] == "minskning jämfört med jämförelseområdet, statistiskt säkerställd"
    assert row["relative_ci_high"] < 1


def test_unchanged_place_and_comparison_area_stay_at_the_level():
    """No change anywhere: at most about 5 % of relative tests säkerställda at 5 % (300 seeded cases,
    the place Poisson or negative binomial, the comparison area up to 100 times overdispersed)."""
    rng = np.random.default_rng(11)
    p = []
    for i in range(300):
        mean_t, shape_t = [(5.0, 1e6), (20.0, 5), (40.0, 20)][i % 3]
        mean_c, shape_c = [(2000.0, 20), (300.0, 5), (300.0, 1e6)][(i // 3) % 3]
        place = _nb(rng, np.full(len(MONTHS), mean_t), shape_t)
        rest = _nb(rng, np.full(len(MONTHS), mean_c), shape_c)
        p.append(_row(place, rest)["relative_p"])
    share = float(np.mean(np.asarray(p) < 0.05))
    assert 0.01 <= share <= 0.07, share  # not blind, and not above the level (binomial SE 1.3 %)
