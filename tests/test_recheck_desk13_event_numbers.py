"""Polisen's API writes its events on one line; a refusal named an event by "rad N" all the same.

tests/data/nasty/events_one_line_duplicate_id.json is three events on one line, the third with the
first one's id: the refusal said 'rad 3, kolumn "id", värde "1": id:t finns redan på händelse 1', of a
file of one line (its "händelse 1" already said what the number is). Events of a file whose items do
not start on lines of their own are now named "händelse N" (sources.events.ItemError), also where the
store's checks find a value (ingest.common.take_result: a NUL in a name). An indented file keeps its
lines, and a file of one event its "rad 1" (both true).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings

NASTY = ROOT / "tests" / "data" / "nasty" / "events_one_line_duplicate_id.json"
BASE = {"id": 1, "datetime": "2024-05-02 19:51:41 +02:00", "name": "Brand, Solna", "summary": "x",
        "url": "/a/", "type": "Brand", "location": {"name": "Solna", "gps": "59.36,18.0"}}


@pytest.fixture()
def store(tmp_path):
    return open_store(load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite")))


def _refusal(store, path) -> str:
    before = store.dump()
    with pytest.raises(InputError) as info:
        ingest_file(store, "events", path)
    assert store.dump() == before
    return info.value.message()


def test_the_nasty_file_names_the_third_event(store):
    assert NASTY.read_text(encoding="utf-8").count("\n") == 0  # by hand: one line
    message = _refusal(store, NASTY)
    assert 'events_one_line_duplicate_id.json, händelse 3, kolumn "id", värde "1": id:t finns redan på ' \
           "händelse 1" in message
    assert "rad 3" not in message


def test_a_value_the_store_cannot_hold_is_named_by_its_event(store, tmp_path):
    path = tmp_path / "h.json"
    path.write_text(json.dumps([BASE, dict(BASE, id=2, name="a\u0000b")]), encoding="utf-8")
    assert 'h.json, händelse 2, kolumn "name"' in _refusal(store, path)


def test_an_indented_file_keeps_its_lines(store, tmp_path):
    path = tmp_path / "h.json"
    path.write_text(json.dumps([BASE, dict(BASE, id=1)], indent=2), encoding="utf-8")
    # by hand: the list's "[" on line 1, each event 12 lines long, the second from line 14
    assert 'h.json, rad 14, kolumn "id", värde "1": id:t finns redan på rad 2' in _refusal(store, path)


def test_the_cli_says_the_event(tmp_path):
    env = {**os.environ, "LAGESBILD_DB": str(tmp_path / "s.sqlite")}
    res = subprocess.run([sys.executable, "-m", "lagesbild", "ingest", "events", str(NASTY)],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert res.returncode == 2 and "händelse 3, kolumn" in res.stderr and "Traceback" not in res.stderr


@settings(max_examples=30, deadline=None)
@given(count=st.integers(2, 8), data=st.data(),
       fault=st.sampled_from(["duplicate", "gps", "nul", "no_type"]))
def test_fuzz_a_bad_event_on_one_line_is_named_by_its_number(tmp_path_factory, count, data, fault):
    bad = data.draw(st.integers(2, count))
    items = [dict(BASE, id=i) for i in range(1, count + 1)]
    items[bad - 1] = {"duplicate": dict(BASE, id=1), "gps": dict(BASE, id=bad, location={"name": "S", "gps": "x"}),
                      "nul": dict(BASE, id=bad, summary="a\u0000"), "no_type": dict(BASE, id=bad, type=None)}[fault]
    folder = tmp_path_factory.mktemp("e")
    path = folder / "h.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    store = open_store(load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite")))
    message = _refusal(store, path)
    assert f"h.json, händelse {bad}, kolumn " in message and "rad " not in message, message
