"""Excel date cells the action plan (and the crime tables) could not read, said in Swedish.

a) A cell formatted as a date whose number is past Excel's last day (9999-12-31 is day 2 958 465 in
   the 1900 system): openpyxl warned in English ("Cell C2 is marked as a date but the serial value
   3000000 is outside the limits for dates") and read the cell as "#VALUE!", so the plan's refusal said
   'värde "#VALUE!"' and the English warning reached the user. Now the sheet is refused naming the
   sheet, cell, the number and why; no warning passes on.
b) A date cell formatted as a number ("Allmänt") holds Excel's day number: 42035 in a workbook of Mac
   Excel's 1904 system (tests/data/nasty/activities_1904_start_number.xlsx). The plan said only
   "datumet kan inte läsas"; it now says which day the number is in the workbook's system and what to
   write, as the crime readers do (sources.excel_dates). A YAML plan says no system: both are named.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import warnings

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.sources.activities import read_activities

NASTY = ROOT / "tests" / "data" / "nasty"
PAST_9999 = NASTY / "activities_date_cell_past_9999.xlsx"
START_1904 = NASTY / "activities_1904_start_number.xlsx"
# by hand: 9999-12-31 minus 1899-12-30 is 2 958 465 days (365 * 8100 + 1964 leap days, less 1899's last)
LAST_1900 = (dt.date(9999, 12, 31) - dt.date(1899, 12, 30)).days


def _day(epoch: dt.date, number: int) -> str:
    """By hand: Excel counts days from 1899-12-30 (1900 system) or from 1904-01-01 (1904 system)."""
    return (epoch + dt.timedelta(days=number)).isoformat()


def _plan(path, value, *, date_format=False, epoch1904=False, header="Start"):
    book = openpyxl.Workbook()
    book.active.append(["Aktivitet", "Plats", header])
    book.active.append(["Platssamverkan", "Vårberg", value])
    if date_format:
        book.active["C2"].number_format = "yyyy-mm-dd"
    if epoch1904:
        book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    book.save(path)
    return path


def _refusal(path) -> tuple[str, list]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = read_activities(path)
        except InputError as exc:
            return exc.message(), caught
    return "\n".join(e.message() for e in result.errors), caught


def test_a_date_cell_past_9999_is_named_in_swedish_without_a_warning():
    assert LAST_1900 == 2_958_465
    message, caught = _refusal(PAST_9999)
    assert ('activities_date_cell_past_9999.xlsx, blad "Sheet", rad 2, kolumn "C", värde "3000000": '
            "cell C2 är formaterad som datum men talet är inget datum (Excels datum slutar 9999-12-31, "
            "dag 2\u00a0958\u00a0465 i arbetsbokens datumsystem)") in message
    assert "#VALUE!" not in message
    assert [str(w.message) for w in caught] == []


def test_a_crime_table_date_cell_past_9999_is_refused_the_same_way(tmp_path):
    from lagesbild.sources.crimes import read_crimes

    book = openpyxl.Workbook()
    book.active.append(["Plats", "Brottskategori", "Månad", "Antal"])
    book.active.append(["Vårberg", "Inbrott", 4_000_000, 3])
    book.active["C2"].number_format = "yyyy-mm"
    book.save(tmp_path / "brott.xlsx")
    with warnings.catch_warnings(record=True) as caught, pytest.raises(InputError) as info:
        warnings.simplefilter("always")
        read_crimes(tmp_path / "brott.xlsx")
    assert 'blad "Sheet", rad 2, kolumn "C", värde "4000000": cell C2 är formaterad som datum' \
        in info.value.message()
    assert [str(w.message) for w in caught] == []


def test_the_cli_says_it_in_swedish_with_exit_2_and_the_store_kept(tmp_path):
    settings_ = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = open_store(settings_)
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    before = store.dump()
    store.engine.dispose()
    env = {**os.environ, "LAGESBILD_DB": str(tmp_path / "s.sqlite")}
    res = subprocess.run([sys.executable, "-m", "lagesbild", "ingest", "activities", str(PAST_9999)],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert res.returncode == 2
    assert res.stderr.startswith("Fel: ") and "Traceback" not in res.stderr
    assert "UserWarning" not in res.stderr and "marked as a date" not in res.stderr, res.stderr
    assert 'värde "3000000": cell C2' in res.stderr
    assert open_store(settings_).dump() == before


def test_a_1904_day_number_in_the_start_column_says_its_day():
    message, _ = _refusal(START_1904)
    day = _day(dt.date(1904, 1, 1), 42035)
    assert day == "2019-02-01"
    assert (f'blad "Sheet", rad 2, kolumn "Start", värde "42035": värdet ser ut som ett Excel-datumnummer '
            f"(42035 är {day} i arbetsbokens datumsystem, Mac-Excels 1904-system); formatera cellen som "
            f"datum i Excel, eller skriv datumet som {day}") in message


def test_a_1900_day_number_and_a_lopetid_number_are_said_too(tmp_path):
    message, _ = _refusal(_plan(tmp_path / "a.xlsx", 45000))
    assert f"(45000 är {_day(dt.date(1899, 12, 30), 45000)} i arbetsbokens datumsystem, Excels vanliga)" \
        in message
    message, _ = _refusal(_plan(tmp_path / "b.xlsx", 45000, header="Löptid"))  # was read as no dates
    assert 'kolumn "Löptid", värde "45000": värdet ser ut som ett Excel-datumnummer' in message


def test_a_yaml_plan_names_both_systems(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("- aktivitet: X\n  plats: Vårberg\n  start: 42035\n", encoding="utf-8")
    message, _ = _refusal(path)
    assert (f'rad 3, kolumn "start", värde "42035": värdet ser ut som ett Excel-datumnummer (42035 är '
            f"{_day(dt.date(1899, 12, 30), 42035)} i Excels vanliga datumsystem men "
            f"{_day(dt.date(1904, 1, 1), 42035)} i Mac-Excels 1904-system") in message


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=st.integers(10_000, 99_999), epoch1904=st.booleans(), header=st.sampled_from(["Start", "Slut"]))
def test_fuzz_a_day_number_is_said_as_its_day_in_the_workbooks_system(tmp_path, number, epoch1904, header):
    path = _plan(tmp_path / "p.xlsx", number, epoch1904=epoch1904, header=header)
    message, _ = _refusal(path)
    epoch = dt.date(1904, 1, 1) if epoch1904 else dt.date(1899, 12, 30)
    assert f'kolumn "{header}", värde "{number}": värdet ser ut som ett Excel-datumnummer ({number} är ' \
           f"{_day(epoch, number)} i arbetsbokens datumsystem" in message


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=st.one_of(st.integers(LAST_1900 + 1, 10**15), st.floats(LAST_1900 + 1, 1e15)),
       epoch1904=st.booleans())
def test_fuzz_a_date_cell_past_the_last_day_is_refused_with_its_cell(tmp_path, number, epoch1904):
    path = _plan(tmp_path / "p.xlsx", number, date_format=True, epoch1904=epoch1904)
    message, caught = _refusal(path)
    assert 'rad 2, kolumn "C", värde "' in message and "cell C2 är formaterad som datum" in message
    assert "#VALUE!" not in message and [str(w.message) for w in caught] == []

