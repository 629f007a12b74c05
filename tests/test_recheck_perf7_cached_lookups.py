"""Two pure lookups of a place change kept instead of recomputed (recheck of issue #10 by perf7):
``analysis.comparison.place_rows`` (a place's whole-period counts, filtered from the store's three
times a Plats change) per data version, and ``core.period_pairs.overlapping`` per tuple of periods.
The references are the old computations, kept here: the answers must be the same, also after new
data, and a caller changing its answer must not change the next one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.analysis import base
from lagesbild.analysis.comparison import place_rows
from lagesbild.core.period_pairs import overlapping, period_months
from lagesbild.core.periods import parse_period
from lagesbild.ingest.run import ingest_file


def old_overlapping(periods) -> np.ndarray:
    """``overlapping`` before perf7 (commit e9f2908)."""
    pm = period_months(pd.DatetimeIndex([]), periods)
    whole = [set(p.whole_months) for p in periods]
    return np.array([bool(whole[k] & whole[k + 1]) and pm.n_months[k] > 0 and pm.n_months[k + 1] > 0
                     for k in range(len(periods) - 1)], bool)


def brute_overlap(a, b) -> bool:
    """By hand: a calendar month lying wholly inside both periods."""
    month = pd.Timestamp(max(a.start, b.start)).to_period("M")
    while month.start_time.date() <= min(a.end, b.end):
        if all(p.start <= month.start_time.date() and month.end_time.date() <= p.end for p in (a, b)):
            return True
        month += 1
    return False


DAYS = st.dates(min_value=pd.Timestamp("2019-01-01").date(), max_value=pd.Timestamp("2022-12-31").date())


@settings(max_examples=200, deadline=None)
@given(spans=st.lists(st.tuples(DAYS, st.integers(0, 500)), min_size=1, max_size=5))
def test_overlapping_same_as_before(spans):
    periods = [parse_period(f"{s:%Y-%m-%d}–{(pd.Timestamp(s) + pd.Timedelta(days=n)):%Y-%m-%d}") for s, n in spans]
    periods = sorted(periods, key=lambda p: (p.start, p.end))
    new = overlapping(periods)
    assert new.tolist() == old_overlapping(periods).tolist()
    assert new.tolist() == [brute_overlap(a, b) for a, b in zip(periods[:-1], periods[1:], strict=True)]
    new[:] = ~new  # a caller's change does not reach the kept answer
    assert overlapping(periods).tolist() == old_overlapping(periods).tolist()


def test_place_rows_same_as_filter_and_new_after_ingest(store, tmp_path):
    """A store with a Brå yearly table: each place's rows are the filter of the store's whole-period rows;
    after another year is read in, the new rows (a new data version), never the kept ones."""
    path = tmp_path / "bra.csv"
    path.write_text("Region;Brottskategori;År;Antal\nStockholm;Stöld;2023;100\nStockholm;Rån;2023;7\n"
                    "Göteborg;Stöld;2023;80\n", encoding="utf-8")
    assert ingest_file(store, "crimes", path, source="bra-ar").status == "ok"
    every = base.whole_rows(store)
    assert not every.empty
    for pid in sorted(set(every["place_id"])):
        pd.testing.assert_frame_equal(place_rows(store, pid), every[every["place_id"] == pid])
    kept = {pid: place_rows(store, pid) for pid in set(every["place_id"])}
    path.write_text("Region;Brottskategori;År;Antal\nStockholm;Stöld;2024;120\n", encoding="utf-8")
    assert ingest_file(store, "crimes", path, source="bra-ar").status == "ok"
    again = base.whole_rows(store)
    grown = [pid for pid in kept if (again["place_id"] == pid).sum() > len(kept[pid])]
    assert len(grown) == 1
    for pid in kept:
        pd.testing.assert_frame_equal(place_rows(store, pid), again[again["place_id"] == pid])
