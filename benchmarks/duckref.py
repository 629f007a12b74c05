"""The DuckDB reference aggregate: incidents in a place polygon per category and Sep–Aug year.

Shared by ``bench_compare.py`` and ``bench_dashboard.py``. DuckDB's spatial extension does not install
offline from PyPI for the pinned DuckDB (the wheels there are built for other DuckDB versions and refuse
to load), so the containment test is written in plain DuckDB SQL: a bounding-box prefilter, then the
even–odd ray-crossing test of every remaining point against the polygon's edges (all rings, holes
included) as a join on an edge table. No per-row work is done outside DuckDB. Points exactly on an edge
(none in practice) may be counted differently from shapely; the benchmarks check that the counts agree.

The CSV is read with ``encoding='latin-1'``: DuckDB has no Windows-1252 decoder without the
``encodings`` extension (which is not installable offline either), and the benchmark file uses only
characters (å, ä, ö) that have the same byte in both.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import shapely

COLUMNS = "{'id': 'VARCHAR', 'datum': 'TIMESTAMP', 'kategori': 'VARCHAR', 'x': 'DOUBLE', 'y': 'DOUBLE'}"

QUERY = """
WITH pts AS (
  SELECT row_number() OVER () AS rid, datum, kategori, x, y FROM {source}
  WHERE x BETWEEN $minx AND $maxx AND y BETWEEN $miny AND $maxy
    AND datum >= $first AND datum < $end),
inside AS (
  SELECT p.rid FROM pts p JOIN {edges} e
    ON (e.y1 > p.y) <> (e.y2 > p.y) AND p.x < (e.x2 - e.x1) * (p.y - e.y1) / (e.y2 - e.y1) + e.x1
  GROUP BY p.rid HAVING count(*) % 2 = 1)
SELECT kategori, year(datum - INTERVAL 8 MONTH) AS sep_aug, count(*) AS n
FROM pts JOIN inside USING (rid)
GROUP BY GROUPING SETS ((kategori, sep_aug), (sep_aug))
"""


GRID_QUERY = """
WITH pts AS (
  SELECT row_number() OVER () AS rid, x, y FROM {source}
  WHERE x BETWEEN $minx AND $maxx AND y BETWEEN $miny AND $maxy
    AND datum >= $first AND datum < $end AND kategori = $kategori),
inside AS (
  SELECT p.rid FROM pts p JOIN {edges} e
    ON (e.y1 > p.y) <> (e.y2 > p.y) AND p.x < (e.x2 - e.x1) * (p.y - e.y1) / (e.y2 - e.y1) + e.x1
  GROUP BY p.rid HAVING count(*) % 2 = 1)
SELECT floor(x / $cell) AS col, floor(y / $cell) AS row, count(*) AS n
FROM pts JOIN inside USING (rid)
GROUP BY ALL
"""


def csv_source(path) -> str:
    """A DuckDB table expression reading the police-style incident CSV."""
    return (f"read_csv('{path}', delim=';', header=true, skip=1, encoding='latin-1', "
            f"decimal_separator=',', columns={COLUMNS})")


def polygon_edges(geom) -> pd.DataFrame:
    """Every edge of every ring of a (multi)polygon: ``x1, y1, x2, y2``.

    Examples
    --------
    >>> len(polygon_edges(shapely.box(0, 0, 1, 1)))
    4
    """
    segments = []
    for poly in shapely.get_parts(geom):
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            segments.append(np.column_stack([xy[:-1], xy[1:]]))
    return pd.DataFrame(np.vstack(segments), columns=["x1", "y1", "x2", "y2"])


OVERVIEW_QUERY = """
WITH pts AS (
  SELECT row_number() OVER () AS rid, datum, kategori, x, y FROM {source}
  WHERE datum >= $first AND datum < $end),
cand AS (
  SELECT p.rid, b.place_id, p.x, p.y FROM pts p JOIN bboxes b
    ON p.x BETWEEN b.minx AND b.maxx AND p.y BETWEEN b.miny AND b.maxy),
inside AS (
  SELECT c.rid, c.place_id FROM cand c JOIN all_edges e
    ON e.place_id = c.place_id AND (e.y1 > c.y) <> (e.y2 > c.y)
       AND c.x < (e.x2 - e.x1) * (c.y - e.y1) / (e.y2 - e.y1) + e.x1
  GROUP BY c.rid, c.place_id HAVING count(*) % 2 = 1)
SELECT i.place_id, p.kategori, year(p.datum - INTERVAL 8 MONTH) AS sep_aug, count(*) AS n
FROM inside i JOIN pts p USING (rid)
GROUP BY ALL
"""


class Reference:
    """A DuckDB connection (in memory, or a persisted database file holding the raw rows as table
    ``raw``) with the edge tables of the places asked about."""

    def __init__(self, places: pd.DataFrame, database: str = ":memory:"):
        self.con = duckdb.connect(str(database))
        self.places = places.set_index("place_id")
        self.tables: dict[str, str] = {}

    def edges(self, place_id: str) -> str:
        """The name of the place's edge table (created on first use, not part of any timing)."""
        if place_id not in self.tables:
            name = f"edges_{len(self.tables)}"
            frame = polygon_edges(shapely.from_wkt(self.places.loc[place_id, "wkt_3006"]))
            self.con.register("edges_frame", frame)
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM edges_frame")
            self.con.unregister("edges_frame")
            self.tables[place_id] = name
        return self.tables[place_id]

    def load_all_places(self) -> None:
        """Edges and bounding boxes of every place (tables ``all_edges``, ``bboxes``; not timed)."""
        frames = []
        for pid, wkt in self.places["wkt_3006"].items():
            frames.append(polygon_edges(shapely.from_wkt(wkt)).assign(place_id=pid))
        edges = pd.concat(frames, ignore_index=True)
        boxes = self.places[["minx", "miny", "maxx", "maxy"]].reset_index()
        for name, frame in (("all_edges", edges), ("bboxes", boxes)):
            self.con.register("frame", frame)
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM frame")
            self.con.unregister("frame")

    def overview_counts(self, source: str, first, end) -> pd.DataFrame:
        """``place_id, kategori, sep_aug, n`` for every place between two dates (the overview)."""
        params = {"first": pd.Timestamp(first).to_pydatetime(), "end": pd.Timestamp(end).to_pydatetime()}
        return self.con.execute(OVERVIEW_QUERY.format(source=source), params).df()

    def has_raw(self) -> bool:
        """Whether the database holds the raw rows (table ``raw``)."""
        return bool(self.con.execute("SELECT count(*) FROM information_schema.tables "
                                     "WHERE table_name = 'raw'").fetchall()[0][0])

    def load_table(self, csv) -> None:
        """The raw rows as a DuckDB table ``raw`` (for the in-memory variant)."""
        self.con.execute(f"CREATE OR REPLACE TABLE raw AS SELECT * FROM {csv_source(csv)}")

    def _params(self, place_id: str, first, end) -> dict:
        minx, miny, maxx, maxy = (float(self.places.loc[place_id, c])
                                  for c in ("minx", "miny", "maxx", "maxy"))
        return {"minx": minx, "maxx": maxx, "miny": miny, "maxy": maxy,
                "first": pd.Timestamp(first).to_pydatetime(), "end": pd.Timestamp(end).to_pydatetime()}

    def grid_counts(self, place_id: str, source: str, kategori: str, first, end,
                    cell: float = 200.0) -> pd.DataFrame:
        """Incidents of one category (as written in the file) per grid cell inside the place."""
        sql = GRID_QUERY.format(source=source, edges=self.edges(place_id))
        params = {**self._params(place_id, first, end), "kategori": kategori, "cell": float(cell)}
        return self.con.execute(sql, params).df()

    def counts(self, place_id: str, source: str, first, end) -> pd.DataFrame:
        """``kategori, sep_aug, n`` for the place, from `source` (a table or ``csv_source``).

        ``sep_aug`` is the first year of the Sep–Aug year; ``kategori`` is None on the rows that
        count every category (lagesbild's ``alla``).
        """
        sql = QUERY.format(source=source, edges=self.edges(place_id))
        return self.con.execute(sql, self._params(place_id, first, end)).df()
