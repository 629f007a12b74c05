"""SCB's and Brå's "x" (or "×") for a count that is not published (secrecy, too few cases) was refused as
"antalet kunde inte tolkas som ett tal", though ".." is read as missing and the survey reader skips "x".
It is now read as missing in the crimes count column, exactly as "..": stored without a count, the month
left out of the coverage (so a comparison never takes it for 0 crimes), and the report says so.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.sources.crimes import read_crimes

HEADER = "Plats;Brottskategori;Månad;Antal\n"


@pytest.fixture(scope="module")
def base_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz4x")
    store = open_store(load_settings({}, data_dir=str(folder), db=str(folder / "base.sqlite")))
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    store.engine.dispose()
    return folder / "base.sqlite"


def _ingest(base_store, folder, text):
    path = folder / "brott.csv"
    path.write_text(text, encoding="utf-8")
    db = folder / "s.sqlite"
    shutil.copy(base_store, db)
    store = open_store(load_settings({}, data_dir=str(folder), db=str(db)))
    report = ingest_file(store, "crimes", path)
    return store, report


def _rows(marks):
    return HEADER + "".join(f"Hässelby torg;Våldsbrott;{m} 2018;{c}\n"
                            for m, c in zip(["januari", "februari", "mars", "april"], marks, strict=True))


def test_x_is_stored_as_dotdot_is_and_the_report_says_not_published(base_store, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    store_x, report_x = _ingest(base_store, tmp_path / "a", _rows(["5", "x", " × ", "7"]))
    store_dots, report_dots = _ingest(base_store, tmp_path / "b", _rows(["5", "..", "..", "7"]))
    assert (report_x.status, report_x.accepted) == ("ok", 4)
    assert report_x.remarks == [
        '2 antal var skrivna "x" eller "×" (rad 3, 4) och lästes som uppgift saknas (som ".."), inte som 0: '
        "så skriver SCB och Brå ett antal som inte publiceras (sekretess eller för få fall); antalet är okänt, "
        "så perioden räknas inte som 0 brott utan som en period utan uppgift."]
    x, dots = store_x.dump(), store_dots.dump()
    assert x["crime_counts"] == dots["crime_counts"]
    assert x["coverage"] == dots["coverage"]
    covered = sorted(str(r[2]) for r in x["coverage"] if r[1] == "hasselby-torg")
    assert covered == ["2018-01-01", "2018-04-01"]  # February and March: no count, not zero
    counts = {str(r[4]): r[6] for r in x["crime_counts"]}
    assert counts == {"2018-01-01": 5, "2018-02-01": None, "2018-03-01": None, "2018-04-01": 7}


def test_x_in_a_bra_table_is_missing_not_zero(tmp_path):
    path = tmp_path / "bra.csv"
    path.write_text("Område;Brott;År;Antal\nBoden;Rån;2023;x\nBoden;Rån;2024;-\nBoden;Rån;2025;6\n"
                    "\nKälla: Brå\n", encoding="utf-8")
    r = read_crimes(path)
    assert r.errors == []
    assert r.table["count"].astype(object).tolist() == [pd.NA, 0, 6]
    assert r.meta["suppressed_cells"] == {"lines": [2], "marks": ["x"]}


def test_x_elsewhere_is_still_refused(tmp_path):
    """Guard: only the count column reads "x" as not published; "xx" there is still refused."""
    path = tmp_path / "brott.csv"
    path.write_text(HEADER + "Hässelby torg;Våldsbrott;januari 2018;xx\n", encoding="utf-8")
    r = read_crimes(path, file_name=path.name)
    assert [e.message() for e in r.errors] == [
        'brott.csv, rad 2, kolumn "Antal", värde "xx": antalet kunde inte tolkas som ett tal']
