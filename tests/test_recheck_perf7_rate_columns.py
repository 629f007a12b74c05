"""A comparison's rate intervals added as columns at once (recheck of issue #10 by perf7).

``analysis.comparison.with_rate_intervals`` copied the comparison, checked for rates through pandas
Series and inserted the four interval columns one by one (≈ 1 ms of a Plats change). It now builds the
columns and joins them to the table in one step. The reference is the old function, kept here as it
was: the tables must be equal (values, dtypes, column order and ``attrs``), and the answer must still
be a copy, on comparisons of random places with and without rates, and on tables that already hold
the columns or have a repeated index.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.analysis import comparison as ac
from lagesbild.core.compare import compare
from lagesbild.core.population import MIN_POPULATION
from tests.test_recheck_perf7_compare_family import random_place


def old_with_rate_intervals(comp, place_id, population, opts):
    """``with_rate_intervals`` before perf7 (commit 6892744)."""
    need = {"method", "dispersion", "category"} | {f"{k}_{s}" for k in ("period", "start", "end", "count", "rate")
                                                    for s in "ab"}
    if comp.empty or not need <= set(comp.columns):
        return comp
    out = comp.copy()
    if not (comp["rate_a"].notna().any() or comp["rate_b"].notna().any()):
        for column in ac.INTERVAL_COLUMNS:
            out[column] = np.nan
        return out
    cols, at = ac._rate_rows(comp)
    once = np.flatnonzero(at == np.arange(len(at)))
    _, _, low, high = ac.rate_bounds(cols["start"][once], cols["end"][once], cols["count"][once],
                                     cols["rate"][once], cols["phi"][once], opts.get("population_table"),
                                     place_id, constant=population,
                                     min_population=opts.get("min_population", MIN_POPULATION))
    where = np.empty(len(at), np.int64)
    where[once] = np.arange(len(once))
    low, high = low[where[at]], high[where[at]]
    n = len(comp)
    out["rate_a_low"], out["rate_a_high"] = low[:n], high[:n]
    out["rate_b_low"], out["rate_b_high"] = low[n:], high[n:]
    return out


def same(comp, population, opts=None):
    opts = opts or {}
    new = ac.with_rate_intervals(comp, "p", population, opts)
    old = old_with_rate_intervals(comp, "p", population, opts)
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    assert new.attrs == old.attrs and list(new.columns) == list(old.columns)
    if len(comp) and new is not comp:
        assert not np.shares_memory(new["count_a"].to_numpy(), comp["count_a"].to_numpy())
    return new


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n_cats=st.integers(1, 6), years=st.sampled_from([3, 5]),
       gaps=st.sampled_from(["none", "every", "one"]), population=st.sampled_from([None, 500, 20_000]),
       n_periods=st.integers(2, 3))
def test_same_table_as_one_by_one(seed, n_cats, years, gaps, population, n_periods):
    monthly, coverage, _ = random_place(seed, n_cats, years, gaps, 0.2)
    if monthly.empty:
        return
    labels = [f"{y}–{y + 1}" for y in range(2013, 2013 + years)][-n_periods:]
    comp = compare(monthly, labels, place_id="p", coverage=coverage, population=population)
    new = same(comp, population)
    assert new[list(ac.INTERVAL_COLUMNS)].notna().any().any() == (population == 20_000)


def test_columns_already_there_and_repeated_index():
    monthly, coverage, _ = random_place(3, 3, 5, "none", 0.0)
    comp = compare(monthly, ["2016–2017", "2017–2018"], place_id="p", coverage=coverage, population=9000)
    once = same(comp, 9000)
    same(once, 9000)  # the columns are replaced where they stand
    same(pd.concat([comp, comp]), 9000)  # a repeated index
    same(comp.iloc[0:0], 9000)
