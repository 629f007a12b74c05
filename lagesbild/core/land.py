"""Land only: the water inside Stockholms stad, taken out of areas before a hotspot grid is laid.

A grid cell over water cannot record a crime. Counted as a zero it lowers the mean the Getis–Ord Gi*
statistic compares with, so cells on land near water come out "hot" (the Hässelby-Vällingby boundary is
21.8 % water). :func:`land_only` removes the water, so the grid covers land inside the boundary only and
cells wholly in water are not part of the analysis at all.

The water polygon is bundled (``lagesbild/data/land/stockholm_water.geojson``, source and licence in
``SOURCES.md`` next to it: Stockholms stad's stadsdelar with and without water, CC0). Areas outside
Stockholms stad are not changed.

Examples
--------
>>> from shapely.geometry import box
>>> area = box(657000, 6582000, 664000, 6587000)  # Hässelby-Vällingby and Lake Mälaren
>>> 0.5 < land_only(area).area / area.area < 0.95
True
>>> land_only(box(0, 0, 100, 100)).area
10000.0
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import shapely

WATER_FILE = Path(__file__).resolve().parent.parent / "data" / "land" / "stockholm_water.geojson"


@lru_cache(maxsize=1)
def water() -> shapely.Geometry:
    """The bundled water polygon (EPSG:3006), prepared for fast intersection tests."""
    geom = shapely.union_all(gpd.read_file(WATER_FILE).to_crs(3006).geometry.values)
    shapely.prepare(geom)
    return geom


def land_only(area) -> shapely.Geometry:
    """``area`` (a shapely geometry in EPSG:3006) without the water inside Stockholms stad.

    Returns the area unchanged when it does not touch the water; an area wholly in water gives an
    empty geometry.
    """
    wet = water()
    if not wet.intersects(area):
        return area
    return area.difference(wet)
