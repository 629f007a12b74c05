"""The monthly cube (the benchmarks' bare-numpy reference) holds exactly the store's monthly counts
(its coverage against core.coverage's rules: tests/test_share_cube.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.core.cube import CITY, UNKNOWN, build_cube


def test_cube_holds_every_demo_count(demo_store):
    monthly = demo_store.monthly_counts()
    cube = build_cube(monthly, demo_store.coverage())
    sums = monthly.groupby(["place_id", "category"])["count"].sum()
    for (pid, cat), total in sums.items():
        p, c = cube.place_index([pid])[0], cube.categories.get_loc(cat)
        assert cube.counts[p, c].sum() == total
    assert cube.counts.sum() == monthly["count"].sum()


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), n_months=st.integers(1, 30))
def test_cube_cells_equal_a_dictionary_count(seed, n_months):
    rng = np.random.default_rng(seed)
    months = pd.date_range("2020-09-01", periods=n_months, freq="MS")
    rows = [{"place_id": p, "category": c, "month": m, "count": int(rng.poisson(3))}
            for p in ("a", "b") for c in ("ran", "stold") for m in months if rng.random() < 0.7]
    monthly = pd.DataFrame(rows, columns=["place_id", "category", "month", "count"])
    cube = build_cube(monthly)
    for r in monthly.itertuples():
        m = cube.months.get_loc(pd.Timestamp(r.month))
        assert cube.counts[cube.place_index([r.place_id])[0], cube.categories.get_loc(r.category), m] == r.count


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_the_city_sums_every_place_and_an_unknown_place_has_no_count(seed):
    rng = np.random.default_rng(seed)
    months = pd.date_range("2021-01-01", periods=6, freq="MS")
    rows = [{"place_id": p, "category": c, "month": m, "count": int(rng.poisson(3))}
            for p in ("a", "b", "c") for c in ("ran", "stold") for m in months if rng.random() < 0.6]
    monthly = pd.DataFrame(rows, columns=["place_id", "category", "month", "count"])
    cube = build_cube(monthly)
    city, unknown = cube.place_positions([None, "x"])
    assert (city, unknown) == (CITY, UNKNOWN)
    sums = monthly.groupby(["category", "month"])["count"].sum()
    got = cube.place_counts(CITY)
    for (cat, month), total in sums.items():
        assert got[cube.categories.get_loc(cat), cube.months.get_loc(month)] == total
    assert got.sum() == monthly["count"].sum()
    assert not cube.place_counts(UNKNOWN).any()
