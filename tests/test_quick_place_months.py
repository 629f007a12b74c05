"""The months and last day of a place's incident data, as the quick spans use them, are the same when
read from the per-version index of coverage rows (``analysis.quick._incident_coverage``) as when worked
out directly from every coverage row, for every place of the demo (two sources ending on different days:
``tests/test_recheck_stats2_quick_ends.py``)."""

from __future__ import annotations

import pandas as pd

from lagesbild.analysis.dataend import plain_last_incidents
from lagesbild.analysis.quick import place_incident_months
from lagesbild.core.coverage import complete_until


def direct(store, place_id):
    """The months per category and the last day, straight from ``store.all_coverage()``."""
    src = store.sources()
    inc = src[src["kind"] == "incidents"]
    cov = store.all_coverage()
    cov = cov[cov["source"].isin(set(inc["source"])) & (cov["place_id"] == place_id)]
    if cov.empty:
        return {}, None
    covered = {cat: set(months) for cat, months in cov.groupby("category")["month"]}
    extracted = dict(zip(inc["source"], inc["extracted_at"], strict=True))
    plain = plain_last_incidents(store)
    ends = []
    lasts = cov.groupby("source")["month"].max()
    for name, month in lasts[lasts == lasts.max()].items():
        month_end = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
        day = extracted.get(name)
        if day is not None and not pd.isna(day):
            ends.append(min(month_end, (pd.Timestamp(day) - pd.Timedelta(days=1)).date()))
        elif name in plain:
            last, rate = plain[name]
            ends.append(min(month_end, max(last, complete_until(last_incident=last, daily_rate=rate))))
        else:
            ends.append(month_end)
    return covered, min(ends)


def test_every_demo_place_as_worked_out_directly(demo_store):
    places = list(demo_store.places()["place_id"])
    assert len(places) > 10
    seen_data = 0
    for pid in places:
        covered, end = place_incident_months(demo_store, pid)
        want_covered, want_end = direct(demo_store, pid)
        assert end == want_end, pid
        assert {c: set(m) for c, m in covered.items()} == want_covered, pid
        seen_data += bool(want_covered)
    assert seen_data > 10  # the demo's places have incident data: the comparison is not of empties
