"""Meeting mode: Plats' chart of counts per Sep–Aug year keeps its period labels level for a place of
six-digit counts.

Found by meet6 on a store of its own (a place with 90 000–130 000 thefts a month, four categories, the
latest year partial): the y axis's labels ("1 000 000") and the legend beside the plot left each period
a slot narrower than "2023–2024" at 20 px, so the labels were turned 30°; the bottom margin grew to
229 px and the bars stood in the top third of the panel, without their counts. The legend now goes above
the plot when the labels would otherwise be turned, as it does for more than four periods.
"""

from __future__ import annotations

import csv
import json
import random

import pytest

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from tests.e2e_support import SELENIUM_WARNINGS, SIZES, own_app, set_viewport

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

NAME = "Storstadsdelens handelsområde Kungsträdgården–Sergels torg"

JS_X_LABELS = """
// [text, turned] of the year chart's period labels: turned when the label's screen matrix rotates it.
const gd = document.querySelector('#place-trend_years .js-plotly-plot');
if (!gd || !gd.querySelector('.xtick text')) { return null; }
return Array.from(gd.querySelectorAll('.xtick text')).map(t => {
    const m = t.getScreenCTM();
    return [t.textContent, Math.abs(m.b) > 0.01 || Math.abs(m.c) > 0.01];
});
"""


@pytest.fixture(scope="module")
def big_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("meet6-big")
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite"))
    store = open_store(settings)
    rnd = random.Random(6)
    square = [[18.06, 59.33], [18.07, 59.33], [18.07, 59.335], [18.06, 59.335], [18.06, 59.33]]
    places = folder / "platser.geojson"
    places.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square]},
        "properties": {"Kod": "storstad", "Namn": NAME, "TYP": "torg", "Stadsdelsområde": "Norrmalm",
                       "Befolkning": 250000, "Ungefärlig": False, "Källa": "test"}}]}, ensure_ascii=False),
        encoding="utf-8")
    crimes = folder / "brott.csv"
    with crimes.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Område", "Brottstyp", "Månad", "Antal"])
        for y, m in [(y, m) for y in range(2022, 2027) for m in range(1, 13) if (2023, 9) <= (y, m) <= (2026, 10)]:
            for cat in ("Stöld", "Personrån", "Narkotikabrott", "Skadegörelse"):
                w.writerow([NAME, cat, f"{y}-{m:02d}",
                            rnd.randint(90000, 130000) if cat == "Stöld" else rnd.randint(2000, 9000)])
    ingest_file(store, "places", places)
    ingest_file(store, "crimes", crimes, extracted_at="2026-11-17")
    return folder, folder / "store.sqlite"


@pytest.mark.parametrize("size", list(SIZES))
def test_the_year_charts_period_labels_stand_level_with_six_digit_counts(browser, big_store, size):
    folder, db = big_store
    with own_app(browser, folder, db) as b:
        set_viewport(b.driver, *SIZES[size])
        b.open("/plats/storstad?mote=1", "#place-trend_years")
        labels = b.wait(lambda d: d.execute_script(JS_X_LABELS), "årsdiagrammet ritas inte")
        assert len(labels) == 4 and not any(turned for _, turned in labels), labels
