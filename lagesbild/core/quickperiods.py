"""Quick comparison spans for a meeting: the last 28 days, year to date and the last 12 months.

Each span ends on the last day with data (the extraction date or the last whole day of data) and is
compared with the **same span one year earlier**, like for like: the same number of days and the same
calendar days, so a partial month is never compared with a whole one. These sit beside the Sep–Aug
years (CompStat's 28-day and year-to-date comparisons).

Spans are returned as :class:`lagesbild.core.periods.Period` of kind ``range`` with Swedish labels.

Examples
--------
>>> spans = quick_spans("2026-11-15")
>>> [(s.key, s.current.start.isoformat(), s.current.end.isoformat()) for s in spans]
[('28d', '2026-10-19', '2026-11-15'), ('ytd', '2026-01-01', '2026-11-15'), ('12m', '2025-11-16', '2026-11-15')]
>>> spans[0].previous.start.isoformat(), spans[0].previous.end.isoformat()
('2025-10-19', '2025-11-15')
>>> spans[1].label
'Hittills i år (1 jan–15 nov)'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from lagesbild.core.periods import MONTH_IN_DATES, Period, as_date

#: key -> Swedish label stem; the order is the order shown
SPANS = (("28d", "Senaste 28 dagarna"), ("ytd", "Hittills i år"), ("12m", "Senaste 12 månaderna"))


@dataclass(frozen=True)
class QuickSpan:
    """A span ending on the last day with data, and the same span one year earlier."""

    key: str
    label: str
    current: Period
    previous: Period

    @property
    def periods(self) -> list[Period]:
        """``[previous, current]``, the order comparisons take."""
        return [self.previous, self.current]


def _day_month(day: date) -> str:
    return f"{day.day} {MONTH_IN_DATES[day.month - 1]}"


def _year_earlier(day: date) -> date:
    """The same calendar day a year earlier (29 Feb becomes 28 Feb)."""
    return day - relativedelta(years=1)


def quick_spans(last_day) -> list[QuickSpan]:
    """The 28-day, year-to-date and 12-month spans ending on ``last_day``, each with its year-earlier twin.

    Parameters
    ----------
    last_day : date-like
        The last day with complete data (inclusive).

    Returns
    -------
    list of QuickSpan
        In the order of :data:`SPANS`. The earlier span has the same calendar days one year earlier, so
        both have the same number of days except when one of them contains 29 February.

    Examples
    --------
    >>> s = quick_spans("2024-03-01")[1]
    >>> s.current.n_days, s.previous.n_days
    (61, 60)
    >>> t = quick_spans("2025-02-28")[2]  # the last 12 months hold 29 February 2024; the 12 before do not
    >>> t.current.start.isoformat(), t.current.n_days, t.previous.start.isoformat(), t.previous.n_days
    ('2024-02-29', 366, '2023-03-01', 365)
    """
    end = as_date(last_day)
    prev_end = _year_earlier(end)
    starts = {
        "28d": end - timedelta(days=27),
        "ytd": end.replace(month=1, day=1),
        "12m": _year_earlier(end) + timedelta(days=1),
    }
    spans = []
    for key, stem in SPANS:
        start = starts[key]
        # the 12 months before the earlier end, as the current 12 months before the end: (end − 1 year,
        # end]; the year-earlier day of the current start would add a day after a 29 February
        prev_start = _year_earlier(prev_end) + timedelta(days=1) if key == "12m" else _year_earlier(start)
        if key == "ytd":
            label = f"{stem} (1 jan–{_day_month(end)})"
        else:
            label = f"{stem} (t.o.m. {_day_month(end)} {end.year})"
        current = Period(f"{start.isoformat()}–{end.isoformat()}", start, end, "range")
        previous = Period(f"{prev_start.isoformat()}–{prev_end.isoformat()}", prev_start, prev_end, "range")
        spans.append(QuickSpan(key, label, current, previous))
    return spans
