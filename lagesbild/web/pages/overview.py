"""Översikt (``/``): every place at a glance."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, dcc, html

from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.export_controls import pack_button
from lagesbild.web.registry import get_settings, get_store
from lagesbild.web.state import as_list, as_str, build_search, is_meeting, parse_search, two_way
from lagesbild.web.views.overview import default_choice, overview_view, period_choices

dash.register_page(__name__, path="/", name="Översikt", title="Översikt – Lägesbild", order=0)
CONTROLS = ("ov-period", "ov-cats", "ov-sdo")
YEAR_WORDS = {frozenset({"sep_aug"}): "September–augusti-år", frozenset({"calendar_year"}): "Kalenderår",
              frozenset({"sep_aug", "calendar_year"}): "År (sep–aug eller kalenderår)"}


def controls(store, query: dict) -> dict:
    """The controls' values for a URL query (defaults where the URL says nothing or names a period,
    category or district that is not here)."""
    return _read(store, query)[0]


def _read(store, query: dict) -> tuple[dict, list]:
    """(the controls' values, what the URL named that is not here as :func:`common.link_notice` takes it)."""
    first = default_choice(store)
    asked_period = as_str(query.get("per"))
    period = common.period_label(asked_period)
    known_periods = {p.label for p in period_choices(store)}
    if period not in known_periods:
        period = None
    cats, bad_cats = common.known(as_list(query.get("kat")), {o["value"] for o in common.category_options(store)})
    asked_sdo = as_str(query.get("sdo"))
    districts = {o["value"] for o in common.place_options(store, kinds=["stadsdelsomrade"])}
    sdo = asked_sdo if asked_sdo in districts else None
    dropped = [("perioden", [asked_period] if asked_period and period is None else []),
               ("kategorin" if len(bad_cats) == 1 else "kategorierna", bad_cats),
               ("stadsdelsområdet", [asked_sdo] if asked_sdo and sdo is None else [])]
    return ({"ov-period": period or (first.label if first else None), "ov-cats": cats, "ov-sdo": sdo},
            dropped)


def layout(**query):
    """The overview page; controls start from the URL's query string."""
    store = get_store()
    value, dropped = _read(store, query)
    years = period_choices(store)
    districts = common.place_options(store, kinds=["stadsdelsomrade"])
    year_word = YEAR_WORDS[frozenset(p.kind for p in years)] if years else YEAR_WORDS[frozenset({"sep_aug"})]
    return html.Div(className="page page-overview", children=[
        dcc.Location(id="ov-url", refresh=False),
        dcc.Store(id="ov-meeting", data=is_meeting(query.get("mote"))),
        html.H1("Översikt"),
        html.Div(className="filters", children=[
            ui.control(year_word, dcc.Dropdown(
                id="ov-period", options=common.year_options(store, years),
                value=value["ov-period"], clearable=False)),
            ui.control("Kategorier (tomt = alla)", dcc.Dropdown(
                id="ov-cats", options=common.category_options(store), value=value["ov-cats"],
                multi=True, placeholder="Alla kategorier"), class_name="wide"),
            _district_control(districts, value["ov-sdo"]),
            ui.control("Fler vyer", dcc.Link("Jämför platser", id="ov-compare-link", href="/jamfor" + (
                "?mote=1" if is_meeting(query.get("mote")) else ""))),
            ui.print_button(),
        ]),
        common.link_notice_box(dropped, "ov-link-notice"),
        ui.loading("ov-content"),
        html.Div(pack_button(store=store), className="pack-section"),
    ])


def _district_control(districts: list, value) -> html.Div:
    """The district filter; a kommun without stadsdelsområden (desk9's Södertälje) had an empty "Alla
    stadsdelsområden" one, offering nothing: kept for the URL state and callbacks, but not shown."""
    control = ui.control("Stadsdelsområde", dcc.Dropdown(
        id="ov-sdo", options=districts, value=value, placeholder="Alla stadsdelsområden"))
    if not districts:
        control.style = {"display": "none"}
    return control


@callback(Output("ov-content", "children"), Input("ov-period", "value"), Input("ov-cats", "value"),
          Input("ov-sdo", "value"), State("ov-meeting", "data"))
def update(period, cats, district, meeting):
    """Recompute the overview for the controls."""
    return overview_view(get_store(), get_settings(), period=period, categories=cats or None,
                         district=district, meeting=meeting)


@callback(Output("ov-url", "search"), *[Output(c, "value") for c in CONTROLS],
          Output("ov-link-notice-box", "children"),
          Input("ov-url", "search"), *[Input(c, "value") for c in CONTROLS], State("ov-meeting", "data"),
          prevent_initial_call=True)
def sync_url(search, period, cats, district, meeting):
    """The view lives in the URL: a control change adds a history entry; back/forward sets the controls."""
    current = dict(zip(CONTROLS, (period, cats, district), strict=False))
    url = build_search({"mote": meeting, "per": period, "kat": cats, "sdo": district})
    out = two_way(ctx.triggered_id, "ov-url", current, controls(get_store(), parse_search(search)), [url])
    url_changed = ctx.triggered_id == "ov-url"
    return [*out, common.notice_after(url_changed, lambda: _read(get_store(), parse_search(search))[1],
                                      "ov-link-notice")]
