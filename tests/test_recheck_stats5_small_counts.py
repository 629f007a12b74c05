"""Jämför platser: a difference between two places at small counts (recheck of issue #11 by stats5).

Where both places' months vary no more than chance (φ = 1), the quasi-Poisson F test of the rate ratio
is the Poisson deviance against F(1, ν): a large-sample approximation that undercuts the exact test at
small counts. 6 crimes against 0 at equal person-years gave p 0.006 where the exact conditional test
gives 0.031; with two places of two crimes a year on average and no difference, 9 % of pairs were
"different" at 5 %. References: ``scipy.stats.binomtest`` (the exact conditional test of two Poisson
counts) and ``statsmodels.stats.rates.test_poisson_2indep(method="exact-cond")``, and a seeded simulation.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats import rates as sm_rates

from lagesbild.analysis.side_by_side import _between
from lagesbild.core.dispersion import METHOD_QUASI, Dispersion


def _place(name, count, exposure, phi=1.0, df=40.0):
    return {"name": name, "count": count, "exposure": exposure, "rate": 1000.0 * count / exposure,
            "missing": 0, "window": ("2022-09-01", "2023-08-31"),
            "dispersion": Dispersion(phi, phi, df, 48, METHOD_QUASI, "")}


@pytest.mark.parametrize(("ca", "cb"), [(6, 0), (5, 0), (7, 1), (9, 2)])
def test_a_small_difference_is_never_surer_than_the_exact_test(ca, cb):
    res = _between(_place("A", ca, 3000.0), _place("B", cb, 3000.0))
    exact = stats.binomtest(ca, ca + cb, 0.5).pvalue
    ref = sm_rates.test_poisson_2indep(ca, 3000.0, cb, 3000.0, method="exact-cond").pvalue
    assert exact == pytest.approx(ref, rel=1e-9)
    assert res["method"] == METHOD_QUASI
    assert res["p_unadjusted"] >= exact * (1 - 1e-9), (res["p_unadjusted"], exact)


def test_no_more_than_five_percent_different_places_at_two_crimes_a_year():
    rng = np.random.default_rng(11)
    a, b = rng.poisson(2.0, 4000), rng.poisson(2.0, 4000)
    p = np.array([_between(_place("A", x, 3000.0), _place("B", y, 3000.0))["p_unadjusted"]
                  for x, y in zip(a, b, strict=True)])
    assert (p < 0.05).mean() <= 0.05, (p < 0.05).mean()


def test_large_counts_keep_the_quasi_poisson_f_test():
    """A guard: at large counts with φ > 1 the p-value is still the F test of the deviance over φ."""
    import statsmodels.api as sm

    res = _between(_place("A", 300, 3000.0, phi=2.5, df=30.0), _place("B", 250, 3000.0, phi=2.5, df=30.0))
    dev = sm.GLM(np.array([300.0, 250.0]), np.ones((2, 1)), family=sm.families.Poisson()).fit().deviance
    assert res["phi"] == pytest.approx(2.5)
    assert res["p_unadjusted"] == pytest.approx(stats.f.sf(dev / 2.5, 1, res["df"]), rel=1e-9)
