"""Counts per period and the tests of consecutive periods, for many places and categories at once.

Everything here works on a :class:`~lagesbild.core.cube.MonthlyCube`: the counts of a period are a
matrix product of the cube with the period's whole months, the months without data of each place ×
category × period come from the cube's coverage (see :mod:`lagesbild.core.coverage`), the dispersion
of each place × category is fitted from its own monthly history (:func:`dispersions`), and the
p-values of every pair are computed as arrays (:func:`~lagesbild.core.dispersion.quasi_rate_p`; the
exact Poisson test for series with too short a history). :mod:`lagesbild.core.compare` defines what
the rows mean (notes, verdicts); one place (``compare``) and every place of the overview use this
module.

Examples
--------
>>> from lagesbild.core.cube import build_cube
>>> from lagesbild.core.periods import parse_period
>>> monthly = pd.DataFrame({"place_id": ["a", "a", "b"], "category": "rån",
...     "month": pd.to_datetime(["2021-01-01", "2021-02-01", "2021-02-01"]), "count": [1, 2, 4]})
>>> cube = build_cube(monthly)
>>> rows = Rows(cube, [0, 1], ["rån"], None)
>>> counts, missing = rows.period_sums(period_months(cube.months, [parse_period("2021-01"),
...                                                             parse_period("2021-02")]))
>>> counts.tolist(), missing.tolist()
([[[1, 2]], [[0, 4]]], [[[0, 0]], [[0, 0]]])
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lagesbild.core.dispersion import METHOD_QUASI, estimate_many, quasi_rate_p
from lagesbild.core.place_family import ALL  # the label of the total over the categories
from lagesbild.core.poisson import pair_exposures, poisson_rate_test
from lagesbild.core.year_level import YEAR_MONTHS, with_year_levels

TOTAL_CATEGORY = "totalt"  # a source's own total of every crime: shown, never added into ``alla``


@dataclass(frozen=True)
class PeriodMonths:
    """The whole calendar months of each period: ``weights`` [month, period] (1 where a cube month
    lies inside), ``outside`` (whole months beyond the cube's months), ``days``, ``n_months`` and
    ``partial`` (the period has months that are not whole)."""

    periods: list
    weights: np.ndarray
    outside: np.ndarray
    days: np.ndarray
    n_months: np.ndarray
    partial: np.ndarray


def period_months(months: pd.DatetimeIndex, periods) -> PeriodMonths:
    """:class:`PeriodMonths` of the periods over the cube's ``months``.

    Examples
    --------
    >>> from lagesbild.core.periods import parse_period
    >>> pm = period_months(pd.date_range("2021-01-01", periods=3, freq="MS"),
    ...                    [parse_period("2021-01-15 - 2021-04-30")])
    >>> pm.weights[:, 0].tolist(), pm.outside.tolist(), pm.days.tolist(), pm.partial.tolist()
    ([0, 1, 1], [1], [89], [True])
    """
    K = len(periods)
    weights = np.zeros((len(months), K), np.int64)
    starts, ends, touched_first, touched_last, first, last = _whole_month_bounds(periods)
    n_months = np.maximum((last - first).astype(np.int64) + 1, 0)
    days = np.where(n_months > 0, ((last + 1).astype("datetime64[D]") - first.astype("datetime64[D]"))
                    .astype(np.int64), 0)
    partial = n_months != (touched_last - touched_first).astype(np.int64) + 1
    outside = np.zeros(K, np.int64)
    cube = np.asarray(months, dtype="datetime64[M]") if len(months) else np.zeros(0, "datetime64[M]")
    for k in range(K):
        inside = (cube >= first[k]) & (cube <= last[k])
        weights[inside, k] = 1
        outside[k] = n_months[k] - int(inside.sum())
    return PeriodMonths(list(periods), weights, outside, days, n_months, partial)


def _whole_month_bounds(periods) -> tuple:
    """Each period's first and last day (``datetime64[D]``), the months of those days, and its first
    and last whole month (``datetime64[M]``; the last before the first when it has none): from the
    first month starting on or after the start to the last month ending on or before the end."""
    K = len(periods)
    starts = np.array([p.start for p in periods], dtype="datetime64[D]").reshape(K)
    ends = np.array([p.end for p in periods], dtype="datetime64[D]").reshape(K)
    touched_first, touched_last = starts.astype("datetime64[M]"), ends.astype("datetime64[M]")
    first = np.where(touched_first.astype("datetime64[D]") == starts, touched_first, touched_first + 1)
    last = np.where((ends + 1).astype("datetime64[M]") != touched_last, touched_last, touched_last - 1)
    return starts, ends, touched_first, touched_last, first, last


class Rows:
    """The rows of a table for places × categories: each shown category, and ``alla`` for the sum.

    Parameters
    ----------
    cube : MonthlyCube
    pos : sequence of int
        The places' positions in the cube.
    shown : list of str
        The categories shown, ``alla`` for the total row.
    summed : bool array [place, cube category] or None
        The categories the total sums (and whose months it needs) per place; None = none.
    until : date-like or None
        Months ending after it count as without data (:func:`lagesbild.core.coverage.complete_until`).
    """

    def __init__(self, cube, pos, shown, summed, until=None):
        self.cube, self.pos, self.shown, self.until = cube, np.asarray(pos, np.int64), list(shown), until
        self.cat = cube.category_index(list(shown))
        P, C = len(self.pos), len(cube.categories)
        self.summed = np.zeros((P, C), bool) if summed is None else np.asarray(summed, bool)
        total = self.summed.copy()  # what the total adds up: a source's own total only when alone
        if TOTAL_CATEGORY in cube.categories:
            t = cube.categories.get_loc(TOTAL_CATEGORY)
            without = total.copy()
            without[:, t] = False
            total = np.where(without.any(axis=1, keepdims=True), without, total)
        self.total = total

    def monthly(self) -> tuple[np.ndarray, np.ndarray]:
        """Counts and months with data, [place, row, month]; built once (the period sums, the
        dispersions and the year-level test all read them), so callers must not modify them."""
        if getattr(self, "_monthly", None) is None:
            self._monthly = self._build_monthly()
        return self._monthly

    def _build_monthly(self) -> tuple[np.ndarray, np.ndarray]:
        cube, P, M = self.cube, len(self.pos), len(self.cube.months)
        R = len(self.shown)
        counts = np.zeros((P, R, M), np.int64)
        covered = np.zeros((P, R, M), bool)
        single = np.array([c != ALL for c in self.shown], bool)
        if single.any():
            cat = self.cat[single]
            block = cube.counts[self.pos][:, np.maximum(cat, 0)]
            counts[:, single] = np.where((cat >= 0)[None, :, None], block, 0)
            covered[:, single] = cube.covered_by_category(self.pos, cat, self.until)
        if (~single).any():
            total = np.einsum("pcm,pc->pm", cube.counts[self.pos], self.total.astype(np.int64))
            every = np.arange(len(cube.categories))
            by_cat = cube.covered_by_category(self.pos, every, self.until)
            if cube.per_category:  # months every summed category has data for
                common = np.all(by_cat | ~self.summed[:, :, None], axis=1) & self.summed.any(axis=1)[:, None]
            else:
                common = cube.covered[self.pos] & cube.until_mask(self.until)
            counts[:, ~single] = total[:, None, :]
            covered[:, ~single] = common[:, None, :]
        return counts, covered

    def period_sums(self, pm: PeriodMonths) -> tuple[np.ndarray, np.ndarray]:
        """Counts and months without data [place, row, period]."""
        counts, covered = self.monthly()
        sums = counts @ pm.weights
        missing = pm.n_months[None, None, :] - covered.astype(np.int64) @ pm.weights
        return sums, missing

    def dispersions(self, cache=None) -> list[list]:
        """Each place × row's :class:`~lagesbild.core.dispersion.Dispersion`, fitted from its monthly
        history: the months the row has data for up to ``until`` (a category's own months when the
        coverage names categories, the months every summed category has for the total), so that a
        category whose data end early is not fitted with zeros for the months it lacks. The total
        row's history is the same sum as its counts (:attr:`total`: a source's own total only when
        nothing else is summed); ``cache`` as in :func:`~lagesbild.core.dispersion.estimate_many`."""
        series, history = self.monthly()
        P, R, M = series.shape
        flat_series, flat_history = series.reshape(P * R, M), history.reshape(P * R, M)
        codes = self.source_codes()
        flat_codes = np.repeat(codes, R, axis=0)
        fitted = [None] * (P * R)
        groups: dict = {}
        for c, key in enumerate(np.packbits(flat_history, axis=1)):
            groups.setdefault(key.tobytes() + flat_codes[c][flat_history[c]].tobytes(), []).append(c)
        for cells in groups.values():
            mask = flat_history[cells[0]]
            found = estimate_many(flat_series[cells][:, mask], self.cube.months[mask], cache=cache,
                                  steps=source_steps(flat_codes[cells[0]][mask]))
            for c, d in zip(cells, found, strict=True):
                fitted[c] = d
        return [fitted[p * R:(p + 1) * R] for p in range(P)]


    def source_codes(self) -> np.ndarray:
        """The sources of each place's months [place, month] (:attr:`MonthlyCube.sources`; 0 where
        one source gives every month)."""
        codes = np.zeros((len(self.pos), len(self.cube.months)), np.int64)
        if self.cube.sources is not None:
            codes[self.pos >= 0] = self.cube.sources[self.pos[self.pos >= 0]]
        return codes


def source_steps(codes) -> np.ndarray | None:
    """A step column (months × changes, 0/1) from each month whose sources differ from the month
    before's on, or None without a change: the history model's own level for each source, so the
    step in the counts at a change of source (incidents count only crimes with coordinates) is not
    taken for overdispersion.

    Examples
    --------
    >>> source_steps([1, 1, 2, 2, 3]).T.tolist()
    [[0, 0, 1, 1, 1], [0, 0, 0, 0, 1]]
    >>> source_steps([1, 1]) is None
    True
    """
    codes = np.asarray(codes)
    at = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    if not len(at):
        return None
    return (np.arange(len(codes))[:, None] >= at[None, :]).astype(np.int8)


def place_dispersions(cube, pos: int, shown: list, until=None, cache=None, *, summed=None) -> list:
    """:meth:`Rows.dispersions` of one place (its position in ``cube``): each shown row's dispersion;
    ``summed`` (bool per cube category) the categories ``alla`` sums."""
    mask = None if summed is None else np.asarray(summed, bool)[None, :]
    return Rows(cube, [pos], shown, mask, until).dispersions(cache)[0]


def pair_p_values(count_a, count_b, days_a, days_b, disp) -> np.ndarray:
    """The test's own p-value of each pair (flat arrays; ``disp`` a list of dispersions): the
    quasi-Poisson F test, or the exact Poisson test with too short a history. Periods equally long
    within :data:`~lagesbild.core.poisson.EQUAL_LENGTH` are tested as equally long
    (:func:`~lagesbild.core.poisson.pair_exposures`)."""
    days_a, days_b = pair_exposures(days_a, days_b)
    quasi = np.array([d.method == METHOD_QUASI for d in disp], bool)
    p = np.full(len(quasi), np.nan)
    if quasi.any():
        phi = np.array([d.phi for d in disp], float)[quasi]
        df = np.array([d.df_resid for d in disp], float)[quasi]
        p[quasi] = quasi_rate_p(count_a[quasi], count_b[quasi], days_a[quasi], days_b[quasi], phi, df)
    for i in np.flatnonzero(~quasi):
        p[i] = poisson_rate_test(int(count_a[i]), int(count_b[i]), float(days_a[i]), float(days_b[i]))
    return p


def rates(counts, missing, pm: PeriodMonths, populations) -> tuple[np.ndarray, list]:
    """Annualised rates per 1 000 inhabitants [place, row, period] and each cell's note, as
    :func:`~lagesbild.core.population.period_rate`. ``populations[p][k]`` is ``(population or None,
    note)`` of place ``p`` in period ``k``."""
    P, R, K = counts.shape
    pop = np.array([[math.nan if v[0] is None else v[0] for v in row] for row in populations],
                   float).reshape(P, K)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = 1000.0 * counts.astype(float) * 12.0 / pm.n_months[None, None, :] / pop[:, None, :]
    none = (missing != 0) | (pm.n_months == 0)[None, None, :]
    rate = np.where(none, math.nan, rate)
    notes = [[[("" if none[p, r, k] else populations[p][k][1]) for k in range(K)] for r in range(R)]
             for p in range(P)]
    return rate, notes


def overlapping(periods) -> np.ndarray:
    """Whether each consecutive pair of periods (chronological) counts a whole month twice.

    Both periods' whole months run from a first to a last month (:func:`_whole_month_bounds`), so
    they share one exactly when both have whole months and the later first month is not after the
    earlier last one: a few array operations, where the sets of both periods' whole months cost
    ≈ 0.2 ms a new choice of periods.

    Examples
    --------
    >>> from lagesbild.core.periods import parse_period
    >>> overlapping([parse_period(p) for p in ["2020", "2020-06-01–2021-05-31", "2021-06", "2021-06"]]).tolist()
    [True, False, True]
    """
    periods = list(periods)
    if len(periods) < 2:
        return np.zeros(0, bool)
    *_, first, last = _whole_month_bounds(periods)
    whole = last >= first  # the period has a whole month
    shared = np.maximum(first[:-1], first[1:]) <= np.minimum(last[:-1], last[1:])
    return shared & whole[:-1] & whole[1:]


class Pairs:
    """The arrays of the consecutive pairs [place, row, pair] of a table: counts, months without data,
    days, whole months, the dispersions and the tests' own p-values (NaN when not tested)."""

    def __init__(self, cube, pos, periods, shown, summed=None, until=None, cache=None):
        self.rows = Rows(cube, pos, shown, summed, until)
        self.pm = period_months(cube.months, periods)
        self.counts, self.missing = self.rows.period_sums(self.pm)
        self.disp = self.rows.dispersions(cache=cache)
        P, R, K = len(self.rows.pos), len(shown), len(periods)
        shape = (P, R, K - 1)
        self.ca, self.cb = self.counts[:, :, :-1], self.counts[:, :, 1:]
        self.ma, self.mb = self.missing[:, :, :-1], self.missing[:, :, 1:]
        pm = self.pm
        self.da, self.db = (np.broadcast_to(d[None, None, :], shape) for d in (pm.days[:-1], pm.days[1:]))
        self.na, self.nb = (np.broadcast_to(n[None, None, :], shape)
                            for n in (pm.n_months[:-1], pm.n_months[1:]))
        self.no_months = (self.da == 0) | (self.db == 0)
        # whole months counted in both periods of a pair (the same crimes on both sides)
        self.overlap = np.broadcast_to(overlapping(periods)[None, None, :], shape)
        self.untested = self.no_months | ((self.ma + self.mb) > 0) | self.overlap
        self.flat_disp = [self.disp[i][r] for i in range(P) for r in range(R) for _ in range(K - 1)]
        self._year_level(P, R, K)
        self.p = np.full(shape, np.nan)
        tested = np.flatnonzero(~self.untested.ravel())
        if len(tested):
            self.p.ravel()[tested] = pair_p_values(
                self.ca.ravel()[tested], self.cb.ravel()[tested], self.da.ravel()[tested],
                self.db.ravel()[tested], [self.flat_disp[j] for j in tested])

    def head(self, R: int) -> Pairs:
        """These pairs' first ``R`` rows (the others left out): the same arrays and fits, sliced.
        Every number of a row is computed from that row alone (the fits stack series without mixing
        them, :func:`~lagesbild.core.dispersion._irls`), so the rows of the table and the rows
        fitted with them for the family (:func:`compare_cube_family`) come from one pass."""
        out = object.__new__(Pairs)
        out.__dict__.update(self.__dict__)
        P, R_all, K1 = self.p.shape
        for name in ("counts", "missing", "ca", "cb", "ma", "mb", "da", "db", "na", "nb", "no_months",
                     "overlap", "untested", "p"):
            setattr(out, name, getattr(self, name)[:, :R])
        out.disp = [row[:R] for row in self.disp]
        out.flat_disp = [self.flat_disp[(i * R_all + r) * K1 + k] for i in range(P) for r in range(R)
                         for k in range(K1)]
        return out

    def _year_level(self, P: int, R: int, K: int) -> None:
        """Pairs of whole years (or longer) tested against the place × row's year-to-year variation
        where it is larger than the months' (:func:`lagesbild.core.year_level.with_year_level`)."""
        long = self.pm.n_months >= YEAR_MONTHS
        if not (long[:-1] & long[1:]).any() or not P * R:
            return  # no pair of two periods of a year or more, or no row (a category without counts)
        series, covered = self.rows.monthly()
        codes = self.rows.source_codes() if self.rows.cube.sources is not None else None
        series, covered = series.reshape(P * R, -1), covered.reshape(P * R, -1)
        codes = None if codes is None else np.repeat(codes, R, axis=0)
        for k in range(K - 1):
            at = np.arange(P * R) * (K - 1) + k  # the pair k of every place × row in flat_disp
            found = with_year_levels([self.flat_disp[j] for j in at], series, covered, self.pm.weights, k, codes)
            for j, d in zip(at.tolist(), found, strict=True):
                self.flat_disp[j] = d
