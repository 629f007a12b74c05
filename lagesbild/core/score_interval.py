"""The score interval of a difference of two shares: the inversion of the pooled two-proportion z test.

The survey's verdicts come from the pooled z test (:func:`lagesbild.core.proportions._ztest`), whose
statistic at ``p1 − p2 = 0`` divides by the pooled share's variance. Its interval used to be Newcombe's
hybrid score interval (two Wilson intervals combined), another approximation, and the two disagreed
right at α: 0,254 of 78 → 0,368 of 501 had p 0,04998 ("statistiskt säkerställd") beside −0,02 to
+20,8 percentage points (stats11 found 237 such pairs among 39 494 drawn near the 5 % line). The
interval here is the set of differences ``δ`` the score test of ``p1 − p2 = δ`` does not reject
(Farrington & Manning 1990; Miettinen & Nurminen 1985 without their ``N/(N − 1)`` factor): its
variance is that of the shares estimated under ``δ`` (the restricted maximum likelihood, a cubic's root
in closed form), so at ``δ = 0`` it is the pooled z test's, and the interval excludes 0 exactly when
that test's p-value is below ``1 − level``.

statsmodels has this interval (``confint_proportions_2indep(method="score", correction=False)``), but
its root search fails on ordinary tables (the example above raises "f(a) and f(b) must have different
signs"); its score *test* at a given ``δ`` (``test_proportions_2indep``) is the reference the tests use.
The bounds are found by bisection on all rows at once (the statistic decreases in ``δ``).
"""

from __future__ import annotations

import numpy as np

BISECTIONS = 60  # halvings of (−1, 1): far below any difference shown


def restricted_shares(p1, n1, p2, n2, delta) -> tuple[np.ndarray, np.ndarray]:
    """The two shares' maximum likelihood estimates under ``p1 − p2 = delta``: the root of the
    likelihood's slope in ``q2`` (``q1 = q2 + δ``), which falls from +∞ to −∞ over the shares allowed
    (the log-likelihood is concave), by bisection. The closed form of the cubic's root (Miettinen &
    Nurminen, as statsmodels computes it) gave shares below 0 far from the estimate (statsmodels'
    ``prop1_null`` −0,139 for 35 of 456 against 145 of 597 at δ = −0,438); a numerical maximum of the
    likelihood is the tests' reference.

    Examples
    --------
    >>> q1, q2 = restricted_shares(0.3, 100.0, 0.2, 150.0, 0.0)  # δ = 0: the pooled share, 0.24
    >>> round(float(q1), 6), round(float(q2), 6)
    (0.24, 0.24)
    """
    p1, n1, p2, n2, delta = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (p1, n1, p2, n2, delta)))
    c1, c2 = p1 * n1, p2 * n2
    low, high = np.maximum(0.0, -delta), np.minimum(1.0, 1.0 - delta)
    for _ in range(BISECTIONS):
        q2 = (low + high) / 2.0
        q1 = q2 + delta
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = (np.where(c1 > 0, c1 / q1, 0.0) - np.where(n1 > c1, (n1 - c1) / (1.0 - q1), 0.0)
                     + np.where(c2 > 0, c2 / q2, 0.0) - np.where(n2 > c2, (n2 - c2) / (1.0 - q2), 0.0))
        up = slope > 0  # the maximum lies above q2
        low, high = np.where(up, q2, low), np.where(up, high, q2)
    q2 = (low + high) / 2.0
    return q2 + delta, q2


def score_statistic(p1, n1, p2, n2, delta) -> np.ndarray:
    """The score test's z of ``p1 − p2 = delta``: ``(p1 − p2 − δ) / sqrt(q1(1 − q1)/n1 + q2(1 − q2)/n2)``
    with the restricted shares (:func:`restricted_shares`); ±inf where that variance is 0.

    Examples
    --------
    >>> round(float(score_statistic(0.3, 100.0, 0.2, 150.0, 0.0)), 4)  # 0,1 / √(0,24·0,76·(1/100 + 1/150))
    1.8137
    """
    p1, n1, p2, n2, delta = (np.asarray(v, dtype=float) for v in (p1, n1, p2, n2, delta))
    q1, q2 = restricted_shares(p1, n1, p2, n2, delta)
    var = q1 * (1.0 - q1) / n1 + q2 * (1.0 - q2) / n2
    diff = p1 - p2 - delta
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(var > 0, diff / np.sqrt(np.where(var > 0, var, 1.0)), np.sign(diff) * np.inf)


def score_interval(p1, n1, p2, n2, z: float) -> tuple[np.ndarray, np.ndarray]:
    """The differences ``p1 − p2`` the score test does not reject at the two-sided critical value ``z``
    (1,96 for 95 %), for many rows at once; NaN where a share or a count is missing or out of range.

    Examples
    --------
    >>> lo, hi = score_interval([0.368], [501.0], [0.254], [78.0], 1.959963984540054)
    >>> float(lo[0]) > 0, round(float(hi[0]), 4)  # excludes 0 (by 0,0012 p.e.), as p 0,04998 says
    (True, 0.209)
    """
    p1, n1, p2, n2 = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (p1, n1, p2, n2))
    ok = np.isfinite(p1) & np.isfinite(p2) & (n1 > 0) & (n2 > 0) & (p1 >= 0) & (p1 <= 1) & (p2 >= 0) & (p2 <= 1)
    p1, p2 = np.where(ok, p1, 0.5), np.where(ok, p2, 0.5)
    n1, n2 = np.where(ok, n1, 1.0), np.where(ok, n2, 1.0)
    d = p1 - p2
    bounds = []
    for sign in (1.0, -1.0):  # the lower bound has z = +crit below d, the upper z = −crit above it
        inner, outer = d.copy(), np.full_like(d, -sign)  # z is 0 at d and ±inf towards ∓1
        for _ in range(BISECTIONS):
            mid = (inner + outer) / 2.0
            beyond = sign * score_statistic(p1, n1, p2, n2, mid) > z  # rejected: the bound is nearer d
            outer, inner = np.where(beyond, mid, outer), np.where(beyond, inner, mid)
        bounds.append(inner)
    return np.where(ok, bounds[0], np.nan), np.where(ok, bounds[1], np.nan)


__all__ = ["restricted_shares", "score_interval", "score_statistic"]
