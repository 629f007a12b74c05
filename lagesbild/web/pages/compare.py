"""Jämför platser (``/jamfor``): two to four places, or one place and similar places, side by side.

Everything chosen lives in the URL: ``plats`` (places), ``lik=1`` (one place and its similar places),
``per`` (periods), ``kat`` (categories) and ``visa`` (``antal`` or ``invanare`` in the chart). Without
``plats`` the page shows the first small place and its similar places.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html

from lagesbild.figures.window import drawn_in
from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.registry import get_settings, get_store
from lagesbild.web.state import as_list, as_str, build_search, is_meeting, parse_search, two_way
from lagesbild.web.views.side_by_side import compare_view, default_years

dash.register_page(__name__, path="/jamfor", name="Jämför platser", title="Jämför platser – Lägesbild",
                   order=7)
CONTROLS = ("cmp-places", "cmp-similar", "cmp-periods", "cmp-cats", "cmp-measure")
MEASURE_OPTIONS = [{"label": "Per 1 000 invånare", "value": "invanare"}, {"label": "Antal", "value": "antal"}]
SIMILAR = "lik"


def controls(store, query: dict) -> dict:
    """The controls' values for a URL query (defaults: the first small place and its similar places,
    the last two Sep–Aug years). A period the page does not offer (``per=zzz``, or ``per=2022`` where
    only Sep–Aug years are offered) is left out, as the dropdown would drop it, and said by
    :func:`_dropped`."""
    offered = _offered(store)
    periods = [p for p in (common.period_label(v) for v in as_list(query.get("per"))) if p in offered]
    measure = as_str(query.get("visa"))
    places = common.known(as_list(query.get("plats")), _place_ids(store))[0][:4]
    if not places and common.default_place(store):  # a bare link: the first place and similar places
        places, query = [common.default_place(store)], {**query, "lik": "1"}
    return {"cmp-places": places,
            "cmp-similar": [SIMILAR] if as_str(query.get("lik")) in ("1", "ja") else [],
            "cmp-periods": [p for p in periods if p] or [p.label for p in default_years(store, places)],
            "cmp-cats": as_list(query.get("kat")),
            "cmp-measure": measure if measure in ("antal", "invanare") else "invanare"}


def _place_ids(store) -> set:
    return {o["value"] for o in common.place_options(store, exclude_kinds=())}


def _offered(store) -> set:
    """The labels of the periods the page offers (:func:`common.year_choices`)."""
    return {p.label for p in common.year_choices(store)}


def _dropped(store, query: dict) -> list:
    """The places a URL names that are not here and the periods it names that cannot be read or are not
    offered here, as :func:`common.link_notice` takes them."""
    good_places, bad_places = common.known(as_list(query.get("plats")), _place_ids(store))
    offered = _offered(store)
    named = as_list(query.get("per"))
    bad_periods = [v for v in named if common.period_label(v) not in offered]
    return [("platsen" if len(bad_places) == 1 else "platserna", bad_places, bool(good_places)),
            ("perioden" if len(bad_periods) == 1 else "perioderna", bad_periods,
             len(bad_periods) < len(named))]


def _forms(store) -> str:
    """The forms of a period this page reads, said after a notice about a period it could not use."""
    kinds = {p.kind for p in common.year_choices(store)}
    text = "Här jämförs september–augusti-år, skrivna som 2022–2023 eller 2022/23"
    if "calendar_year" in kinds:
        text += ", och kalenderår för platser med Brås årstabeller, skrivna som 2022"
    return text + "."


def link_notice(store, query: dict, notice_id: str = "cmp-link-notice"):
    """:func:`common.link_notice` for the URL, with the forms of a period read here when it names a
    period that could not be used (the page said only "Välj perioder", or showed the default periods
    without a word)."""
    dropped = _dropped(store, query)
    notice = common.link_notice(dropped, notice_id)
    if notice is not None and dropped[1][1]:
        notice.children = f"{notice.children} {_forms(store)}"
    return notice


def layout(**query):
    """The compare page; controls start from the URL's query string."""
    store = get_store()
    value = controls(store, query)
    years = common.year_choices(store)
    return html.Div(className="page page-compare", children=[
        dcc.Location(id="cmp-url", refresh=False),
        dcc.Store(id="cmp-meeting", data=is_meeting(query.get("mote"))),
        dcc.Store(id="cmp-screen"),
        html.Div(className="filters", children=[
            ui.control("Platser (2–4)", dcc.Dropdown(
                id="cmp-places", options=common.place_options(store, exclude_kinds=()),
                value=value["cmp-places"], multi=True, placeholder="Välj platser"), class_name="wide"),
            ui.control("En plats", dcc.Checklist(
                id="cmp-similar", options=[{"label": "Liknande platser", "value": SIMILAR}],
                value=value["cmp-similar"], className="radio")),
            ui.control("Perioder", dcc.Dropdown(
                id="cmp-periods", options=common.year_options(store, years),
                value=value["cmp-periods"], multi=True, placeholder="Välj perioder")),
            ui.control("Kategorier (tomt = de största)", dcc.Dropdown(
                id="cmp-cats", options=common.category_options(store), value=value["cmp-cats"], multi=True,
                placeholder="De största kategorierna"), class_name="wide"),
            ui.control("Diagram", dcc.RadioItems(id="cmp-measure", options=MEASURE_OPTIONS,
                                                 value=value["cmp-measure"], inline=True, className="radio")),
        ]),
        html.Div(link_notice(store, query), id="cmp-link-notice-box"),
        ui.loading("cmp-content"),
    ])


# The window's size when the page opens: meeting mode's chart is fitted to its panel on a narrow window
# (as on Plats; lagesbild/figures/window.py).
clientside_callback("function (_meeting) { return [window.innerWidth, window.innerHeight]; }",
                    Output("cmp-screen", "data"), Input("cmp-meeting", "data"))


@callback(Output("cmp-content", "children"), *[Input(c, "value") for c in CONTROLS],
          State("cmp-meeting", "data"), Input("cmp-screen", "data"))
def update(places, similar, periods, cats, measure, meeting, screen=None):
    """Recompute the comparison for the controls (its chart fitted to the window's width)."""
    with drawn_in(screen):
        return compare_view(get_store(), get_settings(), places=places, periods=periods, categories=cats,
                            similar=SIMILAR in (similar or []), measure=measure, meeting=meeting)


@callback(Output("cmp-url", "search"), *[Output(c, "value") for c in CONTROLS],
          Output("cmp-link-notice-box", "children"), Input("cmp-url", "search"),
          *[Input(c, "value") for c in CONTROLS], State("cmp-meeting", "data"), prevent_initial_call=True)
def sync_url(search, places, similar, periods, cats, measure, meeting):
    """The view lives in the URL; back/forward sets the controls."""
    current = dict(zip(CONTROLS, (places, similar, periods, cats, measure), strict=True))
    store = get_store()
    default_periods = [p.label for p in default_years(store, places or [])]
    url = build_search({"mote": meeting, "plats": places, "lik": "1" if SIMILAR in (similar or []) else None,
                        "kat": cats, "per": periods, "visa": measure},
                       defaults={"per": default_periods, "visa": "invanare"})
    out = two_way(ctx.triggered_id, "cmp-url", current, controls(store, parse_search(search)), [url])
    url_changed = ctx.triggered_id == "cmp-url"  # back/forward: that address's notice (else none)
    return [*out, link_notice(store, parse_search(search)) if url_changed else None]
