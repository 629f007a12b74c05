"""perf14 (issue 10): the monthly-history fits (:func:`lagesbild.core.history_fit._irls`) call
numpy's LAPACK routines directly, with the weighted design laid out months-innermost, instead of
going through :func:`numpy.linalg.qr` and :func:`numpy.linalg.solve` every step. A place change fits
some 30 series in five calls; the answers reach the dispersions, p-values and notes of every table, so
they must be the same to the last bit.

References: ``_irls_before`` is the algorithm as it was (commit 46f626a, copied here unchanged), and
statsmodels' Poisson GLM (independent of lagesbild) for the fitted means. The bit-for-bit comparisons
are guards (they pass on the old code, which is the reference); ``test_no_numpy_wrappers_per_step``
failed on the old code, which called ``numpy.linalg.qr`` and ``solve`` every step.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.core import dispersion, history_fit
from lagesbild.core.dispersion import estimate_many
from lagesbild.core.history_fit import _irls, design


def _irls_before(Y: np.ndarray, X: np.ndarray) -> np.ndarray:
    """``history_fit._irls`` of commit 46f626a, unchanged."""
    Y = np.asarray(Y, dtype=float)
    mu = Y + Y.mean(axis=1, keepdims=True) / 2 + 1e-3
    eta = np.log(mu)
    todo = np.arange(len(Y))
    for _ in range(history_fit.MAX_ITER):
        y, m, e = Y[todo], mu[todo], eta[todo]
        w = np.sqrt(m)
        q, r = np.linalg.qr(X[None, :, :] * w[:, :, None])
        qz = np.einsum("snk,sn->sk", q, (e + (y - m) / m) * w)
        beta = np.linalg.solve(r, qz[:, :, None])[:, :, 0]
        new = np.clip(np.einsum("sk,nk->sn", beta, X), -30.0, 30.0)
        done = np.max(np.abs(new - e), axis=1) < 1e-9
        eta[todo], mu[todo] = new, np.exp(new)
        todo = todo[~done]
        if not len(todo):
            break
    return mu


@st.composite
def _histories(draw):
    """Series × months of counts (many zeros, bursts, one series or several) over covered months that
    may have gaps (months without data left out), with or without the season and source steps."""
    span = draw(st.sampled_from([8, 24, 30, 36, 48, 120]))
    first = pd.Timestamp(draw(st.sampled_from(["2015-01-01", "2018-09-01", "2020-03-01"])))
    months = pd.date_range(first, periods=span, freq="MS")
    gaps = draw(st.lists(st.integers(1, span - 2), max_size=span // 6, unique=True))
    months = months.delete(sorted(gaps))
    n_series = draw(st.integers(1, 6))
    level = draw(st.sampled_from([0.3, 2.0, 15.0, 200.0]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    Y = rng.negative_binomial(draw(st.sampled_from([0.5, 2.0, 50.0])), 0.5, (n_series, len(months)))
    Y = (Y * level / 2).round()
    Y[rng.random(Y.shape) < draw(st.sampled_from([0.0, 0.3, 0.8]))] = 0
    X = design(months)
    if draw(st.booleans()) and len(months) > 12:  # a level of its own from a change of source on
        X = np.column_stack([X, (np.arange(len(months)) >= len(months) // 2).astype(float)])
    return Y.astype(float), X


@settings(max_examples=150, deadline=None)
@given(_histories())
def test_same_fits_as_before_to_the_last_bit(case):
    Y, X = case
    assert _irls(Y, X).tobytes() == _irls_before(Y, X).tobytes()


@settings(max_examples=40, deadline=None)
@given(_histories())
def test_a_series_gets_the_same_fit_alone(case):
    # no step mixes series: each row is fitted as when it is fitted alone
    Y, X = case
    together = _irls(Y, X)
    for i in range(len(Y)):
        assert _irls(Y[i:i + 1], X).tobytes() == together[i:i + 1].tobytes()


def test_statsmodels_fits_the_same_means():
    rng = np.random.default_rng(14)
    months = pd.date_range("2017-01-01", periods=60, freq="MS").delete([5, 6, 30])
    X = design(months)
    Y = rng.negative_binomial(2, 2 / 14, (4, len(months))).astype(float)
    Y[1, ::3] = 0
    mu = _irls(Y, X)
    for y, m in zip(Y, mu, strict=True):
        ref = sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-12).fittedvalues
        np.testing.assert_allclose(m, ref, rtol=1e-8)


def test_dispersions_as_before():
    # what the tables use: estimate_many's phi, phi_raw and ν, with the old fit patched in as reference
    rng = np.random.default_rng(5)
    months = pd.date_range("2016-01-01", periods=120, freq="MS")
    Y = rng.negative_binomial(1.5, 0.2, (17, 120)).astype(float)
    Y[3] = 0
    Y[4, :] = 0
    Y[4, 7] = 9  # crime in one month only: the mean model, not the fit
    new = estimate_many(Y, months, cache={})
    kept = dispersion._irls
    try:
        dispersion._irls = _irls_before
        old = estimate_many(Y, months, cache={})
    finally:
        dispersion._irls = kept
    assert new == old


def test_rank_deficient_design_raises_as_before():
    months = pd.date_range("2016-01-01", periods=30, freq="MS")
    X = design(months)
    X = np.column_stack([X, np.zeros(30)])  # a step that never starts: R has an exact 0 on its diagonal
    Y = np.arange(30, dtype=float)[None, :] % 7
    with pytest.raises(np.linalg.LinAlgError):
        _irls_before(Y, X)
    with pytest.raises(np.linalg.LinAlgError):
        _irls(Y, X)


def test_no_numpy_wrappers_per_step(monkeypatch):
    # the speed-up itself: numpy.linalg.qr and solve check and convert their arguments on every call
    # (≈ 60 µs of a 140 µs step for 17 series); the fit calls their LAPACK routines instead
    calls = []

    def counted(f):
        def g(*a, **k):
            calls.append(f.__name__)
            return f(*a, **k)
        return g

    monkeypatch.setattr(np.linalg, "qr", counted(np.linalg.qr))
    monkeypatch.setattr(np.linalg, "solve", counted(np.linalg.solve))
    months = pd.date_range("2016-01-01", periods=36, freq="MS")
    Y = np.random.default_rng(1).poisson(5.0, (3, 36)).astype(float)
    mu = _irls(Y, design(months))
    assert calls == []
    assert mu.tobytes() == _irls_before(Y, design(months)).tobytes()
