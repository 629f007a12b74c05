"""Overdispersion-aware tests and false discovery rate control, against statsmodels/scipy and by
simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from lagesbild.core import dispersion as dp
from lagesbild.core.compare import compare
from lagesbild.core.fdr import adjust_table, bh_adjust, family_note
from lagesbild.core.poisson import poisson_rate_test
from lagesbild.core.trend import format_p, trend
from tests.stat_reference import history_fit, quasi_trend_p, quasi_two_period_p
from tests.test_recheck_stats8_trend_profile import profile_reference

MONTHS36 = pd.date_range("2019-01-01", periods=36, freq="MS")


def nb(rng, mean, k, size):
    """Negative binomial counts with the given mean and shape k (variance mean + mean²/k)."""
    return rng.negative_binomial(k, k / (k + mean), size)


@pytest.mark.parametrize("seed, mean, k", [(1, 8, 2), (2, 30, 5), (3, 2, 1), (4, 15, 100)])
def test_dispersion_equals_statsmodels(seed, mean, k):
    y = nb(np.random.default_rng(seed), mean, k, 36)
    est = dp.estimate_dispersion(y, MONTHS36)
    phi, nu = history_fit(y, MONTHS36)
    assert est.phi_raw == pytest.approx(phi, rel=1e-8)
    assert est.phi == pytest.approx(max(phi, 1.0), rel=1e-8)
    assert est.df_resid == pytest.approx(nu, rel=1e-8)
    assert est.method == "kvasi-Poisson"


@pytest.mark.parametrize("a, b, ea, eb, phi, nu", [(120, 150, 365, 365, 3.0, 20.0),
                                                    (14, 31, 212, 213, 1.7, 11.3),
                                                    (0, 9, 120, 31, 5.0, 30.0)])
def test_two_period_test_equals_statsmodels(a, b, ea, eb, phi, nu):
    d = dp.Dispersion(phi, phi, nu, 36, dp.METHOD_QUASI, "")
    assert dp.quasi_rate_test(a, b, ea, eb, d) == pytest.approx(quasi_two_period_p(a, b, ea, eb, phi, nu),
                                                                rel=1e-9)


def test_trend_with_dispersion_equals_statsmodels():
    counts, days = [130, 151, 160, 190], [365, 366, 365, 365]
    d = dp.Dispersion(4.2, 4.2, 25.0, 48, dp.METHOD_QUASI, "")
    r = trend(counts, exposure=days, dispersion=d)
    assert r.p_value == pytest.approx(quasi_trend_p(counts, days, 4.2, 25.0), rel=1e-7)
    assert r.method == "kvasi-Poisson" and r.verdict == "ingen säkerställd trend"
    plain = trend(counts, exposure=days)
    assert plain.p_value < 0.05 < r.p_value  # Poisson alone would call it a trend
    # the interval is the set the F test (φ 4,2, 25 degrees of freedom) does not reject (stats8: the
    # profile likelihood; it was Wald's widened by √φ·t/z): statsmodels' llf profiled by hand
    want = profile_reference(counts, days, phi=4.2, df=25.0)  # trend() without positions: 0, 1, 2, 3
    assert (r.ci_low, r.ci_high) == pytest.approx(want, rel=1e-6)
    assert r.ci_low < 1 < r.ci_high


def test_short_history_falls_back_to_exact_test_and_says_so():
    months = pd.date_range("2023-01-01", periods=20, freq="MS")
    m = pd.DataFrame({"place_id": "p", "category": "rån", "month": months, "count": [5] * 10 + [15] * 10})
    out = compare(m, ["2023-01-01–2023-10-31", "2023-11-01–2024-08-31"], place_id="p")
    row = out.iloc[0]
    assert row["method"] == "exakt Poisson"
    assert row["p_unadjusted"] == pytest.approx(stats.binomtest(150, 200, 0.5 * 0 + 305 / (304 + 305))
                                                .pvalue, rel=1e-12)
    assert row["verdict"].endswith("(exakt Poissontest: för kort historik)")
    assert "för kort (20 av minst 24 månader)" in row["note"]
    r = trend([10, 20, 30], dispersion=dp.estimate_dispersion([1] * 20, months))
    assert r.verdict.endswith("(Poissontest: för kort historik)") and r.method == "Poisson"


def _false_positive_rate(rng, mean, k, reps, n_months=36):
    months = pd.date_range("2019-01-01", periods=n_months, freq="MS")
    hits = naive = 0
    for i in range(reps):
        y = nb(rng, mean, k, n_months)
        d = dp.estimate_dispersion(y, months)
        a, b = int(y[-24:-12].sum()), int(y[-12:].sum())
        p = dp.quasi_rate_test(a, b, 365, 365, d) if d.quasi else poisson_rate_test(a, b, 365, 365)
        hits += p < 0.05
        if i < 100:  # the exact Poisson test on the first 100 series, for contrast
            naive += poisson_rate_test(a, b, 365, 365) < 0.05
    return hits / reps, naive / 100


def test_false_positive_rate_on_negative_binomial_data_without_change():
    """Seeded simulation: monthly NB counts, no change; the two-period test flags ≤ 6 % at 5 %."""
    rng = np.random.default_rng(20240611)
    reps = 500
    for mean, k in [(6, 2), (25, 4), (2, 0.7)]:  # dispersion 4, 7.25 and 3.9
        rate, naive = _false_positive_rate(rng, mean, k, reps)
        # 500 replicates: the binomial standard error at 5 % is ~1 percentage point
        assert rate <= 0.06, (mean, k, rate)
        assert naive > 0.15  # the exact Poisson test alone is far off on the same data


def _year_level_rate(rng, cv, mean, reps=400):
    """Share of unchanged series called significant when each Sep–Aug year's level varies by ``cv``
    (log-normal) and the months are Poisson around it: four years, the last two compared."""
    months = pd.date_range("2019-09-01", periods=48, freq="MS")
    sd = np.sqrt(np.log(1 + cv ** 2))
    hits = 0
    for _ in range(reps):
        y = rng.poisson(np.repeat(mean * np.exp(rng.normal(0, sd, 4)), 12))
        d = dp.estimate_dispersion(y, months)
        hits += dp.quasi_rate_test(int(y[24:36].sum()), int(y[36:].sum()), 365, 365, d) < 0.05
    return hits / reps


def test_the_documented_limit_a_year_higher_throughout_is_not_seen_by_the_monthly_dispersion():
    """What the Metod page says the test cannot tell, measured: with a yearly level that varies 10 %
    from year to year (no real change) about one comparison in five of 20 crimes a month is called
    significant, and about half at 100 a month; at 5 crimes a month about one in ten. (400 series
    each: the binomial standard error is about 2 percentage points.)"""
    rng = np.random.default_rng(11)
    assert _year_level_rate(rng, 0.10, 5) <= 0.12
    assert 0.15 <= _year_level_rate(rng, 0.10, 20) <= 0.30
    assert 0.40 <= _year_level_rate(rng, 0.10, 100) <= 0.60


def test_trend_false_positive_rate_on_negative_binomial_data_without_change():
    rng = np.random.default_rng(7)
    months = pd.date_range("2019-01-01", periods=36, freq="MS")
    hits, reps = 0, 400
    for _ in range(reps):
        y = nb(rng, 10, 2, 36)
        d = dp.estimate_dispersion(y, months)
        yearly = y.reshape(3, 12).sum(axis=1)
        hits += trend(yearly, dispersion=d).significant
    assert hits / reps <= 0.06


def test_bh_equals_scipy_and_family_note():
    rng = np.random.default_rng(5)
    p = rng.uniform(size=200) ** 3
    assert bh_adjust(p) == pytest.approx(stats.false_discovery_control(p, method="bh"), rel=1e-12)
    t = adjust_table(pd.DataFrame({"p_value": p}), 0.05)
    r = int((stats.false_discovery_control(p) < 0.05).sum())
    assert t.attrs["fdr"]["discoveries"] == r and t["significant"].sum() == r
    assert t.attrs["fdr"]["note"] == family_note(200, r, 0.05)
    again = adjust_table(t, 0.05)  # adjusting twice starts from the unadjusted p-values
    assert again["p_value"].tolist() == t["p_value"].tolist()


def test_overview_family_with_equal_rates_has_no_discoveries():
    """900 cells with the same rate in both years: BH leaves (almost) nothing 'säkerställd'."""
    rng = np.random.default_rng(11)
    a, b = rng.poisson(40, 900), rng.poisson(40, 900)
    p = np.array([poisson_rate_test(x, y) for x, y in zip(a, b, strict=True)])
    assert (p < 0.05).sum() > 20  # unadjusted: dozens of false "säkerställd"
    assert (bh_adjust(p) < 0.05).sum() <= 1


@pytest.mark.parametrize("p, text", [(0.0498, "0,0498"), (0.04996, "0,04996"), (0.0502, "0,0502"),
                                     (0.00099, "< 0,001"), (0.4371, "0,437"), (0.05, "0,0500")])
def test_shown_p_never_disagrees_with_the_verdict(p, text):
    assert format_p(p) == text
    shown = float(text.replace("< ", "").replace(",", "."))
    assert (shown < 0.05) == (p < 0.05) or text.startswith("<")


@pytest.mark.parametrize("batch", [2, 3, 7, 40])
def test_a_series_gets_the_same_dispersion_to_the_last_bit_alone_or_fitted_with_others(batch):
    """The screen fits a place's categories together, an export may fit one: the numbers must be the
    same to the last bit (BLAS rounding that depended on the batch gave 1e-14 differences and a
    dispersion that differed in its 17th digit between two reads of the same data)."""
    from lagesbild.core.dispersion import _irls, design, estimate_many

    months = pd.date_range("2014-01-01", periods=120, freq="MS")
    y = np.random.default_rng(5).negative_binomial(3, 3 / 15, (batch, 120)).astype(float)
    assert np.array_equal(_irls(y[:1], design(months))[0], _irls(y, design(months))[0])
    alone = estimate_many(y[:1], months, cache={})[0]
    together = estimate_many(y, months, cache={})[0]
    assert (alone.phi_raw, alone.df_resid) == (together.phi_raw, together.df_resid)
