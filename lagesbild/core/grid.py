"""Regular grids in SWEREF 99 TM, incident counts per cell and neighbour weights between cells.

Grids are anchored at the origin of EPSG:3006, so a cell has the same position and id whatever area it
was made for: the grids of a place, its district and the city line up cell for cell.

* ``square``: cells ``[i·s, (i+1)·s) × [j·s, (j+1)·s)`` for cell size ``s``; the id names the cell size
  and the lower-left corner, e.g. ``200m-E674000-N6580200``.
* ``hex``: pointy-top hexagons of the same area as the ``s × s`` square (so counts per cell compare
  between shapes), centred on a triangular lattice with spacing ``d = s·√(2/√3) ≈ 1.0746·s`` through
  the origin; axial coordinates ``(q, r)`` put the centre at ``(d·(q + r/2), d·(√3/2)·r)``; the id is
  e.g. ``hex200m-q627-r35440``. Every point belongs to the hexagon of the nearest lattice centre.

Cells that intersect the area are kept whole (not cut at the boundary); ``area_share`` is the share of
each cell inside the area (1.0 for cells inside). Points outside the area are never counted, also when
they fall in a boundary cell.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from scipy import sparse
from scipy.spatial import cKDTree

GRID_CRS = "EPSG:3006"
SHAPES = ("square", "hex")
MAX_CELLS = 2_000_000  # refuse grids larger than this (a typo in cell_size, not an analysis)
HEX_SPACING = math.sqrt(2.0 / math.sqrt(3.0))  # centre spacing of the equal-area hexagon, in cell sizes
DISTANCE_TOLERANCE = 1e-9  # relative slack on distance bands: lattice distances are not exact floats
SQRT3 = math.sqrt(3.0)


def metric_area(area, crs=None) -> shapely.Geometry:
    """Return `area` as one shapely geometry in EPSG:3006; refuse degrees.

    A GeoSeries/GeoDataFrame is dissolved and reprojected from another metric CRS; `crs` names the CRS
    of a bare geometry (default: EPSG:3006, refused when its coordinates look like degrees).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> metric_area(box(0, 0, 10, 10), crs=4326)
    Traceback (most recent call last):
    ...
    ValueError: Rutnät kräver ett koordinatsystem i meter (SWEREF 99 TM, EPSG:3006), inte WGS 84.
    """
    if isinstance(area, (gpd.GeoSeries, gpd.GeoDataFrame)):
        crs = crs if crs is not None else area.crs
        area = shapely.union_all(np.asarray(area.geometry.values))
    if crs is not None:
        crs = pyproj.CRS.from_user_input(crs)
        if crs.is_geographic or crs.axis_info[0].unit_name not in ("metre", "meter"):
            raise ValueError(
                f"Rutnät kräver ett koordinatsystem i meter (SWEREF 99 TM, EPSG:3006), inte {crs.name}."
            )
        if crs != pyproj.CRS.from_user_input(GRID_CRS):
            area = gpd.GeoSeries([area], crs=crs).to_crs(GRID_CRS).iloc[0]
    if area is None or area.is_empty or not area.area > 0:
        raise ValueError("Området är tomt: det finns ingen yta att lägga ett rutnät över.")
    minx, miny, maxx, maxy = area.bounds
    if crs is None and -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
        raise ValueError(
            "Områdets koordinater ser ut att vara grader (WGS 84); rutnät kräver meter (EPSG:3006)."
        )
    return area


def _hex_axial(x, y, cell_size: float) -> tuple[np.ndarray, np.ndarray]:
    """Axial coordinates of the hexagon holding each point (cube rounding to the nearest centre)."""
    d = cell_size * HEX_SPACING
    rf = np.asarray(y, dtype=float) / (d * SQRT3 / 2.0)
    qf = np.asarray(x, dtype=float) / d - rf / 2.0
    sf = -qf - rf
    q, r, s = np.rint(qf), np.rint(rf), np.rint(sf)
    dq, dr, ds = np.abs(q - qf), np.abs(r - rf), np.abs(s - sf)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q)
    r = np.where(fix_r, -q - s, r)
    return q.astype(np.int64), r.astype(np.int64)


def _square_cells(bounds, cell_size: float):
    """Candidate square cells over `bounds`: index arrays, polygons and ids."""
    minx, miny, maxx, maxy = bounds
    i = np.arange(math.floor(minx / cell_size), math.floor(maxx / cell_size) + 1)
    j = np.arange(math.floor(miny / cell_size), math.floor(maxy / cell_size) + 1)
    _check_size(len(i) * len(j))
    ii, jj = (a.ravel() for a in np.meshgrid(i, j))
    x0, y0 = ii * cell_size, jj * cell_size
    polys = shapely.box(x0, y0, x0 + cell_size, y0 + cell_size)
    size = _fmt(cell_size)
    ids = [f"{size}m-E{_fmt(a)}-N{_fmt(b)}" for a, b in zip(x0, y0, strict=False)]
    return ii, jj, polys, ids


def _hex_cells(bounds, cell_size: float):
    """Candidate hexagons over `bounds`: axial arrays, polygons and ids."""
    minx, miny, maxx, maxy = bounds
    d = cell_size * HEX_SPACING
    radius = d / SQRT3
    row_step = d * SQRT3 / 2
    r = np.arange(math.floor((miny - radius) / row_step), math.ceil((maxy + radius) / row_step) + 1)
    q_lo = math.floor((minx - d) / d - r.max() / 2)
    q_hi = math.ceil((maxx + d) / d - r.min() / 2)
    _check_size(len(r) * (q_hi - q_lo + 1))
    qq, rr = (a.ravel() for a in np.meshgrid(np.arange(q_lo, q_hi + 1), r))
    cx, cy = d * (qq + rr / 2.0), row_step * rr
    keep = (cx > minx - d) & (cx < maxx + d) & (cy > miny - d) & (cy < maxy + d)
    qq, rr, cx, cy = qq[keep], rr[keep], cx[keep], cy[keep]
    angles = np.radians(30.0 + 60.0 * np.arange(7))
    ring = np.stack([cx[:, None] + radius * np.cos(angles), cy[:, None] + radius * np.sin(angles)], axis=-1)
    polys = shapely.polygons(ring)
    size = _fmt(cell_size)
    ids = [f"hex{size}m-q{a}-r{b}" for a, b in zip(qq, rr, strict=False)]
    return qq, rr, polys, ids


def _check_size(n: int) -> None:
    """Refuse a grid of more than :data:`MAX_CELLS` cells, the numbers in Swedish.

    >>> _check_size(MAX_CELLS + 1)
    Traceback (most recent call last):
    ...
    ValueError: Rutnätet skulle få 2\u00a0000\u00a0001 rutor (högst 2\u00a0000\u00a0000); välj en större rutstorlek.
    """
    if n > MAX_CELLS:
        raise ValueError(f"Rutnätet skulle få {n:,} rutor (högst {MAX_CELLS:,}); välj en större "
                         "rutstorlek.".replace(",", "\u00a0"))  # Swedish thousands: "250 000"


def _fmt(value: float) -> str:
    """Format a coordinate without exponent or trailing zeros (``6580200``, ``62.5``)."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.6f}".rstrip("0")


def make_grid(area, cell_size: float = 200.0, shape: str = "square", *, crs=None) -> gpd.GeoDataFrame:
    """Lay a square or hexagonal grid over an area, in EPSG:3006.

    Parameters
    ----------
    area : shapely geometry, GeoSeries or GeoDataFrame
        The area (a place, a district, the city). A GeoSeries/GeoDataFrame is dissolved and, when its CRS
        is another metric CRS, reprojected to EPSG:3006. A bare geometry is taken to be in EPSG:3006.
    cell_size : float, default 200.0
        Side of a square cell in metres; hexagons have the same area (``cell_size²``).
    shape : {'square', 'hex'}
    crs : optional
        CRS of a bare geometry. Geographic CRSs (degrees) are refused, and so is a bare geometry whose
        coordinates all lie within ±180 / ±90 (it is almost certainly longitude/latitude).

    Returns
    -------
    geopandas.GeoDataFrame
        ``cell_id, area_share, geometry`` with one row per cell that intersects the area, whole cells,
        ordered by row then column. ``attrs`` holds ``cell_size``, ``shape`` and ``area`` for
        :func:`count_points`.

    Raises
    ------
    ValueError
        Geographic CRS, empty area, bad `shape` or `cell_size`, or more than ``MAX_CELLS`` cells.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> grid = make_grid(box(674050, 6580000, 674400, 6580200), cell_size=200)
    >>> grid[["cell_id", "area_share"]]
                     cell_id  area_share
    0  200m-E674000-N6580000        0.75
    1  200m-E674200-N6580000        1.00
    >>> make_grid(box(18.0, 59.3, 18.1, 59.4))
    Traceback (most recent call last):
    ...
    ValueError: Områdets koordinater ser ut att vara grader (WGS 84); rutnät kräver meter (EPSG:3006).
    """
    if shape not in SHAPES:
        raise ValueError(f"Okänd rutform {shape!r}; välj 'square' eller 'hex'.")
    if not cell_size > 0:
        raise ValueError("Rutstorleken måste vara större än noll meter.")
    area = metric_area(area, crs)
    make = _square_cells if shape == "square" else _hex_cells
    _, _, polys, ids = make(area.bounds, float(cell_size))
    shapely.prepare(area)
    hit = shapely.intersects(area, polys)
    polys, ids = polys[hit], np.asarray(ids, dtype=object)[hit]
    share = np.ones(len(polys))
    partial = ~shapely.covers(area, polys)
    share[partial] = shapely.area(shapely.intersection(polys[partial], area)) / float(cell_size) ** 2
    grid = gpd.GeoDataFrame({"cell_id": ids, "area_share": share}, geometry=polys, crs=GRID_CRS)
    grid = grid[grid["area_share"] > 0].reset_index(drop=True)
    grid.attrs.update(cell_size=float(cell_size), shape=shape, area=area)
    return grid


def _lattice(grid: gpd.GeoDataFrame) -> tuple[str, float]:
    """Shape and cell size of a grid, from ``attrs`` or else from its first cell."""
    if "cell_size" in grid.attrs and "shape" in grid.attrs:
        return grid.attrs["shape"], float(grid.attrs["cell_size"])
    first = grid.geometry.iloc[0]
    shape = "square" if len(first.exterior.coords) == 5 else "hex"
    return shape, math.sqrt(first.area)


def _cell_keys(shape: str, cell_size: float, x, y) -> tuple[np.ndarray, np.ndarray]:
    """Integer lattice indices of the cells holding points ``(x, y)``."""
    if shape == "hex":
        return _hex_axial(x, y, cell_size)
    return np.floor(np.asarray(x, float) / cell_size).astype(np.int64), np.floor(
        np.asarray(y, float) / cell_size
    ).astype(np.int64)


def count_points(grid: gpd.GeoDataFrame, x, y, *, area=None) -> np.ndarray:
    """Count points per grid cell by index arithmetic (no spatial join).

    Parameters
    ----------
    grid : geopandas.GeoDataFrame
        From :func:`make_grid`.
    x, y : array-like
        Point coordinates in EPSG:3006 metres; NaN coordinates are ignored.
    area : shapely geometry, optional
        Points outside it are dropped. Defaults to ``grid.attrs['area']``; if neither is available only
        points outside every cell are dropped.

    Returns
    -------
    numpy.ndarray
        int64 counts in the row order of `grid`. Square cells are half-open (a point on an edge belongs
        to the cell to its right or above).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> grid = make_grid(box(0, 0, 400, 200), cell_size=200)
    >>> count_points(grid, [10, 250, 390, 500, 100], [10, 100, 150, 100, 250])
    array([1, 2])
    """
    return PointCounter(grid, area)(x, y)


class PointCounter:
    """:func:`count_points` for one grid, its cell lookup built once: counting the points of another
    category on the same grid (the map, a change of category) does not find the cells' centres and
    lattice keys again. Same counts as :func:`count_points`, which uses it. Holds no mutable state
    after construction (safe to share between threads)."""

    def __init__(self, grid: gpd.GeoDataFrame, area=None):
        self.n = n = len(grid)
        self.area = area if area is not None else grid.attrs.get("area")
        self.share = (grid["area_share"].to_numpy() if "area_share" in grid else np.zeros(n))
        if n == 0:
            return
        self.shape, self.cell_size = _lattice(grid)
        centre = shapely.get_coordinates(grid.geometry.centroid.values)
        ga, gb = _cell_keys(self.shape, self.cell_size, centre[:, 0], centre[:, 1])
        self.a0, self.b0 = ga.min(), gb.min()
        self.lookup = np.full((ga.max() - self.a0 + 1, gb.max() - self.b0 + 1), -1, dtype=np.int64)
        self.lookup[ga - self.a0, gb - self.b0] = np.arange(n)
        if self.area is not None:
            shapely.prepare(self.area)

    def __call__(self, x, y) -> np.ndarray:
        x, y = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
        n = self.n
        ok = np.isfinite(x) & np.isfinite(y)
        x, y = x[ok], y[ok]
        if n == 0 or len(x) == 0:
            return np.zeros(n, dtype=np.int64)
        lookup = self.lookup
        pa, pb = _cell_keys(self.shape, self.cell_size, x, y)
        pa, pb = pa - self.a0, pb - self.b0
        inside = (pa >= 0) & (pa < lookup.shape[0]) & (pb >= 0) & (pb < lookup.shape[1])
        pos = np.full(len(x), -1, dtype=np.int64)
        pos[inside] = lookup[pa[inside], pb[inside]]
        if self.area is not None:
            check = (pos >= 0) & (self.share[np.maximum(pos, 0)] < 1.0)
            pos[np.flatnonzero(check)[~shapely.intersects_xy(self.area, x[check], y[check])]] = -1
        return np.bincount(pos[pos >= 0], minlength=n).astype(np.int64)


def cell_centroids(grid: gpd.GeoDataFrame) -> np.ndarray:
    """Return the ``(n, 2)`` array of cell centres (of whole cells, so a regular lattice).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> cell_centroids(make_grid(box(0, 0, 400, 200), cell_size=200))
    array([[100., 100.],
           [300., 100.]])
    """
    return shapely.get_coordinates(grid.geometry.centroid.values)


def neighbour_spacing(grid: gpd.GeoDataFrame) -> float:
    """Distance between the centres of edge-sharing cells: the cell size, or ``≈1.0746 ×`` it for hexes.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> round(neighbour_spacing(make_grid(box(0, 0, 1000, 1000), 100, "hex")), 2)
    107.46
    """
    shape, cell_size = _lattice(grid)
    return cell_size * (HEX_SPACING if shape == "hex" else 1.0)


def _points(centroids) -> np.ndarray:
    if isinstance(centroids, (gpd.GeoSeries, gpd.GeoDataFrame)):
        return shapely.get_coordinates(centroids.geometry.values)
    pts = np.asarray(centroids, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError("centroids must be an (n, 2) array of x, y in metres")
    return pts


def _binary_csr(rows: np.ndarray, cols: np.ndarray, n: int) -> sparse.csr_matrix:
    w = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    w.sum_duplicates()
    w.data[:] = 1.0
    return w


def distance_band_weights(centroids, threshold: float | None = None) -> sparse.csr_matrix:
    """Binary distance-band weights: ``w_ij = 1`` when ``0 < d_ij ≤ threshold``.

    Parameters
    ----------
    centroids : (n, 2) array-like or GeoSeries of points
        Cell centres in metres (see :func:`cell_centroids`).
    threshold : float, optional
        Band in metres. Default: the smallest distance that gives every cell at least one neighbour
        (the largest nearest-neighbour distance; on a full square lattice that is the cell size, i.e.
        the 4 rook neighbours). :func:`lagesbild.core.hotspots.hotspots` instead defaults to
        1.5 × the neighbour spacing (8 queen neighbours for squares, 6 for hexagons). Distances are
        compared with a relative tolerance of ``DISTANCE_TOLERANCE`` so lattice distances equal to the
        band are included.

    Returns
    -------
    scipy.sparse.csr_matrix
        Symmetric 0/1 matrix with a zero diagonal (Gi* adds the diagonal itself).

    Examples
    --------
    >>> w = distance_band_weights([[0, 0], [200, 0], [400, 0], [200, 200]])
    >>> w.toarray().astype(int)
    array([[0, 1, 0, 0],
           [1, 0, 1, 1],
           [0, 1, 0, 0],
           [0, 1, 0, 0]])
    """
    pts = _points(centroids)
    n = len(pts)
    if n < 2:
        return sparse.csr_matrix((n, n))
    tree = cKDTree(pts)
    if threshold is None:
        threshold = float(tree.query(pts, k=2)[0][:, 1].max())
    if not threshold > 0:
        raise ValueError("threshold must be a positive distance in metres")
    pairs = tree.query_pairs(threshold * (1 + DISTANCE_TOLERANCE), output_type="ndarray")
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    return _binary_csr(rows, cols, n)


def knn_weights(centroids, k: int = 8) -> sparse.csr_matrix:
    """Binary k-nearest-neighbour weights: row i marks the `k` cells nearest to cell i.

    Not symmetric in general. Ties at the k-th distance (common on a lattice, e.g. ``k=6`` on squares)
    are broken by the KD-tree's order, which is deterministic but arbitrary; ``k=4`` and ``k=8`` on
    squares and ``k=6`` on hexagons have no ties away from the area boundary. `k` is capped at ``n − 1``.

    Examples
    --------
    >>> knn_weights([[0, 0], [100, 0], [300, 0]], k=1).toarray().astype(int)
    array([[0, 1, 0],
           [1, 0, 0],
           [0, 1, 0]])
    """
    pts = _points(centroids)
    n = len(pts)
    k = min(int(k), n - 1)
    if k < 1:
        return sparse.csr_matrix((n, n))
    idx = cKDTree(pts).query(pts, k=k + 1)[1]
    not_self = idx != np.arange(n)[:, None]
    no_self_found = not_self.all(axis=1)
    not_self[no_self_found, -1] = False
    cols = idx[not_self].reshape(n, k)
    return _binary_csr(np.repeat(np.arange(n), k), cols.ravel(), n)
