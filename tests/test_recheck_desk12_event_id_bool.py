"""A Polisen event whose id is true or false is refused for what it is, not as an event without an id.

Found: ``"id": true`` was refused as 'kolumn "id", värde "true": händelsen saknar id', though the file
has an id there; it is now 'id ska vara ett heltal som inte är negativt', as for "id": -1 or "id": 1.5.
"""

from __future__ import annotations

import json

import pytest

from lagesbild.sources.events import read_events

EVENT = {"datetime": "2026-08-22 19:51:41 +02:00", "name": "22 augusti 17.59, Brand, Kävlinge",
         "summary": "x", "url": "/a", "type": "Brand", "location": {"name": "Skåne län", "gps": "55.99,13.59"}}
NOT_A_NUMBER = "id ska vara ett heltal som inte är negativt"


@pytest.mark.parametrize(("value", "shown", "reason"), [
    (True, "true", NOT_A_NUMBER), (False, "false", NOT_A_NUMBER),
    (-1, "-1", NOT_A_NUMBER),  # guard: as before
    (None, None, "händelsen saknar id"),  # guard: missing is missing
])
def test_the_reason_fits_the_value(tmp_path, value, shown, reason):
    path = tmp_path / "h.json"
    path.write_text(json.dumps([{"id": value, **EVENT}]), encoding="utf-8")
    errors = read_events(path).errors
    assert [(e.line, e.column, e.value, e.reason) for e in errors] == [(1, "id", shown, reason)], errors
