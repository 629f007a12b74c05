"""A place name holding a NUL byte, as a damaged export or a bad copy leaves it, is refused naming it.

The CSV reader shows a NUL byte as U+FFFD ("Hässelby\ufffd torg") so that it stays visible; the place
key then dropped that character with the punctuation, and the row was stored under Hässelby torg without
a word (exit code 0). The same file's count "6\ufffd2" was refused, so the refusal was a matter of which
column the damage fell in. Fixtures: tests/fixtures/fuzz3 (UTF-8 crimes, Windows-1252 survey).
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from tests.cli_ingest import ingest_in_copy

FIXTURES = ROOT / "tests" / "fixtures" / "fuzz3"
REASON = "namnet har ett skadat tecken (\ufffd: en NUL-byte eller ett tecken i fel teckenkodning); rätta namnet i filen"


@pytest.fixture(scope="module")
def base_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz3names")
    store = open_store(load_settings({}, data_dir=str(folder), db=str(folder / "base.sqlite")))
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    store.engine.dispose()
    return folder / "base.sqlite"


def _store(base_store, tmp_path):
    db = tmp_path / "s.sqlite"
    shutil.copy(base_store, db)
    return open_store(load_settings({}, data_dir=str(tmp_path), db=str(db)))


@pytest.mark.parametrize("kind, name, where", [
    ("crimes", "crimes_nul_in_place.csv", 'rad 3, kolumn "Plats", värde "Hässelby\ufffd torg"'),
    ("survey", "survey_nul_in_area_cp1252.csv", 'rad 2, kolumn "Område", värde "Hässelby\ufffdtorg"'),
])
def test_a_name_with_a_nul_byte_is_refused_and_nothing_written(base_store, tmp_path, kind, name, where):
    store = _store(base_store, tmp_path)
    before = store.dump()
    with pytest.raises(InputError) as info:
        ingest_file(store, kind, FIXTURES / name)
    assert f"{name}, {where}: {REASON}" in info.value.message()
    assert store.dump() == before


def test_keep_valid_stores_the_clean_row_and_rejects_the_damaged_one(base_store, tmp_path):
    store = _store(base_store, tmp_path)
    report = ingest_file(store, "crimes", FIXTURES / "crimes_nul_in_place.csv", keep_valid=True,
                         report_path=str(tmp_path / "avvisade.csv"))
    assert (report.accepted, report.rejected) == (1, 1)
    store.engine.dispose()
    con = sqlite3.connect(tmp_path / "s.sqlite")
    try:
        rows = con.execute("SELECT place_id, period_start, count FROM crime_counts").fetchall()
    finally:
        con.close()
    assert rows == [("hasselby-torg", "2018-01-01", 61)]  # February's 62 was the damaged row
    assert "Hässelby\ufffd torg" in (tmp_path / "avvisade.csv").read_text(encoding="utf-8-sig")


def test_cli_exit_code_2_and_store_unchanged(base_store, tmp_path):
    res, before, after = ingest_in_copy(base_store, tmp_path, "crimes", FIXTURES / "crimes_nul_in_place.csv")
    assert res.returncode == 2, res.stdout + res.stderr
    assert res.stderr.startswith("Fel: crimes_nul_in_place.csv: 1 fel; inget lästes in")
    assert REASON in res.stderr and "Traceback" not in res.stderr
    assert after == before
