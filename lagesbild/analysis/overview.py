"""Översikt: every place's comparison of a Sep–Aug year or a calendar year (places with Brå's yearly
counts) with the one before, and the survey headline. The notes on what a place's total sums are in
:mod:`lagesbild.analysis.overview_notes`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.analysis import base
from lagesbild.analysis.comparison import compare_place
from lagesbild.analysis.cubeviews import store_cube
from lagesbild.analysis.nesting import activities_inside, inside
from lagesbild.analysis.overview_notes import (  # noqa: F401 (split_notes, yearly_only_note: API)
    alla_note,
    missing_note,
    split_notes,
    yearly_only,
    yearly_only_note,
)
from lagesbild.analysis.source_change import mark_source_changes
from lagesbild.core import periods as pr
from lagesbild.core.compare import common_until_many, cut_periods, split_categories
from lagesbild.core.coverage import partial_note_of
from lagesbild.core.fdr import adjust_table
from lagesbild.core.pair_table import compare_cube
from lagesbild.core.period_pairs import TOTAL_CATEGORY, period_months
from lagesbild.core.place_family import ALL, row_verdicts

HEADLINE_INDICATORS = 3  # survey indicators shown: those measured at most places


def period_choices(store) -> list[pr.Period]:
    """The years the overview offers: the Sep–Aug years with monthly data, then the calendar years
    with a count for the whole year (Brå's yearly tables). A place with yearly counts only is
    compared in calendar years; in a store holding both kinds the calendar years are offered beside
    the Sep–Aug years, so such places are not left out of the overview."""
    return base.year_choices(store)


def default_choice(store) -> pr.Period | None:
    """The year the overview starts on: the latest Sep–Aug year with monthly data, otherwise the
    latest calendar year with yearly counts."""
    years = base.sep_aug_years(store) or base.whole_years(store)
    return years[-1] if years else None


def period_pair(store, period: str | None) -> tuple[list[pr.Period], str | None]:
    """The chosen (default: :func:`default_choice`) Sep–Aug or calendar year and the one before it,
    or a reason why not."""
    latest = default_choice(store)
    if latest is None:
        return [], "ingen brottsdata är inläst"
    try:
        latest = pr.parse_period(period) if period else latest
    except ValueError as err:
        return [], str(err)
    if latest.kind == "calendar_year" and base.whole_years(store):  # Brå's yearly counts
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
    if district:  # the district and every place in it, to any depth (a torg in an utsatt område in it)
        df = df[df["place_id"].isin(inside(df, district))]
    rows = []
    for _, d in df[df["kind"] == "stadsdelsomrade"].iterrows():
        rows.append(d)
        rows += [r for _, r in df[df["place_id"].isin(inside(df, d["place_id"]) - {d["place_id"]})].iterrows()]
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
    alla = dict(parts[0].attrs.get("alla") or {}) if parts else {}  # what each total sums, when it differs
    if slow:
        for part in _one_by_one(store, settings, slow, pair, cats, opts).values():
            alla.update(part.attrs.get("alla") or {})
            parts.append(part)
    if not parts:
        return pd.DataFrame()
    table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    if slow:  # back in the order of the places
        order = {pid: i for i, pid in enumerate(place_ids)}
        table = table.iloc[np.argsort(table["place_id"].map(order).to_numpy(), kind="stable")]
        table = table.reset_index(drop=True)
    # a place with data in neither year is left out; one with covered months and no crimes is shown
    data = (table["count_a"].notna() | table["count_b"].notna()).groupby(table["place_id"], sort=False).any()
    table = table[table["place_id"].isin(data.index[data])].reset_index(drop=True)
    if table.empty:
        return pd.DataFrame()
    alla = {pid: about for pid, about in alla.items() if data.get(pid, False)}
    # a pair whose periods' counts come from different sources is not tested (analysis.source_change)
    table = mark_source_changes(table, base.complete_counts(store))
    # the whole table is one family of tests: Benjamini–Hochberg over every place × category
    table = adjust_table(table, settings.alpha)
    table["verdict"] = row_verdicts(table, table["significant"].to_numpy(), settings.alpha)
    table.attrs["alla"] = alla
    return table


def _cube_table(store, settings, cube, place_ids, pos, pair, cats, opts) -> pd.DataFrame:
    """The places' comparisons (unadjusted, in the order given), computed for groups of places that
    share a like-for-like cut."""
    everywhere, own = _categorised_coverage(cube)
    with_rows = cube.has_row.any(axis=2)[pos]
    flags = np.array([everywhere or pid in own for pid in place_ids], bool)
    sourced, anything = _sourced(cube, pos, flags)
    index = {c: i for i, c in enumerate(cube.categories)}
    # None or ``alla`` alone: the total of the place's own categories; a category the place has no
    # data source for at all is not a row of the place
    split = [_place_rows(*split_categories(list(cube.categories[row]), cats), sourced[i], anything[i], index)
             for i, row in enumerate(with_rows)]
    asked = np.array([cube.categories.isin(summed) for summed, _ in split]).reshape(len(pos), -1)
    until = _row_ends(cube, pos, flags, split, asked, pair, opts["data_end"])
    partial = _partial_notes(cube, pos, opts["data_end"])
    groups, cuts = {}, {}
    for i in range(len(place_ids)):  # the rows of a place cut alike are compared together
        by_cut = {}
        for c, end in zip(split[i][1], until[i], strict=True):
            if end not in cuts:
                cuts[end] = cut_periods(list(pair), end)
            by_cut.setdefault(end, []).append(c)
        if not by_cut:  # no rows (only categories the place has no source for): an empty part
            by_cut[None] = []
            cuts.setdefault(None, cut_periods(list(pair), None))
        for end, shown in by_cut.items():
            periods, lfl = cuts[end]
            groups.setdefault((bool(flags[i]), tuple(periods), tuple(shown)), []).append((i, lfl))
    cache = base.memo(store, ("dispersions",), dict)
    # the categories of the table, or (``alla`` alone) every category some place's total sums
    columns = ({c for _, shown in split for c in shown} - {ALL, TOTAL_CATEGORY}
               or set(cube.categories[asked.any(axis=0)]) - {TOTAL_CATEGORY})
    tables, alla = [], {}
    for (flag, periods, shown), members in groups.items():
        idx = [m[0] for m in members]
        group = cube.with_rules(flag)
        summed, both = _both_years(group, [pos[i] for i in idx], list(periods), opts["data_end"], asked[idx])
        if ALL in shown:
            alla.update(_alla_differs(group.categories, [place_ids[i] for i in idx], summed, both, columns))
        tables.append(compare_cube(
            group, [place_ids[i] for i in idx], list(periods), list(shown), summed=summed,
            alpha=settings.alpha, pos=[pos[i] for i in idx], lfl_notes=[m[1] for m in members],
            partial_notes=[partial[i] for i in idx], population_table=opts["population_table"],
            min_population=opts["min_population"], until=opts["data_end"], cache=cache))
    table = tables[0] if len(tables) == 1 else pd.concat(tables, ignore_index=True)
    if len(tables) > 1:  # each place's rows in the order of its categories
        order = {(pid, c): (i, r) for i, pid in enumerate(place_ids) for r, c in enumerate(split[i][1])}
        keys = [order[k] for k in zip(table["place_id"], table["category"], strict=True)]
        table = table.iloc[sorted(range(len(keys)), key=keys.__getitem__)].reset_index(drop=True)
    if alla:  # the total's note says what it sums where that is not every category of the table
        names = base.category_names(store)
        alla = {pid: (cats, both, alla_note([names.get(c, c) for c in cats], both))
                for pid, (cats, both) in alla.items()}
        texts = {pid: text for pid, (*_, text) in alla.items()}
        total = (table["category"] == ALL).to_numpy() & table["place_id"].isin(list(texts)).to_numpy()
        table.loc[total, "note"] = [f"{note} {texts[pid]}".strip() for pid, note in
                                    zip(table.loc[total, "place_id"], table.loc[total, "note"], strict=True)]
    table.attrs["alla"] = alla
    return table


def _sourced(cube, pos, flags) -> tuple[np.ndarray, np.ndarray]:
    """The categories each place has a data source for at all (bool [place, cube category]: a coverage
    row of the category or a row of counts, in any month), and whether a place has every category
    (bool [place]): coverage naming no category covers them all, as do a place's months under the
    rules without categories (``flags`` False)."""
    pos = np.asarray(pos, np.int64)
    if not len(pos):
        return np.zeros((0, len(cube.categories)), bool), np.zeros(0, bool)
    anything = ~np.asarray(flags, bool) | cube.general[pos].any(axis=1)
    named = cube.by_category[pos].any(axis=2) | cube.has_row[pos].any(axis=2)
    return named | anything[:, None], anything


def _place_rows(summed, shown, sourced, anything, index) -> tuple[list, list]:
    """The categories a place's total sums and its rows, without the categories it has no data
    source for (``sourced`` by cube position; a category the cube does not hold: ``anything``)."""
    def has(c):
        i = index.get(c, -1)
        return bool(sourced[i]) if i >= 0 else bool(anything)
    kept = [c for c in summed if has(c)]
    rows = [c for c in shown if (c != ALL and has(c)) or (c == ALL and kept)]
    return kept, rows


def _both_years(cube, pos, periods, until, asked) -> tuple[np.ndarray, np.ndarray]:
    """What each place's total sums (bool [place, cube category]): the categories asked that have
    data in both periods (some month of each), and whether it is those (bool [place]). A place
    without any such category keeps those asked: its total then says which months lack data."""
    if len(periods) < 2 or not len(pos):
        return asked, np.ones(len(pos), bool)
    weights = period_months(cube.months, periods).weights  # [month, period]
    covered = cube.covered_by_category(pos, np.arange(len(cube.categories)), until)
    both = asked & ((covered.astype(np.int64) @ weights) > 0).all(axis=2)
    found = both.any(axis=1)
    return np.where(found[:, None], both, asked), found


def _alla_differs(categories, place_ids, summed, both, columns) -> dict:
    """``(categories, both)`` of each place's total (a source's own total left out beside others) for
    the places where they are not the table's ``columns``."""
    out = {}
    for pid, row, found in zip(place_ids, summed, both, strict=True):
        cats = [c for c in categories[row] if c != TOTAL_CATEGORY] or list(categories[row])
        if set(cats) != columns:
            out[pid] = (tuple(cats), bool(found))
    return out


def _row_ends(cube, pos, flags, split, asked, pair, data_end) -> list[list]:
    """The last day of data of each place's rows (``split[i][1]``), where its comparison is cut like
    for like: a category's own last month, the total's where the categories it sums with data in
    both years end. A category whose data end early cuts its own row and the total, never the other
    categories' rows (:func:`lagesbild.core.compare.row_cuts`)."""
    ends = [[None] * len(split[i][1]) for i in range(len(pos))]
    for flag in (False, True):
        sel = np.flatnonzero(flags == flag)
        if not len(sel):
            continue
        rules = cube.with_rules(flag)
        at = np.asarray(pos)[sel]
        lasting, _ = _both_years(rules, at, list(pair), data_end, asked[sel])
        totals = common_until_many(rules, at, lasting, data_end)
        cells = [(i, r, c) for i in sel for r, c in enumerate(split[i][1]) if c != ALL]
        if cells:
            one = np.array([rules.categories == c for _, _, c in cells]).reshape(len(cells), -1)
            absent = np.array([c not in rules.categories for _, _, c in cells], bool)
            found = common_until_many(rules, [pos[i] for i, _, _ in cells], one, data_end, absent)
            for (i, r, _), end in zip(cells, found, strict=True):
                ends[i][r] = end
        for k, i in enumerate(sel):
            for r, c in enumerate(split[i][1]):
                if c == ALL:
                    ends[i][r] = totals[k]
    return ends


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
    compared whole period with whole period), by the rules of the cube's places: a category the
    place has no data source for is not a row of it, and its total sums the categories with data in
    both periods (the table's ``attrs["alla"]`` says which, where that differs from the table's)."""
    monthly, coverage = base.complete_counts(store), base.complete_coverage(store)
    by_place = dict(tuple(monthly.groupby("place_id", sort=False)))
    everywhere = coverage[coverage["place_id"].isna()]
    cov_by_place = dict(tuple(coverage.dropna(subset=["place_id"]).groupby("place_id", sort=False)))
    whole = base.whole_rows(store)
    whole_cats = whole.groupby("place_id")["category"].agg(set).to_dict() if len(whole) else {}
    names = base.category_names(store)
    out = {}
    for pid in place_ids:
        cov = pd.concat([everywhere, cov_by_place[pid]]) if pid in cov_by_place else everywhere
        own = by_place.get(pid, monthly.iloc[0:0])
        sourced = set(own["category"]) | whole_cats.get(pid, set()) | set(cov["category"].dropna())
        every = cov["category"].isna().any()  # a coverage row naming no category covers them all
        summed, shown = split_categories(sorted(sourced - {ALL}), cats)
        total, columns = ALL in shown, set(summed) - {TOTAL_CATEGORY}
        asked = [c for c in summed if every or c in sourced] or summed
        if total:
            asked = [*asked, ALL]

        def compared(categories, pid=pid, own=own, cov=cov):
            return compare_place(store, own, pair, place_id=pid, categories=categories, coverage=cov,
                                 alpha=settings.alpha, fdr=False, **opts)
        table = compared(asked)
        table.attrs["alla"] = {}
        if total and (table["category"] == ALL).any():
            parts = table[~table["category"].isin([ALL, TOTAL_CATEGORY])]
            both = parts.loc[parts["count_a"].notna() & parts["count_b"].notna(), "category"].tolist()
            kept = both or parts["category"].tolist()
            if both and len(both) < len(parts):  # the total of the categories with data both years
                sums = compared([*both, ALL]).set_index("category").loc[[ALL]]
                at = table.index[table["category"] == ALL]
                table.loc[at, sums.columns.intersection(table.columns)] = (
                    sums[sums.columns.intersection(table.columns)].to_numpy())
            if set(kept) != columns:
                text = alla_note([names.get(c, c) for c in kept], bool(both))
                at = table["category"] == ALL
                table.loc[at, "note"] = [f"{n if isinstance(n, str) else ''} {text}".strip()
                                         for n in table.loc[at, "note"]]
                table.attrs["alla"] = {pid: (tuple(kept), bool(both), text)}
        out[pid] = table
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
    ``years_note`` (in a Sep–Aug year: the places left out because they have yearly counts only),
    ``missing_note`` (the places left out for want of any crime data, :func:`missing_note`), ``facts``."""
    pair, problem = period_pair(store, period)
    out = {"pair": pair, "problem": problem, "facts": base.facts(store),
           "category_names": base.category_names(store)}
    if problem:
        return out
    rows = overview_places(store, district)
    cmp = comparisons(store, settings, rows["place_id"].tolist() if len(rows) else [], pair, categories)
    indicators, latest = survey_headline(store, rows)
    out.update(rows=rows, comparison=cmp, activities=_activities(store, district), survey_indicators=indicators,
               survey_latest=latest, fdr_note=cmp.attrs.get("fdr", {}).get("note", ""),
               years_note=yearly_only_note(store, rows, cmp, pair))
    yearly = set(yearly_only(store, rows, cmp, pair)["place_id"]) if len(rows) else set()
    out["missing_note"] = missing_note(rows, cmp, pair, yearly, bool(categories))
    return out


def _activities(store, district=None):
    """The action plan's activities the tiles count: with a district, those at a place inside it to any
    depth (as Åtgärdsplan's filter on that district lists them); else all."""
    acts = store.activities()
    if not district or acts.empty:
        return acts
    return activities_inside(acts, store.activity_places(), base.places(store), district)
