"""Brå's and the police's crime tables as downloaded: title lines naming the measure, footnote marks
on period headers, notes under the table, PX-Web month columns, and kommun-prefixed district names."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lagesbild.errors import InputError
from lagesbild.sources.crimes import read_crimes

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "bra"


def _ingest(path: Path, tmp_path: Path):
    """Run ``lagesbild ingest crimes`` on a fresh store: (exit code, output, stored rows)."""
    db = tmp_path / "s.sqlite"
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", f"sqlite:///{db}", "ingest", "crimes",
                          str(path), "--no-progress"], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "LAGESBILD_DB": ""}, timeout=120)
    rows = {}
    if db.exists():
        with sqlite3.connect(db) as con:
            for place, cat, start, end, count, prel in con.execute(
                    "select place_id, category, period_start, period_end, count, preliminary "
                    "from crime_counts"):
                rows[(place, cat, str(start)[:10], str(end)[:10])] = (count, bool(prel))
    return res.returncode, res.stdout + res.stderr, rows


def _table(path: Path, encoding: str, header_start: str) -> list[list[str]]:
    """The file's data rows, read with the csv module (header first, notes left out)."""
    lines = path.read_bytes().decode(encoding).lstrip("\ufeff").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    out = []
    for row in csv.reader(lines[start:], delimiter=";"):
        if not row or len(row) != len(out[0] if out else row):
            if out and row:
                break
            continue
        out.append(row)
    return out


def _number(text: str) -> int | None:
    text = text.replace(" ", "").replace("\u00a0", "")
    return None if text == ".." else 0 if text == "-" else int(text)


@pytest.mark.parametrize("name", ["rate_title_whole.csv", "rate_title_decimals.csv",
                                  "rate_title_region_id.csv"])
def test_rate_table_named_in_the_title_is_refused(name, tmp_path):
    rc, out, rows = _ingest(DATA / name, tmp_path)
    assert rc == 2, out
    assert out.startswith("Fel: ") and "Traceback" not in out
    assert "per 100 000 invånare" in out and "antal" in out
    assert rows == {}


def test_title_naming_counts_or_count_headers_are_read(write_text):
    counts = write_text("Anmälda brott, antal\n\nOmråde;Brott;2022;2023\n"
                                 "Stockholm;Narkotikabrott;927;931\n", "a.csv")
    assert read_crimes(counts).table["count"].tolist() == [927, 931]
    both = write_text("Anmälda brott, antal och per 100 000 invånare\n\n"
                               "Område;Brott;2022 Antal;2022 Per 100 000 inv.\n"
                               "Stockholm;Narkotikabrott;9 100;927,0\n", "b.csv")
    assert read_crimes(both).table["count"].tolist() == [9100]
    unclear = write_text("Anmälda brott, antal och per 100 000 invånare\n\n"
                                  "Område;Brott;2022;2023\nStockholm;Narkotikabrott;927;931\n", "c.csv")
    with pytest.raises(InputError, match="per 100 000 invånare"):
        read_crimes(unclear)


@pytest.mark.parametrize("name,header", [("footnote_year_region_id_cp1252.csv", "Område;Region_ID"),
                                         ("wide_year_notes_cp1252.csv", "Område;Brott"),
                                         ("wide_year_region_header_cp1252.csv", "Region;Brott")])
def test_footnote_year_is_read_preliminary_and_notes_cut(name, header, tmp_path):
    rc, out, rows = _ingest(DATA / name, tmp_path)
    assert rc == 0, out
    table = _table(DATA / name, "cp1252", header)
    years = [h for h in table[0] if h[:4].isdigit()]
    assert years[-1] == "2024¹"
    by_name = {r[table[0].index("Brott")].strip(): r for r in table[1:]}
    for text, cat in [("Misshandel inkl. grov", "misshandel"), ("Narkotikabrott", "narkotikabrott"),
                      ("Skadegörelsebrott", "skadegorelse")]:
        for year in years:
            value = _number(by_name[text][table[0].index(year)])
            start, end = f"{year[:4]}-01-01", f"{year[:4]}-12-31"
            assert rows[("stockholm", cat, start, end)] == (value, year == "2024¹"), (text, year)
    assert "Traceback" not in out


def test_pxweb_month_columns_in_a_plain_wide_file(tmp_path):
    rc, out, rows = _ingest(DATA / "wide_month_pxweb.csv", tmp_path)
    assert rc == 0, out
    table = _table(DATA / "wide_month_pxweb.csv", "utf-8", "Område;Brott")
    assert len(rows) == 24
    row = table[1]
    for header, value in zip(table[0][2:], row[2:], strict=True):
        month = int(header[5:])
        end = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}.get(month, 31)
        key = ("stockholm", "misshandel", f"2023-{month:02d}-01", f"2023-{month:02d}-{end}")
        assert rows[key] == (int(value), False)


def test_antal_headers_with_notes_below(tmp_path):
    rc, out, rows = _ingest(DATA / "wide_year_antal_notes.csv", tmp_path)
    assert rc == 0, out
    assert rows == {("stockholm", "misshandel", "2022-01-01", "2022-12-31"): (8100, False),
                    ("stockholm", "misshandel", "2023-01-01", "2023-12-31"): (8200, False),
                    ("stockholm", "narkotikabrott", "2022-01-01", "2022-12-31"): (9100, False),
                    ("stockholm", "narkotikabrott", "2023-01-01", "2023-12-31"): (None, False)}


def test_xlsx_with_merged_title_and_notes_row():
    res = read_crimes(DATA / "wide_year_merged_title.xlsx")
    assert res.errors == []
    got = {(c, s.year): n for c, s, n in zip(res.table["category"], res.table["period_start"],
                                              res.table["count"], strict=True)}
    assert got[("misshandel", 2022)] == 8100 and got[("narkotikabrott", 2022)] == 9100
    assert got[("totalt", 2023)] == 145900 and pd.isna(got[("narkotikabrott", 2023)])
    assert any("Förklaring" in n for n in res.meta["table_notes"])


def test_ignored_columns_are_named_in_the_report(write_text, tmp_path):
    path = write_text("Anmälda brott, antal\nOmråde;Brott;2022;2023;Totalt;Förändring (%)\n"
                               "Stockholms kommun;Narkotikabrott;9 100;9 200;18 300;1,1\n", "a.csv")
    rc, out, rows = _ingest(path, tmp_path)
    assert rc == 0, out
    assert 'Kolumner som inte lästes in (inte antal för en period): "Totalt", "Förändring (%)".' in out
    assert sorted(v[0] for v in rows.values()) == [9100, 9200]


def test_kommun_prefixed_district_names_reach_the_district(tmp_path):
    rc, out, rows = _ingest(DATA / "areas_kommun_prefixed.csv", tmp_path)
    assert rc == 0, out
    assert rows[("hasselby-vallingby", "misshandel", "2022-01-01", "2022-12-31")] == (400, False)
    assert rows[("hasselby-vallingby", "narkotikabrott", "2023-01-01", "2023-12-31")] == (310, False)
    assert rows[("skarholmen", "narkotikabrott", "2022-01-01", "2022-12-31")] == (200, False)
    assert not any("hasselby" in k[0] and k[0] != "hasselby-vallingby" for k in rows)


@pytest.mark.parametrize("name", ["wide_year_years_over_measures.xlsx", "wide_year_measures_under_years_cp1252.csv"])
def test_a_header_over_two_rows_years_and_measures_is_read_as_one(name, tmp_path):
    """Brå's tables with two measures put each year over its Antal and Per 100 000 inv. columns, in a
    merged cell above the header or as the header over a row of measures. Read row by row, the first
    said "perioden saknas" on every line (no column named) and the second "kolumnen har värden men
    ingen rubrik"; now the two rows are one header ("2022 Antal"), the rates are left out by name and
    the data lines keep their numbers."""
    rc, out, rows = _ingest(DATA / name, tmp_path)
    assert rc == 0, out
    assert '"2022 Per 100 000 inv.", "2023 Per 100 000 inv."' in out  # named as not read
    assert rows == {("stockholm", "misshandel", "2022-01-01", "2022-12-31"): (8100, False),
                    ("stockholm", "misshandel", "2023-01-01", "2023-12-31"): (8200, False),
                    ("stockholm", "narkotikabrott", "2022-01-01", "2022-12-31"): (9100, False),
                    ("stockholm", "narkotikabrott", "2023-01-01", "2023-12-31"): (None, False),
                    ("goteborg", "misshandel", "2022-01-01", "2022-12-31"): (5200, False),
                    ("goteborg", "misshandel", "2023-01-01", "2023-12-31"): (5100, False)}
    res = read_crimes(DATA / name)
    first_data_line = 6 if name.endswith(".xlsx") else 4
    assert res.meta["header_rows"] == 2 and res.table["line"].min() == first_data_line


def test_a_title_line_above_a_header_is_not_joined_to_it(write_text):
    """Only a row of periods (two or more) over measures is a header's upper row: a title naming one
    year stays a title, and a wide header's first data row is never read as its measures."""
    res = read_crimes(write_text("Anmälda brott 2022;;\nOmråde;Brott;Antal;Period\n"
                                 "Stockholms kommun;Misshandel;8 100;2022\n", "t.csv"))
    assert res.meta["header_rows"] == 1 and res.table["count"].tolist() == [8100]
    res = read_crimes(write_text("Område;Brott;2022;2023\nStockholms kommun;Misshandel;8 100;8 200\n", "w.csv"))
    assert res.meta["header_rows"] == 1 and res.table["count"].tolist() == [8100, 8200]
