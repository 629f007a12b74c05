"""Tests for lagesbild.sources.events: Polisen's public events JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError, RowError
from lagesbild.sources.events import COLUMNS, parse_event_datetime, parse_events, read_events

SAMPLE = Path(__file__).parent / "data" / "polisen_events_sample.json"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _local(text: str) -> pd.Timestamp:
    """Independent reference: stdlib parsing and zoneinfo conversion, then drop the zone."""
    date, time, offset = text.split(" ")
    aware = dt.datetime.fromisoformat(f"{date}T{time.zfill(8)}{offset}")
    return pd.Timestamp(aware.astimezone(STOCKHOLM).replace(tzinfo=None))


def _item(i: int, **changes) -> dict:
    item = {"id": i, "datetime": "2023-01-15 10:00:00 +01:00", "name": f"Händelse {i}",
            "summary": "Text", "url": f"/aktuellt/{i}/", "type": "Stöld",
            "location": {"name": "Stockholm", "gps": "59.329324,18.068581"}}
    item.update(changes)
    return item


def test_real_sample_gives_the_canonical_table():
    raw = json.loads(SAMPLE.read_text(encoding="utf-8"))
    result = read_events(SAMPLE)
    assert result.errors == []
    table = result.table
    assert list(table.columns) == COLUMNS
    assert len(table) == len(raw) == 20
    assert table["event_id"].tolist() == [e["id"] for e in raw]
    assert table["occurred_at"].tolist() == [_local(e["datetime"]) for e in raw]
    assert table["occurred_at"].dt.tz is None
    assert table["event_type"].tolist() == [e["type"] for e in raw]
    assert table["location_name"].tolist() == [e["location"]["name"] for e in raw]
    assert table["lat"].tolist() == [float(e["location"]["gps"].split(",")[0]) for e in raw]
    assert table["lon"].tolist() == [float(e["location"]["gps"].split(",")[1]) for e in raw]
    assert table[["name", "summary", "url"]].values.tolist() == [
        [e["name"], e["summary"], e["url"]] for e in raw]
    # the line each item starts on (the file is indented, an item's "{" alone at two spaces; data10)
    starts = [n for n, text in enumerate(SAMPLE.read_text(encoding="utf-8").splitlines(), 1) if text == "  {"]
    assert table["line"].tolist() == starts and len(starts) == 20
    assert table.loc[0, "occurred_at"] == pd.Timestamp("2026-08-22 19:51:41")


@pytest.mark.parametrize("text, local", [
    ("2022-10-05 7:05:09 +02:00", "2022-10-05 07:05:09"),   # one-digit hour, as in the history file
    ("2023-01-15 10:00:00 +01:00", "2023-01-15 10:00:00"),  # winter time
    ("2023-01-15 09:00:00 +00:00", "2023-01-15 10:00:00"),  # UTC -> CET
    ("2023-07-01 22:30:00 +00:00", "2023-07-02 00:30:00"),  # UTC -> CEST, across midnight
    ("2023-03-26 01:30:00 +00:00", "2023-03-26 03:30:00"),  # the spring-forward night
    ("2023-07-01 12:00:00Z", "2023-07-01 14:00:00"),
    ("2023-07-01T12:00:00+0200", "2023-07-01 12:00:00"),
    ("2023-07-01 12:00", "2023-07-01 12:00:00"),            # no offset: already local time
])
def test_datetime_is_converted_to_naive_stockholm_time(text, local):
    assert parse_event_datetime(text) == pd.Timestamp(local)


@pytest.mark.parametrize("text", ["", "igår", "2023-13-01 10:00:00 +01:00", "2023-02-30 10:00:00",
                                  "2023-01-01 25:00:00", "1066-10-14 10:00:00 +00:00"])
def test_unreadable_datetimes_give_none(text):
    assert parse_event_datetime(text) is None


def test_bad_items_give_row_errors_with_the_item_number():
    items = [
        _item(1),
        _item(2, id=None),
        _item(3, datetime="22 augusti kl 19"),
        _item(1),                                   # duplicate of item 1
        "inte ett objekt",
        _item(6, location={"name": "Stockholm", "gps": "norr om stan"}),
        _item(7, location=None, summary=None),      # no location: kept, without coordinates
        _item("8"),                                 # id as text of digits: accepted
        _item(9, id=-4),
    ]
    result = parse_events(items, file_name="events.json")
    assert result.table["event_id"].tolist() == [1, 7, 8]
    assert result.table["line"].tolist() == [1, 7, 8]
    assert pd.isna(result.table.loc[1, "lat"]) and result.table.loc[1, "summary"] is None
    got = [(e.line, e.column) for e in result.errors]
    assert got == [(2, "id"), (3, "datetime"), (4, "id"), (5, None), (6, "location.gps"), (9, "id")]
    assert all(isinstance(e, RowError) and e.file == "events.json" for e in result.errors)
    assert "händelse 1" in result.errors[2].reason
    assert result.errors[1].value == "22 augusti kl 19"


def test_file_level_problems_raise_input_error(tmp_path):
    bad = tmp_path / "events.json"
    bad.write_text('[{"id": 1,', encoding="utf-8")
    with pytest.raises(InputError, match="inte giltig JSON"):
        read_events(bad)
    bad.write_text('{"id": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="JSON-lista"):
        read_events(bad)
    with pytest.raises(InputError):
        read_events(tmp_path / "saknas.json")


def test_empty_list_gives_an_empty_typed_table():
    table = parse_events([]).table
    assert list(table.columns) == COLUMNS and table.empty
    assert str(table["occurred_at"].dtype) == "datetime64[ns]"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
field_values = {
    "id": st.integers(-5, 2**64) | st.text(max_size=12) | json_values,
    "datetime": st.sampled_from(["2023-01-15 10:00:00 +01:00", "2023-01-15 7:00:00 +01:00",
                                 "2023-02-29 10:00:00 +01:00", "9999-12-31 23:59:59 -12:00",
                                 "0001-01-01 00:00:00 +14:00"]) | st.text(max_size=30) | json_values,
    "name": json_values, "summary": json_values, "url": json_values, "type": json_values,
    "location": st.fixed_dictionaries({}, optional={"name": json_values,
                                                    "gps": st.text(max_size=25) | json_values})
    | json_values,
}
event_items = st.fixed_dictionaries({}, optional=field_values) | json_values


@settings(max_examples=100, deadline=None)
@given(st.lists(event_items, max_size=6))
def test_malformed_items_give_row_errors_and_never_crash(items):
    result = parse_events(items, file_name="x.json")
    rejected = {e.line for e in result.errors}
    assert all(isinstance(e, RowError) and e.reason for e in result.errors)
    assert rejected.isdisjoint(result.table["line"])
    assert len(rejected) + len(result.table) == len(items)
    assert result.table["event_id"].is_unique
