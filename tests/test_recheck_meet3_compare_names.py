"""Jämför platser in meeting mode on a laptop at 125 % zoom (1366×768: 1093 CSS px) and a 1024×768
projector: the places' names under their bars stand apart.

Found with four places of Södertälje, one named "Östra Järna-Överjärnas strandängar vid Mörkö färjeläge
och Näsets båthamn". The names were broken into lines of 20 characters whatever the room
(side_by_side.NAME_LINE): beside a legend, four places leave a slot of about 150 px of the 900 px
meeting chart, and "Södertälje centrum" (190 px at the meeting's 20 px) ran into "Mörkö färjeläge
och" of its neighbour. The names are now broken to the slot the plot leaves them (after hyphens too).

Measured in the rendered page: every x tick label's box against its neighbours' and the chart's SVG.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.e2e_support import SELENIUM_WARNINGS, own_app, set_viewport

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

#: (id, name, box in SWEREF 99 TM, population)
PLACES = [("p1", "Brunnsäng", (650000, 6560000, 651000, 6561000), 2400),
          ("p2", "Västergård", (652000, 6560000, 653000, 6561000), 2100),
          ("p3", "Södertälje centrum", (654000, 6560000, 655000, 6561000), 3300),
          ("p4", "Östra Järna-Överjärnas strandängar vid Mörkö färjeläge och Näsets båthamn",
           (656000, 6560000, 657000, 6561000), 1500)]
CATEGORIES = [("Skadegörelse", 6), ("Narkotikabrott", 3), ("Misshandel", 3), ("Stöld ur bil", 2)]

JS_NAMES = """
const gd = document.querySelector('#cmp-chart .js-plotly-plot');
const svg = gd.querySelector('.main-svg').getBoundingClientRect();
return [[svg.left, svg.right, svg.bottom], Array.from(gd.querySelectorAll('.xtick text'))
    .filter(t => t.textContent.trim()).map(t => {
        const r = t.getBoundingClientRect();
        return [t.textContent, r.left, r.right, r.bottom];
    }).sort((a, b) => a[1] - b[1])];
"""


def _write_store(folder):
    import geopandas as gpd
    from shapely.geometry import box

    from lagesbild.ingest import ingest_file, open_store
    from lagesbild.settings import load_settings

    gpd.GeoDataFrame({"Kod": [p[0] for p in PLACES], "Namn": [p[1] for p in PLACES],
                      "Typ": ["omrade"] * len(PLACES), "Stadsdelsområde": ["Södertälje"] * len(PLACES),
                      "Befolkning": [p[3] for p in PLACES]},
                     geometry=[box(*p[2]) for p in PLACES], crs="EPSG:3006").to_file(
        folder / "platser.gpkg", driver="GPKG")
    rng = np.random.default_rng(3)
    rows = []
    for _, _, (x0, y0, x1, y1), _ in PLACES:
        for category, per_month in CATEGORIES:
            for month in pd.date_range("2023-09-01", "2025-08-01", freq="MS"):
                for _ in range(rng.poisson(per_month)):
                    day = month + pd.Timedelta(days=int(rng.integers(0, 28)))
                    rows.append((day.date().isoformat(), "18:00", category,
                                 round(rng.uniform(x0 + 50, x1 - 50), 1), round(rng.uniform(y0 + 50, y1 - 50), 1)))
    df = pd.DataFrame(rows, columns=["Brottsdatum", "Klockslag", "Brottskategori", "E", "N"])
    df.insert(0, "Händelse-id", [f"C-{i}" for i in range(1, len(df) + 1)])
    df.to_csv(folder / "brott.csv", index=False)
    store = open_store(load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite")))
    ingest_file(store, "places", folder / "platser.gpkg")
    ingest_file(store, "incidents", folder / "brott.csv")


@pytest.fixture(scope="module")
def compare_app(browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("meet3-compare")
    _write_store(folder)
    with own_app(browser, folder, folder / "store.sqlite") as served:
        yield served


@pytest.mark.parametrize("size", [(1093, 614, 1.25), (1024, 768, 1), (1920, 1080, 1)],
                         ids=["1366-zoom125", "1024x768", "1920x1080"])
def test_place_names_under_the_bars_stand_apart_in_meeting_mode(compare_app, size):
    set_viewport(compare_app.driver, *size)
    query = "&".join(f"plats={p[0]}" for p in PLACES)
    compare_app.open(f"/jamfor?{query}&mote=1", "#cmp-chart .xtick text")
    (left, right, bottom), names = compare_app.driver.execute_script(JS_NAMES)
    assert len(names) == 4, names
    touching = [(a[0], b[0], round(a[2] - b[1], 1)) for a, b in zip(names, names[1:], strict=False) if a[2] > b[1] - 2]
    assert touching == [], f"namn som går in i varandra (px över): {touching}"
    outside = [n[0] for n in names if n[1] < left - 1 or n[2] > right + 1 or n[3] > bottom + 1]
    assert outside == [], f"namn utanför diagrammet: {outside}"
