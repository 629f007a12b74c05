"""The text of XLSX cells, and the header cells Excel holds as dates.

A cell's value becomes the text a user sees (:func:`cell_text`). Header cells typed as dates need more:

* a year typed into a cell formatted as a date is held as the day that many days after Excel's epoch:
  ``2024`` shows as 1905-07-16. No crime table has a header of 1905, so a date before 1950 whose serial
  number is a year from 1950 to 2100 is that year; any other date before 1950 is refused, naming it and
  the number it holds;
* a month Excel saved as a date (``jan 2024`` → 2024-01-01) shown with its day reads as the month when
  the header's dates are first days of months one month apart (or there is one), as the same text in a
  CSV does. First days a year apart (2023-01-01, 2024-01-01, …) could be years or January of each year,
  and other steps (three months: quarters?) are refused with what to write instead.

Examples
--------
>>> header_dates(["Plats", "1905-07-16", "1905-07-17"], {1: dt.datetime(1905, 7, 16), 2: dt.datetime(1905, 7, 17)})
(['Plats', '2024', '2025'], None)
>>> header_dates(["2024-01-01", "2024-02-01"], {0: dt.datetime(2024, 1, 1), 1: dt.datetime(2024, 2, 1)})
(['2024-01', '2024-02'], None)
>>> header_dates(["2023-01-01", "2024-01-01"], {0: dt.datetime(2023, 1, 1), 1: dt.datetime(2024, 1, 1)})[1][0]
0
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from xml.etree.ElementTree import ParseError, iterparse

import numpy as np

from lagesbild.errors import InputError, RowError
from lagesbild.sources.numbers import format_number
from lagesbild.sources.sheetscan import scan_sheet

#: Excel's day 0 as openpyxl counts it (the 1900 leap-year bug included)
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
#: the years a serial number held as a date is read as
SERIAL_YEARS = range(1950, 2101)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class DatedRow(list):
    """A sheet row's texts with the cells that held dates: ``dates`` maps a column index to the
    value (a datetime)."""

    dates: dict


def cell_text(value: object, number_format: str | None = None) -> str:
    """Text of one XLSX cell value (see the module docstring).

    Examples
    --------
    >>> cell_text(12.0), cell_text(0.23, "0%"), cell_text(dt.datetime(2020, 1, 5)), cell_text(12.5)
    ('12', '23 %', '2020-01-05', '12,5')

    A date shown without its day is the month (or year) it shows: Excel's month columns are dates
    of the 1st formatted ``mmm-yy`` ("jan-23"), which read as a day would count a month on one day.

    >>> cell_text(dt.datetime(2023, 1, 1), "mmm-yy"), cell_text(dt.datetime(2023, 1, 1), "[$-41D]mmmm yyyy")
    ('2023-01', '2023-01')
    >>> cell_text(dt.datetime(2023, 1, 1), "yyyy"), cell_text(dt.datetime(2023, 1, 1), "yyyy-mm-dd")
    ('2023', '2023-01-01')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, (int, float)):
        if number_format and "%" in number_format:
            return _number_text(round(value * 100, 10)) + " %"
        return _number_text(value)
    if isinstance(value, (dt.datetime, dt.date)) and number_format:
        shown = _date_parts(number_format)
        if shown == "ym":
            return f"{value.year:04d}-{value.month:02d}"
        if shown == "y":
            return f"{value.year:04d}"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _date_parts(number_format: str) -> str:
    """Which of year, month and day a date format shows: ``"ym"``, ``"y"`` or ``""`` for any other
    (with a day, a time, or none of them); locale tags ``[$-41D]``, quoted text and escapes left out."""
    code = re.sub(r'\[[^\]]*\]|"[^"]*"|\\.', "", number_format.split(";")[0]).lower()
    if "d" in code or "h" in code or "s" in code or "y" not in code:
        return ""
    return "ym" if "m" in code else "y"


def _number_text(value: float) -> str:
    """A number cell as Swedish Excel shows it: a whole number as it is, a decimal with a decimal
    comma (the readers take both; a message quoting the cell then says 52,5 as the user saw it).

    Examples
    --------
    >>> _number_text(52.5), _number_text(2024.0), _number_text(-0.25)
    ('52,5', '2024', '-0,25')
    """
    if isinstance(value, int) or (float(value).is_integer() and abs(value) < 1e15):
        return str(int(value))
    return np.format_float_positional(float(value), trim="-").replace(".", ",")


def _serial(value) -> int | None:
    """The number a date at midnight stands for in Excel, else None."""
    if isinstance(value, dt.datetime) and value.time() != dt.time(0):
        return None
    day = value.date() if isinstance(value, dt.datetime) else value
    return (day - EXCEL_EPOCH.date()).days


def _month_step(a: tuple[int, int], b: tuple[int, int]) -> int:
    return (b[0] - a[0]) * 12 + b[1] - a[1]


def header_dates(cells: list[str], dates: dict) -> tuple[list[str], tuple[int, str] | None]:
    """The header texts with its date cells read as the user meant them (see the module docstring),
    and ``None``, or ``(column index, reason)`` for a date cell whose meaning is not clear."""
    out = list(cells)
    firsts = {}
    for i, value in sorted(dates.items()):
        if i >= len(out) or not isinstance(value, (dt.datetime, dt.date)):
            continue
        number = _serial(value)
        if value.year < 1950 and number is not None:
            if number not in SERIAL_YEARS:
                return out, (i, f"rubriken är datumet {value:%Y-%m-%d}, alltså talet {number} i en cell "
                                "formaterad som datum; skriv rubriken som text (t.ex. 2024 eller jan 2024)")
            out[i] = str(number)  # a year typed into a cell formatted as a date
        elif number is not None and value.day == 1 and _ISO_DAY.fullmatch(out[i].strip()):
            firsts[i] = (value.year, value.month)
    months = sorted(set(firsts.values()))
    steps = {_month_step(a, b) for a, b in zip(months, months[1:], strict=False)}
    if len(months) > 1 and steps != {1}:
        first = min(firsts, key=lambda i: firsts[i])
        shown = ", ".join(f"{y:04d}-{m:02d}-01" for y, m in months[:3]) + (" …" if len(months) > 3 else "")
        if steps == {12}:
            why = (f"rubrikerna är datum den 1 januari ({shown}): menas åren eller januari varje år? "
                   "Skriv rubrikerna som text: 2023 för året, jan 2023 för månaden")
        else:
            why = (f"rubrikerna är datum den 1:a i månaden ({shown}) men inte månad efter månad: menas "
                   "månaderna, kvartalen eller åren? Skriv rubrikerna som text (jan 2024, 2024 K1, 2024)")
        return out, (first, why)
    for i, (y, m) in firsts.items():
        out[i] = f"{y:04d}-{m:02d}"
    return out, None


#: how many sheet names a message names before "m.fl."
SHOWN_SHEETS = 5


def named_sheets(names, shown: int = SHOWN_SHEETS, total: bool = True) -> str:
    """The first `shown` of `names` for a message, with "m.fl." and the total when there are more (a
    workbook of 3 000 sheets once gave a 26 kB message naming every one); `total=False` leaves
    the total out, for a message that says it already.

    Examples
    --------
    >>> named_sheets(["Blad1", "Blad2"])
    'Blad1, Blad2'
    >>> named_sheets([f'"Blad{i}"' for i in range(1, 3001)])
    '"Blad1", "Blad2", "Blad3", "Blad4", "Blad5" m.fl. (3\\xa0000 blad)'
    >>> named_sheets("ABCDEFG", total=False)
    'A, B, C, D, E m.fl.'
    """
    from lagesbild.sources.numbers import format_number

    names = list(names)
    if len(names) <= shown:
        return ", ".join(names)
    return ", ".join(names[:shown]) + " m.fl." + (f" ({format_number(len(names))} blad)" if total else "")


#: how many formulas without a computed value are listed
MAX_LISTED_FORMULAS = 10


def uncomputed_formulas(ws) -> list[tuple[int, str, str]]:
    """(row, column letter, formula) of the first :data:`MAX_LISTED_FORMULAS` formula cells of a
    read-only sheet without a computed value; the sheet's XML is parsed only when it has a formula."""
    archive, member = getattr(ws.parent, "_archive", None), getattr(ws, "_worksheet_path", None)
    if archive is None or member is None or not scan_sheet(ws).has_formula:
        return []
    found = []
    try:
        with archive.open(member) as fh:
            for _, element in iterparse(fh):
                if not element.tag.endswith("}c") and element.tag != "c":
                    continue
                parts = {child.tag.rsplit("}", 1)[-1]: child for child in element}
                if "f" in parts and not _computed(element.get("t"), parts.get("v")):
                    ref = re.fullmatch(r"([A-Z]+)(\d+)", element.get("r") or "")
                    if ref:
                        found.append((int(ref[2]), ref[1], parts["f"].text or ""))
                        if len(found) >= MAX_LISTED_FORMULAS:
                            break
                element.clear()
    except (ParseError, OSError, EOFError):
        return found  # damage is reported when the rows are read
    return found


def _computed(kind: str | None, value) -> bool:
    """Whether a formula cell has a computed value: a ``<v>`` with text, or an empty one in a cell of
    type ``str`` (a formula whose result is the empty text)."""
    return value is not None and (bool(value.text) or kind == "str")


#: openpyxl's warning for a date-formatted cell whose day number no date can hold (it then reads the
#: cell as the error "#VALUE!")
_DATE_OVERFLOW = re.compile(r"Cell ([A-Z]+)(\d+) is marked as a date but the serial value (\S+) is outside")


def date_overflows(caught, name: str, sheet: str, epoch: dt.datetime) -> tuple[list, list]:
    """The RowErrors of openpyxl's warnings in `caught` about date cells whose day number is past the
    last day a date can have (9999-12-31), and the other warnings. `epoch` is the workbook's day 0.

    Examples
    --------
    >>> import warnings
    >>> w = warnings.WarningMessage("Cell C2 is marked as a date but the serial value 3000000 is outside "
    ...                             "the limits for dates. The cell will be treated as an error.",
    ...                             UserWarning, "f", 1)
    >>> errors, rest = date_overflows([w], "plan.xlsx", "Blad1", EXCEL_EPOCH)
    >>> print(errors[0].message())
    plan.xlsx, blad "Blad1", rad 2, kolumn "C", värde "3000000": cell C2 är formaterad som datum men talet är inget datum (Excels datum slutar 9999-12-31, dag 2\xa0958\xa0465 i arbetsbokens datumsystem); skriv datumet som 2024-03-15 eller formatera cellen som tal om den inte är ett datum
    >>> rest
    []
    """
    last = format_number((dt.datetime(9999, 12, 31) - epoch).days)
    errors, rest = [], []
    for w in caught:
        found = _DATE_OVERFLOW.match(str(w.message))
        if found is None:
            rest.append(w)
            continue
        column, row, value = found.groups()
        errors.append(RowError(name, int(row), column, value, (
            f"cell {column}{row} är formaterad som datum men talet är inget datum (Excels datum slutar "
            f"9999-12-31, dag {last} i arbetsbokens datumsystem); skriv datumet som 2024-03-15 eller formatera cellen som tal om "
            "den inte är ett datum"), sheet=sheet))
    return errors, rest


def next_row(rows, name: str, sheet: str, epoch: dt.datetime) -> tuple:
    """``next(rows)`` of openpyxl's rows, a date cell whose day number no date can hold refused with
    its cell (openpyxl warned in English and read it as "#VALUE!"); other warnings passed on."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        row = next(rows)
    overflows, rest = date_overflows(caught, name, sheet, epoch)
    for w in rest:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if overflows:
        raise InputError(name, f"bladet \"{sheet}\" har datumceller som inte kan läsas", overflows)
    return row
