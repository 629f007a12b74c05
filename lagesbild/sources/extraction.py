"""Crime periods against the day the data were taken out (moved unchanged from :mod:`.crimes`): the
last day a period may start, and the periods that had not ended then."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lagesbild import clock


def unfinished_periods(starts: pd.Series, ends: pd.Series, extracted: dt.date | None = None) -> np.ndarray:
    """Rows of a period that had not ended when the data were taken out: a year or a quarter ending on
    or after the extraction date, or without one any period (a month too) ending on or after today.
    Its count is a part of the period (January to August of a year read in September, the first days
    of the running month) and compared with a whole one it would show a fall that is only the missing
    days, so it is left out. A month running at a given extraction date is kept: the store then knows
    where the data end, and the comparisons cut that month (:func:`lagesbild.core.coverage.complete_until`).

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2025-01-01", "2026-01-01", "2026-09-01"]))
    >>> e = pd.Series(pd.to_datetime(["2025-12-31", "2026-12-31", "2026-09-30"]))
    >>> unfinished_periods(s, e, dt.date(2026, 9, 15)).tolist()
    [False, True, False]
    """
    limit = pd.Timestamp(clock.today())
    if extracted is not None and pd.Timestamp(extracted) < limit:
        limit = pd.Timestamp(extracted)
    longer = (ends > starts + pd.offsets.MonthEnd(0)).to_numpy()
    return (longer | (extracted is None)) & (ends >= limit).to_numpy()


def last_start(extracted: dt.date | None) -> tuple[pd.Timestamp, str]:
    """The last day a period may start (today, or the extraction date when earlier), and the reason
    a later one is rejected."""
    today = pd.Timestamp(clock.today())
    if extracted is not None and pd.Timestamp(extracted) < today:
        return pd.Timestamp(extracted), f"perioden börjar efter uttagsdatumet {extracted.isoformat()}"
    return today, "perioden ligger i framtiden"
