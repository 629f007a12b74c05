"""A CSV header cell with a line break in it, as Excel writes a cell wrapped with Alt+Enter.

``Plats;Brottskategori;Månad;"Antal<LF>anmälda brott"`` was read line by line, so the header's first line
had an unclosed quote and the file was refused as "hittade ingen rubrikrad" (or, with the break in the
first cell, "raden har 1 fält": desk12's /tmp/desk12/f/hdr_lf*.csv). The quoted cell is now read across
its lines (as Python's csv module and Excel read it), its break as a space, and the data rows keep their
physical line numbers. References: the files' cells and lines, written by hand below.
"""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.sources.crimes import read_crimes

ROWS = "Vårberg;Inbrott;2019-02;3{nl}Vårberg;Inbrott;2019-03;x{nl}Vårberg;Rån;2019-02;7{nl}"


def _write(path, header: str, nl: str = "\r\n") -> None:
    path.write_bytes((header + nl + ROWS.format(nl=nl)).encode("utf-8"))


def test_a_wrapped_count_header_is_read_and_the_rows_keep_their_lines(tmp_path):
    f = tmp_path / "brott.csv"
    _write(f, 'Plats;Brottskategori;Månad;"Antal\r\nanmälda brott"')
    got = read_crimes(f)
    assert got.meta["headers"] == ["Plats", "Brottskategori", "Månad", "Antal anmälda brott"]
    assert got.meta["header_line"] == 1
    t = got.table
    # the file: line 1-2 the header, line 3 Inbrott feb 3, line 4 Inbrott mar "x" (not published), line 5 Rån 7
    assert list(t["line"]) == [3, 4, 5]
    assert [None if pd.isna(c) else int(c) for c in t["count"]] == [3, None, 7]
    assert list(t["category"]) == ["inbrott", "inbrott", "ran"]
    assert got.meta["suppressed_cells"]["lines"] == [4]


@settings(max_examples=40, deadline=None)
@given(cut=st.sampled_from([i for i, ch in enumerate("Antal anmälda brott") if ch == " "]),
       keep_space=st.sampled_from(["", " ", "  "]), nl=st.sampled_from(["\n", "\r\n"]), quote_all=st.booleans())
def test_a_break_anywhere_in_a_quoted_header_cell_reads_as_the_unbroken_header(tmp_path_factory, cut, keep_space,
                                                                             nl, quote_all):
    name = "Antal anmälda brott"
    left, right = name[:cut] + keep_space, name[cut + 1:]  # the break where a space was (spaces around it kept)
    q = (lambda c: f'"{c}"') if quote_all else (lambda c: c)
    header = ";".join([q("Plats"), q("Brottskategori"), q("Månad"), f'"{left}{nl}{right}"'])
    f = tmp_path_factory.mktemp("w") / "brott.csv"
    _write(f, header, nl)
    got = read_crimes(f)
    assert got.meta["headers"][-1] == name
    assert list(got.table["line"]) == [3, 4, 5]


def test_the_cli_reads_a_wrapped_header_and_names_the_missing_count_by_its_line(tmp_path):
    f = tmp_path / "brott.csv"
    _write(f, '"Plats";Brottskategori;"Månad";"Antal\nanmälda\nbrott"', nl="\n")
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(tmp_path / "s.sqlite"), "ingest",
                          "crimes", str(f), "--no-progress"], capture_output=True, text=True, timeout=300)
    # header on lines 1-3 (a cell wrapped twice), Inbrott mar "x" on line 5
    assert res.returncode == 0, res.stderr
    assert "3 rader inlästa" in res.stdout and "(rad 5)" in res.stdout
