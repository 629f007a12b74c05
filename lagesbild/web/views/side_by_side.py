"""Jämför platser: two to four places (or one and similar places) side by side.

The numbers come from :func:`lagesbild.analysis.side_by_side.side_by_side`; this module lays out its
table of counts and rates, the grouped chart and the differences between places.
"""

from __future__ import annotations

from dataclasses import replace

from dash import html

from lagesbild.analysis import base
from lagesbild.analysis.base import NotFound
from lagesbild.analysis.side_by_side import (  # noqa: F401 (page defaults)
    BETWEEN_NOTE,
    FAMILY_WHY,
    SideBySideError,
    default_years,
    side_by_side,
)
from lagesbild.figures import tables
from lagesbild.figures.side_by_side import (
    COLUMN_HEADERS,
    CUT_MARK,
    CUT_NOTE,
    NUMBER_HEADERS,
    counted_span,
    cut_periods,
    make_between_table,
    make_side_by_side,
    make_side_by_side_table,
    place_notes,
    table_columns,
)
from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.numbers import Numbers

MEASURES = {"antal": "count", "invanare": "rate"}
#: what a suppressed count hides with it in a download (a rate or a test would give it away)
COUNT_DEPENDENTS = {"count": ("rate", "rate_low", "rate_high", "verdict", "p_value", "significant")}
#: the table's download: a change sits on its later period's row and is tested on both periods' counts,
#: so the earlier count (``count_before``) is a count of that row too; hidden, it hides the change
TABLE_DEPENDENTS = {"count": ("rate", "rate_low", "rate_high"), "*": ("verdict", "p_value", "significant")}
#: the same for a difference between two places: each rate, and the ratio and tests of the pair (with the
#: other place's rate and the populations shown, the ratio or a p-value gives the hidden count back)
BETWEEN_DEPENDENTS = {"count_a": ("rate_a",), "count_b": ("rate_b",),
                      "*": ("rate_ratio", "p_unadjusted", "p_value", "significant", "verdict")}
HEADERS = COLUMN_HEADERS


def compare_view(store, settings, *, places, periods, categories=None, similar=False, measure="invanare",
                 meeting: bool = False) -> list:
    """The content of the compare page."""
    places = [p for p in places or [] if p]
    if not places:
        return [ui.empty("ingen plats är vald", hint="Välj två till fyra platser, eller en plats och "
                                                     "Liknande platser.")]
    if len(places) == 1 and not similar:
        return [ui.empty("bara en plats är vald", hint="Välj minst en plats till, eller kryssa i "
                                                       "Liknande platser.")]
    try:
        res = side_by_side(store, settings, places=places, periods=periods or None,
                           categories=categories or None, similar=3 if similar else 0)
    except (SideBySideError, NotFound) as exc:  # NotFound: a place in the address that is not stored
        return [ui.empty(str(exc).rstrip("."))]
    # the chart's source line names who counted these places, not every publisher in the store (beside
    # Brå's table of the kommun, Skälby and Barkarby, counted by the police, were "Polisen och Brå")
    ctx = replace(common.context_from(res["facts"], settings, meeting),
                  crime_source=base.places_crime_source(store, [p["place_id"] for p in res["places"]]))
    fig = make_side_by_side(res["table"], measure=MEASURES.get(measure, "rate"),
                            category_names=res["category_names"], context=ctx,
                            height=600 if meeting else 480)
    names = ", ".join(p["name"] + (" (liknande)" if p["similar"] else "") for p in res["places"])
    wide = make_side_by_side_table(res, meeting=meeting)
    between = make_between_table(res["between"], category_names=res["category_names"], meeting=meeting)
    styles = tables.comparison_styles(meeting)
    cut = cut_periods(res["table"])
    last = res["periods"][-1].label
    fdr = res["fdr"]  # one family per table: each table's note counts the verdicts it shows
    notes = [*res["notes"], *([f"{CUT_NOTE}."] if cut else []), fdr["changes"]["note"], *place_notes(res),
             "Brott per 1 000 invånare och år visas inte för områden med färre än "
             f"{settings.min_population_for_rates:,} invånare eller utan känt invånarantal (–).".replace(",", "\u00a0"),
             res["rate_interval_note"],
             "Förändring: samma test som på Plats (de två senaste perioderna, samma månader)."
             if len(res["changes"]) else "Välj minst två perioder för att se förändringen över tid.",
             FAMILY_WHY if fdr["changes"]["m"] and fdr["between"]["m"] else ""]
    children = [
        html.Div(className="page-header", children=[html.H1("Jämför platser"),
                                                     html.Span(names, className="facts", id="cmp-names")]),
        html.Div(className="grid", children=[
            html.Div(className="card table-card cmp-card span-2", children=[
                html.H2("Anmälda brott och brott per 1 000 invånare per period"),
                ui.table(wide, "cmp-table", columns=table_columns(wide), styles=styles,
                         header_styles=NUMBER_HEADERS, page_size=80, numbers=numbers(with_changes(res), "Anmälda brott och brott per "
                                                       "1 000 invånare per period", names, res,
                                                       counts=("count", "count_before"))),
                ui.notes([n for n in notes if n][:3 if meeting else None])]),
            html.Div(ui.chart(fig, "cmp-chart", meeting=meeting,
                              numbers=numbers(res["table"], "Jämför platser", names, res)),
                     className="span-2"),
        ]),
    ]
    if len(between):
        children.append(ui.section(
            f"Skillnader mellan platserna {last}{CUT_MARK if last in cut else ''}",
            ui.table(between, "cmp-between", columns=table_columns(between), styles=styles,
                     header_styles=NUMBER_HEADERS, page_size=80, numbers=numbers(res["between"], "Skillnader mellan platserna", names, res,
                                                   counts=("count_a", "count_b"))),
            ui.notes([n for n in (fdr["between"]["note"], BETWEEN_NOTE) if n] + ([f"{CUT_MARK} Antalen avser {counted_span(res['table'], last)}."]
                                       if last in cut else [])), class_name="card table-card cmp-card"))
    return children


def with_changes(res: dict):
    """The table's counts and rates per period with each place's change (the verdict and adjusted
    p-value the table shows) on the row of the later period it was tested for."""
    changes = res["changes"]
    if changes.empty:
        return res["table"]
    keep = changes[["place_id", "category", "period_b", "count_a", "verdict", "p_value", "significant", "method"]]
    return res["table"].merge(keep.rename(columns={"period_b": "period", "count_a": "count_before"}), how="left",
                              on=["place_id", "category", "period"])


def numbers(frame, title: str, names: str, res: dict, counts=("count",)) -> Numbers:
    """The side-by-side frame behind a chart or table, for its Excel download."""
    if "category" in frame.columns:  # the total is the chosen categories' sum, named as on the page
        frame = frame.assign(category_name=[tables.category_label(res["category_names"], c)
                                            for c in frame["category"]])
        order = list(frame.columns)
        order.insert(order.index("category") + 1, order.pop(order.index("category_name")))
        frame = frame[order]
    dependents = {("count",): COUNT_DEPENDENTS, ("count", "count_before"): TABLE_DEPENDENTS}.get(
        tuple(counts), BETWEEN_DEPENDENTS)
    return Numbers(frame, title, place=names, periods=tuple(p.label for p in res["periods"]), counts=counts,
                   dependents=dependents, headers=HEADERS)
