"""One category's counts in an activity's windows and its raw tests (:mod:`lagesbild.core.effects`).

Each area of a before/after comparison (the place, its comparison area, a displacement buffer and the
buffer's comparison area: :data:`AREAS`) is counted in the two windows; the place's own change gets
the quasi-Poisson test of its monthly history's dispersion (the exact Poisson test with too short a
history), the place against its comparison area the relative test and, where Wheeler & Ratcliffe's
conditions hold, the WDD (:func:`row_tests`). The p-values are raw: a table of effects is adjusted as
one family by :func:`lagesbild.core.effect_family.adjust_effects`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.core.dispersion import estimate_many
from lagesbild.core.effect_family import ALL_CATEGORIES
from lagesbild.core.period_pairs import pair_p_values
from lagesbild.core.periods import Period
from lagesbild.core.poisson import poisson_rate_test, verdict
from lagesbild.core.relative import (
    RELATIVE_COLUMNS,
    combined_dispersion,
    relative_test,
    wdd_note,
    wdd_test,
    wdd_verdict,
)

#: role -> (before column, after column) for the areas counted.
AREAS = {
    "treated": ("count_before", "count_after"),
    "control": ("comparison_before", "comparison_after"),
    "buffer": ("buffer_before", "buffer_after"),
    "buffer_control": ("buffer_comparison_before", "buffer_comparison_after"),
}


def window_counts(frame: pd.DataFrame, ids, window: Period | None) -> pd.Series:
    """The crimes of the places ``ids`` in ``window``, per category (empty without a window)."""
    if window is None or not ids:
        return pd.Series(dtype=int)
    sel = frame[frame["place_id"].isin(list(ids)) & frame["month"].between(
        pd.Timestamp(window.start), pd.Timestamp(window.end))]
    return sel.groupby("category")["count"].sum().astype(int)


def dispersions(frame: pd.DataFrame, areas: dict, covered: dict, cats, parts=()) -> dict:
    """Each area's :class:`~lagesbild.core.dispersion.Dispersion` of each category in ``cats`` (every
    category of ``parts`` summed for :data:`ALL_CATEGORIES`), from its monthly counts over its own covered
    months (``covered``: role -> months; the place's own for the place, those the comparison is made
    over for the comparison area): ``{category: {role: Dispersion}}``, each area's series fitted together
    (:func:`~lagesbild.core.dispersion.estimate_many`, equal to one
    :func:`~lagesbild.core.dispersion.history_dispersion` per category)."""
    out: dict = {c: {} for c in cats}
    for role in ("treated", "control"):
        months = pd.DatetimeIndex(sorted(covered.get(role, ())))
        if role not in areas or not len(months) or not cats:
            continue
        rows = frame[frame["place_id"].isin(areas[role])]
        pos = months.get_indexer(pd.DatetimeIndex(rows["month"].to_numpy()))
        inside = pos >= 0
        row_cat = rows["category"].to_numpy(dtype=object)[inside]
        counts = rows["count"].to_numpy()[inside].astype(np.int64)
        Y = np.zeros((len(cats), len(months)), dtype=np.int64)
        for i, c in enumerate(cats):
            keep = np.isin(row_cat, list(parts)) if c == ALL_CATEGORIES else row_cat == c
            np.add.at(Y[i], pos[inside][keep], counts[keep])
        for c, d in zip(cats, estimate_many(Y.astype(float), months), strict=True):
            out[c][role] = d
    return out


def row_tests(counts: dict, cat, alpha: float, testable: bool, disp: dict | None = None, *,
              p_only: bool = False, parts=()) -> dict:
    """One category's counts in the windows (``counts``: role -> (before, after) of
    :func:`window_counts`; a role left out is not compared) and its raw tests (judged again by
    :func:`~lagesbild.core.effect_family.adjust_effects`); ``p_only``: the p-values without the
    relative test's estimate (a category only in the family, not shown)."""
    def get(role, i):
        series = counts.get(role, (None, None))[i]
        if series is None:
            return None
        return int(series.reindex(list(parts)).sum() if cat == ALL_CATEGORIES else series.get(cat, 0))

    row = {col: get(role, i) for role, cols in AREAS.items() for i, col in enumerate(cols)}
    a, b = row["count_before"], row["count_after"]
    row.update(change=b - a, pct_change=(b - a) / a * 100 if a else np.nan, category=cat)
    row.update(p_value=np.nan, significant=pd.NA, wdd=np.nan, wdd_var=np.nan, wdd_z=np.nan,
               wdd_p=np.nan, wdd_significant=pd.NA, wdd_verdict=None, wdd_note="")
    row.update(dict.fromkeys(RELATIVE_COLUMNS, np.nan), relative_significant=pd.NA, relative_verdict=None)
    if not testable:
        return row
    disp = disp or {}
    own = disp.get("treated")
    p = float(pair_p_values(np.array([a]), np.array([b]), np.ones(1), np.ones(1), [own])[0]) \
        if own is not None else poisson_rate_test(a, b)
    row.update(p_value=p, significant=p < alpha, verdict=verdict(a, b, p, alpha))
    if row["comparison_before"] is not None:
        known = {r: (d.phi, d.df_resid) for r, d in disp.items() if d.quasi}
        # the WDD's variance: the larger known dispersion of the two areas
        phi = max(f for f, _ in known.values()) if known else 1.0
        control = (row["comparison_before"], row["comparison_after"])
        # the ratio of ratios: each area's dispersion weighed by its share of the variance; an area
        # whose history is too short counts as Poisson (φ 1, known exactly), the other keeps its own:
        # a place varying 4 times more than chance beside a district file of 22 months was tested as
        # Poisson, and 57 of 200 unchanged places read "säkerställd"
        relative = combined_dispersion((a, b), control, *(known.get(r, (1.0, np.inf)) for r in (
            "treated", "control"))) if known else (1.0, np.inf)
        row.update(relative_test((a, b), control, alpha, dispersion=relative, estimate=not p_only))
        row["wdd_note"] = wdd_note(a, row["comparison_before"], "buffer" in counts)
        if not row["wdd_note"]:
            pairs = [(row[AREAS[r][0]], row[AREAS[r][1]]) if r in counts else None for r in AREAS]
            res = wdd_test(*pairs, phi=phi)
            row.update(res, wdd_significant=res["wdd_p"] < alpha,
                       wdd_verdict=wdd_verdict(res["wdd"], res["wdd_p"], alpha))
    return row
