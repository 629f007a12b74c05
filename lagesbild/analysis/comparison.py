"""A place's comparison between periods, whatever the grain of its data: the one function the command
line, the Plats page, Översikt and the meeting pack call.

Monthly counts are compared by :func:`lagesbild.core.compare.compare`; counts a source gives for whole
years or quarters (Brå) by :func:`lagesbild.core.wholeperiods.compare_whole_periods`, a year with a
year, and those rows replace the monthly rows that cannot be judged
(:func:`lagesbild.core.wholeperiods.prefer_whole_periods`). Also here: the calendar years and the
categories such data have, for the period and category choices.
"""

from __future__ import annotations

import copy
import re

import numpy as np
import pandas as pd

from lagesbild.analysis import base
from lagesbild.analysis.source_change import mark_source_changes
from lagesbild.core.compare import ALL, compare
from lagesbild.core.dispersion import METHOD_QUASI
from lagesbild.core.fdr import adjust_table
from lagesbild.core.likeforlike import NOTE_PATTERN, cut_lines
from lagesbild.core.periods import Period
from lagesbild.core.place_family import row_verdicts
from lagesbild.core.population import MIN_POPULATION
from lagesbild.core.rates import period_rate_intervals, rate_bounds
from lagesbild.core.wholeperiods import (
    compare_whole_periods,
    period_dispersion,
    period_row,
    prefer_whole_periods,
)

whole_rows, whole_years = base.whole_rows, base.whole_years


def footnotes(comparison: pd.DataFrame, notes: list[str], names=None) -> list[str]:
    """The footnotes of a comparison table: :func:`cut_lines` (which categories were cut to the same
    months, and how), then the table's other ``notes`` without the like-for-like sentence the cut lines
    already say (Plats said "Jämförelsen avser sep–jul …" twice, with and without "*").

    Examples
    --------
    >>> cut = "Jämförelsen avser sep–jul i varje period eftersom data för hela månader bara finns t.o.m. 31 juli 2023."
    >>> t = pd.DataFrame({"category": ["rån"], "like_for_like": [True], "note": [cut]})
    >>> footnotes(t, [cut, "Rån: " + cut, "Befolkningen är känd."])
    ['* Jämförelsen avser sep–jul i varje period eftersom data för hela månader bara finns t.o.m. 31 juli 2023.', \
'Befolkningen är känd.']
    """
    cuts = cut_lines(comparison, names)
    if not cuts:
        return list(notes)
    rest = []
    for note in notes:
        left = NOTE_PATTERN.sub("", str(note or "")).strip()
        if left and not left.endswith(":"):  # a note that only named its categories goes with it
            rest.append(left)
    return cuts + rest


def place_rows(store, place_id) -> pd.DataFrame:
    """One place's whole-period counts, kept per data version (a Plats change asked three times, ≈ 0.4 ms
    each); callers must not modify them."""
    def build():
        rows = whole_rows(store)
        return rows[rows["place_id"] == place_id]
    return base.memo(store, ("whole-place-rows", place_id), build)


def whole_categories(store, place_id, periods=None) -> list[str]:
    """The place's categories with whole-period counts (within the periods), largest first."""
    rows = place_rows(store, place_id)
    if periods:
        rows = rows[(rows["period_start"] >= pd.Timestamp(min(p.start for p in periods)))
                    & (rows["period_end"] <= pd.Timestamp(max(p.end for p in periods)))]
    sums = rows.groupby("category")["count"].sum()
    return sorted(sums.index, key=lambda c: (-float(sums[c]), c))


def compare_place(store, monthly, periods, *, place_id, categories=None, coverage=None,
                  alpha: float = 0.05, population=None, fdr: bool = True, **options) -> pd.DataFrame:
    """:func:`~lagesbild.core.compare.compare` of the place's monthly counts, with the pairs it cannot
    judge answered by the source's whole-period counts (years, quarters) where they exist.

    ``options`` are passed on to ``compare`` (``like_for_like`` and
    :func:`~lagesbild.analysis.base.compare_options`). Without whole-period counts for the place the
    result is ``compare``'s. With them, and ``fdr``, the combined table is one
    Benjamini–Hochberg family (``p_unadjusted`` keeps each test's own p-value). Each rate carries its
    95 % interval, ``rate_a_low``, ``rate_a_high``, ``rate_b_low``, ``rate_b_high``
    (:func:`with_rate_intervals`): Plats, the pack and the command line show the same.
    """
    out = _compared(store, monthly, periods, place_id=place_id, categories=categories, coverage=coverage,
                    alpha=alpha, population=population, fdr=fdr, **options)
    return with_rate_intervals(out, place_id, population, options)


def _compared(store, monthly, periods, *, place_id, categories=None, coverage=None,
              alpha: float = 0.05, population=None, fdr: bool = True, **options) -> pd.DataFrame:
    # the places' histories are fitted once per data version (a pure function of the counts)
    options.setdefault("dispersion_cache", base.memo(store, ("dispersions",), dict))
    rows = place_rows(store, place_id)
    # a place whose months come from more than one source: a pair across the change is not tested
    # (analysis.source_change), so its family is built here, as with whole-period counts
    mixed = monthly is not None and "source" in monthly and _sources_at(monthly, place_id) > 1
    if rows.empty and not mixed:
        return compare(monthly, periods, place_id=place_id, categories=categories, coverage=coverage,
                       alpha=alpha, population=population, fdr=fdr, **options)
    raw = compare(monthly, periods, place_id=place_id, categories=categories, coverage=coverage,
                  alpha=alpha, population=population, fdr=False, **options)
    if rows.empty:
        out = raw
    else:
        whole = compare_whole_periods(rows, periods, place_id=place_id, categories=categories, alpha=alpha,
                                      population=population, population_table=options.get("population_table"),
                                      min_population=options.get("min_population", MIN_POPULATION))
        out = prefer_whole_periods(raw, whole)
        if monthly is None or monthly.empty or not (monthly["place_id"] == place_id).any():
            out = whole_only(out, rows)  # whole periods only at the place: say so where months were asked
    if mixed:
        out = mark_source_changes(out, monthly)
    if not fdr:
        return out
    def adjust(table):
        return adjust_table(table, alpha, verdicts=lambda t, sig: row_verdicts(t, sig, alpha))

    if categories is None:
        # the place's whole table is one family, whole-period rows included: Benjamini–Hochberg over it
        return adjust(out)
    # a few categories asked for: the family is still the place's categories (and any row of the
    # asked table they lack), so a category's adjusted p-value is the same on the Plats page, in the
    # pack and on the command line whichever categories are shown, as core.compare's family. The total
    # ("alla") is the asked table's: the total of the categories asked for, never the place's total
    # of every category, which shares its key (as core.compare, that total is not in the family)
    full = _compared(store, monthly, periods, place_id=place_id, coverage=coverage, alpha=alpha,
                     population=population, fdr=False, **options)
    full = full[full["category"].ne(ALL).to_numpy()]
    key = ["category", "period_a", "period_b"]
    lacking = ~out.set_index(key).index.isin(full.set_index(key).index)
    family = adjust(pd.concat([full, out[lacking]], ignore_index=True))
    picked = family.set_index(key).loc[out.set_index(key).index].reset_index()[list(family.columns)]
    picked.attrs = family.attrs
    return picked


def _sources_at(monthly: pd.DataFrame, place_id) -> int:
    """``monthly.loc[monthly["place_id"] == place_id, "source"].nunique()``, read from the columns'
    arrays (the frame's mask, ``.loc`` and ``nunique`` cost ≈ 0.5 ms a Plats change).

    Examples
    --------
    >>> _sources_at(pd.DataFrame({"place_id": ["a", "a", "a", "b"], "source": ["x", None, "y", "z"]}), "a")
    2
    """
    sources = monthly["source"].to_numpy()[monthly["place_id"].to_numpy() == place_id]
    return len(pd.unique(sources[pd.notna(sources)]))

def _bare(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` sharing its columns, without ``attrs``: pandas deep-copies a frame's ``attrs`` into
    every column it hands out (a comparison's ``fdr`` description, ≈ 20 µs a column read)."""
    out = frame.copy(deep=False)
    out.attrs = {}
    return out


def _rate_rows(comp: pd.DataFrame) -> tuple[dict, np.ndarray]:
    """Both periods of every pair of a comparison as arrays (side a's rows, then side b's), each
    column once: ``period, start, end, count, rate, category`` and ``phi`` (the dispersion where the
    test used it, 1 otherwise), and the position of the first row of each row's category × period."""
    comp = _bare(comp)
    phi = np.where(comp["method"].to_numpy() == METHOD_QUASI, comp["dispersion"].to_numpy(float), 1.0)
    cols = {key: np.concatenate([comp[f"{key}_{side}"].to_numpy() for side in "ab"])
            for key in ("period", "start", "end", "count", "rate")}
    cols["category"] = np.concatenate([comp["category"].to_numpy()] * 2)
    cols["phi"] = np.concatenate([phi, phi])
    first: dict = {}
    at = np.array([first.setdefault(k, i) for i, k in
                   enumerate(zip(cols["category"].tolist(), cols["period"].tolist(), strict=True))], np.int64)
    return cols, at


def comparison_rate_intervals(comp: pd.DataFrame, place_id, population, opts) -> pd.DataFrame:
    """The 95 % interval of each rate of a place's comparison (both periods of every pair, each
    category × period once; :func:`lagesbild.core.rates.period_rate_intervals`), widened by the
    place × category's dispersion where its test used it (``method`` quasi-Poisson)."""
    cols, at = _rate_rows(comp)
    once = np.flatnonzero(at == np.arange(len(at)))
    rows = pd.DataFrame({key: cols[key][once] for key in ("category", "period", "start", "end", "count", "rate",
                                                          "phi")})
    return period_rate_intervals(rows, opts.get("population_table"), place_id, constant=population,
                                 min_population=opts.get("min_population", MIN_POPULATION))


INTERVAL_COLUMNS = ("rate_a_low", "rate_a_high", "rate_b_low", "rate_b_high")


def with_rate_intervals(comp: pd.DataFrame, place_id, population, opts) -> pd.DataFrame:
    """``comp`` with each rate's interval beside it (:data:`INTERVAL_COLUMNS`, NaN where there is no
    rate); a table without rates or without the columns the intervals need is returned as it is."""
    need = {"method", "dispersion", "category"} | {f"{k}_{s}" for k in ("period", "start", "end", "count", "rate")
                                                    for s in "ab"}
    if comp.empty or not need <= set(comp.columns):
        return comp
    bare = _bare(comp)
    if not (pd.notna(bare["rate_a"].to_numpy()).any() or pd.notna(bare["rate_b"].to_numpy()).any()):
        return _with_columns(comp, {column: np.full(len(comp), np.nan) for column in INTERVAL_COLUMNS})
    # arrays, not frames: each category × period's interval once (its first row's), then spread to
    # every row of it (a frame per step and the attrs' deep copies cost ≈ 5 ms of a Plats change)
    cols, at = _rate_rows(comp)
    once = np.flatnonzero(at == np.arange(len(at)))
    _, _, low, high = rate_bounds(cols["start"][once], cols["end"][once], cols["count"][once], cols["rate"][once],
                                  cols["phi"][once], opts.get("population_table"), place_id, constant=population,
                                  min_population=opts.get("min_population", MIN_POPULATION))
    where = np.empty(len(at), np.int64)
    where[once] = np.arange(len(once))
    low, high = low[where[at]], high[where[at]]
    n = len(comp)
    return _with_columns(comp, {"rate_a_low": low[:n], "rate_a_high": high[:n], "rate_b_low": low[n:],
                                "rate_b_high": high[n:]})


def _with_columns(comp: pd.DataFrame, new: dict) -> pd.DataFrame:
    """``comp.copy()`` with the float columns ``new`` set (added at the end in order, or replacing
    columns of those names), built at once: a copy and four inserts cost ≈ 1 ms of a Plats change."""
    if any(column in comp.columns for column in new) or not comp.index.is_unique:
        out = comp.copy()
        for column, values in new.items():
            out[column] = values
        return out
    out = pd.concat([_bare(comp), pd.DataFrame(new, index=comp.index)], axis=1)
    out.attrs = copy.deepcopy(comp.attrs)
    return out


def interval_rows(comp: pd.DataFrame, place_id) -> pd.DataFrame:
    """A comparison's rates and their intervals as rows, each category × period once
    (``place_id, category, period, rate, rate_low, rate_high, phi``; ``phi`` the dispersion the
    interval was widened by, 1 for Garwood's exact one): read from :func:`with_rate_intervals`'s
    columns, not computed again, so Plats and Jämför platser show the same interval for a rate."""
    cols = ["place_id", "category", "period", "rate", "rate_low", "rate_high", "phi"]
    if comp is None or comp.empty or "rate_b_low" not in comp:
        return pd.DataFrame(columns=cols)
    comp = _bare(comp)
    phi = np.where(comp["method"].to_numpy() == METHOD_QUASI, comp["dispersion"].to_numpy(float), 1.0)
    phi = np.where(np.isfinite(phi) & (phi > 1), phi, 1.0)
    both = {"category": np.concatenate([comp["category"].to_numpy()] * 2),
            "period": np.concatenate([comp[f"period_{s}"].to_numpy() for s in "ab"])}
    for key in ("rate", "rate_low", "rate_high"):
        both[key] = np.concatenate([comp[key.replace("rate", f"rate_{s}", 1)].to_numpy(float) for s in "ab"])
    seen: set = set()  # each category × period's first row, as DataFrame.duplicated keeps it
    once = [i for i, k in enumerate(zip(both["category"].tolist(), both["period"].tolist(), strict=True))
            if not (k in seen or seen.add(k))]
    return pd.DataFrame({"place_id": place_id, **{k: v[once] for k, v in both.items()},
                         "phi": np.concatenate([phi, phi])[once]}, columns=cols)


#: a place with a source's whole years only (Brå), asked for other periods (Sep–Aug years): "data
#: saknas för 24 månader" did not say that the years are there, nor what to choose instead
VERDICT_YEARS_ONLY = "kan inte bedömas: platsen har bara siffror för hela kalenderår (senast {label}); välj kalenderår"
VERDICT_WHOLE_ONLY = "kan inte bedömas: platsen har bara siffror för hela perioder (senast {label}); välj sådana perioder"
MONTHS_MISSING = re.compile(r"\s*Data saknas för \d+ månader i [^;.]+; antalet avser månaderna med data\.")


def whole_only(table: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The comparison ``table`` with the pairs that lack every month of both periods, at a place whose
    source gives whole periods only (``rows``), saying so and what to choose instead.

    Examples
    --------
    >>> rows = pd.DataFrame({"period_start": pd.to_datetime(["2024-01-01", "2025-01-01"]),
    ...                      "period_end": pd.to_datetime(["2024-12-31", "2025-12-31"])})
    >>> t = pd.DataFrame({"verdict": ["kan inte bedömas: data saknas för 24 månader"],
    ...     "start_a": pd.to_datetime(["2023-09-01"]), "end_a": pd.to_datetime(["2024-08-31"]),
    ...     "start_b": pd.to_datetime(["2024-09-01"]), "end_b": pd.to_datetime(["2025-08-31"]),
    ...     "months_missing_a": [12], "months_missing_b": [12],
    ...     "note": ["Data saknas för 12 månader i 2023–2024; antalet avser månaderna med data."]})
    >>> whole_only(t, rows)[["verdict", "note"]].values.tolist()
    [['kan inte bedömas: platsen har bara siffror för hela kalenderår (senast 2025); välj kalenderår', '']]
    """
    if rows.empty or table.empty or "months_missing_a" not in table:
        return table
    def months(start, end):
        start, end = pd.to_datetime(start), pd.to_datetime(end)  # also a column of objects
        return (end.dt.year - start.dt.year) * 12 + end.dt.month - start.dt.month + 1

    none = (table["verdict"].astype(str).str.startswith("kan inte bedömas: data saknas")
            & (table["months_missing_a"] >= months(table["start_a"], table["end_a"]))
            & (table["months_missing_b"] >= months(table["start_b"], table["end_b"])))
    if not none.any():
        return table
    last = rows.sort_values("period_end").iloc[-1]
    start, end = pd.Timestamp(last["period_start"]), pd.Timestamp(last["period_end"])
    years = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year
    verdict = (VERDICT_YEARS_ONLY.format(label=start.year) if years else
               VERDICT_WHOLE_ONLY.format(label=f"{start:%Y-%m-%d}–{end:%Y-%m-%d}"))
    out = table.copy()
    out.loc[none, "verdict"] = verdict
    out.loc[none, "note"] = out.loc[none, "note"].fillna("").astype(str).str.replace(
        MONTHS_MISSING, "", regex=True).str.strip()
    return out


def with_whole_counts(store, counts: pd.DataFrame, place_id) -> pd.DataFrame:
    """Counts per period (:func:`~lagesbild.core.compare.counts_by_period`) with the periods that lack
    monthly data filled from the source's count for exactly that period, or the sum of its parts that
    tile it (four quarters), where it has one."""
    rows = place_rows(store, place_id)
    if rows.empty or counts.empty:
        return counts
    out = counts.copy()
    for i, r in out[out["months_missing"] > 0].iterrows():
        found = period_row(rows[rows["category"] == r["category"]], r["start"], r["end"])
        if len(found) and not pd.isna(found["count"].iloc[0]):
            out.loc[i, ["count", "months_missing"]] = [int(found["count"].iloc[0]), 0]
    return out


def whole_dispersions(store, place_id, counts: pd.DataFrame, filled: pd.DataFrame) -> dict:
    """``(category,)`` → the dispersion of the source's whole-period counts, for each category whose
    periods :func:`with_whole_counts` filled from them (``counts`` before, ``filled`` after): a trend
    over such years is judged against the spread of the source's own history, as the comparison of
    two of them is (:func:`lagesbild.core.wholeperiods.period_dispersion`; with fewer than six such
    periods the Poisson test, and the verdict says so)."""
    taken = filled[(counts["months_missing"] > 0) & (filled["months_missing"] == 0)]
    if taken.empty:
        return {}
    rows = place_rows(store, place_id)
    last = taken.sort_values("start").groupby("category").tail(1)
    return {(r["category"],): period_dispersion(rows[rows["category"] == r["category"]],
                                                Period(r["period"], r["start"], r["end"], r["kind"]))
            for r in last.to_dict("records")}
