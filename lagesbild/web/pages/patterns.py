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
    """The controls' values for a URL query (defaults: the first small place, the last Sep–Aug year; also
    where the URL names a place, category or period that is not here)."""
    return _read(store, query)[0]


def _read(store, query: dict) -> tuple[dict, list]:
    """(the controls' values, what the URL named that is not here as :func:`common.link_notice` takes it)."""
    years = _years(store)
    asked = {k: as_str(query.get(k)) for k in ("plats", "kat", "per")}
    place = asked["plats"] if asked["plats"] in {
        o["value"] for o in common.place_options(store, exclude_kinds=())} else None
    cat = asked["kat"] if asked["kat"] in {o["value"] for o in _category_options(store)} else None
    period = common.period_label(asked["per"])
    period = period if period in {p.label for p in years} else None
    dropped = [("platsen", [asked["plats"]] if asked["plats"] and place is None else []),
               ("kategorin", [asked["kat"]] if asked["kat"] and cat is None else []),
               ("perioden", [asked["per"]] if asked["per"] and period is None else [])]
    return ({"pat-place": place or common.default_place(store), "pat-cat": cat,
             "pat-period": period or (years[-1].label if years else None)}, dropped)


def _category_options(store) -> list[dict]:
    hidden = common.sensitive_categories(store)
    return [{"label": o["label"] + (" (känslig – redovisas inte)" if o["value"] in hidden else ""),
             "value": o["value"]} for o in common.category_options(store)]


def layout(**query):
    """The patterns page (role analytiker); controls start from the URL's query."""
    if not auth.allowed(ROLE):
        return html.Div(className="page page-patterns", children=[html.H1("Mönster"), auth.refusal(ROLE)])
    store = get_store()
    value, dropped = _read(store, query)
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
        common.link_notice_box(dropped, "pat-link-notice"),
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


@callback(Output("pat-url", "search"), *[Output(c, "value") for c in CONTROLS],
          Output("pat-link-notice-box", "children"), Input("pat-url", "search"),
          *[Input(c, "value") for c in CONTROLS], State("pat-meeting", "data"), prevent_initial_call=True)
def sync_url(search, place, category, period, meeting):
    """The view lives in the URL; back/forward sets the controls."""
    current = dict(zip(CONTROLS, (place, category, period), strict=True))
    url = build_search({"mote": meeting, "plats": place, "kat": category, "per": period})
    out = two_way(ctx.triggered_id, "pat-url", current, controls(get_store(), parse_search(search)), [url])
    return [*out, common.notice_after(ctx.triggered_id == "pat-url",
                                      lambda: _read(get_store(), parse_search(search))[1], "pat-link-notice")]
