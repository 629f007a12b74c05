"""stats12: an activity's windows cut because the comparison area's data are short said the place's data
were short.

The place's own file covers 36 months; the district's covers stöld only until June 2020. With a start in
January 2020 the stöld row (and the total, which sums it) is cut to six months each side so that the
place and the district are compared over the same months; the note read "Data täcker bara 6 månader efter
start", though the place has twelve. It now names the comparison area's data. A place whose own data are
short keeps the old note.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from lagesbild.core.effects import before_after

MONTHS = pd.date_range("2019-01-01", "2021-12-01", freq="MS")
CUT = pd.Timestamp("2020-07-01")


def _data(district_short: bool):
    rng, rows = np.random.default_rng(1), []
    for c in ("rån", "stöld"):
        for m in MONTHS:
            if c == "stöld" and not district_short and m >= CUT:
                continue  # the place's own stöld data end
            t = int(rng.poisson(20))
            rows.append(("torg", c, m, t))
            if not (c == "stöld" and district_short and m >= CUT):
                rows.append(("sdo", c, m, t + int(rng.poisson(200))))
    monthly = pd.DataFrame(rows, columns=["place_id", "category", "month", "count"])
    parts = []
    for pid in ("torg", "sdo"):
        short_here = (pid == "sdo") == district_short
        for c in ("rån", "stöld"):
            months = MONTHS[MONTHS < CUT] if c == "stöld" and short_here else MONTHS
            parts.append(pd.DataFrame({"source": pid, "place_id": pid, "category": c, "month": months}))
    return monthly, pd.concat(parts, ignore_index=True)


def _table(district_short: bool):
    monthly, coverage = _data(district_short)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return before_after(monthly, place_id="torg", start="2020-01-01", coverage=coverage,
                            district_id="sdo").set_index("category")


def test_a_short_comparison_area_is_named():
    t = _table(district_short=True)
    assert t.loc["rån", "months"] == 12 and t.loc["stöld", "months"] == 6
    for cat in ("stöld", "alla"):
        assert "Jämförelseområdets data täcker bara 6 månader efter start" in t.loc[cat, "note"], cat
        assert not t.loc[cat, "note"].startswith("Data täcker")
    assert "täcker bara" not in t.loc["rån", "note"]


def test_the_place_own_short_data_keep_their_note():
    t = _table(district_short=False)
    assert t.loc["stöld", "months"] == 6
    assert t.loc["stöld", "note"].startswith("Data täcker bara 6 månader efter start")
