"""Point-in-polygon for many points and polygons on one regular grid of cells.

For every polygon each cell of the grid is *interior* (the cell, grown by a small margin, lies
strictly inside the polygon), *exterior* (it lies strictly outside) or *boundary* (a ring of the
polygon passes within the margin). A point in an interior cell is inside without a test, one in
an exterior cell is outside; only points in boundary cells are tested with
:func:`shapely.contains_xy`, and only against the polygons whose rings cross the cell.

The cells' polygon sets are interned: ``inner`` ids name the set of polygons containing a cell,
``edge`` ids the set of polygons whose boundary crosses it (id 0 is the empty set), so counting
per point can be done per set instead of per polygon.

Results equal ``shapely.contains_xy(polygon, x, y)`` for every polygon: a point on an edge or a
vertex is outside; NaN coordinates are outside everything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from scipy import ndimage

MAX_CELLS = 1_000_000
"""Upper bound on the number of grid cells (memory: two int32 per cell)."""

CELLS_PER_SEGMENT = 256
"""Grid cells per polygon edge segment when that stays below :data:`MAX_CELLS`."""

MARGIN = 1e-3
"""Margin (in cells) by which cells are grown before classifying them; floating-point error of
a point's cell index is below 1e-7 cells (see :meth:`Grid.around`)."""


@dataclass(frozen=True)
class Grid:
    """Square cells of side ``size``; cell ``(i, j)`` covers ``x0 + i*size .. x0 + (i+1)*size``."""

    x0: float
    y0: float
    size: float
    nx: int
    ny: int

    @classmethod
    def around(cls, bounds, cells: int) -> Grid:
        """A grid of at most about ``cells`` cells over ``bounds``, padded by two cells per side.

        The outermost cells lie farther than a cell from ``bounds``: points off the grid are
        clipped into them. The cell size is at least 1e-8 of the largest coordinate, which keeps
        the rounding error of a point's cell index far below :data:`MARGIN`.

        Examples
        --------
        >>> g = Grid.around((0.0, 0.0, 100.0, 50.0), cells=300)
        >>> g.size, g.nx, g.ny
        (5.0, 25, 15)
        >>> x, y = np.array([-6.0, 0.0, 99.9, np.nan, np.inf]), np.array([0.0, 0.0, 49.9, 0.0, 0.0])
        >>> g.cells(x, y).tolist()
        [50, 52, 296, 50, 74]
        """
        minx, miny, maxx, maxy = map(float, bounds)
        w, h = maxx - minx, maxy - miny
        scale = max(abs(minx), abs(miny), abs(maxx), abs(maxy), 1.0)
        size = max(math.sqrt(w * h / cells), 10 * (w + h) / cells, scale * 1e-8)
        nx, ny = int(w / size) + 5, int(h / size) + 5
        return cls(minx - 2 * size, miny - 2 * size, size, nx, ny)

    @property
    def n(self) -> int:
        """Number of cells."""
        return self.nx * self.ny

    def uv(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Grid coordinates (in cells) of points."""
        return ((np.asarray(x, float) - self.x0) / self.size,
                (np.asarray(y, float) - self.y0) / self.size)

    def cells(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Flat cell index (``j * nx + i``) of each point; off the grid or NaN: an outer cell."""
        u, v = self.uv(x, y)
        for w, n in ((u, self.nx), (v, self.ny)):
            np.fmax(w, 0.0, out=w)  # NaN -> 0
            np.fmin(w, n - 1, out=w)
        kind = np.int32 if self.n < 2**31 else np.int64
        cell = v.astype(kind)
        cell *= self.nx
        cell += u.astype(kind)
        return cell

    def span(self, bounds) -> tuple[int, int, int, int]:
        """Cell ranges ``i0, j0, i1, j1`` (inclusive) of the cells within the margin of ``bounds``.

        Examples
        --------
        >>> Grid(0.0, 0.0, 1.0, 10, 10).span(np.array([1.0, 2.5, 3.5, 20.0]))
        (0, 2, 3, 9)
        """
        (u0, u1), (v0, v1) = self.uv(bounds[0::2], bounds[1::2])
        return (max(int(math.floor(u0 - MARGIN)), 0), max(int(math.floor(v0 - MARGIN)), 0),
                min(int(math.floor(u1 + MARGIN)), self.nx - 1),
                min(int(math.floor(v1 + MARGIN)), self.ny - 1))


def ring_cells(grid: Grid, geom) -> np.ndarray:
    """Flat indices of the cells that an edge of ``geom``'s rings passes within :data:`MARGIN` of.

    Examples
    --------
    >>> g = Grid(0.0, 0.0, 1.0, 4, 4)
    >>> ring_cells(g, shapely.box(1.5, 1.5, 2.5, 2.5)).tolist()
    [5, 6, 9, 10]
    >>> ring_cells(g, shapely.box(1.0, 1.0, 2.0, 2.0)).tolist()  # edges on cell edges
    [0, 1, 2, 4, 5, 6, 8, 9, 10]
    """
    rings = shapely.get_rings(shapely.get_parts(geom))
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    u, v = grid.uv(xy[:, 0], xy[:, 1])
    ua, va, ub, vb = u[:-1][same], v[:-1][same], u[1:][same], v[1:][same]
    umin, umax = np.minimum(ua, ub), np.maximum(ua, ub)
    vmin, vmax = np.minimum(va, vb), np.maximum(va, vb)
    seg, i = _ranges(np.floor(umin - MARGIN), np.floor(umax + MARGIN), grid.nx)
    steep = (umax - umin)[seg] < 1e-9
    slope = np.where(steep, 0.0, (vb - va)[seg] / np.where(steep, 1.0, (ub - ua)[seg]))
    lo = np.maximum(i - MARGIN, umin[seg]) - ua[seg]
    hi = np.minimum(i + 1 + MARGIN, umax[seg]) - ua[seg]
    v1, v2 = va[seg] + lo * slope, va[seg] + hi * slope
    vlo = np.where(steep, vmin[seg], np.maximum(np.minimum(v1, v2), vmin[seg]))
    vhi = np.where(steep, vmax[seg], np.minimum(np.maximum(v1, v2), vmax[seg]))
    which, j = _ranges(np.floor(vlo - MARGIN), np.floor(vhi + MARGIN), grid.ny)
    return np.unique(j * grid.nx + i[which])


def _ranges(lo: np.ndarray, hi: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Expand inclusive integer ranges (clipped to ``0 .. n-1``): (range number, value) pairs."""
    lo = np.clip(lo, 0, n - 1).astype(np.int64)
    hi = np.clip(hi, 0, n - 1).astype(np.int64)
    which = np.repeat(np.arange(len(lo)), hi - lo + 1)
    starts = np.cumsum(hi - lo + 1) - (hi - lo + 1)
    return which, lo[which] + np.arange(len(which)) - starts[which]


def classify(grid: Grid, geom) -> tuple[tuple[slice, slice], np.ndarray, np.ndarray]:
    """Classify the cells over ``geom``'s bounding box: (window, interior mask, boundary mask).

    Boundary cells are those :func:`ring_cells` returns (every cell of the window for geometries
    other than polygons). The other cells form connected regions that no ring crosses; each lies
    wholly inside or outside, which one test of a cell centre per region decides.

    Examples
    --------
    >>> g = Grid(0.0, 0.0, 1.0, 6, 6)
    >>> win, inner, edge = classify(g, shapely.box(0.5, 0.5, 4.5, 4.5))
    >>> win
    (slice(0, 5, None), slice(0, 5, None))
    >>> inner.astype(int)
    array([[0, 0, 0, 0, 0],
           [0, 1, 1, 1, 0],
           [0, 1, 1, 1, 0],
           [0, 1, 1, 1, 0],
           [0, 0, 0, 0, 0]])
    >>> int(edge.sum())
    16
    """
    i0, j0, i1, j1 = grid.span(shapely.bounds(geom))
    window = (slice(j0, j1 + 1), slice(i0, i1 + 1))
    edge = np.ones((j1 - j0 + 1, i1 - i0 + 1), dtype=bool)
    if shapely.get_type_id(geom) not in (3, 6):  # not (Multi)Polygon: test every point
        return window, np.zeros_like(edge), edge
    jj, ii = np.divmod(ring_cells(grid, geom), grid.nx)
    edge[:] = False
    edge[jj - j0, ii - i0] = True
    labels, n = ndimage.label(~edge)
    any_cell = np.zeros(n + 1, dtype=np.int64)
    any_cell[labels.ravel()] = np.arange(labels.size)  # some cell of each region
    rj, ri = np.divmod(any_cell[1:], edge.shape[1])
    inside = np.zeros(n + 1, dtype=bool)
    inside[1:] = shapely.contains_xy(geom, grid.x0 + (i0 + ri + 0.5) * grid.size,
                                     grid.y0 + (j0 + rj + 0.5) * grid.size)
    return window, inside[labels], edge


class SetIds:
    """Interned sets of polygon numbers; id 0 is the empty set.

    Examples
    --------
    >>> s = SetIds()
    >>> ids = np.zeros(4, dtype=np.int32)
    >>> s.add(ids, np.array([True, True, False, False]), 0)
    >>> s.add(ids, np.array([False, True, True, False]), 3)
    >>> ids.tolist(), s.sets
    ([1, 3, 2, 0], [(), (0,), (3,), (0, 3)])
    >>> ptr, members = s.csr()
    >>> ptr.tolist(), members.tolist()
    ([0, 0, 1, 2, 4], [0, 3, 0, 3])
    """

    def __init__(self):
        self.sets: list[tuple[int, ...]] = [()]
        self.index: dict[tuple[int, ...], int] = {(): 0}

    def add(self, ids: np.ndarray, mask: np.ndarray, member: int) -> None:
        """Add ``member`` to the sets of the cells where ``mask`` holds (updates ``ids``)."""
        old = ids[mask]
        if old.size == 0:
            return
        to = np.zeros(len(self.sets), dtype=ids.dtype)
        for s in np.flatnonzero(np.bincount(old, minlength=len(self.sets))):
            to[s] = self.index.setdefault(self.sets[s] + (member,), len(self.sets))
            if to[s] == len(self.sets):
                self.sets.append(self.sets[s] + (member,))
        ids[mask] = to[old]

    def csr(self) -> tuple[np.ndarray, np.ndarray]:
        """Members of every set as compressed rows: set ``k`` is ``members[ptr[k]:ptr[k+1]]``."""
        sizes = np.array([len(s) for s in self.sets], dtype=np.int64)
        members = np.fromiter((m for s in self.sets for m in s), dtype=np.int64, count=sizes.sum())
        return np.concatenate([[0], np.cumsum(sizes)]), members


def expand(ptr: np.ndarray, members: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(position in ``ids``, member) pairs for the sets ``ids`` (compressed rows ``ptr, members``).

    Examples
    --------
    >>> w, m = expand(np.array([0, 0, 1, 3]), np.array([4, 5, 6]), np.array([2, 0, 1]))
    >>> w.tolist(), m.tolist()
    ([0, 0, 2], [5, 6, 4])
    """
    sizes = ptr[1:][ids] - ptr[:-1][ids]
    which = np.repeat(np.arange(len(ids)), sizes)
    offset = np.arange(len(which)) - (np.cumsum(sizes) - sizes)[which]
    return which, members[ptr[:-1][ids][which] + offset]


class PipGrid:
    """Which of ``geoms`` contain which points, exactly as :func:`shapely.contains_xy` says.

    Examples
    --------
    >>> geoms = shapely.from_wkt(["POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))",
    ...                           "POLYGON ((1 1, 2 1, 2 2, 1 2, 1 1))"])
    >>> pg = PipGrid(geoms)
    >>> x, y = np.array([1.5, 3.0, 2.0, 9.0, np.nan]), np.array([1.5, 3.0, 1.5, 1.0, 1.0])
    >>> rows, cols = pg.pairs(x, y)
    >>> rows.tolist(), cols.tolist()
    ([0, 1, 2, 0], [0, 0, 0, 1])
    """

    def __init__(self, geoms, max_cells: int = MAX_CELLS):
        self.geoms = np.asarray(geoms, dtype=object)
        shapely.prepare(self.geoms)
        bounds = shapely.bounds(self.geoms)
        self.used = np.flatnonzero(~np.isnan(bounds).any(axis=1))  # empty geometries: no points
        segments = int(shapely.get_num_coordinates(self.geoms[self.used]).sum())
        cells = int(min(max_cells, max(4096, CELLS_PER_SEGMENT * segments)))
        box = bounds[self.used] if len(self.used) else np.zeros((1, 4))
        self.grid = Grid.around((box[:, 0].min(), box[:, 1].min(), box[:, 2].max(),
                                 box[:, 3].max()), cells)
        inner, edge = (np.zeros(self.grid.n, dtype=np.int32) for _ in range(2))
        inner_sets, edge_sets = SetIds(), SetIds()
        grid2d = (self.grid.ny, self.grid.nx)
        for k in self.used:
            window, is_in, is_edge = classify(self.grid, self.geoms[k])
            inner_sets.add(inner.reshape(grid2d)[window], is_in, k)
            edge_sets.add(edge.reshape(grid2d)[window], is_edge, k)
        self.inner, self.edge = inner, edge
        self.inner_csr, self.edge_csr = inner_sets.csr(), edge_sets.csr()

    def locate(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per point: the id of the set of polygons containing its cell, and of those crossing it."""
        cell = self.grid.cells(x, y)
        return self.inner[cell], self.edge[cell]

    def edge_hits(self, x: np.ndarray, y: np.ndarray,
                  edge: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Exact tests of the points in boundary cells: (row, polygon) pairs, by polygon and row.

        ``edge`` is the second array :meth:`locate` returns.
        """
        rows = np.flatnonzero(edge)
        which, poly = expand(*self.edge_csr, edge[rows])
        order = self._by_polygon(poly)
        rows, poly = rows[which][order], poly[order]
        starts = np.searchsorted(poly, np.arange(len(self.geoms) + 1))
        hit = np.zeros(len(rows), dtype=bool)
        for k in np.flatnonzero(np.diff(starts)):
            part = rows[starts[k]:starts[k + 1]]
            hit[starts[k]:starts[k + 1]] = shapely.contains_xy(self.geoms[k], x[part], y[part])
        return rows[hit], poly[hit]

    def pairs(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, polygon) pairs for every point inside every polygon, ordered by polygon and row."""
        x, y = np.asarray(x, float), np.asarray(y, float)
        inner, edge = self.locate(x, y)
        rows = np.flatnonzero(inner)
        which, poly = expand(*self.inner_csr, inner[rows])
        edge_rows, edge_poly = self.edge_hits(x, y, edge)
        rows = np.concatenate([rows[which], edge_rows])
        poly = np.concatenate([poly, edge_poly])
        order = np.argsort(rows, kind="stable")
        order = order[self._by_polygon(poly[order])]
        return rows[order], poly[order]

    def _by_polygon(self, poly: np.ndarray) -> np.ndarray:
        """Stable sorting order of polygon numbers (radix sort on int16 when they fit)."""
        return np.argsort(poly.astype(np.int16) if len(self.geoms) < 2**15 else poly, kind="stable")
