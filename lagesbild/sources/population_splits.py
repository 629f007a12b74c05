"""Population rows that split an area and year (by kön or ålder), made one row per area and year.

Used by :mod:`lagesbild.sources.population`: the rows whose value says total (:data:`TOTAL_WORDS`) are
used; without them, a complete split by ``kön`` (män and kvinnor) or ``ålder`` (age bands from 0 to an
open-ended last band, none overlapping) is summed and the row's ``note`` says so. Any other split, and
two different figures for one area and year, are refused naming the lines and the column.
"""

from __future__ import annotations

import re

import pandas as pd

from lagesbild.errors import InputError, RowError
from lagesbild.sources.textkeys import normalize_key

#: Cells that mark the total row of a column splitting an area and year (after normalize_key).
TOTAL_WORDS = frozenset(normalize_key(w) for w in (
    "totalt", "total", "tot", "samtliga", "summa", "alla", "båda könen", "bada konen", "totalt ålder",
    "totalt kön", "alla åldrar", "samtliga åldrar", "samtliga kön", "totalt alla åldrar",
    "män och kvinnor", "kvinnor och män"))  # SCB's and Brå's word for both sexes together
#: Columns whose parts may be summed to a total when complete: normalised header -> kind.
PART_COLUMNS = {"kon": "kön", "kön": "kön", "sex": "kön", "alder": "ålder", "ålder": "ålder", "age": "ålder",
                "aldersgrupp": "ålder", "åldersgrupp": "ålder", "aldersklass": "ålder"}
#: The complete splits by kön (normalised cells).
SEX_PARTS = (frozenset({"man", "kvinnor"}), frozenset({"man", "kvinna"}), frozenset({"1", "2"}),
             frozenset({"men", "women"}), frozenset({"male", "female"}))
#: An age band: "0-4 år", "0–4", "5 år", "100+ år", "95 år och äldre", "100 eller äldre".
AGE_BAND = re.compile(r"^\s*(\d{1,3})\s*(?:[-–]\s*(\d{1,3}))?\s*(?:år)?\s*(\+|och äldre|eller äldre|-)?\s*(?:år)?\s*$",
                      re.I)
NOTE_SUMMED = "Befolkningen är summan av befolkningsfilens rader per {what} ({parts})."


def _age_band(text: str) -> tuple[int, float] | None:
    m = AGE_BAND.match(text or "")
    if not m:
        return None
    low = int(m.group(1))
    high = float("inf") if m.group(3) else int(m.group(2)) if m.group(2) else low
    return (low, high) if high >= low else None


def _complete(kind: str, values: list[str]) -> bool:
    """Whether the cells of one area and year are a complete split by kön or ålder."""
    if len(set(values)) != len(values):
        return False
    if kind == "kön":
        return frozenset(normalize_key(v) for v in values) in SEX_PARTS
    bands = [_age_band(v) for v in values]
    if any(b is None for b in bands):
        return False
    bands.sort()
    if bands[0][0] != 0 or bands[-1][1] != float("inf"):
        return False
    return all(b[0] == a[1] + 1 for a, b in zip(bands, bands[1:], strict=False))


def _keys(column: pd.Series) -> pd.Series:
    """:func:`normalize_key` of each cell, computed once per distinct text (a table has few)."""
    return column.map({v: normalize_key(v) for v in column.unique()})


def _some(values, sep: str, what: str, shown: int = 5) -> str:
    """At most ``shown`` of the values joined, and how many there are when more.

    >>> _some([3, 4], " och ", "rader"), _some(range(1, 9), " och ", "rader")
    ('3 och 4', '1 och 2 och 3 och 4 och 5 … (8 rader)')
    """
    values = [str(v) for v in values]
    more = f" … ({len(values)} {what})" if len(values) > shown else ""
    return sep.join(values[:shown]) + more


def _rows(group: pd.DataFrame) -> str:
    """Where the rows of one area and year are: "rad 9 och 10", or, when values share a line (a .px
    DATA line holds many; column ``cell`` names each, "DATA värde 3"), the line once and the values.

    >>> _rows(pd.DataFrame({"line": [9, 10], "cell": ["DATA värde 1", "DATA värde 3"]}))
    'rad 9 och 10'
    >>> _rows(pd.DataFrame({"line": [9, 9], "cell": ["DATA värde 1", "DATA värde 3"]}))
    'rad 9, DATA värde 1 och 3'
    >>> _rows(pd.DataFrame({"line": [9, 9, 10], "cell": ["DATA värde 1", "DATA värde 2", "DATA värde 5"]}))
    'rad 9 (DATA värde 1), rad 9 (DATA värde 2), rad 10 (DATA värde 5)'
    """
    lines = group["line"].tolist()
    if "cell" not in group or len(set(lines)) == len(lines):
        return "rad " + _some(lines, " och ", "rader")
    cells = group["cell"].tolist()
    if len(set(lines)) > 1:
        return _some([f"rad {n} ({c})" for n, c in zip(lines, cells, strict=True)], ", ", "värden")
    parts = [re.fullmatch(r"(.*?)(\d+)", str(c)) for c in cells]
    if all(parts) and len({p[1] for p in parts}) == 1:
        return f"rad {lines[0]}, {parts[0][1]}" + _some([p[2] for p in parts], " och ", "värden")
    return f"rad {lines[0]}, " + _some(cells, " och ", "värden")


def _complete_cross(group: pd.DataFrame, split: list, kinds: list) -> bool:
    """Whether the rows split by two columns of different kinds (kön and ålder) are each complete and
    hold every combination once (a table of both, as SCB's population by kön and ålder)."""
    if not all(kinds) or kinds[0] == kinds[1]:
        return False
    a, b = (group[c].tolist() for c in split)
    pairs = set(zip(a, b, strict=True))
    return (len(pairs) == len(group) == len(set(a)) * len(set(b))
            and all(_complete(k, sorted(set(v))) for k, v in zip(kinds, (a, b), strict=True)))


def _summed_crosses(many: pd.DataFrame, varying: list, extras: dict) -> tuple[pd.DataFrame, list]:
    """The areas and years split completely by kön × ålder summed at once (a table of every kommun by
    every age and both sexes has thousands), and the rows left for the row-by-row checks."""
    kinds = [PART_COLUMNS.get(normalize_key(extras[c])) for c in varying]
    if len(varying) != 2 or not all(kinds) or kinds[0] == kinds[1]:
        return many, []
    key = ["area", "year"]
    groups = many.groupby(key, sort=False)
    sets = {c: groups[c].agg(lambda v: tuple(sorted(set(v)))) for c in varying}
    complete = {}
    ok = groups.size() == sets[varying[0]].map(len) * sets[varying[1]].map(len)
    ok &= ~many.duplicated(key + varying).groupby([many["area"], many["year"]], sort=False).any()
    for c, kind in zip(varying, kinds, strict=True):
        ok &= sets[c].map(lambda parts, k=kind: complete.setdefault((k, parts), _complete(k, list(parts))))
    if not ok.any():
        return many, []
    first = groups.first()[ok]
    first["population"] = groups["population"].sum()[ok].astype("int64")
    first["note"] = [NOTE_SUMMED.format(what=" och ".join(kinds), parts=f"{len(a)} × {len(b)} grupper")
                     for a, b in zip(sets[varying[0]][ok], sets[varying[1]][ok], strict=True)]
    done = pd.MultiIndex.from_frame(many[key]).isin(ok[ok].index)
    return many[~done], [first.reset_index()]


def one_per_year(frame: pd.DataFrame, extras: dict, name: str) -> pd.DataFrame:
    """One row per area and year: the total rows of splitting columns, else a complete split summed.

    ``frame`` has ``area, year, population, line`` and one column per other header (``extras``:
    column -> header as written). Raises InputError for any other repeated area and year.
    """
    key = ["area", "year"]
    for col in extras:
        total = _keys(frame[col]).isin(TOTAL_WORDS)
        if total.any():
            has_total = total.groupby([frame["area"], frame["year"]]).transform("any")
            frame = frame[total | ~has_total]
    counts = frame.groupby(key)["line"].transform("size")
    single, many = frame[counts == 1].assign(note=""), frame[counts > 1]
    errors, out = [], []
    for col, header in extras.items():  # one row, but only a part (män; 0-4 år): not the population
        kind = PART_COLUMNS.get(normalize_key(header))
        part = _keys(single[col]).pipe(lambda k: (k != "") & ~k.isin(TOTAL_WORDS)) if kind else None
        if part is not None and part.any():
            errors += [RowError(name, int(r.line), header, r[col],
                                f"raden är bara en del av befolkningen ({kind}) och filen har varken raden "
                                "för totalt eller de andra delarna för området och året")
                       for _, r in single[part].iterrows()]
    if errors:
        raise InputError(name, "befolkningen per område och år är inte entydig", errors)
    if many.empty:
        return single
    varying = [c for c in extras if many.groupby(key)[c].nunique().gt(1).any()]
    many, out = _summed_crosses(many, varying, extras)
    for (area, year), group in many.groupby(key, sort=False):
        lines = _rows(group)
        split = [c for c in varying if group[c].nunique() > 1]
        if not split:
            if group["population"].nunique() == 1:
                out.append(group.iloc[[0]].assign(note=""))
                continue
            values = _some(group["population"], ", ", "siffror")
            errors.append(RowError(name, int(group["line"].iloc[-1]), None, area,
                                   f"området har flera olika siffror för år {year} ({lines}: {values}); "
                                   "filen ska ha en rad per område och år"))
            continue
        kinds = [PART_COLUMNS.get(normalize_key(extras[c])) for c in split]
        if len(split) == 1 and kinds[0] and _complete(kinds[0], group[split[0]].tolist()):
            parts = ", ".join(group[split[0]])
            row = group.iloc[[0]].assign(population=int(group["population"].sum()),
                                         note=NOTE_SUMMED.format(what=kinds[0], parts=parts))
            out.append(row)
            continue
        if len(split) == 2 and _complete_cross(group, split, kinds):  # SCB's kön × ålder, every cell once
            parts = f"{group[split[0]].nunique()} × {group[split[1]].nunique()} grupper"
            row = group.iloc[[0]].assign(population=int(group["population"].sum()),
                                         note=NOTE_SUMMED.format(what=" och ".join(kinds), parts=parts))
            out.append(row)
            continue
        col = split[0]
        why = ("utan en rad för totalt, och delarna är inte en fullständig uppdelning (t.ex. män och "
               "kvinnor, eller åldrar från 0 till en sista öppen grupp som '100+ år')"
               if len(split) == 1 and kinds[0] else "utan en rad för totalt")
        cols = " och ".join(f"'{extras[c]}'" for c in split)
        errors.append(RowError(name, int(group["line"].iloc[-1]), extras[col], _some(group[col].unique(), ", ", "värden"),
                               f"kolumnen {cols} delar området {area!r} år {year} på flera rader "
                               f"({lines}) {why}; ta med raden för totalt, eller ta bort kolumnen "
                               "och ha en rad per område och år"))
    if errors:
        raise InputError(name, "befolkningen per område och år är inte entydig", errors)
    return pd.concat([single, *out]).sort_values("line", kind="stable")
