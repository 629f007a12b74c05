"""Översikt: every place at a glance for the latest Sep–Aug year against the one before.

:func:`overview_view` is a plain function of the store, the settings and the (parsed) controls; the page
module only wires it to the controls. The numbers come from
:func:`lagesbild.analysis.overview.overview_table`; this module renders them.
"""

from __future__ import annotations

import pandas as pd
from dash import html

from lagesbild.analysis import overview as analysis
from lagesbild.figures import figdict, overview, tables
from lagesbild.figures.activities import md_link, md_text
from lagesbild.figures.format import fmt_pct
from lagesbild.figures.quasi_notes import merge_quasi_notes
from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.numbers import Numbers
from lagesbild.web.state import build_search
from lagesbild.web.wordbreaks import breakable

period_pair = analysis.period_pair
period_choices = analysis.period_choices
default_choice = analysis.default_choice
overview_places = analysis.overview_places
comparisons = analysis.comparisons


#: Cell colours of the light table (the same as the old matrix's CSS).
CELL_STYLES = {"okning": {"backgroundColor": "#fbe9dd", "color": "#a34400", "fontWeight": 700},
               "minskning": {"backgroundColor": "#e1eef7", "color": "#005586", "fontWeight": 700},
               "saknas": {"fontStyle": "italic", "color": "#5a6470"}}
#: a no-break space as Markdown keeps it (the character itself is read as a space: "+50" over "%)")
NBSP = "&nbsp;"
ROW_STYLE = {"backgroundColor": "#f7f9fb", "borderTop": "2px solid #c7ccd1"}


def matrix_rows(matrix: pd.DataFrame, rows: pd.DataFrame, search: str = "") -> tuple[list, list, list]:
    """(columns, records, styles) of the overview's light table: places × categories as plain text.

    A cell is ``▲/▼count (change, pct)``; significant changes are coloured and marked ▲/▼. The
    class of each cell is in a hidden column ``_k<i>`` that the styles read. The bracket is emphasised
    Markdown (``*(+5, +38 %)*``: two bytes a cell, where a ``<span>`` is 38 in the JSON answer)
    that style.css shows as plain text in an inline block: a narrow cell breaks before the bracket
    ("18" over "(+5, +38 %)"), and inside it only where the bracket alone is wider than the cell.
    """
    cats = list(dict.fromkeys(matrix["category"]))
    cats = [c for c in cats if c != tables.ALL] + ([tables.ALL] if tables.ALL in cats else [])
    names = dict(zip(matrix["category"], matrix["category_name"], strict=True))
    cells = {(r["place_id"], r["category"]): r for r in figdict.records(matrix)}  # column by column: fast
    columns = [{"name": "Plats", "id": "plats", "presentation": "markdown"}] + [
        {"name": breakable(names[c]), "id": f"c{i}", "presentation": "markdown"} for i, c in enumerate(cats)]
    records = []
    for r in rows.to_dict("records"):
        if not any((r["place_id"], c) in cells for c in cats):
            continue
        kind = common.KIND_NAMES.get(r["kind"], r["kind"])
        rec = {"plats": f"{md_link(r['name'], r['place_id'], suffix=search)} ({md_text(kind)})",
               "_kind": r["kind"]}
        for i, c in enumerate(cats):
            cell = cells.get((r["place_id"], c))
            if cell is None:
                rec[f"c{i}"] = "–"
                continue
            text = f"{tables.ARROWS[cell['klass']]}{cell['count']} *({cell['change']}, {cell['pct']})*"
            rec[f"c{i}"] = text.replace("\u00a0", NBSP)
            if cell["klass"] != "ingen":
                rec[f"_k{i}"] = cell["klass"]
        records.append(rec)
    styles = [{"if": {"filter_query": f'{{_k{i}}} = "{k}"', "column_id": f"c{i}"}, **style}
              for i in range(len(cats)) for k, style in CELL_STYLES.items()]
    styles += [{"if": {"filter_query": f'{{_kind}} = "{k}"'}, **ROW_STYLE} for k in common.AREA_KINDS]
    return columns, records, styles


def matrix_table(matrix: pd.DataFrame, rows: pd.DataFrame, search: str = "", numbers=None):
    """The overview's light table (a DataTable of plain text: small to send, quick to draw)."""
    columns, records, styles = matrix_rows(matrix, rows, search)
    return ui.table(pd.DataFrame(records), "ov-matrix", columns=columns, styles=styles,
                    page_size=max(len(records), 1), numbers=numbers)


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
    shown = latest.reset_index()
    numbers = Numbers(shown[shown["indicator"].isin(indicators)
                            & shown["place_id"].isin(set(place_rows["place_id"]))],
                      "Trygghetsmätning, senaste mätningen", source="trygghetsmätning")
    return ui.section("Trygghetsmätning, senaste mätningen", ui.table_block(html.Table(
        [html.Thead(head), html.Tbody(body)], className="plain-table", id="ov-survey"), "ov-survey",
        numbers), subtitle="Andel som instämmer. Intervall och jämförelser finns under Trygghet.")


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
    tiles = overview.make_overview_tiles(  # the tiles count what the table shows, districts included
        data_until=res["facts"]["data_until"], n_places=len(small), activities=res["activities"],
        comparison=cmp)
    # links to a place keep the meeting mode, the pair of periods and the categories shown
    search = build_search({"mote": meeting, "kat": list(categories or []), "per": [p.label for p in pair]})
    notes, alla_notes = analysis.split_notes(cmp, rows, res["category_names"])
    notes = merge_quasi_notes(notes)  # one sentence for every test's dispersion factor
    title = f"{pair[1].label} jämfört med {pair[0].label}" + overview.counted_months(cmp)
    return [
        ui.tiles(tiles),
        ui.section(f"Anmälda brott {title}", matrix_table(matrix, rows, search, Numbers(
            cmp, f"Anmälda brott {title}", periods=tuple(p.label for p in pair),
            counts=("count_a", "count_b"))),
                   ui.notes([n for n in (res.get("years_note"), res.get("missing_note"), res.get("fdr_note")) if n]
                            + alla_notes[:3] + notes[:3]),
                   subtitle="Antal i det senare året, förändringen och bedömningen. Färg och ▲/▼ "
                            "bara när förändringen är statistiskt säkerställd; annars "
                            "”ingen säkerställd förändring”. Klicka på en plats för detaljer."),
        survey_headline(res["survey_indicators"], res["survey_latest"], rows),
    ]
