"""Data (``/data``): store contents, ingest history, and drag-and-drop upload with validation first."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from lagesbild.errors import InputError
from lagesbild.web import auth, security
from lagesbild.web import components as ui
from lagesbild.web.registry import get_settings, get_store
from lagesbild.web.views import data as view

dash.register_page(__name__, path="/data", name="Data", title="Data – Lägesbild", order=5)


def layout(**query):
    """The data page (role analytiker: uploads and ingest)."""
    if not auth.allowed("analytiker"):
        return html.Div(className="page page-data", children=[html.H1("Data"), auth.refusal("analytiker")])
    kinds = [{"label": label, "value": kind} for kind, label in view.KIND_LABELS.items()]
    limit_mb = get_settings().max_upload_mb
    limit = {"data-max-bytes": security.upload_limit_bytes(limit_mb), "data-max-mb": limit_mb}
    return html.Div(className="page page-data", children=[
        dcc.Store(id="dt-pending"),
        html.H1("Data"),
        ui.section("Läs in en fil", html.Div(className="filters", children=[
            ui.control("Typ av fil", dcc.Dropdown(id="dt-kind", options=kinds, placeholder="Välj typ"),
                       class_name="wide"),
            ui.control("Koordinatsystem (om filen saknar)", dcc.Input(
                id="dt-crs", type="text", placeholder="t.ex. EPSG:3011", debounce=True)),
            ui.control("Källans namn (frivilligt)", dcc.Input(id="dt-source", type="text",
                                                              placeholder="standard per typ",
                                                              debounce=True)),
        ]),
            dcc.Upload(id="dt-upload", className="upload", multiple=False,
                       max_size=limit["data-max-bytes"],
                       children=html.Div([
                html.Strong("Dra och släpp en fil här"), " eller klicka för att välja. ",
                html.Span("CSV, XLSX, GeoJSON, GeoPackage, YAML, JSON. Filen kontrolleras först; "
                          "ingenting läses in förrän du klickar på ”Läs in”.", className="muted"),
                html.Span(f" Största filstorlek: {limit_mb} MB.", className="muted", id="dt-limit",
                          **limit)])),
            html.Div(id="dt-size-error", className="login-error", role="alert"),
            dcc.Loading(html.Div(id="dt-report"), type="default"),
            html.Div(className="commit-row", children=[
                dcc.Checklist(id="dt-keep", options=[{"label": " Läs in de godkända raderna och hoppa "
                                                                "över de avvisade", "value": "keep"}],
                              value=[]),
                html.Button("Läs in", id="dt-commit", className="button-primary", disabled=True,
                            n_clicks=0)]),
            dcc.Loading(html.Div(id="dt-result"), type="default"),
            subtitle="Filen valideras utan att databasen ändras. Rader med fel visas med rad, kolumn "
                     "och orsak."),
        ui.loading("dt-summary", view.summary_view(get_store())),
    ])


def export_content(store, _query):
    """The parts of the page the Excel downloads read (the store's summary)."""
    return view.summary_view(store)


@callback(Output("dt-report", "children"), Output("dt-pending", "data"),
          Output("dt-commit", "disabled"), Output("dt-kind", "value"),
          Input("dt-upload", "contents"), Input("dt-kind", "value"), State("dt-upload", "filename"),
          State("dt-crs", "value"), State("dt-source", "value"), prevent_initial_call=True)
def validate(contents, kind, filename, crs, source):
    """Save the dropped file and show its validation report (the store is not changed)."""
    if not contents:
        return no_update, None, True, no_update
    if not auth.allowed("analytiker"):
        return auth.refusal("analytiker"), None, True, no_update
    too_large = security.upload_too_large(contents, get_settings().max_upload_mb)
    if too_large:
        auth.audit_event("upload_refused", f"{filename}: för stor")
        return ui.empty(too_large), None, True, no_update
    kind = kind or view.guess_kind(filename)
    if not kind:
        return ui.empty("välj vilken typ av fil det är", hint=f"{filename} kan vara flera typer."), \
            None, True, no_update
    store, settings = get_store(), get_settings()
    try:
        path = view.save_upload(contents, filename, view.upload_root(settings))
    except InputError as err:
        return view.error_view(err), None, True, kind
    report, ok = view.validate_upload(store, kind, path, name=filename, crs=crs, source=source)
    auth.audit_event("upload", f"{filename} ({kind}), {'godkänd' if ok else 'avvisad'}")
    pending = {"path": str(path), "kind": kind, "name": filename, "crs": crs, "source": source}
    return report, pending if ok else None, not ok, kind


@callback(Output("dt-result", "children"), Output("dt-summary", "children"),
          Output("dt-commit", "disabled", allow_duplicate=True), Input("dt-commit", "n_clicks"),
          State("dt-pending", "data"), State("dt-keep", "value"), prevent_initial_call=True)
def commit(n_clicks, pending, keep):
    """Read the validated file into the store."""
    store, settings = get_store(), get_settings()
    if not auth.allowed("analytiker"):
        return auth.refusal("analytiker"), no_update, True
    if not n_clicks or not pending or not view.inside(pending.get("path", ""), view.upload_root(settings)):
        return ui.empty("ingen kontrollerad fil väntar på att läsas in"), no_update, True
    result, changed = view.commit_upload(store, pending, keep_valid="keep" in (keep or []))
    auth.audit_event("ingest", f"{pending.get('name')} ({pending.get('kind')}), "
                               f"{'inläst' if changed else 'inte inläst'}")
    return result, view.summary_view(store) if changed else no_update, True
