"""Periods in which a place has no crime data at all are said to have none, plainly, and refused.

desk7's re-check (fictitious Huddinge store, data sep 2021–aug 2025): ``compare --place flemingsberg
--periods 2019–2020 2020–2021`` printed a table of "kan inte bedömas: data saknas för 24 månader" and
"Data saknas för 12 månader i 2019–2020; antalet avser månaderna med data" — there are no such months —
and exited 0. Now it says "Inga data för 2019–2020 och 2020–2021 för …: brottsdata finns …" and exits 2,
as ``hotspots``/``patterns`` refuse a period outside the data (README: 2 = a request to correct). Jämför
(``compare-places``) said "Det finns inga anmälda brott för de valda platserna." of places that have.

The store here is written by the test: monthly counts sep 2021–aug 2023 for two places, so the span
the message names is "sep 2021–aug 2023" by construction.
"""

from __future__ import annotations

import json

import pytest

from tests.square_place import square
from tests.test_cli import run

NAMES = {"norrtorg": "Norrtorget", "sodertorg": "Södertorget"}
SPAN = "brottsdata finns sep 2021–aug 2023"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nodata")
    features = [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square(18.0 + i / 50, 59.3, 0.004)},
                 "properties": {"place_id": pid, "namn": name, "typ": "torg", "befolkning": 4000}}
                for i, (pid, name) in enumerate(NAMES.items())]
    (folder / "p.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                                      encoding="utf-8")
    lines = ["Plats;Brottskategori;Månad;Antal"]
    for name in NAMES.values():  # every month of sep 2021–aug 2023
        for year, month in [(2021 + (m + 8) // 12, (m + 8) % 12 + 1) for m in range(24)]:
            lines += [f"{name};Skadegörelse;{year}-{month:02d};5", f"{name};Personrån;{year}-{month:02d};1"]
    (folder / "c.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = folder / "s.sqlite"
    for kind, file in (("places", folder / "p.geojson"), ("crimes", folder / "c.csv")):
        res = run("ingest", kind, file, "--no-progress", db=path)
        assert res.returncode == 0, res.stderr
    return path


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_compare_says_there_are_no_data_for_the_periods(db, fmt):
    res = run("compare", "--place", "norrtorg", "--periods", "2019–2020", "2020–2021", "--format", fmt, db=db)
    assert res.returncode == 2, res.stdout
    assert f"Inga data för 2019–2020 och 2020–2021 för Norrtorget: {SPAN}." in res.stderr
    assert "antalet avser månaderna med data" not in res.stdout + res.stderr
    assert "Traceback" not in res.stderr


def test_compare_dates_name_their_days(db):
    res = run("compare", "--place", "norrtorg", "--from", "2019-01-01", "--to", "2019-06-30",
              "--vs-from", "2018-01-01", "--vs-to", "2018-06-30", db=db)
    assert res.returncode == 2
    assert (f"Inga data för 1 jan 2018–30 jun 2018 och 1 jan 2019–30 jun 2019 för Norrtorget: {SPAN}."
            in res.stderr)


def test_compare_with_a_period_with_data_still_answers(db):  # a guard: one period holds data
    res = run("compare", "--place", "norrtorg", "--periods", "2020–2021", "2021–2022", db=db)
    assert res.returncode == 0, res.stderr
    assert "Inga data för" not in res.stdout + res.stderr


def test_compare_places_says_so_too(db):
    res = run("compare-places", "--places", "norrtorg", "sodertorg", "--periods", "2019–2020", "2020–2021",
              db=db)
    assert res.returncode == 2
    assert f"Inga data för 2019–2020 och 2020–2021 för Norrtorget och Södertorget: {SPAN}." in res.stderr


def test_compare_places_with_similar_says_so_too(db):
    res = run("compare-places", "--places", "norrtorg", "--similar", "--periods", "2019–2020", "2020–2021",
              db=db)
    assert res.returncode == 2
    assert f"Inga data för 2019–2020 och 2020–2021 för Norrtorget: {SPAN}." in res.stderr
