"""Action-plan activities from an XLSX sheet: one row per activity, follow-ups in named columns.

Column names are the activity fields of :mod:`lagesbild.sources.activities`; follow-up columns are
``<period> <year> <field>`` (e.g. ``T1 2021 mål uppfyllt``). Rows become the same item mappings the
YAML reader produces, with their sheet row as line.
"""

from __future__ import annotations

from pathlib import Path

from lagesbild.errors import InputError, RowError
from lagesbild.sources.followups import FOLLOWUP_COLUMN, FOLLOWUP_LOOKUP, PERIODS, followup_column_reason
from lagesbild.sources.sheetscan import filled_rows, scan_sheet
from lagesbild.sources.textkeys import normalize_key, strip_accents
from lagesbild.sources.xlsx import open_workbook, sheet_rows
from lagesbild.sources.yamllines import LineDict


def xlsx_items(path: Path, name: str, sheet: str | None) -> tuple[list, str, list[RowError]]:
    book = open_workbook(path, name)
    if sheet is not None and sheet not in book.sheetnames:
        raise InputError(name, f"bladet \"{sheet}\" finns inte; bladen är: " + ", ".join(book.sheetnames))
    for ws in [book[sheet]] if sheet is not None else book.worksheets:
        try:
            rows = list(sheet_rows(ws, name, values_only=True))
        except InputError:
            book.close()
            raise
        for index, values in enumerate(rows[:20]):
            keys = {normalize_key(v) for v in values if v is not None}
            if keys & {"aktivitet", "atgard"}:  # rows[i] is sheet row i + 1; merged texts filled below
                below = filled_rows(((i + 1, list(r)) for i, r in enumerate(rows[index + 1:], index + 1)),
                                    scan_sheet(ws), index + 1)
                rows = rows[:index + 1] + [cells for _, cells in below]
                items, errors = _sheet_items(rows, index, name, ws.title)
                book.close()
                return items, ws.title, errors
    book.close()
    raise InputError(name, "hittade ingen rubrikrad med kolumnen Aktivitet (eller Åtgärd)")


def _sheet_items(rows: list, header_index: int, name: str, sheet: str) -> tuple[list, list[RowError]]:
    header, errors, followup_cols = rows[header_index], [], {}
    for col, text in enumerate(header):
        match = FOLLOWUP_COLUMN.match(strip_accents(str(text)).lower()) if text is not None else None
        if match is None:
            continue
        period = PERIODS.get(normalize_key(match["p1"] or match["p2"]))
        field = FOLLOWUP_LOOKUP.get(normalize_key(match["field"]))
        if period is None or field is None:
            errors.append(RowError(name, header_index + 1, str(text), None,
                                   followup_column_reason(period, field), sheet=sheet))
        followup_cols[col] = (int(match["y1"] or match["y2"]), period, field)
    items = []
    for number, values in enumerate(rows[header_index + 1:], start=header_index + 2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        item, followups = LineDict(line=number), LineDict(line=number)
        for col, (text, value) in enumerate(zip(header, values, strict=False)):
            if text is None or value is None or (isinstance(value, str) and not value.strip()):
                continue
            if col in followup_cols:
                year, period, field = followup_cols[col]
                if period and field:
                    entry = followups.setdefault(year, LineDict(line=number))
                    entry.setdefault(period, LineDict(line=number))[field] = value
            else:
                item[str(text).strip()] = value
        if followups:
            item["uppföljning"] = followups
        items.append(item)
    return items, errors
