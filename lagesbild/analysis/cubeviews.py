"""A place's shares of its district's and the city's counts and its monthly series, from one cube.

:func:`lagesbild.core.shares.share_of_parent` builds a :class:`~lagesbild.core.categorycube.CategoryCube`
of the frames it is given; here the cube of the whole store is built once per data version
(:func:`category_cube`) and every place's shares (:func:`shares`) and monthly series
(:func:`series`) are read from it: the same numbers, since the rules of a place only see its own
rows and coverage and the every-place coverage. At 114 places the cube takes 1.7 MB.
"""

from __future__ import annotations

from lagesbild.analysis import base
from lagesbild.core.categorycube import build_category_cube
from lagesbild.core.series import cube_series
from lagesbild.core.shares import share_table


def category_cube(store):
    """The store's monthly counts and coverage as a category cube (kept per data version; an
    :class:`~lagesbild.analysis.asof.AsOf` view has its own ``url`` and so its own cube)."""
    return base.memo(store, ("category-cube",),
                     lambda: build_category_cube(store.monthly_counts(), store.coverage()))


def shares(store, place_id, periods, parent_ids, *, categories=None, alpha: float = 0.05,
           whole_coverage: bool = False):
    """:func:`~lagesbild.core.shares.share_of_parent` of the place's and its parents' monthly rows
    (every row when a parent is None, the city) with their coverage rows, or with the store's whole
    coverage (``whole_coverage``) — the same table, read from :func:`category_cube`."""
    cube = category_cube(store)
    pos = cube.positions([place_id, *parent_ids])
    every = None in parent_ids
    mine = pos[pos >= 0]
    rows = cube.rows if every else cube.rows[mine]
    present = cube.categories[rows.any(axis=(0, 2))].tolist() if rows.size else []
    own_cov = cube.cov_cat_place if whole_coverage or every else cube.cov_cat_place[mine]
    mode = "category" if cube.cov_cat_all.any() or own_cov.any() else "place"
    return share_table(cube, periods, place_id, list(parent_ids), mode=mode, present=present,
                       categories=categories, alpha=alpha)


def series(store, place_id, categories, start, end):
    """:func:`lagesbild.analysis.place.months` of the place's rows and coverage, read from
    :func:`category_cube`."""
    return cube_series(category_cube(store), place_id, categories, start=start, end=end)


__all__ = ["category_cube", "series", "shares"]
