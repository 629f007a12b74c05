"""Assigning incidents to places: every place whose polygon contains the point.

A point can lie in a square, in its district and in the city at the same time; it counts for each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from lagesbild.ingest.pipgrid import MAX_CELLS, PipGrid, expand


class PlaceIndex:
    """Prepared place polygons (EPSG:3006) for fast point-in-polygon tests.

    Points are located on a grid of cells (:class:`~lagesbild.ingest.pipgrid.PipGrid`): a point
    in a cell that lies wholly inside a place counts without a test; only points in cells that a
    place's boundary crosses are tested exactly. The result is the same as
    ``shapely.contains_xy`` per place: a point on a place's edge is not in the place.
    """

    def __init__(self, places: pd.DataFrame, max_cells: int = MAX_CELLS):
        self.ids = list(places["place_id"])
        self.geoms = shapely.from_wkt(places["wkt_3006"].to_numpy())
        self.grid = PipGrid(self.geoms, max_cells=max_cells)

    def assign(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (row index, place index) pairs for every point inside every place.

        Pairs are ordered by place, then row.

        Examples
        --------
        >>> places = pd.DataFrame({"place_id": ["big", "small"],
        ...                        "wkt_3006": ["POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))",
        ...                                     "POLYGON ((1 1, 2 1, 2 2, 1 2, 1 1))"]})
        >>> x, y = np.array([1.5, 4.0, 2.0]), np.array([1.5, 1.0, 1.0])
        >>> rows, cols = PlaceIndex(places).assign(x, y)
        >>> rows.tolist(), cols.tolist()
        ([0, 2, 0], [0, 0, 1])
        """
        return self.grid.pairs(x, y)

    def monthly_counts(self, df: pd.DataFrame, source: str, *, categorical: bool = False
                       ) -> pd.DataFrame:
        """Count incidents (``occurred_at, category, x, y``) per place, category and month.

        With ``categorical``, ``place_id`` and ``category`` come as pandas Categoricals (cheap to
        build and to group by code; the ingest stores them at once).

        Points in cells wholly inside places are counted per set of places (one int64 key per
        place set × category × month), then spread to the places of each set; points in boundary
        cells are tested and counted per place. Rows are ordered by place, category and month.
        Rows without a category or a time are not counted.

        Examples
        --------
        >>> places = pd.DataFrame({"place_id": ["a"], "wkt_3006": ["POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"]})
        >>> inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2020-01-05", "2020-01-20", "2020-02-01"]),
        ...                     "category": ["ran", "ran", "ran"], "x": [1.0, 1.0, 5.0], "y": [1.0] * 3})
        >>> PlaceIndex(places).monthly_counts(inc, "s").values.tolist()
        [['a', 'ran', Timestamp('2020-01-01 00:00:00'), 2, 's']]
        """
        return self.counts_and_outside(df, source, categorical=categorical)[0]

    def counts_and_outside(self, df: pd.DataFrame, source: str, *, categorical: bool = False
                           ) -> tuple[pd.DataFrame, int]:
        """:meth:`monthly_counts` and the number of rows in no place (in water, outside the kommun).

        Examples
        --------
        >>> places = pd.DataFrame({"place_id": ["a"], "wkt_3006": ["POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"]})
        >>> inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2020-01-05", "2020-01-20", "2020-02-01"]),
        ...                     "category": ["ran", "ran", "ran"], "x": [1.0, 2.0, 5.0], "y": [1.0] * 3})
        >>> PlaceIndex(places).counts_and_outside(inc, "s")[1]  # on the edge and beyond it
        2
        """
        x, y = df["x"].to_numpy(float), df["y"].to_numpy(float)
        inner, edge = self.grid.locate(x, y)
        hits = self.grid.edge_hits(x, y, edge)
        nowhere = inner == 0
        nowhere[hits[0]] = False
        outside = int(nowhere.sum())
        if not inner.any() and len(hits[0]) == 0:
            return pd.DataFrame(columns=["source", "place_id", "category", "month", "count"]), outside
        codes, cats = _categories(df["category"])
        place, cat, month, counts = self._count(inner, hits, codes, _months(df["occurred_at"]),
                                                max(len(cats), 1))
        if categorical:
            place_ids = pd.Categorical.from_codes(place, categories=self.ids)
            categories = pd.Categorical.from_codes(cat, categories=list(cats))
        else:
            place_ids = np.asarray(self.ids, dtype=object)[place]
            categories = np.asarray(cats, dtype=object)[cat]
        return pd.DataFrame({
            "place_id": place_ids, "category": categories,
            "month": month.astype("datetime64[M]").astype("datetime64[ns]"),
            "count": counts}).assign(source=source), outside

    def _count(self, inner, hits, codes, month, ncat):
        """(place, category code, month, count) arrays, ordered by place, category and month.

        ``inner`` is each point's set of places containing its cell, ``hits`` the (row, place)
        pairs of the exact tests; rows with code -1 or month :data:`NAT` are left out.
        """
        ok = (codes >= 0) & (month != NAT)
        known = month if ok.all() else month[ok]
        first, last = (int(known.min()), int(known.max())) if len(known) else (0, 0)
        block = ncat * (last - first + 1)  # keys within a place (set): category × month
        key = inner.astype(np.int64)  # set 0 has no places: rows outside every cell-place
        key *= ncat
        key += codes
        key *= last - first + 1
        key += month - first
        if not ok.all():
            key[~ok] = 0
        keys, counts = _tally(key)
        which, place = expand(*self.grid.inner_csr, keys // block)
        rows, places = hits[0][ok[hits[0]]], hits[1][ok[hits[0]]]
        edge_keys = (places * ncat + codes[rows]) * (last - first + 1) + month[rows] - first
        keys, counts = _tally(np.concatenate([place * block + keys[which] % block, edge_keys]),
                              np.concatenate([counts[which], np.ones(len(rows), dtype=np.int64)]))
        place, rest = np.divmod(keys, block)
        cat, mon = np.divmod(rest, last - first + 1)
        return place, cat, mon + first, counts


NAT = np.datetime64("NaT").astype(np.int64)


def _categories(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1 for missing) and the sorted distinct categories."""
    try:
        return pd.factorize(values, sort=True)
    except TypeError:  # not orderable (mixed types): order of appearance
        return pd.factorize(values)


PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000,
           "ns": 86_400_000_000_000}


def _months(when: pd.Series) -> np.ndarray:
    """Months since 1970-01 (int64; :data:`NAT` for missing times).

    Datetimes go through a per-day table: much faster than converting each to a month.

    Examples
    --------
    >>> _months(pd.Series(pd.to_datetime(["1969-12-31 23:59", "2020-02-29 00:00", None]))).tolist()
    [-1, 601, -9223372036854775808]
    """
    values = np.asarray(when.to_numpy())
    unit, step = np.datetime_data(values.dtype) if values.dtype.kind == "M" else ("", 0)
    if unit not in PER_DAY or step != 1:
        return values.astype("datetime64[M]").astype(np.int64)
    days = values.view(np.int64) // PER_DAY[unit]
    known = ~np.isnat(values)
    every = bool(known.all())
    sure = days if every else days[known]
    lo, hi = (int(sure.min()), int(sure.max())) if len(sure) else (0, 0)
    if hi - lo > 100_000:
        return values.astype("datetime64[M]").astype(np.int64)
    table = np.arange(lo, hi + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    if every:
        return table[days - lo]
    return np.where(known, table[np.where(known, days - lo, 0)], NAT)


def _tally(keys: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Distinct non-negative int64 keys, ascending, and their counts (or summed int64 weights).

    Examples
    --------
    >>> [a.tolist() for a in _tally(np.array([7, 2, 7]))]
    [[2, 7], [1, 2]]
    >>> [a.tolist() for a in _tally(np.array([10**12, 3, 10**12]), np.array([1, 4, 5]))]  # sparse
    [[3, 1000000000000], [4, 6]]
    """
    if len(keys) == 0:
        return keys, np.zeros(0, dtype=np.int64)
    top = int(keys.max()) + 1
    if top <= 2 * len(keys) + (1 << 20):  # dense: count into an array
        total = np.bincount(keys, weights=weights, minlength=top)
        found = np.flatnonzero(total)
        return found, total[found].astype(np.int64)
    found, inverse = np.unique(keys, return_inverse=True)
    if weights is None:
        return found, np.bincount(inverse, minlength=len(found)).astype(np.int64)
    return found, np.bincount(inverse, weights=weights, minlength=len(found)).astype(np.int64)


def add_counts(total: pd.DataFrame | None, part: pd.DataFrame) -> pd.DataFrame:
    """Add two monthly count frames."""
    if total is None or total.empty:
        return part
    return sum_counts([total, part])


def sum_counts(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Add any number of monthly count frames (``source, place_id, category, month, count``)."""
    parts = [p for p in parts if p is not None and not p.empty]
    if len(parts) <= 1:
        return parts[0] if parts else pd.DataFrame(
            columns=["source", "place_id", "category", "month", "count"])
    keys = ["source", "place_id", "category", "month"]
    both = pd.concat(parts, ignore_index=True)
    return both.groupby(keys, sort=False, as_index=False)["count"].sum()
