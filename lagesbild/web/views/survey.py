"""Trygghet: survey indicators by place against district and city, over the years."""

from __future__ import annotations

from dash import html

from lagesbild.analysis import survey as analysis
from lagesbild.export.headers import city_headers
from lagesbild.figures import tables
from lagesbild.figures.format import slug
from lagesbild.figures.survey import make_survey_chart, make_survey_table, make_survey_trend
from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.numbers import Numbers

MAX_TRENDS = 8  # indicator charts shown at once
MEETING_LABEL_PX = 18  # the survey chart's questions and shares on the wall (Plats' grid keeps 16)


def survey_places(store) -> list[dict]:
    """Dropdown options: the places (not districts or the city) that have survey results."""
    have = set(analysis.survey_places(store))
    return [o for o in common.place_options(store) if o["value"] in have]


def default_place(store) -> str | None:
    """The first place with survey results."""
    options = survey_places(store)
    return options[0]["value"] if options else None


def indicator_options(store, place_id) -> list[dict]:
    """Dropdown options: the indicators measured at a place."""
    return [{"label": i, "value": i} for i in analysis.indicators(store, place_id)]


def survey_view(store, settings, *, place_id=None, indicators=None, meeting: bool = False) -> list:
    """The content of the survey page."""
    res = analysis.survey_view(store, settings, place_id=place_id, indicators=indicators)
    if res["problem"]:
        return [ui.empty(res["problem"], hint=res["hint"])]
    place, table, district = res["place"], res["table"], res["district_name"]
    city = analysis.survey_city(store)  # a kommun's rows: by its name, not "staden"
    ctx = common.context_from(res["facts"], settings, meeting)
    key = slug(place["name"])

    def numbers(frame, title):
        return Numbers(frame, title, place=place["name"], source="trygghetsmätning", headers=city_headers(city))

    # the page's one chart on the wall: its questions and shares in 18 px, as all content there
    latest = make_survey_chart(table, place=place["name"], district_name=district, context=ctx,
                               label_size=MEETING_LABEL_PX if meeting else None, city=city)
    trends = [ui.chart(make_survey_trend(table, indicator=i, place=place["name"], district_name=district,
                                         context=ctx, city=city), f"survey-trend-{n}", meeting=meeting,
                       name=f"trygghet-{slug(i)}-{key}",
                       numbers=numbers(table[table["indicator"] == i], f"Trygghetsmätning – {i}"))
              for n, i in enumerate(sorted(set(table["indicator"]))[:MAX_TRENDS])]
    rows = make_survey_table(table, district_name=district, city=city)
    diff_level = res["diff_level"]
    notes = sorted({n for n in rows["_not"] if n})
    return [
        ui.chart(latest, "survey-latest", name=f"trygghet-senaste-{key}", meeting=meeting,
                 numbers=numbers(table, "Trygghetsmätning")),
        html.Div(trends, className="grid"),
        ui.section("Alla mätningar", ui.table(rows, "survey-table", columns=tables.comparison_columns(rows),
                                              styles=tables.comparison_styles(meeting), page_size=40,
                                              numbers=numbers(table, "Trygghetsmätning, alla mätningar")),
                   ui.notes(([res["fdr_note"]] if res.get("fdr_note") else []) + notes + [
                       "Andelarnas intervall är 95 % konfidensintervall (Wilson). Skillnader i "
                       f"procentenheter (p.e.), inom parentes deras {diff_level} konfidensintervall "
                       "(scoreintervall ur samma z-test som bedömningen). "
                       + (f"Platsen jämförs med resten av {_compared(table, district, city)}, eftersom deras siffror "
                          "innehåller platsens svarande. " if bool(table["compared_with_rest"].any()) else "")
                       + "Förändringen testas med ett z-test för två andelar när antalet svarande "
                         "är känt, med Fishers exakta test när svaren är för få för z-testet "
                         "(under 5 väntade svar i någon grupp)."])),
    ]


def _compared(table, district: str | None = None, city: str | None = None) -> str:
    """What the place is compared with: the district and the city, or the city alone (a place right
    under the city is compared with it once), or the district alone (a place in a kommun without a
    city above it: Flemingsberg in Huddinge was said to be compared with "stadsdelsområdet och
    resten av staden", neither of which it has). ``city`` names a kommun's city-level rows (Mölnbo in
    Södertälje was compared with "resten av staden")."""
    district_part = district or "stadsdelsområdet"
    city_part = city or "staden"
    with_district, with_city = table["diff_district"].notna().any(), table["diff_city"].notna().any()
    if with_district and not with_city:
        return district_part
    return f"{district_part} och resten av {city_part}" if with_district else city_part
