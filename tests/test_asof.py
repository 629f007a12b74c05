"""The store as it stood on a day (analysis.asof): the vectorised row filters against their
definition, one row at a time."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.analysis.asof import AsOf, pairs_in
from lagesbild.ingest import ingest_file
from lagesbild.store import history
from tests.test_since_meeting import MEETING, _counts_file, _months, build_two_deliveries

DAYS = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2025, 12, 31))


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), DAYS), max_size=40),
       pairs=st.sets(st.tuples(st.sampled_from(["a", "b", "d"]), DAYS), max_size=20))
def test_pairs_in_is_a_set_lookup_per_row(rows, pairs):
    pairs |= set(rows[::3])  # some rows are surely members
    sources = [s for s, _ in rows]
    days = np.array([d for _, d in rows], dtype="datetime64[D]")
    assert pairs_in(sources, days, pairs).tolist() == [r in pairs for r in rows]


def _meeting_days(store) -> list[dt.date]:
    finished = sorted({pd.Timestamp(f).date() for f in history.month_arrivals(store)["finished_at"]})
    return [finished[0] - dt.timedelta(days=1), *finished, dt.date(2099, 1, 1)]


def test_coverage_and_counts_as_of_a_day_are_their_definition_row_by_row(tmp_path):
    """A coverage row is kept when its source had arrived by the day, its month is not after that
    source's last month then, and that (source, month) did not arrive later; a count row when its
    (source, month) had arrived. The store holds two deliveries, one read before the meeting, and a
    third read after it that revises two months inside the first."""
    store = build_two_deliveries(tmp_path)[0]
    revision = _counts_file(tmp_path / "c.csv", _months("2022-10-01", "2022-11-01"),
                            [("Hässelby torg", "Personrån", lambda m: 25)])
    ingest_file(store, "crimes", revision, source="polisen-brott")
    sizes = set()
    for day in [*_meeting_days(store), MEETING]:
        view = AsOf(store, day)
        cov = store.coverage()
        keep = [(s, pd.Timestamp(m).date()) not in view._later and s in view._until
                and pd.Timestamp(m).date() <= view._until[s]
                for s, m in zip(cov["source"], cov["month"], strict=True)]
        pd.testing.assert_frame_equal(view.coverage(), cov[keep].reset_index(drop=True))
        sizes.add((sum(keep), len(cov)))
        monthly = store.monthly_counts()
        keep = [(s, pd.Timestamp(m).date().replace(day=1)) in view._months
                for s, m in zip(monthly["source"], monthly["month"], strict=True)]
        pd.testing.assert_frame_equal(view.monthly_counts(), monthly[keep].reset_index(drop=True))
    assert any(0 < kept < every for kept, every in sizes)  # some day keeps part of the data
