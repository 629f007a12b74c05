"""Concentration of incidents: the share of all incidents in the top cells of a grid.

Used with the hotspot grid (:mod:`lagesbild.core.hotspots`, which re-exports :func:`concentration`).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["concentration"]


def concentration(counts, shares=(0.05, 0.10)) -> dict:
    """Share of all incidents that fall in the top `shares` of cells.

    For each share s the top ``ceil(s · n_cells)`` cells are taken from the counts sorted in
    descending order (at least one cell), so ties at the cut-off do not change the result: whichever
    of the tied cells is taken, it adds the same count. Every cell of the grid counts toward n_cells,
    including empty ones.

    Returns
    -------
    dict
        ``{share: fraction of incidents}``; NaN for every share when there are no incidents.

    Examples
    --------
    >>> concentration([10, 0, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], shares=(0.05, 0.10))
    {0.05: 0.5, 0.1: 0.75}
    """
    y = np.sort(np.asarray(counts, dtype=float).ravel())[::-1]
    total = y.sum()
    result = {}
    for share in shares:
        top = max(1, math.ceil(share * len(y) - 1e-9))
        result[share] = float(y[:top].sum() / total) if total > 0 else float("nan")
    return result
