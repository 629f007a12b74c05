"""SCB's population tables as JSON-stat 2.0, as PxWebApi v1 (``"format": "json-stat2"``) and PxWebApi 2
(``outputFormat=json-stat2``) return them, read into a :class:`~lagesbild.sources.population_cube.Cube`.

A dataset is ``{"version": "2.0", "class": "dataset", "id": [...], "size": [...], "dimension": {...},
"value": ...}``: ``id`` orders the dimensions (the last varies fastest in ``value``), each dimension's
``category`` has an ``index`` (the categories' positions) and a ``label`` per category code. The
variants real files have are in :data:`QUIRKS`; anything else is refused naming the JSON path
(``$.dimension.Tid.category.index``) in Swedish.

Examples
--------
>>> cube = read_jsonstat(b'{"version":"2.0","class":"dataset","id":["Region","Tid"],"size":[1,2],'
...     b'"dimension":{"Region":{"label":"region","category":{"index":["0180"],"label":{"0180":"Stockholm"}}},'
...     b'"Tid":{"label":"\\xc3\\xa5r","category":{"index":{"2023":0,"2024":1}}}},'
...     b'"value":[984748,null],"status":{"1":".."}}', "f.json")
>>> [d.codes for d in cube.dims], [c[:2] for c in cube.cells]
([['0180'], ['2023', '2024']], [(0, 984748), (1, None)])
"""

from __future__ import annotations

import json
import math

from lagesbild.errors import InputError, library_reason, message_reasons
from lagesbild.sources.population_cube import Cube, Dimension, cells_total
from lagesbild.sources.textfile import decode_text, long_integer_at

#: What real JSON-stat files do, and how each is read (the code below looks these up by key).
QUIRKS = {
    # PxWebApi v1 "json-stat" (1.x): {"dataset": {...}} with the order in dimension.id/dimension.size
    "bundle_key": "dataset",
    # PxWebApi 2 gives category.index as a list of codes, v1 as an object {code: position}
    "index_forms": ("list", "object"),
    # a dimension of one category may have a label and no index (JSON-stat 2.0, section "index")
    "single_category_without_index": True,
    # value as a list (dense) or an object {"position": value} (sparse; absent = missing)
    "value_forms": ("list", "object"),
    # SCB writes a withheld or missing figure as null with status ".." (a string, list or object)
    "missing_status": ("..", "...", ".", "-"),
    # dimension roles that say which dimension is time, area or the contents (role.time etc.)
    "roles": {"time": "time", "geo": "geo", "metric": "metric"},
}
#: Python's json messages, in Swedish (the line and character are added)
JSON_REASONS = message_reasons({
    "Expecting value": "ett värde väntades",
    "Expecting property name enclosed in double quotes": "ett namn inom citattecken väntades",
    "Expecting ',' delimiter": "ett kommatecken väntades",
    "Expecting ':' delimiter": "ett kolon väntades",
    "Unterminated string": "en text tar aldrig slut",
    "Extra data": "text efter slutet av JSON-objektet",
    "Invalid control character": "ett otillåtet tecken i en text",
    "Invalid \\escape": "en ogiltig \\-sekvens i en text",
    "Invalid \\uXXXX escape": "en ogiltig \\u-sekvens i en text",
})


def _fail(name: str, path: str, reason: str) -> InputError:
    return InputError(name, f"JSON-stat: {path}: {reason}")


def _finite_or_text(text: str) -> float | str:
    """A JSON number as a float, or as its text when no float holds it.

    >>> _finite_or_text("0.5"), _finite_or_text("1e400")
    (0.5, '1e400')
    """
    value = float(text)
    return value if math.isfinite(value) else text


def _load(raw: bytes, name: str):
    text = decode_text(raw, name)
    try:
        # NaN, Infinity and a number beyond a float (1e400) stay as written, for the message's value
        return json.loads(text, parse_constant=str, parse_float=_finite_or_text)
    except json.JSONDecodeError as exc:
        why = library_reason(exc.msg, JSON_REASONS, default="ogiltig JSON")
        raise InputError(name, f"rad {exc.lineno}, tecken {exc.colno}: {why}") from None
    except RecursionError:
        raise InputError(name, "JSON-texten är nästlad för djupt") from None
    except ValueError:  # an integer of more digits than Python converts (4 300)
        at = long_integer_at(text)
        where = "" if at is None else f"rad {at[0]}, tecken {at[1]}: "
        raise InputError(name, f"{where}ett tal i JSON-texten har för många siffror") from None


def _dataset(doc, name: str) -> tuple[dict, list, list]:
    """The dataset object and its ``id`` and ``size`` (2.0 at the top, 1.x under "dimension")."""
    if isinstance(doc, dict) and isinstance(doc.get(QUIRKS["bundle_key"]), dict) and "dimension" not in doc:
        doc = doc[QUIRKS["bundle_key"]]
    if not isinstance(doc, dict) or not isinstance(doc.get("dimension"), dict):
        raise InputError(name, "JSON-filen är ingen JSON-stat-tabell (den saknar \"dimension\"); hämta "
                               "tabellen från SCB:s API med formatet json-stat2, eller spara den som CSV")
    if doc.get("class", "dataset") != "dataset":
        raise _fail(name, "$.class", f"\"{str(doc.get('class'))[:40]}\" kan inte läsas, bara \"dataset\"")
    dims = doc["dimension"]
    ids, sizes = doc.get("id", dims.get("id")), doc.get("size", dims.get("size"))
    where = "$" if "id" in doc else "$.dimension"
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or not ids:
        raise _fail(name, f"{where}.id", "ska vara en lista med dimensionernas namn")
    if not isinstance(sizes, list) or len(sizes) != len(ids) or \
            not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in sizes):
        raise _fail(name, f"{where}.size", f"ska vara en lista med {len(ids)} heltal ≥ 0, en per dimension i id")
    if len(set(ids)) != len(ids):
        raise _fail(name, f"{where}.id", "en dimension är namngiven två gånger")
    return doc, ids, sizes


def _codes(category, path: str, size: int, name: str) -> list[str]:
    index = category.get("index")
    labels = category.get("label")
    if index is None and QUIRKS["single_category_without_index"] and isinstance(labels, dict) and len(labels) == 1:
        index = list(labels)
    if isinstance(index, list):
        if not all(isinstance(c, str) for c in index) or len(set(index)) != len(index):
            raise _fail(name, f"{path}.index", "ska vara en lista med olika texter (kategoriernas koder)")
        codes = index
    elif isinstance(index, dict):
        if sorted(v for v in index.values() if isinstance(v, int) and not isinstance(v, bool)) != \
                list(range(len(index))):
            raise _fail(name, f"{path}.index", f"positionerna ska vara 0 till {len(index) - 1}, var och en en gång")
        codes = sorted(index, key=index.get)
    else:
        raise _fail(name, f"{path}.index", "saknas (kategoriernas ordning)")
    if len(codes) != size:
        raise _fail(name, f"{path}.index", f"har {len(codes)} kategorier men size säger {size}")
    return codes


def _dimensions(doc: dict, ids: list, sizes: list, name: str) -> list[Dimension]:
    roles = doc.get("role", doc["dimension"].get("role"))
    roles = roles if isinstance(roles, dict) else {}
    out = []
    for dim_id, size in zip(ids, sizes, strict=True):
        path = f"$.dimension.{dim_id}"
        dim = doc["dimension"].get(dim_id)
        if not isinstance(dim, dict) or not isinstance(dim.get("category"), dict):
            raise _fail(name, f"{path}.category", "saknas")
        category = dim["category"]
        codes = _codes(category, f"{path}.category", size, name)
        labels = category.get("label") if isinstance(category.get("label"), dict) else {}
        role = next((ours for theirs, ours in QUIRKS["roles"].items()
                     if isinstance(roles.get(theirs), list) and dim_id in roles[theirs]), None)
        label = dim.get("label") if isinstance(dim.get("label"), str) else dim_id
        out.append(Dimension(dim_id, label, codes, [str(labels.get(c, c)) for c in codes], role))
    return out


def _status(status, position: int):
    if isinstance(status, str):
        return status
    if isinstance(status, list):
        return status[position] if position < len(status) else None
    if isinstance(status, dict):
        return status.get(str(position))
    return None


def _cells(doc: dict, total: int, name: str) -> list:
    values, status = doc.get("value"), doc.get("status")
    if isinstance(values, list):
        if len(values) != total:
            raise _fail(name, "$.value", f"har {len(values)} värden men dimensionerna ger {total} "
                                         "(produkten av size)")
        items = enumerate(values)
    elif isinstance(values, dict):
        items = []
        for key, value in values.items():
            if not (key.isascii() and key.isdigit() and int(key) < total):
                raise _fail(name, "$.value", f"nyckeln \"{key[:20]}\" är ingen position från 0 till {total - 1}")
            items.append((int(key), value))
        items.sort()
    else:
        raise _fail(name, "$.value", "saknas eller är varken en lista eller ett objekt")
    cells = []
    for position, value in items:
        if value is None or (isinstance(value, str) and value.strip() in QUIRKS["missing_status"]):
            # null, whatever its status says (".." withheld, or none): missing, as ".." in a CSV
            cells.append((position, None, f"$.value[{position}]", None))
            continue
        if isinstance(value, str) and _status(status, position) in QUIRKS["missing_status"]:
            cells.append((position, None, f"$.value[{position}]", None))
            continue
        if isinstance(value, (dict, list)):
            value = json.dumps(value)[:40]
        cells.append((position, value, f"$.value[{position}]", None))
    return cells


def read_jsonstat(raw: bytes, name: str) -> Cube:
    """A JSON-stat 2.0 (or PxWebApi v1 1.x) dataset as a cube; refused in Swedish with its JSON path."""
    doc, ids, sizes = _dataset(_load(raw, name), name)
    total = cells_total(sizes, name)
    dims = _dimensions(doc, ids, sizes, name)
    title = doc.get("label") if isinstance(doc.get("label"), str) else ""
    return Cube(title, dims, _cells(doc, total, name), kind="JSON-stat-tabellen")


#: why a statistics cube is refused where a table (CSV or XLSX) is read: crime, incident and survey files
CUBE_AS_TABLE = ("filen är en {what} från en statistikdatabas, inte en tabell; spara tabellen som CSV "
                 "(semikolonavgränsad, med rubrikrad) eller XLSX i statistikdatabasen och läs in den filen "
                 "(en befolkningstabell i det här formatet anges i stället med inställningen "
                 "LAGESBILD_POPULATION_FILE)")


def refuse_cube(path, name: str) -> None:
    """Refuse a JSON-stat or PC-Axis file where a table is read, saying what it is and what to do
    (the CSV reader said "hittade ingen rubrikrad").

    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "brott.px")
    >>> _ = open(p, "wb").write(b'CHARSET="ANSI";\\r\\nSTUB="region";')
    >>> refuse_cube(p, "brott.px")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    lagesbild.errors.InputError: brott.px: filen är en PC-Axis-fil (px) från en statistikdatabas, inte en tabell; ...
    """
    from pathlib import Path

    from lagesbild.sources.pcaxis import looks_like_px

    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
    except OSError:
        return  # the reader says why
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if start[:1] in (b"{", b"[") and b'"dimension"' in head:
        raise InputError(name, CUBE_AS_TABLE.format(what="JSON-stat-tabell"))
    if looks_like_px(head, Path(path).suffix):
        raise InputError(name, CUBE_AS_TABLE.format(what="PC-Axis-fil (px)"))
