"""Times of day in the police's separate time column, as analysts' files write them: ``930`` (0930 saved
as a number, Excel drops the leading zero), ``0930``, ``9.30``, ``09.30``. Each reads as 09:30 or is
refused saying why; never read as another time. The generator is the oracle."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.sources.incidents import read_incidents
from tests.test_cli import run

HEADER = "Händelse-id;Brottsdatum;Klockslag;Brottskategori;E;N\n"
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _csv(tmp_path, times, name="t.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"H-{i};2025-09-01;{t};Narkotika;661016.3;6583721.2\n"
                                     for i, t in enumerate(times)), encoding="utf-8")
    return path


def test_930_is_half_past_nine_through_the_command_line(tmp_path):
    """"930" was refused ("klockslaget kunde inte tolkas") while "0930" was read."""
    db = tmp_path / "x.sqlite"
    res = run("ingest", "incidents", _csv(tmp_path, ["930", "0930", "9.30", "09.30"]), "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    from lagesbild.store import Store

    got = Store(f"sqlite:///{db}").incidents()
    assert sorted(got["occurred_at"].tolist()) == [dt.datetime(2025, 9, 1, 9, 30)] * 4


def test_930_in_a_number_cell_of_an_xlsx_is_half_past_nine(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"])
    ws.append(["H-1", "2025-09-01", 930, "Narkotika", 661016.3, 6583721.2])
    ws.append(["H-2", "2025-09-01", 2015, "Narkotika", 661016.3, 6583721.2])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    result = read_incidents(path)
    assert result.errors == []
    assert result.table["occurred_at"].tolist() == [dt.datetime(2025, 9, 1, 9, 30), dt.datetime(2025, 9, 1, 20, 15)]


@pytest.mark.parametrize("value,why", [
    ("9,3", '"9,3" kan betyda 09:30 eller 9,3 timmar (09:18)'),
    ("960", "minuter 00–59"), ("2400", "24:00 kan vara dygnets slut (00:00 dagen efter)"), ("93", "t.ex. 09:30, 9.30 eller 0930")])
def test_a_time_that_is_no_time_is_refused_saying_why(tmp_path, value, why):
    result = read_incidents(_csv(tmp_path, [value]))
    assert [(e.line, e.column, e.value) for e in result.errors] == [(2, "Klockslag", value)]
    assert why in result.errors[0].reason
    assert result.table.empty


def test_with_a_date_format_a_time_with_more_after_it_is_not_read_as_its_beginning(tmp_path):
    """With --date-format the time column was read by its first digits: "9:305" became 09:30 and
    "12:60" was blamed on the date."""
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "H-1;15.03.2024;9:305;Narkotika;661016.3;6583721.2\n"
                    "H-2;15.03.2024;12:60;Narkotika;661016.3;6583721.2\n"
                    "H-3;15.03.2024;930;Narkotika;661016.3;6583721.2\n", encoding="utf-8")
    result = read_incidents(path, date_format="DD.MM.YYYY")
    assert [(e.line, e.column) for e in result.errors] == [(2, "Klockslag"), (3, "Klockslag")]
    assert result.table["occurred_at"].tolist() == [dt.datetime(2024, 3, 15, 9, 30)]


def _forms(hour: int, minute: int) -> list[str]:
    out = [f"{hour:02d}:{minute:02d}", f"{hour}:{minute:02d}", f"{hour:02d}{minute:02d}",
           f"{hour:02d}.{minute:02d}", f"{hour}.{minute:02d}"]
    return out + ([f"{hour}{minute:02d}"] if hour < 10 else [])


@FAST
@given(hour=st.integers(0, 23), minute=st.integers(0, 59), date_format=st.booleans(), data=st.data())
def test_every_written_form_of_a_time_reads_as_that_time(tmp_path_factory, hour, minute, date_format, data):
    value = data.draw(st.sampled_from(_forms(hour, minute)))
    path = tmp_path_factory.mktemp("t") / "t.csv"
    day = "15.03.2024" if date_format else "2024-03-15"
    path.write_text(HEADER + f"H-1;{day};{value};Narkotika;661016.3;6583721.2\n", encoding="utf-8")
    result = read_incidents(path, date_format="DD.MM.YYYY" if date_format else None)
    assert result.errors == []
    assert result.table["occurred_at"].tolist() == [dt.datetime(2024, 3, 15, hour, minute)]


@FAST
@given(hour=st.integers(0, 99), minute=st.integers(0, 99), sep=st.sampled_from([":", ".", ""]),
       date_format=st.booleans())
def test_an_hour_past_23_or_a_minute_past_59_is_refused_never_read(tmp_path_factory, hour, minute, sep,
                                                                   date_format):
    if hour <= 23 and minute <= 59:
        return
    value = f"{hour:02d}{sep}{minute:02d}"
    path = tmp_path_factory.mktemp("t") / "t.csv"
    day = "15.03.2024" if date_format else "2024-03-15"
    path.write_text(HEADER + f"H-1;{day};{value};Narkotika;661016.3;6583721.2\n", encoding="utf-8")
    result = read_incidents(path, date_format="DD.MM.YYYY" if date_format else None)
    assert result.table.empty
    assert [(e.column, e.value) for e in result.errors] == [("Klockslag", value)]


def _xlsx_times(path, times):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"])
    for i, t in enumerate(times):
        ws.append([f"H-{i}", "2025-09-01", t, "Narkotika", 661016.3, 6583721.2])
    wb.save(path)
    return path


def test_a_time_cell_formatted_as_a_number_is_the_time_of_day_excel_holds(tmp_path):
    """Excel holds 09:30 as 0,3958333… of a day; in a cell formatted "Allmänt" that number was refused."""
    result = read_incidents(_xlsx_times(tmp_path / "t.xlsx", [9.5 / 24, (20 * 3600 + 15 * 60 + 7) / 86400]))
    assert result.errors == []
    assert result.table["occurred_at"].tolist() == [dt.datetime(2025, 9, 1, 9, 30), dt.datetime(2025, 9, 1, 20, 15, 7)]


def test_a_short_fraction_is_refused_naming_both_readings(tmp_path):
    """0,5 is noon as Excel holds it, or minutes: refused, never read as either."""
    [error] = read_incidents(_xlsx_times(tmp_path / "t.xlsx", [0.5])).errors
    assert (error.column, error.value) == ("Klockslag", "0,5")
    assert "del av ett dygn (12:00) eller minuter" in error.reason


@FAST
@given(second=st.integers(0, 86399))
def test_fuzz_every_second_of_the_day_as_excel_holds_it(tmp_path_factory, second):
    fraction = second / 86400
    path = _xlsx_times(tmp_path_factory.mktemp("x") / "t.xlsx", [fraction])
    result = read_incidents(path)
    decimals = len(repr(fraction).split(".")[1]) if "." in repr(fraction) else 0
    if second and decimals <= 2:  # 0,5 / 0,25 / 0,75 / 0,05 …: noon or minutes?
        assert result.table.empty and [e.column for e in result.errors] == ["Klockslag"]
    else:
        assert result.errors == []
        assert result.table["occurred_at"].tolist() == [dt.datetime(2025, 9, 1) + dt.timedelta(seconds=second)]
