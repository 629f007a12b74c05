"""Where the stored crime data come from and until when: the facts every source line states.

:func:`data_until` (the "data t.o.m." day), :func:`facts` (what a figure's source line needs),
:func:`fictitious_sources` and the publishers of the whole store's or some places' crime data
(:func:`crime_source`, :func:`places_crime_source`). Re-exported by :mod:`lagesbild.analysis.base`.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.analysis.dataend import _last_incident, latest_extraction
from lagesbild.analysis.memo import memo
from lagesbild.analysis.periodchoice import coverage_for, whole_rows
from lagesbild.core.compare import complete_until


def data_until(store):
    """The last day the crime data cover (a date, or None): what every "data t.o.m." says, on screen,
    in the exports and from the CLI.

    The end of the store's last month with data (:meth:`lagesbild.store.Store.data_until`) unless
    the data stop inside it, judged as the comparisons judge a month complete
    (:func:`lagesbild.core.compare.complete_until`): the day before the latest extraction date
    (uttagsdatum) when that falls in the month, else the month's last incident when it lies more than
    a week before the month's end, or more empty days before it than the file's volume allows.
    Monthly counts without an extraction date cover their whole month (a month not over on the day
    they were read in is left out at the ingest: :func:`lagesbild.sources.crimes.unfinished_periods`).
    (Comparisons count whole months only: :func:`data_end`.)
    """
    def build():
        until = store.data_until()
        if until is None:
            return None
        start = pd.Timestamp(until).replace(day=1)
        extracted = latest_extraction(store)
        if extracted is not None:
            day = (pd.Timestamp(extracted) - pd.Timedelta(days=1)).date()
            if start.date() <= day < until:
                return day
        day, rate = _last_incident(store)
        if day is None or day < start.date():
            return until
        return min(until, max(day, complete_until(last_incident=day, daily_rate=rate)))
    return memo(store, ("data-until",), build)


def facts(store) -> dict:
    """What every figure's source line needs: ``data_until`` (:func:`data_until`), ``demo``,
    ``extracted``, ``crime_source`` (:func:`crime_source`).

    ``demo`` (every chart, table download, export and command then says "FIKTIVA DEMODATA") is true
    for the bundled demo and also where a crime source is marked fictitious (a file of its own
    whose notes say ``# FIKTIVA``: Data and ``status`` said "Fiktiv", Översikt, Plats and the exports
    nothing); ``fictitious_sources`` names those, ``demo_store`` is the bundled demo alone."""
    return dict(memo(store, ("facts",), lambda: {
        "data_until": data_until(store), "demo": bool(store.meta().get("demo")) or bool(fictitious_sources(store)),
        "demo_store": bool(store.meta().get("demo")), "fictitious_sources": fictitious_sources(store),
        "extracted": latest_extraction(store), "crime_source": crime_source(store)}))


def fictitious_sources(store) -> list[str]:
    """The crime sources (monthly counts or incidents) marked fictitious at their ingest, sorted."""
    src = store.sources()
    if not len(src):
        return []
    hit = src["kind"].isin(["crimes", "incidents"]) & src["fictitious"].astype(bool)
    return sorted(src.loc[hit, "source"])


#: a crime source whose name starts so holds Brå's statistics (the ingest names a Brå table so)
BRA_SOURCE_PREFIX = "bra"


def crime_source(store) -> str:
    """Who publishes the stored crime data, for source lines: ``Polisen, anmälda brott``, ``Brå,
    anmälda brott`` (every crime source is Brå's: its name starts with :data:`BRA_SOURCE_PREFIX`), or
    both."""
    src = store.sources()
    return _publishers(list(src.loc[src["kind"].isin(["crimes", "incidents"]), "source"]) if len(src) else [])


def places_crime_source(store, place_ids) -> str:
    """Who publishes these places' crime data, for their source lines (Plats, Jämför, Mönster, the
    pack): as :func:`crime_source` says it of the whole store, from the sources that hold the places'
    months (coverage) or whole periods. A store with Brå's tables of other kommuner made a chart of a
    place counted by the police say "Polisen och Brå". The store's when the places have no crime data."""
    ids = list(dict.fromkeys(place_ids or []))
    whole = whole_rows(store)
    names = set(coverage_for(store, ids)["source"].dropna()) if ids else set()
    if len(whole):
        names |= set(whole.loc[whole["place_id"].isin(ids), "source"].dropna())
    return _publishers(sorted(map(str, names))) if names else crime_source(store)


def _publishers(names) -> str:
    """The source line's publishers of crime sources ``names``: Brå's start with
    :data:`BRA_SOURCE_PREFIX`, any other is the police's (the police's alone when there is none).

    >>> _publishers(["bra-brott", "incidenter.csv"]), _publishers(["bra-brott"]), _publishers([])
    ('Polisen och Brå, anmälda brott', 'Brå, anmälda brott', 'Polisen, anmälda brott')
    """
    who = [w for w, hit in (("Polisen", any(not n.startswith(BRA_SOURCE_PREFIX) for n in names)),
                            ("Brå", any(n.startswith(BRA_SOURCE_PREFIX) for n in names))) if hit]
    return f"{' och '.join(who or ['Polisen'])}, anmälda brott"
