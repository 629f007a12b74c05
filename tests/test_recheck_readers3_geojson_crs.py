"""A GeoJSON file that declares SWEREF 99 TM (EPSG:3006) but holds longitude/latitude (a "crs" member
copied from another file, or left by a tool that reprojected without updating it) was refused with
"polygonen ligger utanför Sverige; fel koordinatsystem? ange --crs" — and --crs 4326 did not help,
because the file's own declaration always won. The file is now refused saying that the declared system
does not fit its coordinates (their extent), and --crs EPSG:4326 reads it, with a note."""

from __future__ import annotations

import json
import sqlite3

import shapely

from lagesbild.cli import main

SQUARE = [[17.87, 59.26], [17.95, 59.26], [17.95, 59.29], [17.87, 59.29], [17.87, 59.26]]


def _file(tmp_path, crs_name):
    path = tmp_path / "omraden.geojson"
    path.write_text(json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": crs_name}},
        "features": [{"type": "Feature", "properties": {"Kod": "testa", "Namn": "Testområde"},
                      "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}]}), encoding="utf-8")
    return path


def _ingest(tmp_path, capsys, path, *extra):
    db = tmp_path / "s.sqlite"
    rc = main(["--db", str(db), "ingest", "--no-progress", *extra, "places", str(path)])
    out = capsys.readouterr()
    with sqlite3.connect(db) as con:
        rows = con.execute("select wkt_4326 from places where place_id = 'testa'").fetchall()
    return rc, out, rows


def test_declared_sweref_with_degrees_is_refused_naming_the_mismatch(tmp_path, capsys):
    rc, out, rows = _ingest(tmp_path, capsys, _file(tmp_path, "urn:ogc:def:crs:EPSG::3006"))
    assert rc == 2 and rows == []
    assert "EPSG:3006" in out.err and "longitud/latitud" in out.err and "--crs EPSG:4326" in out.err, out.err
    assert "17,87–17,95" in out.err, out.err  # the coordinates' extent, as Swedish numbers


def test_crs_on_the_command_line_reads_it_then(tmp_path, capsys):
    rc, out, rows = _ingest(tmp_path, capsys, _file(tmp_path, "EPSG:3006"), "--crs", "4326")
    assert rc == 0, out.err
    # the square as written, in degrees (its 4326 form is stored as read)
    assert shapely.from_wkt(rows[0][0]).equals_exact(shapely.Polygon(SQUARE), 1e-6)
    assert "EPSG:3006" in out.out, out.out  # the note says the declaration was not used


def test_guard_a_true_sweref_file_is_read_as_before(tmp_path, capsys):
    from pyproj import Transformer

    t = Transformer.from_crs(4326, 3006, always_xy=True)
    path = _file(tmp_path, "urn:ogc:def:crs:EPSG::3006")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][0]["geometry"]["coordinates"] = [[list(t.transform(x, y)) for x, y in SQUARE]]
    path.write_text(json.dumps(data), encoding="utf-8")
    rc, out, rows = _ingest(tmp_path, capsys, path)
    assert rc == 0, out.err
    assert shapely.from_wkt(rows[0][0]).equals_exact(shapely.Polygon(SQUARE), 1e-4)
