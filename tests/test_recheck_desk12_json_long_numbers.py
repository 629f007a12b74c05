"""A JSON integer of more than 4 300 digits is refused saying where it is.

Python's json refuses such an integer with a bare ValueError, and the events, GeoJSON and JSON-stat
readers said only "filen har ett tal med för många siffror" (tests/data/nasty/event_huge_int.json), not
on which line and character of a file that may be megabytes long. They now name both.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.settings import ROOT
from lagesbild.sources.events import read_events
from lagesbild.sources.jsonstat import read_jsonstat
from lagesbild.sources.places import read_places

LONG = "1" + "0" * 4400
EVENT = {"id": 1, "datetime": "2026-08-22 19:51:41 +02:00", "name": "22 augusti 17.59, Brand, Kävlinge",
         "summary": "x", "url": "/a", "type": "Brand", "location": {"name": "Skåne län", "gps": "55.99,13.59"}}


def test_the_nasty_event_file_names_line_and_character():
    path = ROOT / "tests" / "data" / "nasty" / "event_huge_int.json"
    text = path.read_text(encoding="utf-8")
    start = text.index('"id": ') + len('"id": ')  # by hand: where the digits begin, counted from 1
    line, char = text[:start].count("\n") + 1, start - text[:start].rfind("\n")
    with pytest.raises(InputError) as info:
        read_events(path)
    assert f"för många siffror (fler än 4\u00a0300), rad {line}, tecken {char}" in info.value.message()


@settings(max_examples=40, deadline=None)
@given(before=st.integers(0, 5), indent=st.integers(0, 8), spaces=st.integers(0, 3),
       key=st.sampled_from(["id", "summary", "extra"]), sign=st.booleans())
def test_any_place_of_the_long_number_is_named(tmp_path_factory, before, indent, spaces, key, sign):
    number = ("-" if sign else "") + LONG
    lines = ["["] + [" " * indent + json.dumps(EVENT) + "," for _ in range(before)]
    head = " " * indent + '{"' + key + '":' + " " * spaces
    lines.append(head + number + ', "name": "n"}')
    lines.append("]")
    path = tmp_path_factory.mktemp("lang") / "h.json"
    path.write_text("\n".join(lines), encoding="utf-8")
    line, char = before + 2, len(head) + 1  # the list's "[" is line 1; characters count from 1
    with pytest.raises(InputError) as info:
        read_events(path)
    message = info.value.message()
    assert f"för många siffror (fler än 4\u00a0300), rad {line}, tecken {char}" in message, message
    assert f"h.json, rad {line}: " in message


def test_geojson_and_jsonstat_name_the_place_too(tmp_path):
    places = tmp_path / "p.geojson"
    places.write_text('{"type": "FeatureCollection", "features": [\n {"type": "Feature", "properties": '
                      '{"Namn": "A", "Befolkning": ' + LONG + '}, "geometry": null}]}', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_places(places)
    char = len(' {"type": "Feature", "properties": {"Namn": "A", "Befolkning": ') + 1
    assert f"(rad 2, tecken {char}: ett tal har för många siffror)" in info.value.message()
    second = '"value": ['
    with pytest.raises(InputError) as info:
        read_jsonstat(('{"version": "2.0",\n' + second + LONG + "]}").encode(), "b.json")
    assert f"b.json: rad 2, tecken {len(second) + 1}: ett tal i JSON-texten har för många siffror" \
        in info.value.message()
