"""stats12: Jämför's difference between two places must know one place's overdispersion when the other's
history is too short.

``_between`` used the quasi-Poisson F test only when both places had a dispersion (24 months or more);
otherwise the exact Poisson test, which assumes Poisson variation in both. A place varying four times
more than Poisson (negative binomial, mean 30 a month, shape 10) beside one of 18 months, both with the
same rate: 84 of 400 pairs had p < 0.05.

References: statsmodels' quasi-Poisson GLM (``scale='X2'``) of the 60 months for φ̂, the design effect
of the log rate ratio by hand (``(φ_a/a + 1/b) / (1/a + 1/b)``, the short place counting as Poisson),
and a seeded simulation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from lagesbild.analysis.side_by_side import _between
from lagesbild.core.dispersion import estimate_dispersion

MONTHS = pd.date_range("2019-01-01", periods=60, freq="MS")


def _pair(seed: int):
    rng = np.random.default_rng(seed)
    ya = rng.poisson(rng.gamma(10.0, 3.0, 60))  # variance 30 + 30²/10 = 120: φ = 4
    yb = rng.poisson(30.0, 18)
    return ya, yb


def _place(name, months, series):
    # equal populations (equal exposures) and the last 12 months as the compared period
    return {"name": name, "count": int(series[-12:].sum()), "missing": 0, "window": ("2023-01", "2023-12"),
            "exposure": 12_000.0, "dispersion": estimate_dispersion(series, months)}


def _statsmodels_phi(counts) -> float:
    """Quasi-Poisson φ̂ of 60 months: intercept, trend, one annual sine/cosine (Pearson χ²/df)."""
    t, month = np.arange(len(counts), dtype=float), MONTHS.month.to_numpy()
    X = np.column_stack([np.ones(len(t)), t / 12, np.sin(2 * np.pi * month / 12),
                         np.cos(2 * np.pi * month / 12)])
    return float(sm.GLM(np.asarray(counts, float), X, family=sm.families.Poisson()).fit(scale="X2").scale)


def test_a_short_history_keeps_the_other_place_dispersion():
    ya, yb = _pair(0)
    a, b = _place("A", MONTHS, ya), _place("B", MONTHS[-18:], yb)
    assert a["dispersion"].quasi and not b["dispersion"].quasi
    got = _between(a, b)
    phi_a = max(1.0, _statsmodels_phi(ya))
    ca, cb = a["count"], b["count"]
    want = (phi_a / ca + 1 / cb) / (1 / ca + 1 / cb)
    assert got["method"] == "kvasi-Poisson"
    assert abs(got["phi"] - want) < 1e-6 * want
    # the other order: the same test
    back = _between(b, a)
    assert abs(back["phi"] - want) < 1e-6 * want
    assert abs(back["p_unadjusted"] - got["p_unadjusted"]) < 1e-12


def test_equal_rates_are_rarely_called_different():
    # 400 seeded pairs with the same rate: at most 6 % with p < 0.05 (old code: 84, 21 %)
    n, hits = 400, 0
    for seed in range(n):
        ya, yb = _pair(seed)
        hits += _between(_place("A", MONTHS, ya), _place("B", MONTHS[-18:], yb))["p_unadjusted"] < 0.05
    assert hits <= 0.06 * n, hits
