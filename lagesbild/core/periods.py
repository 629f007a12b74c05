"""Periods: September-to-August years, calendar years, tertials, months, rolling 12 months and ranges.

All dates are inclusive calendar dates in local time (Europe/Stockholm). A :class:`Period` carries the
label a user sees (``2019–2020`` with an en dash, ``T1 2021``, ``jan 2020``); :func:`parse_period`
turns any such label, and the usual ways of typing it, back into the same period.

Examples
--------
>>> p = sep_aug_year(2019)
>>> p.label, p.start.isoformat(), p.end.isoformat(), p.n_days
('2019–2020', '2019-09-01', '2020-08-31', 366)
>>> parse_period("2019/20") == p
True
>>> format_date_sv(p.end)
'31 aug 2020'
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

import pandas as pd
from dateutil.relativedelta import relativedelta

# dates in local time, importable from here as before (Period.truncate uses as_date)
from lagesbild.core.local_dates import (  # noqa: F401
    TIMEZONE,
    as_date,
    format_date_sv,
    month_starts,
    naive_stamps,
    to_local_naive,
)
from lagesbild.sources.dates import UNKNOWN_PERIOD, YEARS, read_period
from lagesbild.sources.months import (  # noqa: F401 - MONTH_FULL is re-exported
    MONTH_ABBR,
    MONTH_FULL,
    MONTH_IN_DATES,
    SWEDISH_MONTH_NUMBERS,
)

EN_DASH = "–"
DASHES = "-–—‒−"  # hyphen, en dash, em dash, figure dash, minus: all accepted between two dates/years
SEP_AUG_FIRST_MONTH = 9

# Month names: the one table in lagesbild.sources.months (re-exported here for core and figures).
MONTH_LOOKUP = SWEDISH_MONTH_NUMBERS

TERTIALS = {"T1": (1, 4), "T2": (5, 8), "T3": (9, 12)}
KINDS = ("sep_aug", "calendar_year", "tertial", "vb", "month", "rolling_12", "range")
MIN_YEAR, MAX_YEAR = 1000, 9998

PARSE_HELP = ("Använd t.ex. 2019–2020, 2019/20, 2021, T1 2021, VB 2021, 2020-01, jan 2020 "
              "eller 2018-01-01–2018-11-30.")


@dataclass(frozen=True)
class Period:
    """An inclusive span of calendar days with the label users see.

    Parameters
    ----------
    label : str
        Display label, e.g. ``2019–2020``.
    start, end : datetime.date
        First and last day, both inclusive. Timestamps and ISO strings are converted to dates.
    kind : str
        One of ``KINDS``; ``range`` for an explicit date range.

    Examples
    --------
    >>> p = Period("T1 2021", "2021-01-01", "2021-04-30", "tertial")
    >>> p.n_days, len(p.months), p.contains(date(2021, 4, 30))
    (120, 4, True)
    >>> [m.strftime("%Y-%m") for m in p.months]
    ['2021-01', '2021-02', '2021-03', '2021-04']
    """

    label: str
    start: date
    end: date
    kind: str = "range"

    def __post_init__(self):
        object.__setattr__(self, "start", as_date(self.start))
        object.__setattr__(self, "end", as_date(self.end))
        if self.end < self.start:
            raise ValueError(f"Perioden {self.label} slutar ({self.end.isoformat()}) innan den "
                             f"börjar ({self.start.isoformat()}).")
        if self.kind not in KINDS:
            raise ValueError(f"Okänd periodtyp: {self.kind!r}.")

    @property
    def n_days(self) -> int:
        """Number of days, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def months(self) -> pd.DatetimeIndex:
        """First days of every calendar month the period touches (also partly)."""
        return pd.date_range(self.start.replace(day=1), self.end.replace(day=1), freq="MS")

    @property
    def whole_months(self) -> pd.DatetimeIndex:
        """First days of the calendar months lying entirely inside the period (kept per start and end:
        an index cannot be changed in place)."""
        return _whole_months(self.start, self.end)

    def contains(self, day) -> bool:
        """Whether the date (or timestamp, read in local time) lies inside the period."""
        return self.start <= as_date(day) <= self.end

    def truncated(self, end) -> Period:
        """The same period (same label and kind) ending at ``min(self.end, end)``."""
        return replace(self, end=min(self.end, as_date(end)))


def _check_year(year) -> int:
    if isinstance(year, bool) or int(year) != year or not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise ValueError(f"Ogiltigt år: {year!r}.")
    return int(year)


def month_end(year: int, month: int) -> date:
    return (date(year, month, 1) + relativedelta(months=1)) - timedelta(days=1)


def sep_aug_year(start_year: int) -> Period:
    """The September-to-August year starting 1 September of ``start_year``.

    Examples
    --------
    >>> sep_aug_year(2019)
    Period(label='2019–2020', start=datetime.date(2019, 9, 1), end=datetime.date(2020, 8, 31), kind='sep_aug')
    """
    y = _check_year(start_year)
    return Period(f"{y}{EN_DASH}{y + 1}", date(y, 9, 1), date(y + 1, 8, 31), "sep_aug")


def sep_aug_year_of(day) -> int:
    """The start year of the September-to-August year a date falls in.

    Examples
    --------
    >>> sep_aug_year_of("2020-08-31"), sep_aug_year_of("2020-09-01")
    (2019, 2020)
    """
    day = as_date(day)
    return day.year if day.month >= SEP_AUG_FIRST_MONTH else day.year - 1


def sep_aug_years_between(first_date, last_date) -> list[Period]:
    """Every September-to-August year from the one holding ``first_date`` to the one holding ``last_date``.

    Examples
    --------
    >>> [p.label for p in sep_aug_years_between("2019-10-01", "2022-03-31")]
    ['2019–2020', '2020–2021', '2021–2022']
    """
    first, last = as_date(first_date), as_date(last_date)
    if last < first:
        raise ValueError("Slutdatumet ligger före startdatumet.")
    return [sep_aug_year(y) for y in range(sep_aug_year_of(first), sep_aug_year_of(last) + 1)]


def calendar_year(year: int) -> Period:
    """The calendar year, labelled ``2021``.

    Examples
    --------
    >>> calendar_year(2021).n_days
    365
    """
    y = _check_year(year)
    return Period(str(y), date(y, 1, 1), date(y, 12, 31), "calendar_year")


def vb(year: int) -> Period:
    """The verksamhetsberättelse period: the calendar year, labelled ``VB 2021``.

    Examples
    --------
    >>> vb(2021).label, vb(2021).end
    ('VB 2021', datetime.date(2021, 12, 31))
    """
    y = _check_year(year)
    return Period(f"VB {y}", date(y, 1, 1), date(y, 12, 31), "vb")


def tertial(year: int, which) -> Period:
    """A tertial: ``T1`` Jan–Apr, ``T2`` May–Aug, ``T3`` Sep–Dec (``which`` may also be 1, 2 or 3).

    Examples
    --------
    >>> p = tertial(2021, "T2")
    >>> p.label, p.start, p.end
    ('T2 2021', datetime.date(2021, 5, 1), datetime.date(2021, 8, 31))
    """
    y = _check_year(year)
    key = f"T{which}" if isinstance(which, int) else str(which).strip().upper()
    if key not in TERTIALS:
        raise ValueError(f"Okänd tertial: {which!r} (använd T1, T2 eller T3).")
    first, last = TERTIALS[key]
    return Period(f"{key} {y}", date(y, first, 1), month_end(y, last), "tertial")


def month(year: int, month_number: int) -> Period:
    """One calendar month, labelled with the Swedish short name, e.g. ``jan 2020``.

    Examples
    --------
    >>> month(2020, 2).label, month(2020, 2).n_days
    ('feb 2020', 29)
    """
    y = _check_year(year)
    if isinstance(month_number, bool) or int(month_number) != month_number or not 1 <= month_number <= 12:
        raise ValueError(f"Ogiltig månad: {month_number!r}.")
    m = int(month_number)
    return Period(f"{MONTH_ABBR[m - 1]} {y}", date(y, m, 1), month_end(y, m), "month")


def rolling_12(end_month) -> Period:
    """The twelve whole months ending with the month of ``end_month`` (any date in that month).

    Examples
    --------
    >>> p = rolling_12("2022-03-15")
    >>> p.label, p.start, p.end
    ('12 mån t.o.m. mar 2022', datetime.date(2021, 4, 1), datetime.date(2022, 3, 31))
    """
    last = as_date(end_month)
    _check_year(last.year)
    start = last.replace(day=1) - relativedelta(months=11)
    return Period(f"12 mån t.o.m. {MONTH_ABBR[last.month - 1]} {last.year}", start,
                  month_end(last.year, last.month), "rolling_12")


def date_range(start, end) -> Period:
    """An explicit inclusive date range, labelled ``2018-01-01–2018-11-30``.

    Examples
    --------
    >>> date_range("2018-01-01", "2018-11-30").label
    '2018-01-01–2018-11-30'
    >>> date_range("1066-01-01", "1066-12-31")
    Traceback (most recent call last):
    ...
    ValueError: Datumet 1066-01-01 ligger utanför åren 1900–2100.
    """
    start, end = as_date(start), as_date(end)
    for day in (start, end):  # pandas holds 1678–2262; the readers' years are 1900–2100
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise ValueError(f"Datumet {day.isoformat()} ligger utanför åren {YEARS[0]}–{YEARS[1]}.")
    return Period(f"{start.isoformat()}{EN_DASH}{end.isoformat()}", start, end, "range")


_BUILDERS = {  # kind -> Period from (first day, last day) read by lagesbild.sources.dates.read_period
    "sep_aug": lambda a, b: sep_aug_year(a.year),
    "calendar_year": lambda a, b: calendar_year(a.year),
    "vb": lambda a, b: vb(a.year),
    "tertial": lambda a, b: tertial(a.year, (a.month - 1) // 4 + 1),
    "month": lambda a, b: month(a.year, a.month),
    "rolling_12": lambda a, b: rolling_12(b),
    "range": lambda a, b: date_range(a, b),
}


def parse_period(text) -> Period:
    """Parse a period as a user writes it.

    Accepts ``2019–2020`` / ``2019-2020`` / ``2019/20`` (September–August), ``2021`` (calendar year),
    ``T1 2021`` / ``2021 T1``, ``VB 2021``, ``2020-01`` / ``jan 2020`` / ``januari 2020`` (a month),
    ``12 mån t.o.m. mar 2022`` (rolling 12 months), ``2018-01-01–2018-11-30`` (a date range) and
    ``2018-01–2018-11`` (whole months, giving the same date range), and every other form of the one
    period grammar, :func:`lagesbild.sources.dates.read_period` (quarters, ``jan–nov 2018``, English
    month names, a date standing for its month). A :class:`Period` is returned unchanged.

    Raises
    ------
    ValueError
        With a Swedish message when the text is not a period.

    Examples
    --------
    >>> parse_period("2019-2020").label
    '2019–2020'
    >>> parse_period("2021 t1").label, parse_period("2020-01").label
    ('T1 2021', 'jan 2020')
    >>> parse_period("2018-01-01 - 2018-11-30").n_days
    334
    >>> parse_period("vår 2020")
    Traceback (most recent call last):
    ...
    ValueError: Okänd period: "vår 2020". Använd t.ex. 2019–2020, 2019/20, 2021, T1 2021, VB 2021, 2020-01, jan 2020 eller 2018-01-01–2018-11-30.
    >>> parse_period("2020-13")
    Traceback (most recent call last):
    ...
    ValueError: Ogiltig period: "2020-13". Månad 13 finns inte.
    >>> parse_period("1066–1067")
    Traceback (most recent call last):
    ...
    ValueError: Ogiltig period: "1066–1067". Året ligger utanför 1900–2100.
    """
    if isinstance(text, Period):
        return text
    if not isinstance(text, str):
        raise ValueError(f"Okänd period: {text!r}. {PARSE_HELP}")
    try:
        # the years of file cells (1900–2100): a year pandas cannot hold (1066, 3000) was a traceback
        kind, start, end, _prel = read_period(text, years=YEARS)
        return _BUILDERS[kind](start, end)
    except ValueError as err:
        reason = str(err)
        if reason == UNKNOWN_PERIOD:
            raise ValueError(f'Okänd period: "{text}". {PARSE_HELP}') from None
        raise ValueError(f'Ogiltig period: "{text}". {reason[:1].upper()}{reason[1:]}.') from None


@lru_cache(maxsize=4096)
def _whole_months(start: date, end: date) -> pd.DatetimeIndex:
    months = pd.date_range(start.replace(day=1), end.replace(day=1), freq="MS")
    ends = months + pd.offsets.MonthEnd(0)
    return months[(months >= pd.Timestamp(start)) & (ends <= pd.Timestamp(end))]
