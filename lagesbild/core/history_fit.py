"""The monthly history model of :mod:`lagesbild.core.dispersion`: its design matrix (intercept, trend
and, from three years on, one annual sine/cosine pair) and the Poisson log-linear fit of many series at
once (IRLS). Moved unchanged out of :mod:`lagesbild.core.dispersion` (467 lines), which imports them
back.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.linalg import _umath_linalg as _linalg  # numpy.linalg's LAPACK gufuncs (numpy < 3)

SEASON_MONTHS = 36  # the annual cycle is fitted from three years of history on
MAX_ITER = 50


def design(months) -> np.ndarray:
    """The history model's design matrix: intercept, trend in years since the first month and, from
    :data:`SEASON_MONTHS` months on, ``sin`` and ``cos`` of the month of year.

    Examples
    --------
    >>> design(pd.date_range("2020-01-01", periods=14, freq="MS"))[[0, 12]].tolist()
    [[1.0, 0.0], [1.0, 1.0]]
    >>> design(pd.date_range("2020-01-01", periods=36, freq="MS")).shape
    (36, 4)
    """
    months = pd.DatetimeIndex(months)
    t = (months.year - months.year.min()) + (months.month - months.month[0]) / 12.0
    columns = [np.ones(len(months)), np.asarray(t, dtype=float)]
    if len(months) >= SEASON_MONTHS:
        angle = 2 * np.pi * (months.month.to_numpy() - 1) / 12.0
        columns += [np.sin(angle), np.cos(angle)]
    return np.column_stack(columns)


def _linalg_error(err, flag):
    raise np.linalg.LinAlgError("IRLS: the weighted design has no QR factorisation or is singular")


def _irls(Y: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Fitted means of the Poisson log-linear model of each row of ``Y`` (IRLS, as statsmodels' GLM).

    Every series takes the same steps as a fit of its own (least squares by QR each step, until no
    linear predictor moves by 1e-9), but the steps of all series are taken together on stacked
    arrays; a series stops when it has converged. No step mixes series (no BLAS matrix product, whose
    rounding depends on the number of rows), so a series gets the same fit to the last bit whichever
    series it is fitted with. Equal to a fit one series at a time by SVD least squares to about 1e-12,
    and to statsmodels to far below the tests' 1e-8.

    The steps are :func:`numpy.linalg.qr` and :func:`numpy.linalg.solve`'s own LAPACK routines,
    called as those functions call them (the same numbers to the last bit,
    ``tests/test_recheck_perf14_irls.py``) but without their checks and conversions each step, and
    the weighted design is built with the months innermost (column-major matrices, which LAPACK
    reads without reordering): 0.82 -> 0.65 ms for 17 series of 120 months.

    Examples
    --------
    >>> months = pd.date_range("2020-01-01", periods=24, freq="MS")
    >>> mu = _irls(np.array([[2.0, 4.0] * 12, [1.0, 3.0] * 12]), design(months))
    >>> [round(float(m), 6) for m in mu.sum(axis=1)]
    [72.0, 48.0]
    """
    Y = np.asarray(Y, dtype=float)
    X = np.asarray(X, dtype=float)
    XT = np.ascontiguousarray(X.T)
    k = X.shape[1]
    upper = np.triu(np.ones((k, k), dtype=bool))  # numpy.triu's mask: r = where(upper, r, 0)
    mu = Y + Y.mean(axis=1, keepdims=True) / 2 + 1e-3
    eta = np.log(mu)
    todo = np.arange(len(Y))
    every = True  # no series has converged yet: no rows to pick out
    with np.errstate(call=_linalg_error, invalid="call", over="ignore", divide="ignore", under="ignore"):
        for _ in range(MAX_ITER):
            y, m, e = (Y, mu, eta) if every else (Y[todo], mu[todo], eta[todo])
            w = np.sqrt(m)
            a = (XT[None, :, :] * w[:, None, :]).transpose(0, 2, 1)  # series × months × k
            tau = _linalg.qr_r_raw(a, signature="d->d")  # numpy.linalg.qr, in place
            q = _linalg.qr_reduced(a, tau, signature="dd->d")
            r = np.where(upper, a[:, :k, :], 0.0)
            qz = np.einsum("snk,sn->sk", q, (e + (y - m) / m) * w)
            beta = _linalg.solve(r, qz[:, :, None], signature="dd->d")[:, :, 0]  # numpy.linalg.solve
            new = np.clip(np.einsum("sk,nk->sn", beta, X), -30.0, 30.0)  # not BLAS: its rounding
            # depends on how many series are stacked, and a series' numbers must not
            done = np.max(np.abs(new - e), axis=1) < 1e-9
            if every:
                eta, mu = new, np.exp(new)
            else:
                eta[todo], mu[todo] = new, np.exp(new)
            if done.any():
                todo, every = todo[~done], False
            if not len(todo):
                break
    return mu
