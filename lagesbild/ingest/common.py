"""Small helpers every ingest handler uses: taking a reader's errors, keeping valid rows, counting."""

from __future__ import annotations

import pandas as pd

from lagesbild.ingest.limits import check_table, clean_text
from lagesbild.ingest.report import hidden_rows_remark, hidden_sheet_remark

FICTITIOUS_MARKERS = ("fiktiv", "demodata")


def is_fictitious(notes, flag) -> bool:
    return bool(flag) or any(m in n.lower() for n in notes for m in FICTITIOUS_MARKERS)


def take_result(report, result, kind: str | None = None, file: str | None = None):
    """Add a reader's errors and notes to the report.

    With ``kind`` (a key of :data:`lagesbild.ingest.limits.STORE_COLUMNS`) the table is first checked
    against the store's columns; values the store cannot hold become row errors of ``result`` too.
    """
    if kind is not None:
        result.table, errors = check_table(result.table, kind, file or report.file,
                                           labels=result.meta.get("columns"),
                                           sheet=result.meta.get("sheet"))
        result.errors.extend(map(result.meta.get("row_error") or (lambda e: e), errors))  # events.ItemError
    report.errors.extend(result.errors)
    report.notes.extend(clean_text(str(n)) for n in result.notes)
    if kind is not None and (said := hidden_rows_remark(result.meta)):  # one whole read (a stream: its end)
        report.remarks.append(said)
    if kind is not None and (said := hidden_sheet_remark(result.meta)):
        report.remarks.append(said)


def bad_lines(errors) -> set:
    return {e.line for e in errors if e.line is not None}


def valid_rows(df: pd.DataFrame, errors) -> pd.DataFrame:
    bad = bad_lines(errors)
    return df[~df["line"].isin(bad)] if bad and "line" in df else df


def finish(report, accepted: int) -> None:
    report.accepted = int(accepted)
    report.rejected = len(bad_lines(report.errors)) + sum(1 for e in report.errors if e.line is None)


def remove_source(w, source: str, report) -> int:
    """``--replace-source``: every row the source holds removed before the file's rows are written
    (same transaction; :meth:`~lagesbild.store.writer.Writer.delete_source`), said in the report.
    Returns the rows removed."""
    gone = w.delete_source(source)
    if gone:
        n = f"{gone:,}".replace(",", "\u00a0")
        report.remarks.append(f"Källan {source} tömdes först (--replace-source): {n} "
                              f"{'rad' if gone == 1 else 'rader'} som lästs in tidigare togs bort.")
    return gone
