"""Mönster as a user reads it: the top cells said as the cells really taken (1 of 4 cells is 25 % of
them, not 5 %), repeat locations by distance on a real store, and local times that do not exist.

The references are hand counts and Python's own time zone database (zoneinfo), never the code under
test.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from lagesbild.core.concentration import top_cells
from lagesbild.core.patterns import weekday_hour
from lagesbild.figures.patterns import make_weekday_hour, top_cells_text
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from tests.test_web_callbacks import text_of

NBSP = "\u00a0"
SW = (666600.0, 6575600.0)  # the place: 400 m × 400 m, four 200 m cells on land


def _exists(naive: dt.datetime, zone=ZoneInfo("Europe/Stockholm")) -> bool:
    """A wall-clock time exists when it survives a round trip through UTC (zoneinfo's own rules)."""
    back = naive.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    return back == naive


def test_top_cells_are_counted_by_hand():
    small = top_cells([18, 9, 0, 0])
    assert [(t["share"], t["cells"], t["n_cells"], t["cell_share"], t["same_as"]) for t in small] == [
        (0.05, 1, 4, 0.25, None), (0.10, 1, 4, 0.25, 0.05)]
    assert small[0]["incident_share"] == small[1]["incident_share"] == 18 / 27
    hundred = top_cells(np.arange(100))
    assert [(t["cells"], t["cell_share"], t["same_as"]) for t in hundred] == [(5, 0.05, None), (10, 0.10, None)]
    assert hundred[0]["incident_share"] == sum(range(95, 100)) / sum(range(100))
    assert [t["cells"] for t in top_cells([1] * 21)] == [2, 3]  # ceil(1.05), ceil(2.1)


def test_top_cells_text_names_the_cells_and_never_claims_five_percent_of_four():
    text = top_cells_text(top_cells([18, 9, 0, 0])).replace(NBSP, " ")
    assert text == ("Rutan med flest brott (1 av 4 rutor, 25 % av rutorna) har 67 % av brotten. 5 % och 10 % "
                    "av rutorna avrundas uppåt till hela rutor och blir här samma ruta.")
    forty = top_cells_text(top_cells([20, 10, 5, 5] + [0] * 36)).replace(NBSP, " ")
    assert forty == ("De 2 rutorna med flest brott (2 av 40 rutor, 5 % av rutorna) har 75 % av brotten; de 4 "
                     "rutorna med flest brott (4 av 40 rutor, 10 % av rutorna) har 100 % av brotten.")


def test_nonexistent_local_times_are_counted_against_zoneinfo():
    stamps = ["2023-03-26 01:59", "2023-03-26 02:00", "2023-03-26 02:30", "2023-03-26 03:00",
              "2023-10-29 02:30", "2024-03-31 02:59", "2024-06-01 02:30", None]
    times = pd.to_datetime(pd.Series(stamps))
    expected = sum(not _exists(t.to_pydatetime()) for t in times.dropna())
    assert expected == 3  # 26 Mar 2023 02:00 and 02:30, 31 Mar 2024 02:59
    wh = weekday_hour(pd.DataFrame({"occurred_at": times}))
    assert wh.attrs["nonexistent"] == expected and wh.attrs["total"] == 7
    subtitle = make_weekday_hour(wh, place="X").layout.title.subtitle.text
    assert "3 brott har en tid som inte finns i svensk tid" in subtitle


@pytest.fixture(scope="module")
def small_place(tmp_path_factory):
    """A place of four cells: 18 crimes in its south-west cell, 9 in its north-east one; two of them
    1 m apart across x = 666 710 (a line of the old 10 m lattice); one at 02:30 on 26 March 2023."""
    folder = tmp_path_factory.mktemp("monster")
    x0, y0 = SW
    places = {"type": "FeatureCollection",
              "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
              "features": [{"type": "Feature",
                            "properties": {"place_id": "pm", "namn": "Provplats Mönster", "typ": "omrade"},
                            "geometry": {"type": "Polygon", "coordinates": [[
                                [x0, y0], [x0 + 400, y0], [x0 + 400, y0 + 400], [x0, y0 + 400], [x0, y0]]]}}]}
    (folder / "places.geojson").write_text(json.dumps(places), encoding="utf-8")
    rows = [(666709.5, 6575651.0, "2023-02-01 12:00"), (666710.5, 6575651.0, "2023-02-02 12:00")]
    rows += [(x0 + 20 + 8 * i, y0 + 30 + 7 * i, f"2022-{9 + i % 4:02d}-15 12:00") for i in range(16)]
    rows += [(x0 + 230 + 15 * i, y0 + 250 + 12 * i, "2023-05-10 14:00") for i in range(8)]
    rows += [(x0 + 380.0, y0 + 390.0, "2023-03-26 02:30")]
    lines = ["Händelse-id,Brottsdatum,Klockslag,Brottskategori,E,N"]
    lines += [f"I-{i},{t},,Skadegörelse,{x:.1f},{y:.1f}" for i, (x, y, t) in enumerate(rows)]
    (folder / "inc.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite"))
    store = open_store(cfg)
    ingest_file(store, "places", folder / "places.geojson")
    ingest_file(store, "incidents", folder / "inc.csv", crs="3006", extracted_at="2023-09-05")
    return store, cfg


def test_the_page_says_one_of_four_cells_repeats_by_distance_and_the_missing_hour(small_place):
    from lagesbild.analysis.meeting import incident_patterns
    from lagesbild.web.views.patterns import patterns_view

    store, cfg = small_place
    res = incident_patterns(store, cfg, place="pm", period="2022–2023")
    assert res["n"] == 27 and res["cells"] == 4
    assert [(t["cells"], t["incident_share"]) for t in res["top_cells"]] == [(1, 18 / 27), (1, 18 / 27)]
    assert res["repeat"][["x", "y", "n"]].to_dict("records") == [{"x": 666709.5, "y": 6575651.0, "n": 2}]
    assert res["weekday_hour"].attrs["nonexistent"] == 1
    text = text_of(patterns_view(store, cfg, place="pm", period="2022–2023")).replace(NBSP, " ")
    assert "Rutan med flest brott (1 av 4 rutor, 25 % av rutorna) har 67 % av brotten." in text
    assert "blir här samma ruta" in text
    assert "Andel i 5 %" not in text and re.search(r"(?<!\d)5 % av rutorna", text.replace("5 % och 10 %", "")) is None
    assert "högst 10 m från det (mittbrottet)" in text  # the definition of a repeat location
    assert "Obs: 1 brott har en tid som inte finns i svensk tid" in text


def test_the_cli_says_the_same(small_place):
    import subprocess
    import sys

    _store, cfg = small_place
    out = subprocess.run([sys.executable, "-m", "lagesbild", "--db", cfg.db, "patterns", "--place", "pm",
                          "--period", "2022–2023"], capture_output=True, text=True, timeout=300, check=True)
    lines = out.stdout.replace(NBSP, " ").splitlines()
    assert "Rutan med flest brott (1 av 4 rutor, 25 % av rutorna) har 67 % av brotten. 5 % och 10 % av rutorna " \
           "avrundas uppåt till hela rutor och blir här samma ruta." in lines
    assert "Upprepade lägen (brott inom 10 m från ett av dem): 1 med minst två brott (7 % av brotten)" in lines
    assert any(x.startswith("Obs: 1 brott har en tid som inte finns i svensk tid") for x in lines)
