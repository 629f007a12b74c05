"""Plats: one place in depth.

:func:`place_results` runs the core for a place (plain DataFrames, reusable by exports),
:func:`place_figures` turns them into figures, and :func:`place_view` lays them out. In meeting mode
the four panels of the place's overview (comparison, years, months, survey) fill one 1920×1080 screen.
"""

from __future__ import annotations

import pandas as pd
from dash import html

from lagesbild.core.compare import compare, counts_by_period, monthly_series
from lagesbild.core.shares import share_of_parent
from lagesbild.core.effects import activity_effects
from lagesbild.core.survey import survey_table
from lagesbild.core.trend import MIN_PERIODS, trend_table
from lagesbild.figures import tables
from lagesbild.figures.activities import make_activity_timeline
from lagesbild.figures.format import fmt_int, slug
from lagesbild.figures.share import make_share_chart
from lagesbild.figures.survey import make_survey_chart
from lagesbild.figures.trend import make_trend_months, make_trend_years
from lagesbild.web import common
from lagesbild.web import components as ui

TREND_HEADING = "Trend över hela perioder"
TREND_HEADINGS = {"sep_aug": "Trend över hela september–augusti-år", "tertial": "Trend över hela tertial",
                  "calendar_year": "Trend över hela kalenderår"}


def kind_of(periods) -> str | None:
    """The kind shared by all the periods, or None."""
    kinds = {p.kind for p in periods}
    return kinds.pop() if len(kinds) == 1 else None


def resolve(store, place_id, categories, periods) -> tuple[dict | None, list, list, list[str]]:
    """The place, the categories (default: its largest) and periods (default: the last Sep–Aug
    years), and messages about values that could not be used."""
    place = common.place(store, place_id)
    if place is None:
        return None, [], [], [f"platsen {place_id!r} finns inte i databasen"]
    pers, problems = common.parse_periods(periods or [], common.sep_aug_years(store))
    pers = pers or common.default_periods(store)
    monthly = store.monthly_counts(place_ids=[place_id])
    cats = list(categories or []) or common.top_categories(
        monthly, place_id, since=pers[0].start if pers else None)
    return place, cats, pers, problems


def place_results(store, settings, place_id, *, categories=None, periods=None) -> dict:
    """Every core result the place page shows, as DataFrames (empty frames when not applicable).

    Results are kept per data version (:func:`lagesbild.web.common.memo`); do not modify them.
    """
    key = ("place", place_id, tuple(categories or ()), tuple(periods or ()), settings.alpha,
           settings.effect_months)
    return common.memo(store, key, lambda: _place_results(store, settings, place_id, categories, periods))


def _place_results(store, settings, place_id, categories, periods) -> dict:
    place, cats, pers, problems = resolve(store, place_id, categories, periods)
    out = {"place": place, "categories": cats, "periods": pers, "problems": problems}
    if place is None or not pers or not cats:
        return out
    parents = [p for p in (place.get("district_id"), common.city_id(store))
               if p and not pd.isna(p) and p != place_id]
    # only the rows these computations use: the place, its district (also the effects' comparison
    # area) and the city; the core filters by place again, cheaply, on this small frame
    monthly, coverage = store.monthly_counts(place_ids=[place_id, *parents]), store.coverage()
    until = store.data_until()
    counts = counts_by_period(monthly, pers, place_id=place_id, categories=cats, coverage=coverage)
    series = [monthly_series(monthly, place_id, c, coverage=coverage, start=pers[0].start,
                             end=min(pers[-1].end, until) if until else pers[-1].end).assign(category=c)
              for c in cats]
    out.update(counts=counts, series=pd.concat(series, ignore_index=True))
    if len(pers) >= 2:
        out["comparison"] = compare(monthly, pers, place_id=place_id, categories=cats,
                                    coverage=coverage, alpha=settings.alpha,
                                    population=place.get("population"))
    whole = counts[counts["months_missing"] == 0]
    if whole["period"].nunique() >= MIN_PERIODS:
        out["trends"] = trend_table(whole, by=["category"], alpha=settings.alpha)
    if parents:
        out["shares"] = share_of_parent(monthly, pers, place_id, parents, categories=cats,
                                        coverage=coverage, alpha=settings.alpha)
    out["survey"] = survey_table(store.survey(), store.places(), place_id=place_id, alpha=settings.alpha)
    acts, fu = common.place_activities(store, place_id)
    out.update(activities=acts, followups=fu)
    if len(acts):
        links = store.activity_places()
        out["effects"] = activity_effects(
            monthly, acts, links[links["place_id"] == place_id], store.places(),
            months=settings.effect_months, category=cats, coverage=coverage, alpha=settings.alpha)
    return out


def place_figures(results: dict, store, context) -> dict:
    """The place page's figures (plotly) keyed by name."""
    name, names = results["place"]["name"], common.category_names(store)
    district = common.place_name(store, results["place"].get("district_id"))
    city = common.city_id(store)
    parent_names = {results["place"].get("district_id"): district, city: common.place_name(store, city)}
    figs = {
        "trend_years": make_trend_years(results["counts"], data_until=store.data_until(), place=name,
                                        category_names=names, context=context),
        "trend_months": make_trend_months(results["series"], place=name, category_names=names,
                                          activities=results.get("activities"), context=context),
        "survey": make_survey_chart(results.get("survey"), place=name, district_name=district,
                                    context=context),
        "activities": make_activity_timeline(results.get("activities"), results.get("followups"),
                                             place=name, until=store.data_until(), context=context),
    }
    if "shares" in results:
        figs["shares"] = make_share_chart(results["shares"], place=name, category_names=names,
                                          parent_names=parent_names, context=context)
    return figs


def _facts(store, place: dict) -> str:
    parts = [common.KIND_NAMES.get(place["kind"], place["kind"])]
    district = common.place_name(store, place.get("district_id"))
    if district:
        parts[0] += f" i {district}"
    if place.get("population") is not None and not pd.isna(place.get("population")):
        parts.append(f"{fmt_int(place['population'])} invånare")
    if place.get("approximate"):
        parts.append("ungefärlig avgränsning")
    return " · ".join(parts)


def comparison_block(results: dict, store, meeting: bool):
    """The comparison table (and the trend table) with their footnotes."""
    names = common.category_names(store)
    if "comparison" not in results:
        return ui.empty("välj minst två perioder för att jämföra")
    table = tables.make_comparison_wide(results["comparison"], category_names=names, compact=meeting)
    styles = tables.comparison_styles(meeting)
    children = [html.H2("Anmälda brott per period och förändringen mellan de två senaste"),
                ui.table(table, "place-comparison", columns=tables.comparison_columns(table),
                         styles=tables.comparison_styles(meeting, table), page_size=60)]
    if "trends" in results and not meeting:
        trend = tables.make_trend_table(results["trends"], category_names=names)
        children += [html.H2(TREND_HEADINGS.get(kind_of(results["periods"]), TREND_HEADING),
                             className="subhead"),
                     ui.table(trend, "place-trend", columns=tables.comparison_columns(trend),
                              styles=styles)]
    lfl = any(results["comparison"]["like_for_like"])
    notes = (["* Samma månader i varje period, eftersom data inte finns för hela den senaste perioden."]
             if lfl else []) + ["▲/▼ vid ett antal: statistiskt säkerställd förändring från "
                                "perioden före."] + tables.comparison_notes(table)[:4]
    children.append(ui.notes(notes))
    return html.Div(children, className="card table-card")


def _effects_block(results: dict, store):
    if "effects" not in results or results["effects"].empty:
        return None
    table = tables.make_effects_table(results["effects"], category_names=common.category_names(store))
    caveat = results["effects"]["caveat"].dropna().iloc[0] if results["effects"]["caveat"].notna().any() \
        else None
    return ui.section("Före och efter aktiviteternas start",
                      ui.table(table, "place-effects", columns=tables.comparison_columns(table),
                               styles=tables.comparison_styles()),
                      ui.notes([c for c in [caveat] if c] + tables.comparison_notes(table)[:3]),
                      subtitle="Lika långa perioder före och efter start; jämförelse med resten av "
                               "stadsdelsområdet (viktad förskjutningsdifferens).",
                      class_name="span-2")


def place_view(store, settings, place_id, *, categories=None, periods=None, meeting: bool = False) -> list:
    """The content of the place page."""
    results = place_results(store, settings, place_id, categories=categories, periods=periods)
    place = results["place"]
    if place is None:
        return [ui.empty(results["problems"][0], hint="Välj en plats i listan ovan.")]
    if not results["periods"]:
        return [ui.empty("ingen brottsdata är inläst", hint="Läs in brottsdata under Data.")]
    if not results["categories"]:
        return [ui.empty(f"det finns inga anmälda brott för {place['name']}")]
    figs = place_figures(results, store, common.figure_context(store, settings, meeting))
    key = slug(place["name"])
    grid_panels = ("trend_years", "trend_months", "survey") if meeting else ()
    charts = {k: ui.chart(f, f"place-{k}", name=f"{k.replace('_', '-')}-{key}", meeting=meeting,
                          height="100%" if k in grid_panels else None)
              for k, f in figs.items()}
    head = html.Div(className="page-header", children=[
        html.H1(place["name"]), html.Span(_facts(store, place), className="facts")])
    problems = [ui.empty(p) for p in results["problems"]]
    table = comparison_block(results, store, meeting)
    if meeting:
        top = html.Div([table, charts["trend_years"], charts["trend_months"], charts["survey"]],
                       className="meeting-grid")
        body = [charts.get("shares"), html.Div(charts["activities"], className="span-2")]
    else:
        top = html.Div([html.Div(table, className="span-2"), charts["trend_years"], charts["survey"],
                        html.Div(charts["trend_months"], className="span-2")], className="grid")
        body = [charts.get("shares"), charts["activities"]]
    body.append(_effects_block(results, store))
    return [head, *problems, top, html.Div([b for b in body if b is not None], className="grid")]
