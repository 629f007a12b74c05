"""Two police exports of the same last month, one complete to 31 August and one that stops on the 28th
(at two incidents a day, three empty days at the month's end mean the file ended): the one that stops
is cut on its own, like an older source, and does not take August from the other export's places.

References: the counts are summed by hand from the rows written to the files; the end of the short
export is the end of July because its August is incomplete (the rule of
:func:`lagesbild.core.coverage.complete_until`, checked on its own in ``test_coverage``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lagesbild import analysis
from lagesbild.analysis import dataend
from lagesbild.ingest import ingest_file

HEADER = "Händelse-id,Brottsdatum,Klockslag,Brottskategori,E,N"


def _write(path, prefix, point, days, per_day, seed):
    """An incident file at one point: Poisson(``per_day``) incidents of Skadegörelse a day."""
    rng = np.random.default_rng(seed)
    rows, dates = [HEADER], []
    for day in days:
        for _ in range(rng.poisson(per_day)):
            rows.append(f"{prefix}-{len(rows)},{day:%Y-%m-%d},12:00,Skadegörelse,{point[0]:.1f},{point[1]:.1f}")
            dates.append(day)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return pd.Series(pd.DatetimeIndex(dates))


def _sum(dates, start, end):
    return int(((dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))).sum())


@pytest.fixture()
def two_exports(places_store, tmp_path):
    places = places_store.places_gdf().set_index("place_id")
    point = {p: places.loc[p, "geometry"].representative_point() for p in ("hasselby-torg", "varberg")}
    whole = _write(tmp_path / "hela.csv", "H", (point["hasselby-torg"].x, point["hasselby-torg"].y),
                   pd.date_range("2021-09-01", "2023-08-31"), 12.0, 1)
    short = _write(tmp_path / "kort.csv", "K", (point["varberg"].x, point["varberg"].y),
                   pd.date_range("2021-09-01", "2023-08-28"), 2.0, 2)
    ingest_file(places_store, "incidents", tmp_path / "hela.csv", source="polisen-vasterort")
    ingest_file(places_store, "incidents", tmp_path / "kort.csv", source="polisen-soderort")
    return places_store, whole, short


def test_the_short_export_is_cut_alone_and_the_whole_one_keeps_august(two_exports):
    store, whole, short = two_exports
    assert analysis.data_until(store) == dt.date(2023, 8, 31)  # what the header says
    assert dataend.data_end(store) == dt.date(2023, 8, 31)  # what the comparisons count to
    assert dataend.source_cuts(store) == {"polisen-soderort": dt.date(2023, 7, 31)}

    years = ["2021–2022", "2022–2023"]
    hasselby = analysis.place_comparison(store, "hasselby-torg", years).set_index("category")
    assert hasselby.loc["skadegorelse", ["count_a", "count_b"]].tolist() == [
        _sum(whole, "2021-09-01", "2022-08-31"), _sum(whole, "2022-09-01", "2023-08-31")]
    assert hasselby.loc["skadegorelse", "end_b"] == pd.Timestamp("2023-08-31")
    assert not hasselby.loc["skadegorelse", "like_for_like"]

    varberg = analysis.place_comparison(store, "varberg", years).set_index("category")
    assert varberg.loc["skadegorelse", ["count_a", "count_b"]].tolist() == [
        _sum(short, "2021-09-01", "2022-07-31"), _sum(short, "2022-09-01", "2023-07-31")]
    assert varberg.loc["skadegorelse", "end_b"] == pd.Timestamp("2023-07-31")
    assert varberg.loc["skadegorelse", "like_for_like"]


def test_alone_the_short_export_still_ends_every_place_in_july(places_store, tmp_path):
    places = places_store.places_gdf().set_index("place_id")
    c = places.loc["varberg", "geometry"].representative_point()
    _write(tmp_path / "kort.csv", "K", (c.x, c.y), pd.date_range("2021-09-01", "2023-08-28"), 2.0, 2)
    ingest_file(places_store, "incidents", tmp_path / "kort.csv", source="polisen-soderort")
    assert dataend.data_end(places_store) == dt.date(2023, 7, 31)
    assert dataend.source_cuts(places_store) == {}  # cut for every place at once, so August is named
