"""Incident-level reported crime: one row per crime with a time, a category and coordinates.

Output (``ReadResult.table``): ``incident_id`` (``string[pyarrow]``), ``occurred_at`` (datetime64,
naive local time Europe/Stockholm), ``category`` (canonical id, a pandas Categorical), ``x``, ``y``
(EPSG:3006 metres), ``time_known`` (bool: False for a row that gives a date but no time of day, which
``occurred_at`` holds as 00:00 of that day; the date and weekday are known, the hour is not:
:func:`lagesbild.sources.timestamps.time_of_day_given`; ``meta["untimed"]`` counts them), ``line``.

Columns (:data:`COLUMNS`, case- and accent-insensitive): an id, a date or timestamp with an optional
separate time column, a category, and one coordinate pair (:data:`AXES`: E/N, X/Y or Lon/Lat).
Timestamps with a UTC offset (``2020-01-01T12:00+01:00``) are converted to Swedish local time.

Coordinate system: ``crs=`` (or ``options: {crs: 3011}`` in the mapping file) wins. Otherwise it is
detected from the first chunk's points (:mod:`lagesbild.sources.incident_crs`): the system whose area
of use holds the most points wins. Swedish surveyors' X is the northing; when the columns fit only
with X and Y exchanged, they are exchanged (``meta["swapped_axes"]``). When the ranges fit several
systems equally (SWEREF 99 TM and SWEREF 99 18 00 overlap just east of Stockholm) or none, an
:class:`~lagesbild.errors.InputError` asks for ``--crs``.

Dates: ISO by default; ``date_format=`` (``--date-format "MM/DD/YYYY hh:mm AM/PM"``) for other
forms; ``NN/NN/YYYY`` dates are read the only way their values allow, and refused when ambiguous
(:mod:`lagesbild.sources.dateformats`). Excel's day numbers (45901 in a date cell formatted
"Allmänt") are read in an XLSX file by its workbook's date system and refused in a CSV file
(:mod:`lagesbild.sources.excel_dates`); ``meta["excel_serial_dates"]`` counts those read.

Ids: a row without an id (or a file without an id column) gets a stable id made from its content:
``h-`` and a 64-bit hash of its date, time, category and coordinates as written (the same row gives
the same id when the file is read again, so a new export replaces it). Two rows with the same content
cannot be told apart: the later one is rejected as a repeat. ``meta["generated_ids"]`` counts them.

Rejected rows (one RowError per problem): missing values, unreadable or impossible dates, dates in the
future or before 1900 (a real date beyond pandas' years, such as 9999-12-31, is called that too, not
unreadable), unreadable coordinates, points outside Sweden after transformation, and an id already
used earlier in the file (the later rows). Unknown categories give one error listing them all, in the
last ReadResult of the stream.

:func:`iter_incidents` streams the file in chunks, parsing each chunk vectorised while the next one is
read (:mod:`lagesbild.sources.ahead`); its memory use is three chunks at most plus 12 bytes per row
for the duplicate-id check (64-bit hashes; a false duplicate needs a hash collision, odds about
n² / 2⁶⁵).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyproj import Transformer

from lagesbild import clock
from lagesbild.errors import InputError, RowError
from lagesbild.sources import ReadResult
from lagesbild.sources.ahead import read_ahead
from lagesbild.sources.categories import load_vocabulary, unknown_error
from lagesbild.sources.clockchange import ClockChanges
from lagesbild.sources.dateformats import detect as detect_date_format
from lagesbild.sources.dateformats import parse_with, to_strftime
from lagesbild.sources.excel_dates import as_read, csv_serials, serial_dates
from lagesbild.sources.idhash import DAMAGED_ID, SeenIds, damaged_ids, hash_strings, id_hint
from lagesbild.sources.incident_columns import (  # OUTPUT, REQUIRED: read from here (ingest.mappings)
    AXES,
    COLUMNS,
    CONTENT_ID_PREFIX,
    EARLIEST,
    OUTPUT,  # noqa: F401
    REQUIRED,  # noqa: F401
    accept_columns,
    empty_table,
    expected_columns,
)
from lagesbild.sources.incident_crs import (
    CRS_NAMES,
    CRS_RANGES,
    SWEDEN_BBOX_3006,
    TARGET_EPSG,
    crs_problem,
    detect_crs,
    epsg_code,
    other_crs_hint,
    share_inside,
    transform_points,
)
from lagesbild.sources.mapping import load_mapping, match_columns
from lagesbild.sources.numbers import parse_numbers, string_buffers, trim
from lagesbild.sources.rows import STRING
from lagesbild.sources.swedish_dates import rewrite_dates, weekday_reasons
from lagesbild.sources.tabular import CHUNK_ROWS, Rejects, open_table, refuse_repeated_columns
from lagesbild.sources.timestamps import (
    bad_time_reasons,
    calendar_years,
    end_of_day_reasons,
    parse_timestamps,
    time_of_day_given,
)
from lagesbild.sources.trailing_notes import without_trailing_notes


class _Stream:
    """State carried from chunk to chunk: columns, CRS, seen ids, category cache."""

    def __init__(self, opened, cols, crs, extra, source, date_format=None):
        self.file, self.sheet = opened.file, opened.meta.get("sheet")
        self.date_format = date_format
        self.date_given = None  # the format as the user wrote it (--date-format), for messages
        self.format_checked = date_format is not None
        self.generated_ids = 0
        self.clock_changes = ClockChanges()  # times in the hour summer time skips or repeats
        self.untimed = 0  # rows with a date but no time of day (read as 00:00, time_known False)
        self.epoch = opened.meta.get("epoch") if opened.meta.get("format") == "xlsx" else None
        self.serials, self.serial_example = 0, None  # Excel day numbers read as dates; the first
        self.cols = cols
        self.axes = next((a, b) for a, b in AXES if a in cols and b in cols)
        self.epsg = crs
        self.swap = self.chosen = self.detected = False  # detected: the system told by the values
        self.transformer = None
        self.vocab, self.extra, self.source = load_vocabulary(), extra, source
        self.known: dict[str, str | None] = {}
        self.unknown: dict[str, list[int]] = {}
        self.unknown_lines: list[np.ndarray] = []  # every line of an unknown category (listed)
        self.seen = SeenIds()
        self.now = pd.Timestamp(clock.now())

    def bad_date_reason(self) -> str:
        """Why a date could not be read: with a date format, the format it does not follow."""
        if self.date_format and self.date_given:
            return (f'datumet finns inte eller kunde inte tolkas (väntat skrivet som --date-format '
                    f'"{self.date_given}"; ett datum utan klockslag läses också)')
        return "datumet finns inte eller kunde inte tolkas (skriv t.ex. 2020-01-31 12:30)"

    def meta(self) -> dict:
        return {"columns": dict(self.cols), "crs": self.epsg, "crs_detected": self.detected, "swapped_axes": self.swap,
                "date_format": self.date_format, "generated_ids": self.generated_ids,
                **self.clock_changes.meta(), "untimed": self.untimed,
                "excel_serial_dates": self.serials, "excel_serial_example": self.serial_example}

    def _ids(self, df: pd.DataFrame) -> pa.Array:
        """The id column, with an id made from the row's content where it is missing."""
        c = self.cols
        ids = trim(df[c["incident_id"]]) if "incident_id" in c else pa.array(
            [""] * len(df), type=pa.large_string())
        missing = _empty_strings(ids)
        if not missing.any():
            return ids
        parts = [pc.cast(trim(df[c[k]]), pa.large_string())
                 for k in ("date", "time", "category", *self.axes) if k in c]
        content = pc.binary_join_element_wise(*parts, pa.scalar("\x1f", type=pa.large_string()))
        hashes = hash_strings(content)
        made = np.char.add(CONTENT_ID_PREFIX, np.char.zfill(np.char.mod("%x", hashes), 16))
        self.generated_ids += int(missing.sum())
        out = np.where(missing, made, np.asarray(ids.to_pylist(), dtype=object))
        return pa.array(out.tolist(), type=pa.large_string())

    def choose_crs(self, x: np.ndarray, y: np.ndarray) -> None:
        """Fix the CRS (and axis order) from the first points that parse."""
        if self.epsg is not None:
            if self.epsg in CRS_RANGES:
                self.swap = share_inside(x, y, self.epsg) < 0.5 < share_inside(y, x, self.epsg)
        else:
            found = detect_crs(x, y)
            if len(found) != 1:
                raise InputError(self.file, crs_problem([e for e, _ in found], x, y))
            (self.epsg, self.swap), self.detected = found[0], True
        if self.epsg != TARGET_EPSG:
            self.transformer = Transformer.from_crs(self.epsg, TARGET_EPSG, always_xy=True)

    def chunk(self, df: pd.DataFrame) -> ReadResult:
        c = self.cols
        rejects = Rejects(self.file, self.sheet, df["line"].to_numpy())
        date = df[c["date"]]  # as written, for messages and ids; `read`: Excel day numbers as dates
        read, serial = (serial_dates(date, self.epoch) if self.epoch and not self.date_given
                        else (date, np.zeros(len(date), dtype=bool)))
        read, wrong_weekday = rewrite_dates(read, skip=bool(self.date_given))  # "mån 4 maj 2026"
        if not self.format_checked:
            self.date_format = detect_date_format(read, self.file, c["date"])
            self.format_checked = True
        ids = self._ids(df)
        no_id = _empty_strings(ids)
        if "incident_id" in c:
            rejects.add(damaged_ids(ids), c["incident_id"], ids, DAMAGED_ID)
        if self.date_format:
            when, bad_date, bad_time = parse_with(read, df.get(c.get("time")), self.date_format)
        else:
            when, bad_date, bad_time = parse_timestamps(read, df.get(c.get("time")))
        empty_date = _empty_strings(trim(date))
        rejects.add(empty_date, c["date"], date, "datum saknas")
        if "time" in c and bad_time.any():
            rejects.add(bad_time, c["time"], df[c["time"]], bad_time_reasons(df[c["time"]]))
        late, early = np.asarray(when > self.now), np.asarray(when < EARLIEST)
        if bad_date.any():  # a real date beyond pandas' years (9999-12-31) is late, not unreadable
            years = np.zeros(len(date), dtype=np.int64)
            years[bad_date] = calendar_years(read[bad_date], self.date_format)
            late |= years > EARLIEST.year
            early |= (years > 0) & (years < EARLIEST.year)
            bad_date &= years == 0
        if self.epoch is None and bad_date.any():  # a CSV file does not say its Excel date system
            rejects.add(*csv_serials(date, bad_date, c["date"]))
        if bad_date.any():  # "2026-05-04 24:00": the day's end or its start?
            rejects.add(bad_date & (at_24 := end_of_day_reasons(date))[0], c["date"], date, at_24[1])
        rejects.add(bad_date, c["date"], date, self.bad_date_reason())
        rejects.add(wrong_weekday, c["date"], date, weekday_reasons(date, wrong_weekday))
        rejects.add(late, c["date"], date, as_read("datumet ligger i framtiden", serial, date, read))
        rejects.add(early, c["date"], date, as_read("datumet ligger före 1950 – orimligt tidigt; är "
                                                    "datumet fel?", serial, date, read))
        category, unknown, empty_cat = self._categories(df[c["category"]], rejects.lines)
        rejects.add(empty_cat, c["category"], df[c["category"]], "brottskategori saknas")
        x, y = self._coordinates(df, rejects)
        dup, first = self.seen.check(ids, rejects.lines, ~no_id)
        if dup.any():
            reasons = np.array([""] * len(ids), dtype=object)
            reasons[dup] = [f"id:t förekommer redan på rad {int(n)}" for n in first[dup]]
            if "incident_id" not in c:
                hint = id_hint(df.columns, c.values())
                reasons[dup] = [f"samma datum, tid, kategori och koordinater som rad {int(n)} (filen "
                                f"har inga id, så raderna kan inte skiljas åt{hint})" for n in first[dup]]
            # without ids the value shown is the date as written, not the id made from the row
            rejects.add(dup, c.get("incident_id", c["date"]), ids if "incident_id" in c else date, reasons)
        keep = ~(rejects.bad | unknown)
        self._count_serials(serial & keep, date, read, rejects.lines)
        timed = time_of_day_given(read, df.get(c.get("time")), self.date_format)
        self.untimed += int((keep & ~timed).sum())
        self.clock_changes.add(when.to_numpy()[keep & timed], rejects.lines[keep & timed])
        table = pd.DataFrame({"incident_id": pd.array(ids.filter(pa.array(keep)), dtype=STRING),
                              "occurred_at": when.to_numpy()[keep], "category": category[keep],
                              "x": x[keep], "y": y[keep], "time_known": timed[keep],
                              "line": rejects.lines[keep]})
        errors = sorted(rejects.errors, key=lambda e: e.line)
        return ReadResult(table, errors, [], self.meta())

    def _count_serials(self, mask: np.ndarray, date: pd.Series, read: pd.Series, lines: np.ndarray) -> None:
        if mask.any():
            self.serials += int(mask.sum())
            at = int(np.flatnonzero(mask)[0])
            self.serial_example = self.serial_example or (int(lines[at]), str(date.iloc[at]), str(read.iloc[at]))

    def _categories(self, values: pd.Series, lines: np.ndarray):
        text = trim(values)
        encoded = pc.dictionary_encode(text)
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        uniques = encoded.dictionary.to_pylist()
        new = [u for u in uniques if u not in self.known and u != ""]
        if new:
            found, _ = self.vocab.resolve(new, self.extra, self.source)
            self.known.update({u: found.get(u) for u in new})
        canonical = sorted({self.known[u] for u in uniques if self.known.get(u) is not None})
        position = {cid: i for i, cid in enumerate(canonical)}
        to_canonical = np.array([position.get(self.known.get(u), -1) for u in uniques] + [-1])
        ids = pd.Categorical.from_codes(to_canonical[codes], categories=canonical)
        empty = _empty_strings(text)
        unknown = np.array([self.known.get(u) is None for u in uniques] + [True])[codes] & ~empty
        for code, u in enumerate(uniques):
            if u != "" and self.known.get(u) is None:
                hit = lines[codes == code]
                count, first = self.unknown.setdefault(u, [0, int(hit[0])])
                self.unknown[u] = [count + hit.size, first]
                self.unknown_lines.append(hit)
        return ids, unknown, empty

    def _coordinates(self, df: pd.DataFrame, rejects: Rejects):
        a, b = (self.cols[k] for k in self.axes)
        parsed = []
        for col in (a, b):
            p = parse_numbers(df[col])
            rejects.add(p.missing, col, df[col], "koordinat saknas")
            rejects.add(p.invalid, col, df[col], "koordinaten kunde inte tolkas som ett tal")
            parsed.append(p.value)
        x, y = parsed
        ok = np.isfinite(x) & np.isfinite(y)
        if not self.chosen and ok.any():
            self.choose_crs(x[ok], y[ok])
            self.chosen = True
        if self.swap:
            x, y = y, x
        if self.transformer is not None:
            x, y = transform_points(self.transformer, x, y)
        x0, y0, x1, y1 = SWEDEN_BBOX_3006
        outside = ok & ~((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
        if outside.any():
            name = CRS_NAMES.get(self.epsg, f"EPSG:{self.epsg}")
            hint = other_crs_hint(*(p[ok] for p in parsed), self.epsg)  # Lat/Lon columns of metres
            rejects.add(outside, f"{a}/{b}", df[a] + " " + df[b],
                        f"koordinaten ligger utanför Sverige (läst som {name}){hint}")
        return x, y


def _empty_strings(values: pa.Array) -> np.ndarray:
    return string_buffers(values)[2] == 0


def iter_incidents(path: str | Path, *, crs: object = None, chunk_rows: int = CHUNK_ROWS,
                   categories: Mapping[str, str] | None = None, mapping=None,
                   sheet: str | None = None, file_name: str | None = None,
                   date_format: str | None = None) -> Iterator[ReadResult]:
    """Stream an incident file (CSV or XLSX) as ReadResults of at most `chunk_rows` rows.

    Parameters
    ----------
    path : str or Path
    crs : int or str, optional
        EPSG code of the coordinates (3006, 3011, 4326); default: detected (see module docstring).
    chunk_rows : int
        Rows per chunk.
    categories : mapping, optional
        Extra category aliases (text -> id), added to the mapping file's.
    mapping : str, Path, dict or ColumnMapping, optional
        Mapping file (see :mod:`lagesbild.sources.mapping`).
    sheet, file_name : str, optional
        XLSX sheet; name shown in messages.
    date_format : str, optional
        How the dates are written (``MM/DD/YYYY hh:mm AM/PM`` or strftime); default: ISO, or
        ``NN/NN/YYYY`` read the only way the values allow (see :mod:`lagesbild.sources.dateformats`).

    Yields
    ------
    ReadResult
        Valid rows and the errors of each chunk; if some categories are unknown, a last ReadResult
        with an empty table and one error listing them.

    Raises
    ------
    InputError
        Unreadable file, no recognised header, or a coordinate system that cannot be determined.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "brott.csv")
    >>> _ = open(p, "w").write("Id;Datum;Brottstyp;Lat;Lon\\nA1;2020-01-05 22:10;Rån;59.33;18.07\\n")
    >>> r = next(iter_incidents(p))
    >>> r.table[["incident_id", "category", "line"]].values.tolist(), r.meta["crs"]
    ([['A1', 'ran', 2]], 4326)
    """
    spec = load_mapping(mapping)
    opened = open_table(path, accept=accept_columns(spec.columns), expected=expected_columns(),
                        sheet=sheet or spec.sheet, file_name=file_name)
    cols = match_columns(opened.headers, COLUMNS, spec.columns)
    refuse_repeated_columns(opened, cols)
    epsg = epsg_code(crs if crs is not None else spec.options.get("crs"), opened.file)
    if epsg is None and "lon" in cols and "e" not in cols and "x" not in cols:
        epsg = 4326
    fmt = date_format or spec.options.get("date_format")
    stream = _Stream(opened, cols, epsg, {**spec.categories, **(categories or {})}, spec.source,
                     to_strftime(str(fmt)) if fmt else None)
    stream.date_given = str(fmt) if fmt else None
    # the next chunk is read meanwhile; the notes under the table are cut off (their lines reported)
    parts = read_ahead(without_trailing_notes(opened.chunks(chunk_rows), opened.meta))
    try:
        for part in parts:
            result = stream.chunk(part.table) if len(part.table) else ReadResult(empty_table(), [], [], {})
            errors = sorted(part.errors + result.errors, key=lambda e: e.line or 0)
            yield ReadResult(result.table, errors, part.notes, {**part.meta, **stream.meta()})
    finally:
        parts.close()
    if stream.unknown:
        yield ReadResult(empty_table(), _unknown_errors(stream, opened.file, cols["category"]),
                         list(opened.notes), {**opened.meta, **stream.meta()})


def _unknown_errors(stream: _Stream, file: str, column: str) -> list:
    """One error explaining the unknown categories (at the first such line), and one per other row
    (so --keep-valid counts and lists every rejected row)."""
    summary = unknown_error(file, column, {k: (v[0], v[1]) for k, v in stream.unknown.items()},
                            stream.sheet)
    lines = np.unique(np.concatenate(stream.unknown_lines)) if stream.unknown_lines else np.array([])
    first = int(lines[0]) if len(lines) else None
    out = [RowError(file, first, column, None, summary.reason, stream.sheet)]
    out += [RowError(file, int(n), column, None, "okänd brottskategori", stream.sheet)
            for n in lines[1:]]
    return out


def read_incidents(path: str | Path, **options) -> ReadResult:
    """Read a whole incident file into one ReadResult (see :func:`iter_incidents` for options)."""
    parts = list(iter_incidents(path, **options))
    tables = [p.table for p in parts if len(p.table)] or [empty_table()]
    table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
    return ReadResult(table, [e for p in parts for e in p.errors], parts[0].notes, parts[-1].meta)
