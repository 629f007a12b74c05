"""When a grid of cells can be tested for hot spots, and what the page says about the test.

``MIN_CELLS``: Gi* compares a cell's neighbourhood with the whole grid, and ArcGIS's Hot Spot Analysis
asks for at least 30 features; a torg of one or five 200 m cells had "0 heta" as if looked at and found
calm. :func:`fitted_cell_size` names the finer size a small area needs (as ArcGIS's Optimized Hot Spot
Analysis picks its own), :func:`too_few_note` says why a grid was not tested, and
:func:`hotspot_family_note` describes a tested grid as one family of tests. Used by
:mod:`lagesbild.core.hotspots`.
"""

from __future__ import annotations

import numpy as np

from lagesbild.core.grid import metric_area

SPARSE_MEAN_PER_CELL = 20.0  # below: discrete p-values, not Gi*'s normal ones (module docstring)
#: Above this ratio of the cells' variance to their mean the discrete test is used at any density:
#: Gi*'s normal tail ignores the skew of overdispersed counts. Cells of 25–100 crimes varying as a
#: negative binomial of shape 3 (no spatial pattern at all) gave a 95 % hot spot in 18–26 % of maps,
#: the discrete test in 1–7 % (``tests/test_recheck_stats3_hotspots.py``).
OVERDISPERSED = 2.0
#: Above this skewness of a cell's count (a negative binomial with the cells' mean ``m`` and variance
#: ``v``: ``(2v/m − 1)/√v``; Poisson's ``1/√m``) the discrete test is used too. Gi*'s p-values after
#: Benjamini–Hochberg sit far in the normal tail (0.05/729 on a 27 × 27 map), where a little skew
#: counts: cells of 25 crimes varying 1.9 times more than Poisson counts, no spatial pattern, had a 95 %
#: hot or cold spot on 7.4 % of maps (the discrete test 5.3 %); Poisson cells of 20 or more (skew at
#: most 0.22) keep Gi*'s normal p-values (``tests/test_recheck_stats7_dense_hotspots.py``).
MAX_SKEW = 0.3


def discrete_p_needed(counts) -> bool:
    """Whether a grid's p-values come from the discrete neighbourhood test
    (:mod:`lagesbild.core.sparse_hotspots`) rather than Gi*'s normal tail: under
    :data:`SPARSE_MEAN_PER_CELL` crimes per cell, cells varying more than :data:`OVERDISPERSED` times
    their mean, or a cell's count skewed more than :data:`MAX_SKEW`.

    Examples
    --------
    >>> discrete_p_needed([5, 9, 30]), discrete_p_needed([20, 25, 22, 24]), discrete_p_needed([12, 40, 23, 25])
    (True, False, True)
    """
    y = np.asarray(counts, dtype=float).ravel()
    mean = float(y.mean()) if len(y) else 0.0
    if len(y) < 2 or mean <= 0:
        return bool(mean < SPARSE_MEAN_PER_CELL)
    var = float(np.var(y, ddof=1))
    spread = var / mean
    skew = (2 * max(spread, 1.0) - 1) / np.sqrt(max(var, mean))
    return bool(mean < SPARSE_MEAN_PER_CELL or spread > OVERDISPERSED or skew > MAX_SKEW)


#: Fewer cells than this are not tested: Gi* compares a cell's neighbourhood with the whole grid, and
#: ArcGIS's Hot Spot Analysis asks for at least 30 features. A torg of one or five cells had "0 heta".
MIN_CELLS = 30
#: fewer crimes than this: no hot spot classes at all (ArcGIS asks for 30 incidents too); the map shows
#: the counts per cell (``figures.maplayers.too_few``)
MIN_INCIDENTS = 30
UNTESTED = "Ej testad – för få rutor"


def fitted_cell_size(area, cell_size: float) -> float:
    """``cell_size``, or for an area too small for :data:`MIN_CELLS` cells of it the size (rounded down
    to 5 m, at least 25 m) that gives about 40: room for the cells at the edge that lie mostly outside.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> fitted_cell_size(box(0, 0, 2000, 2000), 200.0), fitted_cell_size(box(0, 0, 250, 250), 200.0)
    (200.0, 35.0)
    """
    land = float(metric_area(area).area)
    if land / float(cell_size) ** 2 >= MIN_CELLS:
        return float(cell_size)
    return float(min(float(cell_size), _finer(land)))


def _finer(land_area: float) -> int:
    """The cell size giving about 40 cells of ``land_area`` m² (rounded down to 5 m, at least 25 m)."""
    return max(25, int(np.sqrt(max(land_area, 0.0) / (MIN_CELLS * 4 / 3)) // 5 * 5))


def few_crimes_note(n: int) -> str:
    """The grid's note when it holds fewer than :data:`MIN_INCIDENTS` crimes: the map shows counts per
    cell, not hot spot classes (``figures.maplayers.too_few``), and the note says so instead of
    counting the cells as tested (same3: "3455 rutor testas samtidigt …" under "För få brott (1)").

    Examples
    --------
    >>> few_crimes_note(1)[:52]
    'Området har bara 1 brott i urvalet, och Getis–Ord Gi'
    """
    crimes = "1 brott" if n == 1 else f"{n} brott"
    return (f"Området har bara {crimes} i urvalet, och Getis–Ord Gi* behöver minst {MIN_INCIDENTS} för att "
            "säga något om var brotten klumpar sig: kartan visar antalet per ruta, inga heta eller kalla "
            "punkter. Välj en längre period, ett större område eller en annan kategori.")


def too_few_note(m: int, cell_size: float, land_area: float) -> str:
    """Why a grid of fewer than :data:`MIN_CELLS` cells is not tested, and the cell size that gives
    enough (:func:`fitted_cell_size`).

    Examples
    --------
    >>> too_few_note(1, 250.0, 200.0 * 300.0)[:60]
    'Området ger bara 1 ruta à 250 m, och Gi* behöver minst 30 ru'
    >>> "rutstorlek 35 m" in too_few_note(5, 250.0, 200.0 * 300.0)
    True
    """
    size = _finer(land_area)
    cells = "1 ruta" if m == 1 else f"{m} rutor"
    return (f"Området ger bara {cells} à {cell_size:.0f} m, och Gi* behöver minst {MIN_CELLS} rutor för att "
            "jämföra en rutas grannskap med området (som ArcGIS rekommenderar): inga heta eller kalla "
            f"punkter testas. Välj en mindre rutstorlek (omkring rutstorlek {size} m ger minst {MIN_CELLS} rutor) "
            "eller ett större område.")


def hotspot_family_note(m: int, discoveries: int, fdr: bool, alpha: float = 0.05,
                        mean_count: float | None = None, dispersion: float | None = None,
                        skewed: bool = False) -> str:
    """Plain Swedish on the grid as one family of tests (cells at 95 % confidence or more).

    Below ``SPARSE_MEAN_PER_CELL`` incidents per cell (``mean_count``), or with the cells' variance
    above :data:`OVERDISPERSED` times their mean (``dispersion``), it also says how the cells were
    tested instead of with Gi*'s normal approximation (:mod:`lagesbild.core.sparse_hotspots`); so it
    does, with ``skewed``, where the cells vary less than that but their counts are too skewed for it
    (:data:`MAX_SKEW`, :func:`discrete_p_needed`).

    Examples
    --------
    >>> hotspot_family_note(710, 3, True)[:58]
    '710 rutor testas samtidigt och har korrigerats för många t'
    >>> "0,4 brott per ruta" in hotspot_family_note(710, 3, True, mean_count=0.4)
    True
    >>> "0,015 brott per ruta" in hotspot_family_note(3550, 0, True, mean_count=54 / 3550)
    True
    >>> hotspot_family_note(17593, 1204, True).startswith("17\u00a0593 rutor testas samtidigt")
    True
    """
    def whole(n):  # Swedish thousands with a no-break space, as the figures' fmt_int: "17 593"
        return f"{round(n):,}".replace(",", "\u00a0")

    if not fdr:
        text = (f"{whole(m)} rutor testas utan korrigering för många test; omkring {whole(alpha * m)} "
                "rutor kan bli heta eller kalla av slumpen.")
    else:
        expected = f"{alpha * discoveries:,.1f}".replace(",", "\u00a0").replace(".", ",")
        text = (f"{whole(m)} rutor testas samtidigt och har korrigerats för många test (Benjamini–Hochberg). "
                f"{whole(discoveries)} är heta eller kalla punkter med minst 95 % konfidens; av dem väntas i "
                f"genomsnitt högst {expected} vara slumpfynd.")
    if mean_count is not None and mean_count < SPARSE_MEAN_PER_CELL:
        # two significant digits under 0,1: 54 crimes on 3 550 cells read "0,0 brott per ruta" (desk7)
        per_cell = (f"{mean_count:.1f}" if mean_count >= 0.095 or mean_count == 0 else
                    np.format_float_positional(mean_count, precision=2, fractional=False)).replace(".", ",")
        text += (f" Med i genomsnitt {per_cell} brott per ruta håller inte Gi*-testets normalapproximation; "
                 "varje rutas grannskap jämförs i stället med rutorna utanför det (negativ "
                 "binomialfördelning, som tar hänsyn till att antalen varierar mer än slumpen). Brott som "
                 "klumpar sig över flera intilliggande rutor kan ändå ge fler heta rutor än så.")
    elif dispersion is not None and (dispersion > OVERDISPERSED or skewed):
        times = f"{dispersion:.0f}" if dispersion >= 10 else f"{dispersion:.1f}".replace(".", ",")
        why = ("(slumpvis fördelade rutor blev heta punkter i var femte karta)" if dispersion > OVERDISPERSED
               else "i den yttersta svans som korrigeringen för många test kräver (slumpvis fördelade "
                    "rutor blev heta eller kalla punkter i 7 av 100 kartor i stället för högst 5)")
        text += (f" Antalet brott per ruta varierar {times} gånger mer än slumpen ger, och då håller inte "
                 f"Gi*-testets normalapproximation {why}; varje rutas grannskap jämförs i stället med "
                 "rutorna utanför det (negativ binomialfördelning).")
    return text
