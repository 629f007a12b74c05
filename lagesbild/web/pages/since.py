"""Sedan förra mötet (``/sedan``): what is new since the last meeting.

The date lives in the URL as ``?mote_datum=ÅÅÅÅ-MM-DD`` (with ``mote=1`` for meeting mode, see
:mod:`lagesbild.web.state`); a logged-in user's last choice is kept in the store and is the default the
next time. Without either: the latest meeting date with notes, else three weeks back.
"""

from __future__ import annotations

import dash
import flask
from dash import Input, Output, State, callback, ctx, dcc, html
from flask_login import current_user

from lagesbild import clock
from lagesbild.analysis.base import as_date
from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.auth import allowed
from lagesbild.web.registry import get_settings, get_store
from lagesbild.web.state import as_list, as_str, build_search, is_meeting, parse_search, two_way
from lagesbild.web.views.since import default_date, remember, since_view, url_date_notice

dash.register_page(__name__, path="/sedan", name="Sedan förra mötet",
                   title="Sedan förra mötet – Lägesbild", order=7)
CONTROLS = ("sm-date", "sm-places")
DATE_KEY = "mote_datum"


def _username() -> str | None:
    if flask.has_request_context() and current_user.is_authenticated:
        return current_user.id
    return None


def _day(value):
    try:
        return as_date(value) if value else None
    except (ValueError, TypeError):
        return None


def controls(store, query: dict) -> dict:
    """The controls' values for a URL query (the default date where the URL has none or a bad one)."""
    day = _day(as_str(query.get(DATE_KEY))) or default_date(store, _username())
    known = {o["value"] for o in common.place_options(store, exclude_kinds=())}
    return {"sm-date": day.isoformat(), "sm-places": [p for p in as_list(query.get("plats")) if p in known]}


def layout(**query):
    """The page; the date and places start from the URL."""
    store = get_store()
    value = controls(store, query)
    return html.Div(className="page page-since", children=[
        dcc.Location(id="sm-url", refresh=False),
        dcc.Store(id="sm-meeting", data=is_meeting(query.get("mote"))),
        html.H1("Sedan förra mötet"),
        html.Div(className="filters", children=[
            ui.control("Förra mötet", dcc.DatePickerSingle(id="sm-date", date=value["sm-date"],
                                                           **ui.DATE_PICKER)),
            ui.control("Platser", dcc.Dropdown(
                id="sm-places", options=common.place_options(store, exclude_kinds=()),
                value=value["sm-places"], multi=True, placeholder="Alla platser"), class_name="wide"),
        ]),
        url_date_notice(as_str(query.get(DATE_KEY)), value["sm-date"]),
        ui.loading("sm-content"),
    ])


@callback(Output("sm-content", "children"), Input("sm-date", "date"), Input("sm-places", "value"),
          State("sm-meeting", "data"))
def update(day, places, meeting):
    """Recompute for the chosen date and places; a logged-in user's date is kept for next time."""
    store = get_store()
    parsed = _day(day)
    if parsed is None:
        return ui.empty("inget giltigt mötesdatum är valt", hint="Välj datumet för förra mötet.")
    user = _username()
    if user and ctx.triggered_id == "sm-date" and parsed <= clock.today():  # a future date is refused
        remember(store, user, parsed)
    return since_view(store, get_settings(), meeting_date=parsed, places=places or None, meeting=meeting,
                      hotspots=allowed("analytiker"))


@callback(Output("sm-url", "search"), Output("sm-date", "date"), Output("sm-places", "value"),
          Input("sm-url", "search"), Input("sm-date", "date"), Input("sm-places", "value"),
          State("sm-meeting", "data"), prevent_initial_call=True)
def sync_url(search, day, places, meeting):
    """Keep the date and places in the URL; back/forward sets them."""
    store = get_store()
    current = {"sm-date": day, "sm-places": places or []}
    url = build_search({"mote": meeting, DATE_KEY: day, "plats": places})
    return two_way(ctx.triggered_id, "sm-url", current, controls(store, parse_search(search)), [url])
