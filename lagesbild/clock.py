"""The one clock of lagesbild: now and today in Swedish time (Europe/Stockholm).

Whatever the server's own time zone: a container often runs in UTC, where 00:30 in Stockholm is still
the day before, so a note written then, the day "Sedan sist" counts to and the date of a meeting pack
would be a day early. Every layer asks this module (the incident readers, too, to refuse a date in
the future). Store times are naive Swedish local times.

Examples
--------
>>> import datetime as dt
>>> isinstance(now(), dt.datetime) and now().tzinfo is None and today() == now().date()
True
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TIME_ZONE = "Europe/Stockholm"
_ZONE = ZoneInfo(TIME_ZONE)


def now() -> dt.datetime:
    """The time in Sweden now, as a naive datetime."""
    return dt.datetime.now(_ZONE).replace(tzinfo=None)


def today() -> dt.date:
    """Today's date in Sweden."""
    return now().date()
