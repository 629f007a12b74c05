"""The survey's place against the rest of its district, and a survey page as one family of tests.

See :mod:`lagesbild.core.survey` (module docstring) for why and how.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from scipy.stats import barnard_exact, fisher_exact

from lagesbild.core.fdr import bh_adjust, family_note, interval_level, level_text

#: Cochran's rule: the pooled z test needs at least this many expected answers in each of the four
#: cells (yes/no × sample); below it the test is Fisher's exact test.
MIN_EXPECTED = 5
#: Up to this many respondents in each sample the pooled z test's p-value is never below the exact
#: unconditional test's of the same statistic (Barnard's, Suissa & Shuster 1985): on the lattice of a
#: few dozen answers the normal tail is too thin where the share is near one half (25 against 25 at
#: 50 %: 6,5 % of unchanged shares "säkerställd" at 5 %, 40 against 40: 5,7 %); above it the excess is
#: a few tenths of a percentage point and fading, and the enumeration costs more (``tests/
#: test_recheck_stats7_survey_lattice.py``).
EXACT_MAX_N = 300
#: the bound is worked out only where the z test's p-value is below this: a larger one can never be
#: a discovery at any α the settings allow (the Benjamini–Hochberg adjustment only raises it)
EXACT_BELOW = 0.2


def _floats(values) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype == float:
        return np.atleast_1d(values)  # already floats (NaN for missing): nothing to convert
    return pd.to_numeric(pd.Series(np.atleast_1d(np.asarray(values, dtype=object))),
                         errors="coerce").astype(float).to_numpy()


#: half the step of shares published in whole percent: the rounding a share can carry
ROUNDING = 0.005


def rest_of(share, n, parent_share, parent_n) -> tuple[np.ndarray, np.ndarray]:
    """Share and respondents of a parent area without the place (NaN when not computable).

    NaN also when the figures cannot both be right (:func:`rest_impossible`): a district whose
    answers are fewer than the place's own cannot contain them, and clipping the rest to 0 % made
    a "säkerställd" difference out of numbers that contradict each other.

    Examples
    --------
    >>> s, n = rest_of([0.30, 0.50], [300, 100], [0.12, 0.10], [2000, 120])
    >>> [round(float(x), 4) for x in s], n.tolist()
    ([0.0882, nan], [1700.0, nan])
    """
    p, m, ps, pn = (_floats(x) for x in (share, n, parent_share, parent_n))
    with np.errstate(divide="ignore", invalid="ignore"):
        rn = pn - m
        rs = (ps * pn - p * m) / rn
    ok = np.isfinite(rs) & (rn > 0) & ~rest_impossible(p, m, ps, pn)
    return np.where(ok, np.clip(rs, 0.0, 1.0), np.nan), np.where(ok, rn, np.nan)


def rest_impossible(share, n, parent_share, parent_n) -> np.ndarray:
    """Where the parent's figure cannot include the place's: even with every share off by its
    rounding (:data:`ROUNDING`, shares published in whole percent) the rest of the parent would
    have fewer than 0 or more than all of its respondents answering yes. The parent's figure then
    does not include the place (the setting ``survey_district_includes_place``), or it is weighted
    differently; either way no difference to the rest can be computed.

    Examples
    --------
    >>> rest_impossible(np.array([0.5, 0.05, 0.3]), np.array([100.0, 50, 300]),
    ...                 np.array([0.1, 0.01, 0.12]), np.array([120.0, 200, 2000])).tolist()
    [True, False, False]
    """
    p, m, ps, pn = (_floats(x) for x in (share, n, parent_share, parent_n))
    with np.errstate(divide="ignore", invalid="ignore"):
        rn = pn - m
        most = (np.minimum(ps + ROUNDING, 1) * pn - np.maximum(p - ROUNDING, 0) * m) / rn
        least = (np.maximum(ps - ROUNDING, 0) * pn - np.minimum(p + ROUNDING, 1) * m) / rn
    return (rn > 0) & ((most < 0) | (least > 1))


#: the rounding of published shares is left out of a test of the place against the rest where it adds
#: less than this part of the difference's sampling variance (the test's level then moves by less than
#: 0.6 percentage points: 2·Φ(−1.96/√1.05) = 5.6 %)
ROUNDING_NEGLIGIBLE = 0.05


def half_step(shares) -> float:
    """Half the step the shares are published in: 0.005 when every share is a whole percent, 0.0005
    with one decimal, else 0 (shares computed from counts carry no rounding).

    Examples
    --------
    >>> half_step([0.23, 0.09, np.nan]), half_step([0.463, 0.27]), half_step([47 / 300])
    (0.005, 0.0005, 0.0)
    """
    s = _floats(shares)
    s = s[np.isfinite(s)]
    for step in (0.01, 0.001):
        if len(s) and np.all(np.abs(s / step - np.round(s / step)) < 1e-6):
            return step / 2
    return 0.0


def rest_respondents(share, n, parent_n, rest_share, rest_n, half: float) -> tuple[np.ndarray, np.ndarray]:
    """(respondents the rest of an area is tested with, where its rounding counts): the rest's share is
    worked out of two rounded shares, and the rounding of the parent's is multiplied by
    ``parent_n / rest_n``. A rounding error is uniform within ± ``half``, variance ``half²/3``, so the
    rest's share carries ``half²/3 · (parent_n² + n²) / rest_n²`` besides its sampling variance; the
    rest is tested as a sample of the size with that much variance (under the pooled share). With a
    place of 900 of a district's 1 000 respondents, whole percent made a third of unchanged differences
    "säkerställd"; 600 of 2 000 one in 13 (``tests/test_recheck_stats2_survey_rounding.py``). Where the
    rounding adds less than :data:`ROUNDING_NEGLIGIBLE` of the difference's variance, the rest keeps its
    respondents.

    Examples
    --------
    >>> m, used = rest_respondents([0.20], [900], [1000], [0.10], [100], 0.005)
    >>> round(float(m[0]), 1), bool(used[0])
    (50.5, True)
    >>> m, used = rest_respondents([0.22], [320], [2500], [0.0718], [2180], 0.005)
    >>> float(m[0]), bool(used[0])
    (2180.0, False)
    """
    p, m, pn, rs, rn = (_floats(x) for x in (share, n, parent_n, rest_share, rest_n))
    with np.errstate(divide="ignore", invalid="ignore"):
        rounding = half ** 2 / 3 * (pn ** 2 + m ** 2) / rn ** 2
        pooled = (p * m + rs * rn) / (m + rn)
        var = pooled * (1 - pooled)
        used = np.isfinite(rounding) & (var > 0) & (rounding >= ROUNDING_NEGLIGIBLE * var * (1 / m + 1 / rn))
        eff = var / (var / rn + rounding)
    return np.where(used, eff, rn), used


def small_samples(p1, n1, p2, n2) -> np.ndarray:
    """Where the normal approximation of the pooled z test fails: an expected count under 5.

    With few respondents the z test rejects a true null far more often than its level (one
    respondent against 2 000 at a share of 20 %: 15 % at the 5 % level).

    Examples
    --------
    >>> small_samples(np.array([1.0, 0.3]), np.array([1.0, 300]), np.array([0.2, 0.2]),
    ...               np.array([300.0, 300]))
    array([ True, False])
    """
    with np.errstate(invalid="ignore"):
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        expected = np.minimum(n1, n2) * np.minimum(pooled, 1 - pooled)
    return np.isfinite(expected) & (expected > 0) & (expected < MIN_EXPECTED)


def fisher_p(p1: float, n1: float, p2: float, n2: float) -> float:
    """Two-sided p-value of Fisher's exact test on the answers ``round(share × n)`` of two samples.

    Examples
    --------
    >>> round(fisher_p(1.0, 1, 0.2, 300), 4)
    0.2027
    """
    x1, x2 = round(p1 * n1), round(p2 * n2)
    m1, m2 = round(n1), round(n2)
    p = float(fisher_exact([[x1, m1 - x1], [x2, m2 - x2]]).pvalue)
    return min(1.0, max(p, float(np.finfo(float).tiny)))  # positive even when it underflows


def lattice_samples(p1, n1, p2, n2) -> np.ndarray:
    """Where the pooled z test's p-value is bounded by :func:`barnard_p`: the z test is used (no
    expected count under :data:`MIN_EXPECTED`) and neither sample has more than :data:`EXACT_MAX_N`
    respondents.

    Examples
    --------
    >>> lattice_samples(np.array([0.36, 0.36, 0.04]), np.array([25.0, 400, 25]),
    ...                 np.array([0.64, 0.64, 0.04]), np.array([25.0, 400, 25])).tolist()
    [True, False, False]
    """
    with np.errstate(invalid="ignore"):
        return (np.isfinite(p1) & np.isfinite(p2) & (np.rint(n1) >= 1) & (np.rint(n2) >= 1)
                & (np.maximum(np.rint(n1), np.rint(n2)) <= EXACT_MAX_N) & ~small_samples(p1, n1, p2, n2))


def barnard_p(p1: float, n1: float, p2: float, n2: float) -> float:
    """Two-sided p-value of Barnard's exact unconditional test with the pooled z statistic
    (``scipy.stats.barnard_exact(pooled=True)``, Suissa & Shuster 1985) on the answers
    ``round(share × n)`` of two samples: the largest, over the common share, probability of a z at
    least as extreme. Its size never exceeds α.

    Examples
    --------
    >>> round(barnard_p(9 / 25, 25, 16 / 25, 25), 4)  # the z test's 0.0477
    0.0649
    """
    return _barnard(round(p1 * n1), round(n1), round(p2 * n2), round(n2))


@functools.lru_cache(maxsize=4096)
def _barnard(x1: int, m1: int, x2: int, m2: int) -> float:
    """:func:`barnard_p` of answers, kept: 20–200 ms a table, and a page asks for the same ones again."""
    p = float(barnard_exact([[x1, x2], [m1 - x1, m2 - x2]], pooled=True).pvalue)
    return min(1.0, max(p, float(np.finfo(float).tiny)))


def adjust_arrays(p_change: np.ndarray, cols: dict, alpha: float):
    """BH over every p-value of the table (change, district, city) at once; ``cols['p_district']``
    and ``cols['p_city']`` are replaced by their adjusted values. The family's description has
    ``interval_level`` (:func:`interval_level`), the level of the differences' intervals."""
    k = len(p_change)
    joint = bh_adjust(np.concatenate([p_change, np.asarray(cols["p_district"], float),
                                      np.asarray(cols["p_city"], float)]))
    cols["p_district"], cols["p_city"] = joint[k:2 * k], joint[2 * k:]
    m = int(np.isfinite(joint).sum())
    r = int((np.nan_to_num(joint, nan=1.0) < alpha).sum())
    level = interval_level(m, r, alpha)
    note = family_note(m, r, alpha)
    if m > 1 and level_text(level) != level_text(1 - alpha):  # every test significant: not widened
        note += (f" Intervallen för skillnader och förändringar är därför {level_text(level)} "
                 "konfidensintervall (Benjamini–Yekutieli) i stället för "
                 f"{level_text(1 - alpha)}: ett intervall som "
                 "inte innehåller 0 hör ihop med en säkerställd skillnad.")
    return joint[:k], {"m": m, "discoveries": r, "alpha": alpha, "note": note, "interval_level": level}


#: a row whose exact test and approximate interval say different things
NOTE_FISHER = ("få svarande: testet är Fishers exakta test och intervallet z-testets approximation; "
               "de säger olika här, och bedömningen följer testet")
#: a row whose z test was bounded by Barnard's exact test and whose interval says otherwise
NOTE_BARNARD = ("högst 300 svarande: testets p-värde är aldrig lägre än Barnards exakta test, intervallet "
                "är z-testets approximation; de säger olika här, och bedömningen följer testet")


def fisher_disagrees(small, p, lo, hi, alpha: float) -> np.ndarray:
    """Where Fisher's test decided (``small``) and its interval excludes 0 while the test does not call
    the difference, or the other way round.

    Examples
    --------
    >>> fisher_disagrees(np.array([True, True, False]), np.array([0.08, 0.01, 0.2]),
    ...                  np.array([0.008, 0.01, 0.01]), np.array([0.38, 0.3, 0.3]), 0.05).tolist()
    [True, False, False]
    """
    with np.errstate(invalid="ignore"):
        excludes = (lo > 0) | (hi < 0)
        return small & ~np.isnan(p) & (excludes != (p < alpha))
