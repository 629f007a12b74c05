"""Data (``/data``): store contents, ingest history, and drag-and-drop upload with validation first."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, dcc, html, no_update

from lagesbild.errors import InputError
from lagesbild.web import auth, security
from lagesbild.web import components as ui
from lagesbild.web.registry import get_settings, get_store
from lagesbild.web.views import data as view
from lagesbild.web.views import datamapping as mapview

dash.register_page(__name__, path="/data", name="Data", title="Data – Lägesbild", order=5)
SOURCE_MAX = 120  # the store's source names (the server checks it too: lagesbild.ingest.limits)


def layout(**query):
    """The data page (role analytiker: uploads and ingest)."""
    if not auth.allowed("analytiker"):
        return html.Div(className="page page-data", children=[html.H1("Data"), auth.refusal("analytiker")])
    kinds = [{"label": label, "value": kind} for kind, label in view.KIND_LABELS.items()]
    limit_mb = get_settings().max_upload_mb
    limit = {"data-max-bytes": security.upload_limit_bytes(limit_mb), "data-max-mb": limit_mb}
    return html.Div(className="page page-data", children=[
        dcc.Store(id="dt-pending"), dcc.Store(id="dt-map-state"), dcc.Download(id="dt-yaml-file"),
        html.H1("Data"),
        ui.section("Läs in en fil", html.Div(className="filters", children=[
            ui.control("Typ av fil", dcc.Dropdown(id="dt-kind", options=kinds, placeholder="Välj typ"),
                       class_name="wide"),
            ui.control("Koordinatsystem (om filen saknar)", dcc.Input(
                id="dt-crs", type="text", placeholder="t.ex. EPSG:3011", debounce=True)),
            ui.control("Källans namn (frivilligt)", dcc.Input(id="dt-source", type="text",
                                                              placeholder="standard per typ",
                                                              debounce=True, maxLength=SOURCE_MAX)),
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
            html.Div(id="dt-saved"),
            dcc.Loading(html.Div(id="dt-report"), type="default"),
            html.Div(id="dt-mapping"),
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
          Output("dt-commit", "disabled"), Output("dt-kind", "value"), Output("dt-mapping", "children"),
          Output("dt-map-state", "data"), Output("dt-saved", "children"),
          Input("dt-upload", "contents"), Input("dt-kind", "value"), State("dt-upload", "filename"),
          State("dt-crs", "value"), State("dt-source", "value"), prevent_initial_call=True)
def validate(contents, kind, filename, crs, source):
    """Save the dropped file and show its validation report (the store is not changed); a file whose
    columns or categories are not recognised also gets the mapping form, a saved mapping is applied."""
    nothing = (None, None, None)
    if not contents:
        return (no_update, None, True, no_update) + nothing
    if not auth.allowed("analytiker"):
        return (auth.refusal("analytiker"), None, True, no_update) + nothing
    too_large = security.upload_too_large(contents, get_settings().max_upload_mb)
    if too_large:
        auth.audit_event("upload_refused", f"{filename}: för stor")
        return (view.refused_view(filename, too_large), None, True, no_update) + nothing
    kind = kind or view.guess_kind(filename)
    if not kind:
        return (ui.empty("välj vilken typ av fil det är", hint=f"{filename} kan vara flera typer."),
                None, True, no_update) + nothing
    store, settings = get_store(), get_settings()
    try:
        path = view.save_upload(contents, filename, view.upload_root(settings), auth.current_name())
    except InputError as err:
        return (view.error_view(err), None, True, kind) + nothing
    refused = None
    try:
        state = mapview.analyse(settings, kind, path, filename, source)
    except InputError as err:
        # no form can be offered (not a table, or a header too wide to read): that reason is the
        # answer, not the validation's "välj kolumnerna i formuläret" under no form
        state, refused = None, err
    if state is not None:
        state.update(crs=crs, source=source)
    mapping = (state or {}).get("base") or None
    report, ok = view.validate_upload(store, kind, path, name=filename, crs=crs, source=source,
                                      mapping=mapping)
    if refused is not None and not ok:
        report = view.error_view(refused, name=filename)
    auth.audit_event("upload", f"{filename} ({kind}), {'godkänd' if ok else 'avvisad'}")
    state = mapview.after_validation(state, ok)
    if not ok and not (state or {}).get("show"):
        view.discard_upload(path, view.upload_root(settings))  # no mapping form: nothing retries it
    token = view.upload_token(path)  # the browser gets this token, never the server's path
    pending = {"upload": token, "kind": kind, "name": filename, "crs": crs, "source": source,
               "mapping": mapping}
    return (report, pending if ok else None, not ok, kind, mapview.form(state), _for_browser(state, token),
            mapview.saved_note(state))


def _for_browser(state: dict | None, token: str) -> dict | None:
    """The mapping state as the browser keeps it: the upload's token in place of its path."""
    if state is None:
        return None
    return {**{k: v for k, v in state.items() if k != "path"}, "upload": token}


def _upload_file(token, read_in_too: bool = False):
    """The file of an upload the browser names by its token, if it is the caller's (else None)."""
    return view.upload_path(token, view.upload_root(get_settings()), auth.current_name(),
                            read_in_too=read_in_too)


#: the mapping state's fields and their types (the browser sends the state back: anything else in it
#: is a crafted request, which got a server error from the form's code)
STATE_TYPES = {"upload": str, "kind": str, "name": (str, type(None)), "headers": list, "columns": list,
               "missing": list, "categories": list, "constants": list, "base": dict, "suggestions": dict,
               "saved": (str, type(None)), "save_as": (str, type(None)), "show": (bool, type(None)),
               "crs": (str, type(None)), "source": (str, type(None))}
STATE_TEXT_LISTS = ("columns", "missing", "categories", "constants")


PENDING_TYPES = {"upload": str, "kind": str, "name": str, "crs": (str, type(None)),
                 "source": (str, type(None)), "mapping": (dict, type(None)), "save": (dict, type(None))}


def _checked_pending(pending) -> dict | None:
    """The validated upload the browser sent back, with its file's path, if it names an upload of the
    caller's and has its shape (else None)."""
    ok = isinstance(pending, dict) and all(isinstance(pending.get(k), t) for k, t in PENDING_TYPES.items()) \
        and pending["kind"] in view.KIND_LABELS and isinstance((pending.get("save") or {}).get("name", ""), str) \
        and isinstance((pending.get("save") or {}).get("headers", []), list)
    path = _upload_file(pending["upload"]) if ok else None
    return None if path is None else {**pending, "path": str(path)}


def _checked_state(state, read_in_too: bool = False):
    """The mapping state the browser sent back, with its file's path, if it names an upload of the
    caller's (``read_in_too``: also one read in since) and has its shape (else None)."""
    if not isinstance(state, dict) or any(not isinstance(state.get(k), t) for k, t in STATE_TYPES.items()
                                          if k in state or k in ("upload", "kind")):
        return None
    if any(not all(isinstance(x, str) for x in state.get(k) or []) for k in STATE_TEXT_LISTS):
        return None
    path = _upload_file(state["upload"], read_in_too)
    if path is None or state["kind"] not in mapview.COLUMN_LABELS:
        return None
    return {**state, "path": str(path)}


@callback(Output("dt-report", "children", allow_duplicate=True),
          Output("dt-pending", "data", allow_duplicate=True),
          Output("dt-commit", "disabled", allow_duplicate=True),
          Output("dt-mapping", "children", allow_duplicate=True),
          Output("dt-map-state", "data", allow_duplicate=True),
          Input("dt-retry", "n_clicks"), State({"type": "dt-col", "index": ALL}, "value"),
          State({"type": "dt-cat", "index": ALL}, "value"), State("dt-map-state", "data"),
          State({"type": "dt-const", "index": ALL}, "value"), prevent_initial_call=True)
def retry(n_clicks, col_values, cat_values, state, const_values=()):
    """"Pröva igen": validate the file again with the form's mapping (the store is not changed)."""
    if not auth.allowed("analytiker"):
        return auth.refusal("analytiker"), None, True, no_update, no_update
    state = _checked_state(state)
    if not n_clicks or state is None:
        return no_update, no_update, no_update, no_update, no_update
    try:
        mapping = mapview.apply_choices(state, col_values, cat_values, const_values)
        state = mapview.revise(state, mapping, col_values, cat_values, const_values)
    except InputError as err:
        return no_update, None, True, mapview.form(state, error=err.reason), no_update
    report, ok = view.validate_upload(get_store(), state["kind"], state["path"], name=state["name"],
                                      crs=state.get("crs"), source=state.get("source"), mapping=mapping)
    pending = {"upload": state["upload"], "kind": state["kind"], "name": state["name"],
               "crs": state.get("crs"), "source": state.get("source"), "mapping": mapping,
               "save": {"name": state["save_as"], "headers": state["headers"]}}
    return report, pending if ok else None, not ok, mapview.form(state), _for_browser(state, state["upload"])


@callback(Output("dt-yaml-file", "data"), Output("dt-map-error", "children"),
          Input("dt-yaml", "n_clicks"), State({"type": "dt-col", "index": ALL}, "value"),
          State({"type": "dt-cat", "index": ALL}, "value"), State("dt-map-state", "data"),
          State({"type": "dt-const", "index": ALL}, "value"), prevent_initial_call=True)
def download_yaml(n_clicks, col_values, cat_values, state, const_values=()):
    """"Ladda ner som YAML": the form's mapping as the file the CLI's --mapping reads."""
    state = _checked_state(state)
    if not n_clicks or state is None or not auth.allowed("analytiker"):
        return no_update, no_update
    try:
        mapping = mapview.apply_choices(state, col_values, cat_values, const_values)
    except InputError as err:
        return no_update, err.reason
    return dict(content=mapview.mapping_yaml(mapping), filename=f"{state['save_as']}.yaml"), ""


@callback(Output("dt-saved", "children", allow_duplicate=True), Input("dt-forget", "n_clicks"),
          State("dt-map-state", "data"), prevent_initial_call=True)
def forget(n_clicks, state):
    """"Glöm mappningen": remove the saved mapping (the next file of this shape is asked again)."""
    state = _checked_state(state, read_in_too=True)  # offered after "Läs in" too
    if not n_clicks or state is None or not state.get("saved") or not auth.allowed("analytiker"):
        return no_update
    mapview.saved_mappings(get_settings()).forget(state["saved"])
    auth.audit_event("mapping_forgotten", state["saved"])
    return html.P(f"Mappningen '{state['saved']}' är borttagen. Ladda upp filen igen för att mappa "
                  "den på nytt.", className="card map-saved", id="dt-forgotten")


@callback(Output("dt-result", "children"), Output("dt-summary", "children"),
          Output("dt-commit", "disabled", allow_duplicate=True),
          Output("dt-mapping", "children", allow_duplicate=True), Input("dt-commit", "n_clicks"),
          State("dt-pending", "data"), State("dt-keep", "value"), prevent_initial_call=True)
def commit(n_clicks, pending, keep):
    """Read the validated file into the store (the mapping form, if any, is done with then)."""
    store, settings = get_store(), get_settings()
    if not auth.allowed("analytiker"):
        return auth.refusal("analytiker"), no_update, True, no_update
    pending = _checked_pending(pending)
    if not n_clicks or pending is None:
        return ui.empty("ingen kontrollerad fil väntar på att läsas in"), no_update, True, no_update
    result, changed = view.commit_upload(store, pending, keep_valid="keep" in (keep or []))
    if changed and pending.get("save") and pending.get("mapping"):
        result = [result, mapview.save_after_commit(settings, pending)]
        auth.audit_event("mapping_saved", str((pending.get("save") or {}).get("name")))
    auth.audit_event("ingest", f"{pending.get('name')} ({pending.get('kind')}), "
                               f"{'inläst' if changed else 'inte inläst'}")
    if not changed:
        return result, no_update, True, no_update
    return result, view.summary_view(store), True, None
