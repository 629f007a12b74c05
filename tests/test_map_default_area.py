"""Karta opens on an area when the store has neither stadsdelsområden nor a city (meeting2's finding:
a kommun's own areas, e.g. Södertälje's DeSO, opened Karta on "inget område är valt").

The default is then the shaped area with most crimes: here the larger of two squares, which holds
three crimes of every four.
"""

from __future__ import annotations

import json

import pandas as pd

from lagesbild.analysis.maps import defaults
from lagesbild.ingest import ingest_file


def _square(name, kind, x, y, side):
    ring = [[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]
    return {"type": "Feature", "properties": {"id": name.lower(), "namn": name, "typ": kind},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_without_districts_or_city_the_map_opens_on_the_area_with_most_crimes(store, tmp_path):
    places = tmp_path / "omraden.geojson"
    places.write_text(json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:3006"}},
        "features": [_square("Ronna", "omrade", 640000, 6560000, 1000),
                     _square("Hovsjo", "omrade", 643000, 6560000, 1000)]}), encoding="utf-8")
    assert ingest_file(store, "places", places).status == "ok"
    rows = [(f"r{i}", f"2025-{1 + i % 12:02d}-10", "12:00", "Skadegörelse", 640500.0, 6560500.0)
            for i in range(90)]
    rows += [(f"h{i}", f"2025-{1 + i % 12:02d}-10", "12:00", "Skadegörelse", 643500.0, 6560500.0)
             for i in range(30)]
    incidents = tmp_path / "brott.csv"
    pd.DataFrame(rows, columns=["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"]) \
        .to_csv(incidents, index=False)
    assert ingest_file(store, "incidents", incidents, crs=3006, extracted_at="2026-01-01").status == "ok"
    assert set(store.places()["kind"]) == {"omrade"}
    assert defaults(store)["area"] == "ronna"
