"""The monthly history model of :mod:`lagesbild.core.dispersion`: its design matrix (intercept, trend
and, from three years on, one annual sine/cosine pair) and the Poisson log-linear fit of many series at
once (IRLS). Moved unchanged out of :mod:`lagesbild.core.dispersion` (467 lines), which imports them
back.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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


def _irls(Y: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Fitted means of the Poisson log-linear model of each row of ``Y`` (IRLS, as statsmodels' GLM).

    Every series takes the same steps as a fit of its own (least squares by QR each step, until no
    linear predictor moves by 1e-9), but the steps of all series are taken together on stacked
    arrays; a series stops when it has converged. No step mixes series (no BLAS matrix product, whose
    rounding depends on the number of rows), so a series gets the same fit to the last bit whichever
    series it is fitted with. Equal to a fit one series at a time by SVD least squares to about 1e-12,
    and to statsmodels to far below the tests' 1e-8.

    Examples
    --------
    >>> months = pd.date_range("2020-01-01", periods=24, freq="MS")
    >>> mu = _irls(np.array([[2.0, 4.0] * 12, [1.0, 3.0] * 12]), design(months))
    >>> [round(float(m), 6) for m in mu.sum(axis=1)]
    [72.0, 48.0]
    """
    Y = np.asarray(Y, dtype=float)
    mu = Y + Y.mean(axis=1, keepdims=True) / 2 + 1e-3
    eta = np.log(mu)
    todo = np.arange(len(Y))
    for _ in range(MAX_ITER):
        y, m, e = Y[todo], mu[todo], eta[todo]
        w = np.sqrt(m)
        q, r = np.linalg.qr(X[None, :, :] * w[:, :, None])
        qz = np.einsum("snk,sn->sk", q, (e + (y - m) / m) * w)
        beta = np.linalg.solve(r, qz[:, :, None])[:, :, 0]
        new = np.clip(np.einsum("sk,nk->sn", beta, X), -30.0, 30.0)  # not BLAS: its rounding
        # depends on how many series are stacked, and a series' numbers must not
        done = np.max(np.abs(new - e), axis=1) < 1e-9
        eta[todo], mu[todo] = new, np.exp(new)
        todo = todo[~done]
        if not len(todo):
            break
    return mu
