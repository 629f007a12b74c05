"""Population by area and year from a CSV (or XLSX: its first sheet with a header) file laid out as SCB publishes it.

Two layouts are read (delimiter ``,``, ``;`` or tab; UTF-8, Windows-1252 or UTF-16 with a byte-order mark,
as Excel's "Unicode-text"):

* **long**, as SCB's API and Statistikdatabasen's "tabell" export: one row per area and year, with
  columns for the area (``område``, ``region``, ``place_id``, ``plats``, ``deso``, …), the year (``år``
  or ``year``) and the population (``folkmängd``, ``befolkning``, ``population`` or ``antal``);
* **wide**, as Statistikdatabasen's default CSV: the area in the first column and one column per year
  (``2010``, ``2011``, … or ``2010 folkmängd``, or ``pop_2010`` as in the shared DeSO file).

Statistikdatabasen's (PxWeb) own CSV is read as it is downloaded: the title line and blank line above
the header are skipped (the header is the first of :data:`MAX_HEADER_SCAN` lines that names a year),
and so are notes below the table (``Källa: SCB``, ``Fotnoter: …``; :data:`NOTE_STARTS`). Lines starting
with ``#`` before the header are comments (a file's source).

SCB's two other downloads of the same table are read by content: JSON-stat 2.0 (PxWebApi v1 and v2,
``json-stat2``; :mod:`lagesbild.sources.jsonstat`) and the PC-Axis file (``.px``;
:mod:`lagesbild.sources.pcaxis`), whose dimensions give the same rows
(:mod:`lagesbild.sources.population_cube`).

Region labels ``"0180 Stockholm"`` (code and name,
:data:`~lagesbild.sources.population_cube.REGION_LABELS`) give the code as the area and the name as its
``name``; a DeSO label ``"0180C3420 Stockholm"`` gives the DeSO code only (the text
after it is the kommun's name, not the area's). An optional column ``namn`` (the area's name, used when
its id matches no place) is kept as ``name`` too.

Other columns (``kön``, ``ålder``, …) may split an area and year into several rows. Then the rows
whose value says total (``totalt``, ``samtliga``, ``totalt ålder``) are used; without them, a complete split by ``kön`` (män and kvinnor) or ``ålder`` (age bands from 0
to an open-ended last band, none overlapping) is summed, and the rows say so in the column ``note``.
Any other split, and two different figures for one area and year, are refused naming the lines and
the column: one row is never silently kept.

The area is a lagesbild place id or a place name (matched in the analysis layer). Populations are
whole numbers ≥ 0 (spaces as thousands separators are allowed). Every bad value is reported with its
line and column, in Swedish.

Examples
--------
>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "folkmangd.csv")
>>> _ = open(path, "w", encoding="utf-8").write('"region";"2010";"2023"\\n"hasselby-torg";"1 357";"1316"\\n')
>>> read_population(path).values.tolist()
[['hasselby-torg', 2010, 1357], ['hasselby-torg', 2023, 1316]]
>>> _ = open(path, "w", encoding="utf-8").write('"Folkmängden per region och år"\\n\\n'
...     '"region","2022","2023"\\n"0180 Stockholm",984748,988943\\n\\nKälla: SCB\\n')
>>> read_population(path).values.tolist()
[['0180', 2022, 984748, 'Stockholm'], ['0180', 2023, 988943, 'Stockholm']]
"""

from __future__ import annotations

import codecs
import csv
import re
from pathlib import Path

import pandas as pd

from lagesbild.errors import InputError, RowError
from lagesbild.sources.jsonstat import read_jsonstat
from lagesbild.sources.pcaxis import looks_like_px, read_pcaxis
from lagesbild.sources.population_cube import Cube, cube_rows, json_located, region_label
from lagesbild.sources.population_splits import one_per_year
from lagesbild.sources.textfile import decode_text
from lagesbild.sources.textkeys import normalize_key
from lagesbild.sources.utf16 import unmarked

#: Headers of the area column, in order of preference (compared after :func:`normalize_key`).
AREA_NAMES = ("place_id", "plats", "område", "omrade", "area", "stadsdel", "stadsdelsområde", "deso",
              "regso", "region", "kommun")
YEAR_NAMES = ("år", "ar", "year")
VALUE_NAMES = ("folkmängd", "folkmangd", "befolkning", "population", "antal", "invånare")
#: A year column's header: ``2010``, ``2010 folkmängd``, ``pop_2010``, ``folkmängd 2010``.
YEAR_HEADER = re.compile(r"^\s*(?:(?:pop|population|folkmängd|folkmangd|befolkning)[\s_-]*)?((?:18|19|20)\d\d)\b",
                         re.I)
#: First words of notes below the table (after normalize_key).
NOTE_STARTS = ("kalla", "fotnot", "anm", "not", "forklaring", "teckenforklaring", "uppgift", "statistiken",
               "uttag", "tabellen", "senast", "source")
DELIMITERS = (",", ";", "\t")
MAX_HEADER_SCAN = 50  # non-empty lines searched for the header
MAX_BYTES = 50 << 20
#: Words of a title or header that name a figure other than a head count (SCB's socio-economic area
#: types, shares, incomes, densities): such a file is refused unless it also names the population.
NOT_A_COUNT = ("index", "indextal", "andel", "procent", "medel", "median", "inkomst", "kvot", "områdestyp",
               "omradestyp", "socioekonom", "täthet", "tathet", "poäng", "poang", "kronor")
#: The largest figure no area's population can all be at or below: a table of 1–5 is a class, not people.
MAX_CLASS_VALUE = 9



def _text(path: Path, name: str) -> str | Cube:
    """The file's text, or the cube of a JSON-stat or px file (routed by content, px also by name)."""
    if not path.is_file():
        raise InputError(name, "filen finns inte")
    if path.stat().st_size > MAX_BYTES:
        raise InputError(name, "filen är för stor för en befolkningstabell (över 50 MB)")
    raw = path.read_bytes()
    if raw[:4] == b"PK\x03\x04":  # XLSX, as Statistikdatabasen also offers it
        return _xlsx_text(path, name)
    if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or unmarked(raw[:1024]):  # Notepad's "Unicode"
        text = decode_text(raw, name)
        return read_jsonstat(text.encode("utf-8"), name) if text.lstrip()[:1] in ("{", "[") else text
    if raw.removeprefix(codecs.BOM_UTF8).lstrip()[:1] in (b"{", b"["):  # SCB's API: JSON-stat 2.0
        return read_jsonstat(raw, name)
    if looks_like_px(raw, path.suffix):  # Statistikdatabasen's "PC-Axis" download
        return read_pcaxis(raw, name)
    return decode_text(raw, name)  # UTF-8, Windows-1252, or UTF-16/32 by its mark (Excel's "Unicode-text")


def _xlsx_text(path: Path, name: str) -> str:
    """The first sheet of an XLSX file with a header (else the first sheet) as semicolon-separated
    lines, one per sheet row (so a line number is the sheet's row number): a workbook saved with a
    sheet of notes ("Information", "Om statistiken") before the table is read from the table's sheet.
    A year typed into a cell formatted as a date (2023 held as 1905-07-15) is the year
    (:func:`lagesbild.sources.xlsxcells.header_dates`)."""
    from lagesbild.sources.xlsx import open_workbook

    book = open_workbook(path, name)
    try:
        texts = []
        for ws in book.worksheets:
            texts.append(_sheet_text(ws, name))
            if _header(texts[-1].splitlines(), 0) is not None:
                return texts[-1]
        return texts[0] if texts else ""
    finally:
        book.close()


def _sheet_text(ws, name: str) -> str:
    import datetime as dt
    import io

    from lagesbild.sources.xlsx import cell_text, sheet_rows
    from lagesbild.sources.xlsxcells import header_dates

    ws.reset_dimensions()
    out, number = io.StringIO(), 0
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for row in sheet_rows(ws, name):
        at = next((c.row for c in row if getattr(c, "row", None)), number + 1)
        out.write("\n" * max(at - number - 1, 0))
        cells = [cell_text(c.value, getattr(c, "number_format", None)) for c in row]
        dates = {i: c.value for i, c in enumerate(row) if isinstance(c.value, (dt.datetime, dt.date))}
        writer.writerow(header_dates(cells, dates)[0] if dates else cells)  # 2023 typed as a date
        number = at
    return out.getvalue()


#: more than Sweden has (10,6 million in 2024): a larger figure is a typo or another measure
MAX_POPULATION = 20_000_000


def _number(text: str, name: str, line: int, column: str, errors: list) -> int | None:
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text or "")
    if cleaned in ("", "..", "-"):
        return None  # SCB writes ".." for a missing figure
    if not re.fullmatch(r"[0-9]+", cleaned):  # str.isdigit() also takes "²" and other digits int() refuses
        errors.append(RowError(name, line, column, text, "befolkningen måste vara ett heltal ≥ 0"))
        return None
    if len(cleaned) > 9 or int(cleaned) > MAX_POPULATION:
        errors.append(RowError(name, line, column, text, f"talet är för stort för en befolkning (högst "
                                                         f"{MAX_POPULATION:,} invånare)".replace(",", "\u00a0")))
        return None
    return int(cleaned)


def _columns(cells: list[str]) -> dict | None:
    """The header's columns (area, year, value, name, year columns), or None when it is no header."""
    if len(cells) < 2:
        return None
    keys = [normalize_key(c) for c in cells]
    area_keys = [normalize_key(a) for a in AREA_NAMES]
    area = next((keys.index(a) for a in area_keys if a in keys), None)
    year_at = [i for i, k in enumerate(keys) if k in YEAR_NAMES]
    value_at = [i for i, k in enumerate(keys) if k in {normalize_key(v) for v in VALUE_NAMES}]
    year, value = (year_at or [None])[0], (value_at or [None])[0]
    years = {i: int(m.group(1)) for i, c in enumerate(cells) if i != area and (m := YEAR_HEADER.match(c))}
    twice = None  # a column given twice: only one of them would be read
    if year is not None and value is not None:
        years = {}
        twice = year_at if len(year_at) > 1 else value_at if len(value_at) > 1 else None
    elif not years:
        return None
    elif len(set(years.values())) != len(years):
        seen: dict[int, int] = {}
        twice = next([seen[y], i] for i, y in years.items() if seen.setdefault(y, i) != i)
    if any(re.fullmatch(r"[\d\s\u00a0.,]+", c) for i, c in enumerate(cells) if c and i not in years):
        return None  # a row of figures, not a header
    if area is None:
        area = next(i for i in range(len(cells)) if i not in years and i not in (year, value))
    name = keys.index("namn") if "namn" in keys else None
    return {"area": area, "year": year, "value": value, "name": name, "years": years, "twice": twice}


def _header(lines: list[str], start: int):
    """(line index, delimiter, header cells, columns) of the first line read as a header."""
    scanned = 0
    for index in range(start, len(lines)):
        text = lines[index]
        if not text.strip(" ,;\t\"'"):
            continue
        best = None
        for delimiter in DELIMITERS:
            try:
                cells = [c.strip() for c in next(csv.reader([text], delimiter=delimiter), [])]
            except csv.Error:
                continue
            found = _columns(cells)
            if found and (best is None or len(cells) > len(best[1])):
                best = (delimiter, cells, found)
        if best:
            return (index, *best)
        scanned += 1
        if scanned >= MAX_HEADER_SCAN:
            break
    return None


def _is_note(row: list[str]) -> bool:
    filled = [c for c in row if c.strip()]
    return not filled or len(filled) == 1 or normalize_key(filled[0]).startswith(NOTE_STARTS)


def _cut_short(row: list[str]) -> bool:
    """A line under the table that begins as a row of figures does (a region code) but ends early.

    Examples
    --------
    >>> _cut_short(['0184 S']), _cut_short(['Källa: SCB']), _cut_short(['0184 Solna', '83'])
    (True, False, False)
    """
    filled = [c.strip() for c in row if c.strip()]
    return len(filled) == 1 and bool(re.match(r"\d{2,}\b", filled[0]))


def read_population(path, name: str | None = None) -> pd.DataFrame:
    """Read a population table: ``area, year, population`` (int), one row per area and year, plus
    ``name`` when the file names its areas and ``note`` when a figure is a sum of the file's rows.

    Raises
    ------
    InputError
        With a Swedish reason and every bad value (file, line, column, value).
    """
    path = Path(path)
    name = name or path.name
    text = _text(path, name)
    if isinstance(text, Cube):
        frame, extra_names, head = cube_rows(text, name)
        try:
            frame = one_per_year(frame, extra_names, name)
        except InputError as exc:
            raise (json_located(exc, name) if text.cells and text.cells[0][3] is None else exc) from None
        return _finish(frame, head, name)
    lines = text.splitlines()
    skip = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    if not any(line.strip(" ,;\t") for line in lines[skip:]):
        raise InputError(name, "filen har ingen rad med befolkningssiffror")
    found = _header(lines, skip)
    if found is None:
        raise InputError(name, "hittar ingen rubrikrad med en kolumn 'år' (och folkmängd) eller kolumner med "
                               f"årtal (t.ex. 2010, 2011 eller pop_2010) bland filens första {MAX_HEADER_SCAN} "
                               "rader")
    index, delimiter, header, cols = found
    if cols["twice"]:
        first, again = cols["twice"][:2]
        reason = (f"kolumnen finns två gånger i rubriken (kolumn {first + 1} och {again + 1}); bara den ena "
                  "skulle läsas: ta bort eller byt namn på den andra")
        raise InputError(name, "en kolumn finns två gånger i rubriken",
                         [RowError(name, index + 1, header[again], header[again], reason)])
    try:
        rows = list(csv.reader(lines[index + 1:], delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(name, "filens innehåll kunde inte tolkas som CSV") from exc
    data = [i for i, row in enumerate(rows) if len(row) == len(header) and not _is_note(row)]
    # below the last row of figures: notes (Källa: SCB …); a row cut short there is not a note
    rows = [r for i, r in enumerate(rows) if i <= data[-1] or not _is_note(r) or _cut_short(r)] if data else []
    if not rows:
        raise InputError(name, "filen har ingen rad med befolkningssiffror")
    area_col, year_col, value_col, name_col, year_cols = (cols[k] for k in ("area", "year", "value", "name",
                                                                            "years"))
    extras = {i: h for i, h in enumerate(header)
              if i not in (area_col, year_col, value_col, name_col) and i not in year_cols}
    errors: list[RowError] = []
    out = []
    named = name_col is not None
    for line, row in enumerate(rows, start=index + 2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            errors.append(RowError(name, line, None, delimiter.join(row),
                                   f"raden har {len(row)} fält men rubriken {len(header)}"))
            continue
        area, label_name = region_label(row[area_col].strip())
        if not area:
            errors.append(RowError(name, line, header[area_col], "", "området saknas"))
            continue
        area_name = row[name_col].strip() if name_col is not None else label_name
        named = named or label_name is not None
        extra = [row[i].strip() for i in extras]
        if year_col is not None:
            year = row[year_col].strip()
            if not (year.isdigit() and len(year) == 4):
                errors.append(RowError(name, line, header[year_col], year, "året måste vara fyra siffror"))
                continue
            value = _number(row[value_col], name, line, header[value_col], errors)
            if value is not None:
                out.append((area, int(year), value, area_name, line, *extra))
            continue
        for i, year in year_cols.items():
            value = _number(row[i], name, line, header[i], errors)
            if value is not None:
                out.append((area, year, value, area_name, line, *extra))
    if errors:
        raise InputError(name, f"{len(errors)} {'värde' if len(errors) == 1 else 'värden'} kunde inte läsas", errors)
    extra_names = {f"x{i}": h for i, h in extras.items()}
    frame = pd.DataFrame(out, columns=["area", "year", "population", "name", "line", *extra_names])
    frame = one_per_year(frame, extra_names, name)
    return _finish(frame, lines[skip:index + 1], name, named)


def _finish(frame: pd.DataFrame, head: list[str], name: str, named: bool | None = None) -> pd.DataFrame:
    """The reader's table: ``area, year, population`` (+ ``name``, ``note``), checked to be a head count."""
    named = frame["name"].notna().any() if named is None else named
    keep = ["area", "year", "population"] + (["name"] if named else [])
    keep += ["note"] if (frame["note"] != "").any() else []
    frame = frame[keep].reset_index(drop=True)
    frame["population"] = frame["population"].astype("int64")
    _refuse_other_figures(head, frame, name)
    return frame


def _refuse_other_figures(head: list[str], frame: pd.DataFrame, name: str) -> None:
    """Refuse a table of another figure laid out as population is (an SCB index of area types 1–5).

    Examples
    --------
    >>> f = pd.DataFrame({"population": [1, 5, 3]})
    >>> _refuse_other_figures(["Socioekonomiskt index per DeSO", "region;2022"], f, "x.csv")
    Traceback (most recent call last):
    ...
    lagesbild.errors.InputError: x.csv: filen verkar inte innehålla folkmängd utan "socioekonomiskt" (rubriken nämner det); välj SCB:s tabell över folkmängd
    >>> _refuse_other_figures(["region;2022"], f, "x.csv")
    Traceback (most recent call last):
    ...
    lagesbild.errors.InputError: x.csv: alla 3 siffror är 9 eller lägre: det ser ut som en indelning eller ett index, inte antal invånare; välj SCB:s tabell över folkmängd
    """
    words = re.findall(r"[^\W\d_]+", " ".join(head).lower())
    said = next((w for w in words if w.startswith(NOT_A_COUNT)), None)
    if "%" in " ".join(head):
        said = said or "%"
    if said and not any(w.startswith(("folkm", "befolkning", "invånare", "invanare", "population"))
                        for w in words):
        raise InputError(name, f"filen verkar inte innehålla folkmängd utan \"{said}\" (rubriken nämner "
                               "det); välj SCB:s tabell över folkmängd")
    if len(frame) >= 2 and int(frame["population"].max()) <= MAX_CLASS_VALUE:
        raise InputError(name, f"alla {len(frame)} siffror är {MAX_CLASS_VALUE} eller lägre: det ser ut som "
                               "en indelning eller ett index, inte antal invånare; välj SCB:s tabell över "
                               "folkmängd")
