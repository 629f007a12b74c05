"""The numbers behind a chart or table as CSV and XLSX that open cleanly in a Swedish Excel.

CSV: semicolon-separated, UTF-8 with BOM (so Excel detects the encoding), decimal comma, no thousands
separator (so Excel reads the numbers as numbers), dates as ``YYYY-MM-DD``, missing values empty and
suppressed values as ``–``. XLSX: numbers as numbers (thousands grouped from 10 000 on, as the reader's
Excel groups them: :func:`number_format`), dates as dates. In both, every text cell that a
spreadsheet would read as a formula is neutralised (:func:`lagesbild.export.safety.neutralise`).

Examples
--------
>>> df = pd.DataFrame({"plats": ["Vårberg"], "andel": [0.125], "not": ["=1+1"]})
>>> csv_text(df).splitlines()
['\\ufeffplats;andel;not', "Vårberg;0,125;'=1+1"]
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from lagesbild.export.safety import neutralise, neutralise_frame

BOM = "\ufeff"
SEPARATOR = ";"
MAX_SHEET_NAME = 31  # Excel's limit
SHEET_FORBIDDEN = '[]:*?/\\'


def _csv_cell(value) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "nej"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if math.isnan(value) or math.isinf(value):
            return ""
        text = repr(float(value))
        if "e" in text:  # 1.1e-14 as 1,1E-14 (Excel reads it as a number); it was cut to 0 at 12 decimals
            return text.replace(".", ",").replace("e", "E")
        return text.removesuffix(".0").replace(".", ",")
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat(sep=" ")
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return neutralise(", ".join(str(v) for v in value))
    return neutralise(str(value))


def csv_text(df: pd.DataFrame, notes=()) -> str:
    r"""The frame as Swedish Excel CSV text (with the BOM); ``notes`` (the source line with its
    ``FIKTIVA DEMODATA``, the suppression note …) as comment lines ``# …`` above the header, as the
    XLSX has them under its table (lagesbild's readers and ``pandas.read_csv(comment="#")`` skip them).

    >>> csv_text(pd.DataFrame({"Antal": [3]}), ["Källa: test – FIKTIVA DEMODATA"])
    '\ufeff# Källa: test – FIKTIVA DEMODATA\r\nAntal\r\n3\r\n'
    """
    buf = io.StringIO()
    for note in notes:
        buf.write("# " + " ".join(str(note).split()) + "\r\n")
    writer = csv.writer(buf, delimiter=SEPARATOR, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(str(c)) for c in df.columns])
    for row in df.itertuples(index=False, name=None):
        writer.writerow([_csv_cell(v) for v in row])
    return BOM + buf.getvalue()


def write_csv(df: pd.DataFrame, path, notes=()) -> Path:
    """Write :func:`csv_text` to ``path`` (UTF-8); return the path."""
    path = Path(path)
    path.write_bytes(csv_text(df, notes).encode("utf-8"))
    return path


def sheet_name(text: str) -> str:
    """A valid Excel sheet name: no ``[]:*?/\\``, at most 31 characters, not empty.

    Examples
    --------
    >>> sheet_name("Trend: Hässelby torg/Vällingby centrum 2019–2020")
    'Trend- Hässelby torg-Vällingby'
    """
    clean = "".join("-" if ch in SHEET_FORBIDDEN else ch for ch in str(text)).strip("' ")
    return clean[:MAX_SHEET_NAME].rstrip() or "Data"


def _xlsx_value(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, (bool, np.bool_)):  # as the CSV beside it and the page's download say it
        return "ja" if value else "nej"
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):  # a whole day is a date, as in the CSV ("2021-09-01 00:00:00")
        value = value.tz_localize(None) if value.tz is not None else value
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, (list, tuple, dict)):
        return neutralise(", ".join(map(str, value)) if not isinstance(value, dict) else str(value))
    return neutralise(value)


#: number formats of large numbers: Excel groups the thousands as the reader's locale does (a space in
#: Swedish: "1 872 736"; it showed "1872736"). Numbers below 10 000 keep the general format, so years
#: (2022) and month counts are never split ("2 022").
GROUPED_INT, GROUPED_FLOAT, GROUP_FROM = "#,##0", "#,##0.0##", 10_000


def number_format(value) -> str:
    """The XLSX number format of a cell's value: thousands grouped from :data:`GROUP_FROM` on.

    >>> number_format(1872736), number_format(2022), number_format(1719078.6), number_format("text")
    ('#,##0', 'General', '#,##0.0##', 'General')
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or abs(value) < GROUP_FROM:
        return "General"
    return GROUPED_INT if isinstance(value, int) or float(value).is_integer() else GROUPED_FLOAT


def write_xlsx(sheets: dict, path, *, notes: dict | None = None) -> Path:
    """Write one or more frames to an XLSX workbook, one sheet each.

    Parameters
    ----------
    sheets : dict
        ``{sheet title: DataFrame}``; titles are made valid with :func:`sheet_name`.
    notes : dict, optional
        ``{sheet title: [lines]}`` written under each table (source line, suppression note …).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    used = set()
    for title, df in sheets.items():
        name = sheet_name(title)
        while name in used:
            name = sheet_name(name[:28] + f"~{len(used)}")
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append([neutralise(str(c)) for c in df.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in neutralise_frame(df).itertuples(index=False, name=None):
            ws.append([_xlsx_value(v) for v in row])
            for cell in ws[ws.max_row]:  # dates keep the date format openpyxl gave them
                if number_format(cell.value) != "General":
                    cell.number_format = number_format(cell.value)
        for line in (notes or {}).get(title, []):
            ws.append([])
            ws.append([neutralise(line)])
        for i, col in enumerate(df.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(width, 60)
    path = Path(path)
    wb.save(path)
    return path
