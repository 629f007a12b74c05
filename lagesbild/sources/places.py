"""Read place polygons (GeoJSON, GeoPackage, Shapefile) into the canonical places table.

The result is a GeoDataFrame in SWEREF 99 TM (EPSG:3006) with the columns ``place_id, name, kind,
district_id, population, approximate, source, geometry, line`` where ``line`` is the 1-based feature
number in the file. Property names are matched case- and accent-insensitively through
:data:`PROPERTY_ALIASES`; Shapefile names cut to ten characters are recognised too. The result's
``meta["unstated"]`` maps each line to the fields the file left empty (filled with defaults in the
table), so that the ingest can keep what the store already knows about a place instead.

Geometry rules: Z coordinates are dropped; empty and non-polygonal geometries are rejected; an invalid
polygon is repaired when the repair is polygonal and changes the area by little, otherwise rejected
(:mod:`lagesbild.sources.place_geometry`).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from lagesbild.errors import InputError, RowError
from lagesbild.sources import ReadResult
from lagesbild.sources.geofile import read_geofile
from lagesbild.sources.place_geometry import checked_geometry, transformer
from lagesbild.sources.textkeys import normalize_key, slugify

#: canonical column -> accepted property names (compared after :func:`normalize_key`)
PROPERTY_ALIASES: dict[str, tuple[str, ...]] = {
    "place_id": ("place_id", "id", "kod", "plats_id", "platsid"),
    # Stockholm stad's stadsdelsnämnd layer names each area in "Sdn_omarde" (a DBF cut of "Sdn_område")
    "name": ("name", "namn", "plats", "platsnamn", "sdn_omarde", "sdn_omrade"),
    "kind": ("kind", "typ", "type", "platstyp", "kategori"),
    "district_id": ("district_id", "district", "stadsdelsomrade", "stadsdelsområde", "stadsdel"),
    "population": ("population", "befolkning", "invanare", "invånare", "antal_invanare"),
    "approximate": ("approximate", "ungefarlig", "ungefärlig", "ungefarligt", "ungefärligt"),
    "source": ("source", "kalla", "källa", "attribution"),
}

#: accepted values of ``kind`` (after :func:`slugify` with ``_`` as separator)
KINDS: tuple[str, ...] = ("torg", "centrum", "utsatt_omrade", "omrade", "stadsdel", "stadsdelsomrade",
                          "stad")
DEFAULT_KIND = "omrade"
#: other names of a kind, as Stockholm stad's layers write them
KIND_SYNONYMS = {**{k: k for k in KINDS}, "stadsdelsnamndsomrade": "stadsdelsomrade",
                 "stadsdelsforvaltning": "stadsdelsomrade"}

#: truthy / falsy spellings of ``approximate``
TRUE_WORDS = {"ja", "j", "true", "sant", "yes", "y", "1", "x"}
FALSE_WORDS = {"nej", "n", "false", "falskt", "no", "0", ""}

#: the largest population a place may have (Sweden has about 10.6 million people)
MAX_POPULATION = 20_000_000

TARGET_CRS = "EPSG:3006"
#: Shapefile (DBF) field names are cut to this many characters
DBF_NAME_LENGTH = 10

COLUMNS = ["place_id", "name", "kind", "district_id", "population", "approximate", "source",
           "geometry", "line"]
#: the fields ``meta["unstated"]`` reports when the file leaves them empty
UNSTATED_FIELDS = ("place_id", "name", "kind", "district_id", "population", "approximate", "source")

def match_columns(columns: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Map canonical names to the columns of a file that match one of their aliases.

    A column whose name fills a Shapefile field name (ten bytes in UTF-8, or nine when the cut fell inside
    a two-byte letter) also matches an alias it is the beginning of: ``Ungefärli`` is ``ungefärlig``.

    Examples
    --------
    >>> match_columns(["NAMN", "Stadsdelso", "Ungefärli", "geometry"], PROPERTY_ALIASES)
    {'name': 'NAMN', 'district_id': 'Stadsdelso', 'approximate': 'Ungefärli'}
    """
    found: dict[str, str] = {}
    for canonical, names in aliases.items():
        wanted = [normalize_key(n) for n in names]
        for col in columns:
            key = normalize_key(col)
            size = len(str(col).encode("utf-8"))
            cut = size in (DBF_NAME_LENGTH - 1, DBF_NAME_LENGTH) and any(w.startswith(key) for w in wanted)
            if key and (key in wanted or cut):
                found.setdefault(canonical, col)
                break
    return found


def read_places(path: str | Path, *, crs: object = None, layer: str | int | None = None,
                file_name: str | None = None, max_features: int | None = None) -> ReadResult:
    """Read a GeoJSON, GeoPackage or Shapefile (or a zip of one) of place polygons.

    The file reaches GDAL only through :func:`lagesbild.sources.geofile.read_geofile` (its format
    sniffed, a zip checked for bombs, no network).

    Parameters
    ----------
    path : str or Path
        The file (``.geojson``, ``.json``, ``.gpkg``, ``.shp``).
    crs : str, int or CRS, optional
        Coordinate system to assume when the file states none (or states WGS 84 while its coordinates are
        clearly projected, as GeoJSON written without a ``crs`` member, or states a projected CRS in
        metres while every coordinate is within −180–180/−90–90: degrees). Ignored, with a note, when the
        file states a usable CRS of its own.
    layer : str or int, optional
        Layer of a GeoPackage; default the first.
    file_name : str, optional
        Name used in messages; default the file's name.
    max_features : int, optional
        Most features accepted; default the setting ``max_place_features``
        (``LAGESBILD_MAX_PLACE_FEATURES``).

    Returns
    -------
    ReadResult
        ``table`` is a GeoDataFrame in EPSG:3006 with :data:`COLUMNS`; ``errors`` the rejected features.

    Raises
    ------
    InputError
        When the file cannot be read, is not an accepted format, has too many features or its
        coordinate system is unknown.

    Examples
    --------
    >>> import json, tempfile, os
    >>> feature = {"type": "Feature", "properties": {"namn": "Hässelby torg", "typ": "torg"},
    ...            "geometry": {"type": "Polygon", "coordinates": [[[17.83, 59.36], [17.84, 59.36],
    ...                         [17.84, 59.37], [17.83, 59.36]]]}}
    >>> path = os.path.join(tempfile.mkdtemp(), "p.geojson")
    >>> _ = open(path, "w").write(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    >>> result = read_places(path)
    >>> result.table.loc[0, "place_id"], result.table.crs.to_epsg(), result.errors
    ('hasselby-torg', 3006, [])
    """
    path = Path(path)
    name = file_name or path.name
    notes: list[str] = []
    if max_features is None:
        from lagesbild.settings import load_settings

        max_features = load_settings().max_place_features
    gdf = read_geofile(path, name, layer=layer, max_features=max_features, notes=notes)
    gdf = _with_crs(gdf, name, crs, notes)
    result = places_from_frame(gdf, file_name=name)
    result.notes[:0] = notes
    return result


def _with_crs(gdf: gpd.GeoDataFrame, name: str, crs: object, notes: list[str]) -> gpd.GeoDataFrame:
    """Give `gdf` its true CRS: the file's own, or `crs` when the file's is missing or implausible."""
    given = _parse_crs(crs, name) if crs is not None else None
    own = gdf.crs
    implausible = own is not None and own.is_geographic and not _lonlat_plausible(gdf)
    # metres declared (SWEREF 99 TM) but every coordinate within −180–180/−90–90: degrees, not metres
    degrees = own is not None and own.is_projected and _has_geometry(gdf) and _lonlat_plausible(gdf)
    if own is not None and not implausible and not degrees:
        if given is not None and CRS(own) != given:
            notes.append(f"{name}: filen anger koordinatsystemet {_crs_label(own)}; det användes i "
                         f"stället för {_crs_label(given)}")
        return gdf
    if degrees and given is None:
        raise InputError(name, f"filen anger koordinatsystemet {_crs_label(own)} (meter), men koordinaterna "
                               "ser ut som longitud/latitud (WGS 84); rätta filens \"crs\" eller ange "
                               "--crs EPSG:4326", [_extent(gdf, name)])
    if degrees:
        notes.append(f"{name}: filen anger koordinatsystemet {_crs_label(own)}, men koordinaterna är "
                     f"longitud/latitud; {_crs_label(given)} (--crs) användes")
    if given is None:
        why = ("filens koordinater är inte longitud/latitud (WGS 84), som filen anger eller som en "
               "GeoJSON-fil utan eget \"crs\" ska ha" if implausible else "filen saknar koordinatsystem")
        raise InputError(name, f"{why}; ange koordinatsystemet med --crs "
                               "(t.ex. --crs EPSG:3006 eller --crs EPSG:3011)",
                         _outside_lonlat(gdf, name) if implausible else [])
    return gdf.set_crs(given, allow_override=True)


def _outside_lonlat(gdf: gpd.GeoDataFrame, name: str, shown: int = 5) -> list[RowError]:
    """The first ``shown`` features (numbered from 1, as the other place errors) whose coordinates lie
    outside longitude −180–180 or latitude −90–90, with their extent."""
    from lagesbild.sources.incident_crs import coordinate_text

    geoms = gdf.geometry
    keep = geoms.notna() & ~geoms.is_empty
    b = geoms[keep].bounds
    bad = b[~((b["minx"] >= -180) & (b["maxx"] <= 180) & (b["miny"] >= -90) & (b["maxy"] <= 90))]
    return [RowError(name, int(gdf.index.get_loc(i)) + 1, "geometry",
                     f"x {coordinate_text(r.minx)}–{coordinate_text(r.maxx)}, "
                     f"y {coordinate_text(r.miny)}–{coordinate_text(r.maxy)}",
                     "koordinaterna ligger utanför longitud −180–180 och latitud −90–90")
            for i, r in bad.head(shown).iterrows()]


def _parse_crs(crs: object, name: str) -> CRS:
    try:
        return CRS.from_user_input(crs)
    except CRSError:
        raise InputError(name, f"okänt koordinatsystem \"{crs}\"; ange t.ex. EPSG:3006") from None


def _crs_label(crs: object) -> str:
    epsg = CRS(crs).to_epsg()
    return f"EPSG:{epsg}" if epsg else CRS(crs).name


def _has_geometry(gdf: gpd.GeoDataFrame) -> bool:
    geoms = gdf.geometry.dropna()
    return bool((~geoms.is_empty).any())


def _extent(gdf: gpd.GeoDataFrame, name: str) -> RowError:
    """The file's coordinates' extent, as an error of its geometry column."""
    from lagesbild.sources.incident_crs import coordinate_text

    x0, y0, x1, y1 = gdf.geometry.dropna().total_bounds
    return RowError(name, None, "geometry", f"x {coordinate_text(x0)}–{coordinate_text(x1)}, y "
                    f"{coordinate_text(y0)}–{coordinate_text(y1)}", "koordinaternas utbredning")


def _lonlat_plausible(gdf: gpd.GeoDataFrame) -> bool:
    bounds = gdf.geometry.dropna()
    bounds = bounds[~bounds.is_empty]
    if bounds.empty:
        return True
    x0, y0, x1, y1 = bounds.total_bounds
    return -180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90


def places_from_frame(gdf: gpd.GeoDataFrame, *, file_name: str = "platser") -> ReadResult:
    """Validate a GeoDataFrame with a CRS and turn it into the canonical places table.

    Parameters
    ----------
    gdf : GeoDataFrame
        Features with properties as columns; must have a CRS.
    file_name : str
        Name used in messages.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> gdf = gpd.GeoDataFrame({"Namn": ["Vårberg"], "Typ": ["Utsatt område"]},
    ...                        geometry=[box(663000, 6568000, 664000, 6569000)], crs=3006)
    >>> places_from_frame(gdf).table[["place_id", "kind"]].values.tolist()
    [['varberg', 'utsatt_omrade']]
    """
    if gdf.crs is None:
        raise InputError(file_name, "koordinatsystem saknas; ange det med --crs")
    properties = [c for c in gdf.columns if c != gdf.geometry.name]
    cols = match_columns(properties, PROPERTY_ALIASES)
    if "name" not in cols and "place_id" not in cols and len(gdf):
        known, found = PROPERTY_ALIASES["name"] + PROPERTY_ALIASES["place_id"], [f'"{c}"' for c in properties]
        raise InputError(file_name, f"filen har ingen egenskap med platsens namn eller id ({', '.join(known)}); "
                         f"filens egenskaper är {', '.join(found) or 'inga'}: byt namn på den som har "
                         "platsens namn till namn")
    geoms = shapely.force_2d(gdf.to_crs(TARGET_CRS).geometry.values)
    # checked as the file writes them too: valid only once projected is no valid polygon
    own = None if CRS(gdf.crs) == CRS(TARGET_CRS) else shapely.force_2d(gdf.geometry.values)

    def project(geom):  # as GeoDataFrame.to_crs does (always_xy), for the few polygons repaired
        to_target = transformer(gdf.crs, TARGET_CRS)
        # one point given as floats: pyproj warns on arrays of one element (NumPy 1.25's deprecation)
        return shapely.transform(geom, lambda xy: np.array([to_target.transform(float(x), float(y))
                                                            for x, y in xy]).reshape(-1, 2))

    rows, errors, notes = [], [], []
    seen: dict[str, int] = {}
    unstated: dict[int, frozenset] = {}
    for i, (geom, (_, props)) in enumerate(zip(geoms, gdf.iterrows(), strict=False), start=1):
        row_errors: list[RowError] = []
        row = _properties(props, cols, file_name, i, row_errors)
        unstated[i] = frozenset(k for k in UNSTATED_FIELDS
                                if k not in cols or _clean(props[cols[k]]) is None)
        row["geometry"] = checked_geometry(geom, file_name, i, row.get("name"), row_errors, notes,
                                           None if own is None else own[i - 1], project)
        _check_duplicate(row, seen, file_name, i, cols, row_errors)
        if row_errors:
            errors.extend(row_errors)
        else:
            row["line"] = i
            rows.append(row)
    table = gpd.GeoDataFrame(rows, columns=COLUMNS, geometry="geometry", crs=TARGET_CRS)
    table = _resolve_districts(_typed(table))
    return ReadResult(table, errors, notes, {"columns": cols, "unstated": unstated})


def _properties(props: pd.Series, cols: dict[str, str], file: str, line: int,
                errors: list[RowError]) -> dict:
    raw = {key: _clean(props[col]) for key, col in cols.items()}
    for key in ("place_id", "name", "district_id", "kind"):  # true/false is no name: it was "True"
        if key in cols and isinstance(props[cols[key]], (bool, np.bool_)):
            errors.append(RowError(file, line, cols[key], str(props[cols[key]]).lower(),
                                   "värdet är sant/falskt, inte ett namn eller id; skriv det som text"))
            raw[key] = None
    place_id, name = raw.get("place_id"), raw.get("name")
    if name is None and place_id is None:
        errors.append(RowError(file, line, None, None, "platsen saknar både namn och id"))
    if place_id is None and name is not None:
        place_id = slugify(name) or None
        if place_id is None:
            errors.append(RowError(file, line, cols.get("name"), name,
                                   "namnet ger inget id; ange ett id"))
    return {
        "place_id": place_id,
        "name": name if name is not None else place_id,
        "kind": _kind(raw.get("kind"), cols.get("kind"), file, line, errors),
        "district_id": raw.get("district_id"),
        "population": _population(raw.get("population"), cols.get("population"), file, line, errors),
        "approximate": _flag(raw.get("approximate"), cols.get("approximate"), file, line, errors),
        "source": raw.get("source"),
    }


def _clean(value: object) -> str | None:
    """Return a property value as stripped text (whole floats without ``.0``), None when empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _kind(value: str | None, col: str | None, file: str, line: int, errors: list[RowError]) -> str:
    if value is None:
        return DEFAULT_KIND
    kind = slugify(value, sep="_")
    # the city's own layers: "Stadsdelsnämndsområde - gyB" (a style code after the dash)
    kind = KIND_SYNONYMS.get(slugify(re.split(r"\s+[-–]\s+", value)[0], sep="_"), kind)
    if kind not in KINDS:
        errors.append(RowError(file, line, col, value,
                               "okänd platstyp; tillåtna är " + ", ".join(KINDS)))
    return kind


def _population(value: str | None, col: str | None, file: str, line: int,
                errors: list[RowError]) -> int | None:
    if value is None:
        return None
    digits = re.sub(r"[\s\u00a0\u202f]", "", value)
    if not re.fullmatch(r"\d+", digits):
        errors.append(RowError(file, line, col, value,
                               "befolkningen måste vara ett heltal som inte är negativt"))
        return None
    if len(digits) > len(str(MAX_POPULATION)) or int(digits) > MAX_POPULATION:
        errors.append(RowError(file, line, col, value, "befolkningen är orimligt stor; högst "
                               + f"{MAX_POPULATION:,}".replace(",", "\u00a0")))
        return None
    return int(digits)


def _flag(value: str | None, col: str | None, file: str, line: int, errors: list[RowError]) -> bool:
    word = (value or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word not in FALSE_WORDS:
        errors.append(RowError(file, line, col, value, "förväntade ja eller nej"))
    return False


def _check_duplicate(row: dict, seen: dict[str, int], file: str, line: int, cols: dict[str, str],
                     errors: list[RowError]) -> None:
    place_id = row.get("place_id")
    if place_id is None:
        return
    if place_id in seen:
        errors.append(RowError(file, line, cols.get("place_id", cols.get("name")), place_id,
                               f"id:t finns redan på objekt {seen[place_id]}"))
    elif not errors:
        seen[place_id] = line


def _typed(table: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    table["population"] = table["population"].astype("Int64")
    table["approximate"] = table["approximate"].astype(bool)
    table["line"] = table["line"].astype("int64")
    for col in ("place_id", "name", "kind", "district_id", "source"):
        table[col] = table[col].astype(object).where(table[col].notna(), None)
    return table


def _resolve_districts(table: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Replace district names by the ids of districts in the same file; leave other values as written."""
    ids = set(table["place_id"])
    by_name = {normalize_key(n): pid for n, pid in zip(table["name"], table["place_id"], strict=True)}
    table["district_id"] = [
        d if d is None or d in ids else by_name.get(normalize_key(d), d) for d in table["district_id"]
    ]
    return table
