"""Dates and timestamps in local time (Europe/Stockholm): one date from any date-like value, tz-aware
stamps as local wall time, the Swedish way of writing a day, and month starts of a column of dates.

:mod:`lagesbild.core.periods` builds its periods on these and re-exports them, so
``from lagesbild.core.periods import as_date`` keeps working.

Examples
--------
>>> as_date("2020-08-31"), format_date_sv("2020-08-31")
(datetime.date(2020, 8, 31), '31 aug 2020')
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd

from lagesbild.sources.months import MONTH_IN_DATES
from lagesbild.sources.timestamps import LOCAL_TZ

TIMEZONE = LOCAL_TZ  # the one Swedish time zone (sources.timestamps)


def as_date(value) -> date:
    """Convert a date, datetime, Timestamp, numpy datetime64 or ISO string to a :class:`datetime.date`.

    Time-zone-aware values are first converted to local time (Europe/Stockholm).

    Examples
    --------
    >>> as_date("2022-03-31")
    datetime.date(2022, 3, 31)
    >>> as_date(pd.Timestamp("2021-12-31 23:30", tz="UTC"))
    datetime.date(2022, 1, 1)
    """
    if isinstance(value, (datetime, np.datetime64)):
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            raise ValueError("Datum saknas.")
        return to_local_naive(ts).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f'Ogiltigt datum: "{value}" (använd ÅÅÅÅ-MM-DD).') from None
    raise ValueError(f"Ogiltigt datum: {value!r}.")


def to_local_naive(values):
    """Convert tz-aware timestamps to naive local time in Europe/Stockholm; leave naive ones as they are.

    Parameters
    ----------
    values : Timestamp, datetime, DatetimeIndex or Series of datetimes

    Examples
    --------
    >>> to_local_naive(pd.Timestamp("2021-07-01 10:00", tz="UTC"))
    Timestamp('2021-07-01 12:00:00')
    >>> s = pd.Series(pd.to_datetime(["2021-01-01 10:00"]).tz_localize("UTC"))
    >>> to_local_naive(s).iloc[0]
    Timestamp('2021-01-01 11:00:00')
    >>> to_local_naive(pd.Timestamp("2021-01-01 10:00"))
    Timestamp('2021-01-01 10:00:00')
    """
    if isinstance(values, pd.Series):
        if getattr(values.dt, "tz", None) is None:
            return values
        return values.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    if isinstance(values, pd.DatetimeIndex):
        return values if values.tz is None else values.tz_convert(TIMEZONE).tz_localize(None)
    ts = pd.Timestamp(values)
    return ts if ts.tz is None else ts.tz_convert(TIMEZONE).tz_localize(None)


def format_date_sv(day) -> str:
    """Format a date the Swedish way, e.g. ``31 aug 2022``.

    Examples
    --------
    >>> format_date_sv(date(2022, 8, 31)), format_date_sv("2022-03-31")
    ('31 aug 2022', '31 mars 2022')
    """
    day = as_date(day)
    return f"{day.day} {MONTH_IN_DATES[day.month - 1]} {day.year}"


def month_starts(values) -> pd.Series:
    """The first day of each value's month (a Series keeps its index and name).

    Truncated in numpy (``datetime64[M]``): the same values as pandas'
    ``to_period("M").to_timestamp()``, about ten times faster on a store's monthly table; values
    already dates are not parsed again (``pd.to_datetime`` takes milliseconds even then).

    Examples
    --------
    >>> month_starts(["2023-09-14", "2024-02-29", None]).dt.strftime("%Y-%m-%d").tolist()
    ['2023-09-01', '2024-02-01', nan]
    """
    stamps = naive_stamps(values)
    months = stamps.to_numpy(dtype="datetime64[ns]").astype("datetime64[M]").astype("datetime64[ns]")
    return pd.Series(months, index=stamps.index, name=stamps.name)


def naive_stamps(values) -> pd.Series:
    """Dates, datetimes or ISO texts as a datetime Series without time zone (local wall time kept);
    values already dates are not parsed again."""
    stamps = pd.Series(values)
    if not pd.api.types.is_datetime64_any_dtype(stamps):
        stamps = pd.to_datetime(stamps)
    return stamps.dt.tz_localize(None) if stamps.dt.tz is not None else stamps
