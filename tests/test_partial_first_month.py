"""A police export that begins inside a month: the month is not counted as a whole one (a part month
is never compared with a whole one). It was: a file from 16 September 2021 made 2021–2022 a whole
year (7 109 against 7 217 in the statistics probe) and inflated the dispersion. References: the
file's points inside the square counted with pandas, and the same files read in the other order."""

from __future__ import annotations

import json

import pandas as pd

from lagesbild.cli import main
from tests.test_incidents_before_places import SQUARE, incident_file, write_files


def export(folder, start: str, per_day: float, seed: int = 3):
    """An incident file from ``start`` to 31 Aug 2023 at about ``per_day`` incidents a day, around
    the square, and the place file (from :func:`write_files`)."""
    _, places, _ = write_files(folder)
    n = int(per_day * len(pd.date_range(start, "2023-08-31 23:00", freq="h")) / 24)
    path, frame = incident_file(folder, start=start, n=n, seed=seed, spread=400, name="export.csv")
    return path, places, frame


def table(capsys, db) -> dict:
    capsys.readouterr()
    assert main(["--db", str(db), "compare", "--place", "Göteborg centrum", "--periods", "2021–2022",
                 "2022–2023", "--format", "json"]) == 0
    return {r["category"]: r for r in json.loads(capsys.readouterr().out)}


def test_a_file_that_begins_inside_a_month_leaves_that_month_out(tmp_path, capsys):
    incidents, places, frame = export(tmp_path, "2021-09-16", per_day=30)
    db = tmp_path / "s.sqlite"
    assert main(["--db", str(db), "ingest", "places", str(places)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "ingest", "incidents", str(incidents)]) == 0
    assert "Filen börjar 16 sep 2021, inne i september 2021: den månaden räknas inte" in capsys.readouterr().out
    rows = table(capsys, db)
    x0, y0, x1, y1 = SQUARE
    inside = frame[(frame["x"] > x0) & (frame["x"] < x1) & (frame["y"] > y0) & (frame["y"] < y1)]
    for cat, name in (("skadegorelse", "Skadegörelse"), ("narkotikabrott", "Narkotikabrott")):
        r = rows[cat]
        assert r["verdict"] == "kan inte bedömas: data saknas för 1 månad"  # not a whole year
        # the earlier year's count is that of its months with data: October to August
        mine = inside[(inside["cat"] == name) & (inside["when"] >= pd.Timestamp("2021-10-01"))
                      & (inside["when"] < pd.Timestamp("2022-09-01"))]
        assert r["count_a"] == len(mine)

    late = tmp_path / "late.sqlite"  # read before the places: the same table once they come
    assert main(["--db", str(late), "ingest", "incidents", str(incidents)]) == 0
    assert main(["--db", str(late), "ingest", "places", str(places)]) == 0
    assert table(capsys, late) == rows


def test_a_quiet_file_whose_first_crime_comes_on_the_ninth_keeps_its_first_month(tmp_path, capsys):
    """At about 0,3 crimes a day, eight days without one are likely (e^-2,4 ≈ 9 %): the month counts."""
    incidents, places, frame = export(tmp_path, "2021-09-09", per_day=0.3, seed=5)
    db = tmp_path / "s.sqlite"
    assert main(["--db", str(db), "ingest", "places", str(places)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "ingest", "incidents", str(incidents)]) == 0
    assert "Filen börjar" not in capsys.readouterr().out
    rows = table(capsys, db)
    assert not any("data saknas" in r["verdict"] for r in rows.values())


def test_one_time_in_the_skipped_hour_is_said_in_the_singular(tmp_path, capsys):
    path = tmp_path / "h.csv"
    path.write_text("Händelse-id;Datum;Brottskategori;X;Y\n1;2023-03-26 02:30;Rån;674000;6580000\n"
                    "2;2023-03-27 12:00;Rån;674000;6580000\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "s.sqlite"), "ingest", "incidents", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 händelse har en tid som inte finns i svensk tid" in out and "den lästes som den är skriven" in out
