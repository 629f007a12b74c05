"""A change between two periods of a handful of crimes is never "säkerställd" beyond what the exact test allows.

The quasi-Poisson F test is a large-sample approximation. With a history of about one personrån every
four months and then 0 crimes in one year and 5 in the next, it gave p = 0.016 and Plats, Översikt, the
CLI and the pack said "ökning, statistiskt säkerställd"; the exact conditional test of 5 among 5 gives
2 × 0.5⁵ = 0.0625 (found by the statistics review stats5). Where fewer than five crimes are expected in
a period under no change, the p-value is now bounded by the exact test's (scipy's binomial test here).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from lagesbild.core.compare import compare
from tests.test_compare import TORG, coverage, frame, months


def _history(last_two: tuple[int, int]) -> tuple[list[str], list[int]]:
    ms = months("2019-09", "2023-08")
    quiet = [1 if i % 4 == 0 else 0 for i in range(24)]  # 0.25 a month for two years
    a, b = last_two
    later = [0] * 12 + [0] * 12
    for i in range(b):
        later[12 + 2 * i] = 1
    for i in range(a):
        later[2 * i] = 1
    return ms, quiet + later


@pytest.mark.parametrize("last_two", [(0, 5), (5, 0), (1, 6), (0, 4)])
def test_a_handful_of_crimes_is_bounded_by_the_exact_test(last_two):
    ms, counts = _history(last_two)
    rows = [(TORG, "personran", m, c) for m, c in zip(ms, counts, strict=True) if c]
    out = compare(frame(rows), ["2021-2022", "2022-2023"], place_id=TORG, categories=["personran"],
                  coverage=coverage(ms)).set_index("category").loc["personran"]
    a, b = last_two
    assert (out["count_a"], out["count_b"]) == (a, b)
    exact = stats.binomtest(b, a + b, 0.5).pvalue
    assert out["p_unadjusted"] >= exact - 1e-12
    assert out["p_unadjusted"] == pytest.approx(exact, rel=1e-9)  # here the exact test is the larger
    assert not out["significant"]


def test_large_counts_keep_the_f_test():
    """Guard: 140 against 180 expected well above five: the quasi-Poisson F test's p-value as before."""
    from tests.stat_reference import history_fit

    ms = months("2019-09", "2023-08")
    rng = np.random.default_rng(3)
    hist = list(rng.poisson(13, 24)) + [12] * 8 + [11] * 4 + [15] * 12
    rows = [(TORG, "stold", m, int(c)) for m, c in zip(ms, hist, strict=True) if c]
    out = compare(frame(rows), ["2021-2022", "2022-2023"], place_id=TORG, categories=["stold"],
                  coverage=coverage(ms)).set_index("category").loc["stold"]
    a, b = int(out["count_a"]), int(out["count_b"])
    assert (a, b) == (140, 180)
    phi, nu = history_fit(hist, pd.to_datetime([m + "-01" for m in ms]))
    null = sm.GLM(np.array([a, b], float), np.ones((2, 1)), family=sm.families.Poisson()).fit()
    f_p = stats.f.sf(null.deviance / max(phi, 1.0), 1, nu)
    assert out["p_unadjusted"] == pytest.approx(f_p, rel=1e-7)


@pytest.mark.parametrize("cells", [(0, 1000, 5, 1000), (1, 400, 7, 380), (2, 900, 0, 950)])
@pytest.mark.parametrize("phi", [1.3, 2.5])
def test_a_share_of_a_handful_of_crimes_is_bounded_by_fishers_test(cells, phi):
    """The share of the parent area's crimes (Plats' share chart) with a handful at the place: the
    quasi-likelihood G²/φ test gave p = 0.028 for 0 against 5 of about 1 000; Fisher's exact test 0.062."""
    from lagesbild.core.dispersion import quasi_share_p

    a, b, c, d = cells
    fisher = stats.fisher_exact([[a, b], [c, d]]).pvalue
    assert float(quasi_share_p(a, b, c, d, phi, 30)) >= fisher - 1e-12


def test_a_share_of_many_crimes_keeps_the_f_test():
    """Guard: every cell expected well above five: G²/φ against F(1, ν), as statsmodels' deviance gives."""
    from lagesbild.core.dispersion import quasi_share_p

    table = np.array([[40, 960], [70, 930]], float)
    g2 = stats.contingency.chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    assert float(quasi_share_p(40, 960, 70, 930, 1.7, 25)) == pytest.approx(stats.f.sf(g2 / 1.7, 1, 25), rel=1e-9)
