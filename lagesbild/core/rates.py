"""Confidence intervals of crime rates (crimes per 1 000 inhabitants and year).

A rate is ``count / person-years × 1000``, where person-years are the population times the months
counted over 12 (:mod:`lagesbild.core.population`). The population is taken as known (SCB's figure
of 31 December, interpolated between known years): the interval is the count's uncertainty only.

**Poisson counts: Garwood's exact interval.** For a Poisson count ``k`` the interval of its mean at
level ``1 − a`` is ``[χ²(a/2; 2k)/2, χ²(1 − a/2; 2k + 2)/2]`` (``χ²(q; ν)`` the ``q`` quantile of the
chi-square distribution with ``ν`` degrees of freedom; the lower end is 0 for ``k = 0``). Its coverage
is at least ``1 − a`` for every mean (Garwood 1936).

**Overdispersed counts: the scaled interval.** Crime counts vary more than Poisson (a place's
monthly counts ``φ`` times more, estimated from its own history, :mod:`lagesbild.core.dispersion`).
The count divided by ``φ`` then has variance about equal to its mean, like a Poisson count, so the
interval is ``φ`` times Garwood's interval of ``k/φ`` (chi-square quantiles at non-integer degrees of
freedom). ``φ`` is taken as known; estimated from a few years of months it is itself uncertain, so the
coverage is somewhat below the level when ``φ`` is large and its history short
(``tests/test_recheck_stats4_rates.py`` measures it).

What it cannot tell: an interval says how far the rate could be from the place's underlying rate by
chance in that period, not whether two places differ (a test of the two counts does,
:func:`lagesbild.core.poisson.poisson_rate_test` or the quasi test); two overlapping intervals do not
mean there is no difference.

Examples
--------
>>> [round(x, 3) for x in garwood(10)]
[4.795, 18.39]
>>> [round(x, 2) for x in rate_interval(30, 2500 * 6 / 12)]  # 30 crimes, 2 500 inhabitants, 6 months
[16.19, 34.26]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import chi2

from lagesbild.core.population import MIN_POPULATION, period_populations

LEVEL = 0.95
#: the note under rates with intervals (Swedish, as shown)
NOTE_RATE_INTERVAL = ("Intervallet kring brott per 1\u00a0000 invånare är ett 95-procentigt konfidensintervall "
                      "för antalet (exakt Poisson, Garwood; vidgat med platsens egen slumpvariation när "
                      "historiken räcker); befolkningen tas som känd. Det visar osäkerheten i en plats "
                      "takt, inte om två platser skiljer sig – det gör testet av skillnaden.")


def garwood(count, level: float = LEVEL, phi=1.0):
    """The interval ``(low, high)`` of the mean of ``count`` at ``level``: Garwood's exact Poisson
    interval, or with ``phi > 1`` ``phi`` times Garwood's interval of ``count / phi`` (see the module
    docstring). Arrays give arrays; a negative or NaN count gives NaN.

    Examples
    --------
    >>> [round(float(x), 4) for x in garwood(0)]
    [0.0, 3.6889]
    >>> [round(float(x), 2) for x in garwood(40, phi=4.0)]
    [19.18, 73.56]
    """
    k = np.asarray(count, dtype=float)
    phi = np.maximum(np.asarray(phi, dtype=float), 1.0)
    phi = np.where(np.isfinite(phi), phi, 1.0)
    a = 1.0 - level
    scaled = k / phi
    with np.errstate(invalid="ignore"):
        low = np.where(scaled > 0, chi2.ppf(a / 2, 2 * np.where(scaled > 0, scaled, 1.0)) / 2, 0.0) * phi
        high = chi2.ppf(1 - a / 2, 2 * scaled + 2) / 2 * phi
    bad = ~(k >= 0)
    low, high = np.where(bad, np.nan, low), np.where(bad, np.nan, high)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def rate_interval(count, person_years, phi=1.0, level: float = LEVEL):
    """The interval of a rate per 1 000 inhabitants and year: :func:`garwood` of ``count`` × 1000 /
    ``person_years`` (NaN where the person-years are not positive).

    Examples
    --------
    >>> [round(x, 2) for x in rate_interval(0, 1500.0)]
    [0.0, 2.46]
    """
    low, high = garwood(count, level, phi)
    py = np.asarray(person_years, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(py > 0, 1000.0 / np.where(py > 0, py, 1.0), np.nan)
    low, high = np.asarray(low) * scale, np.asarray(high) * scale
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def whole_months(start, end) -> pd.DatetimeIndex:
    """The whole months from ``start`` to ``end`` (the months a period's rate is annualised over).

    Examples
    --------
    >>> list(whole_months("2021-01-01", "2021-03-15").strftime("%Y-%m"))
    ['2021-01', '2021-02']
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    first = np.datetime64(start.to_datetime64(), "M") + (0 if start.day == 1 else 1)
    last = np.datetime64(end.to_datetime64(), "M") - (0 if end.is_month_end else 1)
    return pd.DatetimeIndex(np.arange(first, last + 1, dtype="datetime64[M]").astype("datetime64[ns]"))


def period_rate_intervals(rows: pd.DataFrame, table, place_id, *, constant=None,
                          min_population: float = MIN_POPULATION, level: float = LEVEL) -> pd.DataFrame:
    """The interval of each row's rate per 1 000 inhabitants and year.

    Parameters
    ----------
    rows : DataFrame
        ``category, period, start, end, count, rate`` and optionally ``phi`` (the place × category's
        dispersion, 1 or NaN: Poisson). A row without a rate (NaN) gets no interval.
    table, place_id, constant, min_population
        The population, as :func:`lagesbild.core.population.period_rate` takes it: the person-years
        are the mean population of the months times their number over 12.

    Returns
    -------
    DataFrame
        ``place_id, category, period, rate, rate_low, rate_high, phi`` (``phi`` the dispersion used, 1
        for Garwood's exact interval).

    Examples
    --------
    >>> known = pd.DataFrame({"place_id": "a", "year": [2021], "population": [2500]})
    >>> rows = pd.DataFrame({"category": "rån", "period": "2021", "start": pd.Timestamp("2021-01-01"),
    ...                      "end": pd.Timestamp("2021-06-30"), "count": [30], "rate": [24.0]})
    >>> period_rate_intervals(rows, known, "a")[["rate_low", "rate_high"]].round(2).values.tolist()
    [[16.19, 34.26]]
    """
    phi = rows["phi"].to_numpy() if "phi" in rows else None
    phi, rate, low, high = rate_bounds(rows["start"].to_numpy(), rows["end"].to_numpy(), rows["count"].to_numpy(),
                                       rows["rate"].to_numpy(), phi, table, place_id, constant=constant,
                                       min_population=min_population, level=level)
    out = pd.DataFrame({"place_id": place_id, "category": rows["category"].to_numpy(),
                        "period": rows["period"].to_numpy(), "rate": rate, "rate_low": low, "rate_high": high,
                        "phi": phi})
    return pd.DataFrame(out, columns=["place_id", "category", "period", "rate", "rate_low", "rate_high", "phi"])


def rate_bounds(start, end, count, rate, phi, table, place_id, *, constant=None,
                min_population: float = MIN_POPULATION, level: float = LEVEL) -> tuple[np.ndarray, ...]:
    """:func:`period_rate_intervals` of arrays (one element a row; ``phi`` None: Poisson), without
    building a table: ``(phi used, rate, rate_low, rate_high)``. Each row's interval depends on its
    own values only; the population of each distinct span is read once.

    Examples
    --------
    >>> known = pd.DataFrame({"place_id": "a", "year": [2021], "population": [2500]})
    >>> _, _, low, high = rate_bounds(pd.to_datetime(["2021-01-01"]), pd.to_datetime(["2021-06-30"]),
    ...                               [30], [24.0], None, known, "a")
    >>> [round(float(low[0]), 2), round(float(high[0]), 2)]
    [16.19, 34.26]
    """
    phi = pd.to_numeric(phi, errors="coerce").astype(float) if phi is not None else np.ones(len(count))
    phi = np.where(np.isfinite(phi) & (phi > 1), phi, 1.0)
    count = np.asarray(pd.to_numeric(count, errors="coerce"), dtype=float)
    rate = np.asarray(pd.to_numeric(rate, errors="coerce"), dtype=float)
    wanted = np.isfinite(rate) & np.isfinite(count)
    # each distinct span's months and population once (a span is shared by every category of a period)
    spans = [(s, e) if w else None for s, e, w in zip(start, end, wanted, strict=True)]
    distinct = [x for x in dict.fromkeys(spans) if x is not None]
    months = [whole_months(s, e) for s, e in distinct]
    found = period_populations(months, table, place_id, constant=constant, min_population=min_population)
    years = {x: (pop * len(m) / 12.0 if pop is not None and len(m) else np.nan)
             for x, m, (pop, _) in zip(distinct, months, found, strict=True)}
    person_years = np.array([years[x] if x is not None else np.nan for x in spans], float)
    low, high = rate_interval(np.where(wanted, count, 0.0), person_years, phi, level)
    return phi, rate, np.where(wanted, low, np.nan), np.where(wanted, high, np.nan)
