"""Sedan förra mötet: what is new since the date of the last meeting, in the order a chair walks it.

:func:`since_last_meeting` answers with plain data, each item worded in Swedish (``text``):

- **months** – the months (and longer periods) of crime data read in after the meeting, per source
  and day read in (each with its own date), from the store's ingest log
  (:func:`lagesbild.store.history.month_arrivals`);
- **changes** – place × category comparisons of the overview (the latest Sep–Aug year against the one
  before, one Benjamini–Hochberg family over the whole table, exactly :func:`overview.overview_table`)
  whose verdict differs between the data as they stood at the meeting and the data now;
- **hotspots** – Gi* hot spots (non-sensitive incidents of the last twelve months with data, per
  district) that appeared or ended between the meeting's data and now;
- **activities** – action-plan activities that started or ended after the meeting (up to ``today``);
- **followups** – follow-ups read in with an action plan after the meeting;
- **notes** – meeting notes of the last meeting and later.

What "the data as they stood at the meeting" means
--------------------------------------------------
The store keeps one version of every month: a re-read file replaces its months. Every stored month
(per source) carries the ingest that wrote it, and the ingest log says when that finished. The data
at the meeting are therefore taken to be the stored months whose ingest finished on the meeting day
or before (an ingest on the meeting day counts as known at the meeting); months written later are
"new since". The comparisons at the meeting are the overview's own computation run on that part of
the store (:class:`~lagesbild.analysis.asof.AsOf`: counts, coverage, incidents, yearly counts and extraction dates restricted
to it), so a verdict "then" is the one the overview showed had nothing been read since: for the pair of
years the overview opened on then (its latest Sep–Aug year and the one before). It is compared with the
verdict the overview gives now, for its own latest pair. When months of a new year arrived since the
meeting the two pairs differ (the overview moved on a year): a change that was significant at the
meeting and is not in the new pair is said as ended, and each side names its years. This is
honest about what arrived, with two limits stated on the page: a month re-read after the meeting (a
corrected file) counts as new, and its earlier numbers are not kept, so a correction cannot be shown
as one; and follow-ups have no date of their own, so "entered since" means read in with an action
plan after the meeting.

Hot spots are compared only when incident months arrived since the meeting and some incidents were
known at it; the two maps are those of the twelve months up to the last month with data then and
now, per district (at most one Gi* computation per district and state, each on the district's grid).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lagesbild import clock
from lagesbild.analysis import base
from lagesbild.analysis import overview as ov
from lagesbild.analysis.asof import AsOf, as_day, month_starts
from lagesbild.analysis.categories import ALL_ID, ALL_NAME, display_names
from lagesbild.analysis.since_hotspots import hotspot_changes
from lagesbild.core.hotspots import HOT_BIN
from lagesbild.core.periods import MONTH_FULL, format_date_sv
from lagesbild.store import history
from lagesbild.store import notes as store_notes

DEFAULT_DAYS = 21  # a beredningsgrupp meets every three weeks
CHANGE_ORDER = {"ny ökning": 0, "ny minskning": 1, "vänd riktning": 2, "upphörd ökning": 3,
                "upphörd minskning": 4}


def _month_text(day) -> str:
    ts = pd.Timestamp(day)
    return f"{MONTH_FULL[ts.month - 1]} {ts.year}"


def _span_text(months: list[dt.date]) -> str:
    """The months as runs of consecutive months (a re-read month and new ones are not one span).

    Examples
    --------
    >>> d = dt.date
    >>> _span_text([d(2023, 3, 1)]), _span_text([d(2023, 3, 1), d(2023, 4, 1)])
    ('mars 2023', 'mars 2023–april 2023 (2 månader)')
    >>> _span_text([d(2022, 1, 1), d(2023, 3, 1), d(2023, 4, 1), d(2023, 6, 1)])
    'januari 2022, mars 2023–april 2023 och juni 2023 (4 månader)'
    """
    runs: list[list[dt.date]] = []
    for m in sorted(months):
        last = runs[-1][-1] if runs else None
        if last is not None and (m.year * 12 + m.month) - (last.year * 12 + last.month) == 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    parts = [_month_text(r[0]) if len(r) == 1 else f"{_month_text(r[0])}–{_month_text(r[-1])}" for r in runs]
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]
    return text if len(months) == 1 else f"{text} ({len(months)} månader)"


# ----- the meeting date --------------------------------------------------------------------------
def default_meeting_date(store, *, today=None, username: str | None = None) -> dt.date:
    """The date the page opens on: the user's remembered date, else the latest meeting date that has
    notes (up to ``today``), else :data:`DEFAULT_DAYS` days before ``today``."""
    today = base.as_date(today) if today is not None else clock.today()
    if username:
        kept = history.remembered_meeting_date(store, username)
        if kept is not None:
            return kept
    notes = store_notes.list_notes(store, until=today)
    if len(notes):
        return max(notes["meeting_date"])
    return today - dt.timedelta(days=DEFAULT_DAYS)


def remember_meeting_date(store, username: str, day) -> dt.date:
    """Keep ``day`` as ``username``'s last meeting date; returns it as a date (ValueError in Swedish
    for a text that is no date)."""
    day = base.as_date(day)
    history.remember_meeting_date(store, username, day)
    return day


# ----- the parts ---------------------------------------------------------------------------------
def new_months(arrivals: pd.DataFrame, day: dt.date, names: dict) -> list[dict]:
    """Per source, kind and day read in: the months (and longer periods) written by ingests after
    ``day``. Months read in on different days are listed apart, each with its own day (``read``), so
    a delivery read before the last one is never dated by it."""
    later = arrivals[[as_day(f) > day for f in arrivals["finished_at"]]] if len(arrivals) else arrivals
    later = later.assign(_read=[as_day(f) for f in later["finished_at"]])
    out = []
    for (source, kind, read), part in later.groupby(["source", "kind", "_read"], sort=True):
        monthly = part[[month_starts(a, b) == [pd.Timestamp(a).date()] and pd.Timestamp(a).day == 1
                        for a, b in zip(part["start"], part["end"], strict=True)]]
        longer = part.drop(monthly.index)
        months = sorted(set(monthly["start"]))
        cats = sorted({names.get(c, c) for cs in part["categories"] for c in cs})
        what = "händelser" if kind == "incidents" else "antal anmälda brott"
        text = f"{source}: {what}"
        if months:
            text += f" för {_span_text(months)}"
        if len(longer):
            spans = sorted(set(zip(longer["start"], longer["end"], strict=True)))
            text += (" och " if months else " för ") + ", ".join(
                f"{format_date_sv(a)}–{format_date_sv(b)}" for a, b in spans)
        if cats:
            text += f", {', '.join(cats)}"
        text += f", inläst {format_date_sv(read)}."
        out.append({"source": source, "kind": kind, "months": months, "periods": len(longer),
                    "categories": cats, "read": read, "text": text})
    return out


def covered(arrivals: pd.DataFrame, coverage: pd.DataFrame) -> pd.DataFrame:
    """The arrivals of months (and longer periods) the store holds data of: those its coverage names
    (``store.all_coverage()``, the months ``status`` gives), each with the categories covered then.

    A month a file marks missing (Brå's "..") is stored with no count and no coverage: it is not data
    that arrived, so "Sedan sist" does not list it (it said "januari 2018–november 2026" of a Brå
    table whose November was "..", where status said 2018-01–2026-10)."""
    if arrivals.empty:
        return arrivals
    held: dict = {}
    cells = coverage.drop_duplicates(["source", "month", "category"])  # every place's: one per month
    for source, month, category in zip(cells["source"], cells["month"], cells["category"], strict=True):
        held.setdefault((source, pd.Timestamp(month).date()), set()).add(
            None if category is None or pd.isna(category) else category)
    keep, cats = [], []
    for source, start, kind, categories in zip(arrivals["source"], arrivals["start"], arrivals["kind"],
                                               arrivals["categories"], strict=True):
        mine = held.get((source, pd.Timestamp(start).date()))
        shown = () if mine is None else tuple(categories) if (None in mine or kind != "counts") else tuple(
            c for c in categories if c in mine)
        keep.append(mine is not None and (kind != "counts" or bool(shown)))
        cats.append(shown)
    return arrivals.assign(categories=cats)[keep]


def _change_kind(then_sig: bool, then_dir: int, now_sig: bool, now_dir: int) -> str | None:
    if now_sig and not then_sig:
        return "ny ökning" if now_dir > 0 else "ny minskning"
    if then_sig and not now_sig:
        return "upphörd ökning" if then_dir > 0 else "upphörd minskning"
    if then_sig and now_sig and then_dir != now_dir:
        return "vänd riktning"
    return None


def _direction(row) -> int:
    rate_a, rate_b = row.get("rate_a"), row.get("rate_b")
    if pd.notna(rate_a) and pd.notna(rate_b) and rate_a != rate_b:
        return 1 if rate_b > rate_a else -1
    a, b = row.get("count_a"), row.get("count_b")
    return 1 if pd.notna(a) and pd.notna(b) and b > a else -1


def changed_verdicts(then: dict, now: dict, place_names: dict, cat_names: dict, places=None) -> list[dict]:
    """The place × category rows whose verdict differs between two overview tables (the total over
    the categories is named "Alla kategorier", never by its id)."""
    cat_names = {ALL_ID: ALL_NAME, **cat_names}
    cmp_now = now.get("comparison", pd.DataFrame())
    cmp_then = then.get("comparison", pd.DataFrame())
    if cmp_now is None or cmp_now.empty:
        return []
    rows = lambda c: {} if c is None or c.empty else {  # noqa: E731
        (r["place_id"], r["category"]): r for r in c.to_dict("records")}
    before, after = rows(cmp_then), rows(cmp_now)
    pair = " och ".join(p.label for p in now["pair"])
    pair_then = " och ".join(p.label for p in then.get("pair") or [])
    moved = bool(before) and pair_then != pair  # the overview moved on a year since the meeting
    out = []
    # what is tested now, then what was significant at the meeting and is not in today's table
    keys = [*after, *(k for k, r in before.items() if k not in after and r["significant"])]
    for key in keys:
        if places is not None and key[0] not in places:
            continue
        old, r = before.get(key), after.get(key)
        then_sig = bool(old["significant"]) if old is not None else False
        now_sig = bool(r["significant"]) if r is not None else False
        kind = _change_kind(then_sig, _direction(old) if old is not None else 0, now_sig,
                            _direction(r) if r is not None else 0)
        if kind is None:
            continue
        place, cat = place_names.get(key[0], key[0]), cat_names.get(key[1], key[1])
        then_text = old["verdict"] if old is not None else "inga data vid mötet"
        now_text = r["verdict"] if r is not None else "inte med i jämförelsen"
        if moved:  # each side names its own years
            was = f"vid mötet ({pair_then}) {then_text}" if old is not None else then_text
            head, now_said = f"{place}, {cat}", f"nu ({pair}) {now_text}"
        else:
            was = f"vid mötet {then_text}" if old is not None else then_text
            head, now_said = f"{place}, {cat} ({pair})", f"nu {now_text}"
        out.append({"place_id": key[0], "place": place, "category": key[1],
                    "category_name": cat, "change": kind, "then": then_text, "now": now_text,
                    "pair_then": pair_then, "pair_now": pair,
                    "count_a": r["count_a"] if r is not None else None,
                    "count_b": r["count_b"] if r is not None else None,
                    "detail": f"{head}: {was}, {now_said}.",
                    "text": f"{head}: {kind} – {was}, {now_said}."})
    return sorted(out, key=lambda x: (CHANGE_ORDER[x["change"]], x["place"], x["category_name"]))


def activity_changes(store, day: dt.date, today: dt.date, places=None) -> list[dict]:
    """Activities that started or ended after ``day``, up to ``today``, oldest first."""
    acts, links = store.activities(), store.activity_places()
    if acts.empty:
        return []
    names = base.places(store).set_index("place_id")["name"].to_dict()
    if places is not None:
        acts = acts[acts["activity_id"].isin(links.loc[links["place_id"].isin(places), "activity_id"])]
    out = []
    for r in acts.to_dict("records"):
        where = sorted(names.get(p, p) for p in links.loc[links["activity_id"] == r["activity_id"], "place_id"])
        at = f" ({', '.join(where)})" if where else ""
        for col, what in (("start_date", "startade"), ("end_date", "avslutades")):
            when = r[col]
            if pd.isna(when) or (col == "end_date" and r["open_ended"]):
                continue
            when = as_day(when)
            if day < when <= today:
                out.append({"activity_id": r["activity_id"], "name": r["aktivitet"], "change": what,
                            "date": when, "places": where,
                            "text": f"{r['aktivitet']}{at} {what} {format_date_sv(when)}."})
    return sorted(out, key=lambda x: (x["date"], x["name"]))


def new_followups(store, day: dt.date, places=None) -> list[dict]:
    """Follow-ups read in with an action plan after ``day`` (follow-ups carry no date of their own)."""
    acts, fu, links = store.activities(), store.followups(), store.activity_places()
    if acts.empty or fu.empty:
        return []
    log = store.ingest_log()
    later = set(log.loc[np.asarray([as_day(f) > day for f in log["finished_at"]], dtype=bool), "ingest_id"])
    acts = acts[acts["ingest_id"].isin(later)]
    if places is not None:
        acts = acts[acts["activity_id"].isin(links.loc[links["place_id"].isin(places), "activity_id"])]
    names = acts.set_index("activity_id")["aktivitet"].to_dict()
    fu = fu[fu["activity_id"].isin(names)]
    fu = fu[(fu["goal_met"].str.strip() != "") | (fu["carried_out"].str.strip() != "")]
    out = []
    for r in fu.to_dict("records"):
        done, goal = r["carried_out"].strip(), r["goal_met"].strip().rstrip(".")
        said = " ".join(x for x in (done, f"Målet uppfyllt: {goal}." if goal else "") if x)
        name = names[r["activity_id"]].strip().rstrip(".")
        out.append({"activity_id": r["activity_id"], "name": names[r["activity_id"]], "year": int(r["year"]),
                    "period": r["period"], "carried_out": done, "goal_met": goal,
                    "text": f"{name} – {r['period']} {int(r['year'])}: {said}"})
    order = {"T1": 1, "T2": 2, "VB": 3}
    return sorted(out, key=lambda x: (x["name"], x["year"], order.get(x["period"], 9)))


def notes_since(store, day: dt.date, places=None) -> list[dict]:
    """Meeting notes of the meeting on ``day`` and later, by meeting date and place."""
    from lagesbild.analysis.meeting import meeting_notes

    notes = meeting_notes(store, places=places, since=day)
    out = [{"note_id": int(r["note_id"]), "place_id": r["place_id"], "place": r["place"],
            "meeting_date": r["meeting_date"], "author": r["author"], "note": r["text"],
            "text": f"{r['place']}, möte {format_date_sv(r['meeting_date'])} ({r['author']}): {r['text']}"}
           for r in notes.to_dict("records")]
    return sorted(out, key=lambda x: (x["meeting_date"], x["place"], x["note_id"]))


# ----- the question ------------------------------------------------------------------------------
def since_last_meeting(store, settings, *, meeting_date, places=None, today=None,
                       with_hotspots: bool = True) -> dict:
    """What is new since ``meeting_date`` (see the module text for what "new" and "then" mean).

    Parameters
    ----------
    meeting_date : date or ISO text
        The day of the last meeting.
    places : list of place ids, names or codes, optional
        Limit the changes, activities, follow-ups, notes and hot spots (their districts) to these.
    today : date, optional
        The end of the span for activities (default: today).

    Returns
    -------
    dict
        ``meeting_date``, ``today``, ``until_then`` / ``until_now`` (last day of data), ``pair``
        (the years compared now), ``pair_then`` (the years the overview compared at the meeting),
        ``months``, ``changes``, ``hotspots``, ``activities``, ``followups``,
        ``notes`` (lists of dicts with a Swedish ``text``, sorted for reading aloud), ``problem``
        (a Swedish reason when the date cannot be used, else None) and ``facts``.
    """
    day = base.as_date(meeting_date)
    today = base.as_date(today) if today is not None else clock.today()
    out = {"meeting_date": day, "today": today, "facts": base.facts(store), "problem": None,
           "months": [], "changes": [], "hotspots": [], "activities": [], "followups": [], "notes": [],
           "pair": [], "pair_then": [], "until_then": None, "until_now": base.data_until(store)}
    if day > today:
        out["problem"] = f"mötesdatumet {format_date_sv(day)} ligger efter i dag ({format_date_sv(today)})"
        return out
    ids = None if places is None else [base.resolve_place(store, p)["place_id"] for p in places]
    arrivals = history.month_arrivals(store)
    then = AsOf(store, day, arrivals)
    out["until_then"] = then.data_until()
    cat_names = display_names(store)
    out["months"] = new_months(covered(arrivals, store.all_coverage()), day, cat_names)
    if out["months"]:
        now_table = ov.overview_table(store, settings)
        if not now_table.get("problem"):
            then_table = ov.overview_table(then, settings)  # the years the overview showed then
            names = base.places(store).set_index("place_id")["name"].to_dict()
            out["pair"] = [p.label for p in now_table["pair"]]
            out["pair_then"] = [p.label for p in then_table.get("pair") or []]
            out["changes"] = changed_verdicts(then_table, now_table, names, cat_names, ids)
        new_incidents = any(m["kind"] == "incidents" for m in out["months"])
        known_incidents = any(s in then._incident_sources() for s, _m in then._months)
        if with_hotspots and new_incidents and known_incidents:
            key = ("since-hotspots", day, tuple(ids or ()), settings.cell_size)
            out["hotspots"] = base.memo(store, key, lambda: hotspot_changes(store, then, settings, ids))
    out["activities"] = activity_changes(store, day, today, ids)
    out["followups"] = new_followups(store, day, ids)
    out["notes"] = notes_since(store, day, ids)
    return out


__all__ = ["AsOf", "DEFAULT_DAYS", "HOT_BIN", "default_meeting_date", "remember_meeting_date",
           "since_last_meeting"]
