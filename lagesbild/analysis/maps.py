"""Karta: hotspots, density or hotspot change for an area, a category and a period, with activities.

Incident-level data are needed (aggregated counts have no coordinates). Sensitive categories (victim
privacy, e.g. våld i nära relation) are never mapped.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import shapely

from lagesbild.analysis import base
from lagesbild.analysis.map_empty import (  # noqa: F401 (re-exported: they were here)
    EVENTS_NOT_MAPPED,
    NO_INCIDENTS,
    ONLY_COUNTS,
    _incident_rows,
    _no_incidents,
    only_counts,
)
from lagesbild.core import periods as pr
from lagesbild.core.concentration import top_cells
from lagesbild.core.hotspot_change import hotspot_change, hotspots_on_one_grid, judged_change
from lagesbild.core.hotspots import hotspots
from lagesbild.core.kde import kde_surface

DENSITY_CELL = 50.0  # metres per raster cell of the density surface (coarser for large areas)
MAX_DENSITY_CELLS = 400_000
SENSITIVE_TEXT = base.SENSITIVE_TEXT


def defaults(store) -> dict:
    """Default area (the district with most crimes; without districts the city, else the shaped place
    with most crimes), category (the largest non-sensitive one) and
    periods (the latest Sep–Aug year and the one before). The map draws incidents: with incident data,
    the area and category are those with the most incidents (a file of monthly counts made Karta open
    on a category it had no point of, "För få brott (0)")."""
    def build():
        monthly = base.complete_counts(store)
        sources = store.sources()
        points = sources.loc[sources["kind"] == "incidents", "source"] if sources is not None and len(
            sources) else []
        if monthly["source"].isin(points).any():
            monthly = monthly[monthly["source"].isin(points)]
        pl = base.places(store)
        districts = pl[pl["kind"] == "stadsdelsomrade"]["place_id"] if len(pl) else []
        sums = monthly[monthly["place_id"].isin(districts)].groupby("place_id")["count"].sum()
        area = sums.idxmax() if len(sums) else base.city_id(store)
        if area is None:  # no district and no city (a kommun's own areas): the shaped area of most crimes
            gdf = store.places_gdf()
            shaped = gdf.loc[gdf.geometry.notna() & ~gdf.geometry.is_empty, "place_id"] if len(gdf) else []
            every = monthly[monthly["place_id"].isin(shaped)].groupby("place_id")["count"].sum()
            area = every.idxmax() if len(every) and every.max() > 0 else None
        hidden = base.sensitive_categories(store)
        cats = monthly[~monthly["category"].isin(hidden)].groupby("category")["count"].sum()
        years = base.sep_aug_years(store)
        return {"area": area, "category": cats.idxmax() if len(cats) else None,
                "period": years[-1].label if years else None,
                "period2": years[-2].label if len(years) > 1 else None}
    return base.memo(store, ("map-defaults",), build)


AREA_READS_KEPT = 4  # areas × periods whose incidents' points are kept (the whole city for a year: ~3 MB)
_AREA_READS: dict = {}
_AREA_LOCK = threading.Lock()


def _area(store, area_id):
    gdf = store.places_gdf()
    hit = gdf[gdf["place_id"] == area_id]
    return (None, gdf) if hit.empty else (hit.geometry.iloc[0], gdf)


def _area_shape(store, area_id):
    """The area's polygon (None: no such place), looked up once per data version."""
    return base.memo(store, ("map-area", area_id), lambda: _area(store, area_id)[0])


def _area_parts(store, geom, area_id) -> tuple:
    """What the map draws of an area whatever the category and period, once per data version: its
    outlines (:func:`_outlines`), the names of its areas without a shape (listed, never drawn) and
    the links of activities to the places drawn."""
    def build():
        gdf = store.places_gdf()
        outlines = _outlines(gdf, geom, area_id)
        sub = gdf[(gdf["district_id"] == area_id) & gdf.geometry.is_empty]
        links = store.activity_places()
        return outlines, sorted(sub["name"]), links[links["place_id"].isin(outlines["place_id"])]
    return base.memo(store, ("map-area-parts", area_id), build)


def no_map_text(store, place_id) -> str:
    """Why a place without a shape (an area only counted, :mod:`lagesbild.ingest.shapeless`) has no
    map, hot spots or patterns."""
    return (f"{base.place_name(store, place_id)} saknar karta: området finns bara som antal per område "
            "(t.ex. från Brå); lägg in en platsfil med dess gräns för att se det på kartan")


def _shaped_area(store, place_id):
    """The place's polygon; :class:`~lagesbild.analysis.base.NotFound` for a place without a shape."""
    geom, gdf = _area(store, place_id)
    if geom is None or geom.is_empty:
        raise base.NotFound(no_map_text(store, place_id) + ".")
    return geom, gdf


def _incidents(store, category, period: pr.Period, geom):
    """The incidents (``x, y, category``) of the categories in the area's bounding box and the period.

    Every category's incidents of the box and period are read once and kept (for the last
    :data:`AREA_READS_KEPT` boxes and periods of a data version), so a change of category on the map
    filters rows in memory instead of reading and decoding the blocks again."""
    key = (store.url, store.version(), tuple(geom.bounds), period.start, period.end)
    with _AREA_LOCK:  # requests run in threads: a lookup never meets another's eviction
        every = _AREA_READS.get(key)
    if every is None:
        read = store.incidents(start=period.start, end=period.end, bbox=geom.bounds)
        every = read[["x", "y"]].assign(category=read["category"].astype("category"))
        with _AREA_LOCK:
            while len(_AREA_READS) >= AREA_READS_KEPT:
                _AREA_READS.pop(next(iter(_AREA_READS)))
            _AREA_READS[key] = every
    cats = [category] if isinstance(category, str) else list(category)
    return every[every["category"].isin(cats).to_numpy()].reset_index(drop=True)


def _outlines(gdf, geom, area_id):
    """The area's own outline and the places lying in it (not neighbouring districts)."""
    inside = gdf.geometry.representative_point().within(geom)
    near = gdf[inside & ~gdf["kind"].isin(base.AREA_KINDS) & (gdf["place_id"] != area_id)]
    return pd.concat([gdf[gdf["place_id"] == area_id], near])


#: what the map can show: Gi* hot and cold spots, a kernel density, or the change between two periods
MODES = ("gi", "density", "change")
#: the note under the map of the change between two periods (Metod says it at length)
CHANGE_NOTE = ("Förändring: en ruta är het vid minst 95 % konfidens. Ny = het bara under den senare "
               "perioden, upphörd = bara under den tidigare, när rutans grannskap fått en säkerställt "
               "större respektive mindre andel av områdets brott under de dagar som bara den ena perioden "
               "har (Fishers exakta test, korrigerat för många test); annars grå: het i bara en period "
               "utan säkerställd förändring.")


def chosen_categories(category) -> list[str]:
    """One category id or several as a list without repeats (order kept).

    Examples
    --------
    >>> chosen_categories("rån"), chosen_categories(["rån", "stöld", "rån"]), chosen_categories(None)
    (['rån'], ['rån', 'stöld'], [])
    """
    items = [category] if isinstance(category, str) else list(category or [])
    return list(dict.fromkeys(c for c in items if c))


def map_layers(store, settings, *, area, category, period, period2=None, mode="gi") -> dict:
    """The map's layers: ``cells`` (Gi* or change) or ``density``, ``outlines``, ``activities`` and
    ``links`` inside them, ``incidents`` (the number counted), ``concentration`` (share in the top 5 %
    and 10 % of cells), ``hot_cells``, ``problem`` (a reason when nothing can be shown), ``facts``;
    ``in_cells`` (the crimes the grid holds, :func:`in_area`) and ``nothing`` (:data:`NO_CELLS`, when
    no cell of the grid is half inside the area but crimes are).

    ``category`` is one id or a list: with several, the crimes of all of them are counted together,
    so every statistic (Gi* included) is computed on the summed counts per cell. ``mode`` is one of
    :data:`MODES` (another raises :class:`~lagesbild.analysis.notfound.NotFound`, as does a category id
    the store does not know)."""
    if mode not in MODES:
        raise base.NotFound(f"Okänt kartläge: {str(mode)[:40]!r}. Välj {', '.join(MODES)}.")
    cats = tuple(chosen_categories(category))
    known = base.category_names(store)
    if unknown := [c for c in cats if c not in known]:  # a forged or stale id: said, not an empty map
        raise base.NotFound(f"Okänd kategori: {str(unknown[0])[:40]!r}.")
    key = ("map", area, cats, period, period2 if mode == "change" else None, mode, settings.cell_size)
    return base.memo(store, key, lambda: _map_layers(store, settings, area, list(cats), period, period2,
                                                     mode))


#: who counted the crimes a map draws, for its source line: incidents with coordinates, which only the
#: police publish (beside Brå's monthly table of a kommun the map said "Polisen och Brå")
MAP_SOURCE = "Polisen, anmälda brott"


def _map_layers(store, settings, area, cats, period, period2, mode) -> dict:
    names = base.category_names(store)
    out = {"problem": None, "facts": base.facts(store), "area_name": base.place_name(store, area, area),
           "category_name": " + ".join(names.get(c, c) for c in cats), "categories": cats,
           "category_names": [names.get(c, c) for c in cats], "crime_source": MAP_SOURCE}
    if set(cats) & set(base.sensitive_categories(store)):
        out["problem"] = SENSITIVE_TEXT
        return out
    if not cats:  # none to choose from without incident data: say that, not "välj en eller flera"
        out["problem"] = _no_incidents(store) if not _incident_rows(store) else "ingen kategori är vald: välj en eller flera"
        return out
    category = cats if len(cats) > 1 else cats[0]
    geom = _area_shape(store, area)
    if geom is None:
        out["problem"] = "inget område är valt" if not area else f"området {area!r} finns inte"
        return out
    if geom.is_empty:
        out["problem"] = no_map_text(store, area)
        return out
    try:
        p1 = pr.parse_period(period)
        p0 = pr.parse_period(period2) if mode == "change" and period2 else None
    except (ValueError, TypeError) as err:
        out["problem"] = str(err) if period else "ingen period är vald"
        return out
    if mode == "change" and p0 is None:
        out["problem"] = "välj en jämförelseperiod för att se förändringen"
        return out
    if mode == "change" and (p0.start, p0.end) == (p1.start, p1.end):
        out["problem"] = (f"jämförelseperioden ({p0.label}) är samma som perioden: välj en annan period "
                          "att jämföra med")
        return out
    inc = _incidents(store, category, p1, geom)
    out["incidents"] = in_area(inc, geom)
    if not _incident_rows(store):
        out["problem"] = _no_incidents(store)
        return out
    only = only_counts(store, area, cats, p1) if not out["incidents"] else None
    if only:  # a grid of empty cells and "För få brott (0)" beside the counts Plats shows
        out["problem"] = only
        return out
    try:
        return _layers(store, settings, out, geom, area, category, p0, p1, inc, mode)
    except ValueError as err:  # e.g. an area wholly in water: no land to lay a grid over
        out["problem"] = str(err)
        return out


#: why the map is empty though crimes lie in the area: no cell of the grid is half inside it (a place
#: smaller than half a cell, with too few crimes for a finer grid: core.hotspots' ``fit_small``)
NO_CELLS = ("ingen av kartans rutor om {size} m ligger till minst hälften i området, så dess {n} brott "
            "kan inte visas per ruta; välj ett större område")


def in_area(inc, geom) -> int:
    """The incidents inside the area's polygon (its edge included): the map's "Brott i området".

    The hot spot grid may count fewer (``in_cells``, the grid's ``attrs["incidents"]``): it leaves out
    cells less than half inside the area or on land (:data:`lagesbild.core.hotspots.MIN_LAND_SHARE`),
    and the crimes in them, so the two are told apart wherever both are shown."""
    return int(shapely.intersects_xy(geom, inc["x"], inc["y"]).sum()) if len(inc) else 0


def _only_in(store, category, period: pr.Period, other: pr.Period, geom) -> pd.DataFrame:
    """The incidents of ``period`` on days ``other`` does not have (all of them when they do not
    overlap)."""
    one_day = pd.Timedelta(days=1)
    spans = [(period.start, min(period.end, (pd.Timestamp(other.start) - one_day).date())),
             (max(period.start, (pd.Timestamp(other.end) + one_day).date()), period.end)]
    parts = [_incidents(store, category, pr.date_range(a, b), geom) for a, b in spans if a <= b]
    return pd.concat(parts, ignore_index=True) if parts else _incidents(store, category, period, geom).iloc[0:0]


def _layers(store, settings, out, geom, area, category, p0, p1, inc, mode) -> dict:
    if mode == "gi":
        out["cells"] = hotspots(inc, geom, cell_size=settings.cell_size, fit_small=True)
    elif mode == "density":
        minx, miny, maxx, maxy = geom.bounds
        cell = max(DENSITY_CELL, ((maxx - minx) * (maxy - miny) / MAX_DENSITY_CELLS) ** 0.5)
        out["density"] = kde_surface(inc["x"], inc["y"], geom, cell_size=cell) if len(inc) else None
    else:
        before, after = hotspots_on_one_grid(_incidents(store, category, p0, geom), inc, geom,
                                             cell_size=settings.cell_size, fit_small=True)
        # a new or ended hot spot only where its neighbourhood changed beyond chance in the months the
        # periods do not share: near the threshold a cell flips class by chance (Metod)
        dropped, added = (_only_in(store, category, a, b, geom) for a, b in ((p0, p1), (p1, p0)))
        out.update(cells=judged_change(hotspot_change(before, after), dropped, added,
                                       spacing=after.attrs["cell_size"], alpha=settings.alpha),
                   before=before, after=after)
    cells = out.get("after") if mode == "change" else out.get("cells")
    if cells is not None:  # the crimes in the area beside those the grid counts (:func:`in_area`)
        before = [] if mode == "gi" else [in_area(_incidents(store, category, p0, geom), geom)]
        out["cells"].attrs["in_area"] = [*before, out["incidents"]]  # as the grid's totals (maplayers)
        out["in_cells"] = int(cells.attrs.get("incidents", 0))
        if not len(cells) and out["incidents"]:  # "inga händelser" beside the tile's crimes: say why
            out["nothing"] = NO_CELLS.format(size=f"{cells.attrs.get('cell_size', 0):.0f}",
                                             n=f"{out['incidents']:,}".replace(",", "\u00a0"))
    if cells is not None and len(cells):
        out["top_cells"] = top_cells(cells["count"])  # the cells the shares really are
        out["concentration"] = {t["share"]: t["incident_share"] for t in out["top_cells"]}
        out["hot_cells"] = int((cells["gi_bin"] >= 2).sum())
    out["outlines"], out["no_map"], out["links"] = _area_parts(store, geom, area)
    # the action plan, read once per data version (an ingest writes it and bumps the version): the
    # store copies every activity's dicts on each read, for callers that change them; the map does not
    out["activities"], out["followups"] = base.memo(store, ("map-plan",),
                                                    lambda: (store.activities(), store.followups()))
    return out


def area_incidents(store, area_id: str, *, category=None, period=None, time_known=False) -> tuple:
    """(incidents inside the area's bounding box for the category and period, the area polygon);
    ``time_known``: with the column saying which incidents have a time of day."""
    pid = base.resolve_place(store, area_id)["place_id"]
    geom, _ = _shaped_area(store, pid)
    period = pr.parse_period(period) if isinstance(period, str) else period
    inc = store.incidents(category=category, start=period.start if period else None,
                          end=period.end if period else None, bbox=geom.bounds, time_known=time_known)
    return inc, geom


def area_hotspots(store, area_id: str, *, category=None, period=None, cell_size: float = 200.0,
                  shape: str = "square", buffer: float = 0.0, fit_small: bool = False):
    """Gi* hotspots for an area (grown by ``buffer`` metres), category and period (EPSG:3006).

    ``fit_small``: a finer grid for an area too small for ``cell_size`` (as the map page does with the
    setting; :func:`lagesbild.core.hotspots.fitted_cell_size`).

    A sensitive category is never mapped (:class:`~lagesbild.analysis.base.Refused`, as on the map
    page); without a category every category but the sensitive ones is counted."""
    category = base.mappable_categories(store, category)
    pid = base.resolve_place(store, area_id)["place_id"]
    geom, _ = _shaped_area(store, pid)
    area = geom.buffer(buffer) if buffer else geom
    period = pr.parse_period(period) if isinstance(period, str) else period
    inc = store.incidents(category=category, start=period.start if period else None,
                          end=period.end if period else None, bbox=tuple(area.bounds))
    return (hotspots(inc, area, cell_size=cell_size, shape=shape, fit_small=fit_small)
            if len(inc) or not buffer else None)


def area_hotspot_change(store, area_id: str, *, category=None, period_a=None, period_b=None,
                        cell_size: float = 200.0, shape: str = "square"):
    """New, persistent and ended hotspots between two periods."""
    a = area_hotspots(store, area_id, category=category, period=period_a, cell_size=cell_size, shape=shape)
    b = area_hotspots(store, area_id, category=category, period=period_b, cell_size=cell_size, shape=shape)
    return hotspot_change(a, b)


def place_geometry(store, place_id, crs: int = 3006):
    """The place's polygon (EPSG:3006 by default)."""
    gdf = store.places_gdf(crs=crs)
    geom = gdf.loc[gdf["place_id"] == place_id].geometry.iloc[0]
    if geom is None or geom.is_empty:
        raise base.NotFound(no_map_text(store, place_id) + ".")
    return geom


def places_gdf(store, crs: int = 3006):
    """Every place as a GeoDataFrame."""
    return store.places_gdf(crs=crs)


def cell_table(cells, density=None) -> pd.DataFrame | None:
    """The numbers behind a map as a plain table: each grid cell without its geometry and with its
    centre (``x``, ``y`` in SWEREF 99 TM, to the decimetre), or, given ``density`` (``xs, ys, z``),
    the density grid's points; None when there is neither. Used by the page's Excel download and the
    pack's map table alike.
    """
    if density is not None:
        xs, ys, z = density
        gx, gy = np.meshgrid(xs, ys)
        return pd.DataFrame({"x": gx.ravel(), "y": gy.ravel(), "density": np.asarray(z).ravel()})
    if cells is None:
        return None
    centre = shapely.centroid(np.asarray(cells.geometry.array))
    drawn = ~(shapely.is_empty(centre) | shapely.is_missing(centre))  # an empty cell has no centre: NaN
    x, y = np.full(len(centre), np.nan), np.full(len(centre), np.nan)
    x[drawn], y[drawn] = shapely.get_x(centre[drawn]), shapely.get_y(centre[drawn])
    # one frame from the columns: dropping the geometry from a GeoDataFrame and assigning the centre
    # took two to five times as long
    columns = {c: cells[c] for c in cells.columns if c != "geometry"}
    columns["x"], columns["y"] = np.round(x, 1), np.round(y, 1)
    return pd.DataFrame(columns, index=cells.index)
