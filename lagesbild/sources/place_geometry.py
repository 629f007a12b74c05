"""A place's polygon checked before it is stored: present, polygonal, finite, valid and in Sweden.

Z coordinates are dropped by the reader before. Empty and non-polygonal geometries are rejected; an
invalid polygon is repaired with :func:`shapely.make_valid` when the repair is polygonal and changes the
area by less than :data:`MAX_REPAIR_AREA_CHANGE`, otherwise it is rejected with the reason
:func:`shapely.is_valid_reason` gives.

Examples
--------
>>> from shapely.geometry import Polygon
>>> bow = Polygon([(674_000, 6_580_000), (674_100, 6_580_100), (674_100, 6_580_000),
...                (674_000, 6_580_100)])  # a bow tie: crosses itself
>>> errors, notes = [], []
>>> checked_geometry(bow, "platser.geojson", 1, "Torget", errors, notes) is None, errors[0].reason
(True, 'ogiltig geometri som inte kan lagas säkert (lagningen ändrar ytan med mer än 100 %)')
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer

from lagesbild.errors import RowError

#: a repair may change the polygon's area by at most this fraction
MAX_REPAIR_AREA_CHANGE = 0.01
#: generous bounds of Sweden in EPSG:3006 (x_min, y_min, x_max, y_max)
SWEDEN_BOUNDS_3006 = (180_000.0, 6_050_000.0, 1_000_000.0, 7_700_000.0)


def checked_geometry(geom, file: str, line: int, name: str | None, errors: list[RowError],
                      notes: list[str], own=None, project=None):
    """Return a valid (Multi)Polygon or None, appending a RowError when the geometry is unusable.

    `own` is the polygon as the file writes it, when its coordinate system is not SWEREF 99 TM, and
    `project` takes a geometry of that system to SWEREF 99 TM: a polygon invalid as the file writes it is
    checked and repaired there, not once projected (corners on one line of longitude/latitude bend apart
    into a sliver with an area the file never drew).
    """
    if geom is None or geom.is_empty:
        errors.append(RowError(file, line, "geometry", None, "geometrin saknas eller är tom"))
        return None
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        errors.append(RowError(file, line, "geometry", geom.geom_type,
                               "geometrin måste vara en polygon eller multipolygon"))
        return None
    if not np.isfinite(shapely.get_coordinates(geom)).all():  # NaN in a GeoPackage: GEOS fails on it
        errors.append(RowError(file, line, "geometry", None, "geometrin har en koordinat som inte är ett "
                                                             "tal (NaN eller oändlig)"))
        return None
    if own is not None and project is not None and not shapely.is_valid(own):
        geom = _repaired(own, file, line, name, errors, notes, project)
    elif not shapely.is_valid(geom):
        geom = _repaired(geom, file, line, name, errors, notes)
    if geom is None:
        return None
    if not _inside_sweden(geom):
        errors.append(RowError(file, line, "geometry", None,
                               "polygonen ligger utanför Sverige; fel koordinatsystem? ange --crs"))
        return None
    return geom


def _repaired(geom, file: str, line: int, name: str | None, errors: list[RowError],
              notes: list[str], project=None):
    """`geom` repaired (in its own coordinates, then taken to SWEREF 99 TM by `project` when given)."""
    reason = geometry_reason(shapely.is_valid_reason(geom), project)
    fixed = _polygonal_part(shapely.make_valid(geom))
    before = abs(geom.area)
    change = abs(fixed.area - before) / before if fixed is not None and before > 0 else math.inf
    if fixed is None or change >= MAX_REPAIR_AREA_CHANGE:
        why = ("lagningen ger ingen polygon" if fixed is None
               else f"lagningen ändrar ytan med {_percent(change)}")
        errors.append(RowError(file, line, "geometry", reason,
                               f"ogiltig geometri som inte kan lagas säkert ({why})"))
        return None
    notes.append(f"{file}, objekt {line} ({name}): ogiltig geometri ({reason}) lagad; ytan ändrades "
                 f"med {_percent(change)}")
    return fixed if project is None else project(fixed)


#: GEOS's reasons (:func:`shapely.is_valid_reason`, before its ``[x y]``) in Swedish
GEOS_REASONS = {
    "Self-intersection": "polygonen korsar sig själv",
    "Ring Self-intersection": "polygonens kant korsar sig själv",
    "Too few points in geometry component": "en del av polygonen har för få punkter",
    "Hole lies outside shell": "ett hål ligger utanför polygonen",
    "Nested shells": "en polygon ligger inuti en annan i samma multipolygon",
    "Interior is disconnected": "polygonens inre är delat i flera delar",
    "Duplicate Rings": "en ring finns två gånger",
    "Nested holes": "ett hål ligger inuti ett annat hål",
    "Invalid Coordinate": "en koordinat är ogiltig",
    "Ring is not closed": "polygonens ring är inte sluten",
}


def geometry_reason(reason: str, project=None) -> str:
    """GEOS's reason in Swedish, with the point where it is found in whole metres of SWEREF 99 TM (the
    places reader has projected the polygon before it is checked, or gives `project` to take the point
    there), or as written when it is unknown.

    Examples
    --------
    >>> geometry_reason("Self-intersection[671077.366030555 6577873.90613392]")
    'polygonen korsar sig själv vid N 6\\xa0577\\xa0874, E 671\\xa0077 (SWEREF 99 TM)'
    >>> geometry_reason("Something new[1 2]")
    'Something new[1 2]'
    """
    found = re.fullmatch(r"(?P<what>[^\[]+)(\[(?P<x>\S+) (?P<y>\S+)\])?", reason.strip())
    if found is None or found["what"] not in GEOS_REASONS:
        return reason
    text = GEOS_REASONS[found["what"]]
    try:
        x, y = float(found["x"]), float(found["y"])
    except (TypeError, ValueError):
        return text
    if not (math.isfinite(x) and math.isfinite(y)):
        return text
    if project is not None:
        x, y = shapely.get_coordinates(project(shapely.Point(x, y)))[0]
    return f"{text} vid N {_metres(y)}, E {_metres(x)} (SWEREF 99 TM)"


def _metres(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u00a0")


def _percent(fraction: float) -> str:
    if math.isinf(fraction) or fraction >= 1:  # a bow tie's two lobes cancel: its "area" is near 0
        return "mer än 100 %"
    return f"{fraction * 100:.2f}".replace(".", ",") + " %"


def _polygonal_part(geom):
    """Return the polygons of `geom` as one (Multi)Polygon, or None when there are none."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return None if geom.is_empty else geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    parts = [g for g in parts if not g.is_empty]
    if not parts:
        return None
    merged = shapely.union_all(parts)
    return merged if merged.geom_type in ("Polygon", "MultiPolygon") else None


def _inside_sweden(geom) -> bool:
    x0, y0, x1, y1 = geom.bounds
    bx0, by0, bx1, by1 = SWEDEN_BOUNDS_3006
    return bx0 <= x0 and x1 <= bx1 and by0 <= y0 and y1 <= by1


@lru_cache(maxsize=16)
def transformer(source, target) -> Transformer:
    """One kept pyproj Transformer (``always_xy``) per (from, to) pair (thread-safe since pyproj 3.1);
    ``sources.places`` projects the polygons it repaired with it."""
    return Transformer.from_crs(source, target, always_xy=True)
