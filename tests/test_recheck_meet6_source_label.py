"""Meeting mode: the month chart's "källbyte" label, where a place's counts change source, is read from the
back of the room like the chart's other labels (at least 18 px).

Found by meet6 on a store of its own (the police's aggregated file for Sep 2022 – Nov 2026 and an
incident file from Sep 2024 for three of its categories): the label was drawn 3 px under the chart's font,
17 px in meeting mode, the only content text under 18 px on Plats at 1920×1080 and 1366×768. The
activity start labels on the same chart are 2 px under (18 px).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import subprocess
import sys

import pytest
from pyproj import Transformer

from lagesbild.settings import ROOT
from tests.e2e_support import SELENIUM_WARNINGS, SIZES, own_app, set_viewport

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

NAME = "Östra Järna-Överjärnas strandängar och Skäggetorp centrum"
LON, LAT = 17.88, 59.27

JS_SOURCE_LABELS = """
// [font size in px, text] of every annotation reading 'källbyte' on the month chart, once drawn.
const out = [];
for (const t of document.querySelectorAll('#place-trend_months .annotation-text')) {
    if (t.textContent.trim() === 'källbyte') { out.push([parseFloat(getComputedStyle(t).fontSize), t.textContent]); }
}
return out;
"""


def _cli(db, *args):
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(db), *args, "--no-progress"],
                         capture_output=True, text=True, cwd=ROOT, timeout=300,
                         env={**os.environ, "LAGESBILD_DB": str(db)})
    assert res.returncode == 0, res.stderr


@pytest.fixture(scope="module")
def switched_store(tmp_path_factory):
    """A place whose counts come from the aggregated file until Aug 2024 and from incidents after."""
    folder = tmp_path_factory.mktemp("meet6-source")
    rnd = random.Random(6)
    places = folder / "platser.geojson"
    square = [[LON, LAT], [LON + 0.01, LAT], [LON + 0.01, LAT + 0.005], [LON, LAT + 0.005], [LON, LAT]]
    places.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square]},
        "properties": {"Kod": "ostra-jarna", "Namn": NAME, "TYP": "Utsatt område", "Stadsdelsområde": "Skärholmen",
                       "Befolkning": 8700, "Ungefärlig": False, "Källa": "test"}}]}, ensure_ascii=False),
        encoding="utf-8")
    crimes = folder / "brott.csv"
    with crimes.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Område", "Brottstyp", "Månad", "Antal"])
        for y, m in [(y, m) for y in range(2022, 2027) for m in range(1, 13) if (2022, 9) <= (y, m) <= (2026, 10)]:
            for cat in ("Skadegörelse", "Narkotikabrott", "Stöld"):
                w.writerow([NAME, cat, f"{y}-{m:02d}", rnd.randint(5, 40)])
    incidents = folder / "incidenter.csv"
    to_sweref = Transformer.from_crs(4326, 3006, always_xy=True)
    with incidents.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"])
        day, n = dt.date(2024, 9, 1), 0
        while day <= dt.date(2026, 10, 31):
            for _ in range(rnd.randint(0, 3)):
                n += 1
                x, y = to_sweref.transform(LON + 0.001 + rnd.random() * 0.008, LAT + 0.001 + rnd.random() * 0.003)
                w.writerow([f"M-{n}", day.isoformat(), f"{rnd.randint(0, 23):02d}:00",
                            rnd.choice(["Skadegörelse", "Narkotika"]), f"{x:.1f}", f"{y:.1f}"])
            day += dt.timedelta(days=1)
    db = folder / "store.sqlite"
    _cli(db, "ingest", "places", str(places))
    _cli(db, "ingest", "crimes", str(crimes), "--source", "agg", "--extracted", "2026-11-01")
    _cli(db, "ingest", "incidents", str(incidents), "--crs", "3006", "--source", "inc",
         "--extracted", "2026-11-01")
    return folder, db


@pytest.mark.parametrize("size", list(SIZES))
def test_the_source_change_label_is_18_px_in_meeting_mode(browser, switched_store, size):
    folder, db = switched_store
    with own_app(browser, folder, db) as b:
        set_viewport(b.driver, *SIZES[size])
        b.open("/plats/ostra-jarna?mote=1&kat=skadegorelse&kat=narkotikabrott", "#place-trend_months")
        labels = b.wait(lambda d: d.execute_script(JS_SOURCE_LABELS), "ingen etikett 'källbyte' ritas")
        assert all(px >= 18 for px, _ in labels), labels
