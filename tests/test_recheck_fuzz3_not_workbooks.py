"""Zip files named as workbooks that are none, refused saying what they are (exit code 2, store untouched).

A LibreOffice Calc sheet (.ods, common where offices use LibreOffice), also renamed .xlsx, a Word
document renamed .xlsx, and a zip of a CSV were all refused as "Excel-filen kunde inte öppnas; filen
är skadad (en del som Excel-filen hänvisar till saknas)" (or "okänt fel i filens innehåll"): the files
are whole, and the user was told to look for damage instead of how to save them.
"""

from __future__ import annotations

import shutil

import pytest

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from tests.cli_ingest import ingest_in_copy

FIXTURES = ROOT / "tests" / "fixtures" / "fuzz3"
ODS = ("filen är ett OpenDocument-kalkylark (.ods, t.ex. från LibreOffice Calc), inte en Excel-arbetsbok; "
       "öppna den och spara den som Excel-arbetsbok (.xlsx) eller som CSV (UTF-8)")


@pytest.fixture(scope="module")
def base_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz3zip")
    store = open_store(load_settings({}, data_dir=str(folder), db=str(folder / "base.sqlite")))
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    store.engine.dispose()
    return folder / "base.sqlite"


@pytest.mark.parametrize("kind, name, expected", [
    ("crimes", "crimes_libreoffice.ods", ODS),
    ("crimes", "crimes_libreoffice_renamed.xlsx", ODS),
    ("survey", "crimes_libreoffice_renamed.xlsx", ODS),
    ("activities", "activities_word_renamed.xlsx",
     "filen är ett Word-dokument (.docx), inte en Excel-arbetsbok; lägg tabellen i en Excel-arbetsbok "
     "(.xlsx) eller CSV"),
    ("survey", "survey_zip_of_csv.xlsx",
     "filen är ett zip-arkiv men ingen Excel-arbetsbok (den har ingen del xl/); spara tabellen som "
     "Excel-arbetsbok (.xlsx) eller CSV"),
])
def test_a_zip_that_is_no_workbook_is_named_for_what_it_is(base_store, tmp_path, kind, name, expected):
    db = tmp_path / "s.sqlite"
    shutil.copy(base_store, db)
    store = open_store(load_settings({}, data_dir=str(tmp_path), db=str(db)))
    before = store.dump()
    with pytest.raises(InputError) as info:
        ingest_file(store, kind, FIXTURES / name)
    assert info.value.message() == f"{name}: {expected}"
    assert "skadad" not in info.value.message()
    assert store.dump() == before


def test_cli_exit_code_2_message_first_store_unchanged(base_store, tmp_path):
    res, before, after = ingest_in_copy(base_store, tmp_path, "crimes", FIXTURES / "crimes_libreoffice.ods")
    assert res.returncode == 2, res.stdout + res.stderr
    assert res.stderr.startswith(f"Fel: crimes_libreoffice.ods: {ODS}"), res.stderr
    assert "Traceback" not in res.stderr
    assert after == before
