"""Concentration of incidents: the share of all incidents in the top cells of a grid.

Used with the hotspot grid (:mod:`lagesbild.core.hotspots`, which re-exports :func:`concentration`).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["concentration", "top_cell_count", "top_cells"]


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
        top = top_cell_count(share, len(y))
        result[share] = float(y[:top].sum() / total) if total > 0 else float("nan")
    return result


def top_cell_count(share: float, n_cells: int) -> int:
    """How many cells "the top ``share`` of ``n_cells``" is: ``ceil(share · n_cells)``, at least one.

    On a small grid this is far more than ``share`` of the cells (1 of 4 cells for 5 %), and two shares
    can give the same cells: say the number, as :func:`top_cells` does.

    Examples
    --------
    >>> top_cell_count(0.05, 4), top_cell_count(0.10, 4), top_cell_count(0.05, 100), top_cell_count(0.05, 21)
    (1, 1, 5, 2)
    """
    return max(1, math.ceil(share * n_cells - 1e-9))


def top_cells(counts, shares=(0.05, 0.10)) -> list[dict]:
    """The top cells of each share as they really are: how many cells, what share of the cells that
    is, and what share of the incidents they hold (:func:`concentration`).

    Returns
    -------
    list of dict
        One per share, in the order given: ``share`` (as asked), ``cells`` (:func:`top_cell_count`),
        ``n_cells``, ``cell_share`` (``cells / n_cells``), ``incident_share`` (NaN without incidents)
        and ``same_as`` (the earlier share that gives the same number of cells, else None).

    Examples
    --------
    >>> [(t["cells"], t["cell_share"], round(t["incident_share"], 3), t["same_as"]) for t in top_cells([18, 9, 0, 0])]
    [(1, 0.25, 0.667, None), (1, 0.25, 0.667, 0.05)]
    """
    n = int(np.asarray(counts).size)
    held = concentration(counts, shares)
    out, seen = [], {}
    for share in shares:
        k = min(top_cell_count(share, n), n)
        out.append({"share": share, "cells": k, "n_cells": n, "cell_share": k / n if n else float("nan"),
                    "incident_share": held[share], "same_as": seen.get(k)})
        seen.setdefault(k, share)
    return out
