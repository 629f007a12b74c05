"""Small layout building blocks shared by the pages: chart cards, tiles, tables, messages."""

from __future__ import annotations

import re

import pandas as pd
from dash import dash_table, dcc, html

from lagesbild.figures import finishing, style
from lagesbild.figures.figdict import inert_links, records
from lagesbild.figures.format import fmt_date

DEMO_TEXT = ("Fiktiva demodata – inte verklig brottsstatistik. Siffrorna är påhittade för att visa hur "
             "verktyget fungerar (utom Hässelby torg jan–nov 2018/2019, som återger polisens siffror).")
TABLE_STYLE = dict(
    style_table={"overflowX": "auto"},
    style_cell={"fontFamily": style.FONT, "fontSize": "inherit", "padding": "6px 10px",
                "textAlign": "left", "whiteSpace": "normal", "height": "auto",
                "border": "none", "borderBottom": "1px solid #E3E6EA"},
    style_header={"fontWeight": 700, "backgroundColor": "#F3F5F7", "borderBottom": "2px solid #9AA1A9"},
    style_cell_conditional=[
        {"if": {"column_id": "Bedömning"}, "minWidth": "190px", "width": "24%"},
        {"if": {"column_id": "Kategori"}, "minWidth": "130px"},
        {"if": {"column_type": "numeric"}, "textAlign": "right", "whiteSpace": "nowrap"},
    ],
)
#: every dcc.DatePickerSingle: ISO dates, Monday first (its English texts: assets/swedish-texts.js)
DATE_PICKER = dict(display_format="YYYY-MM-DD", month_format="YYYY-MM", first_day_of_week=1,
                   clearable=False, placeholder="ÅÅÅÅ-MM-DD", className="date-picker")
DOWNLOAD_FORMATS = ("png", "svg")
CHART_HEIGHT = 460
#: the least height (px) of a chart's plot under and over its margins: a chart whose margins are fixed
#: tall by its labels (a legend of nineteen categories over the plot took 476 px of a 460 px chart, and
#: the bars lay in a plot of no height) is drawn taller instead
MIN_PLOT = 200


def _margins_tall(layout) -> float:
    """The figure's top and bottom margins together (px; 0 where not set)."""
    margin = layout.get("margin") if isinstance(layout, dict) else layout.margin
    if margin is None:
        return 0
    top, bottom = (margin.get("t"), margin.get("b")) if isinstance(margin, dict) else (margin.t, margin.b)
    return (top or 0) + (bottom or 0)


def chart(fig, graph_id: str, *, name: str | None = None, meeting: bool = False,
          class_name: str = "", height: int | str | None = None, numbers=None) -> html.Div:
    """A card holding a chart and its export tools.

    Two rows of buttons: the browser's quick PNG/SVG of the chart as shown (file name ``name``), and
    the server's export for Word (:func:`lagesbild.web.export_controls.chart_export_menu`: PNG 16 cm at
    300 dpi, SVG, PDF, with title, place, periods and source line inside the image).

    The height is ``height`` (pixels, or a CSS length such as ``100%`` inside the meeting grid), else
    the figure's own ``layout.height``, else :data:`CHART_HEIGHT`; a height in pixels for a figure without
    its own is at least the figure's top and bottom margins and :data:`MIN_PLOT` (the meeting grid's
    panels get theirs from ``assets/meeting-fit.js``). ``numbers``
    (:class:`lagesbild.web.numbers.Numbers`: the analysis frame the figure was drawn from) is what the
    export menu's "Excel" downloads.
    """
    if isinstance(fig, dict):
        fig = inert_links(fig)
    else:
        plain = fig.to_plotly_json()
        safe = inert_links(plain)
        if safe is not plain:  # a name in the figure held a link tag: draw the made-safe dict
            fig = safe
    layout = fig.get("layout", {}) if isinstance(fig, dict) else fig.layout  # a figure dict or plotly's
    meta = (layout.get("meta") if isinstance(fig, dict) else layout.meta) or {}
    if finishing.is_empty(fig):
        text = finishing.empty_text(fig)
        return html.Div(className=f"card chart-card empty-chart {class_name}".strip(), children=[
            html.H2(meta.get("title", "")), html.P(text, className="empty-text", role="status")])
    if height == "100%":  # fill the meeting grid's panel
        if isinstance(fig, dict):
            fig = {**fig, "layout": {k: v for k, v in layout.items() if k != "height"}}
        else:
            fig.update_layout(height=None)
    own = layout.get("height") if isinstance(fig, dict) else layout.height
    height = height or own or CHART_HEIGHT
    if isinstance(height, (int, float)) and not own:  # plotly draws the box's height: keep a plot in it
        height = max(height, _margins_tall(layout) + MIN_PLOT)
    css_height = f"{height}px" if isinstance(height, (int, float)) else height
    name = name or style.filename(meta.get("title", graph_id), meta.get("place"))
    buttons = [html.Button(fmt.upper(), id={"type": "chart-dl", "graph": graph_id, "fmt": fmt},
                           className="dl-button", title=f"Ladda ner diagrammet som {fmt.upper()}",
                           n_clicks=0)
               for fmt in DOWNLOAD_FORMATS]
    from lagesbild.web.export_controls import chart_export_menu
    from lagesbild.web.numbers import attach

    graph = attach(dcc.Graph(id=graph_id, figure=fig, config=style.graph_config(name, meeting=meeting),
                             className="chart", style={"height": css_height}), numbers)
    # a screen reader names the chart by its title (plotly's SVG itself has no name or role)
    label = ", ".join(str(t) for t in (meta.get("title"), meta.get("place")) if t)
    return html.Div(className=f"card chart-card {class_name}".strip(), role="figure",
                    **{"aria-label": f"Diagram: {label}" if label else "Diagram"}, children=[
        graph,
        html.Div(className="chart-tools", children=[
            html.Div(className="chart-quick", children=[
                html.Span("Snabbnedladdning:"), *buttons,
                html.Span(name, className="dl-name", id={"type": "chart-name", "graph": graph_id}),
                html.Span(id={"type": "chart-dl-sink", "graph": graph_id}, hidden=True)]),
            chart_export_menu(graph_id)]),
    ])


def empty(reason: str, *, hint: str | None = None) -> html.Div:
    """Say why nothing is shown."""
    return html.Div(className="empty", role="status", children=[
        html.Strong("Inget att visa: "), reason, html.Div(hint, className="hint") if hint else None])


def tiles(items: list[dict]) -> html.Div:
    """Key-figure tiles from :func:`lagesbild.figures.tables.make_overview_tiles`."""
    return html.Div(className="tiles", children=[
        html.Div(className=f"tile tone-{t.get('tone', 'neutral')}", children=[
            html.Div(t["label"], className="tile-label"),
            html.Div(t["value"], className="tile-value"),
            html.Div(t.get("detail", ""), className="tile-detail")]) for t in items])


def table(df: pd.DataFrame, table_id: str, *, columns=None, styles=None, page_size: int = 50,
          markdown: tuple = (), sort: bool = False, filter_: bool = False, numbers=None,
          header_styles=None):
    """A Swedish-styled DataTable of a frame whose values are already formatted text.

    With ``numbers`` (:class:`lagesbild.web.numbers.Numbers`: the analysis frame behind the table) the
    table comes in a block with an "Excel" download of those numbers above it.
    """
    cols = columns or [{"name": c, "id": c, "presentation": "markdown" if c in markdown else "input"}
                       for c in df.columns if not c.startswith("_")]
    cols = [{**c, "name": header_text(c["name"])} for c in cols]
    grid = dash_table.DataTable(
        id=table_id, data=records(df), columns=cols, page_size=page_size,
        style_data_conditional=styles or [], style_header_conditional=header_styles or [],
        sort_action="native" if sort else "none",
        filter_action="native" if filter_ else "none", markdown_options={"link_target": "_self"},
        # the filter row's placeholder is English ("filter data...") unless given; case-insensitive
        filter_options={"placeholder_text": "filtrera …", "case": "insensitive"},
        css=[{"selector": ".dash-spreadsheet td div", "rule": "line-height: 1.35;"},
             {"selector": ".dash-cell-value a", "rule": "color: #0072b2 !important; font-weight: 600;"}],
        **TABLE_STYLE)
    return table_block(grid, table_id, numbers)


#: a space between a digit and a group of three digits: a thousands separator written as a plain space
THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")


def header_text(name):
    """A column header as shown: its thousands joined by no-break spaces, so a header that wraps (below
    1,300 px, style.css) never breaks a number ("Per 1" over "000 inv. och år").

    >>> header_text("Per 1 000 inv. och år") == "Per 1\u00a0000 inv. och år"
    True
    >>> header_text("Kategori 2 och 3")
    'Kategori 2 och 3'
    """
    return THOUSANDS.sub("\u00a0", name) if isinstance(name, str) else name


def table_block(grid, table_id: str, numbers=None):
    """A table with the "Excel" download of its numbers (the table alone without numbers)."""
    if numbers is None:
        return grid
    from lagesbild.web.export_controls import table_export_menu
    from lagesbild.web.numbers import attach

    return html.Div([table_export_menu(table_id), attach(grid, numbers)], className="table-with-export")


def notes(items: list[str], *, title: str | None = None) -> html.Div | None:
    """Footnotes under a table or chart."""
    if not items:
        return None
    return html.Div(className="notes", children=[html.Strong(title) if title else None,
                                                 html.Ul([html.Li(n) for n in items])])


def demo_banner(meta: dict) -> html.Div | None:
    """The banner shown on every page when the store holds demo data."""
    if not meta.get("demo"):
        return None
    return html.Div(DEMO_TEXT, className="demo-banner", role="alert", id="demo-banner")


def freshness(data_until) -> str:
    """``data t.o.m. 31 aug 2023`` (or that there is no crime data yet)."""
    return f"data t.o.m. {fmt_date(data_until)}" if data_until else "ingen brottsdata inläst"


def section(title: str, *children, class_name: str = "", subtitle: str | None = None) -> html.Section:
    """A titled section of a page."""
    return html.Section(className=f"section {class_name}".strip(), children=[
        html.H2(title), html.P(subtitle, className="section-sub") if subtitle else None, *children])


def control(label: str, component, *, class_name: str = "") -> html.Div:
    """A labelled control for the filter bar."""
    return html.Div(className=f"control {class_name}".strip(),
                    children=[html.Label(label, className="control-label"), component])


def loading(child_id: str, children=None) -> dcc.Loading:
    """A content area with a loading indicator."""
    return dcc.Loading(html.Div(id=child_id, children=children, className="content"), type="default",
                       delay_show=250, color="#0072B2", parent_className="loading-wrap")


def print_button() -> html.Div:
    """"Skriv ut": the page in its A4 landscape print view (assets/style-print.css, assets/print.js)."""
    return html.Div(className="control print-control", children=[
        html.Button("Skriv ut", id="lb-print", n_clicks=0, className="dl-button print-button",
                    title="Skriv ut sidan på A4 liggande (eller spara som PDF)"),
        html.Span(id="lb-print-sink", hidden=True)])
