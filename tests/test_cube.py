"""The monthly cube gives the same rows as the core's per-place functions (the reference), for every
place of the demo store and for random stores with gaps in the coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.core.compare import compare, counts_by_period
from lagesbild.core.cube import build_cube, compare_many, counts_by_period_many

PAIRS = [["2021–2022", "2022–2023"], ["T1 2022", "T1 2023"],
         ["2018-01-01–2018-11-30", "2019-01-01–2019-11-30"], ["2022", "2023"]]


def reference(monthly, coverage, place_ids, periods, cats, alpha=0.05, populations=None, **opts):
    frames = [compare(monthly[monthly["place_id"] == p], periods, place_id=p, categories=cats,
                      coverage=coverage, alpha=alpha, population=(populations or {}).get(p), fdr=False,
                      **opts)
              for p in place_ids]
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("periods", PAIRS, ids=lambda p: p[0])
def test_cube_comparison_equals_core_for_every_demo_place(demo_store, periods):
    monthly, coverage = demo_store.monthly_counts(), demo_store.coverage()
    places = demo_store.places()
    ids = places["place_id"].tolist()
    pops = {p: v for p, v in zip(places["place_id"], places["population"], strict=True) if pd.notna(v)}
    cats = sorted(monthly["category"].unique())
    cube = build_cube(monthly, coverage)
    got = compare_many(cube, ids, periods, categories=cats, populations=pops)
    want = reference(monthly, coverage, ids, periods, cats, populations=pops)
    pd.testing.assert_frame_equal(got, want)
    counts = counts_by_period_many(cube, ids[:3], periods, categories=cats[:2])
    ref = pd.concat([counts_by_period(monthly, periods, place_id=p, categories=cats[:2],
                                      coverage=coverage) for p in ids[:3]], ignore_index=True)
    pd.testing.assert_frame_equal(counts, ref)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000), until=st.integers(20, 35), gap=st.booleans(),
       alpha=st.sampled_from([0.05, 0.01]))
def test_cube_comparison_equals_core_on_random_stores(seed, until, gap, alpha):
    rng = np.random.default_rng(seed)
    months = pd.date_range("2020-09-01", periods=until, freq="MS")
    rows = [{"place_id": p, "category": c, "month": m, "count": int(rng.poisson(rng.uniform(0.2, 9)))}
            for p in ("a", "b", "c") for c in ("ran", "stold", "narkotika") for m in months
            if rng.random() < 0.8]
    monthly = pd.DataFrame(rows)
    monthly = monthly[monthly["count"] > 0].reset_index(drop=True)
    cov_months = months.delete(5) if gap else months
    coverage = pd.concat([pd.DataFrame({"source": "s", "place_id": None, "month": cov_months}),
                          pd.DataFrame({"source": "t", "place_id": "c", "month": months[:3]})])
    periods = ["2020–2021", "2021–2022", "2022–2023"]
    cats = ["narkotika", "ran", "stold"]
    got = compare_many(build_cube(monthly, coverage), ["a", "b", "c", "x"], periods, categories=cats,
                       alpha=alpha, populations={"a": 1200})
    want = reference(monthly, coverage, ["a", "b", "c", "x"], periods, cats, alpha, {"a": 1200})
    pd.testing.assert_frame_equal(got, want)


def test_cube_comparison_equals_core_with_a_cut_month_and_yearly_populations(demo_store):
    monthly, coverage = demo_store.monthly_counts(), demo_store.coverage()
    ids = ["hasselby-torg", "varberg", "stockholm"]
    cats = sorted(monthly["category"].unique())[:3]
    table = pd.DataFrame({"place_id": ids * 2, "year": [2019] * 3 + [2023] * 3,
                          "population": [1500, 14000, 950000, 1700, 15000, 990000]})
    opts = {"data_end": pd.Timestamp("2023-07-31").date(), "population_table": table,
            "min_population": 1000}
    periods = ["2021–2022", "2022–2023"]
    got = compare_many(build_cube(monthly, coverage), ids, periods, categories=cats, **opts)
    want = reference(monthly, coverage, ids, periods, cats, **opts)
    pd.testing.assert_frame_equal(got, want)
    assert got["note"].str.contains("aug 2023 är ofullständig").all()
