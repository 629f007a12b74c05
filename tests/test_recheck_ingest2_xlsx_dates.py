"""XLSX header cells that Excel holds as dates.

A year typed into a header cell formatted as a date is held as the day that many days after Excel's
epoch: 2024 shows as 1905-07-16, and the file was refused on every row ("perioden ligger före 1950")
with the year never named. A month header "jan 2024" that Excel saved as the date 2024-01-01 and shows
with its day is the month. First days of January a year apart (2023-01-01, 2024-01-01) were read as
three Januaries although they may be years: now refused, naming the cell and what to write instead.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from lagesbild.cli import main
from lagesbild.settings import ROOT
from lagesbild.sources.crimes import read_crimes

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"
BRA_WIDE = ROOT / "tests" / "data" / "bra" / "wide_year_years_over_measures.xlsx"
EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0 as openpyxl reads serial numbers


def _serial_day(year: int) -> dt.datetime:
    """What Excel holds when ``year`` is typed into a cell formatted as a date (openpyxl's reading)."""
    return EXCEL_EPOCH + dt.timedelta(days=year)


def _wide(path, heads, fmt="yyyy-mm-dd", counts=(3, 4, 5)):
    wb = Workbook()
    ws = wb.active
    ws.append(["Plats", "Brottskategori", *heads])
    for i in range(len(heads)):
        ws.cell(row=1, column=3 + i).number_format = fmt
    ws.append(["Vårberg", "Rån", *counts[:len(heads)]])
    wb.save(path)
    return path


def _run(tmp_path, capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main(["--db", str(tmp_path / "s.sqlite"), *map(str, args)])
    out = capsys.readouterr()
    return rc, out.out, out.err


def _compare(tmp_path, capsys, *periods) -> list[tuple]:
    rc, out, err = _run(tmp_path, capsys, "compare", "--place", "Vårberg", "--category", "ran",
                        "--periods", *periods, "--format", "json")
    assert rc == 0, err
    return [(r["period_a"], r["count_a"], r["period_b"], r["count_b"]) for r in json.loads(out)]


def test_year_headers_typed_into_date_cells_are_the_years(tmp_path, capsys):
    path = _wide(tmp_path / "år.xlsx", [_serial_day(y) for y in (2023, 2024, 2025)])
    assert load_workbook(path).active["C1"].value == dt.datetime(1905, 7, 15)  # what the file holds
    assert _run(tmp_path, capsys, "ingest", "--no-progress", "places", PLACES)[0] == 0
    rc, out, err = _run(tmp_path, capsys, "ingest", "--no-progress", "crimes", path)
    assert rc == 0, err
    assert _compare(tmp_path, capsys, "2023", "2024", "2025") == [("2023", 3, "2024", 4), ("2024", 4, "2025", 5)]


def test_month_headers_saved_as_dates_shown_with_the_day_are_the_months(tmp_path, capsys):
    path = _wide(tmp_path / "mån.xlsx", [dt.datetime(2024, m, 1) for m in (1, 2, 3)])
    assert _run(tmp_path, capsys, "ingest", "--no-progress", "places", PLACES)[0] == 0
    assert _run(tmp_path, capsys, "ingest", "--no-progress", "crimes", path)[0] == 0
    assert _compare(tmp_path, capsys, "2024-01", "2024-02", "2024-03") == [("jan 2024", 3, "feb 2024", 4),
                                                                          ("feb 2024", 4, "mar 2024", 5)]


def test_bra_years_over_measures_typed_into_date_cells(tmp_path):
    wb = load_workbook(BRA_WIDE)
    ws = wb.active
    for ref, year in (("C4", 2022), ("E4", 2023)):
        ws[ref].value, ws[ref].number_format = _serial_day(year), "yyyy-mm-dd"
    wb.save(tmp_path / "bra.xlsx")
    res = read_crimes(tmp_path / "bra.xlsx")
    assert not res.errors, res.errors
    got = {(p, c, s.year): n for p, c, s, n in zip(res.table["place"], res.table["category"],
                                                   res.table["period_start"], res.table["count"], strict=True)
           if not pd.isna(n)}
    assert got[("Stockholms kommun", "misshandel", 2022)] == 8100
    assert got[("Stockholms kommun", "misshandel", 2023)] == 8200


def test_first_days_of_january_a_year_apart_are_refused_with_the_cell(tmp_path, capsys):
    path = _wide(tmp_path / "jan.xlsx", [dt.datetime(y, 1, 1) for y in (2023, 2024, 2025)])
    assert _run(tmp_path, capsys, "ingest", "--no-progress", "places", PLACES)[0] == 0
    rc, out, err = _run(tmp_path, capsys, "ingest", "--no-progress", "crimes", path)
    assert rc == 2 and "Traceback" not in err
    assert 'jan.xlsx, blad "Sheet", rad 1, kolumn "C", värde "2023-01-01"' in err
    assert "menas åren eller januari varje år?" in err and "2023 för året, jan 2023 för månaden" in err
    rc, out, err = _run(tmp_path, capsys, "status", "--format", "json")
    assert json.loads(out)["antal_rader"]["crime_counts"] == 0


def test_another_number_held_as_a_date_is_refused_with_the_number(tmp_path, capsys):
    path = _wide(tmp_path / "tal.xlsx", [_serial_day(12), _serial_day(2024)])
    rc, out, err = _run(tmp_path, capsys, "ingest", "--no-progress", "crimes", path)
    assert rc == 2 and "Traceback" not in err
    assert 'rad 1, kolumn "C", värde "1900-01-11"' in err and "talet 12 i en cell formaterad som datum" in err


def test_quarter_steps_are_refused_and_a_text_header_is_untouched(tmp_path):
    from lagesbild.sources.xlsxcells import header_dates

    cells, problem = header_dates(["2024-01-01", "2024-04-01"], {0: dt.datetime(2024, 1, 1),
                                                                 1: dt.datetime(2024, 4, 1)})
    assert problem is not None and "kvartalen" in problem[1]
    # dates Excel shows without their day are read as shown (mmm-yy → a month) and text stays text
    assert header_dates(["2023-01", "2024"], {0: dt.datetime(2023, 1, 1)}) == (["2023-01", "2024"], None)


@settings(max_examples=200)
@given(st.lists(st.one_of(st.integers(1950, 2100).map(_serial_day),
                          st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2200, 12, 31))), max_size=6))
def test_header_dates_never_fail_and_read_serial_years(values):
    from lagesbild.sources.xlsxcells import header_dates

    texts = [v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ") for v in values]
    cells, problem = header_dates(texts, dict(enumerate(values)))
    assert len(cells) == len(texts)
    if problem is None:
        for v, text in zip(values, cells, strict=True):
            if v.year < 1950 and v.time() == dt.time(0):
                assert text == str((v - EXCEL_EPOCH).days) and 1950 <= int(text) <= 2100
    else:
        assert 0 <= problem[0] < len(texts) and problem[1]


def test_population_xlsx_years_typed_into_date_cells_are_the_years(tmp_path):
    """SCB's table saved from Excel: the year headers (wide) or the year column (long) formatted as dates
    were "hittar ingen rubrikrad" or years of 1905."""
    from lagesbild.sources.population import read_population

    wb = Workbook()
    ws = wb.active
    ws.append(["Folkmängden per region och år"])
    ws.append([])
    ws.append(["region", _serial_day(2022), _serial_day(2023)])
    for cell in ws[3][1:]:
        cell.number_format = "yyyy-mm-dd"
    ws.append(["0180 Stockholm", 984748, 988943])
    wb.save(tmp_path / "wide.xlsx")
    assert read_population(tmp_path / "wide.xlsx").values.tolist() == [["0180", 2022, 984748, "Stockholm"],
                                                                       ["0180", 2023, 988943, "Stockholm"]]
    wb = Workbook()
    ws = wb.active
    ws.append(["region", "år", "folkmängd"])
    for row, year in ((2, 2022), (3, 2023)):
        ws.append(["hasselby-torg", _serial_day(year), 1357])
        ws.cell(row=row, column=2).number_format = "yyyy"
    wb.save(tmp_path / "long.xlsx")
    got = read_population(tmp_path / "long.xlsx")
    assert got["year"].tolist() == [2022, 2023]


def test_a_year_column_typed_as_dates_is_refused_with_the_reason(tmp_path, capsys):
    """Data cells are read as the user sees them (Excel shows 1905 for 2023 typed into a date-formatted
    year column); the refusal now says why a year becomes 1905 and what to do."""
    wb = Workbook()
    ws = wb.active
    ws.append(["year", "area", "crime_type", "count"])
    for row, (year, n) in enumerate(((2023, 31), (2024, 35)), start=2):
        ws.append([_serial_day(year), "Skärholmen", "Skadegörelse", n])
        ws.cell(row=row, column=1).number_format = "yyyy"
    wb.save(tmp_path / "tidy.xlsx")
    rc, out, err = _run(tmp_path, capsys, "ingest", "--no-progress", "crimes", tmp_path / "tidy.xlsx")
    assert rc == 2 and "Traceback" not in err
    assert 'rad 2, kolumn "year", värde "1905": perioden ligger före 1950' in err
    assert "Ett årtal som skrivs i en Excel-cell formaterad som datum blir ett datum 1905" in err
