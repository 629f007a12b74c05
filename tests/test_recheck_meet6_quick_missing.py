"""Plats' quick periods (28 days, year to date, 12 months): a category the place has no incident-level
data for reads "data saknas", not "0 mot 0 (data saknas)".

Found by meet6 on a store of its own: a place with the police's monthly file for Stöld and Skadegörelse
and incidents with coordinates for Skadegörelse only. The quick table's Stöld row read "0 mot 0 (data
saknas)" in every span: two zeros beside "data saknas". A period without data reads "saknas", never 0
(README, "Like for like").
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random

import pytest
from pyproj import Transformer

from lagesbild.ingest import ingest_file

NAME = "Östra Järna-Överjärnas strandängar och Skäggetorp centrum"
LON, LAT = 17.88, 59.27


@pytest.fixture
def mixed_store(places_store, tmp_path):
    rnd = random.Random(6)
    square = [[LON, LAT], [LON + 0.01, LAT], [LON + 0.01, LAT + 0.005], [LON, LAT + 0.005], [LON, LAT]]
    places = tmp_path / "platser.geojson"
    places.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square]},
        "properties": {"Kod": "ostra-jarna", "Namn": NAME, "TYP": "Utsatt område", "Stadsdelsområde": "Skärholmen",
                       "Befolkning": 8700, "Ungefärlig": False, "Källa": "test"}}]}, ensure_ascii=False),
        encoding="utf-8")
    crimes = tmp_path / "brott.csv"
    with crimes.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Område", "Brottstyp", "Månad", "Antal"])
        for y, m in [(y, m) for y in range(2023, 2026) for m in range(1, 13)]:
            for cat in ("Skadegörelse", "Stöld"):
                w.writerow([NAME, cat, f"{y}-{m:02d}", rnd.randint(5, 40)])
    incidents = tmp_path / "incidenter.csv"
    to_sweref = Transformer.from_crs(4326, 3006, always_xy=True)
    with incidents.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"])
        day, n = dt.date(2024, 1, 1), 0
        while day <= dt.date(2025, 12, 31):
            for _ in range(rnd.randint(0, 3)):
                n += 1
                x, y = to_sweref.transform(LON + 0.001 + rnd.random() * 0.008, LAT + 0.001 + rnd.random() * 0.003)
                w.writerow([f"M-{n}", day.isoformat(), "12:00", "Skadegörelse", f"{x:.1f}", f"{y:.1f}"])
            day += dt.timedelta(days=1)
    ingest_file(places_store, "places", places)
    ingest_file(places_store, "crimes", crimes, source="agg", extracted_at=dt.date(2026, 1, 1))
    ingest_file(places_store, "incidents", incidents, crs="3006", source="inc", extracted_at=dt.date(2026, 1, 1))
    return places_store


def test_a_category_without_incident_data_reads_data_saknas_not_zero(mixed_store, settings):
    from lagesbild.web.pages.place_quick import quick_section

    card = quick_section(mixed_store, settings, "ostra-jarna", ["stold", "skadegorelse"])
    rows = {r["Kategori"]: r for r in _rows(card)}
    assert set(rows) == {"Stöld", "Skadegörelse"}
    stold = [v for k, v in rows["Stöld"].items() if k != "Kategori"]
    assert len(stold) == 3 and all(v == "data saknas" for v in stold), stold
    # the category with incidents keeps its counts: "<now> mot <a year earlier>"
    assert all(" mot " in v for k, v in rows["Skadegörelse"].items() if k != "Kategori")


def _rows(component) -> list[dict]:
    """The data rows of the first DataTable under ``component``."""
    stack = [component]
    while stack:
        c = stack.pop()
        if getattr(c, "data", None) is not None and c.__class__.__name__ == "DataTable":
            return c.data
        kids = getattr(c, "children", None)
        stack.extend(kids if isinstance(kids, list) else [kids] if kids is not None else [])
    raise AssertionError("no table")
