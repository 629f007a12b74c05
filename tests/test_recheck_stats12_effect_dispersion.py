"""stats12: an activity's before/after effect must know the place's overdispersion when the comparison
area's file is short.

The windows are cut to the months every area has; the place's dispersion was fitted over those same
months. A district file of 22 months beside a place's own 60 left the place without a dispersion
(fewer than 24 months): its own change got the exact Poisson test and the test against the district
Fisher's, both assuming Poisson variation. On negative-binomial counts varying four times more than
Poisson, without any change, 55 and 57 of 200 places read "statistiskt säkerställd" at 5 %.

References: statsmodels' quasi-Poisson GLM (``scale='X2'``) of the place's own 60 months, the design
effect of the ratio of ratios by hand (``(φ_T v_T + 1·v_C) / (v_T + v_C)``, ``v = 1/before + 1/after``,
the district's short history counting as Poisson), and a seeded simulation.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm

from lagesbild.core.effects import before_after

MONTHS = pd.date_range("2019-01-01", "2023-12-01", freq="MS")
SHORT = MONTHS[MONTHS.year * 12 + MONTHS.month >= 2022 * 12 + 3]  # the district's file: 22 months
START = pd.Timestamp("2023-01-01")


def _data(seed: int, district_months):
    """A place of negative-binomial months (mean 30, shape 10: variance 30 + 900/10 = 120, φ = 4)
    without any change, and its district (the place plus about 3 000 Poisson crimes a month) over
    ``district_months`` only."""
    rng, rest = np.random.default_rng(seed), np.random.default_rng([seed, 1])
    rows = []
    for m in MONTHS:
        t, r = int(rng.poisson(rng.gamma(10.0, 3.0))), int(rest.poisson(3000))
        rows.append(("torg", "rån", m, t))
        if m in district_months:
            rows.append(("sdo", "rån", m, t + r))
    monthly = pd.DataFrame(rows, columns=["place_id", "category", "month", "count"])
    coverage = pd.concat([
        pd.DataFrame({"source": "plats", "place_id": "torg", "category": "rån", "month": MONTHS}),
        pd.DataFrame({"source": "sdo", "place_id": "sdo", "category": "rån", "month": district_months})],
        ignore_index=True)
    return monthly, coverage


def _row(monthly, coverage):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return before_after(monthly, place_id="torg", start=START, district_id="sdo", coverage=coverage,
                            months=10, category="rån").iloc[0]


def _statsmodels_phi(counts) -> float:
    """The quasi-Poisson φ̂ of 60 months: intercept, trend, one annual sine/cosine (Pearson χ²/df)."""
    t = np.arange(len(counts), dtype=float)
    month = MONTHS.month.to_numpy()
    X = np.column_stack([np.ones(len(t)), t / 12, np.sin(2 * np.pi * month / 12),
                         np.cos(2 * np.pi * month / 12)])
    return float(sm.GLM(np.asarray(counts, float), X, family=sm.families.Poisson()).fit(scale="X2").scale)


def test_the_place_change_does_not_depend_on_the_length_of_the_district_file():
    # the same place, the same 10-month windows: its own change is the same test whether the district's
    # file has 22 months or all 60 (the old code: exact Poisson with 22, quasi-Poisson with 60)
    for seed in range(5):
        short = _row(*_data(seed, SHORT))
        monthly, coverage = _data(seed, MONTHS)
        full = _row(monthly, coverage)
        assert (short.count_before, short.count_after) == (full.count_before, full.count_after)
        assert short.months == full.months == 10
        assert abs(short.p_value - full.p_value) < 1e-12, seed


def test_the_relative_test_keeps_the_place_dispersion_beside_a_short_district():
    monthly, coverage = _data(0, SHORT)
    row = _row(monthly, coverage)
    phi_t = max(1.0, _statsmodels_phi(monthly.loc[monthly["place_id"] == "torg", "count"]))
    assert phi_t > 2.5  # the reference sees the overdispersion
    v_t = 1 / row.count_before + 1 / row.count_after
    v_c = 1 / row.comparison_before + 1 / row.comparison_after
    want = (phi_t * v_t + v_c) / (v_t + v_c)
    assert abs(row.relative_phi - want) < 1e-6 * want
    assert row.relative_nu < np.inf


def test_unchanged_overdispersed_places_are_rarely_called_changed():
    # 200 seeded places without change: at 5 % at most 6 % may read "säkerställd" (old code: 55 and 57)
    n, own, relative = 200, 0, 0
    for seed in range(n):
        row = _row(*_data(seed, SHORT))
        own += bool(row.significant)
        relative += bool(row.relative_significant)
    assert own <= 0.06 * n, own
    assert relative <= 0.06 * n, relative
