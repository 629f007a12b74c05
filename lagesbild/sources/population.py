"""Population by area and year from a CSV file laid out as SCB publishes it.

Two layouts are read (delimiter ``,``, ``;`` or tab; UTF-8 or Windows-1252):

* **long**, as SCB's API and Statistikdatabasen's "tabell" export: one row per area and year, with
  columns for the area (``område``, ``region``, ``place_id`` or ``plats``), the year (``år`` or
  ``year``) and the population (``folkmängd``, ``befolkning``, ``population`` or ``antal``);
* **wide**, as Statistikdatabasen's default CSV: the area in the first column and one column per year
  (``2010``, ``2011``, … or ``2010 folkmängd``).

Lines starting with ``#`` before the header are comments (a file's source). An optional column ``namn``
(the area's name, used when its id matches no place) is kept as ``name``.

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
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from lagesbild.errors import InputError, RowError

AREA_NAMES = ("område", "omrade", "region", "place_id", "plats", "area")
YEAR_NAMES = ("år", "ar", "year")
VALUE_NAMES = ("folkmängd", "folkmangd", "befolkning", "population", "antal", "invånare")
YEAR_HEADER = re.compile(r"^\s*(\d{4})\b")
MAX_BYTES = 50 << 20


def _text(path: Path, name: str) -> str:
    if not path.is_file():
        raise InputError(name, "filen finns inte")
    if path.stat().st_size > MAX_BYTES:
        raise InputError(name, "filen är för stor för en befolkningstabell (över 50 MB)")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(name, "filen är varken UTF-8 eller Windows-1252; spara den som UTF-8")


def _number(text: str, name: str, line: int, column: str, errors: list) -> int | None:
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text or "")
    if cleaned in ("", "..", "-"):
        return None  # SCB writes ".." for a missing figure
    if not cleaned.isdigit():
        errors.append(RowError(name, line, column, text, "befolkningen måste vara ett heltal ≥ 0"))
        return None
    return int(cleaned)


def read_population(path, name: str | None = None) -> pd.DataFrame:
    """Read a population table: ``area, year, population`` (int), one row per area and year.

    Raises
    ------
    InputError
        With a Swedish reason and every bad value (file, line, column, value).
    """
    path = Path(path)
    name = name or path.name
    text = _text(path, name)
    try:
        sample = "\n".join(line for line in text[:8192].splitlines() if not line.startswith("#"))
        dialect = csv.Sniffer().sniff(sample[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines = text.splitlines()
    skip = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    rows = list(csv.reader(lines[skip:], dialect))
    if len(rows) < 2:
        raise InputError(name, "filen har ingen rad med befolkningssiffror")
    header = [h.strip() for h in rows[0]]
    lower = [h.lower() for h in header]
    errors: list[RowError] = []
    out = []
    area_col = next((i for i, h in enumerate(lower) if h in AREA_NAMES), 0)
    year_col = next((i for i, h in enumerate(lower) if h in YEAR_NAMES), None)
    value_col = next((i for i, h in enumerate(lower) if h in VALUE_NAMES), None)
    name_col = lower.index("namn") if "namn" in lower and year_col is not None else None
    year_cols = {i: int(m.group(1)) for i, h in enumerate(header) if (m := YEAR_HEADER.match(h))}
    if year_col is None and not year_cols:
        raise InputError(name, "hittar varken en kolumn 'år' eller kolumner med årtal (t.ex. 2010, 2011)")
    if year_col is not None and value_col is None:
        raise InputError(name, "kolumnen med befolkningen saknas (folkmängd, befolkning eller population)")
    for line, row in enumerate(rows[1:], start=skip + 2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            errors.append(RowError(name, line, None, None,
                                   f"raden har {len(row)} fält men rubriken {len(header)}"))
            continue
        area = row[area_col].strip()
        if not area:
            errors.append(RowError(name, line, header[area_col], "", "området saknas"))
            continue
        if year_col is not None:
            year = row[year_col].strip()
            if not (year.isdigit() and len(year) == 4):
                errors.append(RowError(name, line, header[year_col], year, "året måste vara fyra siffror"))
                continue
            value = _number(row[value_col], name, line, header[value_col], errors)
            if value is not None:
                out.append((area, int(year), value) + ((row[name_col].strip(),) if name_col is not None else ()))
            continue
        for i, year in year_cols.items():
            value = _number(row[i], name, line, header[i], errors)
            if value is not None:
                out.append((area, year, value))
    if errors:
        raise InputError(name, f"{len(errors)} värden kunde inte läsas", errors)
    frame = pd.DataFrame(out, columns=["area", "year", "population"] + (["name"] if name_col is not None else []))
    return frame.drop_duplicates(["area", "year"], keep="last").reset_index(drop=True)
