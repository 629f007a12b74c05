"""A GeoJSON place file with ``"befolkning": NaN`` in a feature's properties was refused with "en
koordinat måste vara ett ändligt tal", sending the user to look for a bad coordinate; the message now
names values as well and says how to write a missing one (null)."""

from __future__ import annotations

import pytest

from lagesbild.errors import InputError
from lagesbild.sources.geojson_text import check_geojson

FEATURE = ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"namn":"Fittja",'
           '"befolkning":%s},"geometry":{"type":"Point","coordinates":[17.86,59.24]}}]}')


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_property_value_is_not_called_a_coordinate(value):
    with pytest.raises(InputError) as err:
        check_geojson(FEATURE % value, "platser.geojson")
    message = str(err.value)
    at = (FEATURE % value).index(value) + 1  # json's 1-based column of the token, counted by hand
    assert f"rad 1, tecken {at}" in message and value in message
    assert "en koordinat måste vara" not in message
    assert "koordinater och värden måste vara ändliga tal; skriv null för ett värde som saknas)" in message


def test_null_property_is_read():
    assert '"befolkning"' in check_geojson(FEATURE % "null", "platser.geojson")
