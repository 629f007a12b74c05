"""Översikt: every place's comparison of a Sep–Aug year (or, with yearly counts only, a calendar year)
with the one before, and the survey headline."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from lagesbild.analysis import base
from lagesbild.analysis.comparison import compare_place
from lagesbild.core import periods as pr
from lagesbild.core.compare import common_until, cut_periods, split_categories
from lagesbild.core.coverage import partial_note_of
from lagesbild.core.cube import build_cube
from lagesbild.core.fdr import adjust_table
from lagesbild.core.pair_table import compare_cube
from lagesbild.core.place_family import row_verdicts

HEADLINE_INDICATORS = 3  # survey indicators shown: those measured at most places


def period_choices(store) -> list[pr.Period]:
    """The years the overview offers: the Sep–Aug years with monthly data, or, in a store with
    yearly counts only (Brå), the calendar years with yearly counts."""
    return base.sep_aug_years(store) or base.whole_years(store)


def period_pair(store, period: str | None) -> tuple[list[pr.Period], str | None]:
    """The chosen (default: latest) Sep–Aug or calendar year and the one before it, or a reason why
    not."""
    years = period_choices(store)
    if not years:
        return [], "ingen brottsdata är inläst"
    try:
        latest = pr.parse_period(period) if period else years[-1]
    except ValueError as err:
        return [], str(err)
    if latest.kind == "calendar_year" and years[-1].kind == "calendar_year":  # yearly counts only
        return [pr.calendar_year(latest.start.year - 1), latest], None
    if latest.kind != "sep_aug":
        return [], f"{latest.label} är inte ett september–augusti-år"
    return [pr.sep_aug_year(latest.start.year - 1), latest], None


def overview_places(store, district: str | None = None) -> pd.DataFrame:
    """Rows of the overview: each district followed by its places; the city last."""
    df = base.places(store)
    if df.empty:
        return df
    if district:
        df = df[(df["place_id"] == district) | (df["district_id"] == district)]
    rows = []
    for _, d in df[df["kind"] == "stadsdelsomrade"].iterrows():
        rows.append(d)
        rows += [r for _, r in df[df["district_id"] == d["place_id"]].iterrows()]
    seen = {r["place_id"] for r in rows}
    rows += [r for _, r in df.iterrows() if r["place_id"] not in seen]
    return pd.DataFrame(rows).reset_index(drop=True)


def comparisons(store, settings, place_ids, pair, categories) -> pd.DataFrame:
    """:func:`compare` for each place over the pair of periods (places without crimes left out)."""
    key = ("overview", tuple(place_ids), tuple(pair), tuple(categories or ()), settings.alpha)
    return base.memo(store, key, lambda: _comparisons(store, settings, place_ids, pair, categories))


def monthly_cube(store):
    """The store's monthly counts as one place × category × month array (kept per data version)."""
    return base.memo(store, ("cube",), lambda: build_cube(store.monthly_counts(), store.coverage()))


def _categorised_coverage(store):
    """Whether the every-place coverage rows name categories, and the places whose own rows do
    (kept per data version): a place's months per category follow its own coverage rows."""
    def build():
        cov = store.coverage()
        if "category" not in cov:
            return False, set()
        named = cov["category"].notna().to_numpy()
        everywhere = cov["place_id"].isna().to_numpy()
        return bool((named & everywhere).any()), set(cov.loc[named & ~everywhere, "place_id"])
    return base.memo(store, ("categorised-coverage",), build)


def _comparisons(store, settings, place_ids, pair, categories) -> pd.DataFrame:
    """:func:`lagesbild.core.compare.compare` of every place at once on the monthly cube (each place
    with its own dispersion, per-category coverage and like-for-like cut), then one
    Benjamini–Hochberg family over the whole table. Places with whole-period counts (Brå) are
    compared by :func:`~lagesbild.analysis.comparison.compare_place`, one by one."""
    cube = monthly_cube(store)
    whole = base.whole_rows(store)
    with_rows = cube.has_row.any(axis=2)  # [place, category]
    monthly_cats = set(cube.categories[with_rows.any(axis=0)]) if len(cube.places) else set()
    cats = list(categories) if categories else sorted(monthly_cats | set(whole["category"]))
    opts = base.compare_options(store, settings)
    whole_ids = set(whole["place_id"])
    pos = dict(zip(cube.places, range(len(cube.places)), strict=True))
    fast = [pid for pid in place_ids if pid not in whole_ids and pid in pos and with_rows[pos[pid]].any()]
    frames = dict(zip(fast, _cube_frames(store, settings, cube, fast, [pos[p] for p in fast], pair, cats,
                                         opts), strict=True)) if fast else {}
    slow = [pid for pid in place_ids if pid in whole_ids]
    if slow:
        frames.update(_one_by_one(store, settings, slow, pair, cats, opts))
    kept = [frames[pid] for pid in place_ids if pid in frames
            and (frames[pid]["count_a"].fillna(0) + frames[pid]["count_b"].fillna(0)).sum() > 0]
    if not kept:  # no crimes anywhere: left out
        return pd.DataFrame()
    # the whole table is one family of tests: Benjamini–Hochberg over every place × category
    table = adjust_table(pd.concat(kept, ignore_index=True), settings.alpha)
    table["verdict"] = row_verdicts(table, table["significant"].to_numpy(), settings.alpha)
    return table


def _cube_frames(store, settings, cube, place_ids, pos, pair, cats, opts) -> list[pd.DataFrame]:
    """Each place's comparison (unadjusted), computed for groups of places that share a cut."""
    everywhere, own = _categorised_coverage(store)
    with_rows = cube.has_row.any(axis=2)
    groups, out = {}, {}
    for pid, p in zip(place_ids, pos, strict=True):
        flag = everywhere or pid in own
        view = cube if cube.per_category == flag else replace(cube, per_category=flag)
        # None or ``alla`` alone: the total of the place's own categories
        summed_cats, shown = split_categories(list(cube.categories[with_rows[p]]), cats)
        asked = cube.categories.isin(summed_cats)
        periods, lfl = cut_periods(list(pair), common_until(view, p, asked, opts["data_end"]))
        partial = partial_note_of(cube.months[cube.covered[p]], opts["data_end"])
        key = (flag, tuple(periods), tuple(shown))
        groups.setdefault(key, []).append((pid, p, asked, lfl, partial))
    cache = base.memo(store, ("dispersions",), dict)
    for (flag, periods, shown), members in groups.items():
        view = cube if cube.per_category == flag else replace(cube, per_category=flag)
        table = compare_cube(view, [m[0] for m in members], list(periods), list(shown),
                             summed=np.array([m[2] for m in members]), alpha=settings.alpha,
                             pos=[m[1] for m in members], lfl_notes=[m[3] for m in members],
                             partial_notes=[m[4] for m in members],
                             population_table=opts["population_table"],
                             min_population=opts["min_population"], until=opts["data_end"], cache=cache)
        for pid, part in table.groupby("place_id", sort=False):
            out[pid] = part.reset_index(drop=True)
    return [out[pid] for pid in place_ids]


def _one_by_one(store, settings, place_ids, pair, cats, opts) -> dict:
    """:func:`compare_place` of places with whole-period counts (yearly and quarterly counts
    compared whole period with whole period)."""
    monthly, coverage = store.monthly_counts(), store.coverage()
    by_place = dict(tuple(monthly.groupby("place_id", sort=False)))
    everywhere = coverage[coverage["place_id"].isna()]
    cov_by_place = dict(tuple(coverage.dropna(subset=["place_id"]).groupby("place_id", sort=False)))
    out = {}
    for pid in place_ids:
        cov = pd.concat([everywhere, cov_by_place[pid]]) if pid in cov_by_place else everywhere
        own = by_place.get(pid, monthly.iloc[0:0])
        out[pid] = compare_place(store, own, pair, place_id=pid, categories=cats, coverage=cov,
                                 alpha=settings.alpha, fdr=False, **opts)
    return out


def survey_headline(store, place_rows: pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    """The most widely measured indicators and the latest share of each per place
    (``place_id, indicator, share, year, fictitious``)."""
    survey = store.survey()
    if survey.empty or place_rows.empty:
        return [], pd.DataFrame()
    survey = survey[survey["place_id"].isin(place_rows["place_id"])]
    top = survey.groupby("indicator")["place_id"].nunique().sort_values(ascending=False, kind="stable")
    indicators = top.index[:HEADLINE_INDICATORS].tolist()
    latest = (survey[survey["indicator"].isin(indicators)].sort_values("year")
              .groupby(["place_id", "indicator"]).tail(1))
    return indicators, latest[["place_id", "indicator", "share", "year", "fictitious"]].reset_index(drop=True)


def overview_table(store, settings, *, period=None, categories=None, district=None) -> dict:
    """The overview's numbers: ``pair`` (the two years), ``problem`` (a reason when none), ``rows``
    (places in display order), ``comparison`` (one row per place × category with the test and verdict),
    ``category_names``, ``activities`` (for the tiles), ``survey_indicators``, ``survey_latest``,
    ``fdr_note`` (how many tests the table holds and how many false discoveries to expect),
    ``facts``."""
    pair, problem = period_pair(store, period)
    out = {"pair": pair, "problem": problem, "facts": base.facts(store),
           "category_names": base.category_names(store)}
    if problem:
        return out
    rows = overview_places(store, district)
    cmp = comparisons(store, settings, rows["place_id"].tolist() if len(rows) else [], pair, categories)
    indicators, latest = survey_headline(store, rows)
    out.update(rows=rows, comparison=cmp, activities=store.activities(), survey_indicators=indicators,
               survey_latest=latest, fdr_note=cmp.attrs.get("fdr", {}).get("note", ""))
    return out
