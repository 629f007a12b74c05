"""Population from a statistics cube (SCB's JSON-stat 2.0 and PC-Axis files) as the rows the CSV reader
makes: ``area, year, population, name, line`` and one column per other dimension (kön, ålder, …).

The readers (:mod:`lagesbild.sources.jsonstat`, :mod:`lagesbild.sources.pcaxis`) give a :class:`Cube`:
its dimensions in storage order (the last varies fastest) and its cells, each with the place it was
written (a JSON path or a line of the file) for messages. Here the dimensions get their parts:

* the **time** dimension (role ``time``, or id/label ``Tid``, ``år``, ``year``): its codes must be years
  (``2024``); a month or quarter (``2024M01``, ``2024K1``) is refused;
* the **area** dimension (role ``geo``, or ``Region``, ``område``, ``deso``, …): its code is the area
  (``0180``, ``0180C1090``), its label the name (``Stockholm``; ``0180 Stockholm`` as a label is split);
* the **contents** (role ``metric``, or ``ContentsCode``/``tabellinnehåll``): one figure is read, the
  one whose label says folkmängd/befolkning when there are several;
* every other dimension is a column of splits (kön, ålder) for
  :func:`lagesbild.sources.population_splits.one_per_year`.

A value is a whole number ≥ 0; ``null`` or a missing marker (``..``, ``-`` as SCB writes them) is left
out, as the CSV reader leaves ``..`` out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lagesbild.errors import InputError, RowError
from lagesbild.sources.textkeys import normalize_key

#: how a dimension's part is told from its id or label (after normalize_key) when no role says it
TIME_KEYS = ("tid", "ar", "år", "year", "time", "period")
AREA_KEYS = ("region", "omrade", "område", "deso", "regso", "kommun", "lan", "län", "area", "geo",
             "stadsdel", "plats")
METRIC_KEYS = ("contentscode", "tabellinnehall", "tabellinnehåll", "contents", "innehall", "innehåll")
POPULATION_WORDS = ("folkm", "befolkning", "invanare", "invånare", "population")
#: contents that say a head count without saying of what (the table's title says it)
GENERIC_COUNTS = frozenset(normalize_key(w) for w in ("antal", "antal personer", "personer", "antal individer"))
#: markers of a missing figure (SCB's ".." and the PC-Axis dot codes; "-" as the CSV reader reads it)
MISSING = frozenset({"", ".", "..", "...", "....", ".....", "......", "-", "x"})
#: the most cells a cube may have (SCB's API gives at most 150 000 per request)
MAX_CELLS = 2_000_000
MAX_POPULATION = 20_000_000
#: the bad cells whose categories a message names (it shows 20)
SHOWN_CELLS = 100


@dataclass
class Dimension:
    """One dimension: its id and label, and its categories' codes and labels in storage order."""

    id: str
    label: str
    codes: list[str]
    labels: list[str]
    role: str | None = None


@dataclass
class Cube:
    """A table: its title words (for :func:`lagesbild.sources.population._refuse_other_figures`), its
    dimensions, and its cells as ``(position, value, where, line)``: ``where`` names the cell in
    messages, ``line`` is its line in the file (None for JSON)."""

    title: str
    dims: list[Dimension]
    cells: list = field(default_factory=list)
    kind: str = "tabellen"
    contents: str = ""  # what the figures are when the file says it apart from a dimension (px CONTENTS)


def cells_total(sizes, name: str) -> int:
    """The number of cells of dimensions of these sizes; refused above :data:`MAX_CELLS`."""
    total = math.prod(sizes) if sizes else 0
    if total > MAX_CELLS:
        shown = f"{total:,}" if total < 10**15 else "orimligt många"
        raise InputError(name, f"tabellen har {shown} celler, fler än en befolkningstabell kan ha (högst "
                               f"{MAX_CELLS:,}); ta ut färre år eller områden".replace(",", "\u00a0"))
    return total


def _part(dim: Dimension) -> str | None:
    if dim.role in ("time", "geo", "metric"):
        return dim.role
    keys = {normalize_key(dim.id), normalize_key(dim.label)}
    for part, words in (("time", TIME_KEYS), ("geo", AREA_KEYS), ("metric", METRIC_KEYS)):
        if keys & {normalize_key(w) for w in words}:
            return part
    return None


def _pick(cube: Cube, name: str) -> dict:
    parts: dict = {}
    for index, dim in enumerate(cube.dims):
        part = _part(dim)
        if part and part in parts:
            part = None if part == "metric" else part
            if part:
                raise InputError(name, f"{cube.kind} har två dimensioner för "
                                       f"{'år' if part == 'time' else 'område'}: "
                                       f"\"{cube.dims[parts[part]].label}\" och \"{dim.label}\"")
        if part:
            parts[part] = index
    if "time" not in parts:
        said = ", ".join(f'"{d.label}"' for d in cube.dims)
        raise InputError(name, f"{cube.kind} har ingen dimension för år (dimensioner: {said}); ta ut "
                               "tabellen med 'år' (Tid) som en av variablerna")
    if "geo" not in parts:
        rest = [i for i, d in enumerate(cube.dims) if i not in parts.values() and len(d.codes) > 0]
        if len(rest) != 1:
            said = ", ".join(f'"{d.label}"' for d in cube.dims)
            raise InputError(name, f"{cube.kind} har ingen dimension för område (region) (dimensioner: {said})")
        parts["geo"] = rest[0]
    return parts


def _metric(cube: Cube, parts: dict, name: str) -> int | None:
    """The position of the population figure in the contents dimension (None: no such dimension)."""
    if "metric" not in parts:
        return None
    dim = cube.dims[parts["metric"]]
    if len(dim.codes) == 1:
        return 0
    said = [i for i, label in enumerate(dim.labels)
            if normalize_key(label).startswith(tuple(normalize_key(w) for w in POPULATION_WORDS))]
    if len(said) == 1:
        return said[0]
    shown = ", ".join(f'"{label}"' for label in dim.labels[:6])
    raise InputError(name, f"{cube.kind} har flera uppgifter i \"{dim.label}\" ({shown}) och "
                           f"{'ingen' if not said else 'flera'} av dem är folkmängden; ta ut tabellen med "
                           "bara folkmängd")


def _refuse_other_contents(cube: Cube, parts: dict, metric: int | None, name: str) -> None:
    """Refuse a table whose contents are said and are not the population (Folkökning, Levande födda)."""
    said = cube.dims[parts["metric"]].labels[metric] if metric is not None else cube.contents
    words = tuple(normalize_key(w) for w in POPULATION_WORDS)
    if said and not any(w in normalize_key(said) for w in words) and normalize_key(said) not in GENERIC_COUNTS:
        raise InputError(name, f"{cube.kind} innehåller \"{said[:60]}\", inte folkmängd; välj SCB:s tabell "
                               "över folkmängd (t.ex. BE0101N1, Folkmängden per region)")


def _year(code: str, label: str, dim: Dimension, name: str) -> int:
    for text in (code, label):
        if re.fullmatch(r"(?:18|19|20)\d\d", (text or "").strip()):
            return int(text.strip())
    raise InputError(name, f"dimensionen \"{dim.label}\" har tiden \"{code}\", inget år: "
                           "befolkningen behövs per år (ta ut tabellen med år, t.ex. 2024)")


#: SCB's region labels "code name": (code pattern, whether the name is the area's own name); the CSV
#: reader (:mod:`lagesbild.sources.population`) reads its labels with them too.
REGION_LABELS = (
    (re.compile(r"^(\d{2})\s+(\D.*)$"), True),  # län: "01 Stockholms län"
    (re.compile(r"^(\d{4})\s+(\D.*)$"), True),  # kommun: "0180 Stockholm"
    (re.compile(r"^(\d{4}[A-C]\d{4})(?:\s+.*)?$"), False),  # DeSO: "0180C3420 Stockholm" (the kommun)
)


def region_label(area: str) -> tuple[str, str | None]:
    """An SCB region label as (area, its name or None).

    >>> region_label("0180 Stockholm"), region_label("0180C3420 Stockholm"), region_label("Vårberg")
    (('0180', 'Stockholm'), ('0180C3420', None), ('Vårberg', None))
    """
    for pattern, named in REGION_LABELS:
        m = pattern.match(area)
        if m:
            return m.group(1), (m.group(2).strip() if named else None)
    return area, None


def _area(code: str, label: str) -> tuple[str, str | None]:
    code, label = (code or "").strip(), (label or "").strip()
    area, name = region_label(label)
    if area != label and (not code or code in (label, area)):
        return area, name
    if not code:
        return label, None
    return code, (label if label and label != code else None)


def value_of(raw, where: str, name: str, line: int | None, errors: list) -> int | None:
    """A cell's value as a whole number ≥ 0, None when missing; a bad one is added to ``errors``."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        errors.append(RowError(name, line, None, str(raw).lower(), f"{where}: befolkningen måste vara ett "
                                                                   "heltal ≥ 0"))
        return None
    if isinstance(raw, str):
        text = re.sub(r"[\s\u00a0\u202f]", "", raw)
        if text in MISSING:
            return None
        if not re.fullmatch(r"[0-9]+(?:\.0+)?", text):
            errors.append(RowError(name, line, None, raw[:40], f"{where}: befolkningen måste vara ett heltal ≥ 0"))
            return None
        raw = int(text.split(".")[0]) if len(text) < 12 else MAX_POPULATION + 1
    if isinstance(raw, float) and (not math.isfinite(raw) or raw != int(raw)) or \
            not isinstance(raw, (int, float)) or raw < 0:
        errors.append(RowError(name, line, None, str(raw)[:40], f"{where}: befolkningen måste vara ett heltal ≥ 0"))
        return None
    if raw > MAX_POPULATION:
        errors.append(RowError(name, line, None, str(raw)[:40],
                               f"{where}: talet är för stort för en befolkning (högst "
                               f"{MAX_POPULATION:,} invånare)".replace(",", "\u00a0")))
        return None
    return int(raw)


def cube_rows(cube: Cube, name: str) -> tuple[pd.DataFrame, dict, list[str]]:
    """The cube as the CSV reader's rows: (frame, extra columns -> header, the title lines)."""
    parts = _pick(cube, name)
    metric = _metric(cube, parts, name)
    _refuse_other_contents(cube, parts, metric, name)
    sizes = [len(d.codes) for d in cube.dims]
    strides = [math.prod(sizes[i + 1:]) for i in range(len(sizes))]
    time_dim, geo_dim = cube.dims[parts["time"]], cube.dims[parts["geo"]]
    years = [_year(c, lab, time_dim, name) for c, lab in zip(time_dim.codes, time_dim.labels, strict=True)]
    areas = [_area(c, lab) for c, lab in zip(geo_dim.codes, geo_dim.labels, strict=True)]
    extras = [i for i in range(len(cube.dims)) if i not in parts.values()]
    extra_names = {f"x{i}": cube.dims[i].label or cube.dims[i].id for i in extras}
    errors: list[RowError] = []
    positions = np.fromiter((c[0] for c in cube.cells), dtype=np.int64, count=len(cube.cells))
    at = {i: (positions // strides[i]) % sizes[i] for i in range(len(sizes))}
    keep = np.ones(len(positions), dtype=bool) if metric is None else at[parts["metric"]] == metric
    values, kept, bad = [], [], []
    for index in np.flatnonzero(keep):
        position, raw, where, line = cube.cells[index]
        if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= MAX_POPULATION:
            value = raw
        else:
            before = len(errors)
            value = value_of(raw, where, name, line, errors)
            bad += [index] * (len(errors) - before)
        if value is None:
            continue
        values.append(value)
        kept.append(index)
    for e_index, index in enumerate(bad[:SHOWN_CELLS]):  # say which cell: its categories
        e = errors[e_index]
        cell = ", ".join(f"{d.label} {d.codes[int(at[i][index])]}" for i, d in enumerate(cube.dims))
        errors[e_index] = RowError(e.file, e.line, e.column, e.value, e.reason.replace(": ", f" ({cell}): ", 1))
    kept = np.asarray(kept, dtype=np.int64)
    geo = at[parts["geo"]][kept]
    columns = {"area": np.asarray([a for a, _ in areas], dtype=object)[geo],
               "year": np.asarray(years, dtype=np.int64)[at[parts["time"]][kept]],
               "population": np.asarray(values, dtype=np.int64),
               "name": np.asarray([n for _, n in areas], dtype=object)[geo],
               "line": np.asarray([cube.cells[k][3] if cube.cells[k][3] is not None else cube.cells[k][0]
                                   for k in kept], dtype=np.int64)}
    for i in extras:
        columns[f"x{i}"] = np.asarray(cube.dims[i].labels, dtype=object)[at[i][kept]]
    columns["cell"] = np.asarray([cube.cells[k][2] for k in kept], dtype=object)  # "DATA värde 3"
    if errors:
        n = len(errors)
        raise InputError(name, f"{n} {'värde' if n == 1 else 'värden'} kunde inte läsas", errors)
    frame = pd.DataFrame(columns)
    if frame.empty:
        raise InputError(name, f"{cube.kind} har ingen befolkningssiffra (alla värden saknas)")
    head = [cube.title]
    if metric is not None:
        head.append(cube.dims[parts["metric"]].labels[metric])
    return frame, extra_names, head


def json_located(err: InputError, name: str) -> InputError:
    """A split error of :func:`~lagesbild.sources.population_splits.one_per_year` on JSON rows, whose
    "lines" are positions in ``value``, said with JSON paths."""
    def path(m):
        return " och ".join(f"$.value[{n}]" for n in re.findall(r"\d+", m.group(1)))

    rows = []
    for e in err.errors:
        reason = re.sub(r"\brad (\d+(?: och \d+)*)", path, e.reason)
        where = f"$.value[{e.line}]: " if e.line is not None else ""
        rows.append(RowError(name, None, e.column, e.value, where + reason))
    return InputError(name, err.reason, rows)
