"""desk11 re-check (a Järfälla store): the before/after tables' sentence column at 1366×768.

Found on Plats and Åtgärdsplan at 1366 px with a place whose monthly counts come from one file and its
district's from incident rows (the district then has fewer crimes than the place): "Jämfört med
omgivningen" says "kan inte bedömas: platsen har fler brott än området runt den, så antalen kommer från
olika källor och kan inte jämföras" (118 letters). The counts' windows are kept on one line, so the
browser left that column 122–130 px and the sentence ran 11 lines: every row of the table was 11 lines
tall while no other cell needed more than 3.

Measured in the rendered page (after the tables' cells are drawn): the lines each cell takes (its text's
height over its line height), the column's width, and that the table does not scroll sideways.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
from contextlib import contextmanager

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from tests.e2e_support import SELENIUM_WARNINGS, make_driver, set_viewport

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


@contextmanager
def _app(folder, db):
    """app.py on ``db`` in a process of its own (E2E_APP_PORT, else a free port), up when it answers."""
    port = int(os.environ.get("E2E_APP_PORT") or 0)
    if not port:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    env = dict(os.environ, LAGESBILD_DATA_DIR=str(folder), LAGESBILD_DB=str(db), LAGESBILD_PORT=str(port),
               LAGESBILD_HOST="127.0.0.1")
    server = subprocess.Popen([sys.executable, str(ROOT / "app.py")], env=env, cwd=str(ROOT),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"

    def up(_):
        try:
            urllib.request.urlopen(url + "/", timeout=5).close()
            return True
        except OSError:
            assert server.poll() is None, "app.py stopped"
            return False
    try:
        WebDriverWait(None, 120, poll_frequency=0.5).until(up, "app.py answered no request")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("desk11")
    db = _store(folder)
    driver = make_driver()
    try:
        set_viewport(driver, 1366, 768)
        with _app(folder, db) as url:
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
    # the old page: 122–130 px and 11 lines beside cells of at most 3
    assert width >= 200, got
    assert lines <= max(others, 3) * 2, got
    assert got["scroll"] <= got["width"] + 1, got  # and the table does not scroll sideways
