"""desk11 re-check (Järfälla action plan): an activity planned to start after the chart's end.

Reference: the dates themselves. A bar starts at its activity's start and runs forward; a start on
1 Feb 2027 with the other activities ending 31 Dec 2026 and the plan read on 7 Dec 2026 must be drawn
from 1 Feb 2027 on, inside the chart's date range, and the subtitle's "t.o.m." must not end before it.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.figures.activities import make_activity_timeline

ACTS = pd.DataFrame({
    "activity_id": ["jakobsberg", "skalby", "kamera"],
    "aktivitet": ["Platssamverkan Jakobsbergs centrum", "Förstärkt fritidsgård Skälby",
                  "Kamerabevakning Barkarby station"],
    "start_date": ["2024-03-01", "2025-09-01", "2027-02-01"],
    "end_date": [None, "2026-12-31", None],
    "open_ended": [True, False, True]})


def _bars(fig):
    out = {}
    for tr in fig["data"]:
        if tr.get("type") == "bar":
            for y, base, ms in zip(tr["y"], tr["base"], tr["x"], strict=True):
                start = pd.Timestamp(base)
                out[y] = (start, start + pd.Timedelta(milliseconds=ms))
    return out


def test_a_later_start_is_drawn_forward_inside_the_chart():
    fig = make_activity_timeline(ACTS, until="2026-12-07")
    bars = _bars(fig)
    lo, hi = (pd.Timestamp(v) for v in fig["layout"]["xaxis"]["range"])
    start, end = bars["Kamerabevakning Barkarby station"]
    assert start == pd.Timestamp("2027-02-01")
    assert end > start  # the old chart's bar ran back from 1 Feb 2027 to 31 Dec 2026
    for a, b in bars.values():
        assert a <= b and lo <= a and b <= hi
    # the subtitle's end is not before the planned start (the old one said "t.o.m. 31 dec 2026")
    sub = str(fig["layout"]["meta"]) if "meta" in fig["layout"] else ""
    text = " ".join(str(a.get("text", "")) for a in fig["layout"].get("annotations", [])) + sub \
        + str(fig["layout"].get("title", ""))
    assert "t.o.m. 31 dec 2026" not in text and "feb 2027" in text


def test_an_ordinary_plan_keeps_its_end():
    # guard: with every start before the end, the chart ends where it did (31 Dec 2026)
    fig = make_activity_timeline(ACTS.iloc[:2], until="2026-12-07")
    text = str(fig["layout"])
    assert "t.o.m. 31 dec 2026" in text
