"""core.compare.counts_by_period's table built from column arrays (recheck of issue #10 by perf7).

``pair_table.count_frame`` built one dict per place × row × period and a DataFrame from the list
(≈ 2 ms of a Plats change at four categories and four years). It now builds each column as an array.
The reference is the old construction, kept here as it was, on the same sums: the frames must be
equal, values and dtypes, on random places (zeros, months without data, one category's data ending
early, one category or many, periods of months, tertials, calendar and Sep–Aug years, periods outside
the data and periods with partial months, the city as ``place_id=None``).
"""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.core import compare as cc
from lagesbild.core import periods as pr
from lagesbild.core.cube import place_cube
from lagesbild.core.pair_table import COUNT_COLUMNS, period_months
from tests.test_recheck_perf7_compare_family import random_place


def old_counts_by_period(monthly, periods, *, place_id=None, categories=None, coverage=None, data_end=None):
    """``counts_by_period`` before perf7 (commit 05e6ee9): a dict per row."""
    periods = [pr.parse_period(p) for p in periods]
    cats, shown = cc._categories(monthly, categories)
    cube = place_cube(monthly, coverage, place_id, cats)
    rows = cc._rows(cube, cats, shown, data_end)
    if not periods:
        return pd.DataFrame([], columns=COUNT_COLUMNS)
    pm = period_months(rows.cube.months, periods)
    sums, missing = rows.period_sums(pm)
    out = []
    for k, p in enumerate(periods):
        meta = {"period": p.label, "kind": p.kind, "start": pd.Timestamp(p.start), "end": pd.Timestamp(p.end),
                "days": int(pm.days[k]), "n_months": int(pm.n_months[k]), "partial_months": bool(pm.partial[k])}
        out += [{"place_id": pid, **meta, "category": c, "months_missing": int(missing[i, r, k]),
                 "count": int(sums[i, r, k])}
                for i, pid in enumerate([place_id]) for r, c in enumerate(rows.shown)]
    return pd.DataFrame(out, columns=COUNT_COLUMNS)


PERIODS = ["2014-03", "T2 2015", "2016", "2016–2017", "2017-01-15 - 2017-06-10", "2030", "2010–2011",
           "2018-02", "T3 2019", "2020–2021"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n_cats=st.integers(1, 8), years=st.sampled_from([2, 5, 10]),
       gaps=st.sampled_from(["none", "every", "one"]), zeros=st.sampled_from([0.0, 0.5, 1.0]),
       pick=st.sampled_from(["none", "one", "two", "alla"]), city=st.booleans(), data_end=st.booleans(),
       periods=st.lists(st.sampled_from(PERIODS), min_size=0, max_size=5))
def test_counts_by_period_same_as_dict_rows(seed, n_cats, years, gaps, zeros, pick, city, data_end, periods):
    monthly, coverage, months = random_place(seed, n_cats, years, gaps, zeros)
    if monthly.empty:
        return
    present = sorted(monthly["category"].unique())
    categories = {"none": None, "one": present[:1], "two": present[-2:], "alla": "alla"}[pick]
    end = (months[-1] - pd.Timedelta(days=50)).date() if data_end else None
    kw = dict(place_id=None if city else "p", categories=categories, coverage=coverage, data_end=end)
    new = cc.counts_by_period(monthly, periods, **kw)
    old = old_counts_by_period(monthly, periods, **kw)
    pd.testing.assert_frame_equal(new, old, check_exact=True)


def test_four_categories_four_years():
    """The Plats default: four categories and their total over four Sep–Aug years."""
    monthly, coverage, _ = random_place(11, 6, 10, "one", 0.2)
    periods = ["2019–2020", "2020–2021", "2021–2022", "2022–2023"]
    cats = sorted(monthly["category"].unique())[:4]
    kw = dict(place_id="p", categories=cats, coverage=coverage)
    new = cc.counts_by_period(monthly, periods, **kw)
    pd.testing.assert_frame_equal(new, old_counts_by_period(monthly, periods, **kw), check_exact=True)
    assert len(new) == 4 * 5 and new["category"].tolist()[:5] == [*cats, "alla"]
