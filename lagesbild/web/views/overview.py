"""Översikt: every place at a glance for the latest Sep–Aug year against the one before.

:func:`overview_view` is a plain function of the store, the settings and the (parsed) controls; the page
module only wires it to the controls. It calls :func:`lagesbild.core.compare.compare` for every place
and renders the result with the figure helpers.
"""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from lagesbild.core import periods as pr
from lagesbild.core.compare import compare
from lagesbild.figures import overview, tables
from lagesbild.figures.format import fmt_pct
from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.state import build_search

HEADLINE_INDICATORS = 3  # survey indicators shown: those measured at most places


def period_pair(store, period: str | None) -> tuple[list[pr.Period], str | None]:
    """The chosen (default: latest) Sep–Aug year and the one before it, or a reason why not."""
    years = common.sep_aug_years(store)
    if not years:
        return [], "ingen brottsdata är inläst"
    try:
        latest = pr.parse_period(period) if period else years[-1]
    except ValueError as err:
        return [], str(err)
    if latest.kind != "sep_aug":
        return [], f"{latest.label} är inte ett september–augusti-år"
    return [pr.sep_aug_year(latest.start.year - 1), latest], None


def overview_places(store, district: str | None = None) -> pd.DataFrame:
    """Rows of the overview: each district followed by its places; the city last."""
    df = common.places(store)
    if df.empty:
        return df
    if district:
        df = df[(df["place_id"] == district) | (df["district_id"] == district)]
    rows = []
    for _, d in df[df["kind"] == "stadsdelsomrade"].iterrows():
        rows.append(d)
        rows += [r for _, r in df[df["district_id"] == d["place_id"]].iterrows()]
    seen = {r["place_id"] for r in rows}
    rows += [r for _, r in df.iterrows() if r["place_id"] not in seen]
    return pd.DataFrame(rows).reset_index(drop=True)


def comparisons(store, settings, place_ids, pair, categories) -> pd.DataFrame:
    """:func:`compare` for each place over the pair of periods (places without data are left out)."""
    key = ("overview", tuple(place_ids), tuple(pair), tuple(categories or ()), settings.alpha)
    return common.memo(store, key, lambda: _comparisons(store, settings, place_ids, pair, categories))


def _comparisons(store, settings, place_ids, pair, categories) -> pd.DataFrame:
    monthly, coverage = store.monthly_counts(), store.coverage()
    by_place = dict(tuple(monthly.groupby("place_id", sort=False)))  # split once, not per place
    everywhere = coverage[coverage["place_id"].isna()]
    cov_by_place = dict(tuple(coverage.dropna(subset=["place_id"]).groupby("place_id", sort=False)))
    cats = list(categories) if categories else sorted(monthly["category"].unique())
    frames = []
    for pid in place_ids:
        if pid not in by_place:
            continue
        cov = pd.concat([everywhere, cov_by_place[pid]]) if pid in cov_by_place else everywhere
        cmp = compare(by_place[pid], pair, place_id=pid, categories=cats, coverage=cov,
                      alpha=settings.alpha)
        if (cmp["count_a"] + cmp["count_b"]).sum() > 0:  # a place without crimes in both years: left out
            frames.append(cmp)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


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


def survey_headline(store, place_rows: pd.DataFrame):
    """The latest share of the most widely measured survey indicators per place."""
    survey = store.survey()
    if survey.empty:
        return None
    survey = survey[survey["place_id"].isin(place_rows["place_id"])]
    top = survey.groupby("indicator")["place_id"].nunique().sort_values(ascending=False, kind="stable")
    indicators = top.index[:HEADLINE_INDICATORS].tolist()
    latest = (survey[survey["indicator"].isin(indicators)].sort_values("year")
              .groupby(["place_id", "indicator"]).tail(1).set_index(["place_id", "indicator"]))
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
    pair, problem = period_pair(store, period)
    if problem:
        return [ui.empty(problem, hint="Läs in brottsdata under Data eller välj ett annat år.")]
    rows = overview_places(store, district)
    cmp = comparisons(store, settings, rows["place_id"] if len(rows) else [], pair, categories)
    if cmp.empty:
        return [ui.empty("det finns inga anmälda brott för de valda platserna och kategorierna")]
    names = common.category_names(store)
    matrix = overview.make_overview_matrix(cmp, rows, category_names=names)
    small = rows[~rows["kind"].isin(common.AREA_KINDS)]
    tiles = overview.make_overview_tiles(  # the tiles count what the table shows, districts included
        data_until=store.data_until(), n_places=len(small), activities=store.activities(), comparison=cmp)
    # links to a place keep the meeting mode, the pair of periods and the categories shown
    search = build_search({"mote": meeting, "kat": list(categories or []), "per": [p.label for p in pair]})
    notes = sorted({n for n in cmp["note"] if n})
    title = f"{pair[1].label} jämfört med {pair[0].label}"
    return [
        ui.tiles(tiles),
        ui.section(f"Anmälda brott {title}", matrix_table(matrix, rows, search),
                   ui.notes(notes[:3]),
                   subtitle="Antal i det senare året, förändringen och bedömningen. Färg och ▲/▼ "
                            "bara när förändringen är statistiskt säkerställd; annars "
                            "”ingen säkerställd förändring”. Klicka på en plats för detaljer."),
        survey_headline(store, rows),
    ]
