"""A CSV header of tens of thousands of columns is refused at once, as the XLSX reader refuses a sheet
wider than 2 000 columns; the wide-frame path of the header checks gives what the column path gives.

A 389 kB CSV with 50 000 named columns (one data row) took 45 s to read on this machine (the issue's
bound: 30 s for any file under 10 MB), 37 s of it comparing each column with its header through pandas.
The file is made in the test (it is large); the store is compared before and after.
"""

from __future__ import annotations

import shutil
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.sources import tabular


@pytest.fixture(scope="module")
def base_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz3wide")
    store = open_store(load_settings({}, data_dir=str(folder), db=str(folder / "base.sqlite")))
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    store.engine.dispose()
    return folder / "base.sqlite"


def test_fifty_thousand_named_columns_are_refused_quickly_naming_the_header(base_store, tmp_path):
    path = tmp_path / "brott_bred.csv"
    n = 50_000
    path.write_text(";".join(["Plats", "Brottskategori", "Månad", "Antal"] + [f"k{i}" for i in range(n)]) + "\n"
                    + "Hässelby torg;Våldsbrott;februari 2018;62" + ";" * n + "\n", encoding="utf-8")
    db = tmp_path / "s.sqlite"
    shutil.copy(base_store, db)
    store = open_store(load_settings({}, data_dir=str(tmp_path), db=str(db)))
    before = store.dump()
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        ingest_file(store, "crimes", path)
    took = time.perf_counter() - start
    assert info.value.message() == (
        'brott_bred.csv: rubrikraden (rad 1) har 50\u00a0004 kolumner (den sista "k49999"); lagesbild läser '
        "högst 2\u00a0000 kolumner – ta bort kolumnerna längst till höger och spara filen igen")
    assert took < 10, took  # 45 s before
    assert store.dump() == before


def test_empty_columns_at_the_end_are_not_counted(base_store, tmp_path):
    """Guard: Excel's semicolon CSV of a sheet used to column XFD (16 380 empty columns) still loads."""
    path = tmp_path / "brott.csv"
    tail = ";" * 16_380
    path.write_text("Plats;Brottskategori;Månad;Antal" + tail + "\n"
                    + "Hässelby torg;Våldsbrott;februari 2018;62" + tail + "\n", encoding="cp1252")
    db = tmp_path / "s.sqlite"
    shutil.copy(base_store, db)
    store = open_store(load_settings({}, data_dir=str(tmp_path), db=str(db)))
    report = ingest_file(store, "crimes", path)
    assert (report.status, report.accepted) == ("ok", 1)


CELL = st.one_of(st.none(), st.just(""), st.just(" \x1c"), st.sampled_from(["Plats", " Plats ", "\ufeffPlats", "k1",
                                                                        "k2", "x"]), st.text(max_size=4))


@settings(max_examples=80)
@given(rows=st.integers(0, 4), width=st.integers(1, 6), data=st.data())
def test_the_wide_path_counts_as_the_column_path(rows, width, data):
    """Property: for any frame, the cell-by-cell path (used past WIDE_COLUMNS columns) gives the same
    counts and masks as the per-column pandas path."""
    headers = ["Plats"] + [f"k{i}" for i in range(1, width)]
    cells = data.draw(st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=rows, max_size=rows))
    frame = pd.DataFrame(cells, columns=headers, dtype=object) if rows else pd.DataFrame(
        {h: pd.Series([], dtype=object) for h in headers})
    wide_same, wide_mask = tabular._wide_header_matches(frame, headers)
    old = tabular.WIDE_COLUMNS
    try:
        tabular.WIDE_COLUMNS = 10**9  # force the per-column path
        same, mask = tabular.header_matches(frame, headers)
    finally:
        tabular.WIDE_COLUMNS = old
    assert np.array_equal(wide_same, same) and np.array_equal(wide_mask, mask)
