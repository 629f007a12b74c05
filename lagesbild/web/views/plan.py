"""Åtgärdsplan: activities by priority area and place with their follow-up status per tertial."""

from __future__ import annotations

from lagesbild.figures.activities import STATUS, make_activity_timeline, make_plan_table
from lagesbild.web import common
from lagesbild.web import components as ui

STATUS_STYLE = {key: colour for key, (_, colour, _) in STATUS.items()}


def filter_options(store) -> tuple[list[dict], list[dict]]:
    """Dropdown options for priority areas and for places that have activities."""
    acts, links = store.activities(), store.activity_places()
    areas = sorted(a for a in set(acts["priority_area"]) if a) if len(acts) else []
    have = set(links["place_id"]) if len(links) else set()
    places_ = common.places(store)
    if "district_id" in places_:  # a district is offered when one of its places has activities
        have |= set(places_.loc[places_["place_id"].isin(have), "district_id"].dropna())
    places = [o for o in common.place_options(store, exclude_kinds=()) if o["value"] in have]
    return [{"label": a, "value": a} for a in areas], places


def filtered(store, area=None, place_id=None):
    """Activities (and their links and follow-ups) in a priority area and/or at a place."""
    acts, links, fu = store.activities(), store.activity_places(), store.followups()
    if area:
        acts = acts[acts["priority_area"] == area]
    if place_id:  # a district: its own activities and those of its places
        places = common.places(store)
        inside = {place_id} | set(places.loc[places["district_id"] == place_id, "place_id"]) \
            if "district_id" in places else {place_id}
        acts = acts[acts["activity_id"].isin(links.loc[links["place_id"].isin(inside), "activity_id"])]
    ids = set(acts["activity_id"])
    return acts, links[links["activity_id"].isin(ids)], fu[fu["activity_id"].isin(ids)]


def _styles(table) -> list[dict]:
    rules = []
    for col in [c for c in table.columns if c.startswith("_s ")]:
        shown = col[3:]
        for key, colour in STATUS_STYLE.items():
            rules.append({"if": {"filter_query": f'{{{col}}} = "{key}"', "column_id": shown},
                          "color": colour, "fontWeight": 700})
    return rules


def _tooltips(table) -> list[dict]:
    cols = [c[3:] for c in table.columns if c.startswith("_t ")]
    return [{c: {"value": r[f"_t {c}"], "type": "text"} for c in cols if r[f"_t {c}"]}
            for r in table.to_dict("records")]


def plan_view(store, settings, *, area=None, place_id=None, meeting: bool = False) -> list:
    """The content of the action-plan page."""
    if store.activities().empty:
        return [ui.empty("ingen åtgärdsplan är inläst", hint="Läs in en åtgärdsplan (YAML eller XLSX) "
                                                               "under Data.")]
    acts, links, fu = filtered(store, area, place_id)
    if acts.empty:
        return [ui.empty("inga aktiviteter matchar filtret", hint="Ändra prioriterat område eller plats.")]
    names = dict(zip(common.places(store)["place_id"], common.places(store)["name"]))
    table = make_plan_table(acts, links, fu, place_names=names, link_suffix="?mote=1" if meeting else "")
    grid = ui.table(table, "plan-table", markdown=("Plats",), styles=_styles(table), page_size=50,
                    sort=True, filter_=False)
    grid.tooltip_data = _tooltips(table)
    grid.tooltip_duration = None
    ctx = common.figure_context(store, settings, meeting)
    place = common.place_name(store, place_id) if place_id else (area or "Alla aktiviteter")
    timeline = make_activity_timeline(acts, fu, place=place, until=store.data_until(), context=ctx)
    return [
        ui.section(f"Aktiviteter ({len(acts)})", grid, ui.notes([
            "Uppföljning per tertial: ● ja = målet uppfyllt, ◆ delvis, ✖ nej. För musen över en "
            "uppföljning för vad som genomfördes. Klicka på en plats för dess lägesbild."])),
        ui.chart(timeline, "plan-timeline", name="atgardsplan-tidslinje", meeting=meeting),
    ]
