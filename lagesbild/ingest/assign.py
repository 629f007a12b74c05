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
        """Count incidents (``occurred_at, category, x, y``) per place, category and month."""
        rows, cols = self.assign(df["x"].to_numpy(float), df["y"].to_numpy(float))
        if len(rows) == 0:
            return pd.DataFrame(columns=["source", "place_id", "category", "month", "count"])
        month = df["occurred_at"].to_numpy().astype("datetime64[M]")[rows]
        frame = pd.DataFrame({"place_id": np.asarray(self.ids, dtype=object)[cols],
                              "category": df["category"].to_numpy()[rows],
                              "month": month.astype("datetime64[ns]")})
        out = frame.groupby(["place_id", "category", "month"], sort=False).size()
        return out.rename("count").reset_index().assign(source=source)


def add_counts(total: pd.DataFrame | None, part: pd.DataFrame) -> pd.DataFrame:
    """Add two monthly count frames."""
    if total is None or total.empty:
        return part
    keys = ["source", "place_id", "category", "month"]
    both = pd.concat([total, part], ignore_index=True)
    return both.groupby(keys, sort=False, as_index=False)["count"].sum()
