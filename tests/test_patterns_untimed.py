"""Mönster leaves incidents without a time of day out of the weekday × hour cells and says how many:
a file of dates only said "Flest brott kl. 00" (every such incident was counted at midnight). Their
weekdays are known and still counted per weekday.

References: the hours and weekdays counted by hand from the rows written to the file.
"""

from __future__ import annotations

import json

import pandas as pd

from lagesbild.cli import main
from lagesbild.settings import ROOT

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"
# Vårberg (SWEREF 99 TM); three with a time, four with a date only (Mon 4 Mar to Thu 7 Mar 2024)
TIMED = [("T1", "2024-03-04", "14:10"), ("T2", "2024-03-04", "14:40"), ("T3", "2024-03-09", "00:00")]
UNTIMED = [("U1", "2024-03-04", ""), ("U2", "2024-03-05", ""), ("U3", "2024-03-06", ""), ("U4", "2024-03-07", "")]


def _store(tmp_path):
    db, path = tmp_path / "s.sqlite", tmp_path / "inc.csv"
    path.write_text("Ärendenummer;Brottsdatum;Klockslag;Brottsrubrik;E;N\n" + "".join(
        f"{i};{d};{t};Skadegörelse;664677;6574245\n" for i, d, t in TIMED + UNTIMED), encoding="utf-8")
    assert main(["--db", str(db), "ingest", "--no-progress", "places", str(PLACES)]) == 0
    assert main(["--db", str(db), "ingest", "--no-progress", "incidents", str(path), "--crs", "3006"]) == 0
    return db


def test_untimed_incidents_are_no_crimes_at_midnight(tmp_path, capsys):
    db = _store(tmp_path)
    capsys.readouterr()
    args = ["--db", str(db), "patterns", "--place", "varberg", "--period", "mar 2024"]
    assert main([*args, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    cells = pd.DataFrame(out["weekday_hour"], columns=["weekday", "hour", "count"]).set_index(["weekday", "hour"])
    assert out["incidents"] == 7 and out["untimed"] == 4
    assert int(cells["count"].sum()) == 3  # the timed ones only
    assert cells.loc[(0, 14), "count"] == 2 and cells.loc[(5, 0), "count"] == 1  # Sat 9 Mar at 00:00, written
    assert out["midnight"] == 1
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "Obs: 4 brott saknar klockslag och räknas inte per timme." in text
    assert "Flest brott kl. 14, 00" in text
    # per weekday every incident counts: Mon 2 + 1, Tue 1, Wed 1, Thu 1, Sat 1
    assert "Per veckodag: måndag 3, tisdag 1, onsdag 1, torsdag 1, fredag 0, lördag 1, söndag 0" in text


def test_the_heat_map_says_how_many_are_left_out(tmp_path):
    from lagesbild.analysis.meeting import incident_patterns
    from lagesbild.figures.patterns import make_weekday_hour
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings

    db = _store(tmp_path)
    settings = load_settings({}, data_dir=str(tmp_path), db=str(db))
    res = incident_patterns(open_store(settings), settings, place="varberg", period="mar 2024")
    fig = make_weekday_hour(res["weekday_hour"], place="Vårberg")
    subtitle = fig.layout.title.subtitle.text.replace("<br>", " ")
    assert "4 brott utan klockslag ingår inte" in " ".join(subtitle.split())
