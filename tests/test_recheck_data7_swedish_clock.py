"""Incident dates with the time written the Swedish way: ``14.30`` (the Swedish standard's clock, as the
separate time column already reads it), ``kl. 14.30``, ``5 mars 2024 kl. 14.30`` and ``den 7 mars 2024``.
They were refused as "datumet finns inte eller kunde inte tolkas". The expected times are written by
hand from the values; the hypothesis case builds the text from a datetime and reads it back."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.sources.incidents import read_incidents
from tests.test_cli import run

HEADER = "Id;Datum;Brottskategori;E;N\n"
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
MONTHS = dict(enumerate(("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                         "september", "oktober", "november", "december"), start=1))


def _csv(tmp_path, dates, name="t.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"H-{i};{d};Skadegörelse;667000;{6580000 + i}\n"
                                     for i, d in enumerate(dates)), encoding="utf-8")
    return path


CASES = [
    ("2024-03-05 14.30", dt.datetime(2024, 3, 5, 14, 30), True),
    ("2024-03-06 9.05", dt.datetime(2024, 3, 6, 9, 5), True),
    ("2024-03-05 kl. 14.30", dt.datetime(2024, 3, 5, 14, 30), True),
    ("2024-03-05 kl 14:30", dt.datetime(2024, 3, 5, 14, 30), True),
    ("2024-03-05 kl.14.30", dt.datetime(2024, 3, 5, 14, 30), True),
    ("5 mars 2024 kl. 14.30", dt.datetime(2024, 3, 5, 14, 30), True),
    ("tisdag 5 mars 2024 kl. 23.59", dt.datetime(2024, 3, 5, 23, 59), True),
    ("den 7 mars 2024", dt.datetime(2024, 3, 7), False),
    ("torsdag den 7 mars 2024 kl. 08.15", dt.datetime(2024, 3, 7, 8, 15), True),
    ("2024-03-05 14.30.15", dt.datetime(2024, 3, 5, 14, 30, 15), True),
]


@pytest.mark.parametrize("value,when,timed", CASES)
def test_a_swedish_clock_in_the_date_is_read(tmp_path, value, when, timed):
    result = read_incidents(_csv(tmp_path, [value]))
    assert result.errors == []
    assert result.table["occurred_at"].tolist() == [when]
    assert result.table["time_known"].tolist() == [timed]


def test_through_the_command_line(tmp_path):
    db = tmp_path / "x.sqlite"
    res = run("ingest", "incidents", _csv(tmp_path, [v for v, _, _ in CASES]), "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    from lagesbild.store import Store

    got = Store(f"sqlite:///{db}").incidents()
    assert sorted(got["occurred_at"].tolist()) == sorted(w for _, w, _ in CASES)


@pytest.mark.parametrize("value", ["2024-03-05 24.00", "2024-03-05 14.60", "2024-03-05 kl. 25.10",
                                   "fredag 5 mars 2024 kl. 14.30", "2024-03-05 14.3", "den 30 februari 2024"])
def test_an_impossible_swedish_clock_is_refused_naming_the_cell(tmp_path, value):
    result = read_incidents(_csv(tmp_path, [value]))
    assert [(e.line, e.column, e.value) for e in result.errors] == [(2, "Datum", value)]
    assert result.table.empty


@FAST
@given(when=st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2025, 12, 31)).map(
           lambda d: d.replace(second=0, microsecond=0)),
       form=st.sampled_from(["iso", "iso_kl", "named", "named_kl", "den"]),
       sep=st.sampled_from([".", ":"]), pad=st.booleans())
def test_written_clock_reads_back_as_the_time_it_was_made_from(tmp_path, when, form, sep, pad):
    hour = f"{when.hour:02d}" if pad else str(when.hour)
    clock = f"{hour}{sep}{when.minute:02d}"
    day = f"{when.day} {MONTHS[when.month]} {when.year}"
    text = {"iso": f"{when:%Y-%m-%d} {clock}", "iso_kl": f"{when:%Y-%m-%d} kl. {clock}",
            "named": f"{day} {clock}", "named_kl": f"{day} kl. {clock}", "den": f"den {day} kl {clock}"}[form]
    result = read_incidents(_csv(tmp_path, [text]))
    assert result.errors == []
    assert result.table["occurred_at"].tolist() == [when]


@FAST
@given(text=st.from_regex(r"\A(?:den |tis |)(?:2024-03-05|5 mars 2024)(?: kl\.?|)[ .,T]?[0-9.:]{0,9}\Z", fullmatch=True)
       | st.text(alphabet="0123456789.:- klTdenmars", max_size=25))
def test_any_such_text_is_read_or_refused_naming_the_cell_never_an_exception(tmp_path, text):
    if ";" in text or "\n" in text or text != text.strip() or not text:
        return
    result = read_incidents(_csv(tmp_path, [text]))
    assert len(result.table) + len(result.errors) == 1
    for e in result.errors:
        assert (e.line, e.column, e.value) == (2, "Datum", text)
    for when in result.table["occurred_at"]:
        assert when.year == 2024 or text.startswith(str(when.year))


@pytest.mark.parametrize("clock,when", [("kl. 14.30", dt.datetime(2024, 3, 5, 14, 30)),
                                        ("kl 9.05", dt.datetime(2024, 3, 5, 9, 5)),
                                        ("Kl. 09:05", dt.datetime(2024, 3, 5, 9, 5))])
def test_kl_in_the_separate_time_column_is_read(tmp_path, clock, when):
    path = tmp_path / "t.csv"
    path.write_text(f"Id;Datum;Klockslag;Brottskategori;E;N\nA1;2024-03-05;{clock};Skadegörelse;667000;6580000\n",
                    encoding="utf-8")
    result = read_incidents(path)
    assert result.errors == []
    assert result.table["occurred_at"].tolist() == [when]
    assert result.table["time_known"].tolist() == [True]


@pytest.mark.parametrize("clock", ["kl. 25.10", "kl.", "14.30-15.00"])
def test_a_time_column_that_is_no_clock_is_still_refused(tmp_path, clock):
    path = tmp_path / "t.csv"
    path.write_text(f"Id;Datum;Klockslag;Brottskategori;E;N\nA1;2024-03-05;{clock};Skadegörelse;667000;6580000\n",
                    encoding="utf-8")
    result = read_incidents(path)
    assert [(e.line, e.column, e.value) for e in result.errors] == [(2, "Klockslag", clock)]
