"""A GeoPackage whose layer is a view (a saved query) is refused at once, not run.

A 100 kB GeoPackage whose "places" layer was a view over a recursive query that never ends held the
ingest, and the upload, forever: GDAL ran the query to count the features. The same file with the
layer as a table is read in."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import geopandas as gpd

from lagesbild.settings import ROOT

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"


def _gpkg(path, *, as_view: bool):
    gpd.read_file(PLACES).to_file(path, driver="GPKG", layer="places")
    if as_view:
        con = sqlite3.connect(path)
        con.executescript("ALTER TABLE places RENAME TO places_real;"
                          "CREATE VIEW places AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                          "SELECT p.* FROM places_real AS p WHERE EXISTS (SELECT 1 FROM r WHERE n = 0);")
        con.commit()
        con.close()
    return path


def _ingest(db, path):
    return subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(db), "ingest", "--no-progress",
                           "places", str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_a_layer_that_is_a_view_is_refused_without_running_it(tmp_path):
    res = _ingest(tmp_path / "s.sqlite", _gpkg(tmp_path / "platser.gpkg", as_view=True))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert 'platser.gpkg: GeoPackage-filens lager "places" är en vy' in res.stderr


def test_the_same_layer_as_a_table_is_read_in(tmp_path):
    res = _ingest(tmp_path / "s.sqlite", _gpkg(tmp_path / "platser.gpkg", as_view=False))
    assert res.returncode == 0, res.stderr
