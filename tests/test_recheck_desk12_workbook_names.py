"""An Excel workbook saved under another name (.csv, .txt, none) is read as the workbook it is.

The readers open a file that starts as a zip archive ("PK") as a workbook whatever its name, but
openpyxl refuses a path not named .xlsx/.xlsm/.xltx/.xltm, and that refusal was said as damage:
tests/data/nasty/crimes_workbook_named_csv.csv (a sound workbook) gave 'Excel-filen kunde inte öppnas;
filen är skadad (okänt fel i filens innehåll)', exit 2. A download saved as "brott.csv" is such a file.
"""

from __future__ import annotations

import gc
import shutil
import warnings
import zipfile

import pytest

from lagesbild.errors import InputError
from lagesbild.settings import ROOT
from lagesbild.sources.crimes import read_crimes

BOOK = ROOT / "tests" / "data" / "nasty" / "crimes_workbook_named_csv.csv"


def _rows(path):
    table = read_crimes(path).table
    return [(p, c, s.strftime("%Y-%m"), int(n)) for p, c, s, n in
            zip(table["place"], table["category"], table["period_start"], table["count"], strict=True)]


@pytest.mark.parametrize("name", ["brott.csv", "brott.txt", "brott", "brott.XLSX"])
def test_read_as_the_same_workbook_named_xlsx(tmp_path, name):
    assert zipfile.is_zipfile(BOOK)  # the file is a workbook whatever its name says
    named = tmp_path / "brott.xlsx"
    shutil.copy(BOOK, named)
    other = tmp_path / "annat" / name
    other.parent.mkdir()
    shutil.copy(BOOK, other)
    # the cells written in the file: Hässelby torg, Skadegörelse, 2019-02, 3
    assert _rows(other) == _rows(named) == [("Hässelby torg", "skadegorelse", "2019-02", 3)]


def test_the_file_is_closed_when_the_reading_is_done(tmp_path):
    path = tmp_path / "brott.csv"
    shutil.copy(BOOK, path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        _rows(path)
        gc.collect()


def test_guard_a_damaged_zip_under_another_name_is_still_damage(tmp_path):
    path = tmp_path / "brott.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(InputError):
        read_crimes(path)
