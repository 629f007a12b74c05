"""A GeoJSON file that is a bare JSON list of Feature objects (what some tools and web APIs write instead
of a FeatureCollection) was refused as "filen är i ett okänt format"; it is read as the
FeatureCollection it means, and a list of anything else is refused naming its first other item."""

from __future__ import annotations

import json

import geopandas as gpd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.sources.places import read_places
from tests.test_cli import run

SDN = "tests/data/stockholm_sdn_2020/sdn_2020.shp"
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _features() -> list[dict]:
    """The city's 13 stadsdelsområden as GeoJSON features (WGS 84, as GeoJSON has it)."""
    g = gpd.read_file(SDN).to_crs(4326)
    return json.loads(g.to_json(drop_id=True))["features"]


FEATURES = _features()


def test_a_list_of_features_is_read_through_the_command_line(tmp_path):
    path = tmp_path / "omraden.json"
    path.write_text(json.dumps(FEATURES, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "x.sqlite"
    res = run("ingest", "places", path, "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    assert "13 rader inlästa" in res.stdout


def test_a_list_with_something_else_is_refused_naming_the_item(tmp_path):
    path = tmp_path / "omraden.geojson"
    path.write_text(json.dumps([FEATURES[0], FEATURES[1]["geometry"]]), encoding="utf-8")
    res = run("ingest", "places", path, "--no-progress", db=tmp_path / "x.sqlite")
    assert res.returncode == 2
    assert 'element 2 är inget GeoJSON-objekt av typen "Feature" (det har typen "Polygon")' in res.stderr
    assert "Traceback" not in res.stderr


def test_polisens_events_given_as_places_are_refused_saying_what_was_expected(tmp_path):
    try:
        read_places("tests/data/polisen_events_sample.json")
    except InputError as exc:
        assert "element 1 är inget GeoJSON-objekt" in str(exc) and "FeatureCollection" in str(exc)
    else:
        raise AssertionError("a list of police events was read as places")


@FAST
@given(picked=st.lists(st.integers(0, len(FEATURES) - 1), min_size=1, max_size=6, unique=True),
       bom=st.booleans(), indent=st.sampled_from([None, 2]))
def test_fuzz_a_list_reads_as_its_features(tmp_path_factory, picked, bom, indent):
    folder = tmp_path_factory.mktemp("g")
    items = [FEATURES[i] for i in picked]
    path = folder / "lista.geojson"
    path.write_text(("\ufeff" if bom else "") + json.dumps(items, ensure_ascii=False, indent=indent),
                    encoding="utf-8")
    result = read_places(path)
    assert result.errors == []
    assert result.table["name"].tolist() == [f["properties"]["Sdn_omarde"] for f in items]
    assert result.table["line"].tolist() == list(range(1, len(items) + 1))
