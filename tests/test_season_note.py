"""Consecutive periods that count different months of the year (T1 against T2, the tertials the
action plan is followed up in) differ by season alone: with the same seasonal cycle every year and no
change, T1 → T2 was "ökning, statistiskt säkerställd" without a word on season. The row now says
that the change may be the season's; the same months of two years do not get the note.

Reference: a simulation with a fixed seed (Poisson months with a summer peak, no change between
years), and the months of the year of each period counted with pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.core.compare import compare
from lagesbild.core.pair_table import NOTES

MONTHS = pd.date_range("2018-01-01", "2022-12-01", freq="MS")
SEASON = 20 * np.exp(0.6 * np.sin(2 * np.pi * (MONTHS.month.to_numpy() - 4) / 12))  # peak in July


def _monthly(seed):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"place_id": "a", "category": "ran", "month": MONTHS, "count": rng.poisson(SEASON)})


def test_a_change_between_different_months_of_the_year_says_it_may_be_the_season():
    flagged, noted = 0, 0
    for seed in range(20):
        out = compare(_monthly(seed), ["T1 2021", "T2 2021"], place_id="a").iloc[0]
        flagged += bool(out["significant"])
        noted += NOTES["season"] in out["note"]
    assert flagged >= 15  # the season alone is "säkerställd" ...
    assert noted == 20  # ... and every row says the season may be why


def test_the_same_months_of_two_years_get_no_season_note():
    for pair in (["T1 2020", "T1 2021"], ["2020–2021", "2021–2022"], ["2020-03", "2021-03"]):
        out = compare(_monthly(1), pair, place_id="a").iloc[0]
        months = [set(pd.date_range(r[0], r[1], freq="MS").month) for r in
                  ((out["start_a"], out["end_a"]), (out["start_b"], out["end_b"]))]
        assert months[0] == months[1]
        assert NOTES["season"] not in out["note"]
