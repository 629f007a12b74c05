"""Polisen events whose text fields hold JSON numbers (data12).

Found: Python's JSON reader takes NaN, Infinity and -Infinity (not JSON, but what Python's json.dumps
writes for a missing value), and the events reader stored ``"name": NaN`` as the event name "nan",
``"summary": Infinity`` as "inf", ``"location.name": NaN`` as the area "nan", ``"url": 1.50`` as "1.5",
and ``"type": 1e400`` (past a float's range) was dropped as empty: exit 0 each. A float in a text field
is refused now naming file, line, key and the value as written; exit 2 through the CLI, store unchanged.

Held (guards): ``"type": 12`` is the text "12" (an integer reads back as written); ``"name": true`` was
and is refused; ``"id": NaN`` was and is refused quoting "NaN".
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.cli import main
from lagesbild.sources.events import read_events

EVENT = {"id": 1, "datetime": "2026-08-22 19:51:41 +02:00", "name": "22 augusti 17.59, Brand, Kävlinge",
         "summary": "Brand i förråd.", "url": "/aktuellt/handelser/2026/augusti/22/brand-kavlinge/",
         "type": "Brand", "location": {"name": "Skåne län", "gps": "55.990257,13.595769"}}


def _file(tmp_path, key: str, raw: str):
    """One event (line 1) whose ``key`` (``location.name`` inside location) holds the JSON text ``raw``."""
    text = json.dumps([EVENT], ensure_ascii=False)
    inner = key.split(".")[-1]
    old = f'"{inner}": ' + json.dumps((EVENT["location"] if "." in key else EVENT)[inner], ensure_ascii=False)
    assert old in text
    path = tmp_path / "handelser.json"
    path.write_text(text.replace(old, f'"{inner}": {raw}'), encoding="utf-8")
    return path


@pytest.mark.parametrize(("key", "raw"), [("name", "NaN"), ("summary", "Infinity"), ("type", "-Infinity"),
                                          ("type", "1e400"), ("url", "1.50"), ("location.name", "NaN"),
                                          ("name", "1e2")])
def test_a_float_in_a_text_field_is_refused_with_the_value_as_written(tmp_path, key, raw):
    result = read_events(_file(tmp_path, key, raw))
    assert result.table.empty, result.table.to_dict("records")
    assert [e.message() for e in result.errors] == [
        f'handelser.json, rad 1, kolumn "{key}", värde "{raw}": förväntade text; skriv texten inom citattecken']


def test_an_integer_in_a_text_field_is_that_text(tmp_path):
    result = read_events(_file(tmp_path, "type", "12"))
    assert result.errors == [] and result.table["event_type"].tolist() == ["12"]


def test_nan_as_the_id_is_refused_quoting_it(tmp_path):
    result = read_events(_file(tmp_path, "id", "NaN"))
    assert [e.message() for e in result.errors] == [
        'handelser.json, rad 1, kolumn "id", värde "NaN": id ska vara ett heltal som inte är negativt']


def _status(db, capsys) -> dict:
    capsys.readouterr()
    assert main(["status", "--db", str(db), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_cli_refuses_a_nan_name_with_exit_2_and_the_store_is_unchanged(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    assert main(["ingest", "events", "tests/data/polisen_events_sample.json", "--db", str(db),
                 "--no-progress"]) == 0
    before = _status(db, capsys)
    path = _file(tmp_path, "name", "NaN")
    capsys.readouterr()
    code = main(["ingest", "events", str(path), "--db", str(db), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err, err
    assert 'handelser.json, rad 1, kolumn "name", värde "NaN"' in err, err
    assert _status(db, capsys) == before


NUMBERS = st.one_of(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-0.0", "1.50", "2E3"]),
                    st.floats(allow_nan=False, allow_infinity=False).map(repr),
                    st.integers(-10**20, 10**20).map(str))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(["name", "summary", "type", "url", "location.name"]), raw=NUMBERS)
def test_fuzz_a_number_in_a_text_field_is_kept_as_written_or_refused(tmp_path, key, raw):
    result = read_events(_file(tmp_path, key, raw))
    if result.errors:
        assert result.table.empty
        assert [e.message() for e in result.errors] == [
            f'handelser.json, rad 1, kolumn "{key}", värde "{raw}": förväntade text; skriv texten inom '
            "citattecken"]
        return
    column = {"location.name": "location_name", "type": "event_type"}.get(key, key)
    assert result.table[column].tolist() == [raw]  # an integer: the text as written
