"""Periods and timestamps as written in Swedish crime exports and typed by users.

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
``2019``                                       calendar year 2019 (calendar_year)
``VB 2019``, ``2019 VB``                       the verksamhetsberättelse year (vb)
``2019–2020``, ``2019-2020``, ``2019/20``      September 2019 – August 2020 (sep_aug)
``2018-01-01–2018-11-30``                      that date range (range)
``T1 2019``, ``2019 T2``, ``tertial 3 2019``   tertial (T1 Jan–Apr, T2 May–Aug, T3 Sep–Dec)
``Q1 2019``, ``2019 K1``, ``kvartal 1 2019``   quarter (range)
``12 mån t.o.m. mar 2022``                     the twelve months ending March 2022 (rolling_12)
=============================================  ===========================================

``2011-12`` is December 2011; write ``2011/12`` or ``2011–2012`` for the September–August year.

:func:`parse_timestamps` reads incident dates and times (vectorised). The common ISO forms
``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM`` and ``YYYY-MM-DD HH:MM:SS`` (``T`` or space) are read from the
bytes with numpy (:func:`fast_iso`); pandas reads the rest.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import as_strided

from lagesbild.sources.months import MONTH_NUMBERS
from lagesbild.sources.numbers import string_buffers, trim

MONTHS = MONTH_NUMBERS
PARTS = {"t": (4, 3), "tertial": (4, 3), "q": (3, 4), "k": (3, 4), "kvartal": (3, 4)}
SEP_AUG_START_MONTH = 9
YEARS = (1900, 2100)
LOCAL_TZ = "Europe/Stockholm"
UNKNOWN_PERIOD = "okänd period; skriv t.ex. 2020-01, januari 2020, 2019 eller 2019–2020"

_PREL = re.compile(r"[(\[]?\s*\bprel\b\.?\s*[)\]]?", re.I)
_RANGE = r"\s*(?:[–—‒−]|-{1,2}|\btill\b|\bto\b)\s*"
_M = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_PART = r"(tertial|kvartal|t|q|k)\s*([1-4])"
PATTERNS = [  # (name, regex); tried in order on the normalised text
    ("date_range", rf"{_DATE}{_RANGE}{_DATE}"),
    ("date", rf"{_DATE}(?:[ t]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?"),
    ("month_range_iso", rf"(\d{{4}})-(\d{{1,2}}){_RANGE}(\d{{4}})-(\d{{1,2}})"),
    ("iso_month", r"(\d{4})-(\d{1,2})"),
    ("month_year", rf"{_M}[\s\-_/]*(\d{{4}})"),
    ("year_month", rf"(\d{{4}})[\s\-_/]*{_M}"),
    ("month_range", rf"{_M}{_RANGE}{_M}[\s\-_/]*(\d{{4}})"),
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
           "month_year": "month", "year_month": "month", "month_range": "range", "vb_year": "vb",
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
    if name == "year_month":
        return _month(int(g[0]), MONTHS[g[1]])
    if name == "month_range":
        return _month(int(g[2]), MONTHS[g[0]])[0], _month(int(g[2]), MONTHS[g[1]])[1]
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
        raise ValueError("ett september–augusti-år skrivs som två år i följd, t.ex. 2019–2020")
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
        except ValueError as exc:
            problem = problem or exc
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


_OFFSET = r"(?:[zZ]|[+-]\d\d:?\d\d)$"  # after a time; a bare date never ends like this
TIME_REWRITES = [  # (pattern, replacement), applied in order to a separate time column
    (r"^(\d)(?=[.:]|$)", r"0\1"),           # 9:30 -> 09:30, 9 -> 09
    (r"^(\d{2})(\d{2})$", r"\1:\2"),        # 0930 -> 09:30
    (r"^(\d{2})$", r"\1:00"),               # 09 -> 09:00
    (r"^(\d{2})\.(\d{2})", r"\1:\2"),       # 09.30 -> 09:30
    (r"^(\d{2}:\d{2})\.(\d{2})$", r"\1:\2"),  # 09:30.15 -> 09:30:15
]
_TIME_OK = r"^\d{2}:\d{2}(?::\d{2})?$"
_HAS_TIME = r":|[T ]\d"  # a date value that carries its own time


def parse_timestamps(dates: pd.Series, times: pd.Series | None = None
                     ) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Parse incident dates (ISO, optionally with time and UTC offset) into naive local time.

    Parameters
    ----------
    dates : Series of str
        ``2020-01-31``, ``2020-01-31 12:30``, ``2020-01-31T12:30:00``, ``2020-01-31T12:30+01:00``.
        Values with an offset or ``Z`` are converted to Europe/Stockholm, then made naive.
    times : Series of str, optional
        A separate time column: ``12:30``, ``12.30``, ``1230``, ``9``; empty = no time. Used only
        where the date has no time of its own.

    Returns
    -------
    values : Series of datetime64[ns]
        NaT where invalid.
    bad_date : ndarray of bool
        Date not readable or impossible (``2020-02-30``).
    bad_time : ndarray of bool
        Time not readable.

    Examples
    --------
    >>> v, bad, _ = parse_timestamps(pd.Series(["2020-01-01T12:00+00:00", "2020-02-30"]))
    >>> v[0], bad.tolist()
    (Timestamp('2020-01-01 13:00:00'), [False, True])
    """
    text, bad_time = _combine(dates, times)
    fast, ok = fast_iso(text)
    out = pd.Series(fast.view("datetime64[ns]"), index=text.index)
    if not ok.all():
        out[~ok] = _parse_pandas(text[~ok]).to_numpy()
    return out, np.asarray(out.isna(), dtype=bool), bad_time


def _combine(dates: pd.Series, times: pd.Series | None) -> tuple[pd.Series, np.ndarray]:
    """Stripped dates, with the separate times (rewritten to HH:MM) appended where readable."""
    text = _strip(dates.astype("string[pyarrow]"))
    bad_time = np.zeros(len(text), dtype=bool)
    if times is not None:
        t = times.astype("string[pyarrow]").str.strip()
        for pattern, repl in TIME_REWRITES:
            t = t.str.replace(pattern, repl, regex=True)
        has = (t != "") & ~text.str.contains(_HAS_TIME, regex=True, na=False)  # own time wins
        bad_time = np.asarray(has & ~t.str.match(_TIME_OK), dtype=bool)
        text = text.where(~(has & ~pd.Series(bad_time, index=t.index)), text + " " + t)
    return text, bad_time


def _strip(text: pd.Series) -> pd.Series:
    """``text.str.strip()``, without pandas' overhead when no value is missing."""
    if text.hasnans:
        return text.str.strip()
    return pd.Series(pd.arrays.ArrowStringArray(trim(text)), index=text.index)


def _parse_pandas(text: pd.Series) -> pd.Series:
    """pandas' ISO 8601 parse into naive local time (NaT where unreadable).

    Values with an offset in :data:`_OFFSET`'s sense are converted from it; when pandas finds a time
    zone in some other value (e.g. ``2020-01-05T12:00Z 09:00``), the values are read one by one.
    """
    offset = np.asarray(text.str.contains(_OFFSET, regex=True), dtype=bool)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if (~offset).any():
        naive = pd.to_datetime(text[~offset], format="ISO8601", errors="coerce")
        if not isinstance(naive.dtype, np.dtype) or naive.dtype.kind != "M":
            naive = pd.Series([_one_timestamp(v) for v in text[~offset]], index=naive.index,
                              dtype="datetime64[ns]")
        out[~offset] = naive.astype("datetime64[ns]")
    if offset.any():
        aware = pd.to_datetime(text[offset], format="ISO8601", errors="coerce", utc=True)
        out[offset] = aware.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None).astype("datetime64[ns]")
    return out


def _one_timestamp(value):
    """One value as naive local time, or NaT."""
    try:
        stamp = pd.Timestamp(pd.to_datetime(value, format="ISO8601"))
    except (TypeError, ValueError, OverflowError):
        return pd.NaT
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(LOCAL_TZ).tz_localize(None)
    return stamp


ISO_LENGTHS = (10, 16, 19)  # YYYY-MM-DD, + HH:MM, + :SS
ISO_PATTERN = "dddd-dd-dd dd:dd:dd"  # d: a digit; the space may also be "T"
_FIELDS = {"year": (0, 4), "month": (5, 2), "day": (8, 2), "hour": (11, 2), "minute": (14, 2),
           "second": (17, 2)}
NS_YEARS = (1678, 2261)  # whole years inside datetime64[ns]
# days from 1970-01-01 to the first of each month of NS_YEARS, and the days of that month
_MONTHS = np.arange(f"{NS_YEARS[0]}-01", f"{NS_YEARS[1] + 1}-02", dtype="datetime64[M]")
MONTH_START = _MONTHS.astype("datetime64[D]").astype(np.int64)[:-1]
MONTH_DAYS = np.diff(_MONTHS.astype("datetime64[D]").astype(np.int64))


def _pattern_words(length: int) -> list[tuple[np.uint64, ...]]:
    """Per 8-byte word of :data:`ISO_PATTERN`[:length]: masks of its digit and punctuation bytes,
    and the punctuation expected (the space at 10 is checked apart, it may be "T")."""
    width = -(-length // 8) * 8
    digit, punct, value = (np.zeros(width, dtype=np.uint8) for _ in range(3))
    for i, char in enumerate(ISO_PATTERN[:length]):
        if char == "d":
            digit[i] = 0xFF
        elif char != " ":
            punct[i], value[i] = 0xFF, ord(char)
    words = [np.frombuffer(a.tobytes(), dtype="<u8").astype(np.uint64) for a in (digit, punct, value)]
    return [tuple(w[j] for w in words) for j in range(width // 8)]


PATTERN_WORDS = {length: _pattern_words(length) for length in ISO_LENGTHS}
HIGH_NIBBLES, ZEROS, SIXES = (np.uint64(int(b * 8, 16)) for b in ("F0", "30", "06"))


def fast_iso(values) -> tuple[np.ndarray, np.ndarray]:
    """Read ``YYYY-MM-DD[( |T)HH:MM[:SS]]`` strings as int64 nanoseconds; the rest is left out.

    Returns
    -------
    ns : ndarray of int64
        NaT's value where not read.
    ok : ndarray of bool
        Read: the exact form, a real date and time (no ``24:00`` or leap second), years
        :data:`NS_YEARS`. pandas' ISO 8601 parse gives the same for these values.

    Examples
    --------
    >>> ns, ok = fast_iso(["2020-01-31 12:30", "2020-02-30", "2020-1-31", "2024-02-29T23:59:59"])
    >>> ns[ok].view("datetime64[ns]").astype(str).tolist(), ok.tolist()
    (['2020-01-31T12:30:00.000000000', '2024-02-29T23:59:59.000000000'], [True, False, False, True])
    """
    data, starts, lengths = string_buffers(values)
    n = len(lengths)
    ns = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    for length in ISO_LENGTHS:
        if n and lengths.min() == lengths.max() == length:  # one form: rows of the data as is
            ok, ns = _iso_fields(data.reshape(n, length))
            break
        rows = np.flatnonzero(lengths == length)
        if rows.size:
            cells = as_strided(data, shape=(data.size - length + 1, length), strides=(1, 1),
                               writeable=False)[starts[rows]]
            good, value = _iso_fields(cells)
            ns[rows[good]] = value[good]
            ok[rows[good]] = True
    return ns, ok


def _iso_fields(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(well formed, nanoseconds) for rows of bytes holding ISO strings of one length."""
    good = _well_formed(cells)
    digits = cells - np.uint8(ord("0"))
    f = {}
    for name, (at, size) in _FIELDS.items():
        value = np.zeros(len(cells), dtype=np.int16)  # small ints: 4 digits at most
        for k in range(at, at + size if at < cells.shape[1] else at):
            value = value * np.int16(10) + digits[:, k]
        f[name] = value
    good &= (f["year"] >= NS_YEARS[0]) & (f["year"] <= NS_YEARS[1])
    good &= (f["month"] >= 1) & (f["month"] <= 12)
    month = np.clip((f["year"] - NS_YEARS[0]) * 12 + f["month"] - 1, 0, MONTH_START.size - 1)
    good &= (f["day"] >= 1) & (f["day"] <= MONTH_DAYS[month])
    good &= (f["hour"] <= 23) & (f["minute"] <= 59) & (f["second"] <= 59)
    clock = (f["hour"].astype(np.int64) * 60 + f["minute"]) * 60 + f["second"]
    ns = (MONTH_START[month] + (f["day"] - 1)) * 86_400_000_000_000 + clock * 1_000_000_000
    return good, np.where(good, ns, np.iinfo(np.int64).min)


def _well_formed(cells: np.ndarray) -> np.ndarray:
    """Rows of `cells` that follow :data:`ISO_PATTERN`, checked 8 bytes at a time (SWAR: a digit
    byte has high nibble 3, and still has after adding 6)."""
    n, length = cells.shape
    width = -(-length // 8) * 8
    if width != length or not cells.flags.c_contiguous:
        padded = np.zeros((n, width), dtype=np.uint8)
        padded[:, :length] = cells
        cells = padded
    words = cells.view("<u8").astype(np.uint64, copy=False)
    good = np.ones(n, dtype=bool)
    for j, (digit, punct, value) in enumerate(PATTERN_WORDS[length]):
        w = words[:, j]
        high, zeros = HIGH_NIBBLES & digit, ZEROS & digit
        good &= ((w & high) == zeros) & (((w + (SIXES & digit)) & high) == zeros)
        good &= (w & punct) == value
    if length > 10:
        good &= (cells[:, 10] == ord(" ")) | (cells[:, 10] == ord("T"))
    return good
