"""The rule for the dashboard's "data t.o.m." (:meth:`lagesbild.store.Store.data_until`): the last month
whose covered cells (place × category, any source and grain) are at least half of the most in any of
the twelve months up to it, so a small upload of a few places or categories for a later month does
not move it. The store has the database count the cells (:class:`DataUntilReads`, a mixin of
:class:`~lagesbild.store.Store`); an as-of view (:mod:`lagesbild.analysis.asof`) counts the coverage it
has already read.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from lagesbild.store import schema as t

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


class DataUntilReads:
    """The store's reads of how far its data reach (mixed into :class:`~lagesbild.store.Store`, which
    gives ``_cached``, ``_frame`` and ``all_coverage``)."""

    def data_until(self):
        """The last day of the dashboard's data (a date), or None.

        The last month whose covered cells (place × category, any source and grain) are at least half
        of the most in any of the twelve months up to it: a small upload of a few places or
        categories for a later month does not move it (each source and category has its own date,
        :meth:`data_until_by_source`).
        """
        return self._cached("data_until", self._data_until, copy=False)

    def _data_until(self):
        """Counted by the database over the last three years first (a city's coverage is 219,000 rows;
        reading them took 1 s): a month whose twelve months before lie in that window gets the
        answer the whole history gives. Only when no such month qualifies is all of it counted."""
        c = t.coverage.c
        ends = self._frame(select(func.max(c.month).label("month")).group_by(c.source), parse_dates=["month"])
        if ends.empty or ends["month"].isna().all():
            return None
        since = ends["month"].max() - pd.DateOffset(months=UNTIL_WINDOW - 1)
        until = until_from_cells(self._cells_per_month(since.date()))
        if until is not None and pd.Timestamp(until) >= since + pd.DateOffset(months=11):
            return until
        return until_from_cells(self._cells_per_month())

    def _cells_per_month(self, since=None) -> pd.Series:
        """:func:`cells_per_month` of the coverage (from month ``since`` on), counted by the database."""
        c = t.coverage.c
        rows = select(c.place_id, c.category, c.month)
        if since is not None:
            rows = rows.where(c.month >= since)
        cells = rows.distinct().subquery()
        per_month = self._frame(select(cells.c.month, func.count().label("cells")).group_by(cells.c.month),
                                parse_dates=["month"])
        return pd.Series(per_month["cells"].to_numpy(), index=per_month["month"], dtype="int64")

    def data_until_by_source(self) -> pd.DataFrame:
        """``source, category`` (None = every category), ``grain``, ``data_until`` (a date)."""
        cov = self.all_coverage()
        cols = ["source", "category", "grain", "data_until"]
        if cov.empty:
            return pd.DataFrame(columns=cols)
        out = cov.groupby(["source", "category", "grain"], dropna=False)["month"].max().reset_index()
        out["data_until"] = [(m + pd.offsets.MonthEnd(0)).date() for m in out["month"]]
        out["category"] = out["category"].astype(object).where(out["category"].notna(), None)
        return out[cols].sort_values(["source", "category"], na_position="first").reset_index(drop=True)
