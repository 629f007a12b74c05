"""sources.places' project() (the repaired polygons of a file not in SWEREF 99 TM) built a new pyproj
Transformer for every polygon it projected; one is now kept per (from, to) pair of coordinate systems
(places.transformer), and the projected points are those of a Transformer built anew.
"""

from __future__ import annotations

import json

import pyproj
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.sources import places


def _spikes(path, n):
    """n polygons in WGS 84, each with a spike up and back down one line (a ring touching itself, which
    the reader repairs: as tests/data/nasty/places_spike_lonlat.geojson), 0.1 degree apart."""
    features = []
    for i in range(n):
        x = 17.87 + 0.1 * i
        ring = [[x, 59.26], [x + 0.08, 59.26], [x + 0.08, 59.29], [x + 0.04, 59.29], [x + 0.04, 59.40],
                [x + 0.04, 59.29], [x, 59.29], [x, 59.26]]
        features.append({"type": "Feature", "properties": {"Namn": f"Spets {i}", "TYP": "torg"},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def test_one_transformer_for_the_repaired_polygons_of_two_reads(tmp_path, monkeypatch):
    made = []
    real = pyproj.Transformer.from_crs

    def counted(*args, **kwargs):
        made.append((str(args[0]), str(args[1])))
        return real(*args, **kwargs)

    monkeypatch.setattr(pyproj.Transformer, "from_crs", counted)
    if hasattr(places, "transformer"):
        places.transformer.cache_clear()
    path = _spikes(tmp_path / "spetsar.geojson", 4)
    for _ in range(2):
        result = places.read_places(path)
        assert result.errors == [] and len(result.table) == 4
    assert len(made) <= 1, made  # the old code: 8, one per repaired polygon and read


@settings(max_examples=30, deadline=None)
@given(lon=st.floats(11.0, 24.0), lat=st.floats(55.0, 69.0))
def test_the_kept_transformer_projects_as_a_new_one(lon, lat):
    kept = places.transformer(pyproj.CRS(4326), "EPSG:3006")
    fresh = pyproj.Transformer.from_crs(pyproj.CRS(4326), "EPSG:3006", always_xy=True)
    assert kept.transform(lon, lat) == fresh.transform(lon, lat)
    assert kept is places.transformer(pyproj.CRS(4326), "EPSG:3006")
