"""Incident dates and times as police exports write them.

:func:`parse_timestamps` reads incident dates and times (vectorised). The common ISO forms
``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM`` and ``YYYY-MM-DD HH:MM:SS`` (``T`` or space) are read from the
bytes with numpy (:func:`lagesbild.sources.isodates.fast_iso`); pandas reads the rest, the Swedish clock (``2024-03-05 14.30``) too. (Periods: :mod:`.dates`.)
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from lagesbild.sources.isodates import NS_YEARS, fast_iso
from lagesbild.sources.numbers import string_buffers, trim

LOCAL_TZ = "Europe/Stockholm"
_OFFSET = r"(?:[zZ]|[+-]\d\d:?\d\d)$"  # after a time; a bare date never ends like this
TIME_REWRITES = [  # (pattern, replacement), applied in order to a separate time column
    (r"^[Kk][Ll]\.?\s*(\d)", r"\1"),          # kl. 14.30 -> 14.30 (Swedish "klockan")
    (r"^(\d)(?=[.:]|$)", r"0\1"),           # 9:30 -> 09:30, 9 -> 09
    (r"^(\d)(\d{2})$", r"0\1:\2"),         # 930 -> 09:30 (0930 as a number: Excel drops the 0)
    (r"^(\d{2})(\d{2})$", r"\1:\2"),        # 0930 -> 09:30
    (r"^(\d{2})$", r"\1:00"),               # 09 -> 09:00
    (r"^(\d{2})\.(\d{2})", r"\1:\2"),       # 09.30 -> 09:30
    (r"^(\d{2}:\d{2})\.(\d{2})$", r"\1:\2"),  # 09:30.15 -> 09:30:15
]
#: a time of day as the separate time column gives it (24:00 or 12:60 is the time's fault, not the date's)
_TIME_OK = r"^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$"
_HAS_TIME = r":|[T ]\d"  # a date value that carries its own time
#: an ISO date with the Swedish clock, hours and minutes (and seconds) parted by full stops
_DOTTED_CLOCK = r"^(\d{4}-\d{1,2}-\d{1,2})[ T](\d{1,2})\.(\d{2})((?:\.\d{2})?)$"
BAD_TIME = "klockslaget kunde inte tolkas (timmar 00–23 och minuter 00–59, t.ex. 09:30, 9.30 eller 0930)"
#: a time written as a number with one decimal ("9,3", "9.5"): minutes or a decimal hour?
_DECIMAL_HOUR = r"^\d{1,2}[.,]\d$"


def parse_timestamps(dates: pd.Series, times: pd.Series | None = None
                     ) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Parse incident dates (ISO, optionally with time and UTC offset) into naive local time.

    Parameters
    ----------
    dates : Series of str
        ``2020-01-31``, ``2020-01-31 12:30``, ``2020-01-31T12:30:00``, ``2020-01-31T12:30+01:00``.
        Values with an offset or ``Z`` are converted to Europe/Stockholm, then made naive.
    times : Series of str, optional
        A separate time column: ``12:30``, ``12.30``, ``1230``, ``930``, ``9``; empty = no time. Used only
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
        out[~ok] = _parse_pandas(_colon_clock(text[~ok])).to_numpy()
    return out, np.asarray(out.isna(), dtype=bool), bad_time


def time_of_day_given(dates: pd.Series, times: pd.Series | None = None, fmt: str | None = None
                      ) -> np.ndarray:
    """Whether each row gives a time of day: its date value carries one (ISO ``2020-01-31 12:30``,
    ``…T00:00``; with a strftime ``fmt``, only when the format has an hour and the value a time:
    ``03/16/2024`` under ``%m/%d/%Y %I:%M %p`` has none), or the separate time column has a value.
    A date alone (``2020-01-31``, an XLSX date cell at midnight) gives none: it is read as 00:00 but
    the time of day is unknown, not midnight.

    Examples
    --------
    >>> time_of_day_given(pd.Series(["2020-01-31", "2020-01-31 00:00", "2020-01-31T09:00", "2020-02-01"]),
    ...                   pd.Series(["", "", "", "9"])).tolist()
    [False, True, True, True]
    >>> time_of_day_given(pd.Series(["15.03.2024"]), None, "%d.%m.%Y").tolist()
    [False]
    >>> time_of_day_given(pd.Series(["03/15/2024 09:30 PM", "03/16/2024"]), None, "%m/%d/%Y %I:%M %p").tolist()
    [True, False]
    """
    own = _own_time(dates)
    if fmt is not None and "%H" not in fmt and "%I" not in fmt:
        own[:] = False
    if times is None:
        return own
    if times.dtype == _STRING:  # pyarrow's trim is pandas' strip; an empty string has no bytes
        return own | (string_buffers(trim(times))[2] > 0)
    given = np.asarray(times.astype("string[pyarrow]").fillna("").str.strip() != "", dtype=bool)
    return own | given


_STRING = pd.StringDtype("pyarrow")
_COLON = ord(":")


def _own_time(dates: pd.Series) -> np.ndarray:
    """Whether each stripped date value matches :data:`_HAS_TIME`. A pyarrow-backed column is first
    looked at byte by byte: a value with a colon at position 13 (``2020-01-31 12:30``) surely matches,
    whatever whitespace it has; only the other values go through the regular expression (a city's 1.5
    million dates, all of them ISO with a time, took 0.15 s there).
    """
    if dates.dtype != _STRING:
        return _own_time_text(dates)
    data, starts, lengths = string_buffers(dates)
    sure = lengths > 13
    if data.size:
        sure &= data[np.minimum(starts + 13, data.size - 1)] == _COLON
    rest = np.flatnonzero(~sure)
    if rest.size:
        sure[rest] = _own_time_text(dates.iloc[rest])
    return sure


def _own_time_text(dates: pd.Series) -> np.ndarray:
    text = dates.astype("string[pyarrow]").fillna("").str.strip()
    return np.asarray(text.str.contains(_HAS_TIME, regex=True), dtype=bool)


#: Excel's time of day as a number (a cell formatted "Allmänt"): a fraction of a day of three or more
#: decimals (0,395833333 is 09:30); "0,5" or "0,25" could be minutes, and stay unread
_DAY_FRACTION = r"^0[.,]\d{3,}$"


def day_fractions(times: pd.Series) -> pd.Series:
    """Times of day Excel holds as fractions of a day written ``HH:MM:SS`` (rounded to the second);
    other values as they are.

    Examples
    --------
    >>> day_fractions(pd.Series(["0,395833333333333", "0.5", "09:30", "0,999999"])).tolist()
    ['09:30:00', '0.5', '09:30', '23:59:59']
    """
    mask = np.asarray(times.str.match(_DAY_FRACTION).fillna(False), dtype=bool)
    if not mask.any():
        return times
    seconds = (pd.to_numeric(times[mask].str.replace(",", ".", regex=False)) * 86400).round()
    seconds = seconds.clip(upper=86399).astype("int64")  # 0,99999999 rounds to midnight of the next day
    out = times.astype(object)
    out[mask] = [f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}" for s in seconds]
    return pd.Series(out.to_numpy(), index=times.index, dtype="string[pyarrow]")


def _hhmm(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}"


def bad_time_reasons(times: pd.Series) -> np.ndarray:
    """Why each value of a time column that could not be read was refused (:data:`BAD_TIME`; a number
    with one decimal says that it could be minutes or a decimal hour).

    Examples
    --------
    >>> [r[29:] for r in bad_time_reasons(pd.Series(["25:00", "9,3"]))]
    [' (timmar 00–23 och minuter 00–59, t.ex. 09:30, 9.30 eller 0930)', ': "9,3" kan betyda 09:30 eller 9,3 timmar (09:18); skriv klockslaget med kolon']
    >>> bad_time_reasons(pd.Series(["24:00"]))[0]
    'klockslaget kunde inte tolkas: 24:00 kan vara dygnets slut (00:00 dagen efter) eller dess början (00:00 samma dag); skriv 00:00 med det datum som avses'
    """
    text = times.astype("string[pyarrow]").fillna("").str.strip()
    decimal = np.asarray(text.str.match(_DECIMAL_HOUR), dtype=bool)
    out = np.full(len(text), BAD_TIME, dtype=object)
    out[decimal] = [f'klockslaget kunde inte tolkas: "{v}" kan betyda {int(v[:-2]):02d}:{v[-1]}0 eller '
                    f'{v} timmar ({int(v[:-2]):02d}:{int(v[-1]) * 6:02d}); skriv klockslaget med kolon'
                    for v in text[decimal]]
    short = np.asarray(text.str.match(r"^0[.,]\d{1,2}$"), dtype=bool)  # a fraction of a day, or minutes?
    out[short] = [f'klockslaget kunde inte tolkas: "{v}" kan vara Excels klockslag som del av ett dygn '
                  f'({_hhmm(float(v.replace(",", ".")) * 86400)}) eller minuter; formatera kolumnen som tid '
                  '(tt:mm) i Excel eller skriv klockslaget med kolon' for v in text[short]]
    out[np.asarray(text.str.match(_END_OF_DAY), dtype=bool)] = END_OF_DAY
    return out


#: 24:00 as a separate time (also 2400, 24.00, 24:00:00): the end of the day, or its start?
_END_OF_DAY = r"^24[:.]?00(?::00)?$"
END_OF_DAY = ("klockslaget kunde inte tolkas: 24:00 kan vara dygnets slut (00:00 dagen efter) eller dess "
              "början (00:00 samma dag); skriv 00:00 med det datum som avses")
_DATE_AT_24 = r"^\s*(\d{4}-\d{2}-\d{2})[ T]24[:.]00(?::00)?\s*$"


def end_of_day_reasons(dates: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The date values written with the time 24:00 (``2026-05-04 24:00``), and why each is refused:
    ISO 8601 makes it the next day's 00:00, but exports also write it for the night that begins the day.

    Examples
    --------
    >>> mask, why = end_of_day_reasons(pd.Series(["2026-05-04 24:00", "2026-05-04 23:59"]))
    >>> mask.tolist(), why[0]
    ([True, False], 'klockslaget 24:00 kan vara dygnets slut (2026-05-05 00:00) eller dess början (2026-05-04 00:00); skriv 00:00 med det datum som avses')
    """
    text = dates.astype("string[pyarrow]").fillna("")
    found = text.str.extract(_DATE_AT_24, expand=False)
    mask = np.asarray(found.notna(), dtype=bool)
    why = np.full(len(text), "", dtype=object)
    for i in np.flatnonzero(mask):
        day = found.iloc[i]
        try:
            after = (datetime.date.fromisoformat(day) + datetime.timedelta(days=1)).isoformat()
        except (ValueError, OverflowError):
            mask[i] = False  # 2026-02-30 24:00 (or 9999-12-31 24:00): the date's own fault, said as such
            continue
        why[i] = (f"klockslaget 24:00 kan vara dygnets slut ({after} 00:00) eller dess början ({day} "
                  "00:00); skriv 00:00 med det datum som avses")
    return mask, why


def _combine(dates: pd.Series, times: pd.Series | None) -> tuple[pd.Series, np.ndarray]:
    """Stripped dates, with the separate times (rewritten to HH:MM) appended where readable."""
    text = _strip(dates.astype("string[pyarrow]"))
    bad_time = np.zeros(len(text), dtype=bool)
    if times is not None:
        t = day_fractions(times.astype("string[pyarrow]").str.strip())
        for pattern, repl in TIME_REWRITES:
            t = t.str.replace(pattern, repl, regex=True)
        has = (t != "") & ~text.str.contains(_HAS_TIME, regex=True, na=False)  # own time wins
        bad_time = np.asarray(has & ~t.str.match(_TIME_OK), dtype=bool)
        text = text.where(~(has & ~pd.Series(bad_time, index=t.index)), text + " " + t)
    return text, bad_time


def _colon_clock(text: pd.Series) -> pd.Series:
    """ISO dates whose time is the Swedish clock (``2024-03-05 14.30``, ``9.05``, ``14.30.15``) with colons.

    >>> _colon_clock(pd.Series(["2024-03-05 14.30", "2024-03-06 9.05.10", "2024-03-07"])).tolist()
    ['2024-03-05 14:30', '2024-03-06 9:05:10', '2024-03-07']
    """
    return text.str.replace(_DOTTED_CLOCK, r"\1 \2:\3\4", regex=True).str.replace(r"(:\d{2})\.(\d{2})$", r"\1:\2", regex=True)


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


def calendar_years(dates: pd.Series, fmt: str | None = None) -> np.ndarray:
    """The year of each date that is a real calendar date but lies outside the whole years
    pandas can hold (:data:`NS_YEARS`), else 0: such a date is not unreadable, it is too early or too late.

    Read one value at a time (Python's ``datetime``, years 1–9999), so give it only the dates
    :func:`parse_timestamps` or :func:`~lagesbild.sources.dateformats.parse_with` could not read.

    Examples
    --------
    >>> calendar_years(pd.Series(["9999-12-31", "1600-01-01 12:00", "2020-02-30", "x"])).tolist()
    [9999, 1600, 0, 0]
    >>> calendar_years(pd.Series(["31.12.3000"]), "%d.%m.%Y").tolist()
    [3000]
    """
    years = np.zeros(len(dates), dtype=np.int64)
    for i, text in enumerate(dates.astype("string").fillna("").str.strip()):
        try:
            when = (datetime.datetime.strptime(text, fmt) if fmt
                    else datetime.datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            continue
        if not NS_YEARS[0] <= when.year <= NS_YEARS[1]:
            years[i] = when.year
    return years


def nonexistent_local(values) -> int:
    """How many naive local times fall in the hour Sweden skips when summer time starts (02:00–02:59 on
    the last Sunday of March, the EU rule since 1996): a time no clock showed, read as written. Only
    hour 2 is looked at closely, so a whole file costs little.

    Examples
    --------
    >>> nonexistent_local(np.array(["2023-03-26T02:30", "2023-03-26T03:00", "2023-03-19T02:30", "NaT"],
    ...                            dtype="datetime64[ns]"))
    1
    """
    v = np.asarray(values, dtype="datetime64[ns]")
    v = v[~np.isnat(v)]
    hour = (v - v.astype("datetime64[D]")).astype("timedelta64[h]").astype(np.int64)
    at_two = pd.DatetimeIndex(v[hour == 2])
    if not len(at_two):
        return 0
    return int(((at_two.month == 3) & (at_two.weekday == 6) & (at_two.day >= 25)).sum())

