"""Incidents that lie in no place (in water, outside the kommun) are counted and reported, by the
incident ingest and by a places file that recounts them. The command line runs as a subprocess."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest

from lagesbild.sources.geography import builtin_places
from tests.test_cli import run

INCIDENTS = "Händelse-id;Datum;Brottskategori;X;Y\n"


@pytest.mark.parametrize("places_first", [True, False])
def test_incidents_in_no_place_are_reported(tmp_path, places_first):
    g = builtin_places().set_index("place_id")
    inside = g.loc["hasselby-gard", "geometry"].representative_point()
    places = tmp_path / "p.geojson"
    gpd.GeoDataFrame({"namn": ["Hässelby gård"], "typ": ["område"]},
                     geometry=[g.loc["hasselby-gard", "geometry"]], crs=3006).to_file(places)
    rows = [f"I{i};2023-01-0{i + 1} 12:00;Misshandel;{inside.x:.1f};{inside.y:.1f}" for i in range(3)]
    rows += [f"U{i};2023-01-0{i + 1} 12:00;Misshandel;{700000 + i};6650000" for i in range(2)]  # Uppsala län
    incidents = tmp_path / "inc.csv"
    incidents.write_text(INCIDENTS + "\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "s.sqlite"
    order = [("places", places), ("incidents", incidents)]
    for kind, path in order if places_first else order[::-1]:
        res = run("ingest", kind, path, "--no-progress", "--format", "json", db=db)
        assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)[0]
    assert report["utanför_alla_platser"] == 2
    assert "2 händelser ligger utanför alla platser (t.ex. i vatten eller utanför kommunen)" in report[
        "meddelande"]
