"""A place polygon whose corners lie on one line is refused, also when the file is in longitude/latitude.

tests/data/nasty/places_collinear_lonlat.geojson is a "polygon" of three corners on the parallel
59.26 (WGS 84): it has no area. The places reader checked polygons only after projecting them to
SWEREF 99 TM, where a parallel is a curve: the three corners came apart into a triangle 7.4 km long and
about 300 m high, which was stored as the place "Linjetorget" (exit 0). Polygons are now checked, and
repaired, as the file writes them as well.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.sources.places import read_places

NASTY = ROOT / "tests" / "data" / "nasty"


def _shoelace(ring) -> float:
    """Twice the signed area of a closed ring, by hand (the reference, not shapely)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))


def _write(path, ring, name="Linjetorget"):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"Namn": name, "TYP": "torg"},
        "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), encoding="utf-8")
    return path


def test_the_nasty_file_has_no_area_and_is_refused_with_the_store_kept(tmp_path):
    ring = json.loads((NASTY / "places_collinear_lonlat.geojson").read_text())["features"][0][
        "geometry"]["coordinates"][0]
    assert _shoelace(ring) == 0  # every corner on latitude 59.26
    store = open_store(load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite")))
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    before = store.dump()
    with pytest.raises(InputError) as info:
        ingest_file(store, "places", NASTY / "places_collinear_lonlat.geojson")
    message = info.value.message()
    assert ('places_collinear_lonlat.geojson, rad 1, kolumn "geometry", värde "polygonen korsar sig själv '
            "vid N ") in message, message
    assert "(SWEREF 99 TM)\": ogiltig geometri som inte kan lagas säkert (lagningen ger ingen polygon)" \
        in message, message
    assert store.dump() == before


# corners on one line, written exactly in binary (multiples of 1/256 degree), so the line is exact
_steps = st.lists(st.integers(0, 64), min_size=3, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=_steps, slope=st.sampled_from([0, 1, -1, 2, -2, 0.5]), lon=st.integers(0, 64),
       lat=st.integers(0, 64), vertical=st.booleans())
def test_any_ring_on_one_line_in_longitude_latitude_is_no_place(tmp_path, steps, slope, lon, lat, vertical):
    x0, y0 = 16.0 + lon / 256, 58.5 + lat / 256
    if vertical:
        corners = [[x0, y0 + i / 256] for i in steps]
    else:
        corners = [[x0 + i / 256, y0 + slope * i / 256] for i in steps]
    ring = [*corners, corners[0]]
    assert _shoelace(ring) == 0
    result = read_places(_write(tmp_path / "linje.geojson", ring))
    assert len(result.table) == 0, result.table
    assert [e.column for e in result.errors] == ["geometry"] or "ring" in str(result.errors), result.errors


def test_guard_a_true_triangle_in_longitude_latitude_is_still_a_place(tmp_path):
    ring = [[17.87, 59.26], [17.95, 59.26], [17.91, 59.29], [17.87, 59.26]]
    assert _shoelace(ring) != 0
    result = read_places(_write(tmp_path / "triangel.geojson", ring, "Triangeltorget"))
    assert result.errors == [] and result.table["place_id"].tolist() == ["triangeltorget"]
