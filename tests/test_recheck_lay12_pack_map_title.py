"""lay12 re-check: the meeting pack's map names its period and its two counts as Karta does.

The pack's map (export.charts.map_chart: PDF, Word, chart export) said "Skälby · 2026–2027" over six weeks
of crimes where Karta says "2026–2027 (t.o.m. 13 nov 2026)" (figures.format.shown_period), and "För få
brott (22)" where Karta says "22 i kartans rutor, 32 i området": the grid leaves out cells less than half
in the map's area, and their crimes with them.

Reference: the demo store's own rows, counted here by hand with shapely: the incidents of the categories
the map shows (every one not marked sensitive) in the period, inside the map's area (the district grown
by the pack's 150 m, analysis.pack.MAP_BUFFER_DEFAULT); the last incident's day.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import shapely

from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from tests.e2e_support import copy_sqlite

PLACE = "spanga-tensta"  # a district with few crimes with coordinates, some in cells mostly outside it
PERIODS = ["2021–2022", "2022-09-01–2023-09-30"]  # the later runs a month past the demo's data


@pytest.fixture(scope="module")
def demo(demo_store_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lay12-pack-map")
    copy_sqlite(demo_store_path, folder / "demo.sqlite")
    settings = load_settings({}, db=str(folder / "demo.sqlite"), data_dir=str(folder))
    return settings, open_store(settings)


def _by_hand(store):
    """(crimes in the map's area in the later period, the last incident's day)."""
    cats = store.categories()
    shown = list(cats.loc[~cats["sensitive"].astype(bool), "category_id"])
    inc = store.incidents()
    day = pd.to_datetime(inc["occurred_at"]).dt.date
    last = max(day)
    keep = inc[inc["category"].isin(shown) & (day >= dt.date(2022, 9, 1)) & (day <= dt.date(2023, 9, 30))]
    places = store.places_gdf()
    area = places.loc[places["place_id"] == PLACE, "geometry"].iloc[0].buffer(150.0)
    return int(shapely.intersects_xy(area, keep["x"].to_numpy(), keep["y"].to_numpy()).sum()), last


def test_the_pack_map_says_how_far_the_period_goes_and_both_counts(demo):
    from lagesbild.export.charts import map_chart
    from lagesbild.export.data import ExportData, parse_periods

    settings, store = demo
    in_area, last = _by_hand(store)
    assert last == dt.date(2023, 8, 31)  # the demo's data end: the later period is not over
    data = ExportData(store, settings)
    chart = map_chart(data, data.place(PLACE), parse_periods(PERIODS))
    text = chart.fig.to_json()
    # the title's period, as Karta (and every other chart) names a period past the data
    assert "2022-09-01\\u20132023-09-30 (t.o.m. 31 aug 2023)" in text
    # the too-few box: the grid's crimes (the cells the chart's table lists) beside the area's
    in_grid = int(chart.data["Antal anmälda brott"].sum())
    assert 0 < in_grid < in_area, (in_grid, in_area)
    boxes = [a.text for a in chart.fig.layout.annotations if a.text and "För få brott" in a.text]
    # the map's area is the district and 150 m around it, not Plats' district: it is named so, and a note
    # says how far the map reaches (its counts are not the place's own)
    assert boxes and f"För få brott ({in_grid} i kartans rutor, {in_area} i kartans område)" in boxes[0], boxes
    assert ("Kartan visar Spånga-Tensta och 150 m runt platsen; dess antal gäller hela kartans område."
            in chart.notes), chart.notes
