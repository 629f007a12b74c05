"""Two police exports that both cover a place, the newer one ending in the middle of the last month.

The newer export (``ny``) holds the place's incidents to 25 August 2023 and is judged complete to 31
July; the older one (``gammal``, extracted 5 September) has a few incidents there to 31 August. The
store counts each month of the place from the newest source covering it, so August had no counts
left once the newer export was cut at its end, while the older export's coverage still called the
month covered: August counted as 0, and the year Sep 2022–Aug 2023 (eleven months of counts) was
compared with a whole year (the screens checker: 104 → 80, −23 %). Now the month is missing at the
place: the comparison counts September–July of both years, the month chart leaves August empty, and
the quick spans end on the newer export's last day, not the older one's.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import shapely

from lagesbild.analysis import place
from lagesbild.analysis.meeting import quick_comparison
from lagesbild.ingest import ingest_file

PLACE = "hasselby-torg"
START, NEW_END, OLD_END = pd.Timestamp("2020-09-01"), pd.Timestamp("2023-08-25"), pd.Timestamp("2023-08-31")


def _points(geom, n, rng):
    minx, miny, maxx, maxy = geom.bounds
    out = np.empty((0, 2))
    while len(out) < n:
        xy = np.c_[rng.uniform(minx, maxx, 4 * n + 20), rng.uniform(miny, maxy, 4 * n + 20)].round(1)
        out = np.r_[out, xy[shapely.contains_xy(geom, xy[:, 0], xy[:, 1])]]  # as written to the file
    return out[:n]


def _export(path, geom, days, per_day, rng, prefix):
    """Incidents of Skadegörelse inside the place, ``per_day`` a day on average over ``days``."""
    n = rng.poisson(per_day, len(days))
    n[-1] = max(n[-1], 1)  # the export's last day has a crime: its data run to that day
    when = np.repeat(days, n)
    xy = _points(geom, len(when), rng)
    rows = pd.DataFrame({"Händelse-id": [f"{prefix}-{i}" for i in range(len(when))],
                         "Brottsdatum": [d.strftime("%Y-%m-%d") for d in when], "Klockslag": "12:00",
                         "Brottskategori": "Skadegörelse", "E": xy[:, 0], "N": xy[:, 1]})
    rows.to_csv(path, index=False)
    return pd.Series(1, index=pd.DatetimeIndex(when)).groupby(level=0).size()


def _build(store, tmp_path):
    rng = np.random.default_rng(11)
    geom = store.places_gdf().set_index("place_id").loc[PLACE, "geometry"]
    _export(tmp_path / "gammal.csv", geom, pd.date_range(START, OLD_END), 0.2, rng, "G")
    new = _export(tmp_path / "ny.csv", geom, pd.date_range(START, NEW_END), 3.0, rng, "N")
    for name, source, opts in (("gammal.csv", "gammal", {"extracted_at": dt.date(2023, 9, 5)}), ("ny.csv", "ny", {})):
        report = ingest_file(store, "incidents", tmp_path / name, source=source, crs=3006, **opts)
        assert report.status == "ok", report.message
    return new


def test_the_cut_month_is_missing_not_zero(places_store, settings, tmp_path):
    new = _build(places_store, tmp_path)
    table = place.place_comparison(places_store, PLACE, ["2021–2022", "2022–2023"], categories=["skadegorelse"])
    row = table[table["category"] == "skadegorelse"].iloc[0]
    # September to July of each year, counted by hand from the newer export's incidents
    want_a = int(new["2021-09-01":"2022-07-31"].sum())
    want_b = int(new["2022-09-01":"2023-07-31"].sum())
    assert (row["count_a"], row["count_b"]) == (want_a, want_b)

    view = place.place_view(places_store, settings, PLACE, categories=["skadegorelse"],
                            periods=["2021–2022", "2022–2023"])
    series = view["series"].set_index("month")
    assert series.loc[pd.Timestamp("2023-07-01"), "count"] == int(new["2023-07"].sum())
    assert pd.Timestamp("2023-08-01") not in series.index or pd.isna(series.loc[pd.Timestamp("2023-08-01"), "count"])


def test_the_quick_spans_end_with_the_newer_export(places_store, settings, tmp_path):
    _build(places_store, tmp_path)
    quick = quick_comparison(places_store, settings, place=PLACE, categories=["skadegorelse"])
    assert len(quick)
    assert max(pd.Timestamp(d) for d in quick["end_b"]) <= NEW_END
