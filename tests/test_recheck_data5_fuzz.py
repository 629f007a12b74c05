"""Hypothesis on the readers data5 changed: the period grammar's ``kv`` quarters, incident dates with a
weekday or a month's name (:mod:`lagesbild.sources.swedish_dates`) and sum rows under an incident table
(:func:`lagesbild.sources.trailing_notes.sum_row`). References come from Python's calendar, not the code."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.sources.dates import read_period
from lagesbild.sources.incidents import read_incidents
from lagesbild.sources.swedish_dates import rewrite_dates
from lagesbild.sources.trailing_notes import is_sum_line, sum_row

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
DAYS_SV = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
MONTHS_SV = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
             "oktober", "november", "december"]
DAY = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))


@FUZZ
@given(year=st.integers(1900, 2100), quarter=st.integers(1, 4),
       form=st.sampled_from(["kv {q} {y}", "Kv. {q} {y}", "{y} kv {q}", "KV{q} {y}", "{y} Kv{q}"]))
def test_kv_quarters_are_the_calendar_quarter(year, quarter, form):
    period = read_period(form.format(q=quarter, y=year))
    first_month = 3 * quarter - 2
    assert period.start == dt.date(year, first_month, 1)
    assert period.end == dt.date(year, first_month + 2, calendar.monthrange(year, first_month + 2)[1])


@FUZZ
@given(text=st.text(max_size=30))
def test_any_period_text_is_read_or_refused_in_swedish(text):
    try:
        read_period(text)
    except ValueError as exc:
        assert str(exc)


@FUZZ
@given(day=DAY, shift=st.integers(0, 6), short=st.booleans(), iso=st.booleans(), upper=st.booleans(),
       time=st.one_of(st.none(), st.times().map(lambda t: t.strftime("%H:%M"))))
def test_a_date_with_a_weekday_is_read_and_a_wrong_weekday_flagged(day, shift, short, iso, upper, time):
    weekday = DAYS_SV[(day.weekday() + shift) % 7]  # the calendar's weekday, or another
    name = weekday[:3] if short else weekday
    written = day.isoformat() if iso else f"{day.day} {MONTHS_SV[day.month - 1]} {day.year}"
    text = f"{name.upper() if upper else name} {written}" + (f" {time}" if time else "")
    out, wrong = rewrite_dates(pd.Series([text], dtype="string"))
    assert out.iloc[0] == day.isoformat() + (f" {time}" if time else "")
    assert bool(wrong[0]) == (shift != 0)


@FUZZ
@given(text=st.text(max_size=40))
def test_rewriting_any_text_never_fails_and_keeps_what_it_does_not_read(text):
    out, wrong = rewrite_dates(pd.Series([text], dtype="string"))
    value = out.iloc[0]
    assert value == text or (len(value) >= 10 and dt.date.fromisoformat(value[:10]))
    assert not wrong[0] or value != text


@FUZZ
@given(cells=st.lists(st.text(max_size=12), max_size=5))
def test_sum_row_never_fails(cells):
    assert isinstance(sum_row(cells), bool)
    assert isinstance(is_sum_line(" ".join(cells)), bool)


@FUZZ
@given(tail=st.lists(st.text(alphabet=st.sampled_from(list("Summa;Totalt:12 ,\"x\n")), max_size=20),
                     max_size=3),
       days=st.lists(st.tuples(DAY, st.integers(0, 6)), min_size=1, max_size=4))
def test_incident_files_with_weekdays_and_trailing_lines_are_read_or_refused(tail, days):
    rows = [f"I-{i};{DAYS_SV[(d.weekday() + s) % 7]} {d.isoformat()};10:00;Narkotika;661016,3;6583721,2"
            for i, (d, s) in enumerate(days)]
    body = "Händelse-id;Brottsdatum;Klockslag;Brottskategori;E;N\n" + "\n".join(rows + tail) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "h.csv"
        path.write_text(body, encoding="utf-8")
        try:
            result = read_incidents(path, crs=3006)
        except InputError as exc:
            assert str(exc)
            return
    wrong_lines = {i + 2 for i, (_d, s) in enumerate(days) if s != 0}  # said before "i framtiden"
    refused = {e.line for e in result.errors if "veckodagen" in e.reason}
    assert refused == wrong_lines
    for e in result.errors:
        assert e.reason


def _last_sunday(year: int, month: int) -> dt.date:
    last = calendar.monthrange(year, month)[1]
    return max(dt.date(year, month, d) for d in range(last - 6, last + 1)
               if calendar.weekday(year, month, d) == calendar.SUNDAY)


@FUZZ
@given(day=st.dates(min_value=dt.date(1996, 1, 1), max_value=dt.date(2099, 12, 31)),
       hour=st.integers(0, 23), minute=st.integers(0, 59), near=st.booleans())
def test_clock_change_hours_are_the_last_sundays_of_march_and_october(day, hour, minute, near):
    from lagesbild.sources.clockchange import ClockChanges

    if near:  # often enough on the days themselves
        day = _last_sunday(day.year, 3 if day.month < 7 else 10)
    when = np.array([np.datetime64(dt.datetime.combine(day, dt.time(hour, minute)), "ns")])
    seen = ClockChanges()
    seen.add(when, np.array([7]))
    spring = day == _last_sunday(day.year, 3) and hour == 2
    autumn = day == _last_sunday(day.year, 10) and hour == 2
    assert (seen.nonexistent, seen.ambiguous) == (int(spring), int(autumn))
    assert seen.nonexistent_lines == ([7] if spring else []) and seen.ambiguous_lines == ([7] if autumn else [])


@FUZZ
@example(text="9999-12-31 24:00")
@given(text=st.one_of(st.text(max_size=25), st.dates().map(lambda d: f"{d.isoformat()} 24:00")))
def test_end_of_day_reasons_never_fail_and_name_the_next_day(text):
    from lagesbild.sources.timestamps import end_of_day_reasons

    mask, why = end_of_day_reasons(pd.Series([text], dtype="string"))
    if mask[0]:
        day = dt.date.fromisoformat(text.strip()[:10])
        if day < dt.date.max:
            assert f"({(day + dt.timedelta(days=1)).isoformat()} 00:00)" in why[0]


@FUZZ
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200),
       big=st.booleans())
def test_a_utf16_copy_is_the_same_text_in_utf8(text, big):
    from lagesbild.sources.utf16 import utf8_copy

    assume(big or not text.startswith("\x00"))  # FF FE 00 00 is UTF-32 LE's mark (refused, as such)
    raw = (b"\xfe\xff" + text.encode("utf-16-be")) if big else text.encode("utf-16")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "u.txt"
        path.write_bytes(raw)
        copy = utf8_copy(path, "u.txt")
        try:
            assert Path(copy).read_bytes() == text.encode("utf-8")
        finally:
            os.unlink(copy)


@FUZZ
@given(rows=st.lists(st.tuples(st.sampled_from(["Vårberg", "Skärholmen", "Boden"]),
                               st.sampled_from(["Narkotika", "Skadegörelse", "Rån"]),
                               st.integers(1, 12), st.integers(0, 99_999)), min_size=1, max_size=6),
       tab=st.booleans(), tail=st.text(max_size=20))
def test_a_crime_file_reads_the_same_from_utf16_as_from_utf8(rows, tab, tail):
    from lagesbild.sources.crimes import read_crimes

    d = "\t" if tab else ";"
    text = d.join(["Plats", "Brottskategori", "Månad", "Antal"]) + "\r\n" + "".join(
        d.join([p, c, f"2020-{m:02d}", f"{n:,}".replace(",", "\u2009")]) + "\r\n" for p, c, m, n in rows) + tail
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name, raw in (("a.csv", text.encode("utf-8")), ("b.txt", text.encode("utf-16"))):
            path = Path(folder) / name
            path.write_bytes(raw)
            try:
                got = read_crimes(path, file_name="f")
                results.append((got.table.to_dict("list"), sorted((e.line, e.column, e.reason) for e in got.errors)))
            except InputError as exc:
                results.append(str(exc))
    assert results[0] == results[1]


@FUZZ
@given(rows=st.lists(st.tuples(st.sampled_from(["0180 Stockholm", "hasselby-torg", "Vårberg", ""]),
                               st.integers(1990, 2030), st.integers(0, 2_000_000)), max_size=5),
       tail=st.text(max_size=15), sep=st.sampled_from([",", ";", "\t"]))
def test_a_population_file_reads_the_same_from_utf16_as_from_utf8(rows, tail, sep):
    from lagesbild.sources.population import read_population

    text = sep.join(['"region"', '"år"', '"Folkmängd"']) + "\r\n" + "".join(
        sep.join([f'"{a}"', f'"{y}"', f"{n:,}".replace(",", " ")]) + "\r\n" for a, y, n in rows) + tail
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name, raw in (("a.csv", text.encode("utf-8")), ("b.csv", text.encode("utf-16"))):
            path = Path(folder) / name
            path.write_bytes(raw)
            try:
                results.append(read_population(path, name="f").to_dict("list"))
            except InputError as exc:
                results.append(str(exc))
    assert results[0] == results[1]
