"""Incident files as a police analyst saves them: Excel day numbers in a date column formatted
"Allmänt" (45901 for 2025-09-01) and a note under the table ("Källa: Polisen, uttag 2026-09-01").

The expected days are computed by hand from Excel's definition (the 1900 system's day 1 is 1900-01-01
and it counts a 29 February 1900 that never was, so from day 61 on, day N is 1899-12-30 + N days; the
1904 system's day 0 is 1904-01-01), not by the reader's code; the generators are the fuzz tests' oracle.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from lagesbild.sources.incidents import iter_incidents, read_incidents
from tests.test_cli import run

HEADER = ["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"]
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
DAY0_1900, DAY0_1904 = dt.datetime(1899, 12, 30), dt.datetime(1904, 1, 1)


def _xlsx(path, rows, *, epoch1904=False, below=()):
    wb = openpyxl.Workbook()
    if epoch1904:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(list(row))
    for line in below:
        ws.append(list(line))
    wb.save(path)
    return path


def test_day_numbers_in_an_xlsx_date_column_are_the_days_they_stand_for(tmp_path):
    """45901 was refused: "datumet finns inte eller kunde inte tolkas"."""
    path = _xlsx(tmp_path / "brott.xlsx", [
        ("H-1", 45901, "20:15", "Narkotika", 661016.3, 6583721.2),
        ("H-2", 45902.395833333336, None, "Skadegörelse", 661053.3, 6583789.7)])  # 9.5 / 24 of a day
    result = read_incidents(path)
    assert result.errors == []
    assert result.table["occurred_at"].tolist() == [dt.datetime(2025, 9, 1, 20, 15), dt.datetime(2025, 9, 2, 9, 30)]
    assert result.table["time_known"].tolist() == [True, True]
    assert result.meta["excel_serial_dates"] == 2


def test_a_mac_workbook_counts_its_day_numbers_from_1904(tmp_path):
    path = _xlsx(tmp_path / "brott.xlsx", [("H-1", 44439, "", "Narkotika", 661016.3, 6583721.2)], epoch1904=True)
    result = read_incidents(path)
    assert result.errors == []
    assert result.table["occurred_at"].tolist() == [dt.datetime(2025, 9, 1)]
    assert result.table["time_known"].tolist() == [False]


def test_a_day_number_in_a_csv_is_refused_naming_both_readings(tmp_path):
    path = tmp_path / "brott.csv"
    path.write_text(";".join(HEADER) + "\nH-1;45901;20:15;Narkotika;661016.3;6583721.2\n", encoding="utf-8")
    result = read_incidents(path)
    assert result.table.empty
    [error] = result.errors
    assert (error.line, error.column, error.value) == (2, "Brottsdatum", "45901")
    assert "Excel-datumnummer" in error.reason
    assert "2025-09-01" in error.reason and "2029-09-02" in error.reason  # 45901 + 1462 days


def test_a_day_number_far_in_the_future_is_refused_saying_what_it_was_read_as(tmp_path):
    path = _xlsx(tmp_path / "brott.xlsx", [("H-1", 99999, "", "Narkotika", 661016.3, 6583721.2)])
    [error] = read_incidents(path).errors
    assert error.reason.startswith("datumet ligger i framtiden")
    assert "Excel-datumnumret 99999 läst som 2173-10-13" in error.reason  # 1899-12-30 + 99 999 days


def test_the_command_line_reads_the_day_numbers_and_the_note_and_says_so(tmp_path):
    path = _xlsx(tmp_path / "brott.xlsx", [("H-1", 45901, "20:15", "Narkotika", 661016.3, 6583721.2)],
                 below=[(), ("Källa: Polisen, uttag 2026-09-01",)])
    res = run("ingest", "incidents", path, "--no-progress", db=tmp_path / "x.sqlite")
    assert res.returncode == 0, res.stderr
    assert "45901 är 2025-09-01" in res.stdout
    assert 'Rad 4 under tabellen är en anteckning, inte en händelse, och lästes inte in: "Källa: Polisen, uttag 2026-09-01"' in res.stdout


@pytest.mark.parametrize("last", [
    "Källa: Polisen, uttag 2026-09-01",               # a semicolon file: one field
    '"Källa: Polisen, uttag 2026-09-01";;;;;',        # as Excel saves it: quoted, padded
    "Uttaget gjordes 1 september 2026",               # a phrase alone on its line
])
@pytest.mark.parametrize("blank", [True, False])
def test_a_note_under_a_csv_incident_table_is_left_out_and_reported(tmp_path, last, blank):
    """The note was refused: "raden har 1 fält men rubrikraden har 6"."""
    path = tmp_path / "brott.csv"
    path.write_text(";".join(HEADER) + "\nH-1;2025-09-01;20:15;Narkotika;661016.3;6583721.2\n"
                    + ("\n" if blank else "") + last + "\n", encoding="utf-8")
    db = tmp_path / "x.sqlite"
    res = run("ingest", "incidents", path, "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    assert "1 rad inläst" in res.stdout and "under tabellen är en anteckning" in res.stdout


def test_a_comma_note_in_a_comma_file_is_read_as_a_note(tmp_path):
    path = tmp_path / "brott.csv"
    path.write_text(",".join(HEADER) + "\nH-1,2025-09-01,20:15,Narkotika,661016.3,6583721.2\n\n"
                    "Källa: Polisen, uttag 2026-09-01\n", encoding="utf-8")
    result = read_incidents(path)
    assert result.errors == [] and len(result.table) == 1
    assert result.meta["trailing_notes"] == [(4, "Källa: Polisen, uttag 2026-09-01")]


@pytest.mark.parametrize("text,where", [
    ("H-2\n", "one word alone at the end: a row cut short"),
    ("Källa: Polisen\nH-2;2025-09-02;20:15;Narkotika;661016.3;6583721.2\n", "a data row after the note"),
    ("H-2;2025-09-02;20:15;Nark\n", "a row cut short"),
])
def test_a_line_that_is_no_note_under_the_table_is_still_refused(tmp_path, text, where):
    path = tmp_path / "brott.csv"
    path.write_text(";".join(HEADER) + "\nH-1;2025-09-01;20:15;Narkotika;661016.3;6583721.2\n" + text,
                    encoding="utf-8")
    result = read_incidents(path)
    assert result.errors, where
    assert not result.meta.get("trailing_notes")


#: texts as police exports write them -> the dashboard's category (data/categories.yaml's aliases)
CATEGORIES = {"Narkotika": "narkotikabrott", "Skadegörelse": "skadegorelse", "Personrån": "personran"}
NOTES = ["Källa: Polisen, uttag 2026-09-01", "Anm. Preliminära uppgifter", "Uttaget gjordes av RAR",
         "* Brottsplatsen är ungefärlig"]
incidents = st.lists(st.tuples(st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2025, 12, 31)).map(
    lambda d: d.replace(microsecond=0)), st.sampled_from(sorted(CATEGORIES))), min_size=1, max_size=12)


@FAST
@given(rows=incidents, notes=st.lists(st.sampled_from(NOTES), max_size=3), blank=st.booleans(),
       fmt=st.sampled_from(["csv;", "csv,", "xlsx", "xlsx1904"]), chunk=st.integers(1, 5))
def test_fuzz_rows_are_read_and_only_the_notes_below_are_left_out(tmp_path_factory, rows, notes, blank, fmt,
                                                                  chunk):
    folder = tmp_path_factory.mktemp("f")
    if fmt.startswith("xlsx"):
        day0 = DAY0_1904 if fmt == "xlsx1904" else DAY0_1900
        # the day number as Excel holds it: whole days since day 0 and the time as a fraction of a day
        data = [(f"H-{i}", (d - day0).days + (d - day0).seconds / 86400, None, c, 661016.3, 6583721.2)
                for i, (d, c) in enumerate(rows)]
        path = _xlsx(folder / "b.xlsx", data, epoch1904=fmt == "xlsx1904",
                     below=([()] if blank else []) + [(n,) for n in notes])
    else:
        sep = fmt[-1]
        quote = (lambda t: f'"{t}"') if sep == "," else (lambda t: t)
        lines = [sep.join(HEADER)] + [sep.join([f"H-{i}", d.strftime("%Y-%m-%d"), d.strftime("%H:%M:%S"), c,
                                               "661016.3", "6583721.2"]) for i, (d, c) in enumerate(rows)]
        lines += ([""] if blank and notes else []) + [quote(n) for n in notes]
        path = folder / "b.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parts = list(iter_incidents(path, chunk_rows=chunk))
    assert [e for p in parts for e in p.errors] == []
    got = [(t, c) for p in parts for t, c in zip(p.table["occurred_at"], p.table["category"], strict=True)]
    assert [(t.to_pydatetime(), c) for t, c in got] == [(d, CATEGORIES[c]) for d, c in rows]
    assert [text for _, text in parts[-1].meta.get("trailing_notes", [])] == notes
