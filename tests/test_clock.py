"""One clock in Swedish time, whatever the server's time zone (a container often runs in UTC)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

from lagesbild.settings import ROOT

# Kiritimati is UTC+14 and Etc/GMT+12 is UTC-12: at every moment their dates differ by one or two days
FAR_APART = ("Pacific/Kiritimati", "Etc/GMT+12")

PROBE = """
import datetime as dt, json
from lagesbild import clock
from lagesbild.sources.crimes import _last_start
from lagesbild.store import Store, notes, schema as t
store = Store("sqlite://")
with store.transaction() as w:
    w.conn.execute(t.places.insert().values(place_id="p", name="Plats", kind="torg", wkt_3006="POINT (0 0)",
        wkt_4326="POINT (0 0)", minx=0, miny=0, maxx=0, maxy=0, source="", ingest_id=1))
notes.add_note(store, "p", clock.today(), "Anna", "x")
print(json.dumps({"clock": clock.today().isoformat(), "machine": dt.date.today().isoformat(),
                  "last_start": str(_last_start(None)[0].date()),
                  "note": str(notes.list_notes(store)["created_at"].iloc[0])}))
"""


def _in_zone(zone: str) -> dict:
    env = {**os.environ, "TZ": zone, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                         check=True, timeout=120).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_today_is_the_swedish_date_in_any_server_time_zone():
    sweden = dt.datetime.now(ZoneInfo("Europe/Stockholm")).date()
    runs = [_in_zone(zone) for zone in FAR_APART]
    if dt.datetime.now(ZoneInfo("Europe/Stockholm")).date() != sweden:  # midnight in Sweden passed
        sweden, runs = dt.datetime.now(ZoneInfo("Europe/Stockholm")).date(), [_in_zone(z) for z in FAR_APART]
    assert runs[0]["machine"] != runs[1]["machine"]  # the machine's own date depends on its zone
    for run in runs:  # lagesbild's does not: the day a note is written, the last day data may cover
        assert run["clock"] == run["last_start"] == sweden.isoformat(), run
        assert sweden.isoformat() in run["note"], run
