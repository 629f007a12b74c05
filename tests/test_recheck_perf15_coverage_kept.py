"""``coverage_for`` (a place's page asked it three times a request for the same place: ~0.25 ms each on
the benchmark city) keeps its last few answers per store, data version and places: the store is read
once, each caller gets a frame of its own, and a write (a new data version) is read again.
The reference is ``trim_coverage(store, store.coverage(ids))``, what the function returned before."""

from __future__ import annotations

import pandas as pd

from lagesbild.analysis import periodchoice
from lagesbild.analysis.dataend import trim_coverage
from tests.test_recheck_desk11_compare_source import _store


def test_the_same_places_read_the_store_once_per_version(tmp_path, monkeypatch):
    _settings, store = _store(tmp_path)
    reads = []
    real = store.coverage

    def counted(place_ids=None):
        if place_ids:  # (trim_coverage reads the whole coverage, kept by the store, for the cuts)
            reads.append(tuple(place_ids))
        return real(place_ids=place_ids)

    monkeypatch.setattr(store, "coverage", counted)
    first = periodchoice.coverage_for(store, ["skalby"])
    # the same rows (the store's own index of them differs with how it read them: sliced or not)
    pd.testing.assert_frame_equal(first.reset_index(drop=True),
                                  trim_coverage(store, real(place_ids=["skalby"])).reset_index(drop=True))
    assert len(first) > 0
    second = periodchoice.coverage_for(store, ["skalby"])
    pd.testing.assert_frame_equal(second, first)
    assert reads == [("skalby",)]  # the second answer is the kept one (the reference's read not counted)
    second.loc[:, "source"] = "ändrad"  # a caller's change stays its own
    pd.testing.assert_frame_equal(periodchoice.coverage_for(store, ["skalby"]), first)
    periodchoice.coverage_for(store, ["barkarby"])
    assert reads == [("skalby",), ("barkarby",)]
    with store.transaction() as w:  # a write: another data version
        w.bump_version()
    periodchoice.coverage_for(store, ["skalby"])
    assert reads[-1] == ("skalby",) and len(reads) == 3


def test_only_the_last_few_are_kept(tmp_path):
    _settings, store = _store(tmp_path)
    for i in range(3 * periodchoice.COVERAGE_KEPT):
        periodchoice.coverage_for(store, ["skalby"] * (i + 1))  # a different key each time
    assert len(periodchoice._COVERAGE) <= periodchoice.COVERAGE_KEPT
