"""A misspelt place in a file gets a suggestion: "Fitja" → 'Menade du "Fittja"?'.

A crime table or plan naming "Fitja" was refused with the list of stored place ids but no word on which
one the user meant; the CLI's own place lookups already said "Menade du …?". The reference here is the
spelling by hand: "Fittja" is one letter from "Fitja", "Botkyrka" (a built-in kommun) one from "Botkyrca".
"""

from __future__ import annotations

import sqlite3

from tests.test_cli import run

PLACES = """{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"fittja","namn":"Fittja"},"geometry":{"type":"Polygon",
 "coordinates":[[[17.86,59.24],[17.88,59.24],[17.88,59.25],[17.86,59.25],[17.86,59.24]]]}},
{"type":"Feature","properties":{"id":"alby","namn":"Alby centrum"},"geometry":{"type":"Polygon",
 "coordinates":[[[17.84,59.23],[17.85,59.23],[17.85,59.24],[17.84,59.24],[17.84,59.23]]]}}]}
"""


def _store(tmp_path):
    db = tmp_path / "s.sqlite"
    (tmp_path / "p.geojson").write_text(PLACES, encoding="utf-8")
    assert run("ingest", "places", tmp_path / "p.geojson", "--no-progress", db=db).returncode == 0
    return db


def _rows(db, table="crime_counts"):
    with sqlite3.connect(db) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


def test_crime_table_misspelt_places_get_suggestions(tmp_path):
    db = _store(tmp_path)
    path = tmp_path / "brott.csv"
    path.write_text("Plats;Månad;Brott;Antal\nFitja;2024-01;Skadegörelse;3\nAlby centrum;2024-01;Skadegörelse;2\n"
                    "Glömstavägen 12;2024-01;Skadegörelse;2\nBotkyrca kommun;2024-01;Skadegörelse;2\n",
                    encoding="utf-8")
    before = _rows(db)
    res = run("ingest", "crimes", path, "--no-progress", db=db)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    lines = {line.split('värde "')[1].split('"')[0]: line for line in res.stderr.splitlines() if 'värde "' in line}
    assert lines["Fitja"].endswith('använd en av: alby, fittja. Menade du "Fittja"?')
    assert lines["Botkyrca kommun"].endswith('. Menade du "Botkyrka"?')
    assert "Menade du" not in lines["Glömstavägen 12"]  # nothing alike: no guess
    assert _rows(db) == before


def test_plan_misspelt_place_gets_suggestion(tmp_path):
    db = _store(tmp_path)
    path = tmp_path / "plan.yaml"
    path.write_text("prioriterade områden:\n  - namn: Centrum\n    aktiviteter:\n      - id: a1\n"
                    "        aktivitet: Trygghetsvandring\n        plats: Alby centum\n"
                    "        start: 2024-09-01\n", encoding="utf-8")
    res = run("ingest", "activities", path, "--no-progress", db=db)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert 'värde "Alby centum"' in res.stderr and 'Menade du "Alby centrum"?' in res.stderr


def test_many_different_unknown_texts_are_each_refused_and_only_the_first_guessed():
    import pandas as pd

    from lagesbild.ingest.resolve import place_lookup, resolve_places

    lookup = place_lookup(pd.DataFrame({"place_id": ["fittja", "alby"], "name": ["Fittja", "Alby centrum"]}))
    values = pd.Series([f"Fittjaa{i}" for i in range(400)])
    ids, errors = resolve_places(values, pd.Series(range(2, 402)), lookup, file="b.csv", column="Plats")
    assert ids.isna().all() and len(errors) == 400
    guessed = [e.value for e in errors if e.message().endswith('Menade du "Fittja"?')]
    assert guessed == [f"Fittjaa{i}" for i in range(50)]  # difflib's ratio for these is ≥ 0,8
    assert not errors[60].message().endswith("?")  # as alike ("Fittjaa60": 0,8), past the first 50: not searched
