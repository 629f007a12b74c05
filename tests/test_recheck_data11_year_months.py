"""Brå's monthly tables by kommun (data11), values by hand from the files below.

Found: a table with the year in a column and a column per month plus "Totalt" (Brå's statistics database
and Excel pivot tables lay a year out so: ``Kommun;Brott;År;Januari;…;December;Totalt``) was refused
whole, 'hittade ingen rubrikrad med kolumnerna brottskategori samt period och antal', exit 2. Each month
column is now that month of the row's year (sources/yearmonths.py); "Totalt" is no 13th month: it is left
out and named in the report.

Held (guards): the wide layout with "2024 januari" … "2024 december" and "Totalt" (Totalt not read), a
quarter layout "2024K1" … "2024K4" with "Totalt", and a kommun given twice (two lines, other counts, or
once as "0127 Botkyrka") refused naming both lines, never summed; the store is unchanged.
"""

from __future__ import annotations

import json

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.cli import main
from lagesbild.errors import InputError
from lagesbild.sources.crimes import read_crimes

MONTHS = ["Januari", "Februari", "Mars", "April", "Maj", "Juni", "Juli", "Augusti", "September", "Oktober",
          "November", "December"]
YEAR_MONTHS = ("Anmälda brott per månad efter kommun\n"
               "Kommun;Brott;År;" + ";".join(MONTHS) + ";Totalt\n"
               "Botkyrka;Inbrott;2024;1;2;3;4;5;6;7;8;9;10;11;12;78\n"
               "Stockholm;Inbrott;2024;10;20;30;40;50;60;70;80;90;100;110;120;780\n"
               "Botkyrka;Inbrott;2023;4;..;6;7;8;9;10;11;12;13;14;15;109\n"
               "Källa: Brå\n")


def _counts(result) -> dict:
    t = result.table
    return {(p, c, s.strftime("%Y-%m")): (None if pd.isna(n) else int(n))
            for p, c, s, n in zip(t["place"], t["category"], t["period_start"], t["count"].astype(object),
                                  strict=True)}


def test_a_year_column_and_twelve_month_columns_are_twelve_months_and_totalt_is_not_read(tmp_path):
    path = tmp_path / "bra_manad.csv"
    path.write_text(YEAR_MONTHS, encoding="utf-8")
    r = read_crimes(path)
    assert not r.errors, r.errors
    got = _counts(r)
    assert len(got) == 36  # 3 lines × 12 months, no 13th
    assert got[("Botkyrka", "inbrott", "2024-01")] == 1 and got[("Botkyrka", "inbrott", "2024-12")] == 12
    assert got[("Stockholm", "inbrott", "2024-07")] == 70
    assert got[("Botkyrka", "inbrott", "2023-02")] is None  # ".." is missing
    assert got[("Botkyrka", "inbrott", "2023-12")] == 15
    # the months of each 2024 line add up to the file's own Totalt (78, 780): nothing more was read
    assert sum(v for (p, _, m), v in got.items() if p == "Botkyrka" and m.startswith("2024")) == 78
    assert sum(v for (p, _, m), v in got.items() if p == "Stockholm") == 780
    assert r.meta["ignored_columns"] == ["Totalt"]


def _status(db, capsys) -> dict:
    capsys.readouterr()
    assert main(["status", "--db", str(db), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_cli_reads_it_and_says_totalt_was_left_out(tmp_path, capsys):
    path, db = tmp_path / "bra_manad.csv", tmp_path / "s.sqlite"
    path.write_text(YEAR_MONTHS, encoding="utf-8")
    assert main(["ingest", "crimes", str(path), "--db", str(db), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "36 värden inlästa från 3 rader (en kolumn per period)" in out and '"Totalt"' in out, out
    assert _status(db, capsys)["antal_rader"]["crime_counts"] == 36


def test_a_kommun_twice_is_refused_naming_both_lines_and_the_store_is_unchanged(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    good = tmp_path / "bra_manad.csv"
    good.write_text(YEAR_MONTHS, encoding="utf-8")
    assert main(["ingest", "crimes", str(good), "--db", str(db), "--no-progress"]) == 0
    before = _status(db, capsys)
    path = tmp_path / "dubbel.csv"
    path.write_text("Kommun;Brott;År;Januari;Februari;Totalt\n"
                    "Botkyrka;Inbrott;2025;1;2;3\n"
                    "Botkyrka;Inbrott;2025;5;6;11\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["ingest", "crimes", str(path), "--db", str(db), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert 'dubbel.csv, rad 3, kolumn "Januari", värde "5": samma plats, kategori och period som rad 2' in err, err
    assert _status(db, capsys) == before


def test_a_year_that_is_no_year_is_refused_naming_the_month_and_the_year_as_written(tmp_path):
    path = tmp_path / "fel.csv"
    path.write_text("Kommun;Brott;År;Januari\nBotkyrka;Inbrott;2O24;1\n", encoding="utf-8")
    r = read_crimes(path)
    assert [(e.line, e.column, e.value) for e in r.errors] == [(2, "Januari", "jan 2O24")]
    assert "okänd period" in r.errors[0].reason


WIDE = ("Område;Brott;" + ";".join(f"2024 {m.lower()}" for m in MONTHS) + ";Totalt\n"
        "0127 Botkyrka;Inbrott;1;2;3;4;5;6;7;8;9;10;11;12;78\n")


def test_guard_wide_months_with_totalt(tmp_path):
    path = tmp_path / "bred.csv"
    path.write_text(WIDE, encoding="utf-8")
    r = read_crimes(path)
    got = _counts(r)
    assert len(got) == 12 and sum(got.values()) == 78 and got[("0127 Botkyrka", "inbrott", "2024-03")] == 3


def test_guard_quarters_with_totalt(tmp_path):
    path = tmp_path / "kvartal.csv"
    path.write_text("Område;Brott;2024K1;2024K2;2024K3;2024K4;Totalt\nBotkyrka;Inbrott;6;15;24;33;78\n",
                    encoding="utf-8")
    t = read_crimes(path).table
    spans = [(s.strftime("%Y-%m-%d"), e.strftime("%Y-%m-%d"), int(n))
             for s, e, n in zip(t["period_start"], t["period_end"], t["count"], strict=True)]
    assert spans == [("2024-01-01", "2024-03-31", 6), ("2024-04-01", "2024-06-30", 15),
                     ("2024-07-01", "2024-09-30", 24), ("2024-10-01", "2024-12-31", 33)]


@settings(max_examples=60, deadline=None)
@given(year=st.one_of(st.integers(1990, 2026).map(str), st.sampled_from(["", "2O24", "24", "2024 prel.", "år"])),
       counts=st.lists(st.one_of(st.integers(0, 10**6).map(str), st.sampled_from(["..", "-", "1 234", "x", "",
                                                                                   "3,5", "-2"])),
                       min_size=12, max_size=12))
def test_fuzz_each_month_is_read_as_written_or_refused(tmp_path_factory, year, counts):
    path = tmp_path_factory.mktemp("ym") / "f.csv"
    path.write_text("Kommun;Brott;År;" + ";".join(MONTHS) + ";Totalt\n"
                    f"Botkyrka;Inbrott;{year};" + ";".join(counts) + ";0\n", encoding="utf-8")
    try:
        r = read_crimes(path, extracted=None)
    except InputError:
        return
    got = _counts(r)
    assert len(got) + len({e.column for e in r.errors if e.column in MONTHS}) <= 12
    for (_, _, month), value in got.items():
        written = counts[int(month[5:]) - 1].replace(" ", "")
        assert month[:4] == year[:4]
        assert value is None or value == int(written) or (written == "-" and value == 0), (month, value, written)
