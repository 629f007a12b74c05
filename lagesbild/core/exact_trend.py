"""The exact conditional test of a trend over periods, and the bound it sets on the trend test at small counts.

:func:`lagesbild.core.trend.trend` tests ``b = 0`` in ``count_i ~ Poisson(exposure_i · exp(a + b·x_i))``
by the likelihood-ratio (or quasi-Poisson F) test, a large-sample approximation. With a handful of
crimes it is too quick: trendless Poisson counts over three periods of mean 1 were called a trend in
9.8 % of cases at 5 % (7.1 % at mean 0.5, 6.9 % at mean 2; 3–5 % from mean 4 on). As the two-period
test (:func:`lagesbild.core.dispersion.quasi_rate_p`), where fewer than
:data:`~lagesbild.core.dispersion.SMALL_EXPECTED` crimes are expected in some period under no trend
(Cochran's rule), the p-value is never below the exact conditional test's (:func:`floor_small_counts`).

**The exact test.** Given the total ``N``, under ``b = 0`` the counts are multinomial with
``p_i = e_i / Σe``, whatever ``a``; ``T = Σ x_i·y_i`` is the sufficient statistic for ``b``, and its
distribution given ``N`` is that of the sum of ``N`` independent draws, each ``x_i`` with probability
``p_i`` (:func:`trend_distribution`, by ``N`` convolutions). The two-sided p-value is "minlike", as
:func:`scipy.stats.binomtest`'s: the probability of every ``T`` at most as likely as the observed one
(within a relative ``1e-7``). For two periods at 0 and 1, ``T`` is the second count and the test is
``binomtest(y_2, N, p_2)``. It assumes Poisson variation (φ = 1), less than any overdispersed count
has, so it bounds what the data can carry also for the quasi-Poisson test.

**Positions that are not whole periods.** Periods are placed at their middles
(:func:`lagesbild.core.trend.period_positions`: 0, 1.0014, 2.0027, … over leap years, 0, 1, 3.003 with
a year left out). ``T`` is computed on a grid: each position is rounded to the nearest ``1/d`` period,
``d`` the smallest of 1 … :data:`MAX_DENOM` that puts every position within :data:`POSITION_TOL` of
its grid point (else the one that comes closest), and ``T`` counts in grid steps, so equal sums
coincide exactly. Any statistic gives a test of exactly its level under ``b = 0``, since the counts'
conditional distribution does not depend on the positions at all; rounding only moves the test's
statistic a hair from the likelihood's, which changes its power, not its validity.

**Bounded work.** The convolutions cost about ``N·k·L/2`` operations for ``k`` periods and a support
``L = N·span·d``; the grid is coarsened (``d`` lowered) to keep that under :data:`MAX_WORK`. When even
whole periods are over it (about 3 000 crimes over five periods), :func:`exact_trend_p` returns NaN and
the bound is not applied. That is safe in the sense that matters: the bound only applies where some
period expects fewer than 5 crimes, and with thousands of crimes that period holds under 0.2 % of the
exposure; the fitted ``b`` and the likelihood ratio are then set by the other, large periods, for
which the chi-square approximation holds (``tests/test_recheck_stats6_trend_small.py`` checks the
false-positive rate of such a series). Probabilities below the smallest float (far tails of
thousands of draws) are 0: an observed ``T`` that unlikely has an exact p-value of 0 here, far below
any level, and the approximate p-value is kept.

Examples
--------
>>> [round(float(v), 4) for v in trend_distribution(2, [0.5, 0.5], [0, 1])]
[0.25, 0.5, 0.25]
>>> round(exact_trend_p([0, 0, 5], [1, 1, 1], [0, 1, 2]), 5)  # 2 × (1/3)⁵
0.00823
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from lagesbild.core.dispersion import SMALL_EXPECTED
from lagesbild.core.trend_profile import profile_interval

RERR = 1 + 1e-7       # scipy.stats.binomtest's relative tolerance for "as likely"
POSITION_TOL = 0.02   # positions within 0.02 period (a week in a year) of the grid
MAX_DENOM = 10        # the finest grid: a tenth of a period
MAX_WORK = 1e8        # element operations of the convolutions (≈ 0.05 s)
MAX_EXP = 709.0       # math.exp overflows above about e^709.78


def trend_distribution(n: int, probs, steps) -> np.ndarray:
    """``P(T = t)`` for ``t = 0 … n·max(steps)``, ``T = Σ steps_i·y_i`` with ``y`` multinomial
    ``(n, probs)`` and ``steps`` non-negative integers: ``n`` draws of ``steps_i`` with probability
    ``probs_i``, convolved one at a time (every term is a sum of positive products: no cancellation).

    Examples
    --------
    >>> trend_distribution(1, [0.25, 0.75], [0, 2]).tolist()
    [0.25, 0.0, 0.75]
    """
    steps = np.asarray(steps, dtype=np.int64)
    probs = np.asarray(probs, dtype=float)
    values, where = np.unique(steps, return_inverse=True)  # periods on one grid point: one step
    weights = np.zeros(len(values))
    np.add.at(weights, where, probs)
    top = int(values[-1])
    pmf = np.ones(1)
    for _ in range(int(n)):
        new = np.zeros(len(pmf) + top)
        for s, w in zip(values.tolist(), weights.tolist(), strict=True):
            new[s:s + len(pmf)] += w * pmf
        pmf = new
    return pmf


def _work(n: int, k: int, span: float) -> float:
    return n * k * (n * span + 1) / 2


def grid_steps(positions, n: int) -> np.ndarray | None:
    """The positions (from the first) as whole steps of the grid :func:`exact_trend_p` uses, or None
    when even whole periods would cost more than :data:`MAX_WORK` for ``n`` crimes.

    Examples
    --------
    >>> grid_steps([0, 1.0014, 2.0027], 10).tolist(), grid_steps([0, 1, 2.5], 10).tolist()
    ([0, 1, 2], [0, 2, 5])
    """
    x = np.asarray(positions, dtype=float)
    x = x - x[0]
    best, best_err = None, math.inf
    for d in range(1, MAX_DENOM + 1):
        m = np.rint(x * d)
        if _work(n, len(x), float(m[-1])) > MAX_WORK:
            break
        err = float(np.max(np.abs(x - m / d)))
        if err <= POSITION_TOL:
            return m.astype(np.int64)
        if err < best_err - 1e-12:
            best, best_err = m.astype(np.int64), err
    return best


def exact_trend_p(counts, exposure, positions) -> float:
    """Two-sided p-value of the exact conditional test of ``b = 0`` (module docstring): 1 when there
    are no crimes, NaN when the work would exceed :data:`MAX_WORK`.

    Examples
    --------
    >>> round(exact_trend_p([5, 1, 0], [365, 366, 365], [0, 1.0014, 2.0027]), 4)
    0.0191
    """
    y = np.asarray(counts, dtype=np.int64)
    e = np.asarray(exposure, dtype=float)
    n = int(y.sum())
    if n == 0:
        return 1.0
    steps = grid_steps(positions, n)
    if steps is None:
        return math.nan
    pmf = trend_distribution(n, e / e.sum(), steps)
    observed = pmf[int(np.dot(steps, y))]
    return float(min(1.0, pmf[pmf <= observed * RERR].sum()))


def floor_small_counts(reg: dict, counts, exposure, positions, level: float) -> dict:
    """``reg`` (the rate ratio, its interval and p-values of a trend fit, as
    :func:`lagesbild.core.trend.trend` computes them) with ``p_value`` never below the exact test's
    where fewer than :data:`~lagesbild.core.dispersion.SMALL_EXPECTED` crimes are expected in some
    period under no trend (and there are crimes at all); otherwise ``reg`` as it is.

    Where the bound raises the p-value, the interval (the profile-likelihood one of the unbounded
    test, :mod:`lagesbild.core.trend_profile`) becomes the one the bounded p-value implies, so that it
    excludes 1 exactly when that p-value is below ``1 − level``: ``exp(b ± q·se)`` with
    ``se = |b| / q_p``, ``q`` and ``q_p`` the normal (or ``t`` of ``ci_df`` degrees of freedom)
    quantiles of the level and of the bounded p-value (a test-based interval; Altman & Bland 2011).
    Left alone, an interval excluding 1 stood beside "ingen säkerställd trend" ([1, 1, 5, 5]); and
    :func:`lagesbild.core.trend_family.fcr_intervals`, which reads ``se`` back from the interval,
    keeps the agreement at the family's level. The Wald p-value is reported unchanged. An infinite
    ``b`` (every crime in the first or last period) has a one-sided interval, the union of the profile
    one and the exact test's (:func:`edge_union`); its p-value is bounded too.

    Examples
    --------
    >>> reg = {"rate_ratio": 2.597, "ci_low": 1.02, "ci_high": 6.61, "p_value": 0.035, "ci_df": math.inf}
    >>> out = floor_small_counts(reg, [1, 2, 6], [1, 1, 1], [0, 1, 2], 0.95)
    >>> round(out["p_value"], 4), round(out["ci_low"], 3), round(out["ci_high"], 2)
    (0.0635, 0.948, 7.12)
    """
    y = np.asarray(counts, dtype=float)
    e = np.asarray(exposure, dtype=float)
    n = y.sum()
    if not n > 0 or float(np.min(n * e / e.sum())) >= SMALL_EXPECTED:
        return reg
    exact = exact_trend_p(y.astype(np.int64), e, positions)
    if not exact > reg["p_value"]:  # NaN (too large to compute): the test as it is
        if reg["rate_ratio"] in (0.0, math.inf) and exact == exact:  # the union whatever the p-value
            low, high = edge_union((reg["ci_low"], reg["ci_high"]), y, e, positions, level)
            return {**reg, "ci_low": low, "ci_high": high}
        return reg
    out = {**reg, "p_value": exact}
    rr = reg["rate_ratio"]
    if rr == math.inf or rr == 0:
        out["ci_low"], out["ci_high"] = edge_union((reg["ci_low"], reg["ci_high"]), y, e, positions, level)
    if 0 < rr < math.inf and rr != 1:  # b = 0: the test's own interval, which includes 1, is kept
        b, df = math.log(rr), reg.get("ci_df", math.inf)
        q_level, q_p = _upper(df, (1 - level) / 2), _upper(df, exact / 2)
        half = abs(b) * q_level / q_p if q_p > 0 else math.inf
        # a bounded p-value near 1 makes q_p tiny and the interval (0, ∞): math.exp raises above e^709
        out["ci_low"], out["ci_high"] = (math.exp(b - half) if b - half > -MAX_EXP else 0.0,
                                         math.exp(b + half) if b + half < MAX_EXP else math.inf)
    return out


def _upper(df: float, q: float) -> float:
    """The upper ``q`` quantile of the normal distribution (``df`` infinite) or of ``t`` with ``df``
    degrees of freedom: ``scipy.stats.norm.isf(q)`` / ``scipy.stats.t.isf(q, df)``."""
    return float(-special.ndtri(q) if not math.isfinite(df) else -special.stdtrit(df, q))


def small_counts(counts, exposure) -> bool:
    """Whether :func:`floor_small_counts` bounds the test: some period expects fewer than
    :data:`~lagesbild.core.dispersion.SMALL_EXPECTED` crimes under no trend, and there are crimes."""
    y, e = np.asarray(counts, dtype=float), np.asarray(exposure, dtype=float)
    n = y.sum()
    return bool(n > 0 and float(np.min(n * e / e.sum())) < SMALL_EXPECTED)


def edge_union(profile: tuple[float, float], counts, exposure, positions, level: float
               ) -> tuple[float, float]:
    """The one-sided interval of an infinite (or zero) rate ratio at small counts: the rate ratios
    that either the likelihood-ratio test (``profile``, its one-sided interval) or the exact test
    (:func:`exact_edge_interval`) does not reject. The p-value is the larger of the two tests'
    there, so it is below ``1 − level`` exactly when both reject 1, and then neither interval holds
    1: the union excludes 1 exactly when the verdict is "säkerställd" ([0, 0, 3]: likelihood ratio
    p 0.010 and profile bound 1.75, exact p 0.074 and bound 1 (below 1 the outcome 3, 0, 0 is the more
    likely and the exact p drops under 5 %), "ingen säkerställd trend").

    Examples
    --------
    >>> [round(v, 4) for v in edge_union((2.8772, math.inf), [0, 0, 5], [1, 1, 1], [0, 1, 2], 0.95)]
    [1.6256, inf]
    """
    exact = exact_edge_interval(counts, exposure, positions, level)
    low, high = profile
    if math.isnan(exact[0]):
        return low, high
    return (min(low, exact[0]), math.inf) if high == math.inf else (0.0, max(high, exact[1]))


def exact_edge_interval(counts, exposure, positions, level: float) -> tuple[float, float]:
    """The rate ratios the exact test (:func:`exact_trend_p`) does not reject when every crime falls in
    the last period (``(low, ∞)``) or the first (``(0, high)``); NaN when it is too large to compute.

    Given the total, under ``b`` the statistic ``T`` (in grid steps of ``1/d`` period) has the null
    distribution tilted by ``exp(b·T/d)``; the observed ``T`` is the largest (or the smallest) possible,
    and the two-sided "minlike" p-value at ``b`` rises towards 1 as ``b`` goes to ``+∞`` (``−∞``). The
    bound is where it crosses ``1 − level``: the first crossing of a 64-point scan below the
    smallest ``b`` not rejected that a doubling search finds, then bisection.

    Examples
    --------
    >>> low, high = exact_edge_interval([0, 0, 5], [1, 1, 1], [0, 1, 2], 0.95)
    >>> round(low, 4), high  # enumerating the multinomial outcomes with scipy gives 1.6256 too
    (1.6256, inf)
    """
    y = np.asarray(counts, dtype=np.int64)
    e = np.asarray(exposure, dtype=float)
    x = np.asarray(positions, dtype=float)
    n = int(y.sum())
    steps = grid_steps(x, n) if n > 0 else None
    if steps is None or steps[-1] == 0:
        return math.nan, math.nan
    last = bool(y[-1] == n)
    pmf = trend_distribution(n, e / e.sum(), steps)
    if not last:
        pmf = pmf[::-1]  # T' = top − T: the first period's case is the last one's mirrored
    d = float(steps[-1]) / float(x[-1] - x[0])
    keep = pmf > 0
    logp, t = np.log(pmf[keep]), np.flatnonzero(keep) / d
    alpha = 1 - level

    def p_at(b: float) -> float:
        z = logp + b * t
        w = np.exp(z - z.max())
        w /= w.sum()
        return float(min(1.0, w[w <= w[-1] * RERR].sum()))

    hi = 1.0
    while p_at(hi) < alpha:
        hi *= 2
        if hi > MAX_EXP:
            return (math.inf, math.inf) if last else (0.0, 0.0)
    lo, step = hi, 1.0
    while p_at(lo) >= alpha:
        lo -= step
        step *= 2
        if lo < -MAX_EXP:
            return (0.0, math.inf)
    grid = np.linspace(lo, hi, 65)
    j = next(i for i, b in enumerate(grid) if p_at(float(b)) >= alpha)
    a, b = float(grid[j - 1]), float(grid[j])
    for _ in range(60):
        mid = (a + b) / 2
        a, b = (a, mid) if p_at(mid) >= alpha else (mid, b)
    bound = min(max(b, -MAX_EXP), MAX_EXP)
    return (math.exp(bound), math.inf) if last else (0.0, math.exp(-bound))


def trend_interval(profile: tuple, level: float) -> tuple[float, float]:
    """A trend's interval at ``level`` from what it is made of (``(counts, exposure, positions, φ, ν)``,
    :func:`lagesbild.core.trend.trend_with_profile`): the profile-likelihood one, and for an infinite
    or zero estimate at small counts its union with the exact test's (:func:`edge_union`), as
    :func:`floor_small_counts` makes it at 95 %.

    Examples
    --------
    >>> [round(v, 4) for v in trend_interval(((0, 0, 5), (1, 1, 1), (0, 1, 2), 1.0, math.inf), 0.95)]
    [1.6256, inf]
    """
    counts, exposure, positions, phi, df = profile[:5]
    low, high = profile_interval(counts, exposure, positions, phi, df, level)
    if (low == 0 or high == math.inf) and small_counts(counts, exposure) and _edge(counts):
        low, high = edge_union((low, high), counts, exposure, positions, level)
    return low, high


def _edge(counts) -> bool:
    """Whether every crime falls in the first or the last period (and there are crimes)."""
    y = [float(v) for v in counts]
    positive = [i for i, v in enumerate(y) if v > 0]
    return bool(positive) and positive[0] == positive[-1] and positive[0] in (0, len(y) - 1)
