"""The action plan's effects table: one row per activity and place, before/after its start.

The rows are :func:`lagesbild.analysis.plan.plan_effects`'s totals over every category; the categories
whose own change is "statistiskt säkerställd" are named in the row, so no finding is left out while the
table stays one row per activity and place (the place page has every category). The p-values are the
Benjamini–Hochberg adjusted ones of the whole table's family, as on the place page.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.figures.activities import md_link, slash_breaks
from lagesbild.figures.effects_table import around_text
from lagesbild.figures.format import MISSING, fmt_change_pct, fmt_int, fmt_p, fmt_pct
from lagesbild.figures.tables import ALL, ARROWS, verdict_class

TOTAL_NAME = "Alla kategorier"
COLUMNS = ["Aktivitet", "Plats", "Före", "Efter", "Förändring", "p-värde", "Bedömning",
           "Jämfört med omgivningen", "Kategorier med säkerställd förändring", "_klass", "_not",
           "_place_id"]


def make_plan_effects_table(effects: pd.DataFrame, *, category_names=None, place_names=None,
                            link_suffix: str | None = None) -> pd.DataFrame:
    """One formatted row per activity × place: the total over every category before and after the
    activity's start, its adjusted test, the comparison with the surroundings, and the categories
    whose change is säkerställd (▲/▼ with the change in percent). With ``link_suffix`` (``""`` or
    ``"?mote=1"``) the place is a Markdown link to its page, as in the plan's table. Activity and
    place names may wrap after a "/" (:func:`~lagesbild.figures.activities.slash_breaks`).

    Examples
    --------
    >>> e = pd.DataFrame({"activity_id": ["a", "a"], "aktivitet": ["Platssamverkan"] * 2,
    ...     "place_id": ["torg"] * 2, "category": ["alla", "rån"], "before_label": ["2019"] * 2,
    ...     "after_label": ["2020"] * 2, "count_before": [240, 40], "count_after": [200, 10],
    ...     "change": [-40, -30], "pct_change": [-16.7, -75.0], "q_value": [0.2, 0.001],
    ...     "significant": [False, True], "verdict": ["ingen säkerställd förändring",
    ...     "minskning, statistiskt säkerställd"], "relative_verdict": [None, None],
    ...     "relative_q": [None, None], "wdd_verdict": [None, None], "note": ["", ""]})
    >>> row = make_plan_effects_table(e, category_names={"rån": "Rån"}, place_names={"torg": "Torget"}).iloc[0]
    >>> row[["Plats", "Före", "Bedömning", "Kategorier med säkerställd förändring"]].tolist()
    ['Torget', '240 (2019)', 'ingen säkerställd förändring', '▼ Rån (−75\\xa0%)']
    """
    names, places = dict(category_names or {}), dict(place_names or {})
    if effects is None or effects.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = []
    for (_, place_id), group in effects.groupby(["activity_id", "place_id"], sort=False):
        records = group.to_dict("records")
        total = next((r for r in records if r["category"] == ALL), None)
        if total is None:
            continue
        found = [r for r in records if r["category"] != ALL
                 and verdict_class(r.get("significant"), r.get("verdict")) in ("okning", "minskning")]
        found = [f"{ARROWS[verdict_class(True, r['verdict'])]}{names.get(r['category'], r['category'])} "
                 f"({fmt_pct(r['pct_change'], 0, sign=True, fraction=False)})" for r in found]
        klass = verdict_class(total.get("significant"), total.get("verdict"))
        around, q_around = total.get("relative_verdict"), total.get("relative_q")
        if around is None or (isinstance(around, float) and pd.isna(around)):
            around, q_around = total.get("wdd_verdict"), total.get("wdd_q")
        rows.append({
            "Aktivitet": slash_breaks(total["aktivitet"]),
            "Plats": slash_breaks(places.get(place_id, place_id)) if link_suffix is None
            else md_link(slash_breaks(places.get(place_id, place_id)), place_id, suffix=link_suffix),
            "Före": _count(total, "before"), "Efter": _count(total, "after"),
            "Förändring": fmt_change_pct(total['change'], total['pct_change']),
            "p-värde": fmt_p(total.get("q_value")),
            "Bedömning": ARROWS[klass] + str(total.get("verdict") or MISSING),
            "Jämfört med omgivningen": MISSING if around is None or pd.isna(around)
            else around_text(around, q_around),
            "Kategorier med säkerställd förändring": ", ".join(found) or "ingen",
            "_klass": klass, "_not": str(total.get("note") or ""), "_place_id": place_id})
    return pd.DataFrame(rows, columns=COLUMNS)


def _count(row: dict, side: str) -> str:
    label = row.get(f"{side}_label")
    return f"{fmt_int(row[f'count_{side}'])} ({label})" if label else MISSING
