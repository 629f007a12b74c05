"""Plats: one place in depth.

:func:`place_results` asks the analysis layer for the place's numbers (plain DataFrames),
:func:`place_figures` turns them into figures, and :func:`place_view` lays them out. In meeting mode
the four panels of the place's overview (comparison, years, months, survey) fill one 1920×1080 screen.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
from dash import html

from lagesbild.analysis import place as analysis
from lagesbild.analysis.base import places_without_map
from lagesbild.analysis.comparison import footnotes
from lagesbild.analysis.survey import survey_city
from lagesbild.export.safety import EFFECT_COUNTS, EFFECT_DEPENDENTS, TREND_COUNTS, TREND_DEPENDENTS
from lagesbild.figures import effects_table, tables
from lagesbild.figures.activities import make_activity_timeline
from lagesbild.figures.colours import category_colours
from lagesbild.figures.format import fmt_int, slug
from lagesbild.figures.share import make_share_chart
from lagesbild.figures.style import CRIME_SOURCE
from lagesbild.figures.survey import make_survey_chart
from lagesbild.figures.trend import make_trend_months, make_trend_years
from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.numbers import Numbers

TREND_HEADING = "Trend över hela perioder"
#: the most categories meeting mode's 2 × 2 grid shows on one wall screen (the page's default is four)
MEETING_GRID_CATEGORIES = 4
#: chart -> (results key, title, count columns, derived columns hidden with a count)
#: each chart's file name in Swedish (the downloads and the quick-download links), before the place's
FILE_NAMES = {"trend_years": "brott-per-period", "trend_months": "brott-per-manad", "survey": "trygghet",
              "activities": "aktiviteter", "shares": "andel-av-omradet"}
CHART_NUMBERS = {
    "trend_years": ("counts", "Anmälda brott per period", ("count",), None),
    "trend_months": ("series", "Anmälda brott per månad", ("count", "rolling_12"), None),
    "survey": ("survey", "Trygghetsmätning", (), None),
    "activities": ("activities", "Aktiviteter i åtgärdsplanen", (), None),
    "shares": ("shares", "Platsens andel av områdets anmälda brott", ("count_place", "count_parent"),
               {"*": ("share", "p_value", "p_unadjusted", "significant", "verdict")}),
}
TREND_HEADINGS = {"sep_aug": "Trend över hela september–augusti-år", "tertial": "Trend över hela tertialer",
                  "calendar_year": "Trend över hela kalenderår"}


def kind_of(periods) -> str | None:
    """The kind shared by all the periods, or None."""
    kinds = {p.kind for p in periods}
    return kinds.pop() if len(kinds) == 1 else None


def resolve(store, place_id, categories, periods) -> tuple[dict | None, list, list, list[str]]:
    """The place, the categories and periods the controls stand for (see
    :func:`lagesbild.analysis.place.resolve_view`)."""
    return analysis.resolve_view(store, place_id, categories, periods)


def place_results(store, settings, place_id, *, categories=None, periods=None) -> dict:
    """Every number the place page shows (:func:`lagesbild.analysis.place.place_view`)."""
    return analysis.place_view(store, settings, place_id, categories=categories, periods=periods)


def plan_figures(results: dict, context, store=None) -> dict:
    """The survey's and the action plan's figures of the place (with or without crime data); with the
    store, a kommun's city-level survey rows are named (:func:`~lagesbild.analysis.survey.survey_city`)."""
    name = results["place"]["name"]
    city = survey_city(store) if store is not None else None
    return {"survey": make_survey_chart(results.get("survey"), place=name, city=city,
                                        district_name=results.get("district_name"), context=context),
            "activities": make_activity_timeline(results.get("activities"), results.get("followups"),
                                                 place=name,
                                                 until=results.get("data_until", results["facts"]["data_until"]),
                                                 context=context)}  # the place's own end, as its charts'


def place_figures(results: dict, store, context) -> dict:
    """The place page's figures (plotly) keyed by name."""
    name, names = results["place"]["name"], results["category_names"]
    until = results.get("data_until", results["facts"]["data_until"])  # the place's own
    colours = category_colours(results["colour_order"])
    figs = {
        "trend_years": make_trend_years(results["counts"], data_until=until, place=name,
                                        category_names=names, context=context, colours=colours),
        "trend_months": make_trend_months(results["series"], place=name, category_names=names,
                                          activities=results.get("activities"), context=context,
                                          colours=colours, source_changes=results.get("source_changes")),
        **plan_figures(results, context, store),
    }
    if "shares" in results:
        figs["shares"] = make_share_chart(results["shares"], place=name, category_names=names,
                                          parent_names=results["parent_names"], context=context,
                                          colours=colours)
    return figs


def numbers(results: dict, key: str, title: str, counts=(), dependents=None) -> Numbers | None:
    """The analysis frame ``results[key]`` as the numbers behind a chart or table of the place."""
    frame = results.get(key)
    if not isinstance(frame, pd.DataFrame):
        return None
    source = {"survey": "trygghetsmätning", "activities": "åtgärdsplanen"}.get(key, CRIME_SOURCE)
    return Numbers(frame, title, place=results["place"]["name"],
                   periods=tuple(p.label for p in results["periods"]), counts=counts,
                   dependents=dependents, source=source)


def _facts(results: dict, store=None) -> str:
    place = results["place"]
    parts = [common.KIND_NAMES.get(place["kind"], place["kind"])]
    district = results["district_name"]
    if district:
        parts[0] += f" i {district}"
    if place.get("population") is not None and not pd.isna(place.get("population")):
        parts.append(f"{fmt_int(place['population'])} invånare")
    if place.get("approximate"):
        parts.append("ungefärlig avgränsning")
    if store is not None and place["place_id"] in places_without_map(store):
        parts.append("saknar karta (lägg in en platsfil med områdets gräns)")
    return " · ".join(parts)


def comparison_block(results: dict, store, meeting: bool):
    """The comparison table (and the trend table) with their footnotes."""
    names = results["category_names"]
    if "comparison" not in results:
        return ui.empty("välj minst två perioder för att jämföra")
    table = tables.make_comparison_wide(results["comparison"], category_names=names, compact=meeting)
    styles = tables.comparison_styles(meeting)
    children = [html.H2("Anmälda brott per period och förändringen mellan de två senaste"),
                ui.table(table, "place-comparison", columns=tables.comparison_columns(table),
                         styles=tables.comparison_styles(meeting, table), page_size=60,
                         header_styles=tables.header_styles(table),
                         numbers=numbers(results, "comparison", "Anmälda brott per period och förändring",
                                         ("count_a", "count_b")))]
    if "trends" in results and not meeting:
        trend = tables.make_trend_table(results["trends"], category_names=names)
        children += [html.H2(TREND_HEADINGS.get(kind_of(results["periods"]), TREND_HEADING),
                             className="subhead"),
                     ui.table(trend, "place-trend", columns=tables.comparison_columns(trend),
                              styles=styles, numbers=numbers(results, "trends", "Trend över perioder", TREND_COUNTS,
                                              TREND_DEPENDENTS))]
    # which categories were cut to the same months in each period, and how
    notes = footnotes(results["comparison"], [
        "▲/▼ vid ett antal: statistiskt säkerställd förändring från perioden före.",
        results["comparison"].attrs.get("fdr", {}).get("note", "")] + tables.comparison_notes(
            table), names)  # each one: a dispersion explains a verdict
    if meeting and len(results["periods"]) > tables.MEETING_PERIODS:
        notes.insert(0, tables.MEETING_PERIODS_NOTE.format(n=tables.MEETING_PERIODS_WORD))
    notes = [n for n in notes if n][:3 if meeting else None]  # meeting mode: one screen
    children.append(ui.notes(notes))
    return html.Div(children, className="card table-card")


def _effects_block(results: dict, store):
    if "effects" not in results or results["effects"].empty:
        return None
    table = effects_table.make_effects_table(results["effects"], category_names=results["category_names"])
    caveat = results["effects"]["caveat"].dropna().iloc[0] if results["effects"]["caveat"].notna().any() \
        else None
    table = breakable_windows(table)
    styles = tables.comparison_styles() + window_styles()
    return ui.section("Före och efter aktiviteternas start",
                      ui.table(table, "place-effects", columns=tables.comparison_columns(table),
                               styles=styles,
                               numbers=numbers(results, "effects", "Före och efter aktiviteternas start",
                                               EFFECT_COUNTS, EFFECT_DEPENDENTS)),
                      ui.notes([c for c in [effects_table.effects_note(results["effects"]), caveat] if c]
                               + tables.comparison_notes(table)),
                      subtitle=f"Lika långa perioder före och efter start; jämförelse med "
                               f"{effects_table.compared_with(results['effects'])}: platsens kvot efter/före mot "
                               "jämförelseområdets, med hänsyn till hur mycket antalen brukar variera. Se Metod.",
                      class_name="span-2")


WINDOWS = ("Före", "Efter")  # a count and its window: "291 (feb 2018–jan 2019)"


def window_styles() -> list[dict]:
    """The DataTable rules that let a count's window (:func:`breakable_windows`) go under the count."""
    return [{"if": {"column_id": c}, "whiteSpace": "normal"} for c in WINDOWS]


def breakable_windows(table):
    """The effects table with each count's window kept on one line but free to go under the count
    (at 1366 px the table ran past its card, its last column cut)."""
    out = table.copy()
    for column in WINDOWS:
        out[column] = [re.sub(r" \((.+)\)$", lambda m: " (" + _together(m.group(1)) + ")", str(v))
                       for v in out[column]]
    return out


def _together(text: str) -> str:
    """No line break inside: no-break spaces, and word joiners around an en dash (a browser breaks
    after one)."""
    return text.replace(" ", "\u00a0").replace("\u2013", "\u2060\u2013\u2060")


def _periods_without_data(store, results: dict) -> str | None:
    """Why periods asked for show nothing when no category was left to ask for: periods without any
    of the place's data (2030–2031) leave no largest categories, and the page said "det finns inga
    anmälda brott för Fittja i databasen" of a place with five years of counts."""
    if not results["periods"] or results["categories"]:
        return None
    from lagesbild.analysis.missing_periods import periods_without_data

    return periods_without_data(store, [results["place"]], results["periods"])


def _without_crimes(results: dict, store, settings, meeting: bool) -> list:
    """A place without crime data (or none in the asked periods): says so, and shows its survey and
    activities when it has any."""
    place = results["place"]
    no_data = results.get("no_data") or _periods_without_data(store, results)
    message = (ui.empty("ingen brottsdata är inläst", hint="Läs in brottsdata under Data.")
               if not results["periods"] else
               ui.empty(no_data[:1].lower() + no_data[1:], hint="Välj perioder med data.") if no_data else
               ui.empty(f"det finns inga anmälda brott för {place['name']} i databasen",
                        hint="Läs in brott för platsen under Data, eller välj en annan plats."))
    shown = [k for k in ("survey", "activities")
             if isinstance(results.get(k), pd.DataFrame) and not results[k].empty]
    if not shown:
        return [message]
    figs = plan_figures(results, _context(results, settings, meeting), store)
    name, key = place["name"], slug(place["name"])
    charts = [ui.chart(figs[k], f"place-{k}", name=f"{FILE_NAMES.get(k, k)}-{key}", meeting=meeting,
                       numbers=numbers(results, *CHART_NUMBERS[k])) for k in shown]
    head = html.Div(className="page-header", children=[
        html.H1(name), html.Span(_facts(results, store), className="facts")])
    return [head, message, html.Div(charts, className="grid")]


def _context(results: dict, settings, meeting: bool):
    """The figures' context, with the place's own publishers in the source line (analysis.place)."""
    ctx = common.context_from(results["facts"], settings, meeting)
    return replace(ctx, crime_source=results.get("crime_source") or ctx.crime_source)


def place_view(store, settings, place_id, *, categories=None, periods=None, meeting: bool = False) -> list:
    """The content of the place page."""
    results = place_results(store, settings, place_id, categories=categories, periods=periods)
    place = results["place"]
    if place is None:
        return [ui.empty(results["problems"][0], hint="Välj en plats i listan ovan.")]
    if not results["periods"] or not results["categories"] or results.get("no_data"):
        return _without_crimes(results, store, settings, meeting)
    figs = place_figures(results, store, _context(results, settings, meeting))
    key = slug(place["name"])
    grid_panels = ("trend_years", "trend_months", "survey") if meeting else ()
    charts = {k: ui.chart(f, f"place-{k}", name=f"{FILE_NAMES.get(k, k.replace('_', '-'))}-{key}", meeting=meeting,
                          height="100%" if k in grid_panels else None,
                          numbers=numbers(results, *CHART_NUMBERS[k]))
              for k, f in figs.items()}
    head = html.Div(className="page-header", children=[
        html.H1(place["name"]), html.Span(_facts(results, store), className="facts")])
    problems = [ui.empty(p) for p in results["problems"]]
    table = comparison_block(results, store, meeting)
    if meeting:
        # more categories than the 2 × 2 wall grid's half-height panels hold (their legends scrolled, their
        # month lines lay in a plot 110 px high): one column, as on a screen below 1,900 px
        many = len(results["categories"]) > MEETING_GRID_CATEGORIES
        top = html.Div([table, charts["trend_years"], charts["trend_months"], charts["survey"]],
                       className="meeting-grid many" if many else "meeting-grid")
        body = [charts.get("shares"), html.Div(charts["activities"], className="span-2")]
    else:
        top = html.Div([html.Div(table, className="span-2"), charts["trend_years"], charts["survey"],
                        html.Div(charts["trend_months"], className="span-2")], className="grid")
        body = [charts.get("shares"), charts["activities"]]
    body.append(_effects_block(results, store))
    return [head, *problems, top, html.Div([b for b in body if b is not None], className="grid")]
