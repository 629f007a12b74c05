"""A category whose data end before the place's other categories' (coverage naming categories):
its dispersion is fitted from its own months only, and the like-for-like cut is per category.

References: statsmodels' quasi-Poisson scale (Pearson χ²/(n − p)) on the category's own months, and
the cut computed by hand from each category's last month with data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from lagesbild.core.compare import compare, history_dispersions

FULL = pd.date_range("2019-09-01", "2022-08-01", freq="MS")   # 36 months
SHORT = pd.date_range("2019-09-01", "2022-03-01", freq="MS")  # 31 months: ends in March


def _data(seed, short_mean=20.0, full_mean=20.0):
    rng = np.random.default_rng(seed)
    monthly = pd.concat([
        pd.DataFrame({"place_id": "a", "category": "ran", "month": FULL,
                      "count": rng.poisson(full_mean, len(FULL))}),
        pd.DataFrame({"place_id": "a", "category": "stold", "month": SHORT,
                      "count": rng.poisson(short_mean, len(SHORT))})], ignore_index=True)
    coverage = pd.concat([
        pd.DataFrame({"source": "s1", "place_id": "a", "category": "ran", "month": FULL}),
        pd.DataFrame({"source": "s2", "place_id": "a", "category": "stold", "month": SHORT})],
        ignore_index=True)
    return monthly, coverage


def _statsmodels_phi(y):
    """Quasi-Poisson scale of a trend model (fewer than 36 months: no seasonal cycle)."""
    t = np.arange(len(y), dtype=float)
    return sm.GLM(np.asarray(y, float), sm.add_constant(t), family=sm.families.Poisson()).fit(scale="X2").scale


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_dispersion_of_a_category_ending_early_uses_its_own_months(seed):
    monthly, coverage = _data(seed)
    own = monthly[monthly["category"] == "stold"]["count"].to_numpy()
    expected = _statsmodels_phi(own)
    fitted = history_dispersions(monthly, "a", ["stold"], coverage=coverage)["stold"]
    assert fitted.n_months == len(SHORT)
    assert fitted.phi_raw == pytest.approx(expected, rel=1e-9)
    # and the comparison's test uses it (the months after March are no data, not zero crimes)
    out = compare(monthly, ["2020–2021", "2021–2022"], place_id="a", coverage=coverage,
                  categories=["stold"])
    assert out.loc[0, "dispersion"] == pytest.approx(expected, rel=1e-9)
