"""Comparing counts a source gives for whole periods (years, quarters), like for like.

Brå publishes most kommun and stadsdel figures per year (and quarter). Such a count cannot be split into
months, so it is compared only with a count of the same kind of period: a year with a year, a quarter
with a quarter — never a whole year with a partial sum. A requested period is compared only when the
source has a row whose first and last days are exactly the period's (``period_start``/``period_end``).

Input is the store's ``period_counts`` frame for one place (``place_id, category, period_start,
period_end, count, preliminary``). Output has the columns of :func:`lagesbild.core.compare.compare`.

**The test.** Reported crime varies more from year to year than a Poisson count (a year that is
higher throughout): with a level that varies 10 % between years and no change, the exact Poisson test
called 56 % of comparisons of 1 000 crimes a year "säkerställd". The dispersion of each place ×
category is therefore estimated from the source's own counts for periods of the same length (every year
it has, or every quarter): quasi-Poisson with a log-linear trend over the periods, ``φ̂ = Pearson χ² /
(n − 2)`` (``statsmodels GLM(y, [1, t], Poisson).fit(scale='X2').scale``), and the pair is tested with
the quasi-likelihood F test of :func:`lagesbild.core.dispersion.quasi_rate_p` (``φ = max(1, φ̂)``,
Satterthwaite degrees of freedom), as the monthly comparisons are. With fewer than
:data:`MIN_WHOLE_PERIODS` such periods the exact Poisson test is used and the verdict says so.

The test is cautious: with ``φ`` floored at 1 and ``ν`` about ``k − 2``, the last two of ``k`` trendless
years were "säkerställd" in 0–0.9 % of simulated series at 5 % (Poisson and negative-binomial years,
k = 6–10, 5–500 crimes a year), and a 25 % rise in 0–21 %. Testing against chi-square(1) where
``φ̂ ≤ 1`` (φ = 1 taken as known) kept the false-positive rate at 0.1–1.4 % but raised the power by
at most 1.5 points, so the F reference is kept (``tests/test_recheck_stats8_whole_years.py``). Most of
the caution comes from the compared years being in the estimate (a real change inflates ``φ̂``) and
from the few degrees of freedom.

Examples
--------
>>> rows = pd.DataFrame({"place_id": "boden", "category": "personran",
...     "period_start": pd.to_datetime(["2024-01-01", "2025-01-01"]),
...     "period_end": pd.to_datetime(["2024-12-31", "2025-12-31"]), "count": [20, 45],
...     "preliminary": [False, True]})
>>> out = compare_whole_periods(rows, ["2024", "2025"], place_id="boden")
>>> out[["count_a", "count_b", "verdict"]].values.tolist()
[[20, 45, 'ökning, statistiskt säkerställd (exakt Poissontest: för kort historik)']]
>>> print(out.loc[0, "note"][:72])
Jämförelsen bygger på källans siffror för hela perioder (2024 och 2025).
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pandas as pd

from lagesbild.core import periods as pr
from lagesbild.core.compare import ALL, COMPARE_COLUMNS, EXACT_SUFFIX, NOTES
from lagesbild.core.dispersion import METHOD_EXACT, POISSON, Dispersion, _irls, _set_quasi, quasi_rate_p
from lagesbild.core.pair_table import different_seasons
from lagesbild.core.poisson import EQUAL_LENGTH, pair_exposures, poisson_rate_test
from lagesbild.core.poisson import verdict as poisson_verdict
from lagesbild.core.population import MIN_POPULATION, merge_notes, period_populations

NOTE_WHOLE = "Jämförelsen bygger på källans siffror för hela perioder ({a} och {b})."
NOTE_SHORT_WHOLE = ("Källan har för få perioder av samma längd ({n} av minst {min}) för att skatta hur mycket "
                    "antalet varierar från period till period; exakt Poissontest, som kan ge för många "
                    "säkerställda förändringar.")
MIN_WHOLE_PERIODS = 6  # a trend and a dispersion from fewer periods leave too few degrees of freedom
NOTE_SUM = "Siffran för {label} är summan av källans {n} delperioder, som tillsammans täcker hela perioden."
NOTE_PRELIMINARY = "Siffrorna för {label} är preliminära."
VERDICT_NOT_GIVEN = "kan inte bedömas: uppgift saknas i källan för {label}"
VERDICT_OVERLAP = "kan inte bedömas: perioderna överlappar"
#: a pair of which the source has one period only (2025 in Brå's table, 2026 not yet): "data saknas för
#: 12 månader i 2025" was said of the year the table holds
VERDICT_ABSENT = "kan inte bedömas: källan har ingen siffra för {label}"
ABSENT = {"count": pd.NA, "preliminary": False}  # the row of a period the source does not have
UNCOMPARABLE = ("kan inte bedömas: data saknas", "kan inte bedömas: perioden omfattar ingen hel")


def _exact(rows: pd.DataFrame, period: pr.Period) -> pd.DataFrame:
    return period_row(rows, period.start, period.end)


def period_row(rows: pd.DataFrame, start, end) -> pd.DataFrame:
    """The source's row (of one place and category) for exactly ``start``–``end``, else one row summing
    shorter rows that tile it (four quarters make a year: a whole sum, never a partial one, ``<NA>``
    when a part is), else no row."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    exact = rows[(rows["period_start"] == start) & (rows["period_end"] == end)]
    if len(exact):
        return exact
    parts = tiling(rows, start, end)
    if parts.empty:
        return parts
    count = pd.NA if parts["count"].isna().any() else int(parts["count"].sum())
    return pd.DataFrame([{**parts.iloc[0].to_dict(), "period_start": start, "period_end": end,
                          "count": count, "preliminary": bool(parts["preliminary"].any()),
                          "parts": len(parts)}])


def tiling(rows: pd.DataFrame, start, end) -> pd.DataFrame:
    """Rows (of one place and category) that cover ``start``–``end`` day after day with no gap and no
    overlap, the longest row at each step; no rows when they do not.

    Examples
    --------
    >>> q = pd.DataFrame({"period_start": pd.to_datetime(["2023-01-01", "2023-04-01", "2023-07-01",
    ...     "2023-10-01"]), "period_end": pd.to_datetime(["2023-03-31", "2023-06-30", "2023-09-30",
    ...     "2023-12-31"]), "count": [1, 2, 3, 4]})
    >>> tiling(q, "2023-01-01", "2023-12-31")["count"].tolist(), len(tiling(q[1:], "2023-01-01", "2023-12-31"))
    ([1, 2, 3, 4], 0)
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    inside = rows[(rows["period_start"] >= start) & (rows["period_end"] <= end)]
    longest = inside.sort_values(["period_start", "period_end"], ascending=[True, False]).drop_duplicates(
        "period_start")
    at = dict(zip(longest["period_start"], longest.index, strict=True))
    chosen, cursor = [], start
    while cursor <= end and cursor in at:
        chosen.append(at[cursor])
        cursor = rows.at[at[cursor], "period_end"] + pd.Timedelta(days=1)
    return rows.loc[chosen] if chosen and cursor == end + pd.Timedelta(days=1) else rows.iloc[:0]


def tiled_years(rows: pd.DataFrame) -> set[int]:
    """Calendar years that some place × category's rows shorter than a year cover day after day, Jan 1
    to Dec 31, with no gap and no overlap (vectorised; rows of several places and categories).

    Examples
    --------
    >>> q = pd.DataFrame({"place_id": "p", "category": "c", "period_start": pd.to_datetime(["2023-01-01",
    ...     "2023-04-01", "2023-07-01", "2023-10-01", "2024-01-01"]), "period_end": pd.to_datetime([
    ...     "2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31", "2024-03-31"])})
    >>> tiled_years(q), tiled_years(q.drop(index=1))
    ({2023}, set())
    """
    start, end = rows["period_start"], rows["period_end"]
    part = rows[(start.dt.year == end.dt.year) & ~((start.dt.dayofyear == 1) & (end.dt.is_year_end))]
    if part.empty:
        return set()
    part = part.drop_duplicates(["place_id", "category", "period_start", "period_end"]).assign(
        year=part["period_start"].dt.year).sort_values(["place_id", "category", "year", "period_start"])
    key = ["place_id", "category", "year"]
    after = part.groupby(key)["period_end"].shift() + pd.Timedelta(days=1)
    first = after.isna()
    joins = (first & (part["period_start"].dt.dayofyear == 1)) | (part["period_start"] == after)
    done = part.assign(joins=joins).groupby(key).agg(joins=("joins", "all"), last=("period_end", "max"))
    whole = done[done["joins"] & done["last"].dt.is_year_end]
    return {int(y) for y in whole.index.get_level_values("year")}


def _n_months(start, end) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def whole_dispersion(rows: pd.DataFrame, period: pr.Period, *, months: int | None = None) -> Dispersion:
    """The dispersion of one place × category's counts for whole periods as long as ``period``.

    Parameters
    ----------
    rows : DataFrame
        ``period_start, period_end, count`` of one place and category.
    period : Period
        The kind of period compared: rows spanning as many calendar months are the history.
    months : int, optional
        The history's period length in months instead (a year summed from quarters: the quarters,
        whose dispersion is the sum's too when they vary alike).

    Returns
    -------
    Dispersion
        Quasi-Poisson (log-linear trend over the periods' start in years) with at least
        :data:`MIN_WHOLE_PERIODS` periods with a count; else the exact Poisson test's, with a note.

    Examples
    --------
    >>> rows = pd.DataFrame({"period_start": pd.to_datetime([f"{y}-01-01" for y in range(2015, 2023)]),
    ...     "period_end": pd.to_datetime([f"{y}-12-31" for y in range(2015, 2023)]),
    ...     "count": [900, 1100, 950, 1200, 1000, 1150, 980, 1250]})
    >>> d = whole_dispersion(rows, pr.parse_period("2021"))
    >>> d.method, round(d.phi, 1)
    ('kvasi-Poisson', 12.9)
    >>> whole_dispersion(rows.iloc[:4], pr.parse_period("2021")).method
    'exakt Poisson'
    """
    span = months or _n_months(period.start, period.end)
    starts, ends = pd.to_datetime(rows["period_start"]), pd.to_datetime(rows["period_end"])
    same = np.array([_n_months(a, b) == span for a, b in zip(starts, ends, strict=True)], bool)
    mine = rows[same & rows["count"].notna().to_numpy()]
    mine = mine.assign(period_start=pd.to_datetime(mine["period_start"])).drop_duplicates(
        "period_start", keep="last").sort_values("period_start")
    n = len(mine)
    if n < MIN_WHOLE_PERIODS:
        return Dispersion(1.0, math.nan, 0, n, METHOD_EXACT,
                          NOTE_SHORT_WHOLE.format(n=n, min=MIN_WHOLE_PERIODS))
    y = mine["count"].to_numpy(dtype=float)[None, :]
    if not y.any():
        return POISSON
    t = (mine["period_start"] - mine["period_start"].iloc[0]).dt.days.to_numpy() / 365.25
    X = np.column_stack([np.ones(n), t])
    out = [POISSON]
    if np.count_nonzero(y) >= 3:
        mu = _irls(y, X)
        _set_quasi(out, [0], y, mu, n - 2, n, "")
    else:  # crime in one or two periods only: the spread around the mean, as the monthly histories
        _set_quasi(out, [0], y, np.broadcast_to(y.mean(axis=1, keepdims=True), y.shape), n - 1, n, "")
    return out[0]


def compare_whole_periods(rows: pd.DataFrame, periods, *, place_id=None, categories=None,
                          alpha: float = 0.05, population=None, population_table=None,
                          min_population: float = MIN_POPULATION) -> pd.DataFrame:
    """Compare consecutive periods with the source's own whole-period counts (exact spans only).

    Parameters
    ----------
    rows : DataFrame
        ``category, period_start, period_end, count, preliminary`` of one place.
    periods : sequence of Period or str
        Sorted chronologically; each is compared with the next.
    categories : str or sequence, optional
        Default: every category with an exact row in every period.
    population, population_table, min_population
        As in :func:`lagesbild.core.compare.compare`: ``rate_a``/``rate_b`` are crimes per 1 000
        inhabitants and year (a quarter's count times four), with each period's population.

    Returns
    -------
    DataFrame
        One row per category × consecutive pair (``COMPARE_COLUMNS``); a pair of which the source has
        one period only says which it lacks (:data:`VERDICT_ABSENT`); categories without a row for any
        period are left out (the caller says "data saknas").

    Examples
    --------
    >>> rows = pd.DataFrame({"place_id": "b", "category": "rån",
    ...     "period_start": pd.to_datetime(["2024-01-01", "2025-01-01"]),
    ...     "period_end": pd.to_datetime(["2024-03-31", "2025-03-31"]), "count": [50, 60],
    ...     "preliminary": False})
    >>> out = compare_whole_periods(rows, ["2024-01-01–2024-03-31", "2025-01-01–2025-03-31"],
    ...                             place_id="b", population=10_000)
    >>> out[["rate_a", "rate_b"]].values.tolist()  # per 1 000 inhabitants and year
    [[20.0, 24.0]]
    """
    periods = sorted((pr.parse_period(p) for p in periods), key=lambda p: (p.start, p.end))
    if isinstance(categories, str):
        categories = [categories]
    cats = sorted(rows["category"].unique()) if categories is None else list(categories)
    pops = dict(zip(periods, period_populations([p.whole_months for p in periods], population_table, place_id,
                                                constant=population, min_population=min_population),
                    strict=True))
    out = []
    for cat in cats:
        mine = rows[rows["category"] == cat]
        found = [_exact(mine, p) for p in periods]
        if all(f.empty for f in found):
            continue
        for (pa, fa), (pb, fb) in pairwise(zip(periods, found, strict=True)):
            if fa.empty or fb.empty:  # the source has one of the two periods: say which it lacks
                row = _pair(cat, place_id, pa, fa.iloc[0] if len(fa) else ABSENT, pb,
                            fb.iloc[0] if len(fb) else ABSENT, alpha, (pops[pa], pops[pb]))
                row["verdict"] = VERDICT_ABSENT.format(label=" och ".join(
                    p.label for p, f in ((pa, fa), (pb, fb)) if f.empty))
                out.append(row)
                continue
            disp = _dispersion(mine, pb, fb.iloc[0])
            row = _pair(cat, place_id, pa, fa.iloc[0], pb, fb.iloc[0], alpha, (pops[pa], pops[pb]), disp)
            if pb.start <= pa.end:  # the same crimes in both counts: not two samples to compare
                row.update(change=None, pct_change=math.nan, p_value=math.nan, p_unadjusted=math.nan,
                           method=None, significant=False, verdict=VERDICT_OVERLAP)
            out.append(row)
    return pd.DataFrame(out, columns=COMPARE_COLUMNS)


def period_dispersion(rows: pd.DataFrame, period: pr.Period) -> Dispersion:
    """The dispersion the comparison of the source's count for ``period`` uses (the same for a
    trend over such periods): that of the whole periods as long, or of the parts that tile it.

    Examples
    --------
    >>> rows = pd.DataFrame({"period_start": pd.to_datetime([f"{y}-01-01" for y in range(2015, 2023)]),
    ...     "period_end": pd.to_datetime([f"{y}-12-31" for y in range(2015, 2023)]),
    ...     "count": [900, 1100, 950, 1200, 1000, 1150, 980, 1250]})
    >>> round(period_dispersion(rows, pr.parse_period("2022")).phi, 1)
    12.9
    """
    found = period_row(rows, period.start, period.end)
    return _dispersion(rows, period, found.iloc[0] if len(found) else {})


def _dispersion(rows: pd.DataFrame, period: pr.Period, row) -> Dispersion:
    """The dispersion of the period's kind of count; for a period summed from parts (a year of four
    quarters) with too few whole periods, that of the parts' history."""
    disp = whole_dispersion(rows, period)
    if disp.quasi or pd.isna(row.get("parts", math.nan)):
        return disp
    part = tiling(rows, period.start, period.end).iloc[0]
    by_parts = whole_dispersion(rows, period, months=_n_months(part["period_start"], part["period_end"]))
    return by_parts if by_parts.quasi else disp


def _rate(count, period: pr.Period, pop) -> float:
    """Crimes per 1 000 inhabitants and year (annualised by the period's whole months)."""
    n = len(period.whole_months)
    return 1000.0 * count * 12 / n / pop if pop and n else math.nan


def _pair(cat, place_id, pa, ra, pb, rb, alpha, pops=((None, ""), (None, "")),
          disp: Dispersion = POISSON) -> dict:
    days_a, days_b = pa.n_days, pb.n_days
    (pop_a, note_a), (pop_b, note_b) = pops
    notes = [NOTE_WHOLE.format(a=pa.label, b=pb.label)]
    notes += [NOTE_SUM.format(label=p.label, n=int(r["parts"])) for p, r in ((pa, ra), (pb, rb))
              if not pd.isna(r.get("parts", math.nan))]
    notes += [NOTE_PRELIMINARY.format(label=p.label) for p, r in ((pa, ra), (pb, rb)) if r["preliminary"]]
    base = {"place_id": place_id, "category": cat, "period_a": pa.label, "period_b": pb.label,
            "start_a": pd.Timestamp(pa.start), "end_a": pd.Timestamp(pa.end),
            "start_b": pd.Timestamp(pb.start), "end_b": pd.Timestamp(pb.end), "like_for_like": False,
            "months_missing_a": 0, "months_missing_b": 0, "days_a": days_a, "days_b": days_b}
    missing = [p.label for p, r in ((pa, ra), (pb, rb)) if pd.isna(r["count"])]
    if missing:
        return {**base, "count_a": None if pd.isna(ra["count"]) else int(ra["count"]),
                "count_b": None if pd.isna(rb["count"]) else int(rb["count"]), "change": None,
                "pct_change": math.nan, "rate_a": math.nan, "rate_b": math.nan, "p_value": math.nan,
                "significant": False, "verdict": VERDICT_NOT_GIVEN.format(label=" och ".join(missing)),
                "note": " ".join(notes)}
    ca, cb = int(ra["count"]), int(rb["count"])
    ea, eb = (float(e[0]) for e in pair_exposures([days_a], [days_b]))  # a leap year is no longer
    if disp.quasi:
        p = float(quasi_rate_p(ca, cb, ea, eb, disp.phi, disp.df_resid)[()])
    else:
        p = poisson_rate_test(ca, cb, ea, eb)
    if disp.note:
        notes.append(disp.note)
    if different_seasons([pa, pb])[0]:  # K1 against K2: a season is not a change
        notes.append(NOTES["season"])
    if ca == 0:
        notes.append(NOTES["pct"])
    if abs(days_a - days_b) > EQUAL_LENGTH * max(days_a, days_b):
        notes.append(NOTES["lengths"].format(a=days_a, b=days_b))
    return {**base, "count_a": ca, "count_b": cb, "change": cb - ca,
            "pct_change": 100.0 * (cb - ca) / ca if ca else math.nan,
            "rate_a": _rate(ca, pa, pop_a), "rate_b": _rate(cb, pb, pop_b), "p_value": p,
            "p_unadjusted": p, "method": disp.method, "significant": bool(p < alpha),
            "verdict": poisson_verdict(ca, cb, p, alpha, exposure_a=ea, exposure_b=eb)
            + ("" if disp.quasi else EXACT_SUFFIX),
            "dispersion": disp.phi_raw, "note": " ".join(notes + merge_notes([note_a, note_b]))}


def prefer_whole_periods(monthly_result: pd.DataFrame, whole: pd.DataFrame) -> pd.DataFrame:
    """The monthly comparison, with the rows it cannot judge (no monthly data) replaced by the
    whole-period comparison of the same category and periods, and whole-period categories added.

    Examples
    --------
    >>> m = pd.DataFrame({"category": ["rån"], "period_a": ["2024"], "period_b": ["2025"],
    ...                   "verdict": ["kan inte bedömas: data saknas för 24 månader"]})
    >>> w = pd.DataFrame({"category": ["rån"], "period_a": ["2024"], "period_b": ["2025"],
    ...                   "verdict": ["ingen säkerställd förändring"]})
    >>> prefer_whole_periods(m, w)["verdict"].tolist()
    ['ingen säkerställd förändring']
    """
    if whole.empty:
        return monthly_result
    key = ["category", "period_a", "period_b"]
    have = whole.set_index(key).index
    mine = monthly_result.set_index(key).index if len(monthly_result) else pd.Index([])
    cannot = monthly_result["verdict"].astype(str).str.startswith(UNCOMPARABLE).to_numpy() if len(
        monthly_result) else np.zeros(0, dtype=bool)
    # the monthly total over categories cannot be judged either when the source has only whole
    # periods; the whole-period rows have no such total (categories may overlap), so it goes
    pairs = whole.set_index(["period_a", "period_b"]).index
    total = (monthly_result["category"] == ALL).to_numpy() & monthly_result.set_index(
        ["period_a", "period_b"]).index.isin(pairs) if len(monthly_result) else cannot
    keep = monthly_result[~(cannot & (mine.isin(have) | total))] if len(monthly_result) else \
        monthly_result
    judged = keep.set_index(key).index if len(keep) else pd.Index([])
    add = whole[~whole.set_index(key).index.isin(judged)]
    frames = [f for f in (keep, add) if len(f)]
    if not frames:
        return monthly_result
    return pd.concat(frames, ignore_index=True)[list(monthly_result.columns) if len(
        monthly_result.columns) else list(whole.columns)]
