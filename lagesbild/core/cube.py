"""The monthly cube: the store's monthly counts as one array place × category × month, with the
months each place (and each place × category) has data for.

:func:`build_cube` turns ``monthly_counts`` (and ``coverage``: months with data per place and, in a
store of schema 3, per category) into a :class:`MonthlyCube`. The coverage follows the rules of
:mod:`lagesbild.core.coverage`: a month is covered for a place by a coverage row of the place or of
every place, or by a row of counts; a coverage row naming a category covers that category only. A
covered month without a row is a zero, an uncovered month is no data.

Every comparison between periods (:mod:`lagesbild.core.period_pairs`, the overview), the shares
(:mod:`lagesbild.core.shares`) and the monthly series (:func:`lagesbild.core.series.cube_series`) read
the same cube. A position is a place's row in the cube, :data:`UNKNOWN` a place without any row (it
has the every-place coverage only) or :data:`CITY` every place summed. :func:`place_cube` is the cube
of one place (or, for ``place_id=None``, of every row summed: the city).

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
>>> cov = pd.DataFrame({"source": "s", "place_id": [None, "a"], "category": [None, "rån"],
...                     "month": pd.to_datetime(["2021-03-01", "2021-04-01"])})
>>> cube = build_cube(monthly, cov)
>>> [str(m)[:7] for m in cube.months[cube.place_coverage(0, cube.category_index(["rån"]))[0]]]
['2021-01', '2021-03', '2021-04']
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from lagesbild.core import periods as pr
from lagesbild.core.month_sources import (  # noqa: F401  (settle, SETTLED_MONTHS: imported from here)
    SETTLED_MONTHS,
    category_source_codes,
    settle,
    source_codes,
)

UNKNOWN = -1  # the position of a place without any row: the every-place coverage only
CITY = -2     # the position of every place summed (the city)


@dataclass(frozen=True)
class MonthlyCube:
    """Counts per place × category × month (first days, consecutive), and the months with data.

    The coverage is held once, by what a coverage row names: ``general`` are the months of the
    coverage rows without a category, ``by_category`` those of the rows naming a category, each of
    the place or of every place (folded into each place), and ``has_row`` the cells with a row of
    counts (a row covers its month even with a count of 0). ``every_general`` and
    ``every_by_category`` are the rows of every place alone: the coverage of :data:`UNKNOWN` (and of
    the city when the cube has no place). ``covered`` (the months with data of a place whatever the
    category) and ``everywhere`` (those of :data:`UNKNOWN`) are derived from them when not given.

    ``per_category`` says which rules apply: True when the coverage names categories (each category
    has its own months, :meth:`covered_by_category`), otherwise every category has the place's
    ``covered`` months (:meth:`with_rules` gives the cube under the other rules).
    """

    places: pd.Index
    categories: pd.Index
    months: pd.DatetimeIndex
    counts: np.ndarray       # int64 [place, category, month]
    has_row: np.ndarray      # bool [place, category, month]
    general: np.ndarray      # bool [place, month]: coverage rows without a category
    by_category: np.ndarray  # bool [place, category, month]: coverage rows naming a category
    every_general: np.ndarray      # bool [month]: every-place rows without a category
    every_by_category: np.ndarray  # bool [category, month]: every-place rows naming a category
    per_category: bool = False
    covered: np.ndarray | None = None     # bool [place, month], derived
    everywhere: np.ndarray | None = None  # bool [month], derived
    #: int [place, month]: which sources the place's rows of the month come from (a bit each; a month
    #: without rows takes the code of the month before it, else after); None when one source gives all
    sources: np.ndarray | None = None
    #: int [place, category, month]: the same bits per category (0: no row of the category at the
    #: place); None when ``sources`` is
    category_sources: np.ndarray | None = None

    def __post_init__(self):
        if self.covered is None:
            object.__setattr__(self, "covered", self.general | self.by_category.any(axis=1)
                               | self.has_row.any(axis=1))
        if self.everywhere is None:
            object.__setattr__(self, "everywhere", self.every_general | self.every_by_category.any(axis=0))

    def with_rules(self, per_category: bool) -> MonthlyCube:
        """The cube with each category's own months (``per_category``) or the place's months for
        every category (the same arrays)."""
        return self if self.per_category == per_category else replace(self, per_category=per_category)

    def place_index(self, place_ids) -> np.ndarray:
        """Positions of the place ids (:data:`UNKNOWN` for a place without any row)."""
        return self.places.get_indexer(list(place_ids))

    def place_positions(self, place_ids) -> np.ndarray:
        """:meth:`place_index` with None as :data:`CITY` (every place summed)."""
        ids = list(place_ids)
        pos = self.place_index(ids).astype(np.int64)
        pos[[p is None for p in ids]] = CITY
        return pos

    @cached_property
    def _category_positions(self) -> dict:
        """Each category's position (the cube's categories are unique), read once per cube."""
        return {c: i for i, c in enumerate(self.categories.tolist())}

    def category_index(self, categories) -> np.ndarray:
        """Positions of the categories (-1 for a category the cube does not hold): what
        ``categories.get_indexer`` gives, from a dict kept on the cube (a dozen lookups a place view,
        ≈ 0.1 ms each through pandas)."""
        known = self._category_positions
        return np.array([known.get(c, -1) for c in categories], dtype=np.intp)

    def place_counts(self, pos: int) -> np.ndarray:
        """Counts [category, month] of a position (:data:`CITY`: summed; :data:`UNKNOWN`: zeros)."""
        if pos == CITY:
            return self.counts.sum(axis=0, dtype=np.int64)
        if pos < 0:
            return np.zeros(self.counts.shape[1:], np.int64)
        return self.counts[pos]

    def covered_of(self, place_pos) -> np.ndarray:
        """Covered months [place, month] of the positions: a place's :attr:`covered`,
        :attr:`everywhere` for :data:`UNKNOWN`, any place's for :data:`CITY`."""
        pos = np.asarray(place_pos)
        out = np.broadcast_to(self.everywhere, (len(pos), len(self.months))).copy()
        out[pos >= 0] = self.covered[pos[pos >= 0]]
        if (pos == CITY).any():
            out[pos == CITY] = self.covered.any(axis=0) | self.everywhere
        return out

    def until_mask(self, until) -> np.ndarray:
        """The months (bool [month]) that end on or before ``until`` (every month for None)."""
        if until is None:
            return np.ones(len(self.months), bool)
        # a month ends on or before ``until`` when the next month starts on or before the day after
        starts = self.months.to_numpy().astype("datetime64[M]")
        return (starts + 1).astype("datetime64[D]") <= np.datetime64(pr.as_date(until), "D") + 1

    def covered_by_category(self, place_pos, cat_pos, until=None) -> np.ndarray:
        """Months with data [place, category, month] of the places' positions, cut at ``until``.

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

    def place_coverage(self, pos: int, cat_pos) -> np.ndarray:
        """:meth:`covered_by_category` [category, month] of one position, also :data:`UNKNOWN`
        (the every-place rows) and :data:`CITY` (a month any place has data for).

        Examples
        --------
        >>> monthly = pd.DataFrame({"place_id": ["a", "b"], "category": "rån",
        ...     "month": pd.to_datetime(["2021-01-01", "2021-03-01"]), "count": [1, 2]})
        >>> cov = pd.DataFrame({"place_id": [None], "category": ["stöld"],
        ...                     "month": pd.to_datetime(["2021-02-01"])})
        >>> cube = build_cube(monthly, cov)
        >>> cats = cube.category_index(["rån", "stöld"])
        >>> [cube.place_coverage(p, cats).astype(int).tolist() for p in (CITY, UNKNOWN)]
        [[[1, 0, 1], [0, 1, 0]], [[0, 0, 0], [0, 1, 0]]]
        """
        cat = np.asarray(cat_pos, np.int64)
        if pos >= 0:
            return self.covered_by_category([pos], cat)[0]
        if not self.per_category:
            return np.broadcast_to(self.covered_of([pos])[0], (len(cat), len(self.months)))
        general, own = self.every_general, self.every_by_category
        if pos == CITY:
            general = general | self.general.any(axis=0)
            own = own | self.by_category.any(axis=0) | self.has_row.any(axis=0)
        out = np.broadcast_to(general, (len(cat), len(self.months))).copy()
        inside = cat >= 0
        out[inside] |= own[cat[inside]]
        return out

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
    """Whether a coverage row names a category. The first row answers when it names one (every row
    of a store of schema 3 does): the whole column's ``isna`` cost ≈ 0.3 ms, three times a place view."""
    if coverage is None or "category" not in coverage:
        return False
    named = coverage["category"].to_numpy()
    return len(named) > 0 and (not pd.isna(named[0]) or not pd.isna(named).all())


def build_cube(monthly: pd.DataFrame, coverage: pd.DataFrame | None = None, *, one_place=False,
               categories=(), span=None, per_category=None) -> MonthlyCube:
    """The cube of the store's ``monthly_counts`` (and ``coverage``: months with data per place).

    Places and categories are those of either frame, the months every month from the first to the
    last of either. Without ``coverage`` every month from the first to the last with a count is
    covered for every place, as in :func:`lagesbild.core.coverage.covered_months`. With
    ``one_place`` every row (and every coverage row) belongs to the one place ``one_place`` names
    (already selected by the caller, see :func:`place_cube`). ``categories`` are held even without
    a row; the months of ``span`` (first days) are held even without a row. ``per_category``
    (default: whether the coverage names a category) sets :attr:`MonthlyCube.per_category`.
    """
    if per_category is None:
        per_category = _per_category(coverage)
    months = month_starts(monthly["month"])
    has_cov = coverage is not None and len(coverage) > 0
    cov_months = month_starts(coverage["month"]) if has_cov else months[:0]
    cov_cat = (coverage["category"].to_numpy(dtype=object) if has_cov and "category" in coverage
               else np.full(len(cov_months), None, dtype=object))
    named = ~pd.isna(cov_cat)
    every = np.concatenate([months, cov_months] + ([span] if span is not None else []))
    cats = pd.Index(sorted(set(monthly["category"]) | set(categories) | set(cov_cat[named])))
    if one_place is not False:
        places = pd.Index([one_place], dtype=object)
    else:
        own_cov = coverage["place_id"].dropna() if has_cov else []
        places = pd.Index(sorted(set(monthly["place_id"]) | set(own_cov)))
    first = every.min() if len(every) else np.datetime64("1970-01", "M")
    n_months = int((every.max() - first).astype(np.int64)) + 1 if len(every) else 0
    index = pd.DatetimeIndex(np.arange(first, first + n_months).astype("datetime64[ns]"))  # first days
    shape = (len(places), len(cats), n_months)
    p_codes = (np.zeros(len(monthly), np.int64) if one_place is not False
               else places.get_indexer(monthly["place_id"]).astype(np.int64))
    c_codes = cats.get_indexer(monthly["category"]).astype(np.int64)
    flat = (p_codes * shape[1] + c_codes) * shape[2] + (months - first).astype(np.int64)
    counts = np.bincount(flat, weights=monthly["count"].to_numpy(np.int64), minlength=int(np.prod(shape)))
    counts = counts.astype(np.int64).reshape(shape)
    has_row = np.zeros(int(np.prod(shape)), bool)
    has_row[flat] = True
    general, by_category = np.zeros((shape[0], shape[2]), bool), np.zeros(shape, bool)
    every_general, every_by_category = np.zeros(shape[2], bool), np.zeros(shape[1:], bool)
    if coverage is None:
        every_general[:] = True
    elif has_cov:
        codes = (cov_months - first).astype(np.int64)
        pid = coverage["place_id"].to_numpy(dtype=object)
        every_place = pd.isna(pid)
        where = np.zeros(len(pid), np.int64)  # the place of each coverage row (-1: unknown place)
        if one_place is False and (~every_place).any():
            where[~every_place] = places.get_indexer(pid[~every_place])
        cat_of = np.full(len(pid), -1, np.int64)
        cat_of[named] = cats.get_indexer(cov_cat[named])
        own = ~every_place & (where >= 0)
        general[where[own & ~named], codes[own & ~named]] = True
        sel = own & named
        by_category[where[sel], cat_of[sel], codes[sel]] = True
        every_general[codes[every_place & ~named]] = True
        sel = every_place & named
        every_by_category[cat_of[sel], codes[sel]] = True
    general |= every_general  # a row of every place covers each place
    by_category |= every_by_category
    return MonthlyCube(places, cats, index, counts, has_row.reshape(shape), general, by_category,
                       every_general, every_by_category, per_category,
                       sources=source_codes(monthly, p_codes, (months - first).astype(np.int64), shape),
                       category_sources=category_source_codes(monthly, p_codes, c_codes,
                                                              (months - first).astype(np.int64), shape))


class PlaceCubes(dict):
    """A :func:`place_cube` cache whose cubes are cut out of ``whole``, the store's cube of the same
    rows and coverage (:func:`cut_place`), instead of being built from the place's frames: the same
    cube for about a tenth of the time (a Plats place change built one, ≈ 3 ms)."""

    def __init__(self, whole: MonthlyCube):
        super().__init__()
        self.whole = whole


#: guards every :func:`place_cube` cache: the server answers callbacks in threads, and a cache
#: cleared by one thread between another's store and read of a cube raised ``KeyError``
CACHE_LOCK = threading.Lock()


def place_cube(monthly: pd.DataFrame, coverage: pd.DataFrame | None, place_id,
               categories=(), cache: dict | None = None) -> MonthlyCube:
    """The cube of one place: its rows and the coverage rows of the place or of every place
    (``place_id=None``: every row and every coverage row, the city).

    Without ``coverage`` the months from the first to the last month of the whole ``monthly`` frame
    are covered, as in :func:`lagesbild.core.coverage.covered_months`. ``cache`` (a dict the caller
    keeps per data version, for frames holding every row and coverage row of the place) keeps the
    cube of a place with coverage and its categories, so a view builds it once; a
    :class:`PlaceCubes` cache cuts it out of the store's cube.

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
        with CACHE_LOCK:
            found = cache.get(key)
        if found is None:
            found = cut_place(cache.whole, monthly, coverage, place_id, categories) \
                if isinstance(cache, PlaceCubes) else None
            if found is None:
                found = place_cube(monthly, coverage, place_id, categories)
            with CACHE_LOCK:
                if len(cache) >= CACHE_SIZE:
                    cache.clear()
                cache[key] = found
        return found
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


def cut_place(whole: MonthlyCube, monthly: pd.DataFrame, coverage: pd.DataFrame, place_id,
              categories=()) -> MonthlyCube | None:
    """``place_cube(monthly, coverage, place_id, categories)`` cut out of ``whole``, the cube of every
    row and coverage row of the store that ``monthly`` and ``coverage`` hold the place's of (its
    rows, its own and the every-place coverage rows); None where the cut would not be that cube
    exactly (a place or category ``whole`` lacks, a place without any covered month).

    The place's cube holds the categories of its rows, of the coverage rows it sees and those asked
    for, and the months from its first to its last covered month: in ``whole`` the categories with
    a row or a category's coverage at the place and the span of the place's :attr:`~MonthlyCube.covered`
    months. The sources are read from the place's own rows when it has rows of more than one.
    """
    pos = whole.places.get_indexer([place_id])[0] if place_id in whole.places else -1
    if pos < 0:
        return None
    covered = whole.covered[pos]
    at = np.flatnonzero(covered)
    if not len(at):
        return None
    asked = whole.category_index(categories)
    if (asked < 0).any():
        return None
    keep = whole.has_row[pos].any(axis=1) | whole.by_category[pos].any(axis=1)
    keep[asked] = True
    lo, hi = int(at[0]), int(at[-1]) + 1
    cats = np.flatnonzero(keep)
    sources = by_category = None
    if "source" in monthly and len({str(s) for s in pd.unique(monthly["source"].to_numpy())}) > 1:
        own = monthly[monthly["place_id"].to_numpy(dtype=object) == place_id]  # as build_cube reads them
        first = whole.months[lo].to_datetime64().astype("datetime64[M]")
        m_codes = (month_starts(own["month"]) - first).astype(np.int64)
        sources = source_codes(own, np.zeros(len(own), np.int64), m_codes, (1, len(cats), hi - lo))
        c_codes = pd.Index(whole.categories[cats]).get_indexer(own["category"]).astype(np.int64)
        by_category = category_source_codes(own, np.zeros(len(own), np.int64), c_codes, m_codes,
                                            (1, len(cats), hi - lo))
    return MonthlyCube(pd.Index([place_id], dtype=object),
                       pd.Index(whole.categories[cats].tolist()), whole.months[lo:hi],
                       whole.counts[pos][cats, lo:hi][None], whole.has_row[pos][cats, lo:hi][None],
                       whole.general[pos, lo:hi][None], whole.by_category[pos][cats, lo:hi][None],
                       whole.every_general[lo:hi], whole.every_by_category[cats, lo:hi],
                       _per_category(coverage), sources=sources, category_sources=by_category)
