"""The app factory and the page shell (header, navigation, demo banner, meeting-mode switch).

``create_app(settings, store)`` registers the store and settings where callbacks find them
(:mod:`lagesbild.web.registry`), builds a multi-page Dash app on ``lagesbild/web/pages`` and returns it;
``app.server`` is the Flask app a WSGI server runs. Everything is served from the package (Dash's own
JavaScript and ``lagesbild/web/assets``): the dashboard works with no internet.

Examples
--------
>>> from lagesbild.settings import load_settings
>>> from lagesbild.store import Store
>>> app = create_app(load_settings(), Store("sqlite://"))
>>> sorted(p["path"] for p in dash.page_registry.values())[:3]
['/', '/404', '/atgardsplan']
"""

from __future__ import annotations

from pathlib import Path

import dash
from dash import ALL, MATCH, Input, Output, State, dcc, html

from lagesbild.web import common, page_status
from lagesbild.web import components as ui
from lagesbild.web.export_controls import register_export_callbacks
from lagesbild.web.registry import get_settings, get_store, set_context

HERE = Path(__file__).resolve().parent
#: navigation: (key, label, path); the place link gets the default place appended
NAV = (("oversikt", "Översikt", "/"), ("sedan", "Sedan sist", "/sedan"), ("plats", "Plats", "/plats"),
       ("karta", "Karta", "/karta"), ("trygghet", "Trygghet", "/trygghet"),
       ("atgardsplan", "Åtgärdsplan", "/atgardsplan"), ("data", "Data", "/data"), ("metod", "Metod", "/metod"),
       ("konton", "Konton", "/konton"))

NAV_JS = """
function(pathname, search, bases) {
    const meeting = new URLSearchParams(search || '').get('mote') === '1';
    const suffix = meeting ? '?mote=1' : '';
    const path = pathname || '/';
    const hrefs = [], classes = [];
    for (const b of bases) {
        hrefs.push(b.href + suffix);
        // the page itself or one of its sub-paths ("/plats/<id>"); "/sedan-sist" is not "/sedan"
        const active = path === b.path || (b.path !== '/' && path.startsWith(b.path + '/'));
        classes.push('nav-link' + (active ? ' active' : ''));
    }
    document.body.classList.toggle('meeting', meeting);
    return [hrefs, classes, meeting ? 'app meeting' : 'app',
            meeting ? 'Avsluta mötesläge' : 'Mötesläge'];
}
"""

MEETING_JS = """
function(n) {
    if (!n) { return window.dash_clientside.no_update; }
    const url = new URL(window.location.href);
    if (url.searchParams.get('mote') === '1') { url.searchParams.delete('mote'); }
    else { url.searchParams.set('mote', '1'); }
    window.history.pushState({}, '', url.pathname + url.search);
    window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
    return '';
}
"""

DOWNLOAD_JS = """
function(png, svg, name) {
    const ctx = window.dash_clientside.callback_context;
    if (!ctx.triggered.length || !(png || svg)) { return window.dash_clientside.no_update; }
    const id = JSON.parse(ctx.triggered[0].prop_id.split('.')[0]);
    const holder = document.getElementById(id.graph);
    const gd = holder && (holder.classList.contains('js-plotly-plot') ? holder
                          : holder.querySelector('.js-plotly-plot'));
    if (gd && window.Plotly) {
        const w = gd._fullLayout ? gd._fullLayout.width : 1200;
        const h = gd._fullLayout ? gd._fullLayout.height : 675;
        window.Plotly.downloadImage(gd, {format: id.fmt, filename: name, width: w, height: h,
                                         scale: id.fmt === 'png' ? 2 : 1});
    }
    return '';
}
"""


def _alpha_text(alpha: float) -> str:
    from lagesbild.figures.format import fmt_pct

    pct = alpha * 100
    return fmt_pct(pct, 0 if float(pct).is_integer() else 1, fraction=False)


def _nav_bases(store) -> list[dict]:
    from lagesbild.web.auth import PAGE_ROLES, allowed
    from lagesbild.web.common import default_place

    out = []
    for key, label, path in NAV:
        if path in PAGE_ROLES and not allowed(PAGE_ROLES[path]):
            continue  # hidden for the role (the pages refuse on the server as well)
        href = path
        if key == "plats":
            pid = default_place(store)
            href = f"/plats/{pid}" if pid else "/plats/-"
        out.append({"key": key, "label": label, "path": path, "href": href})
    return out


def shell():
    """The page shell, built on every full page load (so the banner and data date are current)."""
    from lagesbild.web import auth

    store, settings = get_store(), get_settings()
    meta = store.meta()
    bases = _nav_bases(store)
    nav = [dcc.Link(b["label"], href=b["href"], id={"type": "nav", "key": b["key"]},
                    className="nav-link") for b in bases]
    return html.Div(id="app-root", className="app", children=[
        dcc.Store(id="nav-bases", data=[{k: b[k] for k in ("path", "href")} for b in bases]),
        html.Header(className="topbar", children=[
            html.Div(className="brand", children=[
                html.Span("Lägesbild", className="brand-name"),
                html.Span(settings.organisation, className="brand-org")]),
            html.Nav(nav, className="nav", **{"aria-label": "Sidor"}),
            html.Div(className="topbar-right", children=[
                html.Span(ui.freshness(common.data_until(store)), className="freshness", id="freshness"),
                html.Button("Mötesläge", id="meeting-toggle", className="meeting-toggle", n_clicks=0,
                            title="Stor text och hög kontrast för projektor (1920×1080)"),
                html.Span(id="meeting-sink", hidden=True), auth.user_box()]),
        ]),
        auth.banner(),
        ui.demo_banner(meta),
        html.Main(dash.page_container, className="main"),
        html.Footer(className="footer", children=[
            f"Källa: {common.figure_context(store, settings).crime_source}; trygghetsmätning; åtgärdsplan. Bearbetning ",
            settings.organisation, ". Förändringar färgas bara när de är statistiskt säkerställda "
            f"(signifikansnivå {_alpha_text(settings.alpha)})."]),
    ])


def _register_shell_callbacks(app: dash.Dash) -> None:
    app.clientside_callback(
        NAV_JS,
        Output({"type": "nav", "key": ALL}, "href"), Output({"type": "nav", "key": ALL}, "className"),
        Output("app-root", "className"), Output("meeting-toggle", "children"),
        Input("_pages_location", "pathname"), Input("_pages_location", "search"),
        State("nav-bases", "data"))
    app.clientside_callback(MEETING_JS, Output("meeting-sink", "children"),
                            Input("meeting-toggle", "n_clicks"), prevent_initial_call=True)
    app.clientside_callback(
        DOWNLOAD_JS, Output({"type": "chart-dl-sink", "graph": MATCH}, "children"),
        Input({"type": "chart-dl", "graph": MATCH, "fmt": "png"}, "n_clicks"),
        Input({"type": "chart-dl", "graph": MATCH, "fmt": "svg"}, "n_clicks"),
        State({"type": "chart-name", "graph": MATCH}, "children"), prevent_initial_call=True)


def _forget_global_callbacks() -> None:
    """Drop page callbacks left in Dash's global list by an earlier app in this process.

    Page modules are executed anew by every ``Dash(use_pages=True)`` and register their callbacks with
    ``dash.callback``; an app copies the global list on its first request. Clearing it first means each
    app gets exactly one copy, also when several apps are created in one process (tests).
    """
    from dash import _callback

    _callback.GLOBAL_CALLBACK_LIST.clear()
    _callback.GLOBAL_CALLBACK_MAP.clear()


def create_app(settings, store) -> dash.Dash:
    """Build the dashboard for ``settings`` on ``store``.

    Parameters
    ----------
    settings : lagesbild.settings.Settings
    store : lagesbild.store.Store
        An open store (any SQLAlchemy URL); several workers may share it.

    Returns
    -------
    dash.Dash
        ``app.server`` is the WSGI application.
    """
    set_context(settings, store)
    _forget_global_callbacks()
    app = dash.Dash(
        "lagesbild.web", use_pages=True, pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"), title="Lägesbild", update_title=None,
        suppress_callback_exceptions=True, serve_locally=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}])
    set_context(settings, store, app.server)
    app.index_string = app.index_string.replace("<html>", '<html lang="sv">', 1)
    app.layout = shell
    _register_shell_callbacks(app)
    register_export_callbacks(app)
    app.server.config["JSON_AS_ASCII"] = False
    _secure(app, settings, store)
    _one_version_per_request(app.server, store)
    _place_without_id(app.server)
    page_status.install(app, store)  # an address that is no page: 404 (pages/not_found_404.py)
    return app


def _place_without_id(server) -> None:
    """``/plats`` without a place (typed, or cut from a link) opens the place chooser ``/plats/-``
    with the same query, instead of the page that does not exist (``pages/not_found_404.py``)."""
    from flask import redirect, request

    def choose_place():
        query = request.query_string.decode("utf-8", "replace")
        return redirect("/plats/-" + (f"?{query}" if query else ""), code=302)

    server.add_url_rule("/plats", "place_without_id", choose_place)
    server.add_url_rule("/plats/", "place_without_id_slash", choose_place)


def _one_version_per_request(server, store) -> None:
    """Each request reads the data version once and answers from that version (after the login
    guard: a request turned away reads nothing)."""
    from flask import g

    from lagesbild.analysis import one_version

    @server.before_request
    def _pin():
        g.lagesbild_version = one_version(store)
        g.lagesbild_version.__enter__()

    @server.teardown_request
    def _unpin(_error):
        block = g.pop("lagesbild_version", None)
        if block is not None:
            block.__exit__(None, None, None)


def _secure(app, settings, store) -> None:
    """Login, roles, CSRF, headers and the upload limit (lagesbild/web/auth.py, security.py,
    callback_roles.py)."""
    from lagesbild.analysis.admin import secret_key
    from lagesbild.web import auth, callback_roles, security

    app.server.secret_key = secret_key(store)
    auth.install(app.server, settings)  # its guard runs first: no login, nothing else is looked at
    security.install(app, settings)
    callback_roles.install(app)  # after the request's shape is checked
