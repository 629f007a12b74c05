"""Complete monthly series of a place, for several categories at once (:func:`category_series`).

A series has every month of a range: the count where the month is covered, ``<NA>`` where it is not
(a missing month is not a month without crime, see :mod:`lagesbild.core.coverage`), and the sum of the
12 months ending with each month when all 12 are covered (also for a range's first months, whose
12 months reach back before the range's start). The place's rows and covered months are
found once, and each category's months are summed with one :func:`numpy.bincount`;
:func:`lagesbild.core.compare.monthly_series` is the one-category case.

Examples
--------
>>> monthly = pd.DataFrame({"place_id": "a", "category": ["rån", "stöld"] * 13,
...                         "month": pd.date_range("2020-01-01", periods=13, freq="MS").repeat(2),
...                         "count": [1, 2] * 13})
>>> s = category_series(monthly, "a", ["rån", "stöld"])
>>> s.groupby("category")["rolling_12"].last().tolist()
[12, 24]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.core import periods as pr
from lagesbild.core.coverage import covered_months, place_rows

COLUMNS = ["month", "count", "covered", "rolling_12"]


def _first_month(day) -> np.datetime64 | None:
    return None if day is None else np.datetime64(pr.as_date(day), "M")


#: months read before a range's start so that its first months have their rolling 12-month sums (the
#: line began 11 months into every chart: the sums of its first months reach back before the range)
LEAD_MONTHS = 11


def _lead(first: np.datetime64 | None) -> tuple[np.datetime64 | None, int]:
    """(the month to read from, how many leading months to drop afterwards) for a range from ``first``."""
    return (None, 0) if first is None else (first - np.timedelta64(LEAD_MONTHS, "M"), LEAD_MONTHS)


def _rolling_12(counts: np.ndarray) -> np.ndarray:
    """Sums of 12 consecutive months ending with each (NaN unless all 12 are numbers)."""
    out = np.full(len(counts), np.nan)
    if len(counts) >= 12:
        known = np.isfinite(counts)
        total = np.concatenate([[0.0], np.cumsum(np.where(known, counts, 0.0))])
        n_known = np.concatenate([[0], np.cumsum(known)])
        sums = total[12:] - total[:-12]
        out[11:] = np.where(n_known[12:] - n_known[:-12] == 12, sums, np.nan)
    return out


def category_series(monthly: pd.DataFrame, place_id=None, categories=(None,), *,
                    coverage: pd.DataFrame | None = None, start=None, end=None) -> pd.DataFrame:
    """Each category's complete monthly series, one after the other, with a ``category`` column.

    Parameters
    ----------
    monthly, place_id, coverage, start, end
        As in :func:`lagesbild.core.compare.monthly_series`.
    categories : sequence
        Each item a category, a list of categories (summed) or None (every category).

    Returns
    -------
    DataFrame
        ``month, count, covered, rolling_12, category`` (see
        :func:`~lagesbild.core.compare.monthly_series`): the rows of each category's series in turn.

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": "a", "category": "rån",
    ...                         "month": pd.to_datetime(["2020-01-01", "2020-03-01"]), "count": [4, 1]})
    >>> category_series(monthly, "a", ["rån", "stöld"])["count"].tolist()
    [4, 0, 1, 0, 0, 0]
    """
    cats = list(categories)
    index, is_covered, counts, rolling = series_arrays(monthly, place_id, cats, coverage=coverage,
                                                       start=start, end=end)
    return _frame(index, is_covered, counts, rolling, cats)


def cube_series(cube, place_id, categories, *, start=None, end=None) -> pd.DataFrame:
    """:func:`category_series` of a place read from a
    :class:`~lagesbild.core.cube.MonthlyCube` of the store (``categories`` ids; the months a
    place is covered for are those of any category, as in :func:`~lagesbild.core.coverage.covered_months`).

    Examples
    --------
    >>> from lagesbild.core.cube import build_cube
    >>> monthly = pd.DataFrame({"place_id": "a", "category": "rån",
    ...                         "month": pd.to_datetime(["2020-01-01", "2020-03-01"]), "count": [4, 1]})
    >>> cov = pd.DataFrame({"place_id": [None], "month": pd.to_datetime(["2020-02-01"])})
    >>> cube_series(build_cube(monthly, cov), "a", ["rån"])["count"].tolist()
    [4, 0, 1]
    """
    cats = list(categories)
    pos = int(cube.place_positions([place_id])[0])
    cube_months = cube.months.to_numpy().astype("datetime64[M]")
    all_covered = cube.covered_of([pos])[0]
    known = cube_months[all_covered]
    (first, drop), last = _lead(_first_month(start)), _first_month(end)
    if len(known) == 0 and (first is None or last is None):
        months = np.zeros(0, "datetime64[M]")
    else:
        months = np.arange(first if first is not None else known.min(),
                           (last if last is not None else known.max()) + 1)
    n = len(months)
    at = (months - cube_months[0]).astype(np.int64) if len(cube_months) else np.full(n, -1)
    inside = (at >= 0) & (at < len(cube_months))
    place = cube.place_counts(pos) if len(cube_months) else np.zeros((len(cube.categories), 0), np.int64)
    index = cube.category_index(cats)
    # each category's own months (coverage naming categories: a category whose data end early has
    # no months after its end, not zeros)
    own = (cube.place_coverage(pos, index) if len(cube_months)
           else np.zeros((len(cats), 0), bool))
    counts, rolling, covered = [], [], []
    for i, c in enumerate(index):
        is_covered = np.zeros(n, bool)
        is_covered[inside] = own[i, at[inside]] & all_covered[at[inside]]
        one = np.zeros(n)
        if c >= 0:
            one[inside] = place[c, at[inside]]
        one[~is_covered] = np.nan
        counts.append(one[drop:])
        rolling.append(_rolling_12(one)[drop:])
        covered.append(is_covered[drop:])
    return _frame(pd.DatetimeIndex(months[drop:].astype("datetime64[ns]")), covered, counts, rolling, cats)


def _frame(index, is_covered, counts, rolling, cats) -> pd.DataFrame:
    """The series one after the other; ``is_covered`` one array per category."""
    n, k = len(index), len(cats)
    names = np.empty(n * k, dtype=object)
    for i, c in enumerate(cats):
        names[i * n:(i + 1) * n] = c
    return pd.DataFrame({
        "month": np.tile(index.to_numpy("datetime64[ns]"), k),
        "count": _int64(np.concatenate(counts) if k else np.zeros(0)),
        "covered": np.concatenate(is_covered) if k else np.zeros(0, bool),
        "rolling_12": _int64(np.concatenate(rolling) if k else np.zeros(0)),
        "category": names})


def _int64(values: np.ndarray):
    """``pd.array(values, dtype="Int64")`` of floats (NaN = missing) built directly: the same values,
    mask and masked data (pandas fills them with 1), without pandas' checks of the input (0.07 ms an
    array, two a series). Values that are not whole finite numbers go through pandas (and its error).

    >>> _int64(np.array([4.0, np.nan, 0.0])).equals(pd.array([4, None, 0], dtype="Int64"))
    True
    """
    mask = np.isnan(values)
    data = np.where(mask, 1.0, values)
    if not (np.abs(data) < 2.0**63).all():  # infinite or beyond int64
        return pd.array(values, dtype="Int64")
    whole = data.astype(np.int64)
    if not np.array_equal(whole, data):
        return pd.array(values, dtype="Int64")
    return pd.arrays.IntegerArray(whole, mask)


def series_arrays(monthly: pd.DataFrame, place_id, categories, *, coverage=None, start=None, end=None):
    """(months, covered per category, counts per category, rolling sums per category) of
    :func:`category_series`: the counts are floats with NaN where a month is not covered. With
    coverage naming categories, each category has its own months (a list of categories, or None for
    every category of the place, the months every one of them has)."""
    covered = covered_months(monthly, coverage, place_id)
    rows = place_rows(monthly, place_id)
    (first, drop), last = _lead(_first_month(start)), _first_month(end)
    known = covered.to_numpy("datetime64[ns]").astype("datetime64[M]")
    if len(known) == 0 and (first is None or last is None):
        months = np.zeros(0, "datetime64[M]")
    else:
        months = np.arange(first if first is not None else known.min(),
                           (last if last is not None else known.max()) + 1)
    index = pd.DatetimeIndex(months.astype("datetime64[ns]"))
    n = len(index)
    is_covered = np.isin(months, known)
    named = coverage is not None and "category" in coverage and coverage["category"].notna().any()
    month = rows["month"].to_numpy("datetime64[ns]").astype("datetime64[M]")
    pos = (month - months[0]).astype(np.int64) if n else month.astype(np.int64)
    inside = (pos >= 0) & (pos < n)
    values = rows["count"].to_numpy(np.int64)
    category = rows["category"]
    counts, rolling, covers = [], [], []
    for c in categories:
        keep = inside if c is None else inside & category.isin([c] if isinstance(c, str) else list(c)).to_numpy()
        one = np.bincount(pos[keep], weights=values[keep], minlength=n).astype(float)
        mask = is_covered
        if named:
            every = [c] if isinstance(c, str) else sorted(set(category.dropna())) if c is None else list(c)
            mask = is_covered.copy()
            for x in every:
                own = covered_months(monthly, coverage, place_id, category=x)
                mask &= np.isin(months, own.to_numpy("datetime64[ns]").astype("datetime64[M]"))
        one[~mask] = np.nan
        counts.append(one[drop:])
        rolling.append(_rolling_12(one)[drop:])
        covers.append(mask[drop:])
    return index[drop:], covers, counts, rolling
