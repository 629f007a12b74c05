"""A GeoPackage of several layers: the first is read, and the ingest report says which, in Swedish
(pyogrio's English warning "More than one layer found" was printed instead, and the report was silent)."""

from __future__ import annotations

import geopandas as gpd

from lagesbild.cli import main
from lagesbild.settings import ROOT

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"


def test_the_layer_read_is_named_in_swedish_and_no_library_warning_is_shown(tmp_path, capsys):
    path = tmp_path / "platser.gpkg"
    g = gpd.read_file(PLACES).to_crs(3006)
    g.to_file(path, layer="Platser", driver="GPKG")
    g.iloc[:1].to_file(path, layer="Hjälplinjer", driver="GPKG")
    rc = main(["--db", str(tmp_path / "s.sqlite"), "ingest", "--no-progress", "places", str(path)])
    out = capsys.readouterr()
    assert rc == 0, out
    assert 'Filen har 2 lager; det första, "Platser", lästes' in out.out
    assert "4 rader inlästa" in out.out
    assert "More than one layer" not in out.err + out.out
