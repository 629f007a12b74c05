"""The rolling 12-month sum of a range's first months reaches back before the range (desk10, Botkyrka).

Plats' month chart, the CLI's `chart --chart månad` and the pack showed the rolling line only from the
12th month of the chosen periods on: the sums were taken over the range alone, so a chart of two
Sep–Aug years drew the line for its last 13 months, and one of a single year for one month. The
reference is pandas' ``rolling(12, min_periods=12).sum()`` over the whole covered history, cut to the
range afterwards; months before the data stay without a sum.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.core.compare import monthly_series
from lagesbild.core.cube import build_cube
from lagesbild.core.series import category_series, cube_series

FULL = pd.date_range("2019-01-01", "2023-12-01", freq="MS")


def _data(counts, gap):
    monthly = pd.DataFrame({"place_id": "a", "category": "ran", "month": FULL, "count": counts})
    covered = [m for i, m in enumerate(FULL) if i not in gap]
    coverage = pd.DataFrame({"source": "s", "place_id": None, "month": covered})
    return monthly[monthly["month"].isin(covered)], coverage


def _reference(counts, gap, start, end):
    own = pd.Series(np.asarray(counts, dtype=float), index=FULL)
    own[[FULL[i] for i in gap]] = np.nan
    rolling = own.rolling(12, min_periods=12).sum()
    return rolling[(rolling.index >= start) & (rolling.index <= end)]


@settings(max_examples=60, deadline=None)
@given(counts=st.lists(st.integers(0, 50), min_size=len(FULL), max_size=len(FULL)),
       gap=st.sets(st.integers(0, len(FULL) - 1), max_size=4),
       first=st.integers(0, len(FULL) - 1), length=st.integers(1, 30))
def test_first_months_have_their_rolling_sums(counts, gap, first, length):
    start = FULL[first]
    end = FULL[min(first + length - 1, len(FULL) - 1)]
    monthly, coverage = _data(counts, gap)
    want = _reference(counts, gap, start, end)
    for got in (category_series(monthly, "a", ["ran"], coverage=coverage, start=start, end=end),
                cube_series(build_cube(monthly, coverage), "a", ["ran"], start=start, end=end),
                monthly_series(monthly, "a", "ran", coverage=coverage, start=start, end=end)):
        assert got["month"].tolist() == want.index.tolist()
        assert got["rolling_12"].isna().tolist() == want.isna().tolist()
        assert got["rolling_12"].dropna().tolist() == want.dropna().astype(int).tolist()


def test_a_single_year_shows_its_line_from_its_first_month():
    """Hand example: 2 crimes every month from Jan 2019; the Sep 2022–Aug 2023 year's first rolling
    sum is 12 × 2 = 24 (the old code: <NA> for September to July)."""
    monthly, coverage = _data([2] * len(FULL), set())
    got = category_series(monthly, "a", ["ran"], coverage=coverage, start="2022-09-01", end="2023-08-31")
    assert got["rolling_12"].tolist() == [24] * 12


def test_months_before_the_data_have_no_sum():
    monthly, coverage = _data([3] * len(FULL), set())
    got = category_series(monthly, "a", ["ran"], coverage=coverage, start="2019-06-01", end="2020-01-31")
    assert got["rolling_12"].isna().tolist() == [True] * 6 + [False] * 2  # Dec 2019: the 12th month
    assert got["rolling_12"].dropna().tolist() == [36, 36]
