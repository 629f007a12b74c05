"""stats11: a trend whose estimate is infinite or zero (every crime in the last or the first period)
showed no interval at all; the trend family's profiles were taken by row position.

References are independent of the code under test: statsmodels' Poisson GLM profiled numerically
(the intercept refitted with ``b·x`` as an offset) for the likelihood-ratio bound, an enumeration of
every multinomial outcome with ``scipy.stats.multinomial`` for the exact test's p-value and bound,
and hand computations in the comments.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

from lagesbild.core.dispersion import METHOD_QUASI, Dispersion
from lagesbild.core.fdr import adjust_table
from lagesbild.core.trend import trend
from lagesbild.core.trend_family import fcr_intervals, trend_table, trend_verdicts
from lagesbild.figures.tables import make_trend_table

UP, DOWN, NONE = ("ökande trend, statistiskt säkerställd", "minskande trend, statistiskt säkerställd",
                  "ingen säkerställd trend")


def _sm_llf(y, e, x, b):
    """The profile log-likelihood at ``b`` from statsmodels: the intercept fitted with ``b·x`` in the
    offset."""
    fit = sm.GLM(np.asarray(y, float), np.ones((len(y), 1)), family=sm.families.Poisson(),
                 offset=np.log(np.asarray(e, float)) + b * np.asarray(x, float)).fit()
    return fit.llf


def _sm_edge_bound(y, e, x, level, phi=1.0, df=math.inf):
    """The likelihood-ratio bound of an infinite (zero) estimate: the supremum of the log-likelihood
    is the saturated one (fitted means = counts, scipy), and the bound is where ``LR(b)/φ`` crosses
    the level's quantile of chi-square(1) or F(1, ν)."""
    y = np.asarray(y)
    top = stats.poisson.logpmf(y, y).sum()
    c = stats.chi2.ppf(level, 1) if math.isinf(df) else stats.f.ppf(level, 1, df)
    g = lambda b: 2 * (top - _sm_llf(y, e, x, b)) / phi - c  # noqa: E731
    last = y[-1] == y.sum()
    root = optimize.brentq(g, -10, 10, xtol=1e-12)
    return (math.exp(root), math.inf) if last else (0.0, math.exp(root))


def _enum_exact_p(r, y):
    """The exact conditional test's minlike p-value at rate ratio ``r`` per period, enumerating every
    outcome of ``N`` crimes over the periods (equal exposures, positions 0, 1, 2, …)."""
    n, k = sum(y), len(y)
    probs = np.array([r ** i for i in range(k)], float)
    probs /= probs.sum()
    by_t = {}
    for c in itertools.product(range(n + 1), repeat=k):
        if sum(c) == n:
            t = sum(i * v for i, v in enumerate(c))
            by_t[t] = by_t.get(t, 0.0) + stats.multinomial.pmf(c, n, probs)
    observed = by_t[sum(i * v for i, v in enumerate(y))]
    return sum(v for v in by_t.values() if v <= observed * (1 + 1e-7))


def _enum_exact_bound(y, level=0.95):
    """Where the enumerated exact p-value crosses ``1 − level`` (it jumps there: brentq on the sign)."""
    g = lambda log_r: _enum_exact_p(math.exp(log_r), y) - (1 - level)  # noqa: E731
    root = math.exp(optimize.brentq(g, -8, 8, xtol=1e-12))
    return (root, math.inf) if y[-1] == sum(y) else (0.0, root)


def test_all_in_the_last_period_has_a_lower_bound_that_agrees_with_the_verdict():
    # [0, 0, 5] over three Sep–Aug years: the exact p is 2·(1/3)^5 (all five in the last year or all in
    # the first are the two outcomes as unlikely) = 0.00823; the likelihood-ratio statistic is
    # 2·(0 − 5·log(5/3) + ... ) = 10·log 3 = 10.99 (p 0.0009), by hand and from statsmodels' null fit
    y, e, x = [0, 0, 5], [365, 365, 365], [0, 1, 2]
    r = trend(y, exposure=e)
    null = sm.GLM(np.array(y, float), np.ones((3, 1)), family=sm.families.Poisson(),
                  offset=np.log(np.array(e, float))).fit()
    lr = 2 * (stats.poisson.logpmf(y, y).sum() - null.llf)
    assert lr == pytest.approx(10 * math.log(3), rel=1e-9)
    assert r.p_value == pytest.approx(max(2 / 3 ** 5, stats.chi2.sf(lr, 1)), rel=1e-9)
    assert r.rate_ratio == math.inf and r.verdict == UP and r.significant
    # the interval: the rate ratios either test does not reject (the p-value is the larger of the two)
    profile = _sm_edge_bound(y, e, x, 0.95)
    exact = _enum_exact_bound(y)
    # LR(b) = 10·log(1 + u + u²), u = e^−b, = 3.8415 at u = 0.3476: a bound of 2.877 by hand
    assert profile[0] == pytest.approx(2.8772, abs=2e-3)
    assert exact[0] == pytest.approx(1.6256, abs=1e-3)
    assert r.ci_high == math.inf
    assert r.ci_low == pytest.approx(min(profile[0], exact[0]), rel=1e-3) and r.ci_low > 1


def test_all_in_the_first_period_has_an_upper_bound():
    # [4, 0, 0]: exact p 2·(1/3)^4 = 0.0247, a decrease
    y = [4, 0, 0]
    r = trend(y)
    assert r.p_value == pytest.approx(2 / 3 ** 4, rel=1e-9)
    assert r.rate_ratio == 0 and r.verdict == DOWN
    profile, exact = _sm_edge_bound(y, [1] * 3, [0, 1, 2], 0.95), _enum_exact_bound(y)
    assert r.ci_low == 0 and r.ci_high == pytest.approx(max(profile[1], exact[1]), rel=1e-3)
    assert r.ci_high < 1


def test_an_edge_trend_that_is_not_significant_includes_one():
    # [0, 0, 3]: the likelihood ratio says p 0.010 (6·log 3 = 6.59), but the exact p is 2/27 = 0.074:
    # "ingen säkerställd trend", and the interval must hold 1 (the profile bound alone, 1.75, did not)
    r = trend([0, 0, 3])
    assert r.p_value == pytest.approx(2 / 27, rel=1e-9) and r.verdict == NONE
    assert _sm_edge_bound([0, 0, 3], [1] * 3, [0, 1, 2], 0.95)[0] > 1
    assert r.ci_low <= 1 + 1e-9 and r.ci_high == math.inf


def test_large_counts_use_the_profile_bound_alone():
    # 30 crimes: 10 expected a period, no exact bound; statsmodels' profile is the reference
    for y in ([0, 0, 30], [0, 0, 0, 40], [25, 0, 0, 0]):
        x = list(range(len(y)))
        r = trend(y)
        ref = _sm_edge_bound(y, [1] * len(y), x, 0.95)
        assert (r.ci_low, r.ci_high) == pytest.approx(ref, rel=1e-6)


def test_quasi_poisson_edge_bound_uses_f():
    # φ = 3 on ν = 20: the bound where LR(b)/3 reaches F(1, 20)'s 95 % quantile (4.35)
    d = Dispersion(3.0, 3.0, 20, 36, METHOD_QUASI, "")
    y = [0, 0, 30]
    r = trend(y, dispersion=d)
    ref = _sm_edge_bound(y, [1] * 3, [0, 1, 2], 0.95, phi=3.0, df=20)
    assert r.ci_low == pytest.approx(ref[0], rel=1e-6) and r.ci_high == math.inf
    assert (r.ci_low > 1) == r.significant


def test_the_trend_table_shows_the_one_sided_interval():
    t = pd.DataFrame({"category": ["rån"] * 3, "count": [0, 0, 5], "days": 365})
    table = make_trend_table(trend_table(t, by=["category"]))
    assert "minst +62,6" in table.iloc[0]["Förändring per period"]


def test_edge_rows_keep_their_interval_at_the_family_level():
    # a family of three: the edge row's interval at the Benjamini–Yekutieli level agrees with the
    # adjusted verdict, and is the union of statsmodels' profile bound and the enumerated exact bound
    t = pd.DataFrame({"category": ["a"] * 3 + ["b"] * 3 + ["c"] * 3, "days": 365,
                      "count": [0, 0, 6, 50, 52, 49, 120, 100, 80]})
    fam = fcr_intervals(adjust_table(trend_table(t, by=["category"]), 0.05, verdicts=trend_verdicts), 0.05)
    row = fam.set_index("category").loc["a"]
    level = float(row["ci_level"])
    assert level != 0.95
    ref = min(_sm_edge_bound([0, 0, 6], [365] * 3, [0, 1, 2], level)[0], _enum_exact_bound([0, 0, 6], level)[0])
    assert row["ci_low"] == pytest.approx(ref, rel=1e-3) and row["ci_high"] == math.inf
    assert (row["ci_low"] > 1) == bool(row["significant"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(k=st.integers(3, 6), n=st.integers(1, 60), last=st.booleans(),
       days=st.lists(st.sampled_from([365, 366, 181, 184]), min_size=6, max_size=6))
def test_random_edge_trends_agree_with_their_interval(k, n, last, days):
    y = [0] * k
    y[-1 if last else 0] = n
    r = trend(y, exposure=days[:k])
    if r.significant:
        assert r.ci_low > 1 or r.ci_high < 1
    else:
        assert r.ci_low <= 1 <= r.ci_high
    assert (r.rate_ratio == math.inf) == last and (r.ci_high == math.inf) == last and (r.ci_low == 0) != last


def test_the_method_page_says_the_interval_is_one_sided():
    from lagesbild.analysis.methods import method_texts
    text = " ".join(" ".join(row) for row in method_texts(alpha=0.05, cell_size=250, min_population=1000))
    assert "intervallet är ensidigt" in text
