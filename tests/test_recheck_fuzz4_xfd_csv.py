"""Excel's semicolon CSV of a sheet once used out to column XFD: 16 380 empty fields after the four named
columns on every line. Such an 8 MB file of 504 rows took about half a minute to read (9 s at 65 kB), each
empty column a pass of its own. The columns right of the last named header are now dropped after a check
that they are empty: the rows read are those of the same file without the empty columns, the header lists
only the named columns, and a value in a dropped column refuses its row naming line, column and value.
The big file is made in the test.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lagesbild.sources import crimes, tabular

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december"]
HEADER = "Plats;Brottskategori;Månad;Antal"
TAIL = ";" * 16_380  # columns E..XFD


def _lines(tail: str, rows: int = 504) -> list[str]:
    out = [HEADER + tail]
    for i in range(rows):
        month = i // 2
        out.append(f"{['Hässelby torg', 'Vårberg'][i % 2]};Våldsbrott;{MONTHS[month % 12]} {2000 + month // 12};"
                   f"{(i * 7) % 50}" + tail)
    return out


def _read(path):
    result = crimes.read_crimes(path, file_name=path.name)
    return result.table.sort_values("line").reset_index(drop=True), result.errors


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_xfd_file_reads_as_the_same_file_without_the_empty_columns(tmp_path, encoding):
    wide, narrow = tmp_path / "brott_xfd.csv", tmp_path / "brott.csv"
    wide.write_text("\n".join(_lines(TAIL)) + "\n", encoding=encoding)
    narrow.write_text("\n".join(_lines("")) + "\n", encoding=encoding)
    assert wide.stat().st_size > 8_000_000
    got, got_errors = _read(wide)
    want, want_errors = _read(narrow)
    assert got_errors == want_errors == []
    assert len(got) == 504
    pd.testing.assert_frame_equal(got, want)
    opened = tabular.open_table(wide, accept=lambda cells: "Plats" in cells, expected="Plats")
    assert opened.headers == ["Plats", "Brottskategori", "Månad", "Antal"]  # not 16 380 "kolumn N" more


def _tail_with(column: int, value: str) -> str:
    """The 16 380 empty fields after column D with `value` in the 1-based `column` (E = 5)."""
    cells = [""] * 16_380
    cells[column - 5] = value
    return ";" + ";".join(cells)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_a_value_in_a_dropped_column_refuses_its_row_naming_line_and_column(tmp_path, encoding):
    lines = _lines(TAIL, rows=6)
    lines[3] = lines[3][:-len(TAIL)] + _tail_with(20, "anteckning")   # line 4, column T
    lines[6] = lines[6][:-len(TAIL)] + _tail_with(16_384, "1")         # line 7, column XFD
    path = tmp_path / "brott_xfd.csv"
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    table, errors = _read(path)
    assert [e.message() for e in errors] == [
        'brott_xfd.csv, rad 4, värde "anteckning": kolumn 20 (T) har ett värde men ingen rubrik; rubrikraden '
        "namnger bara kolumnerna A–D – ge kolumnen en rubrik eller ta bort värdet",
        'brott_xfd.csv, rad 7, värde "1": kolumn 16384 (XFD) har ett värde men ingen rubrik; rubrikraden '
        "namnger bara kolumnerna A–D – ge kolumnen en rubrik eller ta bort värdet"]
    assert table["line"].tolist() == [2, 3, 5, 6]


def test_short_rows_and_odd_quoting_under_an_xfd_header(tmp_path):
    """A row without the trailing fields is read (it sends the chunk to the exact record-by-record parse,
    csv module), and there too a value in a dropped column is named; a quoted empty field is empty."""
    path = tmp_path / "brott_xfd.csv"
    path.write_text("\n".join([
        HEADER + TAIL,
        "Vårberg;Våldsbrott;januari 2020;4",                       # no trailing fields
        'Vårberg;Våldsbrott;februari 2020;5;;;"kommentar"' + ";" * 16_377,  # value in column G
        'Vårberg;Våldsbrott;mars 2020;6;""' + TAIL[1:],             # a quoted empty field in column E
    ]) + "\n", encoding="utf-8")
    table, errors = _read(path)
    assert [e.message() for e in errors] == [
        'brott_xfd.csv, rad 3, värde "kommentar": kolumn 7 (G) har ett värde men ingen rubrik; rubrikraden '
        "namnger bara kolumnerna A–D – ge kolumnen en rubrik eller ta bort värdet"]
    assert table["line"].tolist() == [2, 4]
