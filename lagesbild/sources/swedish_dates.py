"""Incident dates written out in Swedish: a weekday before the date, a month's name.

Police analysts' exports (and a sheet a person typed) write dates such as ``måndag 4 maj 2026``,
``mån 2026-05-04``, ``Lör. 28 mars 2026 23:10``, ``4 maj 2026``, ``torsdag den 7 mars 2024`` or
``2024-03-05 kl. 14.30`` (the Swedish clock, with or without "kl."). :func:`rewrite_dates` turns them into
ISO dates (``2026-05-04``, the time kept) before the incident reader parses them, and returns which
rows name a weekday that is not the date's: such a date is refused (which of the two is wrong is not
known), never read as either. A value without letters, or in any other form, is left as it is for the
reader's own rules (and their messages).

Examples
--------
>>> out, wrong = rewrite_dates(pd.Series(["måndag 4 maj 2026", "tis 2026-05-05 11:00", "2026-05-06",
...                                       "4 maj 2026", "fredag 4 maj 2026"]))
>>> out.tolist(), wrong.tolist()
(['2026-05-04', '2026-05-05 11:00', '2026-05-06', '2026-05-04', '2026-05-04'], [False, False, False, False, True])
>>> weekday_reason("fredag 4 maj 2026")
'veckodagen (fredag) stämmer inte med datumet 2026-05-04, som är en måndag; vilket av dem är fel?'
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pyarrow as pa

from lagesbild.sources.months import MONTH_NUMBERS

WEEKDAY_NAMES = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
#: every spelling of a weekday -> its number (Monday 0), Swedish full and short, English full and short
WEEKDAYS = ({name: i for i, name in enumerate(WEEKDAY_NAMES)}
            | {name[:3]: i for i, name in enumerate(WEEKDAY_NAMES)} | {"tors": 3}
            | {name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday",
                                                  "saturday", "sunday"))}
            | {name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))})
_MONTH = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
_FORM = re.compile(
    r"^(?:(?P<wd>[a-zåäö]+)\.?,?\s+)?(?:den\s+)?"
    rf"(?:(?P<iso>\d{{4}}-\d{{1,2}}-\d{{1,2}})|(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH})\.?,?\s+(?P<y>\d{{4}}))"
    r"(?P<rest>(?:[ T,]\s*(?:kl\.?\s*)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?)$", re.I)
#: what stands before the clock: a space, ISO's T or a comma, and Swedish "kl." ("5 mars 2024 kl. 14.30")
_CLOCK_LEAD = re.compile(r"^[ T,]\s*(?:kl\.?\s*)?", re.I)
#: a value that may hold a name (two letters in a row; ISO's "T" and "Z" are single letters)
_LETTERS = r"[A-Za-zÅÄÖåäö]{2}"


def _parse(value: str) -> tuple[str, dt.date | None, int | None] | None:
    """(ISO text, the date, the weekday written or None) of one value in these forms, else None."""
    m = _FORM.match(" ".join(value.split()))
    if not m:
        return None
    wd = m.group("wd")
    if wd is not None and wd.lower() == "den":  # "den 7 mars 2024": no weekday
        wd = None
    if wd is not None and wd.lower() not in WEEKDAYS:
        return None
    try:
        if m.group("iso"):
            y, mo, d = (int(p) for p in m.group("iso").split("-"))
        else:
            y, mo, d = int(m.group("y")), MONTH_NUMBERS[m.group("m").lower()], int(m.group("d"))
        day = dt.date(y, mo, d)
    except ValueError:
        return None  # 30 februari: the reader says the date does not exist
    rest = _CLOCK_LEAD.sub("", m.group("rest")).replace(".", ":")
    text = day.isoformat() + (" " + rest if rest else "")
    return text, day, (WEEKDAYS[wd.lower()] if wd is not None else None)


def rewrite_dates(dates: pd.Series, *, skip: bool = False) -> tuple[pd.Series, np.ndarray]:
    """The dates with Swedish written forms as ISO text, and the rows whose weekday is not the date's.

    A chunk whose bytes hold no letter but ISO's ``T`` and ``Z`` costs one numpy pass; otherwise only
    values with two letters in a row are looked at, each distinct value once. With `skip` (the user gave
    ``--date-format``: the dates are read as told) nothing is rewritten.
    """
    wrong = np.zeros(len(dates), dtype=bool)
    if skip or not len(dates) or not _has_letters(dates):
        return dates, wrong
    text = dates if isinstance(dates.dtype, pd.StringDtype) else dates.astype("string[pyarrow]")
    named = np.asarray(text.str.contains(_LETTERS, regex=True, na=False), dtype=bool)
    if not named.any():
        return dates, wrong
    values = text[named].astype(object).to_numpy()
    found = {v: _parse(v) for v in pd.unique(values)}
    out = dates.astype(object).to_numpy().copy()
    out[named] = [found[v][0] if found[v] else v for v in values]
    wrong[named] = [bool(found[v] and found[v][2] is not None and found[v][2] != found[v][1].weekday())
                    for v in values]
    return pd.Series(out, index=dates.index).astype(dates.dtype), wrong


def _has_letters(dates: pd.Series) -> bool:
    """Whether any value may hold a letter other than ISO's T and Z (a byte of a-z, A-Z or above 0x7F)."""
    try:
        array = pa.array(dates.astype("string[pyarrow]").array).cast(pa.large_string())
    except (pa.ArrowException, TypeError, ValueError):
        return True
    data = array.buffers()[2]
    if data is None:
        return False
    raw = np.frombuffer(data, dtype=np.uint8)
    letters = ((raw | 0x20) >= ord("a")) & ((raw | 0x20) <= ord("z")) & ((raw | 0x20) != ord("t")) & (
        (raw | 0x20) != ord("z"))
    return bool(letters.any() or (raw > 0x7F).any())


def weekday_reason(value: object) -> str:
    """Why a date whose weekday is not the date's is refused (Swedish)."""
    found = _parse(str(value))
    if found is None:
        return "veckodagen stämmer inte med datumet"
    _iso, day, weekday = found
    written = WEEKDAY_NAMES[weekday] if weekday is not None else "?"
    return (f"veckodagen ({written}) stämmer inte med datumet {day.isoformat()}, som är en "
            f"{WEEKDAY_NAMES[day.weekday()]}; vilket av dem är fel?")


def weekday_reasons(dates, wrong: np.ndarray) -> np.ndarray:
    """Per row: :func:`weekday_reason` where `wrong`, else an empty text."""
    out = np.full(len(wrong), "", dtype=object)
    for i in np.flatnonzero(wrong):
        out[i] = weekday_reason(dates[i] if not isinstance(dates, pd.Series) else dates.iloc[i])
    return out
