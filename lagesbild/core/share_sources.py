"""Whether a place's share of its area compares two ways of counting: the place's and the area's
months of a category from different sources (:attr:`lagesbild.core.cube.MonthlyCube.category_sources`),
for :func:`lagesbild.core.shares.share_table`, which leaves such a share blank.
"""

from __future__ import annotations

import numpy as np

from lagesbild.core.compare import TOTAL_CATEGORY
from lagesbild.core.cube import CITY, MonthlyCube
from lagesbild.core.place_family import ALL


def row_categories(cube: MonthlyCube, summed: list, shown: list) -> list:
    """The cube's category positions each shown row counts (the total: the summed categories but a
    total category of its own, as :func:`lagesbild.core.shares.share_table` sums them)."""
    total = [c for c in summed if c != TOTAL_CATEGORY] or summed
    return [[int(i) for i in cube.category_index(total if c == ALL else [c]) if i >= 0] for c in shown]


def sources_differ(cube: MonthlyCube, pos: int, parent_pos: int, inside: np.ndarray,
                    rows: list) -> np.ndarray:
    """[shown row, period]: a whole month of the period in which a category the row counts
    (``rows``: :func:`row_categories`) comes from other sources at the place than at the parent
    (:data:`~lagesbild.core.cube.CITY`: any place's). Per category, not per place: a place's stöld
    from a file and rån from incidents beside an area's stöld from incidents and rån from the file
    had the same sources per month in all, and the two shares of two ways of counting passed. A
    place × category without any row takes the place's sources of the month
    (:attr:`~lagesbild.core.cube.MonthlyCube.sources`)."""
    out = np.zeros((len(rows), len(inside)), bool)
    if cube.sources is None or pos < 0 or (parent_pos < 0 and parent_pos != CITY):
        return out
    if cube.category_sources is None:  # the place's sources only: per place and month
        other = np.bitwise_or.reduce(cube.sources, axis=0) if parent_pos == CITY else cube.sources[parent_pos]
        out[:] = (inside & (cube.sources[pos] != other)[None, :]).any(axis=1)[None, :]
        return out
    own = _with_place_sources(cube.category_sources[pos], cube.sources[pos])
    if parent_pos == CITY:
        other = _with_place_sources(np.bitwise_or.reduce(cube.category_sources, axis=0),
                                    np.bitwise_or.reduce(cube.sources, axis=0))
    else:
        other = _with_place_sources(cube.category_sources[parent_pos], cube.sources[parent_pos])
    differ = own != other  # [category, month]
    for r, cats in enumerate(rows):
        if cats:
            out[r] = (inside & differ[cats].any(axis=0)[None, :]).any(axis=1)
    return out


def _with_place_sources(by_category: np.ndarray, place: np.ndarray) -> np.ndarray:
    """[category, month] bits with a category without any row given the place's bits of the month."""
    return np.where(by_category == 0, place[None, :], by_category)
