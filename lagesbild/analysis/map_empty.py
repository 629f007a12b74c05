"""What the map says instead of cells when there is nothing it can draw: no incidents with coordinates
stored (:data:`NO_INCIDENTS`, and :data:`EVENTS_NOT_MAPPED` when Polisen's public events are), or an
area whose crimes in the period are counts without a place (:func:`only_counts`). Used by
:mod:`lagesbild.analysis.maps` (Karta) and the meeting pack's map.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.analysis import base

NO_INCIDENTS = ("kartan kräver brott på händelsenivå med koordinater; inga sådana är inlästa (antal per "
                "område, som Brås statistik, har inget läge): läs in en brottsexport med koordinater under "
                "Data (\"Anmälda brott, händelser med koordinater\")")
#: said after NO_INCIDENTS when Polisen's public events are stored: they are read in, but never mapped
EVENTS_NOT_MAPPED = (". Polisens händelser från polisen.se är inlästa men visas inte på kartan: deras läge är "
                     "ortens eller länets mitt, inte brottets plats")


def _incident_rows(store) -> int:
    """The number of stored incidents (kept per data version: nine COUNTs a read)."""
    return base.memo(store, ("incident-rows",), lambda: store.counts()["incidents"])


#: an area whose crimes in the period are counts without a place (Brå's tables, a file of monthly counts)
ONLY_COUNTS = ("kartan kräver brott på händelsenivå med koordinater; för {name} finns under perioden bara "
               "antal per månad eller år ({n} brott), som inte har något läge")


def _counted_without_points(store, area, cats, period) -> int:
    """The crimes of ``cats`` the store counts for place ``area`` in ``period`` (monthly or yearly
    counts; 0 when none, or when ``area`` is no stored place)."""
    counts = base.complete_counts(store, place_ids=[area], categories=list(cats))
    if counts.empty:
        return 0
    month = pd.to_datetime(counts["month"])
    inside = (month >= pd.Timestamp(period.start)) & (month <= pd.Timestamp(period.end))
    return int(counts.loc[inside, "count"].sum())


def only_counts(store, area, cats, period) -> str | None:
    """:data:`ONLY_COUNTS` for place ``area`` when the store counts crimes of ``cats`` there in
    ``period`` (ask it only when no incident with coordinates lies in the place), else None: the map
    (Karta, the meeting pack's) says this instead of a grid of empty cells and "För få brott (0)"."""
    counted = _counted_without_points(store, area, cats, period)
    if not counted:
        return None
    return ONLY_COUNTS.format(name=base.place_name(store, area, area), n=f"{counted:,}".replace(",", "\u00a0"))


def _no_incidents(store) -> str:
    """:data:`NO_INCIDENTS`, and :data:`EVENTS_NOT_MAPPED` when Polisen's events are what was read in."""
    events = base.memo(store, ("event-rows",), lambda: store.counts().get("events", 0))
    return NO_INCIDENTS + (EVENTS_NOT_MAPPED if events else "")
