"""Which coordinate system an incident file's points are in, and moving them to SWEREF 99 TM.

:func:`detect_crs` reads it from the value ranges in :data:`CRS_RANGES` (each CRS's area of use in
its own units): the range holding the most points wins, axes exchanged when only that fits (Swedish
surveyors' X is the northing). :func:`crs_problem` words why it could not be decided.
"""

from __future__ import annotations

import numpy as np
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from lagesbild.errors import InputError

CRS_RANGES = {  # EPSG: ((min x, max x), (min y, max y)), the CRS's area of use in its own units
    3006: ((181_896, 1_086_313), (6_090_353, 7_689_479)),
    3011: ((96_603, 243_441), (6_504_795, 6_733_143)),
    4326: ((10.03, 24.17), (54.96, 69.07)),
}
CRS_NAMES = {3006: "SWEREF 99 TM", 3011: "SWEREF 99 18 00", 4326: "WGS 84"}
DETECT_SHARE = 0.95
TARGET_EPSG = 3006
SWEDEN_BBOX_3006 = (181_896, 6_090_353, 1_086_313, 7_689_479)  # min x, min y, max x, max y


def epsg_code(crs: object, name: str) -> int | None:
    """The EPSG code of a user's ``--crs`` (``3006``, ``"EPSG:3011"``, a WKT…), None when not given;
    an :class:`~lagesbild.errors.InputError` for the file ``name`` when it names no system."""
    if crs is None or crs == "":
        return None
    try:
        code = CRS.from_user_input(int(crs) if str(crs).strip().isdigit() else crs).to_epsg()
    except (CRSError, TypeError, ValueError):
        code = None
    if code is None:
        raise InputError(name, f"okänt koordinatsystem {crs!r}; ange t.ex. 3006, 3011 eller 4326")
    return int(code)


def share_inside(x: np.ndarray, y: np.ndarray, epsg: int) -> float:
    """The share of the points inside the CRS's area of use (:data:`CRS_RANGES`)."""
    (x0, x1), (y0, y1) = CRS_RANGES[epsg]
    return float(np.mean((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))) if x.size else 0.0


def detect_crs(x: np.ndarray, y: np.ndarray) -> list[tuple[int, bool]]:
    """Candidate (EPSG, axes swapped) for the points, best first (see the module docstring).

    The candidates are those whose range in :data:`CRS_RANGES` holds at least :data:`DETECT_SHARE`
    times as many points as the best one, which must hold at least half of them.

    Examples
    --------
    >>> detect_crs(np.array([674_000.0]), np.array([6_580_000.0]))
    [(3006, False)]
    >>> detect_crs(np.array([59.33]), np.array([18.07]))
    [(4326, True)]
    >>> detect_crs(np.array([200_000.0]), np.array([6_600_000.0]))
    [(3006, False), (3011, False)]
    """
    shares = {(epsg, swap): share_inside(*((y, x) if swap else (x, y)), epsg)
              for swap in (False, True) for epsg in CRS_RANGES}
    best = max(shares.values())
    if best < 0.5:
        return []
    return [key for key, share in shares.items() if share >= DETECT_SHARE * best]


def transform_points(transformer: Transformer, x: np.ndarray, y: np.ndarray):
    """Vectorised transform (pyproj takes one-element arrays for points; pad them)."""
    n = x.size
    if n < 2:
        x, y = np.append(x, [np.nan, np.nan])[:2], np.append(y, [np.nan, np.nan])[:2]
    tx, ty = transformer.transform(x, y)
    return np.asarray(tx, dtype=float)[:n], np.asarray(ty, dtype=float)[:n]


def crs_problem(found: list[int], x: np.ndarray, y: np.ndarray) -> str:
    """Why the system could not be decided (several fit, or none), and how to give it."""
    if found:
        names = " och ".join(f"{CRS_NAMES[e]} (EPSG:{e})" for e in found)
        return (f"koordinaterna passar både {names}; ange koordinatsystemet med "
                + " eller ".join(f"--crs {e}" for e in found))
    x0, x1, y0, y1 = (coordinate_text(f(v)) for v in (x, y) for f in (np.nanmin, np.nanmax))
    return (f"kunde inte avgöra koordinatsystemet från värdena (x {x0}–{x1}, y {y0}–{y1}); ange det "
            "med --crs 3006 (SWEREF 99 TM), --crs 3011 (SWEREF 99 18 00) eller --crs 4326 (WGS 84)")


def other_crs_hint(x: np.ndarray, y: np.ndarray, epsg: int | None) -> str:
    """Advice for points read in ``epsg`` that fall outside Sweden while they fit another system (a
    file with ``Lat``/``Lon`` columns holding SWEREF 99 TM metres), else "".

    >>> other_crs_hint(np.array([674_000.0]), np.array([6_580_000.0]), 4326)
    '; värdena passar SWEREF 99 TM (EPSG:3006): ange --crs 3006'
    >>> other_crs_hint(np.array([18.06]), np.array([59.33]), 4326)
    ''
    """
    found = list(dict.fromkeys(e for e, _ in detect_crs(x, y)))
    if not found or epsg in found:
        return ""
    return ("; värdena passar " + " och ".join(f"{CRS_NAMES[e]} (EPSG:{e})" for e in found) + ": ange "
            + " eller ".join(f"--crs {e}" for e in found))


def coordinate_text(value: float) -> str:
    """A coordinate in a message, the Swedish way: six significant digits, decimal comma, thousands
    spaced.

    Examples
    --------
    >>> coordinate_text(18.06543), coordinate_text(6581234.7), coordinate_text(-0.5), coordinate_text(1.5e30)
    ('18,0654', '6\\xa0581\\xa0235', '-0,5', '1,5e+30')
    """
    from lagesbild.sources.numbers import format_number

    if not np.isfinite(value):
        return str(value)
    if abs(value) >= 1e9:  # no coordinate: said short
        return f"{value:.3g}".replace(".", ",")
    if abs(value) >= 1000:
        return format_number(value, 0)
    return f"{value:.6g}".replace(".", ",")
