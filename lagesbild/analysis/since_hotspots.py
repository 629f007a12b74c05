"""Sedan förra mötet's hot spots: cells that became or stopped being hot spots between the data as they
stood at the meeting and now, said only where the change itself is beyond chance
(:func:`hotspot_changes`; :mod:`lagesbild.analysis.since_meeting` asks it).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import shapely

from lagesbild.analysis import base
from lagesbild.core.fdr import bh_adjust
from lagesbild.core.hotspot_change import (
    beyond_chance,
    hotspot_change,
    hotspots_on_one_grid,
    neighbourhood_change,
)

HOTSPOT_MONTHS = 12


def _districts(store, places) -> list[str]:
    pl = base.places(store)
    if pl.empty:
        return []
    if places is None:
        return pl.loc[pl["kind"] == "stadsdelsomrade", "place_id"].tolist()
    rows = pl[pl["place_id"].isin(places)]
    out = [r["place_id"] if r["kind"] == "stadsdelsomrade" else r["district_id"] for _, r in rows.iterrows()]
    return [d for d in dict.fromkeys(out) if isinstance(d, str)]


def _window(until) -> tuple[dt.date, dt.date]:
    end = pd.Timestamp(until) + pd.offsets.MonthEnd(0)
    return (end - pd.DateOffset(months=HOTSPOT_MONTHS - 1)).replace(day=1).date(), end.date()


def hotspot_changes(store, then_store, settings, places=None) -> list[dict]:
    """Hot spots (per district, non-sensitive incidents of the last twelve months) that appeared or
    ended between ``then_store`` and ``store``; the places lying in each changed cell are named.

    A cell that is a hot spot in one map and not in the other is said only when its neighbourhood's
    share of the district's incidents changed beyond chance in the months the two maps do not share
    (:func:`lagesbild.core.hotspot_change.neighbourhood_change` of every cell, one Benjamini–Hochberg
    family over the page's cells, as Karta's change map): near the threshold a cell flips class by chance, and around an unchanged hot spot 7 of
    10 twelve-month maps a month apart had a cell "new" or "ended"."""
    until_now, until_then = store.data_until(), then_store.data_until()
    if until_now is None or until_then is None:
        return []
    hidden = base.sensitive_categories(store)
    gdf = store.places_gdf()
    small = gdf[~gdf["kind"].isin(base.AREA_KINDS)]
    found_all = []
    for district in _districts(store, places):
        geom = gdf.loc[gdf["place_id"] == district].geometry.iloc[0]
        if geom is None or geom.is_empty:
            continue  # an area without a shape has no hot spots
        found, windows = [], []
        for s, until in ((then_store, until_then), (store, until_now)):
            start, end = _window(until)
            inc = s.incidents(start=start, end=end, bbox=geom.bounds)
            found.append(inc[~inc["category"].isin(hidden)] if len(inc) else inc)
            windows.append((pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)))
        before, after = hotspots_on_one_grid(*found, geom, cell_size=settings.cell_size, fit_small=True)
        change = hotspot_change(before, after)
        # the months only one of the maps has: the earlier map's dropped, the later one's added
        dropped, added = (_outside(found[i], windows[1 - i]) for i in (0, 1))
        moved = neighbourhood_change(change, dropped, added, spacing=after.attrs["cell_size"], every_cell=True)
        found_all.append((district, change, moved))
    tested = np.concatenate([m["p"].to_numpy() for _, _, m in found_all]) if found_all else np.zeros(0)
    q = np.full(len(tested), np.nan)
    if np.isfinite(tested).any():
        q[np.isfinite(tested)] = bh_adjust(tested[np.isfinite(tested)])
    out, at = [], 0
    for district, change, moved in found_all:
        real = change[beyond_chance(change, moved, q[at:at + len(change)], settings.alpha)]
        at += len(change)
        name = base.place_name(store, district, district)
        for label, kind in (("ny het punkt", "ny"), ("upphörd het punkt", "upphörd")):
            cells = real[real["change"] == label]
            if cells.empty:
                continue
            union = shapely.union_all(cells.geometry.values)
            near = sorted(small.loc[small.geometry.intersects(union), "name"])
            where = f" vid {', '.join(near)}" if near else ""
            word = "ny het punkt" if len(cells) == 1 else "nya heta punkter"
            if kind == "upphörd":
                word = "het punkt har upphört" if len(cells) == 1 else "heta punkter har upphört"
            out.append({"area_id": district, "area": name, "change": kind, "cells": int(len(cells)),
                        "places": near, "text": f"{name}: {len(cells)} {word}{where}."})
    return sorted(out, key=lambda x: (x["change"] != "ny", x["area"]))


def _outside(inc: pd.DataFrame, window) -> pd.DataFrame:
    """The incidents of ``inc`` outside ``window`` (first day, day after the last)."""
    if inc.empty:
        return inc
    t = pd.to_datetime(inc["occurred_at"])
    return inc[((t < window[0]) | (t >= window[1])).to_numpy()]
