"""Incident times in the hours a clock change skips or repeats (Europe/Stockholm, the EU rule since 1996).

On the last Sunday of March no clock shows 02:00–02:59; on the last Sunday of October every clock
shows it twice. An export in local time can hold both: the rule is to read such a time as written (the
clock's hour is what the weekday × hour cells count) and to say so in the ingest report, naming the
first lines (:class:`ClockChanges`; the sentences are :func:`lagesbild.ingest.report.clock_remarks`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def ambiguous_local(values) -> np.ndarray:
    """Which naive local times fall in the hour Sweden shows twice when summer time ends (02:00–02:59
    on the last Sunday of October, the EU rule since 1996): the clock's time is known, not which of the
    two hours it was.

    Examples
    --------
    >>> ambiguous_local(np.array(["2026-10-25T02:30", "2026-10-25T03:00", "2026-10-18T02:30", "NaT"],
    ...                          dtype="datetime64[ns]")).tolist()
    [True, False, False, False]
    """
    return _clock_change_hour(values, 10)


def _clock_change_hour(values, month: int) -> np.ndarray:
    """Which times lie in hour 2 of the last Sunday of `month` (3: summer time starts, 10: it ends)."""
    v = np.asarray(values, dtype="datetime64[ns]")
    out = np.zeros(len(v), dtype=bool)
    ok = ~np.isnat(v)
    hour = np.full(len(v), -1, dtype=np.int64)
    hour[ok] = (v[ok] - v[ok].astype("datetime64[D]")).astype("timedelta64[h]").astype(np.int64)
    at_two = np.flatnonzero(hour == 2)
    if at_two.size:
        when = pd.DatetimeIndex(v[at_two])
        out[at_two] = (when.month == month) & (when.weekday == 6) & (when.day >= 25)
    return out


class ClockChanges:
    """The incidents of a file whose local time lies in the hour summer time skips (no clock showed it)
    or shows twice, counted with their first lines, across the chunks; both are read as written."""

    SHOWN_LINES = 5

    def __init__(self) -> None:
        self.nonexistent, self.ambiguous = 0, 0
        self.nonexistent_lines: list[int] = []
        self.ambiguous_lines: list[int] = []

    def add(self, when: np.ndarray, lines: np.ndarray) -> None:
        """Count the kept rows' times `when` (naive local) with their file lines `lines`."""
        for month, attr in ((3, "nonexistent"), (10, "ambiguous")):
            hit = _clock_change_hour(when, month)
            if hit.any():
                setattr(self, attr, getattr(self, attr) + int(hit.sum()))
                shown = getattr(self, attr + "_lines")
                shown += [int(n) for n in np.asarray(lines)[hit][:self.SHOWN_LINES - len(shown)]]

    def meta(self) -> dict:
        return {"nonexistent_times": self.nonexistent, "nonexistent_lines": list(self.nonexistent_lines),
                "ambiguous_times": self.ambiguous, "ambiguous_lines": list(self.ambiguous_lines)}
