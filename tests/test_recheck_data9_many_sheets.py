"""A workbook of many sheets (re-check sec5): refusing it named every sheet (3 000 sheets gave a 26 kB
message). The message now names the first five and says "m.fl." with the total."""

from __future__ import annotations

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.cli import main as cli_main
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from lagesbild.sources.xlsxcells import named_sheets

ROWS = [["Område", "Brottstyp", "Period", "Antal"], ["Vårberg", "Skadegörelse", "2020-01", 3]]
SHEETS = 1200


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """A workbook of 1 200 sheets, each with the same small table (a chart-free workbook)."""
    path = tmp_path_factory.mktemp("many") / "brott.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Blad1"
    for i in range(SHEETS):
        ws = book.active if i == 0 else book.create_sheet(f"Blad{i + 1}")
        for row in ROWS:
            ws.append(row)
    book.save(path)
    return path


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "s.sqlite"
    open_store(load_settings({}, db=str(path)))
    return path


def _ingest(store_path, *args, capsys) -> tuple[int, str]:
    code = cli_main(["--db", str(store_path), "ingest", "crimes", *map(str, args), "--no-progress"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_many_sheets_with_a_table_are_named_in_part(many, store_path, capsys):
    code, err = _ingest(store_path, many, capsys=capsys)
    assert code == 2
    # data10: the reading stops at the sixth sheet with a table (the refusal and its names are known)
    assert ('filen har minst 6 blad med en tabell ("Blad1", "Blad2", "Blad3", "Blad4", "Blad5" m.fl. bland '
            "filens 1\u00a0200 blad); bara ett blad läses in per fil") in err
    assert "Blad6" not in err and len(err) < 600


def test_a_sheet_that_is_not_there_names_a_few_of_the_others(many, store_path, capsys, tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("sheet: Saknas\n", encoding="utf-8")
    code, err = _ingest(store_path, many, "--mapping", mapping, capsys=capsys)
    assert code == 2
    assert "bladet 'Saknas' finns inte; filen har Blad1, Blad2, Blad3, Blad4, Blad5 m.fl. (1\u00a0200 blad)" in err
    assert "Blad6" not in err and len(err) < 600


@settings(max_examples=300, deadline=None)
@given(names=st.lists(st.text(min_size=1, max_size=31), max_size=400))
def test_named_sheets_names_at_most_five(names):
    # Excel's sheet names are at most 31 characters: five of them and the total stay short
    text = named_sheets(names)
    if len(names) <= 5:
        assert text == ", ".join(names)
    else:
        assert text.startswith(", ".join(names[:5]) + " m.fl. (")
        assert text.endswith(" blad)") and len(text) <= 5 * 31 + 4 * 2 + 30
