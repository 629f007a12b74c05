"""Mann–Kendall, the trend test's second opinion, and the one-number tails and quantiles of
:mod:`lagesbild.core.trend` (split from it; behaviour unchanged).

**Mann–Kendall.** ``S = Σ_{i<j} sign(x_j − x_i)`` over the rates ``count / exposure`` in period order,
``Var S = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18`` with ``t`` the sizes of groups of tied values, the
continuity-corrected ``Z = (S ∓ 1)/√Var S`` and a two-sided normal p-value; no correction for
autocorrelation. ``tau`` is Kendall's tau-b of the rates against time, ``S / √(n₀ (n₀ − n₂))`` with
``n₀ = n(n−1)/2`` and ``n₂ = Σ t(t−1)/2``.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import special, stats


def _norm_sf(x: float):
    """``scipy.stats.norm.sf(x)`` of one number by scipy's own ``_sf`` (``ndtr(-x)``): a benchmark of
    the Plats trend table showed the distribution's argument handling at ≈ 0.1 ms a call."""
    return special.ndtr(-x)


def _t_sf(x: float, df: float) -> float:
    """``scipy.stats.t.sf(x, df)`` of one number, value for value: scipy's ``_sf`` (``stdtr(df, -x)``)
    where scipy calls it, its answers elsewhere (NaN for a NaN ``x`` or ``df <= 0``, 0 at ``inf``, 1 at
    ``-inf``), as :func:`_norm_sf`."""
    if not df > 0 or math.isnan(x):
        return math.nan
    if math.isinf(x):
        return 0.0 if x > 0 else 1.0
    return float(special.stdtr(df, -x))


def _chi2_sf_1(x: float):
    """``scipy.stats.chi2.sf(x, 1)`` of one number ≥ 0 or NaN by scipy's ``_sf``, as :func:`_norm_sf`."""
    return special.chdtrc(1, x)


def mann_kendall(values) -> tuple[int, float, float]:
    """Mann–Kendall test of a monotone trend in ``values`` (in time order): ``(S, tau_b, p)``.

    Two-sided p-value from the normal approximation with tie correction and continuity correction;
    no correction for autocorrelation. ``tau`` is NaN and ``p`` 1.0 when all values are equal.

    Examples
    --------
    >>> s, tau, p = mann_kendall([1, 2, 2, 5, 7])
    >>> s, round(tau, 3), round(p, 3)
    (9, 0.949, 0.043)
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    first, second = _pairs(n)  # every i < j: sign(x_j − x_i), as the upper triangle of the n × n signs
    s = int(np.sign(x[second] - x[first]).sum())
    _, ties = np.unique(x, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - np.sum(ties * (ties - 1) * (2 * ties + 5))) / 18
    n0, n2 = n * (n - 1) / 2, float(np.sum(ties * (ties - 1) / 2))
    tau = s / math.sqrt(n0 * (n0 - n2)) if n0 > n2 else math.nan
    if var <= 0 or s == 0:
        return s, tau, 1.0
    z = (s - math.copysign(1, s)) / math.sqrt(var)
    return s, tau, float(min(1.0, 2 * _norm_sf(abs(z))))


@lru_cache(maxsize=64)
def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The positions ``(i, j)`` of every pair ``i < j`` of ``n`` values (kept per ``n``, read-only)."""
    first, second = np.triu_indices(n, 1)
    first.flags.writeable = second.flags.writeable = False
    return first, second


@lru_cache(maxsize=256)
def mk_can_decide(n: int, alpha: float) -> bool:
    """Whether Mann–Kendall can reach ``alpha`` with ``n`` values at all (its smallest p-value, of a
    strictly monotone series, is 0,296 for 3 and 0,089 for 4): below that its disagreement says
    nothing, and no note is given. Kept per ``(n, alpha)``: every trend of a table asks again.

    Examples
    --------
    >>> mk_can_decide(4, 0.05), mk_can_decide(5, 0.05)
    (False, True)
    """
    return mann_kendall(np.arange(n))[2] < alpha


@lru_cache(maxsize=256)
def t_quantile(level: float, df: float) -> float:
    """The two-sided quantile of a confidence level for a t distribution of ``df`` degrees of freedom
    (the normal one for ``inf``), kept per (level, df)."""
    return z_quantile(level) if not np.isfinite(df) else float(stats.t.ppf(0.5 + level / 2, df))


@lru_cache(maxsize=64)
def z_quantile(level: float) -> float:
    """The two-sided normal quantile of a confidence level (scipy's, kept per level: a benchmark
    showed scipy's two calls at ≈ 0.6 ms of the trend table's intervals)."""
    return stats.norm.ppf(0.5 + level / 2)
