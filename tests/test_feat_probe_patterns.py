"""Mönster's downloads say what the page says (probe of issue #15): the repeat locations' categories are
Swedish names in the Excel file as in the table ('Tillgrepp i butik', not 'tillgrepp_butik'); the
concentration of the top cells is checked by hand against the incidents inside the place."""

from __future__ import annotations

import io
import math

import numpy as np
import openpyxl
import shapely

from lagesbild.analysis.meeting import incident_patterns
from lagesbild.core.grid import make_grid
from lagesbild.web.numbers import numbers_of, xlsx_bytes
from lagesbild.web.views.patterns import patterns_view
from tests.sheets import sheet_rows
from tests.test_web_callbacks import walk as _walk


def test_repeat_locations_download_names_the_categories_as_the_page(demo_store, demo_settings):
    page = patterns_view(demo_store, demo_settings, place="hasselby-torg", period="2022–2023")
    numbers = next(numbers_of(n) for n in _walk(page) if getattr(n, "id", None) == "pat-repeat")
    content, _ = xlsx_bytes(numbers, demo_store, demo_settings)
    rows = sheet_rows(openpyxl.load_workbook(io.BytesIO(content))["Siffror"])
    names = set(demo_store.categories()["name"])
    cats = {c for r in rows for c in str(r["Kategorier"]).split(", ")}
    assert rows and cats <= names, cats - names


def test_top_cells_hold_the_share_counted_by_hand(demo_store, demo_settings):
    res = incident_patterns(demo_store, demo_settings, place="varberg", period="2021–2022",
                            category="skadegorelse")
    geom = demo_store.places_gdf().set_index("place_id").geometry["varberg"]
    inc = demo_store.incidents(category="skadegorelse", start="2021-09-01", end="2022-08-31")
    inc = inc[shapely.contains_xy(geom, inc["x"].to_numpy(), inc["y"].to_numpy())]
    grid = make_grid(geom, cell_size=demo_settings.cell_size)
    # by hand: each incident in the first cell that holds it, counted per cell
    counts = np.zeros(len(grid))
    for x, y in zip(inc["x"], inc["y"], strict=True):
        point = shapely.Point(x, y)
        for i, cell in enumerate(grid.geometry):
            if cell.intersects(point):
                counts[i] += 1
                break
    top = np.sort(counts)[::-1]
    assert res["n"] == len(inc) and res["cells"] == len(grid)
    for share in (0.05, 0.10):
        k = max(1, math.ceil(share * len(grid)))
        assert res["concentration"][share] == top[:k].sum() / top.sum()
