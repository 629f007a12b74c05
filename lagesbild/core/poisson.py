"""The exact conditional test for two Poisson counts, and its verdict in Swedish.

Two counts of reported crime, ``count_a`` in an earlier period and ``count_b`` in a later one, are
modelled as independent Poisson counts with rates proportional to the periods' exposures (their lengths
in days). Conditional on the total ``n = count_a + count_b``, ``count_b`` is binomial with
``p = exposure_b / (exposure_a + exposure_b)`` when the rates are equal (p = ½ for periods of equal
length). The two-sided p-value is that of the exact binomial test with the "minlike" rule
(:func:`scipy.stats.binomtest`): the probability of every outcome at most as likely as the observed one.

Examples
--------
>>> round(poisson_rate_test(62, 51), 3)
0.347
>>> p = poisson_rate_test(32, 60)
>>> round(p, 4), verdict(32, 60, p)
(0.0046, 'ökning, statistiskt säkerställd')
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np

from lagesbild.core import exact

ALPHA = 0.05
VERDICTS = {
    "up": "ökning, statistiskt säkerställd",
    "down": "minskning, statistiskt säkerställd",
    "none": "ingen säkerställd förändring",
}
SMALLEST_P = exact.SMALLEST_P  # reported instead of a p-value that underflows to 0
MAX_TOTAL = 2**63 - 1  # count_a + count_b must fit a 64-bit integer (the arrays of lagesbild.core.exact)
#: periods whose lengths differ by at most this share of the longer are compared as equally long
EQUAL_LENGTH = 0.02


def pair_exposures(days_a, days_b) -> tuple[np.ndarray, np.ndarray]:
    """The exposures a comparison of two periods tests with: their days, or one each when they are
    equally long within :data:`EQUAL_LENGTH` (a leap day), as their change is shown (counts, not
    rates). A year with 29 February is then not "more exposed": 5 634 020 → 5 633 963 crimes (−57)
    was a "säkerställd ökning" per day beside its −57.

    Examples
    --------
    >>> [a.tolist() for a in pair_exposures([366, 120, 730], [365, 121, 182])]
    [[1.0, 1.0, 730.0], [1.0, 1.0, 182.0]]
    """
    da, db = np.asarray(days_a, dtype=float), np.asarray(days_b, dtype=float)
    equal = np.abs(da - db) <= EQUAL_LENGTH * np.maximum(da, db)
    return np.where(equal, 1.0, da), np.where(equal, 1.0, db)


def _count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Real) or math.isnan(value):
        raise ValueError(f"{name} måste vara ett heltal, inte {value!r}.")
    if not isinstance(value, Integral) and not float(value).is_integer():
        raise ValueError(f"{name} måste vara ett heltal, inte {value!r}.")
    if value < 0:
        raise ValueError(f"{name} får inte vara negativt ({value}).")
    return int(value)


def _exposure(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} måste vara ett positivt tal, inte {value!r}.")
    return float(value)


def poisson_rate_test(count_a, count_b, exposure_a=1.0, exposure_b=1.0) -> float:
    """Two-sided exact conditional p-value for equal rates of two Poisson counts.

    Parameters
    ----------
    count_a, count_b : int
        Counts in the earlier and the later period (non-negative integers).
    exposure_a, exposure_b : float
        The periods' exposures (e.g. their lengths in days); only their ratio matters.

    Returns
    -------
    float
        The p-value in (0, 1]: ``scipy.stats.binomtest(count_b, count_a + count_b,
        exposure_b / (exposure_a + exposure_b)).pvalue``; 1.0 when both counts are 0. A p-value that
        underflows to 0 in floating point is reported as the smallest normal double (``SMALLEST_P``).
        Computed by :func:`lagesbild.core.exact.poisson_rate_tests` on this one table (the one
        implementation; its p-values are scipy's own, bit for bit), after checking the arguments.

    Raises
    ------
    ValueError
        For negative or non-integer counts, counts summing beyond a 64-bit integer
        (:data:`MAX_TOTAL`) and non-positive exposures (Swedish message).

    Examples
    --------
    >>> poisson_rate_test(0, 0)
    1.0
    >>> poisson_rate_test(5, 5)
    1.0
    >>> poisson_rate_test(274, 142) < 1e-9
    True
    >>> round(poisson_rate_test(10, 20, exposure_a=1, exposure_b=2), 6)
    1.0
    """
    a, b = _count(count_a, "Antalet (period a)"), _count(count_b, "Antalet (period b)")
    ea, eb = _exposure(exposure_a, "Exponeringen (period a)"), _exposure(exposure_b, "Exponeringen (period b)")
    if a + b > MAX_TOTAL:
        raise ValueError(f"Antalen är för stora för testet ({a} + {b}).")
    return float(exact.poisson_rate_tests([a], [b], [ea], [eb])[0])


def verdict(count_a, count_b, p, alpha=ALPHA, *, exposure_a=1.0, exposure_b=1.0) -> str:
    """The Swedish verdict on a change from ``count_a`` to ``count_b`` given its p-value.

    The change is "statistiskt säkerställd" when ``p < alpha``; its direction is that of the rates
    ``count / exposure`` (the counts themselves when the exposures are equal).

    Parameters
    ----------
    count_a, count_b : int
        Counts in the earlier and the later period.
    p : float
        The p-value of :func:`poisson_rate_test`.
    alpha : float
        Significance level, default 0.05 (5 %).
    exposure_a, exposure_b : float
        Exposures, as given to :func:`poisson_rate_test`.

    Examples
    --------
    >>> verdict(274, 142, poisson_rate_test(274, 142))
    'minskning, statistiskt säkerställd'
    >>> verdict(62, 51, poisson_rate_test(62, 51))
    'ingen säkerställd förändring'
    >>> verdict(10, 15, 0.01, exposure_a=10, exposure_b=20)
    'minskning, statistiskt säkerställd'
    """
    if not 0 < alpha < 1:
        raise ValueError(f"Signifikansnivån måste ligga mellan 0 och 1, inte {alpha!r}.")
    if p is None or (isinstance(p, float) and math.isnan(p)) or p >= alpha:
        return VERDICTS["none"]
    rate_a = _count(count_a, "Antalet (period a)") / _exposure(exposure_a, "Exponeringen (period a)")
    rate_b = _count(count_b, "Antalet (period b)") / _exposure(exposure_b, "Exponeringen (period b)")
    if rate_b > rate_a:
        return VERDICTS["up"]
    if rate_b < rate_a:
        return VERDICTS["down"]
    return VERDICTS["none"]
