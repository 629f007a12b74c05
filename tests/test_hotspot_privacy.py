"""The hot-spot question keeps the map's rule: a sensitive category (victims' privacy) is never mapped
cell by cell, and 'all categories' leaves the sensitive ones out — through the CLI too, which printed
a grid of våld i nära relation and counted it into 'alla kategorier'."""

from __future__ import annotations

import shapely

from lagesbild.analysis import base, maps
from tests.test_cli import run

PERIOD = "2022–2023"


def _inside(store, area, category):
    """Incidents of the period inside the area, counted independently of the hot-spot code."""
    geom = store.places_gdf().set_index("place_id").loc[area, "geometry"]
    inc = store.incidents(category=category, start="2022-09-01", end="2023-08-31", bbox=geom.bounds)
    return int(shapely.contains_xy(geom, inc["x"].to_numpy(), inc["y"].to_numpy()).sum())


def test_all_categories_leave_the_sensitive_out(demo_store):
    hidden = base.sensitive_categories(demo_store)
    assert hidden, "the demo store has a sensitive category"
    gdf = maps.area_hotspots(demo_store, "skarholmen", period=PERIOD)
    cats = set(demo_store.categories()["category_id"])
    each = [maps.area_hotspots(demo_store, "skarholmen", period=PERIOD, category=c).attrs["incidents"]
            for c in sorted(cats - hidden)]
    assert gdf.attrs["incidents"] == sum(each) > 0
    assert any(_inside(demo_store, "skarholmen", c) > 0 for c in hidden)  # there was something to leave out


def test_a_sensitive_category_is_refused(demo_store, demo_store_path):
    hidden = sorted(base.sensitive_categories(demo_store))[0]
    name = base.category_names(demo_store)[hidden]
    res = run("hotspots", "--area", "skarholmen", "--period", "2022-2023", "--category", hidden,
              "--format", "geojson", db=demo_store_path)
    assert res.returncode == 2 and res.stdout == ""
    assert name in res.stderr and "brottsoffren" in res.stderr and "Traceback" not in res.stderr


def test_the_text_names_place_categories_period_and_the_families_note(demo_store_path):
    out = run("hotspots", "--area", "skarholmen", "--period", "2022-2023", db=demo_store_path).stdout
    lines = out.splitlines()
    assert lines[0].startswith("Skärholmen, alla kategorier utom känsliga, 2022–2023: ")
    assert "rutor testas" in lines[-2] and lines[-1].startswith("OBS: FIKTIVA DEMODATA")  # the demo store
