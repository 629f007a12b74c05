"""The conditional maximum likelihood odds ratio of a 2 × 2 table, its exact interval, and the intervals
that invert the relative test's two tests (:func:`minlike_interval`, :func:`profile_interval`).

The same quantities as :func:`scipy.stats.contingency.odds_ratio` with ``kind="conditional"`` and its
``confidence_interval``: given the table's margins, the top-left count is Fisher's noncentral
hypergeometric with the odds ratio as noncentrality; the estimate is the noncentrality whose mean is
the count, the interval's ends those whose tail probabilities beyond the count are ``(1 − level)/2``
(Cornfield's exact interval). The root finding is scipy's own (a doubling bracket from 1, then
:func:`scipy.optimize.brentq` to ``xtol = 1e-13``).

Hand-written because of speed: scipy evaluates the noncentral hypergeometric distribution point by
point (``nchypergeom_fisher``), which took 37 ms per table with counts in the thousands (95 ms under load against 0.8 ms
here), half of the Åtgärdsplan page's effects (0.63 of 1.24 s for 17 tables); here the distribution's whole support is
one numpy vector per evaluation (`benchmarks/bench_oddsratio.py` prints the ratio). A property test
holds the results to scipy's (``tests/test_oddsratio.py``).

Examples
--------
>>> est, low, high = conditional_odds_ratio([[110, 100], [1100, 1000]])
>>> round(est, 3), round(low, 3), round(high, 3)
(1.0, 0.745, 1.343)
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq
from scipy.special import gammaln


class _Table:
    """Fisher's noncentral hypergeometric distribution of a table's top-left count, given its margins."""

    def __init__(self, table) -> None:
        t = np.asarray(table, dtype=np.int64)
        self.x = int(t[0, 0])
        total, row, col = int(t.sum()), int(t[0].sum()), int(t[:, 0].sum())
        self.low, self.high = max(0, col - (total - row)), min(row, col)
        self.k = np.arange(self.low, self.high + 1, dtype=float)
        k, other = self.k, total - row
        self.base = (gammaln(row + 1) - gammaln(k + 1) - gammaln(row - k + 1)
                     + gammaln(other + 1) - gammaln(col - k + 1) - gammaln(other - col + k + 1))
        self.at = int(self.x - self.low)  # the count's place in the support

    def probabilities(self, nc: float) -> np.ndarray:
        w = self.base + self.k * math.log(nc)
        w = np.exp(w - w.max())
        return w / w.sum()

    def mean(self, nc: float) -> float:
        return float(self.probabilities(nc) @ self.k)

    def cdf(self, nc: float) -> float:
        """P(count ≤ x)."""
        return float(self.probabilities(nc)[: self.at + 1].sum())

    def sf_before(self, nc: float) -> float:
        """P(count ≥ x)."""
        return float(self.probabilities(nc)[self.at:].sum())


def _solve(func) -> float:
    """``func(nc) = 0`` for an increasing ``func``, as scipy's ``stats._odds_ratio._solve``."""
    nc = 1.0
    value = func(nc)
    if value == 0:
        return nc
    factor = 2.0
    if value > 0:
        nc /= factor
        while func(nc) > 0:
            nc /= factor
        lo, hi = nc, factor * nc
    else:
        nc *= factor
        while func(nc) < 0:
            nc *= factor
        lo, hi = nc / factor, nc
    return float(brentq(func, lo, hi, xtol=1e-13))


def _sample_odds_ratio(table) -> float:
    (a, b), (c, d) = np.asarray(table, dtype=np.int64).tolist()
    if c > 0 and b > 0:
        return a * d / (c * b)
    return math.nan if a == 0 or d == 0 else math.inf


def conditional_odds_ratio(table, level: float = 0.95) -> tuple[float, float, float]:
    """(conditional MLE, lower end, upper end) of the odds ratio of ``table`` ``[[a, b], [c, d]]``
    at the two-sided confidence ``level``; 0 or ∞ at the ends of the support, as scipy gives them.
    The table must have no empty row or column."""
    dist = _Table(table)
    if dist.x == dist.low:
        estimate = 0.0
    elif dist.x == dist.high:
        estimate = math.inf
    else:
        estimate = _solve(lambda nc: dist.mean(nc) - dist.x)
    alpha = 0.5 * (1 - level)
    sample = _sample_odds_ratio(table)
    lower = 0.0 if sample == 0 else _solve(lambda nc: dist.sf_before(nc) - alpha)
    upper = math.inf if sample == math.inf else _solve(lambda nc: alpha - dist.cdf(nc))
    return estimate, lower, upper


# ---------------------------------------------------------------------------------------------------
# Intervals that invert the tests deciding the relative verdict (lagesbild.core.relative.relative_test)

#: relative tolerance of "as likely as the observed count" in the minlike test (scipy's fisher_exact
#: uses 1e-14 on its own pmf; the two pmfs differ by ~1e-13, so ties need a looser bound)
TIE = math.log1p(1e-7)
GRID = 128      # log-spaced points scanned between the certain ends of the minlike acceptance set
BISECT = 60     # halvings of a bracket of the acceptance set's end (log scale)
MAX_LOG = 709.0  # beyond e^±709 an end is 0 or ∞ (math.exp overflows)


def minlike_p(dist: _Table, nc: float) -> float:
    """Two-sided minlike p-value at odds ratio ``nc``: the probability of the counts no more likely
    than the observed one (Fisher's exact test's two-sided p-value at ``nc = 1``)."""
    w = dist.base + dist.k * math.log(nc)
    p = np.exp(w - w.max())
    return float(min(1.0, p[w <= w[dist.at] + TIE].sum() / p.sum()))


#: counts less likely than ``e^-NEGLIGIBLE`` times the observed one at both ends of a scan (so
#: everywhere between: the log ratio is linear in log ψ) are left out of it; they change p by < 1e-15
NEGLIGIBLE = 50.0


def _near(dist: _Table, *ends: float) -> tuple[np.ndarray, np.ndarray, int]:
    """``(base, k, at)`` of the counts not negligible against the observed one at any of ``ends``
    (log odds ratios)."""
    rel = dist.base - dist.base[dist.at]
    keep = np.zeros(len(rel), dtype=bool)
    for e in ends:
        keep |= rel + (dist.k - dist.x) * e > -NEGLIGIBLE
    keep[dist.at] = True
    first, last = int(np.argmax(keep)), len(keep) - int(np.argmax(keep[::-1]))
    return dist.base[first:last], dist.k[first:last], dist.at - first


def _minlike_log(base: np.ndarray, k: np.ndarray, at: int, log_nc: float) -> float:
    """:func:`minlike_p` on the counts ``_near`` kept, at ``exp(log_nc)``."""
    w = base + k * log_nc
    p = np.exp(w - w.max())
    return float(min(1.0, p[w <= w[at] + TIE].sum() / p.sum()))


def _edge(dist: _Table, alpha: float, outer: float, inner: float, extra) -> float:
    """The outermost ``nc`` (between ``exp(outer)`` and ``exp(inner)``, log scale) whose minlike p is at
    least ``alpha``: a scan from ``outer`` inwards (``GRID`` points and ``extra``), then bisection of
    the first step that enters the acceptance set. ``exp(inner)`` is known to be accepted."""
    points = np.linspace(outer, inner, GRID)
    points = sorted({*points.tolist(), *(v for v in extra if min(outer, inner) <= v <= max(outer, inner))},
                    key=lambda v: abs(v - outer))
    grid = np.asarray(points)
    base, k, at = _near(dist, outer, inner)
    w = base[None, :] + grid[:, None] * k[None, :]  # the whole scan in one array
    p = np.exp(w - w.max(axis=1, keepdims=True))
    kept = np.where(w <= w[:, at: at + 1] + TIE, p, 0.0).sum(axis=1) / p.sum(axis=1)
    accepted = np.flatnonzero(kept >= alpha)
    if not len(accepted):
        return math.exp(inner)
    first = int(accepted[0])
    if first == 0:
        return math.exp(points[0])
    lo, hi = points[first - 1], points[first]  # lo rejected, hi accepted
    for _ in range(BISECT):
        mid = 0.5 * (lo + hi)
        if _minlike_log(base, k, at, mid) >= alpha:
            hi = mid
        else:
            lo = mid
        if abs(hi - lo) < 1e-13:
            break
    return math.exp(hi)


def minlike_interval(table, level: float = 0.95) -> tuple[float, float]:
    """The odds ratios the two-sided minlike test (Fisher's exact test's p-value, scipy's
    ``fisher_exact``) does not reject at ``1 − level``, conditional on the margins (Blaker 2000's
    construction with the minlike p-value). That set need not be an interval; returned are its
    outermost ends (its convex hull), 0 or ∞ at the ends of the support.

    The scan is bounded exactly: below the root ``ψ_c`` of ``P(K ≥ x) = α`` and below the
    odds ratio at which every count under ``x`` is more likely than ``x`` the p-value is that tail,
    so less than ``α``; at and above ``ψ_c``'s side of the support, ``p ≥ P(K ≥ x) ≥ α`` while ``x``
    is above the mode (mirrored for the upper end). Between the two, :data:`GRID` log-spaced points
    and 1 are scanned and the first accepted step bisected.

    Examples
    --------
    (68, 44) against (221, 221): fisher_exact's p is 0.0448, and 1 is outside (the central interval
    was 0.413–1.007).

    >>> [round(v, 3) for v in minlike_interval([[44, 68], [221, 221]])]
    [0.419, 0.996]
    """
    dist = _Table(table)
    alpha = 1 - level
    lo_k, hi_k = dist.k[: dist.at], dist.k[dist.at + 1:]
    bx = dist.base[dist.at]
    x = float(dist.x)
    if not len(lo_k):
        lower = 0.0
    else:
        central = math.log(_solve(lambda nc: dist.sf_before(nc) - alpha))
        tail_only = float(np.min((dist.base[: dist.at] - bx - TIE) / (x - lo_k)))
        outer = max(-MAX_LOG, min(central, tail_only))
        lower = _edge(dist, alpha, outer, central, (0.0,))
        lower = 0.0 if lower <= math.exp(-MAX_LOG) else lower
    if not len(hi_k):
        upper = math.inf
    else:
        central = math.log(_solve(lambda nc: alpha - dist.cdf(nc)))
        tail_only = float(np.max((TIE - dist.base[dist.at + 1:] + bx) / (hi_k - x)))
        outer = min(MAX_LOG, max(central, tail_only))
        upper = _edge(dist, alpha, outer, central, (0.0,))
        upper = math.inf if upper >= math.exp(MAX_LOG) else upper
    return lower, upper


def table_lr(table, nc: float) -> float:
    """The likelihood-ratio statistic ``G²`` of odds ratio ``nc`` in a 2 × 2 table of Poisson (or
    multinomial) counts: ``2 Σ y·log(y/μ)`` with ``μ`` the table with the observed margins and odds
    ratio ``nc`` (at ``nc = 1`` the independence fit, the G² of :func:`lagesbild.core.dispersion.quasi_share_p`)."""
    (a, b), (c, d) = np.asarray(table, dtype=float).tolist()
    r1, c1, n = a + b, a + c, a + b + c + d
    rest = n - r1 - c1
    qa, qb, qc = 1.0 - nc, rest + nc * (r1 + c1), -nc * r1 * c1  # qa·m² + qb·m + qc = 0 for μ_a = m
    if abs(qa) < 1e-12 * max(1.0, abs(qb)):
        m = -qc / qb
    else:
        q = -0.5 * (qb + math.copysign(math.sqrt(max(qb * qb - 4 * qa * qc, 0.0)), qb))
        roots = [r for r in (q / qa, qc / q if q != 0 else math.nan) if math.isfinite(r)]
        low, high = max(0.0, -rest), min(r1, c1)
        m = min(roots, key=lambda r: 0.0 if low <= r <= high else min(abs(r - low), abs(r - high)))
        m = min(max(m, low), high)
    mu = (m, r1 - m, c1 - m, rest + m)
    total = 0.0
    for y, f in zip((a, b, c, d), mu, strict=True):
        if y > 0:
            total += y * math.log(y / f) if f > 0 else math.inf
    return max(0.0, 2 * total)


def profile_interval(table, critical: float) -> tuple[float, float]:
    """The odds ratios whose ``G²`` (:func:`table_lr`) stays at most ``critical`` (for the quasi
    test ``φ`` times the ``F(1, ν)`` quantile): the likelihood-ratio test's own interval. ``G²`` is 0
    at the sample odds ratio and grows on each side; 0 or ∞ where it stays below ``critical``.

    Examples
    --------
    >>> [round(v, 3) for v in profile_interval([[144, 88], [312, 307]], 1.3 * 3.9)]
    [1.132, 2.302]
    """
    (a, b), (c, d) = np.asarray(table, dtype=float).tolist()

    def excess(log_nc: float) -> float:
        return table_lr(table, math.exp(log_nc)) - critical

    def end(centre: float, step: float) -> float:
        inner, outer = centre, centre + step
        while excess(outer) < 0:
            if abs(outer) >= MAX_LOG:
                return math.inf if step > 0 else 0.0
            inner, outer = outer, max(-MAX_LOG, min(MAX_LOG, centre + 2 * (outer - centre)))
        return math.exp(brentq(excess, min(inner, outer), max(inner, outer), xtol=1e-12))

    def inside(sign: float) -> float:
        """A log odds ratio on the ``sign`` side where ``G²`` is below ``critical`` (it tends to 0)."""
        v = 0.0
        while excess(v) >= 0 and abs(v) < MAX_LOG:
            v = sign * min(MAX_LOG, 2 * abs(v) + 1)
        return v

    if b * c == 0 and a * d == 0:
        return 0.0, math.inf
    if b * c == 0:  # sample odds ratio ∞: G² falls to 0 as nc grows
        return end(inside(1.0), -1.0), math.inf
    if a * d == 0:
        return 0.0, end(inside(-1.0), 1.0)
    centre = math.log(a * d / (b * c))
    return end(centre, -0.5), end(centre, 0.5)
