"""Polisen event ids written as JSON text (data10).

Found: an id given as text of 19 or more digits was refused as "id ska vara ett heltal som inte är
negativt" (it is both) — the reader took text ids of 1–18 digits only. "12345678901234567890" (20 digits,
above 2**63 − 1 = 9 223 372 036 854 775 807) is now "id:t är för stort", as the same id written as a JSON
number already was; "9223372036854775807" (19 digits, the largest id the store holds) is read.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.sources.events import parse_events

EVENT = {"id": 1, "datetime": "2026-08-22 19:51:41 +02:00", "name": "22 augusti 17.59, Brand, Kävlinge",
         "summary": "x", "url": "/a", "type": "Brand", "location": {"name": "Skåne län", "gps": "55.99,13.59"}}
TOO_LARGE = "id:t är för stort (högst 9\u00a0223\u00a0372\u00a0036\u00a0854\u00a0775\u00a0807)"


def _ingest(tmp_path, capsys, text):
    from lagesbild.cli import main

    path = tmp_path / "handelser.json"
    path.write_text(text, encoding="utf-8")
    code = main(["ingest", "events", str(path), "--db", str(tmp_path / "s.sqlite"), "--no-progress"])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("written", ['"12345678901234567890"', "12345678901234567890",
                                     '"9223372036854775808"', '" 99999999999999999999999 "',
                                     '"' + "7" * 5000 + '"'])
def test_a_too_large_id_as_text_or_number_is_refused_as_too_large(tmp_path, capsys, written):
    text = json.dumps([EVENT]).replace('"id": 1', f'"id": {written}')
    code, err = _ingest(tmp_path, capsys, text)
    assert code == 2 and "Traceback" not in err
    shown = json.loads(written) if written.startswith('"') else written
    shown = shown if len(shown) <= 80 else shown[:79] + "…"
    assert f'handelser.json, rad 1, kolumn "id", värde "{shown}": {TOO_LARGE}' in err, err


@pytest.mark.parametrize(("text", "value"), [("9223372036854775807", 2**63 - 1),  # 2**63 − 1, by hand
                                             ("1234567890123456789", 1234567890123456789),
                                             ("0000000000000000000000042", 42)])
def test_a_19_digit_id_as_text_that_fits_is_read(text, value):
    res = parse_events([dict(EVENT, id=text)], file_name="f.json")
    assert not res.errors and res.table["event_id"].tolist() == [value]


def test_an_id_past_a_floats_range_is_too_large_not_a_non_integer():
    res = parse_events([dict(EVENT, id=float("inf"))], file_name="f.json")
    assert [e.reason for e in res.errors] == [TOO_LARGE]


@settings(max_examples=300, deadline=None)
@given(digits=st.from_regex(r"[0-9]{1,40}", fullmatch=True), left=st.sampled_from(["", " ", "\t"]),
       right=st.sampled_from(["", " ", "\t "]))
def test_any_digit_text_is_read_exactly_or_too_large(digits, left, right):
    res = parse_events([dict(EVENT, id=left + digits + right)], file_name="f.json")
    value = int(digits)  # Python's own reading of the digits is the reference
    if value < 2**63:
        assert not res.errors and res.table["event_id"].tolist() == [value]
    else:
        assert [(e.line, e.column, e.reason) for e in res.errors] == [(1, "id", TOO_LARGE)]
