"""Åtgärdsplan (``/atgardsplan``): activities with follow-up status, filterable, linked to places."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, dcc, html

from lagesbild.web import components as ui
from lagesbild.web.registry import get_settings, get_store
from lagesbild.web.state import as_str, build_search, is_meeting, parse_search, two_way
from lagesbild.web.views.plan import filter_options, plan_view

dash.register_page(__name__, path="/atgardsplan", name="Åtgärdsplan", title="Åtgärdsplan – Lägesbild",
                   order=4)


CONTROLS = ("ap-area", "ap-place")


def controls(query: dict) -> dict:
    """The filters' values for a URL query."""
    return {"ap-area": as_str(query.get("prio")), "ap-place": as_str(query.get("plats"))}


def layout(**query):
    """The action-plan page; filters start from the URL's query string."""
    areas, places = filter_options(get_store())
    return html.Div(className="page page-plan", children=[
        dcc.Location(id="ap-url", refresh=False),
        dcc.Store(id="ap-meeting", data=is_meeting(query.get("mote"))),
        html.H1("Åtgärdsplan"),
        html.Div(className="filters", children=[
            ui.control("Prioriterat område", dcc.Dropdown(id="ap-area", options=areas,
                                                          value=as_str(query.get("prio")),
                                                          placeholder="Alla områden"), class_name="wide"),
            ui.control("Plats", dcc.Dropdown(id="ap-place", options=places, value=as_str(query.get("plats")),
                                             placeholder="Alla platser"), class_name="area"),
        ]),
        ui.loading("ap-content"),
    ])


@callback(Output("ap-content", "children"), Input("ap-area", "value"), Input("ap-place", "value"),
          State("ap-meeting", "data"))
def update(area, place_id, meeting):
    """Filter the action plan."""
    return plan_view(get_store(), get_settings(), area=area, place_id=place_id, meeting=meeting)


@callback(Output("ap-url", "search"), *[Output(c, "value") for c in CONTROLS], Input("ap-url", "search"),
          *[Input(c, "value") for c in CONTROLS], State("ap-meeting", "data"), prevent_initial_call=True)
def sync_url(search, area, place_id, meeting):
    """Keep the filters in the URL; back/forward sets them."""
    current = dict(zip(CONTROLS, (area, place_id), strict=False))
    url = build_search({"mote": meeting, "prio": area, "plats": place_id})
    return two_way(ctx.triggered_id, "ap-url", current, controls(parse_search(search)), [url])
