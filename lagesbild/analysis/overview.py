"""Översikt: every place's comparison of a Sep–Aug year (or, with yearly counts only, a calendar year)
with the one before, and the survey headline."""

from __future__ import annotations

import pandas as pd

from lagesbild.analysis import base
from lagesbild.analysis.comparison import compare_place
from lagesbild.core import periods as pr
from lagesbild.core.compare import row_verdict
from lagesbild.core.cube import build_cube
from lagesbild.core.fdr import adjust_table

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


def _comparisons(store, settings, place_ids, pair, categories) -> pd.DataFrame:
    """:func:`lagesbild.core.compare.compare` per place (each with its own dispersion and per-category
    coverage), then one Benjamini–Hochberg family over the whole table."""
    monthly, coverage = store.monthly_counts(), store.coverage()
    by_place = dict(tuple(monthly.groupby("place_id", sort=False)))  # split once, not per place
    everywhere = coverage[coverage["place_id"].isna()]
    cov_by_place = dict(tuple(coverage.dropna(subset=["place_id"]).groupby("place_id", sort=False)))
    whole = base.whole_rows(store)
    cats = list(categories) if categories else sorted(set(monthly["category"]) | set(whole["category"]))
    opts = base.compare_options(store, settings)
    frames = []
    for pid in place_ids:
        if pid not in by_place and not (whole["place_id"] == pid).any():
            continue
        cov = pd.concat([everywhere, cov_by_place[pid]]) if pid in cov_by_place else everywhere
        own = by_place.get(pid, monthly.iloc[0:0])
        # yearly and quarterly counts (Brå) compared whole period with whole period, as everywhere
        cmp = compare_place(store, own, pair, place_id=pid, categories=cats, coverage=cov,
                            alpha=settings.alpha, fdr=False, **opts)
        if (cmp["count_a"].fillna(0) + cmp["count_b"].fillna(0)).sum() > 0:  # no crimes: left out
            frames.append(cmp)
    if not frames:
        return pd.DataFrame()
    # the whole table is one family of tests: Benjamini–Hochberg over every place × category
    return adjust_table(pd.concat(frames, ignore_index=True), settings.alpha,
                        verdict=lambda r, sig: row_verdict(r, sig, settings.alpha))


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
