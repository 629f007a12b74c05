"""Whether a file's first month is whole: the rule the ingest applies at a file's start, the mirror of
:func:`lagesbild.core.coverage.complete_until` at its end (which uses the same two constants)."""

from __future__ import annotations

import pandas as pd

LAST_INCIDENT_SLACK_DAYS = 6  # the last incident within the last week of its month: complete ...
EMPTY_END_EXPECTED = 3.0  # ... unless more than 3 crimes were due in the empty days (P(none) < 5 %)


def complete_from(first_incident, daily_rate=None):
    """The first day of the first complete month, given the first incident's date: the mirror of
    :func:`lagesbild.core.coverage.complete_until` at the start of a file. The month is left out
    when more than :data:`EMPTY_END_EXPECTED` incidents were to be expected, at the file's
    ``daily_rate``, in the empty days before the first one (without a rate: when the first falls
    after the month's first :data:`LAST_INCIDENT_SLACK_DAYS` days). Unlike the end, a quiet file
    gets more than six days: leaving out a whole first month leaves its year untested, so it takes
    the stronger evidence. None without a date.

    Examples
    --------
    >>> complete_from("2021-09-01 00:10"), complete_from("2021-09-16 08:00")
    (datetime.date(2021, 9, 1), datetime.date(2021, 10, 1))

    Four empty days at 20 crimes a day mean the file began on the 5th; nine at 0,17 a day are likely:

    >>> complete_from("2021-09-05", 20.0), complete_from("2021-09-10", 0.17)
    (datetime.date(2021, 10, 1), datetime.date(2021, 9, 1))
    """
    if first_incident is None or pd.isna(first_incident):
        return None
    day, slack = pd.Timestamp(first_incident), LAST_INCIDENT_SLACK_DAYS
    if day.tzinfo is not None:  # a time with its zone: the day in Swedish time
        day = day.tz_convert("Europe/Stockholm").tz_localize(None)
    day = day.normalize()
    if daily_rate is not None and daily_rate > 0:  # the empty days a file of this volume allows
        slack = int(EMPTY_END_EXPECTED // daily_rate)
    start = day.replace(day=1)
    return (start if (day - start).days <= slack else start + pd.offsets.MonthBegin(1)).date()
