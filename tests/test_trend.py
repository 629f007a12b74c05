"""Tests for lagesbild.core.trend against statsmodels' Poisson GLM, scipy's kendalltau and hand sums."""

from __future__ import annotations

import doctest
import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from lagesbild.core import trend as tr
from lagesbild.core import trend_family as tf
from lagesbild.core.compare import counts_by_period
from lagesbild.core.dispersion import SMALL_EXPECTED
from lagesbild.core.trend import mann_kendall, trend
from lagesbild.core.trend_family import trend_table
from tests.test_recheck_stats8_trend_profile import profile_reference

UP, DOWN, NONE = ("ökande trend, statistiskt säkerställd", "minskande trend, statistiskt säkerställd",
                  "ingen säkerställd trend")


def test_doctests():
    assert doctest.testmod(tr).failed == 0


def statsmodels_fit(counts, exposure, positions=None, quasi=False):
    """Full and null Poisson GLMs with log(exposure) as offset, fitted to a tight tolerance (the
    default 1e-8 on the deviance leaves relative errors of ~1e-5 in the intervals for tiny counts);
    ``quasi``: the full model's scale is Pearson's X²/df and its intervals and tests use t."""
    y = np.asarray(counts, dtype=float)
    offset = np.log(np.asarray(exposure, dtype=float))
    t = np.arange(len(y), dtype=float) if positions is None else np.asarray(positions, dtype=float)
    x = sm.add_constant(t)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = sm.GLM(y, x, family=sm.families.Poisson(), offset=offset).fit(tol=1e-13, maxiter=300)
        if quasi:  # statsmodels' own quasi fit, started at the Poisson estimate (its default start can fail)
            full = sm.GLM(y, x, family=sm.families.Poisson(), offset=offset).fit(
                tol=1e-13, maxiter=300, scale="X2", use_t=True, start_params=full.params)
        null = sm.GLM(y, np.ones((len(y), 1)), family=sm.families.Poisson(), offset=offset).fit(
            tol=1e-13, maxiter=300)
    return full, null


def reference_trend(counts, exposure=None, positions=None):
    """The trend test by statsmodels: a Poisson GLM, and when the periods vary more than Poisson
    (Pearson X²/(n − 2) > 1) the F test of the deviance drop scaled by X²/(n − 2); the interval is the
    profile-likelihood one of the same test: ``(rate ratio, ci_low, ci_high, p)``."""
    e = np.ones(len(counts)) if exposure is None else np.asarray(exposure, dtype=float)
    full, null = statsmodels_fit(counts, e, positions)
    phi = full.pearson_chi2 / full.df_resid
    lr = 2 * (full.llf - null.llf)
    # the interval: the profile likelihood's (statsmodels' llf profiled over the intercept, stats8)
    if phi > 1:
        lo, hi = profile_reference(counts, e, positions, phi=phi, df=full.df_resid)
        return math.exp(full.params[1]), lo, hi, stats.f.sf(max(lr, 0) / phi, 1, full.df_resid)
    lo, hi = profile_reference(counts, e, positions)
    return math.exp(full.params[1]), lo, hi, stats.chi2.sf(max(lr, 0), 1)


def hand_mann_kendall(values):
    """S by a double loop, variance with the tie correction, continuity-corrected normal p-value."""
    n = len(values)
    s = sum(np.sign(values[j] - values[i]) for i in range(n) for j in range(i + 1, n))
    groups = {}
    for v in values:
        groups[v] = groups.get(v, 0) + 1
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in groups.values())) / 18
    if s == 0 or var == 0:
        return int(s), 1.0
    z = (s - 1) / math.sqrt(var) if s > 0 else (s + 1) / math.sqrt(var)
    return int(s), 2 * (1 - stats.norm.cdf(abs(z)))


@pytest.mark.parametrize("counts, verdict", [
    ([50, 70, 100, 140], UP),
    ([140, 100, 70, 50], DOWN),
    ([100, 98, 103, 101], NONE),
    # a step, not a trend: the periods vary 17 times more than Poisson around the line (X² on 1 df),
    # so the quasi-Poisson test on the periods does not call it (the Poisson test did)
    ([274, 142, 150], NONE),
    ([5, 6, 7], NONE),
    ([0, 3, 12, 30, 41], UP),
])
def test_verdict_table(counts, verdict):
    r = trend(counts)
    assert r.verdict == verdict
    assert (reference_trend(counts)[3] < 0.05) == (verdict != NONE)
    assert r.significant == (verdict != NONE)
    assert r.n_periods == len(counts)


@pytest.mark.parametrize("counts", [[], [3], [10, 12], np.array([1, 2])])
def test_too_few_periods(counts):
    r = trend(counts)
    assert r.verdict == "för få perioder för trendtest"
    assert not r.significant and math.isnan(r.p_value) and math.isnan(r.rate_ratio)


def test_all_zero():
    r = trend([0, 0, 0, 0])
    assert r.verdict == NONE and r.p_value == 1.0 and r.note == "Inga brott i någon period."


@pytest.mark.parametrize("counts, ratio", [([10, 0, 0], 0.0), ([0, 0, 0, 9], math.inf)])
def test_all_crimes_in_one_end_period(counts, ratio):
    r = trend(counts)
    y = np.array(counts)
    ll_saturated = stats.poisson.logpmf(y[y > 0], y[y > 0]).sum()
    ll_null = stats.poisson.logpmf(y, y.mean()).sum()
    assert r.rate_ratio == ratio
    # under 5 crimes expected a period: the likelihood-ratio p-value is bounded by the exact test's,
    # whose only outcomes as unlikely are all crimes in the first or all in the last: 2 · (1/k)^N
    exact = 2 * (1 / len(y)) ** y.sum()
    assert r.p_value == pytest.approx(exact, rel=1e-9)
    assert exact > stats.chi2.sf(2 * (ll_saturated - ll_null), 1)
    assert r.verdict == (DOWN if ratio == 0 else UP)
    # one-sided interval (stats11): the open end at the estimate, the other end excludes 1 (significant)
    assert math.isnan(r.p_value_wald) and (r.ci_low == 0 and r.ci_high < 1 if ratio == 0 else
                                           r.ci_high == math.inf and r.ci_low > 1)


def test_exposure_is_an_offset():
    base = trend([100, 120, 140, 160])
    scaled = trend([100, 120, 140, 160], exposure=[7, 7, 7, 7])
    assert scaled.rate_ratio == pytest.approx(base.rate_ratio, rel=1e-9)
    assert scaled.p_value == pytest.approx(base.p_value, rel=1e-9)
    flat = trend([100, 200, 300, 400], exposure=[1, 2, 3, 4])
    assert flat.rate_ratio == pytest.approx(1.0, abs=1e-9) and flat.verdict == NONE


@pytest.mark.parametrize("counts, exposure", [
    ([1, -2, 3], None), ([1, 2.5, 3], None), ([1, 2, float("nan")], None), ([[1, 2, 3]], None),
    ([1, 2, 3], [1, 2]), ([1, 2, 3], [1, 0, 1]),
])
def test_rejects_bad_input(counts, exposure):
    with pytest.raises(ValueError):
        trend(counts, exposure=exposure)


def test_notes_for_overdispersion_and_disagreeing_mann_kendall():
    r = trend([10, 100, 10, 100, 10, 100])
    assert r.dispersion > 10 and r.method == "kvasi-Poisson" and r.ci_df == 4
    assert "Perioderna varierar mer än månaderna visar (spridningskvot 53,4)" in r.note
    # Mann–Kendall cannot reach 0,05 with four periods (its least p is 0,089): no note that it disagrees
    r = trend([120, 100, 85, 70], exposure=[365, 366, 365, 300])
    assert r.verdict == DOWN and "Mann–Kendall" not in r.note
    assert tr.mann_kendall([4, 3, 2, 1])[2] == pytest.approx(0.0894, abs=1e-4)
    r = trend([200, 160, 130, 100, 104])  # one pair out of order: S = -8 of 10, p = 0,086
    assert r.verdict == DOWN and "Mann–Kendall-testet (p = 0,0864) ger inte samma slutsats." in r.note


def test_the_periods_own_variation_is_not_ignored():
    """The trend test used the monthly history's dispersion, which cannot see years that are higher or
    lower throughout: with no trend, it called 38 % of such series "säkerställd". The periods' own
    dispersion (X²/(n − 2)) is used when larger; in a simulation without a trend the rate of
    "säkerställd" stays near 5 %."""
    from lagesbild.core.dispersion import METHOD_QUASI, Dispersion

    monthly = Dispersion(1.2, 1.2, 60, 72, METHOD_QUASI, "")
    rng = np.random.default_rng(7)
    called = 0
    runs = 400
    for _ in range(runs):
        level = 40 * np.exp(rng.normal(0, 0.15, 6))  # each year's level off by about 15 %
        counts = rng.poisson(level * 12)
        called += trend(counts, dispersion=monthly).significant
    assert called / runs < 0.08, called


def test_periods_left_out_keep_their_distance_in_time():
    """A year without data between others was dropped and the rest fitted as consecutive: 20 % a year
    read as 26 %. The periods are now placed at their middles in time, as statsmodels with real time."""
    years = [2017, 2018, 2020, 2021, 2022]  # 2019–2020 left out
    counts = [round(1440 * 1.2 ** (y - 2017)) for y in years]
    starts = pd.to_datetime([f"{y}-09-01" for y in years])
    days = [365, 366, 365, 365, 365]
    positions = tr.period_positions(starts, days)
    r = trend(counts, exposure=days, positions=positions)
    middle = (starts + pd.to_timedelta(np.array(days) / 2, unit="D"))
    hand = ((middle - middle[0]) / pd.Timedelta(days=365)).to_numpy(float)
    assert positions == pytest.approx(hand)
    ratio, lo, hi, p = reference_trend(counts, days, hand)
    assert r.rate_ratio == pytest.approx(ratio, rel=1e-6) == pytest.approx(1.2, rel=2e-3)
    assert (r.ci_low, r.ci_high) == pytest.approx((lo, hi), rel=1e-6)
    assert "Perioderna följer inte direkt på varandra" in r.note


def test_trend_table_over_counts_by_period():
    rows = []
    for year, n in zip(range(2018, 2022), (10, 20, 30, 45), strict=False):
        rows += [("p", "ran", f"{year}-{m:02d}-01", n) for m in range(1, 13)]
        rows += [("p", "stold", f"{year}-{m:02d}-01", 5) for m in range(1, 13)]
    monthly = pd.DataFrame(rows, columns=["place_id", "category", "month", "count"])
    monthly["month"] = pd.to_datetime(monthly["month"])
    table = counts_by_period(monthly, ["2018", "2019", "2020", "2021"], place_id="p")
    out = trend_table(table).set_index("category")
    assert out.loc["ran", "verdict"] == UP and out.loc["stold", "verdict"] == NONE
    assert out.loc["alla", "n_periods"] == 4
    ran = table[table["category"] == "ran"]
    direct = trend(ran["count"], exposure=[365, 365, 366, 365],
                   positions=tr.period_positions(ran["start"], [365, 365, 366, 365]))
    assert out.loc["ran", "rate_ratio"] == pytest.approx(direct.rate_ratio)
    assert out.loc["ran", "rate_ratio"] == pytest.approx(
        reference_trend(ran["count"], [365, 365, 366, 365], [0, 1, 730.5 / 365, 1096 / 365])[0])  # middles
    gappy = table.assign(months_missing=[0] * 9 + [2] * 3)
    assert trend_table(gappy)["verdict"].eq("kan inte bedömas: data saknas för 2 månader").all()


# ---------------------------------------------------------------- hypothesis
count_lists = st.lists(st.integers(0, 400), min_size=3, max_size=10)


def exposures_for(n):
    return st.one_of(st.none(), st.lists(st.integers(28, 366), min_size=n, max_size=n),
                     st.lists(st.floats(0.5, 3.0), min_size=n, max_size=n))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_poisson_regression_matches_statsmodels(data):
    counts = data.draw(count_lists)
    positive = [i for i, c in enumerate(counts) if c > 0]
    assume(len(set(positive)) >= 1 and positive not in ([0], [len(counts) - 1]))
    exposure = data.draw(exposures_for(len(counts)))
    e = np.ones(len(counts)) if exposure is None else np.asarray(exposure, dtype=float)
    r = trend(counts, exposure=exposure)
    full, null = statsmodels_fit(counts, e)
    assert r.rate_ratio == pytest.approx(math.exp(full.params[1]), rel=1e-6)
    assert r.dispersion == pytest.approx(full.pearson_chi2 / full.df_resid, rel=1e-5, abs=1e-9)
    wald = statsmodels_fit(counts, e, quasi=True)[0] if r.dispersion > 1 else full
    assert r.p_value_wald == pytest.approx(wald.pvalues[1], rel=1e-5, abs=1e-12)
    # where a period expects fewer than SMALL_EXPECTED crimes, p is floored by the exact test and the
    # interval follows it (core.exact_trend.floor_small_counts; test_exact_trend checks that part):
    # the GLM reference is the unbounded test, so it is compared only where no floor applies. [0, 1, 1]
    # (an interval of 0,05–… against the unbounded 0,38–…) and [0, 1, 0] over exposures 28, 28, 45
    # (where the reference's root finder fails) are the examples hypothesis found (stats11).
    expected = sum(counts) * e / e.sum()
    if expected.min() < SMALL_EXPECTED:  # the floor only raises p above the unbounded test's
        phi, lr = full.pearson_chi2 / full.df_resid, max(2 * (full.llf - null.llf), 0)
        unbounded = stats.f.sf(lr / phi, 1, full.df_resid) if phi > 1 else stats.chi2.sf(lr, 1)
        assert r.p_value >= unbounded * (1 - 1e-6) - 1e-12
        return
    ratio, lo, hi, p = reference_trend(counts, e)
    assert (r.ci_low, r.ci_high) == pytest.approx((lo, hi), rel=1e-6)
    assert r.p_value == pytest.approx(p, rel=1e-5, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=3, max_size=15))
def test_mann_kendall_matches_kendalltau_and_hand(values):
    s, tau, p = mann_kendall(values)
    hand_s, hand_p = hand_mann_kendall(values)
    assert s == hand_s
    assert p == pytest.approx(hand_p, rel=1e-9, abs=1e-12)
    reference = stats.kendalltau(np.arange(len(values)), values).statistic
    if len(set(values)) == 1:
        assert math.isnan(tau) and math.isnan(reference)
    else:
        assert tau == pytest.approx(reference, rel=1e-12)


@settings(max_examples=80, deadline=None)
@given(count_lists)
def test_trend_properties(counts):
    r = trend(counts)
    assert r.p_value == r.p_value  # not NaN with three or more periods
    assert 0 <= r.p_value <= 1 and 0 <= r.mk_p <= 1
    reverse = trend(counts[::-1])
    assert reverse.p_value == pytest.approx(r.p_value, rel=1e-6, abs=1e-12)
    assert reverse.mk_s == -r.mk_s
    if 0 < r.rate_ratio < math.inf:
        assert reverse.rate_ratio == pytest.approx(1 / r.rate_ratio, rel=1e-6)
        assert r.ci_low <= r.rate_ratio <= r.ci_high
    assert r.significant == (r.p_value < 0.05 and r.rate_ratio != 1)


def _trend_family(rng, k=9, trending=(0,)):
    """Yearly counts of ``k`` categories over five periods, a 15 % yearly rise in ``trending``; BH over
    the table as the Plats page does."""
    from lagesbild.core.fdr import adjust_table

    rows = []
    for c in range(k):
        level = rng.uniform(40, 400)
        for i in range(5):
            mean = level * (1.15 ** i if c in trending else 1.0)
            rows.append({"category": f"k{c}", "count": int(rng.poisson(mean)), "days": 365})
    table = trend_table(pd.DataFrame(rows), by=["category"])
    return adjust_table(table, 0.05, verdicts=tf.trend_verdicts)


def test_trend_verdicts_equal_the_row_verdicts_of_every_row():
    # The Plats view gives the table form to adjust_table; each row must read as the row form says,
    # including untested rows (no rate ratio), a ratio of exactly 1 and the exact test's suffix.
    from lagesbild.core.fdr import adjust_table

    rng = np.random.default_rng(11)
    seen = set()
    for rep in range(30):
        rows = []
        for c in range(6):
            level = rng.choice([0.0, 0.5, 3.0, 40.0, 400.0])
            n = int(rng.integers(2, 7))
            rows += [{"category": f"k{c}", "count": int(rng.poisson(level * 1.2 ** i)), "days": 365}
                     for i in range(n)]
        table = trend_table(pd.DataFrame(rows), by=["category"])
        if rep % 3 == 0:
            table.loc[table.index[:1], "rate_ratio"] = 1.0
        if rep % 2:  # as trend() words a test whose history is too short for a dispersion fit
            tested = table["rate_ratio"].notna()
            table.loc[tested, "verdict"] = table.loc[tested, "verdict"] + tr.EXACT_SUFFIX
        flags = rng.random(len(table)) < 0.5
        expected = [tf.trend_row_verdict(r, bool(f)) for r, f in
                    zip(table.to_dict("records"), flags, strict=True)]
        assert tf.trend_verdicts(table, flags) == expected
        table_form = adjust_table(table, 0.05, verdicts=tf.trend_verdicts)
        row_form = adjust_table(table, 0.05, verdict=tf.trend_row_verdict)
        assert table_form["verdict"].tolist() == row_form["verdict"].tolist()
        seen.update(expected)
    # the cases above were all met: up, down, none, untested, and the exact test's suffix
    assert {tr.VERDICTS["up"], tr.VERDICTS["down"], tr.VERDICTS["none"], tr.VERDICTS["few"]} <= seen
    assert any(v.endswith(tr.EXACT_SUFFIX) for v in seen)


def test_trend_intervals_agree_with_the_adjusted_verdicts():
    # A 95 % interval of the rate ratio excluded 1 beside "ingen säkerställd trend" once BH had
    # adjusted the verdict; at the Benjamini–Yekutieli level 1 - max(R, 1)·α/m they agree.
    rng = np.random.default_rng(4)
    disagree_95 = disagree = found = 0
    for rep in range(40):
        adjusted = _trend_family(rng, trending=(0, 1) if rep % 2 else ())
        widened = tf.fcr_intervals(adjusted, 0.05)
        sig = adjusted["significant"].to_numpy(bool)
        found += int(sig.sum())
        for t, count in ((adjusted, "95"), (widened, "by")):
            excludes = ((t["ci_low"] > 1) | (t["ci_high"] < 1)).to_numpy(bool)
            if count == "95":
                disagree_95 += int((excludes != sig).sum())
            else:
                disagree += int((excludes != sig).sum())
        fam = adjusted.attrs["fdr"]
        raw = adjusted["p_unadjusted"].to_numpy(float)
        r = int((stats.false_discovery_control(raw, method="bh") < 0.05).sum())
        assert widened["ci_level"].iloc[0] == pytest.approx(1 - max(r, 1) * 0.05 / fam["m"])
    assert found > 10 and disagree_95 > 0
    assert disagree == 0  # the profile interval inverts the test itself (stats8; Wald's could differ)


def test_trend_intervals_are_the_profile_interval_at_the_family_level():
    # stats8: the interval is the profile-likelihood one of the test (it was Wald's, widened by the
    # quantile); at the family's level it is that of statsmodels' llf profiled at the same level
    rng = np.random.default_rng(9)
    adjusted = _trend_family(rng)
    widened = tf.fcr_intervals(adjusted, 0.05)
    level = widened["ci_level"].iloc[0]
    assert level != 0.95
    rows = _trend_family_rows(np.random.default_rng(9))
    for cat, got in widened.set_index("category").iterrows():
        counts = rows[cat]
        phi = float(got["dispersion"])  # the periods' Pearson X²/(n − 2), checked against statsmodels above
        phi, df = (phi, len(counts) - 2) if phi > 1 else (1.0, math.inf)
        want = profile_reference(counts, [365] * len(counts), phi=phi, df=df, level=level)
        assert (got["ci_low"], got["ci_high"]) == pytest.approx(want, rel=1e-6), cat


def _trend_family_rows(rng, k=9, trending=(0,)):
    """The counts :func:`_trend_family` draws from the same generator, by category."""
    rows = {}
    for c in range(k):
        level = rng.uniform(40, 400)
        rows[f"k{c}"] = [int(rng.poisson(level * (1.15 ** i if c in trending else 1.0))) for i in range(5)]
    return rows
