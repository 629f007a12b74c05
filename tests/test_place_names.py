"""Place names that differ only in their accents are different places: Vårberg (a stadsdel in Stockholm)
and Varberg (a kommun in Halland), Håbo and Habo (kommuner in Uppsala and Jönköping län).

A stored place used to be matched with accents forgiven, so a file of Varberg's counts was read in as
Vårberg's and, being the same place and source, replaced Vårberg's rows (exit 0, "2 tidigare rader
ersatta"). Files are read through the CLI into a real store; the rows are read back from it.
"""

from __future__ import annotations

import sqlite3

import pytest

from lagesbild.analysis import base
from lagesbild.store import Store
from tests.test_cli import run

HEADER = "Anmälda brott, antal\n\nOmråde;Brott;2022;2023\n"


def _file(tmp_path, name: str, rows: list[tuple[str, int, int]]):
    path = tmp_path / f"{name}.csv"
    path.write_text(HEADER + "".join(f"{p};Narkotikabrott;{a};{b}\n" for p, a, b in rows), encoding="utf-8")
    return path


def _sums(db) -> dict:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("select place_id, sum(count) from crime_counts group by place_id"))


@pytest.mark.parametrize(("first", "second", "ids"), [
    ("Vårberg", "Varbergs kommun", ("varberg", "varberg-kommun")),
    ("Håbo", "Habo", ("habo", "habo-kommun")),
])
def test_a_second_file_of_a_namesake_does_not_replace_the_first_places_rows(tmp_path, first, second, ids):
    db = tmp_path / "s.sqlite"
    for name, counts in ((first, (100, 110)), (second, (450, 470))):
        res = run("ingest", "crimes", _file(tmp_path, name, [(name, *counts)]), "--no-progress", db=db)
        assert res.returncode == 0, res.stderr
        assert "ersatta" not in res.stdout, res.stdout
    assert {k: v for k, v in _sums(db).items() if k in ids} == {ids[0]: 210, ids[1]: 920}


def test_namesakes_in_one_file_stay_apart_and_a_stored_place_does_not_take_its_namesakes_rows(tmp_path):
    db = tmp_path / "s.sqlite"
    one = _file(tmp_path, "en", [("Vårberg", 100, 110), ("Varberg", 450, 470)])
    assert run("ingest", "crimes", one, "--no-progress", db=db).returncode == 0
    assert {k: v for k, v in _sums(db).items() if "varberg" in k} == {"varberg": 210, "varberg-kommun": 920}
    # with both stored, a later file naming the kommun by code and name reaches the kommun only
    later = _file(tmp_path, "senare", [("1383 Varberg", 500, 520)])
    res = run("ingest", "crimes", later, "--no-progress", "--source", "kommunen", db=db)
    assert res.returncode == 0, res.stderr
    assert {k: v for k, v in _sums(db).items() if "varberg" in k} == {"varberg": 210, "varberg-kommun": 1940}
    store = Store(f"sqlite:///{db}")
    assert [base.resolve_place(store, key)["place_id"] for key in ("Vårberg", "Varberg", "varberg",
                                                                    "varberg-kommun", "VÅRBERG")] == [
        "varberg", "varberg-kommun", "varberg", "varberg-kommun", "varberg"]
