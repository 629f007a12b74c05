"""Questions of the meeting: when crime happens at a place, the quick spans, and the meeting notes.

- :func:`incident_patterns` – weekday × hour, month of year, repeat locations and the concentration on
  the hotspot grid for a place, a category and a period, from incident-level data. Sensitive categories
  are never broken down (the rule of the map): asking for one raises :class:`Refused`.
- :func:`quick_comparison` – the last 28 days, year to date and the last 12 months against the same days
  a year earlier, counted by day from incident-level data, with the exact Poisson test and
  Benjamini–Hochberg control over the table.
- :func:`meeting_notes` / :func:`add_meeting_note` / :func:`remove_meeting_note` – a short note per place
  and meeting date (:mod:`lagesbild.store.notes`).

Every function takes the store (and settings) and returns plain data; ``web``, ``export`` and ``cli``
call these and never compute.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from lagesbild.analysis import base
from lagesbild.analysis.maps import area_incidents
from lagesbild.core.fdr import bh_adjust
from lagesbild.core.grid import make_grid
from lagesbild.core.hotspots import concentration
from lagesbild.core.patterns import month_of_year, repeat_locations, weekday_hour
from lagesbild.core.poisson import poisson_rate_test, verdict
from lagesbild.core.quickperiods import quick_spans
from lagesbild.store import notes as store_notes

NoteError = store_notes.NoteError


class Refused(ValueError):
    """A question the data may not answer for this user or category (Swedish message)."""


def incident_patterns(store, settings, *, place, period, category=None, tolerance: float = 10.0) -> dict:
    """Patterns in the incidents inside a place for a period (and a category, default all).

    Returns
    -------
    dict
        ``place`` (row dict), ``period`` (Period), ``category`` (id or None), ``n`` (incidents),
        ``weekday_hour``, ``month_of_year``, ``repeat`` (DataFrames, see :mod:`lagesbild.core.patterns`),
        ``concentration`` ({0.05: share, 0.1: share} of the grid cells on land inside the place; NaN
        when there are no incidents), ``cells`` (number of grid cells).

    Raises
    ------
    Refused
        For a sensitive category: such incidents are never mapped or broken down.
    """
    row = base.resolve_place(store, place)
    period = base.parse_periods([period])[0] if isinstance(period, str) else period
    if category and category in base.sensitive_categories(store):
        raise Refused(f"Kategorin {base.category_names(store).get(category, category)} är känslig och "
                      "redovisas inte per tidpunkt eller plats.")
    inc, geom = area_incidents(store, row["place_id"], category=category, period=period)
    if not category:
        inc = inc[~inc["category"].isin(base.sensitive_categories(store))]
    if len(inc):
        inside = shapely.contains_xy(geom, inc["x"].to_numpy(), inc["y"].to_numpy())
        inc = inc[inside].reset_index(drop=True)
    grid = make_grid(geom, cell_size=settings.cell_size)
    counts = np.zeros(len(grid), dtype=int)
    if len(inc):
        tree = shapely.STRtree(grid.geometry.values)
        pts = shapely.points(inc["x"].to_numpy(), inc["y"].to_numpy())
        pairs = tree.query(pts, predicate="intersects")
        first = pd.Series(pairs[1], index=pairs[0]).groupby(level=0).first()
        counts = np.bincount(first.to_numpy(), minlength=len(grid))
    covered = list(period.whole_months)
    return {
        "place": row, "period": period, "category": category or None, "n": int(len(inc)),
        "weekday_hour": weekday_hour(inc), "month_of_year": month_of_year(inc, covered_months=covered),
        "repeat": repeat_locations(inc, tolerance=tolerance),
        "concentration": concentration(counts), "cells": int(len(grid)),
    }


def quick_comparison(store, settings, *, place, categories=None, last_day=None) -> pd.DataFrame:
    """The quick spans against the same days a year earlier, one row per span × category.

    The spans end on ``last_day`` (default: the last day of complete incident-level data) and usually
    cut a month, so
    they are counted by day from the incident-level data inside the place (a monthly count cannot say
    which days of a month a crime fell on). Each pair is tested with the exact conditional Poisson test
    weighted by the spans' lengths in days; the whole table is one family with Benjamini–Hochberg control
    at ``settings.alpha`` (``q_value``), and only a change significant after it is called an increase or
    a decrease. A span pair touching a month that no incident source covers for the category is not
    tested (``p_value`` NaN, :data:`MISSING_VERDICT`): a missing month is not a month without crime.

    Returns
    -------
    DataFrame
        ``span, span_label, category, period_a, period_b, start_a, end_a, start_b, end_b, days_a,
        days_b, count_a, count_b, change, pct_change, p_value, q_value, significant, verdict``; empty
        when the store has no incidents for the place.
    """
    row = base.resolve_place(store, place)
    key = ("quick", row["place_id"], settings.alpha, tuple(categories) if categories else None,
           None if last_day is None else str(base.as_date(last_day)))
    # kept per data version: a change of periods on Plats does not count the incidents again
    return base.memo(store, key, lambda: _quick_comparison(store, settings, row, categories, last_day))


def _quick_comparison(store, settings, row, categories, last_day) -> pd.DataFrame:
    covered = _incident_months(store)
    end = base.as_date(last_day) if last_day is not None else _incident_end(store, covered)
    if end is None:
        return pd.DataFrame()
    spans = quick_spans(end)
    first = min(s.previous.start for s in spans)
    try:
        inc, geom = area_incidents(store, row["place_id"], period=base.date_range(first, end))
    except base.NotFound:  # an area without a shape holds no incident
        return pd.DataFrame()
    if inc.empty:
        return pd.DataFrame()
    inc = inc[shapely.contains_xy(geom, inc["x"].to_numpy(), inc["y"].to_numpy())]
    if inc.empty:  # incidents near the place (its bounding box) but none inside it
        return pd.DataFrame()
    days = pd.to_datetime(inc["occurred_at"]).dt.normalize()
    cats = list(categories) if categories else sorted(inc["category"].unique())
    rows = []
    for span in spans:
        a, b = span.previous, span.current
        in_a = (days >= pd.Timestamp(a.start)) & (days <= pd.Timestamp(a.end))
        in_b = (days >= pd.Timestamp(b.start)) & (days <= pd.Timestamp(b.end))
        for cat in cats:
            of_cat = inc["category"].to_numpy() == cat
            ca, cb = int((in_a & of_cat).sum()), int((in_b & of_cat).sum())
            whole = _months(a.start, a.end) | _months(b.start, b.end) <= covered.get(cat, set())
            p = poisson_rate_test(ca, cb, a.n_days, b.n_days) if whole else np.nan
            rows.append({"span": span.key, "span_label": span.label, "category": cat,
                         "period_a": a.label, "period_b": b.label, "start_a": a.start, "end_a": a.end,
                         "start_b": b.start, "end_b": b.end, "days_a": a.n_days, "days_b": b.n_days,
                         "count_a": ca, "count_b": cb, "change": cb - ca,
                         "pct_change": (cb - ca) / ca if ca else np.nan, "p_value": p})
    out = pd.DataFrame(rows)
    testable = out["p_value"].notna().to_numpy()
    out["q_value"] = np.nan
    if testable.any():
        out.loc[testable, "q_value"] = bh_adjust(out.loc[testable, "p_value"].to_numpy())
    out["significant"] = (out["q_value"] <= settings.alpha).fillna(False).astype(bool)
    out["verdict"] = [verdict(r.count_a, r.count_b, r.q_value, settings.alpha, exposure_a=r.days_a,
                              exposure_b=r.days_b) if ok else MISSING_VERDICT
                      for r, ok in zip(out.itertuples(), testable, strict=True)]
    return out


MISSING_VERDICT = "kan inte bedömas: händelsedata saknas för en del av perioderna"


def _months(start, end) -> set:
    """The first days of the months a span of days touches."""
    return set(pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq="M").to_timestamp())


def _incident_months(store) -> dict:
    """Category -> the months incident-level sources cover (coverage of every place pooled; kept per
    data version)."""
    def build():
        src = store.sources()
        kinds = set(src.loc[src["kind"] == "incidents", "source"]) if len(src) else set()
        cov = store.all_coverage()
        cov = cov.loc[cov["source"].isin(kinds), ["category", "month"]].drop_duplicates()
        return {cat: set(months) for cat, months in cov.groupby("category")["month"]}
    return base.memo(store, ("incident-months",), build)


def _incident_end(store, covered: dict):
    """The last day of incident-level data: the end of the last covered month, or the last day of
    complete data (:func:`lagesbild.analysis.base.data_end`) when that is earlier; None without
    incidents. The dashboard's own "data t.o.m." may come from monthly counts and lie later."""
    months = [m for ms in covered.values() for m in ms]
    if not months:
        return None
    end = (max(months) + pd.offsets.MonthEnd(0)).date()
    complete = base.data_end(store)
    return min(end, complete) if complete is not None else end


def meeting_notes(store, *, places=None, since=None, until=None) -> pd.DataFrame:
    """Notes (newest meeting first) with the place's name: ``note_id, place_id, place, meeting_date,
    author, text, created_at``."""
    ids = None if places is None else [base.resolve_place(store, p)["place_id"] for p in places]
    notes = store_notes.list_notes(store, ids, since=since, until=until)
    names = base.places(store).set_index("place_id")["name"].to_dict()
    notes.insert(2, "place", [names.get(p, p) for p in notes["place_id"]])
    return notes


def add_meeting_note(store, *, place, meeting_date, author, text) -> int:
    """Store a note for a place (name, id or code) and meeting date; returns its id."""
    pid = base.resolve_place(store, place)["place_id"]
    return store_notes.add_note(store, pid, meeting_date, author, text)


def remove_meeting_note(store, note_id: int) -> None:
    """Delete a note by id."""
    store_notes.remove_note(store, note_id)


__all__ = ["NoteError", "Refused", "add_meeting_note", "incident_patterns", "meeting_notes",
           "quick_comparison", "remove_meeting_note"]
