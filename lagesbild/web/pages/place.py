"""Plats (``/plats/<place_id>``): one place in depth.

Periods are Sep–Aug years, tertials, calendar years or custom date ranges (two date pickers and
"Lägg till perioden"); all of them live in the URL's ``per=``, and the kind shown follows the periods.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

import dash
from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update

from lagesbild.analysis.base import read_periods
from lagesbild.analysis.categories import ALL_ID
from lagesbild.figures.window import drawn_in
from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.export_controls import IDS as PACK
from lagesbild.web.export_controls import pack_button
from lagesbild.web.pages import place_quick
from lagesbild.web.registry import get_settings, get_store
from lagesbild.web.state import as_list, build_search, is_meeting, parse_search, two_way
from lagesbild.web.views import periods as pv
from lagesbild.web.views.place import place_view, resolve
from lagesbild.web.views.place_notes import notes_section, register_callbacks

dash.register_page(__name__, path_template="/plats/<place_id>", name="Plats",
                   title="Plats – Lägesbild", order=1)
register_callbacks()  # the meeting notes section (lagesbild/web/views/place_notes.py)
CONTROLS = ("pl-place", "pl-cats", "pl-periods")
ALL_CATEGORIES = ALL_ID  # the dropdown's "Alla kategorier" (never kept: replaced by every category)
PREFIX = "/plats/"


def category_choices(store) -> list[dict]:
    """The category dropdown's options: "Alla kategorier" first (it selects every category), then
    the categories with data."""
    return [{"label": "Alla kategorier", "value": ALL_CATEGORIES}, *common.category_options(store)]


def expand_categories(store, cats) -> list:
    """The chosen categories, with "Alla kategorier" standing for every category with data."""
    if ALL_CATEGORIES in (cats or []):
        return [o["value"] for o in common.category_options(store)]
    return list(cats or [])


def _period_values(values) -> list[str]:
    return [p.label for p in read_periods(values)[0]]


def controls(store, place_id, query: dict) -> dict:
    """The controls' values for a place and URL query (the place's defaults where the URL is silent or
    names only categories that are not here)."""
    known = common.known(as_list(query.get("kat")), {o["value"] for o in category_choices(store)})[0]
    place, cats, periods, _ = resolve(store, place_id, known, _period_values(as_list(query.get("per"))))
    return {"pl-place": place_id if place else None, "pl-cats": cats,
            "pl-periods": [p.label for p in periods]}


def _dropped(store, query: dict) -> list:
    """What the URL named that is not here (categories) or cannot be read (periods), for
    :func:`common.link_notice`."""
    bad_cats = common.known(as_list(query.get("kat")), {o["value"] for o in category_choices(store)})[1]
    bad_periods = [v for v in as_list(query.get("per")) if not read_periods([v])[0]]
    return [("kategorin" if len(bad_cats) == 1 else "kategorierna", bad_cats),
            ("perioden" if len(bad_periods) == 1 else "perioderna", bad_periods)]


def _range_box(kind: str, value: dict, until) -> html.Div:
    ranges = read_periods(value["pl-periods"])[0] if kind == "range" else []
    start, end = (ranges[-1].start, ranges[-1].end) if ranges else (None, until)
    return html.Div(id="pl-range", className="range-box", hidden=kind != "range", children=[
        ui.control("Från", dcc.DatePickerSingle(id="pl-from", date=start, **ui.DATE_PICKER)),
        ui.control("Till", dcc.DatePickerSingle(id="pl-to", date=end, **ui.DATE_PICKER)),
        html.Button("Lägg till perioden", id="pl-add", n_clicks=0, className="dl-button add-range"),
        html.Span(id="pl-range-msg", role="status", className="muted")])


def layout(place_id=None, **query):
    """The place page; controls start from the path and the query string."""
    store = get_store()
    place_id = None if place_id in (None, "", "-") else unquote(place_id)  # links quote the id
    value = controls(store, place_id, query)
    kind, until = pv.kind_of(value["pl-periods"]), common.place_data_until(store, value["pl-place"])
    return html.Div(className="page page-place", children=[
        dcc.Location(id="pl-url", refresh=False),
        dcc.Store(id="pl-meeting", data=is_meeting(query.get("mote"))),
        dcc.Store(id="pl-screen"),
        html.Div(className="filters", children=[
            ui.control("Plats", dcc.Dropdown(
                id="pl-place", options=common.place_options(store, exclude_kinds=()),
                value=value["pl-place"], clearable=False, placeholder="Välj plats"), class_name="area"),
            ui.control("Kategorier", dcc.Dropdown(
                id="pl-cats", options=category_choices(store), value=value["pl-cats"], multi=True,
                placeholder="Välj minst en kategori"), class_name="wide"),
            ui.control("Periodtyp", dcc.RadioItems(id="pl-kind", options=pv.kind_options(), value=kind,
                                                   inline=True, className="radio")),
            ui.control("Perioder", dcc.Dropdown(
                id="pl-periods", options=pv.options(store, kind, value["pl-periods"], until),
                value=value["pl-periods"], multi=True, placeholder="Välj minst två perioder"),
                class_name="wide"),
            _range_box(kind, value, until),
            ui.print_button(),
        ]),
        # in a container the URL callback empties when a control changes (the address then names
        # what the controls show)
        html.Div(ui.empty(f"platsen {place_id!r} finns inte i databasen", hint="Välj en plats i listan ovan.")
                 if place_id and value["pl-place"] is None
                 else common.link_notice(_dropped(store, query), "pl-link-notice"), id="pl-link-notice-box"),
        ui.loading("pl-content"),
        html.Div(pack_button([value["pl-place"]] if value["pl-place"] else None, value["pl-periods"],
                             store=store), className="pack-section"),
        notes_section(store, value["pl-place"]),
    ])


# The browser window's size, read when the page opens (as Karta's): meeting mode's charts are fitted
# to the width of its one-column panels on a narrow window (a laptop at 150 % zoom is 911 px wide), not
# to the nominal 900 px (lagesbild/figures/window.py). assets/map-screen.js sends a new size in meeting
# mode once a resize has settled.
clientside_callback("function (_meeting) { return [window.innerWidth, window.innerHeight]; }",
                    Output("pl-screen", "data"), Input("pl-meeting", "data"))


@callback(Output("pl-content", "children"), Input("pl-place", "value"), Input("pl-cats", "value"),
          Input("pl-periods", "value"), State("pl-meeting", "data"), Input("pl-screen", "data"))
def update(place_id, cats, periods, meeting, screen=None):
    """Recompute the place's view for the controls (its figures fitted to the window's width)."""
    with drawn_in(screen):
        return _content(place_id, cats, periods, meeting)


def _content(place_id, cats, periods, meeting):
    cats = expand_categories(get_store(), cats)
    if not place_id:
        return ui.empty("ingen plats är vald", hint="Välj en plats i listan ovan.")
    if not cats:
        place, defaults, _, _ = resolve(get_store(), place_id, [], periods)
        if place is not None and not defaults:  # nothing to choose: say so (and show its survey, plan)
            return place_view(get_store(), get_settings(), place_id, periods=periods, meeting=meeting)
        return ui.empty("ingen kategori är vald", hint="Välj en eller flera kategorier.")
    if not periods:
        return ui.empty("ingen period är vald", hint="Välj en eller flera perioder.")
    view = place_view(get_store(), get_settings(), place_id, categories=cats, periods=periods,
                      meeting=meeting)
    return place_quick.with_quick(view, get_store(), get_settings(), place_id, cats, periods, meeting)


@callback(Output("pl-url", "pathname"), Output("pl-url", "search"),
          *[Output(c, "value") for c in CONTROLS[:2]], Output("pl-link-notice-box", "children"),
          Input("pl-url", "pathname"), Input("pl-url", "search"), *[Input(c, "value") for c in CONTROLS],
          State("pl-meeting", "data"), prevent_initial_call=True)
def sync_url(pathname, search, place_id, cats, periods, meeting):
    """The place in the path, the rest in the query. A control change writes the URL (a history
    entry); a changed URL sets the place and categories (back/forward also re-render the page from
    the URL, periods and their kind included)."""
    chose_all = ALL_CATEGORIES in (cats or [])
    cats = expand_categories(get_store(), cats)
    current = {"pl-place": place_id, "pl-cats": cats}
    # the browser's path is quoted ("/plats/torg%20%C3%A5"): an id with spaces or å, ä, ö is read back
    # unquoted and written quoted, or a link to it opened on "ingen plats är vald"
    url_place = unquote((pathname or "").removeprefix(PREFIX).strip("/")) or None
    from_url = controls(get_store(), url_place, parse_search(search))
    urls = [f"{PREFIX}{quote(place_id, safe='') if place_id else '-'}",
            build_search({"mote": meeting, "kat": cats, "per": periods})]
    out = two_way(ctx.triggered_id, "pl-url", current, from_url, urls)
    if chose_all and ctx.triggered_id == "pl-cats":
        out[3] = cats  # the dropdown shows every category instead of "Alla kategorier"
    # back/forward re-render the page from the URL, notice included: the box is left as it is then
    return [*out, common.notice_after(ctx.triggered_id == "pl-url", None, "pl-link-notice")]


@callback(Output("pl-periods", "value"), Output("pl-periods", "options"), Output("pl-kind", "value"),
          Output("pl-range", "hidden"), Output("pl-range-msg", "children"),
          Input("pl-kind", "value"), Input("pl-add", "n_clicks"), State("pl-periods", "value"),
          State("pl-from", "date"), State("pl-to", "date"), State("pl-place", "value"),
          prevent_initial_call=True)
def periods_control(kind, _add, periods, start, end, place_id=None):
    """The one writer of the chosen periods besides the URL: another kind of period brings its
    defaults, "Lägg till" adds a custom range. The kind follows the periods and the options are the
    kind's periods plus every chosen one, a period running past the place's data saying how far they
    go. (Back/forward and another place re-render the page from the URL.)"""
    store = get_store()
    trigger = {"pl-kind": "kind", "pl-add": "add"}.get(ctx.triggered_id)
    new, new_kind, message = pv.next_periods(store, trigger, periods, kind, start=start, end=end,
                                             place_id=place_id)
    changed = list(new) != list(periods or [])
    until = common.place_data_until(store, place_id)
    return (new if changed else no_update, pv.options(store, new_kind, new, until),
            new_kind if new_kind != kind else no_update, new_kind != "range",
            message if message is not None else no_update)


@callback(Output("pl-periods", "options", allow_duplicate=True), Input("pl-place", "value"),
          State("pl-kind", "value"), State("pl-periods", "value"), prevent_initial_call=True)
def period_options(place_id, kind, periods):
    """Another place chosen: the period options say how far its own data go (Boden's months run to
    Aug 2026 beside Göteborg's yearly tables to Dec 2025). Only the options: the periods stay."""
    store = get_store()
    return pv.options(store, kind, periods, common.place_data_until(store, place_id))


@callback(Output(PACK["places"], "value"), Output(PACK["periods"], "options"),
          Output(PACK["periods"], "value"), Input("pl-place", "value"), Input("pl-periods", "value"),
          State(PACK["periods"], "options"), prevent_initial_call=True)
def pack_follows(place_id, periods, options):
    """The meeting pack offers the place and periods shown."""
    known = {o["value"] for o in options or []}
    extra = [{"label": p, "value": p} for p in periods or [] if p not in known]
    return ([place_id] if place_id else []), (options or []) + extra, list(periods or [])
