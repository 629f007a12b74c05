"""Åtgärdsplan: activities by priority area and place with their follow-up status per tertial."""

from __future__ import annotations

from lagesbild.analysis import plan as analysis
from lagesbild.figures import effects_table, tables
from lagesbild.figures.activities import STATUS, make_activity_timeline, make_plan_table
from lagesbild.figures.effects_table import compared_with
from lagesbild.figures.plan_effects import make_plan_effects_table
from lagesbild.figures.style import CRIME_SOURCE
from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.numbers import Numbers
from lagesbild.web.views.place import EFFECT_DEPENDENTS, breakable_windows, window_styles

STATUS_STYLE = {key: colour for key, (_, colour, _) in STATUS.items()}


def filter_options(store) -> tuple[list[dict], list[dict]]:
    """Dropdown options for priority areas and for places that have activities."""
    areas, have = analysis.plan_filters(store)
    places = [o for o in common.place_options(store, exclude_kinds=()) if o["value"] in set(have)]
    return [{"label": a, "value": a} for a in areas], places


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


def plan_numbers(acts, links, place_names: dict):
    """The activities with the names of their places (one row per activity)."""
    names = links.assign(name=links["place_id"].map(place_names).fillna(links["place_id"]))
    joined = names.groupby("activity_id")["name"].agg(lambda s: ", ".join(sorted(map(str, s))))
    return acts.assign(platser=acts["activity_id"].map(joined).fillna(""))


def plan_view(store, settings, *, area=None, place_id=None, meeting: bool = False) -> list:
    """The content of the action-plan page."""
    res = analysis.plan_view(store, settings, area=area, place_id=place_id)
    if res["problem"]:
        return [ui.empty(res["problem"], hint=res["hint"])]
    acts, links, fu = res["activities"], res["links"], res["followups"]
    table = make_plan_table(acts, links, fu, place_names=res["place_names"],
                            link_suffix="?mote=1" if meeting else "")
    numbers = Numbers(plan_numbers(acts, links, res["place_names"]), "Åtgärdsplanens aktiviteter",
                      place=res["title"], source="åtgärdsplanen")
    block = ui.table(table, "plan-table", markdown=("Plats",), styles=_styles(table), page_size=50,
                     sort=True, filter_=False, numbers=numbers)
    grid = block.children[1]
    grid.tooltip_data = _tooltips(table)
    grid.tooltip_duration = None
    ctx = common.context_from(res["facts"], settings, meeting)
    timeline = make_activity_timeline(acts, fu, place=res["title"], until=res["facts"]["data_until"],
                                      context=ctx)
    return [
        ui.section(f"Aktiviteter ({len(acts)})", block, ui.notes([
            "Uppföljning per tertial: ● ja = målet uppfyllt, ◆ delvis, ✖ nej. För musen över en "
            "uppföljning för vad som genomfördes. Klicka på en plats för dess lägesbild."])),
        ui.chart(timeline, "plan-timeline", name="atgardsplan-tidslinje", meeting=meeting,
                 numbers=numbers),
        *_effects_section(store, settings, res, area=area, place_id=place_id, meeting=meeting),
    ]


EFFECTS_TITLE = "Före och efter aktiviteternas start"
NO_START = "Utan startdatum, så före/efter kan inte beräknas: {names}."


def _effects_section(store, settings, res: dict, *, area, place_id, meeting: bool) -> list:
    """Before/after each shown activity's start at each of its places (the analysis layer's
    :func:`~lagesbild.analysis.plan.plan_effects`), one row per activity and place."""
    effects = analysis.plan_effects(store, settings, area=area, place_id=place_id)
    acts = res["activities"]
    without = acts.loc[acts["start_date"].isna(), "aktivitet"].astype(str).tolist()
    notes = [NO_START.format(names=", ".join(without))] if without else []
    if effects.empty:
        return [ui.section(EFFECTS_TITLE, ui.notes(notes or ["Inga aktiviteter med startdatum."]))] \
            if len(acts) else []
    table = breakable_windows(make_plan_effects_table(
        effects, category_names=common.category_names(store), place_names=res["place_names"],
        link_suffix="?mote=1" if meeting else ""))
    caveats = [str(c) for c in effects["caveat"].dropna().unique()]
    numbers = Numbers(effects, EFFECTS_TITLE, place=res["title"], counts=("count_before", "count_after"),
                      dependents=EFFECT_DEPENDENTS, source=CRIME_SOURCE)
    return [ui.section(
        EFFECTS_TITLE,
        ui.table(table, "plan-effects", markdown=("Plats",), numbers=numbers,
                 styles=tables.comparison_styles() + window_styles()),
        ui.notes([effects_table.effects_note(effects), *caveats, *notes, *tables.comparison_notes(table)]),
        # the area the rows compare with, by name when they share one ("resten av Huddinge": the
        # page said "resten av stadsdelsområdet" for a plan whose places all lie in a kommun)
        subtitle="Alla brottskategorier tillsammans, lika långa perioder före och efter start, och "
                 "kategorierna vars egen förändring är statistiskt säkerställd; jämförelse med "
                 f"{compared_with(effects)}. Varje kategori för sig finns på platsens sida; p-värdena här är "
                 "korrigerade över hela tabellen och kan därför vara större än där. Se Metod.")]
