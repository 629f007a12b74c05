"""A GeoJSON text checked before GDAL reads it (:func:`check_geojson`, called by
:mod:`lagesbild.sources.geofile`).

* JSON only: ``NaN``/``Infinity``, a number beyond a float (``1e400``), numbers of thousands of digits,
  a key given twice in one object and nesting too deep for Python are refused with where they are;
* a bare JSON list of ``Feature`` objects (what some tools and APIs write instead of a
  FeatureCollection) is the FeatureCollection it means; a list of anything else is refused, naming its
  first other item;
* a polygon ring that is not closed, and a property text with a NUL character, are refused naming the
  feature (GDAL said "filens innehåll kunde inte tolkas", or cut the text at the NUL);
* a ``crs`` member must be a plain name, never a link; a name GDAL would not read is rewritten as the
  EPSG code it names (:mod:`lagesbild.sources.geojson_crs`).
"""

from __future__ import annotations

import json
import math
import re

from lagesbild.errors import InputError, RowError
from lagesbild.sources.geojson_crs import gdal_crs_name
from lagesbild.sources.textfile import long_integer_at


class _NotANumber(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity``: accepted by Python's json, not JSON, and GEOS fails on them."""

    def where(self, text: str) -> str:
        found = re.search(r"[\[,:]\s*(" + re.escape(self.args[0]) + r")\b", text)
        if found is None:
            return "värde " + self.args[0]
        before = text[:found.start(1)]
        return f"rad {before.count(chr(10)) + 1}, tecken {len(before) - before.rfind(chr(10))}"


class _TooLarge(_NotANumber):
    """A number such as ``1e400``: valid JSON, but beyond a float, so Python read it as infinity and GDAL
    refused the file at another place ("rad 1, tecken 70: ogiltig JSON")."""


def _no_constant(word: str):
    raise _NotANumber(word)


def _finite(word: str) -> float:
    value = float(word)
    if not math.isfinite(value):
        raise _TooLarge(word)
    return value


class _DuplicateKey(ValueError):
    """A key given twice in one object: json keeps the last one without a word (``"typ": "torg",
    "typ": "stadsdel"`` was read as a stadsdel); the events reader refuses it too."""

    def __init__(self, key: str, value: object):
        super().__init__(key)
        self.key, self.value = key, value

    def where(self, text: str) -> tuple[int, int] | None:
        """Line and character of the second key in one object, found in the text (None when not found)."""
        forms = {json.dumps(self.key, ensure_ascii=ascii)[1:-1] for ascii in (False, True)}  # å or \\u00e5
        found = list(re.finditer('"(?:' + "|".join(map(re.escape, forms)) + ')"\\s*:', text))
        for first, second in zip(found, found[1:], strict=False):
            between = _STRING.sub('""', text[first.end():second.start()])
            depth, lowest = 0, 0
            for char in between:
                depth += {"{": 1, "[": 1, "}": -1, "]": -1}.get(char, 0)
                lowest = min(lowest, depth)
            if depth == 0 and lowest == 0:
                before = text[:second.start()]
                return before.count("\n") + 1, len(before) - before.rfind("\n")
        return None


#: an exponent of three digits: what may be beyond a float (1e308)
_HUGE_NUMBER = re.compile(r"[eE]\+?\d{3}")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key, value)
        out[key] = value
    return out


def _duplicate(exc: _DuplicateKey, text: str, name: str) -> InputError:
    """The refusal of a key given twice, with its line, character and value."""
    at = exc.where(text)
    reason = f'nyckeln "{exc.key}" finns två gånger i samma objekt; bara en av dem skulle läsas'
    value = exc.value if isinstance(exc.value, str) else json.dumps(exc.value, ensure_ascii=False)
    shown = value if len(value) <= 80 else value[:80] + "…"
    where = f"rad {at[0]}, tecken {at[1]}: " if at else ""
    return InputError(name, f"filen kunde inte läsas som GeoJSON ({where}{reason})",
                      [RowError(name, at[0] if at else None, exc.key, shown,
                                reason + (f" (tecken {at[1]})" if at else ""))])


#: what a GeoJSON number must be: the property values (befolkning …) as much as the coordinates
FINITE = "koordinater och värden måste vara ändliga tal; skriv null för ett värde som saknas"


def check_geojson(text: str, name: str) -> str:
    """Refuse text that is not JSON, and a ``crs`` member that is not a plain name (a link, a URL);
    the text, with its ``crs`` as the EPSG code it names when GDAL would not read it
    (:mod:`lagesbild.sources.geojson_crs`)."""
    try:
        # numbers are checked one by one only where one may be beyond a float (parsing is slower so)
        finite = _finite if _HUGE_NUMBER.search(text) else None
        doc = json.loads(text, parse_constant=_no_constant, parse_float=finite, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        raise _duplicate(exc, text, name) from None
    except json.JSONDecodeError as exc:
        short = exc.pos >= len(text.rstrip())
        raise InputError(name, f"filen kunde inte läsas som GeoJSON (rad {exc.lineno}, tecken {exc.colno}: "
                               + ("JSON-texten tar slut för tidigt)" if short else "ogiltig JSON)")) from None
    except _TooLarge as exc:
        raise InputError(name, f"filen kunde inte läsas som GeoJSON ({exc.where(text)}: talet {exc.args[0]} är "
                               "för stort; " + FINITE + ")") from None
    except _NotANumber as exc:
        raise InputError(name, f"filen kunde inte läsas som GeoJSON ({exc.where(text)}: {exc.args[0]} är "
                               "inget tal i JSON; " + FINITE + ")") from None
    except ValueError:  # an integer of more than 4300 digits
        at = long_integer_at(text)
        where = "" if at is None else f"rad {at[0]}, tecken {at[1]}: "
        raise InputError(name, f"filen kunde inte läsas som GeoJSON ({where}ett tal har för många siffror)") \
            from None
    except RecursionError:
        raise InputError(name, "filen kunde inte läsas som GeoJSON (JSON-texten är nästlad för djupt)") from None
    if isinstance(doc, list):
        doc = _collection(doc, name)
        text = json.dumps(doc, ensure_ascii=False)
    if not isinstance(doc, dict):
        raise InputError(name, "filen är JSON men ingen GeoJSON (ett objekt med \"type\" väntades)")
    _check_text_coordinates(doc, text, name)
    _check_rings(doc, name)
    _check_nul(doc, text, name)
    if "crs" not in doc:
        return text
    rewritten = gdal_crs_name(doc["crs"], name)
    if rewritten is None:
        return text
    doc["crs"] = {"type": "name", "properties": {"name": rewritten}}
    return json.dumps(doc, ensure_ascii=False)


def _collection(items: list, name: str) -> dict:
    """A JSON list of GeoJSON features (what some tools and APIs write instead of a FeatureCollection)
    as the FeatureCollection it means; a list of anything else is refused, naming its first other item.

    Examples
    --------
    >>> f = {"type": "Feature", "properties": {}, "geometry": None}
    >>> _collection([f, f], "p.geojson")["type"], len(_collection([f, f], "p.geojson")["features"])
    ('FeatureCollection', 2)
    >>> _collection([f, {"type": "Polygon", "coordinates": []}], "p.geojson")
    Traceback (most recent call last):
    ...
    lagesbild.errors.InputError: p.geojson: filen är en JSON-lista, men dess element 2 är inget GeoJSON-objekt av typen "Feature" (det har typen "Polygon"); en FeatureCollection, eller en lista av objekt med "type": "Feature", "geometry" och "properties", väntades
    """
    for number, item in enumerate(items, start=1):
        if not (isinstance(item, dict) and item.get("type") == "Feature"):
            kind = item.get("type") if isinstance(item, dict) else None
            what = f'det har typen "{kind}"' if isinstance(kind, str) else (
                "ett objekt utan \"type\"" if isinstance(item, dict) else f"ett {_json_kind(item)}")
            raise InputError(name, f"filen är en JSON-lista, men dess element {number} är inget GeoJSON-objekt "
                                   f'av typen "Feature" ({what[:80]}); en FeatureCollection, eller en lista av '
                                   'objekt med "type": "Feature", "geometry" och "properties", väntades')
    return {"type": "FeatureCollection", "features": items}


def _json_kind(value) -> str:
    """What a JSON value is, in Swedish (after "ett")."""
    if isinstance(value, list):
        return "lista"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "null-värde"
    return "sanningsvärde" if isinstance(value, bool) else "tal"


NUL_REASON = "texten innehåller ett NUL-tecken (U+0000), som inte kan lagras"


def _check_nul(doc: dict, text: str, name: str) -> None:
    """Refuse a property text holding a NUL character (``\\u0000``): GDAL's reader ends the text there,
    so "Nul\\u0000torg" was stored as "Nul" without a word (the CSV and YAML readers refuse it too)."""
    features = doc.get("features") if isinstance(doc.get("features"), list) else [doc]
    lines = _escape_lines(text)  # in the order of the texts that hold them
    errors = []
    for i, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        for key, value in (props.items() if isinstance(props, dict) else ()):
            if isinstance(value, str) and "\x00" in value:
                line = lines[len(errors)] if len(errors) < len(lines) else None
                errors.append(RowError(name, line, str(key), value.replace("\x00", "\\u0000"),
                                       f"objekt {i}: {NUL_REASON}"))
    if errors:
        raise InputError(name, "filen har text med NUL-tecken", errors)


def _escape_lines(text: str) -> list[int]:
    """The line of each text's first NUL escape in the JSON text."""
    lines: list[int] = []
    for found in re.finditer(r'"(?:[^"\\]|\\.)*?\\u0000', text, flags=re.IGNORECASE):
        lines.append(text.count("\n", 0, found.start()) + 1)
    return lines


def _check_rings(doc: dict, name: str) -> None:
    """Refuse a polygon ring that is not closed or has fewer than four positions, naming its feature
    (GDAL said only "filens innehåll kunde inte tolkas"; RFC 7946 requires closed rings).

    Examples
    --------
    >>> ring = [[18.0, 59.3], [18.1, 59.3], [18.1, 59.4], [18.0, 59.4]]
    >>> doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"namn": "Torget"},
    ...        "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    >>> try:
    ...     _check_rings(doc, "platser.geojson")
    ... except InputError as exc:
    ...     print(str(exc).replace("; ", ";\\n"))
    platser.geojson: objekt 1 ("Torget"): polygonens ring är inte sluten (den första och den sista punkten skiljer sig åt);
    sluta ringen med dess första punkt
    """
    features = doc.get("features") if doc.get("type") == "FeatureCollection" else [doc]
    for i, feature in enumerate(features if isinstance(features, list) else [], start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or not isinstance(geometry.get("coordinates"), list):
            continue
        polygons = {"Polygon": [geometry["coordinates"]],
                    "MultiPolygon": geometry["coordinates"]}.get(geometry.get("type"), [])
        rings = [ring for polygon in polygons if isinstance(polygon, list) for ring in polygon]
        why = next(filter(None, map(_ring_fault, rings)), None)
        if why:
            props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
            label = next((props[k] for k in ("name", "namn", "plats", "platsnamn") if props.get(k)), None)
            where = f"objekt {i}" + (f' ("{label}")' if label else "")
            raise InputError(name, f"{where}: {why}")


def _text_position(value, depth: int = 0) -> list | None:
    """The first position among nested coordinate lists that holds a text (``["17.95", "59.28"]``)."""
    if not isinstance(value, list) or depth > 5:
        return None
    if any(isinstance(item, str) for item in value):
        return value
    return next(filter(None, (_text_position(item, depth + 1) for item in value)), None)


def _check_text_coordinates(doc: dict, text: str, name: str) -> None:
    """Refuse coordinates written as texts, naming the feature, its line and the text (GDAL read the
    geometry as empty: "geometrin saknas eller är tom").

    Examples
    --------
    >>> doc = {"type": "Feature", "properties": {"namn": "Torget"},
    ...        "geometry": {"type": "Point", "coordinates": ["17.95", "59.28"]}}
    >>> _check_text_coordinates(doc, "", "p.geojson")
    Traceback (most recent call last):
    ...
    lagesbild.errors.InputError: p.geojson: objekt 1 ("Torget"): koordinaterna är skrivna som text ("17.95" inom citattecken), inte som tal; skriv talen utan citattecken: [17.95, 59.28]
    """
    features = doc.get("features") if doc.get("type") == "FeatureCollection" else [doc]
    keys = [m.start() for m in re.finditer(r'"coordinates"\s*:', text)]
    with_coordinates = 0
    for i, feature in enumerate(features if isinstance(features, list) else [], start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or "coordinates" not in geometry:
            continue
        with_coordinates += 1
        position = _text_position(geometry["coordinates"])
        if position is None:
            continue
        found = next(item for item in position if isinstance(item, str))
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        label = next((props[k] for k in ("name", "namn", "plats", "platsnamn") if props.get(k)), None)
        where = f"objekt {i}" + (f' ("{str(label)[:60]}")' if label else "")
        if len(keys) >= with_coordinates:
            at = text.find(json.dumps(found, ensure_ascii=False), keys[with_coordinates - 1])
            where += f", rad {text.count(chr(10), 0, at) + 1}" if at >= 0 else ""
        shown = found if len(found) <= 40 else found[:40] + "…"
        plain = ", ".join(str(item) for item in position)
        plain = plain if len(plain) <= 60 else plain[:60] + "…"
        raise InputError(name, f'{where}: koordinaterna är skrivna som text ("{shown}" inom citattecken), inte '
                               f"som tal; skriv talen utan citattecken: [{plain}]")


def _ring_fault(ring) -> str | None:
    if not isinstance(ring, list) or not all(isinstance(p, list) and len(p) >= 2 for p in ring):
        return None  # GDAL's own message covers what is not a list of positions
    if len(ring) < 4:
        return f"polygonens ring har {len(ring)} punkter; en sluten ring behöver minst fyra"
    if ring[0][:2] != ring[-1][:2]:
        return ("polygonens ring är inte sluten (den första och den sista punkten skiljer sig åt); "
                "sluta ringen med dess första punkt")
    return None
