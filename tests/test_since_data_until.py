"""Sedan sist says the same "data t.o.m." as the header when the police's file ends inside a month.

meeting2's finding: incidents extracted on 19 November (data to the 18th) made the header say
"data t.o.m. 18 nov 2026" and Sedan sist "nu finns data t.o.m. 30 nov 2026" — the month's end, which
the store's months give — beside it. Both now come from :func:`lagesbild.analysis.base.data_until`.
"""

from __future__ import annotations

import datetime as dt

from lagesbild.analysis import base
from lagesbild.analysis.since_meeting import since_last_meeting
from lagesbild.ingest import ingest_file
from tests.test_recheck_stats2_quick_ends import _file


def test_sedan_sist_ends_its_data_where_the_header_does(places_store, settings, tmp_path):
    store = places_store
    path = _file(store, "varberg", "2025-01-01", "2026-11-18", tmp_path / "syd.csv", 5)
    assert ingest_file(store, "incidents", path, crs=3006, extracted_at="2026-11-19").status == "ok"
    assert base.data_until(store) == dt.date(2026, 11, 18)  # the day before the extraction date
    out = since_last_meeting(store, settings, meeting_date="2026-10-01", today="2026-11-20",
                             with_hotspots=False)
    assert out["until_now"] == dt.date(2026, 11, 18)
