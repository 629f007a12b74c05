"""Assigning incidents to places: every place whose polygon contains the point.

A point can lie in a square, in its district and in the city at the same time; it counts for each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely


class PlaceIndex:
    """Prepared place polygons (EPSG:3006) for fast point-in-polygon tests."""

    def __init__(self, places: pd.DataFrame):
        self.ids = list(places["place_id"])
        self.geoms = shapely.from_wkt(places["wkt_3006"].to_numpy())
        shapely.prepare(self.geoms)
        self.bounds = shapely.bounds(self.geoms)

    def assign(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (row index, place index) pairs for every point inside every place."""
        rows, cols = [], []
        for j, geom in enumerate(self.geoms):
            minx, miny, maxx, maxy = self.bounds[j]
            cand = np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
            if len(cand) == 0:
                continue
            inside = cand[shapely.contains_xy(geom, x[cand], y[cand])]
            rows.append(inside)
            cols.append(np.full(len(inside), j))
        if not rows:
            return np.array([], dtype=int), np.array([], dtype=int)
        return np.concatenate(rows), np.concatenate(cols)

    def monthly_counts(self, df: pd.DataFrame, source: str) -> pd.DataFrame:
        """Count incidents (``occurred_at, category, x, y``) per place, category and month.

        Counted on integer codes (place × category × month in one int64 key), not on strings.

        Examples
        --------
        >>> places = pd.DataFrame({"place_id": ["a"], "wkt_3006": ["POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"]})
        >>> inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2020-01-05", "2020-01-20", "2020-02-01"]),
        ...                     "category": ["ran", "ran", "ran"], "x": [1.0, 1.0, 5.0], "y": [1.0] * 3})
        >>> PlaceIndex(places).monthly_counts(inc, "s").values.tolist()
        [['a', 'ran', Timestamp('2020-01-01 00:00:00'), 2, 's']]
        """
        rows, cols = self.assign(df["x"].to_numpy(float), df["y"].to_numpy(float))
        if len(rows) == 0:
            return pd.DataFrame(columns=["source", "place_id", "category", "month", "count"])
        codes, cats = pd.factorize(df["category"].to_numpy()[rows])
        month = df["occurred_at"].to_numpy().astype("datetime64[M]").astype(np.int64)[rows]
        first, span, ncat = month.min(), int(month.max() - month.min()) + 1, max(len(cats), 1)
        key = (cols.astype(np.int64) * ncat + codes) * span + (month - first)
        keys, counts = np.unique(key, return_counts=True)
        place, rest = np.divmod(keys, ncat * span)
        cat, mon = np.divmod(rest, span)
        return pd.DataFrame({
            "place_id": np.asarray(self.ids, dtype=object)[place],
            "category": np.asarray(cats, dtype=object)[cat],
            "month": (mon + first).astype("datetime64[M]").astype("datetime64[ns]"),
            "count": counts.astype(np.int64)}).assign(source=source)


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
