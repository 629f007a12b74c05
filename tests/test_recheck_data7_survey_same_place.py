"""A survey file giving one place twice under two spellings ("Skärholmen" and "Skärholmens
stadsdelsområde", both the built-in stadsdelsområde) for the same year and indicator was read as
"2 rader inlästa" and one share silently replaced the other; a crime file with the same two rows is
refused ("samma plats … där platsen skrivs …"). The survey is now refused the same way, naming the
file's own area column. A survey table's area column may be headed Stadsdelsområde, Stadsdel,
Lokalpolisområde or Kommun, as Stockholm's and the police's tables head it (it was refused: no header)."""

from __future__ import annotations

import pytest

from lagesbild.store import Store
from tests.test_cli import run


def _ingest(tmp_path, text):
    path = tmp_path / "trygghet.csv"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "x.sqlite"
    return run("ingest", "survey", path, "--no-progress", db=db), db


def test_one_place_under_two_names_in_one_year_is_refused(tmp_path):
    res, db = _ingest(tmp_path, "Plats;År;Indikator;Andel;Antal svarande\n"
                                "Skärholmen;2023;Otrygg;45 %;812\n"
                                "Skärholmens stadsdelsområde;2023;Otrygg;40 %;800\n")
    assert res.returncode == 2, res.stdout
    assert "Traceback" not in res.stderr
    assert ('rad 3, kolumn "Plats", värde "Skärholmens stadsdelsområde": samma plats (skarholmen), '
            'år och indikator som rad 2, där platsen skrivs "Skärholmen"') in res.stderr
    assert not db.exists() or Store(f"sqlite:///{db}").survey().empty


def test_the_same_place_in_other_years_or_indicators_is_read(tmp_path):
    res, db = _ingest(tmp_path, "Område;År;Indikator;Andel;Antal svarande\n"
                                "Skärholmen;2023;Otrygg;45 %;812\n"
                                "Skärholmens stadsdelsområde;2021;Otrygg;40 %;800\n"
                                "Skärholmen;2021;Oro för brott;30 %;800\n")
    assert res.returncode == 0, res.stderr
    got = Store(f"sqlite:///{db}").survey()
    assert sorted(zip(got["year"], got["indicator"], got["share"].round(4), strict=True)) == [
        (2021, "Oro för brott", 0.3), (2021, "Otrygg", 0.4), (2023, "Otrygg", 0.45)]


@pytest.mark.parametrize("header", ["Stadsdelsområde", "Stadsdel", "Lokalpolisområde", "Kommun"])
def test_an_area_column_named_for_its_kind_is_read(tmp_path, header):
    res, db = _ingest(tmp_path, f"{header};År;Indikator;Andel;Antal svarande\nSkärholmen;2023;Otrygg;45 %;812\n")
    assert res.returncode == 0, res.stderr
    got = Store(f"sqlite:///{db}").survey()
    assert list(zip(got["place_id"], got["year"], got["share"].round(4), strict=True)) == [("skarholmen", 2023, 0.45)]
