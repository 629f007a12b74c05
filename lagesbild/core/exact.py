"""Exact tests for many tables at once: the two-sided binomial (Poisson rates) and Fisher tests.

:func:`scipy.stats.binomtest` and :func:`scipy.stats.fisher_exact` test one table per call (about
0.3–0.9 ms each); a view with dozens of tests spends most of its time there. The functions here run
the same algorithm on arrays: the same probabilities (:data:`scipy.stats.binom` and
:data:`scipy.stats.hypergeom`, which are vectorised), the same tolerances and the same binary search
for the other tail (the "minlike" rule: every outcome at most as likely as the observed one), one
step for every table at a time. The p-values are those of the scalar functions (the tests compare
them on many tables).

Examples
--------
>>> from scipy import stats
>>> p = fisher_tests([50, 3], [50, 7], [20, 0], [80, 9])
>>> [round(float(x), 6) for x in p]
[1.4e-05, 0.210526]
>>> bool(p[0] == stats.fisher_exact([[50, 50], [20, 80]]).pvalue)
True
>>> q = poisson_rate_tests([62, 274, 0], [51, 142, 0])
>>> [round(float(x), 3) for x in q[::2]], bool(q[1] < 1e-9)
([0.347, 1.0], True)
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln
from scipy.stats import binom, hypergeom

SMALLEST_P = float(np.finfo(float).tiny)  # as lagesbild.core.poisson: a p-value that underflows to 0
BINOM_RERR = 1 + 1e-7     # scipy.stats.binomtest's relative tolerance for "as likely"
FISHER_GAMMA = 1 + 1e-14  # scipy.stats.fisher_exact's
MARGIN = 1e-6       # a choice made from the cheap logarithms (error ~1e-9) must be clear by this much
LOG_FLOOR = -700.0  # below it a probability may underflow in scipy: its choices are scipy's own
MAX_TOTAL = 10**7   # above it the logarithms' error nears MARGIN: scipy's own choices
BINOM_MARGIN = 1e-8  # the binomial's log ratios err by ~1e-10 below BINOM_MAX_N; its tolerance is 1e-7
BINOM_MAX_N = 200_000


def _search(value, d, lo, hi) -> np.ndarray:
    """Elementwise ``scipy.stats._binomtest._binary_search_for_binom_tst``: the ``i`` in ``[lo, hi]``
    with ``value(i) <= d < value(i + 1)`` for each element (``value(x, rows)`` evaluates the function
    of the elements ``rows`` at ``x``)."""
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    out = np.full(len(lo), np.nan)
    found = np.zeros(len(lo), bool)
    active = lo < hi
    while active.any():
        rows = np.flatnonzero(active)
        mid = lo[rows] + (hi[rows] - lo[rows]) // 2
        v = value(mid, rows)
        less, more = v < d[rows], v > d[rows]
        lo[rows[less]] = mid[less] + 1
        hi[rows[more]] = mid[more] - 1
        hit = ~less & ~more
        out[rows[hit]], found[rows[hit]] = mid[hit], True
        active = (lo < hi) & ~found
    rest = np.flatnonzero(~found)
    if len(rest):
        v = value(lo[rest], rest)
        out[rest] = np.where(v <= d[rest], lo[rest], lo[rest] - 1)
    return out


def binom_tests(k, n, p) -> np.ndarray:
    """Two-sided p-values of the exact binomial test of ``k`` successes in ``n`` trials, ``p`` each.

    Elementwise ``scipy.stats.binomtest(k, n, p).pvalue`` (``n`` ≥ 1, ``0 <= k <= n``).

    Examples
    --------
    >>> from scipy import stats
    >>> p = binom_tests([3, 7, 5], [20, 10, 10], [0.5, 0.5, 0.5])
    >>> bool(p[0] == stats.binomtest(3, 20).pvalue), float(p[2])
    (True, 1.0)
    """
    k, n, p = np.broadcast_arrays(np.asarray(k, np.int64), np.asarray(n, np.int64), np.asarray(p, float))
    k, n, p = k.ravel(), n.ravel(), p.ravel()
    out = np.ones(k.shape, float)
    pn = p * n
    below = k < pn  # the other tail lies above the mean
    sides = below | (k > pn)  # k == p n: p-value 1
    lo = np.where(below, np.ceil(pn), 0.0)
    hi = np.where(below, n, np.floor(pn)).astype(float)
    decided, ix = _binom_choices(k, n, p, below, lo, hi)
    decided &= sides
    for sel, low in ((decided & below, True), (decided & ~below, False)):
        i = np.flatnonzero(sel)
        if len(i):  # the same tail sums as scipy's, from the same index
            out[i] = (binom.cdf(k[i], n[i], p[i]) + binom.sf(ix[i], n[i], p[i]) if low
                      else binom.cdf(ix[i], n[i], p[i]) + binom.sf(k[i] - 1, n[i], p[i]))
    hard = np.flatnonzero(sides & ~decided)
    if len(hard):
        out[hard] = _binom_exact(k[hard], n[hard], p[hard])
    return np.minimum(1.0, out)


def _binom_log_ratio(x, k, n, p) -> np.ndarray:
    """``log pmf(x) - log pmf(k)`` of the binomial from :func:`scipy.special.gammaln`, written so that
    equal terms cancel exactly (a mirror image under p = ½ gives 0)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return ((gammaln(k + 1) - gammaln(x + 1)) + (gammaln(n - k + 1) - gammaln(n - x + 1))
                + (x - k) * (np.log(p) - np.log1p(-p)))


def _binom_choices(k, n, p, below, lo, hi):
    """scipy's search for the other tail made on cheap log ratios: (decided, index); ``decided``
    where every comparison is clear by far more than the ratios' error (:data:`BINOM_MARGIN`)."""
    tol = np.log(BINOM_RERR)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = (gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1) + k * np.log(p) + (n - k) * np.log1p(-p))
    sign = np.where(below, -1.0, 1.0)  # the other tail falls above the mean, rises below it
    ix = _search(lambda x, r: sign[r] * _binom_log_ratio(x, k[r], n[r], p[r]), sign * tol, lo, hi)
    at, after = _binom_log_ratio(ix, k, n, p), _binom_log_ratio(ix + 1, k, n, p)
    # below the mean scipy also asks whether pmf(index) equals the tolerance exactly: never, clearly
    clear = (np.abs(at - tol) > BINOM_MARGIN) & (own + at > LOG_FLOOR) | ~below
    at_ok = ((ix < lo) & clear) | ((sign * at < sign * tol - BINOM_MARGIN) & (own + at > LOG_FLOOR))
    after_ok = (ix >= hi) | ((sign * after > sign * tol + BINOM_MARGIN) & (own + after > LOG_FLOOR))
    decided = at_ok & after_ok & (own > LOG_FLOOR) & (n < BINOM_MAX_N) & (p > 0) & (p < 1)
    return decided, ix


def _binom_exact(k, n, p) -> np.ndarray:
    """scipy's steps, each probability from :data:`scipy.stats.binom`."""
    out = np.ones(k.shape, float)
    d = binom.pmf(k, n, p) * BINOM_RERR
    pn = p * n
    low = np.flatnonzero(k < pn)  # the other tail lies above the mean
    if len(low):
        nl, pl = n[low], p[low]
        ix = _search(lambda x, r: -binom.pmf(x, nl[r], pl[r]), -d[low], np.ceil(pn[low]), nl)
        y = nl - ix + (d[low] == binom.pmf(ix, nl, pl))
        out[low] = binom.cdf(k[low], nl, pl) + binom.sf(nl - y, nl, pl)
    high = np.flatnonzero(k > pn)
    if len(high):
        nh, ph = n[high], p[high]
        ix = _search(lambda x, r: binom.pmf(x, nh[r], ph[r]), d[high], np.zeros(len(high)),
                     np.floor(pn[high]))
        out[high] = binom.cdf(ix, nh, ph) + binom.sf(k[high] - 1, nh, ph)
    return out


def poisson_rate_tests(count_a, count_b, exposure_a=1.0, exposure_b=1.0) -> np.ndarray:
    """Elementwise :func:`lagesbild.core.poisson.poisson_rate_test` (counts are non-negative integers,
    exposures positive; not checked here): 1.0 when both counts are 0, never below :data:`SMALLEST_P`.

    Examples
    --------
    >>> from lagesbild.core.poisson import poisson_rate_test
    >>> p = poisson_rate_tests([32, 10], [60, 20], [1, 1], [1, 2])
    >>> [float(x) for x in p] == [poisson_rate_test(32, 60), poisson_rate_test(10, 20, 1, 2)]
    True
    """
    a, b = np.asarray(count_a, np.int64), np.asarray(count_b, np.int64)
    ea, eb = np.asarray(exposure_a, float), np.asarray(exposure_b, float)
    a, b, ea, eb = np.broadcast_arrays(a, b, ea, eb)
    n = a + b
    out = np.ones(n.shape, float)
    some = np.flatnonzero(n > 0)
    if len(some):
        p = binom_tests(b[some], n[some], eb[some] / (ea[some] + eb[some]))
        out[some] = np.minimum(1.0, np.maximum(p, SMALLEST_P))
    return out


def _log_pmf(x, total, good, draws) -> np.ndarray:
    """Logarithm of the hypergeometric probability from :func:`scipy.special.gammaln` (cheap, to
    about 1e-9 relative: used to choose, never as a result)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (gammaln(good + 1) - gammaln(x + 1) - gammaln(good - x + 1) + gammaln(total - good + 1)
                - gammaln(draws - x + 1) - gammaln(total - good - draws + x + 1) - gammaln(total + 1)
                + gammaln(draws + 1) + gammaln(total - draws + 1))


def _fisher_choices(x, total, good, draws, mode):
    """The choices :func:`_fisher_exact` makes, from the cheap logarithms: (decided, tied, alone,
    guess) where ``decided`` marks the tables whose every choice is clear by far more than the
    logarithms' error (:data:`MARGIN`), the others are left to :func:`_fisher_exact`."""
    lp = _log_pmf(x, total, good, draws)
    lmode = _log_pmf(mode, total, good, draws)
    target = lp + np.log(FISHER_GAMMA)
    below = x < mode
    edge = np.where(below, draws, 0)
    ledge = _log_pmf(edge, total, good, draws)
    finite = (lp > LOG_FLOOR) & (lmode > LOG_FLOOR)
    tied_clear = np.abs(lmode - lp) > MARGIN  # |pexact - pmode| / pmode far above 1e-14 or far below
    alone = ledge > target
    alone_clear = np.abs(ledge - target) > MARGIN
    sign = np.where(below, -1.0, 1.0)  # the other tail falls (below the mode) or rises (above it)
    guess = _search(lambda v, r: sign[r] * _log_pmf(v, total[r], good[r], draws[r]), sign * target,
                    np.where(below, mode, 0), np.where(below, draws, mode))
    at = _log_pmf(guess, total, good, draws)
    after = _log_pmf(guess + 1, total, good, draws)
    lo_ok = (guess < np.where(below, mode, 0)) | ((sign * at < sign * target - MARGIN) & (at > LOG_FLOOR))
    hi_ok = (guess >= np.where(below, draws, mode)) | ((sign * after > sign * target + MARGIN)
                                                       & (after > LOG_FLOOR))
    decided = finite & tied_clear & alone_clear & (alone | (lo_ok & hi_ok)) & (total < MAX_TOTAL)
    return decided, alone, guess


def fisher_tests(a, b, c, d) -> np.ndarray:
    """Two-sided p-values of Fisher's exact test of the 2×2 tables ``[[a, b], [c, d]]``.

    Elementwise ``scipy.stats.fisher_exact([[a, b], [c, d]]).pvalue`` (non-negative integers). The
    hypergeometric probabilities of :data:`scipy.stats.hypergeom` cost up to 0.2 ms each for a few
    thousand crimes, and scipy's search for the other tail asks for a dozen of them; the choices of
    that search are made here from cheap logarithms wherever they are clear by far more than their
    error, so a table needs scipy's tail sums only (its p-value is the same sum of the same terms).
    Tables with a close choice take scipy's own steps (:func:`_fisher_exact`).

    Examples
    --------
    >>> [float(x) for x in fisher_tests([0, 8], [0, 2], [5, 1], [5, 5])]
    [1.0, 0.034965034965034975]
    """
    a, b, c, d = np.broadcast_arrays(*(np.asarray(v, np.int64) for v in (a, b, c, d)))
    out = np.ones(a.shape, float)
    n1, n2, n = a + b, c + d, a + c
    # a row or column summing to 0: p = 1 (scipy's first early return)
    rows = np.flatnonzero((n1 > 0) & (n2 > 0) & (n > 0) & (b + d > 0))
    if not len(rows):
        return out
    x, good, draws = a[rows], n1[rows], n[rows]
    total = good + n2[rows]
    mode = ((draws + 1) * (good + 1) / (total + 2)).astype(np.int64)
    decided, alone, guess = _fisher_choices(x, total, good, draws, mode)
    p = np.ones(len(rows), float)
    for sel, below in ((decided & (x < mode), True), (decided & (x >= mode), False)):
        i = np.flatnonzero(sel)
        if len(i):
            t, m, k, g = total[i], good[i], draws[i], guess[i]
            tail = hypergeom.cdf(x[i], t, m, k) if below else hypergeom.sf(x[i] - 1, t, m, k)
            rest = np.zeros(len(i))
            other = ~alone[i]
            if other.any():
                rest[other] = (hypergeom.sf(g[other], t[other], m[other], k[other]) if below
                               else hypergeom.cdf(g[other], t[other], m[other], k[other]))
            p[i] = np.where(alone[i], tail, tail + rest)
    hard = np.flatnonzero(~decided)
    if len(hard):
        p[hard] = _fisher_exact(x[hard], total[hard], good[hard], draws[hard], mode[hard])
    out[rows] = np.minimum(p, 1.0)
    return out


def _fisher_exact(x, total, n1, n, mode) -> np.ndarray:
    """scipy's steps for the tables with both margins positive (``total`` = a + b + c + d, ``n1`` =
    a + b, ``n`` = a + c): each probability from :data:`scipy.stats.hypergeom`."""
    pexact = hypergeom.pmf(x, total, n1, n)
    pmode = hypergeom.pmf(mode, total, n1, n)
    p = np.ones(len(x), float)
    with np.errstate(divide="ignore", invalid="ignore"):
        tied = np.abs(pexact - pmode) / np.maximum(pexact, pmode) <= 1e-14
    target = pexact * FISHER_GAMMA
    below = np.flatnonzero(~tied & (x < mode))
    if len(below):
        t, m, nb, k = total[below], n1[below], n[below], x[below]
        p_low = hypergeom.cdf(k, t, m, nb)
        alone = hypergeom.pmf(nb, t, m, nb) > target[below]
        guess = _search(lambda v, r: -hypergeom.pmf(v, t[r], m[r], nb[r]), -target[below],
                        mode[below], nb)
        p[below] = np.where(alone, p_low, p_low + hypergeom.sf(guess, t, m, nb))
    above = np.flatnonzero(~tied & (x >= mode))
    if len(above):
        t, m, na, k = total[above], n1[above], n[above], x[above]
        p_up = hypergeom.sf(k - 1, t, m, na)
        alone = hypergeom.pmf(0, t, m, na) > target[above]
        guess = _search(lambda v, r: hypergeom.pmf(v, t[r], m[r], na[r]), target[above],
                        np.zeros(len(above)), mode[above])
        p[above] = np.where(alone, p_up, p_up + hypergeom.cdf(guess, t, m, na))
    return p
