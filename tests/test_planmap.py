"""The offline map (figures.planmap): names written by the figure, land and water from bundled data,
and activity rings that leave the hot spots visible in the exported PNG."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from shapely.geometry import box

from lagesbild.core.land import water
from lagesbild.figures import maplabels, maps, palette, planmap, style
from lagesbild.figures.fit import text_px
from lagesbild.settings import ROOT


def make_hotspot_map(*args, **kwargs) -> go.Figure:
    """The offline map (a figure dict) read back through plotly, as the tests read it."""
    made = maps.make_hotspot_map(*args, **kwargs)
    assert isinstance(made, dict)
    return go.Figure(made)


CTX = style.FigureContext(organisation="SDF Hässelby-Vällingby", data_until="2023-08-31", demo=True)


def bundled_places():
    """The bundled places and districts (geodata/places.geojson) as the store gives them (EPSG:3006)."""
    gdf = gpd.read_file(ROOT / "geodata" / "places.geojson").to_crs(3006)
    return gdf.rename(columns={"namn": "name", "typ": "kind"})[["place_id", "name", "kind", "geometry"]]


def view_of(area_id):
    """An area as the map page draws it: its outline, the places in it, a grid of cells and a ring on
    every place (as the analysis layer gives them)."""
    gdf = bundled_places()
    area = gdf.loc[gdf["place_id"] == area_id].geometry.iloc[0]
    inside = gdf.geometry.representative_point().within(area)
    places = pd.concat([gdf[gdf["place_id"] == area_id],
                        gdf[inside & ~gdf["kind"].isin(["stad", "stadsdelsomrade"])]])
    minx, miny, maxx, maxy = area.bounds
    size = max(maxx - minx, maxy - miny) / 25
    grid = [box(x, y, x + size, y + size) for x in np.arange(minx, maxx, size) for y in np.arange(miny, maxy, size)]
    grid = [g for g in grid if g.intersects(area)]
    cells = gpd.GeoDataFrame({"cell_id": [str(i) for i in range(len(grid))], "count": 3,
                              "z": 0.0, "p": 0.5, "gi_bin": [(3, 0, 2, 0, -2)[i % 5] for i in range(len(grid))]},
                             geometry=grid, crs=3006)
    pts = places.geometry.to_crs(4326).representative_point()
    acts = pd.DataFrame({"place_id": places["place_id"], "lon": pts.x, "lat": pts.y,
                         "aktivitet": "Platssamverkan", "hover": "Platssamverkan",
                         "label": [f"{i + 1}" for i in range(len(places))]})
    return cells, places, acts


def screen_boxes(fig, width, height):
    """The screen box of every label, computed from the figure (anchor in metres and pixel shift) and
    the label's text measured in DejaVu Sans."""
    meta = fig.layout.meta
    m = fig.layout.margin
    plot_w, plot_h = width - m.l - m.r, height - m.t - m.b
    minx, miny, maxx, maxy = meta["map_view"]
    scale = min(plot_w / (maxx - minx), plot_h / (maxy - miny))
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    out = {}
    for a in fig.layout.annotations:
        if a.name != maplabels.LABEL_NAME:
            continue
        px = plot_w / 2 + (a.x - cx) * scale + (a.xshift or 0) + (a.ax if a.showarrow else 0)
        py = plot_h / 2 - (a.y - cy) * scale - (a.yshift or 0) + (a.ay if a.showarrow else 0)
        out[a.text] = (maplabels.label_box(px, py, a.text, a.font.size), (plot_w, plot_h))
    return out


AREAS = ["hasselby-vallingby", "hagersten-alvsjo", "skarholmen", "stockholm"]


@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "mote"])
@pytest.mark.parametrize("area_id", AREAS)
def test_every_place_and_district_is_named_and_no_two_names_overlap(area_id, meeting):
    cells, places, acts = view_of(area_id)
    ctx = style.FigureContext(organisation="SDF", data_until="2023-08-31", meeting=meeting)
    fig = make_hotspot_map(cells, places=places, activities=acts, area="Området", context=ctx)
    width, height = maplabels.label_size(meeting, fig)
    boxes = screen_boxes(fig, width, height)
    assert set(places["name"]) <= set(boxes), set(places["name"]) - set(boxes)
    assert {str(n) for n in acts["label"]} <= set(boxes)  # every activity ring has its number
    items = list(boxes.items())
    for i, (name, (b, (plot_w, plot_h))) in enumerate(items):
        assert b[0] >= 0 and b[2] <= plot_w and b[1] >= 0 and b[3] <= plot_h, name
        for other, (c, _) in items[i + 1:]:
            assert not (b[0] < c[2] and c[0] < b[2] and b[1] < c[3] and c[1] < b[3]), (name, other)


def test_labels_are_chosen_again_for_the_printed_size():
    from lagesbild.export.mapview import fit_map_view

    cells, places, acts = view_of("skarholmen")
    fig = make_hotspot_map(cells, places=places, activities=acts, context=CTX, height=560)
    # much smaller than the screen: a plot 300 px wide and 110 px high under the figure's own margins
    # (an export is never less: the renderer keeps room for the plot), where some names cannot fit
    height = fig.layout.margin.t + fig.layout.margin.b + 110
    fit_map_view(fig, 300, height)
    small = screen_boxes(fig, 300, height)
    assert 0 < len(small) < len(screen_boxes(make_hotspot_map(
        cells, places=places, activities=acts, context=CTX, height=560), *maplabels.label_size(False, fig)))
    items = list(small.values())
    assert not any(b[0] < c[2] and c[0] < b[2] and b[1] < c[3] and c[1] < b[3]
                   for i, (b, _) in enumerate(items) for c, _ in items[i + 1:])


def test_only_a_map_of_a_measured_window_gets_a_fixed_size_and_ranges():
    # without a measured window the map fills its card (plotly's automatic size, equal aspect)
    cells, places, acts = view_of("skarholmen")
    nominal = make_hotspot_map(cells, places=places, activities=acts, context=CTX)
    assert nominal.layout.autosize is None and nominal.layout.width is None
    # drawn at a measured 1855 × 780: that size, and x and y ranges of the plot's shape
    drawn = make_hotspot_map(cells, places=places, activities=acts, context=CTX, drawn=(1855, 780))
    assert (drawn.layout.autosize, drawn.layout.width, drawn.layout.height) == (False, 1855, 780)
    m = drawn.layout.margin
    (x0, x1), (y0, y1) = drawn.layout.xaxis.range, drawn.layout.yaxis.range
    assert (x1 - x0) / (y1 - y0) == pytest.approx((1855 - m.l - m.r) / (780 - m.t - m.b))


def _area(xs, ys) -> float:
    """Area of rings (None-separated) with the shoelace formula, signed by winding: holes subtract."""
    total, ring = 0.0, []
    for x, y in zip([*xs, None], [*ys, None], strict=True):
        if x is None:
            if len(ring) > 2:
                a = np.array(ring)
                total += 0.5 * float(np.dot(a[:-1, 0], a[1:, 1]) - np.dot(a[1:, 0], a[:-1, 1]))
            ring = []
        else:
            ring.append((x, y))
    return total


def test_land_and_water_are_drawn_from_the_bundled_water():
    cells, places, acts = view_of("hasselby-vallingby")  # 21.8 % of it is water (Mälaren)
    fig = make_hotspot_map(cells, places=places, activities=acts, context=CTX)
    wet = next(t for t in fig.data if t.name == "Vatten")
    # the land is the plot's background: no trace repeats it (it made a third of the map's answer)
    assert [t.name for t in fig.data].count("Vatten") == 1 and "Land" not in [t.name for t in fig.data]
    assert wet.fill == "toself" and fig.layout.plot_bgcolor == planmap.LAND != wet.fillcolor
    # whole metres where the simplification moves the shore more than that (here ~5 m)
    assert all(isinstance(v, int) for v in wet.x if v is not None)
    view = fig.layout.meta["map_view"]
    half = max(view[2] - view[0], view[3] - view[1]) * planmap.LAND_REACH / 2
    cx, cy = (view[0] + view[2]) / 2, (view[1] + view[3]) / 2
    frame = box(cx - half, cy - half, cx + half, cy + half)
    expected = shapely.intersection(water(), frame).area
    assert expected > 1e6  # the bundled data has water here
    assert _area(wet.x, wet.y) == pytest.approx(expected, rel=0.02)
    # the water is drawn under the cells, outlines and rings
    names = [t.name for t in fig.data]
    assert names.index("Vatten") < min(names.index(n) for n in ("Platser", planmap.ACTIVITY_NAME))


def _rings_by_hand(geoms, holes):
    """Each polygon's rings one at a time (exterior counter-clockwise, holes clockwise)."""
    rings = []
    for g in geoms:
        for poly in getattr(g, "geoms", [g]):
            if poly.is_empty or poly.geom_type != "Polygon":
                continue
            poly = shapely.geometry.polygon.orient(poly, 1.0)
            rings.append(np.asarray(poly.exterior.coords))
            rings += [np.asarray(r.coords) for r in poly.interiors] if holes else []
    return rings


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(st.floats(650_000, 700_000), st.floats(6_550_000, 6_600_000),
                          st.floats(1, 500), st.booleans(), st.booleans()), max_size=6),
       st.booleans(), st.sampled_from([0, 1]))
def test_xy_matches_each_ring_by_hand(shapes, holes, decimals):
    geoms = []
    for x, y, size, hole, multi in shapes:
        outer = box(x, y, x + size, y + size)
        poly = outer.difference(box(x + size / 4, y + size / 4, x + size / 2, y + size / 2)) if hole else outer
        geoms.append(shapely.MultiPolygon([poly, box(x - 2 * size, y, x - size, y + size)]) if multi else poly)
    geoms.append(shapely.Polygon())  # an empty one is left out
    xs, ys = planmap.xy(geoms, holes=holes, decimals=decimals)
    rings = _rings_by_hand(geoms, holes)
    assert xs.count(None) == ys.count(None) == len(rings) and (not xs or xs[-1] is None)
    flat = list(zip(xs, ys, strict=True))
    assert all(isinstance(v, int) == isinstance(w, int) == (decimals == 0) for v, w in flat if v is not None)
    start = 0
    for ring in rings:
        part = flat[start:start + len(ring)]
        assert flat[start + len(ring)] == (None, None)
        got = np.array(part, dtype=float)
        assert np.abs(got - ring).max() <= 0.5 * 10.0 ** -decimals + 1e-6  # rounded, never moved more
        start += len(ring) + 1


HOT_RGB = tuple(int(palette.GI_CLASSES[3][1][i:i + 2], 16) for i in (1, 3, 5))


def test_exported_png_keeps_every_hot_cell_visible_under_the_activity_rings(tmp_path):
    """16 cm at 300 dpi, rendered by the export's own browser: inside every hot cell most pixels
    still have the hot spot's colour, also where an activity sits on the cell."""
    from lagesbild.export.figure import export_figure
    from lagesbild.figures.mapactivities import activity_points

    cells, places, _ = view_of("hagersten-alvsjo")
    cells = cells.assign(gi_bin=0)
    hot_ids = []
    for pt in places[places["kind"] != "stadsdelsomrade"].geometry.representative_point():
        hit = cells.index[cells.contains(pt)][0]  # the cell under each place's activity ring
        hot_ids.append(hit)
    cells.loc[hot_ids, "gi_bin"] = 3
    acts = pd.DataFrame({"activity_id": ["a", "b"], "aktivitet": ["Platssamverkan", "Trygghetsvandring"]})
    links = pd.DataFrame({"activity_id": ["a", "b"], "place_id": ["fruangen", "alvsjo-solberga"]})
    pts = activity_points(acts, links, places).assign(label=["1", "2"])
    fig = make_hotspot_map(cells, places=places, activities=pts, context=CTX, height=560)
    path = export_figure(fig, tmp_path / "karta.png", width_cm=16, dpi=300, height=560)
    image = np.asarray(Image.open(path).convert("RGB")).astype(int)
    factor = image.shape[1] / 605  # CSS px -> image px (16 cm at 300 dpi)
    ready = fig  # the exported layout: same margins and view as the prepared figure
    m = ready.layout.margin
    plot_w, plot_h = 605 - m.l - m.r, 560 - m.t - m.b
    minx, miny, maxx, maxy = ready.layout.meta["map_view"]
    scale = min(plot_w / (maxx - minx), plot_h / (maxy - miny))
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    blended = np.array(HOT_RGB) * 0.8 + np.array([int(planmap.LAND[i:i + 2], 16) for i in (1, 3, 5)]) * 0.2
    for cell in cells.loc[hot_ids].geometry:
        x0, y0, x1, y1 = cell.bounds
        xs = np.linspace(x0, x1, 9)[2:-2]
        ys = np.linspace(y0, y1, 9)[2:-2]
        hits = 0
        for x in xs:
            for y in ys:
                px = (m.l + plot_w / 2 + (x - cx) * scale) * factor
                py = (m.t + plot_h / 2 - (y - cy) * scale) * factor
                hits += np.abs(image[int(py), int(px)] - blended).max() < 40
        assert hits / (len(xs) * len(ys)) >= 0.6, (cell.bounds, hits)


@pytest.mark.parametrize("meeting", [False, True])
@pytest.mark.parametrize("area", ["kungsholmen", "norrmalm", "ostermalm", "skarpnack", "spanga-tensta"])
def test_no_name_covers_the_too_few_note(area, meeting):
    """With too few crimes for Gi* the map says so in a box in its top left corner; no name is placed
    over it (Kungsholmen's name ran under it in meeting mode). The box is measured by hand here: the
    note's text at its font size, its border padding and width on each side, from 1 % of the plot."""
    cells, places, acts = view_of(area)
    cells["count"] = 0
    ctx = style.FigureContext(organisation="SDF", data_until="2023-08-31", meeting=meeting)
    fig = make_hotspot_map(cells, places=places, activities=acts, context=ctx)
    note = next(a for a in fig.layout.annotations if a.name == "too_few")
    width, height = maplabels.label_size(meeting, fig)
    m = fig.layout.margin
    plot_w, plot_h = width - m.l - m.r, height - m.t - m.b
    pad = 2 * (note.borderpad + note.borderwidth)
    left, top = note.x * plot_w, (1 - note.y) * plot_h
    box_ = (left, top, left + text_px(note.text, note.font.size) + pad,
            top + note.font.size * 1.3 + pad)
    labels = screen_boxes(fig, width, height)
    assert labels
    for text, (b, _) in labels.items():
        assert not (b[0] < box_[2] and box_[0] < b[2] and b[1] < box_[3] and box_[1] < b[3]), text
