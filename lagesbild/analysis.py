"""Store -> core: the questions the dashboard, the exports and the command line ask.

Each function reads what it needs from the store and calls the pure functions in :mod:`lagesbild.core`;
no statistics are computed here. Web callbacks, export builders and CLI commands call these so that
every surface shows the same numbers.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.core import compare as cmp
from lagesbild.core import periods as per
from lagesbild.core.shares import share_of_parent

CITY_ID = "stockholm"


class NotFound(LookupError):
    """A place, activity or category that the store does not hold (message in Swedish)."""


def place_row(store, place_id: str) -> pd.Series:
    """The stored place, or :class:`NotFound` listing the known ids."""
    places = store.places()
    hit = places[places["place_id"] == place_id]
    if hit.empty:
        known = ", ".join(places["place_id"].tolist()[:20])
        raise NotFound(f"okänd plats {place_id!r}; kända platser: {known}")
    return hit.iloc[0]


def data_until(store):
    """The last day covered by any crime source (a date), or None."""
    return store.data_until()


def sep_aug_years(store) -> list:
    """Every Sep–Aug year from the first covered month to the last (the last may be incomplete)."""
    cov = store.coverage()
    if cov.empty:
        return []
    first = cov["month"].min().date()
    return per.sep_aug_years_between(first, store.data_until())


def latest_years(store, n: int = 2) -> list:
    """The last `n` Sep–Aug years with data (the default comparison of the overview)."""
    return sep_aug_years(store)[-n:]


def parse_periods(texts) -> list:
    """Period labels from a user (``2019–2020``, ``2019-2020``, ``T1 2021`` …) as Periods."""
    return [per.parse_period(t) for t in texts]


def _coverage_for(store, place_ids):
    cov = store.coverage()
    return cov[cov["place_id"].isna() | cov["place_id"].isin(list(place_ids))]


def place_comparison(store, place_id: str, periods=None, *, categories=None, alpha: float = 0.05,
                     like_for_like: bool = True) -> pd.DataFrame:
    """Counts, change, test and verdict per category for a place over consecutive periods."""
    from lagesbild.core.wholeperiods import compare_whole_periods, prefer_whole_periods

    place = place_row(store, place_id)
    periods = periods or latest_years(store)
    monthly = store.monthly_counts(place_ids=[place_id])
    population = place["population"] if pd.notna(place["population"]) else None
    result = cmp.compare(monthly, periods, place_id=place_id, categories=categories,
                         coverage=_coverage_for(store, [place_id]), alpha=alpha,
                         population=population, like_for_like=like_for_like)
    rows = store.period_counts()
    whole = compare_whole_periods(rows[rows["place_id"] == place_id], periods, place_id=place_id,
                                  categories=categories, alpha=alpha, population=population)
    return prefer_whole_periods(result, whole)


def parent_ids(store, place_id: str) -> list:
    """The place's district and the city, those that are stored and differ from the place."""
    place = place_row(store, place_id)
    ids = set(store.places()["place_id"])
    out = [p for p in (place["district_id"], CITY_ID) if isinstance(p, str) and p in ids]
    return [p for p in out if p != place_id]


def place_shares(store, place_id: str, periods=None, *, categories=None, alpha: float = 0.05):
    """The place's share of its district's and the city's counts per period, and its change."""
    parents = parent_ids(store, place_id)
    periods = periods or latest_years(store)
    ids = [place_id, *parents]
    return share_of_parent(store.monthly_counts(place_ids=ids), periods, place_id, parents,
                               categories=categories, coverage=_coverage_for(store, ids), alpha=alpha)


def place_months(store, place_id: str, category=None) -> pd.DataFrame:
    """The place's complete monthly series (missing months told apart) with a rolling 12-month sum."""
    monthly = store.monthly_counts(place_ids=[place_id])
    return cmp.monthly_series(monthly, place_id, category,
                              coverage=_coverage_for(store, [place_id]))


def place_years(store, place_id: str, categories=None) -> pd.DataFrame:
    """Counts per Sep–Aug year per category for the trend chart (incomplete year flagged)."""
    monthly = store.monthly_counts(place_ids=[place_id])
    return cmp.counts_by_period(monthly, sep_aug_years(store), place_id=place_id,
                                categories=categories, coverage=_coverage_for(store, [place_id]))


def place_survey(store, place_id: str, *, indicators=None, alpha: float = 0.05) -> pd.DataFrame:
    """Survey indicators at a place with intervals, district/city comparison and change."""
    from lagesbild.core.survey import survey_table

    place_row(store, place_id)
    return survey_table(store.survey(), store.places(), place_id=place_id, indicators=indicators,
                        alpha=alpha)


def area_incidents(store, area_id: str, *, category=None, period=None) -> tuple:
    """(incidents inside the area's bounding box for the category and period, the area polygon)."""
    gdf = store.places_gdf(3006)
    hit = gdf[gdf["place_id"] == area_id]
    if hit.empty:
        place_row(store, area_id)
    geom = hit.geometry.iloc[0]
    period = per.parse_period(period) if isinstance(period, str) else period
    inc = store.incidents(category=category, start=period.start if period else None,
                          end=period.end if period else None, bbox=geom.bounds)
    return inc, geom


def area_hotspots(store, area_id: str, *, category=None, period=None, cell_size: float = 200.0,
                  shape: str = "square"):
    """Gi* hotspots for an area, category and period (GeoDataFrame in EPSG:3006)."""
    from lagesbild.core.hotspots import hotspots

    inc, geom = area_incidents(store, area_id, category=category, period=period)
    return hotspots(inc, geom, cell_size=cell_size, shape=shape)


def area_hotspot_change(store, area_id: str, *, category=None, period_a=None, period_b=None,
                        cell_size: float = 200.0, shape: str = "square"):
    """New, persistent and ended hotspots between two periods."""
    from lagesbild.core.hotspots import hotspot_change

    a = area_hotspots(store, area_id, category=category, period=period_a, cell_size=cell_size,
                      shape=shape)
    b = area_hotspots(store, area_id, category=category, period=period_b, cell_size=cell_size,
                      shape=shape)
    return hotspot_change(a, b)


def activity_row(store, activity_id: str) -> pd.Series:
    """The stored activity, or :class:`NotFound`."""
    acts = store.activities()
    hit = acts[acts["activity_id"] == activity_id]
    if hit.empty:
        raise NotFound(f"okänd aktivitet {activity_id!r}; kända: "
                       + ", ".join(acts["activity_id"].tolist()[:20]))
    return hit.iloc[0]


def activity_effect(store, activity_id: str, *, months: int = 12, category=None,
                    alpha: float = 0.05) -> pd.DataFrame:
    """Before/after counts, test and WDD for one activity (an association, not proof of effect)."""
    from lagesbild.core.effects import activity_effects

    activity_row(store, activity_id)
    acts = store.activities()
    return activity_effects(store.monthly_counts(), acts[acts["activity_id"] == activity_id],
                            store.activity_places(), store.places(), months=months,
                            category=category, coverage=store.coverage(), alpha=alpha)


def place_activities(store, place_id: str) -> pd.DataFrame:
    """Activities linked to a place, with their latest follow-up."""
    links = store.activity_places()
    ids = links[links["place_id"] == place_id]["activity_id"]
    acts = store.activities()
    acts = acts[acts["activity_id"].isin(ids)].copy()
    fu = store.followups()
    order = {"T1": 1, "T2": 2, "VB": 3}
    if len(fu):
        fu = fu.assign(_o=fu["year"] * 10 + fu["period"].map(order).fillna(0))
        latest = fu.sort_values("_o").groupby("activity_id").tail(1).drop(columns="_o")
        acts = acts.merge(latest.add_prefix("senaste_").rename(
            columns={"senaste_activity_id": "activity_id"}), on="activity_id", how="left")
    return acts.reset_index(drop=True)
