"""Comparisons across a change of source: the two periods' counts come from different sources.

A place's months can come from one source for a while and from another later (monthly counts from
the police's file, then incidents with coordinates, which count only the crimes that have them; a
district's own export, then the city's). The counts then move with the source: incidents at 70 % of
the file's level made a "minskning, statistiskt säkerställd" of every category that crossed the
change. A change of source is not a change in crime, as it is not a trend
(:mod:`lagesbild.core.trend`: "kan inte bedömas: perioderna kommer från olika källor"), so such a pair
is not tested (:func:`mark_source_changes`); the verdict names the sources.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

VERDICT_SOURCES = "kan inte bedömas: perioderna kommer från olika källor ({a} mot {b})"
#: the total row (it sums every category of the place)
TOTALS = ("alla",)


def _sources(monthly: pd.DataFrame) -> dict:
    """``{(place, category): (months, sources)}`` of the places with more than one source, and
    ``{(None, place): [category, …]}``."""
    if monthly is None or monthly.empty or "source" not in monthly:
        return {}
    many = monthly.groupby("place_id")["source"].nunique()
    rows = monthly[monthly["place_id"].isin(many.index[many > 1])]
    out = {}
    for (place, category), part in rows.groupby(["place_id", "category"], sort=False):
        out[(place, category)] = (pd.to_datetime(part["month"]).to_numpy(), part["source"].to_numpy(dtype=object))
        out.setdefault((None, place), []).append(category)  # each place's categories, for totals
    return out


def _changed(found: dict, place, category, sa, ea, sb, eb):
    """(sources a, sources b) where the category's counts in the two periods come from different
    sources, else None. A total (``category`` None) crosses a change where one of the categories it
    sums, with counts in both periods, does."""
    cats = [category] if category is not None else found.get((None, place), [])
    for c in cats:
        if (place, c) not in found:
            continue
        a, b = (_between(*found[(place, c)], s, e) for s, e in ((sa, ea), (sb, eb)))
        if a and b and a != b:
            return a, b
    return None


def _between(months, sources, start, end) -> list:
    if pd.isna(start) or pd.isna(end):
        return []
    inside = (months >= np.datetime64(pd.Timestamp(start))) & (months <= np.datetime64(pd.Timestamp(end)))
    return sorted(set(sources[inside].tolist()))


def mark_source_changes(table: pd.DataFrame, monthly: pd.DataFrame) -> pd.DataFrame:
    """``table`` (comparison rows, unadjusted: ``place_id, category, start_a, end_a, start_b, end_b,
    p_value``) with the pairs whose periods' counts come from different sources not tested: p-value
    NaN, not significant, the verdict :data:`VERDICT_SOURCES`. Unchanged (the same object) when no
    row crosses a change of source.

    Examples
    --------
    >>> m = pd.DataFrame({"place_id": "torg", "category": "rån", "count": 30,
    ...     "month": pd.date_range("2021-09-01", periods=24, freq="MS"),
    ...     "source": ["polisen-brott"] * 12 + ["polisen-incidenter"] * 12})
    >>> t = pd.DataFrame({"place_id": ["torg"], "category": ["rån"], "p_value": [0.001],
    ...     "significant": [True], "verdict": ["minskning, statistiskt säkerställd"], "note": [""],
    ...     "start_a": pd.to_datetime(["2021-09-01"]), "end_a": pd.to_datetime(["2022-08-31"]),
    ...     "start_b": pd.to_datetime(["2022-09-01"]), "end_b": pd.to_datetime(["2023-08-31"])})
    >>> mark_source_changes(t, m)["verdict"][0]
    'kan inte bedömas: perioderna kommer från olika källor (polisen-brott mot polisen-incidenter)'
    """
    found = _sources(monthly)
    if not found or table is None or table.empty:
        return table
    p_col = "p_unadjusted" if "p_unadjusted" in table else "p_value"
    hits = {}
    for i, (place, cat, sa, ea, sb, eb, p) in enumerate(zip(
            table["place_id"], table["category"], table["start_a"], table["end_a"], table["start_b"],
            table["end_b"], pd.to_numeric(table[p_col], errors="coerce"), strict=True)):
        if not np.isfinite(p):
            continue
        changed = _changed(found, place, None if cat in TOTALS else cat, sa, ea, sb, eb)
        if changed:
            hits[i] = VERDICT_SOURCES.format(a=", ".join(changed[0]), b=", ".join(changed[1]))
    if not hits:
        return table
    out = table.copy()
    at = np.array(sorted(hits), dtype=np.int64)
    for col in ("p_value", "p_unadjusted"):
        if col in out:
            values = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float).copy()
            values[at] = np.nan
            out[col] = values
    if "significant" in out:
        flags = out["significant"].to_numpy(dtype=object).copy()
        flags[at] = False
        out["significant"] = flags.astype(bool)
    verdicts = out["verdict"].to_numpy(dtype=object).copy()
    verdicts[at] = [hits[i] for i in sorted(hits)]
    out["verdict"] = verdicts
    out.attrs = dict(table.attrs)
    return out


def period_origins(monthly: pd.DataFrame, place_id, periods: pd.DataFrame, total: str = TOTALS[0]) -> list:
    """Where each row of ``periods`` (``category, start, end``: a place's counts per period) gets its
    monthly counts from, for the trend's rule that a change of source is not a trend
    (:func:`lagesbild.core.trend_family.trend_table`'s ``origin``): ``"monthly:<sources>"``, the
    sources of the category's months in the period; for the total, those of each category it sums
    that has counts in every period. A period without counts takes a neighbouring period's. None for
    every row when the place's months come from one source.

    Examples
    --------
    >>> m = pd.DataFrame({"place_id": "torg", "category": "rån", "count": 3,
    ...     "month": pd.date_range("2021-09-01", periods=24, freq="MS"),
    ...     "source": ["polisen-brott"] * 12 + ["polisen-incidenter"] * 12})
    >>> p = pd.DataFrame({"category": ["rån", "rån"], "start": pd.to_datetime(["2021-09-01", "2022-09-01"]),
    ...                   "end": pd.to_datetime(["2022-08-31", "2023-08-31"])})
    >>> period_origins(m, "torg", p)
    ['monthly:polisen-brott', 'monthly:polisen-incidenter']
    """
    own = monthly[monthly["place_id"] == place_id] if monthly is not None and "source" in monthly else None
    if own is None or own["source"].nunique() < 2 or periods.empty:
        return [None] * len(periods)
    found = _sources(own)
    rows = list(zip(pd.to_datetime(periods["start"]), pd.to_datetime(periods["end"]), strict=True))
    spans = sorted(set(rows))  # the periods in time order
    sig = {}
    for c in found.get((None, place_id), []):
        values = pd.Series([",".join(_between(*found[(place_id, c)], s, e)) or None for s, e in spans])
        sig[c] = (values.notna().all(), dict(zip(spans, values.ffill().bfill(), strict=True)))
    whole = sorted(c for c, (everywhere, _) in sig.items() if everywhere)  # what the total compares
    out = []
    for span, cat in zip(rows, periods["category"], strict=True):
        if cat == total:
            out.append("monthly:" + "|".join(f"{c}={sig[c][1][span]}" for c in whole))
        else:
            out.append(f"monthly:{sig[cat][1][span]}" if cat in sig else None)
    return out


def source_switches(monthly: pd.DataFrame, place_id, categories, start, end) -> pd.DataFrame:
    """The months in ``start``–``end`` where the place's monthly counts of ``categories`` start to
    come from other sources than the month before with counts: ``month`` (the first month of the new
    sources), ``before``, ``after`` (source names joined by ", "). Empty when one source gives them.
    The monthly chart marks them: a level that moves with the source is not a change in crime.

    Examples
    --------
    >>> m = pd.DataFrame({"place_id": "torg", "category": "rån", "count": 3,
    ...     "month": pd.date_range("2021-09-01", periods=24, freq="MS"),
    ...     "source": ["polisen-brott"] * 12 + ["polisen-incidenter"] * 12})
    >>> source_switches(m, "torg", ["rån"], "2021-09-01", "2023-08-31").to_dict("records")
    [{'month': Timestamp('2022-09-01 00:00:00'), 'before': 'polisen-brott', 'after': 'polisen-incidenter'}]
    """
    cols = ["month", "before", "after"]
    if monthly is None or monthly.empty or "source" not in monthly:
        return pd.DataFrame(columns=cols)
    own = monthly[monthly["place_id"].to_numpy(dtype=object) == place_id]  # the place's rows, then the rest:
    if own.empty or own["source"].nunique() < 2:  # on every place view, so one source costs ~nothing
        return pd.DataFrame(columns=cols)
    months = pd.to_datetime(own["month"])
    own = own[own["category"].isin(list(categories)).to_numpy()
              & (months >= pd.Timestamp(start)).to_numpy() & (months <= pd.Timestamp(end)).to_numpy()]
    if own.empty or own["source"].nunique() < 2:
        return pd.DataFrame(columns=cols)
    # each category's own changes (a category with counts only in some months does not make one)
    own = own.assign(month=pd.to_datetime(own["month"])).sort_values(["category", "month"], kind="stable")
    same_cat = own["category"].eq(own["category"].shift()).to_numpy()
    previous = own["source"].shift().to_numpy(dtype=object)
    hit = same_cat & (own["source"].to_numpy(dtype=object) != previous)
    if not hit.any():
        return pd.DataFrame(columns=cols)
    found = pd.DataFrame({"month": own["month"].to_numpy()[hit], "before": previous[hit],
                          "after": own["source"].to_numpy(dtype=object)[hit]})
    joined = found.groupby("month", sort=True).agg(lambda v: ", ".join(sorted(set(v))))
    return joined.reset_index()[cols]
