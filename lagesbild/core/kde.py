"""Kernel density surface of incidents, for display under the hotspot grid.

An isotropic Gaussian kernel, computed by binning the points on a fine raster (``cell_size`` metres,
aligned to multiples of it in EPSG:3006) and filtering the raster with a separable Gaussian
(``scipy.ndimage.gaussian_filter``, truncated at 4 bandwidths). Binning moves each point to the centre
of its raster cell, an error of at most ``cell_size/√2`` in position, small against the bandwidth; the
cost is linear in the number of points, so 100 000 or a million incidents take well under a second.

The density is in incidents per km²: its integral over the surface is the number of incidents (less
the kernel mass that falls outside the area, which is not corrected for; densities near the boundary
are therefore biased low). Raster cells whose centre lies outside the area are NaN.

Bandwidth rules (``h`` in metres, ``n`` points, ``σ̄ = √((s_x² + s_y²)/2)`` with sample variances):

* ``'scott'`` (default): ``h = σ̄ · n^(-1/6)``, the factor of ``scipy.stats.gaussian_kde`` in 2-D;
* ``'silverman'``: ``h = σ̄ · (n (d+2)/4)^(-1/(d+4))``, which for d = 2 is the same number;
* a float: the bandwidth in metres.

Both rules are optimal for one Gaussian blob and oversmooth clustered crime; pass a bandwidth in
metres (e.g. 150–300 m in a city) for a sharper picture. With fewer than two distinct points the rule
is undefined and ``FALLBACK_BANDWIDTH_CELLS × cell_size`` is used.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from scipy import ndimage

from lagesbild.core.grid import metric_area

BANDWIDTH_RULES = ("scott", "silverman")
TRUNCATE = 4.0  # kernel truncated at this many bandwidths
FALLBACK_BANDWIDTH_CELLS = 4.0
MAX_RASTER_CELLS = 25_000_000


def bandwidth_rule(x, y, rule: str = "scott") -> float:
    """Bandwidth in metres by Scott's or Silverman's rule (identical in two dimensions).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(0, 100, 1000), rng.normal(0, 100, 1000)
    >>> round(bandwidth_rule(x, y), 1) == round(bandwidth_rule(x, y, "silverman"), 1)
    True
    """
    if rule not in BANDWIDTH_RULES:
        raise ValueError(f"Okänd bandbreddsregel {rule!r}; välj 'scott', 'silverman' eller meter.")
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    if n < 2:
        return float("nan")
    sigma = math.sqrt((x.var(ddof=1) + y.var(ddof=1)) / 2.0)
    d = 2
    factor = n ** (-1.0 / (d + 4)) if rule == "scott" else (n * (d + 2) / 4.0) ** (-1.0 / (d + 4))
    return sigma * factor


def kde_surface(x, y, area, *, bandwidth=None, cell_size: float = 50.0, crs=None):
    """Gaussian kernel density of points over an area, in incidents per km².

    Parameters
    ----------
    x, y : array-like
        Coordinates in EPSG:3006 metres. Points outside `area` or with NaN coordinates are dropped.
    area : shapely geometry, GeoSeries or GeoDataFrame
        In EPSG:3006 (geographic CRSs are refused, see :func:`lagesbild.core.grid.make_grid`).
    bandwidth : None, 'scott', 'silverman' or float, optional
        None means Scott's rule (module docstring); a float is the kernel's standard deviation in metres.
    cell_size : float, default 50
        Raster resolution in metres.
    crs : optional
        CRS of a bare geometry `area`.

    Returns
    -------
    xs : numpy.ndarray
        x of the raster column centres (ascending).
    ys : numpy.ndarray
        y of the raster row centres (ascending).
    density : numpy.ndarray
        ``(len(ys), len(xs))`` incidents per km² (row i is ``ys[i]``, as plotly heatmaps expect); NaN
        outside the area. The bandwidth a rule gives is :func:`bandwidth_rule` of the points inside
        the area.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> xs, ys, dens = kde_surface([500.0], [500.0], box(0, 0, 1000, 1000), bandwidth=100, cell_size=50)
    >>> dens.shape, xs[:2].tolist()
    ((20, 20), [25.0, 75.0])
    >>> peak = 1 / (2 * np.pi * 0.1**2)   # one incident, h = 0.1 km: 15.9 per km² at the centre
    >>> bool(abs(np.nanmax(dens) / peak - 1) < 0.05), round(float(np.nansum(dens)) * 0.05**2, 3)
    (True, 1.0)
    """
    if not cell_size > 0:
        raise ValueError("Rutstorleken måste vara större än noll meter.")
    area = metric_area(area, crs)
    shapely.prepare(area)
    x, y = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    keep = np.isfinite(x) & np.isfinite(y)
    keep[keep] = shapely.intersects_xy(area, x[keep], y[keep])
    x, y = x[keep], y[keep]
    h = _bandwidth(x, y, bandwidth, cell_size)
    minx, miny, maxx, maxy = area.bounds
    i0, j0 = math.floor(minx / cell_size), math.floor(miny / cell_size)
    nx = max(1, math.ceil(maxx / cell_size) - i0)
    ny = max(1, math.ceil(maxy / cell_size) - j0)
    if nx * ny > MAX_RASTER_CELLS:
        raise ValueError("Tätheten skulle få för många rutor; välj en större rutstorlek.")
    xs = (np.arange(nx) + i0 + 0.5) * cell_size
    ys = (np.arange(ny) + j0 + 0.5) * cell_size
    col = np.clip(np.floor(x / cell_size).astype(np.int64) - i0, 0, nx - 1)
    row = np.clip(np.floor(y / cell_size).astype(np.int64) - j0, 0, ny - 1)
    binned = np.bincount(row * nx + col, minlength=nx * ny).reshape(ny, nx).astype(float)
    smooth = ndimage.gaussian_filter(binned, sigma=h / cell_size, mode="constant", truncate=TRUNCATE)
    density = smooth / (cell_size / 1000.0) ** 2
    gx, gy = np.meshgrid(xs, ys)
    density[~shapely.intersects_xy(area, gx, gy)] = np.nan
    return xs, ys, density


def _bandwidth(x: np.ndarray, y: np.ndarray, bandwidth, cell_size: float) -> float:
    """Resolve the `bandwidth` argument to metres."""
    if bandwidth is None or isinstance(bandwidth, str):
        h = bandwidth_rule(x, y, bandwidth or "scott")
        if not h > 0:
            h = FALLBACK_BANDWIDTH_CELLS * cell_size
        return h
    h = float(bandwidth)
    if not h > 0:
        raise ValueError("Bandbredden måste vara större än noll meter.")
    return h
