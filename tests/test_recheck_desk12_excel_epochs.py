"""An Excel day number in a crime table's period column is named in the file's own date system.

tests/data/nasty/crimes_1904_period_number.xlsx is a workbook in Mac Excel's 1904 date system
(``<workbookPr date1904="1"/>``) whose third row holds the bare number 42035 in its period column.
The refusal said "42035 är 2015-01-31 i Excels vanliga datumsystem", a day this workbook does not mean;
in the workbook's own system 42035 is 2019-02-01. A CSV file says neither system, so both are named.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from lagesbild.cli import main
from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings

NASTY = ROOT / "tests" / "data" / "nasty"
BOOK_1904 = NASTY / "crimes_1904_period_number.xlsx"


def _day(epoch: dt.date, number: int) -> str:
    """By hand: Excel counts days from 1899-12-30 (1900 system) or from 1904-01-01 (1904 system)."""
    return (epoch + dt.timedelta(days=number)).isoformat()


@pytest.fixture()
def store(tmp_path):
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = open_store(settings)
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    return store


def test_the_1904_workbook_is_its_own_date_system(store):
    before = store.dump()
    with pytest.raises(InputError) as info:
        ingest_file(store, "crimes", BOOK_1904)
    message = info.value.message()
    assert _day(dt.date(1904, 1, 1), 42035) == "2019-02-01"
    assert ('blad "Brott", rad 3, kolumn "Period", värde "42035": okänd period: värdet ser ut som ett '
            "Excel-datumnummer (42035 är 2019-02-01 i arbetsbokens datumsystem, Mac-Excels 1904-system)"
            ) in message, message
    assert _day(dt.date(1899, 12, 30), 42035) not in message  # 2015-01-31: the other system's day
    assert store.dump() == before


def test_a_csv_day_number_names_both_systems(store, tmp_path):
    path = tmp_path / "dagnummer.csv"
    path.write_text("Område;Brottstyp;Period;Antal\nHässelby torg;Skadegörelse;43497;3\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        ingest_file(store, "crimes", path)
    message = info.value.message()
    in_1900, in_1904 = _day(dt.date(1899, 12, 30), 43497), _day(dt.date(1904, 1, 1), 43497)
    assert (in_1900, in_1904) == ("2019-02-01", "2023-02-02")
    assert (f"43497 är {in_1900} i Excels vanliga datumsystem men {in_1904} i Mac-Excels 1904-system, "
            "och en CSV-fil säger inte vilket") in message, message


def test_the_cli_refuses_the_1904_workbook_and_keeps_the_store(tmp_path, capsys):
    folder = tmp_path / "s"
    folder.mkdir()
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite"))
    store = open_store(settings)
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    before = store.dump()
    store.engine.dispose()
    copy = tmp_path / "bok.xlsx"
    shutil.copy(BOOK_1904, copy)
    code = main(["ingest", "crimes", str(copy), "--db", str(folder / "s.sqlite"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("Fel: bok.xlsx"), err
    assert "Traceback" not in err and "2019-02-01 i arbetsbokens datumsystem" in err, err
    assert open_store(settings).dump() == before
