"""The place's share of its district's and the city's reported crime, and whether it changed.

Input as in :mod:`lagesbild.core.compare` (the store's ``monthly_counts`` and ``coverage`` frames); the
counts per period come from :func:`lagesbild.core.compare.counts_by_period`, so missing months, partial
months and like-for-like cutting follow the same rules as the comparisons.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd
from scipy import stats

from lagesbild.core.compare import VERDICT_MISSING, counts_by_period, months_word, prepare_periods

SHARE_VERDICTS = {
    "up": "andelen har ökat, statistiskt säkerställt",
    "down": "andelen har minskat, statistiskt säkerställt",
    "none": "ingen säkerställd förändring av andelen",
    "first": "",
}
PARENT_SMALLER = "Platsens antal är större än överområdets ({parent}) i {label}; andelen kan inte testas."


@lru_cache(maxsize=65_536)
def _fisher_p(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test of ``[[a, b], [c, d]]`` (kept: views of the same
    place and periods ask for the same tables again)."""
    return float(stats.fisher_exact([[a, b], [c, d]], alternative="two-sided").pvalue)


def _share_change(prev, row, alpha) -> tuple[float, bool, str]:
    """Fisher's exact test of the change in share from ``prev`` to ``row`` (p, significant, verdict)."""
    if prev is None:
        return math.nan, False, SHARE_VERDICTS["first"]
    missing = prev["months_missing"] + row["months_missing"]
    if missing:
        return math.nan, False, VERDICT_MISSING.format(n=months_word(missing))
    if any(r["count_place"] > r["count_parent"] for r in (prev, row)):
        return math.nan, False, "kan inte bedömas"
    p = _fisher_p(prev["count_place"], prev["count_parent"] - prev["count_place"], row["count_place"],
                  row["count_parent"] - row["count_place"])
    if p >= alpha or prev["count_parent"] == 0 or row["count_parent"] == 0:
        return p, False, SHARE_VERDICTS["none"]
    return p, True, SHARE_VERDICTS["up" if row["share"] > prev["share"] else "down"]


def _share_rows(own: pd.DataFrame, parent: pd.DataFrame, parent_id, alpha, lfl_note) -> list[dict]:
    merged = own.merge(parent, on=["category", "period", "start", "end"], suffixes=("_place", "_parent"),
                       sort=False)
    rows = []
    for _, sub in merged.groupby("category", sort=False):
        prev = None
        for r in sub.to_dict("records"):
            row = {"place_id": r["place_id_place"], "parent_id": parent_id, "category": r["category"],
                   "period": r["period"], "start": r["start"], "end": r["end"],
                   "count_place": int(r["count_place"]), "count_parent": int(r["count_parent"]),
                   "months_missing": int(r["months_missing_place"] + r["months_missing_parent"])}
            row["share"] = row["count_place"] / row["count_parent"] if row["count_parent"] else math.nan
            row["p_value"], row["significant"], row["verdict"] = _share_change(prev, row, alpha)
            notes = [lfl_note] if lfl_note else []
            if row["count_place"] > row["count_parent"]:
                notes.append(PARENT_SMALLER.format(
                    parent="staden" if parent_id is None else parent_id, label=row["period"]))
            row["note"] = " ".join(notes)
            rows.append(row)
            prev = row
    return rows


def share_of_parent(monthly: pd.DataFrame, periods, place_id, parent_ids, *, categories=None,
                    coverage: pd.DataFrame | None = None, alpha: float = 0.05,
                    like_for_like: bool = True) -> pd.DataFrame:
    """The place's share of its district's (and the city's) count per period, and whether it changed.

    The change of the share between a period and the one before it is tested with Fisher's exact test
    (:func:`scipy.stats.fisher_exact`, two-sided) on the 2×2 table ``[[place_a, rest_a], [place_b,
    rest_b]]`` where ``rest`` is the parent's count outside the place. This is the exact test of
    ``count_place`` out of ``count_parent`` conditional on both margins; unlike the Poisson test it
    needs no exposure, since a share is a within-period quantity.

    Parameters
    ----------
    place_id : str
    parent_ids : sequence of (str or None)
        The parents, e.g. ``["hasselby-vallingby", None]``; None is the city (every row summed).
    periods, categories, coverage, alpha, like_for_like
        As in :func:`compare` (one period is enough; like for like follows the place's data).

    Returns
    -------
    DataFrame
        One row per parent × category × period (chronological): ``place_id, parent_id, category,
        period, start, end, count_place, count_parent, months_missing, share`` (NaN when the parent's
        count is 0), and the change since the previous period: ``p_value, significant, verdict, note``
        (NaN/False/"" on the first period).

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": ["torg", "rest", "torg", "rest"], "category": "rån",
    ...     "month": pd.to_datetime(["2019-01-01", "2019-01-01", "2020-01-01", "2020-01-01"]),
    ...     "count": [50, 50, 20, 80]})
    >>> out = share_of_parent(monthly, ["2019-01", "2020-01"], "torg", [None])
    >>> out[["period", "share", "verdict"]].values.tolist()
    [['jan 2019', 0.5, ''], ['jan 2020', 0.2, 'andelen har minskat, statistiskt säkerställt']]
    """
    periods, lfl_note = prepare_periods(monthly, periods, coverage, place_id, like_for_like, minimum=1)
    own = counts_by_period(monthly, periods, place_id=place_id, categories=categories, coverage=coverage)
    rows = []
    for parent_id in parent_ids:
        parent = counts_by_period(monthly, periods, place_id=parent_id, categories=categories,
                                  coverage=coverage)
        rows += _share_rows(own, parent.drop(columns=["kind", "days", "n_months", "partial_months"]),
                            parent_id, alpha, lfl_note)
    columns = ["place_id", "parent_id", "category", "period", "start", "end", "count_place",
               "count_parent", "months_missing", "share", "p_value", "significant", "verdict", "note"]
    return pd.DataFrame(rows, columns=columns)
