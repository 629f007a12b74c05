"""Derive ``geodata/places.geojson`` from the public boundary files in ``../shared/data/public``.

Run from the repository root::

    .venv/bin/python scripts/make_geodata.py [--src ../shared/data/public] [--out geodata/places.geojson]

What it does (every step in EPSG:3006, SWEREF 99 TM):

1. The 13 stadsdelsnämndsområden (Stockholms stad, 2020 division, ``sdn_2020.shp``, EPSG:3011) are
   simplified one by one (topology preserving, ``SIMPLIFY_M`` metres) and written as kind
   ``stadsdelsomrade``.
2. The city ``stockholm`` (kind ``stad``) is the union of the 13 areas with the slivers between them
   (source digitising gaps of a few hundred m²) filled.
3. Area places (Älvsjö/Solberga, Fruängen, Vårberg, Bredäng, Sätra) are unions of Stockholms stad's
   stadsdelar (land only, ``stadsdelar_utan_vatten``) clipped to their stadsdelsnämndsområde.
4. Squares and centres have no public boundary: a small polygon is drawn around real coordinates
   (``HAND_DRAWN``) and marked ``ungefarlig: true``. Each must lie inside its district and stadsdel.
5. Population: the area-weighted sum of SCB's DeSO 2023 population over each polygon.

The output is GeoJSON (RFC 7946, EPSG:4326, coordinates rounded to 6 decimals, about 0.1 m).
See ``geodata/SOURCES.md`` for sources and licences.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Point, mapping

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SRC = ROOT.parent / "shared" / "data" / "public"
DEFAULT_OUT = ROOT / "geodata" / "places.geojson"

METRIC = "EPSG:3006"
SIMPLIFY_M = 2.0          # simplification tolerance for districts and area places (metres)
MIN_PART_M2 = 2_000.0     # drop islets/slivers smaller than this from area places
INSET_M = 1.0             # area places are clipped to their district shrunk by this much (metres)
DECIMALS = 6              # output coordinate precision (degrees)

SDN_FILE = "stockholm-stadsdelsnamndsomraden-2020/sdn_2020.shp"
STADSDELAR_FILE = "stockholm-stadsdelar-kth/geojson/simplified/stadsdelar_utan_vatten.geo.json"
DESO_FILE = "scb-deso-stockholms-lan/deso_stockholm.json"
POP_FILE = "scb-deso-stockholms-lan/catchment.json"

SRC_SDN = "Stockholms stad, stadsdelsnämndsområden 2020 (via soleildeminuit/R-samples)"
SRC_STADSDEL = "Stockholms stad, stadsdelar (CC0, via KTHHealthData/stockholm-stadsdelar)"
SRC_HAND = ("Ungefärlig polygon ritad kring verkliga koordinater "
            "(läge kontrollerat mot OpenStreetMap, © OpenStreetMap-bidragsgivare, ODbL)")
SRC_POP = "befolkning: SCB, DeSO 2023, ytviktad"

# Stadsdelsnämndsområde name in sdn_2020.shp -> place_id. The three demo districts first.
DISTRICTS: dict[str, str] = {
    "Hässelby-Vällingby": "hasselby-vallingby",
    "Hägersten-Älvsjö": "hagersten-alvsjo",
    "Skärholmen": "skarholmen",
    "Rinkeby-Kista": "rinkeby-kista",
    "Spånga-Tensta": "spanga-tensta",
    "Bromma": "bromma",
    "Kungsholmen": "kungsholmen",
    "Norrmalm": "norrmalm",
    "Östermalm": "ostermalm",
    "Södermalm": "sodermalm",
    "Enskede-Årsta-Vantör": "enskede-arsta-vantor",
    "Skarpnäck": "skarpnack",
    "Farsta": "farsta",
}

# place_id, namn, typ, district place_id, stadsdelar (upper case, as in the source)
AREA_PLACES: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("alvsjo-solberga", "Älvsjö/Solberga", "utsatt_omrade", "hagersten-alvsjo", ("ÄLVSJÖ", "SOLBERGA")),
    ("fruangen", "Fruängen", "omrade", "hagersten-alvsjo", ("FRUÄNGEN",)),
    ("varberg", "Vårberg", "utsatt_omrade", "skarholmen", ("VÅRBERG",)),
    ("bredang", "Bredäng", "utsatt_omrade", "skarholmen", ("BREDÄNG",)),
    ("satra", "Sätra", "omrade", "skarholmen", ("SÄTRA",)),
)

# place_id, namn, typ, district, stadsdel it must lie in, lat, lon, radius (m).
# Hässelby torg: the square north of Hässelby gård tunnelbana (Systembolaget, Hässelby torg 3, and the
# sculpture "Resenärer" at about 59.3674 N 17.8431 E in OpenStreetMap). Vällingby centrum: Vällingby
# torg by the tunnelbana station. Skärholmen centrum: Skärholmstorget by the tunnelbana station.
HAND_DRAWN: tuple[tuple[str, str, str, str, str, float, float, float], ...] = (
    ("hasselby-torg", "Hässelby torg", "torg", "hasselby-vallingby", "HÄSSELBY GÅRD",
     59.3674, 17.8433, 150.0),
    ("vallingby-centrum", "Vällingby centrum", "centrum", "hasselby-vallingby", "VÄLLINGBY",
     59.3633, 17.8722, 250.0),
    ("skarholmen-centrum", "Skärholmen centrum", "centrum", "skarholmen", "SKÄRHOLMEN",
     59.2770, 17.9070, 250.0),
)

CITY = ("stockholm", "Stockholm", "stad")


def read_districts(src: Path) -> gpd.GeoDataFrame:
    """The 13 stadsdelsnämndsområden in EPSG:3006, 2-D, simplified, in ``DISTRICTS`` order."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Measured 3D Polygon" read as Polygon Z
        sdn = gpd.read_file(src / SDN_FILE)
    sdn = sdn.to_crs(METRIC)
    missing = set(DISTRICTS) - set(sdn["Sdn_omarde"])
    if missing:
        raise SystemExit(f"saknas i {SDN_FILE}: {sorted(missing)}")
    sdn["place_id"] = sdn["Sdn_omarde"].map(DISTRICTS)
    sdn["geometry"] = shapely.simplify(shapely.force_2d(sdn.geometry.values), SIMPLIFY_M)
    sdn = sdn.set_index("place_id").loc[list(DISTRICTS.values())].reset_index()
    return sdn[["place_id", "Sdn_omarde", "geometry"]].rename(columns={"Sdn_omarde": "namn"})


def city_polygon(districts: gpd.GeoDataFrame) -> shapely.Polygon:
    """Union of the districts with interior slivers removed."""
    union = shapely.union_all(districts.geometry.values)
    if union.geom_type != "Polygon":
        raise SystemExit(f"staden blev {union.geom_type}, väntade Polygon")
    return shapely.Polygon(union.exterior)


def clean_parts(geom: shapely.Geometry, district: shapely.Geometry) -> shapely.Geometry:
    """Simplify, clip to ``district`` and drop parts below ``MIN_PART_M2``.

    The clip uses the district shrunk by ``INSET_M`` so that the place stays strictly inside its
    district after the output coordinates are rounded.
    """
    clipped = shapely.make_valid(geom.simplify(SIMPLIFY_M)).intersection(district.buffer(-INSET_M))
    parts = [p for p in getattr(clipped, "geoms", [clipped])
             if p.geom_type == "Polygon" and p.area >= MIN_PART_M2]
    return shapely.union_all(parts)


def area_places(src: Path, districts: gpd.GeoDataFrame) -> list[dict]:
    """Area places from the stadsdelar, clipped to their district."""
    sd = gpd.read_file(src / STADSDELAR_FILE).to_crs(METRIC)
    dgeom = dict(zip(districts["place_id"], districts.geometry, strict=False))
    out = []
    for place_id, namn, typ, district, names in AREA_PLACES:
        rows = sd[sd["name"].isin(names)]
        if len(rows) != len(names):
            raise SystemExit(f"{place_id}: hittade {list(rows['name'])} av {names}")
        geom = clean_parts(shapely.union_all(rows.geometry.values), dgeom[district])
        out.append(dict(place_id=place_id, namn=namn, typ=typ, stadsdelsomrade=district,
                        ungefarlig=False, kalla=SRC_STADSDEL, geometry=geom))
    return out


def hand_drawn(src: Path, districts: gpd.GeoDataFrame) -> list[dict]:
    """Small 16-gons around real coordinates; checked against district and stadsdel."""
    sd = gpd.read_file(src / STADSDELAR_FILE).to_crs(METRIC)
    to_metric = Transformer.from_crs("EPSG:4326", METRIC, always_xy=True)
    dgeom = dict(zip(districts["place_id"], districts.geometry, strict=False))
    out = []
    for place_id, namn, typ, district, stadsdel, lat, lon, radius in HAND_DRAWN:
        x, y = to_metric.transform(lon, lat)
        centre = Point(round(x), round(y))
        geom = centre.buffer(radius, quad_segs=4)
        if not dgeom[district].contains(geom):
            raise SystemExit(f"{place_id} ligger inte helt i {district}")
        home = sd.loc[sd.geometry.contains(centre), "name"].tolist()
        if home != [stadsdel]:
            raise SystemExit(f"{place_id}: mittpunkten ligger i {home}, väntade {stadsdel}")
        out.append(dict(place_id=place_id, namn=namn, typ=typ, stadsdelsomrade=district,
                        ungefarlig=True, kalla=SRC_HAND, geometry=geom))
    return out


def deso_population(src: Path) -> gpd.GeoDataFrame:
    """DeSO polygons (EPSG:3006) with their 2023 population."""
    deso = gpd.read_file(src / DESO_FILE).to_crs(METRIC)
    pop = json.loads((src / POP_FILE).read_text(encoding="utf-8"))["deso"]
    pops = {d["id"]: d["pop_2023"] for d in pop}
    deso["pop"] = deso["id"].map(pops)
    if deso["pop"].isna().any():
        raise SystemExit("DeSO utan befolkning: " + ", ".join(deso.loc[deso["pop"].isna(), "id"]))
    return deso


def area_weighted_population(geom: shapely.Geometry, deso: gpd.GeoDataFrame) -> int:
    """Sum of DeSO population weighted by the share of each DeSO's area inside ``geom``."""
    idx = deso.sindex.query(geom, predicate="intersects")
    sub = deso.iloc[idx]
    share = sub.geometry.intersection(geom).area / sub.geometry.area
    return int(round(float((share * sub["pop"]).sum())))


def to_feature(rec: dict, to_wgs: Transformer) -> dict:
    """One GeoJSON feature in EPSG:4326 with rounded coordinates."""
    geom = shapely.transform(rec["geometry"], lambda xy: np.column_stack(to_wgs.transform(xy[:, 0], xy[:, 1])))
    geom = shapely.set_precision(geom, 10 ** -DECIMALS)
    geom = shapely.orient_polygons(geom)  # RFC 7946: exterior counter-clockwise
    props = {k: rec[k] for k in ("place_id", "namn", "typ", "stadsdelsomrade", "befolkning", "ungefarlig", "kalla")}
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def build(src: Path) -> list[dict]:
    """All place records (geometry in EPSG:3006) in output order."""
    districts = read_districts(src)
    records = [dict(place_id=CITY[0], namn=CITY[1], typ=CITY[2], stadsdelsomrade=None, ungefarlig=False,
                    kalla="Stockholms stad (union av stadsdelsnämndsområden 2020)",
                    geometry=city_polygon(districts))]
    for row in districts.itertuples():
        records.append(dict(place_id=row.place_id, namn=row.namn, typ="stadsdelsomrade", stadsdelsomrade=None,
                            ungefarlig=False, kalla=SRC_SDN, geometry=row.geometry))
    records += hand_drawn(src, districts) + area_places(src, districts)
    deso = deso_population(src)
    for rec in records:
        rec["befolkning"] = area_weighted_population(rec["geometry"], deso)
        rec["kalla"] = f"{rec['kalla']}; {SRC_POP}"
    return records


def write_geojson(records: list[dict], out: Path) -> None:
    """Write a FeatureCollection, one feature per line."""
    to_wgs = Transformer.from_crs(METRIC, "EPSG:4326", always_xy=True)
    feats = [json.dumps(to_feature(r, to_wgs), ensure_ascii=False, separators=(",", ":")) for r in records]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(feats) + "\n]}\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; prints a summary table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC, help="mappen shared/data/public")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="utfil (GeoJSON)")
    args = ap.parse_args(argv)
    records = build(args.src)
    write_geojson(records, args.out)
    for r in records:
        print(f"{r['place_id']:22s} {r['typ']:16s} {r['geometry'].area / 1e6:8.3f} km²  {r['befolkning']:>9,d} inv.")
    print(f"{args.out}: {args.out.stat().st_size / 1e3:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
