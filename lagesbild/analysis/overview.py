"""Översikt: every place's comparison of a Sep–Aug year (or, with yearly counts only, a calendar year)
with the one before, and the survey headline."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.analysis import base
from lagesbild.analysis.comparison import compare_place
from lagesbild.analysis.cubeviews import store_cube
from lagesbild.core import periods as pr
from lagesbild.core.compare import common_until_many, cut_periods, split_categories
from lagesbild.core.coverage import partial_note_of
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
    """Rows of the overview: each district followed by its places; the city last (kept per data
    version; do not modify)."""
    return base.memo(store, ("overview-places", district), lambda: _overview_places(store, district))


def _overview_places(store, district) -> pd.DataFrame:
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


def _categorised_coverage(cube):
    """Whether the every-place coverage rows name categories, and (when they do not) the places
    whose own rows do: a place's months per category follow its own coverage rows."""
    everywhere = bool(cube.every_by_category.any())
    own = set() if everywhere else set(cube.places[cube.by_category.any(axis=(1, 2))])
    return everywhere, own


def _comparisons(store, settings, place_ids, pair, categories) -> pd.DataFrame:
    """:func:`lagesbild.core.compare.compare` of every place at once on the monthly cube (each place
    with its own dispersion, per-category coverage and like-for-like cut), then one
    Benjamini–Hochberg family over the whole table. Places with whole-period counts (Brå) are
    compared by :func:`~lagesbild.analysis.comparison.compare_place`, one by one."""
    cube = store_cube(store)
    whole = base.whole_rows(store)
    with_rows = cube.has_row.any(axis=2)  # [place, category]
    monthly_cats = set(cube.categories[with_rows.any(axis=0)]) if len(cube.places) else set()
    cats = list(categories) if categories else sorted(monthly_cats | set(whole["category"]))
    opts = base.compare_options(store, settings)
    whole_ids = set(whole["place_id"])
    pos = dict(zip(cube.places, range(len(cube.places)), strict=True))
    fast = [pid for pid in place_ids if pid not in whole_ids and pid in pos and with_rows[pos[pid]].any()]
    slow = [pid for pid in place_ids if pid in whole_ids]
    parts = [_cube_table(store, settings, cube, fast, [pos[p] for p in fast], pair, cats, opts)] if fast else []
    if slow:
        parts += list(_one_by_one(store, settings, slow, pair, cats, opts).values())
    if not parts:
        return pd.DataFrame()
    table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    if slow:  # back in the order of the places
        order = {pid: i for i, pid in enumerate(place_ids)}
        table = table.iloc[np.argsort(table["place_id"].map(order).to_numpy(), kind="stable")]
        table = table.reset_index(drop=True)
    crimes = (table["count_a"].fillna(0) + table["count_b"].fillna(0)).groupby(table["place_id"], sort=False).sum()
    table = table[table["place_id"].isin(crimes.index[crimes > 0])].reset_index(drop=True)  # no crimes: left out
    if table.empty:
        return pd.DataFrame()
    # the whole table is one family of tests: Benjamini–Hochberg over every place × category
    table = adjust_table(table, settings.alpha)
    table["verdict"] = row_verdicts(table, table["significant"].to_numpy(), settings.alpha)
    return table


def _cube_table(store, settings, cube, place_ids, pos, pair, cats, opts) -> pd.DataFrame:
    """The places' comparisons (unadjusted, in the order given), computed for groups of places that
    share a like-for-like cut."""
    everywhere, own = _categorised_coverage(cube)
    with_rows = cube.has_row.any(axis=2)[pos]
    flags = np.array([everywhere or pid in own for pid in place_ids], bool)
    # None or ``alla`` alone: the total of the place's own categories
    split = [split_categories(list(cube.categories[row]), cats) for row in with_rows]
    asked = np.array([cube.categories.isin(summed) for summed, _ in split]).reshape(len(pos), -1)
    until = np.empty(len(pos), dtype=object)
    for flag in (False, True):
        if (flags == flag).any():
            until[flags == flag] = common_until_many(cube.with_rules(flag), np.asarray(pos)[flags == flag],
                                                     asked[flags == flag], opts["data_end"])
    partial = _partial_notes(cube, pos, opts["data_end"])
    groups, cuts = {}, {}
    for i in range(len(place_ids)):
        if until[i] not in cuts:
            cuts[until[i]] = cut_periods(list(pair), until[i])
        periods, lfl = cuts[until[i]]
        groups.setdefault((bool(flags[i]), tuple(periods), tuple(split[i][1])), []).append((i, lfl))
    cache = base.memo(store, ("dispersions",), dict)
    tables = []
    for (flag, periods, shown), members in groups.items():
        idx = [m[0] for m in members]
        tables.append(compare_cube(
            cube.with_rules(flag), [place_ids[i] for i in idx], list(periods), list(shown), summed=asked[idx],
            alpha=settings.alpha, pos=[pos[i] for i in idx], lfl_notes=[m[1] for m in members],
            partial_notes=[partial[i] for i in idx], population_table=opts["population_table"],
            min_population=opts["min_population"], until=opts["data_end"], cache=cache))
    if len(tables) == 1:
        return tables[0]
    table = pd.concat(tables, ignore_index=True)
    order = {pid: i for i, pid in enumerate(place_ids)}
    return table.iloc[np.argsort(table["place_id"].map(order).to_numpy(), kind="stable")].reset_index(drop=True)


def _partial_notes(cube, pos, data_end) -> list[str]:
    """Each place's note on covered months after ``data_end`` (left out as incomplete)."""
    if data_end is None or not len(cube.months):
        return [""] * len(pos)
    late = cube.covered[np.asarray(pos)] & ~cube.until_mask(data_end)
    first = np.where(late.any(axis=1), np.argmax(late, axis=1), -1)
    texts = {i: partial_note_of(cube.months[[i]], data_end) for i in set(first.tolist()) if i >= 0}
    return [texts[i] if i >= 0 else "" for i in first]


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
