"""Shares of respondents: Wilson score intervals, Newcombe intervals of a difference and the
two-proportion test (the pooled z test, Fisher's exact test where an expected count is below 5; with at
most 300 respondents in each sample the z test's p-value is never below Barnard's exact test's).

Arrays in, arrays out; a missing or zero number of respondents gives NaN. Used by the survey tables
(:mod:`lagesbild.core.survey`).

Examples
--------
>>> lo, hi = wilson_interval(0.23, 200)
>>> round(lo, 4), round(hi, 4)
(0.1771, 0.2931)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from lagesbild.core.survey_rest import EXACT_BELOW, barnard_p, fisher_p, lattice_samples, small_samples

P_FLOOR = float(np.finfo(float).tiny)


# --- array helpers -----------------------------------------------------------------------------
def _floats(values) -> np.ndarray:
    """Return `values` as a float array with NaN for None/NA (pandas Int64 included)."""
    if values is None or values is pd.NA:
        return np.array([np.nan])
    try:
        return np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError):
        pass
    return pd.to_numeric(pd.Series(np.atleast_1d(np.asarray(values, dtype=object))),
                         errors="coerce").astype(float).to_numpy()


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    return float(norm.ppf(0.5 + level / 2))


def _valid(p: np.ndarray, n: np.ndarray) -> np.ndarray:
    return np.isfinite(p) & np.isfinite(n) & (n > 0) & (p >= 0) & (p <= 1)


def _wilson(p: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    ok = _valid(p, n)
    nn = np.where(ok, n, 1.0)
    pp = np.where(ok, p, 0.5)
    denom = 1 + z**2 / nn
    centre = (pp + z**2 / (2 * nn)) / denom
    half = z / denom * np.sqrt(pp * (1 - pp) / nn + z**2 / (4 * nn**2))
    # Clip and keep the share inside its own interval (guards rounding at p = 0 or 1).
    lo = np.minimum(np.clip(centre - half, 0.0, 1.0), pp)
    hi = np.maximum(np.clip(centre + half, 0.0, 1.0), pp)
    return np.where(ok, lo, np.nan), np.where(ok, hi, np.nan)


def _newcombe(p1, n1, p2, n2, z: float) -> tuple[np.ndarray, np.ndarray]:
    l1, u1 = _wilson(p1, n1, z)
    l2, u2 = _wilson(p2, n2, z)
    d = p1 - p2
    lo = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return lo, hi


def _ztest(p1, n1, p2, n2) -> np.ndarray:
    ok = _valid(p1, n1) & _valid(p2, n2)
    n1_, n2_ = np.where(ok, n1, 1.0), np.where(ok, n2, 1.0)
    p1_, p2_ = np.where(ok, p1, 0.5), np.where(ok, p2, 0.5)
    pooled = (p1_ * n1_ + p2_ * n2_) / (n1_ + n2_)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1_ + 1 / n2_))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (p1_ - p2_) / np.where(se > 0, se, 1.0), 0.0)
    # Floor at the smallest normal float: the exact p is positive even when sf underflows.
    pval = np.clip(2 * norm.sf(np.abs(z)), P_FLOOR, 1.0)
    for i in np.flatnonzero(ok & small_samples(p1_, n1_, p2_, n2_)):
        pval[i] = fisher_p(p1_[i], n1_[i], p2_[i], n2_[i])  # too few answers for the z test
    # a few hundred answers: the z test's normal tail is too thin on their lattice (survey_rest.EXACT_MAX_N)
    for i in np.flatnonzero(ok & lattice_samples(p1_, n1_, p2_, n2_) & (pval < EXACT_BELOW)):
        pval[i] = max(pval[i], barnard_p(p1_[i], n1_[i], p2_[i], n2_[i]))
    return np.where(ok, pval, np.nan)


def _scalar(a: np.ndarray) -> float:
    return float(a[0])


# --- public statistics -------------------------------------------------------------------------
def wilson_intervals(share, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score intervals for many shares at once.

    Parameters
    ----------
    share : array-like of float
        Shares in [0, 1]. NaN gives NaN.
    n : array-like of int
        Number of respondents; None, NaN, ``pd.NA`` or 0 gives NaN bounds.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    lo, hi : numpy.ndarray
        Lower and upper bounds (fractions), NaN where no interval can be computed.

    Examples
    --------
    >>> lo, hi = wilson_intervals([0.23, 0.5], pd.array([200, None], dtype="Int64"))
    >>> round(float(lo[0]), 4), bool(np.isnan(hi[1]))
    (0.1771, True)
    """
    return _wilson(_floats(share), _floats(n), _z(level))


def wilson_interval(share: float, n, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for one share.

    Parameters
    ----------
    share : float
        The observed share in [0, 1].
    n : int or None
        Number of respondents; missing or 0 gives ``(nan, nan)``.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    (lo, hi) : tuple of float

    Examples
    --------
    >>> lo, hi = wilson_interval(0.23, 200)
    >>> round(lo, 4), round(hi, 4)
    (0.1771, 0.2931)
    >>> wilson_interval(0.23, None)
    (nan, nan)
    """
    lo, hi = wilson_intervals([share], [n], level)
    return _scalar(lo), _scalar(hi)


def newcombe_interval(p1: float, n1, p2: float, n2, level: float = 0.95) -> tuple[float, float]:
    """Newcombe hybrid score interval for the difference ``p1 - p2`` (Newcombe 1998, method 10).

    Parameters
    ----------
    p1, p2 : float
        Shares in [0, 1].
    n1, n2 : int or None
        Respondents behind each share; a missing one gives ``(nan, nan)``.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    (lo, hi) : tuple of float
        Bounds of the difference, as fractions (multiply by 100 for percentage points).

    Examples
    --------
    >>> lo, hi = newcombe_interval(0.23, 100, 0.09, 120)
    >>> round(lo, 4), round(hi, 4)
    (0.0435, 0.2396)
    """
    z = _z(level)
    lo, hi = _newcombe(_floats(p1), _floats(n1), _floats(p2), _floats(n2), z)
    return _scalar(lo), _scalar(hi)


def two_proportion_test(p1: float, n1, p2: float, n2) -> float:
    """Two-sided pooled z test of ``p1 == p2`` for two independent samples.

    Parameters
    ----------
    p1, p2 : float
        Shares in [0, 1].
    n1, n2 : int or None
        Respondents behind each share; a missing one gives NaN.

    Returns
    -------
    float
        The p-value in (0, 1], NaN when a count is missing.

    Examples
    --------
    >>> f"{two_proportion_test(0.23, 400, 0.09, 420):.3g}"  # the z test (statsmodels' proportions_ztest)
    '4.02e-08'
    >>> round(two_proportion_test(0.23, 100, 0.09, 120), 4)  # z 0.0041; Barnard's of 23/100, 11/120
    0.0048
    >>> two_proportion_test(0.23, None, 0.09, 120)
    nan
    """
    return _scalar(_ztest(_floats(p1), _floats(n1), _floats(p2), _floats(n2)))


# --- the survey table --------------------------------------------------------------------------
