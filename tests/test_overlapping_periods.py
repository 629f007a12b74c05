"""Periods that share days share their crimes: their counts are not two samples, and a comparison or a
trend over them is not tested ("kan inte bedömas: perioderna överlappar"). Before, 2020 against
2020-06–2021-05 was "ingen säkerställd förändring" (p = 0,33) and a period against itself p = 1.

Also: a source's whole-period rates (Brå's quarters and years) are per 1 000 inhabitants and year
with each period's population, as the monthly comparisons' are (a quarter's were a quarter of that).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.core.compare import compare
from lagesbild.core.periods import Period, parse_period
from lagesbild.core.trend_family import trend_table
from lagesbild.core.wholeperiods import compare_whole_periods

MONTHS = pd.date_range("2018-01-01", "2023-12-01", freq="MS")
OVERLAP = "kan inte bedömas: perioderna överlappar"


def _monthly(seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"place_id": "a", "category": "ran", "month": MONTHS,
                         "count": rng.poisson(10, len(MONTHS))})


def _whole_months(p: Period) -> set:
    """The calendar months lying wholly inside ``p``, by pandas' calendar."""
    first = pd.Timestamp(p.start) + pd.offsets.MonthBegin(0)  # the 1st on or after the start
    after = pd.Timestamp(p.end + timedelta(days=1))  # whole months end before the day after the end
    last = after.to_period("M").start_time - pd.DateOffset(months=1)
    return set(pd.date_range(first, last, freq="MS"))


day = st.dates(min_value=date(2018, 1, 1), max_value=date(2023, 6, 30))


@settings(max_examples=80, deadline=None)
@given(day, st.integers(40, 500), day, st.integers(40, 500))
def test_a_pair_is_tested_exactly_when_its_periods_share_no_whole_month(s1, n1, s2, n2):
    a = Period("a", s1, min(s1 + timedelta(days=n1), date(2023, 12, 31)))
    b = Period("b", s2, min(s2 + timedelta(days=n2), date(2023, 12, 31)))
    out = compare(_monthly(), [a, b], place_id="a", like_for_like=False, fdr=False).iloc[0]
    first, second = sorted([a, b], key=lambda p: (p.start, p.end))
    shared = _whole_months(first) & _whole_months(second)
    assert (out["verdict"] == OVERLAP) == bool(shared)
    tested = bool(_whole_months(first)) and bool(_whole_months(second)) and not shared
    assert np.isnan(out["p_value"]) != tested


def test_overlapping_and_identical_periods_are_not_tested():
    for pair in (["2020", "2020-06-01–2021-05-31"], ["2020", "2020"], ["T1 2021", "2021"]):
        out = compare(_monthly(1), pair, place_id="a")
        assert out["verdict"].tolist() == [OVERLAP]
        assert out["p_value"].isna().all() and not out["significant"].any()
    # next to each other is not overlapping
    assert compare(_monthly(1), ["2020", "2021"], place_id="a")["p_value"].notna().all()


def test_whole_periods_that_overlap_are_not_tested():
    rows = pd.DataFrame({"place_id": "b", "category": "ran",
                         "period_start": pd.to_datetime(["2024-01-01", "2024-01-01", "2025-01-01"]),
                         "period_end": pd.to_datetime(["2024-12-31", "2024-03-31", "2025-12-31"]),
                         "count": [20, 5, 45], "preliminary": False})
    for pair in (["2024", "2024"], ["2024", "2024-01-01–2024-03-31"]):
        out = compare_whole_periods(rows, pair, place_id="b").iloc[0]
        assert out["verdict"] == OVERLAP and np.isnan(out["p_value"])


def test_a_trend_over_overlapping_periods_is_not_tested():
    periods = [parse_period(p) for p in ["2019", "2019-07-01–2020-06-30", "2020", "2021"]]
    t = pd.DataFrame({"category": "ran", "count": [120, 118, 121, 130], "days": [p.n_days for p in periods],
                      "start": [pd.Timestamp(p.start) for p in periods],
                      "end": [pd.Timestamp(p.end) for p in periods]})
    assert trend_table(t, by=["category"])["verdict"].tolist() == [OVERLAP]
    assert trend_table(t.drop(index=1), by=["category"])["verdict"].iloc[0] != OVERLAP


def test_whole_period_rates_are_per_year_with_each_years_population():
    rows = pd.DataFrame({"place_id": "b", "category": "ran",
                         "period_start": pd.to_datetime(["2023-01-01", "2024-01-01"]),
                         "period_end": pd.to_datetime(["2023-03-31", "2024-03-31"]), "count": [50, 60],
                         "preliminary": False})
    table = pd.DataFrame({"place_id": "b", "year": [2023, 2024], "population": [10_000, 12_000]})
    out = compare_whole_periods(rows, ["2023-01-01–2023-03-31", "2024-01-01–2024-03-31"], place_id="b",
                                population_table=table).iloc[0]
    # a quarter's count per 1 000 inhabitants and year: × 12/3, each year's own population
    assert out["rate_a"] == pytest.approx(1000 * 50 * 4 / 10_000)
    assert out["rate_b"] == pytest.approx(1000 * 60 * 4 / 12_000)
    small = compare_whole_periods(rows, ["2023-01-01–2023-03-31", "2024-01-01–2024-03-31"], place_id="b",
                                  population=600).iloc[0]
    assert np.isnan(small["rate_a"]) and np.isnan(small["rate_b"])  # under 1 000 inhabitants


def test_a_trend_of_periods_given_out_of_order_is_that_of_the_periods_in_order():
    """Rows out of order (periods as a user listed them) raised "lägen i tiden måste vara stigande";
    Mann–Kendall would read them in the order given. The reference is the same table sorted."""
    periods = [parse_period(f"{y}") for y in range(2015, 2022)]
    counts = [100, 110, 120, 135, 150, 160, 175]
    t = pd.DataFrame({"category": "ran", "count": counts, "days": [p.n_days for p in periods],
                      "start": [pd.Timestamp(p.start) for p in periods],
                      "end": [pd.Timestamp(p.end) for p in periods]})
    shuffled = t.iloc[[3, 0, 6, 1, 5, 2, 4]]
    cols = ["verdict", "p_value", "rate_ratio", "mk_p"]
    want = trend_table(t, by=["category"])[cols]
    pd.testing.assert_frame_equal(trend_table(shuffled, by=["category"])[cols], want)
