"""The rule for the dashboard's "data t.o.m." (:meth:`lagesbild.store.Store.data_until`): the last month
whose covered cells (place × category, any source and grain) are at least half of the most in any of
the twelve months up to it, so a small upload of a few places or categories for a later month does
not move it. The store has the database count the cells; an as-of view
(:mod:`lagesbild.analysis.asof`) counts the coverage it has already read.
"""

from __future__ import annotations

import pandas as pd

UNTIL_SHARE = 0.5  # a month counts when its cells are at least this share of the twelve months' most
UNTIL_WINDOW = 36  # months Store.data_until counts first (the whole history only when none qualifies)


def cells_per_month(cov: pd.DataFrame) -> pd.Series:
    """The distinct place × category cells of coverage rows per month (what :meth:`Store.data_until`
    has the database count; for coverage already read, as the as-of view has it)."""
    return cov.drop_duplicates(["place_id", "category", "month"]).groupby("month").size()


def until_from_cells(cells: pd.Series):
    """The last day of the last month whose covered cells are at least :data:`UNTIL_SHARE` of the most
    in any of the twelve months up to it (``cells``: count per month), or None.

    Examples
    --------
    >>> months = pd.to_datetime(["2023-01-01", "2023-02-01", "2023-03-01"])
    >>> until_from_cells(pd.Series([100, 100, 3], index=months))  # a few cells in March: not yet
    datetime.date(2023, 2, 28)
    """
    if cells.empty:
        return None
    cells = cells.sort_index()
    cells = cells.reindex(pd.date_range(cells.index.min(), cells.index.max(), freq="MS"), fill_value=0)
    peak = cells.rolling(12, min_periods=1).max()
    ok = cells[cells >= UNTIL_SHARE * peak]
    return (ok.index.max() + pd.offsets.MonthEnd(0)).date()
