"""Polisen events saved as an indented file (data10): a refused event was named by its position in the
list as "rad N". In /work/shared/data/public/polisen-events/events.json (12 lines an event) the second
event starts on line 14, but a bad id there read 'events.json, rad 2, kolumn "id"' — line 2 of the file
is the first event's "{". The line is now the line of the file the event starts on, when every event
starts on a line of its own; the API's one-line output keeps the position (every event is on line 1).
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.sources.events import read_events

EVENT = {"id": 1, "datetime": "2026-08-22 19:51:41 +02:00", "name": "22 augusti 17.59, Brand, Kävlinge",
         "summary": "x", "url": "/a", "type": "Brand", "location": {"name": "Skåne län", "gps": "55.99,13.59"}}


def _events(n, bad=None):
    items = [dict(EVENT, id=i + 1) for i in range(n)]
    if bad is not None:
        items[bad]["id"] = "abc"
    return items


def test_a_bad_event_in_an_indented_file_is_named_by_the_line_it_starts_on(tmp_path, capsys):
    from lagesbild.cli import main

    path = tmp_path / "events.json"
    path.write_text(json.dumps(_events(3, bad=1), ensure_ascii=False, indent=2), encoding="utf-8")
    # by hand: "[" on line 1; each event is 12 lines ("{", 7 keys, location's 4 lines, "}"): 2, 14, 26
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[13] == "  {" and lines[14] == '    "id": "abc",'
    code = main(["ingest", "events", str(path), "--db", str(tmp_path / "s.sqlite"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and 'events.json, rad 14, kolumn "id", värde "abc": id ska vara ett heltal' in err, err


def test_the_apis_one_line_output_names_the_position():
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "events.json"
    path.write_text(json.dumps(_events(3, bad=2)), encoding="utf-8")
    r = read_events(path)
    assert [(e.line, e.column) for e in r.errors] == [(3, "id")] and r.table["line"].tolist() == [1, 2]


def test_a_repeated_id_names_the_line_of_the_first(tmp_path):
    path = tmp_path / "e.json"
    path.write_text(json.dumps([EVENT, EVENT], indent=1), encoding="utf-8")
    r = read_events(path)
    assert [(e.line, e.reason) for e in r.errors] == [(14, "id:t finns redan på rad 2")]  # 12 lines an event, as above


def test_the_shared_snapshot_starts_its_events_where_the_file_does():
    path = "/work/shared/data/public/polisen-events/events.json"
    with open(path, encoding="utf-8") as fh:
        starts = [n for n, text in enumerate(fh.read().splitlines(), 1) if text == "  {"]
    r = read_events(path)
    assert r.errors == [] and len(r.table) == 500 and r.table["line"].tolist() == starts


@settings(max_examples=80, deadline=None)
@given(n=st.integers(1, 6), indent=st.sampled_from([None, 0, 1, 2, 4, "\t"]), bad=st.integers(0, 5),
       crlf=st.booleans())
def test_any_layout_names_the_bad_event_where_it_starts(tmp_path_factory, n, indent, bad, crlf):
    bad %= n
    text = json.dumps(_events(n, bad=bad), indent=indent, ensure_ascii=False)
    if crlf:
        text = text.replace("\n", "\r\n")
    path = tmp_path_factory.mktemp("e") / "e.json"
    path.write_bytes(text.encode("utf-8"))
    r = read_events(path)
    if "\n" not in text:  # one line: the position
        expected = bad + 1
    else:  # the reference: the line of the bad event's own "id": "abc" less the lines before it in its object
        raw_lines = text.split("\n")
        id_line = next(i for i, t in enumerate(raw_lines, 1) if '"id": "abc"' in t)
        expected = id_line - 1
    assert [(e.line, e.column) for e in r.errors] == [(expected, "id")], text


def test_the_summary_counts_events_not_lines(tmp_path, capsys):
    """The shared snapshot holds 500 events over 6 002 lines: '500 rader inlästa' said lines."""
    from lagesbild.cli import main

    code = main(["ingest", "events", "/work/shared/data/public/polisen-events/events.json",
                 "--db", str(tmp_path / "s.sqlite"), "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("events.json: 500 händelser inlästa."), out
