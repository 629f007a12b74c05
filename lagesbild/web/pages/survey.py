"""Trygghet (``/trygghet``): safety-survey indicators by place against district and city."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, dcc, html

from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.registry import get_settings, get_store
from lagesbild.web.state import as_list, as_str, build_search, is_meeting, parse_search, two_way
from lagesbild.web.views.survey import default_place, indicator_options, survey_places, survey_view

dash.register_page(__name__, path="/trygghet", name="Trygghet", title="Trygghet – Lägesbild", order=3)


CONTROLS = ("sv-place", "sv-ind")


def controls(store, query: dict) -> dict:
    """The controls' values for a URL query (the default place where it names none or one not here)."""
    return _read(store, query)[0]


def _read(store, query: dict) -> tuple[dict, list]:
    """(the controls' values, what the URL named that is not here as :func:`common.link_notice` takes it)."""
    asked = as_str(query.get("plats"))
    place = asked if asked in {o["value"] for o in common.place_options(store, exclude_kinds=())} else None
    return ({"sv-place": place or default_place(store), "sv-ind": as_list(query.get("ind"), split=False)},
            [("platsen", [asked] if asked and place is None else [])])


def layout(**query):
    """The survey page; controls start from the URL's query string."""
    store = get_store()
    value, dropped = _read(store, query)
    place_id = value["sv-place"]
    return html.Div(className="page page-survey", children=[
        dcc.Location(id="sv-url", refresh=False),
        dcc.Store(id="sv-meeting", data=is_meeting(query.get("mote"))),
        html.H1("Trygghet"),
        html.Div(className="filters", children=[
            ui.control("Plats", dcc.Dropdown(id="sv-place", options=common.with_named_place(survey_places(store), store, place_id), value=place_id,
                                             clearable=False, placeholder="Välj plats"),
                       class_name="area"),
            ui.control("Indikatorer (tomt = alla)", dcc.Dropdown(
                id="sv-ind", options=indicator_options(store, place_id),
                value=value["sv-ind"], multi=True,
                placeholder="Alla indikatorer"), class_name="wide"),
        ]),
        common.link_notice_box(dropped, "sv-link-notice"),
        ui.loading("sv-content"),
    ])


@callback(Output("sv-content", "children"), Output("sv-ind", "options"), Input("sv-place", "value"),
          Input("sv-ind", "value"), State("sv-meeting", "data"))
def update(place_id, indicators, meeting):
    """Recompute the survey view for the controls."""
    store = get_store()
    view = survey_view(store, get_settings(), place_id=place_id, indicators=indicators or None,
                       meeting=meeting)
    return view, indicator_options(store, place_id)


@callback(Output("sv-url", "search"), *[Output(c, "value") for c in CONTROLS],
          Output("sv-link-notice-box", "children"), Input("sv-url", "search"),
          *[Input(c, "value") for c in CONTROLS], State("sv-meeting", "data"), prevent_initial_call=True)
def sync_url(search, place_id, indicators, meeting):
    """Keep the view in the URL; back/forward sets the controls."""
    current = dict(zip(CONTROLS, (place_id, indicators), strict=False))
    url = build_search({"mote": meeting, "plats": place_id, "ind": indicators})
    out = two_way(ctx.triggered_id, "sv-url", current, controls(get_store(), parse_search(search)), [url])
    return [*out, common.notice_after(ctx.triggered_id == "sv-url",
                                      lambda: _read(get_store(), parse_search(search))[1], "sv-link-notice")]
