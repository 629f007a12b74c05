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
from lagesbild.analysis.quick import MISSING_VERDICT, place_incident_months, quick_table
from lagesbild.core.concentration import concentration, top_cells
from lagesbild.core.grid import make_grid
from lagesbild.core.patterns import month_of_year, repeat_locations, weekday_days, weekday_hour, weekday_note
from lagesbild.store import notes as store_notes

NoteError = store_notes.NoteError


Refused = base.Refused


ALL_BUT_SENSITIVE = base.ALL_BUT_SENSITIVE


def incident_patterns(store, settings, *, place, period, category=None, tolerance: float = 10.0) -> dict:
    """Patterns in the incidents inside a place for a period (and a category, default all).

    Returns
    -------
    dict
        ``place`` (row dict), ``period`` (Period), ``category`` (id or None), ``n`` (incidents),
        ``weekday_hour``, ``month_of_year``, ``repeat`` (DataFrames, see :mod:`lagesbild.core.patterns`;
        the month of year counts only months with whole incident data, :func:`_pattern_months`),
        ``concentration`` ({0.05: share, 0.1: share} of the grid cells on land inside the place; NaN
        when there are no incidents), ``top_cells`` (the same as the cells really taken: how many,
        their share of the cells, :func:`lagesbild.core.concentration.top_cells`), ``cells`` (number
        of grid cells), ``weekday_days`` (how often each weekday, Monday first, occurs in the period's
        days with incident data) and ``weekday_note`` (a note when they differ: a month has some
        weekdays five times and the others four, so its counts per weekday differ by up to 25 % with no
        difference in crime; None otherwise), ``category_name`` (what was
        counted, in words: a category's name, or every category but the sensitive ones, which are
        never broken down by time or place).

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
    inc, geom = area_incidents(store, row["place_id"], category=category, period=period, time_known=True)
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
    covered = _pattern_months(store, period, category)
    days = _weekday_days(store, period, category)
    names = base.category_names(store)
    return {
        "place": row, "period": period, "category": category or None, "n": int(len(inc)),
        "category_name": names.get(category, category) if category else ALL_BUT_SENSITIVE,
        "weekday_hour": weekday_hour(inc),
        # every incident, so the crimes of a month the data do not cover whole are said (left_out)
        "month_of_year": month_of_year(inc, covered_months=covered),
        "repeat": repeat_locations(inc, tolerance=tolerance),
        "concentration": concentration(counts), "top_cells": top_cells(counts), "cells": int(len(grid)),
        "weekday_days": [int(d) for d in days], "weekday_note": weekday_note(days),
    }


def _weekday_days(store, period, category):
    """How often each weekday occurs in the period's days with incident data: from its start, or the
    first month an incident source covers (for the category, or any non-sensitive one), to its end, or
    the last day of incident data (:func:`_incident_last_day`)."""
    months = _incident_months(store)
    hidden = base.sensitive_categories(store)
    own = months.get(category, set()) if category else set().union(
        *[m for c, m in months.items() if c not in hidden])
    first = max(period.start, min(own).date()) if own else period.start
    last = _incident_last_day(store, months)
    return weekday_days(first, min(period.end, last) if last is not None else period.end)


def _pattern_months(store, period, category) -> list:
    """The period's months with whole incident-level data for the category (any non-sensitive one
    when None): covered by an incident source and ending by the last day of complete data, so a
    month without data, or one the file ends in the middle of, is never read as a month of few crimes."""
    covered = _incident_months(store)
    end = base.memo(store, ("incident-end",), lambda: _incident_end(store, covered))
    if category:
        months = covered.get(category, set())
    else:
        hidden = base.sensitive_categories(store)
        months = set().union(*[m for c, m in covered.items() if c not in hidden])
    return [m for m in period.whole_months if m in months and end is not None
            and (m + pd.offsets.MonthEnd(0)).date() <= end]


def quick_comparison(store, settings, *, place, categories=None, last_day=None) -> pd.DataFrame:
    """The quick spans against the same days a year earlier, one row per span × category.

    The spans end on ``last_day`` (default: the last day of incident-level data, to the day:
    :func:`_incident_last_day`) and usually
    cut a month, so
    they are counted by day from the incident-level data inside the place (a monthly count cannot say
    which days of a month a crime fell on). Each pair is tested with the quasi-Poisson test of the place
    × category's dispersion from its monthly history (the exact conditional Poisson test with too short
    a history, then the verdict says so), weighted by the spans' lengths in days
    (:mod:`lagesbild.analysis.quick`); the whole table is one family with Benjamini–Hochberg control
    at ``settings.alpha`` (``q_value``), and only a change significant after it is called an increase or
    a decrease. A span pair touching a month that no incident source covers for the category is not
    tested (``p_value`` NaN, :data:`MISSING_VERDICT`): a missing month is not a month without crime.

    Returns
    -------
    DataFrame
        ``span, span_label, category, period_a, period_b, start_a, end_a, start_b, end_b, days_a,
        days_b, count_a, count_b, change, pct_change, p_value, q_value, significant, verdict, method``; empty
        when the store has no incidents for the place.
    """
    row = base.resolve_place(store, place)
    key = ("quick", row["place_id"], settings.alpha, tuple(categories) if categories else None,
           None if last_day is None else str(base.as_date(last_day)))
    # kept per data version: a change of periods on Plats does not count the incidents again
    return base.memo(store, key, lambda: _quick_comparison(store, settings, row, categories, last_day))


def _quick_comparison(store, settings, row, categories, last_day) -> pd.DataFrame:
    # the place's own incident months and last day: another district's export that runs on to a later
    # day neither covers this place's days after its own file ended nor ends its spans there
    covered, own_end = place_incident_months(store, row["place_id"])
    end = base.as_date(last_day) if last_day is not None else base.memo(
        store, ("incident-last-day",), lambda: _incident_last_day(store, _incident_months(store)))
    if end is None:
        return pd.DataFrame()
    if last_day is None and own_end is not None:
        end = min(end, own_end)
    # every place's counts of these spans at once, kept per data version (lagesbild.analysis.quick)
    return quick_table(store, settings.alpha, row["place_id"], categories, end, covered)


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
    return _capped_month_end(covered, base.data_end(store))


def _incident_last_day(store, covered: dict):
    """The last day of incident-level data, to the day (where the quick spans end): the end of the
    last covered month, or the store's "data t.o.m." when that is earlier
    (:func:`lagesbild.analysis.base.data_until`: the day before the extraction date, or the last
    incident's day when the file ends inside its month). A whole month's end would count the days
    after the file ended as days without crime."""
    return _capped_month_end(covered, base.data_until(store))


def _capped_month_end(covered: dict, cap):
    """The end of the last month in ``covered`` (category -> months), or ``cap`` when earlier; None
    without months."""
    months = [m for ms in covered.values() for m in ms]
    if not months:
        return None
    end = (max(months) + pd.offsets.MonthEnd(0)).date()
    return min(end, cap) if cap is not None else end


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


__all__ = ["MISSING_VERDICT", "NoteError", "Refused", "add_meeting_note", "incident_patterns", "meeting_notes",
           "quick_comparison", "remove_meeting_note"]
