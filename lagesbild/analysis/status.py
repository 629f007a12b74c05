"""What a store holds: its sources, months, places, categories and latest ingests, as plain data.

The CLI's ``status`` prints it (as text, or as JSON with these Swedish keys).
"""

from __future__ import annotations

from lagesbild.analysis import base

#: the store's tables by their Swedish names (the Data page's "Databasens innehåll", the CLI's status)
COUNT_NAMES = {"places": "Platser", "crime_counts": "Rader med aggregerade brott",
               "incidents": "Brott på händelsenivå", "events": "Polisens händelser",
               "survey": "Rader i trygghetsmätningar", "activities": "Aktiviteter",
               "followups": "Uppföljningar", "ingest_log": "Inläsningar", "categories": "Brottskategorier"}


def store_tables(store) -> dict:
    """What the Data page shows of the store: ``counts`` (rows per table), ``sources`` and ``log`` (every
    ingest) as the store gives them, ``demo`` (the store holds the demo data)."""
    return {"counts": store.counts(), "sources": store.sources(), "log": store.ingest_log(),
            "demo": bool(store.meta().get("demo"))}


def store_status(store) -> dict:
    """What the store holds, as plain data (the CLI's ``status``; keys in Swedish, as printed by
    ``status --format json``)."""
    from lagesbild.ingest.shapeless import has_shape

    meta = store.meta()
    cov = store.all_coverage()
    sources = store.sources()
    by_cat = store.data_until_by_source()
    cuts = base.source_cuts(store)  # an older file that ends inside its last month: its whole months
    until = base.data_until(store)  # the data's last day, as the header says it

    def last_day(day, source):
        day = min(day, cuts.get(source, day))
        # the store's last month ends where its data do (19 Nov extracted: 18 Nov, not 30 Nov)
        same_month = until is not None and (day.year, day.month) == (until.year, until.month)
        return min(day, until) if same_month else day

    names = base.category_names(store)
    out_sources = []
    for row in sources.itertuples():
        months = cov[cov["source"] == row.source]["month"]
        mine = by_cat[by_cat["source"] == row.source]
        out_sources.append({
            "källa": row.source, "typ": row.kind, "fiktiv": bool(row.fictitious),
            "första_månad": months.min().strftime("%Y-%m") if len(months) else None,
            "sista_månad": months.max().strftime("%Y-%m") if len(months) else None,
            "senaste_inläsning": int(row.last_ingest_id),
            "data_tom_per_kategori": [{"kategori": r.category or "alla",
                                       "namn": names.get(r.category, r.category) if r.category else "alla",
                                       "upplösning": r.grain,
                                       "data_tom": last_day(r.data_until, row.source).isoformat()}
                                      for r in mine.itertuples()]})
    places = store.places()
    if len(places):  # in Swedish alphabetical order, as the dropdowns list them
        places = base.by_name(places)
    log = store.ingest_log().head(10)
    return {
        "databas": safe_url(store.url),
        "demodata": bool(meta.get("demo")),
        "data_till_och_med": until.isoformat() if until else None,
        "antal_rader": store.counts(),
        "källor": out_sources,
        "platser": [{"id": r.place_id, "namn": r.name, "typ": r.kind,
                     "stadsdelsområde": r.district_id, "karta": has_shape(r.wkt_3006)}
                    for r in places.itertuples()],
        "kategorier": store.categories()["category_id"].tolist(),
        "kategorinamn": [names[c] for c in store.categories()["category_id"]],
        "senaste_inläsningar": [{
            "nr": int(r.ingest_id), "typ": r.kind, "fil": r.file_name, "källa": r.source,
            "tid": r.finished_at.strftime("%Y-%m-%d %H:%M"), "godkända": int(r.rows_accepted),
            "avvisade": int(r.rows_rejected), "ersatta": int(r.rows_replaced), "status": r.status}
            for r in log.itertuples()],
    }


def safe_url(url: str) -> str:
    """The store URL without its password, also one given as ``?password=``
    (:func:`lagesbild.settings.hide_password`, as every message writes it).

    >>> safe_url("postgresql://db/x?user=anna&password=hemligt"), safe_url("postgresql://anna:hemligt@db/x")
    ('postgresql://db/x?user=anna&password=***', 'postgresql://anna:***@db/x')
    """
    from lagesbild.settings import hide_password

    return hide_password(url)
