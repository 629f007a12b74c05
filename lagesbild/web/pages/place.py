"""Plats (``/plats/<place_id>``): one place in depth."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, dcc, html

from lagesbild.core.periods import parse_period
from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.registry import get_settings, get_store
from lagesbild.web.state import as_list, build_search, is_meeting, parse_search, two_way
from lagesbild.web.views.place import place_view, resolve

dash.register_page(__name__, path_template="/plats/<place_id>", name="Plats",
                   title="Plats – Lägesbild", order=1)
CONTROLS = ("pl-place", "pl-cats", "pl-periods")
PREFIX = "/plats/"


def _period_values(values) -> list[str]:
    out = []
    for v in values:
        try:
            out.append(parse_period(v).label)
        except ValueError:
            continue
    return out


def controls(store, place_id, query: dict) -> dict:
    """The controls' values for a place and URL query (the place's defaults where the URL is silent)."""
    place, cats, periods, _ = resolve(store, place_id, as_list(query.get("kat")),
                                      _period_values(as_list(query.get("per"))))
    return {"pl-place": place_id if place else None, "pl-cats": cats,
            "pl-periods": [p.label for p in periods]}


def layout(place_id=None, **query):
    """The place page; controls start from the path and the query string."""
    store = get_store()
    place_id = None if place_id in (None, "", "-") else place_id
    value = controls(store, place_id, query)
    years = common.sep_aug_years(store)
    options = common.period_label_options(years, store.data_until())
    known = {o["value"] for o in options}
    options += [{"label": p, "value": p} for p in value["pl-periods"] if p not in known]
    return html.Div(className="page page-place", children=[
        dcc.Location(id="pl-url", refresh=False),
        dcc.Store(id="pl-meeting", data=is_meeting(query.get("mote"))),
        html.Div(className="filters", children=[
            ui.control("Plats", dcc.Dropdown(
                id="pl-place", options=common.place_options(store, exclude_kinds=()),
                value=value["pl-place"], clearable=False, placeholder="Välj plats"), class_name="area"),
            ui.control("Kategorier", dcc.Dropdown(
                id="pl-cats", options=common.category_options(store), value=value["pl-cats"], multi=True,
                placeholder="Välj minst en kategori"), class_name="wide"),
            ui.control("Perioder (september–augusti)", dcc.Dropdown(
                id="pl-periods", options=options, value=value["pl-periods"], multi=True,
                placeholder="Välj minst två perioder"), class_name="wide"),
        ]),
        ui.empty(f"platsen {place_id!r} finns inte i databasen", hint="Välj en plats i listan ovan.")
        if place_id and value["pl-place"] is None else None,
        ui.loading("pl-content"),
    ])


@callback(Output("pl-content", "children"), Input("pl-place", "value"), Input("pl-cats", "value"),
          Input("pl-periods", "value"), State("pl-meeting", "data"))
def update(place_id, cats, periods, meeting):
    """Recompute the place's view for the controls."""
    if not place_id:
        return ui.empty("ingen plats är vald", hint="Välj en plats i listan ovan.")
    if not cats:
        return ui.empty("ingen kategori är vald", hint="Välj en eller flera kategorier.")
    if not periods:
        return ui.empty("ingen period är vald", hint="Välj en eller flera perioder.")
    return place_view(get_store(), get_settings(), place_id, categories=cats, periods=periods,
                      meeting=meeting)


@callback(Output("pl-url", "pathname"), Output("pl-url", "search"),
          *[Output(c, "value") for c in CONTROLS], Input("pl-url", "pathname"), Input("pl-url", "search"),
          *[Input(c, "value") for c in CONTROLS], State("pl-meeting", "data"), prevent_initial_call=True)
def sync_url(pathname, search, place_id, cats, periods, meeting):
    """The place in the path, the rest in the query; back/forward sets the controls."""
    current = dict(zip(CONTROLS, (place_id, cats, periods)))
    url_place = (pathname or "").removeprefix(PREFIX).strip("/") or None
    from_url = controls(get_store(), url_place, parse_search(search))
    urls = [f"{PREFIX}{place_id or '-'}", build_search({"mote": meeting, "kat": cats, "per": periods})]
    return two_way(ctx.triggered_id, "pl-url", current, from_url, urls)
