"""One handler per kind of input: read with `sources`, resolve places, write with the `Writer`.

Every handler has the signature ``handler(store, writer, path, source, report, **options)``, adds
its rejected rows to ``report.errors`` and its counts to the report, and writes only valid rows. The
driver (:mod:`lagesbild.ingest.run`) decides whether the transaction commits.
"""

from __future__ import annotations

import importlib
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import shapely

from lagesbild.errors import RowError
from lagesbild.ingest.assign import PlaceIndex, add_counts, sum_counts
from lagesbild.ingest.resolve import place_lookup, resolve_places


def _reader(name: str):
    """The reader module for a kind, imported when first needed (keeps start-up light)."""
    return importlib.import_module(f"lagesbild.sources.{name}")


FICTITIOUS_MARKERS = ("fiktiv", "demodata")
# Survey level when the file has no level column: from the kind of the place.
SURVEY_LEVEL_OF_KIND = {"stad": "stad", "stadsdelsomrade": "stadsdelsomrade"}
SURVEY_DEFAULT_LEVEL = "plats"
COUNT_ROWS_HELD = 1_000_000  # monthly count rows held before they are summed (bounds memory)
TEXT_FIELDS = ("aktivitet", "priority_area", "arbetsgrupp", "syfte", "mal", "malgrupp", "matbara_mal",
               "motesfrekvens", "sammankallande", "sdf_kontakt", "polis_kontakt", "ovriga", "template")


def _is_fictitious(notes, flag) -> bool:
    return bool(flag) or any(m in n.lower() for n in notes for m in FICTITIOUS_MARKERS)


def _take(report, result):
    """Add a reader's errors and notes to the report."""
    report.errors.extend(result.errors)
    report.notes.extend(result.notes)


def _bad_lines(errors) -> set:
    return {e.line for e in errors if e.line is not None}


def _valid(df: pd.DataFrame, errors) -> pd.DataFrame:
    bad = _bad_lines(errors)
    return df[~df["line"].isin(bad)] if bad and "line" in df else df


def _finish(report, accepted: int) -> None:
    report.accepted = int(accepted)
    report.rejected = len(_bad_lines(report.errors)) + sum(1 for e in report.errors if e.line is None)


def ingest_places(store, w, path, source, report, *, crs, display_name, fictitious, **_):
    """Places: upsert polygons, then recount every stored incident for the new polygons."""
    res = _reader("places").read_places(path, crs=crs, file_name=display_name)
    _take(report, res)
    gdf = _valid(res.table, res.errors)
    known = set(w.read_places()["place_id"]) | set(gdf["place_id"])
    for row in gdf.itertuples():
        if isinstance(row.district_id, str) and row.district_id not in known:
            report.errors.append(RowError(display_name, int(row.line), "stadsdelsområde",
                                          row.district_id, "okänt stadsdelsområde: finns varken i "
                                          "filen eller bland inlästa platser"))
    gdf = _valid(gdf, report.errors)
    wgs = gdf.to_crs(4326)
    bounds = shapely.bounds(gdf.geometry.values)
    rows = pd.DataFrame({
        "place_id": gdf["place_id"], "name": gdf["name"], "kind": gdf["kind"],
        "district_id": gdf["district_id"], "population": gdf["population"],
        "approximate": gdf["approximate"].astype(bool), "source": gdf["source"].fillna(""),
        "wkt_3006": shapely.to_wkt(gdf.geometry.values, rounding_precision=2),
        "wkt_4326": shapely.to_wkt(wgs.geometry.values, rounding_precision=6),
        "minx": bounds[:, 0], "miny": bounds[:, 1], "maxx": bounds[:, 2], "maxy": bounds[:, 3],
    })
    report.replaced = w.upsert_places(rows, report.ingest_id)
    w.upsert_source(source, kind="places", ingest_id=report.ingest_id,
                    fictitious=_is_fictitious(report.notes, fictitious), notes="\n".join(report.notes))
    rebuild_incident_counts(w)
    _finish(report, len(rows))


def rebuild_incident_counts(w) -> None:
    """Recount every stored incident per place (after the places changed)."""
    places = w.read_places()
    w.clear_incident_counts()
    if places.empty:
        return
    index = PlaceIndex(places)
    total = None
    for chunk in w.iter_incidents():
        for src, part in chunk.groupby("source"):
            total = add_counts(total, index.monthly_counts(part, src))
    if total is not None and not total.empty:
        w.add_incident_counts(total)


def _crime_lookup(w, report, display_name):
    places = w.read_places()
    return place_lookup(places) if len(places) else {}


def ingest_crimes(store, w, path, source, report, *, mapping, display_name, fictitious, **_):
    """Aggregated crime counts: resolve places, replace overlapping periods, record coverage."""
    res = _reader("crimes").read_crimes(path, mapping=mapping, file_name=display_name)
    _take(report, res)
    df = _valid(res.table, res.errors).copy()
    ids, errs = resolve_places(df["place"], df["line"], _crime_lookup(w, report, display_name),
                               file=display_name, column=res.meta.get("columns", {}).get("place",
                                                                                       "Plats"))
    report.errors.extend(errs)
    df["place_id"] = ids
    df = _valid(df, report.errors)
    report.replaced = w.replace_crime_counts(df, source, report.ingest_id)
    monthly = df[(df["period_start"].dt.day == 1) &
                 (df["period_end"] == df["period_start"] + pd.offsets.MonthEnd(0))]
    for place_id, grp in monthly.groupby("place_id"):
        w.set_coverage(source, grp["period_start"].unique(), place_id=place_id)
    w.upsert_source(source, kind="crimes", ingest_id=report.ingest_id,
                    fictitious=_is_fictitious(report.notes, fictitious), notes="\n".join(report.notes))
    _finish(report, len(df))


def ingest_incidents(store, w, path, source, report, *, crs, display_name, fictitious, progress,
                     mapping=None, **_):
    """Incidents, streamed in chunks: replace the file's months, count per place, record coverage."""
    places = w.read_places()
    had_rows = w.has_incidents(source)
    cleared, accepted = set(), 0
    first = last = None

    def clear(month) -> None:
        report.replaced += w.delete_incident_months(source, month.start_time.date(),
                                                    month.start_time.date())
        cleared.add(month)

    bar = _progress(progress, display_name)
    counts = _Counts(PlaceIndex(places) if len(places) else None, source)
    try:
        for res in _prefetch(_reader("incidents").iter_incidents(
                path, crs=crs, file_name=display_name, mapping=mapping)):
            _take(report, res)
            df = _valid(res.table, res.errors)
            if df.empty:
                continue
            for m in sorted(set(df["occurred_at"].dt.to_period("M").unique()) - cleared):
                clear(m)
            if had_rows:
                df = _drop_existing(w, df, source, report, display_name)
            accepted += w.insert_incidents(df, source, report.ingest_id)
            counts.add(df)
            lo, hi = df["occurred_at"].min(), df["occurred_at"].max()
            first = lo if first is None else min(first, lo)
            last = hi if last is None else max(last, hi)
            if bar is not None:
                bar.update(len(res.table))
        total = counts.total()
    finally:
        counts.close()
        if bar is not None:
            bar.close()
    if first is not None:
        span = pd.period_range(first.to_period("M"), last.to_period("M"), freq="M")
        for m in span:
            if m not in cleared:
                clear(m)
        w.set_coverage(source, [m.start_time for m in span])
    if not total.empty:
        w.add_incident_counts(total)
    w.upsert_source(source, kind="incidents", ingest_id=report.ingest_id,
                    fictitious=_is_fictitious(report.notes, fictitious), notes="\n".join(report.notes))
    _finish(report, accepted)


class _Counts:
    """Monthly counts per place of the inserted chunks, computed in a background thread.

    The point-in-polygon tests (shapely) and numpy release the GIL, so counting overlaps the
    inserts. Results are summed when more than :data:`COUNT_ROWS_HELD` rows are held.
    """

    def __init__(self, index: PlaceIndex | None, source: str):
        self.index, self.source = index, source
        self.pool = None if index is None else ThreadPoolExecutor(
            1, thread_name_prefix="lagesbild-ingest-count")
        self.pending: list = []
        self.parts: list = []

    def add(self, df: pd.DataFrame) -> None:
        if self.pool is None:
            return
        self.pending.append(self.pool.submit(self.index.monthly_counts, df, self.source))
        while len(self.pending) > 2 or (self.pending and self.pending[0].done()):
            self.parts.append(self.pending.pop(0).result())
        if sum(map(len, self.parts)) > COUNT_ROWS_HELD:
            self.parts = [sum_counts(self.parts)]

    def total(self) -> pd.DataFrame:
        self.parts += [f.result() for f in self.pending]
        self.pending = []
        return sum_counts(self.parts)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _prefetch(results):
    """Iterate `results` in a background thread, one item ahead of the caller.

    Reading and validating the next chunk of a file (pyarrow and numpy, which release the GIL)
    then overlaps writing the current one. Items come in the same order; an exception raised by the
    iterator is raised here. Memory: at most two items beyond the caller's.
    """
    items: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    done = object()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work():
        try:
            for item in results:
                if not put((item, None)):
                    return
            put((done, None))
        except BaseException as exc:  # handed to the caller's thread
            put((None, exc))

    thread = threading.Thread(target=work, name="lagesbild-ingest-read", daemon=True)
    thread.start()
    try:
        while True:
            item, exc = items.get()
            if exc is not None:
                raise exc
            if item is done:
                return
            yield item
    finally:
        stop.set()
        thread.join()


def _progress(enabled, name):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(desc=f"Läser {name}", unit=" rader", unit_scale=True, leave=False)


def _drop_existing(w, df, source, report, name):
    """Reject incident ids the source already has in months this file does not replace."""
    existing = w.existing_incident_ids(source, df["incident_id"].tolist())
    if not existing:
        return df
    mask = df["incident_id"].isin(existing)
    for row in df[mask].itertuples():
        report.errors.append(RowError(name, int(row.line), "id", row.incident_id,
                                      "händelse-id finns redan inläst för en annan månad"))
    return df[~mask]


def ingest_survey(store, w, path, source, report, *, mapping, display_name, fictitious, **_):
    """Survey results: resolve areas to places and replace same place/year/indicator."""
    res = _reader("survey").read_survey(path, mapping=mapping, file_name=display_name)
    _take(report, res)
    df = _valid(res.table, res.errors).copy()
    ids, errs = resolve_places(df["area"], df["line"], _crime_lookup(w, report, display_name),
                               file=display_name, column="Område")
    report.errors.extend(errs)
    df["place_id"] = ids
    df = _valid(df, report.errors).copy()
    kinds = w.read_places().set_index("place_id")["kind"]
    df["level"] = df["level"].fillna(df["place_id"].map(kinds).map(SURVEY_LEVEL_OF_KIND)).fillna(
        SURVEY_DEFAULT_LEVEL)
    if fictitious:
        df["fictitious"] = True
    report.replaced = w.replace_survey(df, source, report.ingest_id)
    w.upsert_source(source, kind="survey", ingest_id=report.ingest_id,
                    fictitious=bool(df["fictitious"].any()) if len(df) else False,
                    notes="\n".join(report.notes))
    _finish(report, len(df))


def ingest_activities(store, w, path, source, report, *, display_name, fictitious, **_):
    """Action-plan activities: link to places by id or name, store follow-ups."""
    res = _reader("activities").read_activities(path, file_name=display_name)
    _take(report, res)
    acts = _valid(res.table, res.errors).copy()
    lookup = _crime_lookup(w, report, display_name)
    links = acts[["activity_id", "places", "line"]].explode("places").dropna(subset=["places"])
    ids, errs = resolve_places(links["places"].astype(str), links["line"], lookup,
                               file=display_name, column="plats")
    report.errors.extend(errs)
    links = links.assign(place_id=ids).dropna(subset=["place_id"])
    acts = _valid(acts, report.errors).copy()
    for col in TEXT_FIELDS:
        if col in acts:
            acts[col] = acts[col].fillna("").astype(str)
    links = links[links["activity_id"].isin(acts["activity_id"])]
    follow = res.meta.get("followups", pd.DataFrame(
        columns=["activity_id", "year", "period", "goal_met", "carried_out"]))
    follow = follow[follow["activity_id"].isin(acts["activity_id"])]
    report.replaced = w.upsert_activities(acts, links, follow, source, report.ingest_id)
    w.upsert_source(source, kind="activities", ingest_id=report.ingest_id,
                    fictitious=_is_fictitious(report.notes, fictitious), notes="\n".join(report.notes))
    _finish(report, len(acts))


def ingest_events(store, w, path, source, report, *, display_name, **_):
    """Polisen's public events: kept as events, never used for hotspots."""
    res = _reader("events").read_events(path, file_name=display_name)
    _take(report, res)
    df = _valid(res.table, res.errors)
    report.replaced = w.upsert_events(df, report.ingest_id)
    w.upsert_source(source, kind="events", ingest_id=report.ingest_id,
                    attribution="Källa: Polismyndigheten", notes="\n".join(report.notes))
    _finish(report, len(df))
