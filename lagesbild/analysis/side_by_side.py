"""Places side by side: counts, rates, changes and differences between places in one table.

:func:`side_by_side` answers "Jämför platser" (the web page ``/jamfor``) for two to four chosen places,
or for one place and its *similar places* (:func:`similar_places`).

What is tested, and how:

- **Change over time** in each place and category: exactly the Plats comparison
  (:func:`lagesbild.analysis.comparison.compare_place`: like for like, quasi-Poisson F test with the
  place's own dispersion, or the exact Poisson test when its history is too short).
- **Difference between two places** in the latest period, per category, only where both places have a
  rate per 1 000 inhabitants (population known and at least ``settings.min_population_for_rates``) and
  data for every month of the period: the counts are compared with person-years
  (population × months / 12) as exposures. When either place has enough monthly history, with the
  quasi-Poisson F test of :func:`lagesbild.core.dispersion.quasi_rate_test` with their two
  dispersions weighed by each one's share of the variance of the log rate ratio and
  Welch–Satterthwaite degrees of freedom (:func:`lagesbild.core.relative.design_effect`; a place of too
  short a history counts as Poisson), so ordinary
  variation is not called a difference, and never below the exact test's p-value (at small counts the
  F test's deviance approximation is too liberal; the total of the chosen categories, when a part's
  short history leaves too few months in common, with the largest dispersion of its parts); otherwise with the exact conditional Poisson test (the binomial test of the first count
  given the sum, :func:`lagesbild.core.poisson.poisson_rate_test`). Between places without a
  meaningful rate no verdict is given. This test, and the area without the place it holds, are in
  :mod:`lagesbild.analysis.between_places`.
- The p-values of the changes shown are **one Benjamini–Hochberg family** at ``settings.alpha``, and
  those of the differences between places another (one family per table; ``p_unadjusted`` keeps each
  test's own; see :func:`_one_family` for why not one family of both).
"""

from __future__ import annotations

import itertools
import math

import pandas as pd

from lagesbild.analysis import base
from lagesbild.analysis.between_places import (  # noqa: F401 (BETWEEN_NOTE: the page's and the CLI's note)
    BETWEEN_NOTE,
    NO_MONTHS,
    NO_RATE,
    OTHER_SOURCE,
    REST,
    _between,
    _holds,
    _rest,
)
from lagesbild.analysis.comparison import compare_place, interval_rows, with_whole_counts
from lagesbild.analysis.missing_periods import periods_without_data
from lagesbild.analysis.side_by_side_fdr import (  # noqa: F401 (the page's notes)
    BETWEEN_FAMILY,
    CHANGES_FAMILY,
    FAMILY_WHY,
    VERDICT_HIGHER,
    VERDICT_NONE,
    _one_family,
)
from lagesbild.analysis.similar_places import SIMILAR_K, similar_note, similar_places
from lagesbild.core.compare import ALL, counts_by_period, covered_months
from lagesbild.core.coverage import place_rows
from lagesbild.core.dispersion import (
    Dispersion,
    history_dispersion,
)
from lagesbild.core.population import period_rate
from lagesbild.core.rates import NOTE_RATE_INTERVAL, period_rate_intervals
from lagesbild.core.rates import whole_months as _months

MIN_PLACES, MAX_PLACES = 2, 4
DEFAULT_CATEGORIES = 4
TWICE = " Samma plats är vald mer än en gång: {names}."


class SideBySideError(ValueError):
    """A choice of places or periods the comparison cannot answer (Swedish message)."""


def _period_rows(comp: pd.DataFrame) -> pd.DataFrame:
    """Per category and period the count and rate, from a comparison's consecutive pairs, with the
    days counted (``start``, ``end``: a pair cut like for like counts the same months of each
    period, ``like_for_like``) and the pair's ``note`` on the row of its later period."""
    rows = []
    for cat, g in comp.groupby("category", sort=False):
        g = g.reset_index(drop=True)
        for i, r in g.iterrows():
            lfl = bool(r.get("like_for_like", False))
            rows.append({"category": cat, "period": r["period_a"], "count": r["count_a"],
                         "rate": r["rate_a"], "missing": r["months_missing_a"], "start": r["start_a"],
                         "end": r["end_a"], "like_for_like": lfl,
                         "note": "" if i == 0 else str(g.loc[i - 1, "note"] or "")})
            if i == len(g) - 1:
                rows.append({"category": cat, "period": r["period_b"], "count": r["count_b"],
                             "rate": r["rate_b"], "missing": r["months_missing_b"], "start": r["start_b"],
                             "end": r["end_b"], "like_for_like": lfl, "note": str(r["note"] or "")})
    return pd.DataFrame(rows)


def _with_rates(t: pd.DataFrame, place_id, population, opts) -> pd.DataFrame:
    """The rows' rates per 1 000 inhabitants and year where the comparison left none for a whole
    period (the source's count for a year: it is compared without the population table)."""
    need = t["rate"].isna() & (t["missing"] == 0) & t["count"].notna() if len(t) else []
    if not len(t) or not need.any():
        return t
    t = t.copy()
    t.loc[need, "rate"] = [
        period_rate(r.count, _months(r.start, r.end), opts["population_table"], place_id,
                    constant=population, min_population=opts["min_population"])[0]
        for r in t[need].itertuples()]
    return t


def largest_categories(store, monthly: pd.DataFrame, place_ids, periods) -> list[str]:
    """The :data:`DEFAULT_CATEGORIES` largest categories of the places over the periods' span
    (monthly counts and counts for whole periods, Brå's yearly tables, inside it), ranked by
    :func:`rank_categories`."""
    start, end = pd.Timestamp(periods[0].start), pd.Timestamp(periods[-1].end)
    inside = monthly[(monthly["month"] >= start) & (monthly["month"] <= end)]
    whole = base.whole_rows_within(store, place_ids, start, end)
    cols = ["place_id", "category", "count"]
    return rank_categories(pd.concat([inside[cols], whole[cols]]))[:DEFAULT_CATEGORIES]


def rank_categories(counts: pd.DataFrame) -> list[str]:
    """Categories (``place_id, category, count`` rows) those most places have first, then by their
    share of each place's crimes summed over the places, so that every place weighs the same. Ranked
    by the summed counts, one place of 400 000 crimes a year chose every category, and the other
    places read "saknas" in every row.

    Examples
    --------
    >>> counts = pd.DataFrame({"place_id": ["stor", "stor", "stor", "liten", "liten"],
    ...     "category": ["a", "b", "c", "c", "d"], "count": [900_000, 800_000, 10_000, 40, 60]})
    >>> rank_categories(counts)
    ['c', 'd', 'a', 'b']
    """
    per = counts.groupby(["place_id", "category"])["count"].sum()
    per = per[per > 0]
    if per.empty:
        return []
    share = (per / per.groupby(level="place_id").transform("sum")).groupby(level="category")
    score = pd.DataFrame({"places": share.size(), "share": share.sum()})
    return score.sort_values(["places", "share"], ascending=False, kind="stable").index.tolist()


def _one_period(store, monthly, period, place, cats, coverage, opts, pop_table) -> pd.DataFrame:
    c = counts_by_period(monthly, [period], place_id=place["place_id"], categories=cats,
                         coverage=coverage, data_end=opts["data_end"])
    filled = with_whole_counts(store, c, place["place_id"])  # a year the source (Brå) gives whole
    if filled is not c:  # a total the source's whole counts cannot give is not a row (as with two periods)
        c = filled[~((filled["category"] == ALL) & (filled["months_missing"] > 0))].reset_index(drop=True)
    # each rate with its population's note (a year interpolated or taken from the nearest known one)
    rates = [period_rate(r.count, _months(r.start, r.end), pop_table, place["place_id"],
                         constant=base.population(place), min_population=opts["min_population"])
             if not r.months_missing and r.n_months else (math.nan, "") for r in c.itertuples()]
    return pd.DataFrame({"category": c["category"], "period": c["period"], "count": c["count"],
                         "rate": [x for x, _ in rates], "missing": c["months_missing"], "start": c["start"],
                         "end": c["end"], "like_for_like": False, "note": [n for _, n in rates]})


def _dispersions(monthly, coverage, place_id, categories, chosen, data_end) -> dict[str, Dispersion]:
    """Each category's :class:`Dispersion` in a place (:data:`ALL`: the ``chosen`` categories summed,
    the count the total's row holds and its change is tested with), from the place's covered months
    and rows, found once for all its categories."""
    history = covered_months(monthly, coverage, place_id, data_end)
    own = place_rows(monthly, place_id)
    named = coverage is not None and "category" in coverage and coverage["category"].notna().any()
    if not named:
        return {c: history_dispersion(own, history, list(chosen) if c == ALL else c) for c in categories}
    # coverage naming categories: each category's own months (a category whose data end early is
    # not fitted with zeros after its end), the total's the months every summed category has
    months = {c: covered_months(monthly, coverage, place_id, data_end, category=c)
              for c in dict.fromkeys([*chosen, *(c for c in categories if c != ALL)])}
    common = history
    for c in chosen:
        common = common.intersection(months[c])
    out = {c: history_dispersion(own, common if c == ALL else months[c], list(chosen) if c == ALL else c)
           for c in categories}
    if ALL in out and not out[ALL].quasi:
        # a summed category with a short history (one that began in the latest year) left the total
        # without months in common: the exact test then took a total of categories known to vary
        # several times more than chance as Poisson. The sum varies at most as much as its most
        # variable part (independent parts), so the largest known dispersion is used instead
        parts = [out.get(c) or history_dispersion(own, months[c], c) for c in chosen]
        known = [d for d in parts if d.quasi]
        if known:
            out[ALL] = max(known, key=lambda d: d.phi)
    return out


def default_years(store, place_ids, n: int = 2) -> list:
    """The periods Jämför starts on: the last ``n`` Sep–Aug years, or, when every place would start
    on its calendar years on Plats (:func:`~lagesbild.analysis.base.default_comparison`: Brå's
    yearly tables), the last ``n`` calendar years they all have."""
    firsts = [base.default_comparison(store, pid, n) for pid in place_ids]
    if firsts and all(f and f[0].kind == "calendar_year" for f in firsts):
        shared = set.intersection(*({p.label for p in base.whole_years(store, pid)} for pid in place_ids))
        years = [p for p in base.whole_years(store) if p.label in shared][-n:]
        if years:
            return years
    return base.sep_aug_years(store)[-n:] or base.whole_years(store)[-n:]


def side_by_side(store, settings, *, places, periods, categories=None, similar: int = SIMILAR_K) -> dict:
    """Two to four places (or one place and its :func:`similar_places`) compared side by side.

    Parameters
    ----------
    places : sequence of str
        Place ids or names; one place adds its ``similar`` most similar places.
    periods : sequence of str or Period
        One or more periods (default: the last two Sep–Aug years); changes need two.
    categories : sequence of str or None
        Default: the categories most places have and that weigh most in each place (:func:`rank_categories`;
        sensitive ones included, as on Plats).

    Returns
    -------
    dict
        ``places`` (list of place dicts, each with ``similar`` True for an added similar place),
        ``similar`` (the :func:`similar_places` frame or None), ``periods``, ``categories``,
        ``table`` (``place_id, name, category, period, start, end, count, rate, missing,
        like_for_like, note``: rate NaN when not meaningful; ``start``/``end`` the days counted, cut to
        the same months of each period when the latest is incomplete, ``like_for_like``; ``note`` the
        change's note on its later period's row), ``rate_intervals`` (each rate's 95 % interval,
        :func:`lagesbild.core.rates.period_rate_intervals`, and ``rate_interval_note``), ``changes`` (the comparisons of
        :func:`compare_place` with every place's rows, ``name``; adjusted p-values), ``between``
        (``category, period, place_a, place_b, name_a, name_b, count_a, count_b, rate_a, rate_b,
        rate_ratio, method, phi, df, p_unadjusted, p_value, significant, verdict``), ``fdr`` (``m, discoveries,
        alpha, note`` of both families together, and ``changes``/``between``: each family's ``m,
        discoveries, alpha, note``) and ``notes``.

    Raises
    ------
    SideBySideError
        For fewer than two or more than four different places (the same place given twice, by id or
        by name, counts once; after adding similar ones), or no period.
    """
    rows, twice = [], []
    for r in (base.resolve_place(store, p) for p in places or []):  # the same place twice counts once
        if r["place_id"] in {x["place_id"] for x in rows}:
            twice += [r["name"]] if r["name"] not in twice else []
        else:
            rows.append(r)
    pers = base.parse_periods(periods) if periods else default_years(store, [r["place_id"] for r in rows])
    # one period written twice (2022/23 and 2022–2023) is one period
    pers = sorted({(p.start, p.end): p for p in pers}.values(), key=lambda p: (p.start, p.end))
    if not pers and base.data_until(store) is None:
        raise SideBySideError("Ingen brottsdata är inläst: läs in brottsdata under Data.")
    if not pers:
        raise SideBySideError("Välj minst en period.")
    sim = None
    if len(rows) == 1 and similar:
        sim = similar_places(store, settings, rows[0]["place_id"], pers, k=similar)
        rows += [{**base.place(store, pid), "similar": True} for pid in sim["place_id"]]
    if len(rows) == 1 and sim is not None and sim.empty and (said := periods_without_data(store, rows, pers)):
        raise SideBySideError(said)  # nothing like it was found because it has no data then
    if not MIN_PLACES <= len(rows) <= MAX_PLACES:
        raise SideBySideError(f"Välj mellan {MIN_PLACES} och {MAX_PLACES} olika platser (eller en plats och "
                              "liknande platser)." + (TWICE.format(names=", ".join(twice)) if twice else ""))
    rows = [{"similar": False, **r} for r in rows]
    ids = [r["place_id"] for r in rows]
    monthly, coverage = base.complete_counts(store, place_ids=ids), base.coverage_for(store, ids)
    opts = base.compare_options(store, settings)
    cats = list(categories) if categories else largest_categories(store, monthly, ids, pers)
    if not cats:
        raise SideBySideError(periods_without_data(store, rows, pers)
                              or "Det finns inga anmälda brott för de valda platserna.")
    table, changes, latest, intervals = [], [], {}, []
    for r in rows:
        pid, pop = r["place_id"], base.population(r)
        if len(pers) >= 2:
            comp = compare_place(store, monthly, pers, place_id=pid, categories=cats, coverage=coverage,
                                 alpha=settings.alpha, population=pop, fdr=False, **opts)
            changes.append(comp.assign(name=r["name"]))
            t = _with_rates(_period_rows(comp), pid, pop, opts)
            last = comp.groupby("category", sort=False).tail(1)
            window = {c: (s, e) for c, s, e in zip(last["category"], last["start_b"], last["end_b"],
                                                   strict=True)}
        else:
            t = _one_period(store, monthly, pers[0], r, cats, coverage, opts, opts["population_table"])
            window = {c: (s, e) for c, s, e in zip(t["category"], t["start"], t["end"], strict=True)}
        table.append(t.assign(place_id=pid, name=r["name"]))
        last_rows = t[t["period"] == t["period"].iloc[-1]] if len(t) else t
        dispersions = _dispersions(monthly, coverage, pid, list(last_rows["category"]), cats,
                                   opts["data_end"])
        phis = {c: d.phi if d.quasi else 1.0 for c, d in dispersions.items()}
        if len(pers) >= 2:  # the intervals Plats shows for the same rates (compare_place's columns)
            intervals.append(interval_rows(comp, pid))
        else:
            intervals.append(period_rate_intervals(t.assign(phi=t["category"].map(phis)),
                                                   opts["population_table"], pid, constant=pop,
                                                   min_population=opts["min_population"]))
        for x in last_rows.itertuples():
            s, e = window[x.category]
            one = period_rate(1, _months(s, e), opts["population_table"], pid, constant=pop,
                              min_population=opts["min_population"])[0] if not x.missing else math.nan
            latest[(pid, x.category)] = {
                "name": r["name"], "count": x.count, "rate": x.rate, "missing": x.missing,
                "window": (s, e), "exposure": 1000.0 / one if one and not math.isnan(one) else math.nan,
                "dispersion": dispersions[x.category]}
    table = pd.concat(table, ignore_index=True)[["place_id", "name", "category", "period", "start", "end",
                                                 "count", "rate", "missing", "like_for_like", "note"]]
    intervals = pd.concat(intervals, ignore_index=True)
    key = ["place_id", "category", "period"]  # each rate's interval beside it, for the chart and table
    table = table.merge(intervals[[*key, "rate_low", "rate_high"]].drop_duplicates(key), on=key, how="left")
    between = []
    last_label = pers[-1].label
    by_id = {r["place_id"]: r for r in rows}
    for cat in [*cats, ALL] if len(cats) > 1 else cats:
        for (pa, a), (pb, b) in itertools.combinations([(i, latest.get((i, cat))) for i in ids], 2):
            if a is None or b is None:
                continue
            if _holds(by_id[pb], by_id[pa]):  # a place against its own district or city: against the rest
                b = _rest(b, a)
            elif _holds(by_id[pa], by_id[pb]):
                a = _rest(a, b)
            res = _between(a, b)
            rr = a["rate"] / b["rate"] if b["rate"] and not math.isnan(b["rate"]) else math.nan
            between.append({"category": cat, "period": last_label, "place_a": pa, "place_b": pb,
                            "name_a": a["name"], "name_b": b["name"], "count_a": a["count"],
                            "count_b": b["count"], "rate_a": a["rate"], "rate_b": b["rate"],
                            "rate_ratio": rr, **res})
    between = pd.DataFrame(between, columns=[
        "category", "period", "place_a", "place_b", "name_a", "name_b", "count_a", "count_b", "rate_a",
        "rate_b", "rate_ratio", "method", "phi", "df", "p_unadjusted", "verdict"])
    changes = pd.concat(changes, ignore_index=True) if changes else pd.DataFrame()
    changes, between, fdr = _one_family(changes, between, settings.alpha)
    notes = [similar_note(sim, rows[0])] if sim is not None else []
    return {"places": rows, "similar": sim, "periods": pers, "categories": cats, "table": table,
            "rate_intervals": intervals, "rate_interval_note": NOTE_RATE_INTERVAL,
            "changes": changes, "between": between, "fdr": fdr, "notes": notes,
            "category_names": base.category_names(store), "facts": base.facts(store)}


__all__ = ["SideBySideError", "periods_without_data", "similar_places", "side_by_side"]
