"""Meeting mode on a wall screen (1920×1080, or a 4K TV at 200 % scaling) with data that end in the
middle of a month, as real exports do: the place's overview stays on one screen.

Found by putting a store the demo has not got (incidents up to 17 Oct) on the wall. The year chart
labelled the incomplete year "2026–2027 (t.o.m. 17 okt 2026)". The date is kept on one line (a wrap
never splits "17 okt 2026"), so the label's widest line, "17 okt 2026)", was wider than its slot beside
three other years and the label was turned by 30°: the chart's bottom margin took 227 px of a 489 px
panel, the first row of the meeting grid grew to 499 px and the grid ran 65 px past the bottom of the
screen, cutting the monthly chart and the survey. The axis label now says the day without the year the
period already gives ("2026–2027 (t.o.m. 17 okt)"), so it stands level on three lines and the four
panels fit the screen; the hover keeps the whole date.

Measured in the rendered page: the panels' boxes against the window, and the year chart's tick labels
(no turned label, each narrower than its slot, inside the chart's SVG).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.e2e_support import SELENIUM_WARNINGS, own_app, set_viewport

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

PLACE = "plats-mitt"
#: (category as the police export writes it, crimes per month)
DRAWS = [("Skadegörelse", 9), ("Narkotikabrott", 4), ("Misshandel", 4), ("Stöld ur bil", 3)]
FIRST, LAST = "2022-09-01", "2026-10-17"  # the data end on the 17th of a month
BOX = (656000, 6560000, 657000, 6561000)  # SWEREF 99 TM, in Södertälje

JS_PANELS = """
const grid = document.querySelector('.app.meeting .meeting-grid');
return [window.innerHeight, Array.from(grid.children).map(p => [p.id || p.className,
        Math.round(p.getBoundingClientRect().bottom)])];
"""
JS_YEAR_TICKS = r"""
const gd = document.querySelector('#place-trend_years .js-plotly-plot');
const svg = gd.querySelector('.main-svg').getBoundingClientRect();
const plot = gd.querySelector('.xy .bglayer rect, .draglayer .xy rect, .nsewdrag').getBoundingClientRect();
const ticks = Array.from(gd.querySelectorAll('.xtick text')).filter(t => t.textContent.trim());
return {slot: plot.width / ticks.length, svgBottom: svg.bottom,
        ticks: ticks.map(t => {
            const r = t.getBoundingClientRect();
            return [t.textContent, /rotate\((?!0[,)])/.test(t.getAttribute('transform') || ''), r.width, r.bottom, t.getAttribute('transform')];
        })};
"""


def _write_store(folder):
    import geopandas as gpd
    from shapely.geometry import box

    from lagesbild.ingest import ingest_file, open_store
    from lagesbild.settings import load_settings

    gpd.GeoDataFrame({"Kod": [PLACE], "Namn": ["Plats mitt i månaden"], "Typ": ["omrade"],
                      "Stadsdelsområde": ["Södertälje"], "Befolkning": [4000]},
                     geometry=[box(*BOX)], crs="EPSG:3006").to_file(folder / "platser.gpkg", driver="GPKG")
    rng = np.random.default_rng(14)
    months = pd.date_range(FIRST, LAST, freq="MS")
    rows = []
    for category, per_month in DRAWS:
        for month in months:
            end = min(month + pd.offsets.MonthEnd(0), pd.Timestamp(LAST))
            for _ in range(rng.poisson(per_month)):
                day = month + pd.Timedelta(days=int(rng.integers(0, end.day)))
                rows.append((day.date().isoformat(), "21:30", category,
                             round(rng.uniform(BOX[0] + 50, BOX[2] - 50), 1),
                             round(rng.uniform(BOX[1] + 50, BOX[3] - 50), 1)))
    df = pd.DataFrame(rows, columns=["Brottsdatum", "Klockslag", "Brottskategori", "E", "N"])
    df.insert(0, "Händelse-id", [f"M-{i}" for i in range(1, len(df) + 1)])
    df.to_csv(folder / "brott.csv", index=False)
    store = open_store(load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite")))
    ingest_file(store, "places", folder / "platser.gpkg")
    ingest_file(store, "incidents", folder / "brott.csv")


@pytest.fixture(scope="module")
def wall(browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("meet3-partial")
    _write_store(folder)
    with own_app(browser, folder, folder / "store.sqlite") as served:
        yield served


@pytest.mark.parametrize("scale", [1, 2], ids=["1920x1080", "4k-200pct"])
def test_the_place_overview_fits_the_wall_when_the_data_end_mid_month(wall, scale):
    set_viewport(wall.driver, 1920, 1080, scale)
    wall.open(f"/plats/{PLACE}?mote=1", "#place-comparison td")
    ticks = wall.driver.execute_script(JS_YEAR_TICKS)
    labels = [t[0] for t in ticks["ticks"]]
    assert len(labels) == 4 and "t.o.m." in labels[-1], labels  # four years, the last incomplete
    turned = [(t[0], t[4]) for t in ticks["ticks"] if t[1]]
    assert turned == [], f"vridna etiketter under årsdiagrammet: {turned}"
    wide = [(t[0], round(t[2])) for t in ticks["ticks"] if t[2] > ticks["slot"]]
    assert wide == [], f"etiketter bredare än sin plats ({ticks['slot']:.0f} px): {wide}"
    assert all(t[3] <= ticks["svgBottom"] + 1 for t in ticks["ticks"]), ticks
    height, panels = wall.driver.execute_script(JS_PANELS)
    cut = [p for p in panels if p[1] > height]
    assert len(panels) == 4 and cut == [], f"paneler under skärmens nederkant ({height} px): {cut}"
