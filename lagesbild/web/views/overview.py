"""Översikt: every place at a glance for the latest Sep–Aug year against the one before.

:func:`overview_view` is a plain function of the store, the settings and the (parsed) controls; the page
module only wires it to the controls. The numbers come from
:func:`lagesbild.analysis.overview.overview_table`; this module renders them.
"""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from lagesbild.analysis import overview as analysis
from lagesbild.figures import overview, tables
from lagesbild.figures.format import fmt_pct
from lagesbild.web import common
from lagesbild.web import components as ui

period_pair = analysis.period_pair
overview_places = analysis.overview_places
comparisons = analysis.comparisons


def _cell(cell: dict | None, search: str):
    if cell is None:
        return html.Td("–", className="cell empty-cell", title="ingen data")
    return html.Td(className=f"cell {cell['klass']}", title=cell["title"], children=[
        html.Div(cell["count"], className="cell-count"),
        html.Div(f"{cell['change']} ({cell['pct']})", className="cell-change"),
        html.Div(cell["verdict"], className="cell-verdict")])


def matrix_table(matrix: pd.DataFrame, rows: pd.DataFrame, search: str = "") -> html.Table:
    """The overview matrix: places × categories; significant changes coloured and marked ▲/▼."""
    cats = list(dict.fromkeys(matrix["category"]))
    cats = [c for c in cats if c != tables.ALL] + ([tables.ALL] if tables.ALL in cats else [])
    names = dict(zip(matrix["category"], matrix["category_name"]))
    cells = {(r["place_id"], r["category"]): r for r in matrix.to_dict("records")}
    head = html.Tr([html.Th("Plats", scope="col")] + [html.Th(names[c], scope="col") for c in cats])
    body = []
    for r in rows.to_dict("records"):
        if not any((r["place_id"], c) in cells for c in cats):
            continue
        kind = common.KIND_NAMES.get(r["kind"], r["kind"])
        label = html.Th(scope="row", children=[
            dcc.Link(r["name"], href=f"/plats/{r['place_id']}{search}"), html.Span(kind, className="kind")])
        body.append(html.Tr([label] + [_cell(cells.get((r["place_id"], c)), search) for c in cats],
                            className=f"row-{r['kind']}"))
    return html.Table([html.Thead(head), html.Tbody(body)], className="matrix")


def survey_headline(indicators: list, latest: pd.DataFrame, place_rows: pd.DataFrame):
    """The latest share of the most widely measured survey indicators per place."""
    if not indicators:
        return None
    latest = latest.set_index(["place_id", "indicator"])
    head = html.Tr([html.Th("Plats")] + [html.Th(i) for i in indicators])
    body = []
    for r in place_rows.to_dict("records"):
        if not any((r["place_id"], i) in latest.index for i in indicators):
            continue
        tds = []
        for i in indicators:
            if (r["place_id"], i) in latest.index:
                x = latest.loc[(r["place_id"], i)]
                tds.append(html.Td([fmt_pct(x["share"]), html.Span(
                    f" {int(x['year'])}{' (fiktiv)' if bool(x['fictitious']) else ''}", className="muted")]))
            else:
                tds.append(html.Td("–"))
        body.append(html.Tr([html.Th(r["name"], scope="row")] + tds))
    if not body:
        return None
    return ui.section("Trygghetsmätning, senaste mätningen", html.Table(
        [html.Thead(head), html.Tbody(body)], className="plain-table"),
        subtitle="Andel som instämmer. Intervall och jämförelser finns under Trygghet.")


def overview_view(store, settings, *, period=None, categories=None, district=None,
                  meeting: bool = False) -> list:
    """The content of the overview page for the given controls."""
    res = analysis.overview_table(store, settings, period=period, categories=categories,
                                  district=district)
    if res["problem"]:
        return [ui.empty(res["problem"], hint="Läs in brottsdata under Data eller välj ett annat år.")]
    pair, rows, cmp = res["pair"], res["rows"], res["comparison"]
    if cmp.empty:
        return [ui.empty("det finns inga anmälda brott för de valda platserna och kategorierna")]
    matrix = overview.make_overview_matrix(cmp, rows, category_names=res["category_names"])
    small = rows[~rows["kind"].isin(common.AREA_KINDS)]
    tiles = overview.make_overview_tiles(
        data_until=res["facts"]["data_until"], n_places=len(small), activities=res["activities"],
        comparison=cmp[cmp["place_id"].isin(small["place_id"])])
    search = "?mote=1" if meeting else ""
    notes = sorted({n for n in cmp["note"] if n})
    title = f"{pair[1].label} jämfört med {pair[0].label}"
    return [
        ui.tiles(tiles),
        ui.section(f"Anmälda brott {title}", matrix_table(matrix, rows, search),
                   ui.notes(([res["fdr_note"]] if res.get("fdr_note") else []) + notes[:3]),
                   subtitle="Antal i det senare året, förändringen och bedömningen. Färg och ▲/▼ "
                            "bara när förändringen är statistiskt säkerställd; annars "
                            "”ingen säkerställd förändring”. Klicka på en plats för detaljer."),
        survey_headline(res["survey_indicators"], res["survey_latest"], rows),
    ]
