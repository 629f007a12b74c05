"""Export controls for the dashboard: the meeting-pack button and Word-sized chart export.

Two layout pieces and one registration function:

* :func:`pack_button` – choose places, periods, meeting name and external version, click "Skapa
  mötespaket"; the pack is built in a background thread of the serving process
  (:mod:`lagesbild.web.pack_jobs`: at most two at a time, one per user), a ``dcc.Interval`` polls its
  progress, and the Word, PDF and ZIP files are offered with ``dcc.Download``; only the user who started
  it is answered. A user below the role analytiker gets a pack without the hot spot map.
* :func:`chart_export_menu` – PNG (16 cm, 300 dpi), SVG and PDF of a chart on the page, rendered on the
  server by kaleido with the chart's title, place, periods and source line inside the image. The
  browser sends only the page's address and the chart's id; the server builds the figure again
  (:mod:`lagesbild.web.chart_source`) and never renders a figure object from a request. Its "Excel"
  choice downloads the numbers behind the chart (:mod:`lagesbild.web.numbers`).
* :func:`table_export_menu` – the "Excel" download beside a table, the same way.
* :func:`register_export_callbacks` – call once with the app.

The jobs themselves (folders, status, owner, limits) are :mod:`lagesbild.web.pack_jobs`.
"""

from __future__ import annotations

import io
import logging
import tempfile
from pathlib import Path

from dash import MATCH, Input, Output, State, dcc, html, no_update

from lagesbild.web.pack_jobs import (
    JOB_TEXT,
    PackBusy,
    job_dir,
    job_has_map,
    job_owned,
    read_status,
    start_pack_job,
)

log = logging.getLogger(__name__)

# ----- declarative tables ----------------------------------------------------------------------
IDS = dict(places="lb-pack-places", periods="lb-pack-periods", meeting="lb-pack-meeting",
           external="lb-pack-external", start="lb-pack-start", progress="lb-pack-progress",
           status="lb-pack-status", job="lb-pack-job", poll="lb-pack-poll", files="lb-pack-files")
PACK_FILES = (("docx", "Word"), ("pdf", "PDF"), ("zip", "ZIP (diagram och siffror)"))
CHART_FORMATS = (("png", "PNG för Word"), ("svg", "SVG"), ("pdf", "PDF"), ("xlsx", "Excel"))
POLL_MS = 1000
TEXT = dict(JOB_TEXT, start="Skapa mötespaket", need="Välj minst en plats och två perioder.",
            lost="Arbetet hittades inte (servern kan ha startats om). Försök igen.",
            render_failed="Exporten misslyckades: diagrammet kunde inte ritas på servern. Felet är loggat; "
                          "försök igen, och kontakta den som driver Lägesbild om det händer igen.")

TABLE_JS = """
function(n) {
    const ctx = window.dash_clientside.callback_context;
    if (!ctx.triggered.length || !n) { return window.dash_clientside.no_update; }
    const id = JSON.parse(ctx.triggered[0].prop_id.split('.')[0]);
    return {fmt: 'xlsx', graph: id.table, path: window.location.pathname,
            search: window.location.search, t: Date.now()};
}
"""
PRINT_JS = """
function(n) {
    if (n && window.lagesbildPrint) { window.lagesbildPrint.print(); }
    return '';
}
"""
CHART_JS = """
function() {
    const ctx = window.dash_clientside.callback_context;
    if (!ctx.triggered.length || !ctx.triggered[0].value) { return window.dash_clientside.no_update; }
    const id = JSON.parse(ctx.triggered[0].prop_id.split('.')[0]);
    return {fmt: id.fmt, graph: id.graph, path: window.location.pathname,
            search: window.location.search, t: Date.now()};
}
"""


# ----- layout ----------------------------------------------------------------------------------
def _options(store):
    from lagesbild.analysis.pack import pack_options

    places, years = pack_options(store)
    return [{"label": n, "value": p} for p, n in places], [{"label": y, "value": y} for y in years]


def pack_button(places=None, periods=None, *, store=None) -> html.Div:
    """The meeting-pack control: places, periods, meeting name, external version, button, progress.

    Parameters
    ----------
    places, periods : list of str, optional
        Preselected place ids and period labels (default: none and the pack's default periods, the
        latest two Sep–Aug years or, with yearly counts only, calendar years).
    store : Store, optional
        Default: the app's store (call inside a layout function, at request time).
    """
    from lagesbild.analysis.pack import default_periods
    from lagesbild.web.registry import get_store

    store = store or get_store()
    place_opts, period_opts = _options(store)
    periods = periods or [p.label for p in default_periods(store, places=places)]
    downloads = [html.Button(label, id={"type": "lb-pack-dl", "fmt": fmt}, n_clicks=0,
                             className="dl-button") for fmt, label in PACK_FILES]
    return html.Div(className="card export-pack", children=[
        html.H3("Mötespaket"),
        html.P("Word-dokument, PDF och en ZIP med alla diagram och siffrorna bakom dem.",
               className="hint"),
        html.Label(["Platser", dcc.Dropdown(id=IDS["places"], options=place_opts, multi=True,
                                            value=list(places or []), placeholder="Välj platser")]),
        html.Label(["Perioder", dcc.Dropdown(id=IDS["periods"], options=period_opts, multi=True,
                                             value=periods, placeholder="Välj perioder")]),
        html.Label(["Möte", dcc.Input(id=IDS["meeting"], value="Beredningsgrupp", type="text",
                                      debounce=True)]),
        dcc.Checklist(id=IDS["external"], options=[{"label": " Extern version (dölj små antal i "
                                                             "känsliga kategorier)", "value": "ja"}],
                      value=[]),
        html.Button(TEXT["start"], id=IDS["start"], n_clicks=0, className="primary-button"),
        html.Progress(id=IDS["progress"], max=1, value=0, style={"width": "100%"}),
        html.Div(id=IDS["status"], role="status", **{"aria-live": "polite"}),
        html.Div(id=IDS["files"], hidden=True, children=[html.Span("Ladda ner: "), *downloads]),
        *[dcc.Download(id={"type": "lb-pack-download", "fmt": fmt}) for fmt, _ in PACK_FILES],
        dcc.Store(id=IDS["job"]),
        dcc.Interval(id=IDS["poll"], interval=POLL_MS, disabled=True),
    ])


def chart_export_menu(graph_id: str) -> html.Div:
    """Server-side export buttons (PNG 16 cm/300 dpi, SVG, PDF) for the ``dcc.Graph`` ``graph_id``."""
    buttons = [html.Button(label, id={"type": "lb-chart-export", "graph": graph_id, "fmt": fmt},
                           n_clicks=0, className="dl-button" + (" xlsx-button" if fmt == "xlsx" else ""),
                           title="Ladda ner siffrorna bakom diagrammet som Excel-fil" if fmt == "xlsx"
                           else f"Spara diagrammet som {fmt.upper()} med titel och källrad")
               for fmt, label in CHART_FORMATS]
    return html.Div(className="chart-export", children=[
        html.Span("Exportera: "), *buttons,
        dcc.Store(id={"type": "lb-chart-fig", "graph": graph_id}),
        html.Span(id={"type": "lb-chart-msg", "graph": graph_id}, className="chart-export-msg",
                  role="status"),
        dcc.Download(id={"type": "lb-chart-download", "graph": graph_id})])


def table_export_menu(table_id: str) -> html.Div:
    """The "Excel" download of the numbers behind the table ``table_id`` (built on the server)."""
    return html.Div(className="table-export", children=[
        html.Button("Excel", id={"type": "lb-table-export", "table": table_id}, n_clicks=0,
                    className="dl-button xlsx-button",
                    title="Ladda ner siffrorna bakom tabellen som Excel-fil"),
        dcc.Store(id={"type": "lb-table-req", "table": table_id}),
        html.Span(id={"type": "lb-table-msg", "table": table_id}, className="chart-export-msg",
                  role="status"),
        dcc.Download(id={"type": "lb-table-download", "table": table_id})])


# ----- callbacks -------------------------------------------------------------------------------
def chart_file_name(fig) -> str:
    """A file name stem from a chart's title, place and periods (no subtitle extras, no markup)."""
    import re

    from lagesbild.export.figure import figure_labels
    from lagesbild.figures.style import subtitle

    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    labels = figure_labels(fig)
    title = meta.get("title") or labels["title"] or "diagram"
    sub = subtitle(meta.get("place"), meta.get("periods")) if meta else labels["subtitle"]
    return re.sub(r"<[^>]+>", " ", " ".join(x for x in (title, sub) if x)).strip()


def chart_stem(fig) -> str:
    """The safe file name (no extension) of a chart's download: :func:`chart_file_name`, but a long
    place name is cut before the periods are (a long name left "… del 2 · 2020–2021 och" or no period).
    """
    import re

    from lagesbild.export.safety import safe_filename, safe_stem
    from lagesbild.figures.format import fmt_periods

    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    periods = meta.get("periods")
    if isinstance(periods, str):
        periods = [periods]
    whole = chart_file_name(fig)
    tail = f"· {fmt_periods(list(periods))}" if periods else ""
    if not tail or not whole.endswith(tail):
        return safe_filename(whole)
    return safe_stem(re.sub(r"\s+", " ", whole[: -len(tail)]).strip(), tail)


def export_chart_bytes(fig, fmt: str, settings, *, width_cm: float = 16,
                       dpi: int = 300) -> tuple[bytes, str]:
    """Render a figure built on the server to bytes; return them with a safe file name.

    PNG is ``width_cm`` wide at ``dpi`` (recorded in the file by the renderer); SVG and PDF are vector.
    ``fig`` is a plotly figure or the plain dict the figure functions build. A chart of rows taller than
    an A4 page (the timeline of a large action plan: one image 70 cm tall) is a PDF of one page per part
    and, as PNG or SVG, a ZIP of one image per part (``<name> del 1 av 3.png`` …;
    :func:`lagesbild.export.figure.export_pages`).
    """
    import zipfile

    import plotly.graph_objects as go

    from lagesbild.export.figure import export_figure, export_pages
    from lagesbild.export.render import shared_renderer

    fig = go.Figure(fig) if isinstance(fig, dict) else fig
    name = chart_stem(fig)
    renderer = shared_renderer(settings.chromium)
    with tempfile.TemporaryDirectory(prefix="lagesbild-chart-") as tmp:
        if fmt == "pdf":
            path = export_figure(fig, Path(tmp) / f"bild.{fmt}", fmt=fmt, width_cm=width_cm, dpi=dpi,
                                 renderer=renderer)
            return path.read_bytes(), f"{name}.{fmt}"
        paths = export_pages(fig, Path(tmp) / f"{name}.{fmt}", fmt=fmt, width_cm=width_cm, dpi=dpi,
                             renderer=renderer)
        if len(paths) == 1:
            return paths[0].read_bytes(), f"{name}.{fmt}"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in paths:
                archive.write(part, part.name)
    return buffer.getvalue(), f"{name}.zip"


def _start(n, places, periods, meeting, external):
    from lagesbild.web.registry import get_settings, get_store

    if not n:
        return no_update, no_update, no_update, no_update, no_update
    if not places or not periods or len(periods) < 2:
        return no_update, True, TEXT["need"], 0, True
    from lagesbild.web.auth import OUTPUT_ROLES, allowed, audit_event, current_name

    with_map = allowed(OUTPUT_ROLES["map-content"])  # below the map's role the pack leaves it out
    try:
        job = start_pack_job(get_store(), get_settings(), owner=current_name(), places=list(places),
                             periods=list(periods), meeting=(meeting or "Beredningsgrupp").strip(),
                             external=bool(external), with_map=with_map)
    except PackBusy as busy:
        return no_update, True, str(busy), 0, True
    audit_event("export_pack", f"platser {', '.join(map(str, places))}; perioder "
                               f"{', '.join(map(str, periods))}{'; extern' if external else ''}"
                               f"{'' if with_map else '; utan karta (roll under analytiker)'}")
    return job, False, TEXT["running"], 0, True


def _poll(_n, job):
    from lagesbild.web.auth import current_name
    from lagesbild.web.registry import get_settings, get_store

    folder = job_dir(get_settings().data_dir, job)
    status = read_status(folder) if job_owned(folder, get_store(), current_name()) else None
    if status is None:
        return True, TEXT["lost"], 0, 1, True
    total = max(int(status.get("total") or 1), 1)
    finished = status["state"] != "running"
    return (finished, status.get("message", ""), int(status.get("done") or 0), total,
            status["state"] != "done")


def _download(_n, job):
    from dash import ctx

    from lagesbild.web.auth import OUTPUT_ROLES, REFUSED, allowed, audit_event, current_name, current_role
    from lagesbild.web.chart_source import RoleRefused
    from lagesbild.web.registry import get_settings, get_store

    folder = job_dir(get_settings().data_dir, job)
    if folder is not None and not job_owned(folder, get_store(), current_name()):
        audit_event("export_refused", f"mötespaket {job}: startat av en annan användare")
        return no_update
    needed = OUTPUT_ROLES["map-content"]
    if folder is not None and job_has_map(folder) and not allowed(needed):  # a role lowered since: 403
        audit_event("export_refused", f"mötespaket {job}: kartan kräver rollen {needed}")
        raise RoleRefused(REFUSED.format(role=current_role() or "ej inloggad", needed=needed))
    status = read_status(folder)
    fmt = (ctx.triggered_id or {}).get("fmt")
    if fmt not in {f for f, _ in PACK_FILES}:  # only a file's format names a file ("state" is no file)
        return no_update
    if not status or status.get("state") != "done" or fmt not in status:
        return no_update
    return dcc.send_file(str(folder / Path(status[fmt]).name))


def register_export_callbacks(app) -> None:
    """Register the pack and chart-export callbacks on ``app`` (once per app)."""
    app.callback(
        Output(IDS["job"], "data"), Output(IDS["poll"], "disabled"), Output(IDS["status"], "children"),
        Output(IDS["progress"], "value"), Output(IDS["files"], "hidden"),
        Input(IDS["start"], "n_clicks"), State(IDS["places"], "value"), State(IDS["periods"], "value"),
        State(IDS["meeting"], "value"), State(IDS["external"], "value"),
        prevent_initial_call=True)(_start)
    app.callback(
        Output(IDS["poll"], "disabled", allow_duplicate=True),
        Output(IDS["status"], "children", allow_duplicate=True),
        Output(IDS["progress"], "value", allow_duplicate=True), Output(IDS["progress"], "max"),
        Output(IDS["files"], "hidden", allow_duplicate=True),
        Input(IDS["poll"], "n_intervals"), State(IDS["job"], "data"), prevent_initial_call=True)(_poll)
    for fmt, _ in PACK_FILES:
        app.callback(Output({"type": "lb-pack-download", "fmt": fmt}, "data"),
                     Input({"type": "lb-pack-dl", "fmt": fmt}, "n_clicks"), State(IDS["job"], "data"),
                     prevent_initial_call=True)(_download)
    app.clientside_callback(
        CHART_JS, Output({"type": "lb-chart-fig", "graph": MATCH}, "data"),
        *[Input({"type": "lb-chart-export", "graph": MATCH, "fmt": fmt}, "n_clicks")
          for fmt, _ in CHART_FORMATS], prevent_initial_call=True)

    app.callback(Output({"type": "lb-chart-download", "graph": MATCH}, "data"),
                 Output({"type": "lb-chart-msg", "graph": MATCH}, "children"),
                 Input({"type": "lb-chart-fig", "graph": MATCH}, "data"),
                 prevent_initial_call=True)(chart_download)
    app.clientside_callback(PRINT_JS, Output("lb-print-sink", "children"), Input("lb-print", "n_clicks"),
                            prevent_initial_call=True)
    app.clientside_callback(
        TABLE_JS, Output({"type": "lb-table-req", "table": MATCH}, "data"),
        Input({"type": "lb-table-export", "table": MATCH}, "n_clicks"), prevent_initial_call=True)
    app.callback(Output({"type": "lb-table-download", "table": MATCH}, "data"),
                 Output({"type": "lb-table-msg", "table": MATCH}, "children"),
                 Input({"type": "lb-table-req", "table": MATCH}, "data"),
                 prevent_initial_call=True)(chart_download)


def chart_download(payload):
    """The download of a chart named by ``{fmt, graph, path, search}``: built and rendered here.

    With ``fmt`` ``xlsx`` it is the numbers behind the chart or table ``graph`` instead.
    Returns the download and a status text; a request that cannot be served gets a Swedish reason
    (never a figure from the request, never a traceback).
    """
    from lagesbild.export.render import RenderError
    from lagesbild.web.auth import audit_event
    from lagesbild.web.chart_source import ExportRefused, RoleRefused, figure_for, numbers_for, parse_request
    from lagesbild.web.numbers import xlsx_bytes
    from lagesbild.web.registry import get_settings, get_store

    if not payload:
        return no_update, no_update
    try:
        fmt, graph, path, search = parse_request(payload)
        if fmt == "xlsx":
            content, name = xlsx_bytes(numbers_for(path, search, graph), get_store(), get_settings(),
                                       page=path + search)
        else:
            content, name = export_chart_bytes(figure_for(path, search, graph), fmt, get_settings())
    except RoleRefused as exc:  # a page or numbers the role may not see: 403 (web/callback_roles.py)
        audit_event("export_refused", f"{graph}: {exc}")
        raise
    except RenderError as exc:  # the server's browser: its path and words are for the log, not the page
        log.error("chart export of %s failed: %s", graph, exc)
        audit_event("export_refused", f"{graph}: renderingen misslyckades")
        return no_update, TEXT["render_failed"]
    except (ExportRefused, ValueError) as exc:
        graph = str(payload.get("graph"))[:80] if isinstance(payload, dict) else ""
        audit_event("export_refused", f"{graph}: {exc}")
        return no_update, f"Exporten misslyckades: {exc}"
    audit_event("export_numbers" if fmt == "xlsx" else "export_chart", f"{name} ({path}{search})")
    return dcc.send_bytes(content, name), ""
