"""Quick periods around 29 February (probe of issue #15): the last 12 months and the 12 months a year
earlier are each the twelve months up to their end, (end − 1 year, end], and meet without a gap."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from dateutil.relativedelta import relativedelta

from lagesbild.core.quickperiods import quick_spans


def test_twelve_months_are_twelve_months_before_each_end_every_day_of_ten_years():
    for day in pd.date_range("2020-01-01", "2030-12-31"):
        end = day.date()
        twelve = quick_spans(end)[2]
        for span in (twelve.current, twelve.previous):
            assert span.start == span.end - relativedelta(years=1) + dt.timedelta(days=1), (end, span)
            # by hand: the days after the same calendar day a year before, up to the end
            assert span.n_days == (span.end - (span.end - relativedelta(years=1))).days
        assert twelve.previous.end + dt.timedelta(days=1) == twelve.current.start  # no gap, no overlap


def test_after_a_leap_day_the_earlier_twelve_months_lose_their_extra_day():
    twelve = quick_spans("2025-02-28")[2]
    assert (twelve.previous.start, twelve.previous.end) == (dt.date(2023, 3, 1), dt.date(2024, 2, 28))
    assert (twelve.current.start, twelve.current.end) == (dt.date(2024, 2, 29), dt.date(2025, 2, 28))
