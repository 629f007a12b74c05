"""The survey's place against the rest of its district, and a survey page as one family of tests.

See :mod:`lagesbild.core.survey` (module docstring) for why and how.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact

from lagesbild.core.fdr import bh_adjust, family_note

#: Cochran's rule: the pooled z test needs at least this many expected answers in each of the four
#: cells (yes/no × sample); below it the test is Fisher's exact test.
MIN_EXPECTED = 5


def _floats(values) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype == float:
        return np.atleast_1d(values)  # already floats (NaN for missing): nothing to convert
    return pd.to_numeric(pd.Series(np.atleast_1d(np.asarray(values, dtype=object))),
                         errors="coerce").astype(float).to_numpy()


def rest_of(share, n, parent_share, parent_n) -> tuple[np.ndarray, np.ndarray]:
    """Share and respondents of a parent area without the place (NaN when not computable).

    Examples
    --------
    >>> s, n = rest_of([0.30], [300], [0.12], [2000])
    >>> round(float(s[0]), 4), float(n[0])
    (0.0882, 1700.0)
    """
    p, m, ps, pn = (_floats(x) for x in (share, n, parent_share, parent_n))
    with np.errstate(divide="ignore", invalid="ignore"):
        rn = pn - m
        rs = (ps * pn - p * m) / rn
    ok = np.isfinite(rs) & (rn > 0)
    return np.where(ok, np.clip(rs, 0.0, 1.0), np.nan), np.where(ok, rn, np.nan)


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


def interval_level(m: int, discoveries: int, alpha: float) -> float:
    """The confidence level of intervals shown beside ``m`` BH-adjusted verdicts with ``discoveries``
    of them significant at ``alpha``: ``1 − max(R, 1)·α/m``.

    Benjamini & Yekutieli (2005, *JASA* 100:71–81, Definition 1 and Theorem 1): marginal intervals at
    level ``1 − R·α/m`` for the ``R`` parameters that BH selects keep the false coverage-statement rate
    (the expected share of selected intervals that miss the true difference) at most α. Every BH
    rejection has ``p ≤ R·α/m`` and every other ``p > R·α/m``, so an interval at this level excludes 0
    exactly when its (dual) test is called significant, instead of a 95 % interval without 0 beside
    "ingen säkerställd förändring". With no discovery ``R`` is taken as 1 (the Bonferroni level: no
    interval then excludes 0 unless its test's p-value is below α/m). Without tests: ``1 − α``.

    Examples
    --------
    >>> interval_level(20, 0, 0.05), interval_level(20, 4, 0.05), interval_level(0, 0, 0.05)
    (0.9975, 0.99, 0.95)
    """
    if m <= 0:
        return 1 - alpha
    return 1 - max(discoveries, 1) * alpha / m


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
    if m > 1:
        note += (f" Intervallen för skillnader och förändringar är därför {level_text(level)} "
                 "konfidensintervall (Benjamini–Yekutieli) i stället för "
                 f"{level_text(1 - alpha)}: ett intervall som "
                 "inte innehåller 0 hör ihop med en säkerställd skillnad.")
    return joint[:k], {"m": m, "discoveries": r, "alpha": alpha, "note": note, "interval_level": level}


def level_text(level: float) -> str:
    """A confidence level in Swedish percent, with two significant digits of what it leaves out.

    Examples
    --------
    >>> level_text(0.95), level_text(0.9975), level_text(0.99), level_text(1 - 0.05 / 900)
    ('95\\xa0%', '99,75\\xa0%', '99\\xa0%', '99,9944\\xa0%')
    """
    miss = 100 * (1 - level)
    decimals = max(0, 1 - math.floor(math.log10(miss))) if miss > 0 else 0
    text = f"{100 - miss:.{decimals}f}"
    text = (text.rstrip("0").rstrip(".") if "." in text else text).replace(".", ",")
    return f"{text}\u00a0%"
