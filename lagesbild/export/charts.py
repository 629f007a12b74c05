"""The charts an export can hold, each with the numbers behind it, built from the store for one place.

Each builder calls the core for the numbers and a :mod:`lagesbild.figures` function for the figure,
applies small-number suppression (hidden values are gaps in the chart and ``–`` in the numbers) and
returns a :class:`~lagesbild.export.content.Chart`. :data:`CHARTS` maps the kind the CLI's ``--chart``
takes to its builder.

Sensitive categories (victim privacy, see ``data/categories.yaml``) are never drawn on the map.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.core import compare as cmp
from lagesbild.core.hotspots import hotspots
from lagesbild.core.shares import share_of_parent
from lagesbild.core.periods import as_date, sep_aug_years_between
from lagesbild.core.survey import survey_table
from lagesbild.export.content import Chart
from lagesbild.export.data import ExportData, ExportError
from lagesbild.export.safety import SUPPRESSED, safe_filename, suppression_note
from lagesbild.figures.maps import activities_in_hotspots, make_hotspot_map
from lagesbild.figures.share import make_share_chart
from lagesbild.figures.survey import make_survey_chart
from lagesbild.figures.trend import make_trend_months, make_trend_years

# ----- declarative tables ----------------------------------------------------------------------
KIND_LABELS = {"trend": "Trend", "months": "Per månad", "share": "Andel", "survey": "Trygghet",
               "map": "Karta"}
TOP_CATEGORIES = {"trend": 5, "months": 3, "share": 3, "map": None}
MAX_TREND_YEARS = 6
MAP_BUFFER_M = {"torg": 600.0, "centrum": 600.0}  # small places are shown with their surroundings
MAP_BUFFER_DEFAULT = 150.0
MAP_HEIGHT = 560
MAP_SENSITIVE_NOTE = "Kartan visar inte känsliga kategorier ({cats}) för att skydda brottsoffer."
COLUMNS_TREND = {"category_name": "Kategori", "period": "Period", "start": "Från", "end": "Till",
                 "count": "Antal anmälda brott", "months_missing": "Månader utan data"}
COLUMNS_MONTHS = {"category_name": "Kategori", "month": "Månad", "count": "Antal anmälda brott",
                  "rolling_12": "Rullande 12 månader"}
COLUMNS_SHARE = {"parent": "Jämfört med", "category_name": "Kategori", "period": "Period",
                 "count_place": "Antal på platsen", "count_parent": "Antal totalt", "share": "Andel",
                 "p_value": "p-värde", "verdict": "Bedömning"}
COLUMNS_SURVEY = {"indicator": "Indikator", "year": "År", "share": "Andel", "ci_lo": "KI nedre",
                  "ci_hi": "KI övre", "respondents": "Antal svarande", "district_share":
                  "Stadsdelsområdet", "city_share": "Staden", "verdict": "Förändring sedan förra",
                  "fictitious": "Fiktiv"}
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
    return safe_filename(" ".join([KIND_LABELS.get(kind, kind), place_name, *labels]))


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


def top_categories(data: ExportData, place_id, periods, n: int | None, category=None) -> list:
    """The ``n`` categories with most crimes at the place over the periods (or the one asked for)."""
    if category is not None:
        known = set(data.category_names)
        if category not in known:
            raise ExportError(f"Okänd kategori: {category!r}. Kända: {', '.join(sorted(known))}.")
        return [category]
    m = data.monthly[data.monthly["place_id"] == place_id]
    start, end = pd.Timestamp(periods[0].start), pd.Timestamp(periods[-1].end)
    m = m[(m["month"] >= start) & (m["month"] <= end)]
    ranked = m.groupby("category")["count"].sum().sort_values(ascending=False, kind="stable")
    cats = ranked.index.tolist()
    return cats[:n] if n else cats


# ----- builders --------------------------------------------------------------------------------
def trend_chart(data: ExportData, place: dict, periods, *, category=None) -> Chart:
    """Counts per Sep–Aug year from the first year with data to the latest (at most six)."""
    data.require_crime_data()
    cov = cmp.covered_months(data.monthly, data.coverage, place["place_id"])
    first = cov.min() if len(cov) else periods[0].start
    years = sep_aug_years_between(first, data.data_until)[-MAX_TREND_YEARS:]
    cats = top_categories(data, place["place_id"], years, TOP_CATEGORIES["trend"], category)
    counts = cmp.counts_by_period(data.monthly, years, place_id=place["place_id"], categories=cats,
                                  coverage=data.coverage)
    counts = counts[counts["category"] != cmp.ALL]
    hidden = _small(data, counts["category"], counts["count"])
    fig_counts = counts.assign(count=counts["count"].astype(float).where(~hidden))
    fig = make_trend_years(fig_counts, data_until=data.data_until, place=place["name"],
                           category_names=data.category_names, context=data.context)
    table = counts.assign(category_name=counts["category"].map(data.category_names),
                          count=_hide(counts["count"], hidden))
    span = [f"{years[0].label} till {years[-1].label}"] if len(years) > 1 else years
    return Chart(chart_name("trend", place["name"], span), fig, _renamed(table, COLUMNS_TREND),
                 notes=_notes(data, hidden))


def months_chart(data: ExportData, place: dict, periods, *, category=None) -> Chart:
    """Monthly counts over the periods with a rolling 12-month line and activity starts."""
    data.require_crime_data()
    start, end = periods[0].start, min(periods[-1].end, as_date(data.data_until))
    cats = top_categories(data, place["place_id"], periods, TOP_CATEGORIES["months"], category)
    parts = []
    for cat in cats:
        s = cmp.monthly_series(data.monthly, place["place_id"], cat, coverage=data.coverage,
                               start=start, end=end)
        parts.append(s.assign(category=cat))
    series = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["category", "month", "count", "covered", "rolling_12"])
    hidden = _small(data, series["category"], series["count"])
    hide_roll = series["category"].isin(set(series.loc[hidden, "category"]))
    fig_series = series.assign(count=series["count"].astype("Int64").where(~hidden, pd.NA),
                               rolling_12=series["rolling_12"].astype("Int64").where(~hide_roll, pd.NA))
    fig = make_trend_months(fig_series, place=place["name"], category_names=data.category_names,
                            activities=data.activities_for(place["place_id"]), context=data.context)
    table = series.assign(category_name=series["category"].map(data.category_names),
                          count=_hide(series["count"], hidden),
                          rolling_12=_hide(series["rolling_12"], hide_roll))
    return Chart(chart_name("months", place["name"], periods), fig, _renamed(table, COLUMNS_MONTHS),
                 notes=_notes(data, hidden))


def share_chart(data: ExportData, place: dict, periods, *, category=None) -> Chart:
    """The place's share of its district's and the city's crimes per period."""
    data.require_crime_data()
    parents = [p for p in (place.get("district_id"), None) if p != place["place_id"]]
    cats = top_categories(data, place["place_id"], periods, TOP_CATEGORIES["share"], category)
    shares = share_of_parent(data.monthly, periods, place["place_id"], parents, categories=cats,
                                 coverage=data.coverage, alpha=data.alpha)
    hidden = _small(data, shares["category"], shares["count_place"])
    fig_shares = shares.assign(share=shares["share"].where(~hidden),
                               significant=shares["significant"] & ~hidden,
                               verdict=shares["verdict"].where(~hidden, ""))
    names = {p: data.place_name(p) for p in parents}
    fig = make_share_chart(fig_shares, place=place["name"], category_names=data.category_names,
                           parent_names=names, context=data.context)
    table = shares.assign(parent=[names[p] if isinstance(p, str) else "Staden"
                                  for p in shares["parent_id"]],
                          category_name=shares["category"].map(lambda c: data.category_names.get(
                              c, "Alla valda kategorier")))
    for col in ("count_place", "share", "p_value", "verdict"):
        table[col] = _hide(table[col], hidden)
    return Chart(chart_name("share", place["name"], periods), fig, _renamed(table, COLUMNS_SHARE),
                 notes=_notes(data, hidden))


def survey_chart(data: ExportData, place: dict, periods=None, *, category=None) -> Chart:
    """The latest survey result per indicator with Wilson intervals, district and city."""
    table = survey_table(data.survey, data.places, place_id=place["place_id"], alpha=data.alpha) \
        if not data.survey.empty else pd.DataFrame()
    district = place.get("district_id")
    fig = make_survey_chart(table, place=place["name"], context=data.context,
                            district_name=data.place_name(district) if district else None)
    years = sorted({int(y) for y in table["year"]}) if len(table) else []
    return Chart(chart_name("survey", place["name"], [str(y) for y in years[-1:]]), fig,
                 _renamed(table, COLUMNS_SURVEY))


def _map_area(data: ExportData, place: dict):
    geom = data.geometry(place["place_id"])
    return geom.buffer(MAP_BUFFER_M.get(place["kind"], MAP_BUFFER_DEFAULT))


def _activity_markers(data: ExportData, place_id) -> pd.DataFrame:
    acts = data.activities_for(place_id)
    if acts.empty:
        return pd.DataFrame(columns=["lon", "lat", "aktivitet", "hover"])
    links = data.activity_places[data.activity_places["activity_id"].isin(acts["activity_id"])]
    gdf = data.store.places_gdf(crs=4326)
    rows = []
    for act in acts.to_dict("records"):
        ids = set(links.loc[links["activity_id"] == act["activity_id"], "place_id"])
        if place_id in ids:
            ids = {place_id}
        pt = gdf[gdf["place_id"].isin(ids)].geometry.union_all().representative_point()
        rows.append({"lon": pt.x, "lat": pt.y, "aktivitet": act["aktivitet"],
                     "hover": act["aktivitet"]})
    return pd.DataFrame(rows)


def map_chart(data: ExportData, place: dict, periods, *, category=None) -> Chart:
    """Gi* hotspots of the latest period around the place, with the action plan's activities."""
    data.require_crime_data()
    if category is not None and category in data.sensitive:
        raise ExportError(f"Kategorin {data.category_names.get(category, category)} är känslig och "
                          "visas inte på karta.")
    period = periods[-1]
    cats = [category] if category else sorted(set(data.category_names) - data.sensitive)
    area = _map_area(data, place)
    inc = data.store.incidents(category=cats, start=period.start, end=period.end,
                               bbox=tuple(area.bounds))
    cells = hotspots(inc, area, cell_size=float(data.settings.cell_size)) if len(inc) else None
    outline = data.places_gdf[data.places_gdf["place_id"] == place["place_id"]]
    label = data.category_names.get(category, category) if category else "alla icke-känsliga kategorier"
    fig = make_hotspot_map(cells, mode="gi", places=outline,
                           activities=_activity_markers(data, place["place_id"]), area=place["name"],
                           category=label, periods=[period.label], context=data.context,
                           height=MAP_HEIGHT)
    table = pd.DataFrame(columns=list(COLUMNS_MAP.values()))
    if cells is not None:
        cent = cells.geometry.centroid
        table = _renamed(cells.assign(x=cent.x.round(1), y=cent.y.round(1)), COLUMNS_MAP)
    names = [data.category_names.get(c, c) for c in sorted(data.sensitive)]
    notes = [MAP_SENSITIVE_NOTE.format(cats=", ".join(names))] if names and not category else []
    acts = data.activities_for(place["place_id"])
    links = data.activity_places[data.activity_places["place_id"] == place["place_id"]]
    listed = activities_in_hotspots(acts, links, outline, cells)
    if len(listed):
        notes.append("Åtgärdsplanens aktiviteter på platsen och om platsen ligger i en het punkt: "
                     + "; ".join(f"{r['Aktivitet']} – {r['Ligger i het punkt']}"
                                 for r in listed.to_dict("records")) + ".")
    return Chart(chart_name("map", place["name"], [period]), fig, table, notes=notes,
                 height=MAP_HEIGHT)


CHARTS = {"trend": trend_chart, "months": months_chart, "share": share_chart,
          "survey": survey_chart, "map": map_chart}


def build_chart(data: ExportData, kind: str, place_key, periods, *, category=None) -> Chart:
    """Build one chart of ``kind`` (a key of :data:`CHARTS`) for a place id or name."""
    if kind not in CHARTS:
        raise ExportError(f"Okänd diagramtyp {kind!r}; välj {', '.join(CHARTS)}.")
    return CHARTS[kind](data, data.place(place_key), list(periods), category=category)

