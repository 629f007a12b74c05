"""Characters that show as nothing at a cell's start or end made a sound value unreadable.

A zero-width space after a count ("3\\u200b", pasted from a web page) was refused as 'värde "3":
antalet kunde inte tolkas som ett tal' (the message showing "3"), and a byte-order mark before a
period ("\\ufeff2024-02": two exports joined, a cell edited in Notepad) as 'okänd period' of a value
that looks like 2024-02. The CSV and XLSX readers now take such characters (rows.INVISIBLE: zero-width
space and joiners, word joiner, byte-order mark, soft hyphen, direction marks) off a cell's ends;
one inside a value stays (and is refused where it makes the value unreadable).
"""

from __future__ import annotations

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.settings import ROOT
from lagesbild.sources.crimes import read_crimes

NASTY = ROOT / "tests" / "data" / "nasty" / "crimes_invisible_edges.csv"
HEADER = "Plats;Brottskategori;Månad;Antal\n"
# zero-width space, non-joiner, joiner, left-to-right and right-to-left marks, word joiner, byte-order
# mark, soft hyphen (as sources.rows.INVISIBLE)
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"


def test_the_nasty_file_reads_its_counts_and_months():
    result = read_crimes(NASTY)
    assert [e.message() for e in result.errors] == []
    # by hand: the file's two rows, 3 burglaries in January and 4 graffiti in February 2024
    got = sorted(zip(result.table["period_start"].astype(str), result.table["count"].astype(int), strict=True))
    assert [(p[:7], c) for p, c in got] == [("2024-01", 3), ("2024-02", 4)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
def test_a_zero_width_space_after_a_count_in_each_encoding(tmp_path, encoding):
    path = tmp_path / "b.csv"
    mark = "\u200b" if encoding != "cp1252" else "\xad"  # Windows-1252 has the soft hyphen, not U+200B
    path.write_bytes((HEADER + f"Vårberg;Inbrott;2024-01;3{mark}\n").encode(encoding))
    result = read_crimes(path)
    assert result.errors == [] and result.table["count"].tolist() == [3]


def test_a_workbook_cell_too(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Plats", "Brottskategori", "Månad", "Antal"])
    book.active.append(["Vårberg", "Inbrott", "\u20602024-01", "5\u200b"])
    book.save(tmp_path / "b.xlsx")
    result = read_crimes(tmp_path / "b.xlsx")
    assert result.errors == [] and result.table["count"].tolist() == [5]


def test_one_inside_a_number_is_still_refused(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(HEADER + "Vårberg;Inbrott;2024-01;1\u200b2\n", encoding="utf-8")
    assert "antalet kunde inte tolkas som ett tal" in read_crimes(path).errors[0].message()


@settings(max_examples=40, deadline=None)
@given(before=st.text(st.sampled_from(INVISIBLE), max_size=3), after=st.text(st.sampled_from(INVISIBLE), max_size=3),
       count=st.integers(0, 10_000), month=st.integers(1, 12), cell=st.sampled_from(["count", "period"]))
def test_fuzz_invisible_edges_never_change_or_refuse_a_value(tmp_path_factory, before, after, count, month, cell):
    period = f"2023-{month:02d}"
    shown = {"count": f"{before}{count}{after}", "period": f"{before}{period}{after}"}
    path = tmp_path_factory.mktemp("c") / "b.csv"
    path.write_text(HEADER + f"Vårberg;Inbrott;{shown['period'] if cell == 'period' else period};"
                    f"{shown['count'] if cell == 'count' else count}\n", encoding="utf-8")
    result = read_crimes(path)
    assert result.errors == []
    assert result.table["count"].tolist() == [count] and str(result.table["period_start"].iloc[0])[:7] == period
