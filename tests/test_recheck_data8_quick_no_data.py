"""Quick periods (28 days, year to date, 12 months): a span no incident source covers has no count.

Found at the last stop: analysis/quick.py gave the counts of a span without incident data as 0 (the
days it did not cover counted as days without crime), the screen (470b8a6) said "data saknas", and the
Excel download of the same table wrote "0" and "0" in Antal A and Antal B; the command line's JSON gave
``count_a: 0``. The analysis layer now says it once: ``count_a``/``count_b`` None for a span with a
month no incident source covers for the category (``change`` too), and every consumer shows that: the
screen "data saknas", the Excel cell empty beside the verdict "kan inte bedömas: händelsedata saknas …",
the JSON null. Never a 0.

The store: one place with the police's monthly file for Stöld and Skadegörelse (2023–2025) and incidents
with coordinates for Skadegörelse only, from 1 July 2024 to 31 December 2025 (extracted 1 January 2026,
so the spans end on 31 December 2025). Hand reading of the spans:

* Stöld: no incident source at all -> every span of both years has no count.
* Skadegörelse, 28 days: 4–31 Dec 2025 against 4–31 Dec 2024, both covered -> two counts (counted below
  from the written file, by date).
* Skadegörelse, year to date and 12 months: 1 Jan–31 Dec 2025 against 1 Jan–31 Dec 2024; January–June
  2024 are not covered -> the year before has no count, this year's is the file's 2025 rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random

import pytest
from pyproj import Transformer

from lagesbild.ingest import ingest_file

NAME = "Östra Järna"
LON, LAT = 17.88, 59.27
FIRST_INCIDENT = dt.date(2024, 7, 1)


@pytest.fixture
def mixed(places_store, tmp_path):
    """(store, the incident dates written)"""
    rnd = random.Random(8)
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
    days = []
    with incidents.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"])
        day, n = FIRST_INCIDENT, 0
        while day <= dt.date(2025, 12, 31):
            for _ in range(rnd.randint(0, 3)):
                n += 1
                x, y = to_sweref.transform(LON + 0.001 + rnd.random() * 0.008, LAT + 0.001 + rnd.random() * 0.003)
                w.writerow([f"M-{n}", day.isoformat(), "12:00", "Skadegörelse", f"{x:.1f}", f"{y:.1f}"])
                days.append(day)
            day += dt.timedelta(days=1)
    ingest_file(places_store, "places", places)
    ingest_file(places_store, "crimes", crimes, source="agg", extracted_at=dt.date(2026, 1, 1))
    ingest_file(places_store, "incidents", incidents, crs="3006", source="inc", extracted_at=dt.date(2026, 1, 1))
    return places_store, days


def _between(days, start, end) -> int:
    return sum(start <= d <= end for d in days)


def test_the_analysis_gives_no_count_for_a_span_without_incident_data(mixed, settings):
    from lagesbild.analysis.meeting import quick_comparison

    store, days = mixed
    q = quick_comparison(store, settings, place="ostra-jarna", categories=["stold", "skadegorelse"])
    rows = {(r["category"], r["span"]): r for r in q.to_dict("records")}
    for span in ("28d", "ytd", "12m"):
        stold = rows["stold", span]
        assert stold["count_a"] is None and stold["count_b"] is None and stold["change"] is None, stold
    d28 = rows["skadegorelse", "28d"]
    assert d28["count_b"] == _between(days, dt.date(2025, 12, 4), dt.date(2025, 12, 31))
    assert d28["count_a"] == _between(days, dt.date(2024, 12, 4), dt.date(2024, 12, 31))
    for span in ("ytd", "12m"):  # January–June 2024 not covered: the year before has no count
        r = rows["skadegorelse", span]
        assert r["count_a"] is None and r["change"] is None and r["pct_change"] != r["pct_change"], r
        assert r["count_b"] == _between(days, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
        assert r["verdict"].startswith("kan inte bedömas: händelsedata saknas")


def test_the_excel_download_leaves_the_cell_empty_with_the_reason_never_zero(mixed, settings):
    import openpyxl

    from lagesbild.web.numbers import numbers_of, xlsx_bytes
    from lagesbild.web.pages.place_quick import quick_section
    from tests.sheets import sheet_rows
    from tests.test_web_callbacks import walk

    store, days = mixed
    section = quick_section(store, settings, "ostra-jarna", ["stold", "skadegorelse"])
    numbers = next(numbers_of(n) for n in walk(section) if getattr(n, "id", None) == "place-quick-table")
    content, _ = xlsx_bytes(numbers, store, settings)
    rows = sheet_rows(openpyxl.load_workbook(io.BytesIO(content))["Siffror"])
    stold = [r for r in rows if r["Kategori-id"] == "stold"]
    assert len(stold) == 3
    for r in stold:
        assert r["Antal A"] is None and r["Antal B"] is None, r  # was 0 and 0
        assert "saknas" in r["Bedömning"], r
    ytd = next(r for r in rows if r["Kategori-id"] == "skadegorelse" and r["Jämförelse"].startswith("Hittills i år"))
    assert ytd["Antal A"] is None and ytd["Förändring"] is None, ytd
    assert ytd["Antal B"] == _between(days, dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def test_the_screen_says_data_saknas_and_never_a_zero_for_a_missing_span(mixed, settings):
    from lagesbild.web.pages.place_quick import quick_section
    from tests.test_recheck_meet6_quick_missing import _rows

    store, days = mixed
    rows = {r["Kategori"]: r for r in _rows(quick_section(store, settings, "ostra-jarna", ["stold", "skadegorelse"]))}
    assert all(v == "data saknas" for k, v in rows["Stöld"].items() if k != "Kategori")  # guard (470b8a6)
    now = _between(days, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert now < 1000  # written without a thousands space
    # the year before: no number (it read the July–December 2024 part as the whole year's count)
    assert rows["Skadegörelse"]["Hittills i år"] == f"{now} mot – (data saknas)"


def test_the_command_lines_json_gives_null(mixed, settings, capsys):
    from lagesbild.cli import main

    code = main(["quick", "--place", "ostra-jarna", "--category", "stold", "--format", "json",
                 "--db", str(settings.db)])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3
    assert all(r["count_a"] is None and r["count_b"] is None and r["change"] is None for r in rows), rows
