"""A leap day is no change: two periods equally long but for 29 February are compared as equally long,
as their change is shown (counts, not rates per day). 5 634 020 crimes in 2024 and 5 633 963 in 2025
(−57, 0,0 %) read "▲ ökning, statistiskt säkerställd" because the rate per day rose by the leap day.

References: the counts by hand; the exact test of equal exposures is scipy's binomial test with
probability one half.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from lagesbild.core.compare import compare
from lagesbild.core.wholeperiods import compare_whole_periods

YEARS = np.arange(2016, 2026)


def _yearly(counts):
    return pd.DataFrame({"place_id": "goteborg", "category": "alla_brott",
                         "period_start": pd.to_datetime([f"{y}-01-01" for y in YEARS]),
                         "period_end": pd.to_datetime([f"{y}-12-31" for y in YEARS]),
                         "count": counts, "preliminary": False})


def test_a_yearly_fall_of_57_in_a_leap_year_pair_is_no_rise():
    counts = [5_634_000 + (7 * y) % 40 for y in YEARS[:-2]] + [5_634_020, 5_633_963]
    row = compare_whole_periods(_yearly(counts), ["2024", "2025"], place_id="goteborg").iloc[0]
    assert (row["count_a"], row["count_b"], row["change"]) == (5_634_020, 5_633_963, -57)
    assert not row["verdict"].startswith("ökning")
    assert row["verdict"].startswith("ingen säkerställd förändring")


def test_the_exact_test_of_two_equally_long_years_is_the_binomial_with_one_half():
    row = compare_whole_periods(_yearly([900] * 8 + [1000, 1100])[-3:], ["2024", "2025"],
                                place_id="goteborg").iloc[0]
    assert row["p_unadjusted"] == pytest.approx(stats.binomtest(1100, 2100, 0.5).pvalue, rel=1e-9)


def test_monthly_sep_aug_years_with_29_february_compare_counts():
    """2023–2024 holds 29 Feb 2024: 4 700 000 crimes a month, 57 fewer in 2024–2025."""
    months = pd.date_range("2019-09-01", "2025-08-01", freq="MS")
    counts = np.full(len(months), 470_000)
    counts[months == pd.Timestamp("2025-03-01")] -= 57
    monthly = pd.DataFrame({"place_id": "x", "category": "skadegorelse", "month": months, "count": counts})
    row = compare(monthly, ["2023–2024", "2024–2025"], place_id="x").set_index("category").loc["skadegorelse"]
    assert (row["days_a"], row["days_b"]) == (366, 365)
    assert (row["count_a"], row["count_b"], row["change"]) == (5_640_000, 5_639_943, -57)
    assert row["verdict"].startswith("ingen säkerställd förändring"), row["verdict"]
