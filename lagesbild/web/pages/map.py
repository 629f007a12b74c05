"""Karta (``/karta``): hotspots, density or hotspot change with places and activities."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html

from lagesbild.web import auth, common
from lagesbild.web import components as ui
from lagesbild.web.registry import get_settings, get_store
from lagesbild.web.state import MAP_MODES, as_list, as_str, build_search, is_meeting, parse_search, two_way
from lagesbild.web.views.map import defaults, map_view

dash.register_page(__name__, path="/karta", name="Karta", title="Karta – Lägesbild", order=2)

MODE_OPTIONS = [{"label": "Heta punkter (Gi*)", "value": "gi"}, {"label": "Täthet", "value": "tathet"},
                {"label": "Förändring mellan perioder", "value": "forandring"}]


CONTROLS = ("map-area", "map-cat", "map-period", "map-mode", "map-period2")


def controls(store, query: dict) -> dict:
    """The controls' values for a URL query (defaults where the URL says nothing or names an area,
    category, period or mode that is not here)."""
    return _read(store, query)[0]


def _read(store, query: dict) -> tuple[dict, list]:
    """(the controls' values, what the URL named that is not here as :func:`common.link_notice` takes it)."""
    d = defaults(store)
    areas = {o["value"] for o in common.place_options(store, exclude_kinds=())}
    periods = {p.label for p in common.sep_aug_years(store)}
    # a sensitive category is known: it goes on to the view, which refuses the map and says why
    cats, bad_cats = common.known(as_list(query.get("kat")), {o["value"] for o in common.category_options(store)})
    asked = {k: as_str(query.get(k)) for k in ("omr", "per", "jmf", "lage")}
    area = asked["omr"] if asked["omr"] in areas else None
    period = common.period_label(asked["per"]) if common.period_label(asked["per"]) in periods else None
    period2 = common.period_label(asked["jmf"]) if common.period_label(asked["jmf"]) in periods else None
    mode = asked["lage"] if asked["lage"] in MAP_MODES else None
    dropped = [("området", [asked["omr"]] if asked["omr"] and area is None else []),
               ("kategorin" if len(bad_cats) == 1 else "kategorierna", bad_cats),
               ("perioden", [asked["per"]] if asked["per"] and period is None else []),
               ("jämförelseperioden", [asked["jmf"]] if asked["jmf"] and period2 is None else []),
               ("visningen", [asked["lage"]] if asked["lage"] and mode is None else [])]
    return ({"map-area": area or d["area"], "map-cat": cats or ([d["category"]] if d["category"] else []),
             "map-period": period or d["period"], "map-mode": mode or "gi",
             "map-period2": period2 or d["period2"]}, dropped)


def layout(**query):
    """The map page (role analytiker: incident-level data); controls start from the URL's query."""
    if not auth.allowed("analytiker"):
        return html.Div(className="page page-map", children=[html.H1("Karta"), auth.refusal("analytiker")])
    store = get_store()
    value, dropped = _read(store, query)
    years = common.sep_aug_years(store)
    periods = common.period_label_options(years, common.data_until(store))
    areas = common.place_options(store, exclude_kinds=(), mark_no_map=True)
    hidden = common.sensitive_categories(store)
    return html.Div(className="page page-map", children=[
        dcc.Location(id="map-url", refresh=False),
        dcc.Store(id="map-meeting", data=is_meeting(query.get("mote"))),
        dcc.Store(id="map-screen"),
        html.H1("Karta"),
        html.Div(className="filters", children=[
            ui.control("Område", dcc.Dropdown(id="map-area", options=areas, clearable=False,
                                              value=value["map-area"]), class_name="area"),
            ui.control("Kategorier", dcc.Dropdown(
                id="map-cat", options=common.category_options(store, exclude=hidden), multi=True,
                clearable=False, value=value["map-cat"], placeholder="Välj en eller flera kategorier")),
            ui.control("Period", dcc.Dropdown(id="map-period", options=periods, clearable=False,
                                              value=value["map-period"])),
            ui.control("Visa", dcc.RadioItems(id="map-mode", options=MODE_OPTIONS, value=value["map-mode"],
                                              inline=True, className="radio")),
            ui.control("Jämför med period", dcc.Dropdown(
                id="map-period2", options=periods, clearable=False,
                disabled=value["map-mode"] != "forandring", value=value["map-period2"])),
        ]),
        common.link_notice_box(dropped, "map-link-notice"),
        ui.loading("map-content"),
    ])


# The browser's window size, read once when the page opens: the map's names are placed and its legend
# wrapped for the size the map is drawn at (its width follows the window; in meeting mode its height).
clientside_callback("function (_meeting) { return [window.innerWidth, window.innerHeight]; }",
                    Output("map-screen", "data"), Input("map-meeting", "data"))


@callback(Output("map-content", "children"), Output("map-period2", "disabled"),
          Input("map-area", "value"), Input("map-cat", "value"), Input("map-period", "value"),
          Input("map-mode", "value"), Input("map-period2", "value"), State("map-meeting", "data"),
          Input("map-screen", "data"))
def update(area, category, period, mode, period2, meeting, screen=None):
    """Recompute the map for the controls."""
    if not auth.allowed("analytiker"):
        return auth.refusal("analytiker"), True
    view = map_view(get_store(), get_settings(), area=area, category=category, period=period,
                    period2=period2, mode=mode, meeting=meeting, screen=screen)
    return view, mode != "forandring"


@callback(Output("map-url", "search"), *[Output(c, "value") for c in CONTROLS],
          Output("map-link-notice-box", "children"), Input("map-url", "search"),
          *[Input(c, "value") for c in CONTROLS], State("map-meeting", "data"), prevent_initial_call=True)
def sync_url(search, area, category, period, mode, period2, meeting):
    """The map's view lives in the URL; back/forward sets the controls."""
    current = dict(zip(CONTROLS, (area, category, period, mode, period2), strict=False))
    url = build_search({"mote": meeting, "omr": area, "kat": category, "per": period,
                        "lage": mode if mode != "gi" else None,
                        "jmf": period2 if mode == "forandring" else None})
    from_url = controls(get_store(), parse_search(search))
    if mode != "forandring" and ctx.triggered_id == "map-url":
        from_url["map-period2"] = period2  # not in the URL outside change mode: keep as it is
    out = two_way(ctx.triggered_id, "map-url", current, from_url, [url])
    return [*out, common.notice_after(ctx.triggered_id == "map-url",
                                      lambda: _read(get_store(), parse_search(search))[1], "map-link-notice")]
