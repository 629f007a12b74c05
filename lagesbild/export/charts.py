"""The charts an export can hold, each with the numbers behind it, built from the store for one place.

Each builder asks the analysis layer (:mod:`lagesbild.analysis.pack`) for the numbers and a
:mod:`lagesbild.figures` function for the figure (coloured by the same
:func:`lagesbild.figures.colours.category_colours` as the screen),
applies small-number suppression (hidden values are gaps in the chart and ``–`` in the numbers) and
returns a :class:`~lagesbild.export.content.Chart`. :data:`CHARTS` maps the kind the CLI's ``--chart``
takes to its builder.

Sensitive categories (victim privacy, see ``data/categories.yaml``) are never drawn on the map.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lagesbild.analysis import base
from lagesbild.analysis import pack as analysis
from lagesbild.analysis.categories import ALL_ID
from lagesbild.analysis.maps import MAP_SOURCE, cell_table
from lagesbild.analysis.place import place_survey
from lagesbild.analysis.survey import survey_city
from lagesbild.export.content import Chart
from lagesbild.export.data import ExportData, ExportError
from lagesbild.export.headers import ROLLING_MEAN, ROLLING_SUM
from lagesbild.export.safety import SUPPRESSED, safe_stem, suppression_note
from lagesbild.figures.colours import category_colours
from lagesbild.figures.finishing import empty_dict
from lagesbild.figures.format import fmt_int, shown_period
from lagesbild.figures.mapactivities import activities_in_hotspots
from lagesbild.figures.maplayers import shortage
from lagesbild.figures.maps import NOTHING, make_hotspot_map
from lagesbild.figures.markup import plain
from lagesbild.figures.share import TITLE as SHARE_TITLE
from lagesbild.figures.share import make_share_chart
from lagesbild.figures.survey import make_survey_chart
from lagesbild.figures.trend import TITLE_MONTHS, make_trend_months, make_trend_years

# ----- declarative tables ----------------------------------------------------------------------
KIND_LABELS = {"trend": "Trend", "months": "Per månad", "share": "Andel", "survey": "Trygghet",
               "map": "Karta"}
TOP_CATEGORIES = {"trend": 5, "months": 3, "share": 3, "map": None}
MAX_TREND_YEARS = analysis.MAX_TREND_YEARS
MAP_HEIGHT = 640  # px at 16 cm wide: the title, legend, source and notes leave the map about 250 px
#: whether an activity lies in a hot spot, when the map has no hot spot classes (as Karta says it)
NO_CLASSES_NO_POINTS = "– (inga brott med koordinater att pröva)"
NO_CLASSES_TOO_FEW = "– (för få {lack} för hot spot-analys)"
#: under a share chart that draws fewer categories than its total holds
SHARE_TOTAL_NOTE = ("Alla valda kategorier: alla kategorier i jämförelsetabellen, också de som inte har en egen "
                    "linje i diagrammet.")
MAP_AREA_NOTE = "Kartan visar {place} och {m} m runt platsen; dess antal gäller hela kartans område."
MAP_SENSITIVE_NOTE = "Kartan visar inte känsliga kategorier ({cats}) för att skydda brottsoffer."
COLUMNS_TREND = {"category_name": "Kategori", "period": "Period", "start": "Från", "end": "Till",
                 "count": "Antal anmälda brott", "months_missing": "Månader utan data"}
COLUMNS_MONTHS = {"category_name": "Kategori", "month": "Månad", "count": "Antal anmälda brott",
                  "rolling_12": ROLLING_SUM, "rolling_mean": ROLLING_MEAN}
COLUMNS_SHARE = {"parent": "Jämfört med", "category_name": "Kategori", "period": "Period",
                 "count_place": "Antal på platsen", "count_parent": "Antal totalt", "share": "Andel",
                 "p_value": "p-värde", "verdict": "Bedömning"}
COLUMNS_SURVEY = {"indicator": "Indikator", "year": "År", "share": "Andel", "ci_lo": "KI nedre",
                  "ci_hi": "KI övre", "respondents": "Antal svarande", "district_share":
                  "Stadsdelsområdet", "city_share": "Staden",
                  "diff_district": "Skillnad mot (resten av) stadsdelsområdet, p.e.",
                  "diff_district_lo": "Skillnad stadsdelsområdet, KI nedre (p.e., justerat för många test)",
                  "diff_district_hi": "Skillnad stadsdelsområdet, KI övre (p.e., justerat för många test)",
                  "p_district": "p-värde stadsdelsområdet (justerat)",
                  "diff_city": "Skillnad mot (resten av) staden, p.e.",
                  "diff_city_lo": "Skillnad staden, KI nedre (p.e., justerat för många test)",
                  "diff_city_hi": "Skillnad staden, KI övre (p.e., justerat för många test)",
                  "p_city": "p-värde staden (justerat)",
                  "compared_with_rest": "Jämfört med resten (utan platsen)",
                  "verdict": "Förändring sedan förra", "fictitious": "Fiktiv"}
COLUMNS_MAP = {"cell_id": "Ruta", "x": "X (SWEREF 99 TM)", "y": "Y (SWEREF 99 TM)",
               "count": "Antal anmälda brott", "z": "Gi* z", "p": "p-värde", "klass": "Klass"}


def chart_name(kind: str, place_name: str, periods) -> str:
    """File stem of a chart: ``Trend Hässelby torg 2021–2022 2022–2023``.

    Examples
    --------
    >>> chart_name("map", "Älvsjö/Solberga", ["2022–2023"])
    'Karta Älvsjö-Solberga 2022–2023'
    """
    labels = [getattr(p, "label", str(p)) for p in periods or []]
    return safe_stem(f"{KIND_LABELS.get(kind, kind)} {place_name}", " ".join(labels))


def _renamed(df: pd.DataFrame, columns: dict) -> pd.DataFrame:
    return df[[c for c in columns if c in df.columns]].rename(columns=columns).reset_index(drop=True)


def _hide(values: pd.Series, hidden: pd.Series) -> pd.Series:
    return values.astype(object).where(~hidden, SUPPRESSED)


def _small(data: ExportData, cats: pd.Series, counts: pd.Series) -> pd.Series:
    if data.threshold <= 0:
        return pd.Series(False, index=counts.index)
    num = pd.to_numeric(counts, errors="coerce")
    return cats.isin(data.sensitive) & num.notna() & (num < data.threshold)


def _notes(data: ExportData, hidden) -> list[str]:
    if not bool(np.any(hidden)):
        return []
    names = [data.category_names.get(c, c) for c in sorted(data.sensitive)]
    return [suppression_note(data.threshold, names)]


def _numbers(call):
    """Run an analysis call, turning its Swedish refusals into :class:`ExportError`."""
    try:
        return call()
    except (base.NotFound, ValueError) as exc:
        raise ExportError(str(exc)) from None


def _colours(data: ExportData, place: dict) -> dict:
    return category_colours(analysis.colours_order(data.store, place["place_id"]))


#: why a chart shows nothing when there are data but every count is a small one of a sensitive category
ALL_HIDDEN = "alla antal är små i en känslig kategori och visas inte"


def _all_hidden(counts: pd.Series, hidden: pd.Series) -> bool:
    """Whether there are counts and every one of them is hidden. Without any count (yearly tables only,
    months without data) the figure's own reason stands: "alla antal är små i en känslig kategori" was
    said of a place with no monthly count at all, in internal packs too."""
    given = counts.notna().to_numpy()
    return bool(given.any()) and bool(hidden.to_numpy()[given].all())


# ----- builders --------------------------------------------------------------------------------
def trend_chart(data: ExportData, place: dict, periods, *, category=None) -> Chart:
    """Counts per period: Sep–Aug years up to the latest asked for (at most six), or exactly the
    periods asked for when they are tertials, calendar years or custom ranges."""
    data.require_crime_data()
    years, counts = _numbers(lambda: analysis.trend_counts(
        data.store, place, list(periods), category=category, n=TOP_CATEGORIES["trend"], alpha=data.alpha))
    hidden = _small(data, counts["category"], counts["count"])
    fig_counts = counts.assign(count=counts["count"].astype(float).where(~hidden))
    fig = go.Figure(make_trend_years(  # the figure dict as a plotly figure: the export edits it
        fig_counts, data_until=data.until_of(place), place=place["name"], category_names=data.category_names,
        context=data.context_for(place), colours=_colours(data, place)))
    _mark_hidden_bars(fig, {data.category_names.get(c, c) for c in counts.loc[hidden, "category"]})
    table = counts.assign(category_name=counts["category"].map(data.category_names),
                          count=_hide(counts["count"], hidden).where(~_without_data(counts)))
    sep_aug = all(y.kind == "sep_aug" for y in years)
    span = [f"{years[0].label} till {years[-1].label}"] if len(years) > 1 and sep_aug else years
    return Chart(chart_name("trend", place["name"], span), fig, _renamed(table, COLUMNS_TREND),
                 notes=_notes(data, hidden))


def _without_data(counts: pd.DataFrame) -> pd.Series:
    """Rows of periods with no month of data (every month missing): their count is missing, not the
    0 ``counts_by_period`` sums (the chart leaves them out; the numbers said "0" beside "Månader utan
    data 12")."""
    if "months_missing" not in counts or "n_months" not in counts:
        return pd.Series(False, index=counts.index)
    missing = pd.to_numeric(counts["months_missing"], errors="coerce")
    return (missing >= pd.to_numeric(counts["n_months"], errors="coerce")) & (missing > 0)


def _mark_hidden_bars(fig: go.Figure, names: set) -> None:
    """Draw a hidden count as "–" on the axis, as the note under the chart says it is (the bar was
    simply missing, which reads as nothing reported)."""
    for trace in fig.data:
        if trace.type != "bar" or trace.name not in names or trace.y is None:
            continue
        gaps = [y is None or y != y for y in trace.y]
        if any(gaps):
            trace.y = [0 if gap else y for y, gap in zip(trace.y, gaps, strict=True)]
            trace.text = [SUPPRESSED if gap else t for t, gap in zip(trace.text, gaps, strict=True)]


def months_chart(data: ExportData, place: dict, periods, *, category=None) -> Chart:
    """Monthly counts over the periods with a rolling 12-month line and activity starts."""
    data.require_crime_data()
    series = _numbers(lambda: analysis.month_series(
        data.store, place, list(periods), category=category, n=TOP_CATEGORIES["months"], alpha=data.alpha))
    small = _small(data, series["category"], series["count"])
    # a category with one hidden month has every month hidden: the trend chart and the comparison
    # show its period totals, and a total less the months shown beside it gave the hidden ones away
    hide_roll = series["category"].isin(set(series.loc[small, "category"]))
    hidden = hide_roll & series["count"].notna()
    fig_series = series.assign(count=series["count"].astype("Int64").where(~hidden, pd.NA),
                               rolling_12=series["rolling_12"].astype("Int64").where(~hide_roll, pd.NA))
    if _all_hidden(series["count"], hidden):  # data, but every count hidden
        fig = go.Figure(empty_dict(ALL_HIDDEN, title=TITLE_MONTHS, context=data.context_for(place), place=place["name"]))
    else:
        fig = go.Figure(make_trend_months(
            fig_series, place=place["name"], category_names=data.category_names,
            activities=data.activities_for(place["place_id"]), context=data.context_for(place),
            colours=_colours(data, place), source_changes=_numbers(lambda: analysis.month_source_changes(
                data.store, place, list(periods), series["category"].unique()))))
    table = series.assign(category_name=series["category"].map(data.category_names),
                          count=_hide(series["count"], hidden),
                          rolling_12=_hide(series["rolling_12"], hide_roll),
                          # the thick line as drawn: the 12 months' sum per month (the column said
                          # "Rullande 12 månader" of the sum, 672, beside a line at 56)
                          rolling_mean=_hide(pd.to_numeric(series["rolling_12"], errors="coerce") / 12, hide_roll))
    return Chart(chart_name("months", place["name"], periods), fig, _renamed(table, COLUMNS_MONTHS),
                 notes=_notes(data, hidden))


def share_chart(data: ExportData, place: dict, periods, *, category=None) -> Chart:
    """The place's share of its district's and the city's crimes per period."""
    data.require_crime_data()
    names, shares, drawn = _share_numbers(data, place, list(periods), category)
    # the total over the categories ("alla") would give a hidden count away (total less the others):
    # it is hidden with them, per parent and period; so are small sensitive parent counts
    hidden = _with_total(shares, _small(data, shares["category"], shares["count_place"]))
    hidden_parent = _with_total(shares, _small(data, shares["category"], shares["count_parent"]))
    every, keep = set(shares["category"]), shares["category"].isin(drawn).to_numpy()  # keep: the lines drawn
    shares, hidden, hidden_parent = (x[keep].reset_index(drop=True) for x in (shares, hidden, hidden_parent))
    shown = ~(hidden | hidden_parent)  # a share with a hidden count either side gives it away
    fig_shares = shares.assign(share=shares["share"].where(shown),
                               significant=shares["significant"] & shown,
                               verdict=shares["verdict"].where(shown, ""))
    if _all_hidden(shares["count_place"], ~shown):  # data, but every count hidden
        fig = go.Figure(empty_dict(ALL_HIDDEN, title=SHARE_TITLE, context=data.context_for(place), place=place["name"]))
    else:
        fig = go.Figure(make_share_chart(
            fig_shares, place=place["name"], category_names=data.category_names, parent_names=names,
            context=data.context_for(place), colours=_colours(data, place)))
    table = shares.assign(parent=[names.get(p, "Staden") if isinstance(p, str) else "Staden"
                                  for p in shares["parent_id"]],
                          category_name=shares["category"].map(lambda c: data.category_names.get(
                              c, "Alla valda kategorier")))
    table["count_place"] = _hide(table["count_place"], hidden)
    table["count_parent"] = _hide(table["count_parent"], hidden_parent)
    for col in ("share", "p_value", "verdict"):
        table[col] = _hide(table[col], ~shown)
    notes = _notes(data, ~shown) + ([SHARE_TOTAL_NOTE] if category is None and not drawn >= every else [])
    return Chart(chart_name("share", place["name"], periods), fig, _renamed(table, COLUMNS_SHARE), notes=notes)


def _share_numbers(data: ExportData, place: dict, periods: list, category) -> tuple[dict, pd.DataFrame, set]:
    """(parent names, the shares of every category of the place's comparison table with their total
    and test, the categories to draw). "Alla valda kategorier" is the comparison table's total (every
    category, as on Plats with those categories chosen), and the p-values are corrected over those
    categories as on Plats; the chart draws the largest few (and every one with a säkerställd change)
    and the total. The total once summed the drawn categories only: 217 crimes under a table whose
    "Alla valda kategorier" said 264."""
    if category is not None:
        names, shares = _numbers(lambda: analysis.share_numbers(
            data.store, place, periods, category=category, n=TOP_CATEGORIES["share"], alpha=data.alpha))
        return names, shares, set(shares["category"])
    names, shares = _numbers(lambda: analysis.share_numbers(
        data.store, place, periods, n=max(len(data.category_names), 1), alpha=data.alpha))
    _, few = _numbers(lambda: analysis.share_numbers(
        data.store, place, periods, n=TOP_CATEGORIES["share"], alpha=data.alpha))
    return names, shares, set(few["category"]) | {ALL_ID}


def _with_total(shares: pd.DataFrame, hidden: pd.Series) -> pd.Series:
    """``hidden`` and the total row (:data:`ALL_ID`) of every parent and period with a hidden row."""
    if not hidden.any():
        return hidden
    key = shares["parent_id"].astype(str) + "\x00" + shares["period"].astype(str)
    return hidden | ((shares["category"] == ALL_ID) & key.isin(set(key[hidden])))


def survey_chart(data: ExportData, place: dict, periods=None, *, category=None) -> Chart:
    """The latest survey result per indicator with Wilson intervals, district and city."""
    table = place_survey(data.store, place["place_id"], alpha=data.alpha)
    district = place.get("district_id")
    district_name, city = data.place_name(district) if district else None, survey_city(data.store)
    fig = go.Figure(make_survey_chart(table, place=place["name"], context=data.context_for(place),
                                      district_name=district_name, city=city))
    years = sorted({int(y) for y in table["year"]}) if len(table) else []
    return Chart(chart_name("survey", place["name"], [str(y) for y in years[-1:]]), fig,
                 _renamed(table, survey_columns(district_name, city)))


def survey_columns(district_name: str | None, city: str | None) -> dict:
    """:data:`COLUMNS_SURVEY` with a kommun's city-level rows named (desk9's Mölnbo: Södertälje's
    shares stood under "Staden" beside an empty "Stadsdelsområdet"); a kommun that is both the place's
    district and the survey's city has the city's columns only.

    >>> cols = survey_columns("Södertälje", "Södertälje")
    >>> cols["city_share"], cols["diff_city"], "district_share" in cols
    ('Södertälje', 'Skillnad mot (resten av) Södertälje, p.e.', False)
    >>> survey_columns("Hässelby-Vällingby", None) == COLUMNS_SURVEY
    True
    """
    if not city:
        return dict(COLUMNS_SURVEY)
    out = {k: (v.replace("Staden", city).replace("staden", city) if "city" in k else v)
           for k, v in COLUMNS_SURVEY.items()}
    return {k: v for k, v in out.items() if "district" not in k} if district_name == city else out


def _activity_markers(data: ExportData, place_id) -> pd.DataFrame:
    acts = data.activities_for(place_id)
    if acts.empty:
        return pd.DataFrame(columns=["lon", "lat", "aktivitet", "hover"])
    links = data.activity_places[data.activity_places["activity_id"].isin(acts["activity_id"])]
    gdf = data.places_gdf_4326
    rows = []
    for act in acts.to_dict("records"):
        ids = set(links.loc[links["activity_id"] == act["activity_id"], "place_id"])
        if place_id in ids:
            ids = {place_id}
        pt = gdf[gdf["place_id"].isin(ids)].geometry.union_all().representative_point()
        rows.append({"lon": pt.x, "lat": pt.y, "aktivitet": act["aktivitet"],
                     "hover": plain(act["aktivitet"])})  # a hover is plotly text: the name as written
    return pd.DataFrame(rows)


def map_chart(data: ExportData, place: dict, periods, *, category=None) -> Chart:
    """Gi* hotspots of the latest period around the place, with the action plan's activities."""
    data.require_crime_data()
    period = periods[-1]
    # a place with only counts without a place (a file of monthly counts) says so, as Karta does
    problem = _numbers(lambda: analysis.map_problem(data.store, place, period, category=category))
    cells = None if problem else _numbers(lambda: analysis.map_cells(data.store, data.settings, place,
                                                                     period, category=category))
    outline = data.places_gdf[data.places_gdf["place_id"] == place["place_id"]]
    label = data.category_names.get(category, category) if category else base.ALL_BUT_SENSITIVE.lower()
    acts = data.activities_for(place["place_id"])
    links = data.activity_places[data.activity_places["place_id"] == place["place_id"]]
    lack = None if cells is None else shortage(cells)
    # without hot spot classes (no crime with a place, too few) an activity is in none: not "nej"
    unknown = (NO_CLASSES_NO_POINTS if cells is None else
               NO_CLASSES_TOO_FEW.format(lack=lack) if lack else None)
    listed = activities_in_hotspots(acts, links, outline, cells, unknown)
    markers = _activity_markers(data, place["place_id"])
    if len(markers):  # the rings carry the numbers the note lists the activities by
        numbers = dict(zip(listed["Aktivitet"], listed["Nr"].astype(str), strict=True))
        markers = markers.assign(label=markers["aktivitet"].map(numbers).fillna(""))
    # a period past the data says how far they go, as Karta's title does ("2026–2027 (t.o.m. 13 nov 2026)"):
    # the place's own data end, else the export's (a district whose crimes are its areas')
    shown = shown_period(period, data.until_of(place) or data.data_until)
    fig = go.Figure(make_hotspot_map(cells, mode="gi", places=outline, activities=markers, area=place["name"],
                                     category=label, periods=[shown],
                                     context=replace(data.context_for(place), crime_source=MAP_SOURCE),
                                     height=MAP_HEIGHT, nothing=problem or NOTHING))  # incidents: the police's
    table = pd.DataFrame(columns=list(COLUMNS_MAP.values()))
    if cells is not None:
        table = _renamed(cell_table(cells), COLUMNS_MAP)
    names = [data.category_names.get(c, c) for c in sorted(data.sensitive)]
    notes = [MAP_SENSITIVE_NOTE.format(cats=", ".join(names))] if names and not category else []
    if cells is not None:  # the map's counts are of this area, not of the place alone (Plats' counts)
        notes.insert(0, MAP_AREA_NOTE.format(place=place["name"], m=fmt_int(analysis.map_buffer_m(place))))
    if cells is not None and cells.attrs.get("fdr_note"):  # what the classes can be trusted for, as on screen
        notes.insert(0, cells.attrs["fdr_note"])
    if len(listed):
        notes.append("Åtgärdsplanens aktiviteter på platsen (numrerade som på kartan) och om platsen "
                     "ligger i en het punkt: "
                     + "; ".join(f"{r['Nr']} {r['Aktivitet']} – {_in_hot_spot(r['Ligger i het punkt'])}"
                                 for r in listed.to_dict("records")) + ".")
    return Chart(chart_name("map", place["name"], [period]), fig, table, notes=notes,
                 height=MAP_HEIGHT)


def _in_hot_spot(cell: str) -> str:
    """The list's "Ligger i het punkt" cell as the map's note says it after the activity's name and a
    dash: a cell saying why there is no answer loses its own dash ("1 Trygghetsvandringar – – (inga
    brott …)").

    >>> _in_hot_spot("– (inga brott med koordinater att pröva)"), _in_hot_spot("nej")
    ('inga brott med koordinater att pröva', 'nej')
    """
    text = str(cell)
    return text[3:-1] if text.startswith("– (") and text.endswith(")") else text


CHARTS = {"trend": trend_chart, "months": months_chart, "share": share_chart,
          "survey": survey_chart, "map": map_chart}


def build_chart(data: ExportData, kind: str, place_key, periods, *, category=None) -> Chart:
    """Build one chart of ``kind`` (a key of :data:`CHARTS`) for a place id or name."""
    if kind not in CHARTS:
        raise ExportError(f"Okänd diagramtyp {kind!r}; välj {', '.join(CHARTS)}.")
    return CHARTS[kind](data, data.place(place_key), list(periods), category=category)

