"""Mönster (``/monster``): weekday × hour, month of year, concentration and repeat locations of a place.

Incident-level data: the role ``analytiker`` is needed, as for the map. The URL holds ``plats``,
``kat`` (one category; none = every category except the sensitive ones) and ``per``.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, dcc, html

from lagesbild.web import auth, common
from lagesbild.web import components as ui
from lagesbild.web.registry import get_settings, get_store
from lagesbild.web.state import as_str, build_search, is_meeting, parse_search, two_way
from lagesbild.web.views.patterns import patterns_view

dash.register_page(__name__, path="/monster", name="Mönster", title="Mönster – Lägesbild", order=8)
CONTROLS = ("pat-place", "pat-cat", "pat-period")
ROLE = "analytiker"


def _years(store):
    return common.sep_aug_years(store)


def controls(store, query: dict) -> dict:
    """The controls' values for a URL query (defaults: the first small place, the last Sep–Aug year)."""
    years = _years(store)
    return {"pat-place": as_str(query.get("plats")) or common.default_place(store),
            "pat-cat": as_str(query.get("kat")),
            "pat-period": common.period_label(as_str(query.get("per"))) or (years[-1].label if years else None)}


def _category_options(store) -> list[dict]:
    hidden = common.sensitive_categories(store)
    return [{"label": o["label"] + (" (känslig – redovisas inte)" if o["value"] in hidden else ""),
             "value": o["value"]} for o in common.category_options(store)]


def layout(**query):
    """The patterns page (role analytiker); controls start from the URL's query."""
    if not auth.allowed(ROLE):
        return html.Div(className="page page-patterns", children=[html.H1("Mönster"), auth.refusal(ROLE)])
    store = get_store()
    value = controls(store, query)
    return html.Div(className="page page-patterns", children=[
        dcc.Location(id="pat-url", refresh=False),
        dcc.Store(id="pat-meeting", data=is_meeting(query.get("mote"))),
        html.Div(className="filters", children=[
            ui.control("Plats", dcc.Dropdown(id="pat-place", options=common.place_options(store, exclude_kinds=(), mark_no_map=True),
                                             value=value["pat-place"], clearable=False), class_name="area"),
            ui.control("Kategori", dcc.Dropdown(id="pat-cat", options=_category_options(store),
                                                value=value["pat-cat"], placeholder="Alla utom känsliga"),
                       class_name="wide"),
            ui.control("Period", dcc.Dropdown(
                id="pat-period", options=common.period_label_options(_years(store), common.data_until(store)),
                value=value["pat-period"], clearable=False)),
        ]),
        ui.loading("pat-content"),
    ])


@callback(Output("pat-content", "children"), *[Input(c, "value") for c in CONTROLS],
          State("pat-meeting", "data"))
def update(place, category, period, meeting):
    """Recompute the patterns for the controls."""
    if not auth.allowed(ROLE):
        return auth.refusal(ROLE)
    return patterns_view(get_store(), get_settings(), place=place, category=category, period=period,
                         meeting=meeting)


@callback(Output("pat-url", "search"), *[Output(c, "value") for c in CONTROLS], Input("pat-url", "search"),
          *[Input(c, "value") for c in CONTROLS], State("pat-meeting", "data"), prevent_initial_call=True)
def sync_url(search, place, category, period, meeting):
    """The view lives in the URL; back/forward sets the controls."""
    current = dict(zip(CONTROLS, (place, category, period), strict=True))
    url = build_search({"mote": meeting, "plats": place, "kat": category, "per": period})
    return two_way(ctx.triggered_id, "pat-url", current, controls(get_store(), parse_search(search)), [url])
