"""GeoJSON places files as real tools write them, refused with where and why, the store untouched.

Three files the readers had not seen (fixtures in tests/fixtures/fuzz3):

* ``1e400`` as a coordinate is valid JSON, but beyond a float: Python's json read it as infinity and GDAL
  refused the file "rad 1, tecken 70: ogiltig JSON", pointing at the place name, not at the number;
* a key given twice in one feature's properties (``"typ": "torg", "typ": "stadsdel"``) was read as the
  last one without a word (the events reader refuses it);
* a ``crs`` naming an EPSG code PROJ does not know (``EPSG:30066``, a typo for 3006;
  ``urn:ogc:def:crs:EPSG::99999``) was taken by GDAL as WGS 84: a file in WGS 84 was accepted under a
  coordinate system it does not name, and one in SWEREF 99 TM was refused "som filen anger" WGS 84.
"""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.sources.geojson_text import check_geojson
from tests.cli_ingest import ingest_in_copy

FIXTURES = ROOT / "tests" / "fixtures" / "fuzz3"
PLACES = ROOT / "geodata" / "places.geojson"


@pytest.fixture(scope="module")
def base_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz3")
    store = open_store(load_settings({}, data_dir=str(folder), db=str(folder / "base.sqlite")))
    ingest_file(store, "places", PLACES)  # a real file: its sibling features repeat every key
    store.engine.dispose()
    return folder / "base.sqlite"


def _store(base_store, tmp_path):
    db = tmp_path / "s.sqlite"
    shutil.copy(base_store, db)
    return open_store(load_settings({}, data_dir=str(tmp_path), db=str(db)))


def _where(text: str, needle: str) -> tuple[int, int]:
    """Line and character (1-based) of ``needle`` in ``text``, counted by hand."""
    at = text.index(needle)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _refusal(base_store, tmp_path, name: str) -> str:
    store = _store(base_store, tmp_path)
    before = store.dump()
    places_before = len(store.places())
    with pytest.raises(InputError) as info:
        ingest_file(store, "places", FIXTURES / name)
    assert store.dump() == before and len(store.places()) == places_before
    message = info.value.message()
    assert "Traceback" not in message and "Error" not in message
    return message


def test_a_number_beyond_a_float_is_named_where_it_is(base_store, tmp_path):
    name = "places_number_1e400.geojson"
    line, char = _where((FIXTURES / name).read_text(encoding="utf-8"), "1e400")
    message = _refusal(base_store, tmp_path, name)
    assert f"{name}: filen kunde inte läsas som GeoJSON (rad {line}, tecken {char}: talet 1e400 är för " \
           "stort; koordinater och värden måste vara ändliga tal; skriv null för ett värde som saknas)" in message


def test_a_key_given_twice_in_one_object_is_refused_with_line_column_and_value(base_store, tmp_path):
    name = "places_duplicate_key.geojson"
    text = (FIXTURES / name).read_text(encoding="utf-8")
    line, char = _where(text, '"typ": "stadsdel"')
    assert (line, char) == (44, 5)  # the first feature's "typ" (line 8) is another object's
    message = _refusal(base_store, tmp_path, name)
    reason = 'nyckeln "typ" finns två gånger i samma objekt; bara en av dem skulle läsas'
    assert f"{name}, rad 44, kolumn \"typ\", värde \"stadsdel\": {reason} (tecken 5)" in message


@pytest.mark.parametrize("name, shown", [("places_crs_epsg_typo.geojson", "EPSG:30066"),
                                         ("places_crs_unknown_urn.geojson", "urn:ogc:def:crs:EPSG::99999")])
def test_a_crs_naming_an_unknown_code_is_refused_as_unknown(base_store, tmp_path, name, shown):
    message = _refusal(base_store, tmp_path, name)
    assert f'GeoJSON-filens "crs" namnger ett okänt koordinatsystem ("{shown}")' in message
    assert "som filen anger" not in message


def test_known_codes_in_every_written_form_still_load(base_store, tmp_path):
    """Guard: the same square under the crs forms GDAL reads, each stored at the same place."""
    ring = [[671000, 6574000], [671500, 6574000], [671500, 6574500], [671000, 6574500], [671000, 6574000]]
    areas = []
    for i, crs in enumerate(["EPSG:3006", "urn:ogc:def:crs:EPSG::3006",
                             "http://www.opengis.net/def/crs/EPSG/0/3006"]):
        doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": crs}},
               "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                             "properties": {"namn": "Fyrkanten", "typ": "torg",
                                            "stadsdelsområde": "Skärholmen"}}]}
        path = tmp_path / f"p{i}.geojson"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        (tmp_path / str(i)).mkdir()
        store = _store(base_store, tmp_path / str(i))
        assert ingest_file(store, "places", path).status == "ok"
        areas.append(store.places().set_index("name").loc["Fyrkanten", "wkt_3006"])
    assert areas[0] == areas[1] == areas[2] and "671000 6574000" in areas[0]


KEYS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(keys=st.lists(KEYS, min_size=1, max_size=5, unique=True), pick=st.integers(0, 4),
       value=st.one_of(st.text(max_size=20), st.integers(-5, 5), st.none()), indent=st.sampled_from([None, 1, 2]))
def test_any_key_given_twice_is_refused_naming_it(keys, pick, value, indent):
    """Property: a key written twice in one feature's properties, whatever the key (quotes, backslashes,
    any letter), is refused naming the key and the value written second, at its line."""
    key = keys[pick % len(keys)]
    props = {k: i for i, k in enumerate(keys)}
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": None},
        {"type": "Feature", "properties": props, "geometry": None}]}
    text = json.dumps(doc, ensure_ascii=False, indent=indent)
    # the duplicate goes at the end of the second feature's properties: its place is known by construction
    written = json.dumps(key, ensure_ascii=False) + ": " + json.dumps(value, ensure_ascii=False)
    last = json.dumps(keys[-1], ensure_ascii=False) + ": " + str(len(keys) - 1)
    at = text.rindex(last) + len(last)
    text = text[:at] + ", " + written + text[at:]
    expected_line = text.count("\n", 0, at) + 1
    with pytest.raises(InputError) as info:
        check_geojson(text, "p.geojson")
    (error,) = info.value.errors
    assert error.column == key and error.line == expected_line
    shown = value if isinstance(value, str) else json.dumps(value)
    assert error.value == (shown if len(shown) <= 80 else shown[:80] + "…")


def test_cli_exit_code_2_message_first_store_unchanged(base_store, tmp_path):
    res, before, after = ingest_in_copy(base_store, tmp_path, "places", FIXTURES / "places_crs_epsg_typo.geojson")
    assert res.returncode == 2, res.stderr
    assert res.stderr.startswith('Fel: places_crs_epsg_typo.geojson: GeoJSON-filens "crs" namnger ett okänt '
                                 'koordinatsystem ("EPSG:30066")'), res.stderr
    assert "Traceback" not in res.stderr
    assert after == before
