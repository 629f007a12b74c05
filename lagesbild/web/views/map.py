"""Karta: hotspots, density or hotspot change for an area, category and period, with the activities.

Incident-level data are needed (aggregated counts have no coordinates). Sensitive categories (victim
privacy, e.g. våld i nära relation) are never mapped.
"""

from __future__ import annotations

from dataclasses import replace

from dash import html

from lagesbild.analysis import maps as analysis
from lagesbild.figures.format import fmt_int, fmt_pct, slug
from lagesbild.figures.mapactivities import activities_in_hotspots, kept_activity_points, number_points
from lagesbild.figures.maplayers import MIN_CELLS, MIN_INCIDENTS, shortage, too_few
from lagesbild.figures.maps import NOTHING, make_hotspot_map
from lagesbild.figures.patterns import top_cells_text
from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.numbers import Numbers
from lagesbild.web.state import MAP_MODES

defaults = analysis.defaults


def map_results(store, settings, *, area, category, period, period2=None, mode="gi") -> dict:
    """The map's layers (:func:`lagesbild.analysis.maps.map_layers`)."""
    return analysis.map_layers(store, settings, area=area, category=category, period=period,
                               period2=period2, mode=mode)


def _summary(res: dict, mode: str) -> html.Div | None:
    cells = res.get("after") if mode == "change" else res.get("cells")
    items = [{"label": "Brott i området", "value": fmt_int(res.get("incidents", 0)),
              "detail": "under perioden, med koordinater" + _outside_cells(res), "tone": "info"}]
    few = too_few(res.get("cells"), mode)
    if few:
        why = (f"Gi* kräver minst {MIN_CELLS} rutor." if shortage(res.get("cells"), mode) == "rutor"
               else f"Gi* kräver minst {MIN_INCIDENTS} brott.")
        items.append({"label": "Hot spot-analys", "value": "Visas inte", "tone": "warn",
                      "detail": f"{few}: {why} Kartan visar antalen per ruta."})
    elif cells is not None and len(cells):
        conc, hot = res["concentration"], res["hot_cells"]
        items += [{"label": "Brott i de mest belastade rutorna", "value": fmt_pct(conc[0.05]),
                   "detail": top_cells_text(res["top_cells"]), "tone": "neutral"},
                  {"label": "Heta rutor (95 % eller mer)", "value": fmt_int(hot),
                   "detail": f"av {fmt_int(len(cells))} rutor à "
                             f"{fmt_int(cells.attrs.get('cell_size', 0))} m",
                   "tone": "up" if hot else "neutral"}]
    return ui.tiles(items)


def _outside_cells(res: dict) -> str:
    """What the tile adds when the map's grid counts fewer crimes than the area holds (cells less than
    half in the area or on land are left out, :func:`lagesbild.analysis.maps.in_area`)."""
    inside, counted = res.get("incidents", 0), res.get("in_cells")
    if counted is None or counted >= inside:
        return ""
    return (f"; {fmt_int(counted)} av dem i kartans rutor (rutor som till mindre än hälften ligger i "
            "området på land räknas inte)")


def _method_note(res: dict, mode: str) -> html.Div | None:
    cells = res.get("after") if mode == "change" else res.get("cells")
    if mode == "density":
        return ui.notes(["Tätheten är en kärnskattning (Gauss, bandbredd enligt Scotts regel) i brott "
                         "per km². Den visar var brotten ligger tätt, inte om det är statistiskt "
                         "säkerställt."])
    if cells is None:
        return None
    short = shortage(res.get("cells"), mode)
    if short == "rutor":
        return ui.notes([res["cells"].attrs["fdr_note"]])
    if short:
        return ui.notes([f"Getis–Ord Gi* behöver minst {MIN_INCIDENTS} brott i urvalet för att säga "
                         "något om var brotten klumpar sig; välj en längre period, ett större område "
                         "eller en annan kategori."])
    text = (f"Getis–Ord Gi* på rutor om {fmt_int(cells.attrs.get('cell_size', 0))} m, grannskap: "
            f"{cells.attrs.get('neighbourhood', '')}, korrigerat för många test (FDR).")
    water = cells.attrs.get("water_share", 0.0)
    if water and water > 0.005:
        text += (f" Vatten ({fmt_pct(water)} av området) ingår inte: rutnätet täcker bara land, och "
                 "rutor som till mindre än hälften ligger på land räknas inte.")
    extra = [cells.attrs["fdr_note"]] if cells.attrs.get("fdr_note") else []
    extra += [analysis.CHANGE_NOTE] if mode == "change" else []
    cats = res.get("categories") or []
    summed = [f"Flera kategorier: brotten i {', '.join(res['category_names'])} räknas "
              "samman per ruta, och hot spot-analysen görs på summan."] if len(cats) > 1 else []
    return ui.notes([text] + summed + extra + [ACTIVITY_NOTE])


ACTIVITY_NOTE = ("Aktiviteter visas som svarta ringar med sina nummer i listan under kartan; för musen "
                 "över dem för detaljer.")


#: The map's height on screen: 700 px; in meeting mode the window's height less 300 px (the bar, the
#: controls and the title above it), at least 640 px (style.css: ``.chart-card.map .chart``).
MAP_HEIGHT, MEETING_ROOM, MEETING_MIN = 700, 300, 640
#: What the page takes beside the map in meeting mode: its padding, the card's, the scroll bar.
MEETING_SIDES = 65
#: In normal mode: the page at most 1,880 px wide (style.css ``.main``), less its padding and the
#: card's (66 px); a window narrower than that also gives 15 px to the scroll bar.
NORMAL_MAX, NORMAL_SIDES, SCROLL_BAR = 1880, 66, 15


def drawn_size(meeting: bool, screen) -> tuple[int | str, tuple[int, int] | None]:
    """The map's CSS height and, when the window's size (``screen``: width, height) is known, the
    size it is drawn at (width, height), for placing its names and wrapping its legend; None: the
    nominal size.

    >>> drawn_size(True, [1366, 768]), drawn_size(True, [1920, 1080])
    ((640, (1301, 640)), (780, (1855, 780)))
    >>> drawn_size(False, [1366, 768]), drawn_size(False, [1920, 1080])
    ((700, (1285, 700)), (700, (1814, 700)))
    >>> drawn_size(True, None), drawn_size(False, None)
    (('calc(100vh - 300px)', None), (700, None))
    >>> drawn_size(False, [float("inf"), 768]), drawn_size(False, [1920])
    ((700, None), (700, None))
    """
    try:
        width, height = (int(v) for v in screen)
    except (TypeError, ValueError, OverflowError):  # OverflowError: Infinity from a crafted request
        width = height = 0
    if not (0 < width < 20000 and 0 < height < 20000):  # not a window's size
        return (MAP_HEIGHT, None) if not meeting else (f"calc(100vh - {MEETING_ROOM}px)", None)
    if not meeting:
        return MAP_HEIGHT, (max(min(width - SCROLL_BAR, NORMAL_MAX) - NORMAL_SIDES, 300), MAP_HEIGHT)
    shown = max(height - MEETING_ROOM, MEETING_MIN)
    return shown, (max(width - MEETING_SIDES, 300), shown)


def map_view(store, settings, *, area=None, category=None, period=None, period2=None, mode="gi",
             meeting: bool = False, screen=None) -> list:
    """The content of the map page; ``screen`` is the browser window's size (width, height), if known."""
    mode = MAP_MODES.get(mode or "gi", mode)  # nothing chosen: the default, hot spots
    res = map_results(store, settings, area=area, category=category, period=period, period2=period2,
                      mode=mode)
    if res["problem"]:
        return [ui.empty(res["problem"])]
    area_name = res["area_name"]
    periods = [period2, period] if mode == "change" else [period]
    cells = res.get("after") if mode == "change" else res.get("cells")
    lack = shortage(res.get("cells"), mode)
    unknown = ("– (täthetskartan visar inga hot spots)" if mode == "density" else
               f"– (för få {lack} för hot spot-analys)" if lack else None)
    listed = activities_in_hotspots(res["activities"], res["links"], res["outlines"], cells, unknown)
    points = number_points(kept_activity_points(res["activities"], res["links"], res["outlines"],
                                                res["followups"]), listed)
    height, drawn = drawn_size(meeting, screen)
    # a period past the data says how far they go, as its dropdown does (the map said "2026–2027"
    # over six weeks of crimes)
    until = common.data_until(store)
    periods = [common.shown_period(p, until) if p else p for p in periods]
    fig = make_hotspot_map(res.get("cells"), mode=mode, places=res["outlines"], density=res.get("density"),
                           activities=points, basemap_url=settings.basemap_url, area=area_name,
                           category=res["category_name"], periods=periods,
                           summed=len(res.get("categories") or []) > 1, drawn=drawn,
                           nothing=res.get("nothing") or NOTHING,
                           context=replace(common.context_from(res["facts"], settings, meeting),
                                           crime_source=res.get("crime_source") or analysis.MAP_SOURCE))
    cats = "-".join(res.get("categories") or [])
    name = slug(f"karta-{mode}-{area_name}-{cats}-{period}")
    return [ui.chart(fig, "map-graph", name=name, meeting=meeting, class_name="map", height=height,
                     numbers=map_numbers(res, mode, area_name, [p for p in periods if p])),
            _summary(res, mode), _method_note(res, mode), _no_map_note(res),
            ui.section("Åtgärdsplanens aktiviteter i området", ui.table(listed, "map-activities"),
                       subtitle="Numren är aktiviteternas nummer på kartan. Om platsen där aktiviteten "
                                "bedrivs ligger i en het punkt (Gi*, minst 90 % konfidens)"
                                + (f" under {period}." if mode == "change" else " på kartan ovan."))
            if listed is not None and len(listed) else None]


def _no_map_note(res: dict):
    """The area's sub-areas that have no shape (not drawn): named, so nobody reads them as empty."""
    names = res.get("no_map") or []
    if not names:
        return None
    return ui.notes([f"Saknar karta och visas inte: {', '.join(names)} (områden med bara antal, t.ex. "
                     "från Brå; lägg in en platsfil med deras gränser)."])


class _LazyNumbers(Numbers):
    """:class:`~lagesbild.web.numbers.Numbers` whose frame is built when an export reads it: the map's
    callback never does (only a download rebuilds the page's content and reads the frame), and the
    cells' table took ~0.3 ms of every map change."""

    def __init__(self, build, title: str, **kwargs):
        self._build, self._frame = build, None
        super().__init__(None, title, **kwargs)

    @property
    def frame(self):
        if self._frame is None and self._build is not None:
            self._frame, self._build = self._build(), None
        return self._frame

    @frame.setter
    def frame(self, value):
        if value is not None:
            self._frame, self._build = value, None


def map_numbers(res: dict, mode: str, area: str, periods: list) -> Numbers | None:
    """The numbers behind the map (:func:`lagesbild.analysis.maps.cell_table`) for its Excel download
    (the table made when the download asks for it)."""
    cells, density = res.get("cells"), res.get("density") if mode == "density" else None
    if cells is None and density is None:  # cell_table's None
        return None
    return _LazyNumbers(lambda: analysis.cell_table(cells, density), f"Karta – {res['category_name']}",
                        place=area, periods=tuple(periods), role="analytiker")
