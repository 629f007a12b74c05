"""Hot spots that appeared, stayed or ended between two periods, on one grid.

:func:`hotspots_on_one_grid` computes both periods' :func:`lagesbild.core.hotspots.hotspots` on the same
cells (the finer grid a small area gets is the later period's, used for the earlier one too: cells of
different sizes never match), and :func:`hotspot_change` classifies each cell.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from lagesbild.core.exact import fisher_tests
from lagesbild.core.hotspots import HOT_BIN, hotspots

CHANGE_LABELS = {
    "new": "ny het punkt",
    "persistent": "kvarstående het punkt",
    "ended": "upphörd het punkt",
    "chance": "het punkt i bara en period, ingen säkerställd förändring",
    "none": "ingen",
}


def hotspots_on_one_grid(before: pd.DataFrame, after: pd.DataFrame, area, *, cell_size: float,
                         fit_small: bool = False, **options) -> tuple:
    """(:func:`hotspots` of ``before``, of ``after``) on the same grid: ``after``'s, fitted to a small
    area when ``fit_small`` (``options`` as for :func:`hotspots`).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> rng = np.random.default_rng(2)
    >>> xy = lambda n: pd.DataFrame({"x": rng.uniform(0, 250, n), "y": rng.uniform(0, 250, n)})
    >>> a, b = hotspots_on_one_grid(xy(10), xy(200), box(0, 0, 250, 250), cell_size=200.0,
    ...                             fit_small=True, exclude_water=False)
    >>> a.attrs["cell_size"] == b.attrs["cell_size"] == 35.0, a["cell_id"].equals(b["cell_id"])
    (True, True)
    """
    late = hotspots(after, area, cell_size=cell_size, fit_small=fit_small, **options)
    early = hotspots(before, area, cell_size=late.attrs["cell_size"], **options)
    return early, late


def hotspot_change(before_gdf: gpd.GeoDataFrame, after_gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Per cell: new, persistent or ended hotspot between two :func:`hotspots` results.

    A cell is hot when ``gi_bin ≥ HOT_BIN`` (hot spot at 95 % or 99 % confidence). Cells are matched
    on ``cell_id`` (grids anchored at the same origin match even for different areas); a cell present
    in only one result counts as not hot in the other and has ``<NA>`` there.

    Returns
    -------
    geopandas.GeoDataFrame
        ``cell_id, count_before, count_after, gi_bin_before, gi_bin_after, change, geometry`` with
        ``change`` one of ``"ny het punkt"``, ``"kvarstående het punkt"``, ``"upphörd het punkt"``,
        ``"ingen"``.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> cells = lambda bins: gpd.GeoDataFrame({"cell_id": list("abcd"), "count": [5, 4, 3, 2],
    ...     "gi_bin": bins}, geometry=[Point(i, 0).buffer(1) for i in range(4)], crs=3006)
    >>> hotspot_change(cells([3, 2, 1, 0]), cells([1, 3, 2, 0]))["change"].tolist()
    ['upphörd het punkt', 'kvarstående het punkt', 'ny het punkt', 'ingen']
    """
    cols = ["cell_id", "count", "gi_bin", "geometry"]
    merged = pd.merge(
        pd.DataFrame(before_gdf[cols]),
        pd.DataFrame(after_gdf[cols]),
        on="cell_id",
        how="outer",
        sort=False,
        suffixes=("_before", "_after"),
    )
    for col in ("count_before", "count_after", "gi_bin_before", "gi_bin_after"):
        merged[col] = merged[col].astype("Int64")
    hot_before = (merged["gi_bin_before"] >= HOT_BIN).fillna(False).to_numpy(bool)
    hot_after = (merged["gi_bin_after"] >= HOT_BIN).fillna(False).to_numpy(bool)
    merged["change"] = np.select(
        [hot_before & hot_after, hot_after, hot_before],
        [CHANGE_LABELS["persistent"], CHANGE_LABELS["new"], CHANGE_LABELS["ended"]],
        CHANGE_LABELS["none"],
    )
    geometry = merged["geometry_after"].where(merged["geometry_after"].notna(), merged["geometry_before"])
    keep = ["cell_id", "count_before", "count_after", "gi_bin_before", "gi_bin_after", "change"]
    return gpd.GeoDataFrame(merged[keep], geometry=list(geometry), crs=after_gdf.crs or before_gdf.crs)



def neighbourhood_change(change: gpd.GeoDataFrame, dropped: pd.DataFrame, added: pd.DataFrame, *,
                         spacing: float, every_cell: bool = False) -> pd.DataFrame:
    """Whether each new or ended hot spot's neighbourhood itself changed beyond chance: ``p`` (NaN for
    the other cells, and when either side has no incidents) and ``rose`` (its share went up).

    A cell's class can flip between two periods by chance: near the threshold one period's cell is a
    hot spot at 95 % and the other's at 90 % (around a hot spot that did not change at all, 97 of 100
    pairs of random maps had a cell "new" or "ended", and 7 of 10 pairs of twelve-month maps a month
    apart). What moved is the cell's neighbourhood (the cell widened by ``spacing``: the cells around
    it) against the rest of the area in the months the two periods do not share: ``dropped`` (only
    the earlier period's) and ``added`` (only the later one's), incidents with ``x, y``. ``p`` is
    Fisher's exact test of that 2 × 2 table (in the neighbourhood or not × dropped or added; the
    two-sided p-value of :func:`scipy.stats.fisher_exact`, computed for all cells at once by
    :func:`fisher_p`); it treats the incidents as independent.

    ``every_cell``: test every cell's neighbourhood, not only the new and ended ones. The family a
    correction for many tests must cover is every cell that *could* have been called new or ended: a
    cell is new or ended because its own counts moved, so its p-value is small more often than chance
    gives, and correcting over those cells alone let through changes that did not happen (a later
    period three times as long as the earlier one, same crime: 18 of 100 pairs of maps had a "new" hot
    spot; over every cell 0–3 of 100: ``tests/test_recheck_stats3_hotspot_change.py``).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> cells = gpd.GeoDataFrame({"change": ["ny het punkt", "ingen"]},
    ...                          geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=3006)
    >>> pts = lambda xs: pd.DataFrame({"x": xs, "y": [5.0] * len(xs)})
    >>> got = neighbourhood_change(cells, pts([5.0] + [100.0] * 40), pts([5.0] * 12 + [100.0] * 30),
    ...                            spacing=10)
    >>> bool(got["p"][0] < 0.01), bool(got["rose"][0]), bool(np.isnan(got["p"][1]))
    (True, True, True)
    """
    out = pd.DataFrame({"p": np.full(len(change), np.nan), "rose": np.zeros(len(change), bool)})
    moved = (np.ones(len(change), bool) if every_cell else
             change["change"].isin([CHANGE_LABELS["new"], CHANGE_LABELS["ended"]]).to_numpy())
    if not moved.any() or dropped.empty or added.empty:
        return out
    near = shapely.buffer(np.asarray(change.geometry.values)[moved], spacing * 0.999, join_style="mitre")
    tree = shapely.STRtree(near)
    xa, xb = (np.bincount(tree.query(shapely.points(d["x"].to_numpy(float), d["y"].to_numpy(float)),
                                     predicate="within")[1], minlength=len(near)) for d in (dropped, added))
    rows = np.flatnonzero(moved)
    out.loc[rows, "p"] = fisher_p(xa, len(dropped), xb, len(added))
    out.loc[rows, "rose"] = xb * len(dropped) > xa * len(added)
    return out


def fisher_p(a, n_a, b, n_b) -> np.ndarray:
    """Two-sided Fisher exact p-values of the tables ``[[a, n_a − a], [b, n_b − b]]`` (``a``, ``b``
    arrays), all at once: :func:`lagesbild.core.exact.fisher_tests`, the p-values of
    ``scipy.stats.fisher_exact`` without a call per table (about 1.6 ms each).

    Examples
    --------
    >>> from scipy.stats import fisher_exact
    >>> got, want = fisher_p([3], 40, [12], 42)[0], fisher_exact([[3, 37], [12, 30]]).pvalue
    >>> bool(abs(got - want) < 1e-12)
    True
    """
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    if not len(a):
        return np.ones(0)
    return np.asarray(fisher_tests(a, np.asarray(n_a, dtype=np.int64) - a, b,
                                   np.asarray(n_b, dtype=np.int64) - b), dtype=float)


def beyond_chance(change: gpd.GeoDataFrame, moved: pd.DataFrame, q, alpha: float) -> np.ndarray:
    """Rows of ``change`` that are a new hot spot whose neighbourhood's share rose, or an ended one whose
    share fell, with ``q`` (the :func:`neighbourhood_change` p-values adjusted with the page's other
    such tests) below ``alpha``."""
    label = change["change"].to_numpy(dtype=object)
    rose = moved["rose"].to_numpy(bool)
    return (np.nan_to_num(np.asarray(q, float), nan=1.0) < alpha) & (
        ((label == CHANGE_LABELS["new"]) & rose) | ((label == CHANGE_LABELS["ended"]) & ~rose))


def judged_change(change: gpd.GeoDataFrame, dropped: pd.DataFrame, added: pd.DataFrame, *, spacing: float,
                  alpha: float) -> gpd.GeoDataFrame:
    """``change`` with each new or ended hot spot whose neighbourhood did not change beyond chance
    (:func:`neighbourhood_change` of ``dropped``/``added`` for every cell, Benjamini–Hochberg over all
    of the map's cells, :func:`beyond_chance`) labelled ``CHANGE_LABELS["chance"]``: a hot spot in one period only, not a
    tested change. ``attrs["chance_cells"]`` counts them.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> cells = gpd.GeoDataFrame({"change": ["ny het punkt", "ny het punkt"]},
    ...                          geometry=[box(0, 0, 10, 10), box(50, 0, 60, 10)], crs=3006)
    >>> pts = lambda xs: pd.DataFrame({"x": xs, "y": [5.0] * len(xs)})
    >>> out = judged_change(cells, pts([5.0] + [100.0] * 40), pts([5.0] * 12 + [55.0] + [100.0] * 30),
    ...                     spacing=10, alpha=0.05)
    >>> out["change"].tolist(), out.attrs["chance_cells"]
    (['ny het punkt', 'het punkt i bara en period, ingen säkerställd förändring'], 1)
    """
    from lagesbild.core.fdr import bh_adjust

    moved = neighbourhood_change(change, dropped, added, spacing=spacing, every_cell=True)
    p = moved["p"].to_numpy(float)
    q = np.full(len(p), np.nan)
    if np.isfinite(p).any():
        q[np.isfinite(p)] = bh_adjust(p[np.isfinite(p)])
    flips = change["change"].isin([CHANGE_LABELS["new"], CHANGE_LABELS["ended"]]).to_numpy() & \
        ~beyond_chance(change, moved, q, alpha)
    out = change.copy()
    out.loc[flips, "change"] = CHANGE_LABELS["chance"]
    out.attrs = {**change.attrs, "chance_cells": int(flips.sum())}
    return out
