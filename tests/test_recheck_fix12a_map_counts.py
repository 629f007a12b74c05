"""Karta's two counts of crimes: the area's ("Brott i området") and the hot spot grid's.

desk11's re-check (Järfälla norra, Skadegörelse, 2026–2027) read "För få brott (26)" on the map beside
the tile "Brott i området: 27". Both were right about different things: the tile counts the crimes
inside the area's polygon, the grid leaves out cells less than half inside the area (on land), and the
one crime in such an edge cell with them. The map now says which number is which: the grid's count
"i kartans rutor" beside the area's, and the tile how many of its crimes the grid holds.

The area here is the square 640 000–641 250 × 6 560 000–6 561 200 (SWEREF 99 TM, all land). The grid
of 200 m cells, anchored at the origin, has 6 × 6 whole cells inside it and a seventh column of cells
641 200–641 400 of which only 50 m lie in the area: a share of 50 · 200 / (200 · 200) = 0.25 < 0.5, so
that column is left out. 20 crimes lie in whole cells and one at E 641 230 (inside the area, in the
left-out column): 21 in the area, 20 in the grid (counted by hand).
"""

from __future__ import annotations

import json

import pandas as pd

from lagesbild.analysis.maps import map_layers
from lagesbild.figures.maplayers import too_few
from lagesbild.ingest import ingest_file
from lagesbild.web.views.map import map_view

AREA = "ronna"
EDGE = (641230.0, 6560500.0)  # inside the area, in a cell only a quarter inside it


def _places(store, tmp_path, x1, y1):
    ring = [[640000, 6560000], [x1, 6560000], [x1, y1], [640000, y1], [640000, 6560000]]
    places = tmp_path / "omraden.geojson"
    places.write_text(json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:3006"}},
        "features": [{"type": "Feature", "properties": {"id": AREA, "namn": "Rönna", "typ": "omrade"},
                      "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), encoding="utf-8")
    assert ingest_file(store, "places", places).status == "ok"


def _incidents(store, tmp_path, rows):
    incidents = tmp_path / "brott.csv"
    pd.DataFrame(rows, columns=["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"]) \
        .to_csv(incidents, index=False)
    assert ingest_file(store, "incidents", incidents, crs=3006, extracted_at="2027-01-01").status == "ok"
    return store


def _store(store, tmp_path, *, edge_crimes: int, before_edge: int = 0):
    _places(store, tmp_path, 641250, 6561200)
    rows = []
    for year, edge in (("2025", before_edge), ("2026", edge_crimes)):
        # 20 crimes a year in whole cells: centres of cells (i, i) and (i, 5 - i), i = 0..4, twice
        for i in range(20):
            x = 640100.0 + 200 * (i % 5)
            y = 6560100.0 + 200 * ((i % 5) if i < 10 else 5 - i % 5)
            rows.append((f"w{year}{i}", f"{year}-{1 + i % 8:02d}-10", "12:00", "Skadegörelse", x, y))
        rows += [(f"e{year}{i}", f"{year}-03-1{i}", "12:00", "Skadegörelse", *EDGE) for i in range(edge)]
    return _incidents(store, tmp_path, rows)


def _layers(store, settings, mode="gi"):
    return map_layers(store, settings, area=AREA, category="skadegorelse", period="2026",
                      period2="2025", mode=mode)


def _tile_detail(store, settings) -> str:
    view = map_view(store, settings, area=AREA, category="skadegorelse", period="2026")
    tiles = view[1]
    first = tiles.children[0]
    assert first.children[0].children == "Brott i området"
    return first.children[1].children, first.children[2].children


def test_the_area_and_the_grid_each_say_their_own_count(store, settings, tmp_path):
    _store(store, tmp_path, edge_crimes=1)
    res = _layers(store, settings)
    assert res["incidents"] == 21 and res["in_cells"] == 20
    assert res["cells"]["count"].sum() == 20
    assert too_few(res["cells"]) == ("För få brott (20 i kartans rutor, 21 i området) för en meningsfull "
                                     "hot spot-analys")
    value, detail = _tile_detail(store, settings)
    assert value == "21"
    assert detail == ("under perioden, med koordinater; 20 av dem i kartans rutor (rutor som till mindre "
                      "än hälften ligger i området på land räknas inte)")


def test_in_change_mode_each_period_has_both_counts(store, settings, tmp_path):
    _store(store, tmp_path, edge_crimes=1, before_edge=2)  # 2025: 22 in the area, 20 in the grid
    res = _layers(store, settings, mode="change")
    assert res["incidents"] == 21 and res["in_cells"] == 20
    assert too_few(res["cells"], "change") == (
        "För få brott (20 och 20 i kartans rutor, 22 och 21 i området) för en meningsfull hot spot-analys")


def test_when_the_grid_holds_every_crime_the_texts_are_as_before(store, settings, tmp_path):
    # a guard: no crime in a left-out cell, one number, said once
    _store(store, tmp_path, edge_crimes=0)
    res = _layers(store, settings)
    assert res["incidents"] == 20 and res["in_cells"] == 20
    assert too_few(res["cells"]) == "För få brott (20) för en meningsfull hot spot-analys"
    assert _tile_detail(store, settings) == ("20", "under perioden, med koordinater")


def test_a_place_smaller_than_half_a_cell_says_why_its_crimes_are_not_drawn(store, settings, tmp_path):
    # 100 m x 100 m: a quarter of the 200 m cell 640 000-640 200 x 6 560 000-6 560 200, so no cell of
    # the grid is half inside it; 12 crimes are too few for the finer grid (30 needed). The map said
    # "det finns inga händelser med koordinater för urvalet" beside the tile's 12.
    _places(store, tmp_path, 640100, 6560100)
    _incidents(store, tmp_path, [(f"s{i}", f"2026-0{1 + i % 9}-10", "12:00", "Skadegörelse",
                                  640010.0 + 7 * i, 6560050.0) for i in range(12)])
    res = _layers(store, settings)
    assert res["incidents"] == 12 and res["in_cells"] == 0
    view = map_view(store, settings, area=AREA, category="skadegorelse", period="2026")
    drawn = str(view[0])  # the map's card: the figure's texts in it
    assert ("ingen av kartans rutor om 200 m ligger till minst hälften i området, så dess 12 brott "
            "kan inte visas per ruta; välj ett större område") in drawn
    assert "inga händelser med koordinater" not in drawn
