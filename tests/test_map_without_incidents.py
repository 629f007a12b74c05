"""Karta without incident-level crimes says what to read in, and that Polisen's events do not count.

The map's message ended "läs in polisens händelser under Data": a user who did just that (Data offers
"Polisens händelser (JSON)", polisen.se's public events) got the same message again, since those events
carry a municipality's or county's centre, never the crime's place, and are never mapped. The message
now names the Data page's choice for a crime export with coordinates, and says so when events are what
was read in.
"""

from __future__ import annotations

import json

from lagesbild.analysis.maps import map_layers
from lagesbild.ingest import ingest_file
from lagesbild.settings import ROOT, load_settings
from lagesbild.store import Store

DATA = ROOT / "tests" / "data"
DATA_PAGE_CHOICE = "Anmälda brott, händelser med koordinater"  # web.views.data.KIND_LABELS["incidents"]


def _problem(folder, *, events: bool) -> str:
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite"))
    store = Store(cfg.db_url)
    ingest_file(store, "places", DATA / "places_4326.geojson")
    if events:
        ingest_file(store, "events", DATA / "polisen_events_sample.json")
    assert store.counts()["incidents"] == 0 and (store.counts()["events"] > 0) is events
    res = map_layers(store, cfg, area="skarholmen", category=[], period="2022–2023")
    return res["problem"]


def test_the_message_names_the_data_page_choice_and_not_polisens_handelser(tmp_path):
    problem = _problem(tmp_path, events=False)
    assert problem.startswith("kartan kräver brott på händelsenivå med koordinater")
    assert f'"{DATA_PAGE_CHOICE}"' in problem
    assert "polisens händelser" not in problem.lower()


def test_with_polisens_events_read_in_it_says_they_are_not_mapped_and_why(tmp_path):
    problem = _problem(tmp_path, events=True)
    assert f'"{DATA_PAGE_CHOICE}"' in problem
    assert "Polisens händelser från polisen.se är inlästa men visas inte på kartan" in problem
    assert "ortens eller länets mitt" in problem


def test_the_data_page_offers_the_choice_the_message_names():
    from lagesbild.web.views.data import KIND_LABELS

    assert KIND_LABELS["incidents"] == DATA_PAGE_CHOICE


def test_reading_in_polisens_events_says_at_once_what_they_are_not_used_for(tmp_path):
    from tests.test_cli import run

    db = tmp_path / "events.sqlite"
    res = run("ingest", "events", DATA / "polisen_events_sample.json", "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    assert "inte brottets plats, så de räknas inte som anmälda brott och visas inte på kartan" in res.stdout
    as_json = run("ingest", "events", DATA / "polisen_events_sample.json", "--format", "json",
                  "--no-progress", db=tmp_path / "other.sqlite")
    (report,) = json.loads(as_json.stdout)
    assert report["status"] == "ok" and any("visas inte på kartan" in r for r in report["anmärkningar"])
