"""The monthly cube: the store's monthly counts as one array place × category × month.

:func:`build_cube` turns ``monthly_counts`` (and ``coverage``: months with data per place) into a
:class:`MonthlyCube`. The benchmarks use it as the bare-numpy reference of what a view has to count
(``benchmarks/bench_dashboard.py``). The comparisons themselves are
:func:`lagesbild.core.compare.compare`'s: each place's own dispersion, per-category coverage and the
false-discovery control over a table are not in the cube.

Examples
--------
>>> monthly = pd.DataFrame({"place_id": ["a", "a", "b"], "category": ["rån", "stöld", "rån"],
...     "month": pd.to_datetime(["2021-01-01", "2021-02-01", "2021-05-01"]), "count": [1, 2, 4]})
>>> cube = build_cube(monthly)
>>> cube.counts.shape, int(cube.counts[cube.place_index(["b"])[0]].sum())
((2, 2, 5), 4)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class MonthlyCube:
    """Counts per place × category × month (first days, consecutive), and covered months per place."""

    places: pd.Index
    categories: pd.Index
    months: pd.DatetimeIndex
    counts: np.ndarray   # int64 [place, category, month]
    covered: np.ndarray  # bool [place, month]
    everywhere: np.ndarray  # bool [month]: covered for every place (also places without a row)

    def place_index(self, place_ids) -> np.ndarray:
        """Positions of the place ids (-1 for a place without any row)."""
        return self.places.get_indexer(list(place_ids))

    def covered_of(self, place_pos) -> np.ndarray:
        """Covered months [place, month] of the positions (a place without a row: ``everywhere``)."""
        pos = np.asarray(place_pos)
        out = np.broadcast_to(self.everywhere, (len(pos), len(self.months))).copy()
        out[pos >= 0] = self.covered[pos[pos >= 0]]
        return out

    def data_until(self, place_pos: int):
        """The last day of the place's last covered month, or None."""
        covered = self.covered_of([place_pos])[0]
        if not covered.any():
            return None
        last = self.months[np.flatnonzero(covered)[-1]]
        return (last + pd.offsets.MonthEnd(0)).date()


def _month_starts(values) -> np.ndarray:
    return pd.to_datetime(pd.Series(values)).to_numpy("datetime64[ns]").astype("datetime64[M]")


def build_cube(monthly: pd.DataFrame, coverage: pd.DataFrame | None = None) -> MonthlyCube:
    """The cube of the store's ``monthly_counts`` (and ``coverage``: months with data per place).

    Without ``coverage`` every month from the first to the last with a count is covered for every
    place, as in :func:`lagesbild.core.compare.covered_months`.
    """
    months = _month_starts(monthly["month"])
    cov_months = _month_starts(coverage["month"]) if coverage is not None and len(coverage) else months[:0]
    every = np.concatenate([months, cov_months])
    if len(every) == 0:
        empty = pd.Index([], dtype=object)
        return MonthlyCube(empty, empty, pd.DatetimeIndex([]), np.zeros((0, 0, 0), np.int64),
                           np.zeros((0, 0), bool), np.zeros(0, bool))
    first, last = every.min(), every.max()
    index = pd.date_range(first.astype("datetime64[ns]"), last.astype("datetime64[ns]"), freq="MS")
    own_cov = coverage["place_id"].dropna() if coverage is not None and len(coverage) else []
    places = pd.Index(sorted(set(monthly["place_id"]) | set(own_cov)))
    p_codes = places.get_indexer(monthly["place_id"])
    c_codes, cats = pd.factorize(monthly["category"], sort=True)
    m_codes = (months - first).astype(np.int64)
    shape = (len(places), len(cats), len(index))
    flat = (p_codes.astype(np.int64) * shape[1] + c_codes) * shape[2] + m_codes
    counts = np.bincount(flat, weights=monthly["count"].to_numpy(np.int64), minlength=int(np.prod(shape)))
    counts = counts.astype(np.int64).reshape(shape)
    covered = np.zeros((shape[0], shape[2]), bool)
    everywhere = np.zeros(shape[2], bool)
    if coverage is None:
        covered[:] = True
        everywhere[:] = True
    else:
        covered[p_codes, m_codes] = True  # a month with a count is covered
        codes = (cov_months - first).astype(np.int64)
        pid = coverage["place_id"]
        all_places = pid.isna().to_numpy()
        covered[:, codes[all_places]] = True
        everywhere[codes[all_places]] = True
        own = places.get_indexer(pid[~all_places])
        keep = own >= 0
        covered[own[keep], codes[~all_places][keep]] = True
    return MonthlyCube(pd.Index(places), pd.Index(cats), index, counts, covered, everywhere)
