"""Aggregated reported crime: place × category × month (or period) × count.

Output (``ReadResult.table``): ``place`` (as written), ``category`` (canonical id), ``period_start``,
``period_end`` (inclusive days), ``count`` (Int64, ``<NA>`` = missing, Brå's ``..``), ``preliminary``
(bool), ``line``.

Layouts (:data:`LAYOUTS`, tried in order on each of the first rows until one fits):

- ``lång``: one row per place × category × period: ``Plats;Brottskategori;Månad;Antal``.
- ``bred``: one row per place × category, one column per period, as in Brå and police Excel exports:
  ``Brottskategori;jan 2020;feb 2020;…`` or ``Plats;Brott;2018;2019`` (also ``2023M01`` and
  footnote-marked ``2024¹``, read as preliminary: :func:`lagesbild.sources.crimetext.header_period`).
  Columns whose header is not a period (``Totalt``, ``Förändring``) are ignored, listed in
  ``meta["ignored_columns"]`` and named in the ingest report.

A table whose title lines say rates ("per 100 000 invånare") is refused unless its count columns say
``Antal``; notes under the table ("Källa: …", "Förklaring: …") are cut off when every line after the
last data row is one (:mod:`lagesbild.sources.crimetext`), and a legend "- = inget finns att
redovisa" makes ``-`` zero as in Brå's files.

Column headers are matched case- and accent-insensitively against :data:`COLUMNS`; periods are read by
:func:`lagesbild.sources.dates.parse_period`, counts by :mod:`lagesbild.sources.numbers`. A file without
a place column needs the place from the caller (``place=``) or the mapping file
(``constants: {place: Hässelby torg}``); a file of one category or one period can name it the same
way (``constants: {category: narkotikabrott, period: "2019"}``). Rows whose category or place is a
total (:data:`TOTAL_LABELS`) are skipped and counted in ``meta["skipped_totals"]``.

Rejected (one RowError each): empty place, empty category, unreadable or impossible periods, periods
starting after today (or after the extraction date, when given), counts that are not whole numbers, negative counts, and a place × category × period that occurs twice in the file
(the later rows). Unknown categories give one error listing them all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lagesbild.errors import InputError, RowError
from lagesbild.sources import ReadResult
from lagesbild.sources.bra import bra_long, is_bra_header, zero_dashes
from lagesbild.sources.brahierarchy import combine
from lagesbild.sources.categories import resolve_categories, unknown_error
from lagesbild.sources.crimetext import (
    COUNT_WORDS,
    EARLIEST_PERIOD,
    EARLIEST_WHY,
    GROUPED_WHY,
    RATE_WORDS,
    count_reasons,
    cut_marks,
    cut_notes,
    dash_is_zero,
    dash_lines,
    grouped,
    header_period,
    raw_dash_lines,
    read_periods,
    refuse_rates,
    says_bra_source,
    take_suppressed,
)
from lagesbild.sources.dates import same_periods
from lagesbild.sources.excel_dates import period_reasons
from lagesbild.sources.extraction import last_start as _last_start
from lagesbild.sources.extraction import unfinished_periods as unfinished_periods  # its old home
from lagesbild.sources.header_rows import TwoRows
from lagesbild.sources.mapping import load_mapping, match_columns, normalise
from lagesbild.sources.numbers import integers, parse_numbers
from lagesbild.sources.tabular import Rejects, open_table, refuse_repeated_columns
from lagesbild.sources.textkeys import NATIONAL, fold, normalize_key
from lagesbild.sources.yearmonths import melt_year_months, month_columns

COLUMNS = {
    "place": ["Plats", "Område", "Stadsdel", "Stadsdelsområde", "Place", "Area", "District",
              "Geografiskt område", "Kommun", "Region", "Stadsområde", "Lokalpolisområde",
              "Polisområde", "Län"],
    "category": ["Brottskategori", "Brottstyp", "Brott", "Kategori", "Brottsrubrik", "Category",
                 "Crime", "Offence", "Crime type", "Offence type"],
    "period": ["Månad", "Period", "Datum", "År", "Tidsperiod", "Month", "Year", "Date"],
    "count": ["Antal", "Antal anmälda brott", "Anmälda brott", "Antal brott", "Count", "Number"],
}


@dataclass(frozen=True)
class Layout:
    """A file layout: the columns it needs, and what the other columns' headers are (if wide)."""

    name: str
    required: tuple[str, ...]
    wide: bool


LAYOUTS = (
    Layout("lång", required=("category", "period", "count"), wide=False),
    Layout("bred", required=("category",), wide=True),
    # the year in a column and a column per month ("År;Januari;…;December;Totalt"): sources/yearmonths.py
    Layout("bred per månad", required=("category", "period"), wide=True),
)
TOTAL_LABELS = frozenset(normalise(t) for t in (
    "Totalt", "Total", "Summa", "Samtliga", "Summa brott", "Alla"))
OUTPUT = ["place", "category", "period_start", "period_end", "count", "preliminary", "line"]
#: a header over two rows, the periods over their measures (Brå's Excel tables): read as one row
TWO_ROWS = TwoRows(group=header_period,
                   measure=lambda c: bool(COUNT_WORDS.fullmatch(c.strip()) or RATE_WORDS.search(c)))


def _layout(cells: list[str], overrides: Mapping[str, str], constants: Mapping[str, str]
            ) -> Layout | None:
    found = match_columns(cells, COLUMNS, overrides)
    for layout in LAYOUTS:
        if not set(layout.required) <= set(found) | set(constants):
            continue
        if layout.name == "bred per månad" and "period" in found and month_columns(cells, found.values()) \
                or not layout.wide or any(header_period(c) for c in cells if c not in found.values()):
            return layout
    return None


def read_crimes(path: str | Path, *, mapping=None, place: str | None = None,
                categories: Mapping[str, str] | None = None, sheet: str | None = None,
                file_name: str | None = None, extracted: dt.date | None = None) -> ReadResult:
    """Read an aggregated crime file (CSV or XLSX) into the canonical table.

    Parameters
    ----------
    path : str or Path
    mapping : str, Path, dict or ColumnMapping, optional
        Mapping file (see :mod:`lagesbild.sources.mapping`).
    place : str, optional
        The place of every row, for files without a place column.
    categories : mapping, optional
        Extra category aliases (text -> id), added to the mapping file's.
    sheet : str, optional
        XLSX sheet (default: the mapping file's, else the first sheet with a known header).
    file_name : str, optional
        Name shown in messages.
    extracted : date, optional
        The day the data were taken out of the source system: a period starting after it (or after
        today) is rejected.

    Raises
    ------
    InputError
        When the file cannot be read or has no recognised header.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "brott.csv")
    >>> _ = open(p, "w").write("Brottskategori;jan 2020;feb 2020 prel.\\nNarkotika;12;..\\n")
    >>> r = read_crimes(p, place="Hässelby torg")
    >>> r.table[["category", "count", "preliminary"]].values.tolist()
    [['narkotikabrott', 12, False], ['narkotikabrott', <NA>, True]]
    """
    spec = load_mapping(mapping)
    overrides = spec.columns
    constants = {k: v for k, v in spec.constants.items() if k in COLUMNS}
    if place is not None:
        constants["place"] = place
    opened = open_table(path, accept=lambda cells: is_bra_header(cells) or _layout(
        cells, overrides, constants) is not None, expected=_expected(), sheet=sheet or spec.sheet,
        file_name=file_name, two_rows=TWO_ROWS)
    extra = {**spec.categories, **(categories or {})}
    if is_bra_header(opened.headers):
        return _read_bra(opened, overrides, constants, extra, spec.source, extracted)
    layout = _layout(opened.headers, overrides, constants)
    cols = match_columns(opened.headers, COLUMNS, overrides)
    refuse_repeated_columns(opened, cols)
    raw = opened.read()
    where = (opened.file, opened.meta.get("sheet"))
    if "place" not in cols and "place" not in constants:
        raise InputError(opened.file, "filen saknar en kolumn för plats (" + ", ".join(
            COLUMNS["place"][:4]) + "); välj kolumnen eller skriv platsen för alla rader i "
            "formuläret på sidan Data, eller ange platsen i en mappningsfil (constants: {place: Hässelby "
            "torg})")
    if layout.name == "bred per månad":
        long, ignored = melt_year_months(raw.table, cols, _column(raw.table, cols, constants, "place"),
                                         _column(raw.table, cols, constants, "category"))
    else:
        long, ignored = (_melt if layout.wide else _long)(raw.table, cols, constants)
    rows, raw_errors, notes = cut_notes(raw.table, raw.errors, [
        c for c in long["count_col"].unique() if c in raw.table.columns])
    if len(rows) < len(raw.table):
        long = long[long["line"].isin(rows["line"])].reset_index(drop=True)
    dashes, suppressed = dash_lines(long["count"], long["line"]), take_suppressed(long)
    # the file's own legend "- = inget finns att redovisa", or a table that names Brå as its source
    dash_zero = dash_is_zero(notes) or says_bra_source([*opened.meta.get("title_lines", []), *notes])
    if dash_zero:
        long["count"] = zero_dashes(long["count"])
    refuse_rates(opened.file, opened.meta.get("title_lines", []), list(long["count_col"].unique()),
                 opened.headers)
    if layout.wide:
        _refuse_lost_columns(rows, opened.headers, ignored, where, opened.meta.get("header_line"))
    table, errors, skipped = _validate(long, cols, where, extra, spec.source, {}, extracted=extracted,
                                       epoch=opened.meta.get("epoch"))
    meta = {**raw.meta, "layout": layout.name, "columns": cols, "skipped_totals": skipped["totals"],
            "skipped_national": skipped["national"],
            "ignored_categories": skipped["ignored"], "skipped_parts": skipped["parts"],
            "unfinished_periods": skipped["unfinished"], "table_notes": notes,
            "dash_cells": {"lines": dashes, "zero": dash_zero}, "suppressed_cells": suppressed}
    if ignored:
        meta["ignored_columns"] = ignored
    errors = sorted(raw_errors + errors, key=lambda e: (e.line is None, e.line or 0))
    return ReadResult(table, errors, raw.notes, meta)


def _read_bra(opened, overrides, constants, extra, source, extracted) -> ReadResult:
    """Brå's own layouts (:mod:`lagesbild.sources.bra`) through the same validation."""
    raw = opened.read()
    long, cols, parents, notes, errors, ignored = bra_long(raw, opened.headers, overrides, constants,
                                                          opened.file)
    refuse_rates(opened.file, opened.meta.get("title_lines", []), list(long["count_col"].unique()),
                 opened.headers)
    suppressed = take_suppressed(long)
    table, more, skipped = _validate(long, cols, (opened.file, opened.meta.get("sheet")), extra,
                                     source, parents, bra=True, extracted=extracted,
                                     epoch=opened.meta.get("epoch"))
    layout = "brå-lång" if "count" in cols else "brå-bred"
    meta = {**raw.meta, "layout": layout, "columns": cols, "skipped_totals": skipped["totals"],
            "skipped_national": skipped["national"],
            "ignored_categories": skipped["ignored"], "skipped_parts": skipped["parts"],
            "unfinished_periods": skipped["unfinished"], "bra_notes": notes,
            "dash_cells": {"lines": raw_dash_lines(raw.table, long), "zero": True}, "suppressed_cells": suppressed}
    if ignored:
        meta["ignored_columns"] = ignored
    errors = sorted(errors + more, key=lambda e: (e.line is None, e.line or 0))
    return ReadResult(table, errors, raw.notes, meta)


def _expected() -> str:
    return "brottskategori samt period och antal (eller en kolumn per period), t.ex. " \
           "Plats;Brottskategori;Månad;Antal"


def _column(df: pd.DataFrame, cols: dict, constants: dict, name: str) -> pd.Series:
    if name in cols:
        return df[cols[name]]
    return pd.Series(str(constants[name]), index=df.index, dtype=object)


def _long(df: pd.DataFrame, cols: dict, constants: dict):
    out = pd.DataFrame({name: _column(df, cols, constants, name)
                        for name in ("place", "category", "period", "count")})
    out["line"] = df["line"]
    out["period_col"] = cols.get("period")
    out["count_col"] = cols.get("count")
    return out, []


def _melt(df: pd.DataFrame, cols: dict, constants: dict):
    ids = set(cols.values()) | {"line"}
    others = [c for c in df.columns if c not in ids]
    labels = {c: header_period(c) for c in others}
    periods = [c for c in others if labels[c]]
    ignored = [c for c in others if c not in periods]
    frame = df[["line"] + periods].copy()
    frame["place"] = _column(df, cols, constants, "place")
    frame["category"] = _column(df, cols, constants, "category")
    out = frame.melt(id_vars=["line", "place", "category"], value_vars=periods,
                     var_name="period", value_name="count")
    out = out.sort_values("line", kind="stable").reset_index(drop=True)
    out["period_col"] = out["period"]
    out["count_col"] = out["period"]
    out["period"] = out["period_col"].map(labels)
    return out, ignored


def _refuse_lost_columns(table: pd.DataFrame, headers: list[str], ignored: list[str], where: tuple,
                         header_line: int | None) -> None:
    """Refuse a wide file with a column that would be dropped while it holds counts: a period
    written twice in the header (the second is renamed ``2020-01 (2)``), or a column with values and
    no header (``kolumn N``, e.g. under a header cell merged over two columns)."""
    file, sheet = where
    # one period written in two ways ("2024-01", "jan 2024"): was 'samma ... period som rad 2' of row 2
    errors = [RowError(file, header_line, col, col, f'perioden är densamma som kolumnen "{first}" har; ta bort '
                       "den som inte ska räknas", sheet) for col, first in same_periods(headers, header_period)]
    for col in ignored:
        repeat = re.fullmatch(r"(.+) \((\d+)\)", col)
        if repeat and repeat[1] in headers and header_period(repeat[1]):
            errors.append(RowError(file, header_line, repeat[1], repeat[1],
                                   f"perioden finns i {repeat[2]} kolumner; ta bort den som inte ska "
                                   "räknas", sheet))
            continue
        number = headers.index(col) + 1
        if col != f"kolumn {number}":
            continue
        values = table[col].astype("string").fillna("").str.strip()
        filled = values[values != ""]
        if len(filled):
            errors.append(RowError(file, int(table["line"][filled.index[0]]), col, str(filled.iloc[0]),
                                   "kolumnen har värden men ingen rubrik; skriv perioden i rubriken "
                                   "(är en rubrikcell sammanslagen över två kolumner?)", sheet))
    if errors:
        raise InputError(file, "några kolumner med antal kan inte läsas entydigt; inget lästes in", errors)


def _validate(long: pd.DataFrame, cols: dict, where: tuple, extra: dict, source: str,
              parents: Mapping[str, str] | None = None, bra: bool = False,
              extracted: dt.date | None = None, epoch: str | None = None):
    file, sheet = where
    place = cut_marks(long["place"].astype("string").fillna("").str.strip())
    category = cut_marks(long["category"].astype("string").fillna("").str.strip())
    # "Hela landet", SCB's "00 Riket": the whole country is no place here
    national = place.str.replace(r"^\d+\s+", "", regex=True).map(normalize_key).isin(NATIONAL).to_numpy()
    totals = (place.map(normalise).isin(TOTAL_LABELS)
              | category.map(normalise).isin(TOTAL_LABELS)).to_numpy() & ~national
    rejects = Rejects(file, sheet, long["line"].to_numpy())
    rejects.bad |= totals | national
    reject = rejects.add
    reject(place == "", cols.get("place"), place, "platsen saknas")
    reject((place != "") & ~place.str.contains(r"[^\W_]", regex=True).fillna(False), cols.get("place"), place,
           "platsen saknas: ett namn utan bokstäver eller siffror (\"..\" är Brås och SCB:s tecken för uppgift saknas)")
    reject(category == "", cols.get("category"), category, "brottskategorin saknas")
    present = category[(category != "") & ~totals & ~national]
    known, unknown, ignored = resolve_categories(present.unique(), extra, source,
                                                 parents if bra else None)
    ignore_mask = category.isin(ignored).to_numpy() & ~rejects.bad
    rejects.bad |= ignore_mask
    if unknown:
        hits = present[present.isin(unknown)]
        first = long["line"][hits.index].groupby(hits.to_numpy()).min()
        counts = long["line"][hits.index].groupby(hits.to_numpy()).nunique()  # lines, not a wide table's cells
        summary = unknown_error(file, cols.get("category"),
                                {u: (int(counts[u]), int(first[u])) for u in unknown}, sheet)
        first_line = int(first.min())
        rejects.errors.append(RowError(file, first_line, summary.column, None, summary.reason, sheet))
        # every other row of an unknown category is listed too (--keep-valid counts each row)
        for line, text in zip(long["line"][hits.index], hits, strict=True):
            if int(line) != first_line:
                rejects.errors.append(RowError(file, int(line), cols.get("category"), str(text),
                                               "okänd brottskategori", sheet))
        rejects.bad |= category.isin(unknown).to_numpy()
    starts, ends, prel_period, reasons = read_periods(long["period"])
    reasons = period_reasons(long["period"], reasons, epoch)  # "45383": an Excel day number
    shown = long["period_value"] if "period_value" in long else long["period"]  # as the file writes it
    reject(reasons.notna(), long["period_col"], shown, reasons)
    last, why = _last_start(extracted)
    reject((starts > last).to_numpy(), long["period_col"], shown, why)
    reject((starts < EARLIEST_PERIOD).to_numpy(), long["period_col"], shown, EARLIEST_WHY)
    unfinished = unfinished_periods(starts, ends, extracted) & ~rejects.bad
    rejects.bad |= unfinished
    numbers = parse_numbers(long["count"])
    counts, fractional = integers(numbers)
    reject(grouped(long["count"]), long["count_col"], long["count"], GROUPED_WHY)
    reject(numbers.invalid, long["count_col"], long["count"], count_reasons(long["count"]))
    reject(np.abs(np.nan_to_num(numbers.value)) >= 2**31, long["count_col"], long["count"],
           "talet är för stort; högst 2\u00a0147\u00a0483\u00a0647 kan lagras")  # as ingest/limits.py
    reject(fractional, long["count_col"], long["count"], "antalet måste vara ett heltal")
    reject(numbers.percent, long["count_col"], long["count"], "antalet är en andel (%), inte ett antal")
    reject(np.nan_to_num(numbers.value) < 0, long["count_col"], long["count"],
           "antalet får inte vara negativt")
    table = pd.DataFrame({
        "place": place.astype(object), "category": category.map(known).astype(object),
        "period_start": starts, "period_end": ends, "count": counts.to_numpy(),
        "preliminary": prel_period | numbers.preliminary, "line": rejects.lines.astype("int64"),
        "count_col": long["count_col"].to_numpy(), "raw_count": long["count"].to_numpy(),
        "text": category.to_numpy()})
    table = table[~rejects.bad]
    later, first_line = _duplicates(table)
    dups = Rejects(file, sheet, table["line"].to_numpy())
    dups.add(later, table["count_col"], table["raw_count"],
             [f"samma plats, kategori och period som rad {int(n)}" for n in first_line])
    table = table[~later].reset_index(drop=True)
    table["count"] = table["count"].astype("Int64")
    before = table["line"].to_numpy()
    table, parts = combine(table[OUTPUT], table["text"], parents)
    errors = rejects.errors + dups.errors
    errors.sort(key=lambda e: (e.line is None, e.line or 0))
    # lines left out count lines (a wide table's line has a cell per period); a period not ended, values
    lines, n_lines = long["line"].to_numpy(), lambda at: len(np.unique(at))
    skipped = {"totals": n_lines(lines[totals]), "national": n_lines(lines[national]),
               "ignored": _tally(category[ignore_mask], lines[ignore_mask]), "parts": n_lines(before[parts]),
               "unfinished": _tally(shown[unfinished])}
    return table, errors, skipped


def _tally(texts: pd.Series, lines: np.ndarray | None = None) -> dict[str, int]:
    """Each text's count: of values, or with `lines` of the distinct lines it is on."""
    counted = texts.value_counts(sort=False) if lines is None else pd.Series(lines).groupby(
        texts.to_numpy(), sort=False).nunique()
    return {str(k): int(v) for k, v in counted.items()}


def _duplicates(table: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
    """Rows repeating an earlier place × category text × period, and the line of the first (places
    compared with their accents: Vårberg and Varberg are two places)."""
    key = [table["place"].map(fold), table["text"].map(normalise), table["period_start"],
           table["period_end"]]
    later = pd.DataFrame(dict(enumerate(key))).duplicated(keep="first").to_numpy()
    first_line = table["line"].groupby(key).transform("min")
    return later, first_line
