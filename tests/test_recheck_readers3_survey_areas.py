"""The police's trygghetsmätning tables, one per area one after the other in a file or sheet (a line
"Område: Vårberg" above each table, the header repeated). Every row was read as the first area's: with
--keep-valid Skärholmen was stored with Vårberg's respondents (301, 276), and in an XLSX sheet whose
areas ask different questions Vårberg's whole table went to Skärholmen without a word. Each table is
now read for the area named above it (hand-written files; the expected values are their cells)."""

from __future__ import annotations

import sqlite3

import openpyxl

from lagesbild.cli import main
from lagesbild.settings import ROOT

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"
TWO_AREAS = ("Trygghetsmätning\nOmråde: Skärholmen\n\nFråga;2022;2023\nNedskräpning;45;44\n"
             "Antal svarande;801;776\n\nOmråde: Vårberg\n\nFråga;2022;2023\nNedskräpning;55;54\n"
             "Antal svarande;301;276\n\nKälla: Polisen\n")


def _ingest(tmp_path, capsys, path, *extra):
    db = tmp_path / "s.sqlite"
    assert main(["--db", str(db), "ingest", "--no-progress", "places", str(PLACES)]) == 0
    capsys.readouterr()
    rc = main(["--db", str(db), "ingest", "--no-progress", *extra, "survey", str(path)])
    out = capsys.readouterr()
    with sqlite3.connect(db) as con:
        rows = sorted(con.execute("select place_id, year, indicator, share, respondents from survey"))
    return rc, out, rows


def test_each_area_table_of_a_police_file_is_read_for_its_own_area(tmp_path, capsys):
    path = tmp_path / "trygghet.csv"
    path.write_text(TWO_AREAS, encoding="utf-8")
    for extra in ([], ["--keep-valid"]):
        rc, out, rows = _ingest(tmp_path, capsys, path, *extra)
        assert rc == 0, out.err
        assert rows == [("skarholmen", 2022, "Nedskräpning", 0.45, 801),
                        ("skarholmen", 2023, "Nedskräpning", 0.44, 776),
                        ("varberg", 2022, "Nedskräpning", 0.55, 301),
                        ("varberg", 2023, "Nedskräpning", 0.54, 276)], out


def test_an_xlsx_sheet_of_two_areas_with_other_questions_keeps_them_apart(tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["Trygghetsmätning"], ["Område: Skärholmen"], [], ["Fråga", "2022", "2023"],
                ["Nedskräpning", 45, 44], ["Antal svarande", 801, 776], [], ["Område: Vårberg"], [],
                ["Fråga", "2022", "2023"], ["Skadegörelse", 31, 30], ["Antal svarande", 301, 276]):
        ws.append(row)
    path = tmp_path / "trygghet.xlsx"
    wb.save(path)
    rc, out, rows = _ingest(tmp_path, capsys, path)
    assert rc == 0, out.err
    assert rows == [("skarholmen", 2022, "Nedskräpning", 0.45, 801),
                    ("skarholmen", 2023, "Nedskräpning", 0.44, 776),
                    ("varberg", 2022, "Skadegörelse", 0.31, 301),
                    ("varberg", 2023, "Skadegörelse", 0.30, 276)], out


def test_guard_an_indicator_that_starts_with_plats_is_no_area_line(tmp_path, capsys):
    path = tmp_path / "trygghet.csv"
    path.write_text("Område: Skärholmen\n\nFråga;2022;2023\nPlatsen är nedskräpad;45;44\n"
                    "Antal svarande;801;776\n", encoding="utf-8")
    rc, out, rows = _ingest(tmp_path, capsys, path)
    assert rc == 0, out.err
    assert rows == [("skarholmen", 2022, "Platsen är nedskräpad", 0.45, 801),
                    ("skarholmen", 2023, "Platsen är nedskräpad", 0.44, 776)]


def test_an_area_line_without_a_colon_after_lokalpolisomrade_starts_a_table_too(tmp_path, capsys):
    path = tmp_path / "trygghet.csv"
    path.write_text(TWO_AREAS.replace("Område: Vårberg", "Lokalpolisområde Vårberg")
                    .replace("Nedskräpning;55;54", "Stadsdelsområdet känns otryggt;55;54"), encoding="utf-8")
    rc, out, rows = _ingest(tmp_path, capsys, path, "--keep-valid")
    assert rc == 0, out.err
    assert rows == [("skarholmen", 2022, "Nedskräpning", 0.45, 801),
                    ("skarholmen", 2023, "Nedskräpning", 0.44, 776),
                    ("varberg", 2022, "Stadsdelsområdet känns otryggt", 0.55, 301),
                    ("varberg", 2023, "Stadsdelsområdet känns otryggt", 0.54, 276)], out


def test_a_second_table_without_an_area_line_is_refused(tmp_path, capsys):
    path = tmp_path / "trygghet.csv"
    path.write_text(TWO_AREAS.replace("Område: Vårberg", "Vårberg"), encoding="utf-8")
    rc, out, rows = _ingest(tmp_path, capsys, path, "--keep-valid")
    assert rc == 2 and rows == [], out
    assert "rad 10" in out.err and "Område: <namn>" in out.err, out.err
