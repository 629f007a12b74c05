"""Action-plan activities from an XLSX sheet: one row per activity, follow-ups in named columns.

Column names are the activity fields of :mod:`lagesbild.sources.activities`; follow-up columns are
``<period> <year> <field>`` (e.g. ``T1 2021 mål uppfyllt``). Rows become the same item mappings the
YAML reader produces, with their sheet row as line.
"""

from __future__ import annotations

from pathlib import Path

from lagesbild.errors import InputError, RowError
from lagesbild.sources.followups import (
    FOLLOWUP_COLUMN,
    FOLLOWUP_LOOKUP,
    PERIODS,
    bare_followup,
    followup_column_reason,
    goal_status,
)
from lagesbild.sources.loptid import shown
from lagesbild.sources.sheetscan import column_letter, filled_rows, hidden_sheet, scan_sheet
from lagesbild.sources.textkeys import normalize_key, strip_accents
from lagesbild.sources.xlsx import open_workbook, sheet_rows
from lagesbild.sources.xlsxcells import EXCEL_EPOCH
from lagesbild.sources.yamllines import LineDict

#: headers of the activity column, whose cell merged down over rows makes them one activity
ACTIVITY_HEADERS = {"aktivitet", "atgard"}
#: headers of the place column: the places of every row of one merged activity are kept
PLACE_HEADERS = {"plats", "platser", "places"}
BARE_REFUSED = ("kolumnen har bara tertial och år i namnet, inget fält, så det går inte att veta vad den "
                "innehåller: den läses som \"mål uppfyllt\" bara när alla dess värden är ja, nej eller delvis "
                "(t.ex. \"delvis uppfyllt\"), men rad {row} har \"{other}\". Döp kolumnen till \"{name} mål "
                "uppfyllt\" eller \"{name} genomförda aktiviteter\"")
BARE_READ = ("Kolumnen \"{header}\" (bladet \"{sheet}\") har bara tertial och år i namnet; alla dess värden är "
             "ja, nej eller delvis och lästes som \"mål uppfyllt\" för {period} {year}.")
TWICE = ("kolumnnamnet finns två gånger (kolumn {first} och {again}); bara den enas värden kan läsas. Ta "
         "bort den ena kolumnen eller ge dem olika namn")
SAME_FOLLOWUP = ("kolumnen är samma uppföljning som kolumnen \"{other}\" ({field} för {period} {year}); bara den "
                 "enas värden kan läsas. Ta bort den ena kolumnen")
FIELD_NAMES = {"goal_met": "mål uppfyllt", "carried_out": "genomförda aktiviteter"}
MERGED_OTHER = ("raden hör till aktiviteten på rad {first} (cellen {cell} är sammanslagen över raderna "
                "{first}–{last}) men har ett annat värde här än där (\"{before}\"); skriv en aktivitet per "
                "rad, eller samma värde")


class SheetKey(str):
    """A follow-up field's name (``goal_met``) that remembers its column's header for messages."""

    header: str

    def __new__(cls, field: str, header: object) -> SheetKey:
        key = super().__new__(cls, field)
        key.header = str(header).strip()
        return key


def xlsx_items(path: Path, name: str,
               sheet: str | None) -> tuple[list, str, list[RowError], dict | None, list[str]]:
    """The activity items of the named sheet or the first with a header (a visible sheet before a hidden
    one), its name, the errors of its header and merges, :func:`hidden_sheet` of a hidden one read, and
    the notes on how its columns were read."""
    book = open_workbook(path, name)
    if sheet is not None and sheet not in book.sheetnames:
        raise InputError(name, f"bladet \"{sheet}\" finns inte; bladen är: " + ", ".join(book.sheetnames))
    visible_first = sorted(book.worksheets, key=lambda ws: ws.sheet_state != "visible")
    for ws in [book[sheet]] if sheet is not None else visible_first:
        try:
            rows = list(sheet_rows(ws, name, values_only=True))
        except InputError:
            book.close()
            raise
        for index, values in enumerate(rows[:20]):
            keys = {normalize_key(v) for v in values if v is not None}
            if keys & ACTIVITY_HEADERS:  # rows[i] is sheet row i + 1; merged texts filled below
                scan = scan_sheet(ws)
                below = filled_rows(((i + 1, list(r)) for i, r in enumerate(rows[index + 1:], index + 1)),
                                    scan, index + 1)
                rows = rows[:index + 1] + [cells for _, cells in below]
                items, errors, notes = _sheet_items(rows, index, name, ws.title,
                                                    _merges(values, scan, index + 1))
                for item in items:  # the date system of its day numbers (loptid.serial_number)
                    item.epoch = "1904" if getattr(book, "epoch", EXCEL_EPOCH).year == 1904 else "1900"
                book.close()
                return items, ws.title, errors, hidden_sheet(ws) if sheet is None else None, notes
    book.close()
    raise InputError(name, "hittade ingen rubrikrad med kolumnen Aktivitet (eller Åtgärd)")


def _merges(header: tuple, scan, header_row: int) -> tuple[dict, set]:
    """The rows that continue the activity of a row above (the Aktivitet cell merged down): row ->
    (first row, last row, cell), and the cells ``(row, column index)`` that a merge covers below its
    first row."""
    column = next((i for i, v in enumerate(header) if v is not None and normalize_key(v) in ACTIVITY_HEADERS),
                  None)
    continues, covered = {}, set()
    for (first, number), last in scan.merged_down.items():
        if first <= header_row:
            continue
        covered.update((row, number - 1) for row in range(first + 1, last + 1))
        if number - 1 == column:
            continues.update({row: (first, last, f"{column_letter(number)}{first}")
                              for row in range(first + 1, last + 1)})
    return continues, covered


def _sheet_items(rows: list, header_index: int, name: str, sheet: str,
                 merges: tuple[dict, set] = ({}, set())) -> tuple[list, list[RowError], list[str]]:
    header, errors, followup_cols, notes = rows[header_index], [], {}, []
    continues, covered = merges
    by_row: dict[int, LineDict] = {}
    errors += _twice(header, name, sheet, header_index + 1)
    for col, text in enumerate(header):
        if (bare := bare_followup(text)) is not None:  # "T1 2026": a goal status, or refused
            field, refused = _bare_column(rows, header_index, col, (text, bare), covered, (name, sheet))
            errors += refused
            followup_cols[col] = (*bare, field)
            if field is not None:
                notes.append(BARE_READ.format(sheet=sheet, header=str(text).strip(),
                                              period=bare[1], year=bare[0]))
            continue
        match = FOLLOWUP_COLUMN.match(strip_accents(str(text)).lower()) if text is not None else None
        if match is None:
            continue
        period = PERIODS.get(normalize_key(match["p1"] or match["p2"]))
        field = FOLLOWUP_LOOKUP.get(normalize_key(match["field"]))
        if period is None or field is None:
            errors.append(RowError(name, header_index + 1, str(text), None,
                                   followup_column_reason(period, field), sheet=sheet))
        followup_cols[col] = (int(match["y1"] or match["y2"]), period, field)
    errors += _same_followup(header, followup_cols, name, sheet, header_index + 1)
    items = []
    for number, values in enumerate(rows[header_index + 1:], start=header_index + 2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        if number in continues and continues[number][0] in by_row:
            errors += _continue(by_row[continues[number][0]], header, values, number, continues[number],
                                covered, followup_cols, (name, sheet))
            continue
        item, followups = LineDict(line=number), LineDict(line=number)
        for col, (text, value) in enumerate(zip(header, values, strict=False)):
            if text is None or value is None or (isinstance(value, str) and not value.strip()):
                continue
            if col in followup_cols:
                year, period, field = followup_cols[col]
                if period and field:
                    entry = followups.setdefault(year, LineDict(line=number))
                    entry.setdefault(period, LineDict(line=number))[SheetKey(field, text)] = value
            else:
                item[str(text).strip()] = value
        if followups:
            item["uppföljning"] = followups
        items.append(item)
        by_row[number] = item
    return items, errors, notes


def _twice(header, name: str, sheet: str, line: int) -> list[RowError]:
    """An error for each header written twice (only one column's values would be kept)."""
    first, errors = {}, []
    for col, text in enumerate(header):
        if text is None or not str(text).strip():
            continue
        key = str(text).strip()
        if key in first:
            errors.append(RowError(name, line, key, None, TWICE.format(
                first=column_letter(first[key] + 1), again=column_letter(col + 1)), sheet=sheet))
        first.setdefault(key, col)
    return errors


def _same_followup(header, followup_cols: dict, name: str, sheet: str, line: int) -> list[RowError]:
    """An error for each follow-up column holding the same field of the same period as one before it
    (``T1 2026`` read as goal status beside ``T1 2026 mål uppfyllt``): only one would be kept."""
    first, errors = {}, []
    for col, (year, period, field) in sorted(followup_cols.items()):
        if not (period and field):
            continue
        here, other = str(header[col]).strip(), first.get((year, period, field))
        if other is not None and other != here:  # the same header twice: said by _twice
            errors.append(RowError(name, line, here, None, SAME_FOLLOWUP.format(
                other=other, period=period, year=year, field=FIELD_NAMES[field]), sheet=sheet))
        first.setdefault((year, period, field), here)
    return errors


def _bare_column(rows: list, header_index: int, col: int, header: tuple, covered: set,
                 where: tuple) -> tuple[str | None, list[RowError]]:
    """The field of a follow-up column named by its period and year alone (``header``: its text and
    :func:`bare_followup`, e.g. ``T1 2026``): goal_met when every value is a goal status
    (:func:`goal_status`), else None and an error for each row with a value (what the column holds is
    not known, so none of its values is read)."""
    cells = [(number, values[col]) for number, values in enumerate(rows[header_index + 1:], header_index + 2)
             if col < len(values) and (number, col) not in covered
             and not (values[col] is None or (isinstance(values[col], str) and not values[col].strip()))]
    other = next(((n, v) for n, v in cells if goal_status(v) is None), None)
    if other is None:
        return "goal_met", []
    head, (year, period) = str(header[0]).strip(), header[1]
    reason = BARE_REFUSED.format(name=f"{period} {year}", row=other[0], other=_cell_text(other[1]))
    return None, [RowError(where[0], number, head, _cell_text(value), reason, sheet=where[1])
                  for number, value in cells]


def _cell_text(value: object) -> str:
    text = " ".join((shown(value) or "").split())
    return text if len(text) <= 60 else text[:59] + "…"


def _continue(item: LineDict, header, values, number: int, merge: tuple, covered: set,
              followup_cols: dict, where: tuple) -> list[RowError]:
    """Add a row of a merged activity to the activity's item: its places are added, a field the item
    lacks is set, a field with another value is an error."""
    errors = []
    first, last, cell = merge
    for col, (text, value) in enumerate(zip(header, values, strict=False)):
        if text is None or value is None or (isinstance(value, str) and not value.strip()):
            continue
        if (number, col) in covered:
            continue
        key = str(text).strip()
        if normalize_key(key) in PLACE_HEADERS and key in item:
            item[key] = f"{item[key]}; {value}"
            continue
        target = item
        if col in followup_cols:
            year, period, field = followup_cols[col]
            if not (period and field):
                continue
            follow = item.setdefault("uppföljning", LineDict(line=number))
            target, key = follow.setdefault(year, LineDict(line=number)).setdefault(period, LineDict(line=number)), SheetKey(field, text)
        if key not in target:
            target[key] = value
        elif target[key] != value:
            errors.append(RowError(where[0], number, str(text).strip(), str(value), MERGED_OTHER.format(
                first=first, cell=cell, last=last, before=target[key]), sheet=where[1]))
    return errors
