"""A places file that gives known places a new shape keeps what the store knows and the file does not say.
The command line runs as users run it (a subprocess)."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
from shapely.geometry import box

from lagesbild.sources.geography import builtin_places
from lagesbild.sources.places import places_from_frame
from tests.test_cli import run

CRIMES = ("Plats;Brottskategori;Månad;Antal\n"
          "Hässelby gård;Narkotika;2023-01;5\nHässelby-Vällingby;Narkotika;2023-01;50\n"
          "Vårberg;Narkotika;2023-01;7\n")


def _city_file(tmp_path, districts=("hasselby-vallingby", "skarholmen")):
    """Stockholm's stadsdelar as the city's own file has them: upper-case names, no other property."""
    g = builtin_places()
    g = g[(g["kind"] == "stadsdel") & g["district_id"].isin(districts)].to_crs(4326)
    names = [n.removesuffix(" (stadsdel)").upper() for n in g["name"]]
    path = tmp_path / "stadsdelar_utan_vatten.geo.json"
    gpd.GeoDataFrame({"name": names}, geometry=list(g.geometry), crs=4326).to_file(path, driver="GeoJSON")
    return path


def _places(db) -> dict:
    with sqlite3.connect(db) as con:
        rows = con.execute("select place_id, name, kind, district_id, wkt_3006 from places").fetchall()
    return {r[0]: r[1:] for r in rows}


def _crimes_then(tmp_path, places_file):
    db = tmp_path / "s.sqlite"
    crimes = tmp_path / "c.csv"
    crimes.write_text(CRIMES, encoding="utf-8")
    assert run("ingest", "crimes", crimes, "--no-progress", db=db).returncode == 0
    before = _places(db)
    res = run("ingest", "places", places_file, "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    return db, before, res.stdout


def test_the_citys_stadsdelar_file_keeps_the_builtin_stadsdelar_and_districts(tmp_path):
    db, before, out = _crimes_then(tmp_path, _city_file(tmp_path))
    assert before["hasselby-gard"][:3] == ("Hässelby gård", "stadsdel", "hasselby-vallingby")
    after = _places(db)
    assert after["hasselby-gard"][:3] == ("Hässelby gård", "stadsdel", "hasselby-vallingby")
    assert after["varberg"][:3] == ("Vårberg", "stadsdel", "skarholmen")
    # SKÄRHOLMEN is the stadsdel: the stadsdelsområde Skärholmen keeps its kind and its shape
    assert after["skarholmen"] == before["skarholmen"]
    assert after["skarholmen-stadsdel"][:3] == ("Skärholmen (stadsdel)", "stadsdel", "skarholmen")
    assert not any(name.isupper() for name, *_ in after.values())
    assert "känns igen som Stockholms stadsdelar" in out
    # the comparisons with the district still have the district
    from lagesbild.analysis import base
    from lagesbild.store import Store

    store = Store(f"sqlite:///{db}")
    assert base.parent_ids(store, base.place(store, "hasselby-gard")) == ["hasselby-vallingby"]


def test_a_new_shape_for_a_stored_place_keeps_kind_district_and_name_the_file_does_not_give(tmp_path):
    shape = builtin_places().set_index("place_id").loc["hasselby-gard", "geometry"].buffer(50)
    path = tmp_path / "p.geojson"
    gpd.GeoDataFrame({"id": ["hasselby-gard", "varberg"], "namn": ["HÄSSELBY GÅRD", "Vårbergs centrum"],
                      "typ": [None, "centrum"]},
                     geometry=[shape, box(663000, 6568000, 663500, 6568500)], crs=3006).to_file(path)
    db, _, out = _crimes_then(tmp_path, path)
    after = _places(db)
    assert after["hasselby-gard"][:3] == ("Hässelby gård", "stadsdel", "hasselby-vallingby")
    # what the file says wins: a name of its own, a kind; the district it does not give is kept
    assert after["varberg"][:3] == ("Vårbergs centrum", "centrum", "skarholmen")
    assert "2 platser som redan fanns fick ny form men behöll" in out


def test_kind_stadsdel_and_the_column_kategori_are_read():
    gdf = gpd.GeoDataFrame({"Namn": ["Vårberg"], "Kategori": ["Stadsdel"]},
                           geometry=[box(663000, 6568000, 664000, 6569000)], crs=3006)
    result = places_from_frame(gdf)
    assert result.errors == []
    assert result.table["kind"].tolist() == ["stadsdel"]
    assert result.meta["unstated"][1] >= {"place_id", "district_id", "population"}
