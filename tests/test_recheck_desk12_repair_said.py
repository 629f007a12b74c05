"""A place polygon the reader repairs is said in the ingest report, not only kept in the source's notes.

tests/data/nasty/places_spike_lonlat.geojson has a spike: its ring runs from (17.91, 59.29) up to
(17.91, 59.40) and back down the same line, a ring that touches itself. The reader repairs it (the spike
goes, the area stays), which is right, but the command said only "1 rad inläst.": that the place's
outline is not the one in the file was written to the stored source notes, which nobody reads.
"""

from __future__ import annotations

from lagesbild.cli import main
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings

SPIKE = ROOT / "tests" / "data" / "nasty" / "places_spike_lonlat.geojson"
SAID = "Objekt 1 (Spetstorget): ogiltig geometri (polygonen korsar sig själv vid N "


def test_the_repair_is_a_remark_of_the_report(tmp_path):
    store = open_store(load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite")))
    report = ingest_file(store, "places", SPIKE)
    assert report.status == "ok" and report.accepted == 1
    repaired = [r for r in report.remarks if r.startswith(SAID)]
    assert len(repaired) == 1, report.remarks
    assert repaired[0].endswith(") lagad; ytan ändrades med 0,00 %."), repaired


def test_the_command_says_it(tmp_path, capsys):
    code = main(["ingest", "places", str(SPIKE), "--db", str(tmp_path / "s.sqlite"), "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0 and "places_spike_lonlat.geojson: 1 rad inläst. " + SAID in out, out
