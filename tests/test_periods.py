"""Tests for lagesbild.core.periods: constructors, parsing, like-for-like cuts, dates and time zones."""

from __future__ import annotations

import calendar
import doctest
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lagesbild.core import periods as pr
from lagesbild.core.likeforlike import like_for_like
from lagesbild.core.periods import (
    Period,
    calendar_year,
    date_range,
    format_date_sv,
    month,
    parse_period,
    rolling_12,
    sep_aug_year,
    sep_aug_year_of,
    sep_aug_years_between,
    tertial,
    to_local_naive,
    vb,
)

D = date.fromisoformat


def test_doctests():
    assert doctest.testmod(pr).failed == 0


@pytest.mark.parametrize("period, label, start, end, kind, n_days", [
    (sep_aug_year(2019), "2019–2020", "2019-09-01", "2020-08-31", "sep_aug", 366),
    (sep_aug_year(2020), "2020–2021", "2020-09-01", "2021-08-31", "sep_aug", 365),
    (calendar_year(2021), "2021", "2021-01-01", "2021-12-31", "calendar_year", 365),
    (tertial(2021, "T1"), "T1 2021", "2021-01-01", "2021-04-30", "tertial", 120),
    (tertial(2020, "t1"), "T1 2020", "2020-01-01", "2020-04-30", "tertial", 121),
    (tertial(2021, 2), "T2 2021", "2021-05-01", "2021-08-31", "tertial", 123),
    (tertial(2021, "T3"), "T3 2021", "2021-09-01", "2021-12-31", "tertial", 122),
    (vb(2021), "VB 2021", "2021-01-01", "2021-12-31", "vb", 365),
    (month(2020, 1), "jan 2020", "2020-01-01", "2020-01-31", "month", 31),
    (month(2020, 2), "feb 2020", "2020-02-01", "2020-02-29", "month", 29),
    (month(2021, 5), "maj 2021", "2021-05-01", "2021-05-31", "month", 31),
    (month(2021, 10), "okt 2021", "2021-10-01", "2021-10-31", "month", 31),
    (rolling_12(D("2022-03-15")), "12 mån t.o.m. mar 2022", "2021-04-01", "2022-03-31", "rolling_12", 365),
    (date_range("2018-01-01", "2018-11-30"), "2018-01-01–2018-11-30", "2018-01-01", "2018-11-30",
     "range", 334),
])
def test_constructors(period, label, start, end, kind, n_days):
    assert (period.label, period.start, period.end, period.kind) == (label, D(start), D(end), kind)
    assert period.n_days == n_days == (D(end) - D(start)).days + 1


@pytest.mark.parametrize("text, expected", [
    ("2019–2020", sep_aug_year(2019)),
    ("2019-2020", sep_aug_year(2019)),
    ("2019 — 2020", sep_aug_year(2019)),
    ("2019/20", sep_aug_year(2019)),
    ("2019/2020", sep_aug_year(2019)),
    ("1999/00", sep_aug_year(1999)),
    ("2021", calendar_year(2021)),
    (" 2021 ", calendar_year(2021)),
    ("T1 2021", tertial(2021, "T1")),
    ("2021 T1", tertial(2021, "T1")),
    ("t3 2021", tertial(2021, "T3")),
    ("VB 2021", vb(2021)),
    ("vb 2021", vb(2021)),
    ("2021 VB", vb(2021)),
    ("2020-01", month(2020, 1)),
    ("2020-1", month(2020, 1)),
    ("jan 2020", month(2020, 1)),
    ("Januari 2020", month(2020, 1)),
    ("mars 2020", month(2020, 3)),
    ("juli 2020", month(2020, 7)),
    ("sept. 2020", month(2020, 9)),
    ("2018-01-01–2018-11-30", date_range("2018-01-01", "2018-11-30")),
    ("2018-01-01 - 2018-11-30", date_range("2018-01-01", "2018-11-30")),
    ("2018-01–2018-11", date_range("2018-01-01", "2018-11-30")),
    ("2019-12 - 2020-2", date_range("2019-12-01", "2020-02-29")),
    ("12 mån t.o.m. mar 2022", rolling_12("2022-03-01")),
    ("rullande 12 månader t.o.m. mars 2022", rolling_12("2022-03-01")),
])
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", [
    "", "xyz", "2019-2021", "2019/21", "2020-13", "2020-00", "T4 2021", "VB", "vår 2020",
    "2018-02-30–2018-03-01", "2018-03-01–2018-02-01", "20190-2020", "2019–2020–2021", "2018-13–2019-01",
    "2019-05–2019-02",
])
def test_parse_period_rejects_with_swedish_message(text):
    with pytest.raises(ValueError) as err:
        parse_period(text)
    assert any(w in str(err.value) for w in ("Okänd", "Ogiltig")), str(err.value)


def test_parse_period_rejects_non_text_and_passes_periods_through():
    with pytest.raises(ValueError, match="Okänd period"):
        parse_period(2021)
    p = sep_aug_year(2019)
    assert parse_period(p) is p


def test_period_validation():
    with pytest.raises(ValueError, match="innan den börjar"):
        Period("x", "2020-02-01", "2020-01-31")
    with pytest.raises(ValueError, match="periodtyp"):
        Period("x", "2020-01-01", "2020-01-31", "kvartal")
    with pytest.raises(ValueError, match="Ogiltigt datum"):
        Period("x", "2020-13-01", "2020-12-31")
    with pytest.raises(ValueError):
        tertial(2021, "T5")
    with pytest.raises(ValueError):
        month(2021, 13)
    with pytest.raises(ValueError):
        calendar_year(2021.5)


def test_months_and_whole_months():
    p = sep_aug_year(2019)
    assert [m.strftime("%Y-%m") for m in p.months] == (
        [f"2019-{m:02d}" for m in range(9, 13)] + [f"2020-{m:02d}" for m in range(1, 9)])
    assert list(p.whole_months) == list(p.months)
    partial = date_range("2018-01-15", "2018-03-31")
    assert len(partial.months) == 3
    assert [m.month for m in partial.whole_months] == [2, 3]


def test_sep_aug_years_between():
    labels = [p.label for p in sep_aug_years_between("2019-09-01", "2022-08-31")]
    assert labels == ["2019–2020", "2020–2021", "2021–2022"]
    assert [p.label for p in sep_aug_years_between("2020-08-31", "2020-09-01")] == ["2019–2020", "2020–2021"]
    with pytest.raises(ValueError):
        sep_aug_years_between("2021-01-01", "2020-01-01")


@pytest.mark.parametrize("value, text", [
    (date(2022, 8, 31), "31 aug 2022"),
    (date(2022, 3, 31), "31 mars 2022"),
    (date(2022, 1, 1), "1 jan 2022"),
    (date(2022, 6, 15), "15 juni 2022"),
    (date(2022, 7, 4), "4 juli 2022"),
    (date(2022, 5, 9), "9 maj 2022"),
    (pd.Timestamp("2022-10-01 13:00"), "1 okt 2022"),
    ("2022-12-24", "24 dec 2022"),
])
def test_format_date_sv(value, text):
    assert format_date_sv(value) == text


@pytest.mark.parametrize("utc, local", [
    ("2021-01-15 12:00", "2021-01-15 13:00"),            # winter, CET +1
    ("2021-07-15 12:00", "2021-07-15 14:00"),            # summer, CEST +2
    ("2021-03-28 00:59", "2021-03-28 01:59"),            # before the spring change
    ("2021-03-28 01:00", "2021-03-28 03:00"),            # after it
    ("2021-12-31 23:30", "2022-01-01 00:30"),            # crosses a year (and a Sep–Aug month)
])
def test_to_local_naive(utc, local):
    ts = pd.Timestamp(utc, tz="UTC")
    assert to_local_naive(ts) == pd.Timestamp(local)
    series = pd.Series([ts, ts])
    assert list(to_local_naive(series)) == [pd.Timestamp(local)] * 2
    assert to_local_naive(pd.DatetimeIndex([ts]))[0] == pd.Timestamp(local)
    assert to_local_naive(pd.Timestamp(local)) == pd.Timestamp(local)


def test_as_date_reads_aware_timestamps_in_stockholm():
    assert pr.as_date(pd.Timestamp("2020-08-31 22:30", tz="UTC")) == date(2020, 9, 1)
    assert sep_aug_year(2020).contains(pd.Timestamp("2020-08-31 22:30", tz="UTC"))
    assert not sep_aug_year(2019).contains(pd.Timestamp("2020-08-31 22:30", tz="UTC"))


@pytest.mark.parametrize("until, ends, note", [
    ("2022-03-31", ["2020-03-31", "2021-03-31", "2022-03-31"],
     "Jämförelsen avser sep–mar i varje period eftersom data för hela månader bara finns t.o.m. 31 mars 2022."),
    ("2022-02-28", ["2020-02-29", "2021-02-28", "2022-02-28"],
     "Jämförelsen avser sep–feb i varje period eftersom data för hela månader bara finns t.o.m. 28 feb 2022."),
    ("2021-09-30", ["2019-09-30", "2020-09-30", "2021-09-30"],
     "Jämförelsen avser sep i varje period eftersom data för hela månader bara finns t.o.m. 30 sep 2021."),
    ("2022-03-15", ["2020-03-15", "2021-03-15", "2022-03-15"],
     "Jämförelsen avser 1 sep–15 mars i varje period eftersom data bara finns t.o.m. 15 mars 2022."),
])
def test_like_for_like_sep_aug(until, ends, note):
    years = [sep_aug_year(y) for y in (2019, 2020, 2021)]
    out, text = like_for_like(years, until)
    assert [p.end for p in out] == [D(e) for e in ends]
    assert [p.start for p in out] == [p.start for p in years]
    assert [p.label for p in out] == [p.label for p in years]
    assert text == note


def test_like_for_like_complete_and_impossible():
    years = [sep_aug_year(2019), sep_aug_year(2020)]
    assert like_for_like(years, "2021-08-31") == (years, None)
    assert like_for_like(years, "2022-01-31") == (years, None)
    with pytest.raises(ValueError, match="börjar efter att data tar slut"):
        like_for_like(years, "2020-08-31")
    assert like_for_like([], "2020-01-01") == ([], None)


def test_like_for_like_calendar_ranges_and_mixed_starts():
    ranges = [date_range("2018-01-01", "2018-12-31"), date_range("2019-01-01", "2019-12-31")]
    out, note = like_for_like(ranges, "2019-11-30")
    assert [(p.start, p.end) for p in out] == [(D("2018-01-01"), D("2018-11-30")),
                                               (D("2019-01-01"), D("2019-11-30"))]
    assert "jan–nov" in note
    out, note = like_for_like([calendar_year(2020), sep_aug_year(2020)], "2021-03-31")
    assert [p.end for p in out] == [D("2020-07-31"), D("2021-03-31")]
    assert "de första 7 månaderna" in note


# ---------------------------------------------------------------- hypothesis
dates = st.dates(min_value=date(1901, 1, 1), max_value=date(2098, 12, 31))


@given(dates)
def test_every_date_is_in_exactly_one_sep_aug_year(day):
    holders = [y for y in range(day.year - 2, day.year + 3) if sep_aug_year(y).contains(day)]
    assert holders == [sep_aug_year_of(day)]
    assert sep_aug_years_between(day, day) == [sep_aug_year(holders[0])]


years = st.integers(1901, 2098)
any_period = st.one_of(
    years.map(sep_aug_year),
    years.map(calendar_year),
    years.map(vb),
    st.tuples(years, st.sampled_from(["T1", "T2", "T3"])).map(lambda t: tertial(*t)),
    st.tuples(years, st.integers(1, 12)).map(lambda t: month(*t)),
    dates.map(rolling_12),
    st.tuples(dates, st.integers(0, 800)).map(lambda t: date_range(t[0], t[0] + timedelta(days=t[1]))),
)


@given(any_period)
def test_parse_label_round_trips(period):
    assert parse_period(period.label) == period
    assert parse_period(period.label.upper()) == period
    assert parse_period(period.label.replace("–", "-")) == period


@given(years)
def test_sep_aug_spellings_agree(year):
    expected = sep_aug_year(year)
    for text in (f"{year}-{year + 1}", f"{year}/{(year + 1) % 100:02d}", f"{year} – {year + 1}"):
        assert parse_period(text) == expected


@given(st.lists(years, min_size=1, max_size=5, unique=True), st.integers(0, 11))
def test_like_for_like_gives_every_sep_aug_year_the_same_months(start_years, months_with_data):
    periods = [sep_aug_year(y) for y in sorted(start_years)]
    last = periods[-1]
    y, m = last.start.year + (8 + months_with_data) // 12, (8 + months_with_data) % 12 + 1
    until = date(y, m, calendar.monthrange(y, m)[1])
    out, note = like_for_like(periods, until)
    if until == last.end:
        assert out == periods and note is None
        return
    for original, cut in zip(periods, out, strict=False):
        assert cut.start == original.start and cut.end <= original.end
        assert len(cut.whole_months) == len(cut.months) == months_with_data + 1
        assert cut.months[-1].month == until.month
    assert out[-1].end == until
    assert note.endswith(f"t.o.m. {format_date_sv(until)}.")


@given(any_period, dates)
def test_like_for_like_never_extends_and_keeps_the_span(period, until):
    if until < period.start:
        return
    (cut,), _ = like_for_like([period], until)
    assert cut.start == period.start
    assert cut.end == min(period.end, until)


@given(st.lists(st.one_of(st.none(), st.datetimes(min_value=pd.Timestamp("1900-01-01").to_pydatetime(),
                                                  max_value=pd.Timestamp("2200-12-31").to_pydatetime())),
                max_size=40),
       st.sampled_from(["dates", "text", "zoned"]))
def test_month_starts_are_pandas_month_periods(values, form):
    """The numpy truncation gives pandas' own month starts (``to_period("M").to_timestamp()``) for
    dates, ISO text and zoned times alike, missing values kept missing, the index and name kept."""
    stamps = pd.Series(pd.to_datetime(values), index=range(10, 10 + len(values)), name="month",
                       dtype="datetime64[ns]")
    given_values = {"dates": stamps, "text": stamps.dt.strftime("%Y-%m-%dT%H:%M:%S"),
                    "zoned": stamps.dt.tz_localize("Europe/Stockholm", ambiguous="NaT",
                                                   nonexistent="NaT")}[form]
    expected = (given_values if form != "zoned" else given_values.dt.tz_localize(None))
    expected = pd.to_datetime(expected).dt.to_period("M").dt.to_timestamp()
    got = pr.month_starts(given_values)
    pd.testing.assert_series_equal(got, expected.astype("datetime64[ns]"), check_freq=False)
