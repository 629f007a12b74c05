"""Mönster: when crime happens at a place and where it concentrates, from incident-level data.

The numbers come from :func:`lagesbild.analysis.meeting.incident_patterns`: weekday × hour, month of
year, the share held by the top cells of the grid (the top 5 % and 10 %, said as the number of cells
really taken: on a small grid 5 % rounds up to far more), and the repeat locations (incidents within
10 m of one of them, :func:`lagesbild.core.patterns.repeat_locations`). A sensitive category is refused
there, and this view shows the refusal instead of charts.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from dash import html

from lagesbild.analysis import base
from lagesbild.analysis import meeting as analysis
from lagesbild.analysis.base import NotFound
from lagesbild.figures.format import fmt_date, fmt_int, fmt_pct, slug
from lagesbild.figures.patterns import make_month_of_year, make_weekday_hour, nonexistent_text, top_cells_text
from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.numbers import Numbers

REPEAT_ROWS = 15
#: Swedish headers of the pattern frames that the shared header table does not name
HEADERS = {"weekday": "Veckodag (0 = måndag)", "weekday_name": "Veckodag", "hour": "Timme",
           "month_name": "Månadens namn", "months_covered": "Månader med data", "per_month": "Per månad med data",
           "left_out": "Brott i månader utan hela månaders data (räknas inte)",
           "n": "Antal brott", "first": "Första", "last": "Senaste", "categories": "Kategorier",
           "x": "Mittbrottets läge, öst (SWEREF 99 TM)", "y": "Mittbrottets läge, nord (SWEREF 99 TM)",
           "radius": "Längsta avstånd från mittbrottet (m)"}
#: what a repeat location is, in the words of the page (core.patterns.repeat_locations)
REPEAT_METHOD = ("Ett upprepat läge är ett brott och alla andra brott högst 10 m från det (mittbrottet), "
                 "minst två brott. Lägena tas efter avstånd, inte efter ett fast rutnät: först brottet med "
                 "flest andra brott inom 10 m, sedan samma sak bland brotten som är kvar. Ett brott hör till "
                 "högst ett läge, och brotten i ett läge ligger högst 20 m från varandra.")


def _category_list(value, names: dict) -> str:
    """A location's category ids (``"narkotikabrott, skadegorelse"``) as their Swedish names."""
    return ", ".join(names.get(c.strip(), c.strip()) for c in str(value or "").split(",") if c.strip())


def _named(repeat: pd.DataFrame, names: dict) -> pd.DataFrame:
    """The repeat locations with their categories named as on the page (for the download)."""
    if "categories" not in repeat.columns:
        return repeat
    return repeat.assign(categories=[_category_list(v, names) for v in repeat["categories"]])


def _repeat_table(repeat: pd.DataFrame, names: dict) -> pd.DataFrame:
    rows = []
    for r in repeat.head(REPEAT_ROWS).itertuples():
        cats = _category_list(getattr(r, "categories", ""), names)
        rows.append({"Läge (SWEREF 99 TM, ö / n)": f"{fmt_int(r.x)} / {fmt_int(r.y)}", "Brott": fmt_int(r.n),
                     "Inom (m)": fmt_int(r.radius), "Första": fmt_date(r.first), "Senaste": fmt_date(r.last),
                     "Kategorier": cats})
    return pd.DataFrame(rows, columns=["Läge (SWEREF 99 TM, ö / n)", "Brott", "Inom (m)", "Första", "Senaste",
                                       "Kategorier"])


def patterns_view(store, settings, *, place, category=None, period=None, meeting: bool = False) -> list:
    """The content of the patterns page, under its heading also when there is nothing to show (a place
    without crimes with coordinates, no place or period chosen, a refused category)."""
    content = _content(store, settings, place=place, category=category, period=period, meeting=meeting)
    first = content[0] if content else None
    if isinstance(first, html.Div) and "page-header" in (first.className or ""):
        return content
    return [html.Div(className="page-header", children=[html.H1("Mönster")]), *content]


def _content(store, settings, *, place, category=None, period=None, meeting: bool = False) -> list:
    if not place:
        return [ui.empty("ingen plats är vald", hint="Välj en plats i listan ovan.")]
    if not period:
        return [ui.empty("ingen period är vald", hint="Välj en period.")]
    try:
        res = analysis.incident_patterns(store, settings, place=place, period=period, category=category or None)
    except analysis.Refused as exc:
        return [html.Div(str(exc), className="empty refusal-sensitive", role="status", id="pat-refused")]
    except NotFound as exc:
        return [ui.empty(str(exc).rstrip("."))]
    names = common.category_names(store)
    name = res["place"]["name"]
    cat_name = res["category_name"]
    if res["n"] == 0:
        return [_none_found(name, cat_name if category else None, res["period"].label)]
    # the charts' source line names who counted this place (incidents: the police), not the store's
    # every publisher: beside Brå's tables of the kommun, Jakobsberg's incidents were "Polisen och Brå"
    ctx = replace(common.figure_context(store, settings, meeting),
                  crime_source=base.places_crime_source(store, [res["place"]["place_id"]]))
    periods = [common.shown_period(res["period"], common.data_until(store))]
    wh = make_weekday_hour(res["weekday_hour"], place=name, category=cat_name, periods=periods, context=ctx)
    mo = make_month_of_year(res["month_of_year"], place=name, category=cat_name, periods=periods, context=ctx)
    key = slug(f"{name}-{category or 'alla'}-{res['period'].label}")
    tops, repeat = res["top_cells"], res["repeat"]
    tiles = ui.tiles([
        {"label": "Brott med koordinater", "value": fmt_int(res["n"]), "detail": f"{cat_name}, {periods[0]}",
         "tone": "info"},
        {"label": "Brott i de mest belastade rutorna", "value": fmt_pct(tops[0]["incident_share"]),
         "detail": f"{top_cells_text(tops)} Rutor à {fmt_int(settings.cell_size)} m.", "tone": "neutral"},
        {"label": "Upprepade lägen", "value": fmt_int(len(repeat)),
         "detail": f"med minst två brott inom 10 m; {fmt_pct(repeat.attrs.get('share', float('nan')))} av "
                   "brotten", "tone": "neutral"}])
    table = _repeat_table(repeat, names)
    return [
        html.Div(className="page-header", children=[html.H1("Mönster"),
                                                     html.Span(f"{name} · {cat_name} · {periods[0]}",
                                                               className="facts", id="pat-facts")]),
        tiles,
        html.Div(className="grid", children=[
            ui.chart(wh, "pat-weekday-hour", name=f"veckodag-timme-{key}", meeting=meeting,
                     numbers=_numbers(res["weekday_hour"], "Brott per veckodag och timme", name, cat_name, periods)),
            ui.chart(mo, "pat-month", name=f"manad-{key}", meeting=meeting,
                     numbers=_numbers(res["month_of_year"], "Brott per kalendermånad", name, cat_name, periods))]),
        ui.section("Upprepade lägen", ui.table(table, "pat-repeat", numbers=_numbers(
                       _named(res["repeat"], names), "Upprepade lägen", name, cat_name, periods)) if len(table) else
                   ui.empty("inga lägen med minst två brott inom 10 m"),
                   subtitle=f"{REPEAT_METHOD} Flest brott först (högst {REPEAT_ROWS} visas). Läget är "
                            "mittbrottets koordinater; Inom (m) är avståndet till lägets brott längst bort.",
                   class_name="card"),
        ui.notes(_notes(res["weekday_hour"].attrs.get("nonexistent", 0), res["weekday_note"])),
    ]


def _none_found(place: str, category: str | None, period: str):
    """The empty state of a place, category and period without crimes. With a category chosen it names
    the category: the place may well have incident-level data of others (it said "inga brott med
    koordinater i Solhems torg" and told the analyst to read in incident data the store already held)."""
    if category:
        return ui.empty(f"det finns inga brott i kategorin {category} med koordinater i {place} under {period}",
                        hint="Välj en annan kategori (eller Alla utom känsliga) eller en annan period.")
    return ui.empty(f"det finns inga brott med koordinater i {place} under {period}",
                    hint="Välj en annan period. Mönster kräver brott på händelsenivå (med tidpunkt och "
                         "koordinater); saknas sådana för platsen kan de läsas in under Data.")


def _notes(nonexistent: int, weekday_note: str | None = None) -> list[str]:
    notes = [weekday_note] if weekday_note else []  # counts per weekday first: what the chart shows
    notes += ["Rutorna är platsens rutnät på land; andelen i de mest belastade rutorna visar hur "
             "koncentrerad brottsligheten är (jämför 80/20-analys). De mest belastade 5 % och 10 % av "
             "rutorna avrundas uppåt till hela rutor, minst en; därför anges hur många rutor det är och "
             "hur stor andel av rutorna de är.",
             "Känsliga kategorier (t.ex. våld i nära relation) redovisas aldrig per tidpunkt eller "
             "plats och ingår inte i Alla kategorier."]
    if nonexistent:
        notes.append(f"Obs: {nonexistent_text(nonexistent)}.")
    return notes


def _numbers(frame, title: str, place: str, category: str, periods: list) -> Numbers:
    """A pattern frame for its Excel download (incident-level: the role analytiker, as the page)."""
    return Numbers(frame, f"{title} – {category}", place=place, periods=tuple(periods), role="analytiker",
                   headers=HEADERS)
