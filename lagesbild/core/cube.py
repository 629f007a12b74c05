"""The monthly cube: the store's monthly counts as one array place × category × month.

:func:`build_cube` turns ``monthly_counts`` (and ``coverage``: months with data per place and, in a
store of schema 3, per category) into a :class:`MonthlyCube`. Every comparison between periods is
computed on it (:mod:`lagesbild.core.period_pairs`): the months with data of each place × category
(:meth:`MonthlyCube.covered_by_category`) follow the rules of :mod:`lagesbild.core.coverage`, so a
covered month without a row is a zero and an uncovered month is no data. :func:`place_cube` is the
cube of one place (or, for ``place_id=None``, of every row summed: the city).

Examples
--------
>>> monthly = pd.DataFrame({"place_id": ["a", "a", "b"], "category": ["rån", "stöld", "rån"],
...     "month": pd.to_datetime(["2021-01-01", "2021-02-01", "2021-05-01"]), "count": [1, 2, 4]})
>>> cube = build_cube(monthly)
>>> cube.counts.shape, int(cube.counts[cube.place_index(["b"])[0]].sum())
((2, 2, 5), 4)
>>> one = place_cube(monthly, None, "a")
>>> one.places.tolist(), one.counts.sum(axis=(0, 2)).tolist()
(['a'], [1, 2])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lagesbild.core import periods as pr


@dataclass(frozen=True)
class MonthlyCube:
    """Counts per place × category × month (first days, consecutive), and the months with data.

    ``covered`` are the months with data of a place whatever the category (a coverage row of the
    place or of every place, of any category, or a row of counts); ``general`` and ``by_category``
    the coverage rows without and with a category, ``has_row`` the cells with a row of counts.
    ``per_category`` is True when the coverage names categories (then each category has its own
    months, :meth:`covered_by_category`).
    """

    places: pd.Index
    categories: pd.Index
    months: pd.DatetimeIndex
    counts: np.ndarray   # int64 [place, category, month]
    covered: np.ndarray  # bool [place, month]
    everywhere: np.ndarray  # bool [month]: covered for every place (also places without a row)
    general: np.ndarray | None = None      # bool [place, month]: coverage rows without a category
    by_category: np.ndarray | None = None  # bool [place, category, month]: rows with a category
    has_row: np.ndarray | None = None      # bool [place, category, month]
    per_category: bool = False

    def place_index(self, place_ids) -> np.ndarray:
        """Positions of the place ids (-1 for a place without any row)."""
        return self.places.get_indexer(list(place_ids))

    def covered_of(self, place_pos) -> np.ndarray:
        """Covered months [place, month] of the positions (a place without a row: ``everywhere``)."""
        pos = np.asarray(place_pos)
        out = np.broadcast_to(self.everywhere, (len(pos), len(self.months))).copy()
        out[pos >= 0] = self.covered[pos[pos >= 0]]
        return out

    def until_mask(self, until) -> np.ndarray:
        """The months (bool [month]) that end on or before ``until`` (every month for None)."""
        if until is None:
            return np.ones(len(self.months), bool)
        # a month ends on or before ``until`` when the next month starts on or before the day after
        starts = self.months.to_numpy().astype("datetime64[M]")
        return (starts + 1).astype("datetime64[D]") <= np.datetime64(pr.as_date(until), "D") + 1

    def category_index(self, categories) -> np.ndarray:
        """Positions of the categories (-1 for a category the cube does not hold)."""
        return self.categories.get_indexer(list(categories))

    def covered_by_category(self, place_pos, cat_pos, until=None) -> np.ndarray:
        """Months with data [place, category, month] of the positions, cut at ``until``.

        With ``per_category`` a category's months are the coverage rows without a category, those
        of the category and the months with a row of it; otherwise every category has the place's
        :attr:`covered` months.
        """
        pos, cat = np.asarray(place_pos), np.asarray(cat_pos)
        keep = self.until_mask(until)
        if not self.per_category:
            covered = self.covered[pos] & keep
            return np.broadcast_to(covered[:, None, :], (len(pos), len(cat), len(self.months)))
        inside = cat >= 0
        out = np.broadcast_to(self.general[pos][:, None, :], (len(pos), len(cat), len(self.months))).copy()
        own = self.by_category[pos][:, cat[inside]] | self.has_row[pos][:, cat[inside]]
        out[:, inside] |= own
        return out & keep

    def data_until(self, place_pos: int):
        """The last day of the place's last covered month, or None."""
        covered = self.covered_of([place_pos])[0]
        if not covered.any():
            return None
        last = self.months[np.flatnonzero(covered)[-1]]
        return (last + pd.offsets.MonthEnd(0)).date()


def month_starts(values) -> np.ndarray:
    """The first days of the values' months as ``datetime64[M]`` (dates, strings or timestamps)."""
    stamps = np.asarray(values)
    if not np.issubdtype(stamps.dtype, np.datetime64):
        stamps = pd.to_datetime(pd.Series(values)).to_numpy("datetime64[ns]")
    return stamps.astype("datetime64[M]")


CACHE_SIZE = 512  # cubes a :func:`place_cube` cache holds before it starts again


def _per_category(coverage) -> bool:
    return coverage is not None and "category" in coverage and not coverage["category"].isna().all()


def build_cube(monthly: pd.DataFrame, coverage: pd.DataFrame | None = None, *, one_place=False,
               categories=(), span=None, per_category=None) -> MonthlyCube:
    """The cube of the store's ``monthly_counts`` (and ``coverage``: months with data per place).

    Without ``coverage`` every month from the first to the last with a count is covered for every
    place, as in :func:`lagesbild.core.coverage.covered_months`. With ``one_place`` every row (and
    every coverage row) belongs to the one place ``one_place`` names (already selected by the
    caller, see :func:`place_cube`). ``categories`` are held even without a row; the months of
    ``span`` (first days) are held even without a row.
    """
    if per_category is None:
        per_category = _per_category(coverage)
    months = month_starts(monthly["month"])
    has_cov = coverage is not None and len(coverage) > 0
    cov_months = month_starts(coverage["month"]) if has_cov else months[:0]
    every = np.concatenate([months, cov_months] + ([span] if span is not None else []))
    cats = pd.Index(sorted(set(monthly["category"]) | set(categories)
                           | (set(coverage["category"].dropna()) if has_cov and per_category else set())))
    if len(every) == 0:
        n, c = (0 if one_place is False else 1), len(cats)
        places = pd.Index([] if one_place is False else [one_place], dtype=object)
        return MonthlyCube(places, cats, pd.DatetimeIndex([]), np.zeros((n, c, 0), np.int64),
                           np.zeros((n, 0), bool), np.zeros(0, bool), np.zeros((n, 0), bool),
                           np.zeros((n, c, 0), bool), np.zeros((n, c, 0), bool), per_category)
    first, last = every.min(), every.max()
    index = pd.DatetimeIndex(np.arange(first, last + 1).astype("datetime64[ns]"))  # first days
    if one_place is not False:
        places = pd.Index([one_place], dtype=object)
        p_codes = np.zeros(len(monthly), np.int64)
    else:
        own_cov = coverage["place_id"].dropna() if has_cov else []
        places = pd.Index(sorted(set(monthly["place_id"]) | set(own_cov)))
        p_codes = places.get_indexer(monthly["place_id"]).astype(np.int64)
    c_codes = cats.get_indexer(monthly["category"]).astype(np.int64)
    m_codes = (months - first).astype(np.int64)
    shape = (len(places), len(cats), len(index))
    flat = (p_codes * shape[1] + c_codes) * shape[2] + m_codes
    counts = np.bincount(flat, weights=monthly["count"].to_numpy(np.int64), minlength=int(np.prod(shape)))
    counts = counts.astype(np.int64).reshape(shape)
    has_row = np.zeros(int(np.prod(shape)), bool)
    has_row[flat] = True
    has_row = has_row.reshape(shape)
    covered = np.zeros((shape[0], shape[2]), bool)
    everywhere = np.zeros(shape[2], bool)
    general = np.zeros((shape[0], shape[2]), bool)
    by_category = np.zeros(shape, bool)
    if coverage is None:
        covered[:] = True
        everywhere[:] = True
        general[:] = True
    else:
        covered[p_codes, m_codes] = True  # a month with a count is covered
        codes = (cov_months - first).astype(np.int64)
        pid = coverage["place_id"].to_numpy(dtype=object) if has_cov else np.zeros(0, dtype=object)
        all_places = np.ones(len(pid), bool) if one_place is not False else pd.isna(pid)
        where = np.full(len(pid), -1, np.int64)  # the place of each coverage row (-1: unknown place)
        if (~all_places).any():
            where[~all_places] = places.get_indexer(pid[~all_places])
        cov_cat = (coverage["category"].to_numpy(dtype=object) if has_cov and "category" in coverage
                   else np.full(len(pid), None, dtype=object))
        no_cat = pd.isna(cov_cat)
        cat_of = np.full(len(pid), -1, np.int64)
        if (~no_cat).any():
            cat_of[~no_cat] = cats.get_indexer(cov_cat[~no_cat])
        for rows, target in ((np.ones(len(pid), bool), covered), (no_cat, general)):
            target[:, codes[all_places & rows]] = True
            mine = ~all_places & rows & (where >= 0)
            target[where[mine], codes[mine]] = True
        everywhere[codes[all_places]] = True
        with_cat = ~no_cat & (cat_of >= 0)
        every_c = with_cat & all_places
        by_category[:, cat_of[every_c], codes[every_c]] = True
        mine = with_cat & ~all_places & (where >= 0)
        by_category[where[mine], cat_of[mine], codes[mine]] = True
    return MonthlyCube(pd.Index(places), cats, index, counts, covered, everywhere, general, by_category,
                       has_row, per_category)


def place_cube(monthly: pd.DataFrame, coverage: pd.DataFrame | None, place_id,
               categories=(), cache: dict | None = None) -> MonthlyCube:
    """The cube of one place: its rows and the coverage rows of the place or of every place
    (``place_id=None``: every row and every coverage row, the city).

    Without ``coverage`` the months from the first to the last month of the whole ``monthly`` frame
    are covered, as in :func:`lagesbild.core.coverage.covered_months`. ``cache`` (a dict the caller
    keeps per data version, for frames holding every row and coverage row of the place) keeps the
    cube of a place with coverage and its categories, so a view builds it once.

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": "a", "category": "rån",
    ...     "month": pd.to_datetime(["2021-01-01", "2021-03-01"]), "count": [1, 2]})
    >>> cov = pd.DataFrame({"source": "s", "place_id": None, "category": None,
    ...                     "month": pd.date_range("2021-01-01", periods=3, freq="MS")})
    >>> kept = {}
    >>> place_cube(monthly, cov, "a", ["rån"], kept) is place_cube(monthly, cov, "a", ["rån"], kept)
    True
    """
    if cache is not None and place_id is not None and coverage is not None:
        key = (place_id, tuple(categories), _per_category(coverage))
        if key not in cache:
            if len(cache) >= CACHE_SIZE:
                cache.clear()
            cache[key] = place_cube(monthly, coverage, place_id, categories)
        return cache[key]
    if place_id is None:
        own, cov = monthly, coverage
    else:
        own = monthly[monthly["place_id"].to_numpy(dtype=object) == place_id]
        if coverage is not None:
            ids = coverage["place_id"].to_numpy(dtype=object)
            cov = coverage[(ids == place_id) | pd.isna(ids)]
        else:
            cov = None
    span = month_starts(monthly["month"]) if coverage is None else None
    return build_cube(own, cov, one_place=place_id, categories=categories, span=span,
                      per_category=_per_category(coverage))
