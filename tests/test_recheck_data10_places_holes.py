"""Places with a hole and a multipolygon, in EPSG:4326 and EPSG:3006 (data10; guards: these held).

An incident in the hole is in no place, one in each part of the multipolygon in that place, whether the
file is WGS 84 or SWEREF 99 TM (its "crs" member; pyproj projects the same squares for the reference).
A 3006 file without its "crs" and a 4326 file that says 3006 are refused naming the coordinates, exit 2.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from pyproj import Transformer


def _ring(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


PLACES = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"namn": "Ringen", "typ": "torg"},
     "geometry": {"type": "Polygon", "coordinates": [_ring(18.00, 59.30, 18.02, 59.31),
                                                     _ring(18.005, 59.303, 18.015, 59.307)[::-1]]}},
    {"type": "Feature", "properties": {"namn": "Öarna", "typ": "torg"},
     "geometry": {"type": "MultiPolygon", "coordinates": [[_ring(18.05, 59.30, 18.06, 59.31)],
                                                          [_ring(18.08, 59.30, 18.09, 59.31)]]}}]}
# id, lon, lat: in the hole, in the ring, in each island, between the islands
POINTS = [(1, 18.010, 59.305), (2, 18.002, 59.301), (3, 18.055, 59.305), (4, 18.085, 59.305), (5, 18.07, 59.305)]
SWEREF = "urn:ogc:def:crs:EPSG::3006"


def _projected(fc):
    t = Transformer.from_crs(4326, 3006, always_xy=True)

    def proj(c):
        return list(t.transform(*c)) if isinstance(c[0], (int, float)) else [proj(x) for x in c]

    out = json.loads(json.dumps(fc))
    for f in out["features"]:
        f["geometry"]["coordinates"] = proj(f["geometry"]["coordinates"])
    return out


def _cli(tmp_path, capsys, *args):
    from lagesbild.cli import main

    code = main(["--db", str(tmp_path / "s.sqlite"), *args, *(["--no-progress"] if args[0] == "ingest" else [])])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("crs", ["4326", "3006"])
def test_holes_and_multipolygons_assign_incidents_as_drawn(tmp_path, capsys, crs):
    fc = PLACES if crs == "4326" else dict(_projected(PLACES), crs={"type": "name", "properties": {"name": SWEREF}})
    places = tmp_path / "platser.geojson"
    places.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    incidents = tmp_path / "brott.csv"
    incidents.write_text("id;datum;brottstyp;lat;lon\n" + "".join(
        f"{i};2025-03-0{i} 12:00;Skadegörelse;{lat};{lon}\n" for i, lon, lat in POINTS), encoding="utf-8")
    assert _cli(tmp_path, capsys, "ingest", "places", str(places))[0] == 0
    code, text = _cli(tmp_path, capsys, "ingest", "incidents", str(incidents))
    assert code == 0 and "2 händelser ligger utanför alla platser" in text, text  # the hole and between
    with sqlite3.connect(tmp_path / "s.sqlite") as con:
        rows = con.execute("select place_id, m03 from incident_counts order by place_id").fetchall()
    assert rows == [("oarna", 2), ("ringen", 1)]


def test_sweref_without_its_crs_and_wgs84_saying_sweref_are_refused(tmp_path, capsys):
    bare = tmp_path / "utan_crs.geojson"
    bare.write_text(json.dumps(_projected(PLACES)), encoding="utf-8")
    code, text = _cli(tmp_path, capsys, "ingest", "places", str(bare))
    assert code == 2 and 'utan_crs.geojson, rad 1, kolumn "geometry", värde "x 670' in text, text
    assert "--crs" in text and "Traceback" not in text
    lying = tmp_path / "anger_3006.geojson"
    lying.write_text(json.dumps(dict(PLACES, crs={"type": "name", "properties": {"name": SWEREF}})), encoding="utf-8")
    code, text = _cli(tmp_path, capsys, "ingest", "places", str(lying))
    assert code == 2 and "koordinaterna ser ut som longitud/latitud" in text, text
    code, text = _cli(tmp_path, capsys, "status")
    assert "Platser (0)" in text, text  # nothing of either was stored
