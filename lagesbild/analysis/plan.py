"""Åtgärdsplan: activities by priority area and place, their follow-ups, and an activity's effect."""

from __future__ import annotations

import pandas as pd

from lagesbild.analysis import base
from lagesbild.analysis.nesting import activities_inside, inside
from lagesbild.core.effects import activity_effects


def plan_filters(store) -> tuple[list[str], list[str]]:
    """Priority areas, and the place ids that have activities."""
    acts, links = store.activities(), store.activity_places()
    areas = sorted(a for a in set(acts["priority_area"]) if a) if len(acts) else []
    have = set(links["place_id"]) if len(links) else set()
    places = base.places(store)
    # a larger place is offered when a place in it (to any depth) has activities
    have |= {p for p in places["place_id"] if inside(places, p) & have}
    return areas, sorted(have)


def plan_view(store, settings, *, area=None, place_id=None) -> dict:
    """The action plan's rows: ``activities``, ``links``, ``followups`` in a priority area and/or at a
    place, ``place_names``, ``title``, ``problem``/``hint`` and ``facts``."""
    out = {"problem": None, "hint": None, "facts": base.facts(store)}
    acts, links, fu = store.activities(), store.activity_places(), store.followups()
    if acts.empty:
        out.update(problem="ingen åtgärdsplan är inläst",
                   hint="Läs in en åtgärdsplan (YAML eller XLSX) under Data.")
        return out
    if area:
        acts = acts[acts["priority_area"] == area]
    if place_id:  # a district: its own activities and those of the places in it, to any depth
        acts = activities_inside(acts, links, base.places(store), place_id)
    ids = set(acts["activity_id"])
    out.update(activities=acts, links=links[links["activity_id"].isin(ids)],
               followups=fu[fu["activity_id"].isin(ids)],
               place_names=dict(zip(base.places(store)["place_id"], base.places(store)["name"], strict=True)),
               title=base.place_name(store, place_id) if place_id else (area or "Alla aktiviteter"))
    if acts.empty:
        out.update(problem="inga aktiviteter matchar filtret", hint="Ändra prioriterat område eller plats.")
    return out


def plan_effects(store, settings, *, area=None, place_id=None) -> pd.DataFrame:
    """Before/after the start of every activity the action plan's filter shows, at each of its places
    (:func:`lagesbild.core.effects.activity_effects`): every category and their total, one
    Benjamini–Hochberg family over the whole table (``attrs['fdr']``, its Swedish note included).
    Empty without activities; an activity without a start date has no rows. Built once per data
    version and filter."""
    res = plan_view(store, settings, area=area, place_id=place_id)
    if res["problem"]:
        return pd.DataFrame()
    acts, links = res["activities"], res["links"]
    return base.memo(store, ("plan_effects", area, place_id, settings.effect_months, settings.alpha),
                     lambda: activity_effects(base.complete_counts(store), acts, links, store.places(),
                                              months=settings.effect_months, coverage=base.complete_coverage(store),
                                              alpha=settings.alpha, data_end=base.data_end(store),
                                              context=(store.activities(), store.activity_places()),
                                              whole_counts=base.whole_rows(store)))


def activity_row(store, activity_id: str) -> pd.Series:
    """The stored activity, or :class:`~lagesbild.analysis.base.NotFound`."""
    acts = store.activities()
    hit = acts[acts["activity_id"] == activity_id]
    if hit.empty:
        known = acts["activity_id"].tolist()
        raise base.NotFound(f"okänd aktivitet {activity_id!r}; " + (
            "kända: " + ", ".join(known[:20]) + (f" (och {len(known) - 20} till)" if len(known) > 20 else "")
            if known else "inga aktiviteter är inlästa (läs in åtgärdsplanen först)"))
    return hit.iloc[0]


def activity_effect(store, activity_id: str, *, months: int = 12, category=None,
                    alpha: float = 0.05) -> pd.DataFrame:
    """Before/after counts, test and WDD for one activity (an association, not proof of effect)."""
    activity_row(store, activity_id)
    acts = store.activities()
    return activity_effects(base.complete_counts(store), acts[acts["activity_id"] == activity_id],
                            store.activity_places(), store.places(), months=months,
                            category=category, coverage=base.complete_coverage(store), alpha=alpha,
                            data_end=base.data_end(store), context=(acts, store.activity_places()),
                            whole_counts=base.whole_rows(store))


def place_activity_list(store, place_id: str) -> pd.DataFrame:
    """Activities linked to a place, with their latest follow-up (``senaste_*`` columns)."""
    links = store.activity_places()
    ids = links[links["place_id"] == place_id]["activity_id"]
    acts = store.activities()
    acts = acts[acts["activity_id"].isin(ids)].copy()
    fu = store.followups()
    order = {"T1": 1, "T2": 2, "VB": 3}
    if len(fu):
        fu = fu.assign(_o=fu["year"] * 10 + fu["period"].map(order).fillna(0))
        latest = fu.sort_values("_o").groupby("activity_id").tail(1).drop(columns="_o")
        acts = acts.merge(latest.add_prefix("senaste_").rename(
            columns={"senaste_activity_id": "activity_id"}), on="activity_id", how="left")
    return acts.reset_index(drop=True)
