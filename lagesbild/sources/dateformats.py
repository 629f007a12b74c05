"""Incident dates written the American or the European way: ``--date-format`` and its detection.

``MM/DD/YYYY hh:mm AM/PM`` (a US export) and ``DD/MM/YYYY HH:MM`` (a European one) look alike. With a
format (``--date-format "MM/DD/YYYY hh:mm AM/PM"``, or strftime ``%m/%d/%Y %I:%M %p``, or
``options: {date_format: …}`` in the mapping file) the dates are read with it. Without one, a file
whose dates are written ``NN/NN/YYYY`` is read the only way its values allow (a first number above 12
is a day, a second above 12 is a day); when every value fits both, the file is refused with a message
asking for ``--date-format`` — a date is never guessed.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lagesbild.errors import InputError
from lagesbild.sources.timestamps import day_fractions

# pattern tokens users write -> strftime (longest first; case matters: MM month, mm minute)
TOKENS = (("YYYY", "%Y"), ("ÅÅÅÅ", "%Y"), ("AM/PM", "%p"), ("MM", "%m"), ("DD", "%d"), ("HH", "%H"),
          ("hh", "%I"), ("mm", "%M"), ("ss", "%S"), ("TT", "%H"))
SLASHED = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(:\d{2})?\s*([AaPp][Mm])?)?$")
SAMPLE = 5_000


def to_strftime(fmt: str) -> str:
    """A user's date format as a strftime format.

    Examples
    --------
    >>> to_strftime("MM/DD/YYYY hh:mm AM/PM"), to_strftime("%d.%m.%Y")
    ('%m/%d/%Y %I:%M %p', '%d.%m.%Y')
    """
    if "%" in fmt:
        return fmt
    out = fmt
    for token, code in TOKENS:
        out = out.replace(token, code)
    return out


def detect(values: pd.Series, file: str, column: str) -> str | None:
    """The strftime format of ``NN/NN/YYYY`` dates, None for other (ISO) dates.

    Raises
    ------
    InputError
        When every value fits both month-first and day-first.

    Examples
    --------
    >>> detect(pd.Series(["03/15/2024 09:30 PM", "04/01/2024 10:00 AM"]), "f.csv", "Datum")
    '%m/%d/%Y %I:%M %p'
    >>> detect(pd.Series(["15.03.2024", "01.04.2024"]), "f.csv", "Datum")
    '%d.%m.%Y'
    >>> detect(pd.Series(["2024-03-15 21:30"]), "f.csv", "Datum") is None
    True
    """
    text = values.astype("string").fillna("").str.strip()
    text = text[text != ""].head(SAMPLE)
    if text.empty:
        return None
    parts = text.str.extract(SLASHED)
    hit = parts[0].notna()
    if hit.mean() < 0.5:
        return None
    parts = parts[hit]
    a, b = parts[0].astype(int), parts[2].astype(int)
    sep = parts[1].iloc[0]
    if (a > 12).any() and not (b > 12).any():
        date = f"%d{sep}%m{sep}%Y"
    elif (b > 12).any() and not (a > 12).any():
        date = f"%m{sep}%d{sep}%Y"
    elif (a > 12).any() and (b > 12).any():
        return None  # not one format; the rows are rejected one by one
    else:
        example = text[hit].iloc[0]
        raise InputError(file, f'kolumn "{column}": datumen (t.ex. "{example}") kan läsas både som '
                               "månad/dag/år och dag/månad/år; ange formatet med --date-format, "
                               'till exempel --date-format "MM/DD/YYYY hh:mm AM/PM" eller '
                               '--date-format "DD/MM/YYYY HH:mm"')
    first = parts.iloc[0]
    if pd.isna(first[4]):
        return date
    clock = ("%I" if pd.notna(first[7]) else "%H") + ":%M" + (":%S" if pd.notna(first[6]) else "")
    return f"{date} {clock}" + (" %p" if pd.notna(first[7]) else "")


def parse_with(dates: pd.Series, times: pd.Series | None, fmt: str) -> tuple[pd.Series, np.ndarray,
                                                                              np.ndarray]:
    """Dates (and a separate time column) read with a strftime format: (values, bad date, bad time).

    Examples
    --------
    >>> v, bad, _ = parse_with(pd.Series(["03/15/2024 09:30 PM", "13/15/2024 09:30 PM"]), None,
    ...                        "%m/%d/%Y %I:%M %p")
    >>> v[0], bad.tolist()
    (Timestamp('2024-03-15 21:30:00'), [False, True])
    >>> parse_with(pd.Series(["15.03.2024"]), pd.Series(["9.05"]), "%d.%m.%Y")[0][0]
    Timestamp('2024-03-15 09:05:00')

    A value with the date only, under a format with a time, is that day at 00:00 (its time of day
    unknown: :func:`lagesbild.sources.timestamps.time_of_day_given`):

    >>> parse_with(pd.Series(["03/16/2024"]), None, "%m/%d/%Y %I:%M %p")[0][0]
    Timestamp('2024-03-16 00:00:00')
    """
    text = dates.astype("string").fillna("").str.strip()
    values = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    bad_time = np.zeros(len(text), dtype=bool)
    with_time = pd.Series(False, index=text.index)
    if times is not None and "%H" not in fmt and "%I" not in fmt:
        # the whole value (9:305 is no 09:30), hours 00-23 and minutes 00-59 (24:00 is the time's fault)
        clock = day_fractions(times.astype("string[pyarrow]").fillna("").str.strip()).str.extract(
            r"^(\d{1,2})[:.]?(\d{2})(?:[:.](\d{2}))?$")
        clock[2] = clock[2].fillna("00")
        given = times.astype("string").fillna("").str.strip() != ""
        wrong = ((pd.to_numeric(clock[0]) > 23) | (pd.to_numeric(clock[1]) > 59)
                 | (pd.to_numeric(clock[2]) > 59))
        clock[0] = clock[0].where(~wrong.fillna(False).astype(bool))
        bad_time = np.asarray(given & clock[0].isna(), dtype=bool)
        with_time = given & clock[0].notna()
        if with_time.any():
            joined = (text[with_time] + " " + clock[0][with_time] + ":" + clock[1][with_time] + ":"
                      + clock[2][with_time])
            values[with_time] = pd.to_datetime(joined, errors="coerce", format=fmt + " %H:%M:%S")
    rest = ~with_time
    if rest.any():
        values[rest] = pd.to_datetime(text[rest], errors="coerce", format=fmt)
    day_fmt = date_part(fmt)
    alone = rest & values.isna() & (text != "")
    if day_fmt != fmt and alone.any():  # a date without its time of day: the day, the time unknown
        values[alone] = pd.to_datetime(text[alone], errors="coerce", format=day_fmt)
    return values, np.asarray(values.isna(), dtype=bool), bad_time


def date_part(fmt: str) -> str:
    """A strftime format without its time of day (the whole format when it has none).

    Examples
    --------
    >>> date_part("%m/%d/%Y %I:%M %p"), date_part("%Y-%m-%dT%H:%M"), date_part("%d.%m.%Y")
    ('%m/%d/%Y', '%Y-%m-%d', '%d.%m.%Y')
    """
    return re.split(r"\s*[T ]?%[HI]", fmt, maxsplit=1)[0].rstrip() or fmt
