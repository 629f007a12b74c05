"""Derive the built-in geography (``lagesbild/data/geo/builtin.geojson``) from ``../shared/data/public``.

Run from the repository root::

    python scripts/make_builtin_geo.py [--src ../shared/data/public]

Contents (one feature per line, EPSG:4326, coordinates rounded to 5 decimals, about 1 m):

- Stockholm's city and its 13 stadsdelsområden, copied from ``geodata/places.geojson`` (same ids);
- Stockholm's 117 stadsdelar (Stockholms stad, CC0), simplified 5 m, kind ``stadsdel``, each with the
  stadsdelsområde it overlaps most;
- Sweden's 290 kommuner (kind ``kommun``, SCB kommunkod in ``kod``; Stockholm kommun is the city
  ``stockholm``) and 21 län (kind ``lan``, länskod in ``kod``), generalised (okfse/sweden-geojson).

See ``lagesbild/data/geo/SOURCES.md``. The script is deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lagesbild.sources.textkeys import slugify  # noqa: E402

DEFAULT_SRC = ROOT.parent / "shared" / "data" / "public"
OUT = ROOT / "lagesbild" / "data" / "geo" / "builtin.geojson"
PLACES = ROOT / "geodata" / "places.geojson"
STADSDELAR = "stockholm-stadsdelar-kth/geojson/simplified/stadsdelar_utan_vatten.geo.json"
KOMMUNER = "sweden-kommuner-lan-geojson/swedish_municipalities.geojson"
LAN = "sweden-kommuner-lan-geojson/swedish_regions.geojson"
DECIMALS = 5
SIMPLIFY_M = {"stadsdel": 5.0, "kommun": 0.0, "lan": 0.0}
SRC_STADSDEL = "Stockholms stad, stadsdelar (CC0, via KTHHealthData/stockholm-stadsdelar)"
SRC_KOMMUN = "Valmyndigheten via okfse/sweden-geojson (generaliserad, för översiktskartor)"
SRC_LAN = "jnordgren/swedish_data_map_geojson via okfse/sweden-geojson (generaliserad)"
# län number -> official name
LAN_NAMES = {1: "Stockholms län", 3: "Uppsala län", 4: "Södermanlands län", 5: "Östergötlands län",
             6: "Jönköpings län", 7: "Kronobergs län", 8: "Kalmar län", 9: "Gotlands län",
             10: "Blekinge län", 12: "Skåne län", 13: "Hallands län", 14: "Västra Götalands län",
             17: "Värmlands län", 18: "Örebro län", 19: "Västmanlands län", 20: "Dalarnas län",
             21: "Gävleborgs län", 22: "Västernorrlands län", 23: "Jämtlands län",
             24: "Västerbottens län", 25: "Norrbottens län"}
CAPITALISED_FIRST = {"NORRA", "SÖDRA", "STORA", "LILLA"}
SPECIAL = {"ULVSUNDA INDUSTRIOMR": "Ulvsunda industriområde", "GAMLA STAN": "Gamla stan"}


def stadsdel_name(upper: str) -> str:
    """``HÄSSELBY GÅRD`` -> ``Hässelby gård``; ``NORRA DJURGÅRDEN`` -> ``Norra Djurgården``."""
    if upper in SPECIAL:
        return SPECIAL[upper]
    words = upper.split()
    if words[0] in CAPITALISED_FIRST:
        return " ".join(w.capitalize() for w in words)
    return " ".join([words[0].capitalize(), *(w.lower() for w in words[1:])])


def feature(pid, name, kind, district, code, source, geom) -> dict:
    geom = shapely.set_precision(geom, 10 ** -DECIMALS)
    return {"type": "Feature", "properties": {
        "place_id": pid, "namn": name, "typ": kind, "stadsdelsomrade": district, "kod": code,
        "befolkning": None, "ungefarlig": False, "kalla": source},
        "geometry": shapely.geometry.mapping(geom)}


def main(src: Path) -> None:
    base = gpd.read_file(PLACES)
    base = base[base["typ"].isin(["stad", "stadsdelsomrade"])]
    feats = [feature(r.place_id, r.namn, r.typ, r.stadsdelsomrade, "0180" if r.typ == "stad" else None,
                     r.kalla, r.geometry) for r in base.itertuples()]
    taken = {f["properties"]["place_id"] for f in feats}
    names = {slugify(f["properties"]["namn"]) for f in feats}
    districts = base[base["typ"] == "stadsdelsomrade"].to_crs(3006)

    sd = gpd.read_file(src / STADSDELAR).to_crs(3006).sort_values("name")
    for row in sd.itertuples():
        geom = shapely.simplify(row.geometry, SIMPLIFY_M["stadsdel"], preserve_topology=True)
        overlap = districts.geometry.intersection(geom).area
        district = districts.iloc[int(overlap.to_numpy().argmax())]["place_id"]
        name = stadsdel_name(row.name)
        pid = slugify(name)
        if pid in taken or pid in names:
            pid, name = f"{pid}-stadsdel", f"{name} (stadsdel)"
        taken.add(pid)
        wgs = gpd.GeoSeries([geom], crs=3006).to_crs(4326).iloc[0]
        feats.append(feature(pid, name, "stadsdel", district, None, SRC_STADSDEL, wgs))

    kom = gpd.read_file(src / KOMMUNER).sort_values("id")
    for row in kom.itertuples():
        if row.id == "0180":
            continue  # Stockholm kommun is the city
        pid = slugify(row.kom_namn)
        name = row.kom_namn
        if pid in taken:
            pid = f"{pid}-kommun"
        taken.add(pid)
        feats.append(feature(pid, name, "kommun", None, row.id, SRC_KOMMUN, row.geometry))

    lan = gpd.read_file(src / LAN).sort_values("l_id")
    for row in lan.itertuples():
        name = LAN_NAMES[int(row.l_id)]
        feats.append(feature(slugify(name), name, "lan", None, f"{int(row.l_id):02d}", SRC_LAN,
                             row.geometry))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write('{"type":"FeatureCollection","features":[\n')
        fh.write(",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in feats))
        fh.write("\n]}\n")
    print(f"{OUT}: {len(feats)} platser")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC)
    main(ap.parse_args().src)
