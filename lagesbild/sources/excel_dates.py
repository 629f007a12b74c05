"""Excel's day numbers in a date column: a date cell formatted "Allmänt" (General) holds 45901, not
2025-09-01.

In an XLSX file the workbook says which date system its numbers count in (``date1904``: the 1900
system counts from 1899-12-30, with Excel's false 29 February 1900 only below day 61, far before any
incident; the 1904 system of old Mac workbooks from 1904-01-01), so a day number of five digits (1927 to
2173; a decimal part is the time of day) is read as that day: nothing else is written with five digits
in a date column. A CSV file does not say which system its numbers came from (they differ by four
years and a day), so there they are refused, saying what they look like and what to do.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: day 0 of each date system, as openpyxl's ``from_excel`` counts (the 1900 system's leap-year bug
#: makes its day 0 1899-12-30 for every day from 61 = 1900-03-01 on)
EPOCHS = {"1900": pd.Timestamp("1899-12-30"), "1904": pd.Timestamp("1904-01-01")}
#: a day number as a cell's text: five digits, optionally a decimal part (a time of day) after the
#: decimal comma the XLSX reader writes (or a point)
SERIAL = r"^\d{5}(?:[.,]\d+)?$"


def serial_mask(values: pd.Series) -> np.ndarray:
    """Which values look like Excel day numbers (:data:`SERIAL`).

    Examples
    --------
    >>> serial_mask(pd.Series(["45901", "45901,3958", "2025-09-01", "4590", "459012", None])).tolist()
    [True, True, False, False, False, False]
    """
    text = values.astype("string[pyarrow]").fillna("").str.strip()
    return np.asarray(text.str.match(SERIAL), dtype=bool)


def serial_dates(values: pd.Series, epoch: str) -> tuple[pd.Series, np.ndarray]:
    """The values with Excel day numbers of the date system `epoch` (``"1900"`` or ``"1904"``)
    written as ISO dates (with the time of day, to the second, where the number has a decimal part),
    and which values were day numbers.

    Examples
    --------
    >>> out, mask = serial_dates(pd.Series(["45901", "45901,5", "2025-09-02"]), "1900")
    >>> out.tolist(), mask.tolist()
    (['2025-09-01', '2025-09-01 12:00:00', '2025-09-02'], [True, True, False])
    >>> serial_dates(pd.Series(["44439"]), "1904")[0].tolist()
    ['2025-09-01']
    """
    mask = serial_mask(values)
    if not mask.any():
        return values, mask
    text = values.astype("string[pyarrow]").fillna("").str.strip()
    numbers = pd.to_numeric(text[mask].str.replace(",", ".", regex=False)).astype(float)
    stamps = (EPOCHS[epoch] + pd.to_timedelta(numbers, unit="D")).dt.round("s")
    whole = (numbers % 1 == 0).to_numpy()
    iso = np.where(whole, stamps.dt.strftime("%Y-%m-%d"), stamps.dt.strftime("%Y-%m-%d %H:%M:%S"))
    out = text.astype(object)
    out[mask] = iso
    return pd.Series(out.to_numpy(), index=values.index, dtype="string[pyarrow]"), mask


def read_as(value: str, epoch: str) -> str:
    """What a day number reads as, for messages.

    Examples
    --------
    >>> read_as("45901", "1900"), read_as("45901,5", "1900")
    ('2025-09-01', '2025-09-01 12:00:00')
    """
    return str(serial_dates(pd.Series([value]), epoch)[0].iloc[0])


def csv_reason(value: str) -> str:
    """Why a day number in a CSV file's date column is refused.

    Examples
    --------
    >>> csv_reason("45901")[:60]
    'värdet ser ut som ett Excel-datumnummer (45901 är 2025-09-01'
    """
    return (f"värdet ser ut som ett Excel-datumnummer ({value} är {read_as(value, '1900')} i Excels "
            f"vanliga datumsystem men {read_as(value, '1904')} i Mac-Excels 1904-system, och en CSV-fil "
            "säger inte vilket); formatera kolumnen som datum i Excel innan filen sparas som CSV, eller "
            "läs in arbetsboken (.xlsx) direkt")


def period_reasons(periods: pd.Series, reasons: pd.Series, epoch: str | None = "1900") -> pd.Series:
    """``reasons`` (None where a period was read) with an unread period that is an Excel day number
    (a month typed as a date in a cell formatted as a number, or a CSV of one) said to be one, read in
    the workbook's date system `epoch` (``"1900"``, ``"1904"``; None for a CSV file, which says neither).

    Examples
    --------
    >>> period_reasons(pd.Series(["45383", "x"]), pd.Series(["okänd period", "okänd period"])).tolist()[0][:86]
    'okänd period: värdet ser ut som ett Excel-datumnummer (45383 är 2024-04-01 i Excels va'
    >>> period_reasons(pd.Series(["42035"]), pd.Series(["okänd period"]), "1904").tolist()[0][54:117]
    '(42035 är 2019-02-01 i arbetsbokens datumsystem, Mac-Excels 190'
    """
    out = reasons.copy()
    serial = reasons.notna().to_numpy() & serial_mask(periods.astype("string").fillna(""))
    for i in np.flatnonzero(serial):
        value = str(periods.iloc[i]).strip()
        out.iloc[i] = f"okänd period: värdet ser ut som ett Excel-datumnummer ({_read_in(value, epoch)}); " \
                      "formatera cellerna som datum i Excel, eller skriv perioden som 2024-04"
    return out


def _read_in(value: str, epoch: str | None) -> str:
    """What the day number `value` is in the date system `epoch` (both systems when it is None)."""
    if epoch == "1904":
        return f"{value} är {read_as(value, '1904')} i arbetsbokens datumsystem, Mac-Excels 1904-system"
    if epoch is None:
        return (f"{value} är {read_as(value, '1900')} i Excels vanliga datumsystem men "
                f"{read_as(value, '1904')} i Mac-Excels 1904-system, och en CSV-fil säger inte vilket")
    return f"{value} är {read_as(value, '1900')} i Excels vanliga datumsystem"


def csv_serials(date: pd.Series, bad: np.ndarray, column: str) -> tuple[np.ndarray, str, pd.Series, np.ndarray]:
    """``(mask, column, values, reasons)`` for ``Rejects.add``: the unreadable dates (`bad`) of a CSV
    file that are Excel day numbers, each with :func:`csv_reason`."""
    numbers = bad.copy()
    numbers[bad] = serial_mask(date[bad])
    return numbers, column, date, _at(numbers, [csv_reason(str(v)) for v in date[numbers]])


def as_read(reason: str, serial: np.ndarray, date: pd.Series, read: pd.Series) -> str | np.ndarray:
    """`reason`, saying at the rows of `serial` which day their Excel day number was read as."""
    if not serial.any():
        return reason
    said = [f"{reason} (Excel-datumnumret {v} läst som {r})"
            for v, r in zip(date[serial], read[serial], strict=True)]
    return _at(serial, said, reason)


def _at(mask: np.ndarray, values: list, fill: str = "") -> np.ndarray:
    """A text per row: `values` at the rows of `mask` (in order), `fill` elsewhere."""
    out = np.full(len(mask), fill, dtype=object)
    out[mask] = values
    return out
