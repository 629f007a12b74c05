"""Karta: hotspots, density or hotspot change for an area, category and period, with the activities.

Incident-level data are needed (aggregated counts have no coordinates). Sensitive categories (victim
privacy, e.g. våld i nära relation) are never mapped.
"""

from __future__ import annotations

import pandas as pd
import shapely
from dash import html

from lagesbild.core import periods as pr
from lagesbild.core.hotspots import concentration, hotspot_change, hotspots
from lagesbild.core.kde import kde_surface
from lagesbild.figures.format import fmt_int, fmt_pct, slug
from lagesbild.figures.maps import (MIN_INCIDENTS, activities_in_hotspots, activity_points, make_hotspot_map,
                                    too_few)
from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.state import MAP_MODES

DENSITY_CELL = 50.0  # metres per raster cell of the density surface (coarser for large areas)
MAX_DENSITY_CELLS = 400_000


def defaults(store) -> dict:
    """Default area (the district with most crimes), category (the largest non-sensitive one) and
    periods (the latest Sep–Aug year and the one before)."""
    monthly = store.monthly_counts()
    pl = common.places(store)
    districts = pl[pl["kind"] == "stadsdelsomrade"]["place_id"] if len(pl) else []
    sums = monthly[monthly["place_id"].isin(districts)].groupby("place_id")["count"].sum()
    area = sums.idxmax() if len(sums) else common.city_id(store)
    hidden = common.sensitive_categories(store)
    cats = monthly[~monthly["category"].isin(hidden)].groupby("category")["count"].sum()
    years = common.sep_aug_years(store)
    return {"area": area, "category": cats.idxmax() if len(cats) else None,
            "period": years[-1].label if years else None,
            "period2": years[-2].label if len(years) > 1 else None}


def _area(store, area_id):
    gdf = store.places_gdf()
    hit = gdf[gdf["place_id"] == area_id]
    return (None, gdf) if hit.empty else (hit.geometry.iloc[0], gdf)


def _incidents(store, category, period: pr.Period, geom):
    return store.incidents(category=category, start=period.start, end=period.end, bbox=geom.bounds)


def _outlines(gdf, geom, area_id):
    """The area's own outline and the places lying in it (not neighbouring districts)."""
    inside = gdf.geometry.representative_point().within(geom)
    near = gdf[inside & ~gdf["kind"].isin(common.AREA_KINDS) & (gdf["place_id"] != area_id)]
    return pd.concat([gdf[gdf["place_id"] == area_id], near])


def map_results(store, settings, *, area, category, period, period2=None, mode="gi") -> dict:
    """The map's inputs computed by the core: ``cells`` or ``density``, ``outlines``, ``points``,
    ``incidents`` (the number counted) and ``problem`` (a reason when nothing can be shown)."""
    key = ("map", area, category, period, period2 if mode == "change" else None, mode, settings.cell_size)
    return common.memo(store, key, lambda: _map_results(store, settings, area, category, period, period2,
                                                        mode))


def _map_results(store, settings, area, category, period, period2, mode) -> dict:
    out = {"problem": None}
    if category in common.sensitive_categories(store):
        out["problem"] = ("kategorin visas inte på karta av hänsyn till brottsoffren; se antalen under "
                          "Översikt och Plats")
        return out
    geom, gdf = _area(store, area)
    if geom is None:
        out["problem"] = "inget område är valt" if not area else f"området {area!r} finns inte"
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
    out["incidents"] = int(shapely.intersects_xy(geom, inc["x"], inc["y"]).sum()) if len(inc) else 0
    if store.counts()["incidents"] == 0:
        out["problem"] = "kartan kräver brott på händelsenivå med koordinater; inga sådana är inlästa"
        return out
    if mode == "gi":
        out["cells"] = hotspots(inc, geom, cell_size=settings.cell_size)
    elif mode == "density":
        minx, miny, maxx, maxy = geom.bounds
        cell = max(DENSITY_CELL, ((maxx - minx) * (maxy - miny) / MAX_DENSITY_CELLS) ** 0.5)
        out["density"] = kde_surface(inc["x"], inc["y"], geom, cell_size=cell) if len(inc) else None
    else:
        before = hotspots(_incidents(store, category, p0, geom), geom, cell_size=settings.cell_size)
        after = hotspots(inc, geom, cell_size=settings.cell_size)
        out.update(cells=hotspot_change(before, after), before=before, after=after)
    out["outlines"] = _outlines(gdf, geom, area)
    links = store.activity_places()
    links = links[links["place_id"].isin(out["outlines"]["place_id"])]
    out["points"] = activity_points(store.activities(), links, out["outlines"], store.followups())
    out["in_hotspots"] = activities_in_hotspots(store.activities(), links, out["outlines"],
                                                out.get("after") if mode == "change" else out.get("cells"))
    return out


def _summary(res: dict, mode: str) -> html.Div | None:
    cells = res.get("after") if mode == "change" else res.get("cells")
    items = [{"label": "Brott i området", "value": fmt_int(res.get("incidents", 0)),
              "detail": "under perioden, med koordinater", "tone": "info"}]
    few = too_few(res.get("cells"), mode)
    if few:
        items.append({"label": "Hot spot-analys", "value": "Visas inte", "tone": "warn",
                      "detail": f"{few}: Gi* kräver minst {MIN_INCIDENTS} brott. Kartan visar antalen "
                                "per ruta."})
    elif cells is not None and len(cells):
        conc = concentration(cells["count"])
        hot = int((cells["gi_bin"] >= 2).sum())
        items += [{"label": "Andel i de mest belastade rutorna", "value": fmt_pct(conc[0.05]),
                   "detail": f"av brotten ligger i 5 % av rutorna ({fmt_pct(conc[0.10])} i 10 %)",
                   "tone": "neutral"},
                  {"label": "Heta rutor (95 % eller mer)", "value": fmt_int(hot),
                   "detail": f"av {fmt_int(len(cells))} rutor à "
                             f"{fmt_int(cells.attrs.get('cell_size', 0))} m",
                   "tone": "up" if hot else "neutral"}]
    return ui.tiles(items)


def _method_note(res: dict, mode: str) -> html.Div | None:
    cells = res.get("after") if mode == "change" else res.get("cells")
    if mode == "density":
        return ui.notes(["Tätheten är en kärnskattning (Gauss, bandbredd enligt Scotts regel) i brott "
                         "per km². Den visar var brotten ligger tätt, inte om det är statistiskt "
                         "säkerställt."])
    if cells is None:
        return None
    if too_few(res.get("cells"), mode):
        return ui.notes([f"Getis–Ord Gi* behöver minst {MIN_INCIDENTS} brott i urvalet för att säga "
                         "något om var brotten klumpar sig; välj en längre period, ett större område "
                         "eller en annan kategori."])
    text = (f"Getis–Ord Gi* på rutor om {fmt_int(cells.attrs.get('cell_size', 0))} m, grannskap: "
            f"{cells.attrs.get('neighbourhood', '')}, korrigerat för många test (FDR).")
    extra = ["Förändring: en ruta är het vid minst 95 % konfidens; ny = het bara under den senare "
             "perioden, upphörd = bara under den tidigare."] if mode == "change" else []
    return ui.notes([text] + extra + ["Aktiviteter visas som svarta punkter; för musen över dem för "
                                      "detaljer."])


def map_view(store, settings, *, area=None, category=None, period=None, period2=None, mode="gi",
             meeting: bool = False) -> list:
    """The content of the map page."""
    mode = MAP_MODES.get(mode, mode)
    res = map_results(store, settings, area=area, category=category, period=period, period2=period2,
                      mode=mode)
    if res["problem"]:
        return [ui.empty(res["problem"])]
    names = common.category_names(store)
    area_name = common.place_name(store, area, area)
    periods = [period2, period] if mode == "change" else [period]
    fig = make_hotspot_map(res.get("cells"), mode=mode, places=res["outlines"], density=res.get("density"),
                           activities=res["points"], basemap_url=settings.basemap_url, area=area_name,
                           category=names.get(category, category), periods=periods,
                           context=common.figure_context(store, settings, meeting))
    name = slug(f"karta-{mode}-{area_name}-{category}-{period}")
    height = "calc(100vh - 300px)" if meeting else 700
    listed = res.get("in_hotspots")
    return [ui.chart(fig, "map-graph", name=name, meeting=meeting, class_name="map", height=height),
            _summary(res, mode), _method_note(res, mode),
            ui.section("Åtgärdsplanens aktiviteter i området", ui.table(listed, "map-activities"),
                       subtitle="Om platsen där aktiviteten bedrivs ligger i en het punkt (Gi*, minst 90 % "
                                "konfidens) på kartan ovan.")
            if listed is not None and len(listed) else None]
