"""Overdispersion of monthly crime counts, and the quasi-Poisson tests that use it.

Reported crime varies more than a Poisson count: a burst of incidents, a police operation or a new
reporting routine moves a month's count by more than chance alone. A test that assumes Poisson variation
then calls ordinary variation "statistiskt säkerställd" far too often.

**Which model and why.** The dispersion of each place × category is estimated from its own monthly
history with a *quasi-Poisson* log-linear model ``log E[y_t] = a + b·t + c·sin(2πm/12) + d·cos(2πm/12)``
(a trend in years and a smooth annual cycle over the month of year ``m``), fitted by iteratively
reweighted least squares, with ``Var y_t = φ · E[y_t]`` and ``φ̂ = Pearson χ² / (n − p)`` (McCullagh &
Nelder 1989, §4.5); this is ``statsmodels.GLM(y, X, family=Poisson()).fit(scale='X2').scale``.
Quasi-Poisson rather than a negative binomial because (i) with ``Var = φ·mean`` the dispersion of a sum
of independent months is the same ``φ`` as that of one month, so a monthly estimate applies directly to
yearly or tertial totals, which is not true of the negative binomial's shape parameter; (ii) the moment
estimator needs no iterative estimation of a shape parameter, which often fails on sparse counts. The
trend and the season are in the model so that neither is taken for overdispersion (seasonal city
totals otherwise look five times as variable as they are). The season is one sine/cosine pair rather
than eleven month-of-year effects: with a few years of skewed counts, eleven month effects fit the noise
(two to four months each), and in simulations the two-period test then called 8–11 % of unchanged
series "säkerställd" at 5 %; the smooth cycle stays at the nominal level. The cycle needs three years:
with 24–35 months (:data:`SEASON_MONTHS`) only the trend is fitted, and seasonal variation then counts
as extra variation, which makes the tests cautious (fewer, not more, false alarms). At least
:data:`MIN_HISTORY_MONTHS` covered months are needed; with fewer the exact Poisson test is used and a
note says so.

**Tests.** A likelihood-ratio statistic ``ΔD`` (the deviance difference of the Poisson models with and
without the effect) is scaled, ``F = ΔD / φ`` with ``φ = max(1, φ̂)``, and compared with
``F(1, ν)`` (the quasi-likelihood F test, McCullagh & Nelder 1989, §9.3). Because counts are skewed, the
squared Pearson residuals vary more than a chi-square assumes, and ``φ̂`` is less certain than its
``n − p`` degrees of freedom say: ``ν`` is the Satterthwaite effective number
``(n − p) · 2 / (Var r² / mean(r²)²)`` (at most ``n − p``), which keeps the false-positive rate at the
nominal level on negative-binomial data (``tests/test_dispersion.py``). The two-period comparison uses
the model ``count_k ~ exposure_k · exp(a + c·[k = b])``; the trend test ``count_i ~ exposure_i ·
exp(a + b·i)``.

What it cannot tell: months are assumed independent given the trend and the season. Variation that
persists for several months (a year that is higher throughout) is only partly seen in monthly residuals,
so totals over long periods can still vary more than ``φ`` says (whole years with enough other years
are also tested against the years' own variation: :mod:`lagesbild.core.year_level`).

Examples
--------
>>> rng = np.random.default_rng(3)
>>> months = pd.date_range("2019-01-01", periods=36, freq="MS")
>>> est = estimate_dispersion(rng.negative_binomial(2, 2 / 12, 36), months)
>>> est.method, round(est.phi, 2), round(est.df_resid, 1)
('kvasi-Poisson', 4.38, 32.0)
>>> estimate_dispersion([3] * 12, months[:12]).method
'exakt Poisson'
"""

from __future__ import annotations

import functools
import hashlib
import math
import threading

import numpy as np
import pandas as pd
from scipy import special

from lagesbild.core.dispersion_estimate import (  # noqa: F401  (imported from here)
    METHOD_EXACT,
    METHOD_QUASI,
    NOTE_QUASI,
    NOTE_SHORT,
    NOTE_SPARSE,
    POISSON,
    Dispersion,
    _fmt,
)
from lagesbild.core.exact import fisher_tests, poisson_rate_tests
from lagesbild.core.history_fit import MAX_ITER, SEASON_MONTHS, _irls, design  # noqa: F401  (imported from here)

MIN_HISTORY_MONTHS = 24
#: Crimes expected in a period under no change below which a two-period test's p-value is bounded by the
#: exact conditional Poisson test's (:func:`quasi_rate_p`)
SMALL_EXPECTED = 5.0
MIN_NONZERO_MONTHS = 3


#: :func:`estimate_dispersion` results keyed by a digest of their inputs' bytes (a pure function of them, so a
#: result is exactly what a new computation would give; the same history is fitted for every view
#: of a place). Bounded; the oldest entries are dropped first.
_FITTED: dict = {}
FITTED_SIZE = 20_000
#: guards the bounded caches of fits (this one and :mod:`lagesbild.core.year_level`'s): the server
#: answers callbacks in threads, and one thread dropping the oldest fit while another read it raised
#: ``KeyError`` (``tests/test_fit_caches_threads.py``)
FIT_LOCK = threading.Lock()


def keep_fits(cache: dict, fits: dict, size: int) -> None:
    """Put ``fits`` (key → result) into the bounded ``cache``, dropping its oldest entries first; the
    caller holds :data:`FIT_LOCK`."""
    for key, value in fits.items():
        while len(cache) >= size:
            cache.pop(next(iter(cache)))
        cache[key] = value


def estimate_dispersion(counts, months) -> Dispersion:
    """Quasi-Poisson dispersion of a monthly series from its own history (see the module docstring).

    Parameters
    ----------
    counts : sequence of int
        Counts of the covered months (months without data left out, not zero).
    months : sequence of date-like
        The months of ``counts`` (first days).

    Returns
    -------
    Dispersion
        ``phi = max(1, φ̂)``, ``phi_raw = φ̂``, ``df_resid`` the effective degrees of freedom ``ν``;
        ``method`` 'kvasi-Poisson' with at least :data:`MIN_HISTORY_MONTHS` months, else 'exakt
        Poisson' (``note`` says the history was too short). With crime in fewer than
        :data:`MIN_NONZERO_MONTHS` months the model has only a mean (a trend or season cannot be
        estimated from one or two months with crime; a burst in one month still shows as overdispersion),
        and with no crime at all ``phi`` is 1.

    Examples
    --------
    >>> months = pd.date_range("2019-01-01", periods=10, freq="MS")
    >>> estimate_dispersion([1] * 10, months).note[:40]
    'Historiken är för kort (10 av minst 24 m'
    """
    return estimate_many(np.asarray(counts, dtype=float)[None, :], months)[0]


def estimate_many(counts, months, *, cache: dict | None = None, steps=None) -> list[Dispersion]:
    """:func:`estimate_dispersion` of each row of ``counts`` (series × months, the same months),
    fitted together. ``steps`` (months × s, or None): a level of its own from each change of source
    on, so the counts' step at the change is not taken for overdispersion
    (:func:`lagesbild.core.period_pairs.source_steps`).

    Results are kept by their inputs' bytes in ``cache`` (a caller's dict, e.g. one per data version
    of a store) or else in the bounded cache of :func:`estimate_dispersion`.

    Examples
    --------
    >>> months = pd.date_range("2019-01-01", periods=36, freq="MS")
    >>> y = np.random.default_rng(3).negative_binomial(2, 2 / 12, (2, 36))
    >>> [round(d.phi, 6) for d in estimate_many(y, months)] == [
    ...     round(estimate_dispersion(row, months).phi, 6) for row in y]
    True
    """
    Y = np.atleast_2d(np.asarray(counts, dtype=float))
    stamps = pd.DatetimeIndex(months).as_unit("ns").asi8.tobytes()  # the months, in one unit
    extra = np.ascontiguousarray(steps, dtype=np.int8).tobytes() if steps is not None else b""
    keys = [hashlib.blake2b(y.tobytes() + stamps + extra, digest_size=20).digest() for y in Y]  # small keys
    known = _FITTED if cache is None else cache
    with FIT_LOCK:  # what is kept, read at once: another thread may drop it right after
        found = {i: known[k] for i, k in enumerate(keys) if k in known}
    todo = [i for i in range(len(keys)) if i not in found]
    fitted = dict(zip(todo, _estimate(Y[todo], stamps, extra), strict=True)) if todo else {}
    out = [fitted[i] if i in fitted else found[i] for i in range(len(keys))]
    new = {keys[i]: fitted[i] for i in todo}
    with FIT_LOCK:
        if cache is None:
            keep_fits(_FITTED, new, FITTED_SIZE)
        else:  # a caller's cache (one per data version) is not bounded here
            cache.update(new)
    return out


@functools.lru_cache(maxsize=256)
def _design_of(stamps: bytes, steps: bytes = b"") -> np.ndarray:
    """:func:`design` of the months whose datetime64[ns] values are ``stamps`` (kept: every view of a
    place fits histories over the same months, and pandas' date fields cost 0.6 ms a call)."""
    X = design(pd.DatetimeIndex(np.frombuffer(stamps, dtype=np.int64).view("datetime64[ns]")))
    if steps:
        X = np.column_stack([X, np.frombuffer(steps, np.int8).reshape(len(X), -1).astype(float)])
    X.flags.writeable = False
    return X


def _estimate(Y: np.ndarray, stamps: bytes, steps: bytes = b"") -> list[Dispersion]:
    S, n = Y.shape
    if n < MIN_HISTORY_MONTHS:
        return [Dispersion(1.0, math.nan, 0, n, METHOD_EXACT,
                           NOTE_SHORT.format(n=n, min=MIN_HISTORY_MONTHS))] * S
    nonzero = np.count_nonzero(Y, axis=1)
    # no crime in any month: nothing varies, and both periods of any comparison count 0 (p = 1)
    out = [Dispersion(1.0, math.nan, n - 1, n, METHOD_QUASI, "")] * S
    fit = nonzero >= MIN_NONZERO_MONTHS
    if fit.any():
        X = _design_of(stamps, steps)
        y = Y[fit]
        _set_quasi(out, np.flatnonzero(fit), y, _irls(y, X), n - X.shape[1], n, "")  # steps together
    # crime in only one or two months: a trend or a season cannot be told from them, but how much the
    # months vary around their mean can (12 crimes in one month of 48 is a burst, not 12 independent
    # events; an exact Poisson test would call it a significant rise)
    sparse = (nonzero > 0) & ~fit
    if sparse.any():
        y = Y[sparse]
        _set_quasi(out, np.flatnonzero(sparse), y, np.broadcast_to(y.mean(axis=1, keepdims=True), y.shape),
                   n - 1, n, NOTE_SPARSE)
    return out


def _set_quasi(out: list, rows, y: np.ndarray, mu: np.ndarray, df: int, n: int, extra: str) -> None:
    """Put the quasi-Poisson dispersion of each series ``y`` (fitted means ``mu``, ``df`` residual
    degrees of freedom) in ``out`` at ``rows``: Pearson ``φ̂`` and the Satterthwaite ``ν``."""
    r2 = (y - mu) ** 2 / mu
    phis = r2.sum(axis=1) / df
    mean = r2.mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.where(mean > 0, r2.var(axis=1) / mean ** 2, 2.0)
        nus = np.where(spread > 0, np.minimum(df, np.maximum(1.0, 2.0 * df / spread)), float(df))
    for i, phi, nu in zip(rows, phis.tolist(), nus.tolist(), strict=True):
        note = NOTE_QUASI.format(phi=_fmt(phi)) if phi > 1 else ""
        out[i] = Dispersion(max(phi, 1.0), phi, nu, n, METHOD_QUASI, (note + " " + extra).strip())


def history_dispersion(monthly: pd.DataFrame, covered, category=None, *, cache: dict | None = None) -> Dispersion:
    """:func:`estimate_dispersion` of one place's categories summed, over its covered months.

    Parameters
    ----------
    monthly : DataFrame
        ``category, month, count`` of one place (other places already filtered out).
    covered : DatetimeIndex
        The place's covered months; covered months without rows count as 0.
    category : str, sequence of str or None
        The categories summed; None = every row.
    cache : dict or None
        Fitted dispersions kept by the caller (see :func:`estimate_many`).

    Examples
    --------
    >>> months = pd.date_range("2019-01-01", periods=24, freq="MS")
    >>> counts = [5, 1, 9, 2, 0, 7, 3, 12, 4, 1, 8, 2, 6, 0, 3, 3, 11, 1, 2, 9, 0, 4, 7, 1]
    >>> m = pd.DataFrame({"category": "rån", "month": months, "count": counts})
    >>> d = history_dispersion(m, months, "rån")
    >>> d.method, round(d.phi, 2)
    ('kvasi-Poisson', 3.23)
    """
    keep = np.ones(len(monthly), bool)
    if category is not None:
        wanted = [category] if isinstance(category, str) else list(category)
        keep = monthly["category"].isin(wanted).to_numpy()
    covered = pd.DatetimeIndex(covered)
    # the counts summed per covered month (months outside ``covered`` left out; zeros filled in)
    pos = covered.get_indexer(pd.DatetimeIndex(pd.to_datetime(monthly["month"].to_numpy()[keep])))
    counts = monthly["count"].to_numpy()[keep]
    sums = np.zeros(len(covered), dtype=np.int64)
    np.add.at(sums, pos[pos >= 0], counts[pos >= 0].astype(np.int64))
    return estimate_many(sums.astype(float)[None, :], covered, cache=cache)[0]


def f_sf_1(x, df):
    """``scipy.stats.f.sf(x, 1, df)``, value for value: scipy's own ``_sf`` (``special.fdtrc``) where
    scipy calls it, and scipy's answers elsewhere (1 at ``x <= 0``, 0 at ``inf``, NaN for a NaN ``x``
    or ``df <= 0``). The distribution's argument handling cost ≈ 0.1 ms a call, a dozen calls a
    place view (``tests/test_recheck_perf5_sf.py`` compares the two).

    Examples
    --------
    >>> from scipy import stats
    >>> float(f_sf_1(3.84, 30)) == float(stats.f.sf(3.84, 1, 30)), f_sf_1([0.0, np.inf], 30).tolist()
    (True, [1.0, 0.0])
    """
    x, df = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(df, dtype=float))
    ok = df > 0
    out = np.zeros(x.shape)
    out[~ok | np.isnan(x)] = np.nan
    out[ok & (x <= 0)] = 1.0
    inside = ok & (x > 0) & (x < np.inf)
    if inside.any():
        out[inside] = special.fdtrc(1, df[inside], x[inside])
    return out[()] if out.ndim == 0 else out


def quasi_rate_p(count_a, count_b, exposure_a, exposure_b, phi, df_resid) -> np.ndarray:
    """:func:`quasi_rate_test` of arrays of counts, exposures and dispersions (elementwise).

    ``ΔD = 2 Σ_k [y_k log(y_k/μ_k) − (y_k − μ_k)]`` with ``μ_k = e_k (y_a + y_b) / (e_a + e_b)``,
    and ``p = P(F(1, ν) > ΔD/φ)``; 1 where both counts are 0.

    The F test is a large-sample approximation: with a handful of crimes it falls below what the exact
    conditional Poisson test (:func:`lagesbild.core.exact.poisson_rate_tests`) gives, which assumes
    *less* variation (φ = 1) and so bounds what the data can carry. Where fewer than
    :data:`SMALL_EXPECTED` crimes are expected in a period under no change (Cochran's rule for the
    approximation) the p-value is therefore never below the exact test's (0 against 5 crimes: 0.0625,
    not the F test's 0.016); larger counts keep the F test.

    Examples
    --------
    >>> quasi_rate_p([120, 0], [150, 0], [365, 1], [365, 1], [3.0, 3.0], [23, 23]).round(4).tolist()
    [0.3023, 1.0]
    >>> float(quasi_rate_p(0, 5, 365, 365, 1.0, 23))  # the exact test's 2 × 0.5⁵
    0.0625
    """
    ya, yb = np.asarray(count_a, dtype=float), np.asarray(count_b, dtype=float)
    ea, eb = np.asarray(exposure_a, dtype=float), np.asarray(exposure_b, dtype=float)
    total, exposure = ya + yb, ea + eb
    with np.errstate(divide="ignore", invalid="ignore"):
        mu_a, mu_b = ea * total / exposure, eb * total / exposure
        term_a = np.where(ya > 0, ya * np.log(ya / mu_a), 0.0) - (ya - mu_a)
        term_b = np.where(yb > 0, yb * np.log(yb / mu_b), 0.0) - (yb - mu_b)
    dev = 2 * (term_a + term_b)
    p = f_sf_1(np.maximum(dev, 0.0) / np.asarray(phi, dtype=float), df_resid)
    small = (np.minimum(mu_a, mu_b) < SMALL_EXPECTED) & (total > 0)
    if np.any(small):
        shape = np.broadcast(ya, yb, ea, eb, p).shape
        small = np.broadcast_to(small, shape)
        a, b, xa, xb = (np.broadcast_to(v, shape)[small] for v in (ya, yb, ea, eb))
        p = np.array(np.broadcast_to(p, shape), dtype=float)
        p[small] = np.maximum(p[small], poisson_rate_tests(np.rint(a).astype(np.int64),
                                                           np.rint(b).astype(np.int64), xa, xb))
    return np.where(total == 0, 1.0, p)


def quasi_share_p(place_a, rest_a, place_b, rest_b, phi, df_resid) -> np.ndarray:
    """Two-sided p-values for an unchanged share ``place / (place + rest)`` between two periods when
    the place's counts vary ``phi`` times more than Poisson (elementwise).

    The likelihood-ratio statistic ``G²`` of the 2×2 table ``[[place_a, rest_a], [place_b, rest_b]]``
    (independence) is divided by ``φ`` — the Rao–Scott correction of a contingency test for a design
    effect, here the overdispersion of the place's count — and compared with ``F(1, ν)``, as the rate
    test :func:`quasi_rate_p`. 1 where a row or column of the table is empty. As there, where a cell
    is expected to hold fewer than :data:`SMALL_EXPECTED` crimes the p-value is never below Fisher's
    exact test's (:func:`lagesbild.core.exact.fisher_tests`, which assumes φ = 1).

    Examples
    --------
    >>> quasi_share_p([50, 0], [50, 0], [20, 5], [80, 5], [1.0, 2.0], [30, 30]).round(6).tolist()
    [9.5e-05, 1.0]
    >>> round(float(quasi_share_p(0, 1000, 5, 1000, 1.3, 30)), 4)  # Fisher's, not the F test's 0.028
    0.0622
    """
    t = np.stack([np.asarray(v, dtype=float) for v in (place_a, rest_a, place_b, rest_b)])
    rows = np.stack([t[0] + t[1], t[2] + t[3]])
    cols = np.stack([t[0] + t[2], t[1] + t[3]])
    total = rows.sum(axis=0)
    expected = np.stack([rows[0] * cols[0], rows[0] * cols[1], rows[1] * cols[0], rows[1] * cols[1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = expected / total
        g2 = 2 * np.where(t > 0, t * np.log(t / expected), 0.0).sum(axis=0)
    p = np.array(np.broadcast_to(f_sf_1(np.maximum(g2, 0.0) / np.asarray(phi, dtype=float), df_resid),
                                 total.shape), dtype=float)
    small = (np.nan_to_num(expected.min(axis=0), nan=np.inf) < SMALL_EXPECTED)
    if np.any(small):
        cells = (np.rint(t[i][small]).astype(np.int64) for i in range(4))
        p[small] = np.maximum(p[small], fisher_tests(*cells))
    return np.where((rows.min(axis=0) == 0) | (cols.min(axis=0) == 0), 1.0, p)


def quasi_rate_test(count_a, count_b, exposure_a, exposure_b, dispersion: Dispersion) -> float:
    """Two-sided p-value for equal rates of two counts with dispersion ``phi``: ``F = ΔD/φ``.

    ``ΔD`` is the deviance of the equal-rate Poisson model for the two counts (the saturated model
    fits them exactly), and ``p = P(F(1, df) > ΔD/φ)`` (:func:`quasi_rate_p`).

    Examples
    --------
    >>> d = Dispersion(3.0, 3.0, 23, 36, METHOD_QUASI, "")
    >>> round(quasi_rate_test(120, 150, 365, 365, d), 4)
    0.3023
    >>> quasi_rate_test(0, 0, 1, 1, d)
    1.0
    """
    return float(quasi_rate_p(count_a, count_b, exposure_a, exposure_b, dispersion.phi,
                              dispersion.df_resid))


def quasi_trend_p(lr_statistic: float, dispersion: Dispersion) -> float:
    """The quasi-Poisson p-value of a trend from its Poisson likelihood-ratio statistic.

    Examples
    --------
    >>> d = Dispersion(4.0, 4.0, 23, 36, METHOD_QUASI, "")
    >>> round(quasi_trend_p(3.84, d), 3)
    0.337
    """
    return float(f_sf_1(max(lr_statistic, 0.0) / dispersion.phi, dispersion.df_resid))
