"""A places file of Stockholm's 13 stadsdelsnämndsområden without a type column is recognised by name,
as a file of the stadsdelar is: the city's own layer (tests/data/stockholm_sdn_2020, its TYP column
dropped, as a GIS user exports the names and shapes only) read through the command line."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import pytest

from tests.test_cli import run

SDN = "tests/data/stockholm_sdn_2020/sdn_2020.shp"
#: the 2020 division's 13 areas (the source's SOURCES.md), slugs written by hand
AREAS = {"hasselby-vallingby": "Hässelby-Vällingby", "hagersten-alvsjo": "Hägersten-Älvsjö",
         "skarholmen": "Skärholmen", "rinkeby-kista": "Rinkeby-Kista", "spanga-tensta": "Spånga-Tensta",
         "bromma": "Bromma", "kungsholmen": "Kungsholmen", "norrmalm": "Norrmalm", "ostermalm": "Östermalm",
         "sodermalm": "Södermalm", "enskede-arsta-vantor": "Enskede-Årsta-Vantör", "skarpnack": "Skarpnäck",
         "farsta": "Farsta"}


def _places(db) -> dict:
    with sqlite3.connect(db) as con:
        rows = con.execute("select place_id, name, kind, district_id from places").fetchall()
    return {r[0]: r[1:] for r in rows}


def _file(tmp_path, upper=False, keep=None, extra=None):
    g = gpd.read_file(SDN).drop(columns=["TYP"]).to_crs(4326)
    g["Sdn_omarde"] = [n.upper() if upper else n for n in g["Sdn_omarde"]]
    if keep is not None:
        g = g[g["Sdn_omarde"].str.lower().isin([k.lower() for k in keep])]
    if extra is not None:
        g = gpd.GeoDataFrame(list(g.drop(columns="geometry").to_dict("records")) + [extra[0]],
                             geometry=list(g.geometry) + [extra[1]], crs=4326)
    path = tmp_path / "stadsdelsnamndsomraden.geojson"
    g.to_file(path, driver="GeoJSON")
    return path


@pytest.mark.parametrize("upper", [False, True])
def test_the_13_stadsdelsomraden_without_a_type_are_recognised_by_name(tmp_path, upper):
    db = tmp_path / "x.sqlite"
    res = run("ingest", "places", _file(tmp_path, upper), "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    got = {pid: row for pid, row in _places(db).items() if row[1] == "stadsdelsomrade"}
    assert {pid: name for pid, (name, *_) in got.items()} == AREAS
    assert all(district is None for _, _, district in got.values())
    assert "13 platser känns igen som Stockholms stadsdelsområden" in res.stdout
    # the namesakes among the stadsdelar are not what the file meant
    assert not any(row[1] == "stadsdel" for row in _places(db).values())


def test_a_lone_namesake_of_a_stadsdel_is_not_taken_for_the_stadsdelsomrade(tmp_path):
    """Farsta alone could be the stadsdel or the stadsdelsområde: nothing is recognised (as for the
    stadsdelar, a name both have decides nothing)."""
    db = tmp_path / "x.sqlite"
    res = run("ingest", "places", _file(tmp_path, keep=["Farsta"]), "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    assert _places(db)["farsta"][1] == "omrade"
    assert "känns igen" not in res.stdout


def test_a_file_mostly_of_other_places_is_not_recognised(tmp_path):
    """Two stadsdelsområden among a user's own areas (2 of 3 is under nine in ten): they stay what the
    file says (nothing: område)."""
    from shapely.geometry import box

    db = tmp_path / "x.sqlite"
    extra = ({"Sdn_omarde": "Mitt eget område", "KOMMUN": "STOCKHOLM"}, box(17.9, 59.3, 17.91, 59.31))
    res = run("ingest", "places", _file(tmp_path, keep=["Hässelby-Vällingby", "Bromma"], extra=extra),
              "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    assert _places(db)["hasselby-vallingby"][1] == "omrade"
    assert "känns igen" not in res.stdout
