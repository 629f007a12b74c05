"""Tests for lagesbild.sources.places: GeoJSON / GeoPackage / Shapefile in any CRS -> EPSG:3006."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.affinity
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import Point, Polygon, box

from lagesbild.errors import InputError
from lagesbild.sources.places import places_from_frame, read_places
from lagesbild.sources.textkeys import slugify

DATA = Path(__file__).parent / "data"
GEOJSON = DATA / "places_4326.geojson"
INVALID = DATA / "places_invalid_3006.geojson"

EXPECTED = pd.DataFrame({
    "place_id": ["skarholmen", "varberg", "hasselby-torg", "alvsjo-solberga"],
    "name": ["Skärholmen", "Vårberg", "Hässelby torg", "Älvsjö/Solberga"],
    "kind": ["stadsdelsomrade", "utsatt_omrade", "torg", "utsatt_omrade"],
    # "Skärholmen" is written as a name and resolved to the id of the district in the same file
    "district_id": [None, "skarholmen", "hasselby-vallingby", "hagersten-alvsjo"],
    "population": pd.array([38000, 10500, None, 12345], dtype="Int64"),
    "approximate": [False, True, True, True],
    "source": ["test"] * 4,
    "line": [1, 2, 3, 4],
})


def _attributes(table: gpd.GeoDataFrame) -> pd.DataFrame:
    return pd.DataFrame(table.drop(columns="geometry")).reset_index(drop=True)


def _expected_rings_3006() -> list[np.ndarray]:
    """The GeoJSON's coordinates transformed by pyproj directly, one array of (x, y) per ring."""
    to_3006 = Transformer.from_crs(4326, 3006, always_xy=True)
    rings = []
    for feature in json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]:
        geom = feature["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for polygon in polygons:
            lon, lat = np.array([c[:2] for c in polygon[0]]).T
            ring = Polygon(np.column_stack(to_3006.transform(lon, lat)))
            rings.append(shapely.get_coordinates(shapely.normalize(ring).exterior))
    return rings


def _rings(table: gpd.GeoDataFrame) -> list[np.ndarray]:
    """Exterior rings of every polygon part, in shapely's normal form (Shapefiles reverse rings)."""
    parts = shapely.normalize(shapely.get_parts(table.geometry.values))
    return [shapely.get_coordinates(p.exterior) for p in parts]


def test_geojson_in_wgs84_becomes_the_canonical_table_in_sweref99tm():
    result = read_places(GEOJSON)
    assert result.errors == []
    assert result.table.crs.to_epsg() == 3006
    assert list(result.table.columns) == [*EXPECTED.columns[:-1], "geometry", "line"]
    pd.testing.assert_frame_equal(_attributes(result.table), EXPECTED, check_dtype=False)
    assert result.table["population"].dtype == "Int64"
    assert not result.table.geometry.has_z.any()  # Hässelby torg was a Polygon Z
    assert list(result.table.geom_type) == ["Polygon", "Polygon", "Polygon", "MultiPolygon"]
    for got, want in zip(_rings(result.table), _expected_rings_3006(), strict=True):
        np.testing.assert_allclose(got, want, atol=1e-6)


@pytest.mark.parametrize("suffix", [".gpkg", ".shp"])
def test_geopackage_and_shapefile_in_sweref99_1800_give_the_same_places(tmp_path, suffix):
    path = tmp_path / f"platser{suffix}"
    _write(gpd.read_file(GEOJSON).to_crs(3011), path)
    result = read_places(path)
    assert result.errors == []
    assert result.table.crs.to_epsg() == 3006
    pd.testing.assert_frame_equal(_attributes(result.table), EXPECTED, check_dtype=False)
    for got, want in zip(_rings(result.table), _expected_rings_3006(), strict=True):
        np.testing.assert_allclose(got, want, atol=1e-3)


def _write(gdf: gpd.GeoDataFrame, path: Path) -> None:
    with warnings.catch_warnings():  # GDAL warns that Shapefile field names get cut to 10 bytes
        warnings.simplefilter("ignore")
        gdf.to_file(path)


def _shoelace(points) -> float:
    x, y = np.array(points, dtype=float).T
    return abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2


def test_invalid_geometries_are_repaired_when_safe_and_rejected_otherwise():
    result = read_places(INVALID)
    assert result.table.crs.to_epsg() == 3006  # the file states EPSG:3006 in its crs member
    assert list(result.table["place_id"]) == ["repaired", "valid"]
    assert list(result.table["line"]) == [1, 5]
    # the ring (0,0) (1000,0) (1000,1000) (0,990) (10,1000) crosses itself where (1000,1000)-(0,990)
    # meets (10,1000)-(0,0): y = 990 + x/100 and x = y/100 give y = 990 / (1 - 1e-4)
    cy = 990 / (1 - 1e-4)
    cross = (cy / 100, cy)
    main = [(0, 0), (1000, 0), (1000, 1000), cross]
    lobe = [cross, (0, 990), (10, 1000)]
    repaired = result.table.geometry.iloc[0]
    assert repaired.is_valid
    assert repaired.area == pytest.approx(_shoelace(main) + _shoelace(lobe), rel=1e-9)
    assert any("Lagad" in note and "korsar sig själv vid N" in note for note in result.notes)

    by_line = {e.line: e for e in result.errors}
    assert sorted(by_line) == [2, 3, 4, 6]
    # the symmetric bow-tie: GEOS's reason in Swedish, its point in whole metres
    assert by_line[2].value == "polygonen korsar sig själv vid N 6\u00a0575\u00a0500, E 670\u00a0500 (SWEREF 99 TM)"
    assert "inte kan lagas säkert" in by_line[2].reason
    assert by_line[3].value == "LineString"
    assert "tom" in by_line[4].reason
    assert by_line[6].value == "valid" and "objekt 5" in by_line[6].reason
    assert all(e.file == INVALID.name for e in result.errors)


def test_repair_within_one_percent_is_accepted_but_not_above(tmp_path):
    # a square with a notch cut by a spike back over itself: the lobe is `w` wide
    def spiky(w):
        return Polygon([(0, 0), (1000, 0), (1000, 1000), (0, 1000 - w), (w, 1000), (0, 0)])
    small, large = spiky(10), spiky(150)
    gdf = gpd.GeoDataFrame({"namn": ["Liten", "Stor"]},
                           geometry=[shapely.affinity.translate(g, 670000, 6575000) for g in (small, large)],
                           crs=3006)
    result = places_from_frame(gdf, file_name="x.gpkg")
    change = [abs(shapely.make_valid(g).area - g.area) / g.area for g in (small, large)]
    assert change[0] < 0.01 <= change[1]  # independent check that the cases straddle the limit
    assert list(result.table["name"]) == ["Liten"]
    assert [e.line for e in result.errors] == [2]


def test_file_without_crs_asks_for_it_and_accepts_the_crs_parameter(tmp_path):
    path = tmp_path / "utan_crs.shp"
    _write(gpd.read_file(GEOJSON).to_crs(3011), path)
    path.with_suffix(".prj").unlink()
    with pytest.raises(InputError, match="--crs"):
        read_places(path)
    result = read_places(path, crs="EPSG:3011")
    for got, want in zip(_rings(result.table), _expected_rings_3006(), strict=True):
        np.testing.assert_allclose(got, want, atol=1e-3)


def test_geojson_with_projected_coordinates_and_no_crs_member_needs_crs(tmp_path):
    features = [{"type": "Feature", "properties": {"namn": "Sätra"},
                 "geometry": shapely.geometry.mapping(box(664000, 6569000, 665000, 6570000))}]
    path = tmp_path / "satra.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(InputError, match="--crs"):
        read_places(path)
    result = read_places(path, crs=3006)
    assert result.table.geometry.iloc[0].equals(box(664000, 6569000, 665000, 6570000))


def test_file_crs_wins_over_crs_parameter_with_a_note():
    result = read_places(GEOJSON, crs="EPSG:3011")
    assert result.errors == []
    assert any("EPSG:4326" in note for note in result.notes)


def test_bad_properties_give_row_errors_with_the_feature_number():
    geoms = [box(670000 + i * 100, 6575000, 670050 + i * 100, 6575050) for i in range(5)]
    gdf = gpd.GeoDataFrame({
        "NAMN": ["A", "B", "C", None, "E"],
        "typ": ["torg", "marknad", "torg", "torg", "torg"],
        "invånare": ["1 200", "5", "-3", "7", "8"],
        "ungefärlig": ["ja", "nej", "ja", "ja", "kanske"],
    }, geometry=geoms, crs=3006)
    result = places_from_frame(gdf, file_name="p.gpkg")
    assert list(result.table["place_id"]) == ["a"]
    assert result.table["population"].tolist() == [1200]
    errors = {(e.line, e.column): e for e in result.errors}
    assert set(errors) == {(2, "typ"), (3, "invånare"), (4, None), (5, "ungefärlig")}
    assert errors[(2, "typ")].value == "marknad"


def test_point_outside_sweden_and_non_polygons(tmp_path):
    gdf = gpd.GeoDataFrame({"namn": ["Punkt", "Långt bort"]},
                           geometry=[Point(670000, 6575000), box(0, 0, 10, 10)], crs=3006)
    result = places_from_frame(gdf)
    assert result.table.empty
    assert [e.value for e in result.errors] == ["Point", None]
    assert "utanför Sverige" in result.errors[1].reason


def test_unreadable_and_missing_files_raise_input_error(tmp_path):
    bad = tmp_path / "trasig.geojson"
    bad.write_text("{ inte json")
    with pytest.raises(InputError, match="kunde inte läsas"):
        read_places(bad)
    with pytest.raises(InputError, match="finns inte"):
        read_places(tmp_path / "saknas.gpkg")


@pytest.mark.parametrize("text, slug", [
    ("Hässelby torg", "hasselby-torg"),
    ("Älvsjö/Solberga", "alvsjo-solberga"),
    ("Skärholmen centrum", "skarholmen-centrum"),
    ("  Vällingby  Centrum!  ", "vallingby-centrum"),
    ("Hägersten-Älvsjö", "hagersten-alvsjo"),
])
def test_slugify_examples(text, slug):
    assert slugify(text) == slug


@given(st.text())
def test_slugify_always_gives_an_ascii_slug(text):
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slugify(text))


def test_the_citys_stadsdelsnamnd_shapefile_is_read_as_published():
    """Stockholm stad's 2020 layer of the 13 stadsdelsnämndsområden, unchanged: the name is in
    ``Sdn_omarde`` (it was refused: "filen har ingen egenskap med platsens namn"), the kind in ``TYP``
    ("Stadsdelsnämndsområde - gyB"), EPSG:3011 and measured 3D polygons. Areas against the source's
    own figures."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = read_places(DATA / "stockholm_sdn_2020" / "sdn_2020.shp")
    # GDAL's English warning of measured geometry is a Swedish note instead
    assert [str(w.message) for w in caught] == []
    assert "sdn_2020.shp: geometrin har mätvärden (M), som inte används; polygonerna läses som vanligt" \
        in result.notes
    assert result.errors == []
    assert result.table.crs.to_epsg() == 3006
    places = result.table.set_index("place_id")
    assert len(places) == 13 and set(places["kind"]) == {"stadsdelsomrade"}
    assert {"hagersten-alvsjo", "skarholmen", "hasselby-vallingby", "enskede-arsta-vantor"} <= set(places.index)
    assert places.loc["hagersten-alvsjo", "name"] == "Hägersten-Älvsjö"
    km2 = places.geometry.area / 1e6
    assert km2["hasselby-vallingby"] == pytest.approx(25.1, abs=0.05)
    assert km2["hagersten-alvsjo"] == pytest.approx(24.2, abs=0.05)
    assert km2["skarholmen"] == pytest.approx(10.2, abs=0.05)
