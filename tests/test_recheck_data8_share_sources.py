"""A place's share of its district where the place's months and the district's come from different sources.

Found at the last stop: core/shares.share_table computed "Andel av Skärholmen" for a place whose crimes
are geocoded incidents (counted inside its polygon) from a district whose months come from a file of
monthly counts (a Brå export): the share divided one way of counting by another. The cube knows each
place's sources per month (MonthlyCube.sources); the share is now blank there, with the Swedish reason
"olika källor för platsen och området" in the row's note and the change's verdict, and where the
place and the district are counted from the same source the share stays as it was.

The store (hand-written files):

* ``agg`` (monthly counts, Stöld, Jan 2023 – Dec 2024): Vårberg 10 a month, Skärholmen (its district)
  40 a month. Vårberg's share of Skärholmen is 10/40 = 25 % in 2023 and in 2024 (same source: kept).
* ``inc`` (incidents with coordinates, Stöld): one incident on the 15th of every month of 2023–2024 in a
  square place "Östra Järna" lying in the district Skärholmen by its attribute but far from every other
  polygon (so no other place counts them). Its counts are 12 and 12; Skärholmen's months come from
  ``agg``: no share, reason given.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math

import pytest
from pyproj import Transformer

from lagesbild.ingest import ingest_file

LON, LAT = 18.60, 59.05  # open sea south-east of Stockholm: inside none of the demo polygons


@pytest.fixture
def two_sources(places_store, tmp_path):
    square = [[LON, LAT], [LON + 0.01, LAT], [LON + 0.01, LAT + 0.005], [LON, LAT + 0.005], [LON, LAT]]
    places = tmp_path / "platser.geojson"
    places.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square]},
        "properties": {"Kod": "ostra-jarna", "Namn": "Östra Järna", "TYP": "Utsatt område",
                       "Stadsdelsområde": "Skärholmen", "Befolkning": 8700, "Ungefärlig": False, "Källa": "test"}}]},
        ensure_ascii=False), encoding="utf-8")
    crimes = tmp_path / "brott.csv"
    with crimes.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Område", "Brottstyp", "Månad", "Antal"])
        for y, m in [(y, m) for y in (2023, 2024) for m in range(1, 13)]:
            w.writerow(["Vårberg", "Stöld", f"{y}-{m:02d}", 10])
            w.writerow(["Skärholmen", "Stöld", f"{y}-{m:02d}", 40])
    incidents = tmp_path / "incidenter.csv"
    x, y = Transformer.from_crs(4326, 3006, always_xy=True).transform(LON + 0.005, LAT + 0.0025)
    with incidents.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"])
        for n, (yr, m) in enumerate([(yr, m) for yr in (2023, 2024) for m in range(1, 13)]):
            w.writerow([f"M-{n}", f"{yr}-{m:02d}-15", "12:00", "Stöld", f"{x:.1f}", f"{y:.1f}"])
    ingest_file(places_store, "places", places)
    ingest_file(places_store, "crimes", crimes, source="agg", extracted_at=dt.date(2025, 1, 10))
    ingest_file(places_store, "incidents", incidents, crs="3006", source="inc", extracted_at=dt.date(2025, 1, 10))
    return places_store


def _rows(store, place):
    from lagesbild.analysis import place_shares

    out = place_shares(store, place, ["2023", "2024"], categories=["stold"])
    return out[(out["parent_id"] == "skarholmen") & (out["category"] == "stold")].reset_index(drop=True)


def test_a_share_across_two_sources_is_blank_with_the_reason(two_sources):
    rows = _rows(two_sources, "ostra-jarna")
    assert rows["count_place"].tolist() == [12, 12] and rows["count_parent"].tolist() == [480, 480]
    assert rows["share"].isna().all(), rows["share"].tolist()  # was 12/480 = 2,5 % from two ways of counting
    assert all("olika källor för platsen och området" in n.lower() for n in rows["note"]), rows["note"].tolist()
    assert rows.loc[1, "verdict"] == "kan inte bedömas: olika källor för platsen och området"
    assert math.isnan(rows.loc[1, "p_value"]) and not rows["significant"].any()


def test_a_share_from_one_source_stays(two_sources):  # guard: the same source for place and district
    rows = _rows(two_sources, "varberg")
    assert rows["share"].tolist() == [pytest.approx(10 / 40)] * 2  # 120 of 480 each year
    assert not any("olika källor" in str(n) for n in rows["note"])


def test_the_chart_says_why_the_share_is_missing(two_sources):
    from lagesbild.figures.share import make_share_chart

    rows = _rows(two_sources, "ostra-jarna")
    fig = make_share_chart(rows, place="Östra Järna", parent_names={"skarholmen": "Skärholmen"})
    texts = json.dumps(fig, ensure_ascii=False, default=str)
    assert "olika källor för platsen och området" in texts.lower()


def test_the_excel_download_leaves_the_share_empty_with_the_reason(two_sources, settings):
    import io

    import openpyxl

    from lagesbild.web.numbers import Numbers, xlsx_bytes
    from lagesbild.web.views.place import CHART_NUMBERS
    from tests.sheets import sheet_rows

    _, title, counts, dependents = CHART_NUMBERS["shares"]
    numbers = Numbers(_rows(two_sources, "ostra-jarna"), title, place="Östra Järna", counts=counts,
                      dependents=dependents)
    content, _ = xlsx_bytes(numbers, two_sources, settings)
    rows = sheet_rows(openpyxl.load_workbook(io.BytesIO(content))["Siffror"])
    assert len(rows) == 2
    for r in rows:
        assert r["Andel"] is None, r
        assert "olika källor för platsen och området" in r["Not"].lower(), r
