"""An action plan's date written with its day and month before the year, or with other numbers
around its year, was read as the whole year.

sources.loptid found one date "token" in the text and ignored the rest: "1/9 2020" (1 September 2020,
written the Swedish way), "01.09.2020", "2020.09.01", "31/2 2021" (no such day) and "Q3 2020" all made
an activity start on 2020-01-01 (2021-01-01), eight months before it did, which moves every before/after
window of its effect. Now a year-first date with dots or slashes is read as the ISO date, a day and
month before the year is read when only one order is a date (31.12.2021) and refused when both are
(1/9 2020: which is the month?), a date that does not exist is refused, and a year with other numbers
around it ("Q3 2020", "v. 36 2020") is refused, naming what would be lost.
tests/data/nasty/activities_text_dates_day_month.xlsx holds three of them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.settings import ROOT
from lagesbild.sources.activities import read_activities
from lagesbild.sources.loptid import BadValue, parse_loptid, single_date

NASTY = ROOT / "tests" / "data" / "nasty" / "activities_text_dates_day_month.xlsx"


def _read(text, last=False):
    try:
        return single_date(text, last=last)
    except BadValue as exc:
        return str(exc)


@pytest.mark.parametrize(("text", "first", "last"), [
    ("2020.09.01", dt.date(2020, 9, 1), dt.date(2020, 9, 1)),
    ("2020/9/1", dt.date(2020, 9, 1), dt.date(2020, 9, 1)),
    ("31.12.2021", dt.date(2021, 12, 31), dt.date(2021, 12, 31)),  # 31 is no month: the day
    ("12/31/2021", dt.date(2021, 12, 31), dt.date(2021, 12, 31)),
    ("5/5 2020", dt.date(2020, 5, 5), dt.date(2020, 5, 5)),
    ("9/2020", dt.date(2020, 9, 1), dt.date(2020, 9, 30)),  # September has 30 days
    ("1:a september 2020", dt.date(2020, 9, 1), dt.date(2020, 9, 1)),  # the 1st, not all of September
])
def test_written_dates_read_as_the_day_they_name(text, first, last):
    assert (_read(text), _read(text, last=True)) == (first, last)


@pytest.mark.parametrize(("text", "reason"), [
    ("1/9 2020", '"1/9 2020" kan inte läsas entydigt som datum (vilken siffra är dagen och vilken månaden?)'),
    ("01.09.2020", "kan inte läsas entydigt som datum"),
    ("9/1/2020", "kan inte läsas entydigt som datum"),
    ("31/2 2021", 'datumet "31/2 2021" finns inte'),
    ("Q3 2020", 'bara "2020" i texten läses som datum, och siffrorna runt det skulle gå förlorade'),
    ("v. 36 2020", 'bara "2020" i texten läses som datum'),
])
def test_dates_that_would_lose_their_day_are_refused(text, reason):
    assert reason in _read(text)


def test_a_lopetid_with_such_a_date_is_refused_or_read_whole():
    with pytest.raises(BadValue, match="entydigt"):
        parse_loptid("Start 1/9 2020, tillsvidare")
    assert parse_loptid("2020.09.01 – 31.12.2021") == (dt.date(2020, 9, 1), dt.date(2021, 12, 31), False)
    assert parse_loptid("Uppdrag 2020") == (dt.date(2020, 1, 1), dt.date(2020, 12, 31), False)  # unchanged


def test_the_nasty_plan_is_refused_naming_each_cell():
    result = read_activities(NASTY)
    messages = [e.message() for e in result.errors]
    assert result.table.empty
    assert any('rad 2, kolumn "Start", värde "1/9 2020": "1/9 2020" kan inte läsas entydigt' in m for m in messages)
    assert any('rad 3, kolumn "Start", värde "Q3 2020": bara "2020"' in m for m in messages)
    assert not any('"31.12.2021"' in m for m in messages)  # read as 2021-12-31


@settings(max_examples=200, deadline=None)
@given(day=st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)),
       form=st.sampled_from(["{d}/{m} {y}", "{d:02}.{m:02}.{y}", "{m}/{d}/{y}", "{y}.{m:02}.{d:02}",
                             "{y}/{m}/{d}", "start {d}/{m} {y}", "{d}.{m}.{y}"]),
       last=st.booleans())
def test_fuzz_a_written_day_is_that_day_or_refused_never_its_year(day, form, last):
    text = form.format(d=day.day, m=day.month, y=day.year)
    read = _read(text, last)
    if isinstance(read, str):  # refused: only when the order is not clear (both numbers could be the month)
        assert "entydigt" in read and day.day <= 12 and day.day != day.month and not form.startswith("{y}")
    elif form.startswith("{m}/{d}") and day.day <= 12:  # US order read as day-first only when equal
        assert day.day == day.month and read == day
    else:
        assert read == day, (text, read)
