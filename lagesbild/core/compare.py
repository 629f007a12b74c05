"""Comparisons of reported crime between periods and their verdicts (shares: :mod:`lagesbild.core.shares`).

Input is the store's ``monthly_counts`` frame (``place_id, category, month, count[, source]``) and,
optionally, its ``coverage`` frame (``source, place_id, month``; ``place_id`` None = every place).

Missing months and zero months are different things. A month is *covered* for a place when a coverage
row names the place (or every place) for that month, or when the place has a row for that month. A
covered month without rows means zero crimes; an uncovered month means no data, and a period with
uncovered months is not tested. Without a coverage frame, every month from the first to the last month
in ``monthly`` counts as covered. ``place_id=None`` sums every row (the city), and a month then counts
as covered when any source covers it; this assumes ``monthly`` holds places that do not overlap.

A file can end in the middle of a month (the extraction date, or the date of the last incident): that
month is incomplete, and ``data_end`` leaves it out, as if it were not covered (:func:`complete_until`),
so that the like-for-like cut compares whole months with whole months.

The test of each pair is the quasi-Poisson F test with the dispersion estimated from the place's own
monthly history of that category (:mod:`lagesbild.core.dispersion`), or the exact Poisson test when the
history is too short (the verdict says so). The p-values of one table are adjusted together with the
Benjamini–Hochberg procedure (:mod:`lagesbild.core.fdr`): ``p_value`` is the adjusted p-value that
decides the verdict, ``p_unadjusted`` the test's own.

Monthly data cannot be split: only the calendar months lying wholly inside a period are counted (a note
says so when a period has partial months), and the exposure of a period is the number of days in
those months. Periods are compared in chronological order, each with the next; see :func:`compare`.

Examples
--------
>>> from lagesbild.core.periods import parse_period
>>> monthly = pd.DataFrame({"place_id": "torg", "category": "skadegorelse",
...                         "month": pd.to_datetime(["2018-01-01", "2019-01-01"]), "count": [274, 142]})
>>> out = compare(monthly, [parse_period("2018-01"), parse_period("2019-01")])
>>> out[["count_a", "count_b", "change", "verdict"]].values.tolist()
[[274, 142, -132, 'minskning, statistiskt säkerställd (exakt Poissontest: för kort historik)']]
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lagesbild.core import periods as pr
from lagesbild.core.coverage import (
    complete_until,
    covered_by_category,
    covered_months,
    data_until,
    partial_note,
    place_rows,
)
from lagesbild.core.dispersion import history_dispersion, quasi_rate_test
from lagesbild.core.likeforlike import like_for_like as cut_like_for_like
from lagesbild.core.place_family import ALL, EXACT_SUFFIX, adjust_place_family, row_verdict
from lagesbild.core.poisson import poisson_rate_test
from lagesbild.core.poisson import verdict as poisson_verdict
from lagesbild.core.population import MIN_POPULATION, period_population
from lagesbild.core.series import series_arrays

TOTAL_CATEGORY = "totalt"  # a source's own total of every crime: shown, never added into ``alla``
LENGTH_NOTE_THRESHOLD = 0.02  # relative difference in days above which unequal lengths get a note
NOTES = {
    "pct": "Procentuell förändring kan inte beräknas när föregående period har 0.",
    "lengths": "Perioderna är olika långa ({a} och {b} dagar); testet tar hänsyn till längden.",
    "partial": "{label} täcker inte hela kalendermånader; bara hela månader räknas.",
    "missing": "Data saknas för {n} i {label}; antalet avser månaderna med data.",
}
VERDICT_MISSING = "kan inte bedömas: data saknas för {n}"
VERDICT_NO_MONTHS = "kan inte bedömas: perioden omfattar ingen hel kalendermånad"
COUNT_COLUMNS = ["place_id", "category", "period", "kind", "start", "end", "count", "days", "n_months",
                 "months_missing", "partial_months"]
COMPARE_COLUMNS = ["place_id", "category", "period_a", "period_b", "start_a", "end_a", "start_b", "end_b",
                   "count_a", "count_b", "change", "pct_change", "rate_a", "rate_b", "p_value",
                   "significant", "verdict", "like_for_like", "note", "months_missing_a",
                   "months_missing_b", "days_a", "days_b", "p_unadjusted", "method", "dispersion"]


__all__ = ["ALL", "EXACT_SUFFIX", "complete_until", "compare", "counts_by_period", "covered_months",
           "data_until",
           "monthly_series", "row_verdict"]


def months_word(n: int) -> str:
    return f"{n} månad" if n == 1 else f"{n} månader"


def _categories(monthly, categories) -> tuple[list, list]:
    """Return (the categories summed, the category rows shown: those plus ``alla`` for a total)."""
    every = sorted(monthly["category"].dropna().unique().tolist())
    if categories is None:
        asked = every
    elif isinstance(categories, str):
        asked = [categories]
    else:
        asked = list(dict.fromkeys(categories))
    if asked == [ALL]:
        return every, [ALL]
    summed = [c for c in asked if c != ALL]
    total = len(summed) > 1 or ALL in asked or not summed
    return summed, summed + ([ALL] if total else [])


def _by_month(df: pd.DataFrame, cats: list) -> pd.DataFrame:
    """Counts with one row per month and one column per category (zeros filled in)."""
    df = df[df["category"].isin(cats)]
    if df.empty:
        return pd.DataFrame(0, index=pd.DatetimeIndex([]), columns=cats, dtype="int64")
    wide = df.groupby(["month", "category"])["count"].sum().unstack("category")
    return wide.reindex(columns=cats).fillna(0).astype("int64")


def counts_by_period(monthly: pd.DataFrame, periods, *, place_id=None, categories=None,
                     coverage: pd.DataFrame | None = None, data_end=None) -> pd.DataFrame:
    """Counts per category (and their total ``alla`` when there are several) in each period.

    Parameters
    ----------
    monthly : DataFrame
        ``place_id, category, month, count``.
    periods : sequence of Period or str
        Kept in the order given.
    place_id : str or None
        The place; None sums every row (the city).
    categories : str, sequence of str or None
        None = every category in ``monthly``; ``alla`` asks for the total row.
    coverage : DataFrame or None
        The store's coverage frame (see the module docstring).
    data_end : date-like or None
        Last day of complete data (:func:`complete_until`); later months count as not covered.

    Returns
    -------
    DataFrame
        ``place_id, category, period, kind, start, end, count, days, n_months, months_missing,
        partial_months``: ``days`` and ``n_months`` count the whole calendar months inside the period,
        ``months_missing`` those of them without data.

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": "a", "category": ["rån", "stöld", "rån"],
    ...     "month": pd.to_datetime(["2021-01-01", "2021-02-01", "2021-05-01"]), "count": [1, 2, 4]})
    >>> t = counts_by_period(monthly, ["T1 2021", "T2 2021"], place_id="a")
    >>> t[["category", "period", "count", "months_missing"]].values.tolist()
    [['rån', 'T1 2021', 1, 0], ['stöld', 'T1 2021', 2, 0], ['alla', 'T1 2021', 3, 0], \
['rån', 'T2 2021', 4, 3], ['stöld', 'T2 2021', 0, 3], ['alla', 'T2 2021', 4, 3]]
    """
    periods = [pr.parse_period(p) for p in periods]
    cats, shown = _categories(monthly, categories)
    sums = _by_month(place_rows(monthly, place_id), cats)
    covered = _covered_by_category(monthly, coverage, place_id, cats, data_end)
    rows = []
    for p in periods:
        months = p.whole_months
        per_cat = sums[sums.index.isin(months)].sum(axis=0).reindex(cats, fill_value=0)
        meta = {"place_id": place_id, "period": p.label, "kind": p.kind, "start": pd.Timestamp(p.start),
                "end": pd.Timestamp(p.end), "days": int(np.sum(months.days_in_month)),
                "n_months": len(months), "partial_months": len(months) != len(p.months)}
        summed = [c for c in cats if c != TOTAL_CATEGORY] or cats
        rows += [{**meta, "category": c, "months_missing": int((~months.isin(covered[c])).sum()),
                  "count": int(per_cat[summed].sum() if c == ALL else per_cat[c])} for c in shown]
    return pd.DataFrame(rows, columns=COUNT_COLUMNS)


def _covered_by_category(monthly, coverage, place_id, cats, until=None) -> dict:
    """Covered months per category, and for the total ``alla`` those covered for every category."""
    if coverage is None or "category" not in coverage or coverage["category"].isna().all():
        months = covered_months(monthly, coverage, place_id, until)
        return dict.fromkeys([*cats, ALL], months)
    out = covered_by_category(monthly, coverage, place_id, cats, until)
    common = None
    for c in cats:
        common = out[c] if common is None else common.intersection(out[c])
    out[ALL] = common if common is not None else pd.DatetimeIndex([])
    return out


def _population(population) -> float | None:
    if population is None or pd.isna(population):
        return None
    if float(population) <= 0:
        raise ValueError(f"Befolkningen måste vara ett positivt tal, inte {population!r}.")
    return float(population)


def _pair_notes(ra, rb) -> list[str]:
    notes = []
    for r in (ra, rb):
        if r["partial_months"]:
            notes.append(NOTES["partial"].format(label=r["period"]))
        if r["months_missing"]:
            notes.append(NOTES["missing"].format(n=months_word(r["months_missing"]), label=r["period"]))
    return notes


def _test_pair(ca, cb, ra, rb, alpha, disp) -> tuple[float, bool, str, list[str]]:
    if ra["days"] == 0 or rb["days"] == 0:
        return math.nan, False, VERDICT_NO_MONTHS, []
    missing = int(ra["months_missing"] + rb["months_missing"])
    if missing:
        return math.nan, False, VERDICT_MISSING.format(n=months_word(missing)), []
    ea, eb = int(ra["days"]), int(rb["days"])
    p = quasi_rate_test(ca, cb, ea, eb, disp) if disp.quasi else poisson_rate_test(ca, cb, ea, eb)
    notes = [disp.note] if disp.note else []
    if abs(ea - eb) > LENGTH_NOTE_THRESHOLD * max(ea, eb):
        notes.append(NOTES["lengths"].format(a=ea, b=eb))
    return p, bool(p < alpha), poisson_verdict(ca, cb, p, alpha, exposure_a=ea, exposure_b=eb), notes


def _rate(r, count, population, min_population) -> tuple[float, str]:
    """Annualised rate per 1 000 inhabitants of a period row (NaN when months are missing), as
    :func:`~lagesbild.core.population.period_rate`; the population of a period is looked up once
    per table (``population[2]``: every category of a period shares it)."""
    if r["months_missing"] or r["n_months"] == 0:
        return math.nan, ""
    table, constant, known = population
    key = (r["place_id"], r["start"], r["end"])
    if key not in known:
        whole = pd.date_range(r["start"], r["end"], freq="MS")
        whole = whole[whole + pd.offsets.MonthEnd(0) <= r["end"]]
        known[key] = (len(whole), *period_population(whole, table, r["place_id"], constant=constant,
                                                     min_population=min_population))
    n_months, pop, note = known[key]
    if pop is None:
        return math.nan, note
    return 1000.0 * float(count) * 12.0 / n_months / pop, note  # period_rate's formula


def _pair_row(ra, rb, *, alpha, population, lfl_note, disp, min_population) -> dict:
    ca, cb = int(ra["count"]), int(rb["count"])
    p, significant, text, test_notes = _test_pair(ca, cb, ra, rb, alpha, disp)
    rate_a, note_a = _rate(ra, ca, population, min_population)
    rate_b, note_b = _rate(rb, cb, population, min_population)
    rate_notes = list(dict.fromkeys(n for n in (note_a, note_b) if n))
    notes = ([lfl_note] if lfl_note else []) + _pair_notes(ra, rb) + test_notes + rate_notes
    if ca == 0 and not ra["months_missing"]:
        notes.append(NOTES["pct"])
    missing = bool(ra["months_missing"] or rb["months_missing"] or ra["days"] == 0 or rb["days"] == 0)
    return {"place_id": ra["place_id"], "category": ra["category"], "period_a": ra["period"],
            "period_b": rb["period"], "start_a": ra["start"], "end_a": ra["end"], "start_b": rb["start"],
            "end_b": rb["end"], "count_a": None if ra["months_missing"] == ra["n_months"] else ca,
            "count_b": None if rb["months_missing"] == rb["n_months"] else cb,
            "change": None if missing else cb - ca,
            "pct_change": 100.0 * (cb - ca) / ca if ca and not missing else math.nan,
            "rate_a": rate_a, "rate_b": rate_b, "p_value": p,
            "significant": significant, "verdict": text, "like_for_like": lfl_note is not None,
            "note": " ".join(notes), "months_missing_a": int(ra["months_missing"]),
            "months_missing_b": int(rb["months_missing"]), "days_a": int(ra["days"]),
            "days_b": int(rb["days"]), "p_unadjusted": p,
            "method": None if math.isnan(p) else disp.method,
            "dispersion": disp.phi_raw if disp.quasi else math.nan}


def prepare_periods(monthly, periods, coverage, place_id, like_for_like, minimum=2, data_end=None,
                    categories=None):
    periods = sorted((pr.parse_period(p) for p in periods), key=lambda p: (p.start, p.end))
    if len(periods) < minimum:
        raise ValueError("Ange minst två perioder att jämföra." if minimum == 2 else "Ange en period.")
    until = _common_until(monthly, coverage, place_id, categories, data_end) if like_for_like else None
    latest = max(periods, key=lambda p: (p.end, p.start))
    if until is None or until < latest.start:
        return periods, None
    return cut_like_for_like(periods, until)


def _common_until(monthly, coverage, place_id, categories, until=None):
    """The last day every asked category has data for (categories without any data left out)."""
    if coverage is None or "category" not in coverage or coverage["category"].isna().all():
        return data_until(monthly, coverage, place_id, until)
    cats, _ = _categories(monthly, categories)
    by_category = covered_by_category(monthly, coverage, place_id, cats, until)
    days = [(m.max() + pd.offsets.MonthEnd(0)).date() for m in by_category.values() if len(m)]
    return min(days) if days else data_until(monthly, coverage, place_id, until)


def compare(monthly: pd.DataFrame, periods, *, place_id=None, categories=None, category=None,
            coverage: pd.DataFrame | None = None, alpha: float = 0.05, population=None,
            like_for_like: bool = True, population_table: pd.DataFrame | None = None,
            min_population: float = MIN_POPULATION, data_end=None, fdr: bool = True) -> pd.DataFrame:
    """Compare counts between consecutive periods, with the exact Poisson test and a Swedish verdict.

    Parameters
    ----------
    monthly : DataFrame
        The store's ``monthly_counts`` frame.
    periods : sequence of Period or str
        At least two; sorted chronologically, then each is compared with the next.
    place_id : str or None
        The place (or district); None sums every row (the city).
    categories, category : str, sequence of str or None
        The categories (``category`` is an alias); None = every category in ``monthly``. With several
        categories a total row ``alla`` is added.
    coverage : DataFrame or None
        The store's ``coverage`` frame; tells months without data from months with zero crimes.
    alpha : float
        Significance level of the verdict (default 5 %).
    population : number or None
        Inhabitants of the place, the same every year (used when ``population_table`` is None).
    population_table : DataFrame or None
        ``place_id, year, population``: each year's population (interpolated between known years, see
        :mod:`lagesbild.core.population`). ``rate_a``/``rate_b`` are crimes per 1 000 inhabitants and
        year (annualised), NaN without a population or below ``min_population`` inhabitants.
    min_population : number
        No rates for places with fewer inhabitants (default 1 000).
    data_end : date-like or None
        Last day of complete data (:func:`complete_until` of the extraction date); a month after it
        is left out.
    fdr : bool
        Adjust the table's p-values as one family (Benjamini–Hochberg); ``attrs['fdr']`` describes it.
    like_for_like : bool
        When the latest period ends after the data does, cut every period to the same months (see
        :func:`lagesbild.core.likeforlike.like_for_like`); the note says so.

    Returns
    -------
    DataFrame
        One row per category × consecutive pair, columns ``COMPARE_COLUMNS``. ``change`` is
        ``count_b - count_a``; ``pct_change`` is in percent (NaN, with a note, when ``count_a`` is 0).
        ``p_unadjusted`` is the quasi-Poisson F test (:mod:`lagesbild.core.dispersion`) or, with too
        short a history, :func:`~lagesbild.core.poisson.poisson_rate_test`, with the periods' days as
        exposures (``method`` names the test); ``p_value`` the Benjamini–Hochberg adjusted p-value
        that decides ``significant`` and ``verdict``. A pair with months without data is not tested
        (``p_value`` NaN, ``significant`` False, verdict "kan inte bedömas: data saknas för N
        månader", ``change`` NaN; a count is NaN when its period has no data at all).

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": "torg", "category": "narkotika",
    ...     "month": pd.to_datetime(["2020-09-01", "2021-09-01", "2022-03-01"]), "count": [32, 60, 1]})
    >>> out = compare(monthly, ["2020–2021", "2021–2022"], place_id="torg", population=2000)
    >>> out[["end_b", "count_a", "count_b", "verdict"]].values.tolist()
    [[Timestamp('2022-03-31 00:00:00'), 32, 61, 'ökning, statistiskt säkerställd (exakt Poissontest: \
för kort historik)']]
    >>> round(float(out.loc[0, "rate_b"]), 1)  # 61 crimes in 7 months, per 1 000 of 2 000 and year
    52.3
    >>> out.loc[0, "note"].startswith("Jämförelsen avser sep–mar i varje period eftersom data bara "
    ...                               "finns t.o.m. 31 mars 2022.")
    True
    """
    if category is not None and categories is not None:
        raise ValueError("Ange antingen category eller categories, inte båda.")
    if not 0 < alpha < 1:
        raise ValueError(f"Signifikansnivån måste ligga mellan 0 och 1, inte {alpha!r}.")
    cats = categories if categories is not None else category
    periods, lfl_note = prepare_periods(monthly, periods, coverage, place_id, like_for_like,
                                        data_end=data_end, categories=cats)
    table = counts_by_period(monthly, periods, place_id=place_id, categories=cats, coverage=coverage,
                             data_end=data_end)
    pop = (population_table, _population(population), {})
    own = place_rows(monthly, place_id)
    history = covered_months(monthly, coverage, place_id, data_end)
    summed, _ = _categories(monthly, cats)
    partial = partial_note(monthly, coverage, place_id, data_end)
    rows = []
    for cat, sub in table.groupby("category", sort=False):
        disp = history_dispersion(own, history, summed if cat == ALL else cat)
        recs = sub.to_dict("records")
        rows += [_pair_row(a, b, alpha=alpha, population=pop, lfl_note=lfl_note, disp=disp,
                           min_population=min_population)
                 for a, b in zip(recs, recs[1:], strict=False)]
    out = pd.DataFrame(rows, columns=COMPARE_COLUMNS)
    for col in ("count_a", "count_b", "change"):  # NaN (not 0) where a period has no data
        out[col] = pd.to_numeric(out[col])
    if partial:
        out["note"] = [f"{partial} {n}".strip() for n in out["note"]]
    if not fdr:
        return out
    others = [c for c in sorted(own["category"].unique()) if c not in set(out["category"])]
    extra = []
    if others:  # the family is every category of the place, whichever are shown
        rest = counts_by_period(monthly, periods, place_id=place_id, categories=others,
                                coverage=coverage, data_end=data_end)
        for cat, sub in rest[rest["category"] != ALL].groupby("category", sort=False):
            disp = history_dispersion(own, history, cat)
            recs = sub.to_dict("records")
            extra += [_test_pair(int(a["count"]), int(b["count"]), a, b, alpha, disp)[0]
                      for a, b in zip(recs, recs[1:], strict=False)]
    return adjust_place_family(out, extra, alpha)


def monthly_series(monthly: pd.DataFrame, place_id=None, category=None, *,
                   coverage: pd.DataFrame | None = None, start=None, end=None) -> pd.DataFrame:
    """A complete monthly series with missing months told apart from zeros, and a rolling 12-month sum.

    Parameters
    ----------
    place_id : str or None
        None sums every place (the city).
    category : str, sequence of str or None
        None sums every category.
    start, end : date-like or None
        First and last month shown; default the first and last covered month.

    Returns
    -------
    DataFrame
        ``month`` (every month in the range), ``count`` (Int64, ``<NA>`` when not covered),
        ``covered`` (bool), ``rolling_12`` (Int64: sum of the 12 months ending with this one, ``<NA>``
        unless all 12 are covered).

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": "a", "category": "rån",
    ...                         "month": pd.date_range("2020-01-01", periods=13, freq="MS"), "count": 1})
    >>> cov = pd.DataFrame({"source": "s", "place_id": None,
    ...                     "month": pd.date_range("2020-01-01", periods=14, freq="MS")})
    >>> s = monthly_series(monthly, "a", coverage=cov)
    >>> s["count"].tolist()[-2:], s["rolling_12"].tolist()[-3:]
    ([1, 0], [12, 12, 11])
    >>> monthly_series(monthly, "a", start="2019-12-01")[["count", "covered"]].values.tolist()[0]
    [<NA>, False]
    """
    index, covered, (counts,), (rolling,) = series_arrays(monthly, place_id, [category], coverage=coverage,
                                                         start=start, end=end)
    return pd.DataFrame({"month": index, "count": pd.array(counts, dtype="Int64"), "covered": covered,
                         "rolling_12": pd.array(rolling, dtype="Int64")})
