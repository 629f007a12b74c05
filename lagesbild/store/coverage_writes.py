"""The coverage writes of :class:`~lagesbild.store.writer.Writer`: which months, places and categories
a source covers (table ``coverage``; a month it covers without a row is a month without crime).

An incident file covers every place it has incidents in × every category it has incidents of × every
month of its span but its gaps (:mod:`lagesbild.ingest.incidents`): :meth:`CoverageWrites.add_coverage_grid`
writes that cross product in the database. Aggregated files name their cells
(:meth:`CoverageWrites.add_coverage`), whole-store sources use :meth:`CoverageWrites.set_coverage`.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import delete, select

from lagesbild.store import schema as t


class CoverageWrites:
    """Mixed into :class:`~lagesbild.store.writer.Writer` (uses its ``conn``, ``bulk_insert``,
    ``_max_params`` and ``_mark``)."""

    def set_coverage(self, source: str, months, place_id=None, category=None,
                     grain: str = "month") -> None:
        """Record months (first days) the source covers, for one place or (None) every place, one
        category or (None) every category, at a grain (``month``, ``quarter``, ``year``)."""
        months = sorted({pd.Timestamp(m).date() for m in months})
        if not months:
            return
        c = t.coverage.c
        place_cond = c.place_id.is_(None) if place_id is None else c.place_id == place_id
        cat_cond = c.category.is_(None) if category is None else c.category == category
        for i in range(0, len(months), 500):
            self.conn.execute(delete(t.coverage).where(c.source == source, place_cond, cat_cond,
                                                       c.month.in_(months[i:i + 500])))
        self.bulk_insert(t.coverage, pd.DataFrame({"source": source, "place_id": place_id,
                                                    "category": category, "month": months,
                                                    "grain": grain}))

    def coverage_months(self, source: str) -> list:
        """The months (first days, dates) the source covers at the monthly grain."""
        c = t.coverage.c
        rows = self.conn.execute(select(c.month).where(c.source == source, c.grain == "month")
                                 .distinct().order_by(c.month)).fetchall()
        return [pd.Timestamp(r[0]).date() for r in rows]

    def coverage_categories(self, source: str) -> set:
        """The categories the source covers (by name; the NULL "every category" cell left out)."""
        c = t.coverage.c
        rows = self.conn.execute(select(c.category).where(c.source == source, c.category.is_not(None))
                                 .distinct()).fetchall()
        return {r[0] for r in rows}

    def delete_coverage(self, source: str, first, last) -> None:
        """Forget what the source covers from month `first` to month `last` (first days)."""
        c = t.coverage.c
        self.conn.execute(delete(t.coverage).where(c.source == source, c.month >= first,
                                                   c.month <= last))

    def add_coverage(self, source: str, cells: pd.DataFrame) -> None:
        """Record coverage cells ``place_id, category, month, grain`` (replacing the same cells)."""
        if cells.empty:
            return
        cells = cells.drop_duplicates(["place_id", "category", "month", "grain"])
        c = t.coverage.c
        for (pid, cat, grain), grp in cells.groupby(["place_id", "category", "grain"], dropna=False):
            months = sorted({pd.Timestamp(m).date() for m in grp["month"]})
            place_cond = c.place_id.is_(None) if pd.isna(pid) else c.place_id == pid
            cat_cond = c.category.is_(None) if pd.isna(cat) else c.category == cat
            self.conn.execute(delete(t.coverage).where(
                c.source == source, place_cond, cat_cond, c.grain == grain,
                c.month >= months[0], c.month <= months[-1]))
        rows = cells.assign(source=source, month=[pd.Timestamp(m).date() for m in cells["month"]])
        self.bulk_insert(t.coverage, rows[["source", "place_id", "category", "month", "grain"]])

    def add_coverage_grid(self, source: str, places, categories, months, *, grain: str = "month",
                          replace: bool = True) -> int:
        """Record that ``source`` covers every place × category × month of the three lists.

        The same cells :meth:`add_coverage` records from their cross product, written by the database
        itself: one ``INSERT … SELECT`` over three ``VALUES`` lists joined, instead of binding every
        cell from Python. An incident file covers 114 places × 16 categories × 120 months (219,000
        cells): binding them one by one made the ingest 14 times the bare CSV parse
        (``benchmarks/bench_ingest.py``). ``replace`` first forgets the same places' and categories'
        cells of that grain from the first to the last month, as :meth:`add_coverage` does. Returns the
        number of cells.
        """
        places, categories = sorted(set(places)), sorted(set(categories))
        months = sorted({pd.Timestamp(m).date() for m in months})
        if not (places and categories and months):
            return 0
        c = t.coverage.c
        room = max(1, self._max_params() - len(categories) - len(months) - 2)
        for i in range(0, len(places), room):
            chunk = places[i:i + room]
            if replace:
                self.conn.execute(delete(t.coverage).where(
                    c.source == source, c.grain == grain, c.month >= months[0], c.month <= months[-1],
                    c.place_id.in_(chunk), c.category.in_(categories)))
            self._insert_grid(source, grain, chunk, categories, months)
        return len(places) * len(categories) * len(months)

    def _insert_grid(self, source, grain, places, categories, months) -> None:
        style = self.conn.dialect.paramstyle
        names = ([f"p{i}" for i in range(len(places))] + [f"c{i}" for i in range(len(categories))]
                 + [f"m{i}" for i in range(len(months))] + ["src", "grain"])
        proc = t.coverage.c.month.type.bind_processor(self.conn.dialect)  # as SQLAlchemy stores a date
        values = [*places, *categories, *(proc(m) if proc else m for m in months), source, grain]

        def rows(prefix, n):
            return ", ".join(f"({self._mark(f'{prefix}{i}')})" for i in range(n))
        sql = (f"WITH gp(place_id) AS (VALUES {rows('p', len(places))}), "
               f"gc(category) AS (VALUES {rows('c', len(categories))}), "
               f"gm(month) AS (VALUES {rows('m', len(months))}) "
               f"INSERT INTO {t.coverage.name} (source, place_id, category, month, grain) "
               f"SELECT {self._mark('src')}, gp.place_id, gc.category, gm.month, {self._mark('grain')} "
               "FROM gm CROSS JOIN gp CROSS JOIN gc")
        # month outermost: the index (source, month) then grows at its end; place outermost wrote it
        # in random order and took 20 times as long on SQLite (1.6 s for the cells of one city file)
        params = tuple(values) if style in ("qmark", "format") else dict(zip(names, values, strict=True))
        self.conn.exec_driver_sql(sql, params)
