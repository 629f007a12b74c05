"""Getis–Ord Gi* hotspots on a grid, false-discovery-rate correction, hotspot change and concentration.

Method, in the order :func:`hotspots` applies it:

0. Water is taken out of the area (:func:`lagesbild.core.land.land_only`): the grid covers land only,
   and a cell over water, where no crime can be recorded, is not counted as a zero. Cells less than
   half inside the land area (``MIN_LAND_SHARE``) are left out with their incidents: counted as cells
   they would be false cold spots along every shore and boundary.
1. Incidents are counted per cell of a square or hexagonal grid in EPSG:3006
   (:func:`lagesbild.core.grid.make_grid`, :func:`~lagesbild.core.grid.count_points`).
2. Neighbourhood: a distance band (default 1.5 × the spacing of neighbouring cell centres: the
   8 queen neighbours of a square, the 6 neighbours of a hexagon) or the k nearest cell centres.
   Weights are binary; Gi* adds each cell to its own neighbourhood (the "star").
3. Gi* z-score with the analytical normal approximation (Getis & Ord 1992; Ord & Getis 1995), for
   binary weights ``z_i = (Σ_j w_ij x_j − x̄ W_i) / (S √((n W_i − W_i²)/(n − 1)))`` with
   ``W_i = Σ_j w_ij`` and ``S`` the population standard deviation of the counts. These are exactly the
   ``Zs`` of ``esda.G_Local(y, w, star=True, transform='B')``. Two-sided p-values from the normal
   distribution (esda's ``p_norm`` is one-sided: ``p = 2 · p_norm``).
4. Classes as in ArcGIS Hot Spot Analysis (``Gi_Bin`` −3…3) with the Benjamini–Hochberg false discovery
   rate correction done as ArcGIS does it: a critical p-value computed separately for α = 0.10, 0.05
   and 0.01 (the largest sorted p-value with ``p_(k) ≤ k α / m``); a cell is significant at a level when
   its p-value is at most that level's critical value. This equals comparing BH-adjusted p-values with
   α. Without FDR the critical values are α itself.

Sparse counts: with crimes spread at random on a 27 × 27 lattice, the normal approximation gave a map
a 90 % hot/cold spot in 91 %/51 %/26 %/14 % of cases at 0.05/0.3/1/5 incidents per cell (FDR promises
10 %), 7–8 % at 20–100. The normal tail also ignores the skew of overdispersed counts: cells of 25–100
crimes varying as a negative binomial of shape 3, without any spatial pattern, had a 95 % hot spot in
18–26 % of maps, and 25 crimes a cell varying 1.9 times more than Poisson counts had one on 7.4 % of random
maps. Below ``SPARSE_MEAN_PER_CELL``, and at any density when the cells' variance is more than
``OVERDISPERSED`` times their mean or their counts are skewed more than ``MAX_SKEW`` (a negative
binomial's ``(2v/m − 1)/√v``), the p-values therefore come from a discrete test
of each neighbourhood's count against the cells outside it (negative binomial or Poisson,
:mod:`lagesbild.core.sparse_hotspots`, which says what that assumes): 1–6 % of random maps got a spot,
and a single address with a few extra crimes is still found. The z-scores stay Gi*'s;
``attrs["p_method"]`` says which p-values were used.

Degenerate cases: when all counts are equal (including no incidents at all) or a cell's neighbourhood
is the whole grid, Gi* is undefined (esda returns NaN); here z = 0 and p = 1 (not significant).
"""

from __future__ import annotations

import functools

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse, special

from lagesbild.core.concentration import concentration  # noqa: F401  (re-exported)
from lagesbild.core.fdr import bh_adjust as fdr_adjust
from lagesbild.core.fdr import fdr_critical_p
from lagesbild.core.grid import (
    PointCounter,
    cell_centroids,
    distance_band_weights,
    knn_weights,
    make_grid,
    metric_area,
    neighbour_spacing,
)
from lagesbild.core.hotspot_limits import (
    MIN_CELLS,
    MIN_INCIDENTS,
    UNTESTED,
    discrete_p_needed,
    few_crimes_note,
    fitted_cell_size,
    hotspot_family_note,
    too_few_note,
)
from lagesbild.core.land import land_only
from lagesbild.core.sparse_hotspots import neighbourhood_p

# gi_bin magnitude -> significance level alpha (ArcGIS: 99 %, 95 %, 90 % confidence)
CONFIDENCE_LEVELS = ((3, 0.01), (2, 0.05), (1, 0.10))
CLASS_LABELS = {
    3: "Het punkt – 99 % konfidens",
    2: "Het punkt – 95 % konfidens",
    1: "Het punkt – 90 % konfidens",
    0: "Ej signifikant",
    -1: "Kall punkt – 90 % konfidens",
    -2: "Kall punkt – 95 % konfidens",
    -3: "Kall punkt – 99 % konfidens",
}
HOT_BIN = 2  # a cell is "hot" for hotspot_change at gi_bin >= 2, i.e. 95 % confidence or more
NEIGHBOURHOODS = ("distance", "knn")
MIN_LAND_SHARE = 0.5  # cells with less of their area on land inside the area are left out
__all__ = ["classify_hotspots", "fdr_adjust", "fdr_critical_p", "gi_star", "hotspots"]
LATTICE_CACHE = 32  # areas whose grid and weights are kept (a few MB each at most)
BAND_FACTOR = 1.5  # default distance band in neighbour spacings (queen on squares, 6 on hexagons)


def star_weights(W) -> sparse.csr_matrix:
    """Binary copy of `W` with ones on the diagonal (each cell is its own neighbour, as in Gi*).

    Examples
    --------
    >>> star_weights(sparse.csr_matrix([[0, 2.5], [1, 0]])).toarray()
    array([[1., 1.],
           [1., 1.]])
    """
    coo = sparse.coo_matrix(W)
    n = coo.shape[0]
    off = (coo.row != coo.col) & (coo.data != 0)
    rows = np.concatenate([coo.row[off], np.arange(n)])
    cols = np.concatenate([coo.col[off], np.arange(n)])
    w = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    w.sum_duplicates()
    w.data[:] = 1.0
    return w


def gi_star(counts, W) -> pd.DataFrame:
    """Getis–Ord Gi* z-scores and two-sided p-values for counts on cells.

    Parameters
    ----------
    counts : array-like of length n
        Incidents per cell (a Series keeps its index in the result).
    W : scipy.sparse matrix (n × n)
        Neighbour weights, treated as binary (non-zero = neighbour, like esda's ``transform='B'``); the
        diagonal is set to 1 whatever it holds.

    Returns
    -------
    pandas.DataFrame
        ``z`` and ``p``. z equals ``esda.G_Local(counts, w, star=True, transform='B').Zs``; p is
        ``2 · Φ(−|z|)``. Undefined cases (constant counts, a neighbourhood covering every cell) get
        ``z = 0, p = 1``.

    Examples
    --------
    >>> from lagesbild.core.grid import distance_band_weights
    >>> xy = [[i * 200.0, 0.0] for i in range(5)]
    >>> gi_star([0, 1, 9, 1, 0], distance_band_weights(xy)).round(3)
           z      p
    0 -0.810  0.418
    1  0.810  0.418
    2  1.048  0.295
    3  0.810  0.418
    4 -0.810  0.418
    """
    index = counts.index if isinstance(counts, pd.Series) else None
    z, p = _gi_star(np.asarray(counts, dtype=float).ravel(), star_weights(W))
    return pd.DataFrame({"z": z, "p": p}, index=index)


def _gi_star(y: np.ndarray, w: sparse.csr_matrix, card: np.ndarray | None = None) -> tuple:
    """:func:`gi_star`'s z and p as arrays, given the star weights ``w`` (:func:`star_weights`) and,
    optionally, their row sums ``card`` (kept with an area's lattice)."""
    n = len(y)
    if w.shape != (n, n):
        raise ValueError(f"weights are {w.shape}, counts have {n} cells")
    card = np.diff(w.indptr).astype(float) if card is None else card
    mean, sd = (y.mean(), y.std()) if n else (0.0, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = sd * np.sqrt((n * card - card**2) / (n - 1))
        z = np.where(denom > 0, (w @ y - mean * card) / denom, 0.0)
    # scipy.stats.norm.sf(x) is special.ndtr(-x) after checking its arguments (a tenth of a ms a call)
    p = 2.0 * special.ndtr(-np.abs(z))
    return z, p


def classify_hotspots(z, p, fdr: bool = True) -> pd.DataFrame:
    """Hot/cold spot classes at 99, 95 and 90 % confidence, as ArcGIS's ``Gi_Bin``.

    Parameters
    ----------
    z, p : array-like
        Gi* z-scores and two-sided p-values (:func:`gi_star`).
    fdr : bool, default True
        Apply the Benjamini–Hochberg correction: for each α in 0.01, 0.05, 0.10 a cell is significant
        when ``p ≤`` :func:`fdr_critical_p` ``(p, α)``. Otherwise when ``p ≤ α``. NaN p is never
        significant.

    Returns
    -------
    pandas.DataFrame
        ``gi_bin`` (int, ±3 = 99 %, ±2 = 95 %, ±1 = 90 %, sign of z; 0 = not significant) and ``klass``
        (Swedish label from ``CLASS_LABELS``).

    Examples
    --------
    >>> classify_hotspots([3.0, 2.0, -1.7, 0.5], [0.0027, 0.0455, 0.0891, 0.617], fdr=False)
       gi_bin                        klass
    0       3   Het punkt – 99 % konfidens
    1       2   Het punkt – 95 % konfidens
    2      -1  Kall punkt – 90 % konfidens
    3       0               Ej signifikant

    With FDR over these four cells the critical p-values are none at 99 %, 0.0027 at 95 % and 0.0455
    at 90 %:

    >>> classify_hotspots([3.0, 2.0, -1.7, 0.5], [0.0027, 0.0455, 0.0891, 0.617])["gi_bin"].tolist()
    [2, 1, 0, 0]
    """
    index = z.index if isinstance(z, pd.Series) else None
    gi_bin = _gi_bins(z, p, fdr)
    return pd.DataFrame({"gi_bin": gi_bin, "klass": [CLASS_LABELS[b] for b in gi_bin]}, index=index)


def _gi_bins(z, p, fdr: bool = True) -> np.ndarray:
    """:func:`classify_hotspots`' ``gi_bin`` as an array."""
    z = np.asarray(z, dtype=float).ravel()
    p = np.nan_to_num(np.asarray(p, dtype=float).ravel(), nan=1.0)
    level = np.zeros(len(z), dtype=np.int64)
    for magnitude, alpha in sorted(CONFIDENCE_LEVELS, reverse=True):
        critical = fdr_critical_p(p, alpha) if fdr else alpha
        significant = p <= critical
        level[significant & (level == 0)] = magnitude
    return (level * np.sign(z)).astype(np.int64)


def _cells_frame(columns: dict, grid: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The cells' GeoDataFrame: ``columns`` then the grid's geometry, on the grid's index and CRS.

    As ``gpd.GeoDataFrame(columns, geometry=grid.geometry, crs=grid.crs)``, in a seventh of the time
    (0.09 against 0.6 ms for 220 cells): a plain frame (its columns copied) with the geometry column
    becomes a GeoDataFrame as geopandas' own ``_constructor_from_mgr`` makes one, without checking
    the CRS again (the grid's geometry carries it)."""
    frame = pd.DataFrame({**columns, "geometry": grid.geometry.array}, index=grid.index)
    out = gpd.GeoDataFrame._from_mgr(frame._mgr, frame.axes)
    out._geometry_column_name = "geometry"
    return out


def neighbourhood_weights(
    grid: gpd.GeoDataFrame, neighbourhood: str = "distance", *, k: int = 8, threshold: float | None = None
) -> tuple[sparse.csr_matrix, str]:
    """Weights between the cells of `grid` and a Swedish description of the neighbourhood.

    ``'distance'`` uses a band of `threshold` metres (default ``BAND_FACTOR`` × the neighbour spacing:
    8 queen neighbours for squares, 6 for hexagons); ``'knn'`` the `k` nearest cells.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> w, text = neighbourhood_weights(make_grid(box(0, 0, 600, 600), 200))
    >>> int(w[4].sum()), text
    (8, 'avståndsband 300 m')
    """
    xy = cell_centroids(grid)
    if neighbourhood == "distance":
        threshold = BAND_FACTOR * neighbour_spacing(grid) if threshold is None else float(threshold)
        return distance_band_weights(xy, threshold), f"avståndsband {threshold:.0f} m"
    if neighbourhood == "knn":
        return knn_weights(xy, k), f"{k} närmaste rutor"
    raise ValueError(f"Okänt grannskap {neighbourhood!r}; välj 'distance' eller 'knn'.")


@functools.lru_cache(maxsize=LATTICE_CACHE)
def _lattice(wkb: bytes, cell_size, shape, neighbourhood, k, threshold, exclude_water, min_land_share):
    """The land grid of an area and its neighbour weights, which depend on the area and the parameters
    only: kept for the last :data:`LATTICE_CACHE` areas, so a change of category or period on the map
    counts and tests again without laying the grid and cutting out water again (callers never modify
    the grid). Returns ``(water share, grid, weights, description, star weights, their row sums, a
    point counter)``: what every count on the grid needs, worked out once."""
    whole = shapely.from_wkb(wkb)
    land = land_only(whole) if exclude_water else whole
    if land.is_empty:
        raise ValueError("Området ligger helt i vatten: det finns ingen landyta att lägga ett rutnät över.")
    grid = make_grid(land, cell_size, shape)
    grid = grid[grid["area_share"] >= min_land_share].reset_index(drop=True)
    weights, description = neighbourhood_weights(grid, neighbourhood, k=k, threshold=threshold)
    star = star_weights(weights)
    return (float(1 - land.area / whole.area), grid, weights, description, star,
            np.diff(star.indptr).astype(float), PointCounter(grid))


def hotspots(
    incidents: pd.DataFrame,
    area,
    *,
    cell_size: float = 200.0,
    shape: str = "square",
    neighbourhood: str = "distance",
    k: int = 8,
    threshold: float | None = None,
    fdr: bool = True,
    exclude_water: bool = True,
    min_land_share: float = MIN_LAND_SHARE,
    fit_small: bool = False,
) -> gpd.GeoDataFrame:
    """Getis–Ord Gi* hotspots of incidents in an area.

    Parameters
    ----------
    incidents : pandas.DataFrame
        With ``x``, ``y`` in EPSG:3006 metres (the store's ``incidents()``); filter category and period
        beforehand. Rows outside the area or without coordinates are not counted.
    area : shapely geometry, GeoSeries or GeoDataFrame
        In EPSG:3006 (see :func:`~lagesbild.core.grid.make_grid`).
    cell_size, shape : see :func:`~lagesbild.core.grid.make_grid`.
    neighbourhood, k, threshold : see :func:`neighbourhood_weights`.
    fdr : bool, default True
        Benjamini–Hochberg correction per confidence level (module docstring).
    exclude_water : bool, default True
        Lay the grid over land only (:func:`lagesbild.core.land.land_only`).
    min_land_share : float, default 0.5
        Leave out cells with a smaller share of their area inside the (land) area.
    fit_small : bool, default False
        When the area gives fewer than :data:`MIN_CELLS` cells of ``cell_size`` and they hold at least
        :data:`MIN_INCIDENTS` crimes, use the finer size :func:`fitted_cell_size` names (as ArcGIS's
        Optimized Hot Spot Analysis picks its cell size), and say so in ``fdr_note``. Without it such a
        grid is not tested.

    Returns
    -------
    geopandas.GeoDataFrame
        ``cell_id, count, area_share, z, p, gi_bin, klass, geometry`` (EPSG:3006). ``attrs`` holds
        ``neighbourhood`` (Swedish description), ``cell_size``, ``shape``, ``fdr``, ``incidents``
        (the number counted), ``water_share`` (share of the area left out as water), ``p_method``
        (``"normal"``, or ``"negbin"`` where :func:`~lagesbild.core.hotspot_limits.discrete_p_needed`:
        below ``SPARSE_MEAN_PER_CELL`` crimes per cell, with the cells varying more than ``OVERDISPERSED``
        times their mean, or with their counts skewed more than ``MAX_SKEW``) and
        ``fdr_note`` (the family of tests in plain Swedish), ``tested`` (False below :data:`MIN_CELLS`
        cells: every cell :data:`UNTESTED`, the note says why and which cell size would do).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> rng = np.random.default_rng(1)
    >>> xy = np.vstack([rng.uniform(0, 2000, (300, 2)), rng.normal(1100, 60, (150, 2))])
    >>> result = hotspots(pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]}), box(0, 0, 2000, 2000))
    >>> top = result.loc[result["count"].idxmax()]
    >>> top["cell_id"], int(top["count"]), int(top["gi_bin"]), top["klass"]
    ('200m-E1000-N1000', 117, 3, 'Het punkt – 99 % konfidens')
    """
    whole = metric_area(area)
    chosen = float(cell_size)
    x, y = (incidents[c].to_numpy(dtype=float, na_value=np.nan) for c in ("x", "y"))

    def grid_of(size):
        kept = _lattice(shapely.to_wkb(whole), float(size), shape, neighbourhood, k, threshold,
                        exclude_water, float(min_land_share))
        return *kept, kept[-1](x, y)

    water_share, grid, weights, description, star, card, _, counts = grid_of(chosen)
    finer = fitted_cell_size(whole, chosen) if fit_small else chosen
    # a finer grid only where the chosen one is too small and there are crimes enough to test; the
    # crimes are those inside the area, not in the chosen grid's cells: a place smaller than half a cell
    # has no cell at all (each lies mostly outside), and its crimes are there to test all the same
    located = np.isfinite(x) & np.isfinite(y)
    if finer < chosen and len(counts) < MIN_CELLS and (
            counts.sum() >= MIN_INCIDENTS
            or int(shapely.contains_xy(whole, x[located], y[located]).sum()) >= MIN_INCIDENTS):
        cell_size = finer
        water_share, grid, weights, description, star, card, _, counts = grid_of(finer)
    z, p = _gi_star(counts.astype(float), star, card)
    mean = float(counts.mean()) if len(counts) else 0.0
    spread = float(np.var(counts, ddof=1)) / mean if len(counts) > 1 and mean > 0 else 1.0
    discrete_p = discrete_p_needed(counts)
    if discrete_p:  # the normal tail is wrong for sparse or overdispersed counts (module docstring)
        p = neighbourhood_p(counts, star)
    too_few = len(counts) < MIN_CELLS
    if too_few:  # no verdict from a handful of cells (MIN_CELLS)
        gi_bin, klass = np.zeros(len(counts), dtype=np.int64), [UNTESTED] * len(counts)
    else:
        gi_bin = _gi_bins(z, p, fdr)
        klass = [CLASS_LABELS[b] for b in gi_bin.tolist()]
    out = _cells_frame({"cell_id": grid["cell_id"].to_numpy(), "count": counts,
                        "area_share": grid["area_share"].to_numpy(), "z": z, "p": p, "gi_bin": gi_bin,
                        "klass": np.array(klass, dtype=object)}, grid)  # object also when empty
    out.attrs.update(
        neighbourhood=description,
        cell_size=float(cell_size),
        shape=shape,
        fdr=fdr,
        incidents=int(counts.sum()),
        water_share=water_share,
        p_method="negbin" if discrete_p else "normal",
        fdr_note=(too_few_note(len(out), float(cell_size), whole.area * (1 - water_share)) if too_few else
                  few_crimes_note(int(counts.sum())) if counts.sum() < MIN_INCIDENTS else
                  hotspot_family_note(len(out), int((out["gi_bin"].abs() >= HOT_BIN).sum()), fdr,
                                      mean_count=mean if len(out) else None, dispersion=spread,
                                      skewed=discrete_p)),
        tested=not too_few,
    )
    if float(cell_size) != chosen:
        out.attrs["fdr_note"] = (f"Rutorna är {float(cell_size):.0f} m i stället för {chosen:.0f} m: området är "
                                 f"för litet för minst {MIN_CELLS} rutor om {chosen:.0f} m, som Gi* behöver. "
                                 + out.attrs["fdr_note"])
    return out
