"""perf6 (issue 10): a place's incident months and last day (``analysis.quick.place_incident_months``,
what the quick spans on Plats use) are read from per-version arrays of category and source codes, not
from a frame of the place's rows grouped by pandas (≈ 1.3 → 0.3 ms at each new place). Guards (they pass
on the code before too): the answer worked out by hand from the rows, with rows for every category
(no category: they cover no category of their own but count for the newest month), two incident sources
reaching the same newest month with different extraction dates, a monthly-count source that is not
incident data, a place with only every-category rows and a place without rows; and a new data version
gives the new answer. tests/test_quick_place_months.py compares every demo place with a direct
computation."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lagesbild.analysis import memo, quick

M = pd.Timestamp


class FakeStore:
    """What place_incident_months reads: the sources and every coverage row, per data version."""

    url = "fake://perf6-quick"

    def __init__(self, coverage: list, version: str = "v1"):
        self._coverage, self._version = coverage, version

    def version(self) -> str:
        return self._version

    def sources(self) -> pd.DataFrame:
        return pd.DataFrame({"source": ["polis-a", "polis-b", "bra-manad"],
                             "kind": ["incidents", "incidents", "crimes"],
                             "extracted_at": [dt.date(2024, 4, 20), dt.date(2024, 4, 25), dt.date(2024, 6, 1)]})

    def all_coverage(self) -> pd.DataFrame:
        df = pd.DataFrame(self._coverage, columns=["source", "place_id", "month", "category"])
        return df.assign(month=pd.to_datetime(df["month"]), grain="month")


ROWS = [("polis-a", "a", "2024-01-01", "stold"), ("polis-a", "a", "2024-02-01", "stold"),
        ("polis-a", "a", "2024-03-01", "stold"), ("polis-a", "a", "2024-02-01", "ran"),
        ("polis-a", "a", "2024-04-01", None),  # every category: no category's months, but the newest month
        ("polis-b", "a", "2024-04-01", "ran"),
        ("polis-b", "a", "2024-01-01", "ran"),
        ("bra-manad", "a", "2024-05-01", "stold"),  # monthly counts, not incident data: not read
        ("polis-b", "b", "2024-03-01", None), ("polis-b", "b", "2024-02-01", None),
        ("polis-a", "c-other", "2024-01-01", "stold")]


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(memo, "_MEMO", {})
    monkeypatch.setattr(quick, "plain_last_incidents", lambda store: {})  # every source has its date


def test_months_and_last_day_as_worked_out_by_hand():
    store = FakeStore(ROWS)
    covered, end = quick.place_incident_months(store, "a")
    assert {c: set(m) for c, m in covered.items()} == {
        "stold": {M("2024-01-01"), M("2024-02-01"), M("2024-03-01")},
        "ran": {M("2024-02-01"), M("2024-04-01"), M("2024-01-01")}}
    # both incident sources reach April: polis-a ends the day before 20 April, polis-b before 25 April
    assert end == dt.date(2024, 4, 19)
    covered, end = quick.place_incident_months(store, "b")  # every-category rows only
    assert covered == {} and end == dt.date(2024, 3, 31)  # March's end, before polis-b's extraction
    assert quick.place_incident_months(store, "nowhere") == ({}, None)


def test_a_new_data_version_gives_the_new_months():
    store = FakeStore(ROWS)
    assert quick.place_incident_months(store, "b")[1] == dt.date(2024, 3, 31)
    later = FakeStore([*ROWS, ("polis-b", "b", "2024-04-01", "stold")], version="v2")
    covered, end = quick.place_incident_months(later, "b")
    assert {c: set(m) for c, m in covered.items()} == {"stold": {M("2024-04-01")}}
    assert end == dt.date(2024, 4, 24)
