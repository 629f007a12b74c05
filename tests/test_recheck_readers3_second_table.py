"""A second table below the first in one file or sheet (Brå's count table with its per 100 000 table
under it, a police survey table per area one after the other, two year ranges) has a header row of its
own. Its rows were read under the first table's columns: with --keep-valid, Göteborg's rates per
100 000 (836) were stored as counts of years 2022 and 2023, and Vårberg's "Antal svarande" (301) as
Skärholmen's respondents. Without --keep-valid the file was refused with misleading reasons (an
unknown category "Brott", "raden har 1 fält"). Now the file is refused naming the second header's
line: nothing is written, with or without --keep-valid."""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest

from lagesbild.cli import main
from lagesbild.settings import ROOT

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"

BRA_RATES_BELOW = (
    "\ufeffAnmälda brott, antal\n\nOmråde;Brott;2022 Antal;2023 Antal\n"
    "Stockholm;Misshandel inkl. grov;8100;8200\nStockholm;Narkotikabrott;9100;9200\n\n"
    "Område;Brott;2022 Per 100 000 inv.;2023 Per 100 000 inv.\n"
    "Göteborg;Misshandel inkl. grov;836;830\nGöteborg;Narkotikabrott;939;931\n\nKälla: Brå\n")
TWO_YEAR_RANGES = ("Område;Brottstyp;2022;2023\nStockholm;Misshandel;8100;8200\n\n"
                   "Område;Brottstyp;2020;2021\nStockholm;Rån;710;720\n")
POLICE_SURVEY_TWO_AREAS = (
    "Trygghetsmätning\nOmråde: Skärholmen\n\nFråga;2022;2023\nNedskräpning;45;44\n"
    "Antal svarande;801;776\n\nOmråde: Vårberg\n\nFråga;2021;2023\nNedskräpning;55;54\n"
    "Antal svarande;301;276\n\nKälla: Polisen\n")


def _ingest(tmp_path, capsys, kind, path, *extra):
    db = tmp_path / "s.sqlite"
    assert main(["--db", str(db), "ingest", "--no-progress", "places", str(PLACES)]) == 0
    capsys.readouterr()
    rc = main(["--db", str(db), "ingest", "--no-progress", *extra, kind, str(path)])
    return rc, capsys.readouterr(), db


def _rows(db, table):
    with sqlite3.connect(db) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


@pytest.mark.parametrize("keep", [[], ["--keep-valid"]])
@pytest.mark.parametrize("text, line", [(BRA_RATES_BELOW, 7), (TWO_YEAR_RANGES, 4)])
def test_a_crime_file_with_a_second_table_is_refused_naming_its_header(tmp_path, capsys, text, line,
                                                                       keep):
    path = tmp_path / "brott.csv"
    path.write_text(text, encoding="utf-8")
    rc, out, db = _ingest(tmp_path, capsys, "crimes", path, *keep)
    assert rc == 2, out
    assert "Traceback" not in out.err
    assert f"rad {line}" in out.err and "andra tabell" in out.err, out.err
    assert _rows(db, "crime_counts") == 0  # Göteborg's 836 per 100 000 was stored as a count


def test_a_second_table_in_an_xlsx_sheet_is_refused_too(tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["Anmälda brott, antal"], [], ["Område", "Brott", "2022 Antal", "2023 Antal"],
                ["Stockholm", "Misshandel inkl. grov", 8100, 8200], [],
                ["Anmälda brott per 100 000 inv."], [],
                ["Område", "Brott", "2022 Per 100 000 inv.", "2023 Per 100 000 inv."],
                ["Göteborg", "Misshandel inkl. grov", 836, 830]):
        ws.append(row)
    ws.merge_cells("A1:D1")
    path = tmp_path / "brott.xlsx"
    wb.save(path)
    rc, out, db = _ingest(tmp_path, capsys, "crimes", path, "--keep-valid")
    assert rc == 2, out
    assert "rad 8" in out.err and "andra tabell" in out.err, out.err
    assert _rows(db, "crime_counts") == 0


def test_a_police_survey_file_with_a_second_area_does_not_give_its_respondents_to_the_first(
        tmp_path, capsys):
    path = tmp_path / "trygghet.csv"
    path.write_text(POLICE_SURVEY_TWO_AREAS, encoding="utf-8")
    rc, out, db = _ingest(tmp_path, capsys, "survey", path, "--keep-valid")
    assert rc == 2, out
    assert "rad 10" in out.err and "andra tabell" in out.err, out.err
    assert _rows(db, "survey") == 0  # Skärholmen got Vårberg's 301 and 276 respondents


def test_guard_an_export_pasted_twice_with_the_same_header_is_still_read(tmp_path, capsys):
    head = "Område;Brottstyp;2022;2023\n"
    path = tmp_path / "brott.csv"
    path.write_text(head + "Stockholm;Misshandel;8100;8200\n" + head + "Stockholm;Rån;710;720\n",
                    encoding="utf-8")
    rc, out, db = _ingest(tmp_path, capsys, "crimes", path)
    assert rc == 0, out.err
    with sqlite3.connect(db) as con:
        got = sorted(con.execute("select category, period_start, count from crime_counts"))
    assert got == [("misshandel", "2022-01-01", 8100), ("misshandel", "2023-01-01", 8200),
                   ("ran", "2022-01-01", 710), ("ran", "2023-01-01", 720)]
