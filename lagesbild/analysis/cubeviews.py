"""The store's monthly cube, and a place's shares of its district's and the city's counts and its
monthly series read from it.

:func:`store_cube` builds the :class:`~lagesbild.core.cube.MonthlyCube` of the whole store once per
data version; the overview's comparisons (:mod:`lagesbild.analysis.overview`), every place's shares
(:func:`shares`) and monthly series (:func:`series`) are read from it. :func:`lagesbild.core.shares.share_of_parent`
builds the cube of the frames it is given; here the numbers are the same, since the rules of a place
only see its own rows and coverage and the every-place coverage.
"""

from __future__ import annotations

from lagesbild.analysis import base
from lagesbild.core.cube import build_cube
from lagesbild.core.series import cube_series
from lagesbild.core.shares import share_table


def store_cube(store):
    """The store's monthly counts and coverage as one place × category × month cube (kept per data
    version; an :class:`~lagesbild.analysis.asof.AsOf` view has its own ``url`` and so its own cube)."""
    return base.memo(store, ("cube",), lambda: build_cube(base.complete_counts(store), base.complete_coverage(store)))


def shares(store, place_id, periods, parent_ids, *, categories=None, alpha: float = 0.05,
           whole_coverage: bool = False):
    """:func:`~lagesbild.core.shares.share_of_parent` of the place's and its parents' monthly rows
    (every row when a parent is None, the city) with their coverage rows, or with the store's whole
    coverage (``whole_coverage``) — the same table, read from :func:`store_cube`."""
    cube = store_cube(store)
    pos = cube.place_positions([place_id, *parent_ids])
    every = None in parent_ids
    mine = pos[pos >= 0]
    rows = cube.has_row if every else cube.has_row[mine]
    present = cube.categories[rows.any(axis=(0, 2))].tolist() if rows.size else []
    named = cube.by_category if whole_coverage or every else cube.by_category[mine]
    per_category = bool(cube.every_by_category.any() or named.any())  # a coverage row names a category
    return share_table(cube.with_rules(per_category), periods, place_id, list(parent_ids), present=present,
                       categories=categories, alpha=alpha, until=base.data_end(store),
                       cache=base.memo(store, ("dispersions",), dict),
                       fits=base.memo(store, ("share-fits", per_category), dict))  # per data version


def series(store, place_id, categories, start, end):
    """:func:`lagesbild.analysis.place.months` of the place's rows and coverage, read from
    :func:`store_cube`."""
    return cube_series(store_cube(store), place_id, categories, start=start, end=end)


__all__ = ["series", "shares", "store_cube"]
