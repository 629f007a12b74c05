"""One handler per kind of input: read with `sources`, resolve places, write with the `Writer`.

Every handler has the signature ``handler(store, writer, path, source, report, **options)``, adds
its rejected rows to ``report.errors`` and its counts to the report, and writes only valid rows. The
driver (:mod:`lagesbild.ingest.run`) decides whether the transaction commits.
"""

from __future__ import annotations

import importlib

import pandas as pd

from lagesbild.errors import RowError
from lagesbild.ingest.assign import PlaceIndex, add_counts
from lagesbild.ingest.common import bad_lines, finish, is_fictitious, remove_source, take_result, valid_rows
from lagesbild.ingest.limits import check_table
from lagesbild.ingest.placemerge import keep_stored, merge_messages, recognise_builtin
from lagesbild.ingest.report import repeated_headers_remark
from lagesbild.ingest.resolve import (
    add_builtin_places,
    place_lookup,
    place_rows,
    rejoin_names,
    resolve_with_builtin,
    same_place_twice,
    stored_or_builtin,
    taken_names,
)
from lagesbild.ingest.shapeless import add_shapeless_areas, adopt_shapeless_ids, shaped
from lagesbild.sources.crimetext import dash_remark, says_bra_source, suppressed_remark
from lagesbild.sources.textkeys import normalize_key
from lagesbild.store.writer import grain_of


def _reader(name: str):
    """The reader module for a kind, imported when first needed (keeps start-up light)."""
    return importlib.import_module(f"lagesbild.sources.{name}")


# Survey level when the file has no level column: from the kind of the place.
#: the crimes' default source name, and the name a Brå table read under it gets instead (so its
#: charts cite Brå: lagesbild.analysis.base.crime_source)
DEFAULT_CRIME_SOURCE, BRA_CRIME_SOURCE = "polisen-brott", "bra-brott"
SURVEY_LEVEL_OF_KIND = {"stad": "stad", "stadsdelsomrade": "stadsdelsomrade"}
SURVEY_DEFAULT_LEVEL = "plats"
TEXT_FIELDS = ("aktivitet", "priority_area", "arbetsgrupp", "syfte", "mal", "malgrupp", "matbara_mal",
               "motesfrekvens", "sammankallande", "sdf_kontakt", "polis_kontakt", "ovriga", "template")


def ingest_places(store, w, path, source, report, *, crs, display_name, fictitious, **_):
    """Places: upsert polygons, then recount every stored incident for the new polygons."""
    res = _reader("places").read_places(path, crs=crs, file_name=display_name)
    take_result(report, res, "places", display_name)
    for note in res.notes:  # the layer chosen (geofile.LAYER_NOTE), which CRS won, a polygon repaired
        said = note.removeprefix(f"{display_name}: ").removeprefix(f"{display_name}, ")  # said, not only kept
        if any(w in said for w in (" lager; det första, ", "; det användes i stället för ", "(--crs) användes",
                                   ") lagad; ytan ändrades med ")):
            report.remarks.append(said[:1].upper() + said[1:] + ".")
    unstated = res.meta.get("unstated", {})
    gdf, recognised, districts = recognise_builtin(valid_rows(res.table, res.errors), unstated)
    stored = w.read_places()  # as before this file (_districts may store built-in districts: read again)
    gdf = adopt_shapeless_ids(gdf, stored)
    gdf, kept = keep_stored(gdf, stored, unstated)
    report.remarks.extend(merge_messages(recognised, kept, districts))
    gdf = gdf.assign(district_id=_districts(w, gdf, report, display_name))
    gdf = valid_rows(gdf, report.errors)
    report.errors.extend(taken_names(gdf, w.read_places(), file=display_name))
    gdf = valid_rows(gdf, report.errors)
    rows = place_rows(gdf)
    report.replaced = w.upsert_places(rows, report.ingest_id)
    w.upsert_source(source, kind="places", ingest_id=report.ingest_id,
                    fictitious=is_fictitious(report.notes, fictitious), notes="\n".join(report.notes))
    report.outside_places = rebuild_incident_counts(w)
    finish(report, len(rows))


def _districts(w, gdf, report, display_name) -> list:
    """Each place's district as an id: a district of the file, of the store or built in (stored then).
    Unknown districts are rejected rows."""
    stored = w.read_places()
    known = set(stored["place_id"]) | set(gdf["place_id"])
    lookup = place_lookup(stored) if len(stored) else {}
    out, builtin = [], []
    for row in gdf.itertuples():
        d = row.district_id
        if isinstance(d, str) and d not in known:
            hit = stored_or_builtin(d, lookup)
            if hit is None:
                report.errors.append(RowError(display_name, int(row.line), "stadsdelsområde", d,
                                              "okänt stadsdelsområde: finns varken i filen, bland "
                                              "inlästa platser eller i den inbyggda geografin"))
            elif hit not in known:
                builtin.append(hit)
            d = hit or d
        out.append(d)
    report.builtin_places = add_builtin_places(w, builtin, report.ingest_id)
    return out


def rebuild_incident_counts(w) -> int | None:
    """Recount every stored incident per place (after the places changed).

    Returns how many stored incidents lie in no place (None when there are no incidents or no
    places with a shape)."""
    places = shaped(w.read_places())  # an area without a shape contains no incident
    w.clear_incident_counts()
    if places.empty:
        return None
    index = total = outside = None
    spans: dict = {}
    for chunk in w.iter_incidents():
        index = index or PlaceIndex(places)  # built only when there are incidents
        for src, part in chunk.groupby("source"):
            counts, nowhere = index.counts_and_outside(part, src)
            total, outside = add_counts(total, counts), (outside or 0) + nowhere
            _span_of(spans, src).add(part["occurred_at"])
    if total is not None and not total.empty:
        w.add_incident_counts(total)
        _recover_incidents(w, total, spans)
    return outside


def _span_of(spans: dict, source):
    from lagesbild.ingest.incidents import MonthSpan

    return spans.setdefault(source, MonthSpan())


def _source_months(w, source, spans: dict) -> list:
    """The months an incident source covers: its coverage's, or, when it has none (its file was read
    while the store had no places, so nothing was covered), the months of its stored incidents from
    the first to the last but the gaps and a month the data began inside, as its ingest would have
    covered them)."""
    months = w.coverage_months(source)
    if months or source not in spans:
        return months
    return spans[source].covered()


def count_incidents_for_new_places(w, place_ids) -> None:
    """Count the stored incidents for places just added (built-in places a file named).

    The places already stored keep their counts: a place's counts depend on its own polygon only, so
    only the new places are indexed and only their rows and coverage are written (the same rows a
    full :func:`rebuild_incident_counts` would give them).
    """
    places = shaped(w.read_places())
    places = places[places["place_id"].isin(list(place_ids))]
    if places.empty or not w.has_incidents():
        return
    index, total, spans = PlaceIndex(places), None, {}
    for chunk in w.iter_incidents():
        for src, part in chunk.groupby("source"):
            total = add_counts(total, index.monthly_counts(part, src))
            _span_of(spans, src).add(part["occurred_at"])
    if total is None or total.empty:
        return
    w.add_incident_counts(total)
    for source, part in total.groupby("source"):
        months = _source_months(w, source, spans)
        if months:  # the new places × every category the source reports, as a recount gives
            cats = w.coverage_categories(source) | set(part["category"])
            w.add_coverage_grid(source, set(part["place_id"]), cats, months)


def _recover_incidents(w, total: pd.DataFrame, spans: dict) -> None:
    """After a recount, each incident source covers its months (:func:`_source_months`) for the
    places it now has rows in."""
    from lagesbild.ingest.incidents import coverage_axes

    for source, part in total.groupby("source"):
        months = _source_months(w, source, spans)
        if months:
            pairs = set(zip(part["place_id"], part["category"], strict=True))
            w.delete_coverage(source, months[0], months[-1])
            w.add_coverage_grid(source, *coverage_axes(pairs), months, replace=False)
        if source in spans:  # a month the source does not cover (one its data began inside) stays uncounted
            covered = set(months)
            left = [m for m in spans[source].months() if m not in covered]
            if left:
                w.delete_incident_counts(source, left)


def ingest_crimes(store, w, path, source, report, *, mapping, display_name, fictitious, extracted=None,
                  replace_source=False, **_):
    """Aggregated crime counts: resolve places, replace overlapping periods, record coverage."""
    res = _reader("crimes").read_crimes(path, mapping=mapping, file_name=display_name,
                                        extracted=extracted)
    take_result(report, res, "crimes", display_name)
    report.skipped = skipped_rows(res.meta)
    if res.meta.get("layout") in ("bred", "brå-bred"):  # a period's column: values of several lines
        report.skipped_values = [k for k in report.skipped if k.startswith("perioden \"")]
    if said := repeated_headers_remark(res.meta, counted=True):
        report.remarks.append(said)
    report.ignored_columns = [str(c) for c in res.meta.get("ignored_columns") or []]
    dashes = res.meta.get("dash_cells") or {}
    said = dash_remark(dashes.get("lines") or [], bool(dashes.get("zero")))
    if said:
        report.remarks.append(said)
    suppressed = res.meta.get("suppressed_cells") or {}
    if said := suppressed_remark(suppressed.get("lines") or [], suppressed.get("marks") or []):
        report.remarks.append(said)
    if source == DEFAULT_CRIME_SOURCE and (str(res.meta.get("layout", "")).startswith("brå")
                                           or names_bra(res.meta)):
        source = report.source = BRA_CRIME_SOURCE  # Brå's table: cited as Brå, replaces Brå's rows
    df = valid_rows(res.table, res.errors).copy()
    own = {}
    yearly = bool(len(df)) and bool((grain_of(df["period_start"], df["period_end"]) == "year").all())
    if str(res.meta.get("layout", "")).startswith("brå") or yearly:  # Brå's tables and their re-exports
        report.shapeless_parent, report.shapeless_places, own = add_shapeless_areas(
            w, df["place"], report.ingest_id)
    ids, errs, added = resolve_with_builtin(
        w, df["place"], df["line"], file=display_name,
        column=res.meta.get("columns", {}).get("place", "Plats"), ingest_id=report.ingest_id)
    if own:  # areas made for this file's kommun win over a namesake elsewhere
        ids = pd.Series([own.get(normalize_key(v), i) if isinstance(v, str) else i
                         for v, i in zip(df["place"], ids, strict=True)], index=df.index)
        errs = [e for e in errs if normalize_key(str(e.value)) not in own]
    report.errors.extend(errs)
    report.builtin_places = added
    if added:
        count_incidents_for_new_places(w, added)
    df["place_id"] = ids
    report.errors.extend(same_place_twice(df, display_name, res.meta.get("columns", {}).get("place", "Plats")))
    df = valid_rows(df, report.errors)
    removed = 0
    if replace_source:  # --replace-source: the source's earlier rows go first (its name now known)
        removed = remove_source(w, source, report)
    report.replaced += removed + w.replace_crime_counts(df, source, report.ingest_id)
    w.add_coverage(source, coverage_cells(df))
    if res.meta.get("layout") in ("bred", "brå-bred", "bred per månad"):  # a column per period: values, not lines
        report.lines_read = int(df["line"].nunique())
    # a "FIKTIVA SIFFROR" title row above the header marks the source as a "# FIKTIVA" note does
    w.upsert_source(source, kind="crimes", ingest_id=report.ingest_id,
                    fictitious=is_fictitious([*report.notes, *res.meta.get("title_lines", [])], fictitious),
                    notes="\n".join(report.notes))
    finish(report, len(df))


def coverage_cells(df: pd.DataFrame) -> pd.DataFrame:
    """The coverage of aggregated rows: each row with a count covers its place, category and months
    (a file says nothing about the places, categories and months it does not contain)."""
    rows = df[df["count"].notna()]
    cols = ["place_id", "category", "month", "grain"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    grain = grain_of(rows["period_start"], rows["period_end"])
    parts = []
    for (start, end, g), grp in rows.assign(grain=grain).groupby(
            ["period_start", "period_end", "grain"]):
        months = pd.date_range(start.to_period("M").start_time, end, freq="MS")
        keys = grp[["place_id", "category"]].drop_duplicates()
        parts.append(keys.merge(pd.DataFrame({"month": months}), how="cross").assign(grain=g))
    return pd.concat(parts, ignore_index=True)[cols]


def names_bra(meta: dict) -> bool:
    """Whether a crime file's title or notes say its source is Brå: a table of Brå's with plain year
    columns (``Område;Brott;2022;2023``) has no column only Brå's layouts have, but its source line
    says where it is from, and the charts must not cite it as the police's.

    Examples
    --------
    >>> names_bra({"table_notes": ["Källa: Brottsförebyggande rådet (Brå), statistikdatabasen."]})
    True
    >>> names_bra({"table_notes": ["Källa: Polisen; brotten indelade som hos Brå"], "title_lines": ["Brott"]})
    False
    """
    return says_bra_source([*(meta.get("title_lines") or []), *(meta.get("table_notes") or [])])


def skipped_rows(meta: dict) -> dict[str, int]:
    """Rows a crime reader left out on purpose (not errors), by reason, for the report."""
    out = {}
    if meta.get("skipped_totals"):
        out["summarader (Totalt/Summa)"] = int(meta["skipped_totals"])
    if meta.get("skipped_national"):
        out["rader för hela landet (ingen plats här)"] = int(meta["skipped_national"])
    if meta.get("skipped_parts"):
        out["delar vars överordnade brott finns i filen"] = int(meta["skipped_parts"])
    if meta.get("repeated_headers"):
        out["upprepade rubrikrader"] = int(meta["repeated_headers"])
    for text, n in (meta.get("ignored_categories") or {}).items():
        out[f"ej använd kategori \"{text}\""] = int(n)
    for text, n in (meta.get("unfinished_periods") or {}).items():  # sources.crimes.unfinished_periods
        out[f"perioden \"{text}\" var inte slut när uppgifterna togs ut (uttagsdatum, annars i dag; "
            "en del av perioden jämförs inte med en hel)"] = int(n)
    return out


def ingest_incidents(store, w, path, source, report, **options):
    """Incident-level crime (see :mod:`lagesbild.ingest.incidents`)."""
    from lagesbild.ingest import incidents

    incidents.ingest_incidents(store, w, path, source, report, **options)


def ingest_survey(store, w, path, source, report, *, mapping, display_name, fictitious, **_):
    """Survey results: resolve areas to places and replace same place/year/indicator."""
    res = _reader("survey").read_survey(path, mapping=mapping, file_name=display_name)
    take_result(report, res, "survey", display_name)
    if res.meta.get("not_published"):
        report.skipped["andelar som inte redovisas (\"..\", \"*\", \"x\")"] = int(res.meta["not_published"])
    if res.meta.get("dash_shares"):  # a wide table's "-": nothing given for that year
        report.skipped["andelar skrivna \"-\" (inget redovisat för året)"] = int(res.meta["dash_shares"])
    if said := repeated_headers_remark(res.meta):
        report.remarks.append(said)
    if res.meta.get("marked_shares"):
        n = int(res.meta["marked_shares"])
        report.remarks.append(f"{n} {'andel' if n == 1 else 'andelar'} hade en fotnotsmarkering "
                              "(\"*\", \"¹\"): talet lästes utan den; se filens fotnoter.")
    df = valid_rows(res.table, res.errors).copy()
    area_column = (res.meta.get("columns") or {}).get("area", "Område")
    ids, errs, added = resolve_with_builtin(w, df["area"], df["line"], file=display_name,
                                            column=area_column, ingest_id=report.ingest_id)
    report.errors.extend(errs)
    report.builtin_places = added
    if added:
        count_incidents_for_new_places(w, added)
    df["place_id"] = ids
    report.errors.extend(same_place_twice(  # "Skärholmen" and "Skärholmens stadsdelsområde"
        df.assign(place=df["area"], indicator_key=df["indicator"].map(normalize_key)), display_name, area_column,
        key=("year", "indicator_key"), what="år och indikator"))
    df = valid_rows(df, report.errors).copy()
    kinds = w.read_places().set_index("place_id")["kind"]
    # the file's level, else the place kind's, else the default (as text: no object downcasting)
    by_kind = df["place_id"].map(kinds).map(SURVEY_LEVEL_OF_KIND).astype("string")
    df["level"] = df["level"].astype("string").fillna(by_kind).fillna(SURVEY_DEFAULT_LEVEL).astype(object)
    if fictitious:
        df["fictitious"] = True
    report.replaced += w.replace_survey(df, source, report.ingest_id)
    w.upsert_source(source, kind="survey", ingest_id=report.ingest_id,
                    fictitious=bool(df["fictitious"].any()) if len(df) else False,
                    notes="\n".join(report.notes))
    finish(report, len(df))


def ingest_activities(store, w, path, source, report, *, display_name, fictitious, **_):
    """Action-plan activities: link to places by id or name, store follow-ups."""
    res = _reader("activities").read_activities(path, file_name=display_name)
    take_result(report, res, "activities", display_name)
    report.remarks.extend(res.meta.get("remarks") or [])  # columns read as a goal status or not read
    follow = res.meta.get("followups", pd.DataFrame(
        columns=["activity_id", "year", "period", "goal_met", "carried_out", "line"]))
    follow, follow_errors = check_table(follow, "followups", display_name,
                                        sheet=res.meta.get("sheet"))
    report.errors.extend(follow_errors)
    bad_ids = set(follow.loc[follow["line"].isin(bad_lines(follow_errors)), "activity_id"])
    acts = valid_rows(res.table, res.errors)
    acts = acts[~acts["activity_id"].isin(bad_ids)].copy()
    stored = w.read_places()
    lookup = place_lookup(stored) if len(stored) else {}
    if lookup and len(acts):  # a place whose name has a comma: its parts joined again
        acts["places"] = [rejoin_names(p, lookup) for p in acts["places"]]
    links = acts[["activity_id", "places", "line"]].explode("places").dropna(subset=["places"])
    ids, errs, report.builtin_places = resolve_with_builtin(  # "Vårberg" in a fresh store, as for crimes
        w, links["places"].astype(str), links["line"], file=display_name, column="plats",
        ingest_id=report.ingest_id, lookup=lookup)
    if report.builtin_places:
        count_incidents_for_new_places(w, report.builtin_places)
    report.errors.extend(errs)
    links = links.assign(place_id=ids).dropna(subset=["place_id"])
    acts = valid_rows(acts, report.errors).copy()
    for col in TEXT_FIELDS:
        if col in acts:
            acts[col] = acts[col].fillna("").astype(str)
    links = links[links["activity_id"].isin(acts["activity_id"])]
    follow = follow[follow["activity_id"].isin(acts["activity_id"])]
    report.replaced = w.upsert_activities(acts, links, follow, source, report.ingest_id)
    w.upsert_source(source, kind="activities", ingest_id=report.ingest_id,
                    fictitious=is_fictitious(report.notes, fictitious), notes="\n".join(report.notes))
    finish(report, len(acts))


#: said on every ingest of Polisen's events: a user reading them in for the statistics or the map learns
#: at once that they are neither (README "Polisen's public events are kept as events only")
EVENTS_NOTE = ("Polisens händelser sparas som händelser: deras läge är ortens eller länets mitt, inte "
               "brottets plats, så de räknas inte som anmälda brott och visas inte på kartan.")


def ingest_events(store, w, path, source, report, *, display_name, **_):
    """Polisen's public events: kept as events, never used for hotspots."""
    res = _reader("events").read_events(path, file_name=display_name)
    take_result(report, res, "events", display_name)
    df = valid_rows(res.table, res.errors)
    report.remarks.append(EVENTS_NOTE)
    report.replaced = w.upsert_events(df, report.ingest_id)
    w.upsert_source(source, kind="events", ingest_id=report.ingest_id,
                    attribution="Källa: Polismyndigheten", notes="\n".join(report.notes))
    finish(report, len(df))
