"""lay12 re-check: the before/after tables' sentence column at 1366×768 in normal mode.

desk11 found it on Plats and Åtgärdsplan with a place whose monthly counts come from one file and its
district's from incident rows: "Jämfört med omgivningen" says "kan inte bedömas: platsen har fler brott än
området runt den, så antalen kommer från olika källor och kan inte jämföras" (118 letters). The verdict
column asks for 24 % of the table (components.TABLE_STYLE), the counts' windows are kept on one line, so
the browser left the sentence 122–130 px and it ran 11 lines: every row 11 lines tall while no other cell
needed more than 3. A minimum width of 210 px (d66c909, reverted) ran Åtgärdsplan's table past its card
with long place names (tests/test_meeting_layouts.py); shares of the table's width do not raise its
narrowest width, so these tables keep fitting where they fit before.

Measured in the rendered page (after the tables' cells are drawn): the lines each cell takes (its text's
height over its line height), the column's width, and that the table does not scroll sideways.
"""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from tests.e2e_support import SELENIUM_WARNINGS, app_process, make_driver, set_viewport

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

COLUMN = "Jämfört med omgivningen"
#: per table: for each column [width, the most lines a cell of it takes]; the table's scroll and client width
JS = """
const box = document.getElementById(arguments[0]);
if (!box || !box.querySelector('td')) return null;
const cols = {};
box.querySelectorAll('td').forEach(td => {
  const inner = td.querySelector('div') || td;
  const lh = parseFloat(getComputedStyle(inner).lineHeight);
  const lines = Math.round(inner.getBoundingClientRect().height / lh);
  const c = td.dataset.dashColumn, w = td.getBoundingClientRect().width;
  cols[c] = [w, Math.max(lines, (cols[c] || [0, 0])[1])];
});
const sheet = box.querySelector('.dash-spreadsheet-container') || box;
return {cols: cols, scroll: sheet.scrollWidth, width: sheet.clientWidth};
"""


def _square(x0, y0, side):
    return [[[x0, y0], [x0 + side, y0], [x0 + side, y0 + side], [x0, y0 + side], [x0, y0]]]


def _store(folder):
    """A district with a place in it: the place's monthly counts from a file, the district's from a few
    incidents outside the place (fictitious), and an activity at the place from 1 Sep 2025."""
    feats = [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": _square(660000, 6590000, 4000)},
         "properties": {"place_id": "norra", "namn": "Järfälla norra", "typ": "stadsdelsomrade",
                        "befolkning": 54870}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": _square(661000, 6591000, 1000)},
         "properties": {"place_id": "skalby", "namn": "Skälby", "typ": "omrade",
                        "stadsdelsomrade": "Järfälla norra", "befolkning": 6441}}]
    (folder / "platser.geojson").write_text(json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
        "features": feats}), encoding="utf-8")
    months = [f"{2023 + (8 + i) // 12}-{(8 + i) % 12 + 1:02d}" for i in range(36)]  # sep 2023 – aug 2026
    rows = [f"Skälby;{cat};{m};{12 + (i * 7 + k * 3) % 9 + (10 if cat == 'Misshandel' and i >= 24 else 0)}"
            for k, cat in enumerate(("Misshandel", "Skadegörelse")) for i, m in enumerate(months)]
    (folder / "brott.csv").write_text("# FIKTIVA\nPlats;Brottskategori;Månad;Antal\n" + "\n".join(rows) + "\n",
                                      encoding="utf-8")
    inc = [f"K{n};{m}-1{n % 9};18:00;{cat};663500;6593500"
           for n, (m, cat) in enumerate((m, c) for m in months for c in ("Misshandel", "Skadegörelse"))]
    (folder / "incidenter.csv").write_text("Id;Datum;Tid;Brottskategori;X;Y\n" + "\n".join(inc) + "\n",
                                           encoding="utf-8")
    (folder / "plan.yaml").write_text(
        "aktiviteter:\n- id: fritid\n  aktivitet: Förstärkt fritidsgård Skälby\n"
        "  prioriterat_omrade: Unga i risk för kriminalitet\n  plats: [Skälby]\n"
        "  löptid: 2025-09-01 – 2026-12-31\n", encoding="utf-8")
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite"))
    store = open_store(settings)
    for kind, name in (("places", "platser.geojson"), ("incidents", "incidenter.csv"),
                       ("crimes", "brott.csv"), ("activities", "plan.yaml")):
        ingest_file(store, kind, folder / name)
    return folder / "store.sqlite"


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lay12")
    db = _store(folder)
    driver = make_driver()
    try:
        set_viewport(driver, 1366, 768)
        with app_process(folder, db) as url:
            out = {}
            for path, table in (("/plats/skalby", "place-effects"), ("/atgardsplan", "plan-effects")):
                driver.get(url + path)
                out[table] = WebDriverWait(driver, 120, poll_frequency=0.25).until(
                    lambda d, t=table: d.execute_script(JS, t), f"{table} drawn")
            yield out
    finally:
        driver.quit()


@pytest.mark.parametrize("table", ["place-effects", "plan-effects"])
def test_the_sentence_column_is_not_squeezed_at_1366(pages, table):
    got = pages[table]
    width, lines = got["cols"][COLUMN]
    others = max(n for c, (_, n) in got["cols"].items() if c != COLUMN)
    # the old page: 122–130 px and 11 lines beside cells of at most 3. 190 px hold about 24 letters a
    # line of the 14 px font: 118 letters in 5–6 lines
    assert width >= 190, got
    assert lines <= max(others, 3) * 2, got
    assert got["scroll"] <= got["width"] + 1, got  # and the table does not scroll sideways
