"""Rates per 1 000 inhabitants and year get a 95 % interval (stats4's review).

Before, Plats and Jämför platser showed a rate (e.g. 24,0 per 1 000 inv. och år) with no interval, so a
rate of 3 crimes and one of 3 000 looked equally certain. References: statsmodels' exact Poisson
interval (``confint_poisson(method="exact-c")``), the gamma quantile form of Garwood's interval
(scipy.stats.gamma), exact coverage summed with scipy.stats.poisson, and seeded negative-binomial
simulations for the overdispersed (scaled) interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.rates import confint_poisson

from lagesbild.analysis import base
from lagesbild.analysis.place import place_view
from lagesbild.analysis.side_by_side import side_by_side
from lagesbild.core.rates import garwood, rate_interval


def test_garwood_equals_statsmodels_and_the_gamma_form():
    counts = np.arange(0, 501)
    low, high = garwood(counts)
    sm = np.array([confint_poisson(int(k), 1.0, method="exact-c") for k in counts], float)
    sm[0, 0] = 0.0  # statsmodels gives NaN as the lower end of 0
    assert np.max(np.abs(low - sm[:, 0])) < 1e-8
    assert np.max(np.abs(high - sm[:, 1])) < 1e-8
    g_low = np.where(counts > 0, stats.gamma.ppf(0.025, np.maximum(counts, 1)), 0.0)
    g_high = stats.gamma.ppf(0.975, counts + 1)
    assert np.max(np.abs(low - g_low)) < 1e-8 and np.max(np.abs(high - g_high)) < 1e-8


def test_rate_interval_is_per_1000_person_years_by_hand():
    # 30 crimes in 6 months among 2 500 inhabitants: 1 250 person-years, rate 24,0
    low, high = rate_interval(30, 1250.0)
    ref = confint_poisson(30, 1250.0, method="exact-c")
    assert (low, high) == pytest.approx((ref[0] * 1000, ref[1] * 1000), rel=1e-10)
    assert low < 24.0 < high


def test_garwood_coverage_is_at_least_95_percent_for_every_mean():
    # exact coverage: the sum of Poisson probabilities of the counts whose interval holds the mean
    ks = np.arange(0, 400)
    low, high = garwood(ks)
    worst = 1.0
    for mu in np.linspace(0.05, 150, 600):
        held = (low <= mu) & (mu <= high)
        worst = min(worst, float(stats.poisson.pmf(ks[held], mu).sum()))
    assert 0.95 <= worst < 0.96, worst


@pytest.mark.parametrize("mu,phi", [(40.0, 3.0), (200.0, 5.0), (900.0, 10.0)])
def test_scaled_interval_covers_overdispersed_counts_and_garwood_alone_does_not(mu, phi):
    rng = np.random.default_rng(20261206)
    # negative binomial with mean mu and variance phi * mu
    n = mu / (phi - 1)
    k = rng.negative_binomial(n, n / (n + mu), size=4000)
    low, high = garwood(k, phi=phi)
    cover = np.mean((low <= mu) & (mu <= high))
    plain_low, plain_high = garwood(k)
    plain = np.mean((plain_low <= mu) & (mu <= plain_high))
    assert 0.93 <= cover <= 0.975, cover
    assert plain < 0.85, plain  # the exact Poisson interval alone is far too narrow here


def _by_hand(store, settings, place_id, count, start, end, phi=1.0):
    pops = base.population_table(store, settings)
    known = pops[pops["place_id"] == place_id].sort_values("year")
    months = pd.date_range(start, end, freq="MS")
    months = months[months + pd.offsets.MonthEnd(0) <= pd.Timestamp(end)]
    pop = np.mean(np.interp(months.year, known["year"], known["population"]))
    person_years = pop * len(months) / 12
    k = count / phi
    low = stats.chi2.ppf(0.025, 2 * k) / 2 if k > 0 else 0.0
    high = stats.chi2.ppf(0.975, 2 * k + 2) / 2
    return low * phi * 1000 / person_years, high * phi * 1000 / person_years


def test_jamfor_platser_gives_each_rate_its_interval(demo_store, demo_settings):
    res = side_by_side(demo_store, demo_settings, places=["bredang", "varberg", "hasselby-torg"],
                       periods=["2021-2022", "2022-2023"])
    iv = res["rate_intervals"].set_index(["place_id", "category", "period"])
    table = res["table"].set_index(["place_id", "category", "period"])
    shown = table[table["rate"].notna()]
    assert len(shown) >= 8
    for key, row in shown.iterrows():
        got = iv.loc[key]
        assert got["rate_low"] <= row["rate"] <= got["rate_high"]
        low, high = _by_hand(demo_store, demo_settings, key[0], row["count"], row["start"], row["end"],
                             got["phi"])
        assert (got["rate_low"], got["rate_high"]) == pytest.approx((low, high), rel=1e-9)
    # a place below the population floor has no rate and no interval
    assert iv.xs("hasselby-torg")["rate_low"].isna().all()
    assert "konfidensintervall" in res["rate_interval_note"]


def test_plats_gives_each_rate_of_its_comparison_an_interval(demo_store, demo_settings):
    view = place_view(demo_store, demo_settings, "varberg", periods=["2021-2022", "2022-2023"])
    comp, iv = view["comparison"], view["rate_intervals"].set_index(["category", "period"])
    assert len(comp)
    for r in comp.itertuples():
        for side in ("a", "b"):
            rate = getattr(r, f"rate_{side}")
            if pd.isna(rate):
                continue
            got = iv.loc[(r.category, getattr(r, f"period_{side}"))]
            phi = r.dispersion if r.method == "kvasi-Poisson" and r.dispersion > 1 else 1.0
            low, high = _by_hand(demo_store, demo_settings, "varberg", getattr(r, f"count_{side}"),
                                 getattr(r, f"start_{side}"), getattr(r, f"end_{side}"), phi)
            assert (got["rate_low"], got["rate_high"]) == pytest.approx((low, high), rel=1e-9)
            assert got["rate_low"] <= rate <= got["rate_high"]
