"""A place: its comparison between periods, years, months, shares, trend, survey, activities and effects.

:func:`place_view` answers the Plats page's question for a set of controls; the other functions answer
the single questions the command line and the exports ask. All call the same core functions with the
same inputs, so a number is the same wherever it is shown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.analysis import base
from lagesbild.analysis.comparison import (
    compare_place,
    interval_rows,
    whole_categories,
    whole_dispersions,
    with_whole_counts,
)
from lagesbild.analysis.cubeviews import series, shares, store_cube
from lagesbild.analysis.source_change import period_origins, source_switches
from lagesbild.core.compare import ALL, counts_by_period, history_dispersions, monthly_series
from lagesbild.core.cube import PlaceCubes
from lagesbild.core.effects import activity_effects
from lagesbild.core.fdr import adjust_table
from lagesbild.core.series import category_series
from lagesbild.core.survey import survey_table
from lagesbild.core.trend import MIN_PERIODS
from lagesbild.core.trend_family import fcr_intervals, trend_table, trend_verdicts
from lagesbild.settings import load_settings

DEFAULT_CATEGORIES = 4  # categories shown by default on a place: the largest ones
DEFAULT_YEARS = 4       # Sep–Aug years shown by default
ALL_CATEGORIES = ALL


def top_categories(monthly: pd.DataFrame, place_id, n: int | None = DEFAULT_CATEGORIES, since=None,
                   until=None) -> list[str]:
    """The ``n`` categories with most crimes at a place (between two dates), largest first."""
    df = monthly[monthly["place_id"] == place_id]
    if since is not None:
        df = df[df["month"] >= pd.Timestamp(since)]
    if until is not None:
        df = df[df["month"] <= pd.Timestamp(until)]
    sums = df.groupby("category")["count"].sum().sort_values(ascending=False, kind="stable")
    return sums.index[:n].tolist() if n else sums.index.tolist()


def category_order(store, place_id) -> list[str]:
    """Every category ranked by its count at the place over all the data (ties by id).

    The figures colour categories by this order, so a category has the same colour on the screen,
    in a chart export and in the meeting pack, whichever of them are shown.
    """
    def build():  # the place's counts summed per category, read from the store's cube
        cube = store_cube(store)
        pos = cube.place_index([place_id])[0]
        ranked = []
        if pos >= 0:
            sums = dict(zip(cube.categories.tolist(), cube.counts[pos].sum(axis=1).tolist(), strict=True))
            ranked = sorted(cube.categories[cube.has_row[pos].any(axis=1)].tolist(), key=lambda c: (-sums[c], c))
        rest = [c for c in base.categories_with_data(store) if c not in set(ranked)]
        return ranked + rest
    return base.memo(store, ("category-order", place_id), build)


def resolve_view(store, place_id, categories, periods) -> tuple[dict | None, list, list, list[str]]:
    """The place, the categories (default: its largest) and periods (default: the last Sep–Aug
    years), and messages about values that could not be used."""
    place = base.place(store, place_id)
    if place is None:
        return None, [], [], [f"platsen {place_id!r} finns inte i databasen"]
    pers, problems = base.read_periods(periods or [])
    pers = pers or base.default_comparison(store, place_id, DEFAULT_YEARS)
    cats = list(categories or [])
    if not cats:  # the largest categories with data in the periods: whole-year counts for years
        whole = whole_categories(store, place_id, pers)[:DEFAULT_CATEGORIES] \
            if pers and pers[0].kind == "calendar_year" else []
        monthly = base.complete_counts(store, place_ids=[place_id])  # read only when it is needed
        cats = whole or top_categories(monthly, place_id, since=pers[0].start if pers else None) or \
            whole_categories(store, place_id, pers)[:DEFAULT_CATEGORIES]
    return place, cats, pers, problems


def place_view(store, settings, place_id, *, categories=None, periods=None) -> dict:
    """Every number the Plats page shows, as DataFrames (keys absent when not applicable).

    Keys: ``place``, ``categories``, ``periods``, ``problems``, ``no_data`` (asked periods without any
    of the place's data: the message, :func:`~lagesbild.analysis.missing_periods.periods_without_data`;
    then only the survey and the activities follow), ``counts``, ``series``, ``comparison``
    (two periods or more, with ``rate_intervals``: :func:`comparison_rate_intervals`), ``trends`` (three whole periods or more), ``shares`` (a district or city
    stored), ``survey``, ``activities``, ``followups``, ``effects`` (activities linked), and the names
    the figures need (``category_names``, ``district_name``, ``parent_names``, ``colour_order``) and
    ``facts``. Results are kept per data version (:func:`~lagesbild.analysis.base.memo`); do not
    modify them.
    """
    key = ("place", place_id, tuple(categories or ()), tuple(periods or ()), settings.alpha,
           settings.effect_months)
    return base.memo(store, key, lambda: _place_view(store, settings, place_id, categories, periods))


def _place_view(store, settings, place_id, categories, periods) -> dict:
    place, cats, pers, problems = resolve_view(store, place_id, categories, periods)
    out = {"place": place, "categories": cats, "periods": pers, "problems": problems,
           "facts": base.facts(store), "category_names": base.category_names(store)}
    if place is None:
        return out
    # who counted this place, for its charts' source lines: the store's Brå table of the kommun made a
    # place the police counted say "Polisen och Brå" (the pack's charts of it said "Polisen")
    out["crime_source"] = base.places_crime_source(store, [place["place_id"]])
    if pers and cats and periods:  # periods asked for where the place has no data at all: say so (as
        from lagesbild.analysis.missing_periods import periods_without_data  # compare does), no 0s

        out["no_data"] = periods_without_data(store, [place], pers)
    if not pers or not cats or out.get("no_data"):  # no crime data: the survey and the action plan
        # still speak for the place
        acts, fu = place_activities(store, place_id)
        out.update(survey=place_survey_table(store, settings, place_id), activities=acts, followups=fu,
                   district_name=base.place_name(store, place.get("district_id")))
        return out
    parents = base.parent_ids(store, place)
    out.update(district_name=base.place_name(store, place.get("district_id")),
               parent_names={p: base.place_name(store, p) for p in parents},
               colour_order=category_order(store, place_id))
    # the rows of these places only (and the every-place coverage): the same numbers, less to filter
    ids = [place_id, *parents]
    monthly, coverage = place_frames(store, ids)
    opts = base.compare_options(store, settings)
    # each place's cube, cut out of the store's once per data version
    cubes = base.memo(store, ("place-cubes",), lambda: PlaceCubes(store_cube(store)))
    counts = counts_by_period(monthly, pers, place_id=place_id, categories=cats, coverage=coverage,
                              data_end=opts["data_end"], cube_cache=cubes)
    end = months_end(store, place_id, pers, coverage)
    filled = with_whole_counts(store, counts, place_id)  # years a source (Brå) gives whole
    out.update(counts=filled, series=series(store, place_id, cats, pers[0].start, end),
               source_changes=source_switches(monthly, place_id, cats, pers[0].start, end),
               data_until=place_data_until(store, place_id))
    if len(pers) >= 2:
        out["comparison"] = compare_place(store, monthly, pers, place_id=place_id, categories=cats,
                                          coverage=coverage, alpha=settings.alpha,
                                          population=base.population(place), cube_cache=cubes, **opts)
        out["rate_intervals"] = comparison_intervals(out["comparison"], place_id)
    # where each period's count comes from: the monthly data, or the source's whole-period count
    whole = filled.assign(origin=np.where(counts["months_missing"].to_numpy() > 0, "whole", "monthly").astype(object))
    # monthly counts of one source, then of another: a change of source is not a trend either
    sources = period_origins(monthly, place_id, whole)
    whole["origin"] = [o if o and w == "monthly" else w for o, w in zip(sources, whole["origin"], strict=True)]
    whole = whole[whole["months_missing"] == 0]
    if whole["period"].nunique() >= MIN_PERIODS:
        # fitted from the whole monthly history: the same for every choice of periods (kept per data
        # version by place and categories; a copy, as the whole-period spreads are put in below)
        kept = base.memo(store, ("trend-dispersions",), dict)
        key = (place_id, tuple(whole["category"].unique()), opts["data_end"])
        if key not in kept:
            kept[key] = dispersions(monthly, coverage, place_id, whole, opts,
                                    cache=base.memo(store, ("dispersions",), dict), cube_cache=cubes)
        spread = dict(kept[key])
        for key, d in whole_dispersions(store, place_id, counts, filled).items():  # years from the
            if d.quasi or not getattr(spread.get(key), "quasi", False):  # source: their own spread
                spread[key] = d
        trends = trend_table(whole, by=["category"], alpha=settings.alpha, dispersions=spread)
        out["trends"] = fcr_intervals(adjust_table(trends, settings.alpha, verdicts=trend_verdicts),
                                      settings.alpha)  # one family, intervals at the BY level
        # the smallest period count of each trend: a download hides a small sensitive one's statistics
        # (the category read from a view without attrs: each column read deep-copies attrs['profiles'])
        out["trends"] = out["trends"].assign(min_count=pd.DataFrame(out["trends"], copy=False)["category"].map(
            whole.groupby("category")["count"].min()))
    if parents:
        out["shares"] = shares(store, place_id, pers, parents, categories=cats, alpha=settings.alpha)
    out["survey"] = place_survey_table(store, settings, place_id)
    acts, fu = place_activities(store, place_id)
    out.update(activities=acts, followups=fu)
    if len(acts):
        links = store.activity_places()
        out["effects"] = activity_effects(
            monthly, acts, links[links["place_id"] == place_id], store.places(),
            months=settings.effect_months, category=cats, coverage=base.complete_coverage(store), alpha=settings.alpha,
            data_end=opts["data_end"], context=(store.activities(), links), whole_counts=base.whole_rows(store))
    return out


def place_frames(store, ids: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(:func:`~lagesbild.analysis.base.complete_counts`, :func:`~lagesbild.analysis.base.coverage_for`)
    of the places ``ids`` (a place and its parents), read once per data version and set of places: a
    period or category change at the same place read them again (≈ 1 ms). Callers must not modify them."""
    key = tuple(ids)
    return base.memo(store, ("place-frames", key), lambda: (
        base.complete_counts(store, place_ids=list(key)), base.coverage_for(store, list(key))))


def months_end(store, place_id, periods, coverage: pd.DataFrame | None = None):
    """The last day the month chart shows, on Plats and in exports alike: the end of the periods, or
    the last day of complete data (:func:`lagesbild.analysis.base.data_end`) when that is earlier, else
    the place's own covered end (:func:`_covered_until`). The export drew a month cut on 28 August as a
    whole month beside the screen's chart, which ended in July."""
    until = base.data_end(store) or _covered_until(
        store, coverage if coverage is not None else base.coverage_for(store, [place_id]), place_id)
    return min(periods[-1].end, until) if until else periods[-1].end


def _covered_until(store, coverage: pd.DataFrame, place_id):
    """The last day the monthly chart shows without an extraction date: the store's "data t.o.m.",
    or the end of the place's own last covered month when that is later (a Brå monthly file of one
    kommun beside yearly tables of others: its comparisons count those months, so the chart shows
    them)."""
    until = store.data_until()
    own = coverage.loc[coverage["place_id"].isna() | (coverage["place_id"] == place_id), "month"]
    if own.empty or own.isna().all():
        return until
    last = (pd.Timestamp(own.max()) + pd.offsets.MonthEnd(0)).date()
    return last if until is None or last > until else until


def place_data_until(store, place_id=None):
    """The last day of the place's data, as its period choices and years chart say "t.o.m.": the
    store's "data t.o.m." (:func:`~lagesbild.analysis.base.data_until`) unless the place's own
    covered months end in another month (Boden's Brå months run to Aug 2026 beside yearly tables
    ending Dec 2025: "2025–2026 (t.o.m. 31 dec 2025)" was said of a year counted to its end)."""
    until = base.data_until(store)
    if place_id is None:
        return until

    def build():  # once per place and data version: every period change asks again
        # the months of the place's own and the every-place coverage rows, read from the store's cube
        cube = store_cube(store)
        pos = cube.place_index([place_id])[0]
        own = (cube.general[pos] | cube.by_category[pos].any(axis=0)) if pos >= 0 else \
            (cube.every_general | cube.every_by_category.any(axis=0))
        if not own.any():
            return until
        last = (cube.months[np.flatnonzero(own)[-1]] + pd.offsets.MonthEnd(0)).date()
        if until is not None and (last.year, last.month) == (until.year, until.month):
            return until  # the store's own day inside that month (an extraction date) stands
        return last
    return base.memo(store, ("place-data-until", place_id), build)


def place_survey_table(store, settings, place_id) -> pd.DataFrame:
    """:func:`~lagesbild.core.survey.survey_table` of the place, kept per data version; every place
    without survey rows shares one (empty) table."""
    includes = settings.survey_district_includes_place
    surveyed = base.memo(store, ("surveyed-places",), lambda: frozenset(store.survey()["place_id"]))
    key = place_id if place_id in surveyed else None
    return base.memo(store, ("place-survey", key, settings.alpha, includes), lambda: survey_table(
        store.survey(), store.places(), place_id=place_id, alpha=settings.alpha, includes_place=includes))


def dispersions(monthly, coverage, place_id, counts, opts, cache=None, cube_cache=None) -> dict:
    """Each category's dispersion from the place's monthly history (for the trend test); ``cache``
    keeps fits per data version (:func:`lagesbild.core.dispersion.estimate_many`), ``cube_cache``
    the place's cubes (:func:`lagesbild.core.cube.place_cube`)."""
    fitted = history_dispersions(monthly, place_id, list(counts["category"].unique()), coverage=coverage,
                                 data_end=opts["data_end"], cache=cache, cube_cache=cube_cache)
    return {(c,): d for c, d in fitted.items()}


def months(monthly, coverage, place_id, categories, start, end) -> pd.DataFrame:
    """The complete monthly series (missing months told apart, rolling 12-month sum) per category."""
    if not categories:
        return pd.DataFrame(columns=["category", "month", "count", "covered", "rolling_12"])
    return category_series(monthly, place_id, categories, coverage=coverage, start=start, end=end)


def place_activities(store, place_id) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The activities linked to a place, and their follow-ups."""
    acts, links = store.activities(), store.activity_places()
    if acts.empty or links.empty:
        return acts.iloc[0:0], store.followups().iloc[0:0]
    ids = set(links.loc[links["place_id"] == place_id, "activity_id"])
    fu = store.followups()
    return acts[acts["activity_id"].isin(ids)].reset_index(drop=True), fu[fu["activity_id"].isin(ids)]


# ----- single questions (command line, exports) --------------------------------------------------
def place_effects(store, settings, place_id, *, categories=None) -> pd.DataFrame:
    """Before/after each of the place's activities (:func:`lagesbild.core.effects.activity_effects`):
    the same rows as the place page's, for the pack; empty when the place has no activities."""
    acts, _ = place_activities(store, place_id)
    if acts.empty:
        return pd.DataFrame()
    links = store.activity_places()
    return activity_effects(base.complete_counts(store), acts, links[links["place_id"] == place_id],
                            store.places(), months=settings.effect_months, category=categories,
                            coverage=base.complete_coverage(store), alpha=settings.alpha, data_end=base.data_end(store),
                            context=(store.activities(), links), whole_counts=base.whole_rows(store))


def place_row(store, place_id: str) -> pd.Series:
    """The stored place (by id or name), or :class:`~lagesbild.analysis.base.NotFound`."""
    return pd.Series(base.resolve_place(store, place_id))


def place_comparison(store, place_id: str, periods=None, *, categories=None, alpha: float = 0.05,
                     like_for_like: bool = True) -> pd.DataFrame:
    """Counts, change, test and verdict per category for a place over consecutive periods."""
    place = base.resolve_place(store, place_id)
    pid = place["place_id"]
    periods = base.parse_periods(periods) if periods else base.default_comparison(store, pid)
    population = base.population(place)
    # yearly and quarterly counts (Brå) are compared whole period with whole period
    return compare_place(store, base.complete_counts(store, place_ids=[pid]), periods, place_id=pid,
                         categories=categories, coverage=base.coverage_for(store, [pid]), alpha=alpha,
                         population=population, like_for_like=like_for_like,
                         **base.compare_options(store))


def place_shares(store, place_id: str, periods=None, *, categories=None, alpha: float = 0.05,
                 parents=None) -> pd.DataFrame:
    """The place's share of its district's and the city's counts per period, and its change."""
    place = base.resolve_place(store, place_id)
    pid = place["place_id"]
    parents = base.parent_ids(store, place) if parents is None else parents
    periods = base.parse_periods(periods) if periods else base.latest_years(store)
    return shares(store, pid, periods, parents, categories=categories, alpha=alpha, whole_coverage=True)


def place_months(store, place_id: str, category=None, *, start=None, end=None) -> pd.DataFrame:
    """The place's complete monthly series (missing months told apart) with a rolling 12-month sum."""
    pid = base.resolve_place(store, place_id)["place_id"]
    return monthly_series(base.complete_counts(store, place_ids=[pid]), pid, category,
                          coverage=base.coverage_for(store, [pid]), start=start, end=end)


def place_years(store, place_id: str, categories=None, periods=None) -> pd.DataFrame:
    """Counts per period (default: every Sep–Aug year) per category, incomplete periods flagged."""
    pid = base.resolve_place(store, place_id)["place_id"]
    periods = base.parse_periods(periods) if periods else base.sep_aug_years(store)
    return counts_by_period(base.complete_counts(store, place_ids=[pid]), periods, place_id=pid,
                            categories=categories, coverage=base.coverage_for(store, [pid]),
                            data_end=base.data_end(store))


def place_survey(store, place_id: str, *, indicators=None, alpha: float = 0.05) -> pd.DataFrame:
    """Survey indicators at a place with intervals, district/city comparison and change."""
    pid = base.resolve_place(store, place_id)["place_id"]
    survey = store.survey()
    if survey.empty:
        return pd.DataFrame()
    return survey_table(survey, store.places(), place_id=pid, indicators=indicators, alpha=alpha,
                        includes_place=load_settings().survey_district_includes_place)


def comparison_intervals(comp: pd.DataFrame, place_id) -> pd.DataFrame:
    """The rate intervals of a place's comparison as rows (:func:`lagesbild.analysis.comparison.interval_rows`)."""
    return interval_rows(comp, place_id)
