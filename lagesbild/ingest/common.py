"""Small helpers every ingest handler uses: taking a reader's errors, keeping valid rows, counting."""

from __future__ import annotations

import pandas as pd

FICTITIOUS_MARKERS = ("fiktiv", "demodata")


def is_fictitious(notes, flag) -> bool:
    return bool(flag) or any(m in n.lower() for n in notes for m in FICTITIOUS_MARKERS)


def take_result(report, result):
    """Add a reader's errors and notes to the report."""
    report.errors.extend(result.errors)
    report.notes.extend(result.notes)


def bad_lines(errors) -> set:
    return {e.line for e in errors if e.line is not None}


def valid_rows(df: pd.DataFrame, errors) -> pd.DataFrame:
    bad = bad_lines(errors)
    return df[~df["line"].isin(bad)] if bad and "line" in df else df


def finish(report, accepted: int) -> None:
    report.accepted = int(accepted)
    report.rejected = len(bad_lines(report.errors)) + sum(1 for e in report.errors if e.line is None)
