"""Periods as written in Swedish crime exports and typed by users (timestamps: :mod:`.timestamps`).

:func:`read_period` is the one period grammar of lagesbild: it reads a period cell of a crime file, a
wide-layout header, a command-line argument or a URL value into its kind and inclusive first and last
days. :func:`parse_period` (file cells: first day, last day, preliminary) and
:func:`lagesbild.core.periods.parse_period` (a labelled ``Period``) are thin wrappers around it.
Accepted forms (case-insensitive, en dash, em dash, hyphen or "till" between the ends of a range,
an optional ``prel.`` marker anywhere):

=============================================  ===========================================
written                                        period (kind)
=============================================  ===========================================
``2020-01-01``, ``2020-01-15``, ``2020-01-15 00:00:00``  the month containing the date (month)
``2020-01``, ``2020-1``                        January 2020 (month)
``januari 2020``, ``jan 2020``, ``Jan. 2020``,  January 2020 (Swedish or English month
``2020 januari``, ``jan-2020``                 names, full or abbreviated; month)
``jan–nov 2018``, ``2018-01–2018-11``          1 January – 30 November 2018 (range)
``sep 2022–aug 2023``                          1 September 2022 – 31 August 2023 (range)
``2019``                                       calendar year 2019 (calendar_year)
``VB 2019``, ``2019 VB``                       the verksamhetsberättelse year (vb)
``2019–2020``, ``2019-2020``, ``2019/20``      September 2019 – August 2020 (sep_aug)
``2018-01-01–2018-11-30``                      that date range (range)
``T1 2019``, ``2019 T2``, ``tertial 3 2019``   tertial (T1 Jan–Apr, T2 May–Aug, T3 Sep–Dec)
``Q1 2019``, ``2019 K1``, ``kvartal 1 2019``   quarter (range)
``kv 1 2019``, ``Kv. 3 2025``, ``2025 kv 3``
``12 mån t.o.m. mar 2022``                     the twelve months ending March 2022 (rolling_12)
=============================================  ===========================================

``2011-12`` is December 2011; write ``2011/12`` or ``2011–2012`` for the September–August year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

from lagesbild.sources.months import MONTH_NUMBERS

MONTHS = MONTH_NUMBERS
PARTS = {"t": (4, 3), "tertial": (4, 3), "q": (3, 4), "k": (3, 4), "kv": (3, 4), "kvartal": (3, 4)}
SEP_AUG_START_MONTH = 9
YEARS = (1900, 2100)
UNKNOWN_PERIOD = "okänd period; skriv t.ex. 2020-01, januari 2020, 2019 eller 2019–2020"

_PREL = re.compile(r"[(\[]?\s*\bprel\b\.?\s*[)\]]?", re.I)
_RANGE = r"\s*(?:[–—‒−]|-{1,2}|\btill\b|\bto\b)\s*"
_M = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_PART = r"(tertial|kvartal|kv|t|q|k)\.?\s*([1-4])"  # "kv 3", "Kv. 3": Swedish tables' quarters
PATTERNS = [  # (name, regex); tried in order on the normalised text
    ("date_range", rf"{_DATE}{_RANGE}{_DATE}"),
    ("date", rf"{_DATE}(?:[ t]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?"),
    ("month_range_iso", rf"(\d{{4}})-(\d{{1,2}}){_RANGE}(\d{{4}})-(\d{{1,2}})"),
    ("iso_month", r"(\d{4})-(\d{1,2})"),
    ("month_year", rf"{_M}[\s\-_/]*(\d{{4}})"),
    ("month_yy", rf"{_M}-(\d{{2}})"),  # Excel's "mmm-yy" as a Swedish CSV writes it: jan-23
    ("year_month", rf"(\d{{4}})[\s\-_/]*{_M}"),
    ("month_range", rf"{_M}{_RANGE}{_M}[\s\-_/]*(\d{{4}})"),
    ("month_year_range", rf"{_M}[\s\-_/]*(\d{{4}}){_RANGE}{_M}[\s\-_/]*(\d{{4}})"),  # sep 2022–aug 2023
    ("part_year", rf"{_PART}[\s\-_/]*(\d{{4}})"),
    ("year_part", rf"(\d{{4}})[\s\-_/]*{_PART}"),
    ("vb_year", r"vb\s*(\d{4})"),
    ("year_vb", r"(\d{4})\s*vb"),
    ("rolling_12", rf"(?:rullande\s+)?12\s*mån(?:ader)?\.?\s+t\.?\s*o\.?\s*m\.?\s+{_M}\s+(\d{{4}})"),
    ("year", r"(\d{4})"),
    ("sep_aug", rf"(\d{{4}})(?:{_RANGE}|\s*/\s*)(\d{{4}}|\d{{2}})"),
]
_COMPILED = [(name, re.compile(rf"^{rx}$")) for name, rx in PATTERNS]
KIND_OF = {"date_range": "range", "date": "month", "month_range_iso": "range", "iso_month": "month",
           "month_year": "month", "month_yy": "month", "year_month": "month", "month_range": "range",
           "month_year_range": "range", "vb_year": "vb",
           "year_vb": "vb", "rolling_12": "rolling_12", "year": "calendar_year", "sep_aug": "sep_aug"}


class PeriodText(NamedTuple):
    """A period as read from text: its kind, first and last day, and whether marked preliminary."""

    kind: str
    start: dt.date
    end: dt.date
    preliminary: bool = False


def _month(year: int, month: int) -> tuple[dt.date, dt.date]:
    if not 1 <= month <= 12:
        raise ValueError(f"månad {month} finns inte")
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _date(y: str, m: str, d: str) -> dt.date:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        raise ValueError(f"datumet {y}-{m}-{d} finns inte") from None


def _part(kind: str, number: str, year: int) -> tuple[dt.date, dt.date]:
    size, count = PARTS[kind]
    n = int(number)
    if n > count:
        raise ValueError(f"{kind.upper()}{n} finns inte")
    return _month(year, (n - 1) * size + 1)[0], _month(year, n * size)[1]


def _rolling(month: int, year: int) -> tuple[dt.date, dt.date]:
    last = _month(year, month)[1]
    first = dt.date(year - (1 if month < 12 else 0), month % 12 + 1, 1)
    return first, last


def _build(name: str, g: tuple[str, ...]) -> tuple[dt.date, dt.date]:
    if name == "date_range":
        return _date(*g[:3]), _date(*g[3:])
    if name == "date":
        return _month(_date(*g[:3]).year, int(g[1]))
    if name == "month_range_iso":
        return _month(int(g[0]), int(g[1]))[0], _month(int(g[2]), int(g[3]))[1]
    if name == "iso_month":
        return _month(int(g[0]), int(g[1]))
    if name == "month_year":
        return _month(int(g[1]), MONTHS[g[0]])
    if name == "month_yy":
        return _month(2000 + int(g[1]), MONTHS[g[0]])
    if name == "year_month":
        return _month(int(g[0]), MONTHS[g[1]])
    if name == "month_range":
        return _month(int(g[2]), MONTHS[g[0]])[0], _month(int(g[2]), MONTHS[g[1]])[1]
    if name == "month_year_range":
        return _month(int(g[1]), MONTHS[g[0]])[0], _month(int(g[3]), MONTHS[g[2]])[1]
    if name == "part_year":
        return _part(g[0], g[1], int(g[2]))
    if name == "year_part":
        return _part(g[1], g[2], int(g[0]))
    if name == "rolling_12":
        return _rolling(MONTHS[g[0]], int(g[1]))
    if name in ("year", "vb_year", "year_vb"):
        return dt.date(int(g[0]), 1, 1), dt.date(int(g[0]), 12, 31)
    first, second = int(g[0]), g[1]
    if int(second) not in (first + 1, (first + 1) % 100) or (len(g[1]) == 4 and int(second) != first + 1):
        month = f"; är det en månad, skriv {first}-{int(second):02d}" if len(second) <= 2 and 1 <= int(second) <= 12 \
            else ""  # "2024/01": January 2024 to whoever wrote it
        raise ValueError(f"ett september–augusti-år skrivs som två år i följd, t.ex. {first}–{first + 1}{month}")
    return dt.date(first, SEP_AUG_START_MONTH, 1), dt.date(first + 1, SEP_AUG_START_MONTH - 1, 31)


def _kind(name: str, g: tuple[str, ...]) -> str:
    if name in ("part_year", "year_part"):
        part = g[0] if name == "part_year" else g[1]
        return "tertial" if part in ("t", "tertial") else "range"
    return KIND_OF[name]


def read_period(text, *, years: tuple[int, int] | None = None) -> PeriodText:
    """Read any written period into its kind, first and last day (both inclusive) and ``prel.`` mark.

    Parameters
    ----------
    text : str
    years : (int, int), optional
        The years a period must lie in (file cells: :data:`YEARS`); default: no limit.

    Raises
    ------
    ValueError
        With a Swedish reason; :data:`UNKNOWN_PERIOD` when no form matches at all.

    Examples
    --------
    >>> read_period("T1 2021")
    PeriodText(kind='tertial', start=datetime.date(2021, 1, 1), end=datetime.date(2021, 4, 30), preliminary=False)
    >>> read_period("12 mån t.o.m. mar 2022")[:3]
    ('rolling_12', datetime.date(2021, 4, 1), datetime.date(2022, 3, 31))
    >>> read_period("Q2 2020").kind, read_period("vb 2021").kind, read_period("2019/20").kind
    ('range', 'vb', 'sep_aug')
    >>> try:
    ...     read_period("0000-01")
    ... except ValueError as exc:
    ...     print(exc)
    året finns inte i kalendern
    """
    raw = "" if text is None else str(text)
    preliminary = bool(_PREL.search(raw))
    clean = " ".join(_PREL.sub(" ", raw).replace("\u00a0", " ").lower().split())
    if not clean:
        raise ValueError("perioden saknas")
    problem = None
    for name, rx in _COMPILED:
        m = rx.match(clean)
        if not m:
            continue
        try:
            start, end = _build(name, m.groups())
        except OverflowError:
            problem = problem or ValueError("året finns inte i kalendern")
            continue
        except ValueError as exc:  # Python's own words for year 0 ("year 0 is out of range") in Swedish
            problem = problem or (ValueError("året finns inte i kalendern") if "year" in str(exc) else exc)
            continue
        if years and not (years[0] <= start.year and end.year <= years[1]):
            raise ValueError(f"året ligger utanför {years[0]}–{years[1]}")
        if end < start:
            raise ValueError("periodens slut ligger före dess början")
        return PeriodText(_kind(name, m.groups()), start, end, preliminary)
    raise problem or ValueError(UNKNOWN_PERIOD)


def parse_period(text: str) -> tuple[dt.date, dt.date, bool]:
    """Parse a period cell of a file into (first day, last day, preliminary); see :func:`read_period`.

    Raises
    ------
    ValueError
        With a Swedish reason when the text is not a period (see the module docstring).

    Examples
    --------
    >>> parse_period("jan 2020")
    (datetime.date(2020, 1, 1), datetime.date(2020, 1, 31), False)
    >>> parse_period("2019–2020")[:2]
    (datetime.date(2019, 9, 1), datetime.date(2020, 8, 31))
    >>> parse_period("2023 prel.")
    (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), True)
    """
    _kind_, start, end, preliminary = read_period(text, years=YEARS)
    return start, end, preliminary


def same_periods(headers: list[str], period_of) -> list[tuple[str, str]]:
    """``(header, earlier header)`` for each header naming the same period as an earlier one, the
    period text of a header given by `period_of` (None: no period).

    >>> same_periods(["Plats", "2024-01", "jan 2024", "feb 2024", "2024-02"], lambda h: h if h != "Plats" else None)
    [('jan 2024', '2024-01'), ('2024-02', 'feb 2024')]
    """
    seen, out = {}, []
    for header in headers:
        try:
            start, end, _ = parse_period(period_of(header) or "")
        except ValueError:
            continue
        if (start, end) in seen:
            out.append((header, seen[start, end]))
        seen.setdefault((start, end), header)
    return out


def is_period(text: str) -> bool:
    """Whether `text` parses as a period (used to find month/year columns of wide layouts).

    Examples
    --------
    >>> is_period("feb 2020"), is_period("Brottskategori")
    (True, False)
    """
    try:
        parse_period(text)
    except ValueError:
        return False
    return True
