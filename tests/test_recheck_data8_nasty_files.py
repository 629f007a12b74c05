"""Nasty real-format files fed to ``lagesbild ingest`` (data8): every refusal names file, line, column,
value and reason, exit code 2.

Checked and held (kept here as tests of the refusal): Polisen events with a date that does not exist
(2026-02-30), gps out of range (91.5,200.0), id "abc", NaN, an object instead of the list, 100 000
nested brackets; Brå-shaped crime files of Boden (a kommun outside Stockholm) with a count "1e5",
"-3", "3,5", month 2024-13, an unknown area. Found: an event id of 31 digits (a whole number, larger
than the store's 64-bit id) was refused as "id ska vara ett heltal som inte är negativt" — it is
both; the reason now says it is too large.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.sources.events import parse_events

NASTY = Path(__file__).parent / "data" / "nasty"
EVENT = {"id": 1, "datetime": "2026-08-22 19:51:41 +02:00", "name": "22 augusti 17.59, Rån, Boden",
         "summary": "x", "url": "/a", "type": "Rån", "location": {"name": "Boden", "gps": "65.825,21.688"}}


def _ingest(tmp_path, capsys, kind, path):
    from lagesbild.cli import main

    code = main(["ingest", kind, str(path), "--db", str(tmp_path / "s.sqlite"), "--no-progress"])
    return code, capsys.readouterr().err


def test_an_event_id_with_a_control_character_is_refused_not_a_traceback(tmp_path, capsys):
    """``"0\\u001f"``: Python's ``\\s`` matched the unit separator, int() then raised (exit code 1)."""
    code, err = _ingest(tmp_path, capsys, "events", NASTY / "events_id_unit_separator.json")
    assert code == 2 and "Traceback" not in err
    assert 'events_id_unit_separator.json, rad 1, kolumn "id", värde "0' in err and "id ska vara ett heltal" in err, err


def test_an_event_id_too_large_for_the_store_says_so(tmp_path, capsys):
    code, err = _ingest(tmp_path, capsys, "events", NASTY / "events_huge_id.json")
    assert code == 2
    assert 'events_huge_id.json, rad 1, kolumn "id", värde "1000000000000000000000000000000": id:t är för stort' \
        in err, err


@pytest.mark.parametrize(("name", "text", "where"), [
    ("dag.json", json.dumps([dict(EVENT, datetime="2026-02-30 10:00:00 +01:00")]),
     'rad 1, kolumn "datetime", värde "2026-02-30 10:00:00 +01:00": tidpunkten kan inte läsas'),
    ("gps.json", json.dumps([dict(EVENT, location={"name": "Boden", "gps": "91.5,200.0"})]),
     'rad 1, kolumn "location.gps", värde "91.5,200.0"'),
])
def test_nasty_events_are_refused_naming_the_cell(tmp_path, capsys, name, text, where):  # guards
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, err = _ingest(tmp_path, capsys, "events", path)
    assert code == 2 and f"{name}, {where}" in err, err


@pytest.mark.parametrize(("count", "reason"), [("1e5", "kunde inte tolkas som ett tal"), ("-3", "negativt"),
                                                ("3,5", "heltal")])
def test_nasty_counts_of_a_kommun_outside_stockholm_are_refused_naming_the_cell(tmp_path, capsys, count, reason):
    path = tmp_path / "boden.csv"  # guards
    path.write_text(f"Område;Brottstyp;Månad;Antal\nBoden;Stöld;2024-01;{count}\n", encoding="utf-8")
    code, err = _ingest(tmp_path, capsys, "crimes", path)
    assert code == 2 and f'boden.csv, rad 2, kolumn "Antal", värde "{count}": ' in err and reason in err, err


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=25),
                       st.from_regex(r"\s?\d{1,25}\s?", fullmatch=True), st.booleans(), st.none()))
def test_any_event_id_is_read_or_refused_with_its_line_and_reason(value):
    res = parse_events([dict(EVENT, id=value)], file_name="f.json")
    digits = isinstance(value, str) and re.fullmatch(r"[ \t]*[0-9]+[ \t]*", value)  # ids as text
    whole = (isinstance(value, int) and not isinstance(value, bool)) or bool(digits) or (
        isinstance(value, float) and math.isfinite(value) and value.is_integer())
    if whole and 0 <= int(value) < 2**63:
        assert not res.errors and res.table["event_id"].tolist() == [int(value)]
        return
    assert len(res.errors) == 1, res.errors
    e = res.errors[0]
    assert (e.file, e.line, e.column) == ("f.json", 1, "id") and e.reason
    if whole and int(value) >= 2**63:
        assert e.reason.startswith("id:t är för stort")
